// A snapshot of metric values at one moment: what the metrics registry (metrics.h) collects,
// and what the Prometheus text writer and the OTLP metric encoder read. Plain data, no locks;
// names follow Prometheus conventions (orbit_router_requests_total, …, `_seconds` for
// durations) and the OTLP encoder maps them one to one (cumulative temporality).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace orbit::telemetry {

using Attributes = std::vector<std::pair<std::string, std::string>>;  // label name → value

enum class MetricKind : uint8_t {
  kCounter,    // monotonic sum (Prometheus counter, OTLP Sum with is_monotonic)
  kGauge,      // last value (Prometheus gauge, OTLP Gauge)
  kHistogram,  // explicit buckets (Prometheus histogram, OTLP Histogram)
};

struct HistogramValue {
  std::vector<double> bounds;    // upper bounds, ascending, without +Inf
  std::vector<uint64_t> counts;  // bounds.size() + 1 counts (the last: above every bound)
  uint64_t count = 0;
  double sum = 0;
};

struct MetricPoint {
  Attributes attributes;
  double value = 0;          // counters and gauges
  HistogramValue histogram;  // histograms
};

struct MetricData {
  std::string name;  // e.g. "orbit_router_requests_total"
  std::string description;
  std::string unit;  // UCUM for OTLP: "1", "s", "By"
  MetricKind kind = MetricKind::kCounter;
  std::vector<MetricPoint> points;
};

struct MetricsSnapshot {
  int64_t start_unix_ns = 0;  // when counting began (the process start)
  int64_t time_unix_ns = 0;   // when collected
  std::vector<MetricData> metrics;
};

}  // namespace orbit::telemetry
