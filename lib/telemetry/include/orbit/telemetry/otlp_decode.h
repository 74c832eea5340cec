// Reads OTLP protobuf request bodies back into the structures otlp_encode.h writes from: what
// the test OTLP receiver (otlp_receiver.h) and the tests use to check the exporter end to end.
// Unknown fields are skipped; truncated or malformed input is an error, never a crash.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/telemetry/metric_data.h"
#include "orbit/telemetry/otlp_encode.h"
#include "orbit/telemetry/span.h"

namespace orbit::telemetry {

struct DecodedSpan : SpanData {
  uint32_t flags = 0;  // Span.flags (bit 0: sampled)
};

// An ExportTraceServiceRequest; spans of every ResourceSpans/ScopeSpans in order, the
// resource and scope of the first. Non-string resource attributes are given as text.
struct DecodedSpans {
  Resource resource;
  std::string scope_name;
  std::vector<DecodedSpan> spans;
};
Result<DecodedSpans> decode_spans(std::string_view protobuf);

struct DecodedMetric : MetricData {
  int temporality = 0;  // AggregationTemporality of sums and histograms (2: cumulative)
  bool monotonic = false;
};

// An ExportMetricsServiceRequest; the snapshot's times are those of the first point.
struct DecodedMetrics {
  Resource resource;
  std::string scope_name;
  int64_t start_unix_ns = 0;
  int64_t time_unix_ns = 0;
  std::vector<DecodedMetric> metrics;
};
Result<DecodedMetrics> decode_metrics(std::string_view protobuf);

}  // namespace orbit::telemetry
