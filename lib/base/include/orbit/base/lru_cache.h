// ShardedLruCache: a bounded map from text keys to shared values, shared by the router's
// event loops (the plan cache and the operation cache are both one).
//
// Keys are (64-bit hash, text). The hash picks the shard and the bucket; the text is compared
// on every hit, so a hash collision is a miss, never a wrong value. Bounded by entries and by
// bytes (the caller says what an entry weighs); the least recently used entry of a shard is
// evicted first.
//
// Threading: each shard has its own mutex, held only for a map lookup and an LRU splice,
// never while the caller computes a value, so the loops (one per core) rarely meet on a lock.
// Values are handed out by copy (a shared_ptr): an evicted value lives on while a request
// still uses it.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace orbit {

struct LruCacheOptions {
  size_t max_entries = 4096;     // over all shards
  size_t max_bytes = 64u << 20;  // over all shards
  uint32_t shards = 16;          // rounded up to a power of two
};

struct LruCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
  size_t entries = 0;
  size_t bytes = 0;
};

// `Value` is nullable and cheap to copy (a shared_ptr); a null value means "absent".
template <typename Value>
class ShardedLruCache {
 public:
  explicit ShardedLruCache(const LruCacheOptions& options = {})
      : shards_(std::bit_ceil(std::max<uint32_t>(options.shards, 1))) {
    max_entries_per_shard_ = std::max<size_t>(options.max_entries / shards_.size(), 1);
    max_bytes_per_shard_ = std::max<size_t>(options.max_bytes / shards_.size(), 1);
  }
  ShardedLruCache(const ShardedLruCache&) = delete;
  ShardedLruCache& operator=(const ShardedLruCache&) = delete;

  // The value stored for (hash, text), or null (counts a hit or a miss).
  Value find(uint64_t hash, std::string_view text) {
    Shard& s = shard_for(hash);
    std::lock_guard lock(s.mu);
    auto it = lookup_locked(s, hash, text);
    if (it == s.lru.end()) {
      misses_.fetch_add(1, std::memory_order_relaxed);
      return Value();
    }
    hits_.fetch_add(1, std::memory_order_relaxed);
    s.lru.splice(s.lru.begin(), s.lru, it);
    return it->value;
  }

  // Stores (or replaces) the value; `bytes` is what it weighs besides its key. An entry
  // heavier than a shard's byte budget is not stored.
  void insert(uint64_t hash, std::string_view text, Value value, size_t bytes) {
    if (!value) return;
    bytes += text.size() + sizeof(Entry);
    if (bytes > max_bytes_per_shard_) return;
    Shard& s = shard_for(hash);
    std::lock_guard lock(s.mu);
    auto it = lookup_locked(s, hash, text);
    if (it != s.lru.end()) {
      s.bytes -= it->bytes;
      it->value = std::move(value);
      it->bytes = bytes;
      s.bytes += bytes;
      s.lru.splice(s.lru.begin(), s.lru, it);
    } else {
      s.lru.push_front(Entry{hash, std::string(text), std::move(value), bytes});
      s.index.emplace(hash, s.lru.begin());
      s.bytes += bytes;
    }
    evict_locked(s);
  }

  LruCacheStats stats() const {
    LruCacheStats out;
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

  void clear() {
    for (Shard& s : shards_) {
      std::lock_guard lock(s.mu);
      s.lru.clear();
      s.index.clear();
      s.bytes = 0;
    }
  }

 private:
  struct Entry {
    uint64_t hash;
    std::string text;
    Value value;
    size_t bytes;
  };
  using Iterator = typename std::list<Entry>::iterator;
  struct Shard {
    mutable std::mutex mu;
    std::list<Entry> lru;  // most recent first
    std::unordered_multimap<uint64_t, Iterator> index;
    size_t bytes = 0;
  };

  Shard& shard_for(uint64_t hash) { return shards_[(hash >> 7) & (shards_.size() - 1)]; }

  Iterator lookup_locked(Shard& s, uint64_t hash, std::string_view text) {
    auto [begin, end] = s.index.equal_range(hash);
    for (auto it = begin; it != end; ++it) {
      if (it->second->text == text) return it->second;
    }
    return s.lru.end();
  }

  void evict_locked(Shard& s) {
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

  std::vector<Shard> shards_;
  size_t max_entries_per_shard_;
  size_t max_bytes_per_shard_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> misses_{0};
  std::atomic<uint64_t> evictions_{0};
};

}  // namespace orbit
