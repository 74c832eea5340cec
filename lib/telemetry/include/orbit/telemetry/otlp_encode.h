// OTLP encoding: spans and metric snapshots as the bodies of OTLP/HTTP requests —
// ExportTraceServiceRequest (POST /v1/traces) and ExportMetricsServiceRequest (POST /v1/metrics),
// in binary protobuf (application/x-protobuf) or OTLP JSON (application/json).
//
//   SpanData…      + Resource ─► encode_spans()   ─► request body
//   Span messages  + Resource ─► encode_span_messages() (SpanWriter output, see span_writer.h)
//   MetricsSnapshot + Resource ─► encode_metrics() ─► request body
//
// The protobuf is written by hand (no generated code) with the field numbers of the OTLP proto
// definitions (opentelemetry/proto/{trace,metrics,common,resource}/v1); otlp_decode.h reads it
// back for tests. OTLP JSON follows the protobuf JSON mapping with OTLP's exceptions: trace and
// span ids are hex strings, 64-bit integers (timestamps, int attributes, counts) are decimal
// strings, enums are numbers, field names are lowerCamelCase.
//
// Metrics map one to one: a counter is a monotonic cumulative Sum, a gauge a Gauge, a
// histogram a cumulative explicit-bucket Histogram; every value is a double.
//
// Pure functions; safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "orbit/telemetry/metric_data.h"
#include "orbit/telemetry/span.h"

namespace orbit::telemetry {

enum class OtlpEncoding : uint8_t { kProtobuf, kJson };

// The entity producing the telemetry. `service_name` is written as the service.name attribute,
// before `attributes` (service.version, deployment.environment, host.name, …); an entry of
// `attributes` named service.name is then left out.
struct Resource {
  std::string service_name;
  Attributes attributes;
};

// The instrumentation scope every span and metric is reported under.
inline constexpr std::string_view kScopeName = "orbit.router";

std::string encode_spans(std::span<const SpanData> spans, const Resource& resource,
                         OtlpEncoding encoding);
// The same request around Span messages already encoded by a SpanWriter (span_writer.h), one
// after another: protobuf copies them once behind the resource and scope; JSON reads them back
// first (decode_spans) and writes them as encode_spans does.
std::string encode_span_messages(std::string_view span_messages, const Resource& resource,
                                 OtlpEncoding encoding);
std::string encode_metrics(const MetricsSnapshot& snapshot, const Resource& resource,
                           OtlpEncoding encoding);

// "application/x-protobuf" or "application/json".
std::string_view content_type(OtlpEncoding encoding);

}  // namespace orbit::telemetry
