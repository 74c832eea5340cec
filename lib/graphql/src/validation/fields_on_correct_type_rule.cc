// FieldsOnCorrectTypeRule: every selected field is defined on its parent type.
#include <algorithm>
#include <unordered_map>
#include <vector>

#include "rule_util.h"
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

bool has_field(const TypeDef* t, std::string_view name) {
  return t->field(name) != nullptr;
}

class FieldsOnCorrectTypeRule : public Rule {
 public:
  using Rule::Rule;

  void field(const Field& node) {
    const TypeDef* parent = ctx_.type_info().parent_type();
    if (parent == nullptr || ctx_.type_info().field_def() != nullptr) return;
    std::string_view name = node.name.value;
    std::string suggestion;
    if (!ctx_.hide_suggestions()) {
      std::vector<std::string_view> types = suggested_type_names(parent, name);
      suggestion = did_you_mean(types, "to use an inline fragment on");
      if (suggestion.empty()) suggestion = suggested_field_names(parent, name);
    }
    report("Cannot query field \"" + std::string(name) + "\" on type \"" +
               std::string(parent->name) + "\"." + suggestion,
           {node.loc});
  }

 private:
  // Types the field could be queried on through an inline fragment: the possible types that
  // have it and their interfaces that have it, most used first.
  std::vector<std::string_view> suggested_type_names(const TypeDef* type, std::string_view name) {
    if (!type->is_abstract()) return {};
    std::vector<const TypeDef*> suggested;
    std::unordered_map<const TypeDef*, int> usage;
    for (const TypeDef* possible : type->possible_types) {
      if (!has_field(possible, name)) continue;
      if (usage.try_emplace(possible, 0).second) suggested.push_back(possible);
      usage[possible] = 1;
      for (const TypeDef* iface : possible->interfaces) {
        if (!has_field(iface, name)) continue;
        if (usage.try_emplace(iface, 0).second) suggested.push_back(iface);
        ++usage[iface];
      }
    }
    const Schema& schema = ctx_.schema();
    std::stable_sort(suggested.begin(), suggested.end(), [&](const TypeDef* a, const TypeDef* b) {
      int diff = usage[b] - usage[a];
      if (diff != 0) return diff < 0;
      if (a->kind == TypeKind::kInterface && schema.is_sub_type(a, b)) return true;
      if (b->kind == TypeKind::kInterface && schema.is_sub_type(b, a)) return false;
      return natural_compare(a->name, b->name) < 0;
    });
    std::vector<std::string_view> names;
    names.reserve(suggested.size());
    for (const TypeDef* t : suggested)
      names.push_back(t->name);
    return names;
  }

  std::string suggested_field_names(const TypeDef* type, std::string_view name) {
    if (type->kind != TypeKind::kObject && type->kind != TypeKind::kInterface) return {};
    std::vector<std::string_view> options;
    options.reserve(type->fields.size());
    for (const FieldDef& f : type->fields)
      options.push_back(f.name);
    return suggest(false, name, options);
  }
};

}  // namespace

void attach_fields_on_correct_type_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<FieldsOnCorrectTypeRule>(ctx, "FieldsOnCorrectTypeRule"));
  set.on_enter<&FieldsOnCorrectTypeRule::field>(Kind::kField);
}

}  // namespace orbit::graphql::validation
