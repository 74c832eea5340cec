#include "orbit/telemetry/otlp_encode.h"

#include <cmath>

#include "orbit/base/json_writer.h"
#include "orbit/telemetry/otlp_decode.h"
#include "orbit/telemetry/span_writer.h"
#include "otlp_fields.h"
#include "protobuf_wire.h"

namespace orbit::telemetry {

namespace {

// ---- protobuf ----

void pb_string_kv(wire::Writer& w, uint32_t field, std::string_view key, std::string_view value) {
  size_t kv = w.begin(field);
  w.bytes(pb::kKey, key);
  size_t any = w.begin(pb::kValue);
  w.bytes(pb::kStringValue, value);
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
  std::string messages;
  messages.reserve(spans.size() * 320);
  SpanWriter writer(messages);
  for (const SpanData& s : spans)
    writer.write(s);
  return encode_span_messages(messages, resource, encoding);
}

std::string encode_span_messages(std::string_view span_messages, const Resource& resource,
                                 OtlpEncoding encoding) {
  if (encoding == OtlpEncoding::kJson) {
    std::string body;
    body.reserve(span_messages.size() + 64);
    wire::Writer w(body);
    size_t rs = w.begin(pb::kResourceSpans);
    size_t ss = w.begin(pb::kScopeData);
    body.append(span_messages);
    w.end(ss);
    w.end(rs);
    Result<DecodedSpans> decoded = decode_spans(body);
    if (!decoded.ok()) return {};
    std::vector<SpanData> spans(decoded->spans.begin(), decoded->spans.end());
    return encode_spans(spans, resource, encoding);
  }
  // Lengths first, so that the messages are copied once and never moved.
  std::string parts;
  wire::Writer pw(parts);
  pb_resource(pw, resource);
  const size_t resource_len = parts.size();
  pb_scope(pw);
  const size_t scope_spans_len = parts.size() - resource_len + span_messages.size();
  const size_t resource_spans_len =
      resource_len + 1 + wire::varint_size(scope_spans_len) + scope_spans_len;
  std::string out;
  out.reserve(resource_spans_len + 8);
  wire::Writer w(out);
  w.tag(pb::kResourceSpans, wire::kLen);
  wire::append_varint(out, resource_spans_len);
  out.append(parts, 0, resource_len);
  w.tag(pb::kScopeData, wire::kLen);
  wire::append_varint(out, scope_spans_len);
  out.append(parts, resource_len);
  out.append(span_messages);
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
