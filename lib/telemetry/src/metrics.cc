#include "orbit/telemetry/metrics.h"

#include <bit>
#include <chrono>
#include <cstring>
#include <thread>

#include "orbit/base/assert.h"

namespace orbit::telemetry {

namespace detail {

// One label set's values: `shards` groups of `stride` relaxed atomics, each group starting on
// its own cache line. Counter: [count]. Gauge: [sum of add()] and `set_value`. Histogram:
// [bucket 0 … bucket n (above every bound), sum as double bits].
struct Series {
  std::vector<std::string> values;
  std::vector<std::atomic<uint64_t>> storage;
  std::atomic<uint64_t>* cells = nullptr;  // 64-byte aligned start inside storage
  size_t stride = 0;
  std::atomic<double> set_value{0};
  std::atomic<bool> was_set{false};
};

}  // namespace detail

namespace {

using detail::Series;

std::atomic<uint64_t> g_family_ids{1};
std::atomic<size_t> g_thread_ids{0};

size_t thread_shard_seed() {
  thread_local size_t id = g_thread_ids.fetch_add(1, std::memory_order_relaxed);
  return id;
}

// The lookup cache of this thread: direct-mapped by a hash of (family id, label values), each
// entry verified against the series' own values, so a collision only costs a miss. Plain
// data (no constructor, no allocation); entries of destroyed families are never matched
// again (ids are not reused).
struct CacheEntry {
  uint64_t family;
  uint64_t hash;
  Series* series;
};
constexpr size_t kThreadCacheEntries = 1024;  // a power of two
thread_local CacheEntry t_cache[kThreadCacheEntries];

uint64_t mix(uint64_t h, uint64_t w) {
  h ^= w;
  h *= 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 29);
}

uint64_t hash_values(uint64_t family, std::span<const std::string_view> values, size_t n) {
  uint64_t h = mix(0x243F6A8885A308D3ull, family);
  for (size_t i = 0; i < n; ++i) {
    std::string_view v = i < values.size() ? values[i] : std::string_view();
    h = mix(h, v.size());
    size_t at = 0;
    for (; at + 8 <= v.size(); at += 8) {
      uint64_t w;
      std::memcpy(&w, v.data() + at, 8);
      h = mix(h, w);
    }
    if (at < v.size()) {
      uint64_t w = 0;
      std::memcpy(&w, v.data() + at, v.size() - at);
      h = mix(h, w);
    }
  }
  return h;
}

// Unambiguous (length-prefixed) text of the values: the family's map key.
std::string encode_values(std::span<const std::string_view> values, size_t n) {
  std::string key;
  for (size_t i = 0; i < n; ++i) {
    std::string_view v = i < values.size() ? values[i] : std::string_view();
    uint32_t len = static_cast<uint32_t>(v.size());
    key.append(reinterpret_cast<const char*>(&len), sizeof len);
    key.append(v);
  }
  return key;
}

bool valid_metric_name(std::string_view s, bool allow_colon) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Length of the valid UTF-8 sequence at s[i], 0 when invalid.
size_t utf8_sequence(std::string_view s, size_t i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) return 1;
  size_t n = 0;
  uint32_t cp = 0;
  if ((b & 0xE0) == 0xC0) {
    n = 2;
    cp = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3;
    cp = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4;
    cp = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return n;
}

bool clean_label_value(std::string_view s, size_t max_bytes) {
  if (s.size() > max_bytes) return false;
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Invalid bytes become U+FFFD; cut to at most max_bytes at a character boundary.
std::string clean_copy(std::string_view s, size_t max_bytes) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence(s, i);
    std::string_view piece = n == 0 ? std::string_view("\xEF\xBF\xBD") : s.substr(i, n);
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
    i += n == 0 ? 1 : n;
  }
  return out;
}

double load_double(const std::atomic<uint64_t>& a) {
  return std::bit_cast<double>(a.load(std::memory_order_relaxed));
}

int64_t now_unix_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// ---- handles ----

void Counter::add(uint64_t n) const {
  if (series_ == nullptr) return;
  size_t shard = thread_shard_seed() & (shards_ - 1);
  series_->cells[shard * series_->stride].fetch_add(n, std::memory_order_relaxed);
}

void Gauge::add(int64_t n) const {
  if (series_ == nullptr) return;
  size_t shard = thread_shard_seed() & (shards_ - 1);
  series_->cells[shard * series_->stride].fetch_add(static_cast<uint64_t>(n),
                                                    std::memory_order_relaxed);
}

void Gauge::set(double v) const {
  if (series_ == nullptr) return;
  series_->set_value.store(v, std::memory_order_relaxed);
  series_->was_set.store(true, std::memory_order_relaxed);
}

void Gauge::reset() const {
  if (series_ == nullptr) return;
  for (size_t shard = 0; shard < shards_; ++shard)
    series_->cells[shard * series_->stride].store(0, std::memory_order_relaxed);
  series_->set_value.store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) const {
  if (series_ == nullptr) return;
  size_t shard = thread_shard_seed() & (shards_ - 1);
  std::atomic<uint64_t>* cells = series_->cells + shard * series_->stride;
  const std::vector<double>& b = *bounds_;
  // Linear: a dozen or two bounds, mostly small values — cheaper than a binary search here.
  size_t i = 0;
  while (i < b.size() && v > b[i])
    ++i;
  cells[i].fetch_add(1, std::memory_order_relaxed);
  std::atomic<uint64_t>& sum = cells[b.size() + 1];
  uint64_t old = sum.load(std::memory_order_relaxed);
  while (!sum.compare_exchange_weak(old, std::bit_cast<uint64_t>(std::bit_cast<double>(old) + v),
                                    std::memory_order_relaxed)) {
  }
}

// ---- families ----

namespace detail {

FamilyBase::FamilyBase(std::string name, std::string description, std::string unit, MetricKind kind,
                       std::vector<std::string> label_names, std::vector<double> bounds,
                       const RegistryOptions& options, std::atomic<uint64_t>* overflow_counter)
    : id_(g_family_ids.fetch_add(1, std::memory_order_relaxed)),
      name_(std::move(name)),
      description_(std::move(description)),
      unit_(std::move(unit)),
      kind_(kind),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)),
      max_series_(options.max_series),
      max_label_value_bytes_(options.max_label_value_bytes),
      shards_(options.shards),
      registry_overflowed_(overflow_counter) {
  std::vector<std::string_view> values(label_names_.size(), kOverflowLabelValue);
  overflow_ = create(values).release();
}

FamilyBase::~FamilyBase() {
  delete overflow_;
}

size_t FamilyBase::cells_per_shard() const {
  size_t n = kind_ == MetricKind::kHistogram ? bounds_.size() + 2 : 1;
  return (n + 7) / 8 * 8;  // whole cache lines
}

std::unique_ptr<Series> FamilyBase::create(std::span<const std::string_view> values) {
  auto s = std::make_unique<Series>();
  s->values.reserve(label_names_.size());
  for (size_t i = 0; i < label_names_.size(); ++i)
    s->values.emplace_back(i < values.size() ? values[i] : std::string_view());
  s->stride = cells_per_shard();
  s->storage = std::vector<std::atomic<uint64_t>>(s->stride * shards_ + 8);
  auto addr = reinterpret_cast<uintptr_t>(s->storage.data());
  size_t skip = ((64 - addr % 64) % 64) / sizeof(uint64_t);
  s->cells = s->storage.data() + skip;
  return s;
}

Series* FamilyBase::find(std::span<const std::string_view> raw) {
  // Label values from outside are cleaned before they key anything, so two raw sets that
  // clean to the same values share one series.
  std::vector<std::string> owned;
  std::span<const std::string_view> values = raw.first(std::min(raw.size(), label_names_.size()));
  bool dirty = false;
  for (std::string_view v : values)
    dirty = dirty || !clean_label_value(v, max_label_value_bytes_);
  std::vector<std::string_view> cleaned_views;
  if (dirty) {
    owned.reserve(values.size());
    for (std::string_view v : values)
      owned.push_back(clean_copy(v, max_label_value_bytes_));
    cleaned_views.assign(owned.begin(), owned.end());
    values = cleaned_views;
  }

  const size_t n = label_names_.size();
  const uint64_t hash = hash_values(id_, values, n);
  CacheEntry& slot = t_cache[hash & (kThreadCacheEntries - 1)];
  if (slot.family == id_ && slot.hash == hash) {
    bool same = true;
    for (size_t i = 0; i < n && same; ++i)
      same = slot.series->values[i] == (i < values.size() ? values[i] : std::string_view());
    if (same) return slot.series;
  }

  const std::string family_key = encode_values(values, n);
  Series* found = nullptr;
  bool full = false;
  {
    std::shared_lock lock(mutex_);
    if (auto it = series_.find(family_key); it != series_.end()) {
      found = it->second.get();
    } else {
      full = series_.size() >= max_series_;
    }
  }
  if (found == nullptr && !full) {
    std::unique_lock lock(mutex_);
    auto it = series_.find(family_key);
    if (it != series_.end()) {
      found = it->second.get();
    } else if (series_.size() < max_series_) {
      auto s = create(values);
      found = s.get();
      order_.push_back(found);
      series_.emplace(family_key, std::move(s));
    }
  }
  if (found == nullptr) {
    // Not cached: every recording into the overflow series is counted.
    overflowed_.fetch_add(1, std::memory_order_relaxed);
    registry_overflowed_->fetch_add(1, std::memory_order_relaxed);
    return overflow_;
  }
  slot = CacheEntry{id_, hash, found};
  return found;
}

size_t FamilyBase::series_count() const {
  std::shared_lock lock(mutex_);
  return series_.size() + (overflowed() > 0 ? 1 : 0);
}

MetricData FamilyBase::collect() const {
  MetricData m;
  m.name = name_;
  m.description = description_;
  m.unit = unit_;
  m.kind = kind_;
  auto point_of = [&](const Series& s) {
    MetricPoint p;
    p.attributes.reserve(label_names_.size());
    for (size_t i = 0; i < label_names_.size(); ++i)
      p.attributes.emplace_back(label_names_[i], s.values[i]);
    switch (kind_) {
      case MetricKind::kCounter: {
        uint64_t total = 0;
        for (size_t k = 0; k < shards_; ++k)
          total += s.cells[k * s.stride].load(std::memory_order_relaxed);
        p.value = static_cast<double>(total);
        break;
      }
      case MetricKind::kGauge: {
        int64_t total = 0;
        for (size_t k = 0; k < shards_; ++k)
          total += static_cast<int64_t>(s.cells[k * s.stride].load(std::memory_order_relaxed));
        p.value = static_cast<double>(total) + s.set_value.load(std::memory_order_relaxed);
        break;
      }
      case MetricKind::kHistogram: {
        HistogramValue& h = p.histogram;
        h.bounds = bounds_;
        h.counts.assign(bounds_.size() + 1, 0);
        for (size_t k = 0; k < shards_; ++k) {
          const std::atomic<uint64_t>* cells = s.cells + k * s.stride;
          for (size_t b = 0; b <= bounds_.size(); ++b)
            h.counts[b] += cells[b].load(std::memory_order_relaxed);
          h.sum += load_double(cells[bounds_.size() + 1]);
        }
        for (uint64_t c : h.counts)
          h.count += c;
        p.value = static_cast<double>(h.count);
        break;
      }
    }
    return p;
  };
  std::shared_lock lock(mutex_);
  m.points.reserve(order_.size() + 1);
  for (const Series* s : order_)
    m.points.push_back(point_of(*s));
  if (overflowed() > 0) m.points.push_back(point_of(*overflow_));
  return m;
}

}  // namespace detail

// ---- registry ----

std::vector<double> default_latency_bounds() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

MetricsRegistry::MetricsRegistry(RegistryOptions options)
    : options_(options), start_unix_ns_(now_unix_ns()) {
  if (options_.shards == 0) options_.shards = std::max(1u, std::thread::hardware_concurrency());
  options_.shards = std::min<size_t>(std::bit_ceil(options_.shards), 16);
  if (options_.max_label_value_bytes < 16) options_.max_label_value_bytes = 16;
}

MetricsRegistry::~MetricsRegistry() = default;

detail::FamilyBase* MetricsRegistry::lookup(const std::string& name, MetricKind kind) {
  for (auto& f : families_) {
    if (f->name() == name) {
      ORBIT_RELEASE_ASSERT(f->kind() == kind && "metric registered twice, two kinds");
      return f.get();
    }
  }
  return nullptr;
}

namespace {
void check_names(const std::string& name, const std::vector<std::string>& labels) {
  ORBIT_RELEASE_ASSERT(valid_metric_name(name, true));
  for (const std::string& l : labels)
    ORBIT_RELEASE_ASSERT(valid_metric_name(l, false) && !l.starts_with("__"));
}
}  // namespace

CounterFamily& MetricsRegistry::counter(std::string name, std::string description,
                                        std::vector<std::string> label_names, std::string unit) {
  check_names(name, label_names);
  std::lock_guard lock(mutex_);
  if (auto* f = lookup(name, MetricKind::kCounter)) return static_cast<CounterFamily&>(*f);
  families_.push_back(std::make_unique<CounterFamily>(
      std::move(name), std::move(description), std::move(unit), MetricKind::kCounter,
      std::move(label_names), std::vector<double>{}, options_, &overflowed_));
  return static_cast<CounterFamily&>(*families_.back());
}

GaugeFamily& MetricsRegistry::gauge(std::string name, std::string description,
                                    std::vector<std::string> label_names, std::string unit) {
  check_names(name, label_names);
  std::lock_guard lock(mutex_);
  if (auto* f = lookup(name, MetricKind::kGauge)) return static_cast<GaugeFamily&>(*f);
  families_.push_back(std::make_unique<GaugeFamily>(
      std::move(name), std::move(description), std::move(unit), MetricKind::kGauge,
      std::move(label_names), std::vector<double>{}, options_, &overflowed_));
  return static_cast<GaugeFamily&>(*families_.back());
}

HistogramFamily& MetricsRegistry::histogram(std::string name, std::string description,
                                            std::vector<std::string> label_names,
                                            std::vector<double> bounds, std::string unit) {
  check_names(name, label_names);
  for (size_t i = 1; i < bounds.size(); ++i)
    ORBIT_RELEASE_ASSERT(bounds[i - 1] < bounds[i] && "histogram bounds must ascend");
  std::lock_guard lock(mutex_);
  if (auto* f = lookup(name, MetricKind::kHistogram)) return static_cast<HistogramFamily&>(*f);
  families_.push_back(std::make_unique<HistogramFamily>(
      std::move(name), std::move(description), std::move(unit), MetricKind::kHistogram,
      std::move(label_names), std::move(bounds), options_, &overflowed_));
  return static_cast<HistogramFamily&>(*families_.back());
}

void MetricsRegistry::add_collector(std::function<void(MetricsSnapshot&)> collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

MetricsSnapshot MetricsRegistry::collect() const {
  MetricsSnapshot snap;
  snap.start_unix_ns = start_unix_ns_;
  snap.time_unix_ns = now_unix_ns();
  std::lock_guard lock(mutex_);
  snap.metrics.reserve(families_.size() + collectors_.size() + 1);
  for (const auto& f : families_)
    snap.metrics.push_back(f->collect());
  for (const auto& c : collectors_)
    c(snap);
  if (overflowed_.load(std::memory_order_relaxed) > 0) {
    MetricData m;
    m.name = "orbit_telemetry_series_overflow_total";
    m.description =
        "Values recorded into a metric's __overflow__ series because it held its maximum of "
        "label sets.";
    m.kind = MetricKind::kCounter;
    for (const auto& f : families_) {
      if (f->overflowed() == 0) continue;
      MetricPoint p;
      p.attributes.emplace_back("metric", f->name());
      p.value = static_cast<double>(f->overflowed());
      m.points.push_back(std::move(p));
    }
    snap.metrics.push_back(std::move(m));
  }
  return snap;
}

}  // namespace orbit::telemetry
