// Schema::build(): SDL texts -> Schema, following graphql-js 17's buildASTSchema
// (extendSchemaImpl + the GraphQLSchema constructor) so that type order, root types and
// derived data agree with the reference.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "builtin_sdl.h"
#include "orbit/base/assert.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/schema/schema.h"
#include "schema_internal.h"

namespace orbit::graphql {

using schema_internal::add_schema_error;

namespace {

constexpr size_t kIndexThreshold = 8;
constexpr std::string_view kBuildOrigin = "buildASTSchema";
constexpr std::string_view kDefaultDeprecationReason = "No longer supported";

TypeKind kind_of(Kind k) {
  switch (k) {
    case Kind::kObjectTypeDefinition:
    case Kind::kObjectTypeExtension: return TypeKind::kObject;
    case Kind::kInterfaceTypeDefinition:
    case Kind::kInterfaceTypeExtension: return TypeKind::kInterface;
    case Kind::kUnionTypeDefinition:
    case Kind::kUnionTypeExtension: return TypeKind::kUnion;
    case Kind::kEnumTypeDefinition:
    case Kind::kEnumTypeExtension: return TypeKind::kEnum;
    case Kind::kInputObjectTypeDefinition:
    case Kind::kInputObjectTypeExtension: return TypeKind::kInputObject;
    default: return TypeKind::kScalar;
  }
}

const Directive* find_directive(List<Directive> directives, std::string_view name) {
  for (const Directive* d : directives) {
    if (d->name.value == name) return d;
  }
  return nullptr;
}

const Argument* find_argument(const Directive* d, std::string_view name) {
  for (const Argument* a : d->arguments) {
    if (a->name.value == name) return a;
  }
  return nullptr;
}

// A literal as graphql-js prints it in coercion messages (enough for scalars).
std::string literal_text(const Value* v) {
  switch (v->kind) {
    case Kind::kIntValue: return std::string(v->as<IntValue>()->value);
    case Kind::kFloatValue: return std::string(v->as<FloatValue>()->value);
    case Kind::kBooleanValue: return v->as<BooleanValue>()->value ? "true" : "false";
    case Kind::kEnumValue: return std::string(v->as<EnumValue>()->value);
    case Kind::kListValue: return "[...]";
    case Kind::kObjectValue: return "{...}";
    default: return "null";
  }
}

}  // namespace

class SchemaBuilder {
 public:
  SchemaBuilder(Schema& schema, ErrorReport& errors) : s_(schema), errors_(errors) {}

  bool build(const Document& builtin, const SchemaOptions& options);

 private:
  TypeDef* new_type(TypeKind kind, std::string_view name, bool builtin) {
    auto owned = std::make_unique<TypeDef>();
    TypeDef* t = owned.get();
    t->kind = kind;
    t->name = name;
    t->builtin = builtin;
    TypeRef* ref = s_.arena_.make<TypeRef>();
    ref->named = t;
    t->ref_ = ref;
    s_.owned_types_.push_back(std::move(owned));
    return t;
  }

  const TypeDef* lookup(std::string_view name) const {
    if (auto it = std_types_.find(name); it != std_types_.end()) return it->second;
    if (auto it = user_types_.find(name); it != user_types_.end()) return it->second;
    return nullptr;
  }

  const TypeDef* named(const NamedType* node) {
    const TypeDef* t = lookup(node->name.value);
    if (t == nullptr) {
      // Only reachable with validation off: the SDL rules report unknown types first.
      add_schema_error(errors_, "Unknown type \"" + std::string(node->name.value) + "\".",
                       kBuildOrigin, {node->loc});
      ok_ = false;
    }
    return t;
  }

  const TypeRef* type_ref(const Type* node) {
    if (node == nullptr) {
      ok_ = false;
      return nullptr;
    }
    switch (node->kind) {
      case Kind::kNamedType: {
        const TypeDef* t = named(node->as<NamedType>());
        return t == nullptr ? nullptr : t->ref();
      }
      case Kind::kListType:
      case Kind::kNonNullType: {
        const Type* inner_node = node->kind == Kind::kListType ? node->as<ListType>()->type
                                                               : node->as<NonNullType>()->type;
        const TypeRef* inner = type_ref(inner_node);
        if (inner == nullptr) return nullptr;
        TypeRef* r = s_.arena_.make<TypeRef>();
        r->wrap = node->kind == Kind::kListType ? TypeRef::Wrap::kList : TypeRef::Wrap::kNonNull;
        r->of_type = inner;
        return r;
      }
      default: ok_ = false; return nullptr;
    }
  }

  static std::string_view description(const StringValue* v) {
    return v == nullptr ? std::string_view() : v->value;
  }

  // The value of a String! argument of a built-in directive (@deprecated(reason:),
  // @specifiedBy(url:)); reports coercion errors as graphql-js's getDirectiveValues throws.
  bool string_argument(const Directive* d, std::string_view arg_name,
                       std::string_view default_value, std::string_view* out) {
    const Argument* arg = find_argument(d, arg_name);
    if (arg == nullptr || arg->value == nullptr) {
      *out = default_value;
      return !default_value.empty();
    }
    std::string prefix = "Argument \"@" + std::string(d->name.value) + "(" + std::string(arg_name) +
                         ":)\" has invalid value: ";
    switch (arg->value->kind) {
      case Kind::kStringValue: *out = arg->value->as<StringValue>()->value; return true;
      case Kind::kNullValue:
        add_schema_error(errors_,
                         prefix + "Expected value of non-null type \"String!\" not to be null.",
                         kBuildOrigin, {arg->value->loc});
        break;
      default:
        add_schema_error(
            errors_,
            prefix + "String cannot represent a non string value: " + literal_text(arg->value),
            kBuildOrigin, {arg->value->loc});
        break;
    }
    ok_ = false;
    return false;
  }

  void deprecation(List<Directive> directives, bool* deprecated, std::string_view* reason) {
    const Directive* d = find_directive(directives, "deprecated");
    if (d == nullptr) return;
    *deprecated = string_argument(d, "reason", kDefaultDeprecationReason, reason);
  }

  InputValueDef input_value(const InputValueDefinition* node) {
    InputValueDef v;
    v.name = node->name.value;
    v.description = description(node->description);
    v.type = type_ref(node->type);
    v.default_value = node->default_value;
    v.directives = node->directives;
    v.ast = node;
    deprecation(node->directives, &v.deprecated, &v.deprecation_reason);
    return v;
  }

  // Later definitions of a name replace earlier ones in place, as a JS object map does. With
  // validation on, the SDL rules have already rejected duplicates, so the map is skipped.
  template <typename Item>
  void put(std::vector<Item>& items, std::unordered_map<std::string_view, size_t>& seen,
           Item item) {
    if (!dedupe_) {
      items.push_back(std::move(item));
      return;
    }
    auto [it, inserted] = seen.emplace(item.name, items.size());
    if (inserted) {
      items.push_back(std::move(item));
    } else {
      items[it->second] = std::move(item);
    }
  }

  template <typename Item>
  static void build_index(TypeDef* t, const std::vector<Item>& items) {
    if (items.size() <= kIndexThreshold) return;
    t->index_.reserve(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      t->index_.emplace(items[i].name, static_cast<uint32_t>(i));
    }
  }

  void fill_type(TypeDef* t, std::span<const TypeDefinition* const> nodes);
  void fill_directive(DirectiveDef* d, const DirectiveDefinition* node, bool builtin);
  void collect(const TypeDef* t);
  void collect_children(const TypeDef* t);
  void derive();
  void make_meta_fields();

  Schema& s_;
  ErrorReport& errors_;
  bool ok_ = true;
  bool dedupe_ = true;
  std::unordered_map<std::string_view, TypeDef*> std_types_;
  std::unordered_map<std::string_view, TypeDef*> user_types_;
  // Type order (graphql-js collectReferencedTypes).
  std::unordered_set<const TypeDef*> present_;
  std::vector<const TypeDef*> order_;
};

void SchemaBuilder::fill_type(TypeDef* t, std::span<const TypeDefinition* const> nodes) {
  std::unordered_map<std::string_view, size_t> seen;
  for (const TypeDefinition* node : nodes) {
    if (!node->is_extension()) t->description = description(node->description);
    for (const Directive* d : node->directives)
      t->directives.push_back(d);
    switch (node->kind) {
      case Kind::kObjectTypeDefinition:
      case Kind::kObjectTypeExtension:
      case Kind::kInterfaceTypeDefinition:
      case Kind::kInterfaceTypeExtension: {
        const auto* obj = node->as<ObjectTypeDefinition>();
        for (const NamedType* iface : obj->interfaces) {
          if (const TypeDef* it = named(iface)) t->interfaces.push_back(it);
        }
        for (const FieldDefinition* f : obj->fields) {
          FieldDef field;
          field.name = f->name.value;
          field.description = description(f->description);
          field.type = type_ref(f->type);
          field.directives = f->directives;
          field.ast = f;
          deprecation(f->directives, &field.deprecated, &field.deprecation_reason);
          std::unordered_map<std::string_view, size_t> seen_args;
          for (const InputValueDefinition* a : f->arguments) {
            put(field.arguments, seen_args, input_value(a));
          }
          put(t->fields, seen, std::move(field));
        }
        break;
      }
      case Kind::kUnionTypeDefinition:
      case Kind::kUnionTypeExtension:
        for (const NamedType* m : node->as<UnionTypeDefinition>()->types) {
          if (const TypeDef* mt = named(m)) t->members.push_back(mt);
        }
        break;
      case Kind::kEnumTypeDefinition:
      case Kind::kEnumTypeExtension:
        for (const EnumValueDefinition* v : node->as<EnumTypeDefinition>()->values) {
          EnumValueDef value;
          value.name = v->name.value;
          value.description = description(v->description);
          value.directives = v->directives;
          value.ast = v;
          deprecation(v->directives, &value.deprecated, &value.deprecation_reason);
          put(t->enum_values, seen, std::move(value));
        }
        break;
      case Kind::kInputObjectTypeDefinition:
      case Kind::kInputObjectTypeExtension:
        for (const InputValueDefinition* f : node->as<InputObjectTypeDefinition>()->fields) {
          put(t->input_fields, seen, input_value(f));
        }
        break;
      default: break;
    }
    // graphql-js reads @specifiedBy from the definition and lets each extension override it,
    // but @oneOf only from the definition.
    if (const Directive* d = find_directive(node->directives, "specifiedBy")) {
      std::string_view url;
      if (string_argument(d, "url", {}, &url)) t->specified_by_url = url;
    }
    if (!node->is_extension() && t->kind == TypeKind::kInputObject &&
        find_directive(node->directives, "oneOf") != nullptr) {
      t->one_of = true;
    }
  }
  build_index(t, t->fields);
  build_index(t, t->enum_values);
  build_index(t, t->input_fields);
}

void SchemaBuilder::fill_directive(DirectiveDef* d, const DirectiveDefinition* node, bool builtin) {
  d->name = node->name.value;
  d->description = description(node->description);
  d->repeatable = node->repeatable;
  d->builtin = builtin;
  d->ast = builtin ? nullptr : node;
  std::unordered_map<std::string_view, size_t> seen_args;
  for (const InputValueDefinition* a : node->arguments)
    put(d->arguments, seen_args, input_value(a));
  for (const Name& loc_name : node->locations) {
    DirectiveLocation loc;
    // The parser accepts only known location names; anything else is ignored here.
    if (parse_directive_location(loc_name.value, &loc)) d->locations.push_back(loc);
  }
  if (builtin && d->name == "deprecated") {
    d->locations.push_back(DirectiveLocation::kDirectiveDefinition);  // see builtin_sdl.cc
  }
}

void SchemaBuilder::collect(const TypeDef* t) {
  if (t == nullptr || !present_.insert(t).second) return;
  order_.push_back(t);
  collect_children(t);
}

void SchemaBuilder::collect_children(const TypeDef* t) {
  switch (t->kind) {
    case TypeKind::kUnion:
      for (const TypeDef* m : t->members)
        collect(m);
      break;
    case TypeKind::kObject:
    case TypeKind::kInterface:
      for (const TypeDef* i : t->interfaces)
        collect(i);
      for (const FieldDef& f : t->fields) {
        if (f.type != nullptr) collect(f.type->named_type());
        for (const InputValueDef& a : f.arguments) {
          if (a.type != nullptr) collect(a.type->named_type());
        }
      }
      break;
    case TypeKind::kInputObject:
      for (const InputValueDef& f : t->input_fields) {
        if (f.type != nullptr) collect(f.type->named_type());
      }
      break;
    default: break;
  }
}

void SchemaBuilder::derive() {
  // graphql-js's _implementationsMap, filled in type-map order.
  std::unordered_map<const TypeDef*,
                     std::pair<std::vector<const TypeDef*>, std::vector<const TypeDef*>>>
      implementations;
  for (const TypeDef* t : s_.types_) {
    if (t->kind != TypeKind::kObject && t->kind != TypeKind::kInterface) continue;
    for (const TypeDef* iface : t->interfaces) {
      if (iface->kind != TypeKind::kInterface) continue;
      auto& impl = implementations[iface];
      (t->kind == TypeKind::kObject ? impl.first : impl.second).push_back(t);
    }
  }
  for (const TypeDef* ct : s_.types_) {
    auto* t = const_cast<TypeDef*>(ct);
    switch (t->kind) {
      case TypeKind::kObject: t->possible_types = {t}; break;
      case TypeKind::kUnion:
        t->possible_types = t->members;
        t->sub_types_sorted_ = t->members;
        break;
      case TypeKind::kInterface: {
        auto it = implementations.find(t);
        if (it != implementations.end()) {
          t->possible_types = it->second.first;
          t->implementing_interfaces = it->second.second;
        }
        t->sub_types_sorted_ = t->possible_types;
        t->sub_types_sorted_.insert(t->sub_types_sorted_.end(), t->implementing_interfaces.begin(),
                                    t->implementing_interfaces.end());
        break;
      }
      default: break;
    }
    t->possible_sorted_ = t->possible_types;
    std::sort(t->possible_sorted_.begin(), t->possible_sorted_.end());
    std::sort(t->sub_types_sorted_.begin(), t->sub_types_sorted_.end());
  }
}

void SchemaBuilder::make_meta_fields() {
  auto non_null = [&](const TypeDef* t) -> const TypeRef* {
    TypeRef* r = s_.arena_.make<TypeRef>();
    r->wrap = TypeRef::Wrap::kNonNull;
    r->of_type = t->ref();
    return r;
  };
  const TypeDef* string_type = std_types_.at("String");
  s_.typename_field_.name = "__typename";
  s_.typename_field_.description = "The name of the current Object type at runtime.";
  s_.typename_field_.type = non_null(string_type);
  s_.schema_field_.name = "__schema";
  s_.schema_field_.description = "Access the current type schema of this server.";
  s_.schema_field_.type = non_null(std_types_.at("__Schema"));
  s_.type_field_.name = "__type";
  s_.type_field_.description = "Request the type information of a single type.";
  s_.type_field_.type = std_types_.at("__Type")->ref();
  InputValueDef name_arg;
  name_arg.name = "name";
  name_arg.type = non_null(string_type);
  s_.type_field_.arguments.push_back(name_arg);
}

bool SchemaBuilder::build(const Document& builtin, const SchemaOptions& options) {
  dedupe_ = !options.validate;
  // Built-in scalars and introspection types: made now, in the schema only when referenced
  // (as graphql-js's type map, which holds only the standard types something refers to).
  std::vector<std::pair<TypeDef*, const TypeDefinition*>> std_nodes;
  std::vector<const DirectiveDefinition*> specified_directives;
  for (const Definition* def : builtin.definitions) {
    if (def->kind == Kind::kDirectiveDefinition) {
      specified_directives.push_back(def->as<DirectiveDefinition>());
    } else if (is_type_definition(def->kind)) {
      const auto* node = def->as<TypeDefinition>();
      TypeDef* t = new_type(kind_of(node->kind), node->name.value, true);
      std_types_.emplace(t->name, t);
      std_nodes.emplace_back(t, node);
    }
  }

  // Collect the user documents as one (graphql-js concatenates nothing; one document each
  // is the same as their concatenation here).
  schema_internal::SchemaAstNodes ast;
  std::vector<const TypeDef*> config_types;  // definition order, as extendSchemaImpl's typeMap
  std::vector<std::pair<TypeDef*, std::vector<const TypeDefinition*>>> user_nodes;
  std::unordered_map<std::string_view, std::vector<const TypeDefinition*>> extensions;
  std::vector<const DirectiveDefinition*> directive_defs;
  for (const Document* doc : s_.documents_) {
    for (const Definition* def : doc->definitions) {
      if (def->kind == Kind::kSchemaDefinition) {
        ast.definition = def->as<SchemaDefinition>();
      } else if (def->kind == Kind::kSchemaExtension) {
        ast.extensions.push_back(def->as<SchemaDefinition>());
      } else if (def->kind == Kind::kDirectiveDefinition) {
        directive_defs.push_back(def->as<DirectiveDefinition>());
      } else if (is_type_extension(def->kind)) {
        const auto* node = def->as<TypeDefinition>();
        extensions[node->name.value].push_back(node);
      }
    }
  }
  for (const Document* doc : s_.documents_) {
    for (const Definition* def : doc->definitions) {
      if (!is_type_definition(def->kind)) continue;
      const auto* node = def->as<TypeDefinition>();
      std::string_view name = node->name.value;
      if (auto it = std_types_.find(name); it != std_types_.end()) {
        // A standard type defined in SDL is the standard type (graphql-js stdTypeMap).
        if (std::find(config_types.begin(), config_types.end(), it->second) == config_types.end()) {
          config_types.push_back(it->second);
        }
        continue;
      }
      if (user_types_.count(name) != 0) continue;  // duplicate: an SDL error
      TypeDef* t = new_type(kind_of(node->kind), name, false);
      user_types_.emplace(name, t);
      config_types.push_back(t);
      std::vector<const TypeDefinition*> nodes{node};
      if (auto ext = extensions.find(name); ext != extensions.end()) {
        for (const TypeDefinition* e : ext->second) {
          // An extension of another kind is an SDL error; without validation it is dropped.
          if (kind_of(e->kind) == t->kind) nodes.push_back(e);
        }
      }
      user_nodes.emplace_back(t, std::move(nodes));
    }
  }
  if (!options.validate) {
    for (const auto& [name, nodes] : extensions) {
      if (lookup(name) == nullptr) {
        add_schema_error(
            errors_, "Cannot extend type \"" + std::string(name) + "\" because it is not defined.",
            kBuildOrigin, {nodes.front()->name.loc});
        ok_ = false;
      }
    }
  }

  for (auto& [t, node] : std_nodes)
    fill_type(t, std::span(&node, 1));
  for (auto& [t, nodes] : user_nodes) {
    t->ast_nodes = nodes;
    fill_type(t, nodes);
  }

  // Directives: the user's, then the specified ones not redefined.
  std::unordered_set<std::string_view> directive_names;
  for (const DirectiveDefinition* node : directive_defs) {
    if (!directive_names.insert(node->name.value).second) continue;
    auto d = std::make_unique<DirectiveDef>();
    fill_directive(d.get(), node, false);
    s_.owned_directives_.push_back(std::move(d));
  }
  for (const DirectiveDefinition* node : specified_directives) {
    if (!directive_names.insert(node->name.value).second) continue;
    auto d = std::make_unique<DirectiveDef>();
    fill_directive(d.get(), node, true);
    s_.owned_directives_.push_back(std::move(d));
  }
  for (const auto& d : s_.owned_directives_) {
    s_.directives_.push_back(d.get());
    s_.directive_map_.emplace(d->name, d.get());
  }

  // Root types: the schema definition and extensions; without a schema definition the types
  // named Query / Mutation / Subscription win (graphql-js buildASTSchema).
  auto set_roots = [&](const SchemaDefinition* node) {
    for (const OperationTypeDefinition* op : node->operation_types) {
      const TypeDef* t = op->type == nullptr ? nullptr : named(op->type);
      switch (op->operation) {
        case OperationType::kQuery: s_.query_ = t; break;
        case OperationType::kMutation: s_.mutation_ = t; break;
        case OperationType::kSubscription: s_.subscription_ = t; break;
      }
    }
  };
  if (ast.definition != nullptr) {
    set_roots(ast.definition);
    s_.description_ = description(ast.definition->description);
    for (const Directive* d : ast.definition->directives)
      s_.schema_directives_.push_back(d);
  }
  for (const SchemaDefinition* ext : ast.extensions) {
    set_roots(ext);
    for (const Directive* d : ext->directives)
      s_.schema_directives_.push_back(d);
  }
  if (ast.definition == nullptr) {
    for (const TypeDef* t : config_types) {
      if (t->name == "Query") s_.query_ = t;
      if (t->name == "Mutation") s_.mutation_ = t;
      if (t->name == "Subscription") s_.subscription_ = t;
    }
  }
  if (!ok_) return false;

  // Type order: graphql-js's GraphQLSchema constructor starts from the configured types and
  // moves each to the end before collecting what it references; the net effect is the
  // definition order with each standard type right after its first referrer.
  present_.insert(config_types.begin(), config_types.end());
  for (const TypeDef* t : config_types) {
    order_.push_back(t);
    collect_children(t);
  }
  collect(s_.query_);
  collect(s_.mutation_);
  collect(s_.subscription_);
  for (const DirectiveDef* d : s_.directives_) {
    for (const InputValueDef& a : d->arguments)
      collect(a.type->named_type());
  }
  collect(std_types_.at("__Schema"));
  s_.types_ = std::move(order_);
  s_.type_map_.reserve(s_.types_.size());
  for (const TypeDef* t : s_.types_)
    s_.type_map_.emplace(t->name, t);

  derive();
  make_meta_fields();
  return true;
}

std::unique_ptr<Schema> Schema::build(std::span<const std::string_view> sdl_texts,
                                      ErrorReport& errors, const SchemaOptions& options) {
  std::unique_ptr<Schema> schema(new Schema());
  // Reserved up front: the parsed trees hold views into these strings, which must not move.
  schema->sources_.reserve(sdl_texts.size());
  for (std::string_view text : sdl_texts)
    schema->sources_.emplace_back(text);

  ParseOptions parse_options;
  parse_options.max_depth = options.max_depth;
  bool parsed = true;
  for (const std::string& source : schema->sources_) {
    ParseResult r = parse(source, schema->arena_, parse_options);
    if (!r.ok()) {
      if (r.error.code == ErrorCode::kOk) r.error.code = ErrorCode::kGraphqlParseFailed;
      errors.add(std::move(r.error));
      parsed = false;
      continue;
    }
    schema->documents_.push_back(r.document);
  }
  if (!parsed) return nullptr;

  ParseResult builtin = parse(schema_internal::kBuiltinSdl, schema->arena_);
  ORBIT_RELEASE_ASSERT(builtin.ok());

  if (options.validate) {
    size_t before = errors.errors().size();
    schema_internal::validate_sdl(schema->documents_, *builtin.document, errors);
    if (errors.errors().size() != before) return nullptr;
  }

  SchemaBuilder builder(*schema, errors);
  if (!builder.build(*builtin.document, options)) return nullptr;

  if (options.validate) {
    size_t before = errors.errors().size();
    schema_internal::SchemaAstNodes ast;
    for (const Document* doc : schema->documents_) {
      for (const Definition* def : doc->definitions) {
        if (def->kind == Kind::kSchemaDefinition) {
          ast.definition = def->as<SchemaDefinition>();
        } else if (def->kind == Kind::kSchemaExtension) {
          ast.extensions.push_back(def->as<SchemaDefinition>());
        }
      }
    }
    schema_internal::validate_schema(*schema, ast, errors);
    if (errors.errors().size() != before) return nullptr;
  }
  return schema;
}

}  // namespace orbit::graphql
