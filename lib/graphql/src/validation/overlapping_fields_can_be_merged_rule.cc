// OverlappingFieldsCanBeMergedRule: fields with the same response key in one selection (after
// following fragments) can be merged: same field and arguments unless their parents are
// distinct object types, and never conflicting return types or sub-selections.
//
// graphql-js's algorithm: fields are collected once per (parent type, selection set); pairs
// of (fields, fragment) and (fragment, fragment) already compared are remembered, so each
// fragment is compared with a given context once instead of once per spread. Work is charged
// to graphql-js's complexity budget (500,000 units; exhausting it aborts validation with
// "Validation aborted."), which bounds the quadratic worst cases (thousands of fields with
// one response key, many fragments spread side by side) the same way graphql-js does.
// Fragment arguments (experimental in graphql-js) are not part of our AST, so every field
// is in the same variable scope.
#include <algorithm>
#include <memory>
#include <unordered_map>
#include <vector>

#include "orbit/base/hash.h"
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

constexpr size_t kMaxConflictDetailLength = 1000;
constexpr size_t kMaxConflictNodes = 20;
constexpr int64_t kMaxComplexityBudget = 500'000;

std::string maybe_abbreviate(std::string_view text) {
  if (text.size() > kMaxConflictDetailLength) {
    return std::string(text.substr(0, kMaxConflictDetailLength)) + "...";
  }
  return std::string(text);
}

// graphql-js compares types with `===`: named types are shared objects, wrapped types are
// not (except for the same field definition).
bool same_type_object(const TypeRef* a, const TypeRef* b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr) return false;
  return a->wrap == TypeRef::Wrap::kNamed && b->wrap == TypeRef::Wrap::kNamed &&
         a->named == b->named;
}

struct FieldDetails {
  const TypeDef* parent_type;
  const Field* node;
  const FieldDef* def;
  const Directive* stream;
  bool simple_leaf;
};

struct FragmentSpreadRef {
  const FragmentSpread* node;
  const FragmentDefinition* definition;  // null for an unknown fragment
};

struct CollectResult;

struct Overlap {
  std::string_view response_name;
  const std::vector<FieldDetails>* fields1;
  const std::vector<FieldDetails>* fields2;
};

struct CollectResult {
  std::vector<std::string_view> keys;  // response names in first-seen order
  std::unordered_map<std::string_view, std::vector<FieldDetails>> groups;
  std::vector<const FragmentSpread*> spreads;
  bool spreads_resolved = false;
  std::vector<FragmentSpreadRef> fragment_spreads;  // deduplicated by definition
  std::unordered_map<const CollectResult*, std::vector<Overlap>> overlapping;
};

struct Conflict {
  std::string response_name;
  std::string reason;
  std::vector<const Field*> fields1;
  std::vector<const Field*> fields2;
};

template <typename A, typename B>
struct PtrPair {
  const A* a;
  const B* b;
  bool operator==(const PtrPair&) const = default;
};
struct PtrPairHash {
  template <typename A, typename B>
  size_t operator()(const PtrPair<A, B>& p) const {
    return static_cast<size_t>(
        hash_combine(reinterpret_cast<uintptr_t>(p.a) * 0x9E3779B97F4A7C15ULL,
                     reinterpret_cast<uintptr_t>(p.b)));
  }
};

// graphql-js's OrderedPairSet: remembers (a, b) with whether the comparison was made under
// mutually exclusive parents (a weaker check that a later non-exclusive one must redo).
template <typename A, typename B>
class OrderedPairSet {
 public:
  bool has(const A* a, const B* b, bool mutually_exclusive) const {
    auto it = data_.find({a, b});
    if (it == data_.end()) return false;
    return mutually_exclusive ? true : it->second == mutually_exclusive;
  }
  void add(const A* a, const B* b, bool mutually_exclusive) { data_[{a, b}] = mutually_exclusive; }

 private:
  std::unordered_map<PtrPair<A, B>, bool, PtrPairHash> data_;
};

class OverlappingFieldsCanBeMergedRule : public Rule {
 public:
  using Rule::Rule;

  void selection_set(const SelectionSet& set) {
    const Node* parent = ctx_.ancestor(0);
    if (parent != nullptr && parent->kind == Kind::kInlineFragment) return;
    if (set.selections.size() <= 1 &&
        (set.selections.empty() || set.selections[0]->kind != Kind::kInlineFragment)) {
      return;
    }
    std::vector<Conflict> conflicts;
    find_conflicts_within(ctx_.type_info().parent_type(), &set, conflicts);
    if (ctx_.aborted()) return;
    for (const Conflict& c : conflicts) {
      std::vector<Location> locations;
      locations.reserve(c.fields1.size() + c.fields2.size());
      for (const Field* f : c.fields1)
        locations.push_back(f->loc);
      for (const Field* f : c.fields2)
        locations.push_back(f->loc);
      report("Fields \"" + maybe_abbreviate(c.response_name) + "\" conflict because " + c.reason +
                 ". Use different aliases on the fields to fetch both if this was intentional.",
             locations);
    }
  }

 private:
  bool spend(int64_t cost) {
    budget_ -= cost;
    if (budget_ < 0) ctx_.abort_validation();
    return !ctx_.aborted();
  }

  struct DepthGuard {
    OverlappingFieldsCanBeMergedRule& rule;
    bool ok;
    explicit DepthGuard(OverlappingFieldsCanBeMergedRule& r) : rule(r) {
      ok = ++rule.depth_ <= kMaxRecursionDepth;
      if (!ok) rule.ctx_.abort_validation();
    }
    ~DepthGuard() { --rule.depth_; }
  };

  void find_conflicts_within(const TypeDef* parent_type, const SelectionSet* set,
                             std::vector<Conflict>& conflicts) {
    CollectResult* result = collect_fields(parent_type, set);
    // Conflicts among the fields themselves.
    for (std::string_view key : result->keys) {
      const auto& fields = result->groups[key];
      for (size_t i = 0; i < fields.size(); ++i) {
        for (size_t j = i + 1; j < fields.size(); ++j) {
          find_conflict(false, key, fields[i], fields[j], conflicts);
          if (ctx_.aborted()) return;
        }
      }
    }
    if (result->spreads.empty() || (result->groups.empty() && result->spreads.size() <= 1)) {
      return;
    }
    const auto& spreads = fragment_spreads(result);
    for (size_t i = 0; i < spreads.size(); ++i) {
      between_fields_and_fragment(false, result, spreads[i], conflicts);
      for (size_t j = i + 1; j < spreads.size(); ++j) {
        between_fragments(false, spreads[i], spreads[j], conflicts);
        if (ctx_.aborted()) return;
      }
      if (ctx_.aborted()) return;
    }
  }

  void between_fields_and_fragment(bool mutually_exclusive, CollectResult* fields,
                                   const FragmentSpreadRef& spread,
                                   std::vector<Conflict>& conflicts) {
    if (!spend(1) || fields->groups.empty()) return;
    DepthGuard guard(*this);
    if (!guard.ok) return;
    const FragmentDefinition* fragment = spread.definition;
    if (compared_fields_and_fragments_.has(fields, fragment, mutually_exclusive)) return;
    compared_fields_and_fragments_.add(fields, fragment, mutually_exclusive);
    if (fragment == nullptr) return;
    CollectResult* fields2 = collect_fragment_fields(fragment);
    const auto& referenced = fragment_spreads(fields2);
    if (fields == fields2) return;
    collect_conflicts_between(mutually_exclusive, fields, fields2, conflicts);
    for (const FragmentSpreadRef& ref : referenced) {
      if (ctx_.aborted()) return;
      between_fields_and_fragment(mutually_exclusive, fields, ref, conflicts);
    }
  }

  void between_fragments(bool mutually_exclusive, const FragmentSpreadRef& spread1,
                         const FragmentSpreadRef& spread2, std::vector<Conflict>& conflicts) {
    if (!spend(2)) return;
    const FragmentDefinition* f1 = spread1.definition;
    const FragmentDefinition* f2 = spread2.definition;
    if (f1 == f2) return;
    DepthGuard guard(*this);
    if (!guard.ok) return;
    if (compared_fragments_.has(f1, f2, mutually_exclusive) ||
        compared_fragments_.has(f2, f1, mutually_exclusive)) {
      return;
    }
    compared_fragments_.add(f1, f2, mutually_exclusive);
    if (f1 == nullptr || f2 == nullptr) return;
    CollectResult* r1 = collect_fragment_fields(f1);
    const auto& referenced1 = fragment_spreads(r1);
    CollectResult* r2 = collect_fragment_fields(f2);
    const auto& referenced2 = fragment_spreads(r2);
    collect_conflicts_between(mutually_exclusive, r1, r2, conflicts);
    for (const FragmentSpreadRef& ref2 : referenced2) {
      if (ctx_.aborted()) return;
      between_fragments(mutually_exclusive, spread1, ref2, conflicts);
    }
    for (const FragmentSpreadRef& ref1 : referenced1) {
      if (ctx_.aborted()) return;
      between_fragments(mutually_exclusive, ref1, spread2, conflicts);
    }
  }

  void find_conflicts_between_sub_selections(bool mutually_exclusive, const TypeDef* type1,
                                             const SelectionSet* set1, const TypeDef* type2,
                                             const SelectionSet* set2,
                                             std::vector<Conflict>& conflicts) {
    CollectResult* r1 = collect_fields(type1, set1);
    const auto& spreads1 = fragment_spreads(r1);
    CollectResult* r2 = collect_fields(type2, set2);
    const auto& spreads2 = fragment_spreads(r2);
    collect_conflicts_between(mutually_exclusive, r1, r2, conflicts);
    for (const FragmentSpreadRef& s2 : spreads2) {
      if (ctx_.aborted()) return;
      between_fields_and_fragment(mutually_exclusive, r1, s2, conflicts);
    }
    for (const FragmentSpreadRef& s1 : spreads1) {
      if (ctx_.aborted()) return;
      between_fields_and_fragment(mutually_exclusive, r2, s1, conflicts);
    }
    for (const FragmentSpreadRef& s1 : spreads1) {
      for (const FragmentSpreadRef& s2 : spreads2) {
        if (ctx_.aborted()) return;
        between_fragments(mutually_exclusive, s1, s2, conflicts);
      }
    }
  }

  void collect_conflicts_between(bool mutually_exclusive, CollectResult* r1, CollectResult* r2,
                                 std::vector<Conflict>& conflicts) {
    if (r1->groups.empty() || r2->groups.empty()) return;
    for (const Overlap& o : overlapping_fields(r1, r2)) {
      for (const FieldDetails& a : *o.fields1) {
        for (const FieldDetails& b : *o.fields2) {
          find_conflict(mutually_exclusive, o.response_name, a, b, conflicts);
          if (ctx_.aborted()) return;
        }
      }
    }
  }

  const std::vector<Overlap>& overlapping_fields(CollectResult* r1, CollectResult* r2) {
    auto [it, inserted] = r1->overlapping.try_emplace(r2);
    if (!inserted) return it->second;
    for (std::string_view key : r1->keys) {
      if (!spend(1)) break;
      auto other = r2->groups.find(key);
      if (other != r2->groups.end()) {
        it->second.push_back({key, &r1->groups[key], &other->second});
      }
    }
    return it->second;
  }

  void find_conflict(bool parents_mutually_exclusive, std::string_view response_name,
                     const FieldDetails& f1, const FieldDetails& f2,
                     std::vector<Conflict>& conflicts) {
    bool mutually_exclusive =
        parents_mutually_exclusive ||
        (f1.parent_type != f2.parent_type && f1.parent_type != nullptr &&
         f2.parent_type != nullptr && f1.parent_type->kind == TypeKind::kObject &&
         f2.parent_type->kind == TypeKind::kObject);
    if (!spend(2)) return;
    const TypeRef* type1 = f1.def == nullptr ? nullptr : f1.def->type;
    const TypeRef* type2 = f2.def == nullptr ? nullptr : f2.def->type;
    if (f1.simple_leaf && f2.simple_leaf && same_type_object(type1, type2) &&
        f1.node->name.value == f2.node->name.value) {
      return;
    }
    auto make = [&](std::string reason) {
      conflicts.push_back(
          Conflict{std::string(response_name), std::move(reason), {f1.node}, {f2.node}});
    };
    if (!mutually_exclusive) {
      std::string_view name1 = f1.node->name.value;
      std::string_view name2 = f2.node->name.value;
      if (name1 != name2) {
        make("\"" + maybe_abbreviate(name1) + "\" and \"" + maybe_abbreviate(name2) +
             "\" are different fields");
        return;
      }
      if (!same_arguments(&f1, &f2, f1.node->arguments, f2.node->arguments, args_compared_)) {
        if (!ctx_.aborted()) make("they have differing arguments");
        return;
      }
    }
    if (f1.stream != nullptr || f2.stream != nullptr) {
      std::string reason = "they have overlapping stream directives";
      if (f1.stream != nullptr && f2.stream != nullptr &&
          same_arguments(&f1, &f2, f1.stream->arguments, f2.stream->arguments,
                         stream_args_compared_)) {
        reason += ". See https://github.com/graphql/defer-stream-wg/discussions/100";
      }
      make(std::move(reason));
      return;
    }
    if (type1 != nullptr && type2 != nullptr && types_conflict(type1, type2)) {
      make("they return conflicting types \"" + type1->to_string() + "\" and \"" +
           type2->to_string() + "\"");
      return;
    }
    if (ctx_.aborted()) return;
    const SelectionSet* set1 = f1.node->selection_set;
    const SelectionSet* set2 = f2.node->selection_set;
    if (set1 == nullptr || set2 == nullptr) return;
    DepthGuard guard(*this);
    if (!guard.ok) return;
    std::vector<Conflict> sub;
    find_conflicts_between_sub_selections(
        mutually_exclusive, type1 == nullptr ? nullptr : type1->named_type(), set1,
        type2 == nullptr ? nullptr : type2->named_type(), set2, sub);
    if (sub.empty() || ctx_.aborted()) return;
    std::string message;
    for (const Conflict& c : sub) {
      if (!message.empty()) message += " and ";
      message +=
          "subfields \"" + maybe_abbreviate(c.response_name) + "\" conflict because " + c.reason;
      if (message.size() > kMaxConflictDetailLength) break;
    }
    Conflict conflict{std::string(response_name), maybe_abbreviate(message), {f1.node}, {f2.node}};
    collect_conflict_nodes(conflict.fields1, sub, true);
    collect_conflict_nodes(conflict.fields2, sub, false);
    conflicts.push_back(std::move(conflict));
  }

  static void collect_conflict_nodes(std::vector<const Field*>& nodes,
                                     const std::vector<Conflict>& sub, bool first) {
    for (const Conflict& c : sub) {
      const auto& side = first ? c.fields1 : c.fields2;
      size_t remaining = kMaxConflictNodes - nodes.size();
      size_t take = std::min(remaining, side.size());
      nodes.insert(nodes.end(), side.end() - static_cast<ptrdiff_t>(take), side.end());
      if (nodes.size() == kMaxConflictNodes) break;
    }
  }

  // graphql-js's compareArguments + sameArguments for one scope, cached per field pair.
  bool same_arguments(
      const FieldDetails* a, const FieldDetails* b, List<Argument> args1, List<Argument> args2,
      std::unordered_map<PtrPair<FieldDetails, FieldDetails>, bool, PtrPairHash>& cache) {
    auto [it, inserted] = cache.try_emplace({a, b}, false);
    if (!inserted) return it->second;
    bool same = true;
    if (args1.empty() || args2.empty()) {
      same = args1.empty() && args2.empty();
    } else if (args1.size() != args2.size()) {
      same = false;
    } else {
      for (const Argument* arg1 : args1) {
        if (!spend(1)) return false;
        const Value* value2 = nullptr;
        for (const Argument* arg2 : args2) {  // the last one of a name, as a Map would keep
          if (arg2->name.value == arg1->name.value) value2 = arg2->value;
        }
        if (value2 == nullptr || value_key(arg1->value) != value_key(value2)) {
          same = false;
          break;
        }
      }
    }
    it->second = same;
    return same;
  }

  // A canonical text of a value literal: equal keys <=> equal values (object fields compared
  // without regard to order), like graphql-js's JSON comparison key.
  const std::string& value_key(const Value* value) {
    auto [it, inserted] = value_keys_.try_emplace(value);
    if (inserted) append_value_key(value, it->second);
    return it->second;
  }
  static void append_value_key(const Value* value, std::string& out) {
    switch (value->kind) {
      case Kind::kVariable:
        out += '$';
        out += value->as<Variable>()->name.value;
        break;
      case Kind::kIntValue:
        out += 'i';
        out += value->as<IntValue>()->value;
        break;
      case Kind::kFloatValue:
        out += 'f';
        out += value->as<FloatValue>()->value;
        break;
      case Kind::kStringValue: {
        const auto* s = value->as<StringValue>();
        out += s->block ? 'B' : 's';
        out += std::to_string(s->value.size());
        out += ':';
        out += s->value;
        break;
      }
      case Kind::kBooleanValue: out += value->as<BooleanValue>()->value ? 'T' : 'F'; break;
      case Kind::kNullValue: out += 'n'; break;
      case Kind::kEnumValue:
        out += 'e';
        out += value->as<EnumValue>()->value;
        break;
      case Kind::kListValue:
        out += '[';
        for (const Value* item : value->as<ListValue>()->values) {
          append_value_key(item, out);
          out += ',';
        }
        out += ']';
        break;
      case Kind::kObjectValue: {
        std::vector<const ObjectField*> fields(value->as<ObjectValue>()->fields.begin(),
                                               value->as<ObjectValue>()->fields.end());
        std::stable_sort(fields.begin(), fields.end(),
                         [](const ObjectField* a, const ObjectField* b) {
                           return a->name.value < b->name.value;
                         });
        out += '{';
        for (const ObjectField* f : fields) {
          out += f->name.value;
          out += ':';
          append_value_key(f->value, out);
          out += ',';
        }
        out += '}';
        break;
      }
      default: break;
    }
  }

  bool types_conflict(const TypeRef* t1, const TypeRef* t2) {
    if (same_type_object(t1, t2)) return false;
    if (!spend(1)) return false;
    if (t1->is_list()) return t2->is_list() ? types_conflict(t1->of_type, t2->of_type) : true;
    if (t2->is_list()) return true;
    if (t1->is_non_null()) {
      return t2->is_non_null() ? types_conflict(t1->of_type, t2->of_type) : true;
    }
    if (t2->is_non_null()) return true;
    if (t1->named->is_leaf() || t2->named->is_leaf()) return t1->named != t2->named;
    return false;
  }

  CollectResult* collect_fields(const TypeDef* parent_type, const SelectionSet* set) {
    auto& slot = collected_[{parent_type, set}];
    if (slot == nullptr) {
      slot = std::make_unique<CollectResult>();
      collect_fields_impl(parent_type, set, *slot);
    }
    return slot.get();
  }

  CollectResult* collect_fragment_fields(const FragmentDefinition* fragment) {
    const TypeDef* type = fragment->type_condition == nullptr
                              ? nullptr
                              : ctx_.schema().type(fragment->type_condition->name.value);
    return collect_fields(type, fragment->selection_set);
  }

  void collect_fields_impl(const TypeDef* parent_type, const SelectionSet* set,
                           CollectResult& out) {
    for (const Selection* sel : set->selections) {
      switch (sel->kind) {
        case Kind::kField: {
          const auto* field = sel->as<Field>();
          const FieldDef* def = nullptr;
          if (parent_type != nullptr && (parent_type->kind == TypeKind::kObject ||
                                         parent_type->kind == TypeKind::kInterface)) {
            def = parent_type->field(field->name.value);
          }
          std::string_view key = field->response_key();
          auto [it, inserted] = out.groups.try_emplace(key);
          if (inserted) out.keys.push_back(key);
          const Directive* stream = nullptr;
          for (const Directive* d : field->directives) {
            if (d->name.value == "stream") {
              stream = d;
              break;
            }
          }
          it->second.push_back(FieldDetails{
              parent_type, field, def, stream,
              field->arguments.empty() && field->selection_set == nullptr && stream == nullptr});
          break;
        }
        case Kind::kFragmentSpread: out.spreads.push_back(sel->as<FragmentSpread>()); break;
        case Kind::kInlineFragment: {
          const auto* frag = sel->as<InlineFragment>();
          const TypeDef* type = frag->type_condition == nullptr
                                    ? parent_type
                                    : ctx_.schema().type(frag->type_condition->name.value);
          collect_fields_impl(type, frag->selection_set, out);
          break;
        }
        default: break;
      }
    }
  }

  const std::vector<FragmentSpreadRef>& fragment_spreads(CollectResult* result) {
    if (result->spreads_resolved) return result->fragment_spreads;
    result->spreads_resolved = true;
    std::unordered_map<const FragmentDefinition*, size_t> by_definition;
    for (const FragmentSpread* spread : result->spreads) {
      if (!spend(1)) break;
      const FragmentDefinition* def = ctx_.fragment(spread->name.value);
      auto [it, inserted] = by_definition.try_emplace(def, result->fragment_spreads.size());
      if (inserted) {
        result->fragment_spreads.push_back({spread, def});
      } else {
        result->fragment_spreads[it->second].node = spread;
      }
    }
    return result->fragment_spreads;
  }

  int64_t budget_ = kMaxComplexityBudget;
  size_t depth_ = 0;
  std::unordered_map<PtrPair<TypeDef, SelectionSet>, std::unique_ptr<CollectResult>, PtrPairHash>
      collected_;
  OrderedPairSet<CollectResult, FragmentDefinition> compared_fields_and_fragments_;
  OrderedPairSet<FragmentDefinition, FragmentDefinition> compared_fragments_;
  std::unordered_map<PtrPair<FieldDetails, FieldDetails>, bool, PtrPairHash> args_compared_;
  std::unordered_map<PtrPair<FieldDetails, FieldDetails>, bool, PtrPairHash> stream_args_compared_;
  std::unordered_map<const Value*, std::string> value_keys_;
};

}  // namespace

void attach_overlapping_fields_can_be_merged_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(
      std::make_unique<OverlappingFieldsCanBeMergedRule>(ctx, "OverlappingFieldsCanBeMergedRule"));
  set.on_enter<&OverlappingFieldsCanBeMergedRule::selection_set>(Kind::kSelectionSet);
}

}  // namespace orbit::graphql::validation
