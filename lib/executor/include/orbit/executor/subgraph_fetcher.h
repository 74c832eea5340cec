// SubgraphFetcher: how the executor sends one GraphQL request to one subgraph.
//
// The executor knows no sockets: the router backs this interface with lib/net's HttpClient
// (one per event loop), tests with an in-process fake. `body` is the complete JSON request
// ({"query":…,"operationName":…,"variables":{…}}), built by the executor.
//
// Scheduling contract (event-loop agnostic):
// - fetch() may call `done` before it returns (a synchronous fake, a cache hit) or later;
//   the executor handles both. It must call `done` exactly once.
// - `done` must run on the thread that called fetch() (the execution's thread): one
//   execution runs on one thread and takes no locks.
// - Parallel plan branches call fetch() for every branch before any `done` is expected, so a
//   fetcher that defers its answers really overlaps them.
//
// A failed transport (refused, reset, timeout) is a non-ok Status: kTimeout for timeouts,
// anything else for other failures; its message says why and is shown to clients in the
// fetch error. An HTTP answer of any status is a SubgraphResponse.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "orbit/base/status.h"
#include "orbit/graphql/ast.h"

namespace orbit::executor {

// Spare capacity after a response body that lets the executor parse it in place: a body
// whose string has at least this much room past its end is not copied before parsing (the
// JSON parser reads up to this many bytes past the end). The router's HTTP client reserves it.
inline constexpr size_t kSubgraphBodySpareBytes = 64;

struct SubgraphResponse {
  int status = 200;  // HTTP status
  std::string body;  // the response body (a GraphQL response when all went well)
};

struct SubgraphRequest {
  uint32_t subgraph = 0;  // federation::Subgraph::index (planner::FetchNode::subgraph)
  // The subgraph operation's type: a fetcher may give identical queries in flight at the same
  // time one answer (the router does), never mutations.
  graphql::OperationType operation_type = graphql::OperationType::kQuery;
  std::string body;
};

class SubgraphFetcher {
 public:
  using Callback = std::function<void(Result<SubgraphResponse>)>;

  virtual ~SubgraphFetcher() = default;

  virtual void fetch(SubgraphRequest request, Callback done) = 0;

  // Runs `task` on the execution's thread once the work already due there is done — answers
  // that arrived together are all processed first — so the executor can send the fetches they
  // make possible in one go (ExecuteOptions::merge_entity_fetches). The default runs it now.
  virtual void defer(std::function<void()> task) { task(); }
};

}  // namespace orbit::executor
