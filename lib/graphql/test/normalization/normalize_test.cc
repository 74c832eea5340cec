#include "orbit/graphql/normalization/normalize.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/graphql/normalization/cache_key.h"
#include "orbit/graphql/normalization/select_operation.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/printer.h"

namespace orbit::graphql {
namespace {

// Before/after tests in the style of graphql-go-tools' normalization tests: an operation and
// variables in, the printed normalized operation out. The expected text is parsed and
// printed too, so it can be written on one line.

constexpr std::string_view kSchema = R"(
schema { query: Query mutation: Mutation }
type Query {
  a: A
  b: Int
  u: U
  i: I
  node(id: ID!): Node
  nodes: [Node]
  list(first: Int, after: String): [A]
  deep: Deep
}
type Mutation { m: Int }
interface Node { id: ID! }
interface I implements Node { id: ID! name: String }
type A implements I & Node { id: ID! name: String x: Int y: Int a: A friend: I }
type B implements Node { id: ID! z: Int }
type C implements I & Node { id: ID! name: String c: Int }
union U = A | B
type Deep { d: Deep e: Deep v: Int }
directive @custom(v: Int) on FIELD | INLINE_FRAGMENT | FRAGMENT_SPREAD | FRAGMENT_DEFINITION
)";

const Schema& test_schema() {
  static const std::unique_ptr<Schema> schema = [] {
    ErrorReport errors;
    std::unique_ptr<Schema> s = Schema::build(kSchema, errors);
    EXPECT_TRUE(s != nullptr) << (errors.errors().empty() ? "" : errors.errors()[0].message);
    return s;
  }();
  return *schema;
}

std::string reprint(std::string_view text) {
  Arena arena;
  ParseResult parsed = parse(text, arena);
  EXPECT_TRUE(parsed.ok()) << parsed.error.message << "\n" << text;
  return parsed.ok() ? print(*parsed.document) : std::string();
}

// Everything one normalization needs, kept alive together.
struct Outcome {
  Arena arena;
  ErrorReport report;
  ParseResult parsed;
  NormalizedOperation result;

  std::string printed() const { return result.ok() ? print(*result.document) : "<error>"; }
  std::string error() const {
    return report.errors().empty() ? std::string() : report.errors()[0].message;
  }
};

std::unique_ptr<Outcome> run(std::string_view query, std::string_view variables_json = "{}",
                             const NormalizeOptions& options = {},
                             std::optional<std::string_view> operation_name = std::nullopt) {
  auto r = std::make_unique<Outcome>();
  r->parsed = parse(query, r->arena);
  EXPECT_TRUE(r->parsed.ok()) << r->parsed.error.message;
  if (!r->parsed.ok()) return r;
  Result<JsonValue> variables = parse_json(variables_json, r->arena);
  EXPECT_TRUE(variables.ok());
  const OperationDefinition* operation =
      select_operation(*r->parsed.document, operation_name, r->report);
  if (operation == nullptr) return r;
  JsonConditionVariables conditions(*variables);
  r->result = normalize(test_schema(), *r->parsed.document, *operation, conditions, r->arena,
                        r->report, options);
  EXPECT_EQ(r->result.ok(), !r->report.has_errors());
  return r;
}

struct Case {
  std::string_view name;
  std::string_view query;
  std::string_view expected;
  std::string_view variables = "{}";
};

void expect_cases(std::span<const Case> cases, const NormalizeOptions& options = {}) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::unique_ptr<Outcome> r = run(c.query, c.variables, options);
    ASSERT_TRUE(r->result.ok()) << r->error();
    EXPECT_EQ(r->printed(), reprint(c.expected)) << c.query;
  }
}

TEST(Normalize, MergesAndDeduplicatesFields) {
  const Case cases[] = {
      {"merge sub-selections in first-occurrence order", "{ a { x } b a { y x } }",
       "{ a { x y } b }"},
      {"identical fields", "{ b b a { id id } __typename __typename }",
       "{ b a { id } __typename }"},
      {"aliases are response keys", "{ first: a { x } second: a { y } first: a { id } }",
       "{ first: a { x id } second: a { y } }"},
      {"an alias equal to another field's name", "{ b: a { x } b: a { y } }", "{ b: a { x y } }"},
      {"arguments in another order are the same field",
       "{ list(first: 1, after: \"c\") { x } list(after: \"c\", first: 1) { y } }",
       "{ list(first: 1, after: \"c\") { x y } }"},
      {"different arguments stay apart (invalid, left for validation)",
       "{ list(first: 1) { x } list(first: 2) { y } }",
       "{ list(first: 1) { x } list(first: 2) { y } }"},
      {"different directives stay apart", "{ b @custom(v: 1) b b @custom(v: 1) }",
       "{ b @custom(v: 1) b }"},
      {"deep merge", "{ a { a { a { x } } } a { a { a { y } id } } }",
       "{ a { a { a { x y } id } } }"},
      {"merge through a flattened fragment",
       "{ a { friend { name } } ... on Query { a { friend { id } } } }",
       "{ a { friend { name id } } }"},
      {"mutation root", "mutation { m m }", "mutation { m }"},
      {"__typename kept beside fragments", "{ u { __typename ... on A { __typename x } } }",
       "{ u { __typename ... on A { __typename x } } }"},
  };
  expect_cases(cases);
}

TEST(Normalize, InlinesAndFlattensFragments) {
  const Case cases[] = {
      {"spread on the parent type", "{ a { ...F } } fragment F on A { x }", "{ a { x } }"},
      {"spread on an object inside a union", "{ u { ...F } } fragment F on A { x }",
       "{ u { ... on A { x } } }"},
      {"parent type, supertype, no type condition",
       "{ a { ... on A { x } ... on Node { id } ... { y } } }", "{ a { x id y } }"},
      {"supertype of every possible type", "{ u { ... on Node { id } } i { ... on Node { id } } }",
       "{ u { id } i { id } }"},
      {"nested spreads",
       "{ a { ...F } } fragment F on A { x ...G } fragment G on I { name ...H } "
       "fragment H on Node { id }",
       "{ a { x name id } }"},
      {"one fragment, several parents",
       "{ a { ...N } u { ...N } nodes { ...N ...AF } } fragment N on Node { id } "
       "fragment AF on A { x }",
       "{ a { id } u { id } nodes { id ... on A { x } } }"},
      {"fields of an object are looked up on it (covariant field types)",
       "{ nodes { ... on A { friend { ... on A { x } ... on I { name } } } } }",
       "{ nodes { ... on A { friend { ... on A { x } name } } } }"},
      {"directives keep a fragment",
       "{ a { ... @custom(v: 1) { x } ...F @custom(v: 2) } } "
       "fragment F on A { y }",
       "{ a { ... @custom(v: 1) { x } ... on A @custom(v: 2) { y } } }"},
      {"unused fragments disappear", "{ b } fragment F on A { x }", "{ b }"},
      {"directives of fragment definitions have no meaning once inlined",
       "{ a { ...F } } fragment F on A @custom(v: 1) { x }", "{ a { x } }"},
      {"spreading a fragment twice", "{ a { ...F b: x ...F } } fragment F on A { x y }",
       "{ a { x y b: x } }"},
  };
  expect_cases(cases);
}

TEST(Normalize, DropsImpossibleFragments) {
  const Case cases[] = {
      {"object outside a union", "{ u { ... on A { x } ... on C { c } ... on Query { b } } }",
       "{ u { ... on A { x } } }"},
      {"object not implementing an interface", "{ i { ... on A { x } ... on B { z } } }",
       "{ i { ... on A { x } } }"},
  };
  expect_cases(cases);
  // Nothing left: the field keeps an empty selection set (`{}` does not parse, so compare
  // the minified print).
  std::unique_ptr<Outcome> r = run("{ u { ... on C { c } ...F } b } fragment F on Query { b }");
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(print_minified(*r->result.document), "{u{}b}");
}

TEST(Normalize, MergesInlineFragmentsOnlyWhenOrderIsKept) {
  const Case cases[] = {
      {"same type, nothing between", "{ u { ... on A { x } ... on A { y x } } }",
       "{ u { ... on A { x y } } }"},
      {"a fragment on another object between",
       "{ u { ... on A { x } ... on B { z } ... on A { y } } }",
       "{ u { ... on A { x y } ... on B { z } } }"},
      {"a field between", "{ u { ... on A { x } __typename ... on A { y } } }",
       "{ u { ... on A { x } __typename ... on A { y } } }"},
      {"an overlapping fragment between",
       "{ nodes { ... on A { x } ... on I { name } ... on A { y } } }",
       "{ nodes { ... on A { x } ... on I { name } ... on A { y } } }"},
      {"fragments with directives keep their identity",
       "{ u { ... on A @custom { x } ... on A @custom { y } } }",
       "{ u { ... on A @custom { x } ... on A @custom { y } } }"},
      {"spreads of one fragment become one inline fragment",
       "{ u { ...F ...F } } fragment F on A { x }", "{ u { ... on A { x } } }"},
  };
  expect_cases(cases);
}

TEST(Normalize, EvaluatesSkipAndInclude) {
  const Case cases[] = {
      {"literals",
       "{ a { x @skip(if: true) y @include(if: true) id @include(if: false) "
       "name @skip(if: false) } }",
       "{ a { y name } }"},
      {"variables; their definitions go",
       "query Q($s: Boolean!, $i: Boolean!) { a { x @skip(if: $s) y @include(if: $i) } }",
       "query Q { a { y } }", R"({"s": true, "i": true})"},
      {"skip and include together",
       "query ($s: Boolean!, $i: Boolean!) { a { x @skip(if: $s) @include(if: $i) y } }",
       "{ a { y } }", R"({"s": false, "i": false})"},
      {"skip and include together, included",
       "query ($s: Boolean!, $i: Boolean!) { a { x @skip(if: $s) @include(if: $i) y } }",
       "{ a { x y } }", R"({"s": false, "i": true})"},
      {"default value of the definition", "query ($s: Boolean = false) { b @skip(if: $s) }",
       "{ b }"},
      {"a variable unused in the input stays for validation",
       "query ($unused: Int, $s: Boolean!) { b @skip(if: $s) }", "query ($unused: Int) { b }",
       R"({"s": false})"},
      {"a variable used only by a skipped field goes",
       "query ($n: Int, $s: Boolean!) { b list(first: $n) @include(if: $s) { x } }", "{ b }",
       R"({"s": false})"},
      {"a variable still used stays",
       "query ($n: Int, $s: Boolean!) { b list(first: $n) @include(if: $s) { x } }",
       "query ($n: Int) { b list(first: $n) { x } }", R"({"s": true})"},
      {"on spreads and inline fragments",
       "{ a { ...F @skip(if: true) ... @include(if: false) { y } ... on A @include(if: true) { id "
       "} } } "
       "fragment F on A { x }",
       "{ a { id } }"},
      {"inside fragments",
       "query ($s: Boolean!) { a { ...F } u { ...F } } fragment F on A { x @skip(if: $s) y }",
       "{ a { y } u { ... on A { y } } }", R"({"s": true})"},
      {"a fragment whose fields are all skipped is dropped",
       "{ u { ... on A { x @skip(if: true) } __typename } }", "{ u { __typename } }"},
      {"other directives stay", "{ b @custom(v: 1) @include(if: true) }", "{ b @custom(v: 1) }"},
  };
  expect_cases(cases);
}

TEST(Normalize, KeepsConditionsOnVariablesWhenAsked) {
  NormalizeOptions keep;
  keep.keep_variable_conditions = true;
  struct KeepCase {
    const char* query;
    const char* variables;
    const char* expected;
  };
  const KeepCase cases[] = {
      // Kept whatever the value; literals still decide.
      {"query ($s: Boolean!) { a { x @skip(if: $s) y @include(if: false) z: x @include(if: true) "
       "} }",
       R"({"s": true})", "query ($s: Boolean!) { a { x @skip(if: $s) z: x } }"},
      {"query ($s: Boolean!) { a { x @skip(if: $s) y @include(if: false) z: x @include(if: true) "
       "} }",
       R"({"s": false})", "query ($s: Boolean!) { a { x @skip(if: $s) z: x } }"},
      // A literal that skips wins over a kept variable.
      {"query ($i: Boolean!) { b @skip(if: true) @include(if: $i) a { id } }", R"({"i": true})",
       "{ a { id } }"},
      // Fields with different conditions are not merged; equal ones are.
      {"query ($i: Boolean!) { a { x } a @include(if: $i) { y } a @include(if: $i) { id } }",
       R"({"i": false})", "query ($i: Boolean!) { a { x } a @include(if: $i) { y id } }"},
      // Fragments with a kept condition keep their identity.
      {"query ($i: Boolean!) { u { ... on A @include(if: $i) { x } ... @skip(if: $i) { "
       "__typename } } }",
       R"({"i": true})",
       "query ($i: Boolean!) { u { ... on A @include(if: $i) { x } ... @skip(if: $i) { __typename "
       "} } }"},
  };
  for (const KeepCase& c : cases) {
    std::unique_ptr<Outcome> r = run(c.query, c.variables, keep);
    ASSERT_TRUE(r->result.ok()) << c.query << ": " << r->error();
    EXPECT_EQ(r->printed(), reprint(c.expected)) << c.query;
    EXPECT_TRUE(r->result.condition_values.empty()) << c.query;
  }
  // The value is still checked.
  std::unique_ptr<Outcome> r =
      run("query ($s: Boolean) { b @skip(if: $s) }", R"({"s": null})", keep);
  EXPECT_FALSE(r->result.ok());
  EXPECT_NE(r->error().find("not to be null"), std::string::npos) << r->error();
}

TEST(Normalize, FieldWithEverythingSkippedKeepsAnEmptySelectionSet) {
  std::unique_ptr<Outcome> r = run("{ a { x @skip(if: true) } b }");
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(print_minified(*r->result.document), "{a{}b}");
  r = run("{ b @skip(if: true) }");
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(print_minified(*r->result.document), "{}");
  // Merging into an empty set takes the other side.
  r = run("{ a { x @skip(if: true) } a { y } }");
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(r->printed(), reprint("{ a { y } }"));
}

TEST(Normalize, RecordsConditionVariableValues) {
  std::unique_ptr<Outcome> r =
      run("query ($z: Boolean!, $a: Boolean!, $unused: Boolean) { b @include(if: $z) "
          "... @skip(if: $a) { a { x @include(if: $z) } } }",
          R"({"z": true, "a": false, "unused": true})");
  ASSERT_TRUE(r->result.ok()) << r->error();
  const std::vector<ConditionVariableValue> expected = {{"a", false}, {"z", true}};
  EXPECT_EQ(r->result.condition_values, expected);
  // $unused was never used: validation must still see its definition.
  EXPECT_EQ(r->printed(), reprint("query ($unused: Boolean) { b a { x } }"));
}

TEST(Normalize, KeepsInvalidPartsForValidation) {
  const Case cases[] = {
      {"unknown field", "{ a { nope { ... on A { x } } } }", "{ a { nope { ... on A { x } } } }"},
      {"unknown type condition", "{ a { ... on Nope { x } } }", "{ a { ... on Nope { x } } }"},
      {"sub-selection on a leaf", "{ b { ... on A { x } } }", "{ b { ... on A { x } } }"},
  };
  expect_cases(cases);
}

TEST(Normalize, KeepsNamedFragmentsWhenAsked) {
  NormalizeOptions options;
  options.inline_fragments = false;
  const Case cases[] = {
      {"spreads deduplicated, fragment normalized, unused fragment dropped",
       "{ a { ...F ...F } u { ...F } } fragment F on A { x x y @skip(if: true) ... on A { id } } "
       "fragment Unused on A { y }",
       "{ a { ...F } u { ...F } } fragment F on A { x id }"},
      {"impossible and empty spreads dropped",
       "{ u { ...C1 ...AF ...Empty } } fragment C1 on C { c } fragment AF on A { x } "
       "fragment Empty on A { y @skip(if: true) }",
       "{ u { ...AF } } fragment AF on A { x }"},
      {"fragments used by fragments, in document order",
       "{ a { ...F } } fragment G on A { x } fragment F on A { ...G y }",
       "{ a { ...F } } fragment G on A { x } fragment F on A { ...G y }"},
  };
  expect_cases(cases, options);
}

TEST(Normalize, InputIsNotModified) {
  const std::string_view query =
      "query ($s: Boolean!) { a { ...F x @skip(if: $s) } a { y } } fragment F on A { id id }";
  std::unique_ptr<Outcome> r = run(query, R"({"s": true})");
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(print(*r->parsed.document), reprint(query));
  EXPECT_EQ(r->printed(), reprint("{ a { id y } }"));
}

// ---- errors -------------------------------------------------------------------------------

TEST(Normalize, ReportsErrorsInGraphqlJsWords) {
  struct ErrorCase {
    std::string_view query;
    std::string_view variables;
    std::string_view message;
    SourceLocation location;
    ErrorCode code;
  };
  const ErrorCase cases[] = {
      {"{ a { ...Nope } }",
       "{}",
       "Unknown fragment \"Nope\".",
       {1, 10},
       ErrorCode::kGraphqlValidationFailed},
      {"{ a { ...F } } fragment F on A { a { ...F } }",
       "{}",
       "Cannot spread fragment \"F\" within itself.",
       {1, 38},
       ErrorCode::kGraphqlValidationFailed},
      {"{ a { ...F } } fragment F on A { a { ...G } } fragment G on A { ...F }",
       "{}",
       "Cannot spread fragment \"F\" within itself via \"G\".",
       {1, 65},
       ErrorCode::kGraphqlValidationFailed},
      {"{ b @skip }",
       "{}",
       "Argument \"@skip(if:)\" of required type \"Boolean!\" was not provided.",
       {1, 5},
       ErrorCode::kGraphqlValidationFailed},
      {"{ b @include(if: null) }",
       "{}",
       "Argument \"@include(if:)\" has invalid value: Expected value of non-null type \"Boolean!\" "
       "not to be null.",
       {1, 18},
       ErrorCode::kGraphqlValidationFailed},
      {"{ b @skip(if: \"x\") }",
       "{}",
       "Argument \"@skip(if:)\" has invalid value: Boolean cannot represent a non boolean value: "
       "\"x\"",
       {1, 15},
       ErrorCode::kGraphqlValidationFailed},
      {"query ($x: Boolean) { b @skip(if: $x) }",
       "{}",
       "Argument \"@skip(if:)\" has invalid value: Expected variable \"$x\" provided to type "
       "\"Boolean!\" to provide a runtime value.",
       {1, 35},
       ErrorCode::kBadUserInput},
      {"query ($x: Boolean = true) { b @skip(if: $x) }",
       R"({"x": null})",
       "Argument \"@skip(if:)\" has invalid value: Expected variable \"$x\" provided to non-null "
       "type \"Boolean!\" not to be null.",
       {1, 42},
       ErrorCode::kBadUserInput},
      {"query ($x: Boolean!) { b @skip(if: $x) }",
       R"({"x": "yes"})",
       "Argument \"@skip(if:)\" has invalid value: Expected variable \"$x\" provided to type "
       "\"Boolean!\" to be a Boolean.",
       {1, 36},
       ErrorCode::kBadUserInput},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.query);
    std::unique_ptr<Outcome> r = run(c.query, c.variables);
    EXPECT_FALSE(r->result.ok());
    ASSERT_EQ(r->report.errors().size(), 1u);
    const GraphqlError& error = r->report.errors()[0];
    EXPECT_EQ(error.message, c.message);
    ASSERT_EQ(error.locations.size(), 1u);
    EXPECT_EQ(error.locations[0], c.location);
    EXPECT_EQ(error.code, c.code);
  }
}

TEST(Normalize, SkippedSelectionsAreNotEvaluated) {
  // graphql-js never looks inside a skipped selection, so a bad @include there is no error;
  // neither is an unknown fragment there.
  std::unique_ptr<Outcome> r = run("{ b a @skip(if: true) { x @include(if: null) ...Nope } }");
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(r->printed(), reprint("{ b }"));
}

// ---- size and depth bounds ----------------------------------------------------------------

// fragment F0 on Deep { v }, and each Fi spreads F(i-1) twice under the given keys.
std::string doubling_fragments(int levels, std::string_view first_key,
                               std::string_view second_key) {
  std::string q = "{ deep { ...F" + std::to_string(levels) + " } }\nfragment F0 on Deep { v }\n";
  for (int i = 1; i <= levels; ++i) {
    std::string prev = "...F" + std::to_string(i - 1);
    q += "fragment F" + std::to_string(i) + " on Deep { " + std::string(first_key) + " { " + prev +
         " } " + std::string(second_key) + " { " + prev + " } }\n";
  }
  return q;
}

TEST(Normalize, ExponentialFragmentsThatMergeStayLinear) {
  // Naive expansion: 2^40 selections. The two spreads merge at every level (same key), so
  // the output is a chain of 40 fields, and memoization makes the work linear.
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Outcome> r = run(doubling_fragments(40, "d", "d"));
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(r->result.expanded_selections, 42u);  // deep, 40 × d, v
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Normalize, ExponentialOutputHitsTheSelectionLimit) {
  // d and e do not merge: the expanded output really has 2^41 selections.
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Outcome> r = run(doubling_fragments(40, "d", "e"));
  EXPECT_FALSE(r->result.ok());
  ASSERT_EQ(r->report.errors().size(), 1u);
  EXPECT_EQ(r->report.errors()[0].message,
            "Operation is too large: more than 100000 selections once fragments are expanded.");
  EXPECT_EQ(r->report.errors()[0].code, ErrorCode::kLimitExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));

  // Below the limit the same shape succeeds, and the output shares the memoized bodies.
  r = run(doubling_fragments(12, "d", "e"));
  ASSERT_TRUE(r->result.ok()) << r->error();
  // Fi has 3 * 2^i - 2 selections below it; plus `deep`.
  EXPECT_EQ(r->result.expanded_selections, 3u * (1u << 12) - 2 + 1);
  const Field* deep = r->result.operation->selection_set->selections[0]->as<Field>();
  const Field* d = deep->selection_set->selections[0]->as<Field>();
  const Field* e = deep->selection_set->selections[1]->as<Field>();
  EXPECT_EQ(d->selection_set, e->selection_set);

  // Without a limit the count saturates instead of overflowing.
  NormalizeOptions unlimited;
  unlimited.max_selections = 0;
  r = run(doubling_fragments(70, "d", "e"), "{}", unlimited);
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(r->result.expanded_selections, UINT64_MAX);
}

TEST(Normalize, WideFragmentSpreadManyTimes) {
  // A fragment of 2000 fields spread 2000 times: output 2000 fields, not 4 million adds.
  std::string fragment = "fragment F on Query {";
  for (int i = 0; i < 2000; ++i)
    fragment += " f" + std::to_string(i) + ": b";
  fragment += " }";
  std::string query = "{";
  for (int i = 0; i < 2000; ++i)
    query += " ...F";
  query += " }\n" + fragment;
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Outcome> r = run(query);
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(r->result.operation->selection_set->selections.size(), 2000u);
  EXPECT_EQ(r->result.expanded_selections, 2000u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Normalize, ManyAliasesOfOneFragmentCountTowardsTheLimit) {
  std::string query = "{";
  for (int i = 0; i < 1000; ++i)
    query += " x" + std::to_string(i) + ": a { ...F }";
  query += " } fragment F on A { id name x y a { id name x y } }";
  std::unique_ptr<Outcome> r = run(query);
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(r->result.expanded_selections, 1000u * 10u);
  NormalizeOptions small;
  small.max_selections = 5000;
  r = run(query, "{}", small);
  EXPECT_FALSE(r->result.ok());
}

TEST(Normalize, LongFragmentChainsHitTheDepthLimit) {
  // Each fragment is shallow, so the parser's depth limit does not see the chain.
  auto chain = [](int length) {
    std::string q = "{ deep { ...F0 } }\n";
    for (int i = 0; i < length; ++i) {
      q += "fragment F" + std::to_string(i) + " on Deep { d { ...F" + std::to_string(i + 1) +
           " } }\n";
    }
    q += "fragment F" + std::to_string(length) + " on Deep { v }\n";
    return q;
  };
  std::unique_ptr<Outcome> r = run(chain(100));
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(r->result.expanded_selections, 102u);

  r = run(chain(5000));
  EXPECT_FALSE(r->result.ok());
  ASSERT_EQ(r->report.errors().size(), 1u);
  EXPECT_EQ(r->report.errors()[0].message,
            "Operation is nested too deeply: more than 512 levels once fragments are followed.");
  EXPECT_EQ(r->report.errors()[0].code, ErrorCode::kMaxDepthExceeded);
}

// ---- cache key ----------------------------------------------------------------------------

OperationCacheKey key_of(std::string_view query, std::string_view variables = "{}") {
  std::unique_ptr<Outcome> r = run(query, variables);
  EXPECT_TRUE(r->result.ok()) << r->error();
  if (!r->result.ok()) return {};
  return operation_cache_key(r->result);
}

TEST(OperationCacheKey, SortsArgumentsAndVariableDefinitions) {
  OperationCacheKey a = key_of("query Q($b: String, $a: Int) { list(after: $b, first: $a) { x } }");
  OperationCacheKey b = key_of("query Q($a: Int, $b: String) { list(first: $a, after: $b) { x } }");
  EXPECT_EQ(a.text, "query Q($a:Int$b:String){list(after:$b first:$a){x}}");
  EXPECT_EQ(a, b);
}

TEST(OperationCacheKey, EqualForEquivalentDocuments) {
  EXPECT_EQ(key_of("{ a { ...F } } fragment F on A { x }"), key_of("{ a { x x } }"));
  // The texts agree; the hashes do not, as the first depends on the value of $s.
  EXPECT_EQ(key_of("query ($s: Boolean!) { a { x @include(if: $s) } }", R"({"s": true})").text,
            key_of("{ a { x } }").text);
}

TEST(OperationCacheKey, DiffersWhenTheResponseCanDiffer) {
  EXPECT_NE(key_of("{ a { x } b }").hash, key_of("{ b a { x } }").hash);
  EXPECT_NE(key_of("{ list(first: 1) { x } }").hash, key_of("{ list(first: 2) { x } }").hash);
  EXPECT_NE(key_of("query A { b }").hash, key_of("query B { b }").hash);
  // Same normalized tree, different @skip/@include values: different keys.
  const std::string_view q =
      "query ($s: Boolean!, $i: Boolean!) { b @skip(if: $s) @include(if: $i) a { x } }";
  OperationCacheKey skipped = key_of(q, R"({"s": true, "i": true})");
  OperationCacheKey excluded = key_of(q, R"({"s": false, "i": false})");
  EXPECT_EQ(skipped.text, excluded.text);
  EXPECT_NE(skipped.hash, excluded.hash);
  EXPECT_EQ(skipped, key_of(q, R"({"s": true, "i": false})"));
}

TEST(OperationCacheKey, IncludesNamedFragments) {
  NormalizeOptions options;
  options.inline_fragments = false;
  std::unique_ptr<Outcome> r =
      run("{ a { ...F } } fragment F on A { list(first: 1) @custom(v: 2) { x } }", "{}", options);
  ASSERT_TRUE(r->result.ok()) << r->error();
  EXPECT_EQ(operation_cache_key(r->result).text,
            "{a{...F}}fragment F on A{list(first:1)@custom(v:2){x}}");
}

TEST(NormalizationInputKey, DependsOnConditionVariablesOnly) {
  const std::string_view text =
      "query Q($s: Boolean!, $n: Int) { list(first: $n) { ...F } } "
      "fragment F on A { x @include(if: $s) }";
  Arena arena;
  ParseResult parsed = parse(text, arena);
  ASSERT_TRUE(parsed.ok());
  const auto* op = parsed.document->definitions[0]->as<OperationDefinition>();
  auto key = [&](ConditionVariableMap vars) {
    return normalization_input_key(text, *parsed.document, *op, vars);
  };
  ConditionVariableMap with_n;
  with_n.set("s", true).set("n", true);
  EXPECT_EQ(key({{"s", true}}), key(with_n));  // $n does not change the normalized operation
  EXPECT_NE(key({{"s", true}}), key({{"s", false}}));
  EXPECT_NE(key({{"s", true}}), key({}));
  EXPECT_NE(key({{"s", true}}), normalization_input_key("query Q { b }", *parsed.document, *op,
                                                        ConditionVariableMap{{"s", true}}));
}

// ---- select_operation ---------------------------------------------------------------------

TEST(SelectOperation, PicksTheOperation) {
  Arena arena;
  ParseResult parsed = parse("query A { b } query B { b } fragment F on Query { b }", arena);
  ASSERT_TRUE(parsed.ok());
  ErrorReport report;
  const OperationDefinition* op = select_operation(*parsed.document, "B", report);
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->name.value, "B");
  EXPECT_FALSE(report.has_errors());

  ParseResult single = parse("{ b } fragment F on Query { b }", arena);
  op = select_operation(*single.document, std::nullopt, report);
  ASSERT_NE(op, nullptr);
  EXPECT_TRUE(op->name.empty());
}

TEST(SelectOperation, ErrorsAsGraphqlJs) {
  struct ErrorCase {
    std::string_view document;
    std::optional<std::string_view> name;
    std::string_view message;
    ErrorCode code;
  };
  const ErrorCase cases[] = {
      {"query A { b } query B { b }", "C", "Unknown operation named \"C\".",
       ErrorCode::kOperationNotFound},
      {"{ b }", "", "Unknown operation named \"\".", ErrorCode::kOperationNotFound},
      {"query A { b } query B { b }", std::nullopt,
       "Must provide operation name if query contains multiple operations.",
       ErrorCode::kOperationNameRequired},
      {"fragment F on Query { b }", std::nullopt, "Must provide an operation.",
       ErrorCode::kOperationNotFound},
      {"fragment F on Query { b }", "F", "Unknown operation named \"F\".",
       ErrorCode::kOperationNotFound},
  };
  for (const ErrorCase& c : cases) {
    SCOPED_TRACE(c.document);
    Arena arena;
    ParseResult parsed = parse(c.document, arena);
    ASSERT_TRUE(parsed.ok());
    ErrorReport report;
    EXPECT_EQ(select_operation(*parsed.document, c.name, report), nullptr);
    ASSERT_EQ(report.errors().size(), 1u);
    EXPECT_EQ(report.errors()[0].message, c.message);
    EXPECT_EQ(report.errors()[0].code, c.code);
    EXPECT_TRUE(report.errors()[0].locations.empty());
  }
}

TEST(ConditionVariables, JsonAndMapAdapters) {
  Arena arena;
  Result<JsonValue> json = parse_json(R"({"t": true, "f": false, "n": null, "s": "x"})", arena);
  ASSERT_TRUE(json.ok());
  JsonConditionVariables vars(*json);
  EXPECT_EQ(vars.lookup("t"), ConditionValue::kTrue);
  EXPECT_EQ(vars.lookup("f"), ConditionValue::kFalse);
  EXPECT_EQ(vars.lookup("n"), ConditionValue::kNull);
  EXPECT_EQ(vars.lookup("s"), ConditionValue::kNotBoolean);
  EXPECT_EQ(vars.lookup("missing"), ConditionValue::kMissing);

  ConditionVariableMap map{{"t", true}};
  map.set("f", false).set_null("n");
  EXPECT_EQ(map.lookup("t"), ConditionValue::kTrue);
  EXPECT_EQ(map.lookup("f"), ConditionValue::kFalse);
  EXPECT_EQ(map.lookup("n"), ConditionValue::kNull);
  EXPECT_EQ(map.lookup("x"), ConditionValue::kMissing);
}

}  // namespace
}  // namespace orbit::graphql
