// The query planner: see lib/planner/README.md for the algorithm in a page.
//
// Planning builds "fetch groups" (one future Fetch each) while walking the client operation:
// every selection is placed into the group whose subgraph fetched its parent object when
// that subgraph can resolve it, or into an entity group of another subgraph reached through
// an @key jump. Groups record the response path they merge at and the groups they depend on;
// the dependency DAG then becomes Sequence / Parallel / Flatten / Fetch nodes.
#include "orbit/planner/planner.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "orbit/graphql/parser.h"
#include "orbit/graphql/printer.h"

namespace orbit::planner {
namespace {

using federation::FieldInfo;
using federation::GraphMask;
using federation::Key;
using federation::Supergraph;
using federation::TypeInfo;
using graphql::Field;
using graphql::FieldDef;
using graphql::InlineFragment;
using graphql::Kind;
using graphql::Selection;
using graphql::SelectionSet;
using graphql::TypeDef;
using graphql::TypeKind;

// ---- @skip / @include kept on variables ------------------------------------------------------

// A condition normalization kept (NormalizeOptions::keep_variable_conditions): the selection
// is wanted when `variable` is `include` (@include(if: $v): true; @skip(if: $v): false).
struct Cond {
  std::string_view variable;
  bool include = true;
  bool operator==(const Cond&) const = default;
};
using Conds = std::vector<Cond>;

Conds conditions_of(graphql::List<graphql::Directive> directives) {
  Conds out;
  for (const graphql::Directive* d : directives) {
    bool include = d->name.value == "include";
    if (!include && d->name.value != "skip") continue;
    for (const graphql::Argument* a : d->arguments) {
      if (a->name.value == "if" && a->value != nullptr && a->value->kind == Kind::kVariable)
        out.push_back(Cond{a->value->as<graphql::Variable>()->name.value, include});
    }
  }
  return out;
}
bool has_cond(const Conds& set, const Cond& c) {
  return std::find(set.begin(), set.end(), c) != set.end();
}
void add_conds(Conds& to, const Conds& from) {
  for (const Cond& c : from) {
    if (!has_cond(to, c)) to.push_back(c);
  }
}
bool contains_all(const Conds& set, const Conds& items) {
  return std::all_of(items.begin(), items.end(), [&](const Cond& c) { return has_cond(set, c); });
}
bool same_conds(const Conds& a, const Conds& b) {
  return a.size() == b.size() && contains_all(a, b);
}
// Keeps in `set` only the conditions `other` has too.
bool narrow(Conds& set, const Conds& other) {
  size_t before = set.size();
  std::erase_if(set, [&](const Cond& c) { return !has_cond(other, c); });
  return set.size() != before;
}

// ---- the selection sets of fetches under construction ----------------------------------------

struct BSet;

struct BItem {
  bool fragment = false;
  std::string_view key;   // response key (field) or type condition (fragment)
  std::string_view name;  // field name
  graphql::List<graphql::Argument> args;
  Conds conds;                // fields: printed as @include/@skip on the variable
  std::unique_ptr<BSet> sub;  // null for leaves
};

struct BSet {
  std::vector<std::unique_ptr<BItem>> items;
};

std::string args_text(graphql::List<graphql::Argument> args) {
  std::string out;
  for (const graphql::Argument* a : args) {
    if (!out.empty()) out += ' ';
    graphql::print_minified(*a, out);
  }
  return out;
}

bool same_args(graphql::List<graphql::Argument> a, graphql::List<graphql::Argument> b) {
  if (a.empty() && b.empty()) return true;
  return args_text(a) == args_text(b);
}

using Path = std::vector<PathSegment>;

// Trailing type conditions do not change where a fetch merges (`requires` filters by
// __typename already), so they are dropped from Flatten paths and group identities.
Path merge_path(const Path& path) {
  Path out = path;
  while (!out.empty() && out.back().kind == PathSegment::Kind::kTypeCondition)
    out.pop_back();
  return out;
}

std::string path_key(const Path& path) {
  std::string out;
  for (const PathSegment& s : path) {
    out += s.kind == PathSegment::Kind::kField  ? "."
           : s.kind == PathSegment::Kind::kList ? ".@"
                                                : "|";
    out += s.name;
  }
  return out;
}

struct Group {
  uint32_t id = 0;
  uint32_t graph = 0;
  bool entity = false;
  Path path;  // merge path (entity groups)
  std::string path_id;
  Group* primary = nullptr;  // the group whose objects this one extends
  BSet body;                 // root: the root selections; entity: fragments on entity types
  BSet reqs;                 // entity: the representations, one fragment per type
  std::vector<TypenameRewrite> rewrites;
  // Conditions under which the fetch is needed at all: the plan wraps it in Include/Skip
  // nodes. Narrowed to the common part each time the group is used from elsewhere.
  Conds conds;
  bool conds_set = false;
  std::vector<Group*> parents;
  std::vector<Group*> children;
};

// Where the walk is: the group fetching the current objects and the place in its selection.
struct Pos {
  Group* group = nullptr;
  BSet* set = nullptr;
  const TypeDef* type = nullptr;           // supergraph type of the objects here
  Path path;                               // response path from the root
  const SelectionSet* client = nullptr;    // the client's selections here (collision checks)
  const SelectionSet* provides = nullptr;  // what @provides guarantees here, in group's graph
  Conds conds;    // every condition on the way from the root: the client wants this only then
  Conds pending;  // conditions the next fields added to `set` must carry (cleared one level down)
};

using Writers = std::vector<Group*>;

void add_writer(Writers& w, Group* g) {
  if (std::find(w.begin(), w.end(), g) == w.end()) w.push_back(g);
}

int list_depth(const graphql::TypeRef* t) {
  int n = 0;
  for (; t != nullptr; t = t->of_type) {
    if (t->is_list()) ++n;
  }
  return n;
}

const Field* find_client_field(const SelectionSet* set, std::string_view key) {
  if (set == nullptr) return nullptr;
  for (const Selection* s : set->selections) {
    if (s->kind == Kind::kField && s->as<Field>()->response_key() == key) return s->as<Field>();
  }
  return nullptr;
}

class Planner {
 public:
  Planner(const Supergraph& sg, const graphql::OperationDefinition& op, const PlanOptions& options)
      : sg_(sg), schema_(sg.schema()), op_(op), options_(options) {}

  Result<std::shared_ptr<const QueryPlan>> run();

 private:
  // ---- errors and bounds ----
  bool fail(ErrorCode code, std::string message) {
    if (error_.ok()) error_ = Status(code, std::move(message));
    return false;
  }
  bool count_selection() {
    if (++selections_ > options_.max_selections) {
      return fail(ErrorCode::kLimitExceeded, "Query plan is too large: more than " +
                                                 std::to_string(options_.max_selections) +
                                                 " selections in its fetches.");
    }
    return true;
  }
  std::string_view intern(std::string s) { return strings_.emplace_back(std::move(s)); }

  // ---- subgraph facts ----
  bool is_interface_object(const TypeDef* type, uint32_t graph) const {
    const TypeInfo* ti = sg_.type_info(type);
    if (ti == nullptr) return false;
    const federation::TypeInGraph* tg = ti->in_graph(graph);
    return tg != nullptr && tg->interface_object;
  }
  bool type_in_graph(const TypeDef* type, uint32_t graph) const {
    const TypeInfo* ti = sg_.type_info(type);
    return ti != nullptr && federation::has_graph(ti->graphs, graph);
  }
  // Object types that objects of `type` returned by `graph` can have.
  std::vector<const TypeDef*> possible_in(const TypeDef* type, uint32_t graph) const {
    std::vector<const TypeDef*> out;
    for (const TypeDef* o : type->possible_types) {
      if (federation::has_graph(sg_.possible_type_graphs(type, o), graph)) out.push_back(o);
    }
    return out;
  }
  static bool provided(const SelectionSet* provides, const TypeDef* type, std::string_view name,
                       const SelectionSet** sub) {
    if (provides == nullptr) return false;
    for (const Selection* s : provides->selections) {
      if (s->kind == Kind::kField) {
        const Field* f = s->as<Field>();
        if (f->name.value == name) {
          if (sub != nullptr) *sub = f->selection_set;
          return true;
        }
      } else if (s->kind == Kind::kInlineFragment) {
        const InlineFragment* f = s->as<InlineFragment>();
        if (f->type_condition == nullptr || f->type_condition->name.value == type->name) {
          if (provided(f->selection_set, type, name, sub)) return true;
        }
      }
    }
    return false;
  }
  // `graph` can resolve field `name` of `type` at a place where `provides` holds.
  bool resolvable_here(uint32_t graph, const TypeDef* type, std::string_view name,
                       const SelectionSet* provides) const {
    const FieldDef* def = type->field(name);
    if (def == nullptr) return name.starts_with("__");
    const FieldInfo* info = sg_.field_info(type, def);
    if (info == nullptr) return true;
    if (info->resolvable_in(graph)) return true;
    return federation::has_graph(info->graphs, graph) && provided(provides, type, name, nullptr);
  }
  // Like resolvable_here, for a field of an abstract type: every possible type `graph` can
  // return must resolve it too (an implementation may declare it @external there).
  bool resolvable_on_abstract(uint32_t graph, const TypeDef* type, std::string_view name,
                              const SelectionSet* provides) const {
    if (!resolvable_here(graph, type, name, provides)) return false;
    if (is_interface_object(type, graph)) return true;
    for (const TypeDef* o : possible_in(type, graph)) {
      if (o->field(name) == nullptr || !resolvable_here(graph, o, name, provides)) return false;
    }
    return true;
  }
  const SelectionSet* child_provides(uint32_t graph, const TypeDef* type, const FieldDef* def,
                                     const SelectionSet* provides) const {
    const FieldInfo* info = sg_.field_info(type, def);
    if (info != nullptr) {
      const federation::FieldInGraph* fg = info->in_graph(graph);
      if (fg != nullptr && fg->provides_fields != nullptr)
        return fg->provides_fields->selection_set;
    }
    const SelectionSet* sub = nullptr;
    if (provided(provides, type, def->name, &sub)) return sub;
    return nullptr;
  }
  const federation::FieldSet* requires_of(const TypeDef* type, std::string_view name,
                                          uint32_t graph) const {
    const FieldDef* def = type->field(name);
    if (def == nullptr) return nullptr;
    const FieldInfo* info = sg_.field_info(type, def);
    if (info == nullptr) return nullptr;
    const federation::FieldInGraph* fg = info->in_graph(graph);
    return fg == nullptr ? nullptr : fg->requires_fields;
  }
  // Every field of the field set is resolvable by `graph` at once (no jump needed).
  bool locally_available(uint32_t graph, const TypeDef* type, const SelectionSet* set,
                         const SelectionSet* provides, int depth = 0) const {
    if (set == nullptr || depth > 16) return true;
    for (const Selection* s : set->selections) {
      if (s->kind == Kind::kInlineFragment) {
        const InlineFragment* f = s->as<InlineFragment>();
        const TypeDef* t = f->type_condition ? schema_.type(f->type_condition->name.value) : type;
        if (t == nullptr || !locally_available(graph, t, f->selection_set, provides, depth + 1))
          return false;
        continue;
      }
      const Field* f = s->as<Field>();
      if (f->name.value == "__typename") continue;
      if (!resolvable_here(graph, type, f->name.value, provides)) return false;
      if (requires_of(type, f->name.value, graph) != nullptr) return false;
      if (f->selection_set != nullptr) {
        const FieldDef* def = type->field(f->name.value);
        if (!locally_available(graph, def->type->named_type(), f->selection_set,
                               child_provides(graph, type, def, provides), depth + 1))
          return false;
      }
    }
    return true;
  }
  // How much of the client's selection `graph` resolves without leaving it (a tie-breaker
  // between subgraphs that can all resolve a field), and whether the parts it cannot
  // resolve hang under entities (so a jump can reach them).
  int score(uint32_t graph, const TypeDef* type, const SelectionSet* set,
            const SelectionSet* provides, bool* reachable, int depth = 0) const {
    if (set == nullptr || depth > 4) return 0;
    int n = 0;
    for (const Selection* s : set->selections) {
      if (s->kind == Kind::kInlineFragment) {
        const InlineFragment* f = s->as<InlineFragment>();
        const TypeDef* t = f->type_condition ? schema_.type(f->type_condition->name.value) : type;
        if (t != nullptr && type_in_graph(t, graph))
          n += score(graph, t, f->selection_set, provides, reachable, depth + 1);
        continue;
      }
      const Field* f = s->as<Field>();
      if (f->name.value == "__typename") {
        ++n;
        continue;
      }
      const FieldDef* def = type->field(f->name.value);
      if (def == nullptr) continue;
      if (resolvable_here(graph, type, f->name.value, provides)) {
        ++n;
        if (f->selection_set != nullptr)
          n += score(graph, def->type->named_type(), f->selection_set,
                     child_provides(graph, type, def, provides), reachable, depth + 1);
      } else {
        const TypeInfo* ti = sg_.type_info(type);
        bool jumpable = ti != nullptr && ti->resolvable_key_graphs != 0;
        if (!jumpable && type->kind == TypeKind::kObject) {
          for (const TypeDef* i : type->interfaces) {
            const TypeInfo* ii = sg_.type_info(i);
            if (ii != nullptr && ii->resolvable_key_graphs != 0) jumpable = true;
          }
        }
        if (!jumpable && !type->is_abstract()) *reachable = false;
      }
    }
    return n;
  }

  // ---- building selections ----
  // The response key of a field the planner adds: its name, unless the client uses that key
  // for something else here.
  std::string_view planner_key(const SelectionSet* client, const Field& f) {
    const Field* c = find_client_field(client, f.name.value);
    if (c == nullptr || (c->name.value == f.name.value && same_args(c->arguments, f.arguments)))
      return f.name.value;
    for (int n = 0;; ++n) {
      std::string alias = std::string(f.name.value) + "__alias_" + std::to_string(n);
      if (find_client_field(client, alias) == nullptr) return intern(std::move(alias));
    }
  }
  BItem* add_field(BSet& set, std::string_view key, std::string_view name,
                   graphql::List<graphql::Argument> args, bool composite, bool front = false,
                   const Conds* conds = nullptr) {
    static const Conds kNone;
    const Conds& want = conds != nullptr ? *conds : kNone;
    for (auto& item : set.items) {
      if (!item->fragment && item->key == key && same_conds(item->conds, want)) return item.get();
    }
    if (!count_selection()) return nullptr;
    auto item = std::make_unique<BItem>();
    item->key = key;
    item->name = name;
    item->args = args;
    item->conds = want;
    if (composite) item->sub = std::make_unique<BSet>();
    BItem* out = item.get();
    if (front) {
      set.items.insert(set.items.begin(), std::move(item));
    } else {
      set.items.push_back(std::move(item));
    }
    return out;
  }
  BSet* add_fragment(BSet& set, std::string_view type_name) {
    for (auto& item : set.items) {
      if (item->fragment && item->key == type_name) return item->sub.get();
    }
    if (!count_selection()) return nullptr;
    auto item = std::make_unique<BItem>();
    item->fragment = true;
    item->key = type_name;
    item->sub = std::make_unique<BSet>();
    BSet* out = item->sub.get();
    set.items.push_back(std::move(item));
    return out;
  }
  bool fragment_pos(const Pos& pos, const TypeDef* type, Pos* out) {
    BSet* sub = add_fragment(*pos.set, type->name);
    if (sub == nullptr) return false;
    *out = pos;
    out->set = sub;
    out->type = type;
    out->path.push_back(PathSegment{PathSegment::Kind::kTypeCondition, type->name});
    return true;
  }
  // Mirrors a field set into `requires` with the response keys the fetches use.
  void mirror(BSet& dst, const SelectionSet* set, const SelectionSet* client) {
    if (set == nullptr) return;
    for (const Selection* s : set->selections) {
      if (s->kind == Kind::kInlineFragment) {
        const InlineFragment* f = s->as<InlineFragment>();
        if (f->type_condition == nullptr) {
          mirror(dst, f->selection_set, client);
        } else if (BSet* sub = add_fragment(dst, f->type_condition->name.value)) {
          mirror(*sub, f->selection_set, client);
        }
        continue;
      }
      const Field* f = s->as<Field>();
      std::string_view key = planner_key(client, *f);
      BItem* item = add_field(dst, key, f->name.value, f->arguments, f->selection_set != nullptr);
      if (item != nullptr && item->sub != nullptr) {
        const Field* c = key == f->name.value ? find_client_field(client, key) : nullptr;
        mirror(*item->sub, f->selection_set, c ? c->selection_set : nullptr);
      }
    }
  }

  // ---- groups ----
  Group* new_group(uint32_t graph, bool entity) {
    if (groups_.size() >= options_.max_fetches) {
      fail(ErrorCode::kLimitExceeded, "Query plan is too large: more than " +
                                          std::to_string(options_.max_fetches) + " fetches.");
      return nullptr;
    }
    auto g = std::make_unique<Group>();
    g->id = static_cast<uint32_t>(groups_.size());
    g->graph = graph;
    g->entity = entity;
    groups_.push_back(std::move(g));
    return groups_.back().get();
  }
  static void use_under(Group* g, const Conds& conds) {
    if (!g->conds_set) {
      g->conds = conds;
      g->conds_set = true;
    } else {
      narrow(g->conds, conds);
    }
  }
  static bool reaches(const Group* from, const Group* to, int depth = 0) {
    if (from == to) return true;
    if (depth > 1000) return true;  // treat absurd depth as a cycle risk
    for (const Group* c : from->children) {
      if (reaches(c, to, depth + 1)) return true;
    }
    return false;
  }
  static void link(Group* parent, Group* child) {
    if (std::find(child->parents.begin(), child->parents.end(), parent) != child->parents.end())
      return;
    child->parents.push_back(parent);
    parent->children.push_back(child);
  }
  Group* entity_group(uint32_t graph, const Pos& pos, const Writers& deps) {
    Path path = merge_path(pos.path);
    std::string id = path_key(path);
    for (auto& g : groups_) {
      if (!g->entity || g->graph != graph || g->primary != pos.group || g->path_id != id) continue;
      bool ok = true;
      for (Group* d : deps) {
        if (d == g.get() || reaches(g.get(), d)) ok = false;
      }
      if (!ok) continue;
      for (Group* d : deps)
        link(d, g.get());
      use_under(g.get(), pos.conds);
      return g.get();
    }
    Group* g = new_group(graph, true);
    if (g == nullptr) return nullptr;
    g->path = std::move(path);
    g->path_id = std::move(id);
    g->primary = pos.group;
    link(pos.group, g);
    for (Group* d : deps)
      link(d, g);
    use_under(g, pos.conds);
    return g;
  }
  bool existing_group(uint32_t graph, const Pos& pos) const {
    std::string id = path_key(merge_path(pos.path));
    for (const auto& g : groups_) {
      if (g->entity && g->graph == graph && g->primary == pos.group && g->path_id == id)
        return true;
    }
    return false;
  }

  // ---- the walk ----
  bool plan_selections(const Pos& pos, const SelectionSet* set, bool added, Writers& w,
                       uint32_t hops);
  bool plan_field(const Pos& pos, const Field& field, bool added, Writers& w, uint32_t hops);
  bool plan_fragment(const Pos& pos, const InlineFragment& frag, bool added, Writers& w,
                     uint32_t hops);
  bool add_typename(const Pos& pos, Writers& w) {
    if (add_field(*pos.set, "__typename", "__typename", {}, false) == nullptr) return false;
    add_writer(w, pos.group);
    return true;
  }

  struct Target {
    uint32_t graph = 0;
    const TypeDef* entity = nullptr;  // the type named in the entity fetch's body
    const Key* key = nullptr;
  };
  const Key* pick_key(const TypeDef* entity, uint32_t target, const Pos& pos, bool* local) const {
    const TypeInfo* ti = sg_.type_info(entity);
    if (ti == nullptr) return nullptr;
    const Key* first = nullptr;
    for (const Key* k : ti->keys_in(target, true)) {
      if (first == nullptr) first = k;
      if (locally_available(pos.group->graph, pos.type, k->fields.selection_set, pos.provides)) {
        *local = true;
        return k;
      }
    }
    *local = false;
    return first;
  }
  // Chooses where a field the current subgraph cannot resolve comes from.
  bool choose_target(const Pos& pos, const Field& field, bool allow_same, Target* out) {
    struct Cand {
      Target t;
      int rank[4];
    };
    std::vector<const TypeDef*> entities{pos.type};
    if (pos.type->kind == TypeKind::kObject) {
      for (const TypeDef* i : pos.type->interfaces)
        entities.push_back(i);
    }
    bool found = false;
    Cand best{};
    for (const auto& sub : sg_.subgraphs()) {
      uint32_t g = sub.index;
      if (g == pos.group->graph && !allow_same) continue;
      for (const TypeDef* e : entities) {
        if (!resolvable_here(g, e, field.name.value, nullptr)) continue;
        if (e != pos.type && !is_interface_object(e, g) && type_in_graph(pos.type, g)) continue;
        bool local = false;
        const Key* key = pick_key(e, g, pos, &local);
        if (key == nullptr) continue;
        const FieldDef* def = e->field(field.name.value);
        bool reachable = true;
        int s = 0;
        if (def != nullptr && field.selection_set != nullptr) {
          s = score(g, def->type->named_type(), field.selection_set,
                    child_provides(g, e, def, nullptr), &reachable);
        }
        Cand c{Target{g, e, key},
               {existing_group(g, pos) ? 1 : 0, local ? 1 : 0, reachable ? 1 : 0, s}};
        if (!found || std::lexicographical_compare(best.rank, best.rank + 4, c.rank, c.rank + 4)) {
          best = c;
          found = true;
        }
        break;
      }
    }
    if (!found) return false;
    *out = best.t;
    return true;
  }
  // Enters `t.graph` through an entity fetch at `pos` and runs `body` there.
  bool jump(const Pos& pos, const Target& t, const federation::FieldSet* required, Writers& w,
            uint32_t hops, const std::function<bool(const Pos&, Writers&)>& body) {
    if (hops >= options_.max_input_hops) {
      return fail(ErrorCode::kQueryPlanningFailed,
                  "Cannot plan the operation: reaching type \"" + std::string(pos.type->name) +
                      "\" in subgraph \"" + std::string(sg_.subgraphs()[t.graph].name) +
                      "\" needs more than " + std::to_string(options_.max_input_hops) +
                      " nested entity fetches.");
    }
    Writers deps;
    if (!add_typename(pos, deps)) return false;
    if (!plan_selections(pos, t.key->fields.selection_set, true, deps, hops + 1)) return false;
    if (required != nullptr && !plan_selections(pos, required->selection_set, true, deps, hops + 1))
      return false;
    Group* n = entity_group(t.graph, pos, deps);
    if (n == nullptr) return false;
    BSet* rep = add_fragment(n->reqs, pos.type->name);
    if (rep == nullptr) return false;
    add_field(*rep, "__typename", "__typename", {}, false);
    mirror(*rep, t.key->fields.selection_set, pos.client);
    if (required != nullptr) mirror(*rep, required->selection_set, pos.client);
    if (t.entity != pos.type && is_interface_object(t.entity, t.graph)) {
      bool seen = false;
      for (const auto& r : n->rewrites)
        seen |= r.from == pos.type->name;
      if (!seen) n->rewrites.push_back(TypenameRewrite{pos.type->name, t.entity->name});
    }
    BSet* inner_set = add_fragment(n->body, t.entity->name);
    if (inner_set == nullptr) return false;
    if (is_interface_object(pos.type, pos.group->graph) &&
        !is_interface_object(t.entity, t.graph)) {
      // The data holds the interface's name as __typename (from the @interfaceObject
      // subgraph): ask for the concrete one.
      if (add_field(*inner_set, "__typename", "__typename", {}, false, true) == nullptr)
        return false;
    }
    Pos inner{n, inner_set, t.entity, pos.path, pos.client, nullptr, {}, {}};
    // In another fetch, the fields carry every condition they are under (the fetch itself is
    // wrapped in Include/Skip only while all its uses share them).
    inner.conds = pos.conds;
    inner.pending = pos.conds;
    add_writer(w, n);
    return body(inner, w);
  }
  // From a subgraph that knows interface `pos.type` as an object (@interfaceObject) to one
  // that knows its implementations, to learn the concrete type.
  bool jump_to_interface(const Pos& pos, Writers& w, uint32_t hops,
                         const std::function<bool(const Pos&, Writers&)>& body) {
    const TypeInfo* ti = sg_.type_info(pos.type);
    bool found = false;
    Target best;
    bool best_local = false;
    for (const auto& in : ti->in_graphs) {
      if (in.interface_object || in.graph == pos.group->graph) continue;
      bool local = false;
      const Key* k = pick_key(pos.type, in.graph, pos, &local);
      if (k == nullptr) continue;
      if (!found || (local && !best_local)) {
        best = Target{in.graph, pos.type, k};
        best_local = local;
        found = true;
      }
    }
    if (!found) {
      return fail(ErrorCode::kQueryPlanningFailed,
                  "Cannot plan the operation: no subgraph resolves the concrete type of \"" +
                      std::string(pos.type->name) + "\" objects from subgraph \"" +
                      std::string(sg_.subgraphs()[pos.group->graph].name) + "\".");
    }
    return jump(pos, best, nullptr, w, hops, body);
  }
  bool add_resolved_field(const Pos& pos, const Field& field, bool added, Writers& w,
                          uint32_t hops);

  Group* root_group(uint32_t graph, bool mutation);
  bool plan_root(const SelectionSet* set, const Conds& outer);
  PlanNode* build_fetch(QueryPlan& plan, Group& g, uint32_t& fetches);

  // ---- fields that would not merge inside one subgraph operation ----
  struct Rename {
    std::vector<std::string_view> path;
    std::string_view alias;
    std::string_view key;
  };
  const graphql::TypeRef* type_in_subgraph(uint32_t graph, const TypeDef* parent,
                                           std::string_view name) const;
  void alias_unmergeable(std::vector<std::pair<BSet*, const TypeDef*>> level, uint32_t graph,
                         std::vector<std::string_view>& path, std::vector<Rename>& out, int depth);
  void print_set(const BSet& set, std::string& out, std::vector<std::string_view>& vars);

  struct Built {
    PlanNode* node = nullptr;
    std::vector<Group*> done;
    std::vector<Group*> pending;
  };
  Built process_group(QueryPlan& plan, Group* g, const std::unordered_set<Group*>& complete,
                      uint32_t& fetches, const Conds& applied);
  Built process_groups(QueryPlan& plan, std::vector<Group*> groups,
                       const std::unordered_set<Group*>& complete, uint32_t& fetches,
                       const Conds& applied);
  PlanNode* wrap(QueryPlan& plan, PlanNode* node, const Conds& conds, const Conds& applied);
  PlanNode* combine(QueryPlan& plan, std::vector<PlanNode*> nodes, bool sequence);

  const Supergraph& sg_;
  const graphql::Schema& schema_;
  const graphql::OperationDefinition& op_;
  const PlanOptions& options_;
  Status error_;
  uint64_t selections_ = 0;
  std::deque<std::string> strings_;
  std::vector<std::unique_ptr<Group>> groups_;
  std::vector<Group*> roots_;  // in order (mutations run in this order)
};

bool Planner::plan_selections(const Pos& pos, const SelectionSet* set, bool added, Writers& w,
                              uint32_t hops) {
  if (set == nullptr) return true;
  for (const Selection* s : set->selections) {
    bool ok = true;
    if (s->kind == Kind::kField) {
      ok = plan_field(pos, *s->as<Field>(), added, w, hops);
    } else if (s->kind == Kind::kInlineFragment) {
      ok = plan_fragment(pos, *s->as<InlineFragment>(), added, w, hops);
    } else {
      ok = fail(ErrorCode::kQueryPlanningFailed,
                "Cannot plan the operation: fragment spreads must be inlined before planning.");
    }
    if (!ok) return false;
  }
  return true;
}

bool Planner::plan_field(const Pos& pos, const Field& field, bool added, Writers& w,
                         uint32_t hops) {
  if (!added) {
    Conds own = conditions_of(field.directives);
    if (!own.empty() && !contains_all(pos.pending, own)) {
      Pos p = pos;
      add_conds(p.conds, own);
      add_conds(p.pending, own);
      return plan_field(p, field, added, w, hops);
    }
  }
  const uint32_t graph = pos.group->graph;
  std::string_view name = field.name.value;
  auto again = [this, &field, added, hops](const Pos& p, Writers& ww) {
    return plan_field(p, field, added, ww, hops);
  };
  if (name == "__typename") {
    if (is_interface_object(pos.type, graph)) return jump_to_interface(pos, w, hops, again);
    std::string_view key = added ? planner_key(pos.client, field) : field.response_key();
    if (add_field(*pos.set, key, name, {}, false, pos.type->is_abstract(),
                  added ? nullptr : &pos.pending) == nullptr)
      return false;
    add_writer(w, pos.group);
    return true;
  }
  const FieldDef* def = pos.type->field(name);
  if (def == nullptr && pos.type->is_abstract()) {
    // Normalization flattens `... on I` where I is a supertype of every possible type of a
    // union: the field then sits on the union itself. Ask for it per concrete type.
    for (const TypeDef* o : possible_in(pos.type, graph)) {
      Pos p;
      if (o->field(name) == nullptr) continue;
      if (!fragment_pos(pos, o, &p) || !plan_field(p, field, added, w, hops)) return false;
    }
    return true;
  }
  if (def == nullptr) {
    return fail(ErrorCode::kQueryPlanningFailed,
                "Cannot plan the operation: type \"" + std::string(pos.type->name) +
                    "\" has no field \"" + std::string(name) + "\" in the supergraph.");
  }
  if (pos.type->is_abstract() && !is_interface_object(pos.type, graph) &&
      !resolvable_on_abstract(graph, pos.type, name, pos.provides)) {
    // Some possible type cannot resolve it here: ask per concrete type.
    for (const TypeDef* o : possible_in(pos.type, graph)) {
      Pos p;
      if (!fragment_pos(pos, o, &p) || !plan_field(p, field, added, w, hops)) return false;
    }
    return true;
  }
  const federation::FieldSet* required = requires_of(pos.type, name, graph);
  bool here = resolvable_here(graph, pos.type, name, pos.provides) &&
              (required == nullptr ||
               locally_available(graph, pos.type, required->selection_set, pos.provides));
  if (here && required == nullptr && field.selection_set != nullptr) {
    // A shareable field whose sub-selection cannot be completed from here (a value type
    // with fields elsewhere) is better taken from a subgraph that can.
    bool reachable = true;
    score(graph, def->type->named_type(), field.selection_set,
          child_provides(graph, pos.type, def, pos.provides), &reachable);
    if (!reachable) {
      Target t;
      if (choose_target(pos, field, false, &t)) {
        bool r2 = true;
        score(t.graph, t.entity->field(name)->type->named_type(), field.selection_set, nullptr,
              &r2);
        if (r2) here = false;
      }
    }
  }
  if (here) return add_resolved_field(pos, field, added, w, hops);

  Target t;
  if (!choose_target(pos, field, required != nullptr, &t)) {
    return fail(ErrorCode::kQueryPlanningFailed,
                "Cannot plan the operation: no subgraph can resolve field \"" +
                    std::string(pos.type->name) + "." + std::string(name) + "\" from subgraph \"" +
                    std::string(sg_.subgraphs()[graph].name) + "\".");
  }
  const federation::FieldSet* target_required = requires_of(t.entity, name, t.graph);
  return jump(pos, t, target_required, w, hops,
              [this, &field, added, hops](const Pos& p, Writers& ww) {
                return add_resolved_field(p, field, added, ww, hops);
              });
}

bool Planner::add_resolved_field(const Pos& pos, const Field& field, bool added, Writers& w,
                                 uint32_t hops) {
  const uint32_t graph = pos.group->graph;
  const FieldDef* def = pos.type->field(field.name.value);
  const TypeDef* type = def->type->named_type();
  bool composite = type->is_composite();
  std::string_view key = added ? planner_key(pos.client, field) : field.response_key();
  BItem* item = add_field(*pos.set, key, field.name.value, field.arguments, composite, false,
                          added ? nullptr : &pos.pending);
  if (item == nullptr) return false;
  add_writer(w, pos.group);
  if (!composite) return true;
  Pos child;
  child.group = pos.group;
  child.set = item->sub.get();
  child.type = type;
  child.conds = pos.conds;
  child.path = pos.path;
  child.path.push_back(PathSegment{PathSegment::Kind::kField, key});
  for (int i = list_depth(def->type); i > 0; --i)
    child.path.push_back(PathSegment{PathSegment::Kind::kList, "@"});
  if (added) {
    const Field* c = key == field.name.value ? find_client_field(pos.client, key) : nullptr;
    child.client = c != nullptr ? c->selection_set : nullptr;
  } else {
    child.client = field.selection_set;
  }
  child.provides = child_provides(graph, pos.type, def, pos.provides);
  if (type->is_abstract() && !is_interface_object(type, graph)) {
    if (add_field(*child.set, "__typename", "__typename", {}, false, true) == nullptr) return false;
  }
  if (field.selection_set == nullptr || field.selection_set->selections.empty()) {
    // Everything below was skipped: the response still holds an object.
    return add_field(*child.set, "__typename", "__typename", {}, false) != nullptr;
  }
  return plan_selections(child, field.selection_set, added, w, hops);
}

bool Planner::plan_fragment(const Pos& pos, const InlineFragment& frag, bool added, Writers& w,
                            uint32_t hops) {
  if (!added) {
    // A condition on a fragment goes onto the fields inside it.
    Conds own = conditions_of(frag.directives);
    if (!own.empty() && !contains_all(pos.pending, own)) {
      Pos p = pos;
      add_conds(p.conds, own);
      add_conds(p.pending, own);
      return plan_fragment(p, frag, added, w, hops);
    }
  }
  const uint32_t graph = pos.group->graph;
  const TypeDef* x = frag.type_condition ? schema_.type(frag.type_condition->name.value) : pos.type;
  if (x == nullptr) {
    return fail(ErrorCode::kQueryPlanningFailed, "Cannot plan the operation: unknown type \"" +
                                                     std::string(frag.type_condition->name.value) +
                                                     "\".");
  }
  if (x == pos.type) return plan_selections(pos, frag.selection_set, added, w, hops);
  if (is_interface_object(pos.type, graph)) {
    return jump_to_interface(pos, w, hops, [this, &frag, added, hops](const Pos& p, Writers& ww) {
      return plan_fragment(p, frag, added, ww, hops);
    });
  }
  if (!x->is_abstract()) {
    if (!federation::has_graph(sg_.possible_type_graphs(pos.type, x), graph)) {
      // Objects from this subgraph are never of type x here.
      return true;
    }
    Pos p;
    return fragment_pos(pos, x, &p) && plan_selections(p, frag.selection_set, added, w, hops);
  }
  if (!pos.type->is_abstract()) {
    // A fragment on an interface/union the object type belongs to: its fields are the
    // object's fields.
    return plan_selections(pos, frag.selection_set, added, w, hops);
  }
  if (type_in_graph(x, graph) && !is_interface_object(x, graph)) {
    Pos p;
    return fragment_pos(pos, x, &p) && plan_selections(p, frag.selection_set, added, w, hops);
  }
  for (const TypeDef* o : possible_in(pos.type, graph)) {
    if (!schema_.is_possible_type(x, o)) continue;
    Pos p;
    if (!fragment_pos(pos, o, &p) || !plan_selections(p, frag.selection_set, added, w, hops))
      return false;
  }
  return true;
}

Group* Planner::root_group(uint32_t graph, bool mutation) {
  if (mutation) {
    if (!roots_.empty() && roots_.back()->graph == graph) return roots_.back();
  } else {
    for (Group* g : roots_) {
      if (g->graph == graph) return g;
    }
  }
  Group* g = new_group(graph, false);
  if (g != nullptr) roots_.push_back(g);
  return g;
}

bool Planner::plan_root(const SelectionSet* set, const Conds& outer) {
  const TypeDef* root = schema_.root_type(op_.operation);
  if (root == nullptr) {
    return fail(ErrorCode::kQueryPlanningFailed,
                "Cannot plan the operation: the supergraph has no " +
                    std::string(graphql::operation_type_name(op_.operation)) + " type.");
  }
  const bool mutation = op_.operation == graphql::OperationType::kMutation;
  for (const Selection* s : set->selections) {
    if (s->kind == Kind::kInlineFragment) {
      Conds conds = outer;
      add_conds(conds, conditions_of(s->as<InlineFragment>()->directives));
      if (!plan_root(s->as<InlineFragment>()->selection_set, conds)) return false;
      continue;
    }
    if (s->kind != Kind::kField) {
      return fail(ErrorCode::kQueryPlanningFailed,
                  "Cannot plan the operation: fragment spreads must be inlined before planning.");
    }
    const Field& f = *s->as<Field>();
    // __typename, __schema and __type of the root are answered by the router itself.
    if (f.name.value.starts_with("__")) continue;
    const FieldDef* def = root->field(f.name.value);
    const FieldInfo* info = def ? sg_.field_info(root, def) : nullptr;
    if (info == nullptr || info->resolvable_graphs == 0) {
      return fail(ErrorCode::kQueryPlanningFailed,
                  "Cannot plan the operation: no subgraph "
                  "resolves root field \"" +
                      std::string(root->name) + "." + std::string(f.name.value) + "\".");
    }
    int best = -1;
    int best_rank[3] = {0, 0, 0};
    federation::for_each_graph(info->resolvable_graphs, [&](uint32_t g) {
      bool reachable = true;
      int s = f.selection_set ? score(g, def->type->named_type(), f.selection_set,
                                      child_provides(g, root, def, nullptr), &reachable)
                              : 0;
      bool used = false;
      if (mutation) {
        used = !roots_.empty() && roots_.back()->graph == g;
      } else {
        for (Group* r : roots_)
          used |= r->graph == g;
      }
      int rank[3] = {used ? 1 : 0, reachable ? 1 : 0, s};
      if (best < 0 || std::lexicographical_compare(best_rank, best_rank + 3, rank, rank + 3)) {
        best = static_cast<int>(g);
        std::copy(rank, rank + 3, best_rank);
      }
    });
    Group* g = root_group(static_cast<uint32_t>(best), mutation);
    if (g == nullptr) return false;
    Pos pos{g, &g->body, root, {}, op_.selection_set, nullptr, {}, {}};
    pos.conds = outer;
    add_conds(pos.conds, conditions_of(f.directives));
    pos.pending = pos.conds;
    use_under(g, pos.conds);
    Writers w;
    if (!add_resolved_field(pos, f, false, w, 0)) return false;
  }
  return true;
}

// ---- plan output ----------------------------------------------------------------------------

void collect_variables(const graphql::Value* v, std::vector<std::string_view>& vars) {
  if (v == nullptr) return;
  switch (v->kind) {
    case Kind::kVariable: {
      std::string_view n = v->as<graphql::Variable>()->name.value;
      if (std::find(vars.begin(), vars.end(), n) == vars.end()) vars.push_back(n);
      break;
    }
    case Kind::kListValue:
      for (const graphql::Value* item : v->as<graphql::ListValue>()->values)
        collect_variables(item, vars);
      break;
    case Kind::kObjectValue:
      for (const graphql::ObjectField* f : v->as<graphql::ObjectValue>()->fields)
        collect_variables(f->value, vars);
      break;
    default: break;
  }
}

void Planner::print_set(const BSet& set, std::string& out, std::vector<std::string_view>& vars) {
  out += '{';
  bool first = true;
  for (const auto& item : set.items) {
    if (!first) out += ' ';
    first = false;
    if (item->fragment) {
      out += "...on ";
      out += item->key;
    } else {
      if (item->key != item->name) {
        out += item->key;
        out += ':';
      }
      out += item->name;
      if (!item->args.empty()) {
        out += '(';
        out += args_text(item->args);
        out += ')';
        for (const graphql::Argument* a : item->args)
          collect_variables(a->value, vars);
      }
      for (const Cond& c : item->conds) {
        out += c.include ? "@include(if:$" : "@skip(if:$";
        out += c.variable;
        out += ')';
        if (std::find(vars.begin(), vars.end(), c.variable) == vars.end())
          vars.push_back(c.variable);
      }
    }
    if (item->sub != nullptr) {
      if (item->sub->items.empty()) {
        out += "{__typename}";
      } else {
        print_set(*item->sub, out, vars);
      }
    }
  }
  out += '}';
}

// ---- fields that would not merge inside one subgraph operation ------------------------------

// The type `graph` declares for `parent.name` (the supergraph's when it says nothing else).
const graphql::TypeRef* Planner::type_in_subgraph(uint32_t graph, const TypeDef* parent,
                                                  std::string_view name) const {
  if (parent == nullptr) return nullptr;
  const FieldDef* def = parent->field(name);
  if (def == nullptr) return nullptr;
  if (const FieldInfo* info = sg_.field_info(parent, def)) {
    const federation::FieldInGraph* fg = info->in_graph(graph);
    if (fg != nullptr && fg->type != nullptr) return fg->type;
  }
  return def->type;
}

// Two field types give responses of different shapes (the spec's SameResponseShape, without
// the sub-selections, which are checked one level down): differing list or non-null wrappers,
// or different leaf types.
bool shapes_differ(const graphql::TypeRef* a, const graphql::TypeRef* b) {
  while (a != nullptr && b != nullptr) {
    if (a->is_non_null() != b->is_non_null() || a->is_list() != b->is_list()) return true;
    if (!a->is_non_null() && !a->is_list()) break;
    a = a->of_type;
    b = b->of_type;
  }
  if (a == nullptr || b == nullptr) return a != b;
  const TypeDef* x = a->named_type();
  const TypeDef* y = b->named_type();
  if (x == nullptr || y == nullptr) return x != y;
  if (x->is_composite() && y->is_composite()) return false;
  return x != y;
}

void collect_level(const graphql::Schema& schema, BSet& set, const TypeDef* parent,
                   std::vector<std::pair<BItem*, const TypeDef*>>& out) {
  for (auto& item : set.items) {
    if (item->fragment) {
      const TypeDef* t = schema.type(item->key);
      collect_level(schema, *item->sub, t != nullptr ? t : parent, out);
    } else {
      out.emplace_back(item.get(), parent);
    }
  }
}

// The client's operation is valid against the supergraph, where a field has one merged type;
// inside one subgraph the same response key may name fields of different shapes in sibling
// fragments (`... on Post { value }` `... on Poll { value }` with `String!` and `String`),
// which that subgraph would reject. Every field of such a level whose shape differs from the
// first one's is aliased, and the alias is undone in the fetch's data by the executor.
void Planner::alias_unmergeable(std::vector<std::pair<BSet*, const TypeDef*>> level, uint32_t graph,
                                std::vector<std::string_view>& path, std::vector<Rename>& out,
                                int depth) {
  if (depth > 256) return;  // deeper than any operation the limits let through
  std::vector<std::pair<BItem*, const TypeDef*>> fields;
  for (auto& [set, parent] : level)
    collect_level(schema_, *set, parent, fields);
  std::vector<bool> done(fields.size(), false);
  auto key_used = [&fields](std::string_view k) {
    return std::any_of(fields.begin(), fields.end(),
                       [k](const auto& f) { return f.first->key == k; });
  };
  for (size_t i = 0; i < fields.size(); ++i) {
    if (done[i]) continue;
    const std::string_view key = fields[i].first->key;
    // Classes of mutually mergeable fields with this key; the first keeps the key.
    std::vector<std::vector<size_t>> classes;
    std::vector<const graphql::TypeRef*> shapes;
    for (size_t j = i; j < fields.size(); ++j) {
      if (done[j] || fields[j].first->key != key) continue;
      done[j] = true;
      const graphql::TypeRef* t = type_in_subgraph(graph, fields[j].second, fields[j].first->name);
      size_t c = 0;
      while (c < classes.size() && t != nullptr && shapes[c] != nullptr &&
             shapes_differ(shapes[c], t))
        ++c;
      if (c == classes.size()) {
        classes.emplace_back();
        shapes.push_back(t);
      }
      classes[c].push_back(j);
    }
    for (size_t c = 0; c < classes.size(); ++c) {
      std::string_view k = key;
      if (c > 0) {
        for (int n = 0;; ++n) {
          std::string alias = std::string(key) + "__alias_" + std::to_string(n);
          if (!key_used(alias)) {
            k = intern(std::move(alias));
            break;
          }
        }
        for (size_t j : classes[c])
          fields[j].first->key = k;
      }
      std::vector<std::pair<BSet*, const TypeDef*>> below;
      for (size_t j : classes[c]) {
        BItem* item = fields[j].first;
        if (item->sub == nullptr) continue;
        const TypeDef* parent = fields[j].second;
        const FieldDef* def = parent != nullptr ? parent->field(item->name) : nullptr;
        below.emplace_back(item->sub.get(), def != nullptr ? def->type->named_type() : nullptr);
      }
      if (!below.empty()) {
        path.push_back(k);
        alias_unmergeable(std::move(below), graph, path, out, depth + 1);
        path.pop_back();
      }
      // Recorded after the levels below: the executor renames innermost first, while the
      // paths below still hold this alias.
      if (c > 0) out.push_back(Rename{path, k, key});
    }
  }
}

std::string sanitize_name(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out += ok ? c : '_';
  }
  return out;
}

PlanNode* Planner::build_fetch(QueryPlan& plan, Group& g, uint32_t& fetches) {
  Arena& arena = plan.arena();
  std::vector<Rename> renames;
  {
    std::vector<std::string_view> at;
    const TypeDef* parent = g.entity ? nullptr : schema_.root_type(op_.operation);
    alias_unmergeable({{&g.body, parent}}, g.graph, at, renames, 0);
  }
  std::vector<std::string_view> used;
  std::string body;
  if (g.body.items.empty()) {
    body = "{__typename}";
  } else {
    print_set(g.body, body, used);
  }
  std::string text = g.entity ? "query" : std::string(graphql::operation_type_name(op_.operation));
  std::string name;
  if (!op_.name.empty()) {
    name = std::string(op_.name.value) + "__" + sanitize_name(sg_.subgraphs()[g.graph].name) +
           "__" + std::to_string(fetches);
    text += ' ';
    text += name;
  }
  std::vector<std::string_view> ordered;
  std::vector<std::string_view> definitions;
  std::string var_text;
  if (g.entity) var_text += "$representations:[_Any!]!";
  for (const graphql::VariableDefinition* vd : op_.variable_definitions) {
    std::string_view n = vd->variable->name.value;
    if (std::find(used.begin(), used.end(), n) == used.end()) continue;
    ordered.push_back(n);
    if (!var_text.empty()) var_text += ' ';
    size_t begin = var_text.size();
    graphql::print_minified(*vd, var_text);
    definitions.push_back(arena.copy_string(std::string_view(var_text).substr(begin)));
  }
  if (!var_text.empty()) text += "(" + var_text + ")";
  if (g.entity) {
    text += "{_entities(representations:$representations)" + body + "}";
  } else {
    text += body;
  }

  std::string_view source = arena.copy_string(text);
  graphql::ParseOptions po;
  po.max_depth = 100000;
  graphql::ParseResult parsed = graphql::parse(source, arena, po);
  if (!parsed.ok() || parsed.document->definitions.empty()) {
    fail(ErrorCode::kInternal, "query planner produced an invalid subgraph operation: " +
                                   parsed.error.message + " in " + text);
    return nullptr;
  }
  const auto* op = parsed.document->definitions[0]->as<graphql::OperationDefinition>();

  auto* fetch = arena.make<FetchNode>();
  fetch->id = fetches++;
  fetch->subgraph = g.graph;
  fetch->subgraph_name = sg_.subgraphs()[g.graph].name;
  fetch->operation_kind = g.entity ? graphql::OperationType::kQuery : op_.operation;
  fetch->operation = arena.copy_string(graphql::print_minified(*op));
  if (!name.empty()) fetch->operation_name = arena.copy_string(name);
  std::vector<std::string_view> usages;
  for (std::string_view n : ordered)
    usages.push_back(arena.copy_string(n));
  fetch->variable_usages = arena.copy_span<std::string_view>(usages);
  fetch->variable_definitions = arena.copy_span<std::string_view>(definitions);
  if (!renames.empty()) {
    std::vector<OutputRewrite> rewrites;
    for (const Rename& r : renames) {
      std::vector<std::string_view> path;
      for (std::string_view k : r.path)
        path.push_back(arena.copy_string(k));
      rewrites.push_back(OutputRewrite{arena.copy_span<std::string_view>(path),
                                       arena.copy_string(r.alias), arena.copy_string(r.key)});
    }
    fetch->output_rewrites = arena.copy_span<OutputRewrite>(rewrites);
  }
  if (g.entity) {
    fetch->selection_set = op->selection_set->selections[0]->as<Field>()->selection_set;
    fetch->entities_selection = arena.copy_string(graphql::print_minified(*fetch->selection_set));
    std::string req;
    std::vector<std::string_view> ignored;
    print_set(g.reqs, req, ignored);
    std::string_view req_source = arena.copy_string(req);
    graphql::ParseResult rp = graphql::parse(req_source, arena, po);
    if (!rp.ok()) {
      fail(ErrorCode::kInternal, "query planner produced invalid representations: " + req);
      return nullptr;
    }
    fetch->requires_selection =
        rp.document->definitions[0]->as<graphql::OperationDefinition>()->selection_set;
    std::vector<TypenameRewrite> rw;
    for (const auto& r : g.rewrites)
      rw.push_back(TypenameRewrite{arena.copy_string(r.from), arena.copy_string(r.to)});
    fetch->representation_typenames = arena.copy_span<TypenameRewrite>(rw);
    auto* flatten = arena.make<FlattenNode>();
    std::vector<PathSegment> path;
    for (const PathSegment& s : g.path)
      path.push_back(PathSegment{s.kind, arena.copy_string(s.name)});
    flatten->path = arena.copy_span<PathSegment>(path);
    flatten->node = fetch;
    return flatten;
  }
  fetch->selection_set = op->selection_set;
  return fetch;
}

PlanNode* Planner::combine(QueryPlan& plan, std::vector<PlanNode*> nodes, bool sequence) {
  std::vector<PlanNode*> flat;
  PlanNodeKind kind = sequence ? PlanNodeKind::kSequence : PlanNodeKind::kParallel;
  for (PlanNode* n : nodes) {
    if (n == nullptr) continue;
    if (n->kind == kind) {
      auto children =
          sequence ? static_cast<SequenceNode*>(n)->nodes : static_cast<ParallelNode*>(n)->nodes;
      flat.insert(flat.end(), children.begin(), children.end());
    } else {
      flat.push_back(n);
    }
  }
  if (flat.empty()) return nullptr;
  if (flat.size() == 1) return flat[0];
  auto span = plan.arena().copy_span<PlanNode*>(flat);
  if (sequence) {
    auto* s = plan.arena().make<SequenceNode>();
    s->nodes = span;
    return s;
  }
  auto* p = plan.arena().make<ParallelNode>();
  p->nodes = span;
  return p;
}

// Wraps `node` in one Include/Skip node per condition not already `applied` above it.
PlanNode* Planner::wrap(QueryPlan& plan, PlanNode* node, const Conds& conds, const Conds& applied) {
  for (auto it = conds.rbegin(); it != conds.rend(); ++it) {
    if (node == nullptr || has_cond(applied, *it)) continue;
    auto* c = plan.arena().make<ConditionNode>();
    c->variable = plan.arena().copy_string(it->variable);
    (it->include ? c->if_clause : c->else_clause) = node;
    node = c;
  }
  return node;
}

Planner::Built Planner::process_group(QueryPlan& plan, Group* g,
                                      const std::unordered_set<Group*>& complete, uint32_t& fetches,
                                      const Conds& applied) {
  Built out;
  Conds inside = applied;
  add_conds(inside, g->conds);
  out.node = build_fetch(plan, *g, fetches);
  out.done.push_back(g);
  std::unordered_set<Group*> after = complete;
  after.insert(g);
  std::vector<Group*> ready;
  for (Group* c : g->children) {
    bool all = std::all_of(c->parents.begin(), c->parents.end(),
                           [&](Group* p) { return after.count(p) != 0; });
    (all ? ready : out.pending).push_back(c);
  }
  if (!ready.empty()) {
    // Children need at least this fetch's conditions: they go inside its Include/Skip.
    Built rest = process_groups(plan, ready, after, fetches, inside);
    out.node = combine(plan, {out.node, rest.node}, true);
    out.done.insert(out.done.end(), rest.done.begin(), rest.done.end());
    out.pending.insert(out.pending.end(), rest.pending.begin(), rest.pending.end());
  }
  out.node = wrap(plan, out.node, g->conds, applied);
  return out;
}

Planner::Built Planner::process_groups(QueryPlan& plan, std::vector<Group*> groups,
                                       const std::unordered_set<Group*>& complete,
                                       uint32_t& fetches, const Conds& applied) {
  Built out;
  std::vector<PlanNode*> nodes;
  std::vector<Group*> pending;
  for (Group* g : groups) {
    Built b = process_group(plan, g, complete, fetches, applied);
    nodes.push_back(b.node);
    out.done.insert(out.done.end(), b.done.begin(), b.done.end());
    pending.insert(pending.end(), b.pending.begin(), b.pending.end());
  }
  out.node = combine(plan, nodes, false);
  std::unordered_set<Group*> after = complete;
  after.insert(out.done.begin(), out.done.end());
  std::vector<Group*> ready;
  for (Group* p : pending) {
    if (after.count(p) != 0 || std::find(ready.begin(), ready.end(), p) != ready.end() ||
        std::find(out.pending.begin(), out.pending.end(), p) != out.pending.end())
      continue;
    bool all = std::all_of(p->parents.begin(), p->parents.end(),
                           [&](Group* q) { return after.count(q) != 0; });
    (all ? ready : out.pending).push_back(p);
  }
  if (!ready.empty()) {
    Built rest = process_groups(plan, ready, after, fetches, applied);
    out.node = combine(plan, {out.node, rest.node}, true);
    out.done.insert(out.done.end(), rest.done.begin(), rest.done.end());
    for (Group* p : rest.pending) {
      if (std::find(out.pending.begin(), out.pending.end(), p) == out.pending.end())
        out.pending.push_back(p);
    }
  }
  return out;
}

Result<std::shared_ptr<const QueryPlan>> Planner::run() {
  if (op_.selection_set == nullptr) {
    return Status(ErrorCode::kQueryPlanningFailed, "Cannot plan the operation: it is empty.");
  }
  if (op_.operation == graphql::OperationType::kSubscription) {
    return Status(ErrorCode::kQueryPlanningFailed,
                  "Cannot plan the operation: subscriptions are not supported yet.");
  }
  if (!plan_root(op_.selection_set, {})) return error_;
  // A fetch that another one needs is needed under no more conditions than that one.
  for (bool changed = true; changed;) {
    changed = false;
    for (auto& g : groups_) {
      for (Group* c : g->children)
        changed |= narrow(g->conds, c->conds);
    }
  }

  auto plan = std::make_shared<QueryPlan>();
  uint32_t fetches = 0;
  std::unordered_set<Group*> done;
  std::vector<PlanNode*> stages;
  std::vector<Group*> pending;
  auto run_stage = [&](std::vector<Group*> groups) {
    Built b = process_groups(*plan, std::move(groups), done, fetches, {});
    stages.push_back(b.node);
    done.insert(b.done.begin(), b.done.end());
    pending = b.pending;
  };
  if (op_.operation == graphql::OperationType::kMutation) {
    for (Group* r : roots_) {
      run_stage({r});
      if (!pending.empty()) break;
    }
  } else if (!roots_.empty()) {
    run_stage(roots_);
  }
  if (!error_.ok()) return error_;
  if (!pending.empty() || done.size() != groups_.size()) {
    return Status(ErrorCode::kInternal,
                  "query planner bug: fetch dependencies could not be ordered");
  }
  plan->set_root(combine(*plan, stages, true), fetches);
  return std::shared_ptr<const QueryPlan>(std::move(plan));
}

}  // namespace

Result<std::shared_ptr<const QueryPlan>> plan_operation(
    const federation::Supergraph& supergraph, const graphql::OperationDefinition& operation,
    const PlanOptions& options) {
  Planner planner(supergraph, operation, options);
  return planner.run();
}

}  // namespace orbit::planner
