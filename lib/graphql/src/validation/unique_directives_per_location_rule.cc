// UniqueDirectivesPerLocationRule: a non-repeatable directive appears at most once per
// location (for type definitions: across the definition and its extensions).
#include <unordered_map>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

using SeenMap = std::unordered_map<std::string_view, const Directive*>;

List<Directive> directives_of(const Node& node) {
  switch (node.kind) {
    case Kind::kOperationDefinition: return node.as<OperationDefinition>()->directives;
    case Kind::kVariableDefinition: return node.as<VariableDefinition>()->directives;
    case Kind::kField:
    case Kind::kFragmentSpread:
    case Kind::kInlineFragment: return node.as<Selection>()->directives;
    case Kind::kFragmentDefinition: return node.as<FragmentDefinition>()->directives;
    case Kind::kSchemaDefinition:
    case Kind::kSchemaExtension: return node.as<SchemaDefinition>()->directives;
    case Kind::kFieldDefinition: return node.as<FieldDefinition>()->directives;
    case Kind::kInputValueDefinition: return node.as<InputValueDefinition>()->directives;
    case Kind::kEnumValueDefinition: return node.as<EnumValueDefinition>()->directives;
    default:
      if (is_type_definition(node.kind) || is_type_extension(node.kind)) {
        return node.as<TypeDefinition>()->directives;
      }
      return {};
  }
}

class UniqueDirectivesPerLocationRule : public Rule {
 public:
  UniqueDirectivesPerLocationRule(ValidationContext& ctx, std::string_view name) : Rule(ctx, name) {
    for (const Definition* def : ctx.document().definitions) {
      if (def->kind == Kind::kDirectiveDefinition) {
        const auto* d = def->as<DirectiveDefinition>();
        document_unique_[d->name.value] = !d->repeatable;
      }
    }
  }

  void node(const Node& node) {
    List<Directive> directives = directives_of(node);
    if (directives.size() < 2) {
      if (directives.empty() ||
          !(is_type_definition(node.kind) || is_type_extension(node.kind) ||
            node.kind == Kind::kSchemaDefinition || node.kind == Kind::kSchemaExtension)) {
        return;
      }
    }
    SeenMap* seen;
    SeenMap local;
    if (node.kind == Kind::kSchemaDefinition || node.kind == Kind::kSchemaExtension) {
      seen = &schema_seen_;
    } else if (is_type_definition(node.kind) || is_type_extension(node.kind)) {
      seen = &type_seen_[node.as<TypeDefinition>()->name.value];
    } else {
      seen = &local;
    }
    for (const Directive* directive : directives) {
      std::string_view name = directive->name.value;
      if (!is_unique(name)) continue;
      auto [it, inserted] = seen->try_emplace(name, directive);
      if (!inserted) {
        report(
            "The directive \"@" + std::string(name) + "\" can only be used once at this location.",
            {it->second->loc, directive->loc});
      }
    }
  }

 private:
  bool is_unique(std::string_view name) const {
    if (auto it = document_unique_.find(name); it != document_unique_.end()) return it->second;
    const DirectiveDef* def = ctx_.schema().directive(name);
    return def != nullptr && !def->repeatable;
  }

  std::unordered_map<std::string_view, bool> document_unique_;
  SeenMap schema_seen_;
  std::unordered_map<std::string_view, SeenMap> type_seen_;
};

}  // namespace

void attach_unique_directives_per_location_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(
      std::make_unique<UniqueDirectivesPerLocationRule>(ctx, "UniqueDirectivesPerLocationRule"));
  constexpr Kind kKinds[] = {Kind::kOperationDefinition,
                             Kind::kVariableDefinition,
                             Kind::kField,
                             Kind::kFragmentSpread,
                             Kind::kInlineFragment,
                             Kind::kFragmentDefinition,
                             Kind::kSchemaDefinition,
                             Kind::kSchemaExtension,
                             Kind::kScalarTypeDefinition,
                             Kind::kObjectTypeDefinition,
                             Kind::kFieldDefinition,
                             Kind::kInputValueDefinition,
                             Kind::kInterfaceTypeDefinition,
                             Kind::kUnionTypeDefinition,
                             Kind::kEnumTypeDefinition,
                             Kind::kEnumValueDefinition,
                             Kind::kInputObjectTypeDefinition,
                             Kind::kScalarTypeExtension,
                             Kind::kObjectTypeExtension,
                             Kind::kInterfaceTypeExtension,
                             Kind::kUnionTypeExtension,
                             Kind::kEnumTypeExtension,
                             Kind::kInputObjectTypeExtension};
  for (Kind k : kKinds)
    set.on_enter<&UniqueDirectivesPerLocationRule::node>(k);
}

}  // namespace orbit::graphql::validation
