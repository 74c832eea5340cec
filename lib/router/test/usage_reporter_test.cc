// Usage reporting (telemetry.usage, src/usage_reporter.h): a real router on 127.0.0.1 with
// real subgraph servers reports to a receiver that plays the control plane — answering 202,
// failing for a while, refusing, or never answering — and the batches it gets are read back.
#include "../src/usage_reporter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>

#include "orbit/base/json.h"
#include "orbit/graphql/parser.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/net/http_server.h"
#include "orbit/router/router_identity.h"
#include "orbit/router/router_server.h"
#include "test_data.h"

namespace orbit::router {
namespace {

using namespace std::chrono_literals;

// Answers with `status` (202 by default; `fail_first` answers 503 before that; `black_hole`
// never answers) and keeps every body and Authorization value.
class Receiver {
 public:
  explicit Receiver(net::LoopGroup& loops)
      : server_(loops.loops(), net::HttpServerOptions{},
                [this](net::HttpRequest&& request, net::HttpResponder responder) {
                  std::lock_guard<std::mutex> lock(mu_);
                  bodies_.push_back(request.body);
                  auth_.emplace_back(request.headers.get("authorization").value_or(""));
                  if (black_hole) {
                    held_.push_back(std::move(responder));  // never answered
                    return;
                  }
                  int code = fail_first > 0 ? (--fail_first, 503) : status.load();
                  responder.send(code, {{"Content-Type", "application/json"}}, "{}");
                }) {}

  Status start() { return server_.start(); }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      held_.clear();
    }
    server_.stop(100ms);
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/v1/usage";
  }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }
  std::vector<std::string> auth() {
    std::lock_guard<std::mutex> lock(mu_);
    return auth_;
  }

  std::atomic<int> status{202};
  std::atomic<int> fail_first{0};
  std::atomic<bool> black_hole{false};

 private:
  net::HttpServer server_;
  std::mutex mu_;
  std::vector<std::string> bodies_, auth_;
  std::vector<net::HttpResponder> held_;
};

class Subgraphs {
 public:
  explicit Subgraphs(net::LoopGroup& loops)
      : server_(loops.loops(), net::HttpServerOptions{},
                [](net::HttpRequest&& request, net::HttpResponder responder) {
                  std::string body = request.path() == "/accounts"
                                         ? R"({"data":{"me":{"name":"Ada"}}})"
                                         : R"({"data":{"topProducts":[{"name":"Lamp"}]}})";
                  responder.send(200, {{"Content-Type", "application/json"}}, std::move(body));
                }) {}
  Status start() { return server_.start(); }
  void stop() { server_.stop(100ms); }
  std::string url(std::string_view s) const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/" + std::string(s);
  }

 private:
  net::HttpServer server_;
};

// One operation of a batch, as read back.
struct ReportedOperation {
  std::string hash, name, type, client_name, client_version;
  int64_t requests = 0, errors = 0, counted = 0;
  std::vector<std::string> fields;
};

struct ReportedBatch {
  std::string router_id, host, config_version, orbit_version;
  int64_t report_interval_seconds = 0;
  std::vector<ReportedOperation> operations;
};

ReportedBatch parse_batch(const std::string& body) {
  Arena arena;
  auto v = parse_json(body, arena);
  EXPECT_TRUE(v.ok()) << body;
  ReportedBatch b;
  if (!v.ok()) return b;
  const JsonValue* router = v->find("router");
  EXPECT_NE(router, nullptr);
  if (router == nullptr) return b;
  b.router_id = router->find("id")->as_string();
  b.host = router->find("host")->as_string();
  b.config_version = router->find("configVersion")->as_string();
  b.orbit_version = router->find("orbitVersion")->as_string();
  if (const JsonValue* interval = router->find("reportIntervalSeconds"))
    b.report_interval_seconds = interval->as_int64();
  EXPECT_NE(v->find("windowStart"), nullptr);
  for (const JsonValue& o : v->find("operations")->items()) {
    ReportedOperation op;
    op.hash = o.find("hash")->as_string();
    op.name = o.find("name")->is_null() ? "" : std::string(o.find("name")->as_string());
    op.type = o.find("type")->as_string();
    op.client_name = o.find("client")->find("name")->as_string();
    op.client_version = o.find("client")->find("version")->as_string();
    op.requests = o.find("requests")->as_int64();
    op.errors = o.find("errors")->as_int64();
    EXPECT_EQ(o.find("latencyBucketsMs")->size() + 1, o.find("latencyCounts")->size());
    for (const JsonValue& c : o.find("latencyCounts")->items())
      op.counted += c.as_int64();
    for (const JsonValue& f : o.find("fields")->items())
      op.fields.emplace_back(f.as_string());
    b.operations.push_back(std::move(op));
  }
  return b;
}

class UsageReporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loops_.start();
    subgraphs_ = std::make_unique<Subgraphs>(loops_);
    receiver_ = std::make_unique<Receiver>(loops_);
    ASSERT_TRUE(subgraphs_->start().ok());
    ASSERT_TRUE(receiver_->start().ok());
  }
  void TearDown() override {
    if (router_) router_->stop(100ms);
    router_.reset();
    receiver_->stop();
    subgraphs_->stop();
    run_on_loop([this] { client_.reset(); });
    loops_.stop();
  }

  void start_router(std::string usage_yaml) {
    std::string yaml =
        "listen: 127.0.0.1:0\nsubgraphs:\n  accounts:\n    url: " + subgraphs_->url("accounts") +
        "\n  products:\n    url: " + subgraphs_->url("products") +
        "\ntelemetry:\n  usage:\n    endpoint: " + receiver_->url() +
        "\n    graph_token: the-token\n" + usage_yaml;
    auto config = parse_router_config(yaml, "router.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    auto snapshot = GraphSnapshot::build(testing::test_data("shop.graphql"), *config);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
    router_ = std::make_unique<RouterServer>(loops_, *config, *snapshot);
    ASSERT_TRUE(router_->start().ok());
    ASSERT_NE(router_->usage_reporter(), nullptr);
  }

  void run_on_loop(std::function<void()> fn) {
    std::promise<void> done;
    loops_.loop(0).post([&] {
      fn();
      done.set_value();
    });
    done.get_future().get();
  }

  int post(std::string body, net::HttpHeaders headers = {}) {
    run_on_loop([this] {
      if (!client_) client_ = std::make_unique<net::HttpClient>(loops_.loop(0));
    });
    net::HttpClientRequest request;
    request.method = "POST";
    request.url = "http://127.0.0.1:" + std::to_string(router_->port()) + "/graphql";
    request.headers = std::move(headers);
    request.headers.add("Content-Type", "application/json");
    request.body = std::move(body);
    std::promise<Result<net::HttpClientResponse>> done;
    loops_.loop(0).post([&] {
      client_->fetch(request,
                     [&](Result<net::HttpClientResponse> r) { done.set_value(std::move(r)); });
    });
    Result<net::HttpClientResponse> r = done.get_future().get();
    return r.ok() ? r->status : 0;
  }

  std::string get(std::string path) {
    run_on_loop([this] {
      if (!client_) client_ = std::make_unique<net::HttpClient>(loops_.loop(0));
    });
    net::HttpClientRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(router_->port()) + path;
    std::promise<Result<net::HttpClientResponse>> done;
    loops_.loop(0).post([&] {
      client_->fetch(request,
                     [&](Result<net::HttpClientResponse> r) { done.set_value(std::move(r)); });
    });
    Result<net::HttpClientResponse> r = done.get_future().get();
    return r.ok() ? r->body : std::string();
  }

  // Waits until `pred` holds over the batches received (parsed), up to 5 s.
  std::vector<ReportedBatch> wait_for(
      const std::function<bool(const std::vector<ReportedBatch>&)>& pred) {
    std::vector<ReportedBatch> batches;
    for (int i = 0; i < 500; ++i) {
      batches.clear();
      for (const std::string& body : receiver_->bodies())
        batches.push_back(parse_batch(body));
      if (pred(batches)) return batches;
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << "condition not met; " << batches.size() << " batches";
    return batches;
  }

  static int64_t total_requests(const std::vector<ReportedBatch>& batches) {
    int64_t n = 0;
    for (const ReportedBatch& b : batches) {
      for (const ReportedOperation& o : b.operations)
        n += o.requests;
    }
    return n;
  }

  net::LoopGroup loops_{2};
  std::unique_ptr<Subgraphs> subgraphs_;
  std::unique_ptr<Receiver> receiver_;
  std::unique_ptr<RouterServer> router_;
  std::unique_ptr<net::HttpClient> client_;
};

TEST(UsedCoordinatesTest, FieldsPerParentTypeWithoutIntrospection) {
  std::string sdl = R"(
    type Query { me: User, node(id: ID!): Node }
    interface Node { id: ID! }
    type User implements Node { id: ID! name: String, friends: [User] }
  )";
  graphql::ErrorReport errors;
  auto schema = graphql::Schema::build(sdl, errors);
  ASSERT_NE(schema, nullptr);
  Arena arena;
  auto parsed = graphql::parse(
      "{ __typename me { name friends { name } } node(id: 1) { id ... on User { name } } }", arena);
  ASSERT_TRUE(parsed.ok());
  const auto* op = parsed.document->definitions[0]->as<graphql::OperationDefinition>();
  EXPECT_EQ(
      used_coordinates(*schema, *op),
      (std::vector<std::string>{"Node.id", "Query.me", "Query.node", "User.friends", "User.name"}));
}

TEST_F(UsageReporterTest, BatchesCountOperationsPerClientWithTheirFields) {
  start_router("    report_interval: 200ms\n");
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(post(R"({"query":"query Me { me { name } }"})",
                   {{"graphql-client-name", "web"}, {"graphql-client-version", "2.0"}}),
              200);
  }
  ASSERT_EQ(post(R"({"query":"query Me { me { name } }"})"), 200);       // no client headers
  ASSERT_EQ(post(R"({"query":"{ topProducts { name } nope }"})"), 200);  // invalid: not counted
  ASSERT_EQ(post(R"({"query":"query Top { topProducts { name } }"})"), 200);

  auto batches = wait_for([](const auto& b) { return total_requests(b) >= 5; });
  EXPECT_EQ(total_requests(batches), 5);
  std::map<std::string, ReportedOperation> by_key;  // name/client
  for (const ReportedBatch& b : batches) {
    EXPECT_EQ(b.router_id, router_->usage_reporter()->router_id());
    // The id of the CDN polls too (router_identity.h), and the interval the fleet view uses.
    EXPECT_EQ(b.router_id, router_identity().id);
    EXPECT_GE(b.report_interval_seconds, 1);
    EXPECT_FALSE(b.host.empty());
    EXPECT_FALSE(b.orbit_version.empty());
    for (const ReportedOperation& o : b.operations) {
      ReportedOperation& into = by_key[o.name + "/" + o.client_name + "/" + o.client_version];
      into.hash = o.hash;
      into.type = o.type;
      into.fields = o.fields;
      into.requests += o.requests;
      into.counted += o.counted;
    }
  }
  ASSERT_EQ(by_key.size(), 3u);
  const ReportedOperation& web = by_key["Me/web/2.0"];
  EXPECT_EQ(web.requests, 3);
  EXPECT_EQ(web.counted, 3);  // every request in the latency histogram
  EXPECT_EQ(web.type, "query");
  EXPECT_EQ(web.hash.size(), 64u);
  EXPECT_EQ(web.fields, (std::vector<std::string>{"Query.me", "User.name"}));
  EXPECT_EQ(by_key["Me//"].requests, 1);
  EXPECT_EQ(by_key["Me//"].hash, web.hash);
  EXPECT_EQ(by_key["Top//"].fields,
            (std::vector<std::string>{"Product.name", "Query.topProducts"}));
  for (const std::string& a : receiver_->auth())
    EXPECT_EQ(a, "Bearer the-token");
}

TEST_F(UsageReporterTest, AnIdleRouterStillSendsHeartbeats) {
  start_router("    report_interval: 100ms\n");
  auto batches = wait_for([](const auto& b) { return b.size() >= 2; });
  for (const ReportedBatch& b : batches)
    EXPECT_TRUE(b.operations.empty());
}

TEST_F(UsageReporterTest, TransientFailuresAreRetriedAndNothingIsLost) {
  receiver_->fail_first = 2;
  start_router("    report_interval: 100ms\n");
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(post(R"({"query":"{ me { name } }"})"), 200);
  // The first two answers are 503: the batch they carried is sent again until accepted
  // (backoff 0.5 s, then 1 s). What was accepted is what came from the third POST on.
  auto accepted = [](const std::vector<ReportedBatch>& all) {
    int64_t n = 0;
    for (size_t i = 2; i < all.size(); ++i) {
      for (const ReportedOperation& o : all[i].operations)
        n += o.requests;
    }
    return n;
  };
  wait_for([&](const auto& b) { return accepted(b) >= 4; });
  std::this_thread::sleep_for(300ms);
  std::vector<ReportedBatch> all;
  for (const std::string& body : receiver_->bodies())
    all.push_back(parse_batch(body));
  EXPECT_EQ(accepted(all), 4) << "each request counted once";
  UsageReporterStats s = router_->usage_reporter()->stats();
  EXPECT_GE(s.send_failures, 2u);
  EXPECT_GE(s.batches_sent, 1u);
  EXPECT_EQ(s.batches_rejected, 0u);
}

TEST_F(UsageReporterTest, ARefusedBatchIsDroppedNotRetried) {
  receiver_->status = 401;
  start_router("    report_interval: 100ms\n");
  wait_for([](const auto& b) { return b.size() >= 3; });
  UsageReporterStats s = router_->usage_reporter()->stats();
  EXPECT_GE(s.batches_rejected, 3u);
  EXPECT_EQ(s.send_failures, 0u);
  EXPECT_EQ(s.batches_sent, 0u);
  // The same counts on /metrics.
  std::string metrics = get("/metrics");
  EXPECT_NE(metrics.find("orbit_router_usage_batches_total{result=\"sent\"} 0\n"),
            std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("orbit_router_usage_batches_total{result=\"rejected\"} 0\n"),
            std::string::npos);
  EXPECT_NE(metrics.find("orbit_router_usage_batches_total{result=\"rejected\"} "),
            std::string::npos);
}

TEST_F(UsageReporterTest, ABlackHoledControlPlaneNeverSlowsRequests) {
  receiver_->black_hole = true;
  start_router("    report_interval: 100ms\n    timeout: 300ms\n    max_queue_batches: 2\n");
  auto until = std::chrono::steady_clock::now() + 1500ms;
  int served = 0;
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_EQ(post(R"({"query":"{ me { name } }"})"), 200);
    ++served;
  }
  EXPECT_GT(served, 20);
  UsageReporterStats s = router_->usage_reporter()->stats();
  EXPECT_GT(s.batches_dropped, 0u) << "a full queue drops new batches";
  EXPECT_GT(s.send_failures, 0u) << "timeouts are transient failures";
  EXPECT_LE(s.queued, 2u);
}

}  // namespace
}  // namespace orbit::router
