// Deduplication (config `deduplication:`), over real HTTP on 127.0.0.1: subgraph servers that
// answer after a delay count the requests they get while several clients ask at the same
// time.
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <mutex>

#include "../src/inflight.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/net/http_server.h"
#include "orbit/router/router_server.h"
#include "test_data.h"

namespace orbit::router {
namespace {

using namespace std::chrono_literals;

// ---- InflightTable on its own ---------------------------------------------------------------

TEST(InflightTableTest, JoinsWorkInFlightAndGivesEveryoneTheValue) {
  InflightTable<std::string> table;
  std::vector<std::function<void(std::string)>> pending;  // completions not yet called
  std::vector<std::string> got;
  int starts = 0;
  auto start = [&](InflightTable<std::string>::Complete complete) {
    ++starts;
    pending.push_back(std::move(complete));
  };
  table.run("a", start, [&](std::string v) { got.push_back("1:" + v); });
  table.run("a", start, [&](std::string v) { got.push_back("2:" + v); });
  table.run("b", start, [&](std::string v) { got.push_back("3:" + v); });
  table.run("a", start, [&](std::string v) { got.push_back("4:" + v); });
  EXPECT_EQ(starts, 2);
  EXPECT_EQ(table.in_flight(), 2u);
  EXPECT_EQ(table.joined(), 2u);
  pending[0]("A");
  EXPECT_EQ(got, (std::vector<std::string>{"1:A", "2:A", "4:A"}));
  EXPECT_EQ(table.in_flight(), 1u);
  pending[0]("again");  // a second completion is ignored
  EXPECT_EQ(got.size(), 3u);
  pending[1]("B");
  EXPECT_EQ(got.back(), "3:B");
  EXPECT_EQ(table.in_flight(), 0u);
  EXPECT_EQ(table.started(), 2u);
}

TEST(InflightTableTest, SynchronousCompletionAndReentryStartNewWork) {
  InflightTable<int> table;
  int starts = 0;
  std::vector<int> got;
  // Completes inside start: nothing stays in flight.
  table.run(
      "k",
      [&](InflightTable<int>::Complete complete) {
        ++starts;
        complete(1);
      },
      [&](int v) { got.push_back(v); });
  EXPECT_EQ(table.in_flight(), 0u);
  // A waiter that asks for the same key again starts new work rather than joining the
  // finished one.
  std::function<void(int)> later;
  table.run(
      "k",
      [&](InflightTable<int>::Complete complete) {
        ++starts;
        later = std::move(complete);
      },
      [&](int v) {
        got.push_back(v);
        if (v == 2) {
          table.run(
              "k",
              [&](InflightTable<int>::Complete complete) {
                ++starts;
                complete(3);
              },
              [&](int w) { got.push_back(w); });
        }
      });
  later(2);
  EXPECT_EQ(got, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(starts, 3);
  EXPECT_EQ(table.joined(), 0u);
}

// ---- the router over HTTP -------------------------------------------------------------------

// The accounts and products subgraphs of shop.graphql on one server (by path), answering each
// request after `delay`; every request's path, headers and body are kept.
class SlowSubgraphs {
 public:
  SlowSubgraphs(net::LoopGroup& loops, std::chrono::milliseconds delay)
      : server_(loops.loops(), net::HttpServerOptions{},
                [this, delay](net::HttpRequest&& request, net::HttpResponder responder) {
                  std::string path(request.path());
                  std::string body;
                  if (path == "/accounts") {
                    body = request.body.find("setName") != std::string::npos
                               ? R"({"data":{"setName":{"name":"Bo"}}})"
                               : R"({"data":{"me":{"name":"Ada"}}})";
                  } else {
                    body = request.body.find("\"n\":1") != std::string::npos
                               ? R"({"data":{"topProducts":[{"name":"Lamp"}]}})"
                               : R"({"data":{"topProducts":[{"name":"Lamp"},{"name":"Desk"}]}})";
                  }
                  {
                    std::lock_guard<std::mutex> lock(mu_);
                    seen_.push_back(Seen{path, request.headers, request.body});
                  }
                  net::EventLoop::current()->run_after(delay, [responder,
                                                               body = std::move(body)]() mutable {
                    responder.send(200, {{"Content-Type", "application/json"}}, std::move(body));
                  });
                }) {}

  Status start() { return server_.start(); }
  void stop() { server_.stop(100ms); }
  std::string url(std::string_view subgraph) const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/" + std::string(subgraph);
  }
  size_t requests_to(std::string_view path) {
    std::lock_guard<std::mutex> lock(mu_);
    size_t n = 0;
    for (const Seen& s : seen_)
      n += s.path == path;
    return n;
  }
  std::vector<std::string> authorizations_to(std::string_view path) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> out;
    for (const Seen& s : seen_) {
      if (s.path == path) out.push_back(std::string(s.headers.get("authorization").value_or("")));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  struct Seen {
    std::string path;
    net::HttpHeaders headers;
    std::string body;
  };
  net::HttpServer server_;
  std::mutex mu_;
  std::vector<Seen> seen_;
};

struct Call {
  std::string body;
  net::HttpHeaders headers;
};

class DeduplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    subgraph_loops_.start();
    router_loops_.start();
    client_loops_.start();
    subgraphs_ = std::make_unique<SlowSubgraphs>(subgraph_loops_, 500ms);
    ASSERT_TRUE(subgraphs_->start().ok());
  }
  void TearDown() override {
    for (size_t i = 0; i < clients_.size(); ++i)
      run_on(client_loops_.loop(i), [this, i] { clients_[i].reset(); });
    if (router_) router_->stop(100ms);
    router_.reset();
    subgraphs_->stop();
    subgraphs_.reset();
    client_loops_.stop();
    router_loops_.stop();
    subgraph_loops_.stop();
  }

  static void run_on(net::EventLoop& loop, std::function<void()> fn) {
    std::promise<void> done;
    loop.post([&] {
      fn();
      done.set_value();
    });
    done.get_future().get();
  }

  void start_router(std::string extra_yaml) {
    std::string yaml =
        "listen: 127.0.0.1:0\nsubgraphs:\n  accounts:\n    url: " + subgraphs_->url("accounts") +
        "\n  products:\n    url: " + subgraphs_->url("products") +
        "\nheaders:\n  all:\n    propagate: [Authorization]\n" + extra_yaml;
    auto config = parse_router_config(yaml, "router.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    auto snapshot = GraphSnapshot::build(testing::test_data("shop.graphql"), *config);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
    router_ = std::make_unique<RouterServer>(router_loops_, *config, *snapshot);
    ASSERT_TRUE(router_->start().ok());
  }

  // Sends every call at once (each on its own connection) and returns the answers' bodies in
  // call order.
  std::vector<std::string> send_together(const std::vector<Call>& calls) {
    if (clients_.empty()) {
      for (size_t i = 0; i < client_loops_.size(); ++i) {
        clients_.emplace_back();
        run_on(client_loops_.loop(i), [this, i] {
          clients_[i] = std::make_unique<net::HttpClient>(client_loops_.loop(i));
        });
      }
    }
    std::vector<std::promise<std::string>> answers(calls.size());
    for (size_t i = 0; i < calls.size(); ++i) {
      net::HttpClientRequest request;
      request.method = "POST";
      request.url = "http://127.0.0.1:" + std::to_string(router_->port()) + "/graphql";
      request.headers = calls[i].headers;
      request.headers.add("Content-Type", "application/json");
      request.body = calls[i].body;
      size_t loop = i % client_loops_.size();
      client_loops_.loop(loop).post([this, loop, request, &answers, i] {
        clients_[loop]->fetch(request, [&answers, i](Result<net::HttpClientResponse> r) {
          answers[i].set_value(r.ok() ? std::to_string(r->status) + " " + r->body
                                      : "error: " + r.status().message());
        });
      });
    }
    std::vector<std::string> out;
    for (auto& a : answers)
      out.push_back(a.get_future().get());
    return out;
  }

  std::string send_metrics() {
    std::promise<std::string> answer;
    net::HttpClientRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(router_->port()) + "/metrics";
    client_loops_.loop(0).post([this, request, &answer] {
      clients_[0]->fetch(request, [&answer](Result<net::HttpClientResponse> r) {
        answer.set_value(r.ok() ? r->body : r.status().message());
      });
    });
    return answer.get_future().get();
  }

  static std::vector<Call> same(size_t n, std::string body) {
    return std::vector<Call>(n, Call{std::move(body), {}});
  }

  static constexpr std::string_view kQuery = R"({"query":"{ me { name } topProducts { name } }"})";
  static constexpr std::string_view kAnswer =
      R"(200 {"data":{"me":{"name":"Ada"},"topProducts":[{"name":"Lamp"},{"name":"Desk"}]}})";

  net::LoopGroup subgraph_loops_{1};
  net::LoopGroup router_loops_{1};  // one loop: the subgraph table is per loop
  net::LoopGroup client_loops_{2};
  std::unique_ptr<SlowSubgraphs> subgraphs_;
  std::unique_ptr<RouterServer> router_;
  std::vector<std::unique_ptr<net::HttpClient>> clients_;
};

TEST_F(DeduplicationTest, IdenticalQueriesInFlightShareOneExecution) {
  start_router("");
  std::vector<std::string> answers = send_together(same(8, std::string(kQuery)));
  for (const std::string& a : answers)
    EXPECT_EQ(a, kAnswer);
  EXPECT_EQ(subgraphs_->requests_to("/accounts"), 1u);
  EXPECT_EQ(subgraphs_->requests_to("/products"), 1u);
  EXPECT_EQ(router_->handler().executions(), 1u);
  EXPECT_EQ(router_->handler().deduplicated_requests(), 7u);
  std::string metrics = send_metrics();
  EXPECT_NE(metrics.find("\norbit_router_inbound_executions_total 1\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("\norbit_router_inbound_deduplicated_total 7\n"), std::string::npos);
  // Finished work is not reused: the next request executes again.
  EXPECT_EQ(send_together(same(1, std::string(kQuery)))[0], kAnswer);
  EXPECT_EQ(subgraphs_->requests_to("/accounts"), 2u);
  EXPECT_EQ(router_->handler().executions(), 2u);
}

TEST_F(DeduplicationTest, EachRequestKeepsItsOwnExtras) {
  // Same plan and variables, but one asks for introspection and one for the query plan:
  // they share the execution and still get their own answers.
  start_router("");
  std::vector<Call> calls = same(2, std::string(kQuery));
  calls.push_back(Call{
      R"({"query":"{ me { name } topProducts { name } __schema { queryType { name } } }"})", {}});
  calls.push_back(Call{std::string(kQuery), {{"X-Orbit-Include-Query-Plan", "true"}}});
  std::vector<std::string> answers = send_together(calls);
  EXPECT_EQ(answers[0], kAnswer);
  EXPECT_EQ(answers[1], kAnswer);
  EXPECT_EQ(answers[2],
            R"(200 {"data":{"me":{"name":"Ada"},"topProducts":[{"name":"Lamp"},{"name":"Desk"}],)"
            R"("__schema":{"queryType":{"name":"Query"}}}})");
  EXPECT_NE(answers[3].find("\"queryPlan\":"), std::string::npos) << answers[3];
  EXPECT_EQ(subgraphs_->requests_to("/accounts"), 1u);
  EXPECT_EQ(router_->handler().executions(), 1u);
}

TEST_F(DeduplicationTest, DifferentVariablesOrHeadersAreDifferentWork) {
  start_router("");
  const std::string with_variable =
      R"({"query":"query($n: Int) { topProducts(first: $n) { name } }","variables":{"n":1}})";
  const std::string without = R"({"query":"query($n: Int) { topProducts(first: $n) { name } }"})";
  std::vector<Call> calls = {
      {with_variable, {}},
      {with_variable, {}},
      {without, {}},
      {std::string(kQuery), {{"Authorization", "Bearer a"}}},
      {std::string(kQuery), {{"Authorization", "Bearer b"}}},
      {std::string(kQuery), {{"Authorization", "Bearer b"}}},
  };
  std::vector<std::string> answers = send_together(calls);
  EXPECT_EQ(answers[0], R"(200 {"data":{"topProducts":[{"name":"Lamp"}]}})");
  EXPECT_EQ(answers[1], answers[0]);
  EXPECT_EQ(answers[2], R"(200 {"data":{"topProducts":[{"name":"Lamp"},{"name":"Desk"}]}})");
  for (size_t i = 3; i < 6; ++i)
    EXPECT_EQ(answers[i], kAnswer);
  // products: n=1, no n, Bearer a, Bearer b; accounts: Bearer a, Bearer b.
  EXPECT_EQ(subgraphs_->requests_to("/products"), 4u);
  EXPECT_EQ(subgraphs_->authorizations_to("/accounts"),
            (std::vector<std::string>{"Bearer a", "Bearer b"}));
}

TEST_F(DeduplicationTest, SubgraphRequestsAreSharedWithoutInboundDeduplication) {
  start_router("deduplication:\n  inbound: false\n");
  std::vector<std::string> answers = send_together(same(6, std::string(kQuery)));
  for (const std::string& a : answers)
    EXPECT_EQ(a, kAnswer);
  // Six executions on the router's one loop, one request per subgraph.
  EXPECT_EQ(subgraphs_->requests_to("/accounts"), 1u);
  EXPECT_EQ(subgraphs_->requests_to("/products"), 1u);
  EXPECT_EQ(router_->handler().deduplicated_requests(), 0u);
}

TEST_F(DeduplicationTest, OffMeansEveryRequestIsSent) {
  start_router("deduplication:\n  inbound: false\n  subgraph_requests: false\n");
  std::vector<std::string> answers = send_together(same(5, std::string(kQuery)));
  for (const std::string& a : answers)
    EXPECT_EQ(a, kAnswer);
  EXPECT_EQ(subgraphs_->requests_to("/accounts"), 5u);
  EXPECT_EQ(subgraphs_->requests_to("/products"), 5u);
}

TEST_F(DeduplicationTest, MutationsAreNeverShared) {
  start_router("");
  std::vector<std::string> answers =
      send_together(same(4, R"({"query":"mutation { setName(name: \"Bo\") { name } }"})"));
  for (const std::string& a : answers)
    EXPECT_EQ(a, R"(200 {"data":{"setName":{"name":"Bo"}}})");
  EXPECT_EQ(subgraphs_->requests_to("/accounts"), 4u);
  EXPECT_EQ(router_->handler().executions(), 0u);
}

}  // namespace
}  // namespace orbit::router
