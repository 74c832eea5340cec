#include "orbit/telemetry/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace orbit::telemetry {
namespace {

const MetricData* find_metric(const MetricsSnapshot& s, std::string_view name) {
  for (const MetricData& m : s.metrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

// A copy: the snapshot is a temporary.
MetricData collected(const MetricsRegistry& r, std::string_view name) {
  MetricsSnapshot s = r.collect();
  const MetricData* m = find_metric(s, name);
  return m ? *m : MetricData{};
}

const MetricPoint* find_point(const MetricData& m, const Attributes& attributes) {
  for (const MetricPoint& p : m.points) {
    if (p.attributes == attributes) return &p;
  }
  return nullptr;
}

TEST(MetricsRegistry, CountersFromManyThreadsAreExact) {
  MetricsRegistry registry;
  CounterFamily& requests = registry.counter("requests_total", "Requests.", {"op", "status"});
  constexpr int kThreads = 6;
  constexpr int kPerThread = 20'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every thread hits a shared series and one of its own, looked up each time.
        requests.with({"shared", "200"}).add();
        requests.with({"own" + std::to_string(t), i % 2 ? "200" : "500"}).add(2);
      }
    });
  }
  for (auto& th : threads)
    th.join();
  MetricsSnapshot snap = registry.collect();
  const MetricData* m = find_metric(snap, "requests_total");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->kind, MetricKind::kCounter);
  EXPECT_EQ(m->points.size(), 1u + 2 * kThreads);
  const MetricPoint* shared = find_point(*m, {{"op", "shared"}, {"status", "200"}});
  ASSERT_NE(shared, nullptr);
  EXPECT_EQ(shared->value, kThreads * kPerThread);
  for (int t = 0; t < kThreads; ++t) {
    const MetricPoint* own = find_point(*m, {{"op", "own" + std::to_string(t)}, {"status", "500"}});
    ASSERT_NE(own, nullptr);
    EXPECT_EQ(own->value, kPerThread);  // half the iterations, 2 each
  }
  EXPECT_GT(snap.time_unix_ns, 0);
  EXPECT_LE(snap.start_unix_ns, snap.time_unix_ns);
}

TEST(MetricsRegistry, HistogramsFromManyThreads) {
  MetricsRegistry registry;
  HistogramFamily& latency =
      registry.histogram("latency_seconds", "Latency.", {"op"}, {0.01, 0.1, 1});
  Histogram h = latency.with({"q"});
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        h.observe(0.01);  // on a bound: that bucket (le is inclusive)
        h.observe(0.5);
        h.observe(7);  // above every bound
      }
    });
  }
  for (auto& th : threads)
    th.join();
  MetricsSnapshot snap = registry.collect();
  const MetricData* m = find_metric(snap, "latency_seconds");
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->points.size(), 1u);
  const HistogramValue& v = m->points[0].histogram;
  const uint64_t n = kThreads * kPerThread;
  EXPECT_EQ(v.bounds, (std::vector<double>{0.01, 0.1, 1}));
  EXPECT_EQ(v.counts, (std::vector<uint64_t>{n, 0, n, n}));
  EXPECT_EQ(v.count, 3 * n);
  EXPECT_NEAR(v.sum, n * (0.01 + 0.5 + 7), 1e-6 * n);
}

TEST(MetricsRegistry, GaugesAddAndSet) {
  MetricsRegistry registry;
  GaugeFamily& in_flight = registry.gauge("in_flight", "In flight.");
  Gauge g = in_flight.with({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        g.add(1);
        g.add(-1);
      }
      g.add(1);
    });
  }
  for (auto& th : threads)
    th.join();
  g.add(-1);
  EXPECT_EQ(collected(registry, "in_flight").points.at(0).value, 3);

  Gauge last = registry.gauge("last", "Last value.").with({});
  last.set(2.5);
  last.set(-4.25);
  EXPECT_EQ(collected(registry, "last").points.at(0).value, -4.25);

  // reset() forgets the adds of every thread (3 above, on several shards) and the set value.
  g.reset();
  EXPECT_EQ(collected(registry, "in_flight").points.at(0).value, 0);
  g.add(1);
  EXPECT_EQ(collected(registry, "in_flight").points.at(0).value, 1);
  last.reset();
  EXPECT_EQ(collected(registry, "last").points.at(0).value, 0);
}

TEST(MetricsRegistry, CardinalityCapSendsNewLabelSetsToOverflow) {
  RegistryOptions options;
  options.max_series = 3;
  MetricsRegistry registry(options);
  CounterFamily& c = registry.counter("ops_total", "Ops.", {"operation_name", "status"});
  for (int i = 0; i < 5; ++i)
    c.with({"op" + std::to_string(i), "200"}).add(10);
  c.with({"op0", "200"}).add();  // known: still its own series
  c.with({"op9", "200"}).add();  // new: overflow again
  MetricsSnapshot snap = registry.collect();
  const MetricData* m = find_metric(snap, "ops_total");
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->points.size(), 4u);
  EXPECT_EQ(find_point(*m, {{"operation_name", "op0"}, {"status", "200"}})->value, 11);
  EXPECT_EQ(find_point(*m, {{"operation_name", "op2"}, {"status", "200"}})->value, 10);
  EXPECT_EQ(find_point(*m, {{"operation_name", "op3"}, {"status", "200"}}), nullptr);
  const MetricPoint* overflow =
      find_point(*m, {{"operation_name", "__overflow__"}, {"status", "__overflow__"}});
  ASSERT_NE(overflow, nullptr);
  EXPECT_EQ(overflow->value, 21);
  EXPECT_EQ(c.overflowed(), 3u);
  EXPECT_EQ(c.series_count(), 4u);

  const MetricData* counted = find_metric(snap, "orbit_telemetry_series_overflow_total");
  ASSERT_NE(counted, nullptr);
  EXPECT_EQ(find_point(*counted, {{"metric", "ops_total"}})->value, 3);
}

TEST(MetricsRegistry, NoOverflowSeriesUntilNeeded) {
  MetricsRegistry registry;
  registry.counter("a_total", "A.", {"x"}).with({"1"}).add();
  MetricsSnapshot snap = registry.collect();
  EXPECT_EQ(find_metric(snap, "a_total")->points.size(), 1u);
  EXPECT_EQ(find_metric(snap, "orbit_telemetry_series_overflow_total"), nullptr);
}

TEST(MetricsRegistry, UntrustedLabelValuesAreCutAndRepaired) {
  RegistryOptions options;
  options.max_label_value_bytes = 20;
  MetricsRegistry registry(options);
  CounterFamily& c = registry.counter("clients_total", "Clients.", {"client"});
  c.with({std::string(100, 'a')}).add();
  c.with({std::string(20, 'a') + "bbb"}).add();  // cuts to the same value: same series
  c.with({"bad\xff\xfe"}).add();
  c.with({"\xc3\xa9t\xc3\xa9"}).add();                // valid UTF-8 kept
  c.with({std::string(19, 'x') + "\xc3\xa9"}).add();  // not cut inside a character
  MetricData data = collected(registry, "clients_total");
  const MetricData* m = &data;
  ASSERT_EQ(m->points.size(), 4u);
  EXPECT_EQ(m->points[0].attributes[0].second, std::string(20, 'a'));
  EXPECT_EQ(m->points[0].value, 2);
  EXPECT_EQ(m->points[1].attributes[0].second, "bad\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(m->points[2].attributes[0].second, "\xc3\xa9t\xc3\xa9");
  EXPECT_EQ(m->points[3].attributes[0].second, std::string(19, 'x'));
}

TEST(MetricsRegistry, MissingLabelValuesAreEmptyAndExtraOnesIgnored) {
  MetricsRegistry registry;
  CounterFamily& c = registry.counter("x_total", "X.", {"a", "b"});
  c.with({"1"}).add();
  c.with({"1", "", "ignored"}).add();
  MetricData data = collected(registry, "x_total");
  const MetricData* m = &data;
  ASSERT_EQ(m->points.size(), 1u);
  EXPECT_EQ(m->points[0].attributes, (Attributes{{"a", "1"}, {"b", ""}}));
  EXPECT_EQ(m->points[0].value, 2);
}

TEST(MetricsRegistry, RegisteringAgainReturnsTheSameFamily) {
  MetricsRegistry registry;
  CounterFamily& a = registry.counter("same_total", "Same.", {"x"});
  CounterFamily& b = registry.counter("same_total", "Same.", {"x"});
  EXPECT_EQ(&a, &b);
  a.with({"1"}).add();
  b.with({"1"}).add();
  EXPECT_EQ(collected(registry, "same_total").points.at(0).value, 2);
}

TEST(MetricsRegistry, TwoRegistriesDoNotShareSeries) {
  // The thread-local lookup cache is keyed by family, not by name.
  for (int round = 0; round < 3; ++round) {
    MetricsRegistry registry;
    registry.counter("c_total", "C.", {"x"}).with({"v"}).add();
    EXPECT_EQ(collected(registry, "c_total").points.at(0).value, 1);
  }
}

TEST(MetricsRegistry, MoreLabelSetsThanTheThreadCacheHoldsStayApart) {
  // The per-thread lookup cache holds 1024 entries: evictions and collisions must only cost
  // a lookup, never mix series.
  RegistryOptions options;
  options.max_series = 5000;
  MetricsRegistry registry(options);
  CounterFamily& c = registry.counter("many_total", "Many.", {"a", "b"});
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 3000; ++i)
      c.with({"v" + std::to_string(i), i % 2 ? "x" : "y"}).add(i + 1);
  }
  MetricData m = collected(registry, "many_total");
  ASSERT_EQ(m.points.size(), 3000u);
  for (int i = 0; i < 3000; ++i) {
    ASSERT_EQ(m.points[i].attributes[0].second, "v" + std::to_string(i));
    ASSERT_EQ(m.points[i].value, 3 * (i + 1)) << i;
  }
}

TEST(MetricsRegistry, CollectorsAddTheirMetrics) {
  MetricsRegistry registry;
  registry.counter("first_total", "First.").with({}).add(4);
  registry.add_collector([](MetricsSnapshot& s) {
    MetricData m;
    m.name = "computed";
    m.kind = MetricKind::kGauge;
    m.points.push_back(MetricPoint{{{"k", "v"}}, 42, {}});
    s.metrics.push_back(std::move(m));
  });
  MetricsSnapshot snap = registry.collect();
  ASSERT_EQ(snap.metrics.size(), 2u);
  EXPECT_EQ(snap.metrics[0].name, "first_total");
  EXPECT_EQ(snap.metrics[0].points.at(0).value, 4);
  EXPECT_EQ(snap.metrics[1].name, "computed");
  EXPECT_EQ(snap.metrics[1].points.at(0).value, 42);
}

TEST(MetricsRegistry, DefaultHandlesRecordNothing) {
  Counter c;
  c.add();
  Gauge g;
  g.add(1);
  g.set(1);
  Histogram h;
  h.observe(1);
  SUCCEED();
}

}  // namespace
}  // namespace orbit::telemetry
