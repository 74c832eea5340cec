// UniqueOperationNamesRule: no two operations share a name.
#include <unordered_map>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class UniqueOperationNamesRule : public Rule {
 public:
  using Rule::Rule;

  void operation(const OperationDefinition& op) {
    if (op.name.empty()) return;
    auto [it, inserted] = known_.try_emplace(op.name.value, op.name.loc);
    if (!inserted) {
      report("There can be only one operation named \"" + std::string(op.name.value) + "\".",
             {it->second, op.name.loc});
    }
  }

 private:
  std::unordered_map<std::string_view, Location> known_;
};

}  // namespace

void attach_unique_operation_names_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<UniqueOperationNamesRule>(ctx, "UniqueOperationNamesRule"));
  set.on_enter<&UniqueOperationNamesRule::operation>(Kind::kOperationDefinition);
}

}  // namespace orbit::graphql::validation
