// Example: the supergraph
//
//   schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: ".../join/v0.3", ...)
//     @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY) { query: Query }
//   directive @join__type(...) repeatable on OBJECT | ...
//   type Query @join__type(graph: A) { a: Int @join__field(graph: A) b: Int @inaccessible }
//   enum join__Graph { A @join__graph(name: "a", url: "") }
//
// gives the API schema
//
//   schema { query: Query }
//   type Query { a: Int }
#include "api_schema.h"

#include <vector>

#include "orbit/graphql/parser.h"
#include "orbit/graphql/printer.h"

namespace orbit::federation {
namespace {

using graphql::Kind;
using graphql::TypeDef;
using graphql::TypeKind;

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

class InaccessibleChecker {
 public:
  InaccessibleChecker(const graphql::Schema& schema, const CoreFeatures& features,
                      std::string_view inaccessible, graphql::ErrorReport& errors)
      : schema_(schema), features_(features), name_(inaccessible), errors_(errors) {}

  void run();

 private:
  template <typename Dirs>
  bool is_inaccessible(const Dirs& dirs) const {
    for (const graphql::Directive* d : dirs) {
      if (d->name.value == name_) return true;
    }
    return false;
  }
  bool is_feature_type(const TypeDef* t) const {
    return features_.owner_of(t->name, false) != nullptr;
  }
  // In the API schema: not a feature type and not @inaccessible.
  bool type_in_api(const TypeDef* t) const {
    return !is_feature_type(t) && !is_inaccessible(t->directives);
  }
  void error(std::string message, const TypeDef* t) {
    graphql::Location loc = t->ast_nodes.empty() ? graphql::Location{} : t->ast_nodes[0]->loc;
    errors_.add_at(std::move(message), loc, ErrorCode::kInvalidSupergraph);
  }
  void error_at(std::string message, graphql::Location loc) {
    errors_.add_at(std::move(message), loc, ErrorCode::kInvalidSupergraph);
  }
  bool has_inaccessible_element(const TypeDef* t) const;
  void check_references(const TypeDef* t);

  const graphql::Schema& schema_;
  const CoreFeatures& features_;
  std::string_view name_;
  graphql::ErrorReport& errors_;
};

bool InaccessibleChecker::has_inaccessible_element(const TypeDef* t) const {
  if (is_inaccessible(t->directives)) return true;
  for (const graphql::FieldDef& f : t->fields) {
    if (is_inaccessible(f.directives)) return true;
    for (const graphql::InputValueDef& a : f.arguments) {
      if (is_inaccessible(a.directives)) return true;
    }
  }
  for (const graphql::InputValueDef& f : t->input_fields) {
    if (is_inaccessible(f.directives)) return true;
  }
  for (const graphql::EnumValueDef& v : t->enum_values) {
    if (is_inaccessible(v.directives)) return true;
  }
  return false;
}

// An @inaccessible type must not be referenced by anything that stays in the API schema.
void InaccessibleChecker::check_references(const TypeDef* target) {
  auto referenced = [&](const graphql::TypeRef* ref) { return ref->named_type() == target; };
  auto report = [&](const std::string& coordinate) {
    error("Type " + quoted(target->name) + " is @inaccessible but is referenced by " +
              quoted(coordinate) + ", which is in the API schema.",
          target);
  };
  for (const TypeDef* t : schema_.types()) {
    if (t->builtin || !type_in_api(t)) continue;
    for (const graphql::FieldDef& f : t->fields) {
      if (is_inaccessible(f.directives)) continue;
      std::string coordinate = std::string(t->name) + "." + std::string(f.name);
      if (referenced(f.type)) report(coordinate);
      for (const graphql::InputValueDef& a : f.arguments) {
        if (!is_inaccessible(a.directives) && referenced(a.type)) {
          report(coordinate + "(" + std::string(a.name) + ":)");
        }
      }
    }
    for (const graphql::InputValueDef& f : t->input_fields) {
      if (!is_inaccessible(f.directives) && referenced(f.type)) {
        report(std::string(t->name) + "." + std::string(f.name));
      }
    }
  }
  for (const graphql::DirectiveDef* d : schema_.directives()) {
    if (d->builtin || features_.owner_of(d->name, true) != nullptr) continue;
    for (const graphql::InputValueDef& a : d->arguments) {
      if (!is_inaccessible(a.directives) && referenced(a.type)) {
        report("@" + std::string(d->name) + "(" + std::string(a.name) + ":)");
      }
    }
  }
  if (schema_.query_type() == target) {
    error("Type " + quoted(target->name) +
              " is @inaccessible but is the root query type, which must be in the API schema.",
          target);
  }
}

void InaccessibleChecker::run() {
  for (const TypeDef* t : schema_.types()) {
    if (t->builtin) {
      if (has_inaccessible_element(t)) {
        error("Built-in type " + quoted(t->name) + " cannot use @inaccessible.", t);
      }
      continue;
    }
    if (is_feature_type(t)) {
      if (has_inaccessible_element(t)) {
        error("Core feature type " + quoted(t->name) + " cannot use @inaccessible.", t);
      }
      continue;
    }
    if (is_inaccessible(t->directives)) {
      check_references(t);
      continue;
    }
    std::string_view children;
    bool empty = true;
    switch (t->kind) {
      case TypeKind::kObject:
      case TypeKind::kInterface:
        children = "fields";
        for (const graphql::FieldDef& f : t->fields)
          empty = empty && is_inaccessible(f.directives);
        break;
      case TypeKind::kInputObject:
        children = "input fields";
        for (const graphql::InputValueDef& f : t->input_fields) {
          empty = empty && is_inaccessible(f.directives);
        }
        break;
      case TypeKind::kUnion:
        children = "members";
        for (const TypeDef* m : t->members)
          empty = empty && is_inaccessible(m->directives);
        break;
      case TypeKind::kEnum:
        children = "values";
        for (const graphql::EnumValueDef& v : t->enum_values) {
          empty = empty && is_inaccessible(v.directives);
        }
        break;
      case TypeKind::kScalar: empty = false; break;
    }
    if (empty) {
      error("Type " + quoted(t->name) + " is in the API schema but all of its " +
                std::string(children) + " are @inaccessible.",
            t);
    }
    if (t->kind == TypeKind::kObject || t->kind == TypeKind::kInterface) {
      for (const graphql::FieldDef& f : t->fields) {
        std::string coordinate = std::string(t->name) + "." + std::string(f.name);
        graphql::Location loc = f.ast != nullptr ? f.ast->loc : graphql::Location{};
        if (is_inaccessible(f.directives)) {
          for (const TypeDef* iface : t->interfaces) {
            const graphql::FieldDef* implemented = iface->field(f.name);
            if (implemented != nullptr && type_in_api(iface) &&
                !is_inaccessible(implemented->directives)) {
              error_at("Field " + quoted(coordinate) +
                           " is @inaccessible but implements the interface field " +
                           quoted(std::string(iface->name) + "." + std::string(f.name)) +
                           ", which is in the API schema.",
                       loc);
            }
          }
          continue;
        }
        for (const graphql::InputValueDef& a : f.arguments) {
          if (is_inaccessible(a.directives) && a.type->is_non_null() &&
              a.default_value == nullptr) {
            error_at("Argument " + quoted(coordinate + "(" + std::string(a.name) + ":)") +
                         " is @inaccessible but is a required argument of its field.",
                     a.ast != nullptr ? a.ast->loc : loc);
          }
        }
      }
    } else if (t->kind == TypeKind::kInputObject) {
      for (const graphql::InputValueDef& f : t->input_fields) {
        if (is_inaccessible(f.directives) && f.type->is_non_null() && f.default_value == nullptr) {
          error_at("Input field " + quoted(std::string(t->name) + "." + std::string(f.name)) +
                       " is @inaccessible but is a required input field of its type.",
                   f.ast != nullptr ? f.ast->loc : graphql::Location{});
        }
      }
    }
  }
}

// Builds the filtered copy of the supergraph document.
class ApiDocumentBuilder {
 public:
  ApiDocumentBuilder(const graphql::Schema& schema, const CoreFeatures& features,
                     std::string_view inaccessible, Arena& arena)
      : schema_(schema), features_(features), inaccessible_(inaccessible), arena_(arena) {}

  graphql::Document* build(const graphql::Document& doc);

 private:
  template <typename T>
  graphql::List<T> to_list(const std::vector<T*>& items) {
    auto span = arena_.copy_span<T*>(std::span<T* const>(items.data(), items.size()));
    return graphql::List<T>(span.data(), span.size());
  }
  bool inaccessible(graphql::List<graphql::Directive> dirs) const {
    if (inaccessible_.empty()) return false;
    for (const graphql::Directive* d : dirs) {
      if (d->name.value == inaccessible_) return true;
    }
    return false;
  }
  bool removed_directive(std::string_view name) const {
    return features_.owner_of(name, true) != nullptr || removed_custom_.count(name) != 0;
  }
  // A named type that does not make it into the API schema.
  bool removed_type(std::string_view name) const {
    if (features_.owner_of(name, false) != nullptr) return true;
    const TypeDef* t = schema_.type(name);
    return t != nullptr && !t->builtin && t->directive(inaccessible_) != nullptr &&
           !inaccessible_.empty();
  }
  graphql::List<graphql::Directive> directives(graphql::List<graphql::Directive> dirs) {
    std::vector<graphql::Directive*> kept;
    for (graphql::Directive* d : dirs) {
      if (!removed_directive(d->name.value)) kept.push_back(d);
    }
    return to_list(kept);
  }
  graphql::List<graphql::InputValueDefinition> input_values(
      graphql::List<graphql::InputValueDefinition> values) {
    std::vector<graphql::InputValueDefinition*> kept;
    for (graphql::InputValueDefinition* v : values) {
      if (inaccessible(v->directives)) continue;
      auto* copy = arena_.make<graphql::InputValueDefinition>(*v);
      copy->directives = directives(v->directives);
      kept.push_back(copy);
    }
    return to_list(kept);
  }
  graphql::Definition* type_definition(graphql::TypeDefinition* def);

  const graphql::Schema& schema_;
  const CoreFeatures& features_;
  std::string_view inaccessible_;
  Arena& arena_;
  std::unordered_map<std::string_view, bool> removed_custom_;
};

graphql::Definition* ApiDocumentBuilder::type_definition(graphql::TypeDefinition* def) {
  if (removed_type(def->name.value)) return nullptr;
  switch (def->kind) {
    case Kind::kScalarTypeDefinition:
    case Kind::kScalarTypeExtension: {
      auto* copy =
          arena_.make<graphql::ScalarTypeDefinition>(*def->as<graphql::ScalarTypeDefinition>());
      copy->directives = directives(def->directives);
      return copy;
    }
    case Kind::kObjectTypeDefinition:
    case Kind::kObjectTypeExtension:
    case Kind::kInterfaceTypeDefinition:
    case Kind::kInterfaceTypeExtension: {
      auto* src = def->as<graphql::ObjectTypeDefinition>();
      auto* copy = arena_.make<graphql::ObjectTypeDefinition>(*src);
      copy->directives = directives(src->directives);
      std::vector<graphql::NamedType*> interfaces;
      for (graphql::NamedType* i : src->interfaces) {
        if (!removed_type(i->name.value)) interfaces.push_back(i);
      }
      copy->interfaces = to_list(interfaces);
      std::vector<graphql::FieldDefinition*> fields;
      for (graphql::FieldDefinition* f : src->fields) {
        if (inaccessible(f->directives)) continue;
        auto* fc = arena_.make<graphql::FieldDefinition>(*f);
        fc->directives = directives(f->directives);
        fc->arguments = input_values(f->arguments);
        fields.push_back(fc);
      }
      copy->fields = to_list(fields);
      return copy;
    }
    case Kind::kUnionTypeDefinition:
    case Kind::kUnionTypeExtension: {
      auto* src = def->as<graphql::UnionTypeDefinition>();
      auto* copy = arena_.make<graphql::UnionTypeDefinition>(*src);
      copy->directives = directives(src->directives);
      std::vector<graphql::NamedType*> members;
      for (graphql::NamedType* m : src->types) {
        if (!removed_type(m->name.value)) members.push_back(m);
      }
      copy->types = to_list(members);
      return copy;
    }
    case Kind::kEnumTypeDefinition:
    case Kind::kEnumTypeExtension: {
      auto* src = def->as<graphql::EnumTypeDefinition>();
      auto* copy = arena_.make<graphql::EnumTypeDefinition>(*src);
      copy->directives = directives(src->directives);
      std::vector<graphql::EnumValueDefinition*> values;
      for (graphql::EnumValueDefinition* v : src->values) {
        if (inaccessible(v->directives)) continue;
        auto* vc = arena_.make<graphql::EnumValueDefinition>(*v);
        vc->directives = directives(v->directives);
        values.push_back(vc);
      }
      copy->values = to_list(values);
      return copy;
    }
    case Kind::kInputObjectTypeDefinition:
    case Kind::kInputObjectTypeExtension: {
      auto* src = def->as<graphql::InputObjectTypeDefinition>();
      auto* copy = arena_.make<graphql::InputObjectTypeDefinition>(*src);
      copy->directives = directives(src->directives);
      copy->fields = input_values(src->fields);
      return copy;
    }
    default: return nullptr;
  }
}

graphql::Document* ApiDocumentBuilder::build(const graphql::Document& doc) {
  // Custom definitions of @defer and @stream mirror what subgraphs declared; whether the
  // router supports them does not depend on that (Apollo's toAPISchema drops them too).
  for (const graphql::Definition* def : doc.definitions) {
    if (def->kind != Kind::kDirectiveDefinition) continue;
    std::string_view name = def->as<graphql::DirectiveDefinition>()->name.value;
    if (name == "defer" || name == "stream") removed_custom_[name] = true;
  }
  std::vector<graphql::Definition*> out;
  for (graphql::Definition* def : doc.definitions) {
    if (def->kind == Kind::kSchemaDefinition || def->kind == Kind::kSchemaExtension) {
      auto* src = def->as<graphql::SchemaDefinition>();
      auto* copy = arena_.make<graphql::SchemaDefinition>(*src);
      copy->directives = directives(src->directives);
      std::vector<graphql::OperationTypeDefinition*> ops;
      for (graphql::OperationTypeDefinition* op : src->operation_types) {
        if (!removed_type(op->type->name.value)) ops.push_back(op);
      }
      copy->operation_types = to_list(ops);
      if (copy->is_extension() && copy->operation_types.empty() && copy->directives.empty()) {
        continue;
      }
      out.push_back(copy);
    } else if (def->kind == Kind::kDirectiveDefinition) {
      auto* src = def->as<graphql::DirectiveDefinition>();
      if (removed_directive(src->name.value)) continue;
      auto* copy = arena_.make<graphql::DirectiveDefinition>(*src);
      copy->arguments = input_values(src->arguments);
      out.push_back(copy);
    } else if (graphql::is_type_definition(def->kind) || graphql::is_type_extension(def->kind)) {
      if (graphql::Definition* copy = type_definition(def->as<graphql::TypeDefinition>())) {
        out.push_back(copy);
      }
    }
  }
  auto* result = arena_.make<graphql::Document>();
  result->definitions = to_list(out);
  return result;
}

}  // namespace

ApiSchemaResult build_api_schema(std::string_view supergraph_sdl, const graphql::Schema& supergraph,
                                 const CoreFeatures& features,
                                 std::string_view inaccessible_directive,
                                 graphql::ErrorReport& errors) {
  ApiSchemaResult result;
  size_t before = errors.errors().size();
  if (!inaccessible_directive.empty()) {
    InaccessibleChecker(supergraph, features, inaccessible_directive, errors).run();
    if (errors.errors().size() != before) return result;
  }
  // The supergraph Schema keeps its AST private and immutable, so filter a fresh parse.
  Arena arena;
  graphql::ParseResult parsed = graphql::parse(supergraph_sdl, arena);
  if (!parsed.ok()) {
    errors.add(parsed.error);  // cannot happen: the same text built `supergraph`
    return result;
  }
  graphql::Document* doc = ApiDocumentBuilder(supergraph, features, inaccessible_directive, arena)
                               .build(*parsed.document);
  result.sdl = graphql::print(*doc);
  graphql::ErrorReport api_errors;
  result.schema = graphql::Schema::build(result.sdl, api_errors);
  if (result.schema == nullptr) {
    for (const graphql::GraphqlError& e : api_errors.errors()) {
      errors.add("Invalid supergraph: the API schema derived from it is invalid: " + e.message,
                 ErrorCode::kInvalidSupergraph);
    }
  }
  return result;
}

}  // namespace orbit::federation
