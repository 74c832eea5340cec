// UniqueInputFieldNamesRule: an input object literal names each field once.
//
// Duplicates are found when the object is entered (one hash pass) and reported when their
// field is entered, which keeps graphql-js's error order for nested objects.
#include <unordered_map>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class UniqueInputFieldNamesRule : public Rule {
 public:
  using Rule::Rule;

  void object(const ObjectValue& node) {
    if (node.fields.size() < 2) return;
    seen_.clear();
    for (const ObjectField* field : node.fields) {
      auto [it, inserted] = seen_.try_emplace(field->name.value, &field->name);
      if (!inserted) duplicates_[field] = it->second;
    }
  }
  void field(const ObjectField& node) {
    if (duplicates_.empty()) return;
    auto it = duplicates_.find(&node);
    if (it == duplicates_.end()) return;
    report("There can be only one input field named \"" + std::string(node.name.value) + "\".",
           {it->second->loc, node.name.loc});
    duplicates_.erase(it);
  }

 private:
  std::unordered_map<std::string_view, const Name*> seen_;
  std::unordered_map<const ObjectField*, const Name*> duplicates_;
};

}  // namespace

void attach_unique_input_field_names_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<UniqueInputFieldNamesRule>(ctx, "UniqueInputFieldNamesRule"));
  set.on_enter<&UniqueInputFieldNamesRule::object>(Kind::kObjectValue);
  set.on_enter<&UniqueInputFieldNamesRule::field>(Kind::kObjectField);
}

}  // namespace orbit::graphql::validation
