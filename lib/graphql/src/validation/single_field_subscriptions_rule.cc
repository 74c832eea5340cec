// SingleFieldSubscriptionsRule: a subscription selects exactly one root field, not an
// introspection field, and does not use @skip/@include at its top level.
//
// The root selection is grouped as graphql-js's collectFields does (fragments whose
// condition matches the subscription type are followed once, @defer'd ones once per @defer).
#include <unordered_map>
#include <vector>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

const Directive* find_directive(List<Directive> directives, std::string_view name) {
  for (const Directive* d : directives) {
    if (d->name.value == name) return d;
  }
  return nullptr;
}

class SingleFieldSubscriptionsRule : public Rule {
 public:
  using Rule::Rule;

  void operation(const OperationDefinition& op) {
    if (op.operation != OperationType::kSubscription) return;
    const TypeDef* root = ctx_.schema().subscription_type();
    if (root == nullptr) return;
    root_ = root;
    groups_.clear();
    order_.clear();
    forbidden_.clear();
    visited_.clear();
    depth_ = 0;
    collect(op.selection_set, nullptr);
    if (ctx_.aborted()) return;
    std::string prefix = op.name.empty() ? std::string("Anonymous Subscription")
                                         : "Subscription \"" + std::string(op.name.value) + "\"";
    if (!forbidden_.empty()) {
      report(prefix + " must not use `@skip` or `@include` directives in the top level selection.",
             forbidden_);
      return;
    }
    if (order_.empty()) {
      report(prefix + " must select one top level field.", {op.selection_set->loc});
    } else if (order_.size() > 1) {
      std::vector<Location> extra;
      for (size_t i = 1; i < order_.size(); ++i) {
        for (const Field* f : groups_[order_[i]])
          extra.push_back(f->loc);
      }
      report(prefix + " must select only one top level field.", extra);
    }
    for (std::string_view key : order_) {
      const auto& fields = groups_[key];
      if (!fields.front()->name.value.starts_with("__")) continue;
      std::vector<Location> locations;
      for (const Field* f : fields)
        locations.push_back(f->loc);
      report(prefix + " must not select an introspection top level field.", locations);
    }
  }

 private:
  // Skips the selection (recording forbidden directives) like graphql-js's shouldIncludeNode
  // with forbidSkipAndInclude: a @skip or @include excludes it.
  bool included(const Selection* sel) {
    if (const Directive* skip = find_directive(sel->directives, "skip")) {
      forbidden_.push_back(skip->loc);
      return false;
    }
    if (const Directive* include = find_directive(sel->directives, "include")) {
      forbidden_.push_back(include->loc);
      return false;
    }
    return true;
  }

  bool condition_matches(const NamedType* condition) const {
    if (condition == nullptr) return true;
    const TypeDef* t = ctx_.schema().type(condition->name.value);
    if (t == root_) return true;
    return t != nullptr && t->is_abstract() && ctx_.schema().is_sub_type(t, root_);
  }

  // graphql-js's getDeferUsage: a @defer that is not `if: false`.
  static const Directive* defer_of(const Selection* sel) {
    const Directive* defer = find_directive(sel->directives, "defer");
    if (defer == nullptr) return nullptr;
    for (const Argument* arg : defer->arguments) {
      if (arg->name.value == "if" && arg->value->kind == Kind::kBooleanValue &&
          !arg->value->as<BooleanValue>()->value) {
        return nullptr;
      }
    }
    return defer;
  }

  void collect(const SelectionSet* set, const Directive* defer) {
    if (++depth_ > kMaxRecursionDepth) {
      ctx_.abort_validation();
      return;
    }
    if (!ctx_.spend_fragment_work(static_cast<int64_t>(set->selections.size()))) return;
    for (const Selection* sel : set->selections) {
      int64_t cost = static_cast<int64_t>(sel->directives.size());
      if (const Directive* d = find_directive(sel->directives, "defer")) {
        cost += static_cast<int64_t>(d->arguments.size());
      }
      if (!ctx_.spend_fragment_work(cost)) return;
    }
    for (const Selection* sel : set->selections) {
      switch (sel->kind) {
        case Kind::kField: {
          if (!included(sel)) continue;
          const auto* field = sel->as<Field>();
          auto [it, inserted] = groups_.try_emplace(field->response_key());
          if (inserted) order_.push_back(field->response_key());
          it->second.push_back(field);
          break;
        }
        case Kind::kInlineFragment: {
          const auto* frag = sel->as<InlineFragment>();
          if (!included(sel) || !condition_matches(frag->type_condition)) continue;
          const Directive* new_defer = defer_of(sel);
          collect(frag->selection_set, new_defer != nullptr ? new_defer : defer);
          break;
        }
        case Kind::kFragmentSpread: {
          const auto* spread = sel->as<FragmentSpread>();
          if (!included(sel)) continue;
          const FragmentDefinition* frag = ctx_.fragment(spread->name.value);
          if (frag == nullptr || !condition_matches(frag->type_condition)) continue;
          const Directive* new_defer = defer_of(sel);
          const Directive* effective = new_defer != nullptr ? new_defer : defer;
          auto& seen = visited_[spread->name.value];
          bool skip = false;
          for (const Directive* d : seen)
            skip = skip || d == nullptr || d == effective;
          if (skip) continue;
          seen.push_back(effective);
          collect(frag->selection_set, effective);
          break;
        }
        default: break;
      }
      if (ctx_.aborted()) return;
    }
    --depth_;
  }

  const TypeDef* root_ = nullptr;
  std::unordered_map<std::string_view, std::vector<const Field*>> groups_;
  std::vector<std::string_view> order_;
  std::vector<Location> forbidden_;
  // Per fragment name: the @defer directives it was collected under (null: none).
  std::unordered_map<std::string_view, std::vector<const Directive*>> visited_;
  size_t depth_ = 0;
};

}  // namespace

void attach_single_field_subscriptions_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<SingleFieldSubscriptionsRule>(ctx, "SingleFieldSubscriptionsRule"));
  set.on_enter<&SingleFieldSubscriptionsRule::operation>(Kind::kOperationDefinition);
}

}  // namespace orbit::graphql::validation
