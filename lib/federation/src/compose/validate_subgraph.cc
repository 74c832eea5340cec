// Per-subgraph federation checks (field sets of @key/@requires/@provides, @external usage,
// @shareable/@interfaceObject placement) and the Federation 1 upgrade.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "model.h"
#include "orbit/graphql/parser.h"
#include "value_printer.h"

namespace orbit::federation::composition {

namespace {

using namespace orbit::graphql;

// Top-level field names of a field set (best effort; used by the Federation 1 upgrade).
std::vector<std::string> top_level_fields(const std::string& fields) {
  Arena arena;
  ParseOptions po;
  po.allow_type_system = false;
  po.max_depth = 64;
  std::string text = "{" + fields + "}";
  ParseResult r = parse(text, arena, po);
  std::vector<std::string> out;
  if (!r.ok() || r.document->definitions.empty()) return out;
  const auto* op = r.document->definitions[0]->as<OperationDefinition>();
  for (const Selection* s : op->selection_set->selections)
    if (s->kind == Kind::kField) out.emplace_back(s->as<graphql::Field>()->name.value);
  return out;
}

struct FieldSetCheck {
  SubgraphSchema& sg;
  Diagnostics& diag;
  std::string directive;   // "key", "requires", "provides"
  std::string descriptor;  // On type "T", for @key(fields: "id")
  Location loc;
  bool allow_non_external_leaf = false;
  bool allow_args = false;
  bool mark_used = true;
  bool failed = false;

  std::string upper() const {
    std::string u = directive;
    for (char& c : u)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return u;
  }
  void fail(const std::string& code_suffix, const std::string& msg) {
    failed = true;
    CompositionMessage& m =
        diag.error(upper() + "_" + code_suffix, "[" + sg.name + "] " + descriptor + ": " + msg);
    at(m, sg.name, loc);
  }

  void walk(const SelectionSet* ss, Type* parent, bool external_in_parents) {
    for (const Selection* sel : ss->selections) {
      if (!sel->directives.empty()) {
        fail("DIRECTIVE_IN_FIELDS_ARG",
             "cannot have directive applications in the @" + directive + "(fields:) argument");
        continue;
      }
      if (sel->kind == Kind::kInlineFragment) {
        const auto* frag = sel->as<InlineFragment>();
        Type* t = parent;
        if (frag->type_condition) {
          t = sg.type(frag->type_condition->name.value);
          if (t == nullptr) {
            fail("INVALID_FIELDS",
                 "Unknown type \"" + std::string(frag->type_condition->name.value) + "\"");
            continue;
          }
        }
        walk(frag->selection_set, t, external_in_parents);
        continue;
      }
      if (sel->kind != Kind::kField) {
        fail("INVALID_FIELDS", "Fragment spreads are not allowed in field sets");
        continue;
      }
      const auto* fs = sel->as<graphql::Field>();
      std::string name(fs->name.value);
      if (name == "__typename") continue;
      if (!fs->alias.empty()) {
        fail("INVALID_FIELDS", "Cannot use alias \"" + std::string(fs->alias.value) + "\" in \"" +
                                   std::string(fs->alias.value) + ": " + name +
                                   "\": aliases are not currently supported in @" + directive);
        continue;
      }
      Field* f = parent->field(name);
      if (f == nullptr) {
        fail("INVALID_FIELDS", "Cannot query field \"" + name + "\" on type \"" + parent->name +
                                   "\" (if the field is defined in another subgraph, you need to "
                                   "add it to this subgraph with @external).");
        continue;
      }
      std::string coordinate = parent->name + "." + name;
      const Type* target = sg.type(f->type.base);
      if (directive == "key" && target != nullptr &&
          (target->kind == TypeKind::kInterface || target->kind == TypeKind::kUnion)) {
        fail("FIELDS_SELECT_INVALID_TYPE",
             "field \"" + coordinate + "\" is a " +
                 (target->kind == TypeKind::kInterface ? "Interface" : "Union") +
                 " type which is not allowed in @key");
        continue;
      }
      if (!allow_args && !f->args.empty()) {
        fail("FIELDS_HAS_ARGS", "field " + coordinate +
                                    " cannot be included because it has arguments (fields with "
                                    "argument are not allowed in @" +
                                    directive + ")");
      }
      bool external = f->external;
      if (fs->selection_set == nullptr && !allow_non_external_leaf && !external_in_parents &&
          !external) {
        if (f->fake_external)
          fail("FIELDS_MISSING_EXTERNAL",
               "field \"" + coordinate + "\" should not be part of a @" + directive +
                   " since it is already \"effectively\" provided by this subgraph (while it is "
                   "marked @external, it is a @key field of an extension type, which are not "
                   "internally considered external for historical/backward compatibility "
                   "reasons)");
        else
          fail("FIELDS_MISSING_EXTERNAL", "field \"" + coordinate + "\" should not be part of a @" +
                                              directive +
                                              " since it is already provided by this subgraph (it "
                                              "is not marked @external)");
      }
      bool composite = target != nullptr &&
                       (target->kind == TypeKind::kObject || target->kind == TypeKind::kInterface ||
                        target->kind == TypeKind::kUnion);
      if (mark_used) f->used = true;
      if (directive == "key") f->in_key = true;
      if (directive == "provides" && f->external) f->provided = true;
      if (fs->selection_set != nullptr) {
        if (!composite) {
          fail("INVALID_FIELDS", "Field \"" + name + "\" must not have a selection since type \"" +
                                     f->type.text + "\" has no subfields.");
          continue;
        }
        Type* t = sg.type(f->type.base);
        walk(fs->selection_set, t, external_in_parents || external);
      } else if (composite) {
        fail("INVALID_FIELDS", "Field \"" + name + "\" of type \"" + f->type.text +
                                   "\" must have a selection of subfields. Did you mean \"" + name +
                                   " { ... }\"?");
      }
    }
  }

  void run(const std::string& fields, Type* parent) {
    Arena arena;
    ParseOptions po;
    po.allow_type_system = false;
    po.max_depth = 64;
    std::string text = "{" + fields + "}";
    ParseResult r = parse(text, arena, po);
    if (!r.ok() || r.document->definitions.size() != 1 ||
        r.document->definitions[0]->kind != Kind::kOperationDefinition) {
      fail("INVALID_FIELDS", r.ok() ? std::string("Invalid field set")
                                    : r.error.message.substr(0, r.error.message.find('\n')));
      return;
    }
    walk(r.document->definitions[0]->as<OperationDefinition>()->selection_set, parent, false);
  }
};

// Federation 1 tolerated @provides/@requires selecting fields the subgraph resolves itself;
// the upgrade keeps only the external part of such a field set ("" when nothing is left).
// Returns nullopt when the field set is left as is.
struct InactiveFilter {
  const SubgraphSchema& sg;
  bool unknown = false;

  bool is_external(const Type* parent, const Field& f) const {
    if (f.external) return true;
    if (parent->kind == TypeKind::kInterface)
      for (const Type& impl : sg.types)
        if (impl.implements(parent->name))
          if (const Field* fi = impl.field(f.name); fi != nullptr && fi->external) return true;
    return false;
  }
  const Field* field(const Type* t, std::string_view name) {
    const Field* f = t != nullptr ? t->field(name) : nullptr;
    if (f == nullptr) unknown = true;
    return f;
  }
  bool selects_non_external_leaf(const SelectionSet* ss, const Type* parent) {
    for (const Selection* sel : ss->selections) {
      if (sel->kind == Kind::kField) {
        const auto* fs = sel->as<graphql::Field>();
        if (fs->name.value == "__typename") return true;
        const Field* f = field(parent, fs->name.value);
        if (f == nullptr) return false;
        if (is_external(parent, *f)) continue;
        if (fs->selection_set == nullptr ||
            selects_non_external_leaf(fs->selection_set, sg.type(f->type.base)))
          return true;
      } else if (sel->kind == Kind::kInlineFragment) {
        const auto* frag = sel->as<InlineFragment>();
        const Type* t = frag->type_condition ? sg.type(frag->type_condition->name.value) : parent;
        if (selects_non_external_leaf(frag->selection_set, t)) return true;
      }
    }
    return false;
  }
  std::string print_selection(const Selection* sel) {
    if (sel->kind == Kind::kField) {
      const auto* fs = sel->as<graphql::Field>();
      std::string out(fs->name.value);
      if (!fs->arguments.empty()) out += print_arguments(fs->arguments);
      if (fs->selection_set != nullptr) out += " { " + print_set(fs->selection_set) + " }";
      return out;
    }
    const auto* frag = sel->as<InlineFragment>();
    std::string out = "...";
    if (frag->type_condition) out += " on " + std::string(frag->type_condition->name.value);
    return out + " { " + print_set(frag->selection_set) + " }";
  }
  std::string print_set(const SelectionSet* ss) {
    std::string out;
    for (const Selection* sel : ss->selections)
      out += (out.empty() ? "" : " ") + print_selection(sel);
    return out;
  }
  // The external part of a selection set, printed.
  std::string without_non_external(const SelectionSet* ss, const Type* parent) {
    std::string out;
    for (const Selection* sel : ss->selections) {
      std::string kept;
      if (sel->kind == Kind::kField) {
        const auto* fs = sel->as<graphql::Field>();
        const Field* f = fs->name.value == "__typename" ? nullptr : field(parent, fs->name.value);
        if (f != nullptr && is_external(parent, *f)) {
          kept = print_selection(sel);
        } else if (f != nullptr && fs->selection_set != nullptr) {
          std::string sub = without_non_external(fs->selection_set, sg.type(f->type.base));
          if (!sub.empty()) kept = std::string(fs->name.value) + " { " + sub + " }";
        }
      } else if (sel->kind == Kind::kInlineFragment) {
        const auto* frag = sel->as<InlineFragment>();
        const Type* t = frag->type_condition ? sg.type(frag->type_condition->name.value) : parent;
        std::string sub = without_non_external(frag->selection_set, t);
        if (!sub.empty())
          kept = "..." +
                 (frag->type_condition ? " on " + std::string(frag->type_condition->name.value)
                                       : std::string()) +
                 " { " + sub + " }";
      }
      if (!kept.empty()) out += (out.empty() ? "" : " ") + kept;
    }
    return out;
  }
  std::optional<std::string> filter(const std::string& fields, const Type* parent) {
    Arena arena;
    ParseOptions po;
    po.allow_type_system = false;
    po.max_depth = 64;
    std::string text = "{" + fields + "}";
    ParseResult r = parse(text, arena, po);
    if (!r.ok() || r.document->definitions.size() != 1 ||
        r.document->definitions[0]->kind != Kind::kOperationDefinition || parent == nullptr)
      return std::nullopt;
    const SelectionSet* ss = r.document->definitions[0]->as<OperationDefinition>()->selection_set;
    bool inactive = selects_non_external_leaf(ss, parent);
    if (unknown || !inactive) return std::nullopt;
    std::string kept = without_non_external(ss, parent);
    if (unknown) return std::nullopt;
    return kept;
  }
};

bool is_composite(const Type* t) {
  return t != nullptr && (t->kind == TypeKind::kObject || t->kind == TypeKind::kInterface ||
                          t->kind == TypeKind::kUnion);
}

// `$name selection` of @fromContext(field:): the context name and the rest, after the
// ignored tokens GraphQL allows before and after `$` (Apollo's parseContext). False when the
// text does not start with a context reference.
bool parse_context_reference(std::string_view text, std::string* name, std::string* rest) {
  size_t i = 0;
  auto skip_ignored = [&] {
    while (i < text.size()) {
      char c = text[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',') {
        ++i;
      } else if (c == '#') {
        while (i < text.size() && text[i] != '\n' && text[i] != '\r')
          ++i;
      } else {
        break;
      }
    }
  };
  skip_ignored();
  if (i >= text.size() || text[i] != '$') return false;
  ++i;
  skip_ignored();
  size_t start = i;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (i >= text.size() || !(std::isalpha(static_cast<unsigned char>(text[i])) || text[i] == '_'))
    return false;
  while (i < text.size() && word(text[i]))
    ++i;
  *name = std::string(text.substr(start, i - start));
  *rest = std::string(text.substr(i));
  return true;
}

// Why `selection` (the part of @fromContext(field:) after `$name`) cannot be evaluated on
// `type`, or "" when it can: it must parse as a selection set whose fields (and inline
// fragments' types) exist, leaves without sub-selections, composites with one.
std::string context_selection_problem(const SubgraphSchema& sg, const Type& type,
                                      const std::string& selection) {
  Arena arena;
  ParseOptions po;
  po.allow_type_system = false;
  po.max_depth = 64;
  ParseResult r = parse(selection, arena, po);
  if (!r.ok()) return r.error.message;
  if (r.document->definitions.size() != 1 ||
      r.document->definitions[0]->kind != Kind::kOperationDefinition)
    return "the selection must be one selection set";
  const auto* op = r.document->definitions[0]->as<OperationDefinition>();
  if (!op->name.empty() || !op->variable_definitions.empty() || !op->directives.empty())
    return "the selection must be one selection set";
  std::string problem;
  std::function<void(const SelectionSet*, const Type*)> walk = [&](const SelectionSet* ss,
                                                                   const Type* parent) {
    for (const Selection* sel : ss->selections) {
      if (!problem.empty()) return;
      if (sel->kind == Kind::kInlineFragment) {
        const auto* frag = sel->as<InlineFragment>();
        const Type* t = parent;
        if (frag->type_condition) {
          t = sg.type(frag->type_condition->name.value);
          if (t == nullptr) {
            problem = "Unknown type \"" + std::string(frag->type_condition->name.value) + "\".";
            return;
          }
        }
        walk(frag->selection_set, t);
        continue;
      }
      if (sel->kind != Kind::kField) {
        problem = "fragment spreads are not allowed in @fromContext selections.";
        return;
      }
      const auto* fs = sel->as<graphql::Field>();
      std::string name(fs->name.value);
      if (name == "__typename") continue;
      const Field* f = nullptr;
      for (const Field& candidate : parent->fields)
        if (candidate.name == name) f = &candidate;
      if (f == nullptr) {
        problem = "Cannot query field \"" + name + "\" on type \"" + parent->name + "\".";
        return;
      }
      const Type* target = sg.type(f->type.base);
      bool composite = target != nullptr &&
                       (target->kind == TypeKind::kObject || target->kind == TypeKind::kInterface ||
                        target->kind == TypeKind::kUnion);
      if (composite && fs->selection_set == nullptr) {
        problem = "Field \"" + name + "\" of type \"" + f->type.text +
                  "\" must have a selection of subfields.";
        return;
      }
      if (!composite && fs->selection_set != nullptr) {
        problem = "Field \"" + name + "\" must not have a selection since type \"" + f->type.text +
                  "\" has no subfields.";
        return;
      }
      if (composite) walk(fs->selection_set, target);
    }
  };
  walk(op->selection_set, &type);
  return problem;
}

// True when a value of type `selected` (lists, never non-null: how a context selection's type
// is computed) can be passed where `expected` is declared; graphql-js's rule for field types
// of an implementation, as Apollo applies it to @fromContext arguments.
bool context_type_fits(std::string_view selected, std::string_view expected) {
  if (!selected.empty() && selected.back() == '!') {
    selected.remove_suffix(1);
    if (!expected.empty() && expected.back() == '!') expected.remove_suffix(1);
    return context_type_fits(selected, expected);
  }
  bool selected_list = !selected.empty() && selected.front() == '[' && selected.back() == ']';
  bool expected_list = !expected.empty() && expected.front() == '[' && expected.back() == ']';
  if (selected_list && expected_list)
    return context_type_fits(selected.substr(1, selected.size() - 2),
                             expected.substr(1, expected.size() - 2));
  auto named = [](std::string_view t) {
    return !t.empty() && t.find_first_of("[]!") == std::string_view::npos;
  };
  return named(selected) && named(expected) && selected == expected;
}

// The type a context selection yields on `type`: the selected leaf's named type inside the
// list wrappers of the fields leading to it (non-null dropped), "" when its selections yield
// different types or it is not one field per level.
std::string context_selection_type(const SubgraphSchema& sg, const Type& type,
                                   const SelectionSet* ss,
                                   const std::function<void(const std::string&)>& problem,
                                   int depth = 0) {
  if (ss == nullptr || depth > 64) return "";
  if (type.kind == TypeKind::kObject && type.interface_object)
    problem(": One of the types in the selection is an interfaceObject: \"" + type.name + "\"");
  std::optional<std::string> result;
  bool mixed = false;
  for (const Selection* sel : ss->selections) {
    std::string resolved;
    if (sel->kind == Kind::kField) {
      const auto* fs = sel->as<graphql::Field>();
      std::string_view fname = fs->name.value;
      std::string text, base;
      if (fname == "__typename") {
        text = "String!";
        base = "String";
      } else if (const Field* f = type.field(fname)) {
        text = f->type.text;
        base = f->type.base;
      }
      if (!base.empty()) {
        std::string inner = base;
        if (fs->selection_set != nullptr) {
          const Type* target = sg.type(base);
          inner = target != nullptr
                      ? context_selection_type(sg, *target, fs->selection_set, problem, depth + 1)
                      : "";
        }
        if (!inner.empty()) {
          size_t lists = std::count(text.begin(), text.end(), '[');
          resolved = std::string(lists, '[') + inner + std::string(lists, ']');
        }
      }
    }
    if (!result) {
      result = resolved;
    } else if (*result != resolved) {
      mixed = true;
    }
  }
  return mixed || !result ? "" : *result;
}

// Apollo's checks of a @fromContext selection against the types setting the context: its
// shape (one field, or inline fragments with distinct object type conditions), no aliases or
// directives, fields that exist, and a selected type that fits the argument's type. `problem`
// receives each finding as the end of "... but the selection is invalid<problem>".
void check_context_value(const SubgraphSchema& sg, const std::string& context,
                         const std::string& selection, const std::string& coordinate,
                         const std::string& expected, const std::vector<const Type*>& setters,
                         const std::function<void(const std::string&)>& problem) {
  Arena arena;
  ParseOptions po;
  po.allow_type_system = false;
  po.max_depth = 64;
  size_t first = selection.find_first_not_of(" \t\r\n,");
  std::string text =
      first != std::string::npos && selection[first] == '{' ? selection : "{" + selection + "}";
  ParseResult r = parse(text, arena, po);
  if (!r.ok() || r.document->definitions.size() != 1 ||
      r.document->definitions[0]->kind != Kind::kOperationDefinition) {
    problem(": " +
            (r.ok() ? std::string("the selection must be one selection set") : r.error.message));
    return;
  }
  const SelectionSet* top = r.document->definitions[0]->as<OperationDefinition>()->selection_set;
  bool fragments = false;
  std::vector<std::string> conditions;
  if (top->selections.empty()) {
    problem(": no selection is made");
    return;
  }
  Kind first_kind = top->selections[0]->kind;
  if (first_kind == Kind::kField) {
    if (top->selections.size() != 1) {
      problem(": multiple selections are made");
      return;
    }
  } else if (first_kind == Kind::kInlineFragment) {
    fragments = true;
    size_t count = 0;
    for (const Selection* sel : top->selections) {
      ++count;
      if (sel->kind != Kind::kInlineFragment) {
        problem(": multiple fields could be selected");
        return;
      }
      const auto* frag = sel->as<InlineFragment>();
      if (frag->type_condition != nullptr) {
        std::string c(frag->type_condition->name.value);
        if (std::find(conditions.begin(), conditions.end(), c) == conditions.end())
          conditions.push_back(c);
      }
    }
    if (conditions.size() != count) {
      problem(": type conditions have same name");
      return;
    }
  } else {
    problem(": fragment spread is not allowed");
    return;
  }
  std::function<bool(const SelectionSet*, bool)> has = [&](const SelectionSet* ss, bool alias) {
    for (const Selection* sel : ss->selections) {
      if (!alias && !sel->directives.empty()) return true;
      const SelectionSet* sub = nullptr;
      if (sel->kind == Kind::kField) {
        const auto* f = sel->as<graphql::Field>();
        if (alias && !f->alias.empty()) return true;
        sub = f->selection_set;
      } else if (sel->kind == Kind::kInlineFragment) {
        sub = sel->as<InlineFragment>()->selection_set;
      }
      if (sub != nullptr && has(sub, alias)) return true;
    }
    return false;
  };
  std::set<std::string> used;
  for (const Type* location : setters) {
    std::string invalid = context_selection_problem(sg, *location, text);
    if (!invalid.empty()) {
      problem(" for type " + location->name + ". Error: " + invalid);
      return;
    }
    if (has(top, false)) problem(": directives are not allowed in the selection");
    if (has(top, true)) problem(": aliases are not allowed in the selection");
    if (!fragments) {
      std::string resolved = context_selection_type(sg, *location, top, problem);
      if (resolved.empty() || !context_type_fits(resolved, expected)) {
        problem(": the type of the selection \"" + (resolved.empty() ? "undefined" : resolved) +
                "\" does not match the expected type \"" + expected + "\"");
        return;
      }
      continue;
    }
    // Object types a value of the location's type can be.
    auto possible = [&](const Type& object) {
      if (location->kind == TypeKind::kObject) return object.name == location->name;
      if (location->kind == TypeKind::kInterface) return object.implements(location->name);
      if (location->kind == TypeKind::kUnion) return location->has_member(object.name);
      return false;
    };
    std::vector<std::pair<const Type*, const SelectionSet*>> matching;
    for (const Selection* sel : top->selections) {
      const auto* frag = sel->as<InlineFragment>();
      if (frag->type_condition == nullptr) {
        problem(": inline fragments must have type conditions\"");
        continue;
      }
      const Type* cond = sg.type(frag->type_condition->name.value);
      if (cond == nullptr) continue;
      if (cond->kind != TypeKind::kObject) {
        problem(": type conditions must be an object type\"");
        continue;
      }
      if (possible(*cond)) {
        matching.push_back({cond, frag->selection_set});
        used.insert(cond->name);
      }
    }
    if (matching.empty()) {
      problem(": no type condition matches the location \"" + location->name + "\"");
      return;
    }
    for (const auto& [cond, ss] : matching) {
      std::string resolved = context_selection_type(sg, *cond, ss, problem);
      if (resolved.empty()) {
        problem(": the type of the selection does not match the expected type \"" + expected +
                "\"");
        return;
      }
      if (!context_type_fits(resolved, expected)) {
        problem(": the type of the selection \"" + resolved +
                "\" does not match the expected type \"" + expected + "\"");
        return;
      }
    }
  }
  for (const std::string& c : conditions)
    if (!used.count(c)) problem(": type condition \"" + c + "\" is never used.");
}

// @context names and @fromContext references (Apollo's CONTEXT_* and NO_CONTEXT_IN_SELECTION
// checks, the selection validated against every type setting the context).
void check_contexts(const SubgraphSchema& sg, Diagnostics& diag) {
  auto fail = [&](const char* code, const std::string& msg, graphql::Location loc) {
    CompositionMessage& m = diag.error(code, "[" + sg.name + "] " + msg);
    at(m, sg.name, loc);
  };
  std::set<std::string> names;
  for (const Type& t : sg.types) {
    for (const auto& [name, loc] : t.contexts) {
      bool valid = !name.empty() && std::isalpha(static_cast<unsigned char>(name[0]));
      for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') valid = false;
      if (name.find('_') != std::string::npos) {
        fail("CONTEXT_NAME_INVALID", "Context name \"" + name + "\" may not contain an underscore.",
             loc);
      } else if (!valid) {
        fail("CONTEXT_NAME_INVALID",
             "Context name \"" + name +
                 "\" is invalid. It should have only alphanumeric characters.",
             loc);
      }
      names.insert(name);
    }
  }
  for (const Type& t : sg.types) {
    if (t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) continue;
    for (const Field& f : t.fields) {
      for (const InputValue& a : f.args) {
        if (!a.from_context) continue;
        const std::string coordinate = t.name + "." + f.name + "(" + a.name + ":)";
        if (t.kind != TypeKind::kObject) {
          fail("CONTEXT_NOT_SET",
               "@fromContext argument cannot be used on a field that exists on an abstract type "
               "\"" +
                   coordinate + "\".",
               a.from_context_loc);
          continue;
        }
        for (const std::string& itf_name : t.interfaces) {
          const Type* itf = sg.type(itf_name);
          if (itf == nullptr) continue;
          for (const Field& itf_field : itf->fields) {
            if (itf_field.name != f.name) continue;
            fail("CONTEXT_NOT_SET",
                 "@fromContext argument cannot be used on a field implementing an interface "
                 "field \"" +
                     itf_name + "." + f.name + "\".",
                 a.from_context_loc);
          }
        }
        if (a.default_value) {
          fail("CONTEXT_NOT_SET",
               "@fromContext arguments may not have a default value: \"" + coordinate + "\".",
               a.from_context_loc);
        }
        std::string name, selection;
        if (!parse_context_reference(*a.from_context, &name, &selection) || selection.empty()) {
          fail("NO_CONTEXT_IN_SELECTION",
               "@fromContext argument does not reference a context \"" + *a.from_context + "\".",
               a.from_context_loc);
          continue;
        }
        if (!names.count(name)) {
          fail("CONTEXT_NOT_SET",
               "Context \"" + name + "\" is used at location \"" + coordinate +
                   "\" but is never set.",
               a.from_context_loc);
        } else {
          std::vector<const Type*> setters;
          for (const Type& setter : sg.types)
            for (const auto& c : setter.contexts)
              if (c.first == name) {
                setters.push_back(&setter);
                break;
              }
          check_context_value(sg, name, selection, coordinate, a.type.text, setters,
                              [&](const std::string& problem) {
                                fail("CONTEXT_INVALID_SELECTION",
                                     "Context \"" + name + "\" is used in \"" + coordinate +
                                         "\" but the selection is invalid" + problem,
                                     a.from_context_loc);
                              });
        }
        bool resolvable = false;
        for (const Key& k : t.keys)
          if (!k.resolvable.has_value() || *k.resolvable) resolvable = true;
        if (!resolvable) {
          fail("CONTEXT_NO_RESOLVABLE_KEY",
               "Object \"" + t.name +
                   "\" has no resolvable key but has a field with a contextual argument.",
               t.loc);
        }
      }
    }
  }
}

// @cost, @listSize and the authorization directives where Apollo refuses them
// (COST_APPLIED_TO_INTERFACE_FIELD, LIST_SIZE_*, AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE).
void check_demand_control_and_auth(const SubgraphSchema& sg, Diagnostics& diag) {
  auto fail = [&](const char* code, const std::string& msg, graphql::Location loc) {
    CompositionMessage& m = diag.error(code, "[" + sg.name + "] " + msg);
    at(m, sg.name, loc);
  };
  auto local_name = [&](const std::string& spec) {
    auto it = sg.applied_local_names.find(spec);
    return it == sg.applied_local_names.end() ? spec : it->second;
  };
  auto is_list = [](const TypeRef& t) { return !t.text.empty() && t.text[0] == '['; };
  static const char* const kAuth[] = {"authenticated", "requiresScopes", "policy"};
  for (const Type& t : sg.types) {
    bool interface_like = t.kind == TypeKind::kInterface || t.interface_object;
    if (interface_like) {
      for (const Applied& a : t.applied)
        for (const char* auth : kAuth)
          if (a.name == auth) {
            std::string n = local_name(auth);
            fail("AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
                 "Invalid use of @" + n + " on " +
                     (t.kind == TypeKind::kInterface ? "interface" : "interface object") + " \"" +
                     t.name + "\": @" + n +
                     " cannot be applied on interfaces, interface fields and interface objects",
                 a.loc);
          }
    }
    if (t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) continue;
    for (const Field& f : t.fields) {
      const std::string coordinate = t.name + "." + f.name;
      for (const Applied& a : f.applied) {
        if (t.kind == TypeKind::kInterface) {
          for (const char* auth : kAuth)
            if (a.name == auth) {
              std::string n = local_name(auth);
              fail("AUTH_REQUIREMENTS_APPLIED_ON_INTERFACE",
                   "Invalid use of @" + n + " on field \"" + coordinate + "\": @" + n +
                       " cannot be applied on interfaces, interface fields and interface objects",
                   a.loc);
            }
          if (a.name == "cost") {
            fail("COST_APPLIED_TO_INTERFACE_FIELD",
                 "@cost cannot be applied to interface \"" + coordinate + "\"", a.loc);
          }
        }
        if (a.name != "listSize") continue;
        AppliedArgs args;
        parse_applied_args(a.args, args);
        std::vector<std::string> sized = args.strings("sizedFields");
        if (sized.empty() && !is_list(f.type)) {
          fail("LIST_SIZE_APPLIED_TO_NON_LIST", "\"" + coordinate + "\" is not a list", a.loc);
        }
        if (const Value* size = args.get("assumedSize");
            size != nullptr && size->kind == Kind::kIntValue &&
            !size->as<IntValue>()->value.empty() && size->as<IntValue>()->value[0] == '-') {
          fail("LIST_SIZE_INVALID_ASSUMED_SIZE",
               "Assumed size of \"" + coordinate + "\" cannot be negative", a.loc);
        }
        for (const std::string& slicing : args.strings("slicingArguments")) {
          const InputValue* arg = f.arg(slicing);
          if (arg == nullptr) {
            fail(
                "LIST_SIZE_INVALID_SLICING_ARGUMENT",
                "Slicing argument \"" + slicing + "\" is not an argument of \"" + coordinate + "\"",
                a.loc);
          } else if (arg->type.text != "Int" && arg->type.text != "Int!") {
            fail("LIST_SIZE_INVALID_SLICING_ARGUMENT",
                 "Slicing argument \"" + coordinate + "(" + slicing + ":)\" must be Int or Int!",
                 a.loc);
          }
        }
        if (!sized.empty()) {
          const Type* base = sg.type(f.type.base);
          bool composite = base != nullptr &&
                           (base->kind == TypeKind::kObject || base->kind == TypeKind::kInterface ||
                            base->kind == TypeKind::kUnion);
          if (!composite) {
            fail("LIST_SIZE_INVALID_SIZED_FIELD",
                 "Sized fields cannot be used because \"" + f.type.text +
                     "\" is not a composite type",
                 a.loc);
            continue;
          }
          for (const std::string& name : sized) {
            const Field* sf = nullptr;
            for (const Field& candidate : base->fields)
              if (candidate.name == name) sf = &candidate;
            if (sf == nullptr) {
              fail("LIST_SIZE_INVALID_SIZED_FIELD",
                   "Sized field \"" + name + "\" is not a field on type \"" + base->name + "\"",
                   a.loc);
            } else if (!is_list(sf->type)) {
              fail("LIST_SIZE_APPLIED_TO_NON_LIST",
                   "Sized field \"" + base->name + "." + name + "\" is not a list", a.loc);
            }
          }
        }
      }
    }
  }
}

}  // namespace

void validate_subgraph(SubgraphSchema& sg, Diagnostics& diag) {
  if (sg.fed2) check_contexts(sg, diag);
  if (sg.fed2) check_demand_control_and_auth(sg, diag);
  // Key fields of type extensions marked @external are not really external.
  for (Type& t : sg.types) {
    if (!(t.has_extension && !t.has_definition) && !t.extends) continue;
    for (const Key& k : t.keys)
      for (const std::string& n : top_level_fields(k.fields))
        if (Field* f = t.field(n); f != nullptr && f->external) {
          f->external = false;
          f->fake_external = true;
        }
  }
  for (Type& t : sg.types) {
    if (t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) continue;
    for (const Key& k : t.keys) {
      if (t.kind == TypeKind::kInterface && sg.fed2 && sg.fed_minor < 3) {
        CompositionMessage& m =
            diag.error("KEY_UNSUPPORTED_ON_INTERFACE",
                       "[" + sg.name + "] Cannot use @key on interface \"" + t.name +
                           "\": @key is not yet supported on interfaces");
        at(m, sg.name, k.loc);
        continue;
      }
      FieldSetCheck c{sg, diag, "key", "On type \"" + t.name + "\", for " + k.directive_text,
                      k.loc};
      c.allow_non_external_leaf = true;
      c.run(k.fields, &t);
    }
    for (size_t i = 0; i < t.fields.size(); ++i) {
      Field& f = t.fields[i];
      std::string coordinate = t.name + "." + f.name;
      if (f.requires_fields) {
        if (t.kind == TypeKind::kInterface) {
          CompositionMessage& m =
              diag.error("REQUIRES_UNSUPPORTED_ON_INTERFACE",
                         "[" + sg.name + "] Cannot use @requires on field \"" + coordinate +
                             "\" of parent type \"" + t.name +
                             "\": @requires is not yet supported within interfaces");
          at(m, sg.name, f.requires_loc);
        } else {
          FieldSetCheck c{sg, diag, "requires",
                          "On field \"" + coordinate + "\", for " + f.requires_text,
                          f.requires_loc};
          c.allow_args = true;
          c.run(*f.requires_fields, &t);
        }
      }
      if (f.provides_fields) {
        f.used = true;
        Type* target = sg.type(f.type.base);
        if (t.kind == TypeKind::kInterface) {
          CompositionMessage& m =
              diag.error("PROVIDES_UNSUPPORTED_ON_INTERFACE",
                         "[" + sg.name + "] Cannot use @provides on field \"" + coordinate +
                             "\" of parent type \"" + t.name +
                             "\": @provides is not yet supported within interfaces");
          at(m, sg.name, f.provides_loc);
        } else if (f.external) {
          if (is_composite(target)) {
            Diagnostics scratch;  // the fields it selects still count as used
            FieldSetCheck c{sg, scratch, "provides", "", f.provides_loc};
            c.run(*f.provides_fields, target);
          }
          CompositionMessage& m =
              diag.error("EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE",
                         "[" + sg.name + "] Cannot have both @provides and @external on field \"" +
                             coordinate + "\"");
          at(m, sg.name, f.loc);
        } else if (!is_composite(target)) {
          CompositionMessage& m = diag.error(
              "PROVIDES_ON_NON_OBJECT_FIELD",
              "[" + sg.name + "] Invalid @provides directive on field \"" + coordinate +
                  "\": field has type \"" + f.type.text + "\" which is not a Composite Type");
          at(m, sg.name, f.loc);
        } else {
          FieldSetCheck c{sg, diag, "provides",
                          "On field \"" + coordinate + "\", for " + f.provides_text,
                          f.provides_loc};
          c.run(*f.provides_fields, target);
        }
      }
    }
  }
  // External fields used to satisfy an interface.
  for (Type& t : sg.types) {
    for (Field& f : t.fields) {
      if (!f.external) continue;
      for (const std::string& i : t.interfaces)
        if (const Type* it = sg.type(i); it != nullptr && it->field(f.name) != nullptr)
          f.used = true;
    }
  }
  for (Type& t : sg.types) {
    if (t.kind == TypeKind::kInterface) {
      for (const Field& f : t.fields) {
        if (f.external) {
          CompositionMessage& m =
              diag.error("EXTERNAL_ON_INTERFACE",
                         "[" + sg.name + "] Interface type field \"" + t.name + "." + f.name +
                             "\" is marked @external but @external is not allowed "
                             "on interface fields (it is nonsensical).");
          at(m, sg.name, f.loc);
        }
        if (f.shareable) {
          CompositionMessage& m = diag.error(
              "INVALID_SHAREABLE_USAGE", "[" + sg.name + "] Invalid use of @shareable on field \"" +
                                             t.name + "." + f.name +
                                             "\": only object type fields can be marked with "
                                             "@shareable");
          at(m, sg.name, f.loc);
        }
      }
      // Keys on interfaces must be on every implementation.
      for (const Key& k : t.keys) {
        std::vector<std::string> missing;
        for (const Type& impl : sg.types) {
          if (impl.kind != TypeKind::kObject || !impl.implements(t.name)) continue;
          bool found = false;
          for (const Key& ik : impl.keys)
            if (ik.fields == k.fields) found = true;
          if (!found) missing.push_back("\"" + impl.name + "\"");
        }
        if (!missing.empty()) {
          std::string list;
          for (size_t i = 0; i < missing.size(); ++i) {
            if (i > 0) list += i + 1 == missing.size() ? " and " : ", ";
            list += missing[i];
          }
          CompositionMessage& m =
              diag.error("INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
                         "[" + sg.name + "] Key " + k.directive_text + " on interface type \"" +
                             t.name + "\" is missing on implementation type" +
                             (missing.size() > 1 ? "s " : " ") + list + ".");
          at(m, sg.name, k.loc);
        }
      }
    }
    if (t.interface_object && t.keys.empty()) {
      CompositionMessage& m = diag.error(
          "INTERFACE_OBJECT_USAGE_ERROR",
          "[" + sg.name +
              "] The @interfaceObject directive can only be applied to entity types but type \"" +
              t.name + "\" has no @key in this subgraph.");
      at(m, sg.name, t.loc);
    }
    if (!sg.fed2) continue;
    for (const Field& f : t.fields) {
      if (f.external && !f.used) {
        CompositionMessage& m = diag.error(
            "EXTERNAL_UNUSED",
            "[" + sg.name + "] Field \"" + t.name + "." + f.name +
                "\" is marked @external but is not used in any federation directive (@key, "
                "@provides, @requires) or to satisfy an interface; the field declaration has no "
                "use and should be removed (or the field should not be @external).");
        at(m, sg.name, f.loc);
      }
    }
  }
}

void upgrade_fed1(std::vector<std::unique_ptr<SubgraphSchema>>& subgraphs, Diagnostics& diag) {
  // A Federation 1 type extension needs a definition in some other subgraph.
  size_t errors_before = diag.errors.size();
  for (size_t i = 0; i < subgraphs.size(); ++i) {
    const SubgraphSchema& sg = *subgraphs[i];
    if (sg.fed2) continue;
    for (const Type& t : sg.types) {
      if (t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) continue;
      bool extension = (t.has_extension || t.extends) && (t.extends || !t.has_definition);
      bool root_extension = t.kind == TypeKind::kObject && sg.is_root(t.name) &&
                            (t.extends || (t.has_extension && !t.has_definition));
      if (!extension || root_extension) continue;
      bool based = false;
      for (size_t j = 0; j < subgraphs.size(); ++j) {
        if (j == i) continue;
        const Type* other = subgraphs[j]->type(t.name);
        if (other != nullptr && other->has_definition &&
            (other->kind == TypeKind::kObject || other->kind == TypeKind::kInterface))
          based = true;
      }
      if (!based) {
        subgraphs[i]->upgrade_failed = true;
        CompositionMessage& m = diag.error("EXTENSION_WITH_NO_BASE",
                                           "[" + sg.name + "] Type \"" + t.name +
                                               "\" is an extension type, but there is no type "
                                               "definition for \"" +
                                               t.name + "\" in any subgraph.");
        at(m, sg.name, t.loc);
      }
    }
  }
  (void)errors_before;
  // Snapshot before any upgrade: which subgraphs resolve (non-external) each field.
  struct Presence {
    std::set<size_t> types;
    std::map<std::string, std::set<size_t>> resolving_fields;
  };
  std::map<std::string, Presence> presence;
  for (size_t i = 0; i < subgraphs.size(); ++i) {
    for (const Type& t : subgraphs[i]->types) {
      if (t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) continue;
      Presence& p = presence[t.name];
      p.types.insert(i);
      for (const Field& f : t.fields)
        if (!f.external || !subgraphs[i]->fed2) p.resolving_fields[f.name].insert(i);
    }
  }
  // Federation 1 external fields count as resolving only when a @provides selects them
  // ("partially external").
  for (size_t i = 0; i < subgraphs.size(); ++i) {
    std::set<std::pair<std::string, std::string>> provided;
    for (const Type& t : subgraphs[i]->types)
      for (const Field& f : t.fields)
        if (f.provides_fields)
          for (const std::string& n : top_level_fields(*f.provides_fields))
            provided.insert({f.type.base, n});
    for (const Type& t : subgraphs[i]->types)
      for (const Field& f : t.fields)
        if (f.external && !subgraphs[i]->fed2 && !provided.count({t.name, f.name}))
          presence[t.name].resolving_fields[f.name].erase(i);
  }
  for (size_t i = 0; i < subgraphs.size(); ++i) {
    SubgraphSchema& sg = *subgraphs[i];
    if (sg.fed2 || sg.upgrade_failed) continue;
    for (Type& t : sg.types) {
      bool is_extension = (t.has_extension && !t.has_definition) || t.extends;
      if (!is_composite(&t) || !is_extension) continue;
      std::vector<std::string> key_fields;
      if (!t.keys.empty()) {
        for (const Key& k : t.keys)
          for (auto& n : top_level_fields(k.fields))
            key_fields.push_back(n);
      } else {
        for (size_t j = 0; j < subgraphs.size(); ++j) {
          if (j == i) continue;
          const Type* other = subgraphs[j]->type(t.name);
          if (other == nullptr || other->keys.empty()) continue;
          for (auto& n : top_level_fields(other->keys[0].fields))
            key_fields.push_back(n);
        }
      }
      for (const std::string& n : key_fields)
        if (Field* f = t.field(n); f != nullptr) f->external = false;
    }
    for (Type& t : sg.types) {
      if (t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) continue;
      for (Field& f : t.fields) {
        if (f.provides_fields) {
          InactiveFilter filter{sg};
          if (auto kept = filter.filter(*f.provides_fields, sg.type(f.type.base))) {
            if (kept->empty())
              f.provides_fields.reset();
            else
              f.provides_fields = *kept;
          }
        }
        if (f.requires_fields) {
          InactiveFilter filter{sg};
          if (auto kept = filter.filter(*f.requires_fields, &t)) {
            if (kept->empty())
              f.requires_fields.reset();
            else
              f.requires_fields = *kept;
          }
        }
      }
    }
    for (Type& t : sg.types) {
      // Type extensions become definitions (only @extends keeps "extension: true").
      for (Key& k : t.keys)
        k.on_extension = false;
      if (t.kind == TypeKind::kInterface) {
        t.keys.clear();
        for (Field& f : t.fields) {
          f.requires_fields.reset();
          f.provides_fields.reset();
        }
      }
      if (t.kind == TypeKind::kObject) {
        for (Field& f : t.fields) {
          const Type* target = sg.type(f.type.base);
          if (f.provides_fields && !is_composite(target)) f.provides_fields.reset();
        }
      }
    }
  }
  // @tag on an external field goes when another subgraph resolves the field with that tag.
  for (size_t i = 0; i < subgraphs.size(); ++i) {
    SubgraphSchema& sg = *subgraphs[i];
    if (sg.fed2 || sg.upgrade_failed) continue;
    for (Type& t : sg.types)
      for (Field& f : t.fields) {
        if (!f.external) continue;
        std::erase_if(f.applied, [&](const Applied& a) {
          if (a.name != "tag") return false;
          for (size_t j = 0; j < subgraphs.size(); ++j) {
            if (j == i) continue;
            const Type* ot = subgraphs[j]->type(t.name);
            const Field* of = ot != nullptr ? ot->field(f.name) : nullptr;
            if (of == nullptr || of->external) continue;
            for (const Applied& b : of->applied)
              if (b == a) return true;
          }
          return false;
        });
      }
  }
  // Used fields (keys, requires, provides) decide which externals stay.
  for (size_t i = 0; i < subgraphs.size(); ++i) {
    SubgraphSchema& sg = *subgraphs[i];
    if (sg.fed2 || sg.upgrade_failed) continue;
    Diagnostics scratch;
    validate_subgraph(sg, scratch);  // marks used fields; errors are reported after upgrade
    std::set<std::string> emptied;
    for (Type& t : sg.types) {
      if (t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) continue;
      size_t before = t.fields.size();
      std::erase_if(t.fields, [](const Field& f) { return f.external && !f.used; });
      if (before > 0 && t.fields.empty()) emptied.insert(t.name);
    }
    std::erase_if(sg.types, [&](const Type& t) { return emptied.count(t.name) > 0; });
    sg.type_index.clear();
    for (size_t k = 0; k < sg.types.size(); ++k)
      sg.type_index[sg.types[k].name] = k;
    for (Type& t : sg.types) {
      if (t.kind != TypeKind::kObject) continue;
      if (t.name == "Subscription" && sg.has_subscription) continue;
      const Presence& p = presence[t.name];
      if (t.is_entity() || sg.is_root(t.name)) {
        for (Field& f : t.fields) {
          if (f.shareable) continue;
          auto it = p.resolving_fields.find(f.name);
          if (it == p.resolving_fields.end()) continue;
          for (size_t j : it->second)
            if (j != i) f.shareable = true;
        }
      } else if (p.types.size() > 1) {
        t.shareable = true;
        for (Field& f : t.fields)
          f.shareable = true;
      }
    }
  }
  (void)diag;
}

}  // namespace orbit::federation::composition
