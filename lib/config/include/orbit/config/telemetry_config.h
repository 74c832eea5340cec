// The router's telemetry settings: the `telemetry:` section of router.yaml, completed by the
// standard OpenTelemetry environment variables (OTEL_*). What each setting does is in
// docs/observability.md; lib/telemetry and lib/router act on them.
//
//   telemetry:
//     service_name: orbit-router            # OTEL_SERVICE_NAME
//     resource_attributes: {deployment.environment: prod}   # + OTEL_RESOURCE_ATTRIBUTES
//     client_name_header: graphql-client-name
//     client_version_header: graphql-client-version
//     exporters:                            # OTLP over HTTP; OTEL_EXPORTER_OTLP_* add one
//       - endpoint: http://127.0.0.1:4318   # /v1/traces and /v1/metrics are appended
//         encoding: protobuf                # or json
//         compression: none                 # or gzip (costs CPU; for remote endpoints)
//         headers: {DD-API-KEY: "${env.DD_API_KEY}"}
//         timeout: 10s
//         signals: [traces, metrics]
//     tracing:
//       sampler: 0.1                        # ratio of new traces kept; OTEL_TRACES_SAMPLER(_ARG)
//       parent_based: true                  # a sampled/unsampled parent decides
//       propagation: [tracecontext]         # + baggage-free b3, b3multi, datadog; OTEL_PROPAGATORS
//       max_queue_spans: 4096
//       max_export_batch: 512
//       export_interval: 2s
//     metrics:
//       enabled: true                       # request and subgraph metrics
//       prometheus: {listen: 127.0.0.1:9464, path: /metrics}
//       export_interval: 15s                # OTLP metrics (exporters with the metrics signal)
//       latency_buckets: [1ms, 5ms, …]
//     access_log:
//       path: stdout                        # or a file
//       fields: [time, trace_id, operation_name, …]
//     usage:                                # usage analytics to the control plane
//       endpoint: http://controlplane:8080/v1/usage
//       graph_token: "${env.GRAPH_API_TOKEN}" # default: the managed section's token
//       report_interval: 60s
//       max_queue_batches: 64
//       max_batch_operations: 2000
//       timeout: 10s
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace orbit::config {

enum class TelemetrySignal : uint8_t { kTraces = 1, kMetrics = 2 };

// One OTLP/HTTP destination (a collector, Datadog's or New Relic's OTLP intake, …).
struct OtlpExporterConfig {
  // Base URL, "http(s)://host:port[/prefix]"; the signal's path (/v1/traces, /v1/metrics) is
  // appended. `traces_endpoint` / `metrics_endpoint` are full URLs used as they are
  // (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT …); empty: base + path.
  std::string endpoint;
  std::string traces_endpoint;
  std::string metrics_endpoint;
  enum class Encoding : uint8_t { kProtobuf, kJson } encoding = Encoding::kProtobuf;
  bool gzip = false;  // OTLP's default: no compression
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{10'000};
  uint8_t signals = static_cast<uint8_t>(TelemetrySignal::kTraces) |
                    static_cast<uint8_t>(TelemetrySignal::kMetrics);

  bool exports(TelemetrySignal s) const { return (signals & static_cast<uint8_t>(s)) != 0; }
  // The URL a signal is posted to.
  std::string url_for(TelemetrySignal s) const;
};

enum class Propagation : uint8_t {
  kTraceContext,  // W3C traceparent / tracestate
  kB3,            // one `b3` header
  kB3Multi,       // X-B3-TraceId, X-B3-SpanId, X-B3-Sampled
  kDatadog,       // x-datadog-trace-id, x-datadog-parent-id, x-datadog-sampling-priority
};

struct TracingConfig {
  // Spans are recorded and exported when some exporter takes traces.
  double sampler_ratio = 1.0;  // of new traces (no sampled parent)
  bool parent_based = true;    // a parent's sampled flag decides
  std::vector<Propagation> propagation{Propagation::kTraceContext};
  uint32_t max_queue_spans = 4096;  // spans waiting for export; more are dropped and counted
  uint32_t max_export_batch = 512;
  std::chrono::milliseconds export_interval{2'000};
};

struct PrometheusConfig {
  bool enabled = false;
  std::string host = "127.0.0.1";  // own listen address, apart from the GraphQL one
  uint16_t port = 9464;
  std::string path = "/metrics";
};

struct MetricsConfig {
  // Request and subgraph metrics recorded (false: /metrics keeps the config and reload series).
  bool enabled = true;
  PrometheusConfig prometheus;
  std::chrono::milliseconds export_interval{15'000};  // OTLP metric export
  // Upper bounds of the latency histograms (request and subgraph), ascending.
  std::vector<std::chrono::microseconds> latency_buckets;  // empty: the default buckets
};

struct AccessLogConfig {
  bool enabled = false;
  std::string path;                 // empty or "stdout": standard output
  std::vector<std::string> fields;  // empty: the default fields (docs/observability.md)
};

struct UsageReportingConfig {
  bool enabled = false;     // a `usage:` section with an endpoint
  std::string endpoint;     // full URL of the control plane's POST /v1/usage
  std::string graph_token;  // empty: the managed section's token, else GRAPH_API_TOKEN
  std::chrono::milliseconds report_interval{60'000};
  uint32_t max_queue_batches = 64;
  uint32_t max_batch_operations = 2000;
  std::chrono::milliseconds timeout{10'000};
};

struct TelemetryConfig {
  std::string service_name = "orbit-router";
  std::vector<std::pair<std::string, std::string>> resource_attributes;
  std::string client_name_header = "graphql-client-name";
  std::string client_version_header = "graphql-client-version";
  std::vector<OtlpExporterConfig> exporters;
  TracingConfig tracing;
  MetricsConfig metrics;
  AccessLogConfig access_log;
  UsageReportingConfig usage;

  bool tracing_enabled() const;  // some exporter takes traces and the sampler keeps any
  bool otlp_metrics_enabled() const;
};

}  // namespace orbit::config
