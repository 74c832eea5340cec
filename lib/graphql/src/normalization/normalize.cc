#include "orbit/graphql/normalization/normalize.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "ast_equal.h"
#include "orbit/graphql/printer.h"

namespace orbit::graphql {
namespace {

using normalization_internal::arguments_equal;
using normalization_internal::directives_equal;

// How far back add() looks for an inline fragment on the same type to merge with. Merging is
// only a canonicalization; a bound keeps a selection set of thousands of fragments linear.
constexpr size_t kFragmentMergeLookback = 64;

uint64_t saturating_add(uint64_t a, uint64_t b) {
  uint64_t sum = a + b;
  return sum < a ? UINT64_MAX : sum;
}

template <typename T>
List<T> to_list(Arena& arena, const std::vector<T*>& items) {
  return arena.copy_span<T*>(std::span<T* const>(items.data(), items.size()));
}

enum class Inclusion : uint8_t { kInclude, kSkip, kError };
enum class FragmentAction : uint8_t { kFlatten, kKeep, kDrop };

struct PairHash {
  template <typename A, typename B>
  size_t operator()(const std::pair<A, B>& p) const {
    size_t h1 = std::hash<A>()(p.first);
    size_t h2 = std::hash<B>()(p.second);
    return h1 ^ (h2 + 0x9e3779b97f4a7c15ULL + (h1 << 12) + (h1 >> 4));
  }
};

class Normalizer {
 public:
  Normalizer(const Schema& schema, const Document& document, const OperationDefinition& operation,
             const ConditionVariables& variables, Arena& arena, ErrorReport& report,
             const NormalizeOptions& options)
      : schema_(schema),
        document_(document),
        operation_(operation),
        variables_(variables),
        arena_(arena),
        report_(report),
        options_(options) {}

  NormalizedOperation run();

 private:
  // The output selections of one selection set while they are collected and merged.
  struct SetBuilder {
    explicit SetBuilder(const TypeDef* p) : parent(p) {}
    const TypeDef* parent;  // null when unknown (or not composite)
    std::vector<Selection*> items;
    std::unordered_map<std::string_view, std::vector<uint32_t>> fields_by_key;
    std::unordered_set<std::string_view> plain_spreads;  // named spreads without directives
    // Fragment bodies already flattened in whole: adding one again changes nothing.
    std::unordered_set<const SelectionSet*> flattened_bodies;
    uint64_t expanded = 0;
  };

  // ---- collecting the input ----
  bool collect(const SelectionSet& input, SetBuilder& out);
  bool collect_field(const Field& field, SetBuilder& out);
  bool collect_inline_fragment(const InlineFragment& fragment, SetBuilder& out);
  bool collect_fragment_spread(const FragmentSpread& spread, SetBuilder& out);
  const SelectionSet* fragment_body(const FragmentDefinition& def, const TypeDef* parent,
                                    const FragmentSpread& at);

  // ---- merging into the output ----
  bool add(SetBuilder& out, Selection* selection);
  bool add_field(SetBuilder& out, Field* field);
  bool add_inline_fragment(SetBuilder& out, InlineFragment* fragment);
  Field* merge_fields(Field* first, Field* second, const TypeDef* parent);
  const SelectionSet* merge_sets(const SelectionSet* a, const SelectionSet* b,
                                 const TypeDef* parent);
  SelectionSet* finish(SetBuilder& builder, Location loc);
  bool check_size(const SetBuilder& builder);
  uint64_t selection_size(const Selection* selection) const;
  uint64_t set_size(const SelectionSet* set) const;

  // ---- types ----
  const TypeDef* composite(const TypeDef* type) const {
    return type != nullptr && type->is_composite() ? type : nullptr;
  }
  const TypeDef* field_type(const TypeDef* parent, std::string_view name) const;
  const TypeDef* condition_type(const NamedType* condition) const {
    return condition == nullptr ? nullptr : composite(schema_.type(condition->name.value));
  }
  FragmentAction decide(const TypeDef* parent, const NamedType* condition,
                        bool has_directives) const;
  bool covers(const TypeDef* super, const TypeDef* sub) const;
  bool may_overlap(const InlineFragment& a, const InlineFragment& b) const;

  // ---- @skip / @include ----
  Inclusion evaluate_conditions(List<Directive> directives, List<Directive>* remaining);
  bool condition_argument(const Directive& directive, bool* value);
  bool keeps(const Directive& condition) const;
  bool variable_value(const Variable& variable, const Directive& directive, bool* value);

  // ---- results ----
  void remove_unused_variable_definitions(OperationDefinition& out);
  std::vector<const FragmentDefinition*> reachable_named_fragments(const SelectionSet* root);

  bool enter() {
    if (++depth_ > options_.max_depth) {
      if (!failed_) {
        report_.add("Operation is nested too deeply: more than " +
                        std::to_string(options_.max_depth) + " levels once fragments are followed.",
                    ErrorCode::kMaxDepthExceeded);
      }
      failed_ = true;
      return false;
    }
    return true;
  }
  void leave() { --depth_; }
  bool fail(GraphqlError error) {
    if (!failed_) report_.add(std::move(error));
    failed_ = true;
    return false;
  }

  const Schema& schema_;
  const Document& document_;
  const OperationDefinition& operation_;
  const ConditionVariables& variables_;
  Arena& arena_;
  ErrorReport& report_;
  const NormalizeOptions& options_;

  bool failed_ = false;
  uint32_t depth_ = 0;
  std::unordered_map<std::string_view, const FragmentDefinition*> fragments_;
  // Inline mode: body of a fragment normalized against a parent type.
  std::unordered_map<std::pair<const FragmentDefinition*, const TypeDef*>, const SelectionSet*,
                     PairHash>
      fragment_bodies_;
  // Named mode: body of each fragment, normalized against its own type condition.
  std::unordered_map<std::string_view, const SelectionSet*> named_bodies_;
  std::vector<const FragmentDefinition*> fragment_stack_;
  std::unordered_map<std::pair<const SelectionSet*, const SelectionSet*>, const SelectionSet*,
                     PairHash>
      merged_sets_;
  std::unordered_map<const SelectionSet*, uint64_t> set_sizes_;
  std::vector<ConditionVariableValue> condition_values_;
};

// ---- collecting ---------------------------------------------------------------------------

bool Normalizer::collect(const SelectionSet& input, SetBuilder& out) {
  if (!enter()) return false;
  for (const Selection* selection : input.selections) {
    bool ok = true;
    switch (selection->kind) {
      case Kind::kField: ok = collect_field(*selection->as<Field>(), out); break;
      case Kind::kInlineFragment:
        ok = collect_inline_fragment(*selection->as<InlineFragment>(), out);
        break;
      case Kind::kFragmentSpread:
        ok = collect_fragment_spread(*selection->as<FragmentSpread>(), out);
        break;
      default: ORBIT_BUG("selection of an unexpected kind"); break;
    }
    if (!ok) return false;
  }
  leave();
  return true;
}

bool Normalizer::collect_field(const Field& field, SetBuilder& out) {
  List<Directive> directives;
  switch (evaluate_conditions(field.directives, &directives)) {
    case Inclusion::kSkip: return true;
    case Inclusion::kError: return false;
    case Inclusion::kInclude: break;
  }
  SelectionSet* children = nullptr;
  if (field.selection_set != nullptr) {
    SetBuilder child(field_type(out.parent, field.name.value));
    if (!collect(*field.selection_set, child)) return false;
    children = finish(child, field.selection_set->loc);
  }
  auto* copy = arena_.make<Field>();
  copy->loc = field.loc;
  copy->alias = field.alias;
  copy->name = field.name;
  copy->arguments = field.arguments;
  copy->directives = directives;
  copy->selection_set = children;
  return add_field(out, copy);
}

bool Normalizer::collect_inline_fragment(const InlineFragment& fragment, SetBuilder& out) {
  List<Directive> directives;
  switch (evaluate_conditions(fragment.directives, &directives)) {
    case Inclusion::kSkip: return true;
    case Inclusion::kError: return false;
    case Inclusion::kInclude: break;
  }
  if (fragment.selection_set == nullptr) return true;
  switch (decide(out.parent, fragment.type_condition, !directives.empty())) {
    case FragmentAction::kDrop: return true;
    case FragmentAction::kFlatten: return collect(*fragment.selection_set, out);
    case FragmentAction::kKeep: break;
  }
  SetBuilder child(fragment.type_condition != nullptr ? condition_type(fragment.type_condition)
                                                      : out.parent);
  if (!collect(*fragment.selection_set, child)) return false;
  // Every selection inside was skipped or impossible: the fragment adds nothing.
  if (child.items.empty()) return true;
  auto* copy = arena_.make<InlineFragment>();
  copy->loc = fragment.loc;
  copy->type_condition = fragment.type_condition;
  copy->directives = directives;
  copy->selection_set = finish(child, fragment.selection_set->loc);
  return add_inline_fragment(out, copy);
}

bool Normalizer::collect_fragment_spread(const FragmentSpread& spread, SetBuilder& out) {
  List<Directive> directives;
  switch (evaluate_conditions(spread.directives, &directives)) {
    case Inclusion::kSkip: return true;
    case Inclusion::kError: return false;
    case Inclusion::kInclude: break;
  }
  auto it = fragments_.find(spread.name.value);
  if (it == fragments_.end()) {
    GraphqlError error;
    error.message = "Unknown fragment \"" + std::string(spread.name.value) + "\".";
    error.locations.push_back(to_source_location(spread.name.loc));
    error.code = ErrorCode::kGraphqlValidationFailed;
    return fail(std::move(error));
  }
  const FragmentDefinition& def = *it->second;
  if (def.selection_set == nullptr) return true;
  const FragmentAction action = decide(out.parent, def.type_condition, !directives.empty());
  if (action == FragmentAction::kDrop) return true;

  if (!options_.inline_fragments) {
    const SelectionSet* body = fragment_body(def, condition_type(def.type_condition), spread);
    if (body == nullptr) return false;
    if (body->selections.empty()) return true;
    auto* copy = arena_.make<FragmentSpread>();
    copy->loc = spread.loc;
    copy->name = spread.name;
    copy->directives = directives;
    return add(out, copy);
  }

  if (action == FragmentAction::kFlatten) {
    const SelectionSet* body = fragment_body(def, out.parent, spread);
    if (body == nullptr) return false;
    if (!out.flattened_bodies.insert(body).second) return true;
    for (Selection* selection : body->selections) {
      if (!add(out, selection)) return false;
    }
    return true;
  }
  const SelectionSet* body = fragment_body(def, condition_type(def.type_condition), spread);
  if (body == nullptr) return false;
  if (body->selections.empty()) return true;
  auto* inline_fragment = arena_.make<InlineFragment>();
  inline_fragment->loc = spread.loc;
  inline_fragment->type_condition = def.type_condition;
  inline_fragment->directives = directives;
  // Shared with every other spread of `def` on this type: output nodes are never modified.
  inline_fragment->selection_set = const_cast<SelectionSet*>(body);
  return add_inline_fragment(out, inline_fragment);
}

const SelectionSet* Normalizer::fragment_body(const FragmentDefinition& def, const TypeDef* parent,
                                              const FragmentSpread& at) {
  if (!options_.inline_fragments) {
    auto it = named_bodies_.find(def.name.value);
    if (it != named_bodies_.end() && it->second != nullptr) return it->second;
  } else {
    auto it = fragment_bodies_.find({&def, parent});
    if (it != fragment_bodies_.end()) return it->second;
  }
  auto cycle_start = std::find(fragment_stack_.begin(), fragment_stack_.end(), &def);
  if (cycle_start != fragment_stack_.end()) {
    // graphql-js's NoFragmentCyclesRule words it this way.
    GraphqlError error;
    error.message = "Cannot spread fragment \"" + std::string(def.name.value) + "\" within itself";
    if (cycle_start + 1 != fragment_stack_.end()) {
      error.message += " via ";
      for (auto via = cycle_start + 1; via != fragment_stack_.end(); ++via) {
        if (via != cycle_start + 1) error.message += ", ";
        error.message += "\"" + std::string((*via)->name.value) + "\"";
      }
    }
    error.message += ".";
    error.locations.push_back(to_source_location(at.loc));
    error.code = ErrorCode::kGraphqlValidationFailed;
    fail(std::move(error));
    return nullptr;
  }
  fragment_stack_.push_back(&def);
  SetBuilder builder(parent);
  bool ok = collect(*def.selection_set, builder);
  fragment_stack_.pop_back();
  if (!ok) return nullptr;
  const SelectionSet* body = finish(builder, def.selection_set->loc);
  if (!options_.inline_fragments) {
    named_bodies_[def.name.value] = body;
  } else {
    fragment_bodies_[{&def, parent}] = body;
  }
  return body;
}

// ---- merging ------------------------------------------------------------------------------

bool Normalizer::add(SetBuilder& out, Selection* selection) {
  switch (selection->kind) {
    case Kind::kField: return add_field(out, selection->as<Field>());
    case Kind::kInlineFragment: return add_inline_fragment(out, selection->as<InlineFragment>());
    case Kind::kFragmentSpread: {
      const auto* spread = selection->as<FragmentSpread>();
      // A second spread of a fragment adds no field that the first did not add earlier.
      if (spread->directives.empty() && !out.plain_spreads.insert(spread->name.value).second) {
        return true;
      }
      out.items.push_back(selection);
      out.expanded = saturating_add(out.expanded, selection_size(selection));
      return check_size(out);
    }
    default: ORBIT_BUG("selection of an unexpected kind"); return true;
  }
}

bool Normalizer::add_field(SetBuilder& out, Field* field) {
  std::vector<uint32_t>& same_key = out.fields_by_key[field->response_key()];
  for (uint32_t index : same_key) {
    Field* existing = out.items[index]->as<Field>();
    // Fields that differ in name, arguments or directives are left apart: the document is
    // invalid (OverlappingFieldsCanBeMergedRule) and validation must still see both.
    if (existing->name.value != field->name.value ||
        (existing->selection_set == nullptr) != (field->selection_set == nullptr) ||
        !arguments_equal(existing->arguments, field->arguments) ||
        !directives_equal(existing->directives, field->directives)) {
      continue;
    }
    Field* merged = merge_fields(existing, field, out.parent);
    if (merged == nullptr) return false;
    if (merged != existing) {
      out.expanded = out.expanded - selection_size(existing);
      out.expanded = saturating_add(out.expanded, selection_size(merged));
      out.items[index] = merged;
    }
    return check_size(out);
  }
  same_key.push_back(static_cast<uint32_t>(out.items.size()));
  out.items.push_back(field);
  out.expanded = saturating_add(out.expanded, selection_size(field));
  return check_size(out);
}

bool Normalizer::add_inline_fragment(SetBuilder& out, InlineFragment* fragment) {
  // Merge with an earlier fragment on the same type only when nothing between them can
  // apply to the same objects: the response order stays the order of first occurrence.
  // Fragments with directives (@defer …) keep their identity.
  if (fragment->directives.empty() && fragment->type_condition != nullptr) {
    size_t looked = 0;
    for (size_t i = out.items.size(); i-- > 0 && looked < kFragmentMergeLookback; ++looked) {
      Selection* item = out.items[i];
      if (item->kind != Kind::kInlineFragment) break;
      auto* earlier = item->as<InlineFragment>();
      if (earlier->directives.empty() && earlier->type_condition != nullptr &&
          earlier->type_condition->name.value == fragment->type_condition->name.value) {
        const SelectionSet* merged_set = merge_sets(earlier->selection_set, fragment->selection_set,
                                                    condition_type(earlier->type_condition));
        if (merged_set == nullptr) return false;
        if (merged_set != earlier->selection_set) {
          auto* merged = arena_.make<InlineFragment>(*earlier);
          merged->selection_set = const_cast<SelectionSet*>(merged_set);
          out.expanded = out.expanded - selection_size(earlier);
          out.expanded = saturating_add(out.expanded, selection_size(merged));
          out.items[i] = merged;
        }
        return check_size(out);
      }
      if (may_overlap(*earlier, *fragment)) break;
    }
  }
  out.items.push_back(fragment);
  out.expanded = saturating_add(out.expanded, selection_size(fragment));
  return check_size(out);
}

Field* Normalizer::merge_fields(Field* first, Field* second, const TypeDef* parent) {
  if (first == second || first->selection_set == nullptr) return first;
  const SelectionSet* merged = merge_sets(first->selection_set, second->selection_set,
                                          field_type(parent, first->name.value));
  if (merged == nullptr) return nullptr;
  if (merged == first->selection_set) return first;
  auto* copy = arena_.make<Field>(*first);
  copy->selection_set = const_cast<SelectionSet*>(merged);
  return copy;
}

const SelectionSet* Normalizer::merge_sets(const SelectionSet* a, const SelectionSet* b,
                                           const TypeDef* parent) {
  if (a == b || b->selections.empty()) return a;
  if (a->selections.empty()) return b;
  auto memo = merged_sets_.find({a, b});
  if (memo != merged_sets_.end()) return memo->second;
  if (!enter()) return nullptr;
  SetBuilder builder(parent);
  for (Selection* selection : a->selections) {
    if (!add(builder, selection)) return nullptr;
  }
  for (Selection* selection : b->selections) {
    if (!add(builder, selection)) return nullptr;
  }
  leave();
  const SelectionSet* result = a;
  if (builder.items.size() != a->selections.size() ||
      !std::equal(builder.items.begin(), builder.items.end(), a->selections.begin())) {
    result = finish(builder, a->loc);
  }
  merged_sets_[{a, b}] = result;
  return result;
}

SelectionSet* Normalizer::finish(SetBuilder& builder, Location loc) {
  // `x { ...F }`: the set is F's memoized body; share it instead of copying its item list.
  if (builder.flattened_bodies.size() == 1) {
    const SelectionSet* body = *builder.flattened_bodies.begin();
    if (body->selections.size() == builder.items.size() &&
        std::equal(builder.items.begin(), builder.items.end(), body->selections.begin())) {
      return const_cast<SelectionSet*>(body);
    }
  }
  auto* set = arena_.make<SelectionSet>();
  set->loc = loc;
  set->selections = to_list(arena_, builder.items);
  set_sizes_[set] = builder.expanded;
  return set;
}

bool Normalizer::check_size(const SetBuilder& builder) {
  if (options_.max_selections == 0 || builder.expanded <= options_.max_selections) return true;
  GraphqlError error;
  error.message = "Operation is too large: more than " + std::to_string(options_.max_selections) +
                  " selections once fragments are expanded.";
  error.code = ErrorCode::kLimitExceeded;
  return fail(std::move(error));
}

uint64_t Normalizer::set_size(const SelectionSet* set) const {
  if (set == nullptr) return 0;
  auto it = set_sizes_.find(set);
  return it == set_sizes_.end() ? 0 : it->second;
}

uint64_t Normalizer::selection_size(const Selection* selection) const {
  switch (selection->kind) {
    case Kind::kField: return saturating_add(1, set_size(selection->as<Field>()->selection_set));
    case Kind::kInlineFragment:
      return saturating_add(1, set_size(selection->as<InlineFragment>()->selection_set));
    case Kind::kFragmentSpread: {
      auto it = named_bodies_.find(selection->as<FragmentSpread>()->name.value);
      return saturating_add(1, it == named_bodies_.end() ? 0 : set_size(it->second));
    }
    default: return 1;
  }
}

// ---- types --------------------------------------------------------------------------------

const TypeDef* Normalizer::field_type(const TypeDef* parent, std::string_view name) const {
  if (parent == nullptr) return nullptr;
  const FieldDef* def = schema_.field_def(parent, name);
  if (def == nullptr || def->type == nullptr) return nullptr;
  return composite(def->type->named_type());
}

FragmentAction Normalizer::decide(const TypeDef* parent, const NamedType* condition,
                                  bool has_directives) const {
  if (condition == nullptr)
    return has_directives ? FragmentAction::kKeep : FragmentAction::kFlatten;
  const TypeDef* type = condition_type(condition);
  // Unknown types (an invalid document): keep the fragment as written for validation.
  if (type == nullptr || parent == nullptr) return FragmentAction::kKeep;
  if (type != parent && !schema_.types_overlap(parent, type)) return FragmentAction::kDrop;
  if (!has_directives && (type == parent || covers(type, parent))) return FragmentAction::kFlatten;
  return FragmentAction::kKeep;
}

bool Normalizer::covers(const TypeDef* super, const TypeDef* sub) const {
  for (const TypeDef* object : sub->possible_types) {
    if (!schema_.is_possible_type(super, object)) return false;
  }
  return true;
}

bool Normalizer::may_overlap(const InlineFragment& a, const InlineFragment& b) const {
  const TypeDef* x = condition_type(a.type_condition);
  const TypeDef* y = condition_type(b.type_condition);
  if (x == nullptr || y == nullptr) return true;
  return x == y || schema_.types_overlap(x, y);
}

// ---- @skip / @include ---------------------------------------------------------------------

Inclusion Normalizer::evaluate_conditions(List<Directive> directives, List<Directive>* remaining) {
  const Directive* skip = nullptr;
  const Directive* include = nullptr;
  size_t conditions = 0;
  for (const Directive* directive : directives) {
    if (directive->name.value == "skip") {
      ++conditions;
      if (skip == nullptr) skip = directive;
    } else if (directive->name.value == "include") {
      ++conditions;
      if (include == nullptr) include = directive;
    }
  }
  if (conditions == 0) {
    *remaining = directives;
    return Inclusion::kInclude;
  }
  // Same order as graphql-js's shouldIncludeNode: @skip decides first. Conditions on
  // variables are kept, unevaluated, with options.keep_variable_conditions (their values are
  // still checked).
  bool value = false;
  const Directive* keep_skip = nullptr;
  const Directive* keep_include = nullptr;
  if (skip != nullptr) {
    if (!condition_argument(*skip, &value)) return Inclusion::kError;
    if (keeps(*skip)) {
      keep_skip = skip;
    } else if (value) {
      return Inclusion::kSkip;
    }
  }
  if (include != nullptr) {
    if (!condition_argument(*include, &value)) return Inclusion::kError;
    if (keeps(*include)) {
      keep_include = include;
    } else if (!value) {
      return Inclusion::kSkip;
    }
  }
  std::vector<Directive*> kept;
  kept.reserve(directives.size() - conditions + 2);
  for (Directive* directive : directives) {
    if ((directive->name.value != "skip" && directive->name.value != "include") ||
        directive == keep_skip || directive == keep_include) {
      kept.push_back(directive);
    }
  }
  *remaining = to_list(arena_, kept);
  return Inclusion::kInclude;
}

bool Normalizer::keeps(const Directive& condition) const {
  if (!options_.keep_variable_conditions) return false;
  for (const Argument* argument : condition.arguments) {
    if (argument->name.value == "if")
      return argument->value != nullptr && argument->value->kind == Kind::kVariable;
  }
  return false;
}

bool Normalizer::condition_argument(const Directive& directive, bool* value) {
  const std::string coordinate = "Argument \"@" + std::string(directive.name.value) + "(if:)\"";
  const Argument* argument = nullptr;
  for (const Argument* candidate : directive.arguments) {
    if (candidate->name.value == "if") {
      argument = candidate;
      break;
    }
  }
  GraphqlError error;
  error.code = ErrorCode::kGraphqlValidationFailed;
  if (argument == nullptr || argument->value == nullptr) {
    error.message = coordinate + " of required type \"Boolean!\" was not provided.";
    error.locations.push_back(to_source_location(directive.loc));
    return fail(std::move(error));
  }
  const Value* literal = argument->value;
  switch (literal->kind) {
    case Kind::kBooleanValue: *value = literal->as<BooleanValue>()->value; return true;
    case Kind::kVariable: return variable_value(*literal->as<Variable>(), directive, value);
    case Kind::kNullValue:
      error.message =
          coordinate +
          " has invalid value: Expected value of non-null type \"Boolean!\" not to be null.";
      break;
    default:
      error.message =
          coordinate +
          " has invalid value: Boolean cannot represent a non boolean value: " + print(*literal);
      break;
  }
  error.locations.push_back(to_source_location(literal->loc));
  return fail(std::move(error));
}

bool Normalizer::variable_value(const Variable& variable, const Directive& directive, bool* value) {
  std::string_view name = variable.name.value;
  ConditionValue found = variables_.lookup(name);
  if (found == ConditionValue::kMissing) {
    // Uncoerced variables: the definition's default still applies.
    for (const VariableDefinition* def : operation_.variable_definitions) {
      if (def->variable == nullptr || def->variable->name.value != name ||
          def->default_value == nullptr) {
        continue;
      }
      if (def->default_value->kind == Kind::kBooleanValue) {
        found = def->default_value->as<BooleanValue>()->value ? ConditionValue::kTrue
                                                              : ConditionValue::kFalse;
      } else if (def->default_value->kind == Kind::kNullValue) {
        found = ConditionValue::kNull;
      } else {
        found = ConditionValue::kNotBoolean;
      }
      break;
    }
  }
  const std::string prefix = "Argument \"@" + std::string(directive.name.value) +
                             "(if:)\" has invalid value: Expected variable \"$" +
                             std::string(name) + "\" provided to ";
  GraphqlError error;
  error.code = ErrorCode::kBadUserInput;
  error.locations.push_back(to_source_location(variable.loc));
  switch (found) {
    case ConditionValue::kTrue:
    case ConditionValue::kFalse: {
      *value = found == ConditionValue::kTrue;
      if (options_.keep_variable_conditions) return true;  // the output holds for any value
      auto it = std::find_if(condition_values_.begin(), condition_values_.end(),
                             [&](const ConditionVariableValue& v) { return v.name == name; });
      if (it == condition_values_.end()) condition_values_.push_back({name, *value});
      return true;
    }
    case ConditionValue::kNull:
      error.message = prefix + "non-null type \"Boolean!\" not to be null.";
      break;
    case ConditionValue::kMissing:
      error.message = prefix + "type \"Boolean!\" to provide a runtime value.";
      break;
    case ConditionValue::kNotBoolean:
      error.message = prefix + "type \"Boolean!\" to be a Boolean.";
      break;
  }
  return fail(std::move(error));
}

// ---- results ------------------------------------------------------------------------------

// Calls `fn(name)` for every variable referenced in `value`.
template <typename Fn>
void for_each_variable(const Value* value, Fn&& fn) {
  if (value == nullptr) return;
  switch (value->kind) {
    case Kind::kVariable: fn(value->as<Variable>()->name.value); break;
    case Kind::kListValue:
      for (const Value* item : value->as<ListValue>()->values)
        for_each_variable(item, fn);
      break;
    case Kind::kObjectValue:
      for (const ObjectField* field : value->as<ObjectValue>()->fields) {
        for_each_variable(field->value, fn);
      }
      break;
    default: break;
  }
}

template <typename Fn>
void for_each_variable(List<Directive> directives, Fn&& fn) {
  for (const Directive* directive : directives) {
    for (const Argument* argument : directive->arguments)
      for_each_variable(argument->value, fn);
  }
}

// Variables referenced under `roots`, following spreads into `fragments` (each once). The
// walk is iterative: fragment chains can be longer than the stack is deep.
template <typename Fn>
void walk_variables(
    std::vector<const SelectionSet*> roots,
    const std::unordered_map<std::string_view, const FragmentDefinition*>& fragments, Fn&& fn) {
  std::unordered_set<const SelectionSet*> seen;
  std::unordered_set<std::string_view> seen_fragments;
  std::vector<const SelectionSet*> pending = std::move(roots);
  while (!pending.empty()) {
    const SelectionSet* set = pending.back();
    pending.pop_back();
    if (set == nullptr || !seen.insert(set).second) continue;
    for (const Selection* selection : set->selections) {
      for_each_variable(selection->directives, fn);
      switch (selection->kind) {
        case Kind::kField: {
          const auto* field = selection->as<Field>();
          for (const Argument* argument : field->arguments)
            for_each_variable(argument->value, fn);
          pending.push_back(field->selection_set);
          break;
        }
        case Kind::kInlineFragment:
          pending.push_back(selection->as<InlineFragment>()->selection_set);
          break;
        case Kind::kFragmentSpread: {
          std::string_view name = selection->as<FragmentSpread>()->name.value;
          auto it = fragments.find(name);
          if (it != fragments.end() && seen_fragments.insert(name).second) {
            for_each_variable(it->second->directives, fn);
            pending.push_back(it->second->selection_set);
          }
          break;
        }
        default: break;
      }
    }
  }
}

void Normalizer::remove_unused_variable_definitions(OperationDefinition& out) {
  if (operation_.variable_definitions.empty()) return;
  std::unordered_set<std::string_view> used_before;
  std::unordered_set<std::string_view> used_after;
  auto collect_before = [&](std::string_view name) { used_before.insert(name); };
  auto collect_after = [&](std::string_view name) { used_after.insert(name); };
  for_each_variable(operation_.directives, collect_before);
  walk_variables({operation_.selection_set}, fragments_, collect_before);
  for_each_variable(out.directives, collect_after);
  std::unordered_map<std::string_view, const FragmentDefinition*> out_fragments;
  std::vector<const SelectionSet*> out_roots{out.selection_set};
  if (!options_.inline_fragments) {
    for (const auto& [name, body] : named_bodies_) {
      auto def = fragments_.find(name);
      if (def != fragments_.end() && body != nullptr) {
        // Named mode: spreads lead to the normalized bodies, not the input ones.
        auto* stand_in = arena_.make<FragmentDefinition>();
        stand_in->name = def->second->name;
        stand_in->directives = def->second->directives;
        stand_in->selection_set = const_cast<SelectionSet*>(body);
        out_fragments[name] = stand_in;
      }
    }
  }
  walk_variables(std::move(out_roots), out_fragments, collect_after);

  std::vector<VariableDefinition*> kept;
  for (VariableDefinition* def : operation_.variable_definitions) {
    std::string_view name = def->variable != nullptr ? def->variable->name.value : "";
    if (used_before.contains(name) && !used_after.contains(name)) continue;
    kept.push_back(def);
  }
  if (kept.size() != operation_.variable_definitions.size()) {
    out.variable_definitions = to_list(arena_, kept);
  }
}

std::vector<const FragmentDefinition*> Normalizer::reachable_named_fragments(
    const SelectionSet* root) {
  std::unordered_set<std::string_view> reached;
  std::unordered_set<const SelectionSet*> seen;
  std::vector<const SelectionSet*> pending{root};
  while (!pending.empty()) {
    const SelectionSet* set = pending.back();
    pending.pop_back();
    if (set == nullptr || !seen.insert(set).second) continue;
    for (const Selection* selection : set->selections) {
      switch (selection->kind) {
        case Kind::kField: pending.push_back(selection->as<Field>()->selection_set); break;
        case Kind::kInlineFragment:
          pending.push_back(selection->as<InlineFragment>()->selection_set);
          break;
        case Kind::kFragmentSpread: {
          std::string_view name = selection->as<FragmentSpread>()->name.value;
          auto it = named_bodies_.find(name);
          if (it != named_bodies_.end() && reached.insert(name).second) {
            pending.push_back(it->second);
          }
          break;
        }
        default: break;
      }
    }
  }
  // Document order; with duplicate names the first definition is the one used.
  std::vector<const FragmentDefinition*> result;
  for (const Definition* def : document_.definitions) {
    if (def->kind != Kind::kFragmentDefinition) continue;
    const auto* fragment = def->as<FragmentDefinition>();
    auto it = fragments_.find(fragment->name.value);
    if (it != fragments_.end() && it->second == fragment &&
        reached.contains(fragment->name.value)) {
      result.push_back(fragment);
    }
  }
  return result;
}

NormalizedOperation Normalizer::run() {
  NormalizedOperation result;
  for (const Definition* def : document_.definitions) {
    if (def->kind == Kind::kFragmentDefinition) {
      const auto* fragment = def->as<FragmentDefinition>();
      fragments_.emplace(fragment->name.value, fragment);
    }
  }
  if (operation_.selection_set == nullptr) return result;
  SetBuilder root(composite(schema_.root_type(operation_.operation)));
  if (!collect(*operation_.selection_set, root)) return result;
  SelectionSet* selection_set = finish(root, operation_.selection_set->loc);

  auto* out = arena_.make<OperationDefinition>();
  out->loc = operation_.loc;
  out->operation = operation_.operation;
  out->description = operation_.description;
  out->name = operation_.name;
  out->variable_definitions = operation_.variable_definitions;
  out->directives = operation_.directives;
  out->selection_set = selection_set;
  remove_unused_variable_definitions(*out);

  std::vector<Definition*> definitions{out};
  std::vector<FragmentDefinition*> fragments;
  if (!options_.inline_fragments) {
    for (const FragmentDefinition* input : reachable_named_fragments(selection_set)) {
      auto* fragment = arena_.make<FragmentDefinition>(*input);
      fragment->selection_set = const_cast<SelectionSet*>(named_bodies_[input->name.value]);
      fragments.push_back(fragment);
      definitions.push_back(fragment);
    }
  }
  auto* document = arena_.make<Document>();
  document->loc = document_.loc;
  document->definitions = to_list(arena_, definitions);

  std::sort(condition_values_.begin(), condition_values_.end(),
            [](const ConditionVariableValue& a, const ConditionVariableValue& b) {
              return a.name < b.name;
            });
  result.operation = out;
  result.fragments = to_list(arena_, fragments);
  result.document = document;
  result.condition_values = std::move(condition_values_);
  result.expanded_selections = set_size(selection_set);
  return result;
}

}  // namespace

NormalizedOperation normalize(const Schema& schema, const Document& document,
                              const OperationDefinition& operation,
                              const ConditionVariables& variables, Arena& arena,
                              ErrorReport& report, const NormalizeOptions& options) {
  Normalizer normalizer(schema, document, operation, variables, arena, report, options);
  return normalizer.run();
}

}  // namespace orbit::graphql
