#include "orbit/telemetry/otlp_exporter.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

#include "gzip_codec.h"
#include "orbit/base/log.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/net/url.h"

namespace orbit::telemetry {

namespace {

using Clock = std::chrono::steady_clock;
using config::TelemetrySignal;

constexpr size_t kShards = 16;
constexpr size_t kSignals = 2;  // 0: traces, 1: metrics
// A thread's encoding buffer is kept for the next call unless one call made it bigger.
constexpr size_t kMaxScratchBytes = 256 * 1024;

size_t signal_index(TelemetrySignal s) {
  return s == TelemetrySignal::kTraces ? 0 : 1;
}

// Callers are spread over the shards by a per-thread number taken once.
size_t this_thread_shard() {
  static std::atomic<size_t> next{0};
  thread_local size_t shard = next.fetch_add(1, std::memory_order_relaxed) % kShards;
  return shard;
}

bool transient_status(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

// Retry-After as delta-seconds (the HTTP-date form is not used by OTLP receivers in practice
// and falls back to the backoff).
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view v) {
  while (!v.empty() && v.front() == ' ')
    v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ')
    v.remove_suffix(1);
  if (v.empty() || v.size() > 9) return std::nullopt;
  int64_t seconds = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return std::chrono::milliseconds(seconds * 1000);
}

}  // namespace

ExporterOptions exporter_options(const config::TelemetryConfig& config) {
  ExporterOptions o;
  o.resource.service_name = config.service_name;
  o.resource.attributes = config.resource_attributes;
  o.max_queue_spans = config.tracing.max_queue_spans;
  o.max_export_batch = std::max<uint32_t>(1, config.tracing.max_export_batch);
  o.export_interval = config.tracing.export_interval;
  return o;
}

void append_exporter_metrics(const ExporterStats& stats, MetricsSnapshot& out) {
  struct Family {
    const char* name;
    const char* help;
    uint64_t SignalStats::*field;
  };
  const Family families[] = {
      {"orbit_router_telemetry_exported_total",
       "Spans and metric points accepted by an OTLP endpoint (once per endpoint).",
       &SignalStats::exported},
      {"orbit_router_telemetry_dropped_total",
       "Spans and metric points dropped: export queue full, or still queued at shutdown.",
       &SignalStats::dropped},
      {"orbit_router_telemetry_failed_total",
       "Spans and metric points an OTLP endpoint did not take (after retries).",
       &SignalStats::failed},
  };
  for (const Family& f : families) {
    MetricData m;
    m.name = f.name;
    m.description = f.help;
    m.unit = "1";
    m.kind = MetricKind::kCounter;
    m.points.push_back(
        MetricPoint{{{"signal", "traces"}}, static_cast<double>(stats.spans.*f.field), {}});
    m.points.push_back(
        MetricPoint{{{"signal", "metrics"}}, static_cast<double>(stats.metrics.*f.field), {}});
    out.metrics.push_back(std::move(m));
  }
}

struct OtlpExporter::Impl {
  struct Endpoint {
    config::OtlpExporterConfig config;
    std::string url[kSignals];  // empty: the endpoint does not take the signal
    OtlpEncoding encoding = OtlpEncoding::kProtobuf;
  };

  struct Batch {
    size_t signal = 0;
    uint64_t items = 0;
    std::string span_messages;  // protobuf Span messages (SpanWriter)
    MetricsSnapshot metrics;
    std::string bodies[2][2];  // [encoding][gzip], encoded on first use
    size_t pending_endpoints = 0;

    const std::string& body(OtlpEncoding encoding, bool gzip, const Resource& resource) {
      std::string& b = bodies[static_cast<size_t>(encoding)][gzip ? 1 : 0];
      if (b.empty()) {
        std::string& plain = bodies[static_cast<size_t>(encoding)][0];
        if (plain.empty()) {
          plain = signal == 0 ? encode_span_messages(span_messages, resource, encoding)
                              : encode_metrics(metrics, resource, encoding);
        }
        if (gzip) b = gzip_compress(plain);
      }
      return b;
    }
  };

  // What one export call queued: that many bytes of messages holding that many spans. Batches
  // take whole pieces, so the spans of one request travel together.
  struct Piece {
    uint32_t bytes = 0;
    uint32_t spans = 0;
  };

  struct alignas(64) Shard {
    std::mutex mu;
    std::string messages;
    std::vector<Piece> pieces;
    size_t spans = 0;
  };

  Impl(std::vector<config::OtlpExporterConfig> configs, ExporterOptions opts)
      : options(std::move(opts)) {
    if (options.max_export_batch == 0) options.max_export_batch = 1;
    if (options.max_concurrent_exports == 0) options.max_concurrent_exports = 1;
    if (options.max_attempts == 0) options.max_attempts = 1;
    if (options.export_interval.count() <= 0) options.export_interval = std::chrono::seconds(1);
    for (config::OtlpExporterConfig& c : configs) {
      Endpoint e;
      e.encoding = c.encoding == config::OtlpExporterConfig::Encoding::kJson
                       ? OtlpEncoding::kJson
                       : OtlpEncoding::kProtobuf;
      for (TelemetrySignal s : {TelemetrySignal::kTraces, TelemetrySignal::kMetrics}) {
        if (!c.exports(s)) continue;
        std::string url = c.url_for(s);
        Result<net::Url> parsed = net::parse_url(url);
        if (!parsed.ok()) {
          log::warn("telemetry: OTLP endpoint '{}' skipped: {}", url, parsed.status().message());
          continue;
        }
        e.url[signal_index(s)] = std::move(url);
        has_endpoint[signal_index(s)] = true;
      }
      e.config = std::move(c);
      endpoints.push_back(std::move(e));
    }
    loop.start();
    loop.post([this] {
      net::HttpClientOptions co;
      co.max_connections_per_origin = options.max_concurrent_exports + 1;
      co.max_idle_per_origin = options.max_concurrent_exports + 1;
      co.decode_gzip = false;
      co.max_response_bytes = 1024 * 1024;
      client = std::make_unique<net::HttpClient>(loop, co);
      schedule_tick();
    });
  }

  // ---- any thread ----

  // Reserves room for `max_spans` before anything is written: a full queue (a slow, black-holed
  // or unreachable endpoint) costs the caller two atomic operations, never the encoding.
  bool push_spans(size_t max_spans, SpanWriteFn write, void* context) {
    if (max_spans == 0) return true;
    if (!accepting.load(std::memory_order_acquire) || !has_endpoint[0]) {
      dropped[0].fetch_add(max_spans, std::memory_order_relaxed);
      return false;
    }
    size_t before = queued_spans.fetch_add(max_spans, std::memory_order_acq_rel);
    if (before + max_spans > options.max_queue_spans) {
      queued_spans.fetch_sub(max_spans, std::memory_order_acq_rel);
      dropped[0].fetch_add(max_spans, std::memory_order_relaxed);
      return false;
    }
    // Written outside the shard's lock into a buffer of the thread's own, then copied in.
    thread_local std::string scratch;
    scratch.clear();
    SpanWriter writer(scratch);
    write(context, writer);
    const size_t n = writer.spans();
    if (n < max_spans) {
      queued_spans.fetch_sub(max_spans - n, std::memory_order_acq_rel);
    } else if (n > max_spans) {  // the caller's bound was short; the queue holds them anyway
      queued_spans.fetch_add(n - max_spans, std::memory_order_acq_rel);
    }
    if (n > 0) {
      Shard& shard = shards[this_thread_shard()];
      std::lock_guard lock(shard.mu);
      shard.messages.append(scratch);
      shard.pieces.push_back({static_cast<uint32_t>(scratch.size()), static_cast<uint32_t>(n)});
      shard.spans += n;
    }
    if (scratch.capacity() > kMaxScratchBytes) std::string().swap(scratch);
    // A full batch is waiting: wake the exporter thread, unless it cannot send anyway (every
    // export slot busy: it looks again when one frees up).
    if (before + n >= options.max_export_batch && !saturated.load(std::memory_order_acquire) &&
        !pump_posted.exchange(true, std::memory_order_acq_rel)) {
      loop.post([this] {
        pump_posted.store(false, std::memory_order_release);
        pump(false);
      });
    }
    return true;
  }

  bool push_metrics(MetricsSnapshot&& snapshot) {
    uint64_t n = 0;
    for (const MetricData& m : snapshot.metrics)
      n += m.points.size();
    if (!accepting.load(std::memory_order_acquire) || !has_endpoint[1]) {
      dropped[1].fetch_add(n, std::memory_order_relaxed);
      return false;
    }
    {
      std::lock_guard lock(metrics_mu);
      if (metrics_queue.size() >= options.max_queue_metric_snapshots) {
        dropped[1].fetch_add(n, std::memory_order_relaxed);
        return false;
      }
      metrics_queue.push_back(std::move(snapshot));
    }
    loop.post([this] { pump(false); });
    return true;
  }

  // ---- loop thread ----

  void schedule_tick() {
    tick_timer = loop.run_after(options.export_interval, [this] {
      tick_timer = 0;
      pump(true);
      if (!stopping) schedule_tick();
    });
  }

  // Moves up to `max` queued spans (at least one export call's) into `out`; their number.
  size_t take_spans(size_t max, std::string& out) {
    size_t items = 0;
    for (size_t i = 0; i < kShards && items < max; ++i) {
      Shard& shard = shards[(next_shard + i) % kShards];
      std::lock_guard lock(shard.mu);
      if (shard.spans == 0) continue;
      if (items == 0 && shard.spans <= max) {
        out.swap(shard.messages);
        shard.messages.clear();
        shard.pieces.clear();
        items = shard.spans;
        shard.spans = 0;
        continue;
      }
      size_t bytes = 0;
      size_t spans = 0;
      size_t k = 0;
      for (; k < shard.pieces.size(); ++k) {
        const Piece& p = shard.pieces[k];
        if (items + spans + p.spans > max && items + spans > 0) break;
        bytes += p.bytes;
        spans += p.spans;
      }
      if (k == 0) continue;
      out.append(shard.messages, 0, bytes);
      shard.messages.erase(0, bytes);
      shard.pieces.erase(shard.pieces.begin(),
                         shard.pieces.begin() + static_cast<std::ptrdiff_t>(k));
      shard.spans -= spans;
      items += spans;
    }
    next_shard = (next_shard + 1) % kShards;
    queued_spans.fetch_sub(items, std::memory_order_acq_rel);
    return items;
  }

  // Starts batches while export slots are free: every queued metrics snapshot, and spans in
  // full batches — or all of them when `flush` (the interval passed, or shutting down).
  void pump(bool flush) {
    if (!client || stopped) return;
    flush = flush || draining;
    while (inflight_batches < options.max_concurrent_exports) {
      std::optional<MetricsSnapshot> snapshot;
      {
        std::lock_guard lock(metrics_mu);
        if (!metrics_queue.empty()) {
          snapshot = std::move(metrics_queue.front());
          metrics_queue.pop_front();
        }
      }
      auto batch = std::make_shared<Batch>();
      if (snapshot) {
        batch->signal = 1;
        for (const MetricData& m : snapshot->metrics)
          batch->items += m.points.size();
        batch->metrics = std::move(*snapshot);
      } else if (size_t queued = queued_spans.load(std::memory_order_acquire);
                 queued >= options.max_export_batch || (flush && queued > 0)) {
        batch->signal = 0;
        batch->items = take_spans(options.max_export_batch, batch->span_messages);
        if (batch->items == 0) break;
      } else {
        break;
      }
      start(batch);
    }
    saturated.store(inflight_batches >= options.max_concurrent_exports, std::memory_order_release);
    check_drained();
  }

  void start(const std::shared_ptr<Batch>& batch) {
    for (size_t i = 0; i < endpoints.size(); ++i) {
      if (!endpoints[i].url[batch->signal].empty()) ++batch->pending_endpoints;
    }
    if (batch->pending_endpoints == 0) {
      dropped[batch->signal].fetch_add(batch->items, std::memory_order_relaxed);
      return;
    }
    ++inflight_batches;
    inflight_items[batch->signal] += batch->items * batch->pending_endpoints;
    for (size_t i = 0; i < endpoints.size(); ++i) {
      if (!endpoints[i].url[batch->signal].empty()) send(batch, i, 1);
    }
  }

  void send(const std::shared_ptr<Batch>& batch, size_t endpoint, uint32_t attempt) {
    const Endpoint& e = endpoints[endpoint];
    net::HttpClientRequest req;
    req.method = "POST";
    req.url = e.url[batch->signal];
    req.headers.add("Content-Type", std::string(content_type(e.encoding)));
    if (e.config.gzip) req.headers.add("Content-Encoding", "gzip");
    req.headers.add("User-Agent", options.user_agent);
    for (const auto& [name, value] : e.config.headers)
      req.headers.add(name, value);
    req.body = batch->body(e.encoding, e.config.gzip, options.resource);
    req.timeout = e.config.timeout;
    req.idempotent = true;
    requests.fetch_add(1, std::memory_order_relaxed);
    client->fetch(req, [this, batch, endpoint, attempt](Result<net::HttpClientResponse> r) {
      on_response(batch, endpoint, attempt, std::move(r));
    });
  }

  void on_response(const std::shared_ptr<Batch>& batch, size_t endpoint, uint32_t attempt,
                   Result<net::HttpClientResponse> r) {
    if (r.ok() && r->status >= 200 && r->status < 300) {
      exported[batch->signal].fetch_add(batch->items, std::memory_order_relaxed);
      finish(batch);
      return;
    }
    bool transient = r.ok() ? transient_status(r->status)
                            : (r.status().code() == ErrorCode::kUnavailable ||
                               r.status().code() == ErrorCode::kTimeout);
    std::string why = r.ok() ? "HTTP " + std::to_string(r->status) : r.status().message();
    if (transient && attempt < options.max_attempts && !stopped) {
      std::chrono::milliseconds delay = backoff(attempt);
      if (r.ok()) {
        if (auto ra = r->headers.get("Retry-After")) {
          if (auto parsed = parse_retry_after(*ra)) delay = std::min(*parsed, options.max_backoff);
        }
      }
      if (!draining || Clock::now() + delay < drain_deadline) {
        retries.fetch_add(1, std::memory_order_relaxed);
        loop.run_after(delay, [this, batch, endpoint, attempt] {
          if (stopped) return;
          send(batch, endpoint, attempt + 1);
        });
        return;
      }
    }
    failed[batch->signal].fetch_add(batch->items, std::memory_order_relaxed);
    warn_failure(endpoints[endpoint].url[batch->signal], why, attempt, batch->items);
    finish(batch);
  }

  std::chrono::milliseconds backoff(uint32_t attempt) {
    double ms = static_cast<double>(options.initial_backoff.count());
    for (uint32_t i = 1; i < attempt && ms < options.max_backoff.count(); ++i)
      ms *= 2;
    ms = std::min(ms, static_cast<double>(options.max_backoff.count()));
    // ±20 % jitter so that routers started together do not retry together.
    double jitter = 0.8 + 0.4 * static_cast<double>(new_span_id() % 1000) / 1000.0;
    return std::chrono::milliseconds(static_cast<int64_t>(ms * jitter));
  }

  void warn_failure(const std::string& url, const std::string& why, uint32_t attempts,
                    uint64_t items) {
    Clock::time_point now = Clock::now();
    if (now - last_warning < std::chrono::seconds(10)) return;
    last_warning = now;
    log::warn("telemetry: OTLP export to {} failed after {} attempt(s): {} ({} item(s) lost)", url,
              attempts, why, items);
  }

  void finish(const std::shared_ptr<Batch>& batch) {
    inflight_items[batch->signal] -= batch->items;
    if (--batch->pending_endpoints > 0) return;
    --inflight_batches;
    saturated.store(false, std::memory_order_release);
    bool more_metrics = false;
    {
      std::lock_guard lock(metrics_mu);
      more_metrics = !metrics_queue.empty();
    }
    if (draining || more_metrics ||
        queued_spans.load(std::memory_order_acquire) >= options.max_export_batch) {
      pump(draining);
    } else {
      check_drained();
    }
  }

  void check_drained() {
    if (!draining || inflight_batches > 0) return;
    if (queued_spans.load(std::memory_order_acquire) > 0) return;
    {
      std::lock_guard lock(metrics_mu);
      if (!metrics_queue.empty()) return;
    }
    signal_done();
  }

  void signal_done() {
    std::lock_guard lock(done_mu);
    done = true;
    done_cv.notify_all();
  }

  // ---- owner thread ----

  void shutdown(std::chrono::milliseconds deadline) {
    if (shut_down) return;
    shut_down = true;
    accepting.store(false, std::memory_order_release);
    loop.post([this, deadline] {
      draining = true;
      drain_deadline = Clock::now() + deadline;
      if (deadline.count() > 0) {
        loop.run_after(deadline, [this] { signal_done(); });
        pump(true);
      } else {
        signal_done();
      }
    });
    {
      std::unique_lock lock(done_mu);
      done_cv.wait(lock, [this] { return done; });
    }
    std::mutex m;
    std::condition_variable cv;
    bool cleared = false;
    loop.post([&] {
      stopped = true;
      stopping = true;
      if (tick_timer != 0) loop.cancel(tick_timer);
      client.reset();  // drops the callbacks of requests in flight
      for (size_t s = 0; s < kSignals; ++s) {
        failed[s].fetch_add(inflight_items[s], std::memory_order_relaxed);
        inflight_items[s] = 0;
      }
      std::lock_guard lock(m);
      cleared = true;
      cv.notify_all();
    });
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return cleared; });
    }
    loop.stop();
    // Whatever is still queued was never sent.
    uint64_t left = 0;
    for (Shard& shard : shards) {
      std::lock_guard lock(shard.mu);
      left += shard.spans;
      shard.spans = 0;
      shard.messages.clear();
      shard.pieces.clear();
    }
    queued_spans.store(0);
    dropped[0].fetch_add(left, std::memory_order_relaxed);
    std::lock_guard lock(metrics_mu);
    for (const MetricsSnapshot& s : metrics_queue) {
      for (const MetricData& md : s.metrics)
        dropped[1].fetch_add(md.points.size());
    }
    metrics_queue.clear();
  }

  ExporterOptions options;
  std::vector<Endpoint> endpoints;
  bool has_endpoint[kSignals] = {false, false};

  // Shared with callers.
  std::array<Shard, kShards> shards;
  std::atomic<size_t> queued_spans{0};
  std::atomic<bool> pump_posted{false};
  std::atomic<bool> saturated{false};  // every export slot busy
  std::atomic<bool> accepting{true};
  std::mutex metrics_mu;
  std::deque<MetricsSnapshot> metrics_queue;
  std::atomic<uint64_t> exported[kSignals] = {0, 0};
  std::atomic<uint64_t> dropped[kSignals] = {0, 0};
  std::atomic<uint64_t> failed[kSignals] = {0, 0};
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> retries{0};

  // Loop thread only.
  net::EventLoop loop;
  std::unique_ptr<net::HttpClient> client;
  net::TimerId tick_timer = 0;
  size_t next_shard = 0;
  size_t inflight_batches = 0;
  uint64_t inflight_items[kSignals] = {0, 0};  // items × endpoints not finished
  bool draining = false;
  bool stopping = false;
  bool stopped = false;
  Clock::time_point drain_deadline;
  Clock::time_point last_warning;

  // Owner thread.
  bool shut_down = false;
  std::mutex done_mu;
  std::condition_variable done_cv;
  bool done = false;
};

OtlpExporter::OtlpExporter(std::vector<config::OtlpExporterConfig> endpoints,
                           ExporterOptions options)
    : impl_(std::make_unique<Impl>(std::move(endpoints), std::move(options))) {}

OtlpExporter::~OtlpExporter() {
  impl_->shutdown(std::chrono::milliseconds(0));
}

bool OtlpExporter::export_spans(std::vector<SpanData> spans) {
  return export_spans_with(spans.size(), [&](SpanWriter& writer) {
    for (const SpanData& s : spans)
      writer.write(s);
  });
}

bool OtlpExporter::push_spans(size_t max_spans, SpanWriteFn write, void* context) {
  return impl_->push_spans(max_spans, write, context);
}

bool OtlpExporter::export_metrics(MetricsSnapshot snapshot) {
  return impl_->push_metrics(std::move(snapshot));
}

ExporterStats OtlpExporter::stats() const {
  ExporterStats s;
  SignalStats* out[kSignals] = {&s.spans, &s.metrics};
  for (size_t i = 0; i < kSignals; ++i) {
    out[i]->exported = impl_->exported[i].load(std::memory_order_relaxed);
    out[i]->dropped = impl_->dropped[i].load(std::memory_order_relaxed);
    out[i]->failed = impl_->failed[i].load(std::memory_order_relaxed);
  }
  s.requests = impl_->requests.load(std::memory_order_relaxed);
  s.retries = impl_->retries.load(std::memory_order_relaxed);
  s.queued_spans = impl_->queued_spans.load(std::memory_order_relaxed);
  return s;
}

void OtlpExporter::shutdown(std::chrono::milliseconds deadline) {
  impl_->shutdown(deadline);
}

bool OtlpExporter::exports(config::TelemetrySignal signal) const {
  return impl_->has_endpoint[signal_index(signal)];
}

}  // namespace orbit::telemetry
