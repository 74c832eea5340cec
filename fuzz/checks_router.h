// Properties of the router's other parsers of untrusted input: the GraphQL-over-HTTP request
// (body or URL, then the document, variables and normalization as the router runs them), and
// the config artifact a router loads from disk or from the CDN. Shared by the fuzz targets
// and fuzz_regression_test, like checks.h.
#pragma once

#include <string>
#include <string_view>

#include "checks.h"
#include "orbit/config/artifact.h"
#include "orbit/graphql/normalization/cache_key.h"
#include "orbit/graphql/normalization/normalize.h"
#include "orbit/graphql/normalization/select_operation.h"
#include "orbit/graphql/values/values.h"
#include "orbit/router/graphql_request.h"

namespace orbit::fuzz {

// The first byte picks the transport (odd: GET with the rest as the URL query; even: POST
// with the rest as a JSON body), the rest is the client's. Whatever reads must run through
// parse, validation, variable coercion and normalization without a crash, and every refusal
// must say why.
inline void check_graphql_request(std::string_view input) {
  using namespace orbit::graphql;
  if (input.empty()) return;
  net::HttpRequest request;
  const char mode = input[0];
  input.remove_prefix(1);
  if (mode % 2 == 1) {
    request.method = "GET";
    request.target = "/graphql?" + std::string(input);
  } else {
    request.method = "POST";
    request.target = "/graphql";
    request.headers.add("Content-Type",
                        mode % 4 == 0 ? "application/json" : "application/json; charset=utf-8");
    request.body = std::string(input);
  }
  Arena arena;
  router::GraphqlHttpRequest gql;
  router::RequestError error;
  if (!router::read_graphql_request(request, arena, &gql, &error)) {
    ORBIT_RELEASE_ASSERT(!error.message.empty());
    ORBIT_RELEASE_ASSERT(error.http_status >= 400 && error.http_status < 500);
    return;
  }
  ParseOptions options;
  options.allow_type_system = false;
  options.max_tokens = 20000;
  options.max_depth = 64;
  ParseResult parsed = parse(gql.query, arena, options);
  if (!parsed.ok()) return;
  ErrorReport report;
  validate(fuzz_schema(), *parsed.document, report);
  if (report.has_errors()) return;
  const OperationDefinition* op = select_operation(*parsed.document, gql.operation_name, report);
  if (op == nullptr) {
    ORBIT_RELEASE_ASSERT(report.has_errors());
    return;
  }
  const JsonValue* inputs = gql.variables.is_null() ? nullptr : &gql.variables;
  const JsonValue* variables = coerce_variable_values(fuzz_schema(), *op, inputs, arena, report);
  if (variables == nullptr) {
    ORBIT_RELEASE_ASSERT(report.has_errors());
    return;
  }
  NormalizeOptions normalize_options;
  normalize_options.keep_variable_conditions = true;
  NormalizedOperation normalized =
      normalize(fuzz_schema(), *parsed.document, *op, JsonConditionVariables(*variables), arena,
                report, normalize_options);
  if (!normalized.ok()) {
    ORBIT_RELEASE_ASSERT(report.has_errors());
    return;
  }
  // The plan cache key is a pure function of the operation.
  ORBIT_RELEASE_ASSERT(operation_cache_key(normalized) == operation_cache_key(normalized));
}

// A config artifact: refused with a message that names the source, or read, written and read
// back to the same text.
inline void check_artifact(std::string_view input) {
  Result<config::RouterArtifact> artifact = config::parse_artifact(input, "fuzz.json");
  if (!artifact.ok()) {
    ORBIT_RELEASE_ASSERT(artifact.status().message().starts_with("fuzz.json"));
    return;
  }
  std::string written = config::write_artifact(*artifact);
  Result<config::RouterArtifact> again = config::parse_artifact(written, "fuzz.json");
  ORBIT_RELEASE_ASSERT(again.ok());
  ORBIT_RELEASE_ASSERT(config::write_artifact(*again) == written);
}

}  // namespace orbit::fuzz
