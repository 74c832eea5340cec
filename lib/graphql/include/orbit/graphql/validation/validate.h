// Validation: checks an executable Document against a Schema with every rule of the
// "Validation" section of the GraphQL specification.
//
// Consumes: a parsed Document and a Schema. Produces: errors in the ErrorReport, with
// messages and locations as graphql-js's (GraphqlError::origin names the rule). A document
// with no errors may be executed.
//
// Each rule lives in its own file (src/validation/<rule>.cc); all of them run in one walk of
// the document. Thread-safe: validate() keeps its state on the stack and in the report.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::graphql {

struct ValidationOptions {
  // Stop after this many errors (graphql-js's default is 100); one more error says
  // "Too many validation errors, error limit reached. Validation aborted."
  uint32_t max_errors = 100;
  // Only run the rules with these names (e.g. "KnownTypeNamesRule"); empty = all rules.
  std::span<const std::string_view> only_rules;
  // Leave out "Did you mean …?" hints (graphql-js's hideSuggestions), e.g. when the schema
  // must not be revealed to clients.
  bool hide_suggestions = false;
};

void validate(const Schema& schema, const Document& document, ErrorReport& report,
              const ValidationOptions& options = {});

// Names of every rule, in the order they run (graphql-js's names, e.g. "ScalarLeafsRule").
std::span<const std::string_view> validation_rule_names();

}  // namespace orbit::graphql
