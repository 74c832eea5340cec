// plan_operation: a normalized operation -> a QueryPlan over the supergraph's subgraphs.
//
// Consumes: a federation::Supergraph and one operation normalized against its API schema
// (graphql::normalize with inline_fragments = true: no fragment spreads, fields merged,
// @skip/@include evaluated). Produces: a QueryPlan (query_plan.h) whose fetches are
// minified operations valid against each subgraph's schema, or a Status when the operation
// cannot be planned (a field no subgraph can reach, or the work bounds in PlanOptions).
//
// The algorithm is described in lib/planner/README.md.
//
// Pure function of its arguments; thread-safe. The plan owns copies of everything it needs
// from the operation (names, argument values), so it may outlive the request; it points
// into the Supergraph only through subgraph names, which must outlive it.
#pragma once

#include <cstdint>
#include <memory>

#include "orbit/base/status.h"
#include "orbit/federation/supergraph.h"
#include "orbit/graphql/ast.h"
#include "orbit/planner/query_plan.h"

namespace orbit::planner {

struct PlanOptions {
  // Upper bound on the fetches of one plan; planning stops with LIMIT_EXCEEDED beyond.
  uint32_t max_fetches = 256;
  // How many entity jumps may be nested only to obtain the inputs (keys, @requires fields)
  // of another jump. Bounds the search for a path between subgraphs.
  uint32_t max_input_hops = 4;
  // Upper bound on the selections the planner writes into all fetches together.
  uint64_t max_selections = 200000;
};

// Error codes: QUERY_PLANNING_FAILED when no subgraph can resolve a selection, LIMIT_EXCEEDED
// when a bound of PlanOptions is hit.
Result<std::shared_ptr<const QueryPlan>> plan_operation(
    const federation::Supergraph& supergraph, const graphql::OperationDefinition& operation,
    const PlanOptions& options = {});

}  // namespace orbit::planner
