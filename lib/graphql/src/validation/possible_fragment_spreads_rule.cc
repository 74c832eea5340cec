// PossibleFragmentSpreadsRule: a fragment is spread only where its type can overlap the
// parent type.
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class PossibleFragmentSpreadsRule : public Rule {
 public:
  using Rule::Rule;

  void inline_fragment(const InlineFragment& node) {
    const TypeRef* frag_ref = ctx_.type_info().type();
    const TypeDef* frag_type = frag_ref == nullptr ? nullptr : frag_ref->named_type();
    const TypeDef* parent = ctx_.type_info().parent_type();
    if (frag_type == nullptr || !frag_type->is_composite() || parent == nullptr ||
        !parent->is_composite() || ctx_.schema().types_overlap(frag_type, parent)) {
      return;
    }
    report("Fragment cannot be spread here as objects of type \"" + std::string(parent->name) +
               "\" can never be of type \"" + frag_ref->to_string() + "\".",
           {node.loc});
  }

  void spread(const FragmentSpread& node) {
    const FragmentDefinition* frag = ctx_.fragment(node.name.value);
    if (frag == nullptr || frag->type_condition == nullptr) return;
    const TypeDef* frag_type = ctx_.schema().type(frag->type_condition->name.value);
    if (frag_type == nullptr || !frag_type->is_composite()) return;
    const TypeDef* parent = ctx_.type_info().parent_type();
    if (parent == nullptr || ctx_.schema().types_overlap(frag_type, parent)) return;
    report("Fragment \"" + std::string(node.name.value) +
               "\" cannot be spread here as objects of type \"" + std::string(parent->name) +
               "\" can never be of type \"" + std::string(frag_type->name) + "\".",
           {node.loc});
  }
};

}  // namespace

void attach_possible_fragment_spreads_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<PossibleFragmentSpreadsRule>(ctx, "PossibleFragmentSpreadsRule"));
  set.on_enter<&PossibleFragmentSpreadsRule::inline_fragment>(Kind::kInlineFragment);
  set.on_enter<&PossibleFragmentSpreadsRule::spread>(Kind::kFragmentSpread);
}

}  // namespace orbit::graphql::validation
