// The GraphQL abstract syntax tree (executable and type-system documents).
//
// Lifecycle: every node lives in an Arena (orbit/base/arena.h) owned by whoever called the
// parser; names and unescaped string values are views into either the source text or that
// arena. The source text and the arena must outlive the tree. Nodes have no destructors
// worth running; dropping the arena frees the tree.
//
// Threading: a finished tree is immutable by convention and may be read from any number of
// threads. Transforms (normalization) build new nodes in an arena instead of editing.
//
// Shape: the node kinds and their fields follow the GraphQL specification (and graphql-js's
// AST, so that printing and error locations can be compared with it). Absent optional parts
// are null pointers / empty names / empty lists; the parser never produces empty lists
// where the grammar requires at least one item.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace orbit::graphql {

// Position of the first character of a node in the source. Lines and columns are 1-based;
// columns count UTF-16 code units (as graphql-js does) so locations agree with JS tools.
struct Location {
  uint32_t offset = 0;  // byte offset into the source
  uint32_t line = 0;
  uint32_t column = 0;
};

enum class Kind : uint8_t {
  kDocument,
  // executable
  kOperationDefinition,
  kVariableDefinition,
  kSelectionSet,
  kField,
  kArgument,
  kFragmentSpread,
  kInlineFragment,
  kFragmentDefinition,
  // values
  kVariable,
  kIntValue,
  kFloatValue,
  kStringValue,
  kBooleanValue,
  kNullValue,
  kEnumValue,
  kListValue,
  kObjectValue,
  kObjectField,
  kDirective,
  // type references
  kNamedType,
  kListType,
  kNonNullType,
  // type system
  kSchemaDefinition,
  kOperationTypeDefinition,
  kScalarTypeDefinition,
  kObjectTypeDefinition,
  kFieldDefinition,
  kInputValueDefinition,
  kInterfaceTypeDefinition,
  kUnionTypeDefinition,
  kEnumTypeDefinition,
  kEnumValueDefinition,
  kInputObjectTypeDefinition,
  kDirectiveDefinition,
  // type system extensions
  kSchemaExtension,
  kScalarTypeExtension,
  kObjectTypeExtension,
  kInterfaceTypeExtension,
  kUnionTypeExtension,
  kEnumTypeExtension,
  kInputObjectTypeExtension,
};

std::string_view kind_name(Kind kind);

// A list of child nodes, stored in the arena.
template <typename T>
using List = std::span<T* const>;

struct Node {
  Kind kind;
  Location loc;

  explicit Node(Kind k) : kind(k) {}

  template <typename T>
  T* as() {
    return static_cast<T*>(this);
  }
  template <typename T>
  const T* as() const {
    return static_cast<const T*>(this);
  }
};

// A name with its own location (graphql-js's NameNode). `value` is empty when absent.
struct Name {
  std::string_view value;
  Location loc;

  bool empty() const { return value.empty(); }
};

enum class OperationType : uint8_t { kQuery, kMutation, kSubscription };
std::string_view operation_type_name(OperationType op);  // "query", "mutation", "subscription"

// ---- values -------------------------------------------------------------------------------

struct Value : Node {
  using Node::Node;
};

struct Variable : Value {
  Variable() : Value(Kind::kVariable) {}
  Name name;
};

struct IntValue : Value {
  IntValue() : Value(Kind::kIntValue) {}
  std::string_view value;  // the lexeme, e.g. "-12"
};

struct FloatValue : Value {
  FloatValue() : Value(Kind::kFloatValue) {}
  std::string_view value;  // the lexeme, e.g. "1.5e3"
};

struct StringValue : Value {
  StringValue() : Value(Kind::kStringValue) {}
  std::string_view value;  // unescaped (block strings: after the indentation algorithm)
  bool block = false;
};

struct BooleanValue : Value {
  BooleanValue() : Value(Kind::kBooleanValue) {}
  bool value = false;
};

struct NullValue : Value {
  NullValue() : Value(Kind::kNullValue) {}
};

struct EnumValue : Value {
  EnumValue() : Value(Kind::kEnumValue) {}
  std::string_view value;
};

struct ListValue : Value {
  ListValue() : Value(Kind::kListValue) {}
  List<Value> values;
};

struct ObjectField : Node {
  ObjectField() : Node(Kind::kObjectField) {}
  Name name;
  Value* value = nullptr;
};

struct ObjectValue : Value {
  ObjectValue() : Value(Kind::kObjectValue) {}
  List<ObjectField> fields;
};

struct Argument : Node {
  Argument() : Node(Kind::kArgument) {}
  Name name;
  Value* value = nullptr;
};

struct Directive : Node {
  Directive() : Node(Kind::kDirective) {}
  Name name;
  List<Argument> arguments;
};

// ---- type references ----------------------------------------------------------------------

struct Type : Node {
  using Node::Node;
};

struct NamedType : Type {
  NamedType() : Type(Kind::kNamedType) {}
  Name name;
};

struct ListType : Type {
  ListType() : Type(Kind::kListType) {}
  Type* type = nullptr;
};

struct NonNullType : Type {
  NonNullType() : Type(Kind::kNonNullType) {}
  Type* type = nullptr;  // a NamedType or ListType
};

// ---- executable definitions ---------------------------------------------------------------

struct Selection : Node {
  using Node::Node;
  List<Directive> directives;
};

struct SelectionSet : Node {
  SelectionSet() : Node(Kind::kSelectionSet) {}
  List<Selection> selections;
};

struct Field : Selection {
  Field() : Selection(Kind::kField) {}
  Name alias;  // empty when there is none
  Name name;
  List<Argument> arguments;
  SelectionSet* selection_set = nullptr;  // null for leaf fields

  std::string_view response_key() const { return alias.empty() ? name.value : alias.value; }
};

struct FragmentSpread : Selection {
  FragmentSpread() : Selection(Kind::kFragmentSpread) {}
  Name name;
};

struct InlineFragment : Selection {
  InlineFragment() : Selection(Kind::kInlineFragment) {}
  NamedType* type_condition = nullptr;  // null when absent
  SelectionSet* selection_set = nullptr;
};

struct Definition : Node {
  using Node::Node;
};

struct VariableDefinition : Node {
  VariableDefinition() : Node(Kind::kVariableDefinition) {}
  StringValue* description = nullptr;
  Variable* variable = nullptr;
  Type* type = nullptr;
  Value* default_value = nullptr;  // a constant value, or null
  List<Directive> directives;
};

struct OperationDefinition : Definition {
  OperationDefinition() : Definition(Kind::kOperationDefinition) {}
  OperationType operation = OperationType::kQuery;
  StringValue* description = nullptr;
  Name name;  // empty for anonymous operations
  List<VariableDefinition> variable_definitions;
  List<Directive> directives;
  SelectionSet* selection_set = nullptr;
};

struct FragmentDefinition : Definition {
  FragmentDefinition() : Definition(Kind::kFragmentDefinition) {}
  StringValue* description = nullptr;
  Name name;
  NamedType* type_condition = nullptr;
  List<Directive> directives;
  SelectionSet* selection_set = nullptr;
};

// ---- type system --------------------------------------------------------------------------

struct OperationTypeDefinition : Node {
  OperationTypeDefinition() : Node(Kind::kOperationTypeDefinition) {}
  OperationType operation = OperationType::kQuery;
  NamedType* type = nullptr;
};

// kSchemaDefinition or kSchemaExtension (extensions have no description).
struct SchemaDefinition : Definition {
  explicit SchemaDefinition(Kind k) : Definition(k) {}
  StringValue* description = nullptr;
  List<Directive> directives;
  List<OperationTypeDefinition> operation_types;

  bool is_extension() const { return kind == Kind::kSchemaExtension; }
};

struct InputValueDefinition : Node {
  InputValueDefinition() : Node(Kind::kInputValueDefinition) {}
  StringValue* description = nullptr;
  Name name;
  Type* type = nullptr;
  Value* default_value = nullptr;
  List<Directive> directives;
};

struct FieldDefinition : Node {
  FieldDefinition() : Node(Kind::kFieldDefinition) {}
  StringValue* description = nullptr;
  Name name;
  List<InputValueDefinition> arguments;
  Type* type = nullptr;
  List<Directive> directives;
};

struct EnumValueDefinition : Node {
  EnumValueDefinition() : Node(Kind::kEnumValueDefinition) {}
  StringValue* description = nullptr;
  Name name;
  List<Directive> directives;
};

// Common part of the six named type definitions and their extensions. The kind tells which
// one; extensions never have a description.
struct TypeDefinition : Definition {
  using Definition::Definition;
  StringValue* description = nullptr;
  Name name;
  List<Directive> directives;

  bool is_extension() const { return kind >= Kind::kScalarTypeExtension; }
};

// kScalarTypeDefinition / kScalarTypeExtension
struct ScalarTypeDefinition : TypeDefinition {
  explicit ScalarTypeDefinition(Kind k) : TypeDefinition(k) {}
};

// kObjectTypeDefinition / kObjectTypeExtension / kInterfaceTypeDefinition /
// kInterfaceTypeExtension: objects and interfaces have the same shape.
struct ObjectTypeDefinition : TypeDefinition {
  explicit ObjectTypeDefinition(Kind k) : TypeDefinition(k) {}
  List<NamedType> interfaces;
  List<FieldDefinition> fields;

  bool is_interface() const {
    return kind == Kind::kInterfaceTypeDefinition || kind == Kind::kInterfaceTypeExtension;
  }
};
using InterfaceTypeDefinition = ObjectTypeDefinition;

// kUnionTypeDefinition / kUnionTypeExtension
struct UnionTypeDefinition : TypeDefinition {
  explicit UnionTypeDefinition(Kind k) : TypeDefinition(k) {}
  List<NamedType> types;
};

// kEnumTypeDefinition / kEnumTypeExtension
struct EnumTypeDefinition : TypeDefinition {
  explicit EnumTypeDefinition(Kind k) : TypeDefinition(k) {}
  List<EnumValueDefinition> values;
};

// kInputObjectTypeDefinition / kInputObjectTypeExtension
struct InputObjectTypeDefinition : TypeDefinition {
  explicit InputObjectTypeDefinition(Kind k) : TypeDefinition(k) {}
  List<InputValueDefinition> fields;
};

struct DirectiveDefinition : Definition {
  DirectiveDefinition() : Definition(Kind::kDirectiveDefinition) {}
  StringValue* description = nullptr;
  Name name;
  List<InputValueDefinition> arguments;
  bool repeatable = false;
  std::span<const Name> locations;
};

struct Document : Node {
  Document() : Node(Kind::kDocument) {}
  List<Definition> definitions;
};

// True for the kinds that may appear in an executable document.
inline bool is_executable_definition(Kind k) {
  return k == Kind::kOperationDefinition || k == Kind::kFragmentDefinition;
}
inline bool is_type_definition(Kind k) {
  return k == Kind::kScalarTypeDefinition || k == Kind::kObjectTypeDefinition ||
         k == Kind::kInterfaceTypeDefinition || k == Kind::kUnionTypeDefinition ||
         k == Kind::kEnumTypeDefinition || k == Kind::kInputObjectTypeDefinition;
}
inline bool is_type_extension(Kind k) {
  return k >= Kind::kScalarTypeExtension && k <= Kind::kInputObjectTypeExtension;
}

// The innermost named type of a type reference: `[Int!]!` -> `Int`.
const NamedType* named_type_of(const Type* type);

}  // namespace orbit::graphql
