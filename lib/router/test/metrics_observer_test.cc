// MetricsObserver on records: the series and values it records for known requests. The same
// over real HTTP with real subgraph servers is router_metrics_test.cc.
#include "../src/metrics_observer.h"

#include <gtest/gtest.h>

#include "orbit/telemetry/prometheus_text.h"

namespace orbit::router {
namespace {

double value_of(const telemetry::MetricsSnapshot& s, std::string_view name,
                const telemetry::Attributes& attributes) {
  for (const auto& m : s.metrics) {
    if (m.name != name) continue;
    for (const auto& p : m.points) {
      if (p.attributes == attributes) return p.value;
    }
  }
  return -1;
}

RequestRecord query_record(std::string_view name, int status) {
  RequestRecord r;
  r.http_status = status;
  r.has_operation = true;
  r.operation_name = name;
  r.operation_hash = "abc";
  r.duration_ns = 2'000'000;
  return r;
}

TEST(MetricsObserver, RequestsByOperationClientStatusAndResult) {
  telemetry::MetricsRegistry registry;
  config::TelemetryConfig config;
  config.client_name_header = "x-client";
  MetricsObserver observer(registry, config);

  RequestRecord r = query_record("GetUser", 200);
  observer.on_start(r, net::HttpHeaders{{"X-Client", "web"}, {"graphql-client-version", "1.2"}});
  EXPECT_EQ(r.client_name, "web");
  EXPECT_EQ(r.client_version, "1.2");
  observer.on_end(r);
  observer.on_start(r, {});
  observer.on_end(r);

  RequestRecord failed = query_record("GetUser", 200);
  failed.error_count = 2;
  failed.error_codes = {"SUBGRAPH_ERROR"};
  observer.on_start(failed, {});
  observer.on_end(failed);

  RequestRecord bad;  // rejected before an operation was known
  bad.http_status = 400;
  bad.error_count = 1;
  bad.error_codes = {"GRAPHQL_PARSE_FAILED"};
  observer.on_start(bad, {});
  observer.on_end(bad);

  auto s = registry.collect();
  const char* total = "orbit_router_requests_total";
  EXPECT_EQ(value_of(s, total,
                     {{"operation_name", "GetUser"},
                      {"operation_type", "query"},
                      {"client_name", "web"},
                      {"client_version", "1.2"},
                      {"status", "200"},
                      {"result", "ok"}}),
            2);
  EXPECT_EQ(value_of(s, total,
                     {{"operation_name", "GetUser"},
                      {"operation_type", "query"},
                      {"client_name", ""},
                      {"client_version", ""},
                      {"status", "200"},
                      {"result", "error"}}),
            1);
  EXPECT_EQ(value_of(s, total,
                     {{"operation_name", ""},
                      {"operation_type", ""},
                      {"client_name", ""},
                      {"client_version", ""},
                      {"status", "400"},
                      {"result", "error"}}),
            1);
  EXPECT_EQ(value_of(s, "orbit_router_graphql_errors_total", {{"code", "SUBGRAPH_ERROR"}}), 1);
  EXPECT_EQ(value_of(s, "orbit_router_graphql_errors_total", {{"code", "OTHER"}}), 1);
  EXPECT_EQ(value_of(s, "orbit_router_graphql_errors_total", {{"code", "GRAPHQL_PARSE_FAILED"}}),
            1);
  EXPECT_EQ(value_of(s, "orbit_router_requests_in_flight", {}), 0);
  std::string text = telemetry::prometheus_text(s);
  EXPECT_NE(text.find("orbit_router_request_duration_seconds_bucket{operation_name=\"GetUser\","
                      "operation_type=\"query\",client_name=\"web\",client_version=\"1.2\","
                      "result=\"ok\",le=\"0.0025\"} 2\n"),
            std::string::npos)
      << text;
}

TEST(MetricsObserver, SubgraphRequestsAndErrorKinds) {
  telemetry::MetricsRegistry registry;
  MetricsObserver observer(registry, config::TelemetryConfig{});
  RequestRecord r = query_record("Q", 200);
  auto fetch = [](std::string_view name, int status, ErrorCode e = ErrorCode::kOk) {
    FetchRecord f;
    f.subgraph_name = name;
    f.http_status = status;
    f.transport_error = e;
    f.duration_ns = 1'000'000;
    return f;
  };
  r.fetches = {fetch("accounts", 200), fetch("reviews", 500),
               fetch("products", 0, ErrorCode::kUnavailable),
               fetch("inventory", 0, ErrorCode::kTimeout)};
  FetchRecord shared = fetch("accounts", 200);
  shared.deduplicated = true;
  r.fetches.push_back(shared);
  observer.on_start(r, {});
  observer.on_end(r);

  auto s = registry.collect();
  const char* requests = "orbit_router_subgraph_requests_total";
  EXPECT_EQ(value_of(s, requests, {{"subgraph", "accounts"}, {"status", "200"}, {"result", "ok"}}),
            1);
  EXPECT_EQ(
      value_of(s, requests, {{"subgraph", "reviews"}, {"status", "500"}, {"result", "error"}}), 1);
  EXPECT_EQ(value_of(s, requests, {{"subgraph", "products"}, {"status", "0"}, {"result", "error"}}),
            1);
  const char* errors = "orbit_router_subgraph_errors_total";
  EXPECT_EQ(value_of(s, errors, {{"subgraph", "reviews"}, {"kind", "http"}}), 1);
  EXPECT_EQ(value_of(s, errors, {{"subgraph", "products"}, {"kind", "transport"}}), 1);
  EXPECT_EQ(value_of(s, errors, {{"subgraph", "inventory"}, {"kind", "timeout"}}), 1);
  EXPECT_EQ(value_of(s, errors, {{"subgraph", "accounts"}, {"kind", "http"}}), -1);
  std::string text = telemetry::prometheus_text(s);
  EXPECT_NE(text.find("orbit_router_subgraph_request_duration_seconds_count{subgraph=\"accounts\"} "
                      "1\n"),
            std::string::npos)
      << text;
}

TEST(MetricsObserver, CacheCounters) {
  telemetry::MetricsRegistry registry;
  MetricsObserver observer(registry, config::TelemetryConfig{});
  RequestRecord cached = query_record("Q", 200);
  cached.operation_cache_hit = true;
  RequestRecord planned = query_record("Q", 200);
  RequestRecord plan_hit = query_record("Q", 200);
  plan_hit.plan_cache_hit = true;
  RequestRecord invalid;  // never normalized: no cache involved
  invalid.http_status = 400;
  for (RequestRecord* r : {&cached, &cached, &planned, &plan_hit, &invalid}) {
    observer.on_start(*r, {});
    observer.on_end(*r);
  }
  auto s = registry.collect();
  EXPECT_EQ(value_of(s, "orbit_router_operation_cache_hits_total", {}), 2);
  EXPECT_EQ(value_of(s, "orbit_router_operation_cache_misses_total", {}), 2);
  EXPECT_EQ(value_of(s, "orbit_router_plan_cache_hits_total", {}), 1);
  EXPECT_EQ(value_of(s, "orbit_router_plan_cache_misses_total", {}), 1);
}

TEST(MetricsObserver, UntrustedOperationNamesAreCapped) {
  telemetry::RegistryOptions options;
  options.max_series = 10;
  telemetry::MetricsRegistry registry(options);
  MetricsObserver observer(registry, config::TelemetryConfig{});
  std::vector<std::string> names;
  for (int i = 0; i < 50; ++i)
    names.push_back("Op" + std::to_string(i));
  for (const std::string& n : names) {
    RequestRecord r = query_record(n, 200);
    observer.on_start(r, {});
    observer.on_end(r);
  }
  auto s = registry.collect();
  for (const auto& m : s.metrics) {
    if (m.name != "orbit_router_requests_total") continue;
    EXPECT_EQ(m.points.size(), 11u);
    EXPECT_EQ(m.points.back().attributes[0].second, "__overflow__");
    EXPECT_EQ(m.points.back().value, 40);
  }
  EXPECT_EQ(value_of(s, "orbit_telemetry_series_overflow_total",
                     {{"metric", "orbit_router_requests_total"}}),
            40);
}

}  // namespace
}  // namespace orbit::router
