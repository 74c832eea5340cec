// Normalization: one operation of a document -> a canonical operation tree for the planner.
//
// Consumes: a Schema, the parsed Document, the OperationDefinition chosen by
// select_operation(), and the variable values @skip/@include read (ConditionVariables).
// Produces: a NormalizedOperation: a new OperationDefinition built in the caller's arena
// that yields exactly the response of the input for these variable values, in a form where
// equal requests look equal (the plan cache hashes it, see cache_key.h).
//
// The transforms, each with one small input and its output (schema: `type Query { a: A
// b: Int }`, `interface I { id: ID }`, `type A implements I { id: ID x: Int y: Int }`,
// `type B { z: Int }`, `union U = A | B`):
//
//   fragment spreads -> inline fragments (with options.inline_fragments; memoized, so a
//   fragment spread a thousand times is normalized once per parent type)
//     { u { ...F } }  fragment F on A { x }        ->  { u { ... on A { x } } }
//   inline fragments whose type condition is the parent type (or a supertype of every
//   possible type of it), or that have no type condition and no directives, are flattened
//     { a { ... on A { x } ... on I { id } ... { y } } }   ->  { a { x id y } }
//   fields with the same response key are merged, their sub-selections merged recursively,
//   in first-occurrence order (the response order); identical fields are deduplicated
//     { a { x } b a { y x } }                               ->  { a { x y } b }
//   inline fragments on the same type with nothing between them that could apply to the same
//   objects are merged (so the response order stays the same)
//     { u { ... on A { x } ... on B { z } ... on A { y } } }
//                                         ->  { u { ... on A { x y } ... on B { z } } }
//   @skip/@include are evaluated (literals or variables): skipped selections are removed, the
//   directives of kept ones are removed (options.keep_variable_conditions keeps those on
//   variables, unevaluated)
//     query($s: Boolean!) { a { x @skip(if: $s) y @include(if: true) } }    with s = true
//                                                           ->  { a { y } }
//   inline fragments on types that cannot overlap the parent's possible types are dropped
//     { u { ... on A { x } ... on Query { b } } }           ->  { u { ... on A { x } } }
//   variable definitions made unused by the above are removed (definitions that were unused
//   in the input stay, so that validation still reports them). __typename is an ordinary
//   field and always kept.
//
// Directives on fragment definitions are dropped when fragments are inlined (graphql-js gives
// them no meaning at execution). Not changed: the order of fields (it is the response order),
// argument values, and directives other than @skip/@include (a fragment carrying one, e.g. @defer,
// is neither flattened nor merged). A field whose whole sub-selection was skipped keeps an empty
// SelectionSet (graphql-js answers `{}` for it); the planner must ask its subgraph for
// `__typename` there. These are the only empty lists normalization produces.
//
// Invalid input is handled, not trusted: normalize() may run before validation. Unknown
// fields and types just stop the type-based transforms below them; unknown fragments and
// fragment cycles are errors (graphql-js's messages); nothing a client sends reaches an
// assertion. Running validation on the input first gives graphql-js's complete error list;
// validating the output instead misses errors inside skipped selections and impossible
// fragments (dropped here). The output of a valid input is valid (empty selection sets aside).
//
// Bounded work: output nodes are shared (a memoized fragment body appears once in memory
// however often it is spread), so the tree is a DAG whose printed ("expanded") size can be
// exponential in the input size. normalize() tracks the expanded size of everything it
// builds and fails with LIMIT_EXCEEDED ("Operation is too large: more than N selections once
// fragments are expanded.") as soon as one selection set passes options.max_selections;
// recursion is bounded by options.max_depth (MAX_DEPTH_EXCEEDED).
//
// Lifecycle: the output lives in `arena` and also points into the input Document (names,
// argument values, variable definitions are shared, never copied), so the input's source
// text and arena must outlive it. The input tree is never modified. normalize() keeps its
// state on the stack; it is thread-safe as long as each call has its own arena.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/normalization/condition_variables.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::graphql {

struct NormalizeOptions {
  // Replace fragment spreads by inline fragments (and flatten them where possible). When
  // false, spreads stay named (only @skip/@include on them is evaluated and impossible ones
  // dropped) and every fragment still used is normalized once and returned in `fragments`.
  bool inline_fragments = true;
  // Upper bound on the selections of the output once every fragment is expanded (what a
  // printer or the planner would walk). 0 = unlimited.
  uint64_t max_selections = 100000;
  // Nesting of selection sets plus fragment spreads followed at once.
  uint32_t max_depth = 512;
  // Keep @skip/@include whose `if:` is a variable on their field or fragment instead of
  // evaluating them (literal ones are still evaluated; the variables' values are still
  // checked, with the same errors). The output then holds for every value of those variables
  // and `condition_values` stays empty: the router plans it once, with Condition nodes, and
  // the executor evaluates the directives when it writes the response.
  bool keep_variable_conditions = false;
};

// The value a variable used by @skip/@include had during normalization.
struct ConditionVariableValue {
  std::string_view name;  // without '$'
  bool value = false;
  bool operator==(const ConditionVariableValue&) const = default;
};

struct NormalizedOperation {
  // Null when normalization failed (the errors are in the report).
  OperationDefinition* operation = nullptr;
  // With inline_fragments = false: the fragments the operation still spreads, normalized,
  // in document order. Empty otherwise.
  List<FragmentDefinition> fragments;
  // The operation followed by `fragments`, for print().
  Document* document = nullptr;
  // Every variable whose value decided a @skip/@include, sorted by name. The response
  // depends on these values, so caches keyed by the operation must include them.
  std::vector<ConditionVariableValue> condition_values;
  // Selections in the fully expanded output (fields, inline fragments, spreads).
  uint64_t expanded_selections = 0;

  bool ok() const { return operation != nullptr; }
};

NormalizedOperation normalize(const Schema& schema, const Document& document,
                              const OperationDefinition& operation,
                              const ConditionVariables& variables, Arena& arena,
                              ErrorReport& report, const NormalizeOptions& options = {});

}  // namespace orbit::graphql
