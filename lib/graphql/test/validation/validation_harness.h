// Shared helpers of the validation tests: the harness schema (data/harness_schema.graphql,
// modelled on graphql-js's test schema) and assertions on the errors one rule reports.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/graphql/validation/validate.h"

namespace orbit::graphql::validation_test {

struct ExpectedError {
  std::string message;
  std::vector<std::pair<uint32_t, uint32_t>> locations;  // (line, column)
};

inline std::string read_test_file(const std::string& name) {
  std::ifstream in(std::string(ORBIT_TEST_DATA_DIR) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::unique_ptr<Schema> build_schema(std::string_view sdl) {
  ErrorReport errors;
  std::unique_ptr<Schema> schema = Schema::build(sdl, errors);
  for (const GraphqlError& e : errors.errors())
    ADD_FAILURE() << "schema: " << e.message;
  return schema;
}

inline const Schema& harness_schema() {
  static const std::unique_ptr<Schema> schema =
      build_schema(read_test_file("harness_schema.graphql"));
  return *schema;
}

// Validates `document` with only `rule` (all rules when empty) and returns the errors.
inline std::vector<GraphqlError> run_rule(std::string_view rule, std::string_view document,
                                          const Schema& schema = harness_schema(),
                                          uint32_t max_errors = 100) {
  Arena arena;
  ParseResult parsed = parse(document, arena);
  if (!parsed.ok()) {
    ADD_FAILURE() << "parse error: " << parsed.error.message;
    return {};
  }
  ErrorReport report;
  ValidationOptions options;
  options.max_errors = max_errors;
  std::string_view only[] = {rule};
  if (!rule.empty()) options.only_rules = only;
  validate(schema, *parsed.document, report, options);
  for (const Status& s : report.internal_errors())
    ADD_FAILURE() << "internal: " << s.message();
  return report.errors();
}

inline std::string describe(const std::vector<GraphqlError>& errors) {
  std::string out;
  for (const GraphqlError& e : errors) {
    out += "  " + e.message + " @";
    for (const SourceLocation& l : e.locations) {
      out += " " + std::to_string(l.line) + ":" + std::to_string(l.column);
    }
    out += "\n";
  }
  return out;
}

inline void expect_errors(std::string_view rule, std::string_view document,
                          const std::vector<ExpectedError>& expected,
                          const Schema& schema = harness_schema()) {
  std::vector<GraphqlError> actual = run_rule(rule, document, schema);
  ASSERT_EQ(actual.size(), expected.size()) << document << "\nactual:\n" << describe(actual);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(actual[i].message, expected[i].message) << document;
    std::vector<std::pair<uint32_t, uint32_t>> locations;
    for (const SourceLocation& l : actual[i].locations)
      locations.emplace_back(l.line, l.column);
    EXPECT_EQ(locations, expected[i].locations) << actual[i].message << "\n" << document;
    // Aborts (limits, budgets) come from validate() itself, not from a rule.
    if (!rule.empty() && expected[i].message != "Validation aborted.") {
      EXPECT_EQ(actual[i].origin, rule);
    }
    EXPECT_EQ(actual[i].code, ErrorCode::kGraphqlValidationFailed);
  }
}

inline void expect_valid(std::string_view rule, std::string_view document,
                         const Schema& schema = harness_schema()) {
  expect_errors(rule, document, {}, schema);
}

}  // namespace orbit::graphql::validation_test
