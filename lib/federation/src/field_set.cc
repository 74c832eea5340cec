#include "orbit/federation/field_set.h"

#include "orbit/graphql/parser.h"

namespace orbit::federation {
namespace {

using graphql::Kind;

// Returns an empty string when the selection set is valid for `parent`.
std::string check_selections(const graphql::SelectionSet* set, const graphql::TypeDef* parent,
                             const graphql::Schema& schema) {
  for (const graphql::Selection* sel : set->selections) {
    if (!sel->directives.empty()) return "directives are not allowed in a field set";
    if (sel->kind == Kind::kFragmentSpread) {
      return "fragment spreads are not allowed in a field set";
    }
    if (sel->kind == Kind::kInlineFragment) {
      const auto* frag = sel->as<graphql::InlineFragment>();
      const graphql::TypeDef* cond = parent;
      if (frag->type_condition != nullptr) {
        cond = schema.type(frag->type_condition->name.value);
        if (cond == nullptr) {
          return "unknown type \"" + std::string(frag->type_condition->name.value) + "\"";
        }
        if (!cond->is_composite() || !schema.types_overlap(parent, cond)) {
          return "fragment on \"" + std::string(cond->name) + "\" can never apply to \"" +
                 std::string(parent->name) + "\"";
        }
      }
      std::string err = check_selections(frag->selection_set, cond, schema);
      if (!err.empty()) return err;
      continue;
    }
    const auto* field = sel->as<graphql::Field>();
    if (!field->alias.empty()) return "aliases are not allowed in a field set";
    const graphql::FieldDef* def = schema.field_def(parent, field->name.value);
    if (def == nullptr) {
      return "field \"" + std::string(parent->name) + "." + std::string(field->name.value) +
             "\" does not exist";
    }
    for (const graphql::Argument* arg : field->arguments) {
      if (def->argument(arg->name.value) == nullptr) {
        return "unknown argument \"" + std::string(arg->name.value) + "\" on field \"" +
               std::string(parent->name) + "." + std::string(def->name) + "\"";
      }
      if (arg->value->kind == Kind::kVariable) return "variables are not allowed in a field set";
    }
    const graphql::TypeDef* type = def->type->named_type();
    if (type->is_composite()) {
      if (field->selection_set == nullptr) {
        return "field \"" + std::string(parent->name) + "." + std::string(def->name) +
               "\" of composite type \"" + std::string(type->name) + "\" needs a selection";
      }
      std::string err = check_selections(field->selection_set, type, schema);
      if (!err.empty()) return err;
    } else if (field->selection_set != nullptr) {
      return "leaf field \"" + std::string(parent->name) + "." + std::string(def->name) +
             "\" cannot have a selection";
    }
  }
  return {};
}

}  // namespace

FieldSetParse parse_field_set(std::string_view text, const graphql::TypeDef* parent,
                              const graphql::Schema& schema, Arena& arena) {
  FieldSetParse out;
  if (parent == nullptr || !parent->is_composite()) {
    out.error = "a field set needs a composite parent type";
    return out;
  }
  // The parser keeps views into its source, so the braced copy lives in the arena.
  std::string braced;
  braced.reserve(text.size() + 2);
  braced += '{';
  braced += text;
  braced += '}';
  std::string_view source = arena.copy_string(braced);
  graphql::ParseOptions options;
  options.allow_type_system = false;
  options.max_depth = 64;
  graphql::ParseResult parsed = graphql::parse(source, arena, options);
  if (!parsed.ok()) {
    out.error = "cannot parse \"" + std::string(text) + "\": " + parsed.error.message;
    return out;
  }
  const graphql::Document* doc = parsed.document;
  if (doc->definitions.size() != 1 || doc->definitions[0]->kind != Kind::kOperationDefinition) {
    out.error = "\"" + std::string(text) + "\" is not a selection set";
    return out;
  }
  const auto* op = doc->definitions[0]->as<graphql::OperationDefinition>();
  if (op->selection_set == nullptr || op->selection_set->selections.empty()) {
    out.error = "field set is empty";
    return out;
  }
  out.error = check_selections(op->selection_set, parent, schema);
  if (out.error.empty()) out.selection_set = op->selection_set;
  return out;
}

}  // namespace orbit::federation
