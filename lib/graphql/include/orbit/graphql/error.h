// GraphQL errors as clients see them, and the report that collects them.
//
// ErrorReport keeps user-visible errors (message, locations, path, extensions.code) apart
// from internal ones (a Status that is logged, never shown in detail to clients). Not
// thread-safe; one report per request or per validation run.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/error_code.h"
#include "orbit/base/json_writer.h"
#include "orbit/base/status.h"
#include "orbit/graphql/ast.h"

namespace orbit::graphql {

struct SourceLocation {
  uint32_t line = 0;
  uint32_t column = 0;
  bool operator==(const SourceLocation&) const = default;
};

// One element of a response path: a field's response key, or a list index (when key is empty
// and index >= 0).
struct PathElement {
  std::string key;
  int64_t index = -1;

  static PathElement field(std::string_view k) { return PathElement{std::string(k), -1}; }
  static PathElement list_index(int64_t i) { return PathElement{std::string(), i}; }
  bool is_index() const { return index >= 0; }
  bool operator==(const PathElement&) const = default;
};

struct GraphqlError {
  std::string message;
  std::vector<SourceLocation> locations;
  std::vector<PathElement> path;
  ErrorCode code = ErrorCode::kOk;  // kOk: no extensions.code is written
  // Which check produced the error, e.g. a validation rule's name ("KnownTypeNamesRule").
  // For tests and logs; never sent to clients.
  std::string_view origin;
  // Extra members of `extensions` as serialized JSON object members without braces,
  // e.g. "\"serviceName\":\"products\"". Empty when none.
  std::string extra_extensions;

  // Writes {"message":…,"locations":[…],"path":[…],"extensions":{…}}.
  void write_json(JsonWriter& w) const;
  std::string to_json() const;
};

inline SourceLocation to_source_location(const Location& loc) {
  return {loc.line, loc.column};
}

class ErrorReport {
 public:
  GraphqlError& add(std::string message, ErrorCode code = ErrorCode::kOk) {
    errors_.push_back(GraphqlError{std::move(message), {}, {}, code, {}, {}});
    return errors_.back();
  }
  GraphqlError& add_at(std::string message, Location loc, ErrorCode code = ErrorCode::kOk) {
    GraphqlError& e = add(std::move(message), code);
    e.locations.push_back(to_source_location(loc));
    return e;
  }
  void add(GraphqlError error) { errors_.push_back(std::move(error)); }
  void add_internal(Status status) { internal_.push_back(std::move(status)); }

  bool has_errors() const { return !errors_.empty() || !internal_.empty(); }
  const std::vector<GraphqlError>& errors() const { return errors_; }
  std::vector<GraphqlError>& errors() { return errors_; }
  const std::vector<Status>& internal_errors() const { return internal_; }
  void clear() {
    errors_.clear();
    internal_.clear();
  }

  // Writes the "errors" array of a response: user errors, then one generic error per
  // internal error (details are not exposed).
  void write_json(JsonWriter& w) const;

 private:
  std::vector<GraphqlError> errors_;
  std::vector<Status> internal_;
};

}  // namespace orbit::graphql
