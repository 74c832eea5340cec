// The transitive authorization check works on the merged supergraph, like Apollo's: the
// requirements of an element are those of its (merged) @authenticated, @requiresScopes and
// @policy applications.
#include "auth.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "orbit/graphql/parser.h"
#include "value_printer.h"

namespace orbit::federation::composition {

namespace {

using namespace orbit::graphql;

std::string dnf_key(const std::vector<std::string>& conj) {
  std::string out = "[";
  for (size_t i = 0; i < conj.size(); ++i)
    out += (i ? "," : "") + quote(conj[i]);
  return out + "]";
}

}  // namespace

Dnf dnf_conjunction(std::vector<Dnf> values) {
  if (values.empty()) return {};
  std::vector<Dnf> distinct;
  std::set<std::string> seen_values;
  for (Dnf& v : values) {
    if (v.empty()) v.push_back({});  // no requirement: always true
    for (auto& conj : v)
      std::sort(conj.begin(), conj.end());
    std::sort(v.begin(), v.end(),
              [](const auto& a, const auto& b) { return dnf_key(a) < dnf_key(b); });
    std::string key;
    for (const auto& conj : v)
      key += dnf_key(conj) + ";";
    if (seen_values.insert(key).second) distinct.push_back(std::move(v));
  }
  Dnf result = distinct[0];
  for (size_t i = 1; i < distinct.size(); ++i) {
    Dnf next;
    std::set<std::string> seen;
    for (const auto& acc : result) {
      for (const auto& cur : distinct[i]) {
        std::vector<std::string> candidate = acc;
        for (const std::string& e : cur)
          if (std::find(acc.begin(), acc.end(), e) == acc.end()) candidate.push_back(e);
        std::sort(candidate.begin(), candidate.end());
        if (seen.insert(dnf_key(candidate)).second) next.push_back(std::move(candidate));
      }
    }
    std::stable_sort(next.begin(), next.end(),
                     [](const auto& a, const auto& b) { return a.size() < b.size(); });
    result.clear();
    for (auto& candidate : next) {
      bool subsumed = false;
      for (const auto& kept : result) {
        subsumed = std::all_of(kept.begin(), kept.end(), [&](const std::string& e) {
          return std::find(candidate.begin(), candidate.end(), e) != candidate.end();
        });
        if (subsumed) break;
      }
      if (!subsumed) result.push_back(std::move(candidate));
    }
  }
  return result;
}

std::string print_dnf(const Dnf& dnf) {
  std::string out = "[";
  for (size_t i = 0; i < dnf.size(); ++i) {
    out += i ? ", [" : "[";
    for (size_t j = 0; j < dnf[i].size(); ++j)
      out += (j ? ", " : "") + quote(dnf[i][j]);
    out += "]";
  }
  return out + "]";
}

namespace {

struct Requirements {
  bool authenticated = false;
  std::optional<Dnf> scopes, policies;
  bool any() const { return authenticated || scopes || policies; }
};

// Every alternative of `have` implies one of `need` (absent or empty: no requirement).
bool implies(const std::optional<Dnf>& have, const std::optional<Dnf>& need) {
  Dnf h = have && !have->empty() ? *have : Dnf{{}};
  Dnf n = need && !need->empty() ? *need : Dnf{{}};
  return std::all_of(h.begin(), h.end(), [&](const std::vector<std::string>& hi) {
    return std::any_of(n.begin(), n.end(), [&](const std::vector<std::string>& ni) {
      return std::all_of(ni.begin(), ni.end(), [&](const std::string& e) {
        return std::find(hi.begin(), hi.end(), e) != hi.end();
      });
    });
  });
}

bool satisfies(const Requirements& have, const Requirements& need) {
  return (have.authenticated || !need.authenticated) && implies(have.scopes, need.scopes) &&
         implies(have.policies, need.policies);
}

Dnf dnf_of(const Value* v) {
  Dnf out;
  if (v == nullptr || v->kind != Kind::kListValue) return out;
  for (const Value* inner : v->as<ListValue>()->values) {
    std::vector<std::string> items;
    if (inner->kind == Kind::kListValue) {
      for (const Value* item : inner->as<ListValue>()->values)
        if (item->kind == Kind::kStringValue) items.emplace_back(item->as<StringValue>()->value);
    }
    out.push_back(std::move(items));
  }
  return out;
}

const Value* argument(const Directive& d, std::string_view name) {
  for (const Argument* a : d.arguments)
    if (a->name.value == name) return a->value;
  return nullptr;
}

class TransitiveAuthChecker {
 public:
  TransitiveAuthChecker(const Supergraph& sg, Diagnostics& diag) : sg_(sg), diag_(diag) {
    auto name = [&](std::string_view identity, std::string_view directive) {
      const LinkedFeature* f = sg.features().by_identity(identity);
      return f != nullptr ? f->directive_name(directive) : std::string();
    };
    authenticated_ = name("https://specs.apollo.dev/authenticated", "authenticated");
    scopes_ = name("https://specs.apollo.dev/requiresScopes", "requiresScopes");
    policy_ = name("https://specs.apollo.dev/policy", "policy");
    context_ = name("https://specs.apollo.dev/context", "context");
  }

  void run() {
    if (authenticated_.empty() && scopes_.empty() && policy_.empty()) return;
    const Schema& schema = sg_.schema();
    if (!context_.empty()) {
      for (const TypeDef* t : schema.types())
        for (const Directive* d : t->directives)
          if (d->name.value == context_)
            if (const Value* v = argument(*d, "name"); v && v->kind == Kind::kStringValue)
              contexts_[std::string(v->as<StringValue>()->value)].push_back(t);
    }
    for (const TypeDef* t : schema.types()) {
      if (t->builtin ||
          (t->kind != graphql::TypeKind::kObject && t->kind != graphql::TypeKind::kInterface))
        continue;
      for (const FieldDef& f : t->fields) {
        const FieldInfo* fi = sg_.field_info(t, &f);
        if (fi == nullptr) continue;
        for (const FieldInGraph& fg : fi->in_graphs) {
          if (fg.requires_fields != nullptr && fg.requires_fields->selection_set != nullptr)
            check_requires(*t, f, fg);
          if (fg.source != nullptr) check_from_context(*t, f, fg);
        }
      }
    }
  }

 private:
  template <typename Directives>
  Requirements requirements_of(const Directives& directives) const {
    Requirements r;
    for (const Directive* d : directives) {
      std::string_view n = d->name.value;
      if (n == authenticated_) r.authenticated = true;
      if (n == scopes_) r.scopes = dnf_of(argument(*d, "scopes"));
      if (n == policy_) r.policies = dnf_of(argument(*d, "policies"));
    }
    return r;
  }

  // The requirements of the field itself: its own and its parent type's.
  Requirements field_requirements(const TypeDef& parent, const FieldDef& field) const {
    Requirements type_req = requirements_of(parent.directives);
    Requirements field_req = requirements_of(field.directives);
    Requirements r;
    r.authenticated = type_req.authenticated || field_req.authenticated;
    auto merge = [](const std::optional<Dnf>& a, const std::optional<Dnf>& b) {
      std::vector<Dnf> values;
      if (a) values.push_back(*a);
      if (b) values.push_back(*b);
      return values.empty() ? std::optional<Dnf>() : std::optional<Dnf>(dnf_conjunction(values));
    };
    r.scopes = merge(type_req.scopes, field_req.scopes);
    r.policies = merge(type_req.policies, field_req.policies);
    return r;
  }

  // The first selected element whose requirements `have` does not satisfy, described as in
  // Apollo's message; "" when all are satisfied.
  std::string missing(const Requirements& have, const SelectionSet* ss, const TypeDef* parent,
                      std::string_view directive, int depth = 0) const {
    if (ss == nullptr || parent == nullptr || depth > 64) return "";
    for (const Selection* s : ss->selections) {
      if (s->kind == Kind::kField) {
        const auto* f = s->as<graphql::Field>();
        if (f->name.value == "__typename") continue;
        const FieldDef* def = nullptr;
        for (const FieldDef& candidate : parent->fields)
          if (candidate.name == f->name.value) def = &candidate;
        if (def == nullptr) continue;
        const TypeDef* target = def->type != nullptr ? def->type->named_type() : nullptr;
        Requirements need = requirements_of(def->directives);
        Requirements target_need;
        if (target != nullptr) target_need = requirements_of(target->directives);
        if (!satisfies(have, need) || !satisfies(have, target_need))
          return "the transitive field \"" + std::string(parent->name) + "." +
                 std::string(def->name) + "\" data from " + std::string(directive) +
                 " selection set";
        std::string inner = missing(have, f->selection_set, target, directive, depth + 1);
        if (!inner.empty()) return inner;
      } else if (s->kind == Kind::kInlineFragment) {
        const auto* frag = s->as<InlineFragment>();
        const TypeDef* cond = parent;
        if (frag->type_condition != nullptr) {
          cond = sg_.schema().type(frag->type_condition->name.value);
          if (cond == nullptr) continue;
          if (!satisfies(have, requirements_of(cond->directives)))
            return "the transitive data in inline fragment type condition \"" +
                   std::string(cond->name) + "\" from " + std::string(directive) + " selection set";
        }
        std::string inner = missing(have, frag->selection_set, cond, directive, depth + 1);
        if (!inner.empty()) return inner;
      }
    }
    return "";
  }

  void report(const FieldInGraph& fg, const TypeDef& parent, const FieldDef& field,
              const std::string& what) {
    std::string subgraph(sg_.subgraphs()[fg.graph].name);
    diag_.error("MISSING_TRANSITIVE_AUTH_REQUIREMENTS",
                "[" + subgraph + "] Field \"" + std::string(parent.name) + "." +
                    std::string(field.name) +
                    "\" does not specify necessary @authenticated, @requiresScopes and/or "
                    "@policy auth requirements to access " +
                    what + ".");
  }

  void check_requires(const TypeDef& parent, const FieldDef& field, const FieldInGraph& fg) {
    Requirements have = field_requirements(parent, field);
    std::string what = missing(have, fg.requires_fields->selection_set, &parent, "@requires");
    if (!what.empty()) report(fg, parent, field, what);
  }

  void check_from_context(const TypeDef& parent, const FieldDef& field, const FieldInGraph& fg) {
    const Value* args = argument(*fg.source, "contextArguments");
    if (args == nullptr || args->kind != Kind::kListValue) return;
    Requirements have = field_requirements(parent, field);
    for (const Value* item : args->as<ListValue>()->values) {
      if (item->kind != Kind::kObjectValue) continue;
      std::string context, selection;
      for (const ObjectField* of : item->as<ObjectValue>()->fields) {
        if (of->value == nullptr || of->value->kind != Kind::kStringValue) continue;
        if (of->name.value == "context") context = of->value->as<StringValue>()->value;
        if (of->name.value == "selection") selection = of->value->as<StringValue>()->value;
      }
      auto it = contexts_.find(context);
      if (it == contexts_.end()) continue;
      for (const TypeDef* target : it->second) {
        if (!satisfies(have, requirements_of(target->directives))) {
          report(fg, parent, field,
                 "the transitive data in context " + context + " from @fromContext selection set");
          continue;
        }
        Arena arena;
        ParseOptions po;
        po.allow_type_system = false;
        po.max_depth = 64;
        std::string text = selection;
        size_t first = text.find_first_not_of(" \t\r\n,");
        if (first == std::string::npos || text[first] != '{') text = "{" + text + "}";
        ParseResult r = parse(text, arena, po);
        if (!r.ok() || r.document->definitions.size() != 1 ||
            r.document->definitions[0]->kind != Kind::kOperationDefinition)
          continue;
        const auto* op = r.document->definitions[0]->as<OperationDefinition>();
        std::string what = missing(have, op->selection_set, target, "@fromContext");
        if (!what.empty()) report(fg, parent, field, what);
      }
    }
  }

  const Supergraph& sg_;
  Diagnostics& diag_;
  std::string authenticated_, scopes_, policy_, context_;
  std::map<std::string, std::vector<const TypeDef*>> contexts_;
};

}  // namespace

void check_transitive_auth(const Supergraph& supergraph, Diagnostics& diag) {
  TransitiveAuthChecker(supergraph, diag).run();
}

}  // namespace orbit::federation::composition
