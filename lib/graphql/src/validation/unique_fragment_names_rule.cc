// UniqueFragmentNamesRule: no two fragments share a name.
#include <unordered_map>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class UniqueFragmentNamesRule : public Rule {
 public:
  using Rule::Rule;

  void fragment(const FragmentDefinition& frag) {
    auto [it, inserted] = known_.try_emplace(frag.name.value, frag.name.loc);
    if (!inserted) {
      report("There can be only one fragment named \"" + std::string(frag.name.value) + "\".",
             {it->second, frag.name.loc});
    }
  }

 private:
  std::unordered_map<std::string_view, Location> known_;
};

}  // namespace

void attach_unique_fragment_names_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<UniqueFragmentNamesRule>(ctx, "UniqueFragmentNamesRule"));
  set.on_enter<&UniqueFragmentNamesRule::fragment>(Kind::kFragmentDefinition);
}

}  // namespace orbit::graphql::validation
