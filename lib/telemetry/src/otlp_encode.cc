#include "orbit/telemetry/otlp_encode.h"

#include <cmath>

#include "orbit/base/json_writer.h"
#include "protobuf_wire.h"

namespace orbit::telemetry {

namespace {

// Field numbers of the OTLP protos (opentelemetry/proto/*/v1).
namespace pb {
// collector: Export{Trace,Metrics}ServiceRequest
constexpr uint32_t kResourceSpans = 1, kResourceMetrics = 1;
// Resource{Spans,Metrics}
constexpr uint32_t kResource = 1, kScopeData = 2;
// Resource
constexpr uint32_t kResourceAttributes = 1;
// Scope{Spans,Metrics}
constexpr uint32_t kScope = 1, kScopeItems = 2;
// InstrumentationScope
constexpr uint32_t kScopeNameField = 1;
// KeyValue / AnyValue
constexpr uint32_t kKey = 1, kValue = 2;
constexpr uint32_t kStringValue = 1, kBoolValue = 2, kIntValue = 3, kDoubleValue = 4;
// Span
constexpr uint32_t kTraceId = 1, kSpanId = 2, kTraceState = 3, kParentSpanId = 4, kName = 5,
                   kKind = 6, kStart = 7, kEnd = 8, kAttributes = 9, kEvents = 11, kStatus = 15,
                   kFlags = 16;
// Span.Event
constexpr uint32_t kEventTime = 1, kEventName = 2, kEventAttributes = 3;
// Status
constexpr uint32_t kStatusMessage = 2, kStatusCode = 3;
// Metric
constexpr uint32_t kMetricName = 1, kMetricDescription = 2, kMetricUnit = 3, kGauge = 5, kSum = 7,
                   kHistogram = 9;
// Gauge / Sum / Histogram
constexpr uint32_t kDataPoints = 1, kTemporality = 2, kMonotonic = 3;
constexpr uint64_t kCumulative = 2;
// NumberDataPoint
constexpr uint32_t kNumberAttributes = 7, kPointStart = 2, kPointTime = 3, kAsDouble = 4;
// HistogramDataPoint
constexpr uint32_t kHistCount = 4, kHistSum = 5, kBucketCounts = 6, kExplicitBounds = 7,
                   kHistAttributes = 9;
}  // namespace pb

constexpr uint32_t kSampledFlag = 0x01;

std::string id_bytes(uint64_t id) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(id & 0xff);
    id >>= 8;
  }
  return out;
}

// ---- protobuf ----

void pb_string_kv(wire::Writer& w, uint32_t field, std::string_view key, std::string_view value) {
  size_t kv = w.begin(field);
  w.bytes(pb::kKey, key);
  size_t any = w.begin(pb::kValue);
  w.bytes(pb::kStringValue, value);
  w.end(any);
  w.end(kv);
}

void pb_attribute(wire::Writer& w, uint32_t field, const SpanAttribute& a) {
  size_t kv = w.begin(field);
  w.bytes(pb::kKey, a.key);
  size_t any = w.begin(pb::kValue);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          w.bytes(pb::kStringValue, v);
        } else if constexpr (std::is_same_v<T, bool>) {
          w.varint(pb::kBoolValue, v ? 1 : 0);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          w.varint(pb::kIntValue, static_cast<uint64_t>(v));
        } else {
          w.double_(pb::kDoubleValue, v);
        }
      },
      a.value);
  w.end(any);
  w.end(kv);
}

void pb_resource(wire::Writer& w, const Resource& resource) {
  size_t r = w.begin(pb::kResource);
  pb_string_kv(w, pb::kResourceAttributes, "service.name", resource.service_name);
  for (const auto& [k, v] : resource.attributes) {
    if (k == "service.name") continue;
    pb_string_kv(w, pb::kResourceAttributes, k, v);
  }
  w.end(r);
}

void pb_scope(wire::Writer& w) {
  size_t s = w.begin(pb::kScope);
  w.bytes(pb::kScopeNameField, kScopeName);
  w.end(s);
}

void pb_span(wire::Writer& w, const SpanData& span) {
  size_t s = w.begin(pb::kScopeItems);
  w.bytes(pb::kTraceId, std::string_view(reinterpret_cast<const char*>(span.trace_id.data()), 16));
  w.bytes(pb::kSpanId, id_bytes(span.span_id));
  if (!span.tracestate.empty()) w.bytes(pb::kTraceState, span.tracestate);
  if (span.parent_span_id != 0) w.bytes(pb::kParentSpanId, id_bytes(span.parent_span_id));
  w.bytes(pb::kName, span.name);
  if (span.kind != SpanKind::kUnspecified) w.varint(pb::kKind, static_cast<uint64_t>(span.kind));
  w.fixed64(pb::kStart, static_cast<uint64_t>(span.start_unix_ns));
  w.fixed64(pb::kEnd, static_cast<uint64_t>(span.end_unix_ns));
  for (const SpanAttribute& a : span.attributes)
    pb_attribute(w, pb::kAttributes, a);
  for (const SpanEvent& e : span.events) {
    size_t ev = w.begin(pb::kEvents);
    w.fixed64(pb::kEventTime, static_cast<uint64_t>(e.time_unix_ns));
    w.bytes(pb::kEventName, e.name);
    for (const SpanAttribute& a : e.attributes)
      pb_attribute(w, pb::kEventAttributes, a);
    w.end(ev);
  }
  if (span.status_code != StatusCode::kUnset) {
    size_t st = w.begin(pb::kStatus);
    if (!span.status_message.empty()) w.bytes(pb::kStatusMessage, span.status_message);
    w.varint(pb::kStatusCode, static_cast<uint64_t>(span.status_code));
    w.end(st);
  }
  w.fixed32(pb::kFlags, kSampledFlag);
  w.end(s);
}

void pb_number_point(wire::Writer& w, const MetricPoint& p, const MetricsSnapshot& snap,
                     bool with_start) {
  size_t dp = w.begin(pb::kDataPoints);
  if (with_start) w.fixed64(pb::kPointStart, static_cast<uint64_t>(snap.start_unix_ns));
  w.fixed64(pb::kPointTime, static_cast<uint64_t>(snap.time_unix_ns));
  w.double_(pb::kAsDouble, p.value);
  for (const auto& [k, v] : p.attributes)
    pb_string_kv(w, pb::kNumberAttributes, k, v);
  w.end(dp);
}

void pb_histogram_point(wire::Writer& w, const MetricPoint& p, const MetricsSnapshot& snap) {
  const HistogramValue& h = p.histogram;
  size_t dp = w.begin(pb::kDataPoints);
  w.fixed64(pb::kPointStart, static_cast<uint64_t>(snap.start_unix_ns));
  w.fixed64(pb::kPointTime, static_cast<uint64_t>(snap.time_unix_ns));
  w.fixed64(pb::kHistCount, h.count);
  w.double_(pb::kHistSum, h.sum);
  w.packed64(pb::kBucketCounts, h.counts.size(), [&](size_t i) { return h.counts[i]; });
  w.packed64(pb::kExplicitBounds, h.bounds.size(), [&](size_t i) {
    uint64_t bits;
    std::memcpy(&bits, &h.bounds[i], 8);
    return bits;
  });
  for (const auto& [k, v] : p.attributes)
    pb_string_kv(w, pb::kHistAttributes, k, v);
  w.end(dp);
}

void pb_metric(wire::Writer& w, const MetricData& m, const MetricsSnapshot& snap) {
  size_t md = w.begin(pb::kScopeItems);
  w.bytes(pb::kMetricName, m.name);
  if (!m.description.empty()) w.bytes(pb::kMetricDescription, m.description);
  if (!m.unit.empty()) w.bytes(pb::kMetricUnit, m.unit);
  switch (m.kind) {
    case MetricKind::kCounter: {
      size_t sum = w.begin(pb::kSum);
      for (const MetricPoint& p : m.points)
        pb_number_point(w, p, snap, true);
      w.varint(pb::kTemporality, pb::kCumulative);
      w.varint(pb::kMonotonic, 1);
      w.end(sum);
      break;
    }
    case MetricKind::kGauge: {
      size_t g = w.begin(pb::kGauge);
      for (const MetricPoint& p : m.points)
        pb_number_point(w, p, snap, false);
      w.end(g);
      break;
    }
    case MetricKind::kHistogram: {
      size_t hist = w.begin(pb::kHistogram);
      for (const MetricPoint& p : m.points)
        pb_histogram_point(w, p, snap);
      w.varint(pb::kTemporality, pb::kCumulative);
      w.end(hist);
      break;
    }
  }
  w.end(md);
}

// ---- JSON ----

void json_u64(JsonWriter& j, std::string_view key, uint64_t v) {
  j.key(key).string(std::to_string(v));
}

void json_double(JsonWriter& j, double v) {
  // The protobuf JSON mapping writes non-finite doubles as strings.
  if (std::isnan(v)) {
    j.string("NaN");
  } else if (std::isinf(v)) {
    j.string(v > 0 ? "Infinity" : "-Infinity");
  } else {
    j.number(v);
  }
}

void json_string_kv(JsonWriter& j, std::string_view key, std::string_view value) {
  j.begin_object().key("key").string(key).key("value").begin_object();
  j.key("stringValue").string(value);
  j.end_object().end_object();
}

void json_attributes(JsonWriter& j, const SpanAttributes& attributes) {
  j.key("attributes").begin_array();
  for (const SpanAttribute& a : attributes) {
    j.begin_object().key("key").string(a.key).key("value").begin_object();
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>) {
            j.key("stringValue").string(v);
          } else if constexpr (std::is_same_v<T, bool>) {
            j.key("boolValue").boolean(v);
          } else if constexpr (std::is_same_v<T, int64_t>) {
            j.key("intValue").string(std::to_string(v));
          } else {
            j.key("doubleValue");
            json_double(j, v);
          }
        },
        a.value);
    j.end_object().end_object();
  }
  j.end_array();
}

void json_string_attributes(JsonWriter& j, const Attributes& attributes) {
  j.key("attributes").begin_array();
  for (const auto& [k, v] : attributes)
    json_string_kv(j, k, v);
  j.end_array();
}

void json_resource_and_scope_open(JsonWriter& j, const Resource& resource, std::string_view outer,
                                  std::string_view scope_list) {
  j.begin_object().key(outer).begin_array().begin_object();
  j.key("resource").begin_object().key("attributes").begin_array();
  json_string_kv(j, "service.name", resource.service_name);
  for (const auto& [k, v] : resource.attributes) {
    if (k != "service.name") json_string_kv(j, k, v);
  }
  j.end_array().end_object();
  j.key(scope_list).begin_array().begin_object();
  j.key("scope").begin_object().key("name").string(kScopeName).end_object();
}

void json_close(JsonWriter& j) {
  j.end_array();   // spans / metrics
  j.end_object();  // scope entry
  j.end_array();   // scope list
  j.end_object();  // resource entry
  j.end_array();   // resource list
  j.end_object();
}

void json_span(JsonWriter& j, const SpanData& span) {
  j.begin_object();
  j.key("traceId").string(trace_id_hex(span.trace_id));
  j.key("spanId").string(span_id_hex(span.span_id));
  if (!span.tracestate.empty()) j.key("traceState").string(span.tracestate);
  if (span.parent_span_id != 0) j.key("parentSpanId").string(span_id_hex(span.parent_span_id));
  j.key("flags").integer(kSampledFlag);
  j.key("name").string(span.name);
  j.key("kind").integer(static_cast<int64_t>(span.kind));
  json_u64(j, "startTimeUnixNano", static_cast<uint64_t>(span.start_unix_ns));
  json_u64(j, "endTimeUnixNano", static_cast<uint64_t>(span.end_unix_ns));
  json_attributes(j, span.attributes);
  if (!span.events.empty()) {
    j.key("events").begin_array();
    for (const SpanEvent& e : span.events) {
      j.begin_object();
      json_u64(j, "timeUnixNano", static_cast<uint64_t>(e.time_unix_ns));
      j.key("name").string(e.name);
      json_attributes(j, e.attributes);
      j.end_object();
    }
    j.end_array();
  }
  j.key("status").begin_object();
  if (!span.status_message.empty()) j.key("message").string(span.status_message);
  j.key("code").integer(static_cast<int64_t>(span.status_code));
  j.end_object();
  j.end_object();
}

void json_number_points(JsonWriter& j, const MetricData& m, const MetricsSnapshot& snap,
                        bool with_start) {
  j.key("dataPoints").begin_array();
  for (const MetricPoint& p : m.points) {
    j.begin_object();
    json_string_attributes(j, p.attributes);
    if (with_start) json_u64(j, "startTimeUnixNano", static_cast<uint64_t>(snap.start_unix_ns));
    json_u64(j, "timeUnixNano", static_cast<uint64_t>(snap.time_unix_ns));
    j.key("asDouble");
    json_double(j, p.value);
    j.end_object();
  }
  j.end_array();
}

void json_metric(JsonWriter& j, const MetricData& m, const MetricsSnapshot& snap) {
  j.begin_object();
  j.key("name").string(m.name);
  if (!m.description.empty()) j.key("description").string(m.description);
  if (!m.unit.empty()) j.key("unit").string(m.unit);
  switch (m.kind) {
    case MetricKind::kCounter:
      j.key("sum").begin_object();
      json_number_points(j, m, snap, true);
      j.key("aggregationTemporality").integer(static_cast<int64_t>(pb::kCumulative));
      j.key("isMonotonic").boolean(true);
      j.end_object();
      break;
    case MetricKind::kGauge:
      j.key("gauge").begin_object();
      json_number_points(j, m, snap, false);
      j.end_object();
      break;
    case MetricKind::kHistogram:
      j.key("histogram").begin_object().key("dataPoints").begin_array();
      for (const MetricPoint& p : m.points) {
        const HistogramValue& h = p.histogram;
        j.begin_object();
        json_string_attributes(j, p.attributes);
        json_u64(j, "startTimeUnixNano", static_cast<uint64_t>(snap.start_unix_ns));
        json_u64(j, "timeUnixNano", static_cast<uint64_t>(snap.time_unix_ns));
        json_u64(j, "count", h.count);
        j.key("sum");
        json_double(j, h.sum);
        j.key("bucketCounts").begin_array();
        for (uint64_t c : h.counts)
          j.string(std::to_string(c));
        j.end_array();
        j.key("explicitBounds").begin_array();
        for (double b : h.bounds)
          json_double(j, b);
        j.end_array();
        j.end_object();
      }
      j.end_array();
      j.key("aggregationTemporality").integer(static_cast<int64_t>(pb::kCumulative));
      j.end_object();
      break;
  }
  j.end_object();
}

}  // namespace

std::string encode_spans(std::span<const SpanData> spans, const Resource& resource,
                         OtlpEncoding encoding) {
  std::string out;
  out.reserve(256 + spans.size() * 320);
  if (encoding == OtlpEncoding::kJson) {
    JsonWriter j(out);
    json_resource_and_scope_open(j, resource, "resourceSpans", "scopeSpans");
    j.key("spans").begin_array();
    for (const SpanData& s : spans)
      json_span(j, s);
    json_close(j);
    return out;
  }
  wire::Writer w(out);
  size_t rs = w.begin(pb::kResourceSpans);
  pb_resource(w, resource);
  size_t ss = w.begin(pb::kScopeData);
  pb_scope(w);
  for (const SpanData& s : spans)
    pb_span(w, s);
  w.end(ss);
  w.end(rs);
  return out;
}

std::string encode_metrics(const MetricsSnapshot& snapshot, const Resource& resource,
                           OtlpEncoding encoding) {
  std::string out;
  out.reserve(256 + snapshot.metrics.size() * 256);
  if (encoding == OtlpEncoding::kJson) {
    JsonWriter j(out);
    json_resource_and_scope_open(j, resource, "resourceMetrics", "scopeMetrics");
    j.key("metrics").begin_array();
    for (const MetricData& m : snapshot.metrics)
      json_metric(j, m, snapshot);
    json_close(j);
    return out;
  }
  wire::Writer w(out);
  size_t rm = w.begin(pb::kResourceMetrics);
  pb_resource(w, resource);
  size_t sm = w.begin(pb::kScopeData);
  pb_scope(w);
  for (const MetricData& m : snapshot.metrics)
    pb_metric(w, m, snapshot);
  w.end(sm);
  w.end(rm);
  return out;
}

std::string_view content_type(OtlpEncoding encoding) {
  return encoding == OtlpEncoding::kJson ? "application/json" : "application/x-protobuf";
}

}  // namespace orbit::telemetry
