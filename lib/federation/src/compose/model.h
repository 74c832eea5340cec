// Internal model of composition: one SubgraphSchema per input subgraph (federation
// directives resolved to their spec names, Federation 1 upgraded), and the merged supergraph
// before printing. Plain values owned by the compose() call; not shared across threads.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/federation/compose.h"
#include "orbit/graphql/ast.h"

namespace orbit::federation::composition {

enum class TypeKind : uint8_t { kScalar, kObject, kInterface, kUnion, kEnum, kInputObject };
std::string_view type_kind_label(TypeKind kind);  // "Object Type", "Interface Type", ...

// A directive application kept for the supergraph (@tag, @inaccessible, @deprecated,
// @specifiedBy, @authenticated, @requiresScopes, @policy, composed directives): its name in the
// supergraph and its printed arguments "(name: \"x\")" ("" when none).
struct Applied {
  std::string name;
  std::string args;
  graphql::Location loc;
  bool operator==(const Applied& o) const { return name == o.name && args == o.args; }
};

// A type reference as text ("[Int!]!") with its shape, for subtyping checks.
struct TypeRef {
  std::string text;
  std::string base;  // innermost named type
};

struct InputValue {
  std::string name;
  std::optional<std::string> description;
  TypeRef type;
  std::optional<std::string> default_value;  // printed literal
  std::vector<Applied> applied;
  graphql::Location loc;
  // @fromContext(field: "$ctx { prop }"): the context, qualified by the subgraph
  // ("a__ctx"), and the selection after it (" { prop }"). Empty when not contextual.
  std::string context;
  std::string context_selection;
  // The @fromContext(field:) argument as written, and where; unset without @fromContext.
  std::optional<std::string> from_context;
  graphql::Location from_context_loc;
  bool required() const {
    return !type.text.empty() && type.text.back() == '!' && !default_value.has_value();
  }
};

struct Field {
  std::string name;
  std::optional<std::string> description;
  TypeRef type;
  std::vector<InputValue> args;
  std::vector<Applied> applied;
  bool external = false;
  bool shareable = false;
  std::optional<std::string> requires_fields;
  std::optional<std::string> provides_fields;
  std::optional<std::string> override_from;
  std::optional<std::string> override_label;
  std::string requires_text, provides_text;  // the applications as written, for messages
  graphql::Location loc;
  graphql::Location requires_loc, provides_loc, override_loc;
  bool fake_external = false;
  bool in_key = false;    // selected by a @key of this subgraph: shareable
  bool provided = false;  // external but selected by a @provides of this subgraph  // @external key
                          // field of a type extension: not really external
  graphql::Location external_loc;
  // Used by a @key, @requires or @provides of this subgraph (or to satisfy an interface).
  bool used = false;
  const InputValue* arg(std::string_view n) const {
    for (const auto& a : args)
      if (a.name == n) return &a;
    return nullptr;
  }
};

struct EnumValue {
  std::string name;
  std::optional<std::string> description;
  std::vector<Applied> applied;
  graphql::Location loc;
};

struct Key {
  std::string fields;
  std::string directive_text;      // the application as written, for messages
  std::optional<bool> resolvable;  // as written
  bool on_extension = false;
  graphql::Location loc;
};

struct Type {
  TypeKind kind = TypeKind::kScalar;
  std::string name;
  std::optional<std::string> description;
  std::vector<Applied> applied;
  std::vector<Field> fields;  // objects, interfaces, input objects (args unused)
  std::vector<std::string> interfaces;
  std::vector<std::string> members;
  std::vector<EnumValue> values;
  std::vector<Key> keys;
  bool shareable = false;  // type-level @shareable
  bool extends = false;    // @extends
  bool has_definition = false;
  bool has_extension = false;
  bool interface_object = false;
  graphql::Location loc;
  // @context(name:) applications as written (unqualified), with their locations.
  std::vector<std::pair<std::string, graphql::Location>> contexts;

  Field* field(std::string_view n) {
    for (auto& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
  const Field* field(std::string_view n) const {
    for (const auto& f : fields)
      if (f.name == n) return &f;
    return nullptr;
  }
  const EnumValue* value(std::string_view n) const {
    for (const auto& v : values)
      if (v.name == n) return &v;
    return nullptr;
  }
  bool has_member(std::string_view n) const {
    for (const auto& m : members)
      if (m == n) return true;
    return false;
  }
  bool implements(std::string_view n) const {
    for (const auto& m : interfaces)
      if (m == n) return true;
    return false;
  }
  bool is_entity() const { return !keys.empty(); }
};

// A custom directive definition of a subgraph (kept when composed with @composeDirective or
// when it has executable locations).
struct DirectiveDefinition {
  std::string name;
  std::string printed_args;  // "(a: Int)" as printed in a definition, "" when none
  std::vector<std::string> arg_names;
  std::vector<std::string> locations;
  bool repeatable = false;
  const graphql::DirectiveDefinition* ast = nullptr;
};

struct ComposedFeature {
  std::string url;       // the @link url of the feature the directive comes from
  std::string identity;  // url without version
  std::string name;      // spec name
  int major = 0, minor = 0;
};

struct SubgraphSchema {
  std::string name;
  std::string url;
  std::string source;
  std::unique_ptr<Arena> arena;
  graphql::Document* document = nullptr;
  bool fed2 = false;
  bool graphql_valid = true;    // false: GraphQL errors were reported; validated, never merged
  bool upgrade_failed = false;  // Federation 1 upgrade errors: no further checks
  bool unknown_types = false;   // references an undefined type: no federation checks either
  int fed_minor = 0;            // federation v2.<minor>; 0 for Federation 1 subgraphs (upgraded)
  std::vector<Type> types;
  std::unordered_map<std::string, size_t> type_index;
  std::string query = "Query", mutation = "Mutation", subscription = "Subscription";
  bool has_query = false, has_mutation = false, has_subscription = false;
  std::vector<DirectiveDefinition> directive_defs;
  // @composeDirective(name:) applications: local directive name -> the feature it is linked from.
  std::vector<std::pair<std::string, ComposedFeature>> composed;
  std::vector<Applied> schema_applied;  // @tag on the schema
  // Spec directives applied here under another name (`@fed__tag` with `as: "fed"`):
  // spec name -> local name.
  std::map<std::string, std::string> applied_local_names;

  Type* type(std::string_view n) {
    auto it = type_index.find(std::string(n));
    return it == type_index.end() ? nullptr : &types[it->second];
  }
  const Type* type(std::string_view n) const {
    auto it = type_index.find(std::string(n));
    return it == type_index.end() ? nullptr : &types[it->second];
  }
  bool is_root(std::string_view n) const {
    return (n == "Query" && has_query) || (n == "Mutation" && has_mutation) ||
           (n == "Subscription" && has_subscription);
  }
};

// Messages collected during composition.
struct Diagnostics {
  std::vector<CompositionMessage> errors;
  std::vector<CompositionMessage> hints;

  CompositionMessage& error(std::string code, std::string message) {
    errors.push_back({std::move(code), std::move(message), {}});
    return errors.back();
  }
  CompositionMessage& hint(std::string code, std::string message) {
    hints.push_back({std::move(code), std::move(message), {}});
    return hints.back();
  }
};
inline void at(CompositionMessage& m, const std::string& subgraph, graphql::Location loc) {
  m.locations.push_back({subgraph, {loc.line, loc.column}});
}

// Builds subgraph `index` of the input: parse, resolve federation imports, build the model,
// validate the federation directives. Returns null (with errors) when it cannot be used.
std::unique_ptr<SubgraphSchema> build_subgraph(const SubgraphSource& src,
                                               const ComposeOptions& options, Diagnostics& diag);

// Federation 1 subgraphs are upgraded with knowledge of all subgraphs (shareable fields).
void upgrade_fed1(std::vector<std::unique_ptr<SubgraphSchema>>& subgraphs, Diagnostics& diag);

// Validates @key/@requires/@provides field sets and marks fields used by them.
void validate_subgraph(SubgraphSchema& sg, Diagnostics& diag);

// Merges the subgraphs into supergraph SDL; empty string when errors were reported.
std::string merge_subgraphs(const std::vector<std::unique_ptr<SubgraphSchema>>& subgraphs,
                            const ComposeOptions& options, Diagnostics& diag);

// Name ordering of Apollo's printer (ICU collation as JavaScript's localeCompare: '_' before
// digits before letters, case-insensitive first, then lower before upper).
bool collate_less(std::string_view a, std::string_view b);

// Human-readable lists as Apollo prints them: subgraph "a", subgraphs "a" and "b",
// subgraphs "a", "b" and "c".
std::string subgraph_list(const std::vector<std::string>& names);

}  // namespace orbit::federation::composition
