#include "orbit/graphql/values/values.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "orbit/graphql/parser.h"
#include "orbit/graphql/schema/suggestion_list.h"

namespace orbit::graphql {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::unique_ptr<Schema> test_schema() {
  ErrorReport errors;
  std::string sdl = read_file(std::string(ORBIT_TEST_DATA_DIR) + "/schema.graphql");
  auto schema = Schema::build(sdl, errors);
  EXPECT_TRUE(schema != nullptr) << (errors.errors().empty() ? "" : errors.errors()[0].message);
  return schema;
}

const OperationDefinition* first_operation(const Document* doc) {
  for (const Definition* d : doc->definitions) {
    if (d->kind == Kind::kOperationDefinition) return d->as<OperationDefinition>();
  }
  return nullptr;
}

std::string errors_json(const ErrorReport& report) {
  std::string out = "[";
  for (size_t i = 0; i < report.errors().size(); ++i) {
    const GraphqlError& e = report.errors()[i];
    if (i > 0) out += ",";
    out += "{\"message\":";
    append_json_string(out, e.message);
    out += ",\"locations\":[";
    for (size_t j = 0; j < e.locations.size(); ++j) {
      if (j > 0) out += ",";
      out += "{\"line\":" + std::to_string(e.locations[j].line) +
             ",\"column\":" + std::to_string(e.locations[j].column) + "}";
    }
    out += "]}";
  }
  return out + "]";
}

// Numbers compare by value: we keep lexemes ("2.50") where JavaScript has re-printed them.
bool same_json(const JsonValue& actual, std::string_view expected_text, Arena& arena) {
  auto expected = parse_json(expected_text, arena);
  return expected.ok() && json_equal(actual, *expected);
}

// Every case of data/cases.json (generated from graphql-js by data/gen_cases.js): variable
// coercion (coerced JSON or errors with locations), then the argument values of the root
// field (or the error graphql-js throws).
TEST(ValuesTest, MatchesGraphqlJsCases) {
  auto schema = test_schema();
  ASSERT_TRUE(schema);
  Arena data_arena;
  std::string cases_text = read_file(std::string(ORBIT_TEST_DATA_DIR) + "/cases.json");
  auto cases = parse_json(cases_text, data_arena);
  ASSERT_TRUE(cases.ok()) << cases.status().to_string();
  ASSERT_GT(cases->size(), 100u);
  for (const JsonValue& c : cases->items()) {
    std::string query(c.find("query")->as_string());
    SCOPED_TRACE(query + "  variables: " + std::string(c.find("variables")->as_string()));
    Arena arena;
    ParseResult parsed = parse(query, arena);
    ASSERT_TRUE(parsed.ok()) << parsed.error.message;
    const OperationDefinition* op = first_operation(parsed.document);
    auto inputs = parse_json(c.find("variables")->as_string(), arena);
    ASSERT_TRUE(inputs.ok());
    ErrorReport errors;
    const JsonValue* vars = coerce_variable_values(*schema, *op, &*inputs, arena, errors);
    if (const JsonValue* expected = c.find("variableErrors")) {
      EXPECT_EQ(vars, nullptr);
      EXPECT_EQ(errors_json(errors), to_json(*expected));
      for (const GraphqlError& e : errors.errors()) {
        EXPECT_EQ(e.code, ErrorCode::kVariableCoercionFailed);
      }
      continue;
    }
    ASSERT_NE(vars, nullptr) << errors_json(errors);
    EXPECT_TRUE(same_json(*vars, c.find("coerced")->as_string(), arena))
        << to_json(*vars) << " vs " << c.find("coerced")->as_string();

    const Field* field = op->selection_set->selections[0]->as<Field>();
    const FieldDef* def = schema->field_def(schema->query_type(), field->name.value);
    ASSERT_NE(def, nullptr);
    ErrorReport arg_errors;
    const JsonValue* args = get_argument_values(def->arguments, "Query.f", field->arguments, *field,
                                                vars, arena, arg_errors);
    if (const JsonValue* expected = c.find("argumentError")) {
      EXPECT_EQ(args, nullptr);
      // graphql-js throws one error; we add exactly that one.
      ASSERT_EQ(arg_errors.errors().size(), 1u);
      EXPECT_EQ(errors_json(arg_errors), "[" + to_json(*expected) + "]");
      EXPECT_EQ(arg_errors.errors()[0].code, ErrorCode::kBadUserInput);
    } else {
      ASSERT_NE(args, nullptr) << errors_json(arg_errors);
      EXPECT_TRUE(same_json(*args, c.find("arguments")->as_string(), arena))
          << to_json(*args) << " vs " << c.find("arguments")->as_string();
    }
  }
}

TEST(ValuesTest, NoVariablesObjectMeansNoneGiven) {
  auto schema = test_schema();
  ASSERT_TRUE(schema);
  Arena arena;
  ParseResult parsed = parse("query($a: Int, $b: Int = 2, $c: Int!) { f(req: 1) }", arena);
  ASSERT_TRUE(parsed.ok());
  ErrorReport errors;
  EXPECT_EQ(
      coerce_variable_values(*schema, *first_operation(parsed.document), nullptr, arena, errors),
      nullptr);
  EXPECT_EQ(
      errors_json(errors),
      R"([{"message":"Variable \"$c\" has invalid value: Expected a value of non-null type \"Int!\" to be provided.","locations":[{"line":1,"column":29}]}])");
}

TEST(ValuesTest, ErrorLimitAbortsWithGraphqlJsMessage) {
  auto schema = test_schema();
  ASSERT_TRUE(schema);
  Arena arena;
  ParseResult parsed = parse("query($a: Int, $b: Int, $c: Int) { f(req: 1) }", arena);
  ASSERT_TRUE(parsed.ok());
  auto inputs = parse_json(R"({"a":"x","b":"y","c":"z"})", arena);
  ErrorReport errors;
  CoercionOptions options;
  options.max_errors = 2;
  EXPECT_EQ(coerce_variable_values(*schema, *first_operation(parsed.document), &*inputs, arena,
                                   errors, options),
            nullptr);
  ASSERT_EQ(errors.errors().size(), 3u);
  EXPECT_EQ(errors.errors()[2].message,
            "Too many errors processing variables, error limit reached. Execution aborted.");
  EXPECT_TRUE(errors.errors()[2].locations.empty());
}

TEST(ValuesTest, HideSuggestions) {
  auto schema = test_schema();
  ASSERT_TRUE(schema);
  Arena arena;
  ParseResult parsed = parse("query($c: Color, $p: Point) { f(req: 1) }", arena);
  ASSERT_TRUE(parsed.ok());
  auto inputs = parse_json(R"({"c":"REDD","p":{"x":1,"lable":"a"}})", arena);
  ErrorReport errors;
  CoercionOptions options;
  options.hide_suggestions = true;
  coerce_variable_values(*schema, *first_operation(parsed.document), &*inputs, arena, errors,
                         options);
  ASSERT_EQ(errors.errors().size(), 2u);
  EXPECT_EQ(errors.errors()[0].message,
            "Variable \"$c\" has invalid value: Value \"REDD\" does not exist in \"Color\" enum.");
  EXPECT_EQ(errors.errors()[1].message,
            "Variable \"$p\" has invalid value: Expected value of type \"Point\" not to include "
            "unknown field \"lable\", found: { x: 1, lable: \"a\" }.");
}

TEST(ValuesTest, BigIntegersPassThroughCustomScalarsAndIds) {
  auto schema = test_schema();
  ASSERT_TRUE(schema);
  Arena arena;
  ParseResult parsed = parse("query($j: Json, $id: ID) { f(req: 1) }", arena);
  ASSERT_TRUE(parsed.ok());
  auto inputs = parse_json(R"({"j":{"n":123456789012345678901234567890,"f":1.50},)"
                           R"("id":123456789012345678901})",
                           arena);
  ASSERT_TRUE(inputs.ok());
  ErrorReport errors;
  const JsonValue* vars =
      coerce_variable_values(*schema, *first_operation(parsed.document), &*inputs, arena, errors);
  ASSERT_NE(vars, nullptr);
  EXPECT_EQ(to_json(*vars),
            R"({"j":{"n":123456789012345678901234567890,"f":1.50},"id":"123456789012345678901"})");
}

TEST(ValuesTest, CoerceInputLiteralAndValueFromAst) {
  auto schema = test_schema();
  ASSERT_TRUE(schema);
  Arena arena;
  const InputValueDef* filter = schema->query_type()->field("f")->argument("filter");
  ASSERT_NE(filter, nullptr);
  Value* value = nullptr;
  ASSERT_TRUE(
      parse_value(R"({color: BLUE, points: {x: 1}, any: {k: [1, 2.0, $v]}})", arena, &value).ok());
  auto vars = parse_json(R"({"v":"var"})", arena);
  const JsonValue* out = value_from_ast(*value, filter->type, &*vars, arena);
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(
      to_json(*out),
      R"({"color":"BLUE","points":[{"x":1,"y":0}],"tags":["a","b"],"any":{"k":[1,2.0,"var"]}})");

  Value* bad = nullptr;
  ASSERT_TRUE(parse_value(R"({color: PINK, points: [{y: 1}]})", arena, &bad).ok());
  EXPECT_EQ(coerce_input_literal(*bad, filter->type, nullptr, arena), nullptr);
  auto problems = validate_input_literal(*bad, filter->type, nullptr, arena);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].message, "Value \"PINK\" does not exist in \"Color\" enum.");
  EXPECT_EQ(problems[0].path, " at .color");
  EXPECT_EQ(problems[1].message,
            "Expected value of type \"Point\" to include required field \"x\", found: { y: 1 }.");
  EXPECT_EQ(problems[1].path, " at .points[0]");
  EXPECT_EQ(problems[1].loc.column, 24u);
}

TEST(ValuesTest, ValueFromAstUntyped) {
  Arena arena;
  Value* value = nullptr;
  ASSERT_TRUE(parse_value(R"([1, -0, 99999999999999999999, 1.50e1, "s", E, true, null,)"
                          R"( {a: $x, b: $missing}, $missing])",
                          arena, &value)
                  .ok());
  auto vars = parse_json(R"({"x":[1]})", arena);
  EXPECT_EQ(to_json(value_from_ast_untyped(*value, &*vars, arena)),
            R"([1,-0,99999999999999999999,1.50e1,"s","E",true,null,{"a":[1]},null])");
}

TEST(ValuesTest, SkipAndInclude) {
  auto schema = test_schema();
  ASSERT_TRUE(schema);
  Arena arena;
  ParseResult parsed = parse(
      "query($t: Boolean!, $f: Boolean!) { a: f(req: 1) @skip(if: $t) b: f(req: 1) @skip(if: $f) "
      "c: f(req: 1) @include(if: $f) d: f(req: 1) @include(if: true) @skip(if: $t) "
      "e: f(req: 1) @include(if: $t) @skip(if: false) g: f(req: 1) }",
      arena);
  ASSERT_TRUE(parsed.ok()) << parsed.error.message;
  auto vars = parse_json(R"({"t":true,"f":false})", arena);
  std::string included;
  ErrorReport errors;
  for (const Selection* s : first_operation(parsed.document)->selection_set->selections) {
    if (should_include_node(*schema, s->directives, &*vars, arena, errors)) {
      included += s->as<Field>()->alias.value;
    }
  }
  EXPECT_EQ(included, "beg");
  EXPECT_FALSE(errors.has_errors());

  bool found = false;
  const Field* a = first_operation(parsed.document)->selection_set->selections[0]->as<Field>();
  const JsonValue* args = get_directive_values(*schema->directive("skip"), a->directives, &*vars,
                                               arena, errors, &found);
  EXPECT_TRUE(found);
  ASSERT_NE(args, nullptr);
  EXPECT_EQ(to_json(*args), R"({"if":true})");
  get_directive_values(*schema->directive("include"), a->directives, &*vars, arena, errors, &found);
  EXPECT_FALSE(found);
}

TEST(ValuesTest, DirectiveArgumentErrorsNameTheDirective) {
  auto schema = test_schema();
  ASSERT_TRUE(schema);
  Arena arena;
  ParseResult parsed = parse("{ f(req: 1) @skip(if: 1) }", arena);
  ASSERT_TRUE(parsed.ok());
  const Field* f = first_operation(parsed.document)->selection_set->selections[0]->as<Field>();
  ErrorReport errors;
  bool found = false;
  EXPECT_EQ(get_directive_values(*schema->directive("skip"), f->directives, nullptr, arena, errors,
                                 &found),
            nullptr);
  ASSERT_EQ(errors.errors().size(), 1u);
  EXPECT_EQ(errors.errors()[0].message,
            "Argument \"@skip(if:)\" has invalid value: Boolean cannot represent a non boolean "
            "value: 1");
  // At the offending literal, as graphql-js reports it.
  ASSERT_EQ(errors.errors()[0].locations.size(), 1u);
  EXPECT_EQ(errors.errors()[0].locations[0].column, 23u);
}

TEST(ValuesTest, Inspect) {
  Arena arena;
  auto v = parse_json(R"({"a":[1,2,3,4,5,6,7,8,9,10,11,12],"b":{"c":{"d":1}},"e":[],"f":{},)"
                      R"("g":"q\"","h":1e21,"i":[[[1]]]})",
                      arena);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(inspect(*v),
            R"({ a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 2 more items], b: { c: [Object] }, e: [], )"
            R"(f: {}, g: "q\"", h: 1e+21, i: [[Array]] })");
  auto eleven = parse_json("[1,2,3,4,5,6,7,8,9,10,11]", arena);
  EXPECT_EQ(inspect(*eleven), "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 1 more item]");
}

TEST(SuggestionsTest, MatchesGraphqlJs) {
  std::vector<std::string_view> options = {"color", "colour", "points", "Color", "cooler", "x"};
  auto list = suggestion_list("colr", options);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0], "Color");  // distance 1 like "color"; ties in natural (code unit) order
  EXPECT_EQ(did_you_mean(list), " Did you mean \"Color\", \"color\", \"colour\", or \"cooler\"?");
  EXPECT_EQ(did_you_mean({}), "");
  std::vector<std::string_view> many = {"a1", "a2", "a3", "a4", "a5", "a6"};
  EXPECT_EQ(did_you_mean(suggestion_list("a", many), "the enum value"),
            " Did you mean the enum value \"a1\", \"a2\", \"a3\", \"a4\", or \"a5\"?");
  EXPECT_LT(natural_compare("a2", "a10"), 0);
  EXPECT_GT(natural_compare("b", "a10"), 0);
  std::vector<std::string> two = {"A", "B"};
  EXPECT_EQ(or_list(two), "A or B");
  EXPECT_EQ(and_list(two), "A and B");
}

}  // namespace
}  // namespace orbit::graphql
