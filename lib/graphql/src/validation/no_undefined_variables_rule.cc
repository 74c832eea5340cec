// NoUndefinedVariablesRule: every variable used by an operation (directly or through its
// fragments) is declared by it.
#include <unordered_set>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class NoUndefinedVariablesRule : public Rule {
 public:
  using Rule::Rule;

  void operation(const OperationDefinition& op) {
    std::unordered_set<std::string_view> defined;
    for (const VariableDefinition* def : op.variable_definitions) {
      defined.insert(def->variable->name.value);
    }
    for (const VariableUsage& usage : ctx_.recursive_variable_usages(&op)) {
      std::string_view name = usage.node->name.value;
      if (defined.contains(name)) continue;
      report(op.name.empty()
                 ? "Variable \"$" + std::string(name) + "\" is not defined."
                 : "Variable \"$" + std::string(name) + "\" is not defined by operation \"" +
                       std::string(op.name.value) + "\".",
             {usage.node->loc, op.loc});
    }
  }
};

}  // namespace

void attach_no_undefined_variables_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<NoUndefinedVariablesRule>(ctx, "NoUndefinedVariablesRule"));
  set.on_enter<&NoUndefinedVariablesRule::operation>(Kind::kOperationDefinition);
}

}  // namespace orbit::graphql::validation
