// MaxIntrospectionDepthRule: an introspection query nests the list fields `fields`,
// `interfaces`, `possibleTypes` and `inputFields` less than three deep (graphql-js's guard
// against introspection queries that explode the response).
#include <unordered_map>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

constexpr int kMaxListsDepth = 3;

class MaxIntrospectionDepthRule : public Rule {
 public:
  using Rule::Rule;

  bool field(const Field& node) {
    if (node.name.value != "__schema" && node.name.value != "__type") return true;
    std::unordered_map<std::string_view, int> visited;
    recursion_ = 0;
    if (check_depth(&node, visited, 0)) {
      if (ctx_.aborted()) return false;
      report("Maximum introspection depth exceeded", {node.loc});
      return false;
    }
    return true;
  }

 private:
  // True when the depth is exceeded below `node`.
  bool check_depth(const Selection* node, std::unordered_map<std::string_view, int>& visited,
                   int depth) {
    if (++recursion_ > kMaxRecursionDepth) {
      ctx_.abort_validation();
      return true;
    }
    struct Exit {
      size_t& r;
      ~Exit() { --r; }
    } exit{recursion_};
    const SelectionSet* selection_set = nullptr;
    if (node->kind == Kind::kFragmentSpread) {
      std::string_view name = node->as<FragmentSpread>()->name.value;
      if (auto it = exceeded_.find(name); it != exceeded_.end() && it->second <= depth) {
        return true;
      }
      if (auto it = visited.find(name); it != visited.end() && it->second >= depth) return false;
      if (auto it = checked_.find(name); it != checked_.end() && it->second >= depth) return false;
      const FragmentDefinition* frag = ctx_.fragment(name);
      if (frag == nullptr) return false;
      visited[name] = depth;
      if (check_set(frag->selection_set, visited, depth)) {
        exceeded_[name] = depth;
        return true;
      }
      checked_[name] = depth;
      return false;
    }
    if (node->kind == Kind::kField) {
      const auto* field = node->as<Field>();
      std::string_view name = field->name.value;
      if (name == "fields" || name == "interfaces" || name == "possibleTypes" ||
          name == "inputFields") {
        if (++depth >= kMaxListsDepth) return true;
      }
      selection_set = field->selection_set;
    } else {
      selection_set = node->as<InlineFragment>()->selection_set;
    }
    return check_set(selection_set, visited, depth);
  }

  bool check_set(const SelectionSet* set, std::unordered_map<std::string_view, int>& visited,
                 int depth) {
    if (set == nullptr) return false;
    for (const Selection* child : set->selections) {
      if (check_depth(child, visited, depth)) return true;
    }
    return false;
  }

  std::unordered_map<std::string_view, int> checked_;
  std::unordered_map<std::string_view, int> exceeded_;
  size_t recursion_ = 0;
};

}  // namespace

void attach_max_introspection_depth_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<MaxIntrospectionDepthRule>(ctx, "MaxIntrospectionDepthRule"));
  set.on_enter<&MaxIntrospectionDepthRule::field>(Kind::kField);
}

}  // namespace orbit::graphql::validation
