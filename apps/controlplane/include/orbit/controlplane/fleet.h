// The fleet of a graph (docs/controlplane.md "The router fleet"): every router instance that
// polled the CDN for the graph or reported usage for it, one row per router id.
//
//   usage_routers (registry::UsageStore::routers: usage batches and heartbeats)
//   {cdn storage}/{org}/{graph}/routers.json (cdn::read_fleet_file: what orbit-cdn saw polling)
//     ─► merge_fleet ─► FleetRouter per id: the later source's host and versions, the earlier
//        first sighting, the later last one, how it was seen, and healthy or stale
//
// Stale: a source is fresh while it was heard from within missed_intervals × the interval the
// router announced for it (its poll interval to the CDN, its report interval to the control
// plane; the defaults of FleetRules for routers that did not say), and never less than
// stale_floor_seconds. A router is healthy when one of its sources is fresh.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "orbit/cdn/fleet_file.h"
#include "orbit/registry/usage.h"

namespace orbit::controlplane {

struct FleetRules {
  int64_t default_report_interval_seconds = 60;  // usage reporting's default
  int64_t default_poll_interval_seconds = 10;    // managed mode's default
  int64_t missed_intervals = 3;
  int64_t stale_floor_seconds = 30;
};

struct FleetRouter {
  std::string id, host, orbit_version, config_version;
  int64_t first_seen_ms = 0, last_seen_ms = 0;
  bool via_cdn = false, via_usage = false;
  int64_t poll_interval_seconds = 0;    // as the router announced it; 0: unknown
  int64_t report_interval_seconds = 0;  // as the router announced it; 0: unknown
  int64_t stale_after_ms = 0;           // when it turns stale if not heard from again
  bool stale = false;
};

// Newest first (then by id), at most `limit` rows. `now_ms`: Unix milliseconds.
std::vector<FleetRouter> merge_fleet(const std::vector<registry::RouterRecord>& usage,
                                     const std::vector<cdn::RouterSighting>& cdn, int64_t now_ms,
                                     const FleetRules& rules = {}, size_t limit = 1000);

}  // namespace orbit::controlplane
