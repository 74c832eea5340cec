// ApiHandler: the /v1 HTTP JSON API of docs/api.md over a registry::Registry — routing,
// authentication and roles, reading request bodies (strictly: unknown keys are errors),
// pagination, and writing responses and errors.
//
//   HttpRequest ─► route ─► authenticate ─► role ─► Registry / Store ─► ApiResponse (JSON)
//
// Requests come with an API key (Authorization: Bearer) or a Studio session cookie
// (auth.h); every state-changing call is written to the audit log (audit_log.h), and paths
// outside /v1 serve Studio's files (static_files.h).
//
// Threading: handle() uses the Registry, which is not thread-safe; the server calls it from
// one worker thread (ControlplaneServer). It never throws and answers every input.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "orbit/net/http_headers.h"
#include "orbit/net/http_server.h"
#include "orbit/registry/registry.h"

namespace orbit::controlplane {

struct ApiResponse {
  int status = 200;
  net::HttpHeaders headers;
  std::string body;
};

// Usage analytics (usage_api.h): retention, how often routers report, the batch size limit.
struct UsageOptions {
  int64_t retention_seconds = 30LL * 24 * 3600;
  // The fleet (fleet.h): a router is stale when not heard from for 3 of the intervals it
  // announced (this one for routers that report usage without saying), and never sooner than
  // stale_floor_seconds.
  int64_t report_interval_seconds = 60;
  int64_t stale_floor_seconds = 30;
  size_t max_body_bytes = 8 << 20;  // of a decoded (gunzipped) batch
};

struct AuthOptions;
class StudioAuth;
class StaticFiles;

class ApiHandler {
 public:
  explicit ApiHandler(registry::Registry& registry, UsageOptions usage = {});
  ~ApiHandler();

  // Studio (auth.h, static_files.h): session and sign-in settings, and the directory of the
  // built web app served at `/` ("" serves none). Call before the first handle().
  void set_studio(const AuthOptions& auth, const std::string& studio_dir);

  ApiResponse handle(const net::HttpRequest& request);

 private:
  registry::Registry& registry_;
  UsageOptions usage_;
  std::unique_ptr<StudioAuth> auth_;
  std::unique_ptr<StaticFiles> static_files_;
  std::atomic<uint64_t> requests_{0};
};

}  // namespace orbit::controlplane
