// RequestObserver (request_observer.h): over real HTTP on 127.0.0.1, a router with a recording
// observer and subgraph servers that answer, fail or are gone — what each record says about
// the request, its stages, its operation and its subgraph fetches, and what on_fetch adds to
// the subgraph requests.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>

#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/net/http_server.h"
#include "orbit/router/router_server.h"
#include "test_data.h"

namespace orbit::router {
namespace {

// A copy of what a record says (the record itself lives during on_end only).
struct Seen {
  std::string method, path, user_agent, client_name, client_version, operation_name, operation_hash;
  bool has_operation = false, normalized = false, operation_cache_hit = false,
       plan_cache_hit = false, deduplicated = false, data_is_null = false;
  graphql::OperationType operation_type{};
  RequestRecord::Stage parse, validate, plan, execute;
  int64_t duration_ns = 0;
  int http_status = 0;
  uint32_t error_count = 0;
  std::vector<std::string> error_codes;
  struct Fetch {
    std::string subgraph;
    int http_status;
    ErrorCode transport_error;
    bool deduplicated;
    int64_t start_ns, duration_ns;
    size_t request_bytes, response_bytes;
  };
  std::vector<Fetch> fetches;
  bool started = false;  // on_start ran for it
};

class RecordingObserver final : public RequestObserver {
 public:
  void on_start(RequestRecord& record, const net::HttpHeaders& headers) override {
    record.trace.span_id = 7;  // what on_start writes, on_end reads
    started_.fetch_add(1);
  }
  void on_fetch(const RequestRecord& record, FetchRecord& fetch,
                net::HttpHeaders& headers) override {
    headers.add("X-Observed", std::string(fetch.subgraph_name));
    fetch.span_id = 42;
  }
  void on_end(const RequestRecord& r) override {
    Seen s;
    s.started = r.trace.span_id == 7;
    s.method = r.method;
    s.path = r.path;
    s.user_agent = r.user_agent;
    s.client_name = r.client_name;
    s.client_version = r.client_version;
    s.has_operation = r.has_operation;
    s.operation_type = r.operation_type;
    s.operation_name = r.operation_name;
    s.operation_hash = r.operation_hash;
    s.normalized = r.normalized_operation != nullptr && r.schema != nullptr;
    s.operation_cache_hit = r.operation_cache_hit;
    s.plan_cache_hit = r.plan_cache_hit;
    s.deduplicated = r.deduplicated;
    s.data_is_null = r.data_is_null;
    s.parse = r.parse;
    s.validate = r.validate;
    s.plan = r.plan;
    s.execute = r.execute;
    s.duration_ns = r.duration_ns;
    s.http_status = r.http_status;
    s.error_count = r.error_count;
    for (std::string_view c : r.error_codes)
      s.error_codes.emplace_back(c);
    for (const FetchRecord& f : r.fetches) {
      EXPECT_TRUE(f.deduplicated || f.span_id == 42) << "on_fetch did not see " << f.subgraph;
      s.fetches.push_back({std::string(f.subgraph_name), f.http_status, f.transport_error,
                           f.deduplicated, f.start_ns, f.duration_ns, f.request_bytes,
                           f.response_bytes});
    }
    std::lock_guard<std::mutex> lock(mu_);
    seen_.push_back(std::move(s));
  }

  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  int started() const { return started_.load(); }

 private:
  std::mutex mu_;
  std::vector<Seen> seen_;
  std::atomic<int> started_{0};
};

// accounts answers; products answers 500 when `products_fail`; every request's headers kept.
class Subgraphs {
 public:
  explicit Subgraphs(net::LoopGroup& loops)
      : server_(loops.loops(), net::HttpServerOptions{},
                [this](net::HttpRequest&& request, net::HttpResponder responder) {
                  std::string path(request.path());
                  {
                    std::lock_guard<std::mutex> lock(mu_);
                    seen_.emplace_back(path, request.headers);
                  }
                  if (path == "/products" && products_fail.load()) {
                    responder.send(500, {{"Content-Type", "text/plain"}}, "boom");
                    return;
                  }
                  std::string body = path == "/accounts"
                                         ? R"({"data":{"me":{"name":"Ada"}}})"
                                         : R"({"data":{"topProducts":[{"name":"Lamp"}]}})";
                  responder.send(200, {{"Content-Type", "application/json"}}, std::move(body));
                }) {}

  Status start() { return server_.start(); }
  void stop() { server_.stop(std::chrono::milliseconds(100)); }
  std::string url(std::string_view subgraph) const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/" + std::string(subgraph);
  }
  std::vector<std::pair<std::string, net::HttpHeaders>> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

  std::atomic<bool> products_fail{false};

 private:
  net::HttpServer server_;
  std::mutex mu_;
  std::vector<std::pair<std::string, net::HttpHeaders>> seen_;
};

class RequestObserverTest : public ::testing::Test {
 protected:
  void SetUp() override {
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
  }

  // `accounts_url` empty: the accounts subgraph of the test server.
  void start_router(std::string accounts_url = "", std::string extra_yaml = "") {
    if (accounts_url.empty()) accounts_url = subgraphs_->url("accounts");
    std::string yaml = "listen: 127.0.0.1:0\nsubgraphs:\n  accounts:\n    url: " + accounts_url +
                       "\n  products:\n    url: " + subgraphs_->url("products") + "\n" + extra_yaml;
    auto config = parse_router_config(yaml, "router.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    auto snapshot = GraphSnapshot::build(testing::test_data("shop.graphql"), *config);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
    router_ = std::make_unique<RouterServer>(loops_, *config, *snapshot);
    router_->add_observer(observer_);
    ASSERT_TRUE(router_->start().ok());
  }

  void run_on_loop(std::function<void()> fn) {
    std::promise<void> done;
    loops_.loop(0).post([&] {
      fn();
      done.set_value();
    });
    done.get_future().get();
  }

  net::HttpClientResponse post(std::string body, net::HttpHeaders headers = {}) {
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
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(*r) : net::HttpClientResponse{};
  }

  // on_end runs after the answer is handed to the server: wait for the n-th record.
  Seen record(size_t n) {
    for (int i = 0; i < 500; ++i) {
      std::vector<Seen> seen = observer_->seen();
      if (seen.size() > n) return seen[n];
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ADD_FAILURE() << "no record " << n;
    return {};
  }

  static constexpr const char* kQuery =
      R"({"query":"query Shop { me { name } topProducts { name } }","operationName":"Shop"})";

  net::LoopGroup loops_{2};
  std::unique_ptr<Subgraphs> subgraphs_;
  std::unique_ptr<RouterServer> router_;
  std::unique_ptr<net::HttpClient> client_;
  std::shared_ptr<RecordingObserver> observer_ = std::make_shared<RecordingObserver>();
};

TEST_F(RequestObserverTest, ARecordDescribesTheRequestItsStagesAndFetches) {
  start_router();
  net::HttpClientResponse r = post(kQuery, {{"graphql-client-name", "web"},
                                            {"graphql-client-version", "1.4.2"},
                                            {"User-Agent", "orbit-test"}});
  ASSERT_EQ(r.status, 200) << r.body;
  Seen s = record(0);
  EXPECT_TRUE(s.started);
  EXPECT_EQ(s.method, "POST");
  EXPECT_EQ(s.path, "/graphql");
  EXPECT_EQ(s.user_agent, "orbit-test");
  EXPECT_EQ(s.client_name, "web");
  EXPECT_EQ(s.client_version, "1.4.2");
  EXPECT_TRUE(s.has_operation);
  EXPECT_EQ(s.operation_type, graphql::OperationType::kQuery);
  EXPECT_EQ(s.operation_name, "Shop");
  EXPECT_EQ(s.operation_hash.size(), 64u);
  EXPECT_EQ(s.operation_hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_TRUE(s.normalized);
  EXPECT_FALSE(s.operation_cache_hit);
  EXPECT_FALSE(s.plan_cache_hit);
  EXPECT_EQ(s.http_status, 200);
  EXPECT_EQ(s.error_count, 0u);
  // Stages in order, inside the request.
  EXPECT_TRUE(s.parse.ran() && s.validate.ran() && s.plan.ran() && s.execute.ran());
  EXPECT_LE(s.parse.start_ns + s.parse.duration_ns, s.validate.start_ns);
  EXPECT_LE(s.validate.start_ns + s.validate.duration_ns, s.plan.start_ns);
  EXPECT_LE(s.plan.start_ns + s.plan.duration_ns, s.execute.start_ns);
  EXPECT_LE(s.execute.start_ns + s.execute.duration_ns, s.duration_ns);
  // One fetch per subgraph, inside the execute stage, answered 200.
  ASSERT_EQ(s.fetches.size(), 2u);
  std::vector<std::string> names{s.fetches[0].subgraph, s.fetches[1].subgraph};
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"accounts", "products"}));
  for (const Seen::Fetch& f : s.fetches) {
    EXPECT_EQ(f.http_status, 200);
    EXPECT_FALSE(f.deduplicated);
    EXPECT_GE(f.start_ns, s.execute.start_ns);
    EXPECT_GT(f.duration_ns, 0);
    EXPECT_GT(f.request_bytes, 0u);
    EXPECT_GT(f.response_bytes, 0u);
  }
  // on_fetch's header fields reached each subgraph.
  for (const auto& [path, headers] : subgraphs_->seen())
    EXPECT_EQ(headers.get("x-observed").value_or(""), path.substr(1));

  // The same document again: the prepared operation is reused, same identity.
  ASSERT_EQ(post(kQuery).status, 200);
  Seen again = record(1);
  EXPECT_TRUE(again.operation_cache_hit);
  EXPECT_FALSE(again.parse.ran());
  EXPECT_FALSE(again.plan.ran());
  EXPECT_TRUE(again.execute.ran());
  EXPECT_EQ(again.operation_hash, s.operation_hash);
  EXPECT_EQ(again.client_name, "");
  EXPECT_EQ(observer_->started(), 2);
}

TEST_F(RequestObserverTest, TheHashIgnoresFormattingAndFragments) {
  start_router();
  ASSERT_EQ(post(R"({"query":"{ me { name } }"})").status, 200);
  ASSERT_EQ(post(R"({"query":"query { me { ...F } } fragment F on User { name }"})").status, 200);
  ASSERT_EQ(post(R"({"query":"{ topProducts { name } }"})").status, 200);
  EXPECT_EQ(record(0).operation_hash, record(1).operation_hash);
  EXPECT_NE(record(0).operation_hash, record(2).operation_hash);
  EXPECT_EQ(record(0).operation_name, "");
}

TEST_F(RequestObserverTest, RequestErrorsAreCountedWithTheirCodes) {
  start_router();
  net::HttpClientResponse r = post(R"({"query":"{ nope }"})");
  EXPECT_EQ(r.status, 200);  // application/json answers request errors with 200
  Seen s = record(0);
  EXPECT_EQ(s.error_count, 1u);
  EXPECT_EQ(s.error_codes, (std::vector<std::string>{"GRAPHQL_VALIDATION_FAILED"}));
  EXPECT_TRUE(s.parse.ran());
  EXPECT_TRUE(s.validate.ran());
  EXPECT_FALSE(s.plan.ran());
  EXPECT_TRUE(s.fetches.empty());
  EXPECT_TRUE(s.operation_hash.empty());

  post(R"({"query":"{ me { name }"})");  // does not parse
  Seen syntax = record(1);
  EXPECT_EQ(syntax.error_codes, (std::vector<std::string>{"GRAPHQL_PARSE_FAILED"}));
  EXPECT_FALSE(syntax.has_operation);

  post("not json");
  Seen bad = record(2);
  EXPECT_EQ(bad.http_status, 400);
  EXPECT_EQ(bad.error_count, 1u);
}

TEST_F(RequestObserverTest, FailedFetchesAreRecorded) {
  // accounts: nothing listens there; products: answers 500.
  net::HttpServer closed(loops_.loops(), net::HttpServerOptions{},
                         [](net::HttpRequest&&, net::HttpResponder) {});
  ASSERT_TRUE(closed.start().ok());
  std::string gone = "http://127.0.0.1:" + std::to_string(closed.port()) + "/accounts";
  closed.stop(std::chrono::milliseconds(0));
  subgraphs_->products_fail = true;
  start_router(gone);
  net::HttpClientResponse r = post(kQuery);
  EXPECT_EQ(r.status, 200);
  Seen s = record(0);
  EXPECT_GE(s.error_count, 2u);
  ASSERT_EQ(s.fetches.size(), 2u);
  for (const Seen::Fetch& f : s.fetches) {
    if (f.subgraph == "accounts") {
      EXPECT_EQ(f.http_status, 0);
      EXPECT_NE(f.transport_error, ErrorCode::kOk);
    } else {
      EXPECT_EQ(f.http_status, 500);
    }
  }
}

TEST_F(RequestObserverTest, ADeduplicatedSubgraphRequestIsMarkedAndNotShownToOnFetch) {
  start_router("", "deduplication:\n  inbound: false\n");
  // Two identical queries at once: the subgraph requests of one may join the other's.
  std::vector<std::thread> clients;
  for (int i = 0; i < 2; ++i)
    clients.emplace_back([this] { post(kQuery); });
  for (std::thread& t : clients)
    t.join();
  Seen a = record(0), b = record(1);
  size_t sent = 0, joined = 0;
  for (const Seen& s : {a, b}) {
    for (const Seen::Fetch& f : s.fetches)
      (f.deduplicated ? joined : sent) += 1;
  }
  EXPECT_EQ(sent + joined, 4u);
  // Whatever joined was not sent: the subgraphs saw exactly the requests marked sent.
  EXPECT_EQ(subgraphs_->seen().size(), sent);
}

}  // namespace
}  // namespace orbit::router
