// Small helpers shared by the rules: message fragments worded as graphql-js words them.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/graphql/ast.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/graphql/schema/suggestion_list.h"

namespace orbit::graphql::validation {

// An AST type reference as graphql-js prints it: "[Int!]".
std::string ast_type_string(const Type* type);

// A value literal as graphql-js's printForError prints it.
std::string value_string(const Value* value);

// " Did you mean …?" for the options close to `input`; "" when hidden or there are none.
std::string suggest(bool hide, std::string_view input, std::span<const std::string_view> options,
                    std::string_view sub_message = {});

// "Type.field" / "<meta>.__type" as graphql-js's GraphQLField toString().
std::string field_coordinate(const TypeDef* parent, const FieldDef* field);

inline bool is_meta_field_name(std::string_view name) {
  return name == "__typename" || name == "__schema" || name == "__type";
}

// graphql-js's isRequiredArgument / isRequiredInputField.
inline bool is_required_input(const InputValueDef& def) {
  return def.type != nullptr && def.type->is_non_null() && def.default_value == nullptr;
}

}  // namespace orbit::graphql::validation
