// merge_fleet (fleet.h): one row per router id from the usage reports and the CDN's polls, the
// identity of the source heard from last, and the stale rule on each router's own intervals.
#include "orbit/controlplane/fleet.h"

#include <gtest/gtest.h>

namespace orbit::controlplane {
namespace {

constexpr int64_t kNow = 1'800'000'000;  // seconds
constexpr int64_t kNowMs = kNow * 1000;

registry::RouterRecord reported(const std::string& id, int64_t last, int64_t interval) {
  registry::RouterRecord r;
  r.id = id;
  r.host = "usage-host";
  r.orbit_version = "0.1.0";
  r.config_version = "v1";
  r.first_seen = last - 600;
  r.last_seen = last;
  r.report_interval_seconds = interval;
  return r;
}

cdn::RouterSighting polled(const std::string& id, int64_t last_ms, int64_t interval) {
  cdn::RouterSighting s;
  s.id = id;
  s.host = "cdn-host";
  s.orbit_version = "0.1.0";
  s.config_version = "v2";
  s.first_seen_ms = last_ms - 60'000;
  s.last_seen_ms = last_ms;
  s.poll_interval_seconds = interval;
  return s;
}

TEST(Fleet, OneRowPerRouterWithTheLaterSourcesIdentity) {
  auto fleet =
      merge_fleet({reported("a", kNow - 10, 60), reported("b", kNow - 5, 60)},
                  {polled("a", kNowMs - 2'000, 10), polled("c", kNowMs - 1'000, 10)}, kNowMs);
  ASSERT_EQ(fleet.size(), 3u);
  // Newest first: c (1 s ago), a (2 s ago through the CDN), b (5 s ago).
  EXPECT_EQ(fleet[0].id, "c");
  EXPECT_TRUE(fleet[0].via_cdn);
  EXPECT_FALSE(fleet[0].via_usage);
  EXPECT_EQ(fleet[1].id, "a");
  EXPECT_TRUE(fleet[1].via_cdn);
  EXPECT_TRUE(fleet[1].via_usage);
  EXPECT_EQ(fleet[1].host, "cdn-host");  // the CDN heard from it last
  EXPECT_EQ(fleet[1].config_version, "v2");
  EXPECT_EQ(fleet[1].first_seen_ms, (kNow - 610) * 1000);  // the earlier first sighting
  EXPECT_EQ(fleet[1].last_seen_ms, kNowMs - 2'000);
  EXPECT_EQ(fleet[1].poll_interval_seconds, 10);
  EXPECT_EQ(fleet[1].report_interval_seconds, 60);
  EXPECT_EQ(fleet[2].id, "b");
  EXPECT_FALSE(fleet[2].via_cdn);
  EXPECT_EQ(fleet[2].host, "usage-host");

  // A report after the last poll: the report's identity; an empty value never wins.
  registry::RouterRecord later = reported("a", kNow, 60);
  later.host = "";
  fleet = merge_fleet({later}, {polled("a", kNowMs - 2'000, 10)}, kNowMs);
  ASSERT_EQ(fleet.size(), 1u);
  EXPECT_EQ(fleet[0].config_version, "v1");
  EXPECT_EQ(fleet[0].host, "cdn-host");
  EXPECT_EQ(fleet[0].last_seen_ms, kNowMs);
}

TEST(Fleet, StaleAfterThreeOfItsOwnIntervalsWithAFloor) {
  auto status = [](int64_t age_seconds, int64_t poll, int64_t report, bool cdn, bool usage) {
    std::vector<registry::RouterRecord> u;
    std::vector<cdn::RouterSighting> c;
    if (usage) u.push_back(reported("r", kNow - age_seconds, report));
    if (cdn) c.push_back(polled("r", (kNow - age_seconds) * 1000, poll));
    return merge_fleet(u, c, kNowMs)[0].stale;
  };
  // Polls every 60 s: stale after 180 s.
  EXPECT_FALSE(status(180, 60, 0, true, false));
  EXPECT_TRUE(status(181, 60, 0, true, false));
  // Polls every second: the floor (30 s) and not 3 s.
  EXPECT_FALSE(status(29, 1, 0, true, false));
  EXPECT_TRUE(status(31, 1, 0, true, false));
  // No interval announced: managed mode's default poll (10 s → the 30 s floor) and usage
  // reporting's default (60 s → 180 s).
  EXPECT_TRUE(status(31, 0, 0, true, false));
  EXPECT_FALSE(status(179, 0, 0, false, true));
  EXPECT_TRUE(status(181, 0, 0, false, true));
  // Reports every 5 minutes: 15 minutes.
  EXPECT_FALSE(status(899, 0, 300, false, true));
  EXPECT_TRUE(status(901, 0, 300, false, true));
  // Seen both ways: healthy while either is fresh.
  auto fleet =
      merge_fleet({reported("r", kNow - 100, 60)}, {polled("r", kNowMs - 100'000, 10)}, kNowMs);
  EXPECT_FALSE(fleet[0].stale);  // usage: 100 s < 180 s, although the polls stopped
  EXPECT_EQ(fleet[0].stale_after_ms, (kNow + 80) * 1000);

  FleetRules rules;
  rules.stale_floor_seconds = 5;
  rules.missed_intervals = 2;
  EXPECT_TRUE(merge_fleet({}, {polled("r", kNowMs - 7'000, 3)}, kNowMs, rules)[0].stale);
  EXPECT_FALSE(merge_fleet({}, {polled("r", kNowMs - 5'000, 3)}, kNowMs, rules)[0].stale);
}

TEST(Fleet, Limit) {
  std::vector<cdn::RouterSighting> many;
  for (int i = 0; i < 20; ++i)
    many.push_back(polled("r" + std::to_string(i), kNowMs - i * 1000, 10));
  auto fleet = merge_fleet({}, many, kNowMs, {}, 5);
  ASSERT_EQ(fleet.size(), 5u);
  EXPECT_EQ(fleet[0].id, "r0");
  EXPECT_EQ(fleet[4].id, "r4");
  EXPECT_TRUE(merge_fleet({}, {}, kNowMs).empty());
}

}  // namespace
}  // namespace orbit::controlplane
