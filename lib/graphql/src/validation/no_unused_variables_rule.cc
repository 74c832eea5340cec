// NoUnusedVariablesRule: every variable an operation declares is used by it or its fragments.
#include <unordered_set>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class NoUnusedVariablesRule : public Rule {
 public:
  using Rule::Rule;

  void operation(const OperationDefinition& op) {
    std::unordered_set<std::string_view> used;
    for (const VariableUsage& usage : ctx_.recursive_variable_usages(&op)) {
      used.insert(usage.node->name.value);
    }
    for (const VariableDefinition* def : op.variable_definitions) {
      std::string_view name = def->variable->name.value;
      if (used.contains(name)) continue;
      report(op.name.empty()
                 ? "Variable \"$" + std::string(name) + "\" is never used."
                 : "Variable \"$" + std::string(name) + "\" is never used in operation \"" +
                       std::string(op.name.value) + "\".",
             {def->loc});
    }
  }
};

}  // namespace

void attach_no_unused_variables_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<NoUnusedVariablesRule>(ctx, "NoUnusedVariablesRule"));
  set.on_enter<&NoUnusedVariablesRule::operation>(Kind::kOperationDefinition);
}

}  // namespace orbit::graphql::validation
