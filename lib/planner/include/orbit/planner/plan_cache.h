// PlanCache: query plans by normalized operation, bounded, shared by the router's event loops.
//
// Keyed by graphql::operation_cache_key(): its 64-bit hash picks the shard and the bucket,
// and the canonical text is compared on every hit, so a hash collision is a miss, never a
// wrong plan. Bounded by entries and by bytes (key text + plan arena); the least recently
// used entry of a shard is evicted first.
//
// Threading: sharded. Each shard has its own mutex, held only for a map lookup and an LRU
// splice (never while planning), so the loops (one per core) rarely meet on a lock. A per-
// thread cache was not chosen: it would plan every operation once per core and multiply
// the memory. Plans are handed out as shared_ptr<const QueryPlan>: an evicted plan lives on
// while a request still runs it. One cache per GraphSnapshot (plans point into its
// Supergraph); drop the cache with the snapshot.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/graphql/normalization/cache_key.h"
#include "orbit/planner/query_plan.h"

namespace orbit::planner {

struct PlanCacheOptions {
  size_t max_entries = 4096;     // over all shards
  size_t max_bytes = 64u << 20;  // over all shards
  uint32_t shards = 16;          // rounded up to a power of two
};

struct PlanCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
  size_t entries = 0;
  size_t bytes = 0;
};

class PlanCache {
 public:
  using PlanPtr = std::shared_ptr<const QueryPlan>;

  explicit PlanCache(const PlanCacheOptions& options = {});
  PlanCache(const PlanCache&) = delete;
  PlanCache& operator=(const PlanCache&) = delete;

  // The cached plan, or null (counts a hit or a miss).
  PlanPtr find(const graphql::OperationCacheKey& key);
  // Stores (or replaces) the plan for `key`; a plan larger than a shard's byte budget is not
  // stored.
  void insert(const graphql::OperationCacheKey& key, PlanPtr plan);
  // find(), else make() and insert() when it succeeds. Two threads missing the same key at
  // once may both plan it; the second insert replaces the first (same plan).
  Result<PlanPtr> get_or_plan(const graphql::OperationCacheKey& key,
                              const std::function<Result<PlanPtr>()>& make);

  PlanCacheStats stats() const;
  void clear();

 private:
  struct Entry {
    uint64_t hash;
    std::string text;
    PlanPtr plan;
    size_t bytes;
  };
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;  // most recent first
    std::unordered_multimap<uint64_t, std::list<Entry>::iterator> index;
    size_t bytes = 0;
  };
  Shard& shard_for(uint64_t hash) { return shards_[(hash >> 7) & (shards_.size() - 1)]; }
  void evict_locked(Shard& s);
  std::list<Entry>::iterator lookup_locked(Shard& s, const graphql::OperationCacheKey& key);

  std::vector<Shard> shards_;
  size_t max_entries_per_shard_;
  size_t max_bytes_per_shard_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> evictions_{0};
};

}  // namespace orbit::planner
