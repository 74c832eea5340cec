// Changes between two versions of a subgraph's SDL, for the changelog and the breaking-change
// part of a schema check: types, fields, arguments, enum values, union members and input
// fields added, removed or changed. Extensions (`extend type`) count as part of their type.
//
//   old: type Product { id: ID! weight: Int }      new: type Product { id: ID! name: String }
//   →   FIELD_ADDED Product.name (safe), FIELD_REMOVED Product.weight (breaking)
//
// Breaking is judged for clients of the API: removing anything, changing a kind, changing a
// field's type (except making an output type non-null), adding a required argument or input
// field, making an argument or input field stricter.
//
// Pure function: call on any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "orbit/registry/error.h"

namespace orbit::registry {

struct SchemaChange {
  std::string type;  // "FIELD_REMOVED", … (docs/api.md)
  std::string path;  // "Product", "Product.weight", "Product.price(currency:)", "Color.RED"
  std::string message;
  bool breaking = false;
};

// INVALID_ARGUMENT when either text does not parse (the message names `old_name` or
// `new_name`, line and column). Sorted by path, then type.
Expected<std::vector<SchemaChange>> schema_changes(std::string_view old_sdl,
                                                   std::string_view new_sdl,
                                                   std::string_view old_name = "old schema",
                                                   std::string_view new_name = "new schema");

// Parses `sdl` only: INVALID_ARGUMENT "{name}: {line}:{column}: {message}" when it does not.
Outcome check_sdl_parses(std::string_view sdl, std::string_view name);

// [{"type","path","message","breaking"}, …]
std::string changes_json(const std::vector<SchemaChange>& changes);

}  // namespace orbit::registry
