// The request pipeline end to end without sockets: HTTP request in, HttpAnswer out, with a
// fake fetcher standing in for the subgraphs (test/data/shop.graphql: the shop demo graph
// plus a Mutation in accounts).
#include "orbit/router/request_handler.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "orbit/base/json.h"
#include "test_data.h"

namespace orbit::router {
namespace {

// What the fake subgraphs were asked and answer, shared by the per-request fetchers.
struct FakeSubgraphs {
  using Handler = std::function<Result<executor::SubgraphResponse>(const std::string& body)>;
  std::map<std::string, Handler> handlers;
  std::vector<std::pair<std::string, std::string>> requests;  // subgraph name, body

  void answer(const std::string& subgraph, std::string json) {
    handlers[subgraph] = [json](const std::string&) -> Result<executor::SubgraphResponse> {
      return executor::SubgraphResponse{200, json};
    };
  }
};

class FakeFetcher final : public executor::SubgraphFetcher {
 public:
  FakeFetcher(FakeSubgraphs& subgraphs, std::shared_ptr<const GraphSnapshot> snapshot)
      : subgraphs_(subgraphs), snapshot_(std::move(snapshot)) {}
  void fetch(executor::SubgraphRequest request, Callback done) override {
    std::string name = snapshot_->subgraphs()[request.subgraph].name;
    subgraphs_.requests.emplace_back(name, request.body);
    auto it = subgraphs_.handlers.find(name);
    if (it == subgraphs_.handlers.end()) {
      done(Status(ErrorCode::kUnavailable, "no fake for " + name));
      return;
    }
    done(it->second(request.body));
  }

 private:
  FakeSubgraphs& subgraphs_;
  std::shared_ptr<const GraphSnapshot> snapshot_;
};

class RequestHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override { make_handler(RouterConfig()); }

  void make_handler(RouterConfig config) {
    auto snapshot = GraphSnapshot::build(testing::test_data("shop.graphql"), config);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
    holder_.set(*snapshot);
    handler_ = std::make_unique<RequestHandler>(
        config, holder_,
        [this](const std::shared_ptr<const GraphSnapshot>& s, const net::HttpHeaders&,
               FetchContext) { return std::make_unique<FakeFetcher>(subgraphs_, s); });
  }

  HttpAnswer send(net::HttpRequest request) {
    bool replied = false;
    HttpAnswer out;
    handler_->handle(std::move(request), [&](HttpAnswer answer) {
      EXPECT_FALSE(replied) << "replied twice";
      replied = true;
      out = std::move(answer);
    });
    EXPECT_TRUE(replied) << "the fake fetcher answers synchronously, so must the handler";
    return out;
  }

  HttpAnswer post(std::string body,
                  net::HttpHeaders headers = {{"Content-Type", "application/json"}},
                  std::string target = "/graphql") {
    net::HttpRequest request;
    request.method = "POST";
    request.target = std::move(target);
    request.headers = std::move(headers);
    request.body = std::move(body);
    return send(std::move(request));
  }

  HttpAnswer get(std::string target, net::HttpHeaders headers = {}) {
    net::HttpRequest request;
    request.method = "GET";
    request.target = std::move(target);
    request.headers = std::move(headers);
    return send(std::move(request));
  }

  static std::string content_type(const HttpAnswer& a) {
    return std::string(a.headers.get("content-type").value_or(""));
  }

  FakeSubgraphs subgraphs_;
  SnapshotHolder holder_;
  std::unique_ptr<RequestHandler> handler_;
};

constexpr const char* kGraphqlResponse = "application/graphql-response+json";

TEST_F(RequestHandlerTest, PostQueryRunsThePlanAgainstTheSubgraph) {
  subgraphs_.answer("products", R"({"data":{"topProducts":[{"name":"Table"},{"name":"Couch"}]}})");
  HttpAnswer a = post(R"({"query":"{ topProducts(first: 2) { name } }"})");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(content_type(a), "application/json; charset=utf-8");
  EXPECT_EQ(a.body, R"({"data":{"topProducts":[{"name":"Table"},{"name":"Couch"}]}})");
  ASSERT_EQ(subgraphs_.requests.size(), 1u);
  EXPECT_EQ(subgraphs_.requests[0].first, "products");
  EXPECT_NE(subgraphs_.requests[0].second.find("topProducts"), std::string::npos);
}

TEST_F(RequestHandlerTest, EntityJumpAcrossSubgraphs) {
  subgraphs_.answer(
      "products",
      R"({"data":{"topProducts":[{"name":"Table","__typename":"Product","upc":"1"}]}})");
  subgraphs_.answer("reviews", R"({"data":{"_entities":[{"reviews":[{"body":"Great"}]}]}})");
  HttpAnswer a = post(R"({"query":"{ topProducts { name reviews { body } } }"})");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, R"({"data":{"topProducts":[{"name":"Table","reviews":[{"body":"Great"}]}]}})");
  ASSERT_EQ(subgraphs_.requests.size(), 2u);
  EXPECT_EQ(subgraphs_.requests[1].first, "reviews");
  EXPECT_NE(subgraphs_.requests[1].second.find(
                R"("representations":[{"__typename":"Product","upc":"1"}])"),
            std::string::npos)
      << subgraphs_.requests[1].second;
}

TEST_F(RequestHandlerTest, VariablesAndOperationNameSelectTheOperation) {
  subgraphs_.answer("products", R"({"data":{"topProducts":[{"name":"Table"}]}})");
  HttpAnswer a = post(
      R"({"query":"query A { me { name } } query B($n: Int) { topProducts(first: $n) { name } }",)"
      R"("operationName":"B","variables":{"n":1},"extensions":{"x":1}})");
  EXPECT_EQ(a.body, R"({"data":{"topProducts":[{"name":"Table"}]}})");
  ASSERT_EQ(subgraphs_.requests.size(), 1u);
  EXPECT_NE(subgraphs_.requests[0].second.find(R"("variables":{"n":1})"), std::string::npos)
      << subgraphs_.requests[0].second;
}

TEST_F(RequestHandlerTest, GraphqlResponseJsonWhenAccepted) {
  subgraphs_.answer("products", R"({"data":{"topProducts":[]}})");
  HttpAnswer a = post(R"({"query":"{ topProducts { name } }"})",
                      {{"Content-Type", "application/json"},
                       {"Accept", "application/graphql-response+json, application/json;q=0.9"}});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(content_type(a), std::string(kGraphqlResponse) + "; charset=utf-8");
}

TEST_F(RequestHandlerTest, SyntaxErrorIs400ForGraphqlResponseJsonAnd200ForJson) {
  const char* body = R"({"query":"{ topProducts { name "})";
  const char* expected =
      R"({"errors":[{"message":"Syntax Error: Expected Name, found <EOF>.","locations":[{"line":1,"column":22}],"extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]})";
  HttpAnswer legacy = post(body);
  EXPECT_EQ(legacy.status, 200);
  EXPECT_EQ(legacy.body, expected);
  HttpAnswer modern =
      post(body, {{"Content-Type", "application/json"}, {"Accept", kGraphqlResponse}});
  EXPECT_EQ(modern.status, 400);
  EXPECT_EQ(modern.body, expected);
  EXPECT_TRUE(subgraphs_.requests.empty());
}

TEST_F(RequestHandlerTest, ValidationErrorsAgainstTheApiSchema) {
  // _entities and join__* exist only in the supergraph, not in the API schema.
  HttpAnswer a = post(R"({"query":"{ _entities(representations: []) { __typename } }"})",
                      {{"Content-Type", "application/json"}, {"Accept", kGraphqlResponse}});
  EXPECT_EQ(a.status, 400);
  EXPECT_NE(a.body.find(R"(Cannot query field \"_entities\" on type \"Query\".)"),
            std::string::npos)
      << a.body;
  EXPECT_NE(a.body.find("GRAPHQL_VALIDATION_FAILED"), std::string::npos);
}

TEST_F(RequestHandlerTest, UnknownOperationName) {
  HttpAnswer a = post(R"({"query":"query A { me { name } }","operationName":"B"})",
                      {{"Content-Type", "application/json"}, {"Accept", kGraphqlResponse}});
  EXPECT_EQ(a.status, 400);
  EXPECT_EQ(
      a.body,
      R"({"errors":[{"message":"Unknown operation named \"B\".","extensions":{"code":"OPERATION_NOT_FOUND"}}]})");
}

TEST_F(RequestHandlerTest, MalformedRequests) {
  struct Case {
    std::string body;
    std::string message;
  };
  std::vector<Case> cases = {
      {"{\"query\": ", "The request body is not valid JSON"},
      {"[1]", "The request body must be a JSON object"},
      {"{}", "The request has no \\\"query\\\""},
      {R"({"query": 1})", "\\\"query\\\" must be a string."},
      {R"({"query": "{ me { name } }", "variables": [1]})",
       "\\\"variables\\\" must be an object or null."},
      {R"({"query": "{ me { name } }", "operationName": 3})",
       "\\\"operationName\\\" must be a string or null."},
      {R"({"query": "{ me { name } }", "extensions": "x"})",
       "\\\"extensions\\\" must be an object or null."},
  };
  for (const Case& c : cases) {
    HttpAnswer a = post(c.body);
    EXPECT_EQ(a.status, 400) << c.body;
    EXPECT_NE(a.body.find(c.message), std::string::npos) << c.body << " -> " << a.body;
    EXPECT_NE(a.body.find("BAD_REQUEST"), std::string::npos) << a.body;
  }
  HttpAnswer pq = post(R"({"extensions":{"persistedQuery":{"version":1,"sha256Hash":"ab"}}})");
  EXPECT_EQ(pq.status, 400);
  EXPECT_NE(pq.body.find("PERSISTED_QUERY_NOT_SUPPORTED"), std::string::npos);
  EXPECT_TRUE(subgraphs_.requests.empty());
}

TEST_F(RequestHandlerTest, WrongContentTypeIs415) {
  HttpAnswer a = post(R"({"query":"{ me { name } }"})", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(a.status, 415);
  EXPECT_NE(a.body.find(R"(Unsupported Content-Type \"text/plain\")"), std::string::npos);
  HttpAnswer none = post(R"({"query":"{ me { name } }"})", {});
  EXPECT_EQ(none.status, 415);
  HttpAnswer charset =
      post(R"({"query":"{ __typename }"})", {{"Content-Type", "Application/JSON; charset=utf-8"}});
  EXPECT_EQ(charset.status, 200);
  EXPECT_EQ(charset.body, R"({"data":{"__typename":"Query"}})");
}

TEST_F(RequestHandlerTest, NotAcceptableIs406) {
  HttpAnswer a = post(R"({"query":"{ __typename }"})",
                      {{"Content-Type", "application/json"}, {"Accept", "text/html"}});
  EXPECT_EQ(a.status, 406);
  HttpAnswer wildcard = post(R"({"query":"{ __typename }"})",
                             {{"Content-Type", "application/json"}, {"Accept", "*/*"}});
  EXPECT_EQ(wildcard.status, 200);
  EXPECT_EQ(content_type(wildcard), "application/json; charset=utf-8");
}

TEST_F(RequestHandlerTest, GetQueryWithUrlEncodedParameters) {
  subgraphs_.answer("products", R"({"data":{"topProducts":[{"name":"Table"}]}})");
  HttpAnswer a =
      get("/graphql?query=query+Q(%24n%3A+Int)+%7B+topProducts(first%3A+%24n)+%7B+name+%7D+%7D"
          "&operationName=Q&variables=%7B%22n%22%3A1%7D");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, R"({"data":{"topProducts":[{"name":"Table"}]}})");
  ASSERT_EQ(subgraphs_.requests.size(), 1u);
  EXPECT_NE(subgraphs_.requests[0].second.find(R"("variables":{"n":1})"), std::string::npos);
}

TEST_F(RequestHandlerTest, MutationOverGetIs405) {
  HttpAnswer a = get("/graphql?query=mutation+%7B+setName(name%3A%22x%22)+%7B+name+%7D+%7D");
  EXPECT_EQ(a.status, 405);
  EXPECT_EQ(a.headers.get("allow").value_or(""), "POST");
  EXPECT_NE(a.body.find("Can only perform a mutation operation from a POST request."),
            std::string::npos);
  EXPECT_TRUE(subgraphs_.requests.empty());

  subgraphs_.answer("accounts", R"({"data":{"setName":{"name":"x"}}})");
  HttpAnswer ok = post(R"({"query":"mutation { setName(name: \"x\") { name } }"})");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, R"({"data":{"setName":{"name":"x"}}})");
}

TEST_F(RequestHandlerTest, GetErrors) {
  EXPECT_EQ(get("/graphql").status, 400);
  EXPECT_EQ(get("/graphql?query=%zz").status, 400);
  HttpAnswer bad_vars = get("/graphql?query=%7B+__typename+%7D&variables=%7Bnope");
  EXPECT_EQ(bad_vars.status, 400);
  EXPECT_NE(bad_vars.body.find(R"(The \"variables\" parameter is not valid JSON)"),
            std::string::npos);
}

TEST_F(RequestHandlerTest, OtherMethodsAndPaths) {
  net::HttpRequest put;
  put.method = "PUT";
  put.target = "/graphql";
  HttpAnswer a = send(std::move(put));
  EXPECT_EQ(a.status, 405);
  EXPECT_EQ(a.headers.get("allow").value_or(""), "GET, POST");
  EXPECT_EQ(get("/other").status, 404);
}

TEST_F(RequestHandlerTest, VariableCoercionErrors) {
  HttpAnswer a = post(
      R"({"query":"query ($n: Int!) { topProducts(first: $n) { name } }","variables":{"n":"x"}})",
      {{"Content-Type", "application/json"}, {"Accept", kGraphqlResponse}});
  EXPECT_EQ(a.status, 400);
  EXPECT_NE(a.body.find(R"(Variable \"$n\" has invalid value)"), std::string::npos) << a.body;
  EXPECT_TRUE(subgraphs_.requests.empty());
}

TEST_F(RequestHandlerTest, DocumentLimitsFromTheConfig) {
  RouterConfig config;
  config.limits.max_depth = 3;
  config.limits.max_aliases = 1;
  make_handler(config);
  HttpAnswer deep = post(R"({"query":"{ me { reviews { product { name } } } }"})");
  EXPECT_EQ(deep.status, 200);
  EXPECT_NE(deep.body.find("MAX_DEPTH_EXCEEDED"), std::string::npos) << deep.body;
  HttpAnswer aliases = post(R"({"query":"{ a: me { name } b: me { name } }"})");
  EXPECT_NE(aliases.body.find("TOO_MANY_ALIASES"), std::string::npos) << aliases.body;
  EXPECT_TRUE(subgraphs_.requests.empty());
}

TEST_F(RequestHandlerTest, IntrospectionIsAnsweredFromTheApiSchema) {
  HttpAnswer a = post(R"({"query":"{ __type(name: \"Product\") { name fields { name } } }"})");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body,
            R"({"data":{"__type":{"name":"Product","fields":[{"name":"upc"},{"name":"price"},)"
            R"({"name":"weight"},{"name":"inStock"},{"name":"shippingEstimate"},{"name":"name"},)"
            R"({"name":"reviews"}]}}})");
  HttpAnswer hidden = post(R"({"query":"{ __type(name: \"join__Graph\") { name } }"})");
  EXPECT_EQ(hidden.body, R"({"data":{"__type":null}})");
  EXPECT_TRUE(subgraphs_.requests.empty());
}

TEST_F(RequestHandlerTest, IntrospectionMergedWithExecutedFields) {
  subgraphs_.answer("accounts", R"({"data":{"me":{"name":"Ada"}}})");
  HttpAnswer a =
      post(R"({"query":"{ q: __typename me { name } s: __schema { queryType { name } } }"})");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body,
            R"({"data":{"q":"Query","me":{"name":"Ada"},"s":{"queryType":{"name":"Query"}}}})");
}

TEST_F(RequestHandlerTest, QueryPlanExtensionOnRequest) {
  subgraphs_.answer("accounts", R"({"data":{"me":{"name":"Ada"}}})");
  net::HttpHeaders headers{{"Content-Type", "application/json"},
                           {"X-Orbit-Include-Query-Plan", "true"}};
  HttpAnswer a = post(R"({"query":"{ me { name } }"})", headers);
  EXPECT_EQ(a.status, 200);
  EXPECT_NE(a.body.find(R"({"data":{"me":{"name":"Ada"}},"extensions":{"queryPlan":"QueryPlan {)"),
            std::string::npos)
      << a.body;
  EXPECT_NE(a.body.find(R"(Fetch(service: \"accounts\"))"), std::string::npos) << a.body;

  HttpAnswer without = post(R"({"query":"{ me { name } }"})");
  EXPECT_EQ(without.body, R"({"data":{"me":{"name":"Ada"}}})");

  RouterConfig config;
  config.include_query_plan = false;
  make_handler(config);
  HttpAnswer off = post(R"({"query":"{ me { name } }"})", headers);
  EXPECT_EQ(off.body, R"({"data":{"me":{"name":"Ada"}}})");
}

TEST_F(RequestHandlerTest, FailedSubgraphGivesPartialDataWithAnError) {
  // No fake for accounts: the transport fails.
  subgraphs_.answer("products", R"({"data":{"topProducts":[{"name":"Table"}]}})");
  HttpAnswer a = post(R"({"query":"{ me { name } topProducts { name } }"})");
  EXPECT_EQ(a.status, 200);
  EXPECT_NE(a.body.find(R"({"data":{"me":null,"topProducts":[{"name":"Table"}]},"errors":[)"),
            std::string::npos)
      << a.body;
  EXPECT_NE(a.body.find("no fake for accounts"), std::string::npos) << a.body;
  EXPECT_NE(a.body.find(R"("serviceName":"accounts")"), std::string::npos) << a.body;
}

TEST_F(RequestHandlerTest, PlansAreCachedPerSnapshot) {
  subgraphs_.answer("accounts", R"({"data":{"me":{"name":"Ada"}}})");
  post(R"({"query":"{ me { name } }"})");
  post(R"({"query":"query   { me {   name } }"})");
  planner::PlanCacheStats stats = holder_.get()->plan_cache().stats();
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.hits, 1u);
}

TEST_F(RequestHandlerTest, RepeatedDocumentsSkipStraightToExecution) {
  subgraphs_.answer("accounts", R"({"data":{"me":{"name":"Ada"}}})");
  subgraphs_.answer("products", R"({"data":{"topProducts":[{"name":"Table"}]}})");
  const std::string doc =
      R"("query A { me { name } } query B($n: Int) { topProducts(first: $n) { name } }")";
  EXPECT_EQ(post(R"({"query":)" + doc + R"(,"operationName":"A"})").body,
            R"({"data":{"me":{"name":"Ada"}}})");
  EXPECT_EQ(post(R"({"query":)" + doc + R"(,"operationName":"A"})").body,
            R"({"data":{"me":{"name":"Ada"}}})");
  // Same text, another operation: another entry.
  EXPECT_EQ(post(R"({"query":)" + doc + R"(,"operationName":"B","variables":{"n":1}})").body,
            R"({"data":{"topProducts":[{"name":"Table"}]}})");
  HttpAnswer b2 = post(R"({"query":)" + doc + R"(,"operationName":"B","variables":{"n":2}})");
  EXPECT_EQ(b2.body, R"({"data":{"topProducts":[{"name":"Table"}]}})");
  EXPECT_NE(subgraphs_.requests.back().second.find(R"("variables":{"n":2})"), std::string::npos)
      << subgraphs_.requests.back().second;
  LruCacheStats ops = holder_.get()->operation_cache().stats();
  EXPECT_EQ(ops.misses, 2u);
  EXPECT_EQ(ops.hits, 2u);
  EXPECT_EQ(ops.entries, 2u);
  // Hits never reach the plan cache.
  EXPECT_EQ(holder_.get()->plan_cache().stats().misses, 2u);
  EXPECT_EQ(holder_.get()->plan_cache().stats().hits, 0u);
  // Invalid documents are not kept.
  post(R"({"query":"{ me { nope } }"})");
  post(R"({"query":"{ me { nope } }"})");
  EXPECT_EQ(holder_.get()->operation_cache().stats().entries, 2u);
}

TEST_F(RequestHandlerTest, CachedOperationsDecideSkipAndIncludePerRequest) {
  subgraphs_.answer("accounts", R"({"data":{"me":{"name":"Ada","id":"1"}}})");
  const std::string doc = R"("query ($v: Boolean = true) { me { id name @include(if: $v) } }")";
  EXPECT_EQ(post(R"({"query":)" + doc + R"(,"variables":{"v":true}})").body,
            R"({"data":{"me":{"id":"1","name":"Ada"}}})");
  EXPECT_EQ(post(R"({"query":)" + doc + R"(,"variables":{"v":false}})").body,
            R"({"data":{"me":{"id":"1"}}})");
  // null is a valid `Boolean` but not a condition: the same error as without the cache.
  HttpAnswer bad = post(R"({"query":)" + doc + R"(,"variables":{"v":null}})");
  EXPECT_NE(
      bad.body.find(
          R"(Expected variable \"$v\" provided to non-null type \"Boolean!\" not to be null.)"),
      std::string::npos)
      << bad.body;
  EXPECT_EQ(bad.body.find("\"data\""), std::string::npos) << bad.body;
  EXPECT_EQ(holder_.get()->operation_cache().stats().hits, 2u);
}

TEST_F(RequestHandlerTest, HealthEndpoints) {
  const GraphSnapshot& s = *holder_.get();
  EXPECT_EQ(get("/health").status, 200);
  EXPECT_EQ(get("/health").body, R"({"status":"UP","config":{"version":")" + s.config_version() +
                                     R"(","createdAt":")" + s.created_at() + R"(","loadedAt":")" +
                                     s.loaded_at() + R"("}})");
  EXPECT_EQ(s.config_version().substr(0, 4), "sdl-");
  EXPECT_EQ(get("/health/live").body, R"({"status":"UP"})");
  EXPECT_EQ(get("/health/live").status, 200);
  EXPECT_EQ(get("/health/ready").status, 200);
  handler_->set_draining(true);
  EXPECT_EQ(get("/health/ready").status, 503);
  EXPECT_EQ(get("/health/live").status, 200);
}

TEST_F(RequestHandlerTest, HealthAndMetricsReportReloads) {
  ReloadStats stats;
  stats.succeeded = 3;
  stats.failed = 2;
  stats.last_error = "router.json: \"bad\"\nthing";
  stats.last_error_at = "2025-05-01T10:00:00.000Z";
  handler_->set_reload_stats([&] { return stats; });
  const GraphSnapshot& s = *holder_.get();

  HttpAnswer health = get("/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_NE(
      health.body.find(
          R"("reloads":{"succeeded":3,"failed":2,"lastError":"router.json: \"bad\"\nthing","lastErrorAt":"2025-05-01T10:00:00.000Z"}})"),
      std::string::npos)
      << health.body;

  HttpAnswer metrics = get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(content_type(metrics), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body.find("orbit_router_config_info{version=\"" + s.config_version() +
                              "\",created_at=\"" + s.created_at() + "\"} 1\n"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("\norbit_router_config_loaded_timestamp_seconds 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("orbit_router_config_reloads_total{result=\"success\"} 3\n"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("orbit_router_config_reloads_total{result=\"failure\"} 2\n"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("# TYPE orbit_router_config_reloads_total counter\n"),
            std::string::npos);

  // The GraphQL path wins when it is configured as /metrics.
  RouterConfig config;
  config.graphql_path = "/metrics";
  make_handler(config);
  EXPECT_EQ(content_type(get("/metrics?query=%7B__typename%7D")),
            "application/json; charset=utf-8");
}

}  // namespace
}  // namespace orbit::router

namespace orbit::router {
namespace {

// Cross-origin requests (config `cors`).
class CorsTest : public RequestHandlerTest {
 protected:
  void with_cors(std::string yaml) {
    auto config = parse_router_config(yaml, "router.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    make_handler(*config);
    subgraphs_.answer("products", R"({"data":{"topProducts":[{"name":"Table"}]}})");
  }
  HttpAnswer preflight(std::string origin, std::string requested_headers = "") {
    net::HttpRequest request;
    request.method = "OPTIONS";
    request.target = "/graphql";
    request.headers.add("Origin", origin);
    request.headers.add("Access-Control-Request-Method", "POST");
    if (!requested_headers.empty())
      request.headers.add("Access-Control-Request-Headers", requested_headers);
    return send(std::move(request));
  }
  static std::string header(const HttpAnswer& a, std::string_view name) {
    return std::string(a.headers.get(name).value_or("(none)"));
  }
  static constexpr const char* kQuery = R"({"query":"{ topProducts { name } }"})";
};

TEST_F(CorsTest, OffWithoutTheSection) {
  HttpAnswer a = post(kQuery, {{"Content-Type", "application/json"}, {"Origin", "http://a.test"}});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(header(a, "access-control-allow-origin"), "(none)");
  EXPECT_EQ(preflight("http://a.test").status, 405);
}

TEST_F(CorsTest, AllowedOriginsGetTheirHeadersOthersNone) {
  with_cors(
      "cors:\n  origins: [http://studio.test:8090]\n  allow_credentials: true\n"
      "  expose_headers: [X-Trace]\n  max_age: 10m\n");
  HttpAnswer a =
      post(kQuery, {{"Content-Type", "application/json"}, {"Origin", "http://studio.test:8090"}});
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(header(a, "access-control-allow-origin"), "http://studio.test:8090");
  EXPECT_EQ(header(a, "access-control-allow-credentials"), "true");
  EXPECT_EQ(header(a, "access-control-expose-headers"), "X-Trace");
  EXPECT_EQ(header(a, "vary"), "Origin");
  EXPECT_NE(a.body.find("Table"), std::string::npos);

  HttpAnswer other =
      post(kQuery, {{"Content-Type", "application/json"}, {"Origin", "http://evil.test"}});
  EXPECT_EQ(other.status, 200);  // served: the browser, not the router, keeps the answer away
  EXPECT_EQ(header(other, "access-control-allow-origin"), "(none)");

  HttpAnswer p = preflight("http://studio.test:8090", "content-type, x-csrf-token");
  EXPECT_EQ(p.status, 204);
  EXPECT_EQ(header(p, "access-control-allow-origin"), "http://studio.test:8090");
  EXPECT_EQ(header(p, "access-control-allow-methods"), "GET, POST, OPTIONS");
  EXPECT_EQ(header(p, "access-control-allow-headers"), "content-type, x-csrf-token");
  EXPECT_EQ(header(p, "access-control-max-age"), "600");
  EXPECT_TRUE(p.body.empty());

  HttpAnswer refused = preflight("http://evil.test", "content-type");
  EXPECT_EQ(refused.status, 204);
  EXPECT_EQ(header(refused, "access-control-allow-origin"), "(none)");
  // A header list that is not plain names is not echoed.
  EXPECT_EQ(header(preflight("http://studio.test:8090", "x\r\ny"), "access-control-allow-headers"),
            "(none)");
}

TEST_F(CorsTest, AnyOriginAndConfiguredHeaders) {
  with_cors("cors:\n  origins: ['*']\n  allow_headers: [Content-Type, Authorization]\n");
  HttpAnswer a = post(kQuery, {{"Content-Type", "application/json"}, {"Origin", "http://x.test"}});
  EXPECT_EQ(header(a, "access-control-allow-origin"), "http://x.test");
  EXPECT_EQ(header(a, "access-control-allow-credentials"), "(none)");
  EXPECT_EQ(header(preflight("http://y.test", "x-other"), "access-control-allow-headers"),
            "Content-Type, Authorization");
}

TEST_F(CorsTest, BadSettingsAreRefused) {
  auto message = [](std::string yaml) {
    auto c = parse_router_config(yaml, "router.yaml");
    return c.ok() ? std::string("(parsed)") : c.status().message();
  };
  EXPECT_EQ(message("cors:\n  origins: ['*']\n  allow_credentials: true\n"),
            "router.yaml:2: cors.allow_credentials: browsers refuse credentials with any origin "
            "(\"*\"): list the origins");
  EXPECT_EQ(message("cors:\n  origins: [http://a.test/app]\n"),
            "router.yaml:2: cors.origins: \"http://a.test/app\" is not an origin "
            "(scheme://host[:port], no path) or \"*\"");
  EXPECT_EQ(message("cors:\n  origins: []\n"),
            "router.yaml:2: cors.origins: expected a non-empty list of origins");
  EXPECT_EQ(message("cors:\n  allow_headers: ['a b']\n  origins: ['*']\n"),
            "router.yaml:2: cors.allow_headers: \"a b\" is not a header name");
}

}  // namespace
}  // namespace orbit::router
