// UniqueArgumentNamesRule: a field or directive is given each argument once.
#include <unordered_map>
#include <vector>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class UniqueArgumentNamesRule : public Rule {
 public:
  using Rule::Rule;

  void field(const Field& node) { check(node.arguments); }
  void directive(const Directive& node) { check(node.arguments); }

 private:
  void check(List<Argument> arguments) {
    if (arguments.size() < 2) return;
    std::vector<std::string_view> order;
    std::unordered_map<std::string_view, std::vector<Location>> groups;
    for (const Argument* arg : arguments) {
      auto [it, inserted] = groups.try_emplace(arg->name.value);
      if (inserted) order.push_back(arg->name.value);
      it->second.push_back(arg->name.loc);
    }
    if (order.size() == arguments.size()) return;
    for (std::string_view name : order) {
      const auto& locations = groups[name];
      if (locations.size() > 1) {
        report("There can be only one argument named \"" + std::string(name) + "\".", locations);
      }
    }
  }
};

}  // namespace

void attach_unique_argument_names_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<UniqueArgumentNamesRule>(ctx, "UniqueArgumentNamesRule"));
  set.on_enter<&UniqueArgumentNamesRule::field>(Kind::kField);
  set.on_enter<&UniqueArgumentNamesRule::directive>(Kind::kDirective);
}

}  // namespace orbit::graphql::validation
