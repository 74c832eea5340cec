// The federation benchmark's own pieces: the subgraphs answer as federation subgraphs do, and
// the router's answer to the benchmark query equals @apollo/gateway's (expected-response.json,
// recorded by bench/federation/record-expected.js).
#include <gtest/gtest.h>

#include "bench_subgraphs.h"
#include "federation_fixture.h"
#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/router/request_handler.h"

namespace orbit::bench {
namespace {

BenchSubgraph subgraph(SubgraphId id) {
  return BenchSubgraph(id,
                       read_file_or_die(std::string(ORBIT_BENCH_FEDERATION_DIR) + "/subgraphs/" +
                                        std::string(subgraph_name(id)) + ".graphql"));
}

TEST(BenchSubgraphs, ServiceSdlIsTheSubgraphSchema) {
  BenchSubgraph reviews = subgraph(SubgraphId::kReviews);
  std::string answer = reviews.answer(R"({"query":"{ _service { sdl } }"})");
  EXPECT_NE(answer.find("author: User @provides(fields: \\\"username\\\")"), std::string::npos)
      << answer;
  EXPECT_EQ(answer.rfind("{\"data\":{\"_service\":{\"sdl\":", 0), 0u) << answer;
}

TEST(BenchSubgraphs, RootFieldsWithArgumentsAliasesAndFragments) {
  BenchSubgraph products = subgraph(SubgraphId::kProducts);
  EXPECT_EQ(
      products.answer(
          R"({"query":"query($n: Int) { top: topProducts(first: $n) { upc ...P } }\nfragment P on Product { price }","variables":{"n":2}})"),
      R"({"data":{"top":[{"upc":"1","price":899},{"upc":"2","price":249}]}})");
  EXPECT_EQ(
      products.answer(R"({"query":"{ topProducts { upc } }"})"),
      R"({"data":{"topProducts":[{"upc":"1"},{"upc":"2"},{"upc":"3"},{"upc":"4"},{"upc":"5"}]}})");
  BenchSubgraph accounts = subgraph(SubgraphId::kAccounts);
  EXPECT_EQ(
      accounts.answer(
          R"({"query":"{ user(id: \"3\") { name @include(if: true) id @skip(if: true) } }"})"),
      R"({"data":{"user":{"name":"Ines Alvarado"}}})");
  EXPECT_EQ(accounts.answer(R"({"query":"{ user(id: \"9\") { name } }"})"),
            R"({"data":{"user":null}})");
}

TEST(BenchSubgraphs, EntitiesTakeRequiredFieldsFromTheRepresentation) {
  BenchSubgraph inventory = subgraph(SubgraphId::kInventory);
  // Price above 1000: free shipping; else half the weight. The inventory subgraph has no
  // price or weight of its own: they come with the representation (@requires).
  std::string body =
      R"({"query":"query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Product { inStock shippingEstimate } } }",
          "variables":{"r":[{"__typename":"Product","upc":"3","price":3499,"weight":1150},
                            {"__typename":"Product","upc":"1","price":10,"weight":300},
                            {"__typename":"Product","upc":"42","price":1,"weight":1}]}})";
  EXPECT_EQ(
      inventory.answer(body),
      R"({"data":{"_entities":[{"__typename":"Product","inStock":false,"shippingEstimate":0},)"
      R"({"__typename":"Product","inStock":true,"shippingEstimate":150},null]}})");
  std::string without_requires =
      R"({"query":"query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { shippingEstimate } } }",
          "variables":{"r":[{"__typename":"Product","upc":"3"}]}})";
  EXPECT_NE(inventory.answer(without_requires).find("needs price and weight"), std::string::npos);
}

TEST(BenchSubgraphs, ReviewsProvidesUsernameAndListsReviews) {
  BenchSubgraph reviews = subgraph(SubgraphId::kReviews);
  std::string body =
      R"({"query":"query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { id author { username } product { upc } } } } }",
          "variables":{"r":[{"__typename":"User","id":"4"}]}})";
  EXPECT_EQ(reviews.answer(body),
            R"({"data":{"_entities":[{"reviews":[)"
            R"({"id":"5","author":{"username":"kmensah"},"product":{"upc":"2"}},)"
            R"({"id":"10","author":{"username":"kmensah"},"product":{"upc":"8"}}]}]}})");
}

TEST(BenchSubgraphs, FieldsOfOtherSubgraphsAndBadRequestsAreErrors) {
  BenchSubgraph reviews = subgraph(SubgraphId::kReviews);
  EXPECT_EQ(
      reviews.answer(R"({"query":"{ users { id } }"})"),
      R"({"data":null,"errors":[{"message":"Cannot query field \"users\" on type \"Query\" in subgraph \"reviews\"."}]})");
  BenchSubgraph accounts = subgraph(SubgraphId::kAccounts);
  EXPECT_NE(accounts.answer("not json").find("not a JSON object"), std::string::npos);
  EXPECT_NE(accounts.answer(R"({"query":"{ users { "})").find("errors"), std::string::npos);
  EXPECT_NE(accounts.answer(R"({"query":"mutation { users { id } }"})").find("Only queries"),
            std::string::npos);
  EXPECT_NE(accounts.answer(R"({"query":"{ users { ...Missing } }"})").find("Unknown fragment"),
            std::string::npos);
  EXPECT_NE(accounts.answer(R"({"query":"{ users }"})").find("needs a selection set"),
            std::string::npos);
}

// The router's answer to the benchmark query, in process, equals @apollo/gateway's answer
// over the same subgraphs.
TEST(FederationBenchmark, RouterAnswerEqualsTheReferenceGatewayAnswer) {
  FederationFixture f(ORBIT_BENCH_FEDERATION_DIR);
  router::SnapshotHolder holder(f.snapshot());
  router::RequestHandler handler(
      router::RouterConfig(), holder,
      [&](const std::shared_ptr<const router::GraphSnapshot>&, const net::HttpHeaders&,
          router::FetchContext) { return f.make_fetcher(); });
  net::HttpRequest request;
  request.method = "POST";
  request.target = "/graphql";
  request.headers.add("Content-Type", "application/json");
  request.body = f.request_body();
  std::string body;
  handler.handle(std::move(request), [&](router::HttpAnswer answer) {
    EXPECT_EQ(answer.status, 200);
    body = std::move(answer.body);
  });
  ASSERT_FALSE(body.empty());
  EXPECT_EQ(body.find("\"errors\""), std::string::npos) << body.substr(0, 2000);
  // About 88 KB, as in the community benchmark.
  EXPECT_GT(body.size(), 80'000u);
  EXPECT_LT(body.size(), 96'000u);

  Arena arena;
  std::string expected_text =
      read_file_or_die(std::string(ORBIT_BENCH_FEDERATION_DIR) + "/expected-response.json");
  JsonValue expected = parse_json(expected_text, arena).value();
  auto got = parse_json(body, arena);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(json_equal(*got, expected)) << body.substr(0, 2000);
}

}  // namespace
}  // namespace orbit::bench
