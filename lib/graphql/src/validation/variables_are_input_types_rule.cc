// VariablesAreInputTypesRule: variables are declared with input types only.
#include "rule_util.h"
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class VariablesAreInputTypesRule : public Rule {
 public:
  using Rule::Rule;

  void variable_definition(const VariableDefinition& node) {
    const NamedType* named = named_type_of(node.type);
    const TypeDef* t = named == nullptr ? nullptr : ctx_.schema().type(named->name.value);
    if (t != nullptr && !t->is_input()) {
      report("Variable \"$" + std::string(node.variable->name.value) +
                 "\" cannot be non-input type \"" + ast_type_string(node.type) + "\".",
             {node.type->loc});
    }
  }
};

}  // namespace

void attach_variables_are_input_types_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<VariablesAreInputTypesRule>(ctx, "VariablesAreInputTypesRule"));
  set.on_enter<&VariablesAreInputTypesRule::variable_definition>(Kind::kVariableDefinition);
}

}  // namespace orbit::graphql::validation
