// The four subgraphs of the federation benchmark (accounts, products, inventory, reviews)
// over fixed data: 6 users, 9 products, 14 reviews. Schemas: bench/federation/subgraphs/.
//
// Each subgraph answers a GraphQL request body ({"query", "variables", "operationName"}) the
// way a federation subgraph does: its root fields, `_entities(representations:)` for the
// entity types it holds a key of, `_service { sdl }` and `__typename`. Selections may use
// aliases, inline fragments, named fragments and @skip/@include; arguments may be literals or
// variables. A field the subgraph does not define, a malformed request or an unknown
// operation gives `{"errors":[…]}` — the benchmark counts those as failures.
//
// Not a general GraphQL server: no validation beyond field existence, no introspection.
//
// Threading: a BenchSubgraph is immutable after construction; answer() may be called from
// any number of threads at once.
#pragma once

#include <string>
#include <string_view>

namespace orbit::bench {

enum class SubgraphId { kAccounts, kProducts, kInventory, kReviews };

inline constexpr SubgraphId kAllSubgraphs[] = {SubgraphId::kAccounts, SubgraphId::kProducts,
                                               SubgraphId::kInventory, SubgraphId::kReviews};

std::string_view subgraph_name(SubgraphId id);

class BenchSubgraph {
 public:
  // `sdl` is what `_service { sdl }` returns.
  BenchSubgraph(SubgraphId id, std::string sdl) : id_(id), sdl_(std::move(sdl)) {}

  SubgraphId id() const { return id_; }
  // The GraphQL response JSON for one request body.
  std::string answer(std::string_view request_body) const;

 private:
  SubgraphId id_;
  std::string sdl_;
};

}  // namespace orbit::bench
