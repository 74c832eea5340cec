// SpanWriter: records spans straight as OTLP protobuf `Span` messages (each one a
// `ScopeSpans.spans` field), without building a SpanData first — the form the exporter queues,
// batches and sends (OtlpExporter::export_spans_with, encode_span_messages in otlp_encode.h).
//
//   writer.begin(trace, span id, parent, tracestate, kind, start, end, "subgraph ", name)
//   writer.attribute("http.request.method", "POST");  …   writer.status(kError, "HTTP ", "503")
//   writer.end();
//
// Keys, values and name parts are string views copied into the output as they are written, so
// nothing needs to outlive the call; nothing is allocated but the output's growth. The bytes
// equal those encode_spans() writes for the same span with the same attribute order
// (write(SpanData) is that path), and decode_spans() reads them back.
//
// Not thread-safe; one writer per output string, used by one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "orbit/telemetry/span.h"

namespace orbit::telemetry {

class SpanWriter {
 public:
  // Appends to `out`.
  explicit SpanWriter(std::string& out) : out_(out) {}

  // Opens a span; its name is the concatenation of the parts. `tracestate` may be empty.
  void begin(const TraceId& trace_id, uint64_t span_id, uint64_t parent_span_id,
             std::string_view tracestate, SpanKind kind, int64_t start_unix_ns, int64_t end_unix_ns,
             std::string_view name, std::string_view name2 = {}, std::string_view name3 = {});
  void attribute(std::string_view key, std::string_view value);
  void attribute(std::string_view key, const char* value) {
    attribute(key, std::string_view(value));
  }
  void attribute(std::string_view key, int64_t value);
  void attribute(std::string_view key, double value);
  void attribute(std::string_view key, bool value);
  // At most once per span; kUnset writes nothing. The message is the concatenation of the
  // parts (OTLP wants one with kError only).
  void status(StatusCode code, std::string_view message = {}, std::string_view message2 = {},
              std::string_view message3 = {});
  // Closes the span opened by begin().
  void end();

  // One whole SpanData (events included).
  void write(const SpanData& span);

  // Spans ended so far.
  size_t spans() const { return spans_; }

 private:
  // An attribute's KeyValue header, its key and its AnyValue header for `any_len` bytes.
  void key_value_head(std::string_view key, size_t any_len);
  void scalar_attribute(std::string_view key, const char* value, size_t value_len);

  std::string& out_;
  size_t span_start_ = 0;
  size_t spans_ = 0;
};

}  // namespace orbit::telemetry
