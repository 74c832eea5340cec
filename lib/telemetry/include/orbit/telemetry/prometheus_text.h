// The Prometheus text exposition format, version 0.0.4, of a MetricsSnapshot: what a
// Prometheus server scrapes from the router's /metrics.
//
//   # HELP orbit_router_requests_total GraphQL requests answered.
//   # TYPE orbit_router_requests_total counter
//   orbit_router_requests_total{operation_name="GetUser",status="200"} 3
//   # TYPE orbit_router_request_duration_seconds histogram
//   orbit_router_request_duration_seconds_bucket{operation_name="GetUser",le="0.005"} 2
//   orbit_router_request_duration_seconds_bucket{operation_name="GetUser",le="+Inf"} 3
//   orbit_router_request_duration_seconds_sum{operation_name="GetUser"} 0.0123
//   orbit_router_request_duration_seconds_count{operation_name="GetUser"} 3
//
// Label values escape backslash, double quote and line feed; HELP text backslash and line
// feed. Characters a metric or label name may not hold become '_'. Histogram buckets are
// cumulative, as the format wants (the snapshot's counts are per bucket). A metric without
// points is left out. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

#include "orbit/base/status.h"
#include "orbit/telemetry/metric_data.h"

namespace orbit::telemetry {

inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

// Appends the exposition of `snapshot` to `out`.
void append_prometheus_text(const MetricsSnapshot& snapshot, std::string& out);
std::string prometheus_text(const MetricsSnapshot& snapshot);

// The counters and gauges of an exposition read back into a snapshot (what the router's own
// status series, written as text, need to travel in the OTLP metric push too): HELP becomes the
// description, TYPE the kind (untyped: a gauge); samples of other types (histogram, summary)
// and comment lines are skipped. Label values are unescaped; a timestamp after the value is
// ignored. kInvalidArgument names the first malformed line; at most `max_samples` samples
// (kLimitExceeded beyond).
Result<MetricsSnapshot> parse_prometheus_text(std::string_view text, size_t max_samples = 10'000);

// A sample value as the format writes it: integers without a fraction, "+Inf", "-Inf", "NaN",
// otherwise the shortest text that reads back as the same double.
std::string prometheus_number(double v);

}  // namespace orbit::telemetry
