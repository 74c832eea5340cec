#include "orbit/telemetry/span_writer.h"

#include <gtest/gtest.h>

#include "orbit/telemetry/otlp_decode.h"
#include "orbit/telemetry/otlp_encode.h"

namespace orbit::telemetry {
namespace {

TraceId trace_id() {
  TraceId id{};
  for (size_t i = 0; i < 16; ++i)
    id[i] = static_cast<uint8_t>(0x10 + i);
  return id;
}

Resource resource() {
  return Resource{"svc", {{"service.version", "2"}}};
}

TEST(SpanWriter, PartsAttributesAndStatusReadBack) {
  std::string messages;
  SpanWriter w(messages);
  w.begin(trace_id(), 0xabcdef, 0x1234, "k=v", SpanKind::kClient, 100, 250, "subgraph ",
          "products");
  w.attribute("orbit.subgraph.name", std::string_view("products"));
  w.attribute("server.port", int64_t{4001});
  w.attribute("ratio", 0.5);
  w.attribute("orbit.deduplicated", true);
  w.attribute("http.request.method", "POST");
  w.attribute("negative", int64_t{-5});  // ten varint bytes
  w.attribute("empty", std::string_view());
  w.status(StatusCode::kError, "HTTP ", "503");
  w.end();
  w.begin(trace_id(), 7, 0, "", SpanKind::kInternal, 1, 2, "parse");
  w.status(StatusCode::kUnset, "ignored");
  w.end();
  EXPECT_EQ(w.spans(), 2u);

  Result<DecodedSpans> d =
      decode_spans(encode_span_messages(messages, resource(), OtlpEncoding::kProtobuf));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->resource.service_name, "svc");
  EXPECT_EQ(d->scope_name, kScopeName);
  ASSERT_EQ(d->spans.size(), 2u);
  const DecodedSpan& s = d->spans[0];
  EXPECT_EQ(s.trace_id, trace_id());
  EXPECT_EQ(s.span_id, 0xabcdefu);
  EXPECT_EQ(s.parent_span_id, 0x1234u);
  EXPECT_EQ(s.tracestate, "k=v");
  EXPECT_EQ(s.name, "subgraph products");
  EXPECT_EQ(s.kind, SpanKind::kClient);
  EXPECT_EQ(s.start_unix_ns, 100);
  EXPECT_EQ(s.end_unix_ns, 250);
  EXPECT_EQ(s.flags, 1u);
  ASSERT_EQ(s.attributes.size(), 7u);
  EXPECT_EQ(s.attributes[0].key, "orbit.subgraph.name");
  EXPECT_EQ(std::get<std::string>(s.attributes[0].value), "products");
  EXPECT_EQ(std::get<int64_t>(s.attributes[1].value), 4001);
  EXPECT_EQ(std::get<double>(s.attributes[2].value), 0.5);
  EXPECT_EQ(std::get<bool>(s.attributes[3].value), true);
  EXPECT_EQ(std::get<std::string>(s.attributes[4].value), "POST");
  EXPECT_EQ(std::get<int64_t>(s.attributes[5].value), -5);
  EXPECT_EQ(s.attributes[6].key, "empty");
  EXPECT_EQ(std::get<std::string>(s.attributes[6].value), "");
  EXPECT_EQ(s.status_code, StatusCode::kError);
  EXPECT_EQ(s.status_message, "HTTP 503");
  const DecodedSpan& p = d->spans[1];
  EXPECT_EQ(p.name, "parse");
  EXPECT_EQ(p.parent_span_id, 0u);
  EXPECT_TRUE(p.tracestate.empty());
  EXPECT_EQ(p.status_code, StatusCode::kUnset);
  EXPECT_TRUE(p.attributes.empty());
}

TEST(SpanWriter, LongSpansAndValuesGetTheirLengthsRight) {
  // Lengths over 127 and 16383 bytes take two and three varint bytes.
  std::string messages;
  SpanWriter w(messages);
  const std::string big(20'000, 'x');
  w.begin(trace_id(), 1, 0, "", SpanKind::kServer, 1, 2, "POST", " ", "/graphql");
  w.attribute("a", std::string_view(big.data(), 200));
  w.attribute("b", std::string_view(big));
  w.end();
  Result<DecodedSpans> d =
      decode_spans(encode_span_messages(messages, resource(), OtlpEncoding::kProtobuf));
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->spans.size(), 1u);
  EXPECT_EQ(d->spans[0].name, "POST /graphql");
  EXPECT_EQ(std::get<std::string>(d->spans[0].attributes[0].value).size(), 200u);
  EXPECT_EQ(std::get<std::string>(d->spans[0].attributes[1].value), big);
}

TEST(SpanWriter, WriteOfSpanDataIsWhatEncodeSpansSends) {
  SpanData s;
  s.trace_id = trace_id();
  s.span_id = 9;
  s.parent_span_id = 3;
  s.name = "execute";
  s.attributes = {{"x", int64_t{-1}}, {"y", std::string("z")}};
  s.events.push_back(SpanEvent{5, "exception", {{"exception.message", std::string("boom")}}});
  s.status_code = StatusCode::kError;
  s.status_message = "failed";
  std::string messages;
  SpanWriter w(messages);
  w.write(s);
  w.write(s);
  std::vector<SpanData> two{s, s};
  EXPECT_EQ(encode_span_messages(messages, resource(), OtlpEncoding::kProtobuf),
            encode_spans(two, resource(), OtlpEncoding::kProtobuf));
  // JSON from messages reads them back first: the same text as from the SpanData.
  EXPECT_EQ(encode_span_messages(messages, resource(), OtlpEncoding::kJson),
            encode_spans(two, resource(), OtlpEncoding::kJson));
  Result<DecodedSpans> d =
      decode_spans(encode_span_messages(messages, resource(), OtlpEncoding::kProtobuf));
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->spans.size(), 2u);
  ASSERT_EQ(d->spans[1].events.size(), 1u);
  EXPECT_EQ(d->spans[1].events[0].name, "exception");
  EXPECT_EQ(d->spans[1].status_message, "failed");
}

TEST(SpanWriter, EmptyMessagesMakeAValidEmptyRequest) {
  Result<DecodedSpans> d =
      decode_spans(encode_span_messages("", resource(), OtlpEncoding::kProtobuf));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->resource.service_name, "svc");
  EXPECT_TRUE(d->spans.empty());
}

}  // namespace
}  // namespace orbit::telemetry
