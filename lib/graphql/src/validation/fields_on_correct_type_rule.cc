// FieldsOnCorrectTypeRule: every selected field is defined on its parent type.
#include <algorithm>
#include <unordered_map>
#include <vector>

#include "rule_util.h"
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

// Array.prototype.sort as V8 runs it on arrays shorter than its minimum run (64): take the
// leading ascending (or strictly descending, then reversed) run, then binary insertion.
// `compare` returns <0, 0 or >0 like a JS comparator.
template <typename T, typename Compare>
void js_sort(std::vector<T>& a, Compare compare) {
  const size_t n = a.size();
  if (n < 2) return;
  size_t run = 2;
  const bool descending = compare(a[1], a[0]) < 0;
  for (size_t i = 2; i < n; ++i) {
    int order = compare(a[i], a[i - 1]);
    if (descending ? order >= 0 : order < 0) break;
    ++run;
  }
  if (descending) std::reverse(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(run));
  for (size_t start = run; start < n; ++start) {
    T pivot = a[start];
    size_t left = 0;
    size_t right = start;
    while (left < right) {
      size_t mid = left + ((right - left) >> 1);
      if (compare(pivot, a[mid]) < 0) {
        right = mid;
      } else {
        left = mid + 1;
      }
    }
    for (size_t p = start; p > left; --p)
      a[p] = a[p - 1];
    a[left] = pivot;
  }
}

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
    // graphql-js's comparator is not a consistent order (the subtype rule and the name rule
    // can disagree), so the result depends on the sorting algorithm: sort the way V8 sorts
    // short arrays to print the same suggestions.
    js_sort(suggested, [&](const TypeDef* a, const TypeDef* b) {
      int diff = usage[b] - usage[a];
      if (diff != 0) return diff;
      if (a->kind == TypeKind::kInterface && schema.is_sub_type(a, b)) return -1;
      if (b->kind == TypeKind::kInterface && schema.is_sub_type(b, a)) return 1;
      return natural_compare(a->name, b->name);
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
