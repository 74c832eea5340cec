// graphql-js's validateSchema() (type/validate.js) on a built Schema: root types, directive
// definitions, then every type in type-map order, then input object cycles. Messages and
// locations are graphql-js's; GraphqlError::origin names the graphql-js function.
//
// Not checked here: default values against their types (validateDefaultValue), which needs
// literal coercion from the values stage.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "orbit/base/arena.h"
#include "orbit/graphql/schema/suggestion_list.h"
#include "orbit/graphql/values/values.h"
#include "schema_internal.h"

namespace orbit::graphql::schema_internal {
namespace {

bool is_input(const TypeRef* t) {
  return t != nullptr && t->named_type()->is_input();
}
bool is_output(const TypeRef* t) {
  return t != nullptr && t->named_type()->is_output();
}

bool is_required(const InputValueDef& v) {
  return v.type != nullptr && v.type->is_non_null() && v.default_value == nullptr;
}

bool is_introspection_type(const TypeDef* t) {
  return t->builtin && t->name.size() > 2 && t->name[0] == '_' && t->name[1] == '_';
}

const Directive* deprecated_directive(List<Directive> directives) {
  for (const Directive* d : directives) {
    if (d->name.value == "deprecated") return d;
  }
  return nullptr;
}

class SchemaValidator {
 public:
  SchemaValidator(const Schema& schema, const SchemaAstNodes& ast, ErrorReport& errors)
      : schema_(schema), ast_(ast), errors_(errors) {}

  void run() {
    validate_root_types();
    validate_directives();
    validate_types();
  }

 private:
  // Errors with a list of optional locations (graphql-js filters out missing nodes).
  struct Locs {
    std::vector<Location> items;
    void add(const Node* n) {
      if (n != nullptr) items.push_back(n->loc);
    }
    void add(const Location& loc) { items.push_back(loc); }
  };

  void report(std::string message, std::string_view origin, const Locs& locs) {
    GraphqlError& e = add_schema_error(errors_, std::move(message), origin);
    for (const Location& loc : locs.items)
      e.locations.push_back(to_source_location(loc));
  }

  // ---- root types ----

  const NamedType* operation_type_node(OperationType op) const {
    std::vector<const SchemaDefinition*> nodes;
    if (ast_.definition != nullptr) nodes.push_back(ast_.definition);
    nodes.insert(nodes.end(), ast_.extensions.begin(), ast_.extensions.end());
    for (const SchemaDefinition* node : nodes) {
      for (const OperationTypeDefinition* o : node->operation_types) {
        if (o->operation == op) return o->type;
      }
    }
    return nullptr;
  }

  static const Node* ast_node(const TypeDef* t) {
    return t->ast_nodes.empty() || t->ast_nodes.front()->is_extension() ? nullptr
                                                                        : t->ast_nodes.front();
  }

  void validate_root_types() {
    constexpr std::string_view kOrigin = "validateRootTypes";
    if (schema_.query_type() == nullptr) {
      Locs locs;
      locs.add(ast_.definition);
      report("Query root type must be provided.", kOrigin, locs);
    }
    std::vector<std::pair<const TypeDef*, std::vector<OperationType>>> roots;
    for (OperationType op :
         {OperationType::kQuery, OperationType::kMutation, OperationType::kSubscription}) {
      const TypeDef* root = schema_.root_type(op);
      if (root == nullptr) continue;
      if (root->kind != TypeKind::kObject) {
        std::string op_name(operation_type_name(op));
        op_name[0] = static_cast<char>(op_name[0] - 'a' + 'A');
        Locs locs;
        const NamedType* node = operation_type_node(op);
        locs.add(node != nullptr ? static_cast<const Node*>(node) : ast_node(root));
        report(op == OperationType::kQuery
                   ? op_name + " root type must be Object type, it cannot be " +
                         std::string(root->name) + "."
                   : op_name + " root type must be Object type if provided, it cannot be " +
                         std::string(root->name) + ".",
               kOrigin, locs);
        continue;
      }
      auto it =
          std::find_if(roots.begin(), roots.end(), [&](const auto& r) { return r.first == root; });
      if (it == roots.end()) {
        roots.push_back({root, {op}});
      } else {
        it->second.push_back(op);
      }
    }
    for (const auto& [root, ops] : roots) {
      if (ops.size() < 2) continue;
      std::vector<std::string> names;
      Locs locs;
      for (OperationType op : ops) {
        names.emplace_back(operation_type_name(op));
        locs.add(operation_type_node(op));
      }
      report("All root types must be different, \"" + std::string(root->name) +
                 "\" type is used as " + and_list(names) + " root types.",
             kOrigin, locs);
    }
  }

  // ---- names, arguments ----

  void validate_name(std::string_view name, const Node* node) {
    if (name.size() >= 2 && name[0] == '_' && name[1] == '_') {
      Locs locs;
      locs.add(node);
      report("Name \"" + std::string(name) +
                 "\" must not begin with \"__\", which is reserved by GraphQL introspection.",
             "validateName", locs);
    }
  }

  void validate_directives() {
    constexpr std::string_view kOrigin = "validateDirectives";
    for (const DirectiveDef* d : schema_.directives()) {
      if (d->builtin) continue;  // the specified directives are valid by construction
      validate_name(d->name, d->ast);
      if (d->locations.empty()) {
        Locs locs;
        locs.add(d->ast);
        report("Directive @" + std::string(d->name) + " must include 1 or more locations.", kOrigin,
               locs);
      }
      for (const InputValueDef& arg : d->arguments) {
        auto arg_str = [&] {
          return "@" + std::string(d->name) + "(" + std::string(arg.name) + ":)";
        };
        validate_name(arg.name, arg.ast);
        if (!is_input(arg.type)) {
          Locs locs;
          locs.add(arg.ast);
          report("The type of " + arg_str() +
                     " must be Input Type but got: " + arg.type->to_string() + ".",
                 kOrigin, locs);
        }
        if (is_required(arg) && arg.deprecated) {
          Locs locs;
          locs.add(deprecated_directive(arg.directives));
          if (arg.ast != nullptr) locs.add(arg.ast->type);
          report("Required argument " + arg_str() + " cannot be deprecated.", kOrigin, locs);
        }
        validate_default_value(arg, arg_str());
      }
    }
  }

  // graphql-js validateDefaultValue(): a default value must be valid for its type.
  //   type Query { a(x: Int = "one"): Int }
  //   -> Query.a(x:) has invalid default value: Int cannot represent non-integer value: "one"
  void validate_default_value(const InputValueDef& def, const std::string& owner) {
    if (def.default_value == nullptr || def.type == nullptr) return;
    Arena scratch(1024);
    for (const InputProblem& p :
         validate_input_literal(*def.default_value, def.type, nullptr, scratch)) {
      Locs locs;
      locs.add(p.loc.line != 0 ? p.loc : def.default_value->loc);
      report(owner + " has invalid default value" + p.path + ": " + p.message,
             "validateDefaultValue", locs);
    }
  }

  // ---- types ----

  void validate_types() {
    for (const TypeDef* t : schema_.types()) {
      if (!is_introspection_type(t)) validate_name(t->name, ast_node(t));
      switch (t->kind) {
        case TypeKind::kObject:
        case TypeKind::kInterface:
          validate_fields(t);
          validate_interfaces(t);
          break;
        case TypeKind::kUnion: validate_union_members(t); break;
        case TypeKind::kEnum: validate_enum_values(t); break;
        case TypeKind::kInputObject:
          validate_input_fields(t);
          input_objects_.push_back(t);
          validate_default_value_cycles(t);
          break;
        default: break;
      }
    }
    detect_non_finite_input_objects();
  }

  Locs definition_and_extensions(const TypeDef* t) {
    Locs locs;
    for (const TypeDefinition* n : t->ast_nodes)
      locs.add(n);
    return locs;
  }

  void validate_fields(const TypeDef* t) {
    constexpr std::string_view kOrigin = "validateFields";
    if (t->fields.empty()) {
      report("Type " + std::string(t->name) + " must define one or more fields.", kOrigin,
             definition_and_extensions(t));
    }
    for (const FieldDef& f : t->fields) {
      auto field_str = [&] { return std::string(t->name) + "." + std::string(f.name); };
      validate_name(f.name, f.ast);
      if (!is_output(f.type)) {
        Locs locs;
        if (f.ast != nullptr) locs.add(f.ast->type);
        report("The type of " + field_str() +
                   " must be Output Type but got: " + f.type->to_string() + ".",
               kOrigin, locs);
      }
      for (const InputValueDef& arg : f.arguments) {
        auto arg_str = [&] { return field_str() + "(" + std::string(arg.name) + ":)"; };
        validate_name(arg.name, arg.ast);
        if (!is_input(arg.type)) {
          Locs locs;
          if (arg.ast != nullptr) locs.add(arg.ast->type);
          report("The type of " + arg_str() +
                     " must be Input Type but got: " + arg.type->to_string() + ".",
                 kOrigin, locs);
        }
        if (is_required(arg) && arg.deprecated) {
          Locs locs;
          locs.add(deprecated_directive(arg.directives));
          if (arg.ast != nullptr) locs.add(arg.ast->type);
          report("Required argument " + arg_str() + " cannot be deprecated.", kOrigin, locs);
        }
        validate_default_value(arg, arg_str());
      }
    }
  }

  // Every `implements X` naming `iface` in the definition and extensions of `t`.
  static void implements_nodes(const TypeDef* t, const TypeDef* iface, Locs& locs) {
    for (const TypeDefinition* n : t->ast_nodes) {
      if (!is_object_kind(n->kind)) continue;
      for (const NamedType* i : n->as<ObjectTypeDefinition>()->interfaces) {
        if (i->name.value == iface->name) locs.add(i);
      }
    }
  }

  static bool is_object_kind(Kind k) {
    return k == Kind::kObjectTypeDefinition || k == Kind::kObjectTypeExtension ||
           k == Kind::kInterfaceTypeDefinition || k == Kind::kInterfaceTypeExtension;
  }

  void validate_interfaces(const TypeDef* t) {
    constexpr std::string_view kOrigin = "validateInterfaces";
    std::unordered_set<std::string_view> seen;
    std::string type_name(t->name);
    for (const TypeDef* iface : t->interfaces) {
      if (iface->kind != TypeKind::kInterface) {
        Locs locs;
        implements_nodes(t, iface, locs);
        report("Type " + type_name + " must only implement Interface types, it cannot implement " +
                   std::string(iface->name) + ".",
               kOrigin, locs);
        continue;
      }
      if (iface == t) {
        Locs locs;
        implements_nodes(t, iface, locs);
        report("Type " + type_name +
                   " cannot implement itself because it would create a circular reference.",
               kOrigin, locs);
        continue;
      }
      if (!seen.insert(iface->name).second) {
        Locs locs;
        implements_nodes(t, iface, locs);
        report("Type " + type_name + " can only implement " + std::string(iface->name) + " once.",
               kOrigin, locs);
        continue;
      }
      validate_implements_ancestors(t, iface);
      validate_implements_interface(t, iface);
    }
  }

  void validate_implements_ancestors(const TypeDef* t, const TypeDef* iface) {
    for (const TypeDef* transitive : iface->interfaces) {
      if (std::find(t->interfaces.begin(), t->interfaces.end(), transitive) !=
          t->interfaces.end()) {
        continue;
      }
      Locs locs;
      implements_nodes(iface, transitive, locs);
      implements_nodes(t, iface, locs);
      report(transitive == t
                 ? "Type " + std::string(t->name) + " cannot implement " +
                       std::string(iface->name) + " because it would create a circular reference."
                 : "Type " + std::string(t->name) + " must implement " +
                       std::string(transitive->name) + " because it is implemented by " +
                       std::string(iface->name) + ".",
             "validateTypeImplementsAncestors", locs);
    }
  }

  void validate_implements_interface(const TypeDef* t, const TypeDef* iface) {
    constexpr std::string_view kOrigin = "validateTypeImplementsInterface";
    std::string type_name(t->name);
    std::string iface_name(iface->name);
    for (const FieldDef& iface_field : iface->fields) {
      auto iface_field_str = [&] { return iface_name + "." + std::string(iface_field.name); };
      const FieldDef* type_field = t->field(iface_field.name);
      if (type_field == nullptr) {
        Locs all;
        all.add(iface_field.ast);
        for (const TypeDefinition* n : t->ast_nodes)
          all.add(n);
        report("Interface field " + iface_field_str() + " expected but " + type_name +
                   " does not provide it.",
               kOrigin, all);
        continue;
      }
      auto type_field_str = [&] { return type_name + "." + std::string(type_field->name); };
      if (!schema_.is_type_sub_type_of(type_field->type, iface_field.type)) {
        Locs locs;
        if (iface_field.ast != nullptr) locs.add(iface_field.ast->type);
        if (type_field->ast != nullptr) locs.add(type_field->ast->type);
        report("Interface field " + iface_field_str() + " expects type " +
                   iface_field.type->to_string() + " but " + type_field_str() + " is type " +
                   type_field->type->to_string() + ".",
               kOrigin, locs);
      }
      for (const InputValueDef& iface_arg : iface_field.arguments) {
        auto iface_arg_str = [&] {
          return iface_field_str() + "(" + std::string(iface_arg.name) + ":)";
        };
        const InputValueDef* type_arg = type_field->argument(iface_arg.name);
        if (type_arg == nullptr) {
          Locs locs;
          locs.add(iface_arg.ast);
          locs.add(type_field->ast);
          report("Interface field argument " + iface_arg_str() + " expected but " +
                     type_field_str() + " does not provide it.",
                 kOrigin, locs);
          continue;
        }
        if (!Schema::equal_types(iface_arg.type, type_arg->type)) {
          Locs locs;
          if (iface_arg.ast != nullptr) locs.add(iface_arg.ast->type);
          if (type_arg->ast != nullptr) locs.add(type_arg->ast->type);
          report("Interface field argument " + iface_arg_str() + " expects type " +
                     iface_arg.type->to_string() + " but " + type_field_str() + "(" +
                     std::string(type_arg->name) + ":) is type " + type_arg->type->to_string() +
                     ".",
                 kOrigin, locs);
        }
      }
      for (const InputValueDef& type_arg : type_field->arguments) {
        if (!is_required(type_arg) || iface_field.argument(type_arg.name) != nullptr) continue;
        Locs locs;
        locs.add(type_arg.ast);
        locs.add(iface_field.ast);
        report("Argument \"" + type_field_str() + "(" + std::string(type_arg.name) +
                   ":)\" must not be required type \"" + type_arg.type->to_string() +
                   "\" if not provided by the Interface field \"" + iface_field_str() + "\".",
               kOrigin, locs);
      }
      if (type_field->deprecated && !iface_field.deprecated) {
        Locs locs;
        locs.add(deprecated_directive(type_field->directives));
        if (type_field->ast != nullptr) locs.add(type_field->ast->type);
        report("Interface field " + iface_field_str() +
                   " is not deprecated, so implementation field " + type_field_str() +
                   " must not be deprecated.",
               kOrigin, locs);
      }
    }
  }

  static void union_member_nodes(const TypeDef* u, std::string_view name, Locs& locs) {
    for (const TypeDefinition* n : u->ast_nodes) {
      if (n->kind != Kind::kUnionTypeDefinition && n->kind != Kind::kUnionTypeExtension) continue;
      for (const NamedType* m : n->as<UnionTypeDefinition>()->types) {
        if (m->name.value == name) locs.add(m);
      }
    }
  }

  void validate_union_members(const TypeDef* u) {
    constexpr std::string_view kOrigin = "validateUnionMembers";
    std::string union_name(u->name);
    if (u->members.empty()) {
      report("Union type " + union_name + " must define one or more member types.", kOrigin,
             definition_and_extensions(u));
    }
    std::unordered_set<std::string_view> seen;
    for (const TypeDef* m : u->members) {
      if (!seen.insert(m->name).second) {
        Locs locs;
        union_member_nodes(u, m->name, locs);
        report("Union type " + union_name + " can only include type " + std::string(m->name) +
                   " once.",
               kOrigin, locs);
        continue;
      }
      if (m->kind != TypeKind::kObject) {
        Locs locs;
        union_member_nodes(u, m->name, locs);
        report("Union type " + union_name + " can only include Object types, it cannot include " +
                   std::string(m->name) + ".",
               kOrigin, locs);
      }
    }
  }

  void validate_enum_values(const TypeDef* e) {
    if (e->enum_values.empty()) {
      report("Enum type " + std::string(e->name) + " must define one or more values.",
             "validateEnumValues", definition_and_extensions(e));
    }
    for (const EnumValueDef& v : e->enum_values)
      validate_name(v.name, v.ast);
  }

  void validate_input_fields(const TypeDef* t) {
    constexpr std::string_view kOrigin = "validateInputFields";
    std::string type_name(t->name);
    if (t->input_fields.empty()) {
      report("Input Object type " + type_name + " must define one or more fields.", kOrigin,
             definition_and_extensions(t));
    }
    for (const InputValueDef& f : t->input_fields) {
      auto field_str = [&] { return type_name + "." + std::string(f.name); };
      validate_name(f.name, f.ast);
      if (!is_input(f.type)) {
        Locs locs;
        if (f.ast != nullptr) locs.add(f.ast->type);
        report("The type of " + field_str() +
                   " must be Input Type but got: " + f.type->to_string() + ".",
               kOrigin, locs);
      }
      if (is_required(f) && f.deprecated) {
        Locs locs;
        locs.add(deprecated_directive(f.directives));
        if (f.ast != nullptr) locs.add(f.ast->type);
        report("Required input field " + field_str() + " cannot be deprecated.", kOrigin, locs);
      }
      validate_default_value(f, field_str());
      if (t->one_of) {
        if (f.type->is_non_null()) {
          Locs locs;
          if (f.ast != nullptr) locs.add(f.ast->type);
          report("OneOf input field " + field_str() + " must be nullable.",
                 "validateOneOfInputObjectField", locs);
        }
        if (f.default_value != nullptr) {
          Locs locs;
          locs.add(f.ast);
          report("OneOf input field " + field_str() + " cannot have a default value.",
                 "validateOneOfInputObjectField", locs);
        }
      }
    }
  }

  // ---- default values that refer to themselves (graphql-js
  // createInputObjectDefaultValueCircularRefsValidator, for literal defaults) ----

  void validate_default_value_cycles(const TypeDef* input_object) {
    // Starting from an empty object value: every input-object field falls back to its default.
    for (const InputValueDef& f : input_object->input_fields) {
      const TypeDef* named = f.type->named_type();
      if (named->kind != TypeKind::kInputObject) continue;
      detect_field_default_cycle(f, named,
                                 std::string(input_object->name) + "." + std::string(f.name));
    }
  }

  void detect_literal_default_cycle(const TypeDef* input_object, const Value* value) {
    if (value->kind == Kind::kListValue) {
      for (const Value* item : value->as<ListValue>()->values) {
        detect_literal_default_cycle(input_object, item);
      }
      return;
    }
    if (value->kind != Kind::kObjectValue) return;
    const auto* object = value->as<ObjectValue>();
    for (const InputValueDef& f : input_object->input_fields) {
      const TypeDef* named = f.type->named_type();
      if (named->kind != TypeKind::kInputObject) continue;
      const ObjectField* given = nullptr;
      for (const ObjectField* of : object->fields) {
        if (of->name.value == f.name) given = of;  // the last one wins, as keyMap
      }
      if (given != nullptr) {
        if (given->value != nullptr) detect_literal_default_cycle(named, given->value);
      } else {
        detect_field_default_cycle(f, named,
                                   std::string(input_object->name) + "." + std::string(f.name));
      }
    }
  }

  void detect_field_default_cycle(const InputValueDef& field, const TypeDef* field_type,
                                  const std::string& field_str) {
    if (field.default_value == nullptr) return;
    auto cycle = default_path_index_.find(field_str);
    if (cycle != default_path_index_.end()) {
      size_t index = cycle->second;  // 1-based position in default_path_
      std::string message = "Invalid circular reference. The default value of Input Object field " +
                            field_str + " references itself";
      if (index < default_path_.size()) {
        message += " via the default values of: ";
        for (size_t i = index; i < default_path_.size(); ++i) {
          if (i > index) message += ", ";
          message += default_path_[i].first;
        }
      }
      message += ".";
      Locs locs;
      for (size_t i = index - 1; i < default_path_.size(); ++i) {
        locs.add(default_path_[i].second);
      }
      report(std::move(message), "validateInputObjectDefaultValueCircularRefs", locs);
      return;
    }
    if (!visited_default_fields_.insert(field_str).second) return;
    default_path_.emplace_back(field_str, field.default_value);
    default_path_index_[field_str] = default_path_.size();
    detect_literal_default_cycle(field_type, field.default_value);
    default_path_.pop_back();
    default_path_index_.erase(field_str);
  }

  // ---- input objects that cannot be given a finite value (graphql-js
  // detectInputObjectNonFiniteValues) ----

  struct FiniteState {
    const TypeDef* input_object = nullptr;
    std::vector<std::pair<const InputValueDef*, const TypeDef*>> targets;
    std::vector<FiniteState*> dependents;
    size_t unresolved = 0;
    bool finite = false;
  };

  static const TypeDef* finite_value_target(const TypeDef* input_object, const TypeRef* type) {
    if (input_object->one_of) {
      return type->wrap == TypeRef::Wrap::kNamed && type->named->kind == TypeKind::kInputObject
                 ? type->named
                 : nullptr;
    }
    if (type->is_non_null() && type->of_type->wrap == TypeRef::Wrap::kNamed &&
        type->of_type->named->kind == TypeKind::kInputObject) {
      return type->of_type->named;
    }
    return nullptr;
  }

  void detect_non_finite_input_objects() {
    std::vector<FiniteState> states(input_objects_.size());
    std::unordered_map<const TypeDef*, FiniteState*> by_type;
    for (size_t i = 0; i < input_objects_.size(); ++i) {
      states[i].input_object = input_objects_[i];
      by_type[input_objects_[i]] = &states[i];
    }
    std::vector<FiniteState*> finite_queue;
    auto mark_finite = [&](FiniteState* s) {
      if (!s->finite) {
        s->finite = true;
        finite_queue.push_back(s);
      }
    };
    for (FiniteState& state : states) {
      const TypeDef* obj = state.input_object;
      for (const InputValueDef& f : obj->input_fields) {
        const TypeDef* target = finite_value_target(obj, f.type);
        if (target == nullptr) continue;
        state.targets.emplace_back(&f, target);
        auto it = by_type.find(target);
        if (it != by_type.end()) it->second->dependents.push_back(&state);
      }
      if (obj->one_of) {
        if (obj->input_fields.empty() || state.targets.size() < obj->input_fields.size()) {
          mark_finite(&state);
        }
      } else {
        state.unresolved = state.targets.size();
        if (state.targets.empty()) mark_finite(&state);
      }
    }
    while (!finite_queue.empty()) {
      FiniteState* next = finite_queue.back();
      finite_queue.pop_back();
      for (FiniteState* dependent : next->dependents) {
        if (dependent->finite) continue;
        if (dependent->input_object->one_of) {
          mark_finite(dependent);
          continue;
        }
        if (--dependent->unresolved == 0) mark_finite(dependent);
      }
    }
    // Report each cycle once, walking from the first non-finite type in type order.
    std::unordered_set<const TypeDef*> visited;
    std::vector<std::pair<std::string, const InputValueDefinition*>> path;
    std::unordered_map<const TypeDef*, size_t> path_index;
    auto report_cycles = [&](auto& self, FiniteState* state) -> void {
      const TypeDef* obj = state->input_object;
      if (!visited.insert(obj).second) return;
      path_index[obj] = path.size();
      for (const auto& [field, target] : state->targets) {
        auto target_it = by_type.find(target);
        if (target_it == by_type.end() || target_it->second->finite) continue;
        path.emplace_back(std::string(obj->name) + "." + std::string(field->name), field->ast);
        auto cycle = path_index.find(target);
        if (cycle == path_index.end()) {
          self(self, target_it->second);
        } else {
          std::string fields;
          Locs locs;
          for (size_t i = cycle->second; i < path.size(); ++i) {
            if (i > cycle->second) fields += ", ";
            fields += path[i].first;
            locs.add(path[i].second);
          }
          report("Input Object " + std::string(target->name) +
                     " cannot be provided a finite value because it references itself through "
                     "fields: " +
                     fields + ".",
                 "detectInputObjectNonFiniteValues", locs);
        }
        path.pop_back();
      }
      path_index.erase(obj);
    };
    for (FiniteState& state : states) {
      if (!state.finite) report_cycles(report_cycles, &state);
    }
  }

  const Schema& schema_;
  const SchemaAstNodes& ast_;
  ErrorReport& errors_;
  std::vector<const TypeDef*> input_objects_;  // in type order
  std::unordered_set<std::string> visited_default_fields_;
  std::vector<std::pair<std::string, const Value*>> default_path_;
  std::unordered_map<std::string, size_t> default_path_index_;
};

}  // namespace

void validate_schema(const Schema& schema, const SchemaAstNodes& ast, ErrorReport& errors) {
  SchemaValidator(schema, ast, errors).run();
}

}  // namespace orbit::graphql::schema_internal
