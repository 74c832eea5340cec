// Satisfiability: a breadth-first walk over (type, subgraph) states of the composed
// supergraph. From the root types of every subgraph, each field of the API schema must be
// resolvable in the current subgraph or in a subgraph reachable through entity keys whose
// fields the current subgraph can provide. A field that cannot be reached that way from some
// state is reported once, with an example query and the reasons, like Apollo's
// SATISFIABILITY_ERROR.
//
// This is a sound subset of Apollo's query-graph validation: it follows keys (transitively),
// @provides and abstract types (type explosion). @requires is assumed satisfiable when its
// field's subgraph is reachable, and fields added to implementations by an @interfaceObject are
// not checked.
#include "satisfiability.h"

#include <algorithm>
#include <bit>
#include <deque>
#include <map>
#include <set>

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
  Checker(const Supergraph& sg, Diagnostics& diag) : sg_(sg), diag_(diag) {}

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

  void push(State s) {
    std::sort(s.options.begin(), s.options.end());
    s.options.erase(std::unique(s.options.begin(), s.options.end()), s.options.end());
    if (s.options.empty()) return;
    if (!seen_.insert({s.type, s.options}).second) return;
    states_.push_back(std::move(s));
  }

  bool resolvable(const FieldInfo* fi, uint32_t g, const graphql::SelectionSet* provided,
                  const graphql::SelectionSet** sub) const {
    *sub = nullptr;
    if (fi->resolvable_in(g)) return true;
    if (provided != nullptr && has_graph(fi->external_graphs, g) &&
        provides_field(provided, fi->field->name, sub))
      return true;
    return false;
  }

  // Subgraphs reachable from `g` for an object of `type` by following resolvable keys.
  GraphMask reachable(const TypeDef* type, uint32_t g, const graphql::SelectionSet* provided) {
    const TypeInfo* info = sg_.type_info(type);
    GraphMask seen = graph_bit(g);
    std::deque<uint32_t> queue{g};
    while (!queue.empty()) {
      uint32_t from = queue.front();
      queue.pop_front();
      if (info == nullptr) break;
      for (const federation::Key& k : info->keys) {
        if (!k.resolvable || has_graph(seen, k.graph)) continue;
        if (k.fields.selection_set == nullptr) continue;
        bool ok = true;
        for (const graphql::Selection* s : k.fields.selection_set->selections) {
          if (s->kind != graphql::Kind::kField) continue;
          const auto* f = s->as<graphql::Field>();
          if (f->name.value == "__typename") continue;
          const FieldInfo* fi = sg_.field_info(type->name, f->name.value);
          const graphql::SelectionSet* sub;
          if (fi == nullptr || !resolvable(fi, from, from == g ? provided : nullptr, &sub)) {
            ok = false;
            break;
          }
        }
        if (ok) {
          seen |= graph_bit(k.graph);
          queue.push_back(k.graph);
        }
      }
    }
    return seen;
  }

  std::string query_for(size_t state_index, std::string_view last_field) const {
    std::vector<std::string> steps;
    for (int i = static_cast<int>(state_index); i >= 0 && states_[i].parent >= 0;
         i = states_[i].parent)
      steps.push_back(states_[i].step);
    std::string root = "{";
    const TypeDef* rt = states_[state_index].type;
    int i = static_cast<int>(state_index);
    while (states_[i].parent >= 0)
      i = states_[i].parent;
    rt = states_[i].type;
    if (rt == sg_.schema().mutation_type()) root = "mutation {";
    if (rt == sg_.schema().subscription_type()) root = "subscription {";
    std::string out = root + "\n";
    std::string indent = "  ";
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
      out += indent + *it + " {\n";
      indent += "  ";
    }
    out += indent + std::string(last_field) + "\n";
    for (size_t k = 0; k < steps.size(); ++k) {
      indent.resize(indent.size() - 2);
      out += indent + "}\n";
    }
    return out + "}";
  }

  void visit(size_t index) {
    const State s = states_[index];  // copy: states_ grows below
    const graphql::Schema& api = sg_.api_schema();
    const TypeDef* api_type = api.type(s.type->name);
    if (api_type == nullptr) return;
    if (s.type->is_abstract()) {
      for (const TypeDef* o : s.type->possible_types) {
        if (api.type(o->name) == nullptr) continue;
        GraphMask possible = sg_.possible_type_graphs(s.type, o);
        std::vector<Option> options;
        for (const Option& opt : s.options)
          if (has_graph(possible, opt.graph)) options.push_back(opt);
        push({o, std::move(options), static_cast<int>(index), "... on " + std::string(o->name)});
      }
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
      if (fi->resolvable_graphs == 0) continue;  // provided through an @interfaceObject
      std::vector<Option> next;
      bool found = false;
      for (size_t oi = 0; oi < s.options.size(); ++oi) {
        const Option& opt = s.options[oi];
        for_each_graph(reach[oi], [&](uint32_t h) {
          const graphql::SelectionSet* sub = nullptr;
          if (!resolvable(fi, h, h == opt.graph ? opt.provided : nullptr, &sub)) return;
          found = true;
          const FieldInGraph* fg = fi->in_graph(h);
          const graphql::SelectionSet* provided = sub;
          if (fg != nullptr && fg->provides_fields != nullptr)
            provided = fg->provides_fields->selection_set;
          next.push_back({h, provided});
        });
      }
      if (found) {
        const TypeDef* target = fi->field->type->named_type();
        if (target != nullptr && target->is_composite())
          push({target, std::move(next), static_cast<int>(index), std::string(api_field.name)});
        continue;
      }
      if (s.type->kind == graphql::TypeKind::kInterface) continue;  // checked per implementation
      std::string coordinate = std::string(s.type->name) + "." + std::string(api_field.name);
      if (!reported_.insert(coordinate).second) continue;
      ++errors_;
      std::string msg = "The following supergraph API query:\n" + query_for(index, api_field.name) +
                        "\ncannot be satisfied by the subgraphs because:";
      const TypeInfo* info = sg_.type_info(s.type);
      for (const Option& opt : s.options) {
        std::string here(sg_.subgraphs()[opt.graph].name);
        msg += "\n- from subgraph \"" + here + "\":\n  - cannot find field \"" + coordinate + "\".";
        for_each_graph(fi->resolvable_graphs, [&](uint32_t h) {
          std::string name(sg_.subgraphs()[h].name);
          bool has_key = info != nullptr && !info->keys_in(h, true).empty();
          msg += "\n  - cannot move to subgraph \"" + name + "\", which has field \"" + coordinate +
                 "\", because " +
                 (has_key ? "none of the @key defined on type \"" + std::string(s.type->name) +
                                "\" in subgraph \"" + name +
                                "\" can be satisfied from subgraph \"" + here + "\"."
                          : "type \"" + std::string(s.type->name) +
                                "\" has no @key defined in subgraph \"" + name + "\".");
        });
      }
      diag_.error("SATISFIABILITY_ERROR", msg);
    }
  }

  const Supergraph& sg_;
  Diagnostics& diag_;
  std::vector<State> states_;
  std::set<std::pair<const TypeDef*, std::vector<Option>>> seen_;
  std::set<std::string> reported_;
  int errors_ = 0;
};

}  // namespace

void check_satisfiability(const Supergraph& supergraph, Diagnostics& diag) {
  Checker(supergraph, diag).run();
}

}  // namespace orbit::federation::composition
