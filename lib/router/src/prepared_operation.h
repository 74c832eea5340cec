// PreparedOperation: a request's document after parse, validation, operation selection and
// normalization, with its plan — what the router keeps per (document text, operation name)
// in GraphSnapshot::operation_cache(), so that a repeated request goes straight to variable
// coercion and execution.
//
// Normalization keeps @skip/@include on variables (keep_variable_conditions), so the entry
// holds for any variable values; `condition_variables` are the variables those conditions
// read, whose values each request must still check (a Boolean, not null). Only documents
// that went all the way (valid, operation found, planned) are kept: an invalid document costs
// its parse and validation every time, as it would without the cache, and cannot fill it.
//
// Immutable once in the cache and shared by every loop; the AST points into `text` and
// `arena`, and the plan into the snapshot's supergraph (the cache belongs to the snapshot).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/normalization/normalize.h"
#include "orbit/planner/query_plan.h"

namespace orbit::router {

struct PreparedOperation {
  std::string text;                           // the document, as the client sent it
  std::optional<std::string> operation_name;  // as the client gave it (absent = not given)
  Arena arena{16 * 1024};
  const graphql::Document* document = nullptr;
  const graphql::OperationDefinition* operation = nullptr;  // as selected, not normalized
  graphql::NormalizedOperation normalized;
  // The normalized operation without root introspection fields: what is planned and executed.
  const graphql::OperationDefinition* executable = nullptr;
  bool has_introspection = false;
  bool introspection_only = false;  // nothing to plan: `plan` is null
  std::vector<std::string_view> condition_variables;
  // Hex SHA-256 of the canonical normalized operation (RequestRecord::operation_hash).
  std::string operation_hash;
  std::shared_ptr<const planner::QueryPlan> plan;

  bool matches(std::optional<std::string_view> name) const {
    return operation_name.has_value() == name.has_value() &&
           (!name.has_value() || *operation_name == *name);
  }
  // What the cache counts against its byte budget.
  size_t bytes() const { return text.size() + arena.bytes_reserved(); }
};

// The operation cache's key hash for a request: its document text and operation name.
uint64_t prepared_operation_hash(std::string_view text, std::optional<std::string_view> name);

}  // namespace orbit::router
