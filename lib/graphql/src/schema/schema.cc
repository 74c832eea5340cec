// Read-only queries on a built Schema: lookups, meta fields and the subtyping helpers.
#include "orbit/graphql/schema/schema.h"

#include <algorithm>
#include <array>

namespace orbit::graphql {
namespace {

// Above this many members a type gets a name index (see SchemaBuilder); below, a linear scan
// over a few string_views is faster than hashing.
template <typename Item>
const Item* find_member(const std::vector<Item>& items,
                        const std::unordered_map<std::string_view, uint32_t>& index,
                        std::string_view name) {
  if (!index.empty()) {
    auto it = index.find(name);
    return it == index.end() ? nullptr : &items[it->second];
  }
  for (const Item& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

bool sorted_contains(const std::vector<const TypeDef*>& sorted, const TypeDef* t) {
  return std::binary_search(sorted.begin(), sorted.end(), t);
}

struct LocationName {
  DirectiveLocation loc;
  std::string_view name;
};

constexpr std::array<LocationName, 21> kLocationNames = {{
    {DirectiveLocation::kQuery, "QUERY"},
    {DirectiveLocation::kMutation, "MUTATION"},
    {DirectiveLocation::kSubscription, "SUBSCRIPTION"},
    {DirectiveLocation::kField, "FIELD"},
    {DirectiveLocation::kFragmentDefinition, "FRAGMENT_DEFINITION"},
    {DirectiveLocation::kFragmentSpread, "FRAGMENT_SPREAD"},
    {DirectiveLocation::kInlineFragment, "INLINE_FRAGMENT"},
    {DirectiveLocation::kVariableDefinition, "VARIABLE_DEFINITION"},
    {DirectiveLocation::kSchema, "SCHEMA"},
    {DirectiveLocation::kScalar, "SCALAR"},
    {DirectiveLocation::kObject, "OBJECT"},
    {DirectiveLocation::kFieldDefinition, "FIELD_DEFINITION"},
    {DirectiveLocation::kArgumentDefinition, "ARGUMENT_DEFINITION"},
    {DirectiveLocation::kInterface, "INTERFACE"},
    {DirectiveLocation::kUnion, "UNION"},
    {DirectiveLocation::kEnum, "ENUM"},
    {DirectiveLocation::kEnumValue, "ENUM_VALUE"},
    {DirectiveLocation::kInputObject, "INPUT_OBJECT"},
    {DirectiveLocation::kInputFieldDefinition, "INPUT_FIELD_DEFINITION"},
    {DirectiveLocation::kFragmentVariableDefinition, "FRAGMENT_VARIABLE_DEFINITION"},
    {DirectiveLocation::kDirectiveDefinition, "DIRECTIVE_DEFINITION"},
}};

void append_type(const TypeRef* t, std::string& out) {
  switch (t->wrap) {
    case TypeRef::Wrap::kNamed: out += t->named->name; return;
    case TypeRef::Wrap::kList:
      out += '[';
      append_type(t->of_type, out);
      out += ']';
      return;
    case TypeRef::Wrap::kNonNull:
      append_type(t->of_type, out);
      out += '!';
      return;
  }
}

}  // namespace

// ---- TypeRef ------------------------------------------------------------------------------

const TypeDef* TypeRef::named_type() const {
  const TypeRef* t = this;
  while (t->wrap != Wrap::kNamed)
    t = t->of_type;
  return t->named;
}

std::string TypeRef::to_string() const {
  std::string out;
  append_type(this, out);
  return out;
}

// ---- members ------------------------------------------------------------------------------

const InputValueDef* FieldDef::argument(std::string_view name) const {
  for (const InputValueDef& arg : arguments) {
    if (arg.name == name) return &arg;
  }
  return nullptr;
}

const FieldDef* TypeDef::field(std::string_view name) const {
  return find_member(fields, index_, name);
}

const InputValueDef* TypeDef::input_field(std::string_view name) const {
  return find_member(input_fields, index_, name);
}

const EnumValueDef* TypeDef::enum_value(std::string_view name) const {
  return find_member(enum_values, index_, name);
}

bool TypeDef::has_directive(std::string_view name) const {
  return directive(name) != nullptr;
}

const Directive* TypeDef::directive(std::string_view name) const {
  for (const Directive* d : directives) {
    if (d->name.value == name) return d;
  }
  return nullptr;
}

const InputValueDef* DirectiveDef::argument(std::string_view name) const {
  for (const InputValueDef& arg : arguments) {
    if (arg.name == name) return &arg;
  }
  return nullptr;
}

bool DirectiveDef::allowed_at(DirectiveLocation loc) const {
  return std::find(locations.begin(), locations.end(), loc) != locations.end();
}

std::string_view directive_location_name(DirectiveLocation loc) {
  for (const LocationName& l : kLocationNames) {
    if (l.loc == loc) return l.name;
  }
  return {};
}

bool parse_directive_location(std::string_view name, DirectiveLocation* out) {
  for (const LocationName& l : kLocationNames) {
    if (l.name == name) {
      *out = l.loc;
      return true;
    }
  }
  return false;
}

// ---- Schema -------------------------------------------------------------------------------

Schema::Schema() = default;
Schema::~Schema() = default;

const TypeDef* Schema::type(std::string_view name) const {
  auto it = type_map_.find(name);
  return it == type_map_.end() ? nullptr : it->second;
}

const DirectiveDef* Schema::directive(std::string_view name) const {
  auto it = directive_map_.find(name);
  return it == directive_map_.end() ? nullptr : it->second;
}

const TypeDef* Schema::root_type(OperationType op) const {
  switch (op) {
    case OperationType::kQuery: return query_;
    case OperationType::kMutation: return mutation_;
    case OperationType::kSubscription: return subscription_;
  }
  return nullptr;
}

const FieldDef* Schema::field_def(const TypeDef* parent, std::string_view name) const {
  if (parent == nullptr) return nullptr;
  if (name.size() > 2 && name[0] == '_' && name[1] == '_') {
    if (name == "__typename") return parent->is_composite() ? &typename_field_ : nullptr;
    if (name == "__schema") return parent == query_ ? &schema_field_ : nullptr;
    if (name == "__type") return parent == query_ ? &type_field_ : nullptr;
  }
  if (parent->kind != TypeKind::kObject && parent->kind != TypeKind::kInterface) return nullptr;
  return parent->field(name);
}

bool Schema::is_possible_type(const TypeDef* abstract_type, const TypeDef* object) const {
  if (abstract_type == nullptr || object == nullptr) return false;
  if (!abstract_type->is_abstract()) return abstract_type == object;
  return sorted_contains(abstract_type->possible_sorted_, object);
}

bool Schema::is_sub_type(const TypeDef* super, const TypeDef* maybe_sub) const {
  if (super == nullptr || maybe_sub == nullptr) return false;
  if (super == maybe_sub) return true;
  if (!super->is_abstract()) return false;
  return sorted_contains(super->sub_types_sorted_, maybe_sub);
}

bool Schema::types_overlap(const TypeDef* a, const TypeDef* b) const {
  if (a == nullptr || b == nullptr) return false;
  if (a == b) return true;
  if (a->is_abstract()) {
    if (b->is_abstract()) {
      // Iterate the smaller side, probe the other.
      const TypeDef* small = a->possible_types.size() <= b->possible_types.size() ? a : b;
      const TypeDef* large = small == a ? b : a;
      for (const TypeDef* t : small->possible_types) {
        if (sorted_contains(large->possible_sorted_, t)) return true;
      }
      return false;
    }
    return is_sub_type(a, b);
  }
  if (b->is_abstract()) return is_sub_type(b, a);
  return false;
}

bool Schema::equal_types(const TypeRef* a, const TypeRef* b) {
  while (a != nullptr && b != nullptr) {
    if (a == b) return true;
    if (a->wrap != b->wrap) return false;
    if (a->wrap == TypeRef::Wrap::kNamed) return a->named == b->named;
    a = a->of_type;
    b = b->of_type;
  }
  return a == b;
}

bool Schema::is_type_sub_type_of(const TypeRef* maybe_sub, const TypeRef* super) const {
  while (true) {
    if (maybe_sub == nullptr || super == nullptr) return false;
    if (equal_types(maybe_sub, super)) return true;
    if (super->is_non_null()) {
      if (!maybe_sub->is_non_null()) return false;
      maybe_sub = maybe_sub->of_type;
      super = super->of_type;
      continue;
    }
    if (maybe_sub->is_non_null()) {
      maybe_sub = maybe_sub->of_type;
      continue;
    }
    if (super->is_list()) {
      if (!maybe_sub->is_list()) return false;
      maybe_sub = maybe_sub->of_type;
      super = super->of_type;
      continue;
    }
    if (maybe_sub->is_list()) return false;
    const TypeDef* sup = super->named;
    const TypeDef* sub = maybe_sub->named;
    return sup->is_abstract() &&
           (sub->kind == TypeKind::kInterface || sub->kind == TypeKind::kObject) &&
           is_sub_type(sup, sub);
  }
}

const TypeRef* Schema::resolve_type(const Type* ast_type, Arena& arena) const {
  if (ast_type == nullptr) return nullptr;
  switch (ast_type->kind) {
    case Kind::kNamedType: {
      const TypeDef* t = type(ast_type->as<NamedType>()->name.value);
      return t == nullptr ? nullptr : t->ref();
    }
    case Kind::kListType: {
      const TypeRef* inner = resolve_type(ast_type->as<ListType>()->type, arena);
      if (inner == nullptr) return nullptr;
      TypeRef* r = arena.make<TypeRef>();
      r->wrap = TypeRef::Wrap::kList;
      r->of_type = inner;
      return r;
    }
    case Kind::kNonNullType: {
      const TypeRef* inner = resolve_type(ast_type->as<NonNullType>()->type, arena);
      if (inner == nullptr) return nullptr;
      TypeRef* r = arena.make<TypeRef>();
      r->wrap = TypeRef::Wrap::kNonNull;
      r->of_type = inner;
      return r;
    }
    default: return nullptr;
  }
}

}  // namespace orbit::graphql
