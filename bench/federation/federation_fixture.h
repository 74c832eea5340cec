// The federation benchmark in one process, for the stage benchmarks, the callgrind driver and
// the tests: the committed supergraph (bench/federation/supergraph.graphql), the benchmark
// query, a GraphSnapshot over them, and an in-process SubgraphFetcher that answers from the
// four BenchSubgraphs synchronously — recording each distinct request once and replaying the
// recorded answer afterwards, so that repeated executions measure the router's own work.
//
// Threading: one FederationFixture per thread (the answer table is not locked).
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_subgraphs.h"
#include "orbit/executor/subgraph_fetcher.h"
#include "orbit/router/graph_snapshot.h"

namespace orbit::bench {

class FederationFixture {
 public:
  // Reads the supergraph, the query and the subgraph SDLs from `dir` (bench/federation).
  // Aborts with a message when they cannot be read or the supergraph does not load: the
  // benchmarks cannot run without them.
  explicit FederationFixture(const std::string& dir);

  const std::string& query() const { return query_; }
  // {"query": <the benchmark query>} as a client sends it.
  const std::string& request_body() const { return request_body_; }
  const std::string& supergraph_sdl() const { return supergraph_sdl_; }
  const std::shared_ptr<const router::GraphSnapshot>& snapshot() const { return snapshot_; }

  // The subgraph answer for a request body, recorded on first use.
  const std::string& answer(uint32_t subgraph, const std::string& body);
  // A fetcher over answer(); it answers inside fetch(). The fixture must outlive it.
  std::unique_ptr<executor::SubgraphFetcher> make_fetcher();
  // Distinct subgraph requests seen so far.
  size_t recorded() const;

 private:
  std::string query_;
  std::string request_body_;
  std::string supergraph_sdl_;
  std::shared_ptr<const router::GraphSnapshot> snapshot_;
  // By the snapshot's subgraph index.
  std::vector<std::unique_ptr<BenchSubgraph>> subgraphs_;
  std::vector<std::unordered_map<std::string, std::string>> answers_;
};

// The file's contents; aborts with a message when it cannot be read.
std::string read_file_or_die(const std::string& path);

}  // namespace orbit::bench
