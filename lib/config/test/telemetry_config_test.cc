// The `telemetry:` section of router.yaml and the OTEL_* environment variables.
#include <gtest/gtest.h>

#include <map>

#include "orbit/config/router_config.h"

namespace orbit::config {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Result<RouterConfig> parse(std::string_view yaml, std::map<std::string, std::string> env = {}) {
  return parse_router_config(yaml, "router.yaml", "", env_of(std::move(env)));
}

TEST(TelemetryConfigTest, DefaultsExportNothing) {
  auto c = parse("listen: 127.0.0.1:4000\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  const TelemetryConfig& t = c->telemetry;
  EXPECT_EQ(t.service_name, "orbit-router");
  EXPECT_EQ(t.client_name_header, "graphql-client-name");
  EXPECT_EQ(t.client_version_header, "graphql-client-version");
  EXPECT_TRUE(t.exporters.empty());
  EXPECT_FALSE(t.tracing_enabled());
  EXPECT_FALSE(t.otlp_metrics_enabled());
  EXPECT_FALSE(t.metrics.prometheus.enabled);
  EXPECT_FALSE(t.access_log.enabled);
  EXPECT_FALSE(t.usage.enabled);
}

TEST(TelemetryConfigTest, EveryKey) {
  auto c = parse(R"(
telemetry:
  service_name: shop-router
  resource_attributes: {deployment.environment: prod}
  client_name_header: x-client
  client_version_header: x-client-version
  exporters:
    - endpoint: http://127.0.0.1:4318/
      encoding: json
      headers: {DD-API-KEY: "${env.DD_KEY}"}
      timeout: 3s
      signals: [traces]
    - traces_endpoint: https://otlp.example.com/v1/traces
      metrics_endpoint: https://otlp.example.com/v1/metrics
      compression: gzip
  tracing:
    sampler: 0.25
    parent_based: false
    propagation: [tracecontext, b3, datadog]
    max_queue_spans: 100
    max_export_batch: 10
    export_interval: 500ms
  metrics:
    prometheus: {listen: 127.0.0.1:0, path: /prom}
    export_interval: 1s
    latency_buckets: [250us, 1ms, 1s]
  access_log:
    path: /var/log/orbit/access.log
    fields: [time, status, operation_name]
  usage:
    endpoint: http://127.0.0.1:8080/v1/usage
    graph_token: tok
    report_interval: 5s
    max_queue_batches: 3
    max_batch_operations: 50
    timeout: 2s
)",
                 {{"DD_KEY", "secret"}});
  ASSERT_TRUE(c.ok()) << c.status().message();
  const TelemetryConfig& t = c->telemetry;
  EXPECT_EQ(t.service_name, "shop-router");
  ASSERT_EQ(t.resource_attributes.size(), 1u);
  EXPECT_EQ(t.resource_attributes[0].first, "deployment.environment");
  EXPECT_EQ(t.client_name_header, "x-client");
  ASSERT_EQ(t.exporters.size(), 2u);
  const OtlpExporterConfig& a = t.exporters[0];
  EXPECT_EQ(a.url_for(TelemetrySignal::kTraces), "http://127.0.0.1:4318/v1/traces");
  EXPECT_EQ(a.encoding, OtlpExporterConfig::Encoding::kJson);
  EXPECT_FALSE(a.gzip);  // the OpenTelemetry default: no compression unless asked for
  ASSERT_EQ(a.headers.size(), 1u);
  EXPECT_EQ(a.headers[0].second, "secret");
  EXPECT_EQ(a.timeout.count(), 3000);
  EXPECT_TRUE(a.exports(TelemetrySignal::kTraces));
  EXPECT_FALSE(a.exports(TelemetrySignal::kMetrics));
  const OtlpExporterConfig& b = t.exporters[1];
  EXPECT_EQ(b.url_for(TelemetrySignal::kMetrics), "https://otlp.example.com/v1/metrics");
  EXPECT_TRUE(b.gzip);
  EXPECT_TRUE(t.tracing_enabled());
  EXPECT_TRUE(t.otlp_metrics_enabled());
  EXPECT_DOUBLE_EQ(t.tracing.sampler_ratio, 0.25);
  EXPECT_FALSE(t.tracing.parent_based);
  EXPECT_EQ(t.tracing.propagation,
            (std::vector<Propagation>{Propagation::kTraceContext, Propagation::kB3,
                                      Propagation::kDatadog}));
  EXPECT_EQ(t.tracing.max_queue_spans, 100u);
  EXPECT_EQ(t.tracing.export_interval.count(), 500);
  EXPECT_TRUE(t.metrics.prometheus.enabled);
  EXPECT_EQ(t.metrics.prometheus.port, 0);
  EXPECT_EQ(t.metrics.prometheus.path, "/prom");
  ASSERT_EQ(t.metrics.latency_buckets.size(), 3u);
  EXPECT_EQ(t.metrics.latency_buckets[0].count(), 250);
  EXPECT_EQ(t.metrics.latency_buckets[2].count(), 1'000'000);
  EXPECT_TRUE(t.access_log.enabled);
  EXPECT_EQ(t.access_log.path, "/var/log/orbit/access.log");
  EXPECT_EQ(t.access_log.fields.size(), 3u);
  EXPECT_TRUE(t.usage.enabled);
  EXPECT_EQ(t.usage.endpoint, "http://127.0.0.1:8080/v1/usage");
  EXPECT_EQ(t.usage.report_interval.count(), 5000);
  EXPECT_EQ(t.usage.max_batch_operations, 50u);
}

TEST(TelemetryConfigTest, RequestMetricsCanBeTurnedOff) {
  auto on = parse("telemetry:\n  metrics:\n    export_interval: 1s\n");
  ASSERT_TRUE(on.ok()) << on.status().message();
  EXPECT_TRUE(on->telemetry.metrics.enabled);
  auto off = parse("telemetry:\n  metrics:\n    enabled: false\n");
  ASSERT_TRUE(off.ok()) << off.status().message();
  EXPECT_FALSE(off->telemetry.metrics.enabled);
  auto bad = parse("telemetry:\n  metrics:\n    enabled: maybe\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("telemetry.metrics.enabled"), std::string::npos);
}

TEST(TelemetryConfigTest, BadValuesNameTheKeyAndLine) {
  auto message = [](std::string_view yaml) {
    auto c = parse(yaml);
    return c.ok() ? std::string("(parsed)") : c.status().message();
  };
  EXPECT_EQ(message("telemetry:\n  tracing:\n    sampler: 2\n"),
            "router.yaml:3: telemetry.tracing.sampler: expected a number between 0 and 1");
  EXPECT_EQ(message("telemetry:\n  exporters:\n    - encoding: json\n"),
            "router.yaml:3: telemetry.exporters[0].endpoint: an exporter needs an endpoint");
  EXPECT_EQ(message("telemetry:\n  exporters:\n    - endpoint: collector:4318\n"),
            "router.yaml:3: telemetry.exporters[0].endpoint: expected an http:// or https:// URL");
  EXPECT_EQ(message("telemetry:\n  exporters:\n    - {endpoint: 'http://a', signals: [logs]}\n"),
            "router.yaml:3: telemetry.exporters[0].signals: \"logs\" is not a signal (traces, "
            "metrics)");
  EXPECT_EQ(message("telemetry:\n  tracing:\n    propagation: [jaeger]\n"),
            "router.yaml:3: telemetry.tracing.propagation: \"jaeger\" is not a propagation "
            "(tracecontext, b3, b3multi, datadog)");
  EXPECT_EQ(message("telemetry:\n  metrics:\n    latency_buckets: [5ms, 1ms]\n"),
            "router.yaml:3: telemetry.metrics.latency_buckets: bounds must be ascending");
  EXPECT_EQ(message("telemetry:\n  access_log:\n    fields: [time, password]\n"),
            "router.yaml:3: telemetry.access_log.fields: unknown field \"password\"");
  EXPECT_EQ(message("telemetry:\n  usage:\n    report_interval: 5s\n"),
            "router.yaml:3: telemetry.usage.endpoint: usage reporting needs the control plane's "
            "URL");
  EXPECT_EQ(message("telemetry:\n  traces: {}\n"), "router.yaml:2: telemetry.traces: unknown key");
}

TEST(TelemetryConfigTest, OtelEnvironmentAddsAnExporter) {
  auto c = parse("listen: 127.0.0.1:4000\n",
                 {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"},
                  {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"},
                  {"OTEL_EXPORTER_OTLP_HEADERS", "api-key=a%20b, x-team = shop"},
                  {"OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"},
                  {"OTEL_EXPORTER_OTLP_TIMEOUT", "2500"},
                  {"OTEL_SERVICE_NAME", "env-router"},
                  {"OTEL_RESOURCE_ATTRIBUTES", "service.version=1.2,region=eu"},
                  {"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"},
                  {"OTEL_TRACES_SAMPLER_ARG", "0.5"},
                  {"OTEL_PROPAGATORS", "tracecontext,baggage,b3multi"}});
  ASSERT_TRUE(c.ok()) << c.status().message();
  const TelemetryConfig& t = c->telemetry;
  ASSERT_EQ(t.exporters.size(), 1u);
  const OtlpExporterConfig& e = t.exporters[0];
  EXPECT_EQ(e.url_for(TelemetrySignal::kTraces), "http://collector:4318/v1/traces");
  EXPECT_EQ(e.url_for(TelemetrySignal::kMetrics), "http://collector:4318/v1/metrics");
  EXPECT_EQ(e.encoding, OtlpExporterConfig::Encoding::kJson);
  EXPECT_TRUE(e.gzip);
  EXPECT_EQ(e.timeout.count(), 2500);
  ASSERT_EQ(e.headers.size(), 2u);
  EXPECT_EQ(e.headers[0], (std::pair<std::string, std::string>{"api-key", "a b"}));
  EXPECT_EQ(e.headers[1], (std::pair<std::string, std::string>{"x-team", "shop"}));
  EXPECT_EQ(t.service_name, "env-router");
  EXPECT_EQ(t.resource_attributes.size(), 2u);
  EXPECT_DOUBLE_EQ(t.tracing.sampler_ratio, 0.5);
  EXPECT_TRUE(t.tracing.parent_based);
  EXPECT_EQ(t.tracing.propagation,
            (std::vector<Propagation>{Propagation::kTraceContext, Propagation::kB3Multi}));
}

TEST(TelemetryConfigTest, YamlWinsOverTheEnvironment) {
  auto c = parse("telemetry:\n  service_name: yaml\n  tracing: {sampler: 0.1}\n",
                 {{"OTEL_SERVICE_NAME", "env"},
                  {"OTEL_TRACES_SAMPLER", "always_off"},
                  {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/custom/traces"}});
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->telemetry.service_name, "yaml");
  EXPECT_DOUBLE_EQ(c->telemetry.tracing.sampler_ratio, 0.1);
  ASSERT_EQ(c->telemetry.exporters.size(), 1u);
  EXPECT_TRUE(c->telemetry.exporters[0].exports(TelemetrySignal::kTraces));
  EXPECT_FALSE(c->telemetry.exporters[0].exports(TelemetrySignal::kMetrics));
  EXPECT_EQ(c->telemetry.exporters[0].url_for(TelemetrySignal::kTraces),
            "http://c:4318/custom/traces");
}

TEST(TelemetryConfigTest, BadEnvironmentIsAnError) {
  auto c = parse("", {{"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"},
                      {"OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"}});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "router.yaml: OTEL_EXPORTER_OTLP_PROTOCOL: \"grpc\" is not supported (http/protobuf, "
            "http/json; gRPC is not)");
  auto d = parse("", {{"OTEL_SDK_DISABLED", "true"}, {"OTEL_EXPORTER_OTLP_ENDPOINT", "http://c"}});
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->telemetry.exporters.empty());
}

}  // namespace
}  // namespace orbit::config
