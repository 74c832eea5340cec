// Type-system validation: every SDL rule and every validateSchema check, with the messages
// and locations graphql-js 17.1.0 reports for the same SDL (the expected lists below were
// produced by running graphql-js's validateSDL, then buildASTSchema + validateSchema).
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "orbit/graphql/schema/schema.h"

namespace orbit::graphql {
namespace {

std::string describe(const GraphqlError& e) {
  std::string out = e.message + " @ ";
  for (size_t i = 0; i < e.locations.size(); ++i) {
    if (i > 0) out += ",";
    out += std::to_string(e.locations[i].line) + ":" + std::to_string(e.locations[i].column);
  }
  return out;
}

struct Case {
  std::string_view name;
  std::string_view first_origin;
  std::string_view sdl;
  std::vector<std::string> errors;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> kCases = {
      {"LoneSchemaDefinition",
       "LoneSchemaDefinitionRule",
       "type Query { a: Int }\nschema { query: Query }\nschema { query: Query }\n",
       {"Must provide only one schema definition. @ 3:1",
        "There can be only one query type in schema. @ 2:10,3:10"}},
      {"UniqueOperationTypes",
       "UniqueOperationTypesRule",
       "type Query { a: Int }\nschema { query: Query query: Query }\nextend schema { query: Query "
       "}\n",
       {"There can be only one query type in schema. @ 2:10,2:23",
        "There can be only one query type in schema. @ 2:10,3:17"}},
      {"UniqueTypeNames",
       "UniqueTypeNamesRule",
       "type Query { a: Int }\ntype Foo { a: Int }\nscalar Foo\n",
       {"There can be only one type named \"Foo\". @ 2:6,3:8"}},
      {"UniqueEnumValueNames",
       "UniqueEnumValueNamesRule",
       "type Query { a: E }\nenum E { A B A }\nextend enum E { B }\n",
       {"Enum value \"E.A\" can only be defined once. @ 2:10,2:14",
        "Enum value \"E.B\" can only be defined once. @ 2:12,3:17"}},
      {"UniqueFieldDefinitionNames",
       "UniqueFieldDefinitionNamesRule",
       "type Query { a: Int a: String }\nextend type Query { a: Int }\ninput I { x: Int x: Int }\n",
       {"Field \"Query.a\" can only be defined once. @ 1:14,1:21",
        "Field \"Query.a\" can only be defined once. @ 1:14,2:21",
        "Field \"I.x\" can only be defined once. @ 3:11,3:18"}},
      {"UniqueArgumentDefinitionNames",
       "UniqueArgumentDefinitionNamesRule",
       "type Query { a(x: Int, x: Int): Int }\ndirective @d(y: Int, y: Int) on FIELD\n",
       {"Argument \"Query.a(x:)\" can only be defined once. @ 1:16,1:24",
        "Argument \"@d(y:)\" can only be defined once. @ 2:14,2:22"}},
      {"UniqueDirectiveNames",
       "UniqueDirectiveNamesRule",
       "directive @d on FIELD\ndirective @d on FIELD\ntype Query { a: Int }\n",
       {"There can be only one directive named \"@d\". @ 1:12,2:12"}},
      {"KnownTypeNames",
       "KnownTypeNamesRule",
       "type Query { a: Strin b: Foo c: [Qery!] d(x: Input): Int }\ninput Inputs { a: Int }\n",
       {"Unknown type \"Strin\". Did you mean \"String\"? @ 1:17", "Unknown type \"Foo\". @ 1:26",
        "Unknown type \"Qery\". Did you mean \"Query\"? @ 1:34",
        "Unknown type \"Input\". Did you mean \"Inputs\" or \"Int\"? @ 1:46"}},
      {"KnownDirectives",
       "KnownDirectivesRule",
       "type Query { a: Int @unknown b: Int @skip(if: true) }\ndirective @d on OBJECT\nscalar S "
       "@d\n",
       {"Unknown directive \"@unknown\". @ 1:21",
        "Directive \"@skip\" may not be used on FIELD_DEFINITION. @ 1:37",
        "Directive \"@d\" may not be used on SCALAR. @ 3:10"}},
      {"UniqueDirectivesPerLocation",
       "UniqueDirectivesPerLocationRule",
       "type Query @d @d @r @r { a: Int @deprecated @deprecated }\ndirective @d on "
       "OBJECT\ndirective @r repeatable on OBJECT\nextend type Query @d\n",
       {"The directive \"@d\" can only be used once at this location. @ 1:12,1:15",
        "The directive \"@deprecated\" can only be used once at this location. @ 1:33,1:45",
        "The directive \"@d\" can only be used once at this location. @ 1:12,4:19"}},
      {"PossibleTypeExtensions",
       "PossibleTypeExtensionsRule",
       "type Query { a: Int }\nextend type Qeury { b: Int }\nextend scalar Query @specifiedBy(url: "
       "\"x\")\nscalar S\nextend type S { a: Int }\nextend input Inp { a: Int }\n",
       {"Cannot extend type \"Qeury\" because it is not defined. Did you mean \"Query\"? @ 2:13",
        "Cannot extend non-scalar type \"Query\". @ 1:1,3:1",
        "Cannot extend non-object type \"S\". @ 4:1,5:1",
        "Cannot extend type \"Inp\" because it is not defined. @ 6:14"}},
      {"KnownArgumentNamesOnDirectives",
       "KnownArgumentNamesOnDirectivesRule",
       "type Query { a: Int @deprecated(reson: \"x\") b: Int @deprecated(zzz: 1) }\n",
       {"Unknown argument \"reson\" on directive \"@deprecated\". Did you mean \"reason\"? @ 1:33",
        "Unknown argument \"zzz\" on directive \"@deprecated\". @ 1:64"}},
      {"UniqueArgumentNames",
       "UniqueArgumentNamesRule",
       "type Query { a: Int @deprecated(reason: \"a\", reason: \"b\") }\n",
       {"There can be only one argument named \"reason\". @ 1:33,1:46"}},
      {"UniqueInputFieldNames",
       "UniqueInputFieldNamesRule",
       "directive @d(x: In) on FIELD_DEFINITION\ninput In { a: Int b: [In] }\ntype Query { a: Int "
       "@d(x: { a: 1, a: 2, b: [{ a: 1, a: 2 }] }) f(x: In = { b: 1, b: 2 }): Int }\n",
       {"There can be only one input field named \"a\". @ 3:29,3:35",
        "There can be only one input field named \"a\". @ 3:47,3:53",
        "There can be only one input field named \"b\". @ 3:76,3:82"}},
      {"ProvidedRequiredArgumentsOnDirectives",
       "ProvidedRequiredArgumentsOnDirectivesRule",
       "directive @d(x: Int!, y: Int! = 1, z: String!) on FIELD_DEFINITION\ntype Query { a: Int @d "
       "}\nscalar S @specifiedBy\n",
       {"Argument \"@d(x:)\" of type \"Int!\" is required, but it was not provided. @ 2:21",
        "Argument \"@d(z:)\" of type \"String!\" is required, but it was not provided. @ 2:21",
        "Argument \"@specifiedBy(url:)\" of type \"String!\" is required, but it was not provided. "
        "@ 3:10"}},
      {"SdlRuleOrder",
       "UniqueDirectivesPerLocationRule",
       "type Query { a: Foo @unknown @deprecated(x: 1) @deprecated }\n",
       {"The directive \"@deprecated\" can only be used once at this location. @ 1:30,1:48",
        "Unknown type \"Foo\". @ 1:17", "Unknown directive \"@unknown\". @ 1:21",
        "Unknown argument \"x\" on directive \"@deprecated\". @ 1:42"}},
      {"NoQueryType",
       "validateRootTypes",
       "type Foo { a: Int }\n",
       {"Query root type must be provided. @ "}},
      {"NoQueryTypeWithSchema",
       "validateRootTypes",
       "schema { mutation: Foo }\ntype Foo { a: Int }\n",
       {"Query root type must be provided. @ 1:1"}},
      {"RootNotObject",
       "validateRootTypes",
       "schema { query: In mutation: E }\ninput In { a: Int }\nenum E { A }\n",
       {"Query root type must be Object type, it cannot be In. @ 1:17",
        "Mutation root type must be Object type if provided, it cannot be E. @ 1:30"}},
      {"RootNotObjectByName",
       "validateRootTypes",
       "scalar Query\n",
       {"Query root type must be Object type, it cannot be Query. @ 1:1"}},
      {"RootTypesDifferent",
       "validateRootTypes",
       "schema { query: Query mutation: Query subscription: Query }\ntype Query { a: Int }\n",
       {"All root types must be different, \"Query\" type is used as query, mutation, and "
        "subscription root types. @ 1:17,1:33,1:53"}},
      {"ReservedNames",
       "validateName",
       "type Query { __a: Int b(__x: Int): Int }\ntype __Foo { a: Int }\nenum E { __V }\ninput In "
       "{ __f: Int }\ndirective @__d(__a: Int) on FIELD\n",
       {"Name \"__d\" must not begin with \"__\", which is reserved by GraphQL introspection. @ "
        "5:1",
        "Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection. @ "
        "5:16",
        "Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection. @ "
        "1:14",
        "Name \"__x\" must not begin with \"__\", which is reserved by GraphQL introspection. @ "
        "1:25",
        "Name \"__Foo\" must not begin with \"__\", which is reserved by GraphQL introspection. @ "
        "2:1",
        "Name \"__V\" must not begin with \"__\", which is reserved by GraphQL introspection. @ "
        "3:10",
        "Name \"__f\" must not begin with \"__\", which is reserved by GraphQL introspection. @ "
        "4:12"}},
      {"NoFields",
       "validateFields",
       "type Query\ntype Foo\ninterface I\ninput In\nenum E\nunion U\n",
       {"Type Query must define one or more fields. @ 1:1",
        "Type Foo must define one or more fields. @ 2:1",
        "Type I must define one or more fields. @ 3:1",
        "Input Object type In must define one or more fields. @ 4:1",
        "Enum type E must define one or more values. @ 5:1",
        "Union type U must define one or more member types. @ 6:1"}},
      {"NoFieldsExtended",
       "validateFields",
       "type Query\nextend type Query @tag\ndirective @tag on OBJECT\n",
       {"Type Query must define one or more fields. @ 1:1,2:1"}},
      {"OutputInputPositions",
       "validateDirectives",
       "type Query { a: In b(x: Query): Int c: [In!] }\ninput In { a: Query }\ndirective @d(x: "
       "Query) on FIELD\n",
       {"The type of @d(x:) must be Input Type but got: Query. @ 3:14",
        "The type of Query.a must be Output Type but got: In. @ 1:17",
        "The type of Query.b(x:) must be Input Type but got: Query. @ 1:25",
        "The type of Query.c must be Output Type but got: [In!]. @ 1:40",
        "The type of In.a must be Input Type but got: Query. @ 2:15"}},
      {"ImplementsNonInterface",
       "validateInterfaces",
       "type Query implements Foo { a: Int }\ntype Foo { a: Int }\n",
       {"Type Query must only implement Interface types, it cannot implement Foo. @ 1:23"}},
      {"ImplementsItself",
       "validateInterfaces",
       "interface I implements I { a: Int }\ntype Query { a: I }\n",
       {"Type I cannot implement itself because it would create a circular reference. @ 1:24"}},
      {"ImplementsTwice",
       "validateInterfaces",
       "type Query implements I & I { a: Int }\ninterface I { a: Int }\nextend type Query "
       "implements I\n",
       {"Type Query can only implement I once. @ 1:23,1:27,3:30",
        "Type Query can only implement I once. @ 1:23,1:27,3:30"}},
      {"InterfaceFields",
       "validateTypeImplementsInterface",
       "interface I { a: Int b(x: Int): String c(y: Int): Int d: Int e: I f: [I] }\ntype Query "
       "implements I { b(x: String): String c(y: Int, z: Int!, w: Int! = 1): Int d: Int "
       "@deprecated(reason: \"old\") e: Query f: [Query!]! a: String }\n",
       {"Interface field I.a expects type Int but Query.a is type String. @ 1:18,2:144",
        "Interface field argument I.b(x:) expects type Int but Query.b(x:) is type String. @ "
        "1:27,2:32",
        "Argument \"Query.c(z:)\" must not be required type \"Int!\" if not provided by the "
        "Interface field \"I.c\". @ 2:58,1:40",
        "Interface field I.d is not deprecated, so implementation field Query.d must not be "
        "deprecated. @ 2:92,2:88"}},
      {"MissingInterfaceFieldAndArg",
       "validateTypeImplementsInterface",
       "interface I { a(x: Int): Int b: Int }\ntype Query implements I { a: Int }\nextend type "
       "Query @tag\ndirective @tag on OBJECT\n",
       {"Interface field argument I.a(x:) expected but Query.a does not provide it. @ 1:17,2:27",
        "Interface field I.b expected but Query does not provide it. @ 1:30,2:1,3:1"}},
      {"TransitiveInterfaces",
       "validateTypeImplementsAncestors",
       "interface A { a: Int }\ninterface B implements A { a: Int }\ntype Query implements B { a: "
       "Int }\n",
       {"Type Query must implement A because it is implemented by B. @ 2:24,3:23"}},
      {"CircularInterfaces",
       "validateTypeImplementsAncestors",
       "interface A implements B { a: Int }\ninterface B implements A { a: Int }\ntype Query { a: "
       "A }\n",
       {"Type A cannot implement B because it would create a circular reference. @ 2:24,1:24",
        "Type B cannot implement A because it would create a circular reference. @ 1:24,2:24"}},
      {"UnionMembers",
       "validateUnionMembers",
       "union U = Query | I | Query\ninterface I { a: Int }\ntype Query { a: U }\nextend union U = "
       "I\n",
       {"Union type U can only include Object types, it cannot include I. @ 1:19,4:18",
        "Union type U can only include type Query once. @ 1:11,1:23",
        "Union type U can only include type I once. @ 1:19,4:18"}},
      {"EmptyUnionAndEnum",
       "validateUnionMembers",
       "union V\nenum E\ntype Query { a: E v: V }\n",
       {"Union type V must define one or more member types. @ 1:1",
        "Enum type E must define one or more values. @ 2:1"}},
      {"RequiredDeprecated",
       "validateDirectives",
       "input In { a: Int! @deprecated b: Int! = 1 @deprecated }\ntype Query { a(x: Int! "
       "@deprecated, y: In): Int }\ndirective @d(x: Int! @deprecated) on FIELD\n",
       {"Required argument @d(x:) cannot be deprecated. @ 3:22,3:17",
        "Required input field In.a cannot be deprecated. @ 1:20,1:15",
        "Required argument Query.a(x:) cannot be deprecated. @ 2:24,2:19"}},
      {"OneOf",
       "validateOneOfInputObjectField",
       "input In @oneOf { a: Int! b: Int = 1 c: String }\ntype Query { a(x: In): Int }\n",
       {"OneOf input field In.a must be nullable. @ 1:22",
        "OneOf input field In.b cannot have a default value. @ 1:27"}},
      {"NonFiniteInputObjects",
       "detectInputObjectNonFiniteValues",
       "input A { b: B! }\ninput B { a: A! }\ninput C { c: C! x: Int }\ninput D @oneOf { d: D "
       "}\ninput E @oneOf { e: E x: Int }\ninput F { f: [F!]! }\ntype Query { f(a: A, c: C, d: D, "
       "e: E, f: F): Int }\n",
       {"Input Object A cannot be provided a finite value because it references itself through "
        "fields: A.b, B.a. @ 1:11,2:11",
        "Input Object C cannot be provided a finite value because it references itself through "
        "fields: C.c. @ 3:11",
        "Input Object D cannot be provided a finite value because it references itself through "
        "fields: D.d. @ 4:18"}},
      {"DefaultValueCycles",
       "validateInputObjectDefaultValueCircularRefs",
       "input A { b: B = {} }\ninput B { a: A = {} }\ninput C { x: C = { x: { x: null } } }\ninput "
       "D { d: D = { d: {} } }\ntype Query { f(a: A, c: C, d: D): Int }\n",
       {"Invalid circular reference. The default value of Input Object field A.b references itself "
        "via the default values of: B.a. @ 1:18,2:18",
        "Invalid circular reference. The default value of Input Object field D.d references "
        "itself. @ 4:18"}},
  };
  return kCases;
}

TEST(SchemaValidationTest, MatchesGraphqlJs) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(std::string(c.name));
    ErrorReport report;
    std::unique_ptr<Schema> schema = Schema::build(c.sdl, report);
    EXPECT_EQ(schema, nullptr);
    std::vector<std::string> got;
    for (const GraphqlError& e : report.errors()) {
      got.push_back(describe(e));
      EXPECT_EQ(e.code, ErrorCode::kInvalidSchema);
      EXPECT_FALSE(e.origin.empty());
    }
    EXPECT_EQ(got, c.errors);
    if (!report.errors().empty()) {
      EXPECT_EQ(report.errors()[0].origin, c.first_origin);
    }
  }
}

TEST(SchemaValidationTest, ValidSchemaHasNoErrors) {
  ErrorReport report;
  std::unique_ptr<Schema> schema = Schema::build(R"(
    interface Node { id: ID! }
    interface Named implements Node { id: ID! name(upper: Boolean): String }
    type User implements Node & Named {
      id: ID!
      name(upper: Boolean, locale: String = "en"): String
      old: Int @deprecated
    }
    union Result = User
    input Filter @oneOf { id: ID name: String }
    input Page { first: Int! = 10 next: Page }
    type Query { node(id: ID!): Node search(filter: Filter, page: Page): [Result!]! }
  )",
                                                 report);
  EXPECT_NE(schema, nullptr);
  EXPECT_TRUE(report.errors().empty())
      << (report.errors().empty() ? "" : describe(report.errors()[0]));
}

TEST(SchemaValidationTest, ParseErrorsFromEverySourceAreReported) {
  ErrorReport report;
  std::vector<std::string_view> sources = {"type Query {", "type A { a: Int }", "scalar"};
  EXPECT_EQ(Schema::build(sources, report), nullptr);
  ASSERT_EQ(report.errors().size(), 2u);
  EXPECT_EQ(describe(report.errors()[0]), "Syntax Error: Expected Name, found <EOF>. @ 1:13");
  EXPECT_EQ(describe(report.errors()[1]), "Syntax Error: Expected Name, found <EOF>. @ 1:7");
  EXPECT_EQ(report.errors()[0].code, ErrorCode::kGraphqlParseFailed);
}

TEST(SchemaValidationTest, InvalidDeprecationReasonIsAnError) {
  // graphql-js throws these from buildASTSchema (getDirectiveValues coercion).
  ErrorReport report;
  EXPECT_EQ(Schema::build("type Query { a: Int @deprecated(reason: null) }", report), nullptr);
  ASSERT_EQ(report.errors().size(), 1u);
  EXPECT_EQ(describe(report.errors()[0]),
            "Argument \"@deprecated(reason:)\" has invalid value: Expected value of non-null type "
            "\"String!\" not to be null. @ 1:41");
  report.clear();
  EXPECT_EQ(Schema::build("type Query { a: Int @deprecated(reason: 5) }", report), nullptr);
  ASSERT_EQ(report.errors().size(), 1u);
  EXPECT_EQ(report.errors()[0].message,
            "Argument \"@deprecated(reason:)\" has invalid value: String cannot represent a non "
            "string value: 5");
}

TEST(SchemaValidationTest, ErrorsAcrossSourcesAreMerged) {
  // Definitions and extensions in different texts behave as one document.
  ErrorReport report;
  std::vector<std::string_view> sources = {"type Query { a: Int }", "extend type Query { a: Int }",
                                           "extend type Missing { b: Int }"};
  EXPECT_EQ(Schema::build(sources, report), nullptr);
  ASSERT_EQ(report.errors().size(), 2u);
  EXPECT_EQ(describe(report.errors()[0]),
            "Field \"Query.a\" can only be defined once. @ 1:14,1:21");
  EXPECT_EQ(describe(report.errors()[1]),
            "Cannot extend type \"Missing\" because it is not defined. @ 1:13");
}

TEST(SchemaValidationTest, ValidationCanBeSkipped) {
  // A schema that validateSchema rejects (no fields) still builds when validation is off.
  ErrorReport report;
  SchemaOptions options;
  options.validate = false;
  std::unique_ptr<Schema> schema = Schema::build("type Query", report, options);
  ASSERT_NE(schema, nullptr);
  EXPECT_TRUE(schema->query_type()->fields.empty());
  // Unknown types are still errors: there is nothing to point at.
  EXPECT_EQ(Schema::build("type Query { a: Nope }", report, options), nullptr);
  ASSERT_EQ(report.errors().size(), 1u);
  EXPECT_EQ(describe(report.errors()[0]), "Unknown type \"Nope\". @ 1:17");
}

}  // namespace
}  // namespace orbit::graphql
