// Bodies of the router's own endpoints: /health (JSON) and /metrics (Prometheus text format
// 0.0.4). Pure functions of what they are given; request_handler.cc routes to them.
#pragma once

#include <string>

#include "orbit/router/config_reloader.h"
#include "orbit/router/graph_snapshot.h"

namespace orbit::router {

// {"status":"UP","config":{"version":…,"createdAt":…,"loadedAt":…},
//  "reloads":{"succeeded":n,"failed":n,"lastError":…,"lastErrorAt":…}}
// "config" is null without a snapshot; "reloads" is left out without stats, and its
// lastError/lastErrorAt without a rejection.
std::string health_body(bool up, const GraphSnapshot* snapshot, const ReloadStats* stats);

// orbit_router_config_info{version,created_at} 1, orbit_router_config_loaded_timestamp_seconds,
// orbit_router_config_reloads_total{result="success"|"failure"}.
std::string metrics_text(const GraphSnapshot* snapshot, const ReloadStats* stats);

}  // namespace orbit::router
