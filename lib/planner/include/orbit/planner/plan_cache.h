// PlanCache: query plans by normalized operation, bounded, shared by the router's event loops.
//
// Keyed by graphql::operation_cache_key(): a ShardedLruCache (orbit/base/lru_cache.h), so the
// canonical text is compared on every hit (a hash collision is a miss, never a wrong plan),
// entries and bytes (key text + plan arena) are bounded, and each shard has its own lock,
// never held while planning. A per-thread cache was not chosen: it would plan every operation
// once per core and multiply the memory. Plans are handed out as shared_ptr<const QueryPlan>:
// an evicted plan lives on while a request still runs it. One cache per GraphSnapshot (plans
// point into its Supergraph); drop the cache with the snapshot.
#pragma once

#include <functional>
#include <memory>

#include "orbit/base/lru_cache.h"
#include "orbit/base/status.h"
#include "orbit/graphql/normalization/cache_key.h"
#include "orbit/planner/query_plan.h"

namespace orbit::planner {

using PlanCacheOptions = LruCacheOptions;
using PlanCacheStats = LruCacheStats;

class PlanCache {
 public:
  using PlanPtr = std::shared_ptr<const QueryPlan>;

  explicit PlanCache(const PlanCacheOptions& options = {}) : cache_(options) {}

  // The cached plan, or null (counts a hit or a miss).
  PlanPtr find(const graphql::OperationCacheKey& key) { return cache_.find(key.hash, key.text); }
  // Stores (or replaces) the plan for `key`; a plan larger than a shard's byte budget is not
  // stored.
  void insert(const graphql::OperationCacheKey& key, PlanPtr plan) {
    size_t bytes = plan != nullptr ? plan->arena_bytes() : 0;
    cache_.insert(key.hash, key.text, std::move(plan), bytes);
  }
  // find(), else make() and insert() when it succeeds. Two threads missing the same key at
  // once may both plan it; the second insert replaces the first (same plan).
  Result<PlanPtr> get_or_plan(const graphql::OperationCacheKey& key,
                              const std::function<Result<PlanPtr>()>& make) {
    if (PlanPtr hit = find(key)) return hit;
    Result<PlanPtr> made = make();
    if (made.ok()) insert(key, *made);
    return made;
  }

  PlanCacheStats stats() const { return cache_.stats(); }
  void clear() { cache_.clear(); }

 private:
  ShardedLruCache<PlanPtr> cache_;
};

}  // namespace orbit::planner
