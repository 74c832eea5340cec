// Bodies of the router's own endpoints: /health (JSON) and /metrics (Prometheus text format
// 0.0.4). Pure functions of what they are given; request_handler.cc routes to them.
#pragma once

#include <string>

#include "orbit/router/config_reloader.h"
#include "orbit/router/graph_snapshot.h"
#include "orbit/router/managed_poller.h"

namespace orbit::router {

// {"status":"UP","config":{"version":…,"createdAt":…,"loadedAt":…},
//  "reloads":{"succeeded":n,"failed":n,"lastError":…,"lastErrorAt":…},
//  "managed":{"graph":"acme/shop","source":"cdn"|"last-known-good"|null,"from":…,"etag":…,
//             "lastSuccessfulPoll":…,"consecutiveFailures":n,"polls":{"updated":n,
//             "notModified":n,"rejected":n,"failed":n},"signatureFailures":n,"lastError":…,
//             "lastErrorAt":…,"lastKnownGood":{"path":…,"savedAt":…}}}
// "config" is null without a snapshot; "reloads" / "managed" are left out without their
// stats, and the last errors and times when there are none.
std::string health_body(bool up, const GraphSnapshot* snapshot, const ReloadStats* stats,
                        const ManagedStats* managed = nullptr);

// orbit_router_config_info{version,created_at} 1, orbit_router_config_loaded_timestamp_seconds,
// orbit_router_config_reloads_total{result="success"|"failure"}; in managed mode also
// orbit_router_config_source{source}, orbit_router_cdn_polls_total{result},
// orbit_router_cdn_last_success_timestamp_seconds, orbit_router_cdn_consecutive_failures,
// orbit_router_cdn_signature_failures_total, orbit_router_last_known_good_write_failures_total.
std::string metrics_text(const GraphSnapshot* snapshot, const ReloadStats* stats,
                         const ManagedStats* managed = nullptr);

}  // namespace orbit::router
