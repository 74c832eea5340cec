// Planner behaviour that golden files do not show well: errors, bounds, the fetch fields
// the executor reads.
#include "orbit/planner/planner.h"

#include <gtest/gtest.h>

#include "orbit/graphql/normalization/normalize.h"
#include "orbit/graphql/parser.h"

namespace orbit::planner {
namespace {

// Two subgraphs; Product is an entity of both; `b.detail` hangs off a chain of entities.
constexpr std::string_view kSupergraph = R"(
schema @link(url: "https://specs.apollo.dev/link/v1.0")
       @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) { query: Query }
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
scalar join__FieldSet
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
enum join__Graph {
  A @join__graph(name: "a", url: "http://a")
  B @join__graph(name: "b", url: "http://b")
}
type Query @join__type(graph: A) @join__type(graph: B) {
  products(first: Int): [Product!]! @join__field(graph: A)
  other(x: String): Int @join__field(graph: B)
}
type Product @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") {
  id: ID!
  name: String @join__field(graph: A)
  stock(warehouse: String): Int @join__field(graph: B)
}
)";

class PlannerTest : public testing::Test {
 protected:
  void SetUp() override {
    graphql::ErrorReport errors;
    sg_ = federation::Supergraph::load(kSupergraph, errors);
    ASSERT_NE(sg_, nullptr);
  }
  Result<std::shared_ptr<const QueryPlan>> plan(std::string_view query,
                                                const PlanOptions& options = {}) {
    graphql::ParseResult parsed = graphql::parse(query, arena_);
    EXPECT_TRUE(parsed.ok());
    auto* op = parsed.document->definitions[0]->as<graphql::OperationDefinition>();
    graphql::ErrorReport report;
    graphql::NoConditionVariables vars;
    auto norm = graphql::normalize(sg_->api_schema(), *parsed.document, *op, vars, arena_, report);
    EXPECT_TRUE(norm.ok());
    return plan_operation(*sg_, *norm.operation, options);
  }
  Arena arena_;
  std::unique_ptr<federation::Supergraph> sg_;
};

const FetchNode* fetch_at(const PlanNode* n, std::initializer_list<int> where) {
  for (int i : where) {
    if (n->kind == PlanNodeKind::kSequence)
      n = static_cast<const SequenceNode*>(n)->nodes[i];
    else if (n->kind == PlanNodeKind::kParallel)
      n = static_cast<const ParallelNode*>(n)->nodes[i];
  }
  if (n->kind == PlanNodeKind::kFlatten) n = static_cast<const FlattenNode*>(n)->node;
  return n->kind == PlanNodeKind::kFetch ? static_cast<const FetchNode*>(n) : nullptr;
}

TEST_F(PlannerTest, OnlyTypenameNeedsNoFetch) {
  auto p = plan("{ __typename }");
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  EXPECT_EQ((*p)->root(), nullptr);
  EXPECT_EQ((*p)->fetch_count(), 0u);
  EXPECT_EQ((*p)->to_string(), "QueryPlan {\n}\n");
}

TEST_F(PlannerTest, FetchesDeclareOnlyTheVariablesTheyUse) {
  auto p = plan(
      "query Q($n: Int, $w: String = \"x\", $unused: Int) "
      "{ products(first: $n) { name stock(warehouse: $w) } }");
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  ASSERT_EQ((*p)->fetch_count(), 2u);
  const FetchNode* root = fetch_at((*p)->root(), {0});
  const FetchNode* entity = fetch_at((*p)->root(), {1});
  ASSERT_NE(root, nullptr);
  ASSERT_NE(entity, nullptr);
  EXPECT_EQ(root->operation, "query Q__a__0($n:Int){products(first:$n){name __typename id}}");
  EXPECT_EQ(root->operation_name, "Q__a__0");
  ASSERT_EQ(root->variable_usages.size(), 1u);
  EXPECT_EQ(root->variable_usages[0], "n");
  EXPECT_FALSE(root->is_entity_fetch());
  EXPECT_TRUE(entity->is_entity_fetch());
  EXPECT_EQ(entity->operation,
            "query Q__b__1($representations:[_Any!]!$w:String=\"x\"){_entities(representations:"
            "$representations){...on Product{stock(warehouse:$w)}}}");
  ASSERT_EQ(entity->variable_usages.size(), 1u);
  EXPECT_EQ(entity->variable_usages[0], "w");
}

TEST_F(PlannerTest, FetchBoundIsAnError) {
  PlanOptions options;
  options.max_fetches = 1;
  auto p = plan("{ products { stock } }", options);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kLimitExceeded);
}

TEST_F(PlannerTest, SelectionBoundIsAnError) {
  PlanOptions options;
  options.max_selections = 2;
  auto p = plan("{ products { id name } }", options);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kLimitExceeded);
}

TEST_F(PlannerTest, PlannerKeysAreAliasedWhenTheClientUsesTheName) {
  auto p = plan("{ products { id: name stock } }");
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  const FetchNode* root = fetch_at((*p)->root(), {0});
  const FetchNode* entity = fetch_at((*p)->root(), {1});
  EXPECT_EQ(root->operation, "{products{id:name __typename id__alias_0:id}}");
  // The representation reads `id__alias_0` from the data and sends it as `id`.
  EXPECT_NE((*p)->to_string().find("{ ... on Product { __typename id__alias_0: id } }"),
            std::string::npos)
      << (*p)->to_string();
  (void)entity;
}

}  // namespace
}  // namespace orbit::planner
