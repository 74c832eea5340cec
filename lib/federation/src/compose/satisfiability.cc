// Satisfiability: a breadth-first walk over (type, subgraph) states of the composed
// supergraph. From the root types of every subgraph, each field of the API schema must be
// resolvable in the current subgraph or in a subgraph reachable through entity keys whose
// fields the current subgraph can provide. A field that cannot be reached that way from some
// state is reported once, with an example query and the reasons, like Apollo's
// SATISFIABILITY_ERROR.
//
// This is a sound subset of Apollo's query-graph validation: it follows keys (transitively),
// @provides, abstract types (type explosion) and @interfaceObject types (an implementation can
// move to the subgraph of an @interfaceObject by its key, and fields added there are checked
// on every implementation; an @interfaceObject position must reach a subgraph that knows the
// implementations before a type condition). A key move needs every field of the key, at every
// depth, from the position it leaves; those fields may be fetched through other keys and
// @provides, but not by moving to the key's own subgraph or by the same key (Apollo's excluded
// destinations and conditions). A field with @requires counts in a subgraph only when its
// required fields can be fetched from there (through keys and @provides, as the query planner
// would fetch them, nested selections and chained @requires included). Under a nested field of
// a key or @requires selection, each selection may be fetched from any subgraph reached for
// that field, as Apollo's condition validation advances each one from all the options, and a
// field an interface lacks in a subgraph is fetched on each implementation there.
#include "satisfiability.h"

#include <algorithm>
#include <bit>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace orbit::federation::composition {

namespace {

using graphql::TypeDef;

// One way the planner can be positioned on an object: in a subgraph, with the fields a
// parent's @provides made available there.
struct Option {
  uint32_t graph;
  const graphql::SelectionSet* provided;
  bool operator<(const Option& o) const {
    return graph != o.graph ? graph < o.graph : provided < o.provided;
  }
  bool operator==(const Option& o) const = default;
};

// A position in a query: the type reached and every option a plan may be in there. A field
// is satisfiable when at least one option reaches it.
struct State {
  const TypeDef* type;
  std::vector<Option> options;  // sorted, unique
  int parent;                   // index of the state we came from, -1 for roots
  std::string step;             // the field (or "... on T") that led here
};

bool provides_field(const graphql::SelectionSet* ss, std::string_view name,
                    const graphql::SelectionSet** sub) {
  if (ss == nullptr) return false;
  for (const graphql::Selection* s : ss->selections) {
    if (s->kind == graphql::Kind::kField) {
      const auto* f = s->as<graphql::Field>();
      if (f->name.value == name) {
        *sub = f->selection_set;
        return true;
      }
    } else if (s->kind == graphql::Kind::kInlineFragment) {
      if (provides_field(s->as<graphql::InlineFragment>()->selection_set, name, sub)) return true;
    }
  }
  return false;
}

class Checker {
 public:
  Checker(const Supergraph& sg, Diagnostics& diag) : sg_(sg), diag_(diag) {
    for (const graphql::TypeDef* t : sg.schema().types()) {
      const TypeInfo* info = t->kind == graphql::TypeKind::kInterface ? sg.type_info(t) : nullptr;
      if (info != nullptr && !info->interface_object_graphs.empty()) interface_objects_ = true;
    }
  }

  void run() {
    const graphql::Schema& api = sg_.api_schema();
    for (const TypeDef* root : {api.query_type(), api.mutation_type(), api.subscription_type()}) {
      if (root == nullptr) continue;
      const TypeDef* full = sg_.schema().type(root->name);
      const TypeInfo* info = sg_.type_info(full);
      if (info == nullptr) continue;
      // Root fields can be fetched from any subgraph defining the root type.
      std::vector<Option> options;
      for_each_graph(info->graphs, [&](uint32_t g) { options.push_back({g, nullptr}); });
      if (!options.empty()) push({full, std::move(options), -1, ""});
    }
    for (size_t i = 0; i < states_.size() && errors_ < kMaxErrors; ++i)
      visit(i);
  }

 private:
  static constexpr int kMaxErrors = 20;
  static constexpr size_t kMaxStates = 200000;  // bounds the work on pathological graphs
  static constexpr size_t kMaxKeySearches = 100000;

  void push(State s) {
    std::sort(s.options.begin(), s.options.end());
    s.options.erase(std::unique(s.options.begin(), s.options.end()), s.options.end());
    if (s.options.empty()) return;
    if (!seen_.insert({s.type, s.options}).second) return;
    states_.push_back(std::move(s));
  }

  // The field an @interfaceObject in `g` adds to object `type` (through one of its
  // interfaces), or null.
  const FieldInfo* interface_object_field(const TypeDef* type, std::string_view name,
                                          uint32_t g) const {
    if (!interface_objects_ || type->kind != graphql::TypeKind::kObject) return nullptr;
    for (const TypeDef* itf : type->interfaces) {
      const TypeInfo* ii = sg_.type_info(itf);
      if (ii == nullptr || !has_graph(ii->interface_object_graphs, g)) continue;
      const FieldInfo* ifi = sg_.field_info(itf->name, name);
      if (ifi != nullptr && ifi->resolvable_in(g)) return ifi;
    }
    return nullptr;
  }

  // The declaration that resolves field `fi` of `type` in subgraph `g` (the field itself, its
  // external declaration made available by a parent's @provides, or the field of an
  // @interfaceObject of one of the type's interfaces), or null. @requires is not checked here.
  const FieldInfo* resolve(const TypeDef* type, const FieldInfo* fi, uint32_t g,
                           const graphql::SelectionSet* provided,
                           const graphql::SelectionSet** sub) const {
    *sub = nullptr;
    if (fi->resolvable_in(g)) return fi;
    if (provided != nullptr && has_graph(fi->external_graphs, g) &&
        provides_field(provided, fi->field->name, sub))
      return fi;
    return interface_object_field(type, fi->field->name, g);
  }

  // What a plan may not use while it fetches the fields of a key it moves by (Apollo's
  // excluded destinations and conditions): the subgraphs it is moving to and the keys it is
  // moving by, at every level of nesting. Empty outside key conditions.
  struct Exclusions {
    GraphMask graphs;
    std::vector<const federation::FieldSet*> keys;
    bool empty() const { return graphs.empty() && keys.empty(); }
  };

  // The fields provided below field `r` resolved in `g`: its own @provides there, or what a
  // parent's @provides selected under it (`sub`).
  static const graphql::SelectionSet* nested_provided(const FieldInfo* r, uint32_t g,
                                                      const graphql::SelectionSet* sub) {
    const FieldInGraph* fg = r->in_graph(g);
    if (fg != nullptr && fg->provides_fields != nullptr) return fg->provides_fields->selection_set;
    return sub;
  }

  // True when two field sets select the same fields (in any order) on the same type.
  static bool same_selections(const graphql::SelectionSet* a, const graphql::SelectionSet* b) {
    if (a == b) return true;
    if (a == nullptr || b == nullptr || a->selections.size() != b->selections.size()) return false;
    for (const graphql::Selection* x : a->selections) {
      bool matched = false;
      for (const graphql::Selection* y : b->selections) {
        if (x->kind != y->kind) continue;
        if (x->kind == graphql::Kind::kField) {
          const auto* fx = x->as<graphql::Field>();
          const auto* fy = y->as<graphql::Field>();
          matched = fx->name.value == fy->name.value &&
                    same_selections(fx->selection_set, fy->selection_set);
        } else if (x->kind == graphql::Kind::kInlineFragment) {
          const auto* ix = x->as<graphql::InlineFragment>();
          const auto* iy = y->as<graphql::InlineFragment>();
          std::string_view cx = ix->type_condition ? ix->type_condition->name.value : "";
          std::string_view cy = iy->type_condition ? iy->type_condition->name.value : "";
          matched = cx == cy && same_selections(ix->selection_set, iy->selection_set);
        }
        if (matched) break;
      }
      if (!matched) return false;
    }
    return true;
  }

  static bool key_excluded(const Exclusions& ex, const federation::FieldSet& k) {
    for (const federation::FieldSet* e : ex.keys)
      if (e->parent == k.parent && same_selections(e->selection_set, k.selection_set)) return true;
    return false;
  }

  // True when the plan, on `type` in subgraph `from` (with the fields `provided` there), can
  // fetch every field of key `k` at every depth, to move to the key's subgraph. As in Apollo's
  // query graph, the key fields may themselves be fetched through other keys (at any depth),
  // but never by moving to the key's own subgraph or by the same key again.
  bool key_fields_available(const TypeDef* type, const federation::Key& k, uint32_t from,
                            const graphql::SelectionSet* provided, const Exclusions& ex) {
    if (k.fields.selection_set == nullptr) return false;
    // Fast path: every key field resolves in `from` itself.
    if (can_fetch(type, from, provided, k.fields.selection_set, nullptr, 0)) return true;
    std::tuple<const TypeDef*, const federation::Key*, uint32_t, const graphql::SelectionSet*>
        memo_key{type, &k, from, provided};
    if (ex.empty()) {
      auto it = key_cache_.find(memo_key);
      if (it != key_cache_.end()) return it->second;
    }
    // Bounds the nested searches on pathological graphs; past it a key move is assumed to work.
    if (++key_searches_ > kMaxKeySearches) return true;
    Exclusions inner = ex;
    inner.graphs |= graph_bit(k.graph);
    inner.keys.push_back(&k.fields);
    bool ok = can_fetch(type, from, provided, k.fields.selection_set, &inner, 0);
    if (ex.empty()) key_cache_[memo_key] = ok;
    return ok;
  }

  // Subgraphs reachable from `g` for an object of `type` by following resolvable keys: the
  // type's own, and for an object type those of the @interfaceObjects of its interfaces.
  GraphMask reachable(const TypeDef* type, uint32_t g, const graphql::SelectionSet* provided,
                      const Exclusions& ex) {
    const TypeInfo* info = sg_.type_info(type);
    GraphMask seen = graph_bit(g);
    if (info == nullptr) return seen;
    std::vector<const TypeInfo*> interface_objects;
    if (interface_objects_ && type->kind == graphql::TypeKind::kObject) {
      for (const TypeDef* itf : type->interfaces) {
        const TypeInfo* ii = sg_.type_info(itf);
        if (ii != nullptr && !ii->interface_object_graphs.empty()) interface_objects.push_back(ii);
      }
    }
    std::deque<uint32_t> queue{g};
    while (!queue.empty()) {
      uint32_t from = queue.front();
      queue.pop_front();
      const graphql::SelectionSet* here_provided = from == g ? provided : nullptr;
      auto follow = [&](const federation::Key& k) {
        if (!k.resolvable || has_graph(seen, k.graph) || has_graph(ex.graphs, k.graph)) return;
        if (!ex.keys.empty() && key_excluded(ex, k.fields)) return;
        if (!key_fields_available(type, k, from, here_provided, ex)) return;
        seen |= graph_bit(k.graph);
        queue.push_back(k.graph);
      };
      for (const federation::Key& k : info->keys)
        follow(k);
      for (const TypeInfo* ii : interface_objects)
        for (const federation::Key& k : ii->keys)
          if (has_graph(ii->interface_object_graphs, k.graph)) follow(k);
    }
    return seen;
  }

  GraphMask reachable(const TypeDef* type, uint32_t g, const graphql::SelectionSet* provided) {
    return reachable(type, g, provided, Exclusions{});
  }

  // True when the @requires of `fi` in subgraph `g` (if any) can be fetched from `g`, where a
  // parent's @provides may have made the fields `provided` available (on `fi`'s own type).
  bool requires_satisfiable(const FieldInfo* fi, uint32_t g,
                            const graphql::SelectionSet* provided = nullptr) {
    const FieldInGraph* fg = fi->in_graph(g);
    if (fg == nullptr || fg->requires_fields == nullptr ||
        fg->requires_fields->selection_set == nullptr)
      return true;
    return requires_fetchable(fi, g, fg->requires_fields->selection_set, provided);
  }

  // The work of requires_satisfiable for a field with @requires (selection `ss`), kept out of
  // line so that the common case above inlines.
  [[gnu::noinline]] bool requires_fetchable(const FieldInfo* fi, uint32_t g,
                                            const graphql::SelectionSet* ss,
                                            const graphql::SelectionSet* provided) {
    const Exclusions none;
    auto key = std::make_pair(fi, g);
    auto it = requires_cache_.find(key);
    bool ok;
    if (it != requires_cache_.end()) {
      ok = it->second;
    } else {
      requires_cache_[key] = true;  // a @requires cycle does not make itself unsatisfiable
      ok = can_fetch(fi->parent, g, nullptr, ss, &none, 0);
      requires_cache_[key] = ok;
    }
    if (ok || provided == nullptr) return ok;
    auto pkey = std::make_tuple(fi, g, provided);
    auto pit = provided_requires_cache_.find(pkey);
    if (pit != provided_requires_cache_.end()) return pit->second;
    provided_requires_cache_[pkey] = true;
    ok = can_fetch(fi->parent, g, provided, ss, &none, 0);
    provided_requires_cache_[pkey] = ok;
    return ok;
  }

  // True when every field selected by `ss` on `type` can be fetched starting in subgraph `g`
  // (with the fields `provided` there), where the planner can use keys to fetch what `g` does
  // not resolve itself (except the subgraphs and keys `moves` excludes), and the @provides of
  // the fields it goes through. With `moves` null, no key move is allowed: every field must
  // resolve in `g` itself (a fast path; true there implies true with moves, which try `g`
  // first).
  bool can_fetch(const TypeDef* type, uint32_t g, const graphql::SelectionSet* provided,
                 const graphql::SelectionSet* ss, const Exclusions* moves, int depth) {
    if (ss == nullptr || type == nullptr) return true;
    if (depth > 32) return true;     // deeper than any plan we check; assume it works
    std::optional<GraphMask> reach;  // computed when a field is not resolved in `g` itself
    for (const graphql::Selection* s : ss->selections) {
      if (s->kind == graphql::Kind::kInlineFragment) {
        const auto* frag = s->as<graphql::InlineFragment>();
        const TypeDef* cond = type;
        if (frag->type_condition != nullptr) {
          cond = sg_.schema().type(frag->type_condition->name.value);
          if (cond == nullptr) continue;
          // Objects of a type that `g` does not return never reach this selection.
          if (type->is_abstract() && cond->kind == graphql::TypeKind::kObject &&
              !has_graph(sg_.possible_type_graphs(type, cond), g))
            continue;
        }
        if (!can_fetch(cond, g, provided, frag->selection_set, moves, depth + 1)) return false;
        continue;
      }
      if (s->kind != graphql::Kind::kField) continue;
      const auto* f = s->as<graphql::Field>();
      if (f->name.value == "__typename") continue;
      const FieldInfo* fi = sg_.field_info(type->name, f->name.value);
      if (fi == nullptr) return false;
      // Inlined: the subgraph `g` itself is tried first on every field of every walk.
      auto fetch_in = [&](uint32_t h) __attribute__((always_inline)) {
        const graphql::SelectionSet* sub;
        const graphql::SelectionSet* here = h == g ? provided : nullptr;
        const FieldInfo* r = resolve(type, fi, h, here, &sub);
        if (r == nullptr || !requires_satisfiable(r, h, r == fi ? here : nullptr)) return false;
        return f->selection_set == nullptr ||
               can_fetch(r->field->type->named_type(), h, nested_provided(r, h, sub),
                         f->selection_set, moves, depth + 1);
      };
      if (fetch_in(g)) continue;
      if (moves == nullptr) return false;
      if (!reach) reach = reachable(type, g, provided, *moves);
      bool ok = false;
      for_each_graph(*reach, [&](uint32_t h) {
        if (!ok && h != g) ok = fetch_in(h);
      });
      if (!ok && ((f->selection_set == nullptr && type->kind != graphql::TypeKind::kInterface) ||
                  !can_fetch_split(type, {Option{g, provided}}, f, *moves, depth)))
        return false;
    }
    return true;
  }

  // The options (subgraph, provided fields below) where field `f` of `type` can be fetched,
  // starting from any of `from` and moving by keys (except what `moves` excludes).
  std::vector<Option> field_options(const TypeDef* type, const std::vector<Option>& from,
                                    const graphql::Field* f, const Exclusions& moves) {
    std::vector<Option> out;
    const FieldInfo* fi = sg_.field_info(type->name, f->name.value);
    if (fi == nullptr) return out;
    for (const Option& o : from) {
      GraphMask reach = reachable(type, o.graph, o.provided, moves);
      for_each_graph(reach, [&](uint32_t h) {
        const graphql::SelectionSet* sub;
        const graphql::SelectionSet* here = h == o.graph ? o.provided : nullptr;
        const FieldInfo* r = resolve(type, fi, h, here, &sub);
        if (r == nullptr || !requires_satisfiable(r, h, r == fi ? here : nullptr)) return;
        out.push_back({h, nested_provided(r, h, sub)});
      });
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  // The slow path of can_fetch for a field `f` with a selection that no single subgraph
  // reached for `f` answers whole: as Apollo's condition validation, each selection under
  // `f` may be fetched from any of the subgraphs reached for `f` (from any of `from`), and
  // so on at every depth. Only taken where can_fetch would fail, so the answers it changes
  // are refusals.
  [[gnu::noinline]] bool can_fetch_split(const TypeDef* type, const std::vector<Option>& from,
                                         const graphql::Field* f, const Exclusions& moves,
                                         int depth) {
    if (depth > 32) return true;
    const FieldInfo* fi = sg_.field_info(type->name, f->name.value);
    if (fi == nullptr) return false;
    std::vector<Option> options = field_options(type, from, f, moves);
    if (!options.empty() &&
        (f->selection_set == nullptr || can_fetch_each(fi->field->type->named_type(), options,
                                                       f->selection_set, moves, depth + 1)))
      return true;
    if (type->kind != graphql::TypeKind::kInterface) return false;
    for (const Option& o : from)
      if (fetch_on_implementations(type, o, f, depth)) return true;
    return false;
  }

  // True when field `f` of interface `type` can be fetched, from option `o`, on every
  // implementation the subgraph knows, as Apollo splits a field its subgraph's interface lacks
  // (each implementation starts afresh: nothing a key move being checked excludes applies).
  bool fetch_on_implementations(const TypeDef* type, const Option& o, const graphql::Field* f,
                                int depth) {
    const TypeInfo* info = sg_.type_info(type);
    if (info == nullptr || has_graph(info->interface_object_graphs, o.graph)) return false;
    const Exclusions fresh;
    bool any = false;
    for (const TypeDef* t : type->possible_types) {
      if (!has_graph(sg_.possible_type_graphs(type, t), o.graph)) continue;
      if (!can_fetch_split(t, {o}, f, fresh, depth + 1)) return false;
      any = true;
    }
    return any;
  }

  // True when every selection of `ss` on `type` can be fetched from at least one of
  // `options` (each selection on its own).
  bool can_fetch_each(const TypeDef* type, const std::vector<Option>& options,
                      const graphql::SelectionSet* ss, const Exclusions& moves, int depth) {
    if (ss == nullptr || type == nullptr) return true;
    if (depth > 32) return true;
    for (const graphql::Selection* s : ss->selections) {
      if (s->kind == graphql::Kind::kInlineFragment) {
        const auto* frag = s->as<graphql::InlineFragment>();
        const TypeDef* cond = type;
        std::vector<Option> kept = options;
        if (frag->type_condition != nullptr) {
          cond = sg_.schema().type(frag->type_condition->name.value);
          if (cond == nullptr) continue;
          if (type->is_abstract() && cond->kind == graphql::TypeKind::kObject) {
            GraphMask possible = sg_.possible_type_graphs(type, cond);
            std::erase_if(kept, [&](const Option& o) { return !has_graph(possible, o.graph); });
          }
          if (kept.empty()) continue;
        }
        if (!can_fetch_each(cond, kept, frag->selection_set, moves, depth + 1)) return false;
        continue;
      }
      if (s->kind != graphql::Kind::kField) continue;
      const auto* f = s->as<graphql::Field>();
      if (f->name.value == "__typename") continue;
      if (!can_fetch_split(type, options, f, moves, depth)) return false;
    }
    return true;
  }

  std::string query_for(size_t state_index, std::string_view last_field) const {
    std::vector<std::string> steps;
    for (int i = static_cast<int>(state_index); i >= 0 && states_[i].parent >= 0;
         i = states_[i].parent)
      steps.push_back(states_[i].step);
    std::string root = "{";
    int i = static_cast<int>(state_index);
    while (states_[i].parent >= 0)
      i = states_[i].parent;
    const TypeDef* rt = states_[i].type;
    if (rt == sg_.schema().mutation_type()) root = "mutation {";
    if (rt == sg_.schema().subscription_type()) root = "subscription {";
    std::string out = root + "\n";
    std::string indent = "  ";
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
      out += indent + *it + " {\n";
      indent += "  ";
    }
    // A multi-line last selection (`... on T {` / `...` / `}`) is indented line by line.
    out += indent;
    for (char c : last_field)
      out += c == '\n' ? "\n" + indent : std::string(1, c);
    out += "\n";
    for (size_t k = 0; k < steps.size(); ++k) {
      indent.resize(indent.size() - 2);
      out += indent + "}\n";
    }
    return out + "}";
  }

  // Abstract type explosion: one state per possible object type, in the subgraphs of the
  // options that know it. An option at an @interfaceObject does not know the implementations:
  // the plan must first reach a subgraph defining the interface by one of its keys.
  void explode(size_t index, const State& s) {
    const graphql::Schema& api = sg_.api_schema();
    const TypeInfo* ai = sg_.type_info(s.type);
    GraphMask io_graphs = ai != nullptr ? ai->interface_object_graphs : GraphMask{};
    for (const TypeDef* o : s.type->possible_types) {
      if (api.type(o->name) == nullptr) continue;
      GraphMask possible = sg_.possible_type_graphs(s.type, o);
      std::vector<Option> options;
      std::vector<uint32_t> blocked;
      for (const Option& opt : s.options) {
        if (has_graph(possible, opt.graph)) {
          options.push_back(opt);
          continue;
        }
        if (!has_graph(io_graphs, opt.graph)) continue;
        GraphMask known = reachable(s.type, opt.graph, opt.provided) & possible & ~io_graphs;
        if (known.empty()) {
          blocked.push_back(opt.graph);
          continue;
        }
        options.push_back({opt.graph, nullptr});
        for_each_graph(known, [&](uint32_t h) { options.push_back({h, nullptr}); });
      }
      if (options.empty() && !blocked.empty()) report_blocked_downcast(index, s.type, o, blocked);
      push({o, std::move(options), static_cast<int>(index), "... on " + std::string(o->name)});
    }
  }

  void report_blocked_downcast(size_t index, const TypeDef* itf, const TypeDef* object,
                               const std::vector<uint32_t>& graphs) {
    std::string what = "interfaceObject:" + std::string(itf->name);
    if (!reported_.insert(what).second) return;
    ++errors_;
    std::string msg = "The following supergraph API query:\n" +
                      query_for(index, "... on " + std::string(object->name) + " {\n  ...\n}") +
                      "\ncannot be satisfied by the subgraphs because:";
    const TypeInfo* info = sg_.type_info(itf);
    for (uint32_t g : graphs) {
      std::string here(sg_.subgraphs()[g].name);
      msg += "\n- from subgraph \"" + here +
             "\":\n  - no subgraph can be reached to resolve the implementation type of "
             "@interfaceObject type \"" +
             std::string(itf->name) + "\".";
      if (info == nullptr) continue;
      for (const federation::Key& k : info->keys) {
        if (!k.resolvable || k.graph == g || has_graph(info->interface_object_graphs, k.graph))
          continue;
        msg += "\n  - cannot move to subgraph \"" + std::string(sg_.subgraphs()[k.graph].name) +
               "\" using @key(fields: \"" + std::string(k.fields.text) + "\") of \"" +
               std::string(itf->name) + "\", the key field(s) cannot be resolved from subgraph \"" +
               here + "\".";
      }
    }
    diag_.error("SATISFIABILITY_ERROR", msg);
  }

  void visit(size_t index) {
    const State s = states_[index];  // copy: states_ grows below
    const graphql::Schema& api = sg_.api_schema();
    const TypeDef* api_type = api.type(s.type->name);
    if (api_type == nullptr) return;
    if (s.type->is_abstract()) {
      explode(index, s);
      if (s.type->kind == graphql::TypeKind::kUnion) return;
    }
    // Per option, the subgraphs reachable through keys.
    std::vector<GraphMask> reach;
    for (const Option& opt : s.options)
      reach.push_back(s.parent < 0 ? graph_bit(opt.graph)
                                   : reachable(s.type, opt.graph, opt.provided));
    for (const graphql::FieldDef& api_field : api_type->fields) {
      const FieldInfo* fi = sg_.field_info(s.type->name, api_field.name);
      if (fi == nullptr) continue;
      std::vector<Option> next;
      bool found = false;
      std::vector<std::pair<uint32_t, uint32_t>> requires_failed;  // (option graph, subgraph)
      GraphMask candidates = fi->resolvable_graphs;
      for (size_t oi = 0; oi < s.options.size(); ++oi) {
        const Option& opt = s.options[oi];
        for_each_graph(reach[oi], [&](uint32_t h) {
          const graphql::SelectionSet* sub = nullptr;
          const graphql::SelectionSet* here = h == opt.graph ? opt.provided : nullptr;
          const FieldInfo* r = resolve(s.type, fi, h, here, &sub);
          if (r == nullptr) return;
          if (r != fi) candidates |= graph_bit(h);
          if (!requires_satisfiable(r, h, r == fi ? here : nullptr)) {
            requires_failed.push_back({opt.graph, h});
            return;
          }
          found = true;
          next.push_back({h, nested_provided(r, h, sub)});
        });
      }
      if (found) {
        const TypeDef* target = fi->field->type->named_type();
        if (target != nullptr && target->is_composite())
          push({target, std::move(next), static_cast<int>(index), std::string(api_field.name)});
        continue;
      }
      if (s.type->kind == graphql::TypeKind::kInterface) continue;  // checked per implementation
      if (fi->resolvable_graphs.empty() && requires_failed.empty() &&
          !added_by_interface_object(s.type, api_field.name))
        continue;  // not resolvable anywhere: nothing a plan could do (reported elsewhere)
      std::string coordinate = std::string(s.type->name) + "." + std::string(api_field.name);
      if (!reported_.insert(coordinate).second) continue;
      ++errors_;
      std::string msg = "The following supergraph API query:\n" + query_for(index, api_field.name) +
                        "\ncannot be satisfied by the subgraphs because:";
      const TypeInfo* info = sg_.type_info(s.type);
      for (const Option& opt : s.options) {
        std::string here(sg_.subgraphs()[opt.graph].name);
        msg += "\n- from subgraph \"" + here + "\":";
        bool requires_here = false;
        for (const auto& [from, h] : requires_failed) {
          if (from != opt.graph) continue;
          requires_here = true;
          msg += "\n  - cannot satisfy @require conditions on field \"" + coordinate +
                 "\" in subgraph \"" + std::string(sg_.subgraphs()[h].name) + "\".";
        }
        if (requires_here) continue;
        msg += "\n  - cannot find field \"" + coordinate + "\".";
        for_each_graph(candidates, [&](uint32_t h) {
          if (h == opt.graph) return;
          std::string name(sg_.subgraphs()[h].name);
          std::vector<const federation::Key*> keys;
          if (info != nullptr) keys = info->keys_in(h, false);
          bool resolvable_key = false;
          for (const federation::Key* k : keys) {
            if (!k->resolvable) continue;
            resolvable_key = true;
            msg += "\n  - cannot move to subgraph \"" + name + "\" using @key(fields: \"" +
                   std::string(k->fields.text) + "\") of \"" + std::string(s.type->name) +
                   "\", the key field(s) cannot be resolved from subgraph \"" + here + "\".";
          }
          if (resolvable_key) return;
          msg += "\n  - cannot move to subgraph \"" + name + "\", which has field \"" + coordinate +
                 "\", because " +
                 (keys.empty() ? "type \"" + std::string(s.type->name) +
                                     "\" has no @key defined in subgraph \"" + name + "\"."
                               : "none of the @key defined on type \"" + std::string(s.type->name) +
                                     "\" in subgraph \"" + name +
                                     "\" are resolvable (they are all declared with their "
                                     "\"resolvable\" argument set to false).");
        });
      }
      diag_.error("SATISFIABILITY_ERROR", msg);
    }
  }

  // True when an @interfaceObject of one of the object type's interfaces defines the field.
  bool added_by_interface_object(const TypeDef* type, std::string_view name) const {
    if (!interface_objects_ || type->kind != graphql::TypeKind::kObject) return false;
    for (const TypeDef* itf : type->interfaces) {
      const TypeInfo* ii = sg_.type_info(itf);
      if (ii == nullptr || ii->interface_object_graphs.empty()) continue;
      const FieldInfo* ifi = sg_.field_info(itf->name, name);
      if (ifi != nullptr && !(ifi->resolvable_graphs & ii->interface_object_graphs).empty())
        return true;
    }
    return false;
  }

  const Supergraph& sg_;
  Diagnostics& diag_;
  std::vector<State> states_;
  std::set<std::pair<const TypeDef*, std::vector<Option>>> seen_;
  std::set<std::string> reported_;
  std::map<std::pair<const FieldInfo*, uint32_t>, bool> requires_cache_;
  // Only for @requires that cannot be fetched without the fields a @provides made available.
  std::map<std::tuple<const FieldInfo*, uint32_t, const graphql::SelectionSet*>, bool>
      provided_requires_cache_;
  // Key moves from a position outside any key condition: (type, key, from, provided).
  std::map<
      std::tuple<const TypeDef*, const federation::Key*, uint32_t, const graphql::SelectionSet*>,
      bool>
      key_cache_;
  size_t key_searches_ = 0;
  bool interface_objects_ = false;  // some interface has an @interfaceObject somewhere
  int errors_ = 0;
};

}  // namespace

void check_satisfiability(const Supergraph& supergraph, Diagnostics& diag) {
  Checker(supergraph, diag).run();
}

}  // namespace orbit::federation::composition
