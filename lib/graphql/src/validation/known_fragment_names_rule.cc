// KnownFragmentNamesRule: every spread names a fragment defined in the document.
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class KnownFragmentNamesRule : public Rule {
 public:
  using Rule::Rule;

  void spread(const FragmentSpread& spread) {
    if (ctx_.fragment(spread.name.value) == nullptr) {
      report("Unknown fragment \"" + std::string(spread.name.value) + "\".", {spread.name.loc});
    }
  }
};

}  // namespace

void attach_known_fragment_names_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<KnownFragmentNamesRule>(ctx, "KnownFragmentNamesRule"));
  set.on_enter<&KnownFragmentNamesRule::spread>(Kind::kFragmentSpread);
}

}  // namespace orbit::graphql::validation
