// ScalarLeafsRule: leaf fields have no selection set; composite fields have one.
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class ScalarLeafsRule : public Rule {
 public:
  using Rule::Rule;

  void field(const Field& node) {
    const TypeRef* type = ctx_.type_info().type();
    if (type == nullptr) return;
    std::string_view name = node.name.value;
    if (type->named_type()->is_leaf()) {
      if (node.selection_set != nullptr) {
        report("Field \"" + std::string(name) + "\" must not have a selection since type \"" +
                   type->to_string() + "\" has no subfields.",
               {node.selection_set->loc});
      }
    } else if (node.selection_set == nullptr) {
      report("Field \"" + std::string(name) + "\" of type \"" + type->to_string() +
                 "\" must have a selection of subfields. Did you mean \"" + std::string(name) +
                 " { ... }\"?",
             {node.loc});
    }
    // graphql-js's third case (an empty selection set) needs allowEmptySelectionSets=false,
    // which validate() does not offer; the parser rejects `{}` anyway.
  }
};

}  // namespace

void attach_scalar_leafs_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<ScalarLeafsRule>(ctx, "ScalarLeafsRule"));
  set.on_enter<&ScalarLeafsRule::field>(Kind::kField);
}

}  // namespace orbit::graphql::validation
