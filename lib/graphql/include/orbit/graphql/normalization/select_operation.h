// select_operation: picks the operation of a request's document to execute (the spec's
// GetOperation(document, operationName)).
//
// Consumes: a parsed Document and the request's operationName. Produces: the
// OperationDefinition to normalize, or one error in graphql-js's words:
//   operation_name given, no operation has it:  Unknown operation named "x".
//   no name given, several operations:         Must provide operation name if query contains
//                                               multiple operations.
//   no operation at all (only fragments):      Must provide an operation.
// An empty name ("") counts as given, as in graphql-js; a transport that wants to treat
// `"operationName": ""` as absent maps it to std::nullopt itself.
//
// Pure function of its arguments; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"

namespace orbit::graphql {

// Returns null after adding the error to `report`.
const OperationDefinition* select_operation(const Document& document,
                                            std::optional<std::string_view> operation_name,
                                            ErrorReport& report);

}  // namespace orbit::graphql
