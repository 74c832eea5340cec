// graphql-js's specifiedSDLRules, run before a schema is built from SDL.
//
// graphql-js runs the rules as one parallel visitor: at every node, each rule's enter hook
// fires in rule order, then the children are visited in QueryDocumentKeys order, then the
// leave hooks. The walk below follows the same order so that errors come out in the same
// sequence. Executable definitions in an SDL document are ignored (graphql-js ignores them
// when building, too).
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "orbit/graphql/schema/suggestion_list.h"
#include "schema_internal.h"

namespace orbit::graphql::schema_internal {

GraphqlError& add_schema_error(ErrorReport& errors, std::string message, std::string_view origin,
                               std::initializer_list<Location> locations) {
  GraphqlError& e = errors.add(std::move(message), ErrorCode::kInvalidSchema);
  e.origin = origin;
  for (const Location& loc : locations)
    e.locations.push_back(to_source_location(loc));
  return e;
}

namespace {

void append_ast_type(const Type* type, std::string& out) {
  if (type == nullptr) return;
  switch (type->kind) {
    case Kind::kNamedType: out += type->as<NamedType>()->name.value; break;
    case Kind::kListType:
      out += '[';
      append_ast_type(type->as<ListType>()->type, out);
      out += ']';
      break;
    case Kind::kNonNullType:
      append_ast_type(type->as<NonNullType>()->type, out);
      out += '!';
      break;
    default: break;
  }
}

constexpr std::string_view kStandardTypeNames[] = {
    "String",
    "Int",
    "Float",
    "Boolean",
    "ID",
    "__Schema",
    "__Type",
    "__TypeKind",
    "__Field",
    "__InputValue",
    "__EnumValue",
    "__Directive",
    "__DirectiveLocation",
};

constexpr std::string_view kLoneSchemaDefinition = "LoneSchemaDefinitionRule";
constexpr std::string_view kUniqueOperationTypes = "UniqueOperationTypesRule";
constexpr std::string_view kUniqueTypeNames = "UniqueTypeNamesRule";
constexpr std::string_view kUniqueEnumValueNames = "UniqueEnumValueNamesRule";
constexpr std::string_view kUniqueFieldDefinitionNames = "UniqueFieldDefinitionNamesRule";
constexpr std::string_view kUniqueArgumentDefinitionNames = "UniqueArgumentDefinitionNamesRule";
constexpr std::string_view kUniqueDirectiveNames = "UniqueDirectiveNamesRule";
constexpr std::string_view kKnownTypeNames = "KnownTypeNamesRule";
constexpr std::string_view kKnownDirectives = "KnownDirectivesRule";
constexpr std::string_view kUniqueDirectivesPerLocation = "UniqueDirectivesPerLocationRule";
constexpr std::string_view kPossibleTypeExtensions = "PossibleTypeExtensionsRule";
constexpr std::string_view kKnownArgumentNamesOnDirectives = "KnownArgumentNamesOnDirectivesRule";
constexpr std::string_view kUniqueArgumentNames = "UniqueArgumentNamesRule";
constexpr std::string_view kUniqueInputFieldNames = "UniqueInputFieldNamesRule";
constexpr std::string_view kProvidedRequiredArgumentsOnDirectives =
    "ProvidedRequiredArgumentsOnDirectivesRule";

Kind extension_kind_for(Kind definition_kind) {
  switch (definition_kind) {
    case Kind::kScalarTypeDefinition: return Kind::kScalarTypeExtension;
    case Kind::kObjectTypeDefinition: return Kind::kObjectTypeExtension;
    case Kind::kInterfaceTypeDefinition: return Kind::kInterfaceTypeExtension;
    case Kind::kUnionTypeDefinition: return Kind::kUnionTypeExtension;
    case Kind::kEnumTypeDefinition: return Kind::kEnumTypeExtension;
    default: return Kind::kInputObjectTypeExtension;
  }
}

std::string_view extension_type_word(Kind extension_kind) {
  switch (extension_kind) {
    case Kind::kScalarTypeExtension: return "scalar";
    case Kind::kObjectTypeExtension: return "object";
    case Kind::kInterfaceTypeExtension: return "interface";
    case Kind::kUnionTypeExtension: return "union";
    case Kind::kEnumTypeExtension: return "enum";
    default: return "input object";
  }
}

bool is_object_like(Kind k) {
  return k == Kind::kObjectTypeDefinition || k == Kind::kObjectTypeExtension ||
         k == Kind::kInterfaceTypeDefinition || k == Kind::kInterfaceTypeExtension;
}

// Names that occur more than once, each with all its locations, in first-occurrence order
// (graphql-js groupBy).
template <typename Node>
std::vector<std::pair<std::string_view, std::vector<Location>>> duplicate_names(List<Node> nodes) {
  std::vector<std::pair<std::string_view, std::vector<Location>>> groups;
  std::unordered_map<std::string_view, size_t> index;
  for (const Node* n : nodes) {
    auto [it, inserted] = index.emplace(n->name.value, groups.size());
    if (inserted) groups.emplace_back(n->name.value, std::vector<Location>{});
    groups[it->second].second.push_back(n->name.loc);
  }
  std::erase_if(groups, [](const auto& g) { return g.second.size() < 2; });
  return groups;
}

struct DirectiveInfo {
  std::unordered_set<std::string_view> locations;
  bool unique = true;  // not repeatable
  std::vector<std::string_view> arg_names;
  // Required arguments (non-null without default) as (name, printed type), in order.
  std::vector<std::pair<std::string_view, std::string>> required;
};

using SeenDirectives = std::unordered_map<std::string_view, const Directive*>;
using SeenNames = std::unordered_map<std::string_view, Location>;

class SdlValidator {
 public:
  SdlValidator(std::span<const Document* const> documents, const Document& builtin,
               ErrorReport& errors)
      : documents_(documents), errors_(errors) {
    for (const Definition* def : builtin.definitions) {
      if (def->kind == Kind::kDirectiveDefinition) add_directive(def->as<DirectiveDefinition>());
    }
    for (const Document* doc : documents_) {
      for (const Definition* def : doc->definitions) {
        if (def->kind == Kind::kDirectiveDefinition) {
          add_directive(def->as<DirectiveDefinition>());
        } else if (is_type_definition(def->kind)) {
          const auto* node = def->as<TypeDefinition>();
          if (defined_types_.insert_or_assign(node->name.value, node).second) {
            defined_type_names_.push_back(node->name.value);
          }
        }
      }
    }
  }

  void run() {
    for (const Document* doc : documents_) {
      for (const Definition* def : doc->definitions) {
        if (def->kind == Kind::kSchemaDefinition || def->kind == Kind::kSchemaExtension) {
          visit_schema(def->as<SchemaDefinition>());
        } else if (def->kind == Kind::kDirectiveDefinition) {
          visit_directive_definition(def->as<DirectiveDefinition>());
        } else if (is_type_definition(def->kind) || is_type_extension(def->kind)) {
          visit_type(def->as<TypeDefinition>());
        }
      }
    }
  }

 private:
  void add_directive(const DirectiveDefinition* def) {
    DirectiveInfo info;
    for (const Name& loc : def->locations)
      info.locations.insert(loc.value);
    info.unique = !def->repeatable;
    for (const InputValueDefinition* arg : def->arguments) {
      info.arg_names.push_back(arg->name.value);
      if (arg->type != nullptr && arg->type->kind == Kind::kNonNullType &&
          arg->default_value == nullptr) {
        info.required.emplace_back(arg->name.value, print_ast_type(arg->type));
      }
    }
    directives_.insert_or_assign(def->name.value, std::move(info));
  }

  GraphqlError& error(std::string message, std::string_view origin,
                      std::initializer_list<Location> locations) {
    return add_schema_error(errors_, std::move(message), origin, locations);
  }

  // ---- nodes ----

  void visit_schema(const SchemaDefinition* node) {
    if (!node->is_extension()) {
      if (schema_definitions_ > 0) {
        error("Must provide only one schema definition.", kLoneSchemaDefinition, {node->loc});
      }
      ++schema_definitions_;
    }
    for (const OperationTypeDefinition* op : node->operation_types) {
      auto [it, inserted] = operation_types_.emplace(op->operation, op);
      if (!inserted) {
        error("There can be only one " + std::string(operation_type_name(op->operation)) +
                  " type in schema.",
              kUniqueOperationTypes, {it->second->loc, op->loc});
      }
    }
    unique_directives(node->directives, schema_directives_);
    visit_directives(node->directives, "SCHEMA");
    for (const OperationTypeDefinition* op : node->operation_types) {
      if (op->type != nullptr) known_type(op->type);
    }
  }

  void visit_type(const TypeDefinition* node) {
    std::string_view name = node->name.value;
    const bool extension = node->is_extension();
    // enter hooks, in rule order
    if (!extension) {
      auto [it, inserted] = type_names_.emplace(name, node->name.loc);
      if (!inserted) {
        error("There can be only one type named \"" + std::string(name) + "\".", kUniqueTypeNames,
              {it->second, node->name.loc});
      }
    }
    if (node->kind == Kind::kEnumTypeDefinition || node->kind == Kind::kEnumTypeExtension) {
      SeenNames& seen = enum_values_[name];
      for (const EnumValueDefinition* v : node->as<EnumTypeDefinition>()->values) {
        auto [it, inserted] = seen.emplace(v->name.value, v->name.loc);
        if (!inserted) {
          error("Enum value \"" + std::string(name) + "." + std::string(v->name.value) +
                    "\" can only be defined once.",
                kUniqueEnumValueNames, {it->second, v->name.loc});
        }
      }
    }
    if (is_object_like(node->kind) || node->kind == Kind::kInputObjectTypeDefinition ||
        node->kind == Kind::kInputObjectTypeExtension) {
      SeenNames& seen = field_names_[name];
      auto check = [&](const Name& field_name) {
        auto [it, inserted] = seen.emplace(field_name.value, field_name.loc);
        if (!inserted) {
          error("Field \"" + std::string(name) + "." + std::string(field_name.value) +
                    "\" can only be defined once.",
                kUniqueFieldDefinitionNames, {it->second, field_name.loc});
        }
      };
      if (is_object_like(node->kind)) {
        for (const FieldDefinition* f : node->as<ObjectTypeDefinition>()->fields)
          check(f->name);
      } else {
        for (const InputValueDefinition* f : node->as<InputObjectTypeDefinition>()->fields) {
          check(f->name);
        }
      }
    }
    if (is_object_like(node->kind)) {
      for (const FieldDefinition* f : node->as<ObjectTypeDefinition>()->fields) {
        unique_argument_definitions(std::string(name) + "." + std::string(f->name.value),
                                    f->arguments);
      }
    }
    unique_directives(node->directives, type_directives_[name]);
    if (extension) possible_extension(node);

    // children
    const char* location = nullptr;
    switch (node->kind) {
      case Kind::kScalarTypeDefinition:
      case Kind::kScalarTypeExtension: visit_directives(node->directives, "SCALAR"); break;
      case Kind::kObjectTypeDefinition:
      case Kind::kObjectTypeExtension:
      case Kind::kInterfaceTypeDefinition:
      case Kind::kInterfaceTypeExtension: {
        const auto* obj = node->as<ObjectTypeDefinition>();
        location = obj->is_interface() ? "INTERFACE" : "OBJECT";
        for (const NamedType* iface : obj->interfaces)
          known_type(iface);
        visit_directives(node->directives, location);
        for (const FieldDefinition* f : obj->fields)
          visit_field(f);
        break;
      }
      case Kind::kUnionTypeDefinition:
      case Kind::kUnionTypeExtension:
        visit_directives(node->directives, "UNION");
        for (const NamedType* m : node->as<UnionTypeDefinition>()->types)
          known_type(m);
        break;
      case Kind::kEnumTypeDefinition:
      case Kind::kEnumTypeExtension:
        visit_directives(node->directives, "ENUM");
        for (const EnumValueDefinition* v : node->as<EnumTypeDefinition>()->values) {
          SeenDirectives seen;
          unique_directives(v->directives, seen);
          visit_directives(v->directives, "ENUM_VALUE");
        }
        break;
      default:  // input object
        visit_directives(node->directives, "INPUT_OBJECT");
        for (const InputValueDefinition* f : node->as<InputObjectTypeDefinition>()->fields) {
          visit_input_value(f, "INPUT_FIELD_DEFINITION");
        }
        break;
    }
  }

  void visit_field(const FieldDefinition* f) {
    SeenDirectives seen;
    unique_directives(f->directives, seen);
    for (const InputValueDefinition* a : f->arguments)
      visit_input_value(a, "ARGUMENT_DEFINITION");
    visit_type_ref(f->type);
    visit_directives(f->directives, "FIELD_DEFINITION");
  }

  void visit_input_value(const InputValueDefinition* v, std::string_view location) {
    SeenDirectives seen;
    unique_directives(v->directives, seen);
    visit_type_ref(v->type);
    if (v->default_value != nullptr) visit_value(v->default_value);
    visit_directives(v->directives, location);
  }

  void visit_directive_definition(const DirectiveDefinition* node) {
    unique_argument_definitions("@" + std::string(node->name.value), node->arguments);
    auto [it, inserted] = directive_names_.emplace(node->name.value, node->name.loc);
    if (!inserted) {
      error("There can be only one directive named \"@" + std::string(node->name.value) + "\".",
            kUniqueDirectiveNames, {it->second, node->name.loc});
    }
    for (const InputValueDefinition* a : node->arguments) {
      visit_input_value(a, "ARGUMENT_DEFINITION");
    }
  }

  void visit_directives(List<Directive> directives, std::string_view location) {
    for (const Directive* d : directives)
      visit_directive(d, location);
  }

  void visit_directive(const Directive* d, std::string_view location) {
    std::string name(d->name.value);
    auto it = directives_.find(d->name.value);
    const DirectiveInfo* info = it == directives_.end() ? nullptr : &it->second;
    if (info == nullptr) {
      error("Unknown directive \"@" + name + "\".", kKnownDirectives, {d->loc});
    } else if (info->locations.count(location) == 0) {
      error("Directive \"@" + name + "\" may not be used on " + std::string(location) + ".",
            kKnownDirectives, {d->loc});
    }
    if (info != nullptr) {
      for (const Argument* a : d->arguments) {
        if (std::find(info->arg_names.begin(), info->arg_names.end(), a->name.value) ==
            info->arg_names.end()) {
          std::vector<std::string_view> suggestions =
              suggestion_list(a->name.value, info->arg_names);
          error("Unknown argument \"" + std::string(a->name.value) + "\" on directive \"@" + name +
                    "\"." + did_you_mean(suggestions),
                kKnownArgumentNamesOnDirectives, {a->loc});
        }
      }
    }
    for (const auto& [arg_name, locations] : duplicate_names(d->arguments)) {
      GraphqlError& e =
          error("There can be only one argument named \"" + std::string(arg_name) + "\".",
                kUniqueArgumentNames, {});
      for (const Location& loc : locations)
        e.locations.push_back(to_source_location(loc));
    }
    for (const Argument* a : d->arguments) {
      if (a->value != nullptr) visit_value(a->value);
    }
    // leave: ProvidedRequiredArgumentsOnDirectives
    if (info != nullptr) {
      for (const auto& [required_name, type] : info->required) {
        // A named copy: clang 14 cannot capture a structured binding in a lambda.
        const std::string_view arg_name = required_name;
        bool provided = std::any_of(d->arguments.begin(), d->arguments.end(),
                                    [&](const Argument* a) { return a->name.value == arg_name; });
        if (!provided) {
          error("Argument \"@" + name + "(" + std::string(arg_name) + ":)\" of type \"" + type +
                    "\" is required, but it was not provided.",
                kProvidedRequiredArgumentsOnDirectives, {d->loc});
        }
      }
    }
  }

  void visit_value(const Value* v) {
    if (v->kind == Kind::kListValue) {
      for (const Value* item : v->as<ListValue>()->values)
        visit_value(item);
    } else if (v->kind == Kind::kObjectValue) {
      SeenNames seen;
      for (const ObjectField* f : v->as<ObjectValue>()->fields) {
        auto [it, inserted] = seen.emplace(f->name.value, f->name.loc);
        if (!inserted) {
          error("There can be only one input field named \"" + std::string(f->name.value) + "\".",
                kUniqueInputFieldNames, {it->second, f->name.loc});
        }
        if (f->value != nullptr) visit_value(f->value);
      }
    }
  }

  void visit_type_ref(const Type* t) {
    while (t != nullptr && t->kind != Kind::kNamedType) {
      t = t->kind == Kind::kListType ? t->as<ListType>()->type : t->as<NonNullType>()->type;
    }
    if (t != nullptr) known_type(t->as<NamedType>());
  }

  // ---- rule bodies shared by several nodes ----

  void known_type(const NamedType* node) {
    std::string_view name = node->name.value;
    if (defined_types_.count(name) != 0 || is_standard_type_name(name)) return;
    std::vector<std::string_view> options(std::begin(kStandardTypeNames),
                                          std::end(kStandardTypeNames));
    options.insert(options.end(), defined_type_names_.begin(), defined_type_names_.end());
    std::vector<std::string_view> suggestions = suggestion_list(name, options);
    error("Unknown type \"" + std::string(name) + "\"." + did_you_mean(suggestions),
          kKnownTypeNames, {node->loc});
  }

  void unique_argument_definitions(const std::string& parent,
                                   List<InputValueDefinition> arguments) {
    for (const auto& [arg_name, locations] : duplicate_names(arguments)) {
      GraphqlError& e = error(
          "Argument \"" + parent + "(" + std::string(arg_name) + ":)\" can only be defined once.",
          kUniqueArgumentDefinitionNames, {});
      for (const Location& loc : locations)
        e.locations.push_back(to_source_location(loc));
    }
  }

  void unique_directives(List<Directive> directives, SeenDirectives& seen) {
    for (const Directive* d : directives) {
      auto it = directives_.find(d->name.value);
      if (it == directives_.end() || !it->second.unique) continue;
      auto [prev, inserted] = seen.emplace(d->name.value, d);
      if (!inserted) {
        error("The directive \"@" + std::string(d->name.value) +
                  "\" can only be used once at this location.",
              kUniqueDirectivesPerLocation, {prev->second->loc, d->loc});
      }
    }
  }

  void possible_extension(const TypeDefinition* node) {
    std::string_view name = node->name.value;
    auto it = defined_types_.find(name);
    if (it == defined_types_.end()) {
      std::vector<std::string_view> suggestions = suggestion_list(name, defined_type_names_);
      error("Cannot extend type \"" + std::string(name) + "\" because it is not defined." +
                did_you_mean(suggestions),
            kPossibleTypeExtensions, {node->name.loc});
      return;
    }
    if (extension_kind_for(it->second->kind) != node->kind) {
      error("Cannot extend non-" + std::string(extension_type_word(node->kind)) + " type \"" +
                std::string(name) + "\".",
            kPossibleTypeExtensions, {it->second->loc, node->loc});
    }
  }

  std::span<const Document* const> documents_;
  ErrorReport& errors_;
  std::unordered_map<std::string_view, DirectiveInfo> directives_;
  std::unordered_map<std::string_view, const TypeDefinition*> defined_types_;  // last wins
  std::vector<std::string_view> defined_type_names_;

  int schema_definitions_ = 0;
  std::unordered_map<OperationType, const OperationTypeDefinition*> operation_types_;
  SeenNames type_names_;
  std::unordered_map<std::string_view, SeenNames> enum_values_;
  std::unordered_map<std::string_view, SeenNames> field_names_;
  SeenNames directive_names_;
  SeenDirectives schema_directives_;
  std::unordered_map<std::string_view, SeenDirectives> type_directives_;
};

}  // namespace

std::string print_ast_type(const Type* type) {
  std::string out;
  append_ast_type(type, out);
  return out;
}

bool is_standard_type_name(std::string_view name) {
  return std::find(std::begin(kStandardTypeNames), std::end(kStandardTypeNames), name) !=
         std::end(kStandardTypeNames);
}

void validate_sdl(std::span<const Document* const> documents, const Document& builtin,
                  ErrorReport& errors) {
  SdlValidator(documents, builtin, errors).run();
}

}  // namespace orbit::graphql::schema_internal
