// Executor: runs a QueryPlan against the subgraphs and writes the client's response.
//
// Consumes: a planner::QueryPlan, the client operation it was planned from (normalized with
// fragments inlined, orbit/graphql/normalization/normalize.h) and the API schema, the
// coerced variable values, and a SubgraphFetcher. Produces: a Response holding the complete
// GraphQL response JSON ({"data":…,"errors":[…]}).
//
// What it does, in order:
// 1. Runs the plan: Sequence children one after another, Parallel children all at once
//    (every fetch of every branch is issued before any answer is awaited), Condition by a
//    Boolean variable, Flatten + entity Fetch by collecting representations at the Flatten
//    path (deduplicated by their JSON text, one `_entities` request per fetch node) and
//    merging `_entities` items back into every position they came from. Each subgraph JSON
//    answer is parsed (simdjson) into the execution's mutable response tree
//    (response_tree.h).
// 2. Writes the response by walking the client operation against the API schema over the
//    merged tree, straight into the output string: operation order, only the fields the
//    client asked for (keys, __typename and @requires inputs the planner added are dropped),
//    __typename of abstract types from the data, leaf values checked against their types,
//    and the spec's null propagation (a null in a non-null position nulls the nearest nullable
//    parent, with "Cannot return null for non-nullable field T.f." at its path unless an
//    error at that path, above it or below it already explains the null).
//
// Errors: subgraph errors keep their message and extensions (code DOWNSTREAM_SERVICE_ERROR
// when they had none), gain extensions.serviceName, and their path is mapped to the
// response (an `_entities` error to every position its representation came from). A failed
// fetch (transport failure, timeout, non-2xx, non-JSON, JSON of the wrong shape) yields one
// error with SUBREQUEST_HTTP_ERROR / SUBREQUEST_TIMEOUT / SUBREQUEST_MALFORMED_RESPONSE and
// serviceName, at the deepest path covering all the data it should have produced; that data
// stays missing, so it reads as null (partial data). Nothing a subgraph sends can reach an
// assertion.
//
// Lifecycle: the plan, operation, schema, variables (and the arena they live in), fetcher
// and `arena` must outlive the call of `done`. The response tree lives in `arena` (reset it
// only after `done`). `done` is called once, possibly before execute() returns — unless the
// fetcher is destroyed with answers it never gave (shutdown): the execution is owned by the
// callbacks it handed the fetcher, so it is then freed with them and `done` is not called.
//
// Threading: one execution runs on one thread — the fetcher must answer on the thread that
// called execute(). Different executions may run concurrently on different threads (they
// share only the immutable plan and schema).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/executor/subgraph_fetcher.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/planner/query_plan.h"

namespace orbit::executor {

struct Response {
  // The GraphQL response: {"data":…} or {"data":…,"errors":[…]} (data first: it is written
  // while the errors it causes are found). A caller adding top-level members (extensions)
  // inserts them before the final '}'.
  std::string body;
  // The errors in `body`, for logs, metrics and tests.
  std::vector<graphql::GraphqlError> errors;
  bool data_is_null = false;
  // Subgraph requests sent.
  uint32_t fetch_count = 0;
};

struct ExecuteOptions {
  // Subgraph response bodies larger than this are a failed fetch (0 = unlimited).
  size_t max_subgraph_response_bytes = 0;
  // Entity fetches to one subgraph that become possible at the same time (parallel plan
  // branches reaching it together) go in one request, each `_entities` under an alias. The
  // plan is unchanged; Response::fetch_count counts requests sent.
  bool merge_entity_fetches = true;
};

using DoneCallback = std::function<void(Response)>;

void execute(const planner::QueryPlan& plan, const graphql::OperationDefinition& operation,
             const graphql::Schema& api_schema, JsonValue variables, SubgraphFetcher& fetcher,
             Arena& arena, DoneCallback done, const ExecuteOptions& options = {});

}  // namespace orbit::executor
