// GraphSnapshot: everything a request needs to know about one version of the graph — the
// supergraph, its API schema, the plan and operation caches, and how to reach each subgraph.
//
// Immutable once built and shared as std::shared_ptr<const GraphSnapshot> (DESIGN.md: config
// swaps are atomic, in-flight requests finish on the snapshot they started with). The two
// caches inside are the mutable part; they are thread-safe on their own (sharded locks) and
// belong to the snapshot because plans point into its Supergraph and validation used its
// API schema.
//
// SnapshotHolder is the owner's slot: readers take a reference with get() on any thread,
// the owner replaces it with set(); a replaced snapshot lives until its last request ends.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/lru_cache.h"
#include "orbit/base/status.h"
#include "orbit/config/artifact.h"
#include "orbit/federation/supergraph.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/planner/plan_cache.h"
#include "orbit/router/router_config.h"

namespace orbit::router {

// A parsed, validated, normalized and planned request document (src/prepared_operation.h).
struct PreparedOperation;
using OperationCache = ShardedLruCache<std::shared_ptr<const PreparedOperation>>;

// How the router reaches one subgraph; indexed like federation::Supergraph::subgraphs().
struct SubgraphSettings {
  std::string name;
  std::string url;
  std::chrono::milliseconds timeout{30'000};
  // Client request headers sent on with every request to it (config `headers:`).
  std::vector<std::string> propagate_headers;
};

class GraphSnapshot {
 public:
  // Loads the artifact's supergraph SDL (Supergraph::load, which also derives the API
  // schema) and decides each subgraph's URL — the config's `subgraphs.<name>.url`, else the
  // artifact's routingUrl, else the supergraph's join__Graph url — and timeout.
  // Errors (kInvalidArgument): the supergraph's load errors with their locations, a
  // subgraph named in the config or the artifact that the graph does not have, a subgraph
  // without a routing URL, a URL that is not http(s).
  static Result<std::shared_ptr<const GraphSnapshot>> build(const config::RouterArtifact& artifact,
                                                            const RouterConfig& config);
  // A plain supergraph SDL (config::parse_graph_file gives its version).
  static Result<std::shared_ptr<const GraphSnapshot>> build(std::string_view supergraph_sdl,
                                                            const RouterConfig& config);

  const federation::Supergraph& supergraph() const { return *supergraph_; }
  const graphql::Schema& api_schema() const { return supergraph_->api_schema(); }
  planner::PlanCache& plan_cache() const { return *plan_cache_; }
  // Documents by (text, operation name): a repeated request skips parse, validation,
  // normalization and the plan cache lookup.
  OperationCache& operation_cache() const { return *operation_cache_; }
  std::span<const SubgraphSettings> subgraphs() const { return subgraphs_; }
  // Increases with every snapshot built in this process (logs, tests).
  uint64_t version() const { return version_; }
  // The artifact's version ("sdl-<hash>" for a plain supergraph file) and createdAt.
  const std::string& config_version() const { return config_version_; }
  const std::string& created_at() const { return created_at_; }
  // When this snapshot was built (RFC 3339, and as a time point for metrics).
  const std::string& loaded_at() const { return loaded_at_; }
  std::chrono::system_clock::time_point loaded_at_time() const { return loaded_at_time_; }

 private:
  GraphSnapshot() = default;

  std::unique_ptr<federation::Supergraph> supergraph_;
  std::unique_ptr<planner::PlanCache> plan_cache_;
  std::unique_ptr<OperationCache> operation_cache_;
  std::vector<SubgraphSettings> subgraphs_;
  uint64_t version_ = 0;
  std::string config_version_;
  std::string created_at_;
  std::string loaded_at_;
  std::chrono::system_clock::time_point loaded_at_time_;
};

class SnapshotHolder {
 public:
  SnapshotHolder() = default;
  explicit SnapshotHolder(std::shared_ptr<const GraphSnapshot> initial)
      : current_(std::move(initial)) {}

  std::shared_ptr<const GraphSnapshot> get() const {
    return current_.load(std::memory_order_acquire);
  }
  void set(std::shared_ptr<const GraphSnapshot> next) {
    current_.store(std::move(next), std::memory_order_release);
  }

 private:
  std::atomic<std::shared_ptr<const GraphSnapshot>> current_;
};

}  // namespace orbit::router
