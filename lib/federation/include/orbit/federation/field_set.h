// Field sets: the selection strings of @key(fields:), @requires(fields:) and
// @provides(fields:) (join__FieldSet in a supergraph), e.g. "sku variation { id }".
//
// parse_field_set() parses one into a selection set and checks it against its parent type:
// every field exists (by name; __typename allowed), leaf fields have no selection, composite
// fields have one, inline fragments name a type that overlaps the parent, and no aliases,
// fragment spreads, variables or directives are used. Stateless and thread-safe; the result
// lives in the given arena.
#pragma once

#include <string>
#include <string_view>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::federation {

struct FieldSetParse {
  const graphql::SelectionSet* selection_set = nullptr;  // null on error
  std::string error;  // why it was rejected, e.g. "field \"Product.nope\" does not exist"
};

FieldSetParse parse_field_set(std::string_view text, const graphql::TypeDef* parent,
                              const graphql::Schema& schema, Arena& arena);

}  // namespace orbit::federation
