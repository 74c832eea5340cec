// FragmentsOnCompositeTypesRule: fragments condition only on objects, interfaces and unions.
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class FragmentsOnCompositeTypesRule : public Rule {
 public:
  using Rule::Rule;

  void inline_fragment(const InlineFragment& node) {
    if (node.type_condition == nullptr) return;
    const TypeDef* t = ctx_.schema().type(node.type_condition->name.value);
    if (t != nullptr && !t->is_composite()) {
      report("Fragment cannot condition on non composite type \"" + std::string(t->name) + "\".",
             {node.type_condition->loc});
    }
  }
  void fragment(const FragmentDefinition& node) {
    if (node.type_condition == nullptr) return;
    const TypeDef* t = ctx_.schema().type(node.type_condition->name.value);
    if (t != nullptr && !t->is_composite()) {
      report("Fragment \"" + std::string(node.name.value) +
                 "\" cannot condition on non composite type \"" + std::string(t->name) + "\".",
             {node.type_condition->loc});
    }
  }
};

}  // namespace

void attach_fragments_on_composite_types_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<FragmentsOnCompositeTypesRule>(ctx, "FragmentsOnCompositeTypesRule"));
  set.on_enter<&FragmentsOnCompositeTypesRule::inline_fragment>(Kind::kInlineFragment);
  set.on_enter<&FragmentsOnCompositeTypesRule::fragment>(Kind::kFragmentDefinition);
}

}  // namespace orbit::graphql::validation
