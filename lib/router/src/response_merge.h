// Splicing pieces of JSON into the executor's response text without re-parsing it.
//
// The executor writes `{"data":…,"errors":[…]}` and leaves root introspection fields
// (`__schema`, `__type`) as null: the router answers them from the API schema and puts the
// values in here. Only the top level of `data` is scanned (strings and brackets skipped, no
// recursion), so a deep response costs one linear pass and no stack.
//
// Pure functions over strings; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace orbit::router {

struct JsonMemberSpan {
  std::string_view key;    // as written, without quotes (escapes not decoded)
  std::string_view value;  // the value's JSON text
};

// The members of the JSON object `text` (surrounding whitespace allowed). False when `text`
// is not an object or is malformed at the top level.
bool scan_object_members(std::string_view text, std::vector<JsonMemberSpan>* out);

// `response` with the members of `fields` (a JSON object: the root introspection fields)
// added to its `data` object, the data members written in the order of `order` (response
// keys; members missing from both are skipped, data members not listed follow at the end),
// and `extra_errors` (JSON texts of error objects) appended to its `errors`. A null `data`
// stays null. Returns `response` unchanged when it is not of the executor's shape.
std::string merge_root_fields(std::string_view response, std::string_view fields,
                              const std::vector<std::string_view>& order,
                              const std::vector<std::string>& extra_errors);

// Adds `"extensions":{<members>}` as the last member of the object `response`.
void append_extensions(std::string& response, std::string_view members);

}  // namespace orbit::router
