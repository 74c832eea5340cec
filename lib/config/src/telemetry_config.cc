// The `telemetry:` section of router.yaml and the OTEL_* environment variables.
#include "orbit/config/telemetry_config.h"

#include <cstdlib>
#include <optional>
#include <tuple>

#include "yaml_reader.h"

namespace orbit::config {

using detail::is_token;
using detail::Reader;

namespace {

constexpr uint8_t kBothSignals = static_cast<uint8_t>(TelemetrySignal::kTraces) |
                                 static_cast<uint8_t>(TelemetrySignal::kMetrics);

bool has_http_scheme(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string(s);
}

// "%20"-style escapes of the OTEL_*_HEADERS / OTEL_RESOURCE_ATTRIBUTES values (W3C baggage
// octets); a malformed escape is kept as it is.
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// "k1=v1,k2=v2" (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES).
Result<std::vector<std::pair<std::string, std::string>>> parse_pairs(std::string_view text,
                                                                     std::string_view variable) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t at = 0;
  while (at <= text.size()) {
    size_t comma = text.find(',', at);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(at, comma - at);
    at = comma + 1;
    if (trim(item).empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos || trim(item.substr(0, eq)).empty())
      return Status(ErrorCode::kInvalidArgument,
                    std::string(variable) +
                        ": expected key=value pairs separated by commas, got \"" +
                        std::string(item) + "\"");
    out.emplace_back(percent_decode(trim(item.substr(0, eq))),
                     percent_decode(trim(item.substr(eq + 1))));
  }
  return out;
}

Status read_signals(const YAML::Node& n, const Reader& r, const std::string& key, uint8_t* out) {
  if (!n.IsSequence() || n.size() == 0)
    return r.error(n, key, "expected a non-empty list of traces / metrics");
  *out = 0;
  for (size_t i = 0; i < n.size(); ++i) {
    auto s = r.string(n[i], key);
    if (!s.ok()) return s.status();
    if (*s == "traces") {
      *out |= static_cast<uint8_t>(TelemetrySignal::kTraces);
    } else if (*s == "metrics") {
      *out |= static_cast<uint8_t>(TelemetrySignal::kMetrics);
    } else {
      return r.error(n[i], key, "\"" + *s + "\" is not a signal (traces, metrics)");
    }
  }
  return {};
}

Status read_string_map(const YAML::Node& n, const Reader& r, const std::string& key,
                       std::vector<std::pair<std::string, std::string>>* out) {
  if (!n.IsMap()) return r.error(n, key, "expected a mapping");
  if (n.size() > 64) return r.error(n, key, "at most 64 entries");
  for (const auto& item : n) {
    std::string name = item.first.Scalar();
    auto value = r.string(item.second, key + "." + name);
    if (!value.ok()) return value.status();
    out->emplace_back(std::move(name), std::move(*value));
  }
  return {};
}

Status read_url(const YAML::Node& n, const Reader& r, const std::string& key, std::string* out) {
  auto s = r.string(n, key);
  if (!s.ok()) return s.status();
  if (!has_http_scheme(*s)) return r.error(n, key, "expected an http:// or https:// URL");
  while (s->size() > 8 && s->back() == '/')
    s->pop_back();
  *out = std::move(*s);
  return {};
}

Status read_exporter(const YAML::Node& n, const Reader& r, const std::string& where,
                     OtlpExporterConfig& e) {
  ORBIT_RETURN_IF_ERROR(r.check_keys(n, where,
                                     {"endpoint", "traces_endpoint", "metrics_endpoint", "encoding",
                                      "compression", "headers", "timeout", "signals"}));
  if (auto v = n["endpoint"])
    ORBIT_RETURN_IF_ERROR(read_url(v, r, where + ".endpoint", &e.endpoint));
  if (auto v = n["traces_endpoint"])
    ORBIT_RETURN_IF_ERROR(read_url(v, r, where + ".traces_endpoint", &e.traces_endpoint));
  if (auto v = n["metrics_endpoint"])
    ORBIT_RETURN_IF_ERROR(read_url(v, r, where + ".metrics_endpoint", &e.metrics_endpoint));
  if (e.endpoint.empty() && e.traces_endpoint.empty() && e.metrics_endpoint.empty())
    return r.error(n, where + ".endpoint", "an exporter needs an endpoint");
  if (auto v = n["encoding"]) {
    auto s = r.string(v, where + ".encoding");
    if (!s.ok()) return s.status();
    if (*s == "protobuf") {
      e.encoding = OtlpExporterConfig::Encoding::kProtobuf;
    } else if (*s == "json") {
      e.encoding = OtlpExporterConfig::Encoding::kJson;
    } else {
      return r.error(v, where + ".encoding", "expected protobuf or json");
    }
  }
  if (auto v = n["compression"]) {
    auto s = r.string(v, where + ".compression");
    if (!s.ok()) return s.status();
    if (*s != "gzip" && *s != "none")
      return r.error(v, where + ".compression", "expected gzip or none");
    e.gzip = *s == "gzip";
  }
  if (auto v = n["headers"])
    ORBIT_RETURN_IF_ERROR(read_string_map(v, r, where + ".headers", &e.headers));
  if (auto v = n["timeout"]) ORBIT_RETURN_IF_ERROR(r.duration(v, where + ".timeout", &e.timeout));
  if (auto v = n["signals"])
    ORBIT_RETURN_IF_ERROR(read_signals(v, r, where + ".signals", &e.signals));
  return {};
}

Result<double> parse_ratio(std::string_view text) {
  char* end = nullptr;
  std::string s(text);
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || !(v >= 0.0 && v <= 1.0))
    return Status(ErrorCode::kInvalidArgument, "expected a number between 0 and 1");
  return v;
}

Result<Propagation> parse_propagation(std::string_view s) {
  if (s == "tracecontext") return Propagation::kTraceContext;
  if (s == "b3") return Propagation::kB3;
  if (s == "b3multi") return Propagation::kB3Multi;
  if (s == "datadog") return Propagation::kDatadog;
  return Status(
      ErrorCode::kInvalidArgument,
      "\"" + std::string(s) + "\" is not a propagation (tracecontext, b3, b3multi, datadog)");
}

Status read_tracing(const YAML::Node& n, const Reader& r, TracingConfig& t, bool* sampler_set,
                    bool* propagation_set) {
  ORBIT_RETURN_IF_ERROR(r.check_keys(n, "telemetry.tracing",
                                     {"sampler", "parent_based", "propagation", "max_queue_spans",
                                      "max_export_batch", "export_interval"}));
  if (auto v = n["sampler"]) {
    auto s = r.string(v, "telemetry.tracing.sampler");
    if (!s.ok()) return s.status();
    auto ratio = parse_ratio(*s);
    if (!ratio.ok()) return r.error(v, "telemetry.tracing.sampler", ratio.status().message());
    t.sampler_ratio = *ratio;
    *sampler_set = true;
  }
  if (auto v = n["parent_based"]) {
    ORBIT_RETURN_IF_ERROR(r.boolean(v, "telemetry.tracing.parent_based", &t.parent_based));
    *sampler_set = true;
  }
  if (auto v = n["propagation"]) {
    if (!v.IsSequence())
      return r.error(v, "telemetry.tracing.propagation", "expected a list of propagation formats");
    t.propagation.clear();
    for (size_t i = 0; i < v.size(); ++i) {
      auto s = r.string(v[i], "telemetry.tracing.propagation");
      if (!s.ok()) return s.status();
      auto p = parse_propagation(*s);
      if (!p.ok()) return r.error(v[i], "telemetry.tracing.propagation", p.status().message());
      t.propagation.push_back(*p);
    }
    *propagation_set = true;
  }
  if (auto v = n["max_queue_spans"]) {
    ORBIT_RETURN_IF_ERROR(r.integer(v, "telemetry.tracing.max_queue_spans", &t.max_queue_spans));
    if (t.max_queue_spans == 0 || t.max_queue_spans > 1'000'000)
      return r.error(v, "telemetry.tracing.max_queue_spans", "must be between 1 and 1000000");
  }
  if (auto v = n["max_export_batch"]) {
    ORBIT_RETURN_IF_ERROR(r.integer(v, "telemetry.tracing.max_export_batch", &t.max_export_batch));
    if (t.max_export_batch == 0 || t.max_export_batch > 100'000)
      return r.error(v, "telemetry.tracing.max_export_batch", "must be between 1 and 100000");
  }
  if (auto v = n["export_interval"])
    ORBIT_RETURN_IF_ERROR(r.duration(v, "telemetry.tracing.export_interval", &t.export_interval));
  return {};
}

// "250us", "5ms", "1s": a histogram bucket bound.
Result<std::chrono::microseconds> parse_bucket(std::string_view s) {
  if (s.size() > 2 && s.ends_with("us")) {
    uint64_t us = 0;
    if (!detail::parse_unsigned(s.substr(0, s.size() - 2), &us) || us == 0)
      return Status(ErrorCode::kInvalidArgument, "expected a positive duration");
    return std::chrono::microseconds(us);
  }
  auto ms = parse_duration(s);
  if (!ms.ok()) return ms.status();
  if (ms->count() <= 0) return Status(ErrorCode::kInvalidArgument, "expected a positive duration");
  return std::chrono::duration_cast<std::chrono::microseconds>(*ms);
}

Status read_metrics(const YAML::Node& n, const Reader& r, MetricsConfig& m) {
  ORBIT_RETURN_IF_ERROR(r.check_keys(
      n, "telemetry.metrics", {"enabled", "prometheus", "export_interval", "latency_buckets"}));
  if (auto v = n["enabled"])
    ORBIT_RETURN_IF_ERROR(r.boolean(v, "telemetry.metrics.enabled", &m.enabled));
  if (auto p = n["prometheus"]) {
    ORBIT_RETURN_IF_ERROR(
        r.check_keys(p, "telemetry.metrics.prometheus", {"enabled", "listen", "path"}));
    m.prometheus.enabled = true;
    if (auto v = p["enabled"])
      ORBIT_RETURN_IF_ERROR(
          r.boolean(v, "telemetry.metrics.prometheus.enabled", &m.prometheus.enabled));
    if (auto v = p["listen"]) {
      auto s = r.string(v, "telemetry.metrics.prometheus.listen");
      if (!s.ok()) return s.status();
      auto addr = parse_listen_address(*s);
      if (!addr.ok())
        return r.error(v, "telemetry.metrics.prometheus.listen", addr.status().message());
      m.prometheus.host = addr->host;
      m.prometheus.port = addr->port;
    }
    if (auto v = p["path"]) {
      auto s = r.string(v, "telemetry.metrics.prometheus.path");
      if (!s.ok()) return s.status();
      if (!s->starts_with("/"))
        return r.error(v, "telemetry.metrics.prometheus.path", "must start with /");
      m.prometheus.path = *s;
    }
  }
  if (auto v = n["export_interval"])
    ORBIT_RETURN_IF_ERROR(r.duration(v, "telemetry.metrics.export_interval", &m.export_interval));
  if (auto v = n["latency_buckets"]) {
    const std::string key = "telemetry.metrics.latency_buckets";
    if (!v.IsSequence() || v.size() == 0 || v.size() > 64)
      return r.error(v, key, "expected a list of 1 to 64 durations");
    for (size_t i = 0; i < v.size(); ++i) {
      auto s = r.string(v[i], key);
      if (!s.ok()) return s.status();
      auto b = parse_bucket(*s);
      if (!b.ok()) return r.error(v[i], key, b.status().message());
      if (!m.latency_buckets.empty() && *b <= m.latency_buckets.back())
        return r.error(v[i], key, "bounds must be ascending");
      m.latency_buckets.push_back(*b);
    }
  }
  return {};
}

constexpr std::string_view kAccessLogFields[] = {
    "time",           "trace_id",       "span_id",        "method",
    "path",           "status",         "latency_ms",     "operation_name",
    "operation_type", "operation_hash", "client_name",    "client_version",
    "errors",         "error_codes",    "subgraph_calls", "subgraph_errors",
    "remote_addr",    "user_agent",     "config_version", "deduplicated",
};

Status read_access_log(const YAML::Node& n, const Reader& r, AccessLogConfig& a) {
  a.enabled = true;
  if (n.IsNull()) return {};
  ORBIT_RETURN_IF_ERROR(r.check_keys(n, "telemetry.access_log", {"enabled", "path", "fields"}));
  if (auto v = n["enabled"])
    ORBIT_RETURN_IF_ERROR(r.boolean(v, "telemetry.access_log.enabled", &a.enabled));
  if (auto v = n["path"]) {
    auto s = r.string(v, "telemetry.access_log.path");
    if (!s.ok()) return s.status();
    a.path = *s == "stdout" ? "" : *s;
  }
  if (auto v = n["fields"]) {
    if (!v.IsSequence() || v.size() == 0)
      return r.error(v, "telemetry.access_log.fields", "expected a non-empty list of field names");
    for (size_t i = 0; i < v.size(); ++i) {
      auto s = r.string(v[i], "telemetry.access_log.fields");
      if (!s.ok()) return s.status();
      bool known = false;
      for (std::string_view f : kAccessLogFields)
        known = known || f == *s;
      if (!known)
        return r.error(v[i], "telemetry.access_log.fields", "unknown field \"" + *s + "\"");
      a.fields.push_back(*s);
    }
  }
  return {};
}

Status read_usage(const YAML::Node& n, const Reader& r, UsageReportingConfig& u) {
  ORBIT_RETURN_IF_ERROR(r.check_keys(n, "telemetry.usage",
                                     {"enabled", "endpoint", "graph_token", "report_interval",
                                      "max_queue_batches", "max_batch_operations", "timeout"}));
  u.enabled = true;
  if (auto v = n["enabled"])
    ORBIT_RETURN_IF_ERROR(r.boolean(v, "telemetry.usage.enabled", &u.enabled));
  if (auto v = n["endpoint"])
    ORBIT_RETURN_IF_ERROR(read_url(v, r, "telemetry.usage.endpoint", &u.endpoint));
  if (u.enabled && u.endpoint.empty())
    return r.error(n, "telemetry.usage.endpoint", "usage reporting needs the control plane's URL");
  if (auto v = n["graph_token"]) {
    auto s = r.string(v, "telemetry.usage.graph_token");
    if (!s.ok()) return s.status();
    u.graph_token = *s;
  }
  if (auto v = n["report_interval"]) {
    ORBIT_RETURN_IF_ERROR(r.duration(v, "telemetry.usage.report_interval", &u.report_interval));
    if (u.report_interval.count() < 100)
      return r.error(v, "telemetry.usage.report_interval", "must be at least 100ms");
  }
  if (auto v = n["max_queue_batches"]) {
    ORBIT_RETURN_IF_ERROR(r.integer(v, "telemetry.usage.max_queue_batches", &u.max_queue_batches));
    if (u.max_queue_batches == 0)
      return r.error(v, "telemetry.usage.max_queue_batches", "must be at least 1");
  }
  if (auto v = n["max_batch_operations"]) {
    ORBIT_RETURN_IF_ERROR(
        r.integer(v, "telemetry.usage.max_batch_operations", &u.max_batch_operations));
    if (u.max_batch_operations == 0)
      return r.error(v, "telemetry.usage.max_batch_operations", "must be at least 1");
  }
  if (auto v = n["timeout"])
    ORBIT_RETURN_IF_ERROR(r.duration(v, "telemetry.usage.timeout", &u.timeout));
  return {};
}

}  // namespace

std::string OtlpExporterConfig::url_for(TelemetrySignal s) const {
  const std::string& own = s == TelemetrySignal::kTraces ? traces_endpoint : metrics_endpoint;
  if (!own.empty()) return own;
  return endpoint + (s == TelemetrySignal::kTraces ? "/v1/traces" : "/v1/metrics");
}

bool TelemetryConfig::tracing_enabled() const {
  if (tracing.sampler_ratio <= 0.0 && !tracing.parent_based) return false;
  for (const OtlpExporterConfig& e : exporters) {
    if (e.exports(TelemetrySignal::kTraces)) return true;
  }
  return false;
}

bool TelemetryConfig::otlp_metrics_enabled() const {
  for (const OtlpExporterConfig& e : exporters) {
    if (e.exports(TelemetrySignal::kMetrics)) return true;
  }
  return false;
}

namespace detail {

Status read_telemetry(const YAML::Node& n, const Reader& r, TelemetryConfig& t,
                      TelemetryYamlFlags* flags) {
  ORBIT_RETURN_IF_ERROR(r.check_keys(
      n, "telemetry",
      {"service_name", "resource_attributes", "client_name_header", "client_version_header",
       "exporters", "tracing", "metrics", "access_log", "usage"}));
  if (auto v = n["service_name"]) {
    auto s = r.string(v, "telemetry.service_name");
    if (!s.ok()) return s.status();
    if (s->empty()) return r.error(v, "telemetry.service_name", "must not be empty");
    t.service_name = *s;
    flags->service_name = true;
  }
  if (auto v = n["resource_attributes"])
    ORBIT_RETURN_IF_ERROR(
        read_string_map(v, r, "telemetry.resource_attributes", &t.resource_attributes));
  for (auto [key, out] : {std::pair{"client_name_header", &t.client_name_header},
                          std::pair{"client_version_header", &t.client_version_header}}) {
    if (auto v = n[key]) {
      std::string where = std::string("telemetry.") + key;
      auto s = r.string(v, where);
      if (!s.ok()) return s.status();
      if (!is_token(*s)) return r.error(v, where, "\"" + *s + "\" is not a header name");
      *out = *s;
    }
  }
  if (auto v = n["exporters"]) {
    if (!v.IsSequence()) return r.error(v, "telemetry.exporters", "expected a list of exporters");
    if (v.size() > 16) return r.error(v, "telemetry.exporters", "at most 16 exporters");
    for (size_t i = 0; i < v.size(); ++i) {
      OtlpExporterConfig e;
      ORBIT_RETURN_IF_ERROR(
          read_exporter(v[i], r, "telemetry.exporters[" + std::to_string(i) + "]", e));
      t.exporters.push_back(std::move(e));
    }
    flags->exporters = true;
  }
  if (auto v = n["tracing"])
    ORBIT_RETURN_IF_ERROR(read_tracing(v, r, t.tracing, &flags->sampler, &flags->propagation));
  if (auto v = n["metrics"]) ORBIT_RETURN_IF_ERROR(read_metrics(v, r, t.metrics));
  if (auto v = n["access_log"]) ORBIT_RETURN_IF_ERROR(read_access_log(v, r, t.access_log));
  if (auto v = n["usage"]) ORBIT_RETURN_IF_ERROR(read_usage(v, r, t.usage));
  return {};
}

Status apply_otel_env(TelemetryConfig& t, const TelemetryYamlFlags& flags, const EnvLookup& env) {
  auto get = [&env](std::string_view name) -> std::optional<std::string> {
    std::optional<std::string> v = env(name);
    if (v && trim(*v).empty()) return std::nullopt;
    if (v) *v = trim(*v);
    return v;
  };
  auto bad = [](std::string_view variable, std::string_view what) {
    return Status(ErrorCode::kInvalidArgument, std::string(variable) + ": " + std::string(what));
  };
  if (auto v = get("OTEL_SDK_DISABLED"); v && *v == "true") {
    t.exporters.clear();
    return {};
  }
  if (auto v = get("OTEL_SERVICE_NAME"); v && !flags.service_name) t.service_name = *v;
  if (auto v = get("OTEL_RESOURCE_ATTRIBUTES")) {
    auto pairs = parse_pairs(*v, "OTEL_RESOURCE_ATTRIBUTES");
    if (!pairs.ok()) return pairs.status();
    for (auto& [key, value] : *pairs) {
      bool in_yaml = false;
      for (const auto& [k, _] : t.resource_attributes)
        in_yaml = in_yaml || k == key;
      if (!in_yaml) t.resource_attributes.emplace_back(key, value);
    }
  }
  if (!flags.sampler) {
    std::optional<std::string> arg = get("OTEL_TRACES_SAMPLER_ARG");
    double ratio = 1.0;
    if (arg) {
      auto r = parse_ratio(*arg);
      if (!r.ok()) return bad("OTEL_TRACES_SAMPLER_ARG", r.status().message());
      ratio = *r;
    }
    if (auto v = get("OTEL_TRACES_SAMPLER")) {
      TracingConfig& tr = t.tracing;
      if (*v == "always_on") {
        tr.sampler_ratio = 1.0, tr.parent_based = false;
      } else if (*v == "always_off") {
        tr.sampler_ratio = 0.0, tr.parent_based = false;
      } else if (*v == "traceidratio") {
        tr.sampler_ratio = ratio, tr.parent_based = false;
      } else if (*v == "parentbased_always_on") {
        tr.sampler_ratio = 1.0, tr.parent_based = true;
      } else if (*v == "parentbased_always_off") {
        tr.sampler_ratio = 0.0, tr.parent_based = true;
      } else if (*v == "parentbased_traceidratio") {
        tr.sampler_ratio = ratio, tr.parent_based = true;
      } else {
        return bad("OTEL_TRACES_SAMPLER",
                   "\"" + *v +
                       "\" is not supported (always_on, always_off, traceidratio, "
                       "parentbased_always_on, parentbased_always_off, parentbased_traceidratio)");
      }
    }
  }
  if (auto v = get("OTEL_PROPAGATORS"); v && !flags.propagation) {
    t.tracing.propagation.clear();
    size_t at = 0;
    while (at <= v->size()) {
      size_t comma = v->find(',', at);
      if (comma == std::string::npos) comma = v->size();
      std::string name = trim(std::string_view(*v).substr(at, comma - at));
      at = comma + 1;
      if (name.empty() || name == "baggage" || name == "none") continue;
      auto p = parse_propagation(name);
      if (!p.ok()) return bad("OTEL_PROPAGATORS", p.status().message());
      t.tracing.propagation.push_back(*p);
    }
  }
  // One exporter from OTEL_EXPORTER_OTLP_*, beside those of the YAML.
  std::optional<std::string> base = get("OTEL_EXPORTER_OTLP_ENDPOINT");
  std::optional<std::string> traces = get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  std::optional<std::string> metrics = get("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT");
  if (!base && !traces && !metrics) return {};
  OtlpExporterConfig e;
  e.signals = 0;
  for (auto [variable, value, out, signal] :
       {std::tuple{"OTEL_EXPORTER_OTLP_ENDPOINT", &base, &e.endpoint, kBothSignals},
        std::tuple{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", &traces, &e.traces_endpoint,
                   static_cast<uint8_t>(TelemetrySignal::kTraces)},
        std::tuple{"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", &metrics, &e.metrics_endpoint,
                   static_cast<uint8_t>(TelemetrySignal::kMetrics)}}) {
    if (!*value) continue;
    std::string url = **value;
    if (!has_http_scheme(url)) return bad(variable, "expected an http:// or https:// URL");
    while (url.size() > 8 && url.back() == '/')
      url.pop_back();
    *out = url;
    e.signals |= signal;
  }
  if (auto v = get("OTEL_EXPORTER_OTLP_PROTOCOL")) {
    if (*v == "http/protobuf") {
      e.encoding = OtlpExporterConfig::Encoding::kProtobuf;
    } else if (*v == "http/json") {
      e.encoding = OtlpExporterConfig::Encoding::kJson;
    } else {
      return bad("OTEL_EXPORTER_OTLP_PROTOCOL",
                 "\"" + *v + "\" is not supported (http/protobuf, http/json; gRPC is not)");
    }
  }
  if (auto v = get("OTEL_EXPORTER_OTLP_COMPRESSION")) {
    if (*v != "gzip" && *v != "none")
      return bad("OTEL_EXPORTER_OTLP_COMPRESSION", "expected gzip or none");
    e.gzip = *v == "gzip";
  }
  if (auto v = get("OTEL_EXPORTER_OTLP_TIMEOUT")) {
    uint64_t ms = 0;
    if (!detail::parse_unsigned(std::string_view(*v), &ms) || ms == 0)
      return bad("OTEL_EXPORTER_OTLP_TIMEOUT", "expected milliseconds (a positive integer)");
    e.timeout = std::chrono::milliseconds(ms);
  }
  if (auto v = get("OTEL_EXPORTER_OTLP_HEADERS")) {
    auto pairs = parse_pairs(*v, "OTEL_EXPORTER_OTLP_HEADERS");
    if (!pairs.ok()) return pairs.status();
    e.headers = std::move(*pairs);
  }
  t.exporters.push_back(std::move(e));
  return {};
}

}  // namespace detail

}  // namespace orbit::config
