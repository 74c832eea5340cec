// diff_schemas / diff_sdl: every change kind, the variance rules for output and input
// positions, the order of the result, bad input and the JSON form. The agreement with
// graphql-js over a larger corpus is tests/schema-diff.
#include "orbit/graphql/diff/schema_diff.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "orbit/base/json_writer.h"

namespace orbit::graphql {
namespace {

// "SEVERITY KIND coordinate" per change, one per line, in result order.
std::string summary(const SchemaDiff& diff) {
  std::string out;
  for (const SchemaChange& c : diff.changes) {
    out += change_severity_name(c.severity);
    out += ' ';
    out += change_kind_code(c.kind);
    out += ' ';
    out += c.coordinate;
    out += '\n';
  }
  return out;
}

SchemaDiff diff_ok(std::string_view a, std::string_view b) {
  SdlDiffResult r = diff_sdl(a, b);
  EXPECT_TRUE(r.ok()) << (r.old_errors.errors().empty() ? "" : r.old_errors.errors()[0].message)
                      << (r.new_errors.errors().empty() ? "" : r.new_errors.errors()[0].message);
  return std::move(r.diff);
}

std::string diff_summary(std::string_view a, std::string_view b) {
  return summary(diff_ok(a, b));
}

// The one change a diff must contain; fails when there are others.
SchemaChange only_change(std::string_view a, std::string_view b) {
  SchemaDiff d = diff_ok(a, b);
  EXPECT_EQ(d.changes.size(), 1u) << summary(d);
  return d.changes.empty() ? SchemaChange{} : d.changes[0];
}

TEST(SchemaDiffTest, IdenticalSchemasHaveNoChanges) {
  constexpr std::string_view kSdl = R"(
    "The root" type Query { a(x: Int = 1, y: In = {b: 2, a: "s"}): [String!] @deprecated }
    input In { a: String b: Int = 3 }
    enum E { A B @deprecated(reason: "no") }
    union U = Query
    interface I { id: ID! }
    type T implements I { id: ID! }
    directive @d(a: Int) repeatable on FIELD | QUERY
  )";
  EXPECT_EQ(diff_summary(kSdl, kSdl), "");
}

TEST(SchemaDiffTest, TypesAddedRemovedAndKindChanged) {
  EXPECT_EQ(diff_summary("type Query { a: Int } type A { x: Int } scalar B",
                         "type Query { a: Int } interface A { x: Int } scalar C"),
            "BREAKING TYPE_KIND_CHANGED A\n"
            "BREAKING TYPE_REMOVED B\n"
            "SAFE TYPE_ADDED C\n");
  SchemaChange c =
      only_change("type Query { a: Int } enum K { X }", "type Query { a: Int } input K { x: Int }");
  EXPECT_EQ(c.message, "Type K changed from an enum type to an input object type.");
}

TEST(SchemaDiffTest, BuiltinScalarNoLongerReferencedIsRemoved) {
  // Variables declared as Float stop validating when the schema has no Float.
  SchemaDiff d = diff_ok("type Query { a: Float }", "type Query { a: Int }");
  EXPECT_EQ(summary(d),
            "BREAKING FIELD_TYPE_CHANGED Query.a\n"
            "BREAKING TYPE_REMOVED Float\n"
            "SAFE TYPE_ADDED Int\n");
}

TEST(SchemaDiffTest, FieldsAddedAndRemoved) {
  EXPECT_EQ(diff_summary("type Query { a: Int b: Int }", "type Query { a: Int c: Int }"),
            "BREAKING FIELD_REMOVED Query.b\n"
            "SAFE FIELD_ADDED Query.c\n");
  EXPECT_EQ(diff_summary("type Query { a: Int } interface I { a: Int b: Int }",
                         "type Query { a: Int } interface I { a: Int }"),
            "BREAKING FIELD_REMOVED I.b\n");
}

TEST(SchemaDiffTest, OutputTypesMayOnlyGetStricter) {
  struct Case {
    const char* from;
    const char* to;
    const char* kind;
  };
  const Case cases[] = {
      {"String", "String!", "FIELD_TYPE_CHANGED_SAFE"},
      {"String!", "String", "FIELD_TYPE_CHANGED"},
      {"[String]", "[String!]!", "FIELD_TYPE_CHANGED_SAFE"},
      {"[String!]", "[String]", "FIELD_TYPE_CHANGED"},
      {"[String]", "String", "FIELD_TYPE_CHANGED"},
      {"String", "[String]", "FIELD_TYPE_CHANGED"},
      {"String", "Int", "FIELD_TYPE_CHANGED"},
      {"[[String]]", "[[String!]!]", "FIELD_TYPE_CHANGED_SAFE"},
  };
  for (const Case& c : cases) {
    std::string a = std::string("type Query { f: ") + c.from + " i: Int }";
    std::string b = std::string("type Query { f: ") + c.to + " i: Int }";
    SchemaDiff d = diff_ok(a, b);
    ASSERT_FALSE(d.changes.empty()) << c.from << " -> " << c.to;
    const SchemaChange& last = d.changes.back();
    EXPECT_EQ(change_kind_code(last.kind), c.kind) << c.from << " -> " << c.to;
    EXPECT_EQ(last.coordinate, "Query.f");
    EXPECT_EQ(last.message,
              std::string("Field Query.f changed type from ") + c.from + " to " + c.to + ".");
  }
}

TEST(SchemaDiffTest, InputTypesMayOnlyGetLooser) {
  struct Case {
    const char* from;
    const char* to;
    const char* kind;
  };
  const Case cases[] = {
      {"Int!", "Int", "ARGUMENT_TYPE_CHANGED_SAFE"},
      {"Int", "Int!", "ARGUMENT_TYPE_CHANGED"},
      {"[Int!]!", "[Int]", "ARGUMENT_TYPE_CHANGED_SAFE"},
      {"[Int]", "[Int!]", "ARGUMENT_TYPE_CHANGED"},
      {"Int", "[Int]", "ARGUMENT_TYPE_CHANGED"},
      {"Int", "Float", "ARGUMENT_TYPE_CHANGED"},
  };
  for (const Case& c : cases) {
    std::string a = std::string("type Query { f(x: ") + c.from + "): Int s: String b: Float }";
    std::string b = std::string("type Query { f(x: ") + c.to + "): Int s: String b: Float }";
    SchemaDiff d = diff_ok(a, b);
    ASSERT_EQ(d.changes.size(), 1u) << summary(d);
    EXPECT_EQ(change_kind_code(d.changes[0].kind), c.kind) << c.from << " -> " << c.to;
    EXPECT_EQ(d.changes[0].coordinate, "Query.f(x:)");
  }
  // The same rule for input object fields.
  EXPECT_EQ(diff_summary("type Query { f(i: I): Int } input I { a: Int b: Int! }",
                         "type Query { f(i: I): Int } input I { a: Int! b: Int }"),
            "BREAKING INPUT_FIELD_TYPE_CHANGED I.a\n"
            "SAFE INPUT_FIELD_TYPE_CHANGED_SAFE I.b\n");
}

TEST(SchemaDiffTest, ArgumentsAddedRemovedAndDefaults) {
  EXPECT_EQ(diff_summary("type Query { f(a: Int, b: Int): Int }",
                         "type Query { f(a: Int, c: Int!, d: Int, e: Int! = 1): Int }"),
            "BREAKING ARGUMENT_REMOVED Query.f(b:)\n"
            "BREAKING REQUIRED_ARGUMENT_ADDED Query.f(c:)\n"
            "DANGEROUS OPTIONAL_ARGUMENT_ADDED Query.f(d:)\n"
            "DANGEROUS OPTIONAL_ARGUMENT_ADDED Query.f(e:)\n");
  EXPECT_EQ(
      diff_summary("type Query { f(a: Int = 1, b: Int = 2, c: Int, d: I = {x: 1, y: 2}): Int }"
                   " input I { x: Int y: Int }",
                   "type Query { f(a: Int = 5, b: Int, c: Int = 3, d: I = {y: 2, x: 1}): Int }"
                   " input I { x: Int y: Int }"),
      "DANGEROUS ARGUMENT_DEFAULT_CHANGED Query.f(a:)\n"
      "DANGEROUS ARGUMENT_DEFAULT_CHANGED Query.f(b:)\n"
      "SAFE ARGUMENT_DEFAULT_ADDED Query.f(c:)\n");
  SchemaChange c = only_change("type Query { f(a: String = \"x\"): Int }",
                               "type Query { f(a: String = \"y\"): Int }");
  EXPECT_EQ(c.message, "Default value of Query.f(a:) changed from \"x\" to \"y\".");
  // A block string and an ordinary string with the same value are the same default.
  EXPECT_EQ(diff_summary("type Query { f(a: String = \"x\"): Int }",
                         "type Query { f(a: String = \"\"\"x\"\"\"): Int }"),
            "");
}

TEST(SchemaDiffTest, EnumValues) {
  EXPECT_EQ(
      diff_summary("type Query { e: E } enum E { A B }", "type Query { e: E } enum E { A C }"),
      "BREAKING ENUM_VALUE_REMOVED E.B\n"
      "DANGEROUS ENUM_VALUE_ADDED E.C\n");
}

TEST(SchemaDiffTest, UnionMembers) {
  SchemaDiff d = diff_ok("type Query { u: U } type A { a: Int } type B { b: Int } union U = A | B",
                         "type Query { u: U } type A { a: Int } type B { b: Int } type C { c: Int }"
                         " union U = A | C");
  EXPECT_EQ(summary(d),
            "BREAKING UNION_MEMBER_REMOVED U\n"
            "DANGEROUS UNION_MEMBER_ADDED U\n"
            "SAFE TYPE_ADDED C\n");
  EXPECT_EQ(d.changes[0].message, "Type B was removed from union U.");
}

TEST(SchemaDiffTest, ImplementedInterfaces) {
  EXPECT_EQ(diff_summary("type Query { t: T } interface I { id: ID } interface J { id: ID }"
                         " type T implements I { id: ID }",
                         "type Query { t: T } interface I { id: ID } interface J { id: ID }"
                         " type T implements J { id: ID }"),
            "BREAKING INTERFACE_REMOVED T\n"
            "DANGEROUS INTERFACE_ADDED T\n");
}

TEST(SchemaDiffTest, InputFields) {
  EXPECT_EQ(
      diff_summary("type Query { f(i: I): Int } input I { a: Int b: Int }",
                   "type Query { f(i: I): Int } input I { a: Int c: Int! d: Int e: Int! = 1 }"),
      "BREAKING INPUT_FIELD_REMOVED I.b\n"
      "BREAKING REQUIRED_INPUT_FIELD_ADDED I.c\n"
      "DANGEROUS OPTIONAL_INPUT_FIELD_ADDED I.d\n"
      "DANGEROUS OPTIONAL_INPUT_FIELD_ADDED I.e\n");
  EXPECT_EQ(diff_summary("type Query { f(i: I): Int } input I { a: Int = 1 b: Int }",
                         "type Query { f(i: I): Int } input I { a: Int = 2 b: Int = 0 }"),
            "DANGEROUS INPUT_FIELD_DEFAULT_CHANGED I.a\n"
            "SAFE INPUT_FIELD_DEFAULT_ADDED I.b\n");
}

TEST(SchemaDiffTest, Directives) {
  EXPECT_EQ(diff_summary("type Query { a: Int } directive @a on FIELD directive @b(x: Int, y: Int)"
                         " repeatable on FIELD | QUERY",
                         "type Query { a: Int } directive @b(x: String, z: Int!, w: Int) on FIELD"
                         " | MUTATION directive @c on SCHEMA"),
            "BREAKING DIRECTIVE_REMOVED @a\n"
            "BREAKING ARGUMENT_TYPE_CHANGED @b(x:)\n"
            "BREAKING DIRECTIVE_ARGUMENT_REMOVED @b(y:)\n"
            "BREAKING REQUIRED_DIRECTIVE_ARGUMENT_ADDED @b(z:)\n"
            "SAFE OPTIONAL_DIRECTIVE_ARGUMENT_ADDED @b(w:)\n"
            "BREAKING DIRECTIVE_REPEATABLE_REMOVED @b\n"
            "BREAKING DIRECTIVE_LOCATION_REMOVED @b\n"
            "SAFE DIRECTIVE_LOCATION_ADDED @b\n"
            "SAFE DIRECTIVE_ADDED @c\n");
  EXPECT_EQ(diff_summary("type Query { a: Int } directive @d on FIELD",
                         "type Query { a: Int } directive @d repeatable on FIELD"),
            "SAFE DIRECTIVE_REPEATABLE_ADDED @d\n");
}

TEST(SchemaDiffTest, DeprecationAndDescriptionsAreSafe) {
  SchemaDiff d = diff_ok(
      R"("old" type Query { a: Int b: Int @deprecated c(x: Int): Int e: E }
         enum E { A B @deprecated(reason: "one") })",
      R"("new" type Query { "doc" a: Int @deprecated(reason: "use b") b: Int
         c(x: Int @deprecated): Int e: E }
         enum E { A B @deprecated(reason: "two") })");
  EXPECT_EQ(summary(d),
            "SAFE DESCRIPTION_CHANGED Query\n"
            "SAFE DESCRIPTION_CHANGED Query.a\n"
            "SAFE DEPRECATION_ADDED Query.a\n"
            "SAFE DEPRECATION_REMOVED Query.b\n"
            "SAFE DEPRECATION_ADDED Query.c(x:)\n"
            "SAFE DEPRECATION_REASON_CHANGED E.B\n");
  EXPECT_FALSE(d.has_breaking());
  EXPECT_EQ(d.count(ChangeSeverity::kSafe), 6u);
  EXPECT_EQ(d.changes[2].message, "Field Query.a was deprecated: \"use b\".");
}

TEST(SchemaDiffTest, RootTypes) {
  EXPECT_EQ(diff_summary("type Query { a: Int } type Mutation { m: Int }",
                         "schema { query: Query subscription: S } type Query { a: Int }"
                         " type Mutation { m: Int } type S { s: Int }"),
            "SAFE TYPE_ADDED S\n"
            "BREAKING ROOT_TYPE_REMOVED mutation\n"
            "SAFE ROOT_TYPE_ADDED subscription\n");
  EXPECT_EQ(diff_summary("type Query { a: Int } type Q2 { a: Int }",
                         "schema { query: Q2 } type Query { a: Int } type Q2 { a: Int }"),
            "BREAKING ROOT_TYPE_CHANGED query\n");
}

TEST(SchemaDiffTest, BadSdlIsReportedPerSide) {
  SdlDiffResult r = diff_sdl("type Query { a: Int }", "type Query { a: Nope }");
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.old_errors.has_errors());
  ASSERT_TRUE(r.new_errors.has_errors());
  EXPECT_NE(r.new_errors.errors()[0].message.find("Nope"), std::string::npos);
  EXPECT_TRUE(r.diff.changes.empty());

  r = diff_sdl("type Query {", "type Query { a: Int }");
  ASSERT_TRUE(r.old_errors.has_errors());
  EXPECT_NE(r.old_errors.errors()[0].message.find("Syntax Error"), std::string::npos);
}

TEST(SchemaDiffTest, SizeLimit) {
  SdlDiffOptions options;
  options.max_sdl_bytes = 30;
  SdlDiffResult r =
      diff_sdl("type Query { a: Int }", "type Query { a: Int b: Int c: Int d: Int }", options);
  EXPECT_FALSE(r.old_errors.has_errors());
  ASSERT_EQ(r.new_errors.errors().size(), 1u);
  EXPECT_EQ(r.new_errors.errors()[0].code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(r.new_errors.errors()[0].message,
            "The new schema is 42 bytes, more than the limit of 30.");
}

TEST(SchemaDiffTest, KindCodesRoundTripAndSeveritiesAreFixed) {
  for (int i = 0; i < kChangeKindCount; ++i) {
    ChangeKind k = static_cast<ChangeKind>(i);
    ChangeKind parsed{};
    ASSERT_TRUE(parse_change_kind(change_kind_code(k), &parsed)) << i;
    EXPECT_EQ(parsed, k);
  }
  ChangeKind unused{};
  EXPECT_FALSE(parse_change_kind("NOT_A_KIND", &unused));
  EXPECT_EQ(change_kind_severity(ChangeKind::kFieldRemoved), ChangeSeverity::kBreaking);
  EXPECT_EQ(change_kind_severity(ChangeKind::kEnumValueAdded), ChangeSeverity::kDangerous);
  EXPECT_EQ(change_kind_severity(ChangeKind::kDescriptionChanged), ChangeSeverity::kSafe);
}

TEST(SchemaDiffTest, Json) {
  SchemaDiff d = diff_ok("type Query { a: Int b: Int }", "type Query { a: Int }");
  std::string out;
  JsonWriter w(out);
  write_changes_json(w, d.changes);
  EXPECT_EQ(out, R"([{"kind":"FIELD_REMOVED","severity":"BREAKING","coordinate":"Query.b",)"
                 R"("message":"Field Query.b was removed."}])");
}

}  // namespace
}  // namespace orbit::graphql
