// Changes between two versions of a subgraph's SDL, for the changelog and the breaking-change
// part of a schema check.
//
//   old: type Product { id: ID! weight: Int }      new: type Product { id: ID! name: String }
//   →   FIELD_ADDED Product.name (SAFE), FIELD_REMOVED Product.weight (BREAKING)
//
// The diff is lib/graphql's (graphql::diff_sdl: stable kind codes, BREAKING / DANGEROUS /
// SAFE by the variance of each position), on the two SDL texts built without validation —
// subgraph SDL uses federation directives it does not define. When a text cannot be built as
// a schema at all (a Federation 1 `extend type` without its base type, say), a structural
// comparison of the two documents is used instead: types, fields, arguments, enum values,
// union members and input fields, with the same kind codes and severities.
//
// Pure function: call on any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "orbit/registry/error.h"

namespace orbit::registry {

struct SchemaChange {
  std::string type;      // "FIELD_REMOVED", … (graphql::change_kind_code)
  std::string severity;  // "BREAKING", "DANGEROUS", "SAFE"
  std::string path;      // "Product", "Product.weight", "Product.price(currency:)", "Color.RED"
  std::string message;
  bool breaking = false;  // severity == "BREAKING"
};

// INVALID_ARGUMENT when either text does not parse (the message names `old_name` or
// `new_name`, line and column). Sorted by path, then type. An empty text is an empty schema.
Expected<std::vector<SchemaChange>> schema_changes(std::string_view old_sdl,
                                                   std::string_view new_sdl,
                                                   std::string_view old_name = "old schema",
                                                   std::string_view new_name = "new schema");

// Parses `sdl` only: INVALID_ARGUMENT "{name}: {line}:{column}: {message}" when it does not.
Outcome check_sdl_parses(std::string_view sdl, std::string_view name);

// [{"type","severity","path","message","breaking"}, …]
std::string changes_json(const std::vector<SchemaChange>& changes);

}  // namespace orbit::registry
