// UniqueVariableNamesRule: an operation declares each variable once.
#include <unordered_map>
#include <vector>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class UniqueVariableNamesRule : public Rule {
 public:
  using Rule::Rule;

  void operation(const OperationDefinition& op) {
    // Grouped by name, groups in order of first appearance (graphql-js's groupBy).
    std::vector<std::string_view> order;
    std::unordered_map<std::string_view, std::vector<Location>> groups;
    for (const VariableDefinition* def : op.variable_definitions) {
      const Name& name = def->variable->name;
      auto [it, inserted] = groups.try_emplace(name.value);
      if (inserted) order.push_back(name.value);
      it->second.push_back(name.loc);
    }
    for (std::string_view name : order) {
      const auto& locations = groups[name];
      if (locations.size() > 1) {
        report("There can be only one variable named \"$" + std::string(name) + "\".", locations);
      }
    }
  }
};

}  // namespace

void attach_unique_variable_names_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<UniqueVariableNamesRule>(ctx, "UniqueVariableNamesRule"));
  set.on_enter<&UniqueVariableNamesRule::operation>(Kind::kOperationDefinition);
}

}  // namespace orbit::graphql::validation
