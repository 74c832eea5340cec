// SpanData: one finished span as the OTLP encoder reads it — plain data, built by whoever
// records spans (the router's tracing observer) and handed to OtlpExporter::export_spans().
// Field meanings follow the OpenTelemetry trace data model; enum values are OTLP's numbers.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "orbit/telemetry/trace_context.h"

namespace orbit::telemetry {

enum class SpanKind : uint8_t {
  kUnspecified = 0,
  kInternal = 1,
  kServer = 2,
  kClient = 3,
  kProducer = 4,
  kConsumer = 5,
};

enum class StatusCode : uint8_t { kUnset = 0, kOk = 1, kError = 2 };

// A string, int64, double or bool. (A string literal becomes a string, an int an int64.)
using AttributeValue = std::variant<std::string, int64_t, double, bool>;

struct SpanAttribute {
  std::string key;
  AttributeValue value;
};
using SpanAttributes = std::vector<SpanAttribute>;

struct SpanEvent {
  int64_t time_unix_ns = 0;
  std::string name;
  SpanAttributes attributes;
};

struct SpanData {
  TraceId trace_id{};
  uint64_t span_id = 0;
  uint64_t parent_span_id = 0;  // 0: a root span
  std::string tracestate;       // W3C tracestate of the trace, as received
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  int64_t start_unix_ns = 0;
  int64_t end_unix_ns = 0;
  SpanAttributes attributes;
  StatusCode status_code = StatusCode::kUnset;
  std::string status_message;  // only with kError
  std::vector<SpanEvent> events;
};

}  // namespace orbit::telemetry
