// API schema: our print_schema(api_schema()) must equal Apollo's API schema of the same
// supergraph (Supergraph.build(sdl).apiSchema(), normalized by graphql-js printSchema; see
// data/compose.js), and @inaccessible misuse is rejected with Apollo's messages.
#include <gtest/gtest.h>

#include "orbit/federation/schema_printer.h"
#include "orbit/federation/supergraph.h"
#include "test_util.h"

namespace orbit::federation {
namespace {

using testing::errors_text;
using testing::read_data;

class ApiGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ApiGoldenTest, MatchesApollo) {
  graphql::ErrorReport errors;
  auto sg = Supergraph::load(read_data("supergraphs/" + GetParam() + ".graphql"), errors);
  ASSERT_NE(sg, nullptr) << errors_text(errors);
  std::string expected = read_data("api/" + GetParam() + ".graphql");
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(print_schema(sg->api_schema()) + "\n", expected) << sg->api_sdl();
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ApiGoldenTest,
                         ::testing::Values("shop", "shop_guild", "abstract", "abstract_guild",
                                           "fed1_shop", "renamed"));

TEST(ApiSchemaTest, MachineryAndInaccessibleAreGone) {
  graphql::ErrorReport errors;
  auto sg = Supergraph::load(read_data("supergraphs/shop.graphql"), errors);
  ASSERT_NE(sg, nullptr) << errors_text(errors);
  const graphql::Schema& api = sg->api_schema();
  for (std::string_view name : {"join__Graph", "join__FieldSet", "link__Import", "link__Purpose"}) {
    EXPECT_EQ(api.type(name), nullptr) << name;
  }
  for (std::string_view name : {"join__type", "join__field", "link", "inaccessible", "tag"}) {
    EXPECT_EQ(api.directive(name), nullptr) << name;
  }
  EXPECT_EQ(api.type("Product")->field("cost"), nullptr);
  EXPECT_NE(api.type("Product")->field("weight"), nullptr);
  EXPECT_EQ(api.type("Currency")->enum_value("CHF"), nullptr);
  // Nothing of the machinery is left in the text either.
  EXPECT_EQ(sg->api_sdl().find("join__"), std::string::npos);
  EXPECT_EQ(sg->api_sdl().find("@tag"), std::string::npos);
  // Deprecation and @specifiedBy survive for introspection.
  EXPECT_TRUE(api.type("Product")->field("legacyCode")->deprecated);
  EXPECT_EQ(api.type("DateTime")->specified_by_url, "https://tools.ietf.org/html/rfc3339");
  EXPECT_EQ(api.type("Product")->description, "A product in the catalog.");
  // The supergraph itself is untouched.
  EXPECT_NE(sg->schema().type("Product")->field("cost"), nullptr);
}

TEST(ApiSchemaTest, InaccessibleTypesLeaveUnionsAndInterfaces) {
  graphql::ErrorReport errors;
  auto sg = Supergraph::load(read_data("supergraphs/abstract.graphql"), errors);
  ASSERT_NE(sg, nullptr) << errors_text(errors);
  const graphql::Schema& api = sg->api_schema();
  EXPECT_EQ(api.type("Podcast"), nullptr);
  EXPECT_EQ(api.type("SearchResult")->members.size(), 3u);
  EXPECT_EQ(api.type("Query")->field("search")->arguments.size(), 1u);
  EXPECT_EQ(api.type("Movie")->field("secretBudget"), nullptr);
  EXPECT_EQ(api.type("Media")->possible_types.size(), 2u);
}

// A minimal supergraph; tests below splice elements into it.
std::string base_supergraph(std::string_view types) {
  return std::string(R"(schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
  @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)
{
  query: Query
}
directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
scalar join__FieldSet
enum join__Graph { A @join__graph(name: "a", url: "http://a") }
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
)") + std::string(types);
}

std::string load_error(std::string_view types) {
  graphql::ErrorReport errors;
  auto sg = Supergraph::load(base_supergraph(types), errors);
  EXPECT_EQ(sg, nullptr);
  return errors_text(errors);
}

TEST(ApiSchemaTest, InaccessibleTypeReferencedByAccessibleField) {
  std::string err = load_error(R"(
type Query @join__type(graph: A) { h: Hidden, ok: Int }
type Hidden @join__type(graph: A) @inaccessible { x: Int }
)");
  EXPECT_EQ(err,
            "Type \"Hidden\" is @inaccessible but is referenced by \"Query.h\", which is in "
            "the API schema. @20:1\n");
}

TEST(ApiSchemaTest, InaccessibleTypeReferencedByArgument) {
  std::string err = load_error(R"(
type Query @join__type(graph: A) { f(e: E): Int }
enum E @join__type(graph: A) @inaccessible { X }
)");
  EXPECT_NE(err.find("Type \"E\" is @inaccessible but is referenced by \"Query.f(e:)\""),
            std::string::npos)
      << err;
}

TEST(ApiSchemaTest, InaccessibleQueryRoot) {
  std::string err = load_error(R"(
type Query @join__type(graph: A) @inaccessible { a: Int }
)");
  EXPECT_NE(err.find("Type \"Query\" is @inaccessible but is the root query type, which must "
                     "be in the API schema."),
            std::string::npos)
      << err;
}

TEST(ApiSchemaTest, OnlyInaccessibleChildren) {
  std::string err = load_error(R"(
type Query @join__type(graph: A) { a: Int @inaccessible, b: Int @inaccessible }
)");
  EXPECT_EQ(err,
            "Type \"Query\" is in the API schema but all of its fields are @inaccessible. "
            "@19:1\n");
  err = load_error(R"(
type Query @join__type(graph: A) { a(e: E): Int }
enum E @join__type(graph: A) { X @inaccessible }
)");
  EXPECT_NE(err.find("Type \"E\" is in the API schema but all of its values are @inaccessible."),
            std::string::npos)
      << err;
}

TEST(ApiSchemaTest, InaccessibleFieldImplementingAccessibleInterfaceField) {
  std::string err = load_error(R"(
type Query @join__type(graph: A) { n: Node }
interface Node @join__type(graph: A) { id: ID! }
type T implements Node @join__type(graph: A) @join__implements(graph: A, interface: "Node") {
  id: ID! @inaccessible
  x: Int
}
)");
  EXPECT_NE(err.find("Field \"T.id\" is @inaccessible but implements the interface field "
                     "\"Node.id\", which is in the API schema."),
            std::string::npos)
      << err;
}

TEST(ApiSchemaTest, RequiredInaccessibleArgument) {
  std::string err = load_error(R"(
type Query @join__type(graph: A) { f(a: Int! @inaccessible, b: Int): Int }
)");
  EXPECT_NE(err.find("Argument \"Query.f(a:)\" is @inaccessible but is a required argument of "
                     "its field."),
            std::string::npos)
      << err;
}

TEST(ApiSchemaTest, OneOfDescriptionsAndCustomDirectivesKept) {
  graphql::ErrorReport errors;
  auto sg = Supergraph::load(base_supergraph(R"(
"Custom executable directive"
directive @log(level: Int = 1) on FIELD
type Query @join__type(graph: A) {
  find(by: By @inaccessible, where: Where): Int @deprecated
}
input By @join__type(graph: A) @oneOf { id: ID, name: String }
input Where @join__type(graph: A) @oneOf { id: ID, secret: String @inaccessible }
)"),
                             errors);
  ASSERT_NE(sg, nullptr) << errors_text(errors);
  EXPECT_EQ(print_schema(sg->api_schema()), R"("""Custom executable directive"""
directive @log(level: Int = 1) on FIELD

type Query {
  find(where: Where): Int @deprecated
}

input By @oneOf {
  id: ID
  name: String
}

input Where @oneOf {
  id: ID
})");
  const graphql::Schema& api = sg->api_schema();
  EXPECT_TRUE(api.type("Where")->one_of);
  EXPECT_EQ(api.directive("log")->description, "Custom executable directive");
  EXPECT_NE(sg->api_sdl().find("@oneOf"), std::string::npos);
}

}  // namespace
}  // namespace orbit::federation
