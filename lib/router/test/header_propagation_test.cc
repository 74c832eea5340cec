// Header propagation (config `headers:`): over real HTTP on 127.0.0.1, a subgraph server
// records the headers of the requests the router sends it; the config's parsing errors.
#include <gtest/gtest.h>

#include <future>
#include <mutex>

#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/net/http_server.h"
#include "orbit/router/router_server.h"
#include "test_data.h"

namespace orbit::router {
namespace {

// The accounts and products subgraphs of shop.graphql on one server (by path); every request's
// headers are kept.
class RecordingSubgraphs {
 public:
  explicit RecordingSubgraphs(net::LoopGroup& loops)
      : server_(loops.loops(), net::HttpServerOptions{},
                [this](net::HttpRequest&& request, net::HttpResponder responder) {
                  std::string path(request.path());
                  {
                    std::lock_guard<std::mutex> lock(mu_);
                    seen_.emplace_back(path, request.headers);
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
  // The headers of the requests to `path` ("/accounts").
  std::vector<net::HttpHeaders> requests_to(std::string_view path) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<net::HttpHeaders> out;
    for (const auto& [p, h] : seen_) {
      if (p == path) out.push_back(h);
    }
    return out;
  }

 private:
  net::HttpServer server_;
  std::mutex mu_;
  std::vector<std::pair<std::string, net::HttpHeaders>> seen_;
};

class HeaderPropagationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    loops_.start();
    subgraphs_ = std::make_unique<RecordingSubgraphs>(loops_);
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

  void start_router(std::string headers_yaml) {
    std::string yaml =
        "listen: 127.0.0.1:0\nsubgraphs:\n  accounts:\n    url: " + subgraphs_->url("accounts") +
        "\n  products:\n    url: " + subgraphs_->url("products") + "\n" + headers_yaml;
    auto config = parse_router_config(yaml, "router.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    auto snapshot = GraphSnapshot::build(testing::test_data("shop.graphql"), *config);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
    router_ = std::make_unique<RouterServer>(loops_, *config, *snapshot);
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

  net::HttpClientResponse query(net::HttpHeaders headers) {
    run_on_loop([this] {
      if (!client_) client_ = std::make_unique<net::HttpClient>(loops_.loop(0));
    });
    net::HttpClientRequest request;
    request.method = "POST";
    request.url = "http://127.0.0.1:" + std::to_string(router_->port()) + "/graphql";
    request.headers = std::move(headers);
    request.headers.add("Content-Type", "application/json");
    request.body = R"({"query":"{ me { name } topProducts { name } }"})";
    std::promise<Result<net::HttpClientResponse>> done;
    loops_.loop(0).post([&] {
      client_->fetch(request,
                     [&](Result<net::HttpClientResponse> r) { done.set_value(std::move(r)); });
    });
    Result<net::HttpClientResponse> r = done.get_future().get();
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(*r) : net::HttpClientResponse{};
  }

  net::LoopGroup loops_{2};
  std::unique_ptr<RecordingSubgraphs> subgraphs_;
  std::unique_ptr<RouterServer> router_;
  std::unique_ptr<net::HttpClient> client_;
};

TEST_F(HeaderPropagationTest, NamedClientHeadersReachEveryOrTheNamedSubgraphs) {
  start_router(
      "headers:\n"
      "  all:\n"
      "    propagate: [authorization]\n"
      "  subgraphs:\n"
      "    products:\n"
      "      propagate: [X-Tenant, Authorization]\n");
  net::HttpClientResponse r = query({{"Authorization", "Bearer abc"},
                                     {"X-Tenant", "t1"},
                                     {"X-Tenant", "t2"},
                                     {"Cookie", "session=1"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"data":{"me":{"name":"Ada"},"topProducts":[{"name":"Lamp"}]}})");

  auto accounts = subgraphs_->requests_to("/accounts");
  ASSERT_EQ(accounts.size(), 1u);
  EXPECT_EQ(accounts[0].get("authorization").value_or(""), "Bearer abc");
  EXPECT_FALSE(accounts[0].contains("x-tenant"));  // only products asked for it
  EXPECT_FALSE(accounts[0].contains("cookie"));    // never configured

  auto products = subgraphs_->requests_to("/products");
  ASSERT_EQ(products.size(), 1u);
  EXPECT_EQ(products[0].get("authorization").value_or(""), "Bearer abc");
  // Repeated fields are all sent, in the client's order; a name given twice is sent once.
  std::vector<std::string> tenants, authorizations;
  for (const auto& [name, value] : products[0]) {
    if (net::iequals(name, "x-tenant")) tenants.push_back(value);
    if (net::iequals(name, "authorization")) authorizations.push_back(value);
  }
  EXPECT_EQ(tenants, (std::vector<std::string>{"t1", "t2"}));
  EXPECT_EQ(authorizations.size(), 1u);
  EXPECT_FALSE(products[0].contains("cookie"));
}

TEST_F(HeaderPropagationTest, EachRequestSendsItsOwnHeaders) {
  start_router("headers:\n  all:\n    propagate: [Authorization]\n");
  query({{"Authorization", "Bearer one"}});
  query({});
  query({{"Authorization", "Bearer three"}});
  auto accounts = subgraphs_->requests_to("/accounts");
  ASSERT_EQ(accounts.size(), 3u);
  EXPECT_EQ(accounts[0].get("authorization").value_or(""), "Bearer one");
  EXPECT_FALSE(accounts[1].contains("authorization"));
  EXPECT_EQ(accounts[2].get("authorization").value_or(""), "Bearer three");
}

TEST_F(HeaderPropagationTest, NothingIsPropagatedWithoutConfig) {
  start_router("");
  query({{"Authorization", "Bearer abc"}});
  auto products = subgraphs_->requests_to("/products");
  ASSERT_EQ(products.size(), 1u);
  EXPECT_FALSE(products[0].contains("authorization"));
}

TEST(HeaderPropagationConfig, Errors) {
  auto error = [](std::string yaml) {
    auto c = parse_router_config(yaml, "router.yaml");
    return c.ok() ? std::string("ok") : c.status().message();
  };
  EXPECT_EQ(error("headers:\n  all:\n    propagate: [Content-Length]\n"),
            "router.yaml:3: headers.all.propagate[0]: \"Content-Length\" is set by the router "
            "for each subgraph request");
  EXPECT_EQ(error("headers:\n  all:\n    propagate: Authorization\n"),
            "router.yaml:3: headers.all.propagate: expected a list of header names");
  EXPECT_EQ(error("headers:\n  all:\n    propagate: [\"bad name\"]\n"),
            "router.yaml:3: headers.all.propagate[0]: \"bad name\" is not a header name");
  EXPECT_EQ(error("headers:\n  all:\n    forward: [X]\n"),
            "router.yaml:3: headers.all.forward: unknown key");
  EXPECT_EQ(error("headers:\n  every: {}\n"), "router.yaml:2: headers.every: unknown key");

  auto config = parse_router_config(
      "headers:\n  all:\n    propagate: [Authorization, X-A]\n  subgraphs:\n    nope:\n"
      "      propagate: [x-a, X-B]\n",
      "router.yaml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  EXPECT_EQ(config->headers.propagated_to("nope"),
            (std::vector<std::string>{"Authorization", "X-A", "X-B"}));
  EXPECT_EQ(config->headers.propagated_to("other"),
            (std::vector<std::string>{"Authorization", "X-A"}));
  auto snapshot = GraphSnapshot::build(testing::test_data("shop.graphql"), *config);
  ASSERT_FALSE(snapshot.ok());
  EXPECT_EQ(snapshot.status().message(),
            "config headers.subgraphs names subgraph \"nope\", which the supergraph does not have");
}

}  // namespace
}  // namespace orbit::router
