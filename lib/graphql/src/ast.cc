#include "orbit/graphql/ast.h"

namespace orbit::graphql {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::kDocument: return "Document";
    case Kind::kOperationDefinition: return "OperationDefinition";
    case Kind::kVariableDefinition: return "VariableDefinition";
    case Kind::kSelectionSet: return "SelectionSet";
    case Kind::kField: return "Field";
    case Kind::kArgument: return "Argument";
    case Kind::kFragmentSpread: return "FragmentSpread";
    case Kind::kInlineFragment: return "InlineFragment";
    case Kind::kFragmentDefinition: return "FragmentDefinition";
    case Kind::kVariable: return "Variable";
    case Kind::kIntValue: return "IntValue";
    case Kind::kFloatValue: return "FloatValue";
    case Kind::kStringValue: return "StringValue";
    case Kind::kBooleanValue: return "BooleanValue";
    case Kind::kNullValue: return "NullValue";
    case Kind::kEnumValue: return "EnumValue";
    case Kind::kListValue: return "ListValue";
    case Kind::kObjectValue: return "ObjectValue";
    case Kind::kObjectField: return "ObjectField";
    case Kind::kDirective: return "Directive";
    case Kind::kNamedType: return "NamedType";
    case Kind::kListType: return "ListType";
    case Kind::kNonNullType: return "NonNullType";
    case Kind::kSchemaDefinition: return "SchemaDefinition";
    case Kind::kOperationTypeDefinition: return "OperationTypeDefinition";
    case Kind::kScalarTypeDefinition: return "ScalarTypeDefinition";
    case Kind::kObjectTypeDefinition: return "ObjectTypeDefinition";
    case Kind::kFieldDefinition: return "FieldDefinition";
    case Kind::kInputValueDefinition: return "InputValueDefinition";
    case Kind::kInterfaceTypeDefinition: return "InterfaceTypeDefinition";
    case Kind::kUnionTypeDefinition: return "UnionTypeDefinition";
    case Kind::kEnumTypeDefinition: return "EnumTypeDefinition";
    case Kind::kEnumValueDefinition: return "EnumValueDefinition";
    case Kind::kInputObjectTypeDefinition: return "InputObjectTypeDefinition";
    case Kind::kDirectiveDefinition: return "DirectiveDefinition";
    case Kind::kSchemaExtension: return "SchemaExtension";
    case Kind::kScalarTypeExtension: return "ScalarTypeExtension";
    case Kind::kObjectTypeExtension: return "ObjectTypeExtension";
    case Kind::kInterfaceTypeExtension: return "InterfaceTypeExtension";
    case Kind::kUnionTypeExtension: return "UnionTypeExtension";
    case Kind::kEnumTypeExtension: return "EnumTypeExtension";
    case Kind::kInputObjectTypeExtension: return "InputObjectTypeExtension";
  }
  return "?";
}

std::string_view operation_type_name(OperationType op) {
  switch (op) {
    case OperationType::kQuery: return "query";
    case OperationType::kMutation: return "mutation";
    case OperationType::kSubscription: return "subscription";
  }
  return "query";
}

const NamedType* named_type_of(const Type* type) {
  while (type != nullptr) {
    switch (type->kind) {
      case Kind::kNamedType: return static_cast<const NamedType*>(type);
      case Kind::kListType: type = static_cast<const ListType*>(type)->type; break;
      case Kind::kNonNullType: type = static_cast<const NonNullType*>(type)->type; break;
      default: return nullptr;
    }
  }
  return nullptr;
}

}  // namespace orbit::graphql
