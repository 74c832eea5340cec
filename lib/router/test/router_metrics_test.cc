// The router's metrics and access log over real HTTP on 127.0.0.1: subgraph servers that
// answer, fail (500) or are gone; known requests; then the values read back from the
// Prometheus listener (port 0), from /metrics on the GraphQL port, and the access log lines
// parsed as JSON.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <thread>

#include "../src/access_log.h"
#include "../src/router_metrics.h"
#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/executor/subgraph_fetcher.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/net/http_server.h"
#include "orbit/router/router_server.h"
#include "orbit/telemetry/otlp_exporter.h"
#include "orbit/telemetry/otlp_receiver.h"

namespace orbit::router {
namespace {

std::string read_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  std::string out;
  if (f == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    out.append(buf, n);
  std::fclose(f);
  return out;
}

// /accounts answers, /fail answers 500.
class Subgraphs {
 public:
  explicit Subgraphs(net::LoopGroup& loops)
      : server_(loops.loops(), net::HttpServerOptions{},
                [](net::HttpRequest&& request, net::HttpResponder responder) {
                  if (request.path() == "/fail") {
                    responder.send(500, {{"Content-Type", "text/plain"}}, "boom");
                    return;
                  }
                  responder.send(200, {{"Content-Type", "application/json"}},
                                 R"({"data":{"me":{"__typename":"User","id":"1","name":"Ada"}}})");
                }) {}
  Status start() { return server_.start(); }
  void stop() { server_.stop(std::chrono::milliseconds(100)); }
  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + std::string(path);
  }

 private:
  net::HttpServer server_;
};

class RouterMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orbit-router-metrics-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    loops_.start();
    subgraphs_ = std::make_unique<Subgraphs>(loops_);
    ASSERT_TRUE(subgraphs_->start().ok());
  }
  void TearDown() override {
    if (router_) router_->stop(std::chrono::milliseconds(100));
    router_.reset();
    subgraphs_->stop();
    subgraphs_.reset();
    run_on_loop([this] { client_.reset(); });
    loops_.stop();
    std::filesystem::remove_all(dir_);
  }

  void start_router(const std::string& telemetry_yaml) {
    std::string yaml =
        "listen: 127.0.0.1:0\nsubgraphs:\n  accounts:\n    url: " + subgraphs_->url("/accounts") +
        "\n  products:\n    url: " + subgraphs_->url("/fail") +
        "\n  reviews:\n    url: http://127.0.0.1:1/gone\n" + telemetry_yaml;
    auto config = parse_router_config(yaml, "router.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    auto snapshot = GraphSnapshot::build(read_file(ORBIT_TEST_DATA_DIR "/shop.graphql"), *config);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
    router_ = std::make_unique<RouterServer>(loops_, *config, *snapshot);
    Status s = router_->start();
    ASSERT_TRUE(s.ok()) << s.message();
  }

  void run_on_loop(std::function<void()> fn) {
    std::promise<void> done;
    loops_.loop(0).post([&] {
      fn();
      done.set_value();
    });
    done.get_future().get();
  }

  net::HttpClientResponse send(net::HttpClientRequest request) {
    run_on_loop([this] {
      if (!client_) client_ = std::make_unique<net::HttpClient>(loops_.loop(0));
    });
    std::promise<Result<net::HttpClientResponse>> done;
    loops_.loop(0).post([&] {
      client_->fetch(request,
                     [&](Result<net::HttpClientResponse> r) { done.set_value(std::move(r)); });
    });
    Result<net::HttpClientResponse> r = done.get_future().get();
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(*r) : net::HttpClientResponse{};
  }

  net::HttpClientResponse query(std::string body, net::HttpHeaders headers = {}) {
    net::HttpClientRequest request;
    request.method = "POST";
    request.url = "http://127.0.0.1:" + std::to_string(router_->port()) + "/graphql";
    request.headers = std::move(headers);
    request.headers.add("Content-Type", "application/json");
    request.body = std::move(body);
    return send(std::move(request));
  }

  std::string get(uint16_t port, std::string path) {
    net::HttpClientRequest request;
    request.method = "GET";
    request.url = "http://127.0.0.1:" + std::to_string(port) + path;
    net::HttpClientResponse r = send(std::move(request));
    EXPECT_EQ(r.status, 200) << path;
    return r.body;
  }

  std::string dir_;
  net::LoopGroup loops_{2};
  std::unique_ptr<Subgraphs> subgraphs_;
  std::unique_ptr<RouterServer> router_;
  std::unique_ptr<net::HttpClient> client_;
};

// The value of one sample line ("name{labels} value") of an exposition; -1 when absent.
double sample(const std::string& text, const std::string& series) {
  size_t at = 0;
  while ((at = text.find(series + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') {
      size_t end = text.find('\n', at);
      return std::stod(text.substr(at + series.size() + 1, end - at - series.size() - 1));
    }
    at += series.size();
  }
  return -1;
}

TEST_F(RouterMetricsTest, KnownRequestsGiveKnownValues) {
  start_router(
      "telemetry:\n"
      "  client_name_header: x-app\n"
      "  metrics:\n"
      "    prometheus: {listen: 127.0.0.1:0, path: /prom}\n");
  const uint16_t prom = router_->metrics().prometheus_port();
  ASSERT_NE(prom, 0);

  for (int i = 0; i < 3; ++i) {
    auto r = query(R"({"query":"query Me { me { name } }"})",
                   {{"x-app", "web"}, {"graphql-client-version", "2.0"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"data":{"me":{"name":"Ada"}}})");
  }
  auto failed = query(R"({"query":"query Top { topProducts { name } }"})");  // subgraph 500
  EXPECT_EQ(failed.status, 200);
  EXPECT_NE(failed.body.find("\"errors\""), std::string::npos);
  auto down = query(R"({"query":"query MyReviews { me { reviews { body } } }"})");
  EXPECT_EQ(down.status, 200);
  EXPECT_NE(down.body.find("\"errors\""), std::string::npos);
  auto invalid =
      query(R"({"query":"{ nope }"})", {{"Accept", "application/graphql-response+json"}});
  EXPECT_EQ(invalid.status, 400);

  // on_end runs right after the answer is handed to the server: wait for the last one.
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text = get(prom, "/prom");
    if (sample(text, "orbit_router_requests_in_flight") == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const std::string req = "orbit_router_requests_total";
  EXPECT_EQ(sample(text, req + R"({operation_name="Me",operation_type="query",client_name="web",)"
                               R"(client_version="2.0",status="200",result="ok"})"),
            3)
      << text;
  EXPECT_EQ(sample(text, req + R"({operation_name="Top",operation_type="query",client_name="",)"
                               R"(client_version="",status="200",result="error"})"),
            1);
  EXPECT_EQ(sample(text, req + R"({operation_name="MyReviews",operation_type="query",)"
                               R"(client_name="",client_version="",status="200",result="error"})"),
            1);
  EXPECT_EQ(sample(text, req + R"({operation_name="",operation_type="",client_name="",)"
                               R"(client_version="",status="400",result="error"})"),
            1);
  EXPECT_EQ(sample(text, R"(orbit_router_request_duration_seconds_count{operation_name="Me",)"
                         R"(operation_type="query",client_name="web",client_version="2.0",)"
                         R"(result="ok"})"),
            3);
  EXPECT_EQ(sample(text, R"(orbit_router_subgraph_requests_total{subgraph="accounts",)"
                         R"(status="200",result="ok"})"),
            4);  // three Me, one MyReviews
  EXPECT_EQ(sample(text, R"(orbit_router_subgraph_requests_total{subgraph="products",)"
                         R"(status="500",result="error"})"),
            1);
  EXPECT_EQ(sample(text, R"(orbit_router_subgraph_errors_total{subgraph="products",kind="http"})"),
            1);
  EXPECT_EQ(
      sample(text, R"(orbit_router_subgraph_errors_total{subgraph="reviews",kind="transport"})"),
      1);
  EXPECT_EQ(
      sample(text, R"(orbit_router_subgraph_request_duration_seconds_count{subgraph="reviews"})"),
      1);
  EXPECT_EQ(sample(text, "orbit_router_requests_in_flight"), 0);
  EXPECT_GE(sample(text, R"(orbit_router_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"})"),
            1)
      << text;
  // Me: first prepared (a miss, planned), then reused twice.
  EXPECT_EQ(sample(text, "orbit_router_operation_cache_hits_total"), 2);
  EXPECT_EQ(sample(text, "orbit_router_operation_cache_misses_total"), 3);
  EXPECT_EQ(sample(text, "orbit_router_plan_cache_misses_total"), 3);
  // The handler's own series are in the same exposition.
  EXPECT_NE(text.find("orbit_router_config_info{"), std::string::npos);
  EXPECT_NE(text.find("# TYPE orbit_router_requests_total counter\n"), std::string::npos);

  // The GraphQL port's /metrics answers the same series.
  std::string main = get(router_->port(), "/metrics");
  EXPECT_NE(main.find("orbit_router_config_info{"), std::string::npos);
  EXPECT_EQ(sample(main, req + R"({operation_name="Me",operation_type="query",client_name="web",)"
                               R"(client_version="2.0",status="200",result="ok"})"),
            3);

  // Only the configured path.
  net::HttpClientRequest other;
  other.method = "GET";
  other.url = "http://127.0.0.1:" + std::to_string(prom) + "/graphql";
  EXPECT_EQ(send(std::move(other)).status, 404);
}

TEST_F(RouterMetricsTest, MetricsArePushedOverOtlpEveryExportInterval) {
  telemetry::OtlpReceiver receiver;
  ASSERT_TRUE(receiver.start().ok());
  start_router(
      "telemetry:\n"
      "  exporters:\n"
      "    - endpoint: " +
      receiver.endpoint() +
      "\n"
      "      signals: [metrics]\n"
      "  metrics:\n"
      "    export_interval: 200ms\n");
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(query(R"({"query":"query Me { me { name } }"})").status, 200);

  // A snapshot pushed after both requests ended holds their count.
  auto count_of_me = [](const telemetry::DecodedMetrics& m) {
    for (const auto& metric : m.metrics) {
      if (metric.name != "orbit_router_requests_total") continue;
      for (const auto& p : metric.points) {
        for (const auto& [k, v] : p.attributes) {
          if (k == "operation_name" && v == "Me") return p.value;
        }
      }
    }
    return -1.0;
  };
  // (The predicate runs under the receiver's lock: it decodes what it is given.)
  bool seen = receiver.wait_until(
      [&](const std::vector<telemetry::ReceivedExport>& requests) {
        for (const auto& r : requests) {
          auto m = telemetry::decode_metrics(r.body);
          if (m.ok() && count_of_me(*m) == 2) return true;
        }
        return false;
      },
      std::chrono::seconds(5));
  EXPECT_TRUE(seen);
  auto all = receiver.metrics();
  ASSERT_FALSE(all.empty());
  const telemetry::DecodedMetrics& last = all.back();
  EXPECT_EQ(last.resource.service_name, "orbit-router");
  bool cumulative_histogram = false;
  for (const auto& metric : last.metrics) {
    if (metric.name == "orbit_router_request_duration_seconds")
      cumulative_histogram =
          metric.kind == telemetry::MetricKind::kHistogram && metric.temporality == 2;
  }
  EXPECT_TRUE(cumulative_histogram);
  // Pushed on the interval, not once: several requests in about a second.
  EXPECT_TRUE(receiver.wait_until(
      [](const std::vector<telemetry::ReceivedExport>& r) { return r.size() >= 3; },
      std::chrono::seconds(3)));
  for (const auto& r : receiver.requests())
    EXPECT_EQ(r.path, "/v1/metrics");
  router_->stop(std::chrono::milliseconds(100));
  receiver.stop();
}

// A fetcher whose requests do not come back until the test answers the callbacks it keeps.
class HangingFetcher final : public executor::SubgraphFetcher {
 public:
  explicit HangingFetcher(std::vector<Callback>& held) : held_(held) {}
  void fetch(executor::SubgraphRequest, Callback done) override {
    held_.push_back(std::move(done));
  }

 private:
  std::vector<Callback>& held_;
};

// The OTLP push carries the handler's status series too, and the last snapshot (at stop) has
// nothing in flight although a request is left without an answer, as at a shutdown.
TEST(RouterMetricsPush, StatusSeriesAndNothingInFlightAfterStop) {
  telemetry::OtlpReceiver receiver;
  ASSERT_TRUE(receiver.start().ok());
  std::string yaml =
      "listen: 127.0.0.1:0\nsubgraphs:\n"
      "  accounts:\n    url: http://127.0.0.1:1/a\n"
      "  products:\n    url: http://127.0.0.1:1/p\n"
      "  reviews:\n    url: http://127.0.0.1:1/r\n"
      "telemetry:\n  exporters:\n    - endpoint: " +
      receiver.endpoint() + "\n      signals: [metrics]\n  metrics:\n    export_interval: 100ms\n";
  auto config = parse_router_config(yaml, "router.yaml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  auto snapshot = GraphSnapshot::build(read_file(ORBIT_TEST_DATA_DIR "/shop.graphql"), *config);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  SnapshotHolder holder(*snapshot);
  std::vector<executor::SubgraphFetcher::Callback> held;
  RequestHandler handler(*config, holder,
                         [&](const std::shared_ptr<const GraphSnapshot>&, const net::HttpHeaders&,
                             FetchContext) { return std::make_unique<HangingFetcher>(held); });
  auto exporter = std::make_shared<telemetry::OtlpExporter>(
      config->telemetry.exporters, telemetry::exporter_options(config->telemetry));
  net::LoopGroup loops{1};
  loops.start();
  RouterMetrics metrics(*config);
  ASSERT_TRUE(metrics.start(loops, handler, exporter).ok());

  net::HttpRequest request;
  request.method = "POST";
  request.target = "/graphql";
  request.headers.add("Content-Type", "application/json");
  request.body = R"({"query":"query Me { me { name } }"})";
  bool answered = false;
  handler.handle(std::move(request), [&](HttpAnswer) { answered = true; });
  EXPECT_FALSE(answered);
  EXPECT_FALSE(held.empty());

  auto value = [](const telemetry::DecodedMetrics& m, std::string_view name) {
    for (const auto& metric : m.metrics) {
      if (metric.name == name && !metric.points.empty()) return metric.points[0].value;
    }
    return -1.0;
  };
  // A push while the request waits counts it, and has the status series.
  EXPECT_TRUE(receiver.wait_until(
      [&](const std::vector<telemetry::ReceivedExport>& requests) {
        for (const auto& r : requests) {
          auto m = telemetry::decode_metrics(r.body);
          if (m.ok() && value(*m, "orbit_router_requests_in_flight") == 1 &&
              value(*m, "orbit_router_config_info") == 1) {
            return true;
          }
        }
        return false;
      },
      std::chrono::seconds(5)));
  metrics.stop();
  exporter->shutdown(std::chrono::seconds(2));
  std::vector<telemetry::DecodedMetrics> all = receiver.metrics();
  ASSERT_FALSE(all.empty());
  const telemetry::DecodedMetrics& last = all.back();
  EXPECT_EQ(value(last, "orbit_router_requests_in_flight"), 0);
  EXPECT_EQ(value(last, "orbit_router_config_info"), 1);
  EXPECT_GT(value(last, "orbit_router_config_loaded_timestamp_seconds"), 1.6e9);
  for (const auto& metric : last.metrics) {
    if (metric.name == "orbit_router_config_info") {
      EXPECT_EQ(metric.kind, telemetry::MetricKind::kGauge);
    }
  }
  EXPECT_FALSE(answered);
  // The subgraph requests fail at last: the request ends and frees what it holds.
  while (!held.empty()) {
    executor::SubgraphFetcher::Callback done = std::move(held.back());
    held.pop_back();
    done(Status(ErrorCode::kUnavailable, "subgraph gone"));
  }
  EXPECT_TRUE(answered);
  loops.stop();
  receiver.stop();
}

TEST_F(RouterMetricsTest, AccessLogLinesParseAsJsonWithTheRightFields) {
  std::string path = dir_ + "/access.log";
  start_router(
      "telemetry:\n"
      "  access_log:\n"
      "    path: " +
      path +
      "\n"
      "    fields: [status, operation_name, operation_type, operation_hash, client_name, "
      "client_version, errors, error_codes, subgraph_calls, subgraph_errors, method, path, "
      "latency_ms, config_version]\n");
  ASSERT_NE(router_->metrics().access_log(), nullptr);
  query(R"({"query":"query Me { me { name } }"})",
        {{"graphql-client-name", "ios"}, {"graphql-client-version", "7"}});
  query(R"({"query":"query Top { topProducts { name } }"})");
  query(R"({"query":"{ nope }"})", {{"Accept", "application/graphql-response+json"}});
  // The last line is queued right after its answer was sent: wait for it.
  for (int i = 0; i < 200 && router_->metrics().access_log()->stats().written < 3; ++i) {
    router_->metrics().access_log()->flush();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  std::string text = read_file(path);
  std::vector<std::string> lines;
  for (size_t at = 0; at < text.size();) {
    size_t nl = text.find('\n', at);
    lines.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  ASSERT_EQ(lines.size(), 3u) << text;
  Arena arena;
  std::vector<JsonValue> parsed;
  for (const std::string& l : lines) {
    auto v = parse_json(l, arena);
    ASSERT_TRUE(v.ok()) << l;
    parsed.push_back(*v);
    std::vector<std::string_view> keys;
    for (const auto& m : v->members())
      keys.push_back(m.key);
    EXPECT_EQ(keys, (std::vector<std::string_view>{
                        "status", "operation_name", "operation_type", "operation_hash",
                        "client_name", "client_version", "errors", "error_codes", "subgraph_calls",
                        "subgraph_errors", "method", "path", "latency_ms", "config_version"}));
  }
  const JsonValue& me = parsed[0];
  EXPECT_EQ(me.find("status")->as_int64(), 200);
  EXPECT_EQ(me.find("operation_name")->as_string(), "Me");
  EXPECT_EQ(me.find("operation_type")->as_string(), "query");
  EXPECT_EQ(me.find("operation_hash")->as_string().size(), 64u);
  EXPECT_EQ(me.find("client_name")->as_string(), "ios");
  EXPECT_EQ(me.find("client_version")->as_string(), "7");
  EXPECT_EQ(me.find("errors")->as_int64(), 0);
  EXPECT_EQ(me.find("subgraph_calls")->as_int64(), 1);
  EXPECT_EQ(me.find("subgraph_errors")->size(), 0u);
  EXPECT_EQ(me.find("method")->as_string(), "POST");
  EXPECT_EQ(me.find("path")->as_string(), "/graphql");
  EXPECT_GT(me.find("latency_ms")->as_double(), 0);
  EXPECT_TRUE(me.find("config_version")->is_string());

  const JsonValue& top = parsed[1];
  EXPECT_GE(top.find("errors")->as_int64(), 1);
  ASSERT_EQ(top.find("subgraph_errors")->size(), 1u);
  const JsonValue& e = top.find("subgraph_errors")->items()[0];
  EXPECT_EQ(e.find("subgraph")->as_string(), "products");
  EXPECT_EQ(e.find("status")->as_int64(), 500);
  EXPECT_EQ(e.find("error")->as_string(), "http");
  EXPECT_TRUE(top.find("client_name")->is_null());

  const JsonValue& invalid = parsed[2];
  EXPECT_EQ(invalid.find("status")->as_int64(), 400);
  EXPECT_TRUE(invalid.find("operation_name")->is_null());
  EXPECT_TRUE(invalid.find("operation_hash")->is_null());
  ASSERT_GE(invalid.find("error_codes")->size(), 1u);
  EXPECT_EQ(invalid.find("error_codes")->items()[0].as_string(), "GRAPHQL_VALIDATION_FAILED");
}

TEST_F(RouterMetricsTest, RequestMetricsTurnedOff) {
  start_router("telemetry:\n  metrics:\n    enabled: false\n");
  EXPECT_EQ(query(R"({"query":"query Me { me { name } }"})").status, 200);
  std::string text = get(router_->port(), "/metrics");
  EXPECT_NE(text.find("orbit_router_config_info{"), std::string::npos);
  EXPECT_EQ(text.find("orbit_router_requests_total"), std::string::npos) << text;
  EXPECT_EQ(text.find("orbit_router_requests_in_flight"), std::string::npos);
}

TEST_F(RouterMetricsTest, PrometheusListenerThatCannotBindFailsTheStart) {
  // 192.0.2.1 (TEST-NET-1) is no address of this machine.
  std::string yaml =
      "listen: 127.0.0.1:0\ntelemetry:\n  metrics:\n    prometheus:\n      listen: "
      "192.0.2.1:9464\n";
  auto config = parse_router_config(yaml, "router.yaml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  auto snapshot = GraphSnapshot::build(read_file(ORBIT_TEST_DATA_DIR "/shop.graphql"), *config);
  ASSERT_TRUE(snapshot.ok());
  auto router = std::make_unique<RouterServer>(loops_, *config, *snapshot);
  Status s = router->start();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind("telemetry.metrics.prometheus.listen 192.0.2.1:9464: ", 0), 0u)
      << s.message();
}

TEST_F(RouterMetricsTest, AnAccessLogThatCannotBeOpenedFailsTheStart) {
  std::string yaml =
      "listen: 127.0.0.1:0\ntelemetry:\n  access_log:\n    path: /nonexistent-dir/a.log\n";
  auto config = parse_router_config(yaml, "router.yaml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  auto snapshot = GraphSnapshot::build(read_file(ORBIT_TEST_DATA_DIR "/shop.graphql"), *config);
  ASSERT_TRUE(snapshot.ok());
  auto router = std::make_unique<RouterServer>(loops_, *config, *snapshot);
  Status s = router->start();
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(),
            "telemetry.access_log.path: cannot open /nonexistent-dir/a.log: No such file or "
            "directory");
}

}  // namespace
}  // namespace orbit::router
