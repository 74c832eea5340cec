#include "orbit/graphql/introspection/introspection.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "orbit/graphql/parser.h"
#include "orbit/graphql/values/values.h"

namespace orbit::graphql {
namespace {

std::string read_data(const std::string& name) {
  std::ifstream in(std::string(ORBIT_TEST_DATA_DIR) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::unique_ptr<Schema> rich_schema() {
  ErrorReport errors;
  auto schema = Schema::build(read_data("schema.graphql"), errors);
  EXPECT_TRUE(schema != nullptr) << (errors.errors().empty() ? "" : errors.errors()[0].message);
  return schema;
}

const OperationDefinition* first_operation(const Document* doc) {
  for (const Definition* d : doc->definitions) {
    if (d->kind == Kind::kOperationDefinition) return d->as<OperationDefinition>();
  }
  return nullptr;
}

struct Outcome {
  std::string data;
  ErrorReport errors;
};

Outcome run(const Schema& schema, std::string_view query, std::string_view variables = "{}") {
  Outcome r;
  Arena arena;
  ParseResult parsed = parse(query, arena);
  EXPECT_TRUE(parsed.ok()) << parsed.error.message;
  if (!parsed.ok()) return r;
  const OperationDefinition* op = first_operation(parsed.document);
  auto inputs = parse_json(variables, arena);
  EXPECT_TRUE(inputs.ok());
  const JsonValue* vars = coerce_variable_values(schema, *op, &*inputs, arena, r.errors);
  EXPECT_NE(vars, nullptr);
  IntrospectionRequest req{&schema, parsed.document, op, vars};
  r.data = execute_introspection(req, arena, r.errors);
  return r;
}

// The committed expectations are graphql-js 17's execute() output for the same schema and
// operations (data/gen_expected.js), among them getIntrospectionQuery() with every option.
TEST(IntrospectionTest, MatchesGraphqlJs) {
  auto schema = rich_schema();
  ASSERT_TRUE(schema);
  Arena arena;
  std::string cases_text = read_data("cases.json");
  auto cases = parse_json(cases_text, arena);
  ASSERT_TRUE(cases.ok()) << cases.status().to_string();
  ASSERT_EQ(cases->size(), 4u);
  for (const JsonValue& c : cases->items()) {
    std::string name(c.find("name")->as_string());
    SCOPED_TRACE(name);
    std::string query(c.find("query")->as_string());
    if (!query.empty() && query[0] == '@') query = read_data(query.substr(1));
    Outcome r = run(*schema, query, to_json(*c.find("variables")));
    EXPECT_FALSE(r.errors.has_errors());
    std::string expected(c.find("expected")->as_string());
    EXPECT_EQ(r.data, expected);
    if (r.data != expected) {
      // Point at the first difference; the documents are long.
      size_t i = 0;
      while (i < r.data.size() && i < expected.size() && r.data[i] == expected[i])
        ++i;
      size_t from = i > 120 ? i - 120 : 0;
      ADD_FAILURE() << "first difference at " << i << "\n ours: " << r.data.substr(from, 240)
                    << "\n js:   " << expected.substr(from, 240);
    }
  }
}

TEST(IntrospectionTest, OtherRootFieldsAreLeftToTheCaller) {
  auto schema = rich_schema();
  ASSERT_TRUE(schema);
  Outcome r = run(*schema, "{ now __typename version t: __type(name: \"Date\") { name } }");
  EXPECT_EQ(r.data, R"({"__typename":"Query","t":{"name":"Date"}})");

  // Members go into an object the caller has open, beside its own fields.
  Arena arena;
  ParseResult parsed = parse("{ a: now __typename }", arena);
  ASSERT_TRUE(parsed.ok());
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("a").string("2024-01-01");
  ErrorReport errors;
  IntrospectionRequest req{schema.get(), parsed.document, first_operation(parsed.document),
                           nullptr};
  EXPECT_EQ(write_introspection_fields(req, arena, w, errors), 1u);
  w.end_object();
  EXPECT_EQ(out, R"({"a":"2024-01-01","__typename":"Query"})");
}

TEST(IntrospectionTest, SchemaAndTypeOnlyOnQueries) {
  auto schema = rich_schema();
  ASSERT_TRUE(schema);
  Outcome r = run(*schema, "subscription { __typename postAdded { id } }");
  EXPECT_EQ(r.data, R"({"__typename":"Subscription"})");
  Outcome q = run(*schema, "{ __type(name: \"Node\") { kind possibleTypes { name } } }");
  EXPECT_EQ(q.data, R"({"__type":{"kind":"INTERFACE","possibleTypes":[{"name":"User"},)"
                    R"({"name":"Post"}]}})");
}

TEST(IntrospectionTest, InvalidArgumentValueIsAnErrorWithPath) {
  auto schema = rich_schema();
  ASSERT_TRUE(schema);
  // Not valid GraphQL (validation would reject it); the executor must still not crash.
  Outcome r = run(*schema, "{ __schema { types { fields(includeDeprecated: 3) { name } } } }");
  ASSERT_FALSE(r.errors.errors().empty());
  const GraphqlError& e = r.errors.errors()[0];
  EXPECT_EQ(e.message,
            "Argument \"__Type.fields(includeDeprecated:)\" has invalid value: Boolean cannot "
            "represent a non boolean value: 3");
  ASSERT_EQ(e.path.size(), 4u);
  EXPECT_EQ(e.path[0].key, "__schema");
  EXPECT_EQ(e.path[3].key, "fields");
}

}  // namespace
}  // namespace orbit::graphql
