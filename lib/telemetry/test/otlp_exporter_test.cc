// OtlpExporter against a real OTLP/HTTP receiver on 127.0.0.1 (OtlpReceiver).
#include "orbit/telemetry/otlp_exporter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "orbit/telemetry/otlp_receiver.h"

namespace orbit::telemetry {
namespace {

using namespace std::chrono_literals;
using config::OtlpExporterConfig;

SpanData span(uint64_t id) {
  SpanData s;
  s.trace_id = new_trace_id();
  s.span_id = id;
  s.name = "span " + std::to_string(id);
  s.kind = SpanKind::kServer;
  s.start_unix_ns = 1;
  s.end_unix_ns = 2;
  return s;
}

std::vector<SpanData> spans(uint64_t first, size_t n) {
  std::vector<SpanData> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back(span(first + i));
  return out;
}

OtlpExporterConfig endpoint(const OtlpReceiver& r) {
  OtlpExporterConfig c;
  c.endpoint = r.endpoint();
  c.gzip = false;
  c.timeout = 2s;
  return c;
}

ExporterOptions fast_options() {
  ExporterOptions o;
  o.resource.service_name = "test-service";
  o.export_interval = 50ms;
  o.initial_backoff = 20ms;
  o.max_backoff = 200ms;
  return o;
}

// Polls `pred` until it holds or 10 s pass.
template <typename Pred>
bool eventually(Pred pred) {
  for (int i = 0; i < 1000; ++i) {
    if (pred()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

class ExporterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(receiver_.start().ok()); }
  OtlpReceiver receiver_;
};

TEST_F(ExporterTest, ExportsSpansAsProtobufWithResourceAndHeaders) {
  OtlpExporterConfig c = endpoint(receiver_);
  c.headers = {{"DD-API-KEY", "secret"}, {"X-Tenant", "acme"}};
  OtlpExporter exporter({c}, fast_options());
  EXPECT_TRUE(exporter.export_spans(spans(1, 3)));
  ASSERT_TRUE(eventually([&] { return receiver_.spans().size() == 3; }));
  std::vector<ReceivedExport> reqs = receiver_.requests();
  ASSERT_GE(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/v1/traces");
  EXPECT_EQ(reqs[0].headers.get("Content-Type"), "application/x-protobuf");
  EXPECT_EQ(reqs[0].headers.get("DD-API-KEY"), "secret");
  EXPECT_EQ(reqs[0].headers.get("X-Tenant"), "acme");
  EXPECT_FALSE(reqs[0].headers.contains("Content-Encoding"));
  Result<DecodedSpans> d = decode_spans(reqs[0].body);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->resource.service_name, "test-service");
  EXPECT_TRUE(eventually([&] { return exporter.stats().spans.exported == 3; }));
  ExporterStats st = exporter.stats();
  EXPECT_EQ(st.spans.dropped, 0u);
  EXPECT_EQ(st.spans.failed, 0u);
  exporter.shutdown(1s);
}

TEST_F(ExporterTest, GzipAndJsonPerEndpoint) {
  OtlpReceiver json_receiver;
  ASSERT_TRUE(json_receiver.start().ok());
  OtlpExporterConfig gz = endpoint(receiver_);
  gz.gzip = true;
  OtlpExporterConfig js = endpoint(json_receiver);
  js.encoding = OtlpExporterConfig::Encoding::kJson;
  OtlpExporter exporter({gz, js}, fast_options());
  ASSERT_TRUE(exporter.export_spans(spans(10, 2)));
  ASSERT_TRUE(eventually([&] { return receiver_.spans().size() == 2; }));
  ASSERT_TRUE(eventually([&] { return json_receiver.request_count() == 1; }));
  ReceivedExport g = receiver_.requests()[0];
  EXPECT_TRUE(g.gzip);
  EXPECT_EQ(g.headers.get("Content-Encoding"), "gzip");
  EXPECT_TRUE(g.error.empty()) << g.error;
  ReceivedExport j = json_receiver.requests()[0];
  EXPECT_EQ(j.headers.get("Content-Type"), "application/json");
  EXPECT_NE(j.body.find("\"resourceSpans\""), std::string::npos);
  EXPECT_NE(j.body.find("\"spanId\":\"000000000000000a\""), std::string::npos) << j.body;
  // Counted once per endpoint.
  EXPECT_TRUE(eventually([&] { return exporter.stats().spans.exported == 4; }));
  exporter.shutdown(1s);
}

TEST_F(ExporterTest, BatchesBySize) {
  ExporterOptions o = fast_options();
  o.export_interval = 60s;  // only the size trigger can send
  o.max_export_batch = 10;
  OtlpExporter exporter({endpoint(receiver_)}, o);
  for (uint64_t i = 0; i < 25; ++i)
    ASSERT_TRUE(exporter.export_spans({span(i + 1)}));
  ASSERT_TRUE(eventually([&] { return receiver_.spans().size() >= 20; }));
  std::this_thread::sleep_for(100ms);
  for (const ReceivedExport& r : receiver_.requests()) {
    EXPECT_LE(decode_spans(r.body)->spans.size(), 10u);
  }
  // The remaining 5 wait for the interval — or for shutdown, which flushes them.
  EXPECT_EQ(receiver_.spans().size(), 20u);
  exporter.shutdown(2s);
  EXPECT_EQ(receiver_.spans().size(), 25u);
  EXPECT_EQ(exporter.stats().spans.exported, 25u);
}

TEST_F(ExporterTest, BatchesByInterval) {
  ExporterOptions o = fast_options();
  o.export_interval = 100ms;
  OtlpExporter exporter({endpoint(receiver_)}, o);
  ASSERT_TRUE(exporter.export_spans({span(1)}));
  ASSERT_TRUE(eventually([&] { return receiver_.spans().size() == 1; }));
  exporter.shutdown(1s);
}

TEST_F(ExporterTest, RetriesTransientFailuresHonouringRetryAfter) {
  receiver_.answer_next({503, 429}, "0");
  OtlpExporter exporter({endpoint(receiver_)}, fast_options());
  ASSERT_TRUE(exporter.export_spans(spans(1, 2)));
  ASSERT_TRUE(eventually([&] { return receiver_.spans().size() == 2; }));
  std::vector<ReceivedExport> reqs = receiver_.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(reqs[0].answered, 503);
  EXPECT_EQ(reqs[1].answered, 429);
  EXPECT_EQ(reqs[2].answered, 200);
  ASSERT_TRUE(eventually([&] { return exporter.stats().spans.exported == 2; }));
  ExporterStats st = exporter.stats();
  EXPECT_EQ(st.retries, 2u);
  EXPECT_EQ(st.requests, 3u);
  EXPECT_EQ(st.spans.exported, 2u);
  EXPECT_EQ(st.spans.failed, 0u);
  exporter.shutdown(1s);
}

TEST_F(ExporterTest, RetryAfterDelaysTheRetry) {
  receiver_.answer_next({503}, "1");
  ExporterOptions o = fast_options();
  o.max_backoff = 5s;
  OtlpExporter exporter({endpoint(receiver_)}, o);
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(exporter.export_spans(spans(1, 1)));
  ASSERT_TRUE(eventually([&] { return receiver_.spans().size() == 1; }));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 900ms);
  exporter.shutdown(1s);
}

TEST_F(ExporterTest, DoesNotRetryPermanentFailures) {
  receiver_.answer_next({400});
  OtlpExporter exporter({endpoint(receiver_)}, fast_options());
  ASSERT_TRUE(exporter.export_spans(spans(1, 4)));
  ASSERT_TRUE(eventually([&] { return exporter.stats().spans.failed == 4; }));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(receiver_.request_count(), 1u);
  EXPECT_EQ(exporter.stats().retries, 0u);
  EXPECT_EQ(exporter.stats().spans.exported, 0u);
  exporter.shutdown(1s);
}

TEST_F(ExporterTest, GivesUpAfterMaxAttempts) {
  receiver_.answer_next({503, 503, 503, 503, 503});
  ExporterOptions o = fast_options();
  o.max_attempts = 3;
  OtlpExporter exporter({endpoint(receiver_)}, o);
  ASSERT_TRUE(exporter.export_spans(spans(1, 2)));
  ASSERT_TRUE(eventually([&] { return exporter.stats().spans.failed == 2; }));
  EXPECT_EQ(receiver_.request_count(), 3u);
  EXPECT_EQ(exporter.stats().retries, 2u);
  exporter.shutdown(1s);
}

TEST_F(ExporterTest, RetriesConnectionErrors) {
  // A port nobody listens on: take one from a receiver and stop it.
  OtlpReceiver gone;
  ASSERT_TRUE(gone.start().ok());
  OtlpExporterConfig c = endpoint(gone);
  gone.stop();
  ExporterOptions o = fast_options();
  o.max_attempts = 3;
  OtlpExporter exporter({c}, o);
  ASSERT_TRUE(exporter.export_spans(spans(1, 1)));
  ASSERT_TRUE(eventually([&] { return exporter.stats().spans.failed == 1; }));
  EXPECT_EQ(exporter.stats().requests, 3u);
  EXPECT_EQ(exporter.stats().retries, 2u);
  exporter.shutdown(1s);
}

TEST_F(ExporterTest, BlackHoleFillsTheQueueThenDropsAndCounts) {
  receiver_.set_black_hole(true);
  OtlpExporterConfig c = endpoint(receiver_);
  c.timeout = 30s;
  ExporterOptions o = fast_options();
  o.max_queue_spans = 100;
  o.max_export_batch = 10;
  o.max_concurrent_exports = 2;
  OtlpExporter exporter({c}, o);
  // Two batches go out and hang; then the queue fills up to 100 and the rest is refused.
  size_t accepted = 0;
  size_t refused = 0;
  auto t0 = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < 400; ++i) {
    if (exporter.export_spans({span(i + 1)})) {
      ++accepted;
    } else {
      ++refused;
    }
    if (i == 20) {
      ASSERT_TRUE(eventually([&] { return receiver_.request_count() == 2; }));
    }
  }
  // Never blocks: 400 calls against a receiver that never answers return at once.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
  EXPECT_EQ(accepted, 120u);  // 2 batches in flight + a full queue
  EXPECT_EQ(refused, 280u);
  ExporterStats st = exporter.stats();
  EXPECT_EQ(st.spans.dropped, 280u);
  EXPECT_EQ(st.queued_spans, 100u);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(receiver_.request_count(), 2u);  // no more than max_concurrent_exports in flight
  // Shutdown does not wait past its deadline for a receiver that never answers.
  auto s0 = std::chrono::steady_clock::now();
  exporter.shutdown(300ms);
  EXPECT_LT(std::chrono::steady_clock::now() - s0, 3s);
  st = exporter.stats();
  EXPECT_EQ(st.spans.failed, 20u);    // the two batches cut in flight
  EXPECT_EQ(st.spans.dropped, 380u);  // + the 100 still queued
  EXPECT_EQ(st.spans.exported, 0u);
  EXPECT_FALSE(exporter.export_spans({span(999)}));
}

TEST_F(ExporterTest, AFullQueueDropsBeforeAnythingIsWritten) {
  receiver_.set_black_hole(true);
  ExporterOptions o = fast_options();
  o.export_interval = 60s;
  o.max_queue_spans = 5;
  o.max_export_batch = 100;
  OtlpExporter exporter({endpoint(receiver_)}, o);
  int writes = 0;
  auto write = [&](SpanWriter& w) {
    ++writes;
    for (uint64_t i = 0; i < 3; ++i) {
      SpanData s = span(i + 1);
      w.write(s);
    }
  };
  EXPECT_TRUE(exporter.export_spans_with(3, write));
  EXPECT_EQ(exporter.stats().queued_spans, 3u);
  // 3 more do not fit in 5: refused without calling the writer.
  EXPECT_FALSE(exporter.export_spans_with(3, write));
  EXPECT_EQ(writes, 1);
  EXPECT_EQ(exporter.stats().spans.dropped, 3u);
  // A bound larger than what is written gives the rest of the room back.
  EXPECT_TRUE(exporter.export_spans_with(2, [](SpanWriter& w) { w.write(span(9)); }));
  EXPECT_EQ(exporter.stats().queued_spans, 4u);
  exporter.shutdown(0ms);
  EXPECT_EQ(exporter.stats().spans.dropped, 7u);  // + the 4 still queued
}

TEST_F(ExporterTest, TheSpansOfOneCallTravelInOneBatch) {
  ExporterOptions o = fast_options();
  o.export_interval = 60s;
  o.max_export_batch = 4;
  OtlpExporter exporter({endpoint(receiver_)}, o);
  // 3 + 3 + 6 spans: a batch never splits a call's spans; a call over the batch size goes
  // alone.
  ASSERT_TRUE(exporter.export_spans(spans(1, 3)));
  ASSERT_TRUE(exporter.export_spans(spans(11, 3)));
  ASSERT_TRUE(exporter.export_spans(spans(21, 6)));
  exporter.shutdown(2s);
  ASSERT_EQ(receiver_.spans().size(), 12u);
  std::vector<size_t> sizes;
  for (const ReceivedExport& r : receiver_.requests()) {
    Result<DecodedSpans> d = decode_spans(r.body);
    ASSERT_TRUE(d.ok());
    sizes.push_back(d->spans.size());
    uint64_t first = d->spans[0].span_id;
    for (size_t i = 0; i < d->spans.size(); ++i)
      EXPECT_EQ(d->spans[i].span_id, first + i);  // in order, from one call
  }
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes, (std::vector<size_t>{3, 3, 6}));
  EXPECT_EQ(exporter.stats().spans.exported, 12u);
}

TEST_F(ExporterTest, ExportsMetrics) {
  OtlpExporterConfig c = endpoint(receiver_);
  c.signals = static_cast<uint8_t>(config::TelemetrySignal::kMetrics);
  OtlpExporter exporter({c}, fast_options());
  EXPECT_FALSE(exporter.exports(config::TelemetrySignal::kTraces));
  EXPECT_TRUE(exporter.exports(config::TelemetrySignal::kMetrics));
  // No endpoint takes traces: refused and counted.
  EXPECT_FALSE(exporter.export_spans(spans(1, 2)));
  EXPECT_EQ(exporter.stats().spans.dropped, 2u);
  MetricsSnapshot snap;
  snap.start_unix_ns = 10;
  snap.time_unix_ns = 20;
  MetricData m{"orbit_router_requests_total", "", "1", MetricKind::kCounter, {}};
  m.points.push_back(MetricPoint{{{"status", "200"}}, 7, {}});
  snap.metrics.push_back(m);
  ASSERT_TRUE(exporter.export_metrics(snap));
  ASSERT_TRUE(eventually([&] { return receiver_.metrics().size() == 1; }));
  DecodedMetrics d = receiver_.metrics()[0];
  EXPECT_EQ(receiver_.requests()[0].path, "/v1/metrics");
  ASSERT_EQ(d.metrics.size(), 1u);
  EXPECT_EQ(d.metrics[0].points[0].value, 7);
  EXPECT_TRUE(eventually([&] { return exporter.stats().metrics.exported == 1; }));
  exporter.shutdown(1s);
}

TEST_F(ExporterTest, FullUrlsPerSignal) {
  OtlpExporterConfig c;
  c.traces_endpoint = receiver_.endpoint() + "/custom/traces";
  c.gzip = false;
  OtlpExporter exporter({c}, fast_options());
  ASSERT_TRUE(exporter.export_spans(spans(1, 1)));
  ASSERT_TRUE(eventually([&] { return receiver_.request_count() == 1; }));
  EXPECT_EQ(receiver_.requests()[0].path, "/custom/traces");
  exporter.shutdown(1s);
}

TEST_F(ExporterTest, ConcurrentProducers) {
  ExporterOptions o = fast_options();
  o.max_queue_spans = 100'000;
  o.max_export_batch = 256;
  OtlpExporter exporter({endpoint(receiver_)}, o);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        EXPECT_TRUE(exporter.export_spans({span(static_cast<uint64_t>(t * 1000 + i + 1))}));
      }
    });
  }
  for (auto& th : threads)
    th.join();
  exporter.shutdown(5s);
  EXPECT_EQ(exporter.stats().spans.exported, 2000u);
  EXPECT_EQ(receiver_.spans().size(), 2000u);
}

TEST(ExporterMetrics, ThreeCountersPerSignal) {
  ExporterStats st;
  st.spans = {10, 2, 1};
  st.metrics = {5, 0, 3};
  MetricsSnapshot snap;
  append_exporter_metrics(st, snap);
  ASSERT_EQ(snap.metrics.size(), 3u);
  EXPECT_EQ(snap.metrics[0].name, "orbit_router_telemetry_exported_total");
  EXPECT_EQ(snap.metrics[0].kind, MetricKind::kCounter);
  ASSERT_EQ(snap.metrics[0].points.size(), 2u);
  EXPECT_EQ(snap.metrics[0].points[0].attributes[0].second, "traces");
  EXPECT_EQ(snap.metrics[0].points[0].value, 10);
  EXPECT_EQ(snap.metrics[0].points[1].value, 5);
  EXPECT_EQ(snap.metrics[1].name, "orbit_router_telemetry_dropped_total");
  EXPECT_EQ(snap.metrics[1].points[0].value, 2);
  EXPECT_EQ(snap.metrics[2].name, "orbit_router_telemetry_failed_total");
  EXPECT_EQ(snap.metrics[2].points[1].value, 3);
}

TEST(ExporterOptionsTest, FromConfig) {
  config::TelemetryConfig t;
  t.service_name = "gateway";
  t.resource_attributes = {{"deployment.environment", "staging"}};
  t.tracing.max_queue_spans = 77;
  t.tracing.max_export_batch = 7;
  t.tracing.export_interval = 3s;
  ExporterOptions o = exporter_options(t);
  EXPECT_EQ(o.resource.service_name, "gateway");
  EXPECT_EQ(o.resource.attributes.size(), 1u);
  EXPECT_EQ(o.max_queue_spans, 77u);
  EXPECT_EQ(o.max_export_batch, 7u);
  EXPECT_EQ(o.export_interval, 3s);
}

}  // namespace
}  // namespace orbit::telemetry
