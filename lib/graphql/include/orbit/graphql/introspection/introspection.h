// Introspection: answers the meta fields __schema, __type(name:) and __typename at the root
// of an operation from a Schema, without any resolver: the router serves introspection
// itself, the planner never sends it to subgraphs.
//
// Consumes: a Schema, the request Document (for fragments), the selected operation and its
// coerced variables (values/values.h). Produces: JSON written with a JsonWriter, equal to what
// graphql-js 17 execute() returns for the same schema and operation (types in Schema::types()
// order, includeDeprecated filtering, defaultValue printed with print(), …).
//
// Root fields that are not introspection fields are left out: the caller merges them with
// the planner's result. Fields are collected as graphql-js's collectFields does (aliases,
// fragments, inline fragments, @skip/@include, merging by response key).
//
// Expects a validated operation. Errors that can still happen (an argument whose variable
// has a wrong runtime value) are added to `errors` with their path, the field is null.
// Thread-safe: only reads the Schema; scratch data lives in the given Arena.
#pragma once

#include <string>
#include <string_view>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::graphql {

struct IntrospectionRequest {
  const Schema* schema = nullptr;
  const Document* document = nullptr;  // for fragment definitions
  const OperationDefinition* operation = nullptr;
  const JsonValue* variables = nullptr;  // coerced variables (an object), or null
};

// "__schema", "__type" or "__typename".
bool is_introspection_field(std::string_view name);

// Writes `"key":value` members for the root introspection fields of the operation into the
// JSON object the caller has open on `out` (so that they can sit beside other fields).
// Returns the number of members written.
size_t write_introspection_fields(const IntrospectionRequest& request, Arena& arena,
                                  JsonWriter& out, ErrorReport& errors);

// The whole `data` object of an operation made of introspection fields only.
std::string execute_introspection(const IntrospectionRequest& request, Arena& arena,
                                  ErrorReport& errors);

}  // namespace orbit::graphql
