// A bad supergraph is rejected at load with a precise message and location; each case
// starts from a valid supergraph and breaks one thing.
#include <gtest/gtest.h>

#include "orbit/federation/supergraph.h"
#include "test_util.h"

namespace orbit::federation {
namespace {

using testing::errors_text;

constexpr std::string_view kValid = R"(schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION)
{
  query: Query
}
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
scalar join__FieldSet
enum join__Graph {
  A @join__graph(name: "a", url: "http://a")
  B @join__graph(name: "b", url: "http://b")
}
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
type Query @join__type(graph: A) @join__type(graph: B) {
  t(id: ID!): T @join__field(graph: A)
}
interface Named @join__type(graph: A) { name: String }
type T implements Named @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") @join__implements(graph: A, interface: "Named") {
  id: ID!
  name: String @join__field(graph: A) @join__field(graph: B, external: true)
  size: Int @join__field(graph: B, requires: "name")
  color: String @join__field(graph: A)
  owner: Owner @join__field(graph: A)
}
type Owner @join__type(graph: A) { id: ID! }
enum Shade @join__type(graph: A) { DARK @join__enumValue(graph: A) }
)";

std::string replaced(std::string_view from, std::string_view to) {
  std::string s(kValid);
  size_t pos = s.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

struct Case {
  const char* name;
  const char* from;
  const char* to;
  const char* expected;  // the whole first error, with its location
};

class LoadErrorTest : public ::testing::TestWithParam<Case> {};

TEST(LoadErrorBaseTest, ValidBaseLoads) {
  graphql::ErrorReport errors;
  auto sg = Supergraph::load(kValid, errors);
  ASSERT_NE(sg, nullptr) << errors_text(errors);
  EXPECT_EQ(sg->field_info("T", "size")->in_graph(1)->requires_fields->text, "name");
}

TEST_P(LoadErrorTest, Rejected) {
  const Case& c = GetParam();
  graphql::ErrorReport errors;
  auto sg = Supergraph::load(replaced(c.from, c.to), errors);
  EXPECT_EQ(sg, nullptr);
  ASSERT_FALSE(errors.errors().empty());
  std::string first = errors.errors()[0].message;
  for (const auto& l : errors.errors()[0].locations) {
    first += " @" + std::to_string(l.line) + ":" + std::to_string(l.column);
  }
  EXPECT_EQ(first, c.expected) << errors_text(errors);
  EXPECT_EQ(errors.errors()[0].code, ErrorCode::kInvalidSupergraph);
}

const Case kCases[] = {
    {"UnknownGraph", "t(id: ID!): T @join__field(graph: A)", "t(id: ID!): T @join__field(graph: C)",
     "Invalid supergraph: @join__field names unknown graph C (not a value of join__Graph) @22:37"},
    {"UnknownKeyField", "@join__type(graph: A, key: \"id\")",
     "@join__type(graph: A, key: \"nope\")",
     "Invalid supergraph: invalid key field set \"nope\" on \"T\": field \"T.nope\" does not exist "
     "@25:25"},
    {"UnparsableFieldSet", "@join__type(graph: A, key: \"id\")",
     "@join__type(graph: A, key: \"id {\")",
     "Invalid supergraph: invalid key field set \"id {\" on \"T\": cannot parse \"id {\": Syntax "
     "Error: Expected Name, found \"}\". @25:25"},
    {"LeafWithSelection", "@join__type(graph: A, key: \"id\")",
     "@join__type(graph: A, key: \"id { x }\")",
     "Invalid supergraph: invalid key field set \"id { x }\" on \"T\": leaf field \"T.id\" cannot "
     "have a selection @25:25"},
    {"CompositeWithoutSelection", "@join__type(graph: A, key: \"id\")",
     "@join__type(graph: A, key: \"owner\")",
     "Invalid supergraph: invalid key field set \"owner\" on \"T\": field \"T.owner\" of "
     "composite type \"Owner\" needs a selection @25:25"},
    {"KeyOnEnum", "enum Shade @join__type(graph: A)",
     "enum Shade @join__type(graph: A, key: \"x\")",
     "Invalid supergraph: @join__type puts a key on \"Shade\", which is not an object or "
     "interface type @33:12"},
    {"RequiresOnWrongType", "requires: \"name\"", "requires: \"t { id }\"",
     "Invalid supergraph: invalid requires field set \"t { id }\" on \"T\": field \"T.t\" does "
     "not exist @28:13"},
    {"ProvidesOnLeaf", "color: String @join__field(graph: A)",
     "color: String @join__field(graph: A, provides: \"x\")",
     "Invalid supergraph: @join__field(provides:) on \"T.color\", whose type \"String\" is not a "
     "composite type @29:17"},
    {"ProvidesUnknownField", "owner: Owner @join__field(graph: A)",
     "owner: Owner @join__field(graph: A, provides: \"name\")",
     "Invalid supergraph: invalid provides field set \"name\" on \"Owner\": field \"Owner.name\" "
     "does not exist @30:16"},
    {"FieldInGraphWithoutType", "type Owner @join__type(graph: A) { id: ID! }",
     "type Owner @join__type(graph: A) { id: ID! @join__field(graph: B) }",
     "Invalid supergraph: @join__field on \"Owner.id\" names subgraph \"b\", which does not "
     "define \"Owner\" (no @join__type for it) @32:44"},
    {"KeyFieldNotInSubgraph", "@join__type(graph: B, key: \"id\")",
     "@join__type(graph: B, key: \"color\")",
     "Invalid supergraph: @key(fields: \"color\") of \"T\" in subgraph \"b\" selects \"T.color\", "
     "which that subgraph does not define @25:58"},
    {"UnsupportedJoinVersion", "join/v0.3", "join/v0.9",
     "Invalid supergraph: uses unsupported join spec version v0.9 (supported versions: v0.1, "
     "v0.2, v0.3, v0.4, v0.5) @3:3"},
    {"UnsupportedLinkVersion", "link/v1.0", "link/v2.0",
     "Invalid supergraph: unsupported link spec version v2.0 (supported versions: v1.0) @2:3"},
    {"UnsupportedSecurityFeature", "{\n  query: Query",
     "@link(url: \"https://specs.apollo.dev/authenticated/v0.1\", for: SECURITY)\n{\n  query: "
     "Query",
     "Invalid supergraph: feature https://specs.apollo.dev/authenticated/v0.1 is for: SECURITY "
     "but is unsupported: this router does not enforce @authenticated, and serving the graph "
     "without it would expose what it protects (remove @authenticated from the subgraphs, or "
     "enforce access in them) @4:1"},
    {"UnsupportedExecutionFeature", "{\n  query: Query",
     "@link(url: \"https://example.com/audit/v1.0\", for: EXECUTION)\n{\n  query: Query",
     "Invalid supergraph: feature https://example.com/audit/v1.0 is for: EXECUTION but is "
     "unsupported @4:1"},
    {"NotACoreSchema", "@link(url: \"https://specs.apollo.dev/link/v1.0\")", "",
     "Invalid supergraph: must be a core schema (no @link of https://specs.apollo.dev/link nor "
     "@core of https://specs.apollo.dev/core on the schema definition)"},
    {"NoJoin", "@link(url: \"https://specs.apollo.dev/join/v0.3\", for: EXECUTION)", "",
     "Invalid supergraph: must use the join spec (https://specs.apollo.dev/join)"},
    {"GraphValueWithoutJoinGraph", "B @join__graph(name: \"b\", url: \"http://b\")", "B",
     "Invalid supergraph: value B of join__Graph has no @join__graph directive @17:3"},
    {"DuplicateSubgraphName", "B @join__graph(name: \"b\"", "B @join__graph(name: \"a\"",
     "Invalid supergraph: two values of join__Graph name the subgraph \"a\" @17:5"},
    {"InterfaceObjectOnObject", "type Owner @join__type(graph: A)",
     "type Owner @join__type(graph: A, isInterfaceObject: true)",
     "Invalid supergraph: @join__type(isInterfaceObject: true) on \"Owner\", which is not an "
     "interface @32:12"},
    {"ImplementsUnknownInterface", "@join__implements(graph: A, interface: \"Named\")",
     "@join__implements(graph: A, interface: \"Nope\")",
     "Invalid supergraph: @join__implements on \"T\" names \"Nope\", which is not an interface "
     "it implements @25:91"},
    {"BadFieldType", "color: String @join__field(graph: A)",
     "color: String @join__field(graph: A, type: \"Strin\")",
     "Invalid supergraph: @join__field(type: \"Strin\") on \"T.color\" is not an output type of "
     "the supergraph @29:17"},
    {"EnumValueOfOtherGraph", "DARK @join__enumValue(graph: A)", "DARK @join__enumValue(graph: B)",
     "Invalid supergraph: @join__enumValue on \"Shade.DARK\" names subgraph \"b\", which does "
     "not define \"Shade\" @33:41"},
    {"GraphNotAnEnumValue", "t(id: ID!): T @join__field(graph: A)",
     "t(id: ID!): T @join__field(graph: \"A\")",
     "Invalid supergraph: `graph:` of @join__field must be a value of join__Graph @22:37"},
};

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  return info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Cases, LoadErrorTest, ::testing::ValuesIn(kCases), case_name);

TEST(LoadErrorBaseTest, TooManySubgraphs) {
  std::string values;
  for (int i = 0; i < 256; ++i) {
    values += "  G" + std::to_string(i) + " @join__graph(name: \"g" + std::to_string(i) +
              "\", url: \"\")\n";
  }
  graphql::ErrorReport errors;
  auto sg = Supergraph::load(replaced("  A @join__graph(name: \"a\", url: \"http://a\")\n", values),
                             errors);
  EXPECT_EQ(sg, nullptr);
  EXPECT_NE(errors_text(errors).find("too many subgraphs: 257 (at most 256 are supported)"),
            std::string::npos)
      << errors_text(errors);
}

TEST(LoadErrorBaseTest, InvalidGraphqlIsReportedBySchemaBuild) {
  graphql::ErrorReport errors;
  auto sg = Supergraph::load("type Query { a: Nope }", errors);
  EXPECT_EQ(sg, nullptr);
  ASSERT_FALSE(errors.errors().empty());
  EXPECT_NE(errors.errors()[0].message.find("Nope"), std::string::npos);
}

TEST(LoadErrorBaseTest, EmptyAndGarbageInput) {
  for (std::string_view sdl : {std::string_view(""), std::string_view("{{{"),
                               std::string_view("schema @link(url: 5) { query: Query } "
                                                "directive @link(url: Int) repeatable on SCHEMA "
                                                "type Query { a: Int }")}) {
    graphql::ErrorReport errors;
    EXPECT_EQ(Supergraph::load(sdl, errors), nullptr) << sdl;
    EXPECT_TRUE(errors.has_errors()) << sdl;
  }
}

}  // namespace
}  // namespace orbit::federation
