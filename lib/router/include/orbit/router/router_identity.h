// RouterIdentity: who this router process is, as it tells the platform — in the headers of
// its CDN polls (managed_poller.h) and in its usage batches (telemetry.usage). Both carry the
// same id, so the control plane's fleet view shows one row per process however it saw it.
//
//   id             a random version 4 UUID, drawn once per process
//   host           gethostname(), "unknown" when it fails
//   orbit_version  the version of this build
//
// Threading: router_identity() is safe from any thread; the value never changes.
#pragma once

#include <string>

namespace orbit::router {

struct RouterIdentity {
  std::string id;
  std::string host;
  std::string orbit_version;
};

const RouterIdentity& router_identity();

}  // namespace orbit::router
