// Subtyping helpers (graphql-js isPossibleType / isSubType / doTypesOverlap / isEqualType /
// isTypeSubTypeOf) and the suggestion helpers shared with validation.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "orbit/graphql/schema/schema.h"
#include "orbit/graphql/schema/suggestion_list.h"

namespace orbit::graphql {
namespace {

constexpr std::string_view kSdl = R"(
interface Node { id: ID! }
interface Named implements Node { id: ID! name: String }
type User implements Node & Named { id: ID! name: String friends: [User!]! }
type Bot implements Node { id: ID! }
type Post { id: ID! }
union Actor = User | Bot
union Content = Post
type Query { node: Node actor: Actor content: Content named: Named n: Int nn: Int! l: [Int] }
)";

class SubtypingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ErrorReport report;
    schema_ = Schema::build(kSdl, report);
    ASSERT_NE(schema_, nullptr) << report.errors()[0].message;
  }
  const TypeDef* t(std::string_view name) { return schema_->type(name); }
  const TypeRef* field_type(std::string_view name) {
    return schema_->query_type()->field(name)->type;
  }
  std::unique_ptr<Schema> schema_;
};

TEST_F(SubtypingTest, PossibleTypes) {
  EXPECT_TRUE(schema_->is_possible_type(t("Node"), t("User")));
  EXPECT_TRUE(schema_->is_possible_type(t("Node"), t("Bot")));
  EXPECT_FALSE(schema_->is_possible_type(t("Node"), t("Post")));
  // Interfaces are not possible (object) types, even when they implement the interface.
  EXPECT_FALSE(schema_->is_possible_type(t("Node"), t("Named")));
  EXPECT_TRUE(schema_->is_possible_type(t("Named"), t("User")));
  EXPECT_FALSE(schema_->is_possible_type(t("Named"), t("Bot")));
  EXPECT_TRUE(schema_->is_possible_type(t("Actor"), t("Bot")));
  EXPECT_FALSE(schema_->is_possible_type(t("Actor"), t("Post")));
  // An object type's only possible type is itself.
  EXPECT_TRUE(schema_->is_possible_type(t("User"), t("User")));
  EXPECT_FALSE(schema_->is_possible_type(t("User"), t("Bot")));
  EXPECT_FALSE(schema_->is_possible_type(nullptr, t("Bot")));
}

TEST_F(SubtypingTest, SubTypes) {
  EXPECT_TRUE(schema_->is_sub_type(t("Node"), t("Named")));  // interface implementing
  EXPECT_TRUE(schema_->is_sub_type(t("Node"), t("User")));
  EXPECT_TRUE(schema_->is_sub_type(t("Actor"), t("User")));
  EXPECT_FALSE(schema_->is_sub_type(t("Named"), t("Node")));
  EXPECT_FALSE(schema_->is_sub_type(t("Content"), t("User")));
  EXPECT_TRUE(schema_->is_sub_type(t("User"), t("User")));
  EXPECT_FALSE(schema_->is_sub_type(t("User"), t("Bot")));
}

TEST_F(SubtypingTest, TypesOverlap) {
  EXPECT_TRUE(schema_->types_overlap(t("Node"), t("Actor")));   // User, Bot
  EXPECT_TRUE(schema_->types_overlap(t("Named"), t("Actor")));  // User
  EXPECT_FALSE(schema_->types_overlap(t("Content"), t("Node")));
  EXPECT_TRUE(schema_->types_overlap(t("User"), t("Named")));
  EXPECT_TRUE(schema_->types_overlap(t("Actor"), t("Bot")));
  EXPECT_FALSE(schema_->types_overlap(t("Bot"), t("Named")));
  EXPECT_FALSE(schema_->types_overlap(t("User"), t("Bot")));
  EXPECT_TRUE(schema_->types_overlap(t("Post"), t("Post")));
}

TEST_F(SubtypingTest, EqualAndSubTypeOfTypeRefs) {
  const TypeRef* n = field_type("n");    // Int
  const TypeRef* nn = field_type("nn");  // Int!
  const TypeRef* l = field_type("l");    // [Int]
  EXPECT_TRUE(Schema::equal_types(n, n));
  EXPECT_TRUE(Schema::equal_types(nn->of_type, n));
  EXPECT_FALSE(Schema::equal_types(nn, n));
  EXPECT_FALSE(Schema::equal_types(l, n));
  EXPECT_TRUE(schema_->is_type_sub_type_of(nn, n));   // Int! <: Int
  EXPECT_FALSE(schema_->is_type_sub_type_of(n, nn));  // Int </: Int!
  EXPECT_FALSE(schema_->is_type_sub_type_of(l, n));
  EXPECT_FALSE(schema_->is_type_sub_type_of(n, l));

  const TypeRef* friends = t("User")->field("friends")->type;  // [User!]!
  Arena arena;
  auto list_of = [&](const TypeRef* inner) {
    TypeRef* r = arena.make<TypeRef>();
    r->wrap = TypeRef::Wrap::kList;
    r->of_type = inner;
    return r;
  };
  // [User!]! <: [Node] and <: [Named], not <: [Bot] or [Content].
  EXPECT_TRUE(schema_->is_type_sub_type_of(friends, list_of(t("Node")->ref())));
  EXPECT_TRUE(schema_->is_type_sub_type_of(friends, list_of(t("Named")->ref())));
  EXPECT_FALSE(schema_->is_type_sub_type_of(friends, list_of(t("Bot")->ref())));
  EXPECT_FALSE(schema_->is_type_sub_type_of(friends, list_of(t("Content")->ref())));
  // Interfaces implementing interfaces are subtypes too; the reverse is not.
  EXPECT_TRUE(schema_->is_type_sub_type_of(t("Named")->ref(), t("Node")->ref()));
  EXPECT_FALSE(schema_->is_type_sub_type_of(t("Node")->ref(), t("Named")->ref()));
}

TEST(SuggestionListTest, OrdersByDistanceThenNaturally) {
  std::vector<std::string_view> options = {"Query", "query", "Qurey", "Quer", "Mutation", "Query"};
  std::vector<std::string_view> got = suggestion_list("Qery", options);
  // As graphql-js: distance on lower case, 1 for Query/query, 2 for Quer/Qurey; ties in
  // natural order (upper case first); duplicates once.
  EXPECT_EQ(got, (std::vector<std::string_view>{"Query", "query", "Quer", "Qurey"}));
  std::vector<std::string_view> numbered = {"f10", "f9", "f2"};
  EXPECT_EQ(suggestion_list("f1", numbered), (std::vector<std::string_view>{"f2", "f9", "f10"}));
  EXPECT_TRUE(suggestion_list("zzzzzz", options).empty());
}

TEST(SuggestionListTest, DidYouMean) {
  std::vector<std::string_view> none;
  EXPECT_EQ(did_you_mean(none), "");
  std::vector<std::string_view> two = {"A", "B"};
  EXPECT_EQ(did_you_mean(two), " Did you mean \"A\" or \"B\"?");
  std::vector<std::string_view> many = {"A", "B", "C", "D", "E", "F"};
  EXPECT_EQ(did_you_mean(many), " Did you mean \"A\", \"B\", \"C\", \"D\", or \"E\"?");
  EXPECT_EQ(did_you_mean(two, "the enum value"), " Did you mean the enum value \"A\" or \"B\"?");
  std::vector<std::string> items = {"query", "mutation", "subscription"};
  EXPECT_EQ(and_list(items), "query, mutation, and subscription");
}

}  // namespace
}  // namespace orbit::graphql
