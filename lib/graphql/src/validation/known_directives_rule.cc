// KnownDirectivesRule: every directive is defined (by the schema or the document) and used at
// a location it allows.
#include <unordered_map>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

// The directive location of the node a directive is applied to; empty when unknown.
std::string_view candidate_location(const Node* applied_to, const Node* grandparent) {
  if (applied_to == nullptr) return {};
  switch (applied_to->kind) {
    case Kind::kOperationDefinition:
      switch (applied_to->as<OperationDefinition>()->operation) {
        case OperationType::kQuery: return "QUERY";
        case OperationType::kMutation: return "MUTATION";
        case OperationType::kSubscription: return "SUBSCRIPTION";
      }
      return {};
    case Kind::kField: return "FIELD";
    case Kind::kFragmentSpread: return "FRAGMENT_SPREAD";
    case Kind::kInlineFragment: return "INLINE_FRAGMENT";
    case Kind::kFragmentDefinition: return "FRAGMENT_DEFINITION";
    case Kind::kVariableDefinition: return "VARIABLE_DEFINITION";
    case Kind::kSchemaDefinition:
    case Kind::kSchemaExtension: return "SCHEMA";
    case Kind::kScalarTypeDefinition:
    case Kind::kScalarTypeExtension: return "SCALAR";
    case Kind::kObjectTypeDefinition:
    case Kind::kObjectTypeExtension: return "OBJECT";
    case Kind::kFieldDefinition: return "FIELD_DEFINITION";
    case Kind::kInterfaceTypeDefinition:
    case Kind::kInterfaceTypeExtension: return "INTERFACE";
    case Kind::kUnionTypeDefinition:
    case Kind::kUnionTypeExtension: return "UNION";
    case Kind::kEnumTypeDefinition:
    case Kind::kEnumTypeExtension: return "ENUM";
    case Kind::kEnumValueDefinition: return "ENUM_VALUE";
    case Kind::kInputObjectTypeDefinition:
    case Kind::kInputObjectTypeExtension: return "INPUT_OBJECT";
    case Kind::kInputValueDefinition:
      return grandparent != nullptr && (grandparent->kind == Kind::kInputObjectTypeDefinition ||
                                        grandparent->kind == Kind::kInputObjectTypeExtension)
                 ? "INPUT_FIELD_DEFINITION"
                 : "ARGUMENT_DEFINITION";
    case Kind::kDirectiveDefinition: return "DIRECTIVE_DEFINITION";
    default: return {};
  }
}

class KnownDirectivesRule : public Rule {
 public:
  KnownDirectivesRule(ValidationContext& ctx, std::string_view name) : Rule(ctx, name) {
    for (const Definition* def : ctx.document().definitions) {
      if (def->kind == Kind::kDirectiveDefinition) {
        const auto* d = def->as<DirectiveDefinition>();
        document_defs_[d->name.value] = d;
      }
    }
  }

  void directive(const Directive& node) {
    std::string_view name = node.name.value;
    const DirectiveDefinition* doc_def = nullptr;
    const DirectiveDef* schema_def = nullptr;
    if (auto it = document_defs_.find(name); it != document_defs_.end()) {
      doc_def = it->second;
    } else {
      schema_def = ctx_.schema().directive(name);
    }
    if (doc_def == nullptr && schema_def == nullptr) {
      report("Unknown directive \"@" + std::string(name) + "\".", {node.loc});
      return;
    }
    // The path ends at the directive's parent.
    std::string_view location = candidate_location(ctx_.ancestor(0), ctx_.ancestor(1));
    if (location.empty()) return;
    bool allowed = false;
    if (doc_def != nullptr) {
      for (const Name& loc : doc_def->locations)
        allowed = allowed || loc.value == location;
    } else {
      DirectiveLocation loc;
      allowed = parse_directive_location(location, &loc) && schema_def->allowed_at(loc);
    }
    if (!allowed) {
      report("Directive \"@" + std::string(name) + "\" may not be used on " +
                 std::string(location) + ".",
             {node.loc});
    }
  }

 private:
  std::unordered_map<std::string_view, const DirectiveDefinition*> document_defs_;
};

}  // namespace

void attach_known_directives_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<KnownDirectivesRule>(ctx, "KnownDirectivesRule"));
  set.on_enter<&KnownDirectivesRule::directive>(Kind::kDirective);
}

}  // namespace orbit::graphql::validation
