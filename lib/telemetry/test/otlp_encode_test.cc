#include "orbit/telemetry/otlp_encode.h"

#include <gtest/gtest.h>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/telemetry/otlp_decode.h"

namespace orbit::telemetry {
namespace {

TraceId trace_id() {
  TraceId id{};
  for (size_t i = 0; i < 16; ++i)
    id[i] = static_cast<uint8_t>(0xa0 + i);
  return id;
}

Resource resource() {
  return Resource{"orbit-router",
                  {{"service.version", "1.2.3"},
                   {"deployment.environment", "prod"},
                   {"service.name", "ignored"}}};
}

std::vector<SpanData> sample_spans() {
  SpanData server;
  server.trace_id = trace_id();
  server.span_id = 0x1122334455667788ULL;
  server.parent_span_id = 0x0102030405060708ULL;
  server.tracestate = "rojo=1";
  server.name = "POST /graphql";
  server.kind = SpanKind::kServer;
  server.start_unix_ns = 1'700'000'000'000'000'001;
  server.end_unix_ns = 1'700'000'000'250'000'000;
  server.attributes = {{"http.request.method", std::string("POST")},
                       {"http.response.status_code", int64_t{200}},
                       {"negative", int64_t{-5}},
                       {"ratio", 0.25},
                       {"cache.hit", true},
                       {"zero", int64_t{0}},
                       {"false", false}};
  server.status_code = StatusCode::kError;
  server.status_message = "subgraph failed";
  server.events.push_back(
      SpanEvent{1'700'000'000'100'000'000, "exception", {{"exception.message", std::string("x")}}});
  SpanData child;
  child.trace_id = trace_id();
  child.span_id = 2;
  child.parent_span_id = server.span_id;
  child.name = "parse";
  child.kind = SpanKind::kInternal;
  child.start_unix_ns = 5;
  child.end_unix_ns = 6;
  return {server, child};
}

MetricsSnapshot sample_metrics() {
  MetricsSnapshot s;
  s.start_unix_ns = 1'000;
  s.time_unix_ns = 2'000;
  MetricData counter{"orbit_router_requests_total", "Requests", "1", MetricKind::kCounter, {}};
  counter.points.push_back(MetricPoint{{{"status", "200"}}, 42, {}});
  counter.points.push_back(MetricPoint{{{"status", "500"}}, 1, {}});
  MetricData gauge{"orbit_router_inflight_requests", "", "1", MetricKind::kGauge, {}};
  gauge.points.push_back(MetricPoint{{}, 3.5, {}});
  MetricData hist{
      "orbit_router_request_duration_seconds", "Latency", "s", MetricKind::kHistogram, {}};
  MetricPoint hp;
  hp.attributes = {{"operation", "GetMe"}};
  hp.histogram = HistogramValue{{0.005, 0.01, 0.1}, {1, 2, 3, 4}, 10, 1.25};
  hist.points.push_back(hp);
  s.metrics = {counter, gauge, hist};
  return s;
}

TEST(OtlpProtobuf, SpansRoundTrip) {
  std::vector<SpanData> spans = sample_spans();
  std::string body = encode_spans(spans, resource(), OtlpEncoding::kProtobuf);
  Result<DecodedSpans> d = decode_spans(body);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->resource.service_name, "orbit-router");
  ASSERT_EQ(d->resource.attributes.size(), 2u);  // the duplicate service.name is left out
  EXPECT_EQ(d->resource.attributes[0],
            (std::pair<std::string, std::string>{"service.version", "1.2.3"}));
  EXPECT_EQ(d->scope_name, kScopeName);
  ASSERT_EQ(d->spans.size(), 2u);
  const DecodedSpan& s = d->spans[0];
  EXPECT_EQ(s.trace_id, spans[0].trace_id);
  EXPECT_EQ(s.span_id, spans[0].span_id);
  EXPECT_EQ(s.parent_span_id, spans[0].parent_span_id);
  EXPECT_EQ(s.tracestate, "rojo=1");
  EXPECT_EQ(s.name, "POST /graphql");
  EXPECT_EQ(s.kind, SpanKind::kServer);
  EXPECT_EQ(s.start_unix_ns, spans[0].start_unix_ns);
  EXPECT_EQ(s.end_unix_ns, spans[0].end_unix_ns);
  EXPECT_EQ(s.status_code, StatusCode::kError);
  EXPECT_EQ(s.status_message, "subgraph failed");
  EXPECT_EQ(s.flags & 1u, 1u);
  ASSERT_EQ(s.attributes.size(), spans[0].attributes.size());
  for (size_t i = 0; i < s.attributes.size(); ++i) {
    EXPECT_EQ(s.attributes[i].key, spans[0].attributes[i].key);
    EXPECT_EQ(s.attributes[i].value, spans[0].attributes[i].value) << s.attributes[i].key;
  }
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0].name, "exception");
  EXPECT_EQ(s.events[0].time_unix_ns, 1'700'000'000'100'000'000);
  EXPECT_EQ(std::get<std::string>(s.events[0].attributes[0].value), "x");
  EXPECT_EQ(d->spans[1].parent_span_id, spans[0].span_id);
  EXPECT_EQ(d->spans[1].kind, SpanKind::kInternal);
  EXPECT_EQ(d->spans[1].status_code, StatusCode::kUnset);
}

TEST(OtlpProtobuf, LargeBatchesHaveMultiByteLengths) {
  std::vector<SpanData> spans;
  for (int i = 0; i < 500; ++i) {
    SpanData s = sample_spans()[0];
    s.span_id = static_cast<uint64_t>(i + 1);
    s.name = std::string(static_cast<size_t>(i % 300), 'n');
    spans.push_back(s);
  }
  std::string body = encode_spans(spans, resource(), OtlpEncoding::kProtobuf);
  EXPECT_GT(body.size(), 100'000u);
  Result<DecodedSpans> d = decode_spans(body);
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->spans.size(), 500u);
  EXPECT_EQ(d->spans[499].span_id, 500u);
  EXPECT_EQ(d->spans[299].name.size(), 299u);
}

TEST(OtlpProtobuf, MetricsRoundTrip) {
  MetricsSnapshot snap = sample_metrics();
  Result<DecodedMetrics> d =
      decode_metrics(encode_metrics(snap, resource(), OtlpEncoding::kProtobuf));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->resource.service_name, "orbit-router");
  EXPECT_EQ(d->start_unix_ns, 1'000);
  EXPECT_EQ(d->time_unix_ns, 2'000);
  ASSERT_EQ(d->metrics.size(), 3u);
  const DecodedMetric& c = d->metrics[0];
  EXPECT_EQ(c.name, "orbit_router_requests_total");
  EXPECT_EQ(c.description, "Requests");
  EXPECT_EQ(c.unit, "1");
  EXPECT_EQ(c.kind, MetricKind::kCounter);
  EXPECT_TRUE(c.monotonic);
  EXPECT_EQ(c.temporality, 2);
  ASSERT_EQ(c.points.size(), 2u);
  EXPECT_EQ(c.points[0].value, 42);
  EXPECT_EQ(c.points[1].attributes[0].second, "500");
  EXPECT_EQ(d->metrics[1].kind, MetricKind::kGauge);
  EXPECT_EQ(d->metrics[1].points[0].value, 3.5);
  const DecodedMetric& h = d->metrics[2];
  EXPECT_EQ(h.kind, MetricKind::kHistogram);
  EXPECT_EQ(h.temporality, 2);
  ASSERT_EQ(h.points.size(), 1u);
  EXPECT_EQ(h.points[0].histogram.bounds, (std::vector<double>{0.005, 0.01, 0.1}));
  EXPECT_EQ(h.points[0].histogram.counts, (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(h.points[0].histogram.count, 10u);
  EXPECT_EQ(h.points[0].histogram.sum, 1.25);
  EXPECT_EQ(h.points[0].attributes[0].first, "operation");
}

TEST(OtlpProtobuf, DecoderRejectsMalformedInput) {
  std::string body = encode_spans(sample_spans(), resource(), OtlpEncoding::kProtobuf);
  // Every truncation is either an error or (cut at a field boundary) a shorter valid message;
  // none crashes.
  size_t errors = 0;
  for (size_t n = 0; n < body.size(); ++n)
    errors += !decode_spans(body.substr(0, n)).ok();
  EXPECT_GT(errors, body.size() / 2);
  EXPECT_FALSE(decode_spans("\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01").ok());
  EXPECT_FALSE(decode_spans(std::string("\x0b", 1)).ok());      // wire type 3 (group)
  EXPECT_FALSE(decode_spans(std::string("\x00\x00", 2)).ok());  // field 0
  EXPECT_TRUE(decode_spans("").ok());  // an empty request is valid protobuf
  EXPECT_FALSE(decode_metrics("\x0a\x05\x12\x03\x12\x01\x0a").ok());
}

TEST(OtlpProtobuf, UnknownFieldsAreSkipped) {
  std::string body = encode_spans(sample_spans(), resource(), OtlpEncoding::kProtobuf);
  // Field 99 varint, field 98 fixed32 and field 97 bytes in front of the request.
  std::string prefix = "\x98\x06\x05\xc5\x06\x01\x02\x03\x04\x8a\x06\x02hi";
  Result<DecodedSpans> d = decode_spans(prefix + body);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->spans.size(), 2u);
}

// ---- JSON ----

const JsonValue& at(const JsonValue& v, std::string_view key) {
  const JsonValue* m = v.find(key);
  static const JsonValue kNull;
  EXPECT_NE(m, nullptr) << "missing " << key;
  return m ? *m : kNull;
}

TEST(OtlpJson, SpansFieldByField) {
  std::string body = encode_spans(sample_spans(), resource(), OtlpEncoding::kJson);
  Arena arena;
  Result<JsonValue> doc = parse_json(body, arena);
  ASSERT_TRUE(doc.ok()) << doc.status().message() << "\n" << body;
  const JsonValue& rs = at(*doc, "resourceSpans").items()[0];
  const JsonValue& rattrs = at(at(rs, "resource"), "attributes");
  ASSERT_EQ(rattrs.size(), 3u);
  EXPECT_EQ(at(rattrs.items()[0], "key").as_string(), "service.name");
  EXPECT_EQ(at(at(rattrs.items()[0], "value"), "stringValue").as_string(), "orbit-router");
  const JsonValue& ss = at(rs, "scopeSpans").items()[0];
  EXPECT_EQ(at(at(ss, "scope"), "name").as_string(), kScopeName);
  const JsonValue& spans = at(ss, "spans");
  ASSERT_EQ(spans.size(), 2u);
  const JsonValue& s = spans.items()[0];
  EXPECT_EQ(at(s, "traceId").as_string(), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
  EXPECT_EQ(at(s, "spanId").as_string(), "1122334455667788");
  EXPECT_EQ(at(s, "parentSpanId").as_string(), "0102030405060708");
  EXPECT_EQ(at(s, "traceState").as_string(), "rojo=1");
  EXPECT_EQ(at(s, "name").as_string(), "POST /graphql");
  EXPECT_EQ(at(s, "kind").as_int64(), 2);
  EXPECT_EQ(at(s, "startTimeUnixNano").as_string(), "1700000000000000001");
  EXPECT_EQ(at(s, "endTimeUnixNano").as_string(), "1700000000250000000");
  EXPECT_EQ(at(at(s, "status"), "code").as_int64(), 2);
  EXPECT_EQ(at(at(s, "status"), "message").as_string(), "subgraph failed");
  const JsonValue& attrs = at(s, "attributes");
  ASSERT_EQ(attrs.size(), 7u);
  EXPECT_EQ(at(at(attrs.items()[0], "value"), "stringValue").as_string(), "POST");
  EXPECT_EQ(at(at(attrs.items()[1], "value"), "intValue").as_string(), "200");  // int64: string
  EXPECT_EQ(at(at(attrs.items()[2], "value"), "intValue").as_string(), "-5");
  EXPECT_EQ(at(at(attrs.items()[3], "value"), "doubleValue").as_double(), 0.25);
  EXPECT_TRUE(at(at(attrs.items()[4], "value"), "boolValue").as_bool());
  const JsonValue& ev = at(s, "events").items()[0];
  EXPECT_EQ(at(ev, "timeUnixNano").as_string(), "1700000000100000000");
  EXPECT_EQ(at(ev, "name").as_string(), "exception");
  // The child has no tracestate; its parentSpanId is the server span.
  const JsonValue& c = spans.items()[1];
  EXPECT_EQ(c.find("traceState"), nullptr);
  EXPECT_EQ(at(c, "parentSpanId").as_string(), "1122334455667788");
  EXPECT_EQ(at(at(c, "status"), "code").as_int64(), 0);
}

TEST(OtlpJson, MetricsFieldByField) {
  std::string body = encode_metrics(sample_metrics(), resource(), OtlpEncoding::kJson);
  Arena arena;
  Result<JsonValue> doc = parse_json(body, arena);
  ASSERT_TRUE(doc.ok()) << doc.status().message() << "\n" << body;
  const JsonValue& sm = at(at(*doc, "resourceMetrics").items()[0], "scopeMetrics").items()[0];
  const JsonValue& metrics = at(sm, "metrics");
  ASSERT_EQ(metrics.size(), 3u);
  const JsonValue& counter = metrics.items()[0];
  EXPECT_EQ(at(counter, "name").as_string(), "orbit_router_requests_total");
  EXPECT_EQ(at(counter, "unit").as_string(), "1");
  const JsonValue& sum = at(counter, "sum");
  EXPECT_EQ(at(sum, "aggregationTemporality").as_int64(), 2);
  EXPECT_TRUE(at(sum, "isMonotonic").as_bool());
  const JsonValue& p0 = at(sum, "dataPoints").items()[0];
  EXPECT_EQ(at(p0, "asDouble").as_double(), 42);
  EXPECT_EQ(at(p0, "startTimeUnixNano").as_string(), "1000");
  EXPECT_EQ(at(p0, "timeUnixNano").as_string(), "2000");
  EXPECT_EQ(at(at(at(p0, "attributes").items()[0], "value"), "stringValue").as_string(), "200");
  const JsonValue& gauge = at(metrics.items()[1], "gauge");
  EXPECT_EQ(at(at(gauge, "dataPoints").items()[0], "asDouble").as_double(), 3.5);
  EXPECT_EQ(at(gauge, "dataPoints").items()[0].find("startTimeUnixNano"), nullptr);
  const JsonValue& hist = at(metrics.items()[2], "histogram");
  EXPECT_EQ(at(hist, "aggregationTemporality").as_int64(), 2);
  const JsonValue& hp = at(hist, "dataPoints").items()[0];
  EXPECT_EQ(at(hp, "count").as_string(), "10");
  EXPECT_EQ(at(hp, "sum").as_double(), 1.25);
  ASSERT_EQ(at(hp, "bucketCounts").size(), 4u);
  EXPECT_EQ(at(hp, "bucketCounts").items()[3].as_string(), "4");
  ASSERT_EQ(at(hp, "explicitBounds").size(), 3u);
  EXPECT_EQ(at(hp, "explicitBounds").items()[0].as_double(), 0.005);
}

TEST(OtlpJson, NonFiniteDoublesAreStrings) {
  MetricsSnapshot s;
  MetricData g{"g", "", "", MetricKind::kGauge, {}};
  g.points.push_back(MetricPoint{{}, std::numeric_limits<double>::infinity(), {}});
  s.metrics = {g};
  std::string body = encode_metrics(s, resource(), OtlpEncoding::kJson);
  EXPECT_NE(body.find("\"asDouble\":\"Infinity\""), std::string::npos) << body;
}

TEST(Otlp, ContentTypes) {
  EXPECT_EQ(content_type(OtlpEncoding::kProtobuf), "application/x-protobuf");
  EXPECT_EQ(content_type(OtlpEncoding::kJson), "application/json");
}

}  // namespace
}  // namespace orbit::telemetry
