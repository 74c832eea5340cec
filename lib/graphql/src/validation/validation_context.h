// ValidationContext: what every validation rule shares during one validate() call: the
// schema and document, the TypeInfo of the walk, the error sink with its max_errors cap, the
// fragment-work budget, and lazily built, cached facts about the document (fragments by name,
// spreads of a selection set, fragments reachable from operations, variable usages).
//
// Lifecycle: created on validate()'s stack, lives for one walk. Cached vectors are owned by
// the context; references to them stay valid until it is destroyed. Not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/graphql/validation/validate.h"
#include "type_info.h"

namespace orbit::graphql::validation {

// Rules that follow fragment spreads recursively give up past this nesting (a chain of that
// many fragments), aborting validation instead of risking the stack.
inline constexpr size_t kMaxRecursionDepth = 2000;

// A variable used in an operation or fragment, with the input type expected where it is
// used (graphql-js's VariableUsage).
struct VariableUsage {
  const Variable* node = nullptr;
  const TypeRef* type = nullptr;         // expected type at the position; null when unknown
  const TypeRef* parent_type = nullptr;  // type of the enclosing list/object/argument
  bool has_location_default = false;     // the argument / input field has a default value
};

class ValidationContext {
 public:
  ValidationContext(const Schema& schema, const Document& document, ErrorReport& report,
                    const ValidationOptions& options);
  ValidationContext(const ValidationContext&) = delete;
  ValidationContext& operator=(const ValidationContext&) = delete;

  const Schema& schema() const { return schema_; }
  const Document& document() const { return document_; }
  const TypeInfo& type_info() const { return type_info_; }
  TypeInfo& mutable_type_info() { return type_info_; }
  Arena& arena() { return arena_; }
  bool hide_suggestions() const { return options_.hide_suggestions; }

  // ---- position in the walk ----
  std::vector<const Node*>& path() { return path_; }
  // The parent of the node being entered/left (`up` = 0), its parent (`up` = 1)...; null past
  // the root.
  const Node* ancestor(size_t up) const {
    return up < path_.size() ? path_[path_.size() - 1 - up] : nullptr;
  }
  // The top-level definition the current node belongs to (graphql-js's `ancestors[2] ??
  // parent`); null at the Document itself.
  const Node* current_definition() const { return path_.size() >= 2 ? path_[1] : nullptr; }

  // ---- errors ----
  // Adds an error found by `rule` at `locations` (in that order). Past max_errors, adds the
  // "Too many validation errors" error instead and aborts the validation.
  void report(std::string_view rule, std::string message, std::span<const Location> locations);
  void report(std::string_view rule, std::string message,
              std::initializer_list<Location> locations) {
    report(rule, std::move(message),
           std::span<const Location>(locations.begin(), locations.size()));
  }
  // Ends validation with graphql-js's "Validation aborted." error (work budget exhausted).
  void abort_validation();
  bool aborted() const { return aborted_; }
  // graphql-js's fragment-work budget (spendFragmentWork): false once it is exhausted, after
  // aborting the validation.
  bool spend_fragment_work(int64_t cost);

  // ---- document facts (cached) ----
  // The fragment definition with that name (the last one when there are several).
  const FragmentDefinition* fragment(std::string_view name);
  // The spreads inside a selection set, not following fragments, in graphql-js's order.
  const std::vector<const FragmentSpread*>& fragment_spreads(const SelectionSet* set);
  // Fragments reachable from the operations by spreads, each once, in discovery order.
  const std::vector<const FragmentDefinition*>& recursively_referenced_fragments(
      std::span<const OperationDefinition* const> operations);
  // Variables used inside an operation or fragment definition (not following spreads).
  const std::vector<VariableUsage>& variable_usages(const Node* definition);
  // Variables used by an operation and every fragment it reaches.
  const std::vector<VariableUsage>& recursive_variable_usages(const OperationDefinition* op);

 private:
  const Schema& schema_;
  const Document& document_;
  ErrorReport& report_;
  const ValidationOptions& options_;
  Arena arena_;
  TypeInfo type_info_;
  std::vector<const Node*> path_;
  uint32_t error_count_ = 0;
  bool aborted_ = false;
  int64_t remaining_fragment_work_ = 50'000;

  bool fragments_indexed_ = false;
  std::unordered_map<std::string_view, const FragmentDefinition*> fragments_;
  std::unordered_map<const SelectionSet*, std::vector<const FragmentSpread*>> spreads_;
  std::unordered_map<std::string_view, uint32_t> fragment_name_ids_;
  std::map<std::vector<uint32_t>, std::vector<const FragmentDefinition*>> referenced_;
  std::unordered_map<const Node*, std::vector<VariableUsage>> usages_;
  std::unordered_map<const OperationDefinition*, std::vector<VariableUsage>> recursive_usages_;
  // Keyed by the cached fragment list (graphql-js keys by that array's identity).
  std::unordered_map<const std::vector<const FragmentDefinition*>*, std::vector<VariableUsage>>
      fragment_usages_;
};

// ---- rules ------------------------------------------------------------------------------

class Rule {
 public:
  Rule(ValidationContext& ctx, std::string_view name) : ctx_(ctx), name_(name) {}
  virtual ~Rule() = default;

 protected:
  void report(std::string message, std::initializer_list<Location> locations) {
    ctx_.report(name_, std::move(message), locations);
  }
  void report(std::string message, std::span<const Location> locations) {
    ctx_.report(name_, std::move(message), locations);
  }

  ValidationContext& ctx_;
  std::string_view name_;
};

namespace detail {
template <auto Method>
struct Thunk;
template <typename C, typename N, typename R, R (C::*Method)(const N&)>
struct Thunk<Method> {
  static bool call(Rule* rule, const Node& node) {
    if constexpr (std::is_void_v<R>) {
      (static_cast<C*>(rule)->*Method)(static_cast<const N&>(node));
      return true;
    } else {
      return (static_cast<C*>(rule)->*Method)(static_cast<const N&>(node));
    }
  }
};
}  // namespace detail

// The enabled rules as one visitor (graphql-js's visitInParallel): per node kind, the list
// of (rule, handler) pairs that asked for it, so a node costs nothing for rules that ignore
// its kind. A handler returning false skips the node's subtree for that rule only.
class RuleSet {
 public:
  explicit RuleSet(ValidationContext& ctx) : ctx_(ctx) {}

  // Takes ownership; returns the rule for registering handlers.
  template <typename R>
  R* add(std::unique_ptr<R> rule) {
    R* raw = rule.get();
    rules_.push_back(std::move(rule));
    skip_.push_back(nullptr);
    return raw;
  }
  // Method: `bool|void C::m(const NodeType&)`; registered for the last added rule.
  template <auto Method>
  void on_enter(Kind kind) {
    enter_[static_cast<size_t>(kind)].push_back(
        {&detail::Thunk<Method>::call, rules_.back().get(), rules_.size() - 1});
  }
  template <auto Method>
  void on_leave(Kind kind) {
    leave_[static_cast<size_t>(kind)].push_back(
        {&detail::Thunk<Method>::call, rules_.back().get(), rules_.size() - 1});
  }

  // Visitor interface of walk().
  bool enter(const Node& node) {
    for (const Handler& h : enter_[static_cast<size_t>(node.kind)]) {
      if (skip_[h.index] != nullptr) continue;
      if (!h.fn(h.rule, node)) {
        skip_[h.index] = &node;
        ++skipping_;
      }
      if (ctx_.aborted()) break;
    }
    return true;
  }
  void leave(const Node& node) {
    for (const Handler& h : leave_[static_cast<size_t>(node.kind)]) {
      if (skip_[h.index] != nullptr) continue;
      h.fn(h.rule, node);
      if (ctx_.aborted()) return;
    }
    if (skipping_ != 0) {
      for (const Node*& s : skip_) {
        if (s == &node) {
          s = nullptr;
          --skipping_;
        }
      }
    }
  }
  bool stopped() const { return ctx_.aborted(); }

 private:
  struct Handler {
    bool (*fn)(Rule*, const Node&);
    Rule* rule;
    size_t index;
  };
  static constexpr size_t kKindCount = static_cast<size_t>(Kind::kInputObjectTypeExtension) + 1;

  ValidationContext& ctx_;
  std::vector<std::unique_ptr<Rule>> rules_;
  std::vector<const Node*> skip_;
  size_t skipping_ = 0;
  std::array<std::vector<Handler>, kKindCount> enter_;
  std::array<std::vector<Handler>, kKindCount> leave_;
};

}  // namespace orbit::graphql::validation
