#include "orbit/graphql/normalization/cache_key.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "orbit/base/hash.h"
#include "orbit/graphql/printer.h"

namespace orbit::graphql {
namespace {

// Builds the canonical copy of a normalized tree in its own arena. Shared subtrees stay
// shared (the memo), so the copy costs the size of the DAG, not of the expanded tree.
class Canonicalizer {
 public:
  explicit Canonicalizer(Arena& arena) : arena_(arena) {}

  List<Argument> arguments(List<Argument> input) {
    auto by_name = [](const Argument* a, const Argument* b) {
      return a->name.value < b->name.value;
    };
    if (std::is_sorted(input.begin(), input.end(), by_name)) return input;
    std::vector<Argument*> sorted(input.begin(), input.end());
    std::stable_sort(sorted.begin(), sorted.end(), by_name);
    return arena_.copy_span<Argument*>(std::span<Argument* const>(sorted));
  }

  List<Directive> directives(List<Directive> input) {
    std::vector<Directive*> out;
    bool changed = false;
    for (Directive* directive : input) {
      List<Argument> args = arguments(directive->arguments);
      if (args.data() != directive->arguments.data()) {
        auto* copy = arena_.make<Directive>(*directive);
        copy->arguments = args;
        directive = copy;
        changed = true;
      }
      out.push_back(directive);
    }
    return changed ? arena_.copy_span<Directive*>(std::span<Directive* const>(out)) : input;
  }

  List<VariableDefinition> variable_definitions(List<VariableDefinition> input) {
    auto name = [](const VariableDefinition* d) {
      return d->variable != nullptr ? d->variable->name.value : std::string_view();
    };
    std::vector<VariableDefinition*> sorted;
    for (VariableDefinition* def : input) {
      List<Directive> dirs = directives(def->directives);
      if (dirs.data() != def->directives.data()) {
        auto* copy = arena_.make<VariableDefinition>(*def);
        copy->directives = dirs;
        def = copy;
      }
      sorted.push_back(def);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](const VariableDefinition* a, const VariableDefinition* b) {
                       return name(a) < name(b);
                     });
    return arena_.copy_span<VariableDefinition*>(std::span<VariableDefinition* const>(sorted));
  }

  SelectionSet* selection_set(SelectionSet* input) {
    if (input == nullptr) return nullptr;
    auto memo = sets_.find(input);
    if (memo != sets_.end()) return memo->second;
    std::vector<Selection*> out;
    out.reserve(input->selections.size());
    bool changed = false;
    for (Selection* selection : input->selections) {
      Selection* copy = this->selection(selection);
      changed |= copy != selection;
      out.push_back(copy);
    }
    SelectionSet* result = input;
    if (changed) {
      result = arena_.make<SelectionSet>(*input);
      result->selections = arena_.copy_span<Selection*>(std::span<Selection* const>(out));
    }
    sets_[input] = result;
    return result;
  }

 private:
  Selection* selection(Selection* input) {
    List<Directive> dirs = directives(input->directives);
    switch (input->kind) {
      case Kind::kField: {
        auto* field = input->as<Field>();
        List<Argument> args = arguments(field->arguments);
        SelectionSet* children = selection_set(field->selection_set);
        if (args.data() == field->arguments.data() && dirs.data() == field->directives.data() &&
            children == field->selection_set) {
          return input;
        }
        auto* copy = arena_.make<Field>(*field);
        copy->arguments = args;
        copy->directives = dirs;
        copy->selection_set = children;
        return copy;
      }
      case Kind::kInlineFragment: {
        auto* fragment = input->as<InlineFragment>();
        SelectionSet* children = selection_set(fragment->selection_set);
        if (dirs.data() == fragment->directives.data() && children == fragment->selection_set) {
          return input;
        }
        auto* copy = arena_.make<InlineFragment>(*fragment);
        copy->directives = dirs;
        copy->selection_set = children;
        return copy;
      }
      case Kind::kFragmentSpread: {
        if (dirs.data() == input->directives.data()) return input;
        auto* copy = arena_.make<FragmentSpread>(*input->as<FragmentSpread>());
        copy->directives = dirs;
        return copy;
      }
      default: return input;
    }
  }

  Arena& arena_;
  std::unordered_map<const SelectionSet*, SelectionSet*> sets_;
};

void add_condition_variables(List<Directive> directives, std::vector<std::string_view>& out) {
  for (const Directive* directive : directives) {
    if (directive->name.value != "skip" && directive->name.value != "include") continue;
    for (const Argument* argument : directive->arguments) {
      if (argument->value != nullptr && argument->value->kind == Kind::kVariable) {
        out.push_back(argument->value->as<Variable>()->name.value);
      }
    }
  }
}

}  // namespace

uint64_t normalization_input_key(std::string_view document_text, const Document& document,
                                 const OperationDefinition& operation,
                                 const ConditionVariables& variables) {
  std::unordered_map<std::string_view, const FragmentDefinition*> fragments;
  for (const Definition* def : document.definitions) {
    if (def->kind == Kind::kFragmentDefinition) {
      const auto* fragment = def->as<FragmentDefinition>();
      fragments.emplace(fragment->name.value, fragment);
    }
  }
  // Iterative: fragment chains can be longer than the stack is deep.
  std::vector<std::string_view> names;
  std::unordered_set<std::string_view> seen_fragments;
  std::vector<const SelectionSet*> pending{operation.selection_set};
  while (!pending.empty()) {
    const SelectionSet* set = pending.back();
    pending.pop_back();
    if (set == nullptr) continue;
    for (const Selection* selection : set->selections) {
      add_condition_variables(selection->directives, names);
      if (selection->kind == Kind::kField) {
        pending.push_back(selection->as<Field>()->selection_set);
      } else if (selection->kind == Kind::kInlineFragment) {
        pending.push_back(selection->as<InlineFragment>()->selection_set);
      } else if (selection->kind == Kind::kFragmentSpread) {
        std::string_view name = selection->as<FragmentSpread>()->name.value;
        auto it = fragments.find(name);
        if (it != fragments.end() && seen_fragments.insert(name).second) {
          pending.push_back(it->second->selection_set);
        }
      }
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  Hasher hasher;
  hasher.add(document_text);
  hasher.add(static_cast<uint64_t>(operation.loc.offset));
  hasher.add(operation.name.value);
  for (std::string_view name : names) {
    hasher.add(name);
    hasher.add(static_cast<uint64_t>(variables.lookup(name)));
  }
  return hasher.value();
}

OperationCacheKey operation_cache_key(const NormalizedOperation& normalized) {
  ORBIT_RELEASE_ASSERT(normalized.ok());
  Arena arena;
  Canonicalizer canon(arena);
  std::vector<Definition*> definitions;

  auto* operation = arena.make<OperationDefinition>(*normalized.operation);
  operation->variable_definitions = canon.variable_definitions(operation->variable_definitions);
  operation->directives = canon.directives(operation->directives);
  operation->selection_set = canon.selection_set(operation->selection_set);
  definitions.push_back(operation);
  for (const FragmentDefinition* input : normalized.fragments) {
    auto* fragment = arena.make<FragmentDefinition>(*input);
    fragment->directives = canon.directives(fragment->directives);
    fragment->selection_set = canon.selection_set(fragment->selection_set);
    definitions.push_back(fragment);
  }
  Document document;
  document.definitions = std::span<Definition* const>(definitions);

  OperationCacheKey key;
  print_minified(document, key.text);
  Hasher hasher;
  hasher.add(key.text);
  hasher.add(static_cast<uint64_t>(normalized.condition_values.size()));
  for (const ConditionVariableValue& value : normalized.condition_values) {
    hasher.add(value.name);
    hasher.add(static_cast<uint64_t>(value.value ? 1 : 0));
  }
  key.hash = hasher.value();
  return key;
}

}  // namespace orbit::graphql
