// Stable error codes of Orbit: one table for every library.
//
// A code's name and number never change once released; they reach users in
// `extensions.code` of GraphQL errors, in logs and in CLI output. Add new codes at the end
// of their group.
#pragma once

#include <cstdint>
#include <string_view>

namespace orbit {

// X(Name, number, "EXTERNAL_NAME")
#define ORBIT_ERROR_CODES(X)                                            \
  X(kOk, 0, "OK")                                                       \
  X(kInternal, 1, "INTERNAL_SERVER_ERROR")                              \
  X(kInvalidArgument, 2, "INVALID_ARGUMENT")                            \
  X(kNotFound, 3, "NOT_FOUND")                                          \
  X(kLimitExceeded, 4, "LIMIT_EXCEEDED")                                \
  X(kIo, 5, "IO_ERROR")                                                 \
  X(kUnavailable, 6, "UNAVAILABLE")                                     \
  X(kTimeout, 7, "TIMEOUT")                                             \
  /* GraphQL language and operation errors (100..199) */                \
  X(kGraphqlParseFailed, 100, "GRAPHQL_PARSE_FAILED")                   \
  X(kGraphqlValidationFailed, 101, "GRAPHQL_VALIDATION_FAILED")         \
  X(kBadUserInput, 102, "BAD_USER_INPUT")                               \
  X(kOperationNotFound, 103, "OPERATION_NOT_FOUND")                     \
  X(kOperationNameRequired, 104, "OPERATION_NAME_REQUIRED")             \
  X(kDocumentTooLarge, 105, "DOCUMENT_TOO_LARGE")                       \
  X(kTooManyTokens, 106, "TOO_MANY_TOKENS")                             \
  X(kMaxDepthExceeded, 107, "MAX_DEPTH_EXCEEDED")                       \
  X(kTooManyAliases, 108, "TOO_MANY_ALIASES")                           \
  X(kTooManyDirectives, 109, "TOO_MANY_DIRECTIVES")                     \
  X(kInvalidSchema, 110, "INVALID_SCHEMA")                              \
  X(kVariableCoercionFailed, 111, "VARIABLE_COERCION_FAILED")           \
  X(kIntrospectionFailed, 112, "INTROSPECTION_FAILED")                  \
  /* Federation (200..299) */                                           \
  X(kInvalidSupergraph, 200, "INVALID_SUPERGRAPH")                      \
  /* Query planning (300..399) */                                       \
  X(kQueryPlanningFailed, 300, "QUERY_PLANNING_FAILED")                 \
  /* Execution: subgraph fetches and their answers (400..499) */        \
  X(kSubrequestHttpError, 400, "SUBREQUEST_HTTP_ERROR")                 \
  X(kSubrequestTimeout, 401, "SUBREQUEST_TIMEOUT")                      \
  X(kSubrequestMalformedResponse, 402, "SUBREQUEST_MALFORMED_RESPONSE") \
  X(kDownstreamServiceError, 403, "DOWNSTREAM_SERVICE_ERROR")           \
  /* Router: GraphQL over HTTP (500..599) */                            \
  X(kBadRequest, 500, "BAD_REQUEST")                                    \
  X(kMethodNotAllowed, 501, "METHOD_NOT_ALLOWED")                       \
  X(kPersistedQueryNotSupported, 502, "PERSISTED_QUERY_NOT_SUPPORTED")  \
  X(kOperationNotSupported, 503, "OPERATION_NOT_SUPPORTED")

enum class ErrorCode : uint16_t {
#define ORBIT_X(name, num, ext) name = num,
  ORBIT_ERROR_CODES(ORBIT_X)
#undef ORBIT_X
};

// The name users see, e.g. "GRAPHQL_PARSE_FAILED".
std::string_view error_code_name(ErrorCode code);

}  // namespace orbit
