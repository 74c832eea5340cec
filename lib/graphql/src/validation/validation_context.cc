#include "validation_context.h"

#include <algorithm>
#include <unordered_set>

#include "ast_walker.h"

namespace orbit::graphql::validation {
namespace {

constexpr std::string_view kTooManyErrors =
    "Too many validation errors, error limit reached. Validation aborted.";
constexpr std::string_view kAborted = "Validation aborted.";

// Collects the variables of one definition, with the input types TypeInfo knows at them.
class UsageCollector {
 public:
  UsageCollector(const TypeInfo& ti, std::vector<VariableUsage>& out) : ti_(ti), out_(out) {}
  bool enter(const Node& node) {
    if (node.kind == Kind::kVariableDefinition) return false;
    if (node.kind == Kind::kVariable) {
      out_.push_back({node.as<Variable>(), ti_.input_type(), ti_.parent_input_type(),
                      ti_.has_default_value()});
    }
    return true;
  }
  void leave(const Node&) {}
  bool stopped() const { return false; }

 private:
  const TypeInfo& ti_;
  std::vector<VariableUsage>& out_;
};

}  // namespace

ValidationContext::ValidationContext(const Schema& schema, const Document& document,
                                     ErrorReport& report, const ValidationOptions& options)
    : schema_(schema),
      document_(document),
      report_(report),
      options_(options),
      type_info_(schema, arena_) {}

void ValidationContext::report(std::string_view rule, std::string message,
                               std::span<const Location> locations) {
  if (aborted_) return;
  if (error_count_ >= options_.max_errors) {
    GraphqlError& e = report_.add(std::string(kTooManyErrors), ErrorCode::kGraphqlValidationFailed);
    e.origin = "validate";
    aborted_ = true;
    return;
  }
  GraphqlError& e = report_.add(std::move(message), ErrorCode::kGraphqlValidationFailed);
  e.origin = rule;
  e.locations.reserve(locations.size());
  for (const Location& loc : locations)
    e.locations.push_back(to_source_location(loc));
  ++error_count_;
}

void ValidationContext::abort_validation() {
  if (aborted_) return;
  GraphqlError& e = report_.add(std::string(kAborted), ErrorCode::kGraphqlValidationFailed);
  e.origin = "validate";
  aborted_ = true;
}

bool ValidationContext::spend_fragment_work(int64_t cost) {
  remaining_fragment_work_ -= cost;
  if (remaining_fragment_work_ < 0) {
    abort_validation();
    return false;
  }
  return !aborted_;
}

const FragmentDefinition* ValidationContext::fragment(std::string_view name) {
  if (!fragments_indexed_) {
    fragments_indexed_ = true;
    for (const Definition* def : document_.definitions) {
      if (def->kind == Kind::kFragmentDefinition) {
        const auto* frag = def->as<FragmentDefinition>();
        fragments_[frag->name.value] = frag;  // the last definition wins, as in graphql-js
      }
    }
  }
  auto it = fragments_.find(name);
  return it == fragments_.end() ? nullptr : it->second;
}

const std::vector<const FragmentSpread*>& ValidationContext::fragment_spreads(
    const SelectionSet* set) {
  auto [it, inserted] = spreads_.try_emplace(set);
  if (!inserted || set == nullptr) return it->second;
  std::vector<const FragmentSpread*>& spreads = it->second;
  std::vector<const SelectionSet*> to_visit{set};
  while (!to_visit.empty()) {
    const SelectionSet* current = to_visit.back();
    to_visit.pop_back();
    for (const Selection* sel : current->selections) {
      if (sel->kind == Kind::kFragmentSpread) {
        spreads.push_back(sel->as<FragmentSpread>());
      } else {
        const SelectionSet* child = sel->kind == Kind::kField
                                        ? sel->as<Field>()->selection_set
                                        : sel->as<InlineFragment>()->selection_set;
        if (child != nullptr) to_visit.push_back(child);
      }
    }
  }
  return spreads;
}

const std::vector<const FragmentDefinition*>& ValidationContext::recursively_referenced_fragments(
    std::span<const OperationDefinition* const> operations) {
  std::vector<std::string_view> names;
  std::unordered_set<std::string_view> seen;
  for (const OperationDefinition* op : operations) {
    for (const FragmentSpread* spread : fragment_spreads(op->selection_set)) {
      if (seen.insert(spread->name.value).second) names.push_back(spread->name.value);
    }
  }
  // Cached by the set of names spread directly by the operations (graphql-js's SetMap).
  std::vector<uint32_t> key;
  key.reserve(names.size());
  for (std::string_view name : names) {
    auto [it, unused] =
        fragment_name_ids_.try_emplace(name, static_cast<uint32_t>(fragment_name_ids_.size()));
    key.push_back(it->second);
  }
  std::sort(key.begin(), key.end());
  auto [it, inserted] = referenced_.try_emplace(std::move(key));
  if (!inserted) return it->second;
  std::vector<const FragmentDefinition*>& fragments = it->second;
  if (!spend_fragment_work(static_cast<int64_t>(names.size()))) return fragments;
  for (size_t i = 0; i < names.size(); ++i) {
    const FragmentDefinition* frag = fragment(names[i]);
    if (frag == nullptr) continue;
    fragments.push_back(frag);
    const auto& spreads = fragment_spreads(frag->selection_set);
    if (!spend_fragment_work(static_cast<int64_t>(spreads.size()))) return fragments;
    for (const FragmentSpread* spread : spreads) {
      if (seen.insert(spread->name.value).second) names.push_back(spread->name.value);
    }
  }
  return fragments;
}

const std::vector<VariableUsage>& ValidationContext::variable_usages(const Node* definition) {
  auto [it, inserted] = usages_.try_emplace(definition);
  if (!inserted) return it->second;
  TypeInfo type_info(schema_, arena_);
  UsageCollector collector(type_info, it->second);
  std::vector<const Node*> path;
  walk(definition, type_info, collector, path);
  return it->second;
}

const std::vector<VariableUsage>& ValidationContext::recursive_variable_usages(
    const OperationDefinition* op) {
  auto found = recursive_usages_.find(op);
  if (found != recursive_usages_.end()) return found->second;
  std::vector<VariableUsage> usages;
  const OperationDefinition* ops[] = {op};
  const auto& fragments = recursively_referenced_fragments(ops);
  auto [frag_it, inserted] = fragment_usages_.try_emplace(&fragments);
  std::vector<VariableUsage>& fragment_usages = frag_it->second;
  if (inserted) {
    if (!spend_fragment_work(static_cast<int64_t>(fragments.size()))) {
      return recursive_usages_[op];
    }
    for (const FragmentDefinition* frag : fragments) {
      const auto& local = variable_usages(frag);
      if (!spend_fragment_work(static_cast<int64_t>(local.size()))) return recursive_usages_[op];
      fragment_usages.insert(fragment_usages.end(), local.begin(), local.end());
    }
  }
  if (!spend_fragment_work(static_cast<int64_t>(fragment_usages.size()))) {
    return recursive_usages_[op];
  }
  const auto& own = variable_usages(op);
  usages.reserve(own.size() + fragment_usages.size());
  usages.insert(usages.end(), own.begin(), own.end());
  usages.insert(usages.end(), fragment_usages.begin(), fragment_usages.end());
  return recursive_usages_[op] = std::move(usages);
}

}  // namespace orbit::graphql::validation
