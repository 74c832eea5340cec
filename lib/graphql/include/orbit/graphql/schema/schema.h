// Schema: a GraphQL type system built from SDL, ready for validation, execution and
// planning.
//
// Consumes: one or more type-system Documents (ast.h). Produces: an immutable Schema whose
// types, fields and directives are resolved to pointers, with extensions merged into their
// definitions, the built-in scalars and directives added, and the introspection types
// (__Schema, __Type, …) present as in graphql-js.
//
// Lifecycle: Schema::build() parses and validates; on success the Schema owns its arena and
// every source text it was built from, so all string_views and AST pointers reachable from it
// stay valid for its lifetime. Immutable after build: safe to share across threads (the
// router holds it in a shared_ptr<const GraphSnapshot>).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"

namespace orbit::graphql {

enum class TypeKind : uint8_t { kScalar, kObject, kInterface, kUnion, kEnum, kInputObject };

struct TypeDef;

// A resolved type reference: `[Int!]!` is NonNull(List(NonNull(Named Int))).
struct TypeRef {
  enum class Wrap : uint8_t { kNamed, kList, kNonNull };
  Wrap wrap = Wrap::kNamed;
  const TypeRef* of_type = nullptr;  // for kList / kNonNull
  const TypeDef* named = nullptr;    // for kNamed

  bool is_non_null() const { return wrap == Wrap::kNonNull; }
  bool is_list() const { return wrap == Wrap::kList; }
  // The innermost named type.
  const TypeDef* named_type() const;
  // Without an outer non-null: `Int!` -> `Int`.
  const TypeRef* nullable() const { return is_non_null() ? of_type : this; }
  std::string to_string() const;  // "[Int!]!"
};

// An argument of a field or directive, or a field of an input object.
struct InputValueDef {
  std::string_view name;
  std::string_view description;
  const TypeRef* type = nullptr;
  const Value* default_value = nullptr;  // AST literal, null when there is none
  List<Directive> directives;
  std::string_view deprecation_reason;  // non-empty when @deprecated
  bool deprecated = false;
  const InputValueDefinition* ast = nullptr;
};

struct FieldDef {
  std::string_view name;
  std::string_view description;
  std::vector<InputValueDef> arguments;
  const TypeRef* type = nullptr;
  List<Directive> directives;
  std::string_view deprecation_reason;
  bool deprecated = false;
  const FieldDefinition* ast = nullptr;  // null for meta fields (__typename …)

  const InputValueDef* argument(std::string_view name) const;
};

struct EnumValueDef {
  std::string_view name;
  std::string_view description;
  List<Directive> directives;
  std::string_view deprecation_reason;
  bool deprecated = false;
  const EnumValueDefinition* ast = nullptr;
};

struct TypeDef {
  TypeKind kind = TypeKind::kScalar;
  std::string_view name;
  std::string_view description;
  // Directives applied on the definition and all its extensions, in source order.
  std::vector<const Directive*> directives;
  // The definition followed by its extensions (empty for built-in types).
  std::vector<const TypeDefinition*> ast_nodes;
  bool builtin = false;  // built-in scalar or introspection type

  // object / interface
  std::vector<FieldDef> fields;
  std::vector<const TypeDef*> interfaces;
  // union
  std::vector<const TypeDef*> members;
  // enum
  std::vector<EnumValueDef> enum_values;
  // input object
  std::vector<InputValueDef> input_fields;
  bool one_of = false;  // @oneOf input object
  // scalar
  std::string_view specified_by_url;

  // Derived at build: for a union, its member types in declaration order; for an interface,
  // the object types implementing it in the schema's type order (graphql-js
  // getPossibleTypes); for an object type, itself.
  std::vector<const TypeDef*> possible_types;
  // For an interface: the interfaces that implement it (for introspection and subtyping).
  std::vector<const TypeDef*> implementing_interfaces;

  bool is_composite() const {
    return kind == TypeKind::kObject || kind == TypeKind::kInterface || kind == TypeKind::kUnion;
  }
  bool is_abstract() const { return kind == TypeKind::kInterface || kind == TypeKind::kUnion; }
  bool is_leaf() const { return kind == TypeKind::kScalar || kind == TypeKind::kEnum; }
  bool is_input() const {
    return kind == TypeKind::kScalar || kind == TypeKind::kEnum || kind == TypeKind::kInputObject;
  }
  bool is_output() const { return kind != TypeKind::kInputObject; }

  // Field of an object/interface by name (no meta fields); null when unknown.
  const FieldDef* field(std::string_view name) const;
  const InputValueDef* input_field(std::string_view name) const;
  const EnumValueDef* enum_value(std::string_view name) const;
  bool has_directive(std::string_view name) const;
  // The first applied directive with that name (definition, then extensions); null if none.
  const Directive* directive(std::string_view name) const;

  // This type as a named TypeRef (owned by the schema; shared by every reference to it).
  const TypeRef* ref() const { return ref_; }

 private:
  friend class SchemaBuilder;
  friend class Schema;
  // Name -> index into fields / input_fields / enum_values, built when there are many.
  std::unordered_map<std::string_view, uint32_t> index_;
  const TypeRef* ref_ = nullptr;
  // Sorted by address, for fast membership tests: the possible object types, and the
  // possible types plus implementing interfaces (graphql-js isSubType).
  std::vector<const TypeDef*> possible_sorted_;
  std::vector<const TypeDef*> sub_types_sorted_;
};

enum class DirectiveLocation : uint8_t {
  // executable
  kQuery,
  kMutation,
  kSubscription,
  kField,
  kFragmentDefinition,
  kFragmentSpread,
  kInlineFragment,
  kVariableDefinition,
  // type system
  kSchema,
  kScalar,
  kObject,
  kFieldDefinition,
  kArgumentDefinition,
  kInterface,
  kUnion,
  kEnum,
  kEnumValue,
  kInputObject,
  kInputFieldDefinition,
  // graphql-js 17 additions (kept last so the values above stay stable)
  kFragmentVariableDefinition,
  kDirectiveDefinition,
};
std::string_view directive_location_name(DirectiveLocation loc);  // "FIELD_DEFINITION"
bool parse_directive_location(std::string_view name, DirectiveLocation* out);

struct DirectiveDef {
  std::string_view name;
  std::string_view description;
  std::vector<InputValueDef> arguments;
  std::vector<DirectiveLocation> locations;
  bool repeatable = false;
  bool builtin = false;
  const DirectiveDefinition* ast = nullptr;

  const InputValueDef* argument(std::string_view name) const;
  bool allowed_at(DirectiveLocation loc) const;
};

struct SchemaOptions {
  // Run the type-system validation of the spec (and graphql-js's validateSDL rules). Off only
  // for inputs that were validated before (a supergraph written by our own composition).
  bool validate = true;
  // Parse limits for each SDL text.
  uint32_t max_depth = 256;
};

class Schema {
 public:
  // Builds a schema from SDL texts (their definitions and extensions are merged as one
  // document). On failure returns null and fills `errors` with every problem found, each
  // with its location.
  static std::unique_ptr<Schema> build(std::span<const std::string_view> sdl_texts,
                                       ErrorReport& errors, const SchemaOptions& options = {});
  static std::unique_ptr<Schema> build(std::string_view sdl, ErrorReport& errors,
                                       const SchemaOptions& options = {}) {
    return build(std::span<const std::string_view>(&sdl, 1), errors, options);
  }

  ~Schema();
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  const TypeDef* type(std::string_view name) const;
  const DirectiveDef* directive(std::string_view name) const;
  // All named types in definition order (built-in scalars and introspection types included,
  // as graphql-js's getTypeMap()).
  const std::vector<const TypeDef*>& types() const { return types_; }
  const std::vector<const DirectiveDef*>& directives() const { return directives_; }

  const TypeDef* query_type() const { return query_; }
  const TypeDef* mutation_type() const { return mutation_; }
  const TypeDef* subscription_type() const { return subscription_; }
  const TypeDef* root_type(OperationType op) const;
  std::string_view description() const { return description_; }
  // Directives applied to the schema definition and its extensions.
  const std::vector<const Directive*>& schema_directives() const { return schema_directives_; }

  // Field lookup including the meta fields: __typename on every composite type, and
  // __schema / __type on the query type. Null when unknown.
  const FieldDef* field_def(const TypeDef* parent, std::string_view name) const;

  // `object` is one of the possible types of `abstract_type` (or is it, when not abstract).
  bool is_possible_type(const TypeDef* abstract_type, const TypeDef* object) const;
  // `maybe_sub` is `super` or implements/belongs to it (graphql-js isSubType).
  bool is_sub_type(const TypeDef* super, const TypeDef* maybe_sub) const;
  // Two composite types share at least one possible object type.
  bool types_overlap(const TypeDef* a, const TypeDef* b) const;
  // Type reference comparison and subtyping (graphql-js isEqualType / isTypeSubTypeOf).
  static bool equal_types(const TypeRef* a, const TypeRef* b);
  bool is_type_sub_type_of(const TypeRef* maybe_sub, const TypeRef* super) const;

  // Resolves an AST type reference against this schema (null if a named type is unknown).
  // The result lives in `arena` (or in the schema when arena is null and it is built-in).
  const TypeRef* resolve_type(const Type* ast_type, Arena& arena) const;

  // The source texts the schema was built from, as given.
  const std::vector<std::string>& sources() const { return sources_; }

 private:
  friend class SchemaBuilder;
  Schema();

  Arena arena_;
  std::vector<std::string> sources_;
  std::vector<const Document*> documents_;
  std::vector<std::unique_ptr<TypeDef>> owned_types_;
  std::vector<std::unique_ptr<DirectiveDef>> owned_directives_;
  std::vector<const TypeDef*> types_;
  std::vector<const DirectiveDef*> directives_;
  std::unordered_map<std::string_view, const TypeDef*> type_map_;
  std::unordered_map<std::string_view, const DirectiveDef*> directive_map_;
  const TypeDef* query_ = nullptr;
  const TypeDef* mutation_ = nullptr;
  const TypeDef* subscription_ = nullptr;
  std::string_view description_;
  std::vector<const Directive*> schema_directives_;
  // Meta fields, shared by every type.
  FieldDef typename_field_;
  FieldDef schema_field_;
  FieldDef type_field_;
};

}  // namespace orbit::graphql
