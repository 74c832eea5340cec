// NoUnusedFragmentsRule: every fragment is reachable from some operation.
#include <unordered_set>
#include <vector>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class NoUnusedFragmentsRule : public Rule {
 public:
  using Rule::Rule;

  bool operation(const OperationDefinition& op) {
    operations_.push_back(&op);
    return false;
  }
  bool fragment(const FragmentDefinition& frag) {
    fragments_.push_back(&frag);
    return false;
  }
  void leave_document(const Document&) {
    std::unordered_set<std::string_view> used;
    for (const FragmentDefinition* frag : ctx_.recursively_referenced_fragments(operations_)) {
      used.insert(frag->name.value);
    }
    if (ctx_.aborted()) return;
    for (const FragmentDefinition* frag : fragments_) {
      if (!used.contains(frag->name.value)) {
        report("Fragment \"" + std::string(frag->name.value) + "\" is never used.", {frag->loc});
      }
    }
  }

 private:
  std::vector<const OperationDefinition*> operations_;
  std::vector<const FragmentDefinition*> fragments_;
};

}  // namespace

void attach_no_unused_fragments_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<NoUnusedFragmentsRule>(ctx, "NoUnusedFragmentsRule"));
  set.on_enter<&NoUnusedFragmentsRule::operation>(Kind::kOperationDefinition);
  set.on_enter<&NoUnusedFragmentsRule::fragment>(Kind::kFragmentDefinition);
  set.on_leave<&NoUnusedFragmentsRule::leave_document>(Kind::kDocument);
}

}  // namespace orbit::graphql::validation
