// Supergraph: a federated supergraph SDL loaded into a graphql::Schema, with its federation
// metadata (join spec) resolved into plain structures for the query planner, and the API
// schema clients see.
//
// Consumes: supergraph SDL as written by @apollo/composition, @theguild/federation-composition
// (Federation v2: @link, join v0.2–v0.5) or Federation v1 composition (@core, join v0.1).
// Produces: an immutable Supergraph: schema() (everything, join__* included), the per-type
// and per-field metadata (which subgraphs define/resolve what, keys, requires, provides,
// overrides…) pointing into schema(), and api_schema() (federation machinery and
// @inaccessible elements removed).
//
// Lifecycle: Supergraph::load() validates everything it extracts; a supergraph it accepts
// cannot make a later lookup fail or assert. All pointers and string_views handed out
// (TypeDef, FieldDef, field-set selection sets, names) stay valid for the Supergraph's
// lifetime. Immutable after load: share it freely across threads (the router keeps it in its
// GraphSnapshot).
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/federation/link.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::federation {

// A set of subgraphs: bit i is the subgraph with index i. A fixed-size bitset of
// kMaxSubgraphs bits (no allocation, trivially copyable); supergraphs with more subgraphs are
// rejected at load. Operations touch every word, so they cost a few instructions more than one
// uint64_t would; masks are built at load and read by the planner only when a plan is made.
inline constexpr uint32_t kMaxSubgraphs = 256;

class GraphMask {
 public:
  static constexpr uint32_t kWords = kMaxSubgraphs / 64;

  constexpr GraphMask() = default;
  // The subgraphs 0..63 given as bits of `low` (so that `GraphMask m = 0;` reads as empty).
  constexpr GraphMask(uint64_t low) : words_{low} {}  // NOLINT(google-explicit-constructor)

  constexpr bool test(uint32_t index) const {
    return index < kMaxSubgraphs && ((words_[index >> 6] >> (index & 63)) & 1U) != 0;
  }
  constexpr void set(uint32_t index) {
    if (index < kMaxSubgraphs) words_[index >> 6] |= uint64_t{1} << (index & 63);
  }
  constexpr bool empty() const {
    for (uint64_t w : words_)
      if (w != 0) return false;
    return true;
  }
  explicit constexpr operator bool() const { return !empty(); }
  int count() const {
    int n = 0;
    for (uint64_t w : words_)
      n += std::popcount(w);
    return n;
  }
  // Calls f(index) for every subgraph in the set, lowest index first.
  template <typename F>
  void for_each(F&& f) const {
    for (uint32_t i = 0; i < kWords; ++i) {
      uint64_t w = words_[i];
      while (w != 0) {
        f(static_cast<uint32_t>(i * 64 + std::countr_zero(w)));
        w &= w - 1;
      }
    }
  }

  constexpr GraphMask& operator|=(const GraphMask& o) {
    for (uint32_t i = 0; i < kWords; ++i)
      words_[i] |= o.words_[i];
    return *this;
  }
  constexpr GraphMask& operator&=(const GraphMask& o) {
    for (uint32_t i = 0; i < kWords; ++i)
      words_[i] &= o.words_[i];
    return *this;
  }
  constexpr GraphMask operator~() const {
    GraphMask m;
    for (uint32_t i = 0; i < kWords; ++i)
      m.words_[i] = ~words_[i];
    return m;
  }
  friend constexpr GraphMask operator|(GraphMask a, const GraphMask& b) { return a |= b; }
  friend constexpr GraphMask operator&(GraphMask a, const GraphMask& b) { return a &= b; }
  friend constexpr bool operator==(const GraphMask&, const GraphMask&) = default;

 private:
  std::array<uint64_t, kWords> words_{};
};

inline constexpr GraphMask graph_bit(uint32_t index) {
  GraphMask m;
  m.set(index);
  return m;
}
inline constexpr bool has_graph(const GraphMask& mask, uint32_t index) {
  return mask.test(index);
}
inline int graph_count(const GraphMask& mask) {
  return mask.count();
}

// Calls f(index) for every subgraph in the mask, lowest index first.
template <typename F>
void for_each_graph(const GraphMask& mask, F&& f) {
  mask.for_each(std::forward<F>(f));
}

struct Subgraph {
  uint32_t index = 0;           // position in Supergraph::subgraphs() and bit in GraphMask
  std::string_view name;        // @join__graph(name:), e.g. "products"
  std::string_view enum_value;  // the join__Graph value, e.g. "PRODUCTS"
  std::string_view url;         // @join__graph(url:); may be empty
};

// A field set (a @key's fields, @requires, @provides) parsed once at load and checked against
// its type: every field exists, leaves have no selection, composites have one.
struct FieldSet {
  std::string_view text;                                 // as written in the supergraph
  const graphql::SelectionSet* selection_set = nullptr;  // braces added; in the supergraph's arena
  const graphql::TypeDef* parent = nullptr;              // the type the selections apply to
};

struct Key {
  uint32_t graph = 0;
  FieldSet fields;
  bool resolvable = true;  // false: the subgraph references the entity but cannot fetch it
  bool extension = false;  // the subgraph declared the type as an extension
  const graphql::Directive* source = nullptr;  // the @join__type application (for locations)
};

// A type's membership in one subgraph (from @join__type).
struct TypeInGraph {
  uint32_t graph = 0;
  bool interface_object = false;  // an interface of the supergraph, an object in this subgraph
  bool extension = false;
};

// An interface/union relation as one subgraph knows it (@join__implements,
// @join__unionMember; derived from type membership for old join versions).
struct TypeRelation {
  const graphql::TypeDef* type = nullptr;  // the interface implemented, or the union member
  GraphMask graphs = 0;
};

struct TypeInfo {
  const graphql::TypeDef* type = nullptr;
  // Subgraphs defining the type. Types without @join__type (Federation v1 value types, and
  // built-ins) belong to every subgraph.
  GraphMask graphs = 0;
  std::vector<TypeInGraph> in_graphs;   // one per subgraph in `graphs`, by graph index
  std::vector<Key> keys;                // in supergraph order
  GraphMask key_graphs = 0;             // subgraphs with at least one key
  GraphMask resolvable_key_graphs = 0;  // subgraphs that can resolve the entity by a key
  GraphMask interface_object_graphs = 0;
  int owner_graph = -1;  // Federation v1 @join__owner, or -1
  // Object/interface: the interfaces it implements, per subgraph.
  std::vector<TypeRelation> implements;
  // Interface: the object and interface types implementing it, per subgraph (inverse of
  // `implements`). Union: its members, per subgraph.
  std::vector<TypeRelation> possible;
  // Enum: parallel to type->enum_values, the subgraphs that define each value.
  std::vector<GraphMask> enum_value_graphs;
  bool inaccessible = false;
  std::vector<std::string_view> tags;  // @tag(name:) values

  bool is_entity() const { return !keys.empty(); }
  bool is_value_type() const { return keys.empty(); }
  const TypeInGraph* in_graph(uint32_t graph) const;
  // Keys usable to enter the type in `graph` (resolvable ones only when resolvable_only).
  std::vector<const Key*> keys_in(uint32_t graph, bool resolvable_only = true) const;
};

// A field as one subgraph declares it (one @join__field, or implied by @join__type when the
// field has no @join__field).
struct FieldInGraph {
  uint32_t graph = 0;
  // (`requires` is a C++20 keyword, hence the names.)
  const FieldSet* requires_fields = nullptr;  // @requires, parsed against the parent type
  const FieldSet* provides_fields = nullptr;  // @provides, parsed against the field's named type
  const graphql::TypeRef* type = nullptr;     // the field's type in this subgraph (`type:`)
  bool external = false;
  bool used_overridden = false;                // overridden here, kept for key/requires use only
  std::string_view override_from;              // @override(from:) subgraph name, empty when none
  int override_from_graph = -1;                // its index, -1 when it is not in the supergraph
  std::string_view override_label;             // progressive override label, e.g. "percent(25)"
  const graphql::Directive* source = nullptr;  // the @join__field; null when implied
};

struct FieldInfo {
  const graphql::TypeDef* parent = nullptr;
  const graphql::FieldDef* field = nullptr;
  GraphMask graphs = 0;             // subgraphs declaring it in any way
  GraphMask resolvable_graphs = 0;  // ... minus external and used-overridden declarations
  GraphMask external_graphs = 0;
  std::vector<FieldInGraph> in_graphs;  // by graph index
  bool implicit = false;  // no @join__field: one entry per subgraph of the parent type
  bool inaccessible = false;
  std::vector<std::string_view> tags;

  const FieldInGraph* in_graph(uint32_t graph) const;
  bool resolvable_in(uint32_t graph) const { return has_graph(resolvable_graphs, graph); }
};

// @join__directive(graphs:, name:, args:) kept as data for later features.
struct JoinDirective {
  GraphMask graphs = 0;
  std::string_view name;
  const graphql::Value* args = nullptr;      // AST literal (an object), or null
  const graphql::TypeDef* type = nullptr;    // the element it is applied to: a type,
  const graphql::FieldDef* field = nullptr;  // a field of `type`, or neither (schema)
};

struct LoadOptions {
  // Checks of the supergraph schema itself (graphql-js validateSchema); keep on for input
  // that did not come from our own composition.
  bool validate_schema = true;
  // Load a supergraph that links `for: SECURITY` / `EXECUTION` features this library does not
  // implement (@authenticated, @requiresScopes, @policy, @context …). Off for serving: the
  // router must not ignore them (docs/router.md). Composition turns it on to check such a
  // supergraph (load, satisfiability) without serving it.
  bool accept_unsupported_features = false;
};

class Supergraph {
 public:
  // Parses and validates the supergraph and derives the API schema. On failure returns null
  // and reports every problem with its location (extensions.code INVALID_SUPERGRAPH, or
  // INVALID_SCHEMA for GraphQL-level problems).
  static std::unique_ptr<Supergraph> load(std::string_view sdl, graphql::ErrorReport& errors,
                                          const LoadOptions& options = {});
  ~Supergraph();
  Supergraph(const Supergraph&) = delete;
  Supergraph& operator=(const Supergraph&) = delete;

  // The full supergraph schema (join__*, link__* and @inaccessible elements included).
  const graphql::Schema& schema() const { return *schema_; }
  // The schema clients see; introspection answers from it.
  const graphql::Schema& api_schema() const { return *api_schema_; }
  // api_schema() as SDL (graphql-js print of the filtered supergraph document).
  const std::string& api_sdl() const { return api_sdl_; }

  // join spec version in use; Federation v1 supergraphs use v0.1.
  FeatureVersion join_version() const { return join_version_; }
  bool is_fed1() const { return join_version_ == FeatureVersion{0, 1}; }
  const CoreFeatures& features() const { return features_; }

  std::span<const Subgraph> subgraphs() const { return subgraphs_; }
  const Subgraph* subgraph(std::string_view name) const;  // by @join__graph(name:)
  const Subgraph* subgraph_by_enum_value(std::string_view value) const;
  GraphMask all_graphs() const { return all_graphs_; }

  // Metadata of a composite, enum, scalar or input type of schema(); null for join__*/link__*
  // types and introspection types. `type` must come from schema().
  const TypeInfo* type_info(const graphql::TypeDef* type) const;
  const TypeInfo* type_info(std::string_view type_name) const;
  // Metadata of a field of an object or interface type of schema(); null for meta fields
  // (__typename …). `field` must belong to `parent`.
  const FieldInfo* field_info(const graphql::TypeDef* parent, const graphql::FieldDef* field) const;
  const FieldInfo* field_info(std::string_view type_name, std::string_view field_name) const;

  // Subgraphs in which object type `object` is a possible type of `abstract_type` (it is the
  // type itself, implements the interface, or is a member of the union there).
  GraphMask possible_type_graphs(const graphql::TypeDef* abstract_type,
                                 const graphql::TypeDef* object) const;

  const std::vector<JoinDirective>& join_directives() const { return join_directives_; }
  // Names of the inaccessible / tag directives in schema() (after renames); empty if unused.
  std::string_view inaccessible_directive() const { return inaccessible_name_; }
  std::string_view tag_directive() const { return tag_name_; }

 private:
  friend class SupergraphLoader;
  Supergraph();

  Arena arena_;
  std::unique_ptr<graphql::Schema> schema_;
  std::unique_ptr<graphql::Schema> api_schema_;
  std::string api_sdl_;
  CoreFeatures features_;
  FeatureVersion join_version_;
  std::vector<Subgraph> subgraphs_;
  GraphMask all_graphs_ = 0;
  std::vector<std::unique_ptr<TypeInfo>> type_infos_;
  std::unordered_map<const graphql::TypeDef*, const TypeInfo*> type_index_;
  // Per type, parallel to TypeDef::fields.
  std::unordered_map<const graphql::TypeDef*, std::vector<FieldInfo>> field_infos_;
  std::vector<std::unique_ptr<FieldSet>> field_sets_;
  std::vector<JoinDirective> join_directives_;
  std::string inaccessible_name_;
  std::string tag_name_;
};

}  // namespace orbit::federation
