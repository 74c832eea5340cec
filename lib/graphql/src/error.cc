#include "orbit/graphql/error.h"

namespace orbit::graphql {

void GraphqlError::write_json(JsonWriter& w) const {
  w.begin_object();
  w.key("message").string(message);
  if (!locations.empty()) {
    w.key("locations").begin_array();
    for (const SourceLocation& l : locations) {
      w.begin_object().key("line").integer(l.line).key("column").integer(l.column).end_object();
    }
    w.end_array();
  }
  if (!path.empty()) {
    w.key("path").begin_array();
    for (const PathElement& p : path) {
      if (p.is_index()) {
        w.integer(p.index);
      } else {
        w.string(p.key);
      }
    }
    w.end_array();
  }
  if (code != ErrorCode::kOk || !extra_extensions.empty()) {
    w.key("extensions").begin_object();
    if (code != ErrorCode::kOk) w.key("code").string(error_code_name(code));
    if (!extra_extensions.empty()) {
      if (code != ErrorCode::kOk) w.out() += ',';
      w.out() += extra_extensions;
    }
    w.end_object();
  }
  w.end_object();
}

std::string GraphqlError::to_json() const {
  std::string out;
  JsonWriter w(out);
  write_json(w);
  return out;
}

void ErrorReport::write_json(JsonWriter& w) const {
  w.begin_array();
  for (const GraphqlError& e : errors_)
    e.write_json(w);
  for (size_t i = 0; i < internal_.size(); ++i) {
    w.begin_object()
        .key("message")
        .string("Internal server error")
        .key("extensions")
        .begin_object()
        .key("code")
        .string(error_code_name(ErrorCode::kInternal))
        .end_object()
        .end_object();
  }
  w.end_array();
}

}  // namespace orbit::graphql
