#include "orbit/planner/plan_cache.h"

#include <algorithm>
#include <bit>

namespace orbit::planner {

PlanCache::PlanCache(const PlanCacheOptions& options)
    : shards_(std::bit_ceil(std::max<uint32_t>(options.shards, 1))) {
  max_entries_per_shard_ = std::max<size_t>(options.max_entries / shards_.size(), 1);
  max_bytes_per_shard_ = std::max<size_t>(options.max_bytes / shards_.size(), 1);
}

std::list<PlanCache::Entry>::iterator PlanCache::lookup_locked(
    Shard& s, const graphql::OperationCacheKey& key) {
  auto [begin, end] = s.index.equal_range(key.hash);
  for (auto it = begin; it != end; ++it) {
    if (it->second->text == key.text) return it->second;
  }
  return s.lru.end();
}

PlanCache::PlanPtr PlanCache::find(const graphql::OperationCacheKey& key) {
  Shard& s = shard_for(key.hash);
  std::lock_guard lock(s.mu);
  auto it = lookup_locked(s, key);
  if (it == s.lru.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  s.lru.splice(s.lru.begin(), s.lru, it);
  return it->plan;
}

void PlanCache::evict_locked(Shard& s) {
  while (!s.lru.empty() &&
         (s.lru.size() > max_entries_per_shard_ || s.bytes > max_bytes_per_shard_)) {
    auto last = std::prev(s.lru.end());
    auto [begin, end] = s.index.equal_range(last->hash);
    for (auto it = begin; it != end; ++it) {
      if (it->second == last) {
        s.index.erase(it);
        break;
      }
    }
    s.bytes -= last->bytes;
    s.lru.erase(last);
    evictions_.fetch_add(1, std::memory_order_relaxed);
  }
}

void PlanCache::insert(const graphql::OperationCacheKey& key, PlanPtr plan) {
  if (plan == nullptr) return;
  size_t bytes = key.text.size() + plan->arena_bytes() + sizeof(Entry);
  if (bytes > max_bytes_per_shard_) return;
  Shard& s = shard_for(key.hash);
  std::lock_guard lock(s.mu);
  auto it = lookup_locked(s, key);
  if (it != s.lru.end()) {
    s.bytes -= it->bytes;
    it->plan = std::move(plan);
    it->bytes = bytes;
    s.bytes += bytes;
    s.lru.splice(s.lru.begin(), s.lru, it);
  } else {
    s.lru.push_front(Entry{key.hash, key.text, std::move(plan), bytes});
    s.index.emplace(key.hash, s.lru.begin());
    s.bytes += bytes;
  }
  evict_locked(s);
}

Result<PlanCache::PlanPtr> PlanCache::get_or_plan(const graphql::OperationCacheKey& key,
                                                  const std::function<Result<PlanPtr>()>& make) {
  if (PlanPtr hit = find(key)) return hit;
  Result<PlanPtr> made = make();
  if (made.ok()) insert(key, *made);
  return made;
}

PlanCacheStats PlanCache::stats() const {
  PlanCacheStats out;
  out.hits = hits_.load(std::memory_order_relaxed);
  out.misses = misses_.load(std::memory_order_relaxed);
  out.evictions = evictions_.load(std::memory_order_relaxed);
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    out.entries += s.lru.size();
    out.bytes += s.bytes;
  }
  return out;
}

void PlanCache::clear() {
  for (Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    s.lru.clear();
    s.index.clear();
    s.bytes = 0;
  }
}

}  // namespace orbit::planner
