// MetricsRegistry: counters, gauges and histograms with labels, recorded from many threads and
// collected into a MetricsSnapshot (metric_data.h) for the Prometheus text writer
// (prometheus_text.h) and the OTLP metric encoder.
//
//   MetricsRegistry registry;
//   CounterFamily& requests = registry.counter("orbit_router_requests_total", "Requests.",
//                                              {"operation_name", "status"});
//   requests.with({"GetUser", "200"}).add();      // on any thread
//   MetricsSnapshot now = registry.collect();       // on any thread
//
// Lifecycle: families are registered at start (counter() / gauge() / histogram(), from one
// thread, before recording starts); the registry owns them and every series they create, so a
// family reference or a Counter/Gauge/Histogram handle stays valid as long as the registry.
//
// Threading: with() and the handles' add/set/observe may be called from any number of threads
// at once. Values live in per-thread-shard cells of relaxed atomics (a thread writes its own
// cache line), and collect() sums the shards, so totals are exact once writers are done and
// never lose an increment. with() resolves a label set through a small thread-local cache
// (no lock, no allocation when the set was seen on this thread before); only a label set new
// to the thread takes the family's shared lock, and a set new to the family its exclusive lock.
// Callers on a hot path may keep the handle instead of calling with() again.
//
// Cardinality: a family holds at most `max_series` label sets (RegistryOptions, default 1000).
// Beyond it, values are recorded into one series whose every label is "__overflow__", and
// each such recording is counted in orbit_telemetry_series_overflow_total{metric}. Label
// values longer than `max_label_value_bytes` are cut there (at a UTF-8 boundary) and invalid
// UTF-8 bytes become U+FFFD, so what a client sends can neither grow memory without bound nor
// break an exposition.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "orbit/telemetry/metric_data.h"

namespace orbit::telemetry {

inline constexpr std::string_view kOverflowLabelValue = "__overflow__";

struct RegistryOptions {
  size_t max_series = 1000;  // distinct label sets per family, the overflow series aside
  size_t max_label_value_bytes = 256;
  // Cells per series; 0: one per hardware thread (rounded up to a power of two, at most 16).
  size_t shards = 0;
};

namespace detail {
struct Series;
class FamilyBase;
}  // namespace detail

// Handles: a pointer to one series. Cheap to copy; default-constructed ones record nothing.
class Counter {
 public:
  Counter() = default;
  void add(uint64_t n = 1) const;

 private:
  friend class CounterFamily;
  Counter(detail::Series* s, size_t shards) : series_(s), shards_(shards) {}
  detail::Series* series_ = nullptr;
  size_t shards_ = 0;
};

class Gauge {
 public:
  Gauge() = default;
  void add(int64_t n) const;  // in-flight style: +1 / -1 from any thread
  void set(double v) const;   // last value wins; mixing set() and add() on one series: don't
  // Back to 0: the adds of every thread and the set value forgotten. Adds racing with it may
  // be lost; for when nothing adds any more (the router's in-flight gauge after its server
  // stopped).
  void reset() const;

 private:
  friend class GaugeFamily;
  Gauge(detail::Series* s, size_t shards) : series_(s), shards_(shards) {}
  detail::Series* series_ = nullptr;
  size_t shards_ = 0;
};

class Histogram {
 public:
  Histogram() = default;
  void observe(double v) const;

 private:
  friend class HistogramFamily;
  Histogram(detail::Series* s, size_t shards, const std::vector<double>* bounds)
      : series_(s), shards_(shards), bounds_(bounds) {}
  detail::Series* series_ = nullptr;
  size_t shards_ = 0;
  const std::vector<double>* bounds_ = nullptr;
};

namespace detail {

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string description, std::string unit, MetricKind kind,
             std::vector<std::string> label_names, std::vector<double> bounds,
             const RegistryOptions& options, std::atomic<uint64_t>* overflow_counter);
  ~FamilyBase();
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  MetricKind kind() const { return kind_; }
  size_t series_count() const;  // label sets held, the overflow series included
  uint64_t overflowed() const { return overflowed_.load(std::memory_order_relaxed); }
  MetricData collect() const;

 protected:
  // The series of these label values (as many as label names; missing ones are "").
  Series* find(std::span<const std::string_view> values);

  const std::vector<double>& bounds() const { return bounds_; }
  size_t shards() const { return shards_; }

 private:
  std::unique_ptr<Series> create(std::span<const std::string_view> values);
  size_t cells_per_shard() const;

  const uint64_t id_;  // unique for the process: keys the thread-local lookup caches
  const std::string name_;
  const std::string description_;
  const std::string unit_;
  const MetricKind kind_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;
  const size_t max_series_;
  const size_t max_label_value_bytes_;
  const size_t shards_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Series>> series_;  // key: joined values
  std::vector<Series*> order_;                                       // creation order
  Series* overflow_ = nullptr;
  std::atomic<uint64_t> overflowed_{0};
  std::atomic<uint64_t>* registry_overflowed_;
};

}  // namespace detail

class CounterFamily : public detail::FamilyBase {
 public:
  using FamilyBase::FamilyBase;
  Counter with(std::initializer_list<std::string_view> values) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Counter with(std::span<const std::string_view> values) { return {find(values), shards()}; }
};

class GaugeFamily : public detail::FamilyBase {
 public:
  using FamilyBase::FamilyBase;
  Gauge with(std::initializer_list<std::string_view> values) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Gauge with(std::span<const std::string_view> values) { return {find(values), shards()}; }
};

class HistogramFamily : public detail::FamilyBase {
 public:
  using FamilyBase::FamilyBase;
  Histogram with(std::initializer_list<std::string_view> values) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Histogram with(std::span<const std::string_view> values) {
    return {find(values), shards(), &bounds()};
  }
};

// Seconds: the default bounds of latency histograms (1 ms … 10 s).
std::vector<double> default_latency_bounds();

class MetricsRegistry {
 public:
  explicit MetricsRegistry(RegistryOptions options = {});
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Names: [a-zA-Z_:][a-zA-Z0-9_:]*; label names [a-zA-Z_][a-zA-Z0-9_]* (asserted). A name
  // registered twice returns the first family (its kind must match).
  CounterFamily& counter(std::string name, std::string description,
                         std::vector<std::string> label_names = {}, std::string unit = "1");
  GaugeFamily& gauge(std::string name, std::string description,
                     std::vector<std::string> label_names = {}, std::string unit = "1");
  // `bounds`: ascending upper bounds, without +Inf.
  HistogramFamily& histogram(std::string name, std::string description,
                             std::vector<std::string> label_names, std::vector<double> bounds,
                             std::string unit = "s");

  // Adds metrics computed when collected (e.g. from another component's stats). Runs inside
  // collect(), on the collecting thread; must be thread-safe and quick.
  void add_collector(std::function<void(MetricsSnapshot&)> collector);

  // Every family in registration order (series in creation order), then the collectors'
  // metrics, then orbit_telemetry_series_overflow_total when any family overflowed.
  MetricsSnapshot collect() const;

  const RegistryOptions& options() const { return options_; }

 private:
  detail::FamilyBase* lookup(const std::string& name, MetricKind kind);

  RegistryOptions options_;
  int64_t start_unix_ns_;
  mutable std::mutex mutex_;  // families_ and collectors_ (registration and collect only)
  std::vector<std::unique_ptr<detail::FamilyBase>> families_;
  std::vector<std::function<void(MetricsSnapshot&)>> collectors_;
  std::atomic<uint64_t> overflowed_{0};
};

}  // namespace orbit::telemetry
