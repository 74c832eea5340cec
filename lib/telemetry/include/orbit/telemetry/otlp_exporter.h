// OtlpExporter: sends spans and metric snapshots to OTLP/HTTP endpoints (collectors, Datadog's
// or New Relic's OTLP intake, …), best-effort and never on the request path.
//
//   export_spans() / export_metrics()  ─►  bounded queue  ─►  exporter thread: batches by size
//   (any thread, never blocks)             (drop + count)     and interval, encodes, gzips,
//                                                             POSTs to every endpoint, retries
//
// Queue: spans wait already encoded — OTLP protobuf Span messages written by a SpanWriter on the
// caller's thread, one piece per call — in per-thread shards (no lock shared by the callers) up
// to `max_queue_spans` in all; metric snapshots in a short queue of their own. Room is reserved
// before a span is written, so what does not fit is dropped and counted without being encoded:
// a slow, black-holed or unreachable endpoint costs the callers next to nothing. The exporter
// thread only puts the resource and scope in front of a batch's messages and gzips it (zlib's
// fastest level). A batch of up to `max_export_batch` spans leaves when that many are
// queued or when `export_interval` has passed; at most `max_concurrent_exports` batches are in
// flight, so a slow or black-holed endpoint makes the queue fill and drop, never grow.
//
// Delivery: each batch goes to every endpoint that takes its signal, with that endpoint's
// encoding, compression, headers and timeout. Transient failures — 429, 502, 503, 504, a
// timeout or a connection error — are retried with exponential backoff (from
// `initial_backoff`, doubling, at most `max_backoff`, with jitter), or after the delay of a
// Retry-After header (seconds) when the endpoint sends one, up to `max_attempts` attempts; any
// other answer fails the batch for that endpoint at once. Failures are counted and logged
// (at most one log line per 10 s).
//
// Threading and lifecycle: the exporter runs its own thread (a lib/net EventLoop with its own
// HttpClient), apart from the router's event loops. export_*() and stats() may be called from
// any thread, concurrently. shutdown() (owner thread, once; the destructor calls it with no
// grace) stops taking new data, sends what is queued and waits for it until `deadline`, then
// stops the thread; what is still queued is counted as dropped, what is still in flight as
// failed.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "orbit/config/telemetry_config.h"
#include "orbit/telemetry/metric_data.h"
#include "orbit/telemetry/otlp_encode.h"
#include "orbit/telemetry/span.h"
#include "orbit/telemetry/span_writer.h"

namespace orbit::telemetry {

struct ExporterOptions {
  Resource resource;
  size_t max_queue_spans = 4096;
  size_t max_export_batch = 512;
  std::chrono::milliseconds export_interval{2'000};
  size_t max_queue_metric_snapshots = 4;
  size_t max_concurrent_exports = 2;  // batches in flight, all endpoints together
  uint32_t max_attempts = 5;          // first try included
  std::chrono::milliseconds initial_backoff{1'000};
  std::chrono::milliseconds max_backoff{30'000};  // also caps a Retry-After
  std::string user_agent = "orbit-router";
};

// The options the router's telemetry settings give: resource (service.name +
// resource_attributes) and the tracing queue, batch and interval.
ExporterOptions exporter_options(const config::TelemetryConfig& config);

// Per signal. An item is a span, or a metric data point. Items sent to several endpoints count
// once per endpoint in `exported` and `failed`.
struct SignalStats {
  uint64_t exported = 0;  // accepted by an endpoint (2xx)
  uint64_t dropped = 0;   // refused by the full queue, or still queued at shutdown
  uint64_t failed = 0;    // given up after retries, refused by the endpoint, or cut by shutdown
};

struct ExporterStats {
  SignalStats spans;
  SignalStats metrics;
  uint64_t requests = 0;  // HTTP requests sent, retries included
  uint64_t retries = 0;
  size_t queued_spans = 0;
};

// The exporter's counters as metrics, for /metrics and the OTLP metric export (a metrics
// registry collector): orbit_router_telemetry_{exported,dropped,failed}_total{signal} with
// signal "traces" and "metrics".
void append_exporter_metrics(const ExporterStats& stats, MetricsSnapshot& out);

class OtlpExporter {
 public:
  // Starts the exporter thread. Endpoints whose URL cannot be parsed are logged and skipped.
  OtlpExporter(std::vector<config::OtlpExporterConfig> endpoints, ExporterOptions options);
  ~OtlpExporter();
  OtlpExporter(const OtlpExporter&) = delete;
  OtlpExporter& operator=(const OtlpExporter&) = delete;

  // Queues spans for export; never blocks. False (and the spans counted as dropped) when the
  // queue is full, no endpoint takes traces, or after shutdown().
  bool export_spans(std::vector<SpanData> spans);
  // The same for spans written by `write(SpanWriter&)` — at most `max_spans` of them (more are
  // queued too, but the room is checked for `max_spans`). `write` is called on this thread only
  // when the queue has room, so a full queue costs no encoding. The router's tracing uses this:
  // no SpanData, no allocation per span.
  template <typename Write>
  bool export_spans_with(size_t max_spans, Write&& write) {
    using W = std::remove_reference_t<Write>;
    return push_spans(
        max_spans, [](void* w, SpanWriter& writer) { (*static_cast<W*>(w))(writer); },
        const_cast<void*>(static_cast<const void*>(&write)));
  }
  // Same for one metrics snapshot (no endpoint taking metrics: false).
  bool export_metrics(MetricsSnapshot snapshot);

  ExporterStats stats() const;

  // Flushes what it can within `deadline`, then stops. Idempotent; owner thread only.
  void shutdown(std::chrono::milliseconds deadline);

  // Whether some endpoint takes the signal.
  bool exports(config::TelemetrySignal signal) const;

  struct Impl;

 private:
  using SpanWriteFn = void (*)(void* context, SpanWriter& writer);
  bool push_spans(size_t max_spans, SpanWriteFn write, void* context);

  std::unique_ptr<Impl> impl_;
};

}  // namespace orbit::telemetry
