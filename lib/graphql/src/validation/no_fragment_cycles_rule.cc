// NoFragmentCyclesRule: fragment spreads never form a cycle.
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class NoFragmentCyclesRule : public Rule {
 public:
  using Rule::Rule;

  bool operation(const OperationDefinition&) { return false; }
  bool fragment(const FragmentDefinition& frag) {
    detect_cycle(&frag);
    return false;
  }

 private:
  // Depth-first search from `frag`, reporting each spread that closes a cycle. Recursion is
  // bounded by the number of distinct fragments (each is entered once).
  void detect_cycle(const FragmentDefinition* frag) {
    std::string_view name = frag->name.value;
    if (!visited_.insert(name).second) return;
    if (path_.size() >= kMaxRecursionDepth) {
      ctx_.abort_validation();
      return;
    }
    const auto& spreads = ctx_.fragment_spreads(frag->selection_set);
    if (spreads.empty()) return;
    path_index_[name] = path_.size();
    for (const FragmentSpread* spread : spreads) {
      std::string_view spread_name = spread->name.value;
      auto cycle = path_index_.find(spread_name);
      path_.push_back(spread);
      if (cycle == path_index_.end()) {
        if (const FragmentDefinition* target = ctx_.fragment(spread_name)) detect_cycle(target);
      } else {
        std::string via;
        std::vector<Location> locations;
        for (size_t i = cycle->second; i < path_.size(); ++i) {
          locations.push_back(path_[i]->loc);
          if (i + 1 < path_.size()) {
            if (!via.empty()) via += ", ";
            via += "\"" + std::string(path_[i]->name.value) + "\"";
          }
        }
        report("Cannot spread fragment \"" + std::string(spread_name) + "\" within itself" +
                   (via.empty() ? "." : " via " + via + "."),
               locations);
      }
      path_.pop_back();
      if (ctx_.aborted()) return;
    }
    path_index_.erase(name);
  }

  std::unordered_set<std::string_view> visited_;
  std::vector<const FragmentSpread*> path_;
  std::unordered_map<std::string_view, size_t> path_index_;
};

}  // namespace

void attach_no_fragment_cycles_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<NoFragmentCyclesRule>(ctx, "NoFragmentCyclesRule"));
  set.on_enter<&NoFragmentCyclesRule::operation>(Kind::kOperationDefinition);
  set.on_enter<&NoFragmentCyclesRule::fragment>(Kind::kFragmentDefinition);
}

}  // namespace orbit::graphql::validation
