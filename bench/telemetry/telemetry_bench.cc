// The cost of tracing one request of the federation benchmark (bench/federation/query.graphql:
// the server span, parse / validate / plan / execute and one span per subgraph fetch), from
// the finished RequestRecord to the gzipped OTLP body — and of the metrics observer. Each
// iteration is one request; the body is encoded and compressed once per 50 requests (a batch
// of about 500 spans, like the exporter's default of 512), so the per-batch part is amortized
// as the exporter amortizes it. Every request gets new ids and times (next_request), as real
// ones do. The HTTP send (one POST per batch) is not included.
//
//   BM_SpansWriter/L     SpanWriter (what the router queues) + encode_span_messages + gzip
//                        level L (0: no gzip)
//   BM_SpansSpanData/L   the same spans as SpanData (build_spans) + encode_spans + gzip L:
//                        how the spans were made before the writer
//   BM_OnEndQueueFull    TracingObserver::on_end when the exporter's queue is full (a slow or
//                        dead endpoint): counted as dropped, nothing written
//   BM_MetricsObserver   MetricsObserver on_start + on_end (label lookups, adds, observes)
#include <benchmark/benchmark.h>

#include <deque>
#include <string>

#include "federation_fixture.h"
#include "gzip_codec.h"
#include "metrics_observer.h"
#include "orbit/router/request_handler.h"
#include "orbit/telemetry/metrics.h"
#include "orbit/telemetry/otlp_encode.h"
#include "orbit/telemetry/otlp_exporter.h"
#include "orbit/telemetry/span_writer.h"
#include "tracing_observer.h"

namespace orbit::bench {
namespace {

constexpr int kRequestsPerBatch = 50;

// A copy of the benchmark request's RequestRecord, with storage for the text it points to.
struct CapturedRequest {
  router::RequestRecord record;
  std::deque<std::string> text;

  std::string_view keep(std::string_view s) { return text.emplace_back(s); }
};

class Capture final : public router::RequestObserver {
 public:
  explicit Capture(CapturedRequest& out) : out_(out) {}
  void on_start(router::RequestRecord& r, const net::HttpHeaders&) override {
    r.trace.trace_id = telemetry::new_trace_id();
    r.trace.span_id = telemetry::new_span_id();
    r.trace.sampled = true;
  }
  void on_fetch(const router::RequestRecord&, router::FetchRecord& f, net::HttpHeaders&) override {
    f.span_id = telemetry::new_span_id();
  }
  void on_end(const router::RequestRecord& r) override {
    router::RequestRecord& c = out_.record;
    c = r;
    c.method = out_.keep(r.method);
    c.path = out_.keep(r.path);
    c.remote_address = out_.keep("127.0.0.1:53412");
    c.user_agent = out_.keep("wrk");
    c.operation_name = out_.keep(r.operation_name);
    c.operation_hash = out_.keep(r.operation_hash);
    c.normalized_operation = nullptr;
    c.schema = nullptr;
    c.error_codes.clear();
    for (router::FetchRecord& f : c.fetches)
      f.subgraph_name = out_.keep(f.subgraph_name);
  }

 private:
  CapturedRequest& out_;
};

// The benchmark query through the router's pipeline (in-process subgraphs), as recorded.
const CapturedRequest& request() {
  static CapturedRequest* captured = [] {
    auto* c = new CapturedRequest();
    auto* f = new FederationFixture(ORBIT_BENCH_FEDERATION_DIR);
    auto* holder = new router::SnapshotHolder(f->snapshot());
    router::RequestHandler handler(
        router::RouterConfig(), *holder,
        [f](const std::shared_ptr<const router::GraphSnapshot>&, const net::HttpHeaders&,
            router::FetchContext) { return f->make_fetcher(); });
    handler.add_observer(std::make_shared<Capture>(*c));
    // The second request is the steady state: the prepared operation is cached.
    for (int i = 0; i < 2; ++i) {
      net::HttpRequest r;
      r.method = "POST";
      r.target = "/graphql";
      r.headers.add("Content-Type", "application/json");
      r.body = f->request_body();
      handler.handle(std::move(r), [](router::HttpAnswer) {});
    }
    // The in-process fetcher records no fetches: one FetchRecord per distinct subgraph request
    // of the query (what the socket fetcher would record), on the subgraphs of the snapshot.
    router::RequestRecord& r = c->record;
    r.snapshot = f->snapshot().get();
    std::span<const router::SubgraphSettings> subgraphs = r.snapshot->subgraphs();
    const int64_t step = r.execute.duration_ns / static_cast<int64_t>(f->recorded() + 1);
    r.fetches.clear();
    for (size_t i = 0; i < f->recorded(); ++i) {
      router::FetchRecord& fr = r.fetches.emplace_back();
      fr.subgraph = static_cast<uint32_t>(i % subgraphs.size());
      fr.subgraph_name = c->keep(subgraphs[fr.subgraph].name);
      fr.start_ns = r.execute.start_ns + static_cast<int64_t>(i) * step;
      fr.duration_ns = step;
      fr.http_status = 200;
    }
    return c;
  }();
  return *captured;
}

// New ids and times for the next request, as on_start and on_fetch give them: batches of
// identical spans would compress far better than real ones.
void next_request(router::RequestRecord& r) {
  r.trace.trace_id = telemetry::new_trace_id();
  r.trace.span_id = telemetry::new_span_id();
  r.start_unix_ns += 1'234'567;
  for (router::FetchRecord& f : r.fetches)
    f.span_id = telemetry::new_span_id();
}

telemetry::Resource resource() {
  return {"orbit-router", {{"service.version", "1.0.0"}, {"deployment.environment", "bench"}}};
}

void report(benchmark::State& state, size_t spans, size_t body_bytes, size_t requests) {
  state.counters["spans_per_request"] = static_cast<double>(spans);
  if (requests > 0) {
    state.counters["body_bytes_per_request"] =
        static_cast<double>(body_bytes) / static_cast<double>(requests);
  }
}

void BM_SpansWriter(benchmark::State& state) {
  router::RequestRecord r = request().record;
  const int level = static_cast<int>(state.range(0));
  const telemetry::Resource res = resource();
  std::string messages;
  size_t spans = 0;
  size_t body_bytes = 0;
  size_t bodies_requests = 0;
  int in_batch = 0;
  for (auto _ : state) {
    next_request(r);
    telemetry::SpanWriter writer(messages);
    router::TracingObserver::write_spans(r, writer);
    spans = writer.spans();
    if (++in_batch == kRequestsPerBatch) {
      std::string body =
          telemetry::encode_span_messages(messages, res, telemetry::OtlpEncoding::kProtobuf);
      if (level > 0) body = telemetry::gzip_compress(body, level);
      body_bytes += body.size();
      bodies_requests += kRequestsPerBatch;
      benchmark::DoNotOptimize(body.data());
      messages.clear();
      in_batch = 0;
    }
  }
  report(state, spans, body_bytes, bodies_requests);
}
BENCHMARK(BM_SpansWriter)->Arg(0)->Arg(1)->Arg(6);

void BM_SpansSpanData(benchmark::State& state) {
  router::RequestRecord r = request().record;
  const int level = static_cast<int>(state.range(0));
  const telemetry::Resource res = resource();
  std::vector<telemetry::SpanData> batch;
  size_t spans = 0;
  size_t body_bytes = 0;
  size_t bodies_requests = 0;
  int in_batch = 0;
  for (auto _ : state) {
    next_request(r);
    std::vector<telemetry::SpanData> one = router::TracingObserver::build_spans(r);
    spans = one.size();
    batch.insert(batch.end(), std::make_move_iterator(one.begin()),
                 std::make_move_iterator(one.end()));
    if (++in_batch == kRequestsPerBatch) {
      std::string body = telemetry::encode_spans(batch, res, telemetry::OtlpEncoding::kProtobuf);
      if (level > 0) body = telemetry::gzip_compress(body, level);
      body_bytes += body.size();
      bodies_requests += kRequestsPerBatch;
      benchmark::DoNotOptimize(body.data());
      batch.clear();
      in_batch = 0;
    }
  }
  report(state, spans, body_bytes, bodies_requests);
}
BENCHMARK(BM_SpansSpanData)->Arg(0)->Arg(1)->Arg(6);

void BM_OnEndQueueFull(benchmark::State& state) {
  router::RequestRecord r = request().record;
  config::OtlpExporterConfig endpoint;
  endpoint.endpoint = "http://127.0.0.1:9";  // nothing is sent: the interval never passes
  telemetry::ExporterOptions o;
  o.max_queue_spans = 0;
  o.export_interval = std::chrono::hours(1);
  auto exporter = std::make_shared<telemetry::OtlpExporter>(
      std::vector<config::OtlpExporterConfig>{endpoint}, o);
  config::TracingConfig tc;
  router::TracingObserver observer(exporter, tc);
  for (auto _ : state) {
    next_request(r);
    observer.on_end(r);
  }
  state.counters["dropped"] = static_cast<double>(exporter->stats().spans.dropped);
  exporter->shutdown(std::chrono::milliseconds(0));
}
BENCHMARK(BM_OnEndQueueFull);

void BM_MetricsObserver(benchmark::State& state) {
  router::RequestRecord r = request().record;
  telemetry::MetricsRegistry registry;
  config::TelemetryConfig tc;
  router::MetricsObserver observer(registry, tc);
  net::HttpHeaders headers;
  headers.add("Content-Type", "application/json");
  for (auto _ : state) {
    observer.on_start(r, headers);
    observer.on_end(r);
  }
}
BENCHMARK(BM_MetricsObserver);

}  // namespace
}  // namespace orbit::bench

BENCHMARK_MAIN();
