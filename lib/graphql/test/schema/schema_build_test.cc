// Schema::build(): extensions merged, built-ins present, graphql-js's type order, root types,
// derived data (possible types, deprecation, @specifiedBy, @oneOf) and the lookup helpers.
// Expected orders were taken from graphql-js 17.1.0 (Object.keys(schema.getTypeMap())).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "orbit/graphql/parser.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::graphql {
namespace {

std::unique_ptr<Schema> build_ok(std::string_view sdl) {
  ErrorReport report;
  std::unique_ptr<Schema> schema = Schema::build(sdl, report);
  EXPECT_TRUE(report.errors().empty())
      << (report.errors().empty() ? "" : report.errors()[0].message);
  return schema;
}

std::string join_names(const std::vector<const TypeDef*>& types) {
  std::string out;
  for (const TypeDef* t : types) {
    if (!out.empty()) out += ' ';
    out += t->name;
  }
  return out;
}

std::string directive_names(const Schema& s) {
  std::string out;
  for (const DirectiveDef* d : s.directives()) {
    if (!out.empty()) out += ' ';
    out += d->name;
  }
  return out;
}

TEST(SchemaBuildTest, TypeOrderMatchesGraphqlJs) {
  auto s = build_ok(R"(type Query { a(x: ID): Foo  b: Bar }
interface Node { id: ID! }
type Foo implements Node { id: ID! n: Float }
input Bar2 { x: Int }
type Bar { s: String  e: E }
enum E { A B }
directive @d(x: Bar2) on FIELD
)");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(join_names(s->types()),
            "Query ID Node Foo Float Bar2 Int Bar String E Boolean __Schema __Type __TypeKind "
            "__Field __InputValue __EnumValue __Directive __DirectiveLocation");
  EXPECT_EQ(directive_names(*s), "d include skip deprecated specifiedBy oneOf");
}

TEST(SchemaBuildTest, TypeOrderWithSchemaDefinitionAndExtensions) {
  auto s = build_ok(R"(schema { query: Root mutation: M }
type M { m: Boolean }
union U = B | A
type A implements I { i: Int }
type B implements I { i: Int }
interface I { i: Int }
interface J implements I { i: Int }
type C implements J & I { i: Int }
type Root { u: U i: I }
scalar Date @specifiedBy(url: "https://example.com")
directive @z repeatable on OBJECT
directive @a(s: String) on FIELD
extend union U = C
)");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(join_names(s->types()),
            "M Boolean U A Int B I J C Root Date String __Schema __Type __TypeKind __Field "
            "__InputValue __EnumValue __Directive __DirectiveLocation");
  EXPECT_EQ(directive_names(*s), "z a include skip deprecated specifiedBy oneOf");
  EXPECT_EQ(s->query_type(), s->type("Root"));
  EXPECT_EQ(s->mutation_type(), s->type("M"));
  EXPECT_EQ(s->subscription_type(), nullptr);
  // Possible types: union members in declaration order, implementations in type order.
  EXPECT_EQ(join_names(s->type("U")->possible_types), "B A C");
  EXPECT_EQ(join_names(s->type("I")->possible_types), "A B C");
  EXPECT_EQ(join_names(s->type("I")->implementing_interfaces), "J");
  EXPECT_EQ(join_names(s->type("J")->possible_types), "C");
  EXPECT_EQ(join_names(s->type("A")->possible_types), "A");
  EXPECT_EQ(s->type("Date")->specified_by_url, "https://example.com");
  EXPECT_TRUE(s->directive("z")->repeatable);
}

TEST(SchemaBuildTest, StandardTypesDefinedInSdlAreTheBuiltIns) {
  auto s = build_ok(R"(type Query { t: __Type s: String }
scalar String
type Subscription { x: Int }
)");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(join_names(s->types()),
            "Query __Type __TypeKind __Field __InputValue Boolean __EnumValue String Subscription "
            "Int __Schema __Directive __DirectiveLocation");
  EXPECT_TRUE(s->type("String")->builtin);
  EXPECT_EQ(s->subscription_type(), s->type("Subscription"));
}

TEST(SchemaBuildTest, BuiltinsArePresent) {
  auto s = build_ok("type Query { a: Int }");
  ASSERT_NE(s, nullptr);
  for (std::string_view name :
       {"Int", "String", "Boolean", "__Schema", "__Type", "__TypeKind", "__Field", "__InputValue",
        "__EnumValue", "__Directive", "__DirectiveLocation"}) {
    const TypeDef* t = s->type(name);
    ASSERT_NE(t, nullptr) << name;
    EXPECT_TRUE(t->builtin) << name;
    EXPECT_TRUE(t->ast_nodes.empty()) << name;
  }
  // As in graphql-js, standard scalars nothing refers to are not part of the type map.
  EXPECT_EQ(s->type("Float"), nullptr);
  EXPECT_EQ(s->type("ID"), nullptr);
  EXPECT_EQ(s->type("Int")->description,
            "The `Int` scalar type represents non-fractional signed whole numeric values. Int can "
            "represent values between -(2^31) and 2^31 - 1.");

  const DirectiveDef* deprecated = s->directive("deprecated");
  ASSERT_NE(deprecated, nullptr);
  EXPECT_TRUE(deprecated->builtin);
  EXPECT_EQ(deprecated->arguments.size(), 1u);
  EXPECT_EQ(deprecated->arguments[0].type->to_string(), "String!");
  ASSERT_NE(deprecated->arguments[0].default_value, nullptr);
  EXPECT_TRUE(deprecated->allowed_at(DirectiveLocation::kEnumValue));
  EXPECT_TRUE(deprecated->allowed_at(DirectiveLocation::kDirectiveDefinition));
  EXPECT_FALSE(deprecated->allowed_at(DirectiveLocation::kObject));
  EXPECT_EQ(s->directive("include")->arguments[0].type->to_string(), "Boolean!");
  EXPECT_TRUE(s->directive("oneOf")->allowed_at(DirectiveLocation::kInputObject));
  EXPECT_EQ(s->directive("specifiedBy")->locations,
            std::vector<DirectiveLocation>{DirectiveLocation::kScalar});

  const TypeDef* type = s->type("__Type");
  EXPECT_EQ(type->kind, TypeKind::kObject);
  ASSERT_NE(type->field("fields"), nullptr);
  EXPECT_EQ(type->field("fields")->type->to_string(), "[__Field!]");
  EXPECT_EQ(type->field("fields")->arguments[0].type->to_string(), "Boolean!");
  EXPECT_EQ(s->type("__DirectiveLocation")->enum_values.size(), 21u);
  EXPECT_NE(s->type("__DirectiveLocation")->enum_value("FRAGMENT_VARIABLE_DEFINITION"), nullptr);
}

TEST(SchemaBuildTest, UserDirectiveReplacesSpecifiedOne) {
  auto s = build_ok(R"(directive @deprecated(why: String) on FIELD_DEFINITION | OBJECT
type Query @deprecated(why: "x") { a: Int })");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(directive_names(*s), "deprecated include skip specifiedBy oneOf");
  EXPECT_FALSE(s->directive("deprecated")->builtin);
  EXPECT_NE(s->directive("deprecated")->argument("why"), nullptr);
}

TEST(SchemaBuildTest, ExtensionsAreMerged) {
  std::vector<std::string_view> sources = {
      R"(type Query { a: Int }
interface Node { id: ID! }
enum Color { RED }
input Filter { a: Int }
union Any = Query
scalar Url
directive @tag(name: String!) repeatable on OBJECT | SCALAR | UNION | ENUM | INPUT_OBJECT)",
      R"(extend type Query implements Node @tag(name: "q") { id: ID! b: String }
extend enum Color @tag(name: "c") { GREEN BLUE }
extend input Filter { b: String }
type Other { x: Int }
extend union Any @tag(name: "u") = Other
extend scalar Url @specifiedBy(url: "https://url.spec.whatwg.org/")
extend type Query @tag(name: "again") { other: Other })"};
  ErrorReport report;
  auto s = Schema::build(sources, report);
  ASSERT_NE(s, nullptr) << (report.errors().empty() ? "" : report.errors()[0].message);
  EXPECT_EQ(s->sources().size(), 2u);

  const TypeDef* query = s->type("Query");
  ASSERT_EQ(query->fields.size(), 4u);
  EXPECT_EQ(query->fields[0].name, "a");
  EXPECT_EQ(query->fields[1].name, "id");
  EXPECT_EQ(query->fields[2].name, "b");
  EXPECT_EQ(query->fields[3].name, "other");
  EXPECT_EQ(join_names(query->interfaces), "Node");
  EXPECT_EQ(query->ast_nodes.size(), 3u);
  ASSERT_EQ(query->directives.size(), 2u);
  EXPECT_EQ(query->directives[0]->name.value, "tag");
  EXPECT_TRUE(query->has_directive("tag"));
  EXPECT_FALSE(query->has_directive("deprecated"));
  EXPECT_EQ(join_names(s->type("Node")->possible_types), "Query");

  const TypeDef* color = s->type("Color");
  ASSERT_EQ(color->enum_values.size(), 3u);
  EXPECT_EQ(color->enum_values[2].name, "BLUE");
  EXPECT_EQ(color->directives.size(), 1u);
  EXPECT_EQ(s->type("Filter")->input_fields.size(), 2u);
  EXPECT_EQ(join_names(s->type("Any")->possible_types), "Query Other");
  EXPECT_EQ(s->type("Url")->specified_by_url, "https://url.spec.whatwg.org/");
}

TEST(SchemaBuildTest, RootTypesFromNamesAndSchemaExtensions) {
  auto s =
      build_ok(R"(type Query { a: Int } type Mutation { b: Int } type Subscription { c: Int })");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->root_type(OperationType::kQuery), s->type("Query"));
  EXPECT_EQ(s->root_type(OperationType::kMutation), s->type("Mutation"));
  EXPECT_EQ(s->root_type(OperationType::kSubscription), s->type("Subscription"));

  // Without a schema definition the default names win over a schema extension (graphql-js).
  s = build_ok(
      R"(type Query { a: Int } type Other { b: Int } extend schema { query: Other mutation: Other })");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->query_type(), s->type("Query"));
  EXPECT_EQ(s->mutation_type(), s->type("Other"));

  s = build_ok(R"("The schema" schema @tag { query: Q } type Q { a: Int } type Mutation { b: Int }
directive @tag on SCHEMA
extend schema { mutation: Mutation })");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->query_type(), s->type("Q"));
  EXPECT_EQ(s->mutation_type(), s->type("Mutation"));
  EXPECT_EQ(s->description(), "The schema");
  ASSERT_EQ(s->schema_directives().size(), 1u);
  EXPECT_EQ(s->schema_directives()[0]->name.value, "tag");

  // A schema definition without a mutation root: the type named Mutation is not one.
  s = build_ok(R"(schema { query: Q } type Q { a: Int } type Mutation { b: Int })");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->mutation_type(), nullptr);
}

TEST(SchemaBuildTest, DeprecationOneOfAndDescriptions) {
  auto s = build_ok(R"(
"""Root"""
type Query {
  "field a" a(x: Int @deprecated(reason: "use y"), y: Int): Int @deprecated
  b: E
  c(f: F): Int
}
enum E { A @deprecated(reason: "gone") B }
input F @oneOf { p: Int @deprecated q: String }
)");
  ASSERT_NE(s, nullptr);
  const TypeDef* query = s->type("Query");
  EXPECT_EQ(query->description, "Root");
  const FieldDef* a = query->field("a");
  EXPECT_EQ(a->description, "field a");
  EXPECT_TRUE(a->deprecated);
  EXPECT_EQ(a->deprecation_reason, "No longer supported");
  EXPECT_TRUE(a->argument("x")->deprecated);
  EXPECT_EQ(a->argument("x")->deprecation_reason, "use y");
  EXPECT_FALSE(a->argument("y")->deprecated);
  EXPECT_EQ(a->argument("nope"), nullptr);
  EXPECT_TRUE(s->type("E")->enum_value("A")->deprecated);
  EXPECT_EQ(s->type("E")->enum_value("A")->deprecation_reason, "gone");
  EXPECT_FALSE(s->type("E")->enum_value("B")->deprecated);
  EXPECT_TRUE(s->type("F")->one_of);
  EXPECT_TRUE(s->type("F")->input_field("p")->deprecated);
  EXPECT_FALSE(s->type("Query")->one_of);
}

TEST(SchemaBuildTest, LookupsWithAndWithoutIndex) {
  std::string sdl = "type Query {";
  for (int i = 0; i < 40; ++i)
    sdl += " f" + std::to_string(i) + ": Int";
  sdl += " }\nenum Small { A B C }\ninput Big {";
  for (int i = 0; i < 12; ++i)
    sdl += " i" + std::to_string(i) + ": Int";
  sdl += " }\nextend type Query { big(b: Big): Small }";
  auto s = build_ok(sdl);
  ASSERT_NE(s, nullptr);
  const TypeDef* query = s->type("Query");
  for (int i = 0; i < 40; ++i) {
    const FieldDef* f = query->field("f" + std::to_string(i));
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->name, "f" + std::to_string(i));
  }
  EXPECT_NE(query->field("big"), nullptr);
  EXPECT_EQ(query->field("f40"), nullptr);
  EXPECT_EQ(query->field(""), nullptr);
  EXPECT_EQ(s->type("Big")->input_field("i11")->name, "i11");
  EXPECT_EQ(s->type("Big")->input_field("i12"), nullptr);
  EXPECT_EQ(s->type("Small")->enum_value("C")->name, "C");
  EXPECT_EQ(s->type("Small")->enum_value("D"), nullptr);
  EXPECT_EQ(s->type("Nope"), nullptr);
  EXPECT_EQ(s->directive("nope"), nullptr);
}

TEST(SchemaBuildTest, MetaFields) {
  auto s = build_ok("type Query { a: O } type O { b: Int } union U = O");
  ASSERT_NE(s, nullptr);
  const TypeDef* query = s->query_type();
  const TypeDef* o = s->type("O");
  const FieldDef* typename_field = s->field_def(o, "__typename");
  ASSERT_NE(typename_field, nullptr);
  EXPECT_EQ(typename_field->type->to_string(), "String!");
  EXPECT_EQ(s->field_def(s->type("U"), "__typename"), typename_field);
  EXPECT_EQ(s->field_def(s->type("Int"), "__typename"), nullptr);
  ASSERT_NE(s->field_def(query, "__schema"), nullptr);
  EXPECT_EQ(s->field_def(query, "__schema")->type->to_string(), "__Schema!");
  const FieldDef* type_field = s->field_def(query, "__type");
  ASSERT_NE(type_field, nullptr);
  EXPECT_EQ(type_field->type->to_string(), "__Type");
  EXPECT_EQ(type_field->argument("name")->type->to_string(), "String!");
  EXPECT_EQ(s->field_def(o, "__schema"), nullptr);
  EXPECT_EQ(s->field_def(o, "__type"), nullptr);
  EXPECT_EQ(s->field_def(o, "b"), &o->fields[0]);
  EXPECT_EQ(s->field_def(o, "c"), nullptr);
  EXPECT_EQ(s->field_def(nullptr, "b"), nullptr);
  // field() never returns meta fields.
  EXPECT_EQ(o->field("__typename"), nullptr);
}

TEST(SchemaBuildTest, TypeRefs) {
  auto s = build_ok("type Query { a(x: [[Int!]]!): [String!]! b: Int }");
  ASSERT_NE(s, nullptr);
  const FieldDef* a = s->query_type()->field("a");
  EXPECT_EQ(a->type->to_string(), "[String!]!");
  EXPECT_TRUE(a->type->is_non_null());
  EXPECT_TRUE(a->type->nullable()->is_list());
  EXPECT_EQ(a->type->named_type(), s->type("String"));
  EXPECT_EQ(a->argument("x")->type->to_string(), "[[Int!]]!");
  // Every reference to a named type shares the type's own TypeRef.
  EXPECT_EQ(s->query_type()->field("b")->type, s->type("Int")->ref());
  EXPECT_EQ(s->type("Int")->ref()->named, s->type("Int"));

  Arena arena;
  Type* ast = nullptr;
  ASSERT_TRUE(parse_type("[Int!]", arena, &ast).ok());
  const TypeRef* resolved = s->resolve_type(ast, arena);
  ASSERT_NE(resolved, nullptr);
  EXPECT_EQ(resolved->to_string(), "[Int!]");
  EXPECT_TRUE(Schema::equal_types(resolved, a->argument("x")->type->of_type->of_type));
  ASSERT_TRUE(parse_type("[Nope]", arena, &ast).ok());
  EXPECT_EQ(s->resolve_type(ast, arena), nullptr);
}

TEST(SchemaBuildTest, DirectiveLocationNames) {
  for (int i = 0; i <= static_cast<int>(DirectiveLocation::kDirectiveDefinition); ++i) {
    auto loc = static_cast<DirectiveLocation>(i);
    std::string_view name = directive_location_name(loc);
    ASSERT_FALSE(name.empty());
    DirectiveLocation parsed;
    ASSERT_TRUE(parse_directive_location(name, &parsed));
    EXPECT_EQ(parsed, loc);
  }
  EXPECT_EQ(directive_location_name(DirectiveLocation::kFieldDefinition), "FIELD_DEFINITION");
  DirectiveLocation out;
  EXPECT_FALSE(parse_directive_location("FIELDS", &out));
}

}  // namespace
}  // namespace orbit::graphql
