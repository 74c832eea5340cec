// QueryPlan: what the planner produces and the executor runs.
//
// A plan is a tree of Sequence / Parallel / Flatten / Fetch / Condition nodes:
//
//   QueryPlan {
//     Sequence {
//       Fetch(service: "accounts") {
//         { me { __typename id name } }
//       },
//       Flatten(path: "me") {
//         Fetch(service: "reviews") {
//           { ... on User { __typename id } } =>
//           { ... on User { reviews { body } } }
//         },
//       },
//     },
//   }
//
// - Fetch: one request to one subgraph. A root fetch sends `operation` as is; an entity fetch
//   (requires != null) first collects representations from the data at the enclosing
//   Flatten's path — for each object there whose __typename matches an inline fragment of
//   `requires`, the fields `requires` selects (keys, plus @requires fields) — deduplicates
//   them, and sends `operation`, which takes `$representations: [_Any!]!` and queries
//   `_entities(representations: $representations)`. Results are merged back by position.
// - Flatten: runs its child at every object reached by `path` from the response root
//   (response keys, "@" for "every item of a list", "... on T" to keep only objects of a type).
// - Sequence: children one after another (later ones read data earlier ones wrote).
// - Parallel: children concurrently (they write disjoint data).
// - Condition: runs `if_clause` when the Boolean variable is true, `else_clause` otherwise
//   (@skip/@include on a variable; printed `Include(if: $v)` / `Skip(if: $v)` when one
//   clause is null). Fetches under it may still carry the directives themselves.
//
// Response keys inside subgraph operations are chosen by the planner: a field the client asked
// for uses the client's response key; a field the planner added (keys, __typename, @requires
// inputs) uses its field name unless that collides with a client key in the same selection
// set, in which case it gets an alias recorded nowhere else than in the operation and in
// `requires` (the executor only ever reads what `requires` names). In `requires`, a field
// `alias: name` is read from the data at `alias` and written into the representation as
// `name` (representations always use field names). One more kind of alias exists only inside
// a fetch: fields that would not merge there are renamed by `FetchNode::output_rewrites`.
//
// Lifecycle: a QueryPlan owns its arena; all nodes and selection sets live in it (and may point
// into the Supergraph the plan was built from, which must outlive it — plans are cached per
// GraphSnapshot). Immutable once built; executed concurrently by many requests.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"

namespace orbit::planner {

// An entity fetch into a subgraph that knows an interface only as an object type
// (@interfaceObject): a representation collected from an object whose __typename is `from`
// is sent with __typename `to` (the interface's name) instead.
struct TypenameRewrite {
  std::string_view from;
  std::string_view to;
};

// A field the planner aliased inside one subgraph operation because it would not merge with
// a field of the same response key in a sibling fragment there (`value: String!` on one union
// member, `value: String` on another): the executor renames `alias` back to `key` in the
// fetch's data before merging it. `path` is the response keys of the objects holding the
// field, from the fetch's data (root fetch) or from each entity (entity fetch); lists on the
// way are entered item by item.
struct OutputRewrite {
  std::span<const std::string_view> path;
  std::string_view alias;
  std::string_view key;
};

enum class PlanNodeKind : uint8_t { kFetch, kSequence, kParallel, kFlatten, kCondition };

struct PlanNode {
  PlanNodeKind kind;
  explicit PlanNode(PlanNodeKind k) : kind(k) {}
};

struct FetchNode : PlanNode {
  FetchNode() : PlanNode(PlanNodeKind::kFetch) {}
  uint32_t id = 0;        // unique in the plan, in creation order (for tracing)
  uint32_t subgraph = 0;  // federation::Subgraph::index
  std::string_view subgraph_name;
  graphql::OperationType operation_kind = graphql::OperationType::kQuery;
  // The subgraph operation, minified, ready to send; `operation_name` is the name in it
  // (empty when anonymous).
  std::string_view operation;
  std::string_view operation_name;
  // Client variables the operation uses, in the order of its variable definitions. The
  // executor sends only these (plus `representations` for entity fetches).
  std::span<const std::string_view> variable_usages;
  // Entity fetches: the representations to collect: inline fragments on the entity types,
  // each selecting `__typename` and the key (and @requires) fields. Null for root fetches.
  // (Named `requires_selection`: `requires` is a C++20 keyword.)
  const graphql::SelectionSet* requires_selection = nullptr;
  // The selection the subgraph answers (for an entity fetch, what each _entities item holds),
  // used by the executor to know what this fetch contributes; same text as in `operation`.
  const graphql::SelectionSet* selection_set = nullptr;
  // Entity fetches into @interfaceObject subgraphs only; empty otherwise.
  std::span<const TypenameRewrite> representation_typenames;
  // Aliases to undo in this fetch's data, innermost first; usually empty.
  std::span<const OutputRewrite> output_rewrites;
  // Entity fetches, for an executor that sends several in one request (aliased `_entities`
  // fields): the selection on `_entities` as sent (`{... on Product{name}}`), and the
  // definitions of the client variables the operation uses, minified, parallel to
  // `variable_usages` (`$first:Int=5`).
  std::string_view entities_selection;
  std::span<const std::string_view> variable_definitions;

  bool is_entity_fetch() const { return requires_selection != nullptr; }
};

struct SequenceNode : PlanNode {
  SequenceNode() : PlanNode(PlanNodeKind::kSequence) {}
  std::span<PlanNode* const> nodes;
};

struct ParallelNode : PlanNode {
  ParallelNode() : PlanNode(PlanNodeKind::kParallel) {}
  std::span<PlanNode* const> nodes;
};

// One step of a Flatten path.
struct PathSegment {
  enum class Kind : uint8_t { kField, kList, kTypeCondition };
  Kind kind = Kind::kField;
  std::string_view name;  // response key (kField) or type name (kTypeCondition)
};

struct FlattenNode : PlanNode {
  FlattenNode() : PlanNode(PlanNodeKind::kFlatten) {}
  std::span<const PathSegment> path;
  PlanNode* node = nullptr;
};

struct ConditionNode : PlanNode {
  ConditionNode() : PlanNode(PlanNodeKind::kCondition) {}
  std::string_view variable;
  PlanNode* if_clause = nullptr;    // may be null
  PlanNode* else_clause = nullptr;  // may be null
};

class QueryPlan {
 public:
  QueryPlan() : arena_(std::make_unique<Arena>(8192)) {}

  // Null when the operation needs no fetch at all (only __typename / introspection).
  const PlanNode* root() const { return root_; }
  uint32_t fetch_count() const { return fetch_count_; }

  // The plan as indented text (the form shown above): golden tests, the
  // X-Orbit-Include-Query-Plan response extension, logs.
  std::string to_string() const;

  Arena& arena() { return *arena_; }
  // Memory held by the plan's arena (the plan cache bounds its size with it).
  size_t arena_bytes() const { return arena_->bytes_reserved(); }
  void set_root(PlanNode* root, uint32_t fetch_count) {
    root_ = root;
    fetch_count_ = fetch_count;
  }

 private:
  std::unique_ptr<Arena> arena_;
  PlanNode* root_ = nullptr;
  uint32_t fetch_count_ = 0;
};

}  // namespace orbit::planner
