// InflightTable: identical work in flight at the same time is done once, and everyone who
// asked gets the answer.
//
// Used for subgraph request deduplication (identical subgraph queries share one HTTP request)
// and inbound deduplication (identical client queries share one execution). The key is the
// complete identity of the work (the exact request bytes, the headers sent), compared in
// full: a hash collision cannot mix answers up.
//
// Threading: `Lock` = NoLock for a table used on one event loop's thread only (the subgraph
// table: the executor wants its answers on its own thread), std::mutex for one shared by
// every loop (the inbound table: replies may be sent from any thread). Waiters run outside
// the lock, on the thread that completes the work.
//
// Re-entrancy: the entry is removed before the waiters run, so a waiter that asks for the same
// key again starts new work instead of joining the finished one. `start` may complete before
// it returns. The table must outlive the work it started.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace orbit::router {

struct NoLock {
  void lock() {}
  void unlock() {}
};

template <typename Value, typename Lock = NoLock>
class InflightTable {
 public:
  using Waiter = std::function<void(Value)>;
  using Complete = std::function<void(Value)>;

  // Work with `key` in flight: `done` joins it. Otherwise `start` runs (outside the lock) with
  // the completion to call once the value is there; every waiter then receives a copy (the
  // last one the value itself).
  void run(std::string key, const std::function<void(Complete)>& start, Waiter done) {
    std::shared_ptr<Entry> entry;
    {
      std::lock_guard<Lock> guard(lock_);
      auto [it, inserted] = entries_.try_emplace(std::move(key));
      if (!inserted) {
        it->second->waiters.push_back(std::move(done));
        ++joined_;
        return;
      }
      entry = std::make_shared<Entry>();
      entry->key = &it->first;  // stable until the node is erased, which complete() does
      entry->waiters.push_back(std::move(done));
      it->second = entry;
      ++started_;
    }
    start([this, entry](Value value) { complete(*entry, std::move(value)); });
  }

  size_t in_flight() const {
    std::lock_guard<Lock> guard(lock_);
    return entries_.size();
  }
  uint64_t started() const {
    std::lock_guard<Lock> guard(lock_);
    return started_;
  }
  uint64_t joined() const {
    std::lock_guard<Lock> guard(lock_);
    return joined_;
  }

 private:
  struct Entry {
    const std::string* key = nullptr;  // null once completed
    std::vector<Waiter> waiters;
  };

  void complete(Entry& entry, Value value) {
    std::vector<Waiter> waiters;
    {
      std::lock_guard<Lock> guard(lock_);
      if (entry.key == nullptr) return;  // completed twice: ignored
      entries_.erase(*entry.key);
      entry.key = nullptr;
      waiters = std::move(entry.waiters);
    }
    for (size_t i = 0; i + 1 < waiters.size(); ++i)
      waiters[i](value);
    waiters.back()(std::move(value));
  }

  mutable Lock lock_;
  std::unordered_map<std::string, std::shared_ptr<Entry>> entries_;
  uint64_t started_ = 0;
  uint64_t joined_ = 0;
};

}  // namespace orbit::router
