// GraphQL over HTTP, the transport half: an HttpRequest -> the GraphQL request it carries,
// and the media type of the answer (GraphQL-over-HTTP specification, 2025 draft).
//
//   POST /graphql  Content-Type: application/json   {"query", "operationName", "variables",
//                                                    "extensions"}
//   GET  /graphql?query=…&operationName=…&variables=<JSON>&extensions=<JSON>
//
// Answers are `application/graphql-response+json` when the client's Accept header prefers it
// and `application/json` otherwise (also when there is no Accept header: older clients).
//
// Pure functions; thread-safe. Strings of the result live in the caller's Arena.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "orbit/base/arena.h"
#include "orbit/base/error_code.h"
#include "orbit/base/json.h"
#include "orbit/net/http_server.h"

namespace orbit::router {

enum class MediaType : uint8_t { kGraphqlResponseJson, kJson };

inline constexpr std::string_view kGraphqlResponseJson = "application/graphql-response+json";
inline constexpr std::string_view kApplicationJson = "application/json";

std::string_view media_type_name(MediaType type);

// The answer's media type for an Accept header (absent: application/json). Media ranges with
// q-values are honoured (q=0 excludes); at equal q the GraphQL response type wins. nullopt
// when the client accepts neither (the caller answers 406).
std::optional<MediaType> negotiate_media_type(std::optional<std::string_view> accept);

struct GraphqlHttpRequest {
  bool is_get = false;
  std::string_view query;                          // may be empty only with a persisted query
  std::optional<std::string_view> operation_name;  // absent, null and "" are all "not given"
  JsonValue variables;                             // an object, or null when not given
  JsonValue extensions;                            // an object, or null when not given
};

// Why a request is not a well-formed GraphQL-over-HTTP request.
struct RequestError {
  int http_status = 400;  // 400, 405 (method), 415 (content type)
  ErrorCode code = ErrorCode::kBadRequest;
  std::string message;
};

struct RequestReadOptions {
  // Nesting of the JSON body and of the variables / extensions parameters.
  uint32_t max_json_depth = 128;
};

// Reads the GraphQL request of a POST or GET. Returns false and fills `error` when the
// request is malformed: method other than GET/POST (405), POST without a JSON content type
// (415), body or parameter not valid JSON or not an object, `query` missing or not a string,
// `operationName` not a string, `variables` / `extensions` not objects.
bool read_graphql_request(const net::HttpRequest& request, Arena& arena, GraphqlHttpRequest* out,
                          RequestError* error, const RequestReadOptions& options = {});

// Decodes an application/x-www-form-urlencoded component ('+' is a space, %XX a byte).
// False on a malformed escape.
bool url_decode(std::string_view in, std::string* out);

}  // namespace orbit::router
