#include "rule_util.h"

#include "orbit/graphql/printer.h"

namespace orbit::graphql::validation {

std::string ast_type_string(const Type* type) {
  if (type == nullptr) return {};
  switch (type->kind) {
    case Kind::kNamedType: return std::string(type->as<NamedType>()->name.value);
    case Kind::kListType: return "[" + ast_type_string(type->as<ListType>()->type) + "]";
    case Kind::kNonNullType: return ast_type_string(type->as<NonNullType>()->type) + "!";
    default: return {};
  }
}

std::string value_string(const Value* value) {
  return print(*value);
}

std::string suggest(bool hide, std::string_view input, std::span<const std::string_view> options,
                    std::string_view sub_message) {
  if (hide) return {};
  std::vector<std::string_view> suggestions = suggestion_list(input, options);
  return did_you_mean(suggestions, sub_message);
}

std::string field_coordinate(const TypeDef* parent, const FieldDef* field) {
  std::string out;
  if (field->ast == nullptr && is_meta_field_name(field->name)) {
    out = "<meta>";
  } else if (parent != nullptr) {
    out = parent->name;
  }
  out += '.';
  out += field->name;
  return out;
}

}  // namespace orbit::graphql::validation
