#include "metrics_observer.h"

#include <array>

namespace orbit::router {

namespace {

std::string_view operation_type_label(const RequestRecord& r) {
  return r.has_operation ? graphql::operation_type_name(r.operation_type) : std::string_view();
}

// Status codes as label text without formatting each time (100..599; else "0").
struct StatusText {
  std::array<std::array<char, 4>, 600> text{};
  StatusText() {
    for (int s = 100; s < 600; ++s) {
      text[s] = {static_cast<char>('0' + s / 100), static_cast<char>('0' + s / 10 % 10),
                 static_cast<char>('0' + s % 10), 0};
    }
  }
  std::string_view operator()(int status) const {
    if (status < 100 || status >= 600) return "0";
    return std::string_view(text[status].data(), 3);
  }
};
const StatusText kStatusText;

}  // namespace

std::vector<double> latency_bounds(const config::MetricsConfig& config) {
  if (config.latency_buckets.empty()) return telemetry::default_latency_bounds();
  std::vector<double> out;
  out.reserve(config.latency_buckets.size());
  for (auto b : config.latency_buckets)
    out.push_back(static_cast<double>(b.count()) / 1e6);
  return out;
}

MetricsObserver::MetricsObserver(telemetry::MetricsRegistry& registry,
                                 const config::TelemetryConfig& config)
    : client_name_header_(config.client_name_header),
      client_version_header_(config.client_version_header),
      requests_(registry.counter("orbit_router_requests_total",
                                 "GraphQL requests answered, by operation, client, HTTP status "
                                 "and result (ok: 2xx without GraphQL errors).",
                                 {"operation_name", "operation_type", "client_name",
                                  "client_version", "status", "result"})),
      request_duration_(registry.histogram(
          "orbit_router_request_duration_seconds",
          "Time from a GraphQL request's arrival to its answer.",
          {"operation_name", "operation_type", "client_name", "client_version", "result"},
          latency_bounds(config.metrics))),
      graphql_errors_(registry.counter("orbit_router_graphql_errors_total",
                                       "GraphQL errors in responses, by extensions.code.",
                                       {"code"})),
      subgraph_requests_(
          registry.counter("orbit_router_subgraph_requests_total",
                           "Requests sent to subgraphs, by HTTP status (0: no answer) and result.",
                           {"subgraph", "status", "result"})),
      subgraph_duration_(registry.histogram("orbit_router_subgraph_request_duration_seconds",
                                            "Time of subgraph requests.", {"subgraph"},
                                            latency_bounds(config.metrics))),
      subgraph_errors_(registry.counter(
          "orbit_router_subgraph_errors_total",
          "Failed subgraph requests: http (non-2xx answer), timeout, transport (no answer).",
          {"subgraph", "kind"})) {
  in_flight_ =
      registry.gauge("orbit_router_requests_in_flight", "GraphQL requests being served.").with({});
  operation_cache_hits_ =
      registry
          .counter("orbit_router_operation_cache_hits_total",
                   "Requests whose parsed, validated and planned operation was reused.")
          .with({});
  operation_cache_misses_ =
      registry
          .counter("orbit_router_operation_cache_misses_total",
                   "Requests whose operation was parsed, validated and normalized anew.")
          .with({});
  plan_cache_hits_ = registry
                         .counter("orbit_router_plan_cache_hits_total",
                                  "Operations prepared anew whose query plan was cached.")
                         .with({});
  plan_cache_misses_ = registry
                           .counter("orbit_router_plan_cache_misses_total",
                                    "Operations prepared anew that were planned.")
                           .with({});
}

void MetricsObserver::on_start(RequestRecord& record, const net::HttpHeaders& client_headers) {
  in_flight_.add(1);
  if (record.client_name.empty() && !client_name_header_.empty()) {
    if (auto v = client_headers.get(client_name_header_)) record.client_name = std::string(*v);
  }
  if (record.client_version.empty() && !client_version_header_.empty()) {
    if (auto v = client_headers.get(client_version_header_))
      record.client_version = std::string(*v);
  }
}

void MetricsObserver::on_end(const RequestRecord& r) {
  in_flight_.add(-1);
  const bool ok = r.http_status >= 200 && r.http_status < 300 && r.error_count == 0;
  const std::string_view result = ok ? "ok" : "error";
  const std::string_view name = r.has_operation ? r.operation_name : std::string_view();
  const std::string_view type = operation_type_label(r);
  requests_.with({name, type, r.client_name, r.client_version, kStatusText(r.http_status), result})
      .add();
  request_duration_.with({name, type, r.client_name, r.client_version, result})
      .observe(static_cast<double>(r.duration_ns) / 1e9);
  for (std::string_view code : r.error_codes)
    graphql_errors_.with({code.empty() ? std::string_view("OTHER") : code}).add();
  // Errors without a router code (a subgraph's, passed on) count as OTHER.
  if (r.error_codes.size() < r.error_count)
    graphql_errors_.with({"OTHER"}).add(r.error_count - r.error_codes.size());

  if (r.operation_cache_hit) {
    operation_cache_hits_.add();
  } else if (!r.operation_hash.empty()) {
    operation_cache_misses_.add();
    (r.plan_cache_hit ? plan_cache_hits_ : plan_cache_misses_).add();
  }

  for (const FetchRecord& f : r.fetches) {
    if (f.deduplicated) continue;  // answered from an identical request: nothing was sent
    const bool timeout = f.transport_error == ErrorCode::kTimeout;
    const bool transport = f.transport_error != ErrorCode::kOk && !timeout;
    const bool http_error = !timeout && !transport && (f.http_status < 200 || f.http_status > 299);
    const bool fetch_ok = !timeout && !transport && !http_error;
    subgraph_requests_
        .with({f.subgraph_name, kStatusText(f.http_status), fetch_ok ? "ok" : "error"})
        .add();
    subgraph_duration_.with({f.subgraph_name}).observe(static_cast<double>(f.duration_ns) / 1e9);
    if (!fetch_ok) {
      subgraph_errors_
          .with({f.subgraph_name, timeout     ? "timeout"
                                  : transport ? "transport"
                                              : "http"})
          .add();
    }
  }
}

}  // namespace orbit::router
