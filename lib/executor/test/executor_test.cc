#include "orbit/executor/executor.h"

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"

namespace orbit::executor {
namespace {

using testing::FakeFetcher;
using testing::ok_json;
using testing::PlanBuilder;
using testing::run;

constexpr uint32_t kAccounts = 0;
constexpr uint32_t kProducts = 1;
constexpr uint32_t kInventory = 2;
constexpr uint32_t kReviews = 3;

constexpr std::string_view kSdl = R"(
  type Query {
    me: User
    users: [User]
    topProducts(first: Int = 5): [Product]
    product(upc: String!): Product
    productNN(upc: String!): Product!
    node: Node
    search: [SearchResult]
    color: Color
    count: Int
    ids: [ID]
  }
  interface Node { id: ID! }
  union SearchResult = User | Product
  enum Color { RED GREEN }
  type User implements Node { id: ID! name: String username: String reviews: [Review] }
  type Product {
    upc: String! name: String price: Int weight: Int inStock(n: Int): Boolean
    shippingEstimate: Int reviews: [Review!]
  }
  type Review implements Node { id: ID! body: String! product: Product author: User }
)";

class ExecutorTest : public ::testing::Test {
 protected:
  std::unique_ptr<graphql::Schema> schema_ = testing::build_schema(kSdl);
};

// ---- root fetches -------------------------------------------------------------------------

TEST_F(ExecutorTest, RootFetchWritesClientFieldsOnly) {
  PlanBuilder b;
  b.root(b.fetch(kAccounts, "accounts", "{me{name __typename id}}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(R"({"data":{"me":{"name":"Ada","__typename":"User","id":"1"}}})");
  });
  Response r = run(b.plan, *schema_, "{ me { name } }", f);
  EXPECT_EQ(r.body, R"({"data":{"me":{"name":"Ada"}}})");
  ASSERT_EQ(f.requests.size(), 1u);
  EXPECT_EQ(f.requests[0].subgraph, kAccounts);
  EXPECT_EQ(f.requests[0].body, R"({"query":"{me{name __typename id}}"})");
  EXPECT_EQ(r.fetch_count, 1u);
  EXPECT_FALSE(r.data_is_null);
}

TEST_F(ExecutorTest, AliasesTypenameAndOperationOrder) {
  PlanBuilder b;
  b.root(b.fetch(kAccounts, "accounts", "{u:me{n:name __typename} users{username}}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    // The subgraph's order differs from the client's: the client's wins.
    return ok_json(
        R"({"data":{"users":[{"username":"a"},{"username":"b"}],"u":{"__typename":"User","n":"Ada"}}})");
  });
  Response r = run(b.plan, *schema_, "{ u: me { t: __typename n: name } users { username } }", f);
  EXPECT_EQ(r.body,
            R"({"data":{"u":{"t":"User","n":"Ada"},"users":[{"username":"a"},{"username":"b"}]}})");
}

TEST_F(ExecutorTest, OperationNameAndOnlyUsedVariablesAreSent) {
  PlanBuilder b;
  planner::FetchNode* fetch =
      b.fetch(kProducts, "products", "query Q__products__0($upc:String!){product(upc:$upc){name}}",
              {"upc", "absent"});
  fetch->operation_name = b.copy("Q__products__0");
  b.root(fetch);
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(R"({"data":{"product":{"name":"Table"}}})");
  });
  Response r = run(b.plan, *schema_, "query Q($upc: String!) { product(upc: $upc) { name } }", f,
                   R"({"upc":"1","other":{"x":[1,2]}})");
  EXPECT_EQ(r.body, R"({"data":{"product":{"name":"Table"}}})");
  ASSERT_EQ(f.requests.size(), 1u);
  EXPECT_EQ(f.requests[0].body,
            R"({"query":"query Q__products__0($upc:String!){product(upc:$upc){name}}",)"
            R"("operationName":"Q__products__0","variables":{"upc":"1"}})");
}

TEST_F(ExecutorTest, NoPlanAnswersTypenameOnly) {
  PlanBuilder b;
  FakeFetcher f([](uint32_t, const std::string&) { return ok_json("{}"); });
  Response r = run(b.plan, *schema_, "{ __typename }", f);
  EXPECT_EQ(r.body, R"({"data":{"__typename":"Query"}})");
  EXPECT_TRUE(f.requests.empty());
}

// ---- scheduling ---------------------------------------------------------------------------

TEST_F(ExecutorTest, ParallelBranchesAreAllIssuedBeforeAnyAnswer) {
  PlanBuilder b;
  b.root(b.par({b.fetch(kAccounts, "accounts", "{me{name}}"),
                b.fetch(kProducts, "products", "{topProducts{name}}")}));
  FakeFetcher f(
      [](uint32_t sg, const std::string&) {
        return sg == kAccounts ? ok_json(R"({"data":{"me":{"name":"Ada"}}})")
                               : ok_json(R"({"data":{"topProducts":[{"name":"Table"}]}})");
      },
      /*deferred=*/true);
  testing::Operation op(*schema_, "{ me { name } topProducts { name } }");
  Arena arena;
  std::optional<Response> out;
  execute(b.plan, op.get(), *schema_, JsonValue(), f, arena,
          [&](Response r) { out = std::move(r); });
  // Both fetches are in flight (sent one loop turn later), none answered, and the
  // execution waits.
  EXPECT_EQ(f.pending(), 0u);
  f.run_tasks();
  EXPECT_EQ(f.pending(), 2u);
  EXPECT_FALSE(out.has_value());
  f.answer_all();
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->body, R"({"data":{"me":{"name":"Ada"},"topProducts":[{"name":"Table"}]}})");
}

TEST_F(ExecutorTest, SequenceWaitsForEachStep) {
  PlanBuilder b;
  b.root(b.seq({b.fetch(kProducts, "products", "{topProducts{__typename upc}}"),
                b.flatten({"topProducts", "@"}, b.entity_fetch(kInventory, "inventory",
                                                               "{... on Product{__typename upc}}",
                                                               "{... on Product{inStock}}"))}));
  FakeFetcher f(
      [](uint32_t sg, const std::string&) {
        return sg == kProducts
                   ? ok_json(R"({"data":{"topProducts":[{"__typename":"Product","upc":"1"}]}})")
                   : ok_json(R"({"data":{"_entities":[{"inStock":true}]}})");
      },
      /*deferred=*/true);
  testing::Operation op(*schema_, "{ topProducts { inStock } }");
  Arena arena;
  std::optional<Response> out;
  execute(b.plan, op.get(), *schema_, JsonValue(), f, arena,
          [&](Response r) { out = std::move(r); });
  f.run_tasks();
  EXPECT_EQ(f.pending(), 1u);  // the entity fetch needs the first answer
  f.answer_all();
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(f.requests.size(), 2u);
  EXPECT_EQ(out->body, R"({"data":{"topProducts":[{"inStock":true}]}})");
}

// A fetcher destroyed with answers it will never give (the router shutting down) frees the
// execution with them: `done` is not called, and what it holds is released. Before, the
// execution leaked (LeakSanitizer in the sanitizer build; the use count below anywhere).
TEST_F(ExecutorTest, ExecutionIsFreedWhenItsCallbacksAreDropped) {
  PlanBuilder b;
  b.root(b.seq({b.fetch(kProducts, "products", "{topProducts{__typename upc}}"),
                b.flatten({"topProducts", "@"}, b.entity_fetch(kInventory, "inventory",
                                                               "{... on Product{__typename upc}}",
                                                               "{... on Product{inStock}}"))}));
  testing::Operation op(*schema_, "{ topProducts { inStock } }");
  Arena arena;
  auto held = std::make_shared<int>(0);
  bool called = false;
  // Dropped: 0 the first fetch in flight, 1 the deferred flush queued by its answer, 2 the
  // entity fetch that flush sent.
  for (int dropped = 0; dropped < 3; ++dropped) {
    auto f = std::make_unique<FakeFetcher>(
        [](uint32_t, const std::string&) {
          return ok_json(R"({"data":{"topProducts":[{"__typename":"Product","upc":"1"}]}})");
        },
        /*deferred=*/true);
    execute(b.plan, op.get(), *schema_, JsonValue(), *f, arena,
            [&called, held](Response) { called = true; });
    EXPECT_EQ(held.use_count(), 2);
    f->run_tasks();  // the first fetch is sent
    ASSERT_EQ(f->pending(), 1u);
    if (dropped >= 1) {
      f->answer_one();  // queues the entity fetch behind a deferred flush
      ASSERT_EQ(f->pending(), 0u);
    }
    if (dropped == 2) {
      f->run_tasks();
      ASSERT_EQ(f->pending(), 1u);
    }
    f.reset();
    EXPECT_FALSE(called);
    EXPECT_EQ(held.use_count(), 1) << "the execution outlived its callbacks";
  }
}

TEST_F(ExecutorTest, ConditionPicksBranchByVariable) {
  PlanBuilder b;
  b.root(b.condition("withName", b.fetch(kAccounts, "accounts", "{me{name}}"),
                     b.fetch(kAccounts, "accounts", "{me{username}}")));
  FakeFetcher f([](uint32_t, const std::string& body) {
    return body.find("username") != std::string::npos
               ? ok_json(R"({"data":{"me":{"username":"ada"}}})")
               : ok_json(R"({"data":{"me":{"name":"Ada"}}})");
  });
  Response yes = run(b.plan, *schema_, "{ me { name } }", f, R"({"withName":true})");
  EXPECT_EQ(yes.body, R"({"data":{"me":{"name":"Ada"}}})");
  Response no = run(b.plan, *schema_, "{ me { username } }", f, R"({"withName":false})");
  EXPECT_EQ(no.body, R"({"data":{"me":{"username":"ada"}}})");
  EXPECT_EQ(f.requests.size(), 2u);
}

TEST_F(ExecutorTest, SkipAndIncludeOnVariablesAreEvaluatedWhenWriting) {
  // One plan for every value: the fetch carries the directives, the subgraph may answer more.
  PlanBuilder b;
  b.root(b.fetch(kAccounts, "accounts",
                 "query($v:Boolean!){me{name@include(if:$v) id username@skip(if:$v) "
                 "u:username@include(if:$v)}}",
                 {"v"}));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(R"({"data":{"me":{"name":"Ada","id":"1","username":"ada","u":"ada"}}})");
  });
  const std::string query =
      "query ($v: Boolean!) { me { name @include(if: $v) id username @skip(if: $v) "
      "... @include(if: $v) { u: username } } }";
  Response yes = run(b.plan, *schema_, query, f, R"({"v":true})");
  EXPECT_EQ(yes.body, R"({"data":{"me":{"name":"Ada","id":"1","u":"ada"}}})");
  Response no = run(b.plan, *schema_, query, f, R"({"v":false})");
  EXPECT_EQ(no.body, R"({"data":{"me":{"id":"1","username":"ada"}}})");
  ASSERT_EQ(f.requests.size(), 2u);
  EXPECT_NE(f.requests[1].body.find(R"("variables":{"v":false})"), std::string::npos)
      << f.requests[1].body;
}

// ---- entity fetches -----------------------------------------------------------------------

TEST_F(ExecutorTest, EntityBatchDeduplicatesAndMapsBackByPosition) {
  PlanBuilder b;
  b.root(b.seq({b.fetch(kProducts, "products", "{topProducts{__typename upc name}}"),
                b.flatten({"topProducts", "@"}, b.entity_fetch(kInventory, "inventory",
                                                               "{... on Product{__typename upc}}",
                                                               "{... on Product{inStock}}"))}));
  FakeFetcher f([](uint32_t sg, const std::string& body) {
    if (sg == kProducts) {
      return ok_json(R"({"data":{"topProducts":[)"
                     R"({"__typename":"Product","upc":"1","name":"Table"},)"
                     R"({"__typename":"Product","upc":"2","name":"Couch"},)"
                     R"({"__typename":"Product","upc":"1","name":"Table"}]}})");
    }
    return ok_json(R"({"data":{"_entities":[{"inStock":true},{"inStock":false}]}})");
  });
  Response r = run(b.plan, *schema_, "{ topProducts { name inStock } }", f);
  ASSERT_EQ(f.requests.size(), 2u);
  EXPECT_NE(f.requests[1].body.find(
                R"("variables":{"representations":[{"__typename":"Product","upc":"1"},)"
                R"({"__typename":"Product","upc":"2"}]})"),
            std::string::npos)
      << f.requests[1].body;
  EXPECT_EQ(r.body, R"({"data":{"topProducts":[{"name":"Table","inStock":true},)"
                    R"({"name":"Couch","inStock":false},{"name":"Table","inStock":true}]}})");
}

// ---- entity fetches to one subgraph that start together share one request ---------------

class MergedFetchTest : public ExecutorTest {
 protected:
  // products answers topProducts with their reviews' products; then two inventory fetches
  // start together: inStock of the top products (with $n), shippingEstimate of the reviewed.
  PlanBuilder plan() {
    PlanBuilder b;
    auto* stock =
        b.mergeable(b.entity_fetch(kInventory, "inventory", "{... on Product{__typename upc}}",
                                   "{... on Product{inStock(n:$n)}}", {"n"}),
                    "{... on Product{inStock(n:$n)}}", {"$n:Int"});
    auto* shipping =
        b.mergeable(b.entity_fetch(kInventory, "inventory", "{... on Product{__typename upc}}",
                                   "{... on Product{shippingEstimate}}"),
                    "{... on Product{shippingEstimate}}");
    b.root(b.seq({b.fetch(kProducts, "products",
                          "{topProducts{__typename upc reviews{product{__typename upc}}}}"),
                  b.par({b.flatten({"topProducts", "@"}, stock),
                         b.flatten({"topProducts", "@", "reviews", "@", "product"}, shipping)})}));
    return b;
  }
  static Result<SubgraphResponse> answer(uint32_t sg, const std::string& body) {
    if (sg == kProducts) {
      return ok_json(R"({"data":{"topProducts":[)"
                     R"({"__typename":"Product","upc":"1","reviews":[{"product":)"
                     R"({"__typename":"Product","upc":"2"}}]},)"
                     R"({"__typename":"Product","upc":"2","reviews":[]}]}})");
    }
    if (body.find("_1:_entities") != std::string::npos) {
      return ok_json(R"({"data":{"_0":[{"inStock":true},{"inStock":false}],)"
                     R"("_1":[{"shippingEstimate":null}]},)"
                     R"("errors":[{"message":"no estimate","path":["_1",0,"shippingEstimate"]},)"
                     R"({"message":"slow"}]})");
    }
    if (body.find("inStock") != std::string::npos) {
      return ok_json(R"({"data":{"_entities":[{"inStock":true},{"inStock":false}]}})");
    }
    return ok_json(
        R"({"data":{"_entities":[{"shippingEstimate":null}]},)"
        R"("errors":[{"message":"no estimate","path":["_entities",0,"shippingEstimate"]},)"
        R"({"message":"slow"}]})");
  }
  static constexpr const char* kOperation =
      "query($n: Int) { topProducts { inStock(n: $n) reviews { product { shippingEstimate } } } }";
  static constexpr std::string_view kData =
      R"({"data":{"topProducts":[{"inStock":true,"reviews":[{"product":{"shippingEstimate":null}}]},)"
      R"({"inStock":false,"reviews":[]}]},"errors":[)";
};

TEST_F(MergedFetchTest, OneRequestWithAliasedEntitiesAndEachPartMappedBack) {
  PlanBuilder b = plan();
  FakeFetcher f(answer, /*deferred=*/true);
  Response r = run(b.plan, *schema_, kOperation, f, R"({"n":3})");
  ASSERT_EQ(f.requests.size(), 2u);
  EXPECT_EQ(r.fetch_count, 2u);
  EXPECT_EQ(f.requests[1].subgraph, kInventory);
  EXPECT_EQ(f.requests[1].body,
            R"({"query":"query($r0:[_Any!]!$r1:[_Any!]!$n:Int){)"
            R"(_0:_entities(representations:$r0){... on Product{inStock(n:$n)}})"
            R"(_1:_entities(representations:$r1){... on Product{shippingEstimate}}}",)"
            R"("variables":{"r0":[{"__typename":"Product","upc":"1"},)"
            R"({"__typename":"Product","upc":"2"}],)"
            R"("r1":[{"__typename":"Product","upc":"2"}],"n":3}})");
  // The error under _1 lands on the shipping fetch's position; the one without a path is
  // reported once.
  EXPECT_EQ(r.body, std::string(kData) +
                        R"({"message":"no estimate","path":["topProducts",0,"reviews",0,)"
                        R"("product","shippingEstimate"],"extensions":)"
                        R"({"code":"DOWNSTREAM_SERVICE_ERROR","serviceName":"inventory"}},)"
                        R"({"message":"slow","extensions":)"
                        R"({"code":"DOWNSTREAM_SERVICE_ERROR","serviceName":"inventory"}}]})");
}

TEST_F(MergedFetchTest, SameAnswerWhenSentOneByOneAndWithAnswersAtOnce) {
  // Merging off: three requests, same response.
  PlanBuilder b = plan();
  FakeFetcher apart(answer, /*deferred=*/true);
  ExecuteOptions off;
  off.merge_entity_fetches = false;
  Response separate = run(b.plan, *schema_, kOperation, apart, R"({"n":3})", off);
  EXPECT_EQ(apart.requests.size(), 3u);
  // A fetcher answering inside fetch(): the nested answers still merge.
  FakeFetcher sync(answer);
  Response merged = run(b.plan, *schema_, kOperation, sync, R"({"n":3})");
  EXPECT_EQ(sync.requests.size(), 2u);
  EXPECT_EQ(merged.body, separate.body);
}

TEST_F(MergedFetchTest, AnswersArrivingTogetherMergeTheFetchesTheyEnable) {
  // Two root fetches in parallel, each followed by an inventory fetch: when both answers
  // arrive in one turn, the two inventory fetches go in one request.
  PlanBuilder b;
  auto* of_top =
      b.mergeable(b.entity_fetch(kInventory, "inventory", "{... on Product{__typename upc}}",
                                 "{... on Product{inStock}}"),
                  "{... on Product{inStock}}");
  auto* of_one =
      b.mergeable(b.entity_fetch(kInventory, "inventory", "{... on Product{__typename upc}}",
                                 "{... on Product{inStock}}"),
                  "{... on Product{inStock}}");
  b.root(b.par({b.seq({b.fetch(kProducts, "products", "{topProducts{__typename upc}}"),
                       b.flatten({"topProducts", "@"}, of_top)}),
                b.seq({b.fetch(kReviews, "reviews", "{product(upc:\"3\"){__typename upc}}"),
                       b.flatten({"product"}, of_one)})}));
  FakeFetcher f(
      [](uint32_t sg, const std::string& body) {
        if (sg == kProducts) {
          return ok_json(R"({"data":{"topProducts":[{"__typename":"Product","upc":"1"}]}})");
        }
        if (sg == kReviews) {
          return ok_json(R"({"data":{"product":{"__typename":"Product","upc":"3"}}})");
        }
        EXPECT_NE(body.find("_1:_entities"), std::string::npos) << body;
        return ok_json(R"({"data":{"_0":[{"inStock":true}],"_1":[{"inStock":false}]}})");
      },
      /*deferred=*/true);
  Response r =
      run(b.plan, *schema_, R"({ topProducts { inStock } product(upc: "3") { inStock } })", f);
  EXPECT_EQ(f.requests.size(), 3u);
  EXPECT_EQ(r.body, R"({"data":{"topProducts":[{"inStock":true}],"product":{"inStock":false}}})");
}

TEST_F(MergedFetchTest, AFailedMergedRequestFailsEveryPart) {
  PlanBuilder b = plan();
  FakeFetcher f([](uint32_t sg, const std::string& body) -> Result<SubgraphResponse> {
    if (sg == kProducts) return answer(sg, body);
    return SubgraphResponse{503, "unavailable"};
  });
  Response r = run(b.plan, *schema_, kOperation, f, R"({"n":3})");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].message, "HTTP fetch failed from 'inventory': HTTP status 503");
  EXPECT_EQ(r.errors[1].message, r.errors[0].message);
}

// ---- planner aliases undone in a fetch's data ------------------------------------------------

TEST_F(ExecutorTest, PlannerAliasesAreRenamedBackInsideListsAndNestedAliases) {
  PlanBuilder b;
  planner::FetchNode* f0 = b.fetch(kAccounts, "accounts",
                                   "{search{__typename ...on User{id}...on Product{id__alias_0:upc "
                                   "reviews__alias_0:reviews{b__alias_0:body}}}}");
  // Innermost first, as the planner records them: the inner path still holds the alias.
  b.rename(f0, {"search", "reviews__alias_0"}, "b__alias_0", "b");
  b.rename(f0, {"search"}, "reviews__alias_0", "reviews");
  b.rename(f0, {"search"}, "id__alias_0", "id");
  b.root(f0);
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(R"({"data":{"search":[{"__typename":"User","id":"u1"},)"
                   R"({"__typename":"Product","id__alias_0":"p1",)"
                   R"("reviews__alias_0":[{"b__alias_0":"great"}]},null]}})");
  });
  Response r = run(b.plan, *schema_,
                   "{ search { ... on User { id } ... on Product { id: upc "
                   "reviews { b: body } } } }",
                   f);
  EXPECT_EQ(r.body, R"({"data":{"search":[{"id":"u1"},{"id":"p1","reviews":[{"b":"great"}]},)"
                    R"(null]}})");
}

TEST_F(ExecutorTest, PlannerAliasOnAnObjectHoldingBothKeysIsMerged) {
  PlanBuilder b;
  planner::FetchNode* f0 =
      b.fetch(kAccounts, "accounts", "{node{__typename id ...on User{id__alias_0:id name}}}");
  b.rename(f0, {"node"}, "id__alias_0", "id");
  b.root(f0);
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(
        R"({"data":{"node":{"__typename":"User","id":"1","id__alias_0":"1","name":"Ada"}}})");
  });
  Response r = run(b.plan, *schema_, "{ node { id ... on User { id name } } }", f);
  EXPECT_EQ(r.body, R"({"data":{"node":{"id":"1","name":"Ada"}}})");
}

TEST_F(ExecutorTest, PlannerAliasesAreRenamedInEveryEntity) {
  PlanBuilder b;
  planner::FetchNode* e = b.entity_fetch(kReviews, "reviews", "{... on User{__typename id}}",
                                         "{... on User{n__alias_0:username}}");
  b.rename(e, {}, "n__alias_0", "n");
  b.root(b.seq(
      {b.fetch(kAccounts, "accounts", "{users{__typename id}}"), b.flatten({"users", "@"}, e)}));
  FakeFetcher f([](uint32_t sg, const std::string&) {
    if (sg == kAccounts)
      return ok_json(R"({"data":{"users":[{"__typename":"User","id":"1"},)"
                     R"({"__typename":"User","id":"2"}]}})");
    return ok_json(R"({"data":{"_entities":[{"n__alias_0":"ada"},{"n__alias_0":"alan"}]}})");
  });
  Response r = run(b.plan, *schema_, "{ users { n: username } }", f);
  EXPECT_EQ(r.body, R"({"data":{"users":[{"n":"ada"},{"n":"alan"}]}})");
}

TEST_F(ExecutorTest, NestedFlattenOverListsOfLists) {
  PlanBuilder b;
  b.root(b.seq({b.fetch(kReviews, "reviews", "{users{reviews{product{__typename upc}}}}"),
                b.flatten({"users", "@", "reviews", "@", "product"},
                          b.entity_fetch(kProducts, "products", "{... on Product{__typename upc}}",
                                         "{... on Product{name}}"))}));
  FakeFetcher f([](uint32_t sg, const std::string& body) {
    if (sg == kReviews) {
      return ok_json(R"({"data":{"users":[)"
                     R"({"reviews":[{"product":{"__typename":"Product","upc":"2"}},)"
                     R"({"product":null},{"product":{"__typename":"Product","upc":"1"}}]},)"
                     R"(null,{"reviews":[{"product":{"__typename":"Product","upc":"2"}}]}]}})");
    }
    EXPECT_NE(body.find(R"("representations":[{"__typename":"Product","upc":"2"},)"
                        R"({"__typename":"Product","upc":"1"}])"),
              std::string::npos)
        << body;
    return ok_json(R"({"data":{"_entities":[{"name":"Couch"},{"name":"Table"}]}})");
  });
  Response r = run(b.plan, *schema_, "{ users { reviews { product { name } } } }", f);
  EXPECT_EQ(r.body, R"({"data":{"users":[{"reviews":[{"product":{"name":"Couch"}},)"
                    R"({"product":null},{"product":{"name":"Table"}}]},null,)"
                    R"({"reviews":[{"product":{"name":"Couch"}}]}]}})");
}

TEST_F(ExecutorTest, RequiresFieldsAreSentButNotReturned) {
  PlanBuilder b;
  b.root(b.seq({b.fetch(kProducts, "products", "{topProducts{name __typename upc price weight}}"),
                b.flatten({"topProducts", "@"},
                          b.entity_fetch(kInventory, "inventory",
                                         "{... on Product{__typename upc price weight}}",
                                         "{... on Product{shippingEstimate}}"))}));
  FakeFetcher f([](uint32_t sg, const std::string& body) {
    if (sg == kProducts) {
      return ok_json(R"({"data":{"topProducts":[{"name":"Table","__typename":"Product",)"
                     R"("upc":"1","price":899,"weight":100}]}})");
    }
    EXPECT_NE(body.find(R"([{"__typename":"Product","upc":"1","price":899,"weight":100}])"),
              std::string::npos)
        << body;
    return ok_json(R"({"data":{"_entities":[{"shippingEstimate":50}]}})");
  });
  Response r = run(b.plan, *schema_, "{ topProducts { name shippingEstimate } }", f);
  EXPECT_EQ(r.body, R"({"data":{"topProducts":[{"name":"Table","shippingEstimate":50}]}})");
}

TEST_F(ExecutorTest, AliasedKeyIsReadAtAliasAndSentUnderFieldName) {
  PlanBuilder b;
  // The client uses `upc` as an alias of `name`, so the planner aliased the key field.
  b.root(
      b.seq({b.fetch(kProducts, "products", "{topProducts{upc:name __typename k0:upc}}"),
             b.flatten({"topProducts", "@"}, b.entity_fetch(kInventory, "inventory",
                                                            "{... on Product{__typename k0:upc}}",
                                                            "{... on Product{inStock}}"))}));
  FakeFetcher f([](uint32_t sg, const std::string& body) {
    if (sg == kProducts) {
      return ok_json(
          R"({"data":{"topProducts":[{"upc":"Table","__typename":"Product","k0":"1"}]}})");
    }
    EXPECT_NE(body.find(R"([{"__typename":"Product","upc":"1"}])"), std::string::npos) << body;
    return ok_json(R"({"data":{"_entities":[{"inStock":true}]}})");
  });
  Response r = run(b.plan, *schema_, "{ topProducts { upc: name inStock } }", f);
  EXPECT_EQ(r.body, R"({"data":{"topProducts":[{"upc":"Table","inStock":true}]}})");
}

TEST_F(ExecutorTest, InterfaceObjectRepresentationsUseTheInterfaceName) {
  PlanBuilder b;
  planner::FetchNode* entity = b.entity_fetch(kReviews, "reviews", "{... on User{__typename id}}",
                                              "{... on Node{__typename}}");
  std::vector<planner::TypenameRewrite> rewrites = {{b.copy("User"), b.copy("Node")}};
  entity->representation_typenames =
      b.plan.arena().copy_span(std::span<const planner::TypenameRewrite>(rewrites));
  b.root(b.seq(
      {b.fetch(kAccounts, "accounts", "{me{__typename id name}}"), b.flatten({"me"}, entity)}));
  FakeFetcher f([](uint32_t sg, const std::string& body) {
    if (sg == kAccounts)
      return ok_json(R"({"data":{"me":{"__typename":"User","id":"1","name":"Ada"}}})");
    EXPECT_NE(body.find(R"("representations":[{"__typename":"Node","id":"1"}])"), std::string::npos)
        << body;
    return ok_json(R"({"data":{"_entities":[{"__typename":"Node"}]}})");
  });
  Response r = run(b.plan, *schema_, "{ me { __typename name } }", f);
  // The merged __typename does not leak: User is an object type, its name is the schema's.
  EXPECT_EQ(r.body, R"({"data":{"me":{"__typename":"User","name":"Ada"}}})");
  EXPECT_EQ(f.requests.size(), 2u);
}

TEST_F(ExecutorTest, EntityFetchWithoutPositionsIsNotSent) {
  PlanBuilder b;
  b.root(b.seq({b.fetch(kProducts, "products", "{topProducts{__typename upc}}"),
                b.flatten({"topProducts", "@"}, b.entity_fetch(kInventory, "inventory",
                                                               "{... on Product{__typename upc}}",
                                                               "{... on Product{inStock}}"))}));
  FakeFetcher f(
      [](uint32_t, const std::string&) { return ok_json(R"({"data":{"topProducts":[]}})"); });
  Response r = run(b.plan, *schema_, "{ topProducts { inStock } }", f);
  EXPECT_EQ(f.requests.size(), 1u);
  EXPECT_EQ(r.body, R"({"data":{"topProducts":[]}})");
}

TEST_F(ExecutorTest, FlattenTypeConditionSelectsObjectsOfThatType) {
  PlanBuilder b;
  b.root(
      b.seq({b.fetch(kAccounts, "search", "{search{__typename ...on User{id} ...on Product{upc}}}"),
             b.flatten({"search", "@", "... on User"},
                       b.entity_fetch(kAccounts, "accounts", "{... on User{__typename id}}",
                                      "{... on User{name}}"))}));
  FakeFetcher f([](uint32_t, const std::string& body) {
    if (body.find("_entities") == std::string::npos) {
      return ok_json(R"({"data":{"search":[{"__typename":"Product","upc":"1"},)"
                     R"({"__typename":"User","id":"7"}]}})");
    }
    EXPECT_NE(body.find(R"([{"__typename":"User","id":"7"}])"), std::string::npos) << body;
    return ok_json(R"({"data":{"_entities":[{"name":"Ada"}]}})");
  });
  Response r = run(b.plan, *schema_,
                   "{ search { __typename ... on User { name } ... on Product { upc } } }", f);
  EXPECT_EQ(r.body, R"({"data":{"search":[{"__typename":"Product","upc":"1"},)"
                    R"({"__typename":"User","name":"Ada"}]}})");
}

TEST_F(ExecutorTest, AbstractTypeResolvedFromData) {
  PlanBuilder b;
  b.root(b.fetch(kAccounts, "accounts", "{node{__typename id ...on User{name}}}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(R"({"data":{"node":{"__typename":"User","id":"1","name":"Ada"}}})");
  });
  Response r =
      run(b.plan, *schema_, "{ node { id ... on User { id name } ... on Review { body } } }", f);
  EXPECT_EQ(r.body, R"({"data":{"node":{"id":"1","name":"Ada"}}})");
}

TEST_F(ExecutorTest, AbstractTypeWithoutTypenameIsAnError) {
  PlanBuilder b;
  b.root(b.fetch(kAccounts, "accounts", "{node{id}}"));
  FakeFetcher f(
      [](uint32_t, const std::string&) { return ok_json(R"({"data":{"node":{"id":"1"}}})"); });
  Response r = run(b.plan, *schema_, "{ node { id } }", f);
  EXPECT_EQ(r.body.substr(0, 22), R"({"data":{"node":null},)");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].path.size(), 1u);
}

// ---- null propagation ---------------------------------------------------------------------

TEST_F(ExecutorTest, NullInNonNullFieldNullsNearestNullableParent) {
  PlanBuilder b;
  b.root(b.fetch(kReviews, "reviews", "{me{reviews{body}}}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(R"({"data":{"me":{"reviews":[{"body":"ok"},{"body":null}]}}})");
  });
  Response r = run(b.plan, *schema_, "{ me { reviews { body } } }", f);
  EXPECT_EQ(
      r.body,
      R"({"data":{"me":{"reviews":[{"body":"ok"},null]}},"errors":[{"message":)"
      R"("Cannot return null for non-nullable field Review.body.","path":["me","reviews",1,"body"]}]})");
}

TEST_F(ExecutorTest, NullInNonNullListItemNullsTheList) {
  PlanBuilder b;
  b.root(b.fetch(kProducts, "products", "{topProducts{reviews{id}}}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(R"({"data":{"topProducts":[{"reviews":[{"id":"1"},null]}]}})");
  });
  Response r = run(b.plan, *schema_, "{ topProducts { reviews { id } } }", f);
  EXPECT_EQ(r.body, R"({"data":{"topProducts":[{"reviews":null}]},"errors":[{"message":)"
                    R"("Cannot return null for non-nullable field Product.reviews.",)"
                    R"("path":["topProducts",0,"reviews",1]}]})");
}

TEST_F(ExecutorTest, NonNullRootFieldNullsData) {
  PlanBuilder b;
  b.root(b.fetch(kProducts, "products", "{productNN(upc:\"1\"){name} me{name}}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(R"({"data":{"productNN":null,"me":{"name":"Ada"}}})");
  });
  Response r = run(b.plan, *schema_, "{ productNN(upc: \"1\") { name } me { name } }", f);
  EXPECT_EQ(
      r.body,
      R"({"data":null,"errors":[{"message":)"
      R"("Cannot return null for non-nullable field Query.productNN.","path":["productNN"]}]})");
  EXPECT_TRUE(r.data_is_null);
}

TEST_F(ExecutorTest, SubgraphErrorExplainsNullWithoutSecondError) {
  PlanBuilder b;
  b.root(b.fetch(kProducts, "products", "{productNN(upc:\"1\"){name}}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(R"({"data":null,"errors":[{"message":"not found","path":["productNN"],)"
                   R"("locations":[{"line":1,"column":2}]}]})");
  });
  Response r = run(b.plan, *schema_, "{ productNN(upc: \"1\") { name } }", f);
  EXPECT_EQ(r.body,
            R"({"data":null,"errors":[{"message":"not found","path":["productNN"],)"
            R"("extensions":{"code":"DOWNSTREAM_SERVICE_ERROR","serviceName":"products"}}]})");
}

TEST_F(ExecutorTest, NullEntityInNonNullPositionBubbles) {
  PlanBuilder b;
  b.root(b.seq({b.fetch(kProducts, "products", "{topProducts{__typename upc}}"),
                b.flatten({"topProducts", "@"},
                          b.entity_fetch(kReviews, "reviews", "{... on Product{__typename upc}}",
                                         "{... on Product{reviews{body}}}"))}));
  FakeFetcher f([](uint32_t sg, const std::string&) {
    if (sg == kProducts)
      return ok_json(R"({"data":{"topProducts":[{"__typename":"Product","upc":"1"}]}})");
    return ok_json(R"({"data":{"_entities":[{"reviews":[{"body":null}]}]},"errors":[)"
                   R"({"message":"hidden","path":["_entities",0,"reviews",0,"body"]}]})");
  });
  Response r = run(b.plan, *schema_, "{ topProducts { reviews { body } } }", f);
  // Review.body is non-null, [Review!] nulls the list; the subgraph's error explains it.
  EXPECT_EQ(r.body, R"({"data":{"topProducts":[{"reviews":null}]},"errors":[{"message":"hidden",)"
                    R"("path":["topProducts",0,"reviews",0,"body"],"extensions":)"
                    R"({"code":"DOWNSTREAM_SERVICE_ERROR","serviceName":"reviews"}}]})");
}

// ---- subgraph errors ----------------------------------------------------------------------

TEST_F(ExecutorTest, RootErrorKeepsExtensionsAndAddsServiceName) {
  PlanBuilder b;
  b.root(b.fetch(kProducts, "products", "{product(upc:\"1\"){name}}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(R"({"data":{"product":null},"errors":[{"message":"rate limited",)"
                   R"("path":["product"],"extensions":{"code":"RATE_LIMITED","retryAfter":30}}]})");
  });
  Response r = run(b.plan, *schema_, "{ product(upc: \"1\") { name } }", f);
  EXPECT_EQ(r.body, R"({"data":{"product":null},"errors":[{"message":"rate limited",)"
                    R"("path":["product"],"extensions":{"code":"RATE_LIMITED","retryAfter":30,)"
                    R"("serviceName":"products"}}]})");
}

TEST_F(ExecutorTest, EntityErrorMapsToEveryPositionOfItsRepresentation) {
  PlanBuilder b;
  b.root(b.seq({b.fetch(kProducts, "products", "{topProducts{__typename upc}}"),
                b.flatten({"topProducts", "@"}, b.entity_fetch(kInventory, "inventory",
                                                               "{... on Product{__typename upc}}",
                                                               "{... on Product{inStock}}"))}));
  FakeFetcher f([](uint32_t sg, const std::string&) {
    if (sg == kProducts) {
      return ok_json(R"({"data":{"topProducts":[{"__typename":"Product","upc":"1"},)"
                     R"({"__typename":"Product","upc":"2"},{"__typename":"Product","upc":"1"}]}})");
    }
    return ok_json(R"({"data":{"_entities":[{"inStock":null},{"inStock":true}]},)"
                   R"("errors":[{"message":"stock unknown","path":["_entities",0,"inStock"]}]})");
  });
  Response r = run(b.plan, *schema_, "{ topProducts { inStock } }", f);
  EXPECT_EQ(r.body,
            R"({"data":{"topProducts":[{"inStock":null},{"inStock":true},{"inStock":null}]},)"
            R"("errors":[)"
            R"({"message":"stock unknown","path":["topProducts",0,"inStock"],"extensions":)"
            R"({"code":"DOWNSTREAM_SERVICE_ERROR","serviceName":"inventory"}},)"
            R"({"message":"stock unknown","path":["topProducts",2,"inStock"],"extensions":)"
            R"({"code":"DOWNSTREAM_SERVICE_ERROR","serviceName":"inventory"}}]})");
}

TEST_F(ExecutorTest, ErrorsWithoutUsablePathAreKeptWithoutPath) {
  PlanBuilder b;
  b.root(b.fetch(kProducts, "products", "{count}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(
        R"({"data":{"count":1},"errors":[{"message":"warn","path":[{"x":1}]},{"nomessage":1}]})");
  });
  Response r = run(b.plan, *schema_, "{ count }", f);
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_TRUE(r.errors[0].path.empty());
  EXPECT_EQ(r.errors[1].message, "Subgraph error without a message");
  EXPECT_EQ(r.body.substr(0, 24), R"({"data":{"count":1},"err)");
}

// ---- failed fetches: partial data -------------------------------------------------------

class FailedFetchTest : public ExecutorTest {
 protected:
  // products works; inventory answers with `inventory`.
  Response run_with(Result<SubgraphResponse> inventory) {
    PlanBuilder b;
    b.root(b.seq({b.fetch(kProducts, "products", "{topProducts{__typename upc name}}"),
                  b.flatten({"topProducts", "@"}, b.entity_fetch(kInventory, "inventory",
                                                                 "{... on Product{__typename upc}}",
                                                                 "{... on Product{inStock}}"))}));
    FakeFetcher f([&](uint32_t sg, const std::string&) -> Result<SubgraphResponse> {
      if (sg == kProducts) {
        return ok_json(R"({"data":{"topProducts":[{"__typename":"Product","upc":"1","name":"A"},)"
                       R"({"__typename":"Product","upc":"2","name":"B"}]}})");
      }
      return inventory;
    });
    return run(b.plan, *schema_, "{ topProducts { name inStock } }", f);
  }
  static constexpr std::string_view kPartial =
      R"({"data":{"topProducts":[{"name":"A","inStock":null},{"name":"B","inStock":null}]},)";
};

TEST_F(FailedFetchTest, TransportFailure) {
  Response r = run_with(Status(ErrorCode::kUnavailable, "connection refused"));
  EXPECT_EQ(r.body,
            std::string(kPartial) +
                R"("errors":[{"message":"HTTP fetch failed from 'inventory': connection refused",)"
                R"("path":["topProducts"],"extensions":{"code":"SUBREQUEST_HTTP_ERROR",)"
                R"("serviceName":"inventory"}}]})");
}

TEST_F(FailedFetchTest, Timeout) {
  Response r = run_with(Status(ErrorCode::kTimeout, "timed out after 30000 ms"));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, ErrorCode::kSubrequestTimeout);
  EXPECT_EQ(r.body.substr(0, kPartial.size()), kPartial);
}

TEST_F(FailedFetchTest, Http500) {
  Response r = run_with(SubgraphResponse{500, "Internal Server Error"});
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, ErrorCode::kSubrequestHttpError);
  EXPECT_EQ(r.errors[0].message, "HTTP fetch failed from 'inventory': HTTP status 500");
  EXPECT_EQ(r.body.substr(0, kPartial.size()), kPartial);
}

TEST_F(FailedFetchTest, MalformedAnswers) {
  for (const char* body :
       {"<html>not json</html>", "[1,2]", "{}", R"({"data":5})", R"({"data":{"_entities":{}}})",
        R"({"data":{"_entities":[{"inStock":true}]}})", R"({"data":{},"errors":{}})",
        R"({"data":{"_entities":[1,2,3]}})", "{\"data\":{\"_entities\":[", ""}) {
    SCOPED_TRACE(body);
    Response r = run_with(SubgraphResponse{200, body});
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].code, ErrorCode::kSubrequestMalformedResponse);
    EXPECT_EQ(r.body.substr(0, kPartial.size()), kPartial);
  }
}

TEST_F(FailedFetchTest, WrongItemShapesAreSkipped) {
  // Items that are not objects carry nothing to merge: the fields read as null.
  Response r = run_with(SubgraphResponse{200, R"({"data":{"_entities":[null,"x"]}})"});
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.body, std::string(kPartial.substr(0, kPartial.size() - 1)) + "}");
}

TEST_F(ExecutorTest, FailedRootFetchUnderNonNullNullsData) {
  PlanBuilder b;
  b.root(b.par({b.fetch(kProducts, "products", "{productNN(upc:\"1\"){name}}"),
                b.fetch(kAccounts, "accounts", "{me{name}}")}));
  FakeFetcher f([](uint32_t sg, const std::string&) -> Result<SubgraphResponse> {
    if (sg == kProducts) return Status(ErrorCode::kUnavailable, "reset");
    return ok_json(R"({"data":{"me":{"name":"Ada"}}})");
  });
  Response r = run(b.plan, *schema_, "{ productNN(upc: \"1\") { name } me { name } }", f);
  // One error: the fetch failure at productNN explains the non-null violation there.
  EXPECT_EQ(r.body,
            R"({"data":null,"errors":[{"message":"HTTP fetch failed from 'products': reset",)"
            R"("path":["productNN"],"extensions":{"code":"SUBREQUEST_HTTP_ERROR",)"
            R"("serviceName":"products"}}]})");
}

// ---- leaf values --------------------------------------------------------------------------

TEST_F(ExecutorTest, LeafValuesAreCheckedAgainstTheirTypes) {
  PlanBuilder b;
  b.root(b.fetch(kProducts, "products", "{color count ids me{name}}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(
        R"({"data":{"color":"BLUE","count":2.0,"ids":["a",7,true],"me":{"name":{"x":1}}}})");
  });
  Response r = run(b.plan, *schema_, "{ color count ids me { name } }", f);
  EXPECT_EQ(r.body.substr(0, r.body.find(",\"errors\"")),
            R"({"data":{"color":null,"count":2,"ids":["a","7",null],"me":{"name":null}})");
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].message, "Invalid value found for field Query.color.");
  EXPECT_EQ(r.errors[2].path.size(), 2u);
}

TEST_F(ExecutorTest, StringsAreEscapedAndNumbersKept) {
  PlanBuilder b;
  b.root(b.fetch(kProducts, "products", "{topProducts{name price}}"));
  FakeFetcher f([](uint32_t, const std::string&) {
    return ok_json(
        R"({"data":{"topProducts":[{"name":"a\"b\\c\u0001é\ud83d\ude00","price":-5}]}})");
  });
  Response r = run(b.plan, *schema_, "{ topProducts { name price } }", f);
  EXPECT_EQ(r.body,
            "{\"data\":{\"topProducts\":[{\"name\":\"a\\\"b\\\\c\\u0001é😀\",\"price\":-5}]}}");
}

}  // namespace
}  // namespace orbit::executor
