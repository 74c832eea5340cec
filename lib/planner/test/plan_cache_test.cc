#include "orbit/planner/plan_cache.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace orbit::planner {
namespace {

graphql::OperationCacheKey key(uint64_t hash, std::string text) {
  return graphql::OperationCacheKey{hash, std::move(text)};
}

TEST(PlanCacheTest, HitAndMissCounters) {
  PlanCache cache;
  EXPECT_EQ(cache.find(key(1, "{a}")), nullptr);
  auto plan = std::make_shared<QueryPlan>();
  cache.insert(key(1, "{a}"), plan);
  EXPECT_EQ(cache.find(key(1, "{a}")), plan);
  PlanCacheStats s = cache.stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.entries, 1u);
  EXPECT_GT(s.bytes, 0u);
}

TEST(PlanCacheTest, HashCollisionIsAMissNotAWrongPlan) {
  PlanCache cache;
  auto a = std::make_shared<QueryPlan>();
  auto b = std::make_shared<QueryPlan>();
  cache.insert(key(42, "{a}"), a);
  EXPECT_EQ(cache.find(key(42, "{b}")), nullptr);
  cache.insert(key(42, "{b}"), b);
  EXPECT_EQ(cache.find(key(42, "{a}")), a);
  EXPECT_EQ(cache.find(key(42, "{b}")), b);
  EXPECT_EQ(cache.stats().entries, 2u);
}

TEST(PlanCacheTest, EvictsLeastRecentlyUsedByEntries) {
  PlanCache cache(PlanCacheOptions{2, 1u << 30, 1});
  auto p1 = std::make_shared<QueryPlan>();
  cache.insert(key(1, "1"), p1);
  cache.insert(key(2, "2"), std::make_shared<QueryPlan>());
  EXPECT_NE(cache.find(key(1, "1")), nullptr);  // 1 is now the most recent
  cache.insert(key(3, "3"), std::make_shared<QueryPlan>());
  EXPECT_NE(cache.find(key(1, "1")), nullptr);
  EXPECT_EQ(cache.find(key(2, "2")), nullptr);
  EXPECT_NE(cache.find(key(3, "3")), nullptr);
  EXPECT_EQ(cache.stats().evictions, 1u);
  EXPECT_EQ(cache.stats().entries, 2u);
}

TEST(PlanCacheTest, BoundedByBytes) {
  auto plan = std::make_shared<QueryPlan>();
  size_t one = plan->arena_bytes() + 1000;
  PlanCache cache(PlanCacheOptions{1000, one * 3, 1});
  for (int i = 0; i < 10; ++i)
    cache.insert(key(i, std::string(900, 'a' + i)), std::make_shared<QueryPlan>());
  PlanCacheStats s = cache.stats();
  EXPECT_LE(s.bytes, one * 3);
  EXPECT_LT(s.entries, 10u);
  EXPECT_GT(s.evictions, 0u);
  // A plan bigger than the whole budget is not stored.
  PlanCache tiny(PlanCacheOptions{10, 10, 1});
  tiny.insert(key(1, "{a}"), plan);
  EXPECT_EQ(tiny.stats().entries, 0u);
}

TEST(PlanCacheTest, GetOrPlanCachesOnlySuccess) {
  PlanCache cache;
  int calls = 0;
  auto fail = [&]() -> Result<PlanCache::PlanPtr> {
    ++calls;
    return Status(ErrorCode::kQueryPlanningFailed, "no");
  };
  EXPECT_FALSE(cache.get_or_plan(key(1, "x"), fail).ok());
  EXPECT_FALSE(cache.get_or_plan(key(1, "x"), fail).ok());
  EXPECT_EQ(calls, 2);
  auto ok = [&]() -> Result<PlanCache::PlanPtr> {
    ++calls;
    return PlanCache::PlanPtr(std::make_shared<QueryPlan>());
  };
  auto first = cache.get_or_plan(key(1, "x"), ok);
  auto second = cache.get_or_plan(key(1, "x"), ok);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(calls, 3);
}

TEST(PlanCacheTest, ManyThreads) {
  PlanCache cache(PlanCacheOptions{64, 1u << 30, 4});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        uint64_t h = static_cast<uint64_t>((i * 7 + t) % 100);
        auto k = key(h * 0x9e3779b97f4a7c15ULL, std::to_string(h));
        if (cache.find(k) == nullptr) cache.insert(k, std::make_shared<QueryPlan>());
      }
    });
  }
  for (auto& th : threads)
    th.join();
  PlanCacheStats s = cache.stats();
  EXPECT_EQ(s.hits + s.misses, 8000u);
  EXPECT_LE(s.entries, 64u);
}

}  // namespace
}  // namespace orbit::planner
