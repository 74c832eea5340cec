#include "orbit/telemetry/trace_context.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace orbit::telemetry {
namespace {

using config::Propagation;

TraceId id_from_hex(std::string_view hex) {
  TraceId id{};
  for (size_t i = 0; i < 16; ++i) {
    id[i] = static_cast<uint8_t>(std::stoi(std::string(hex.substr(2 * i, 2)), nullptr, 16));
  }
  return id;
}

constexpr std::string_view kTp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

TEST(Traceparent, ParsesVersion00) {
  auto ctx = parse_traceparent(kTp);
  ASSERT_TRUE(ctx.ok()) << ctx.status().message();
  EXPECT_EQ(trace_id_hex(ctx->trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(ctx->span_id, 0x00f067aa0ba902b7ULL);
  EXPECT_EQ(ctx->sampled, true);
  auto unsampled = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
  ASSERT_TRUE(unsampled.ok());
  EXPECT_EQ(unsampled->sampled, false);
  // Other flag bits do not mean sampled.
  auto other = parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->sampled, false);
  // Surrounding whitespace is tolerated.
  EXPECT_TRUE(parse_traceparent("  " + std::string(kTp) + "\t").ok());
}

TEST(Traceparent, FormatRoundTrips) {
  TraceId id = id_from_hex("4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(format_traceparent(id, 0x00f067aa0ba902b7ULL, true), kTp);
  EXPECT_EQ(format_traceparent(id, 1, false),
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000001-00");
}

TEST(Traceparent, RejectsMalformed) {
  const char* bad[] = {
      "",
      "00",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",        // no flags
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-",    // v00 with extra
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-ab",  // v00 with extra
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",     // uppercase
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",     // zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",     // zero parent id
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // version ff
      "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // bad version
      "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",     // bad separator
      "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",  // non-hex
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",  // future, no '-' after
  };
  for (const char* v : bad) {
    auto ctx = parse_traceparent(v);
    EXPECT_FALSE(ctx.ok()) << v;
    if (!ctx.ok()) {
      EXPECT_EQ(ctx.status().code(), ErrorCode::kInvalidArgument);
      EXPECT_FALSE(ctx.status().message().empty());
    }
  }
  EXPECT_FALSE(parse_traceparent(std::string(600, 'a')).ok());
  auto zero = parse_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01");
  EXPECT_NE(zero.status().message().find("all zeros"), std::string::npos);
}

TEST(Traceparent, FutureVersionsAreReadAsVersion00) {
  auto exact = parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->sampled, true);
  auto longer =
      parse_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future");
  ASSERT_TRUE(longer.ok()) << longer.status().message();
  EXPECT_EQ(longer->span_id, 0x00f067aa0ba902b7ULL);
}

TEST(Tracestate, KeepsWellFormedLists) {
  EXPECT_EQ(validate_tracestate("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"),
            "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
  EXPECT_EQ(validate_tracestate(" rojo=1 , , congo=2 "), "rojo=1,congo=2");
  EXPECT_EQ(validate_tracestate("tenant@vendor=x"), "tenant@vendor=x");
  EXPECT_EQ(validate_tracestate(""), "");
}

TEST(Tracestate, DropsMalformedLists) {
  EXPECT_FALSE(validate_tracestate("novalue"));
  EXPECT_FALSE(validate_tracestate("Upper=1"));
  EXPECT_FALSE(validate_tracestate("a=1,a=2"));  // duplicate key
  EXPECT_FALSE(validate_tracestate("a=b=c"));
  EXPECT_FALSE(validate_tracestate("a=\x01"));
  EXPECT_FALSE(validate_tracestate("@vendor=1"));
  EXPECT_FALSE(validate_tracestate(std::string(600, 'a')));
  std::string many;
  for (int i = 0; i < 33; ++i)
    many += "k" + std::to_string(i) + "=v,";
  EXPECT_FALSE(validate_tracestate(many));
}

TEST(B3, ParsesSingleHeader) {
  auto full = parse_b3("80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90");
  ASSERT_TRUE(full.ok()) << full.status().message();
  EXPECT_EQ(trace_id_hex(full->trace_id), "80f198ee56343ba864fe8b2a57d3eff7");
  EXPECT_EQ(full->span_id, 0xe457b5a2e4d86bd1ULL);
  EXPECT_EQ(full->sampled, true);
  auto short_id = parse_b3("64fe8b2a57d3eff7-e457b5a2e4d86bd1-0");
  ASSERT_TRUE(short_id.ok());
  EXPECT_EQ(trace_id_hex(short_id->trace_id), "000000000000000064fe8b2a57d3eff7");
  EXPECT_EQ(short_id->sampled, false);
  auto deferred = parse_b3("64fe8b2a57d3eff7-e457b5a2e4d86bd1");
  ASSERT_TRUE(deferred.ok());
  EXPECT_FALSE(deferred->sampled.has_value());
  auto debug = parse_b3("64fe8b2a57d3eff7-e457b5a2e4d86bd1-d");
  ASSERT_TRUE(debug.ok());
  EXPECT_EQ(debug->sampled, true);
  auto deny = parse_b3("0");
  ASSERT_TRUE(deny.ok());
  EXPECT_FALSE(deny->has_ids());
  EXPECT_EQ(deny->sampled, false);
}

TEST(B3, RejectsMalformedSingleHeader) {
  const char* bad[] = {"",
                       "x",
                       "2",
                       "64fe8b2a57d3eff7",
                       "64fe8b2a57d3eff7-",
                       "64fe8b2a57d3eff-e457b5a2e4d86bd1",  // 15 digits
                       "64fe8b2a57d3eff7-e457b5a2e4d86bd",
                       "0000000000000000-e457b5a2e4d86bd1",
                       "64fe8b2a57d3eff7-0000000000000000",
                       "64fe8b2a57d3eff7-e457b5a2e4d86bd1-2",
                       "64fe8b2a57d3eff7-e457b5a2e4d86bd1-1-xyz",
                       "64fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90-extra",
                       "64FE8B2A57D3EFF7-e457b5a2e4d86bd1"};
  for (const char* v : bad)
    EXPECT_FALSE(parse_b3(v).ok()) << v;
}

TEST(B3, FormatRoundTrips) {
  TraceId id = id_from_hex("80f198ee56343ba864fe8b2a57d3eff7");
  std::string s = format_b3(id, 0xe457b5a2e4d86bd1ULL, true);
  EXPECT_EQ(s, "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1");
  auto back = parse_b3(s);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->trace_id, id);
}

TEST(B3Multi, ParsesAndRejects) {
  auto ctx = parse_b3_multi("80f198ee56343ba864fe8b2a57d3eff7", "e457b5a2e4d86bd1", "1", "");
  ASSERT_TRUE(ctx.ok());
  EXPECT_EQ(ctx->sampled, true);
  EXPECT_EQ(parse_b3_multi("64fe8b2a57d3eff7", "e457b5a2e4d86bd1", "false", "")->sampled, false);
  EXPECT_EQ(parse_b3_multi("64fe8b2a57d3eff7", "e457b5a2e4d86bd1", "0", "1")->sampled, true);
  EXPECT_FALSE(parse_b3_multi("64fe8b2a57d3eff7", "e457b5a2e4d86bd1", "", "")->sampled);
  auto only_decision = parse_b3_multi("", "", "0", "");
  ASSERT_TRUE(only_decision.ok());
  EXPECT_FALSE(only_decision->has_ids());
  EXPECT_FALSE(parse_b3_multi("64fe8b2a57d3eff7", "", "1", "").ok());
  EXPECT_FALSE(parse_b3_multi("", "e457b5a2e4d86bd1", "1", "").ok());
  EXPECT_FALSE(parse_b3_multi("64fe8b2a57d3eff7", "e457b5a2e4d86bd1", "yes", "").ok());
  EXPECT_FALSE(parse_b3_multi("64fe8b2a57d3eff7", "e457b5a2e4d86bd1", "", "2").ok());
  EXPECT_FALSE(parse_b3_multi("", "", "", "").ok());
  EXPECT_FALSE(parse_b3_multi("zz", "e457b5a2e4d86bd1", "1", "").ok());
}

TEST(Datadog, ParsesDecimalIdsAndTid) {
  auto ctx = parse_datadog("7277407061855694839", "5208512171318403364", "1", "");
  ASSERT_TRUE(ctx.ok()) << ctx.status().message();
  EXPECT_EQ(trace_id_hex(ctx->trace_id), "000000000000000064fe8b2a57d3eff7");
  EXPECT_EQ(ctx->span_id, 5208512171318403364ULL);
  EXPECT_EQ(ctx->sampled, true);
  auto with_tid =
      parse_datadog("7277407061855694839", "1", "2", "_dd.p.dm=-4,_dd.p.tid=640cfd8d00000000");
  ASSERT_TRUE(with_tid.ok());
  EXPECT_EQ(trace_id_hex(with_tid->trace_id), "640cfd8d0000000064fe8b2a57d3eff7");
  EXPECT_EQ(parse_datadog("1", "2", "0", "")->sampled, false);
  EXPECT_EQ(parse_datadog("1", "2", "-1", "")->sampled, false);
  EXPECT_FALSE(parse_datadog("1", "2", "", "")->sampled.has_value());
  // A malformed tid is ignored, the 64-bit id stays.
  auto bad_tid = parse_datadog("1", "2", "1", "_dd.p.tid=XYZ");
  ASSERT_TRUE(bad_tid.ok());
  EXPECT_EQ(trace_id_hex(bad_tid->trace_id), "00000000000000000000000000000001");
}

TEST(Datadog, RejectsMalformed) {
  EXPECT_FALSE(parse_datadog("", "2", "1", "").ok());
  EXPECT_FALSE(parse_datadog("0", "2", "1", "").ok());
  EXPECT_FALSE(parse_datadog("1", "0", "1", "").ok());
  EXPECT_FALSE(parse_datadog("1", "", "1", "").ok());
  EXPECT_FALSE(parse_datadog("-1", "2", "1", "").ok());
  EXPECT_FALSE(parse_datadog("18446744073709551616", "2", "1", "").ok());  // 2^64
  EXPECT_TRUE(parse_datadog("18446744073709551615", "2", "1", "").ok());
  EXPECT_FALSE(parse_datadog("12a", "2", "1", "").ok());
  EXPECT_FALSE(parse_datadog("1", "2", "one", "").ok());
}

TEST(Datadog, FormatWritesLowHalfAndTid) {
  TraceId id = id_from_hex("640cfd8d0000000064fe8b2a57d3eff7");
  DatadogHeaders h = format_datadog(id, 42, true);
  EXPECT_EQ(h.trace_id, "7277407061855694839");
  EXPECT_EQ(h.parent_id, "42");
  EXPECT_EQ(h.sampling_priority, "1");
  EXPECT_EQ(h.tags, "_dd.p.tid=640cfd8d00000000");
  auto back = parse_datadog(h.trace_id, h.parent_id, h.sampling_priority, h.tags);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->trace_id, id);
  EXPECT_TRUE(
      format_datadog(id_from_hex("0000000000000000000000000000000a"), 1, false).tags.empty());
}

TEST(Headers, ExtractTriesFormatsInOrder) {
  net::HttpHeaders h;
  h.add("traceparent", std::string(kTp));
  h.add("tracestate", "rojo=1,congo=2");
  h.add("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-0");
  std::vector<Propagation> w3c_first{Propagation::kTraceContext, Propagation::kB3};
  auto ctx = extract_context(h, w3c_first);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(trace_id_hex(ctx->trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(ctx->tracestate, "rojo=1,congo=2");
  std::vector<Propagation> b3_first{Propagation::kB3, Propagation::kTraceContext};
  ctx = extract_context(h, b3_first);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(trace_id_hex(ctx->trace_id), "80f198ee56343ba864fe8b2a57d3eff7");
  EXPECT_EQ(ctx->sampled, false);
  // A format not configured is not read.
  std::vector<Propagation> datadog{Propagation::kDatadog};
  EXPECT_FALSE(extract_context(h, datadog));
}

TEST(Headers, MalformedFallsThroughAndBadTracestateIsDropped) {
  net::HttpHeaders h;
  h.add("traceparent", "00-zz");
  h.add("X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7");
  h.add("X-B3-SpanId", "e457b5a2e4d86bd1");
  h.add("X-B3-Sampled", "1");
  std::vector<Propagation> both{Propagation::kTraceContext, Propagation::kB3Multi};
  auto ctx = extract_context(h, both);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(ctx->span_id, 0xe457b5a2e4d86bd1ULL);

  net::HttpHeaders w;
  w.add("traceparent", std::string(kTp));
  w.add("tracestate", "a=1,a=2");
  std::vector<Propagation> tc{Propagation::kTraceContext};
  ctx = extract_context(w, tc);
  ASSERT_TRUE(ctx);
  EXPECT_EQ(ctx->tracestate, "");
}

TEST(Headers, InjectWritesEveryConfiguredFormat) {
  net::HttpHeaders h;
  h.add("traceparent", "old");
  h.add("X-B3-ParentSpanId", "stale");
  TraceId id = id_from_hex("640cfd8d0000000064fe8b2a57d3eff7");
  std::vector<Propagation> all{Propagation::kTraceContext, Propagation::kB3, Propagation::kB3Multi,
                               Propagation::kDatadog};
  inject_context(h, all, id, 0x00f067aa0ba902b7ULL, true, "rojo=1");
  EXPECT_EQ(h.get("traceparent"), "00-640cfd8d0000000064fe8b2a57d3eff7-00f067aa0ba902b7-01");
  EXPECT_EQ(h.get("tracestate"), "rojo=1");
  EXPECT_EQ(h.get("b3"), "640cfd8d0000000064fe8b2a57d3eff7-00f067aa0ba902b7-1");
  EXPECT_EQ(h.get("x-b3-traceid"), "640cfd8d0000000064fe8b2a57d3eff7");
  EXPECT_EQ(h.get("x-b3-spanid"), "00f067aa0ba902b7");
  EXPECT_EQ(h.get("x-b3-sampled"), "1");
  EXPECT_FALSE(h.contains("X-B3-ParentSpanId"));
  EXPECT_EQ(h.get("x-datadog-trace-id"), "7277407061855694839");
  EXPECT_EQ(h.get("x-datadog-parent-id"), std::to_string(0x00f067aa0ba902b7ULL));
  EXPECT_EQ(h.get("x-datadog-sampling-priority"), "1");
  EXPECT_EQ(h.get("x-datadog-tags"), "_dd.p.tid=640cfd8d00000000");
  size_t traceparents = 0;
  for (const auto& [k, v] : h)
    traceparents += net::iequals(k, "traceparent");
  EXPECT_EQ(traceparents, 1u);
  // Round trip through each format.
  for (Propagation p : all) {
    std::vector<Propagation> one{p};
    auto ctx = extract_context(h, one);
    ASSERT_TRUE(ctx) << static_cast<int>(p);
    EXPECT_EQ(ctx->trace_id, id);
    EXPECT_EQ(ctx->span_id, 0x00f067aa0ba902b7ULL);
    EXPECT_EQ(ctx->sampled, true);
  }
}

TEST(Ids, AreNonZeroAndDistinctAcrossThreads) {
  std::vector<std::vector<uint64_t>> per_thread(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < per_thread.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i)
        per_thread[t].push_back(new_span_id());
    });
  }
  for (auto& th : threads)
    th.join();
  std::set<uint64_t> all;
  for (auto& v : per_thread) {
    for (uint64_t id : v) {
      EXPECT_NE(id, 0u);
      all.insert(id);
    }
  }
  EXPECT_EQ(all.size(), 8000u);
  std::set<std::string> traces;
  for (int i = 0; i < 1000; ++i) {
    TraceId id = new_trace_id();
    EXPECT_FALSE(SpanContext::is_zero(id));
    traces.insert(trace_id_hex(id));
  }
  EXPECT_EQ(traces.size(), 1000u);
  EXPECT_EQ(span_id_hex(0xab), "00000000000000ab");
}

TEST(Sampler, RatioOfNewTraces) {
  Sampler half(0.5, true);
  int kept = 0;
  for (int i = 0; i < 20000; ++i)
    kept += half.should_sample(new_trace_id(), std::nullopt);
  EXPECT_GT(kept, 9000);
  EXPECT_LT(kept, 11000);
  // The decision is a function of the trace id: the same id always gets the same answer.
  TraceId low = id_from_hex("ffffffffffffffff0000000000000001");
  TraceId high = id_from_hex("0000000000000000fffffffffffffff0");
  Sampler tenth(0.1, false);
  EXPECT_TRUE(tenth.should_sample(low, std::nullopt));
  EXPECT_FALSE(tenth.should_sample(high, std::nullopt));
  EXPECT_TRUE(Sampler(1.0, false).should_sample(high, std::nullopt));
  EXPECT_FALSE(Sampler(0.0, false).should_sample(low, std::nullopt));
  EXPECT_FALSE(Sampler(-3, false).should_sample(low, std::nullopt));
  EXPECT_TRUE(Sampler(7, false).should_sample(high, std::nullopt));
}

TEST(Sampler, ParentBased) {
  TraceId high = id_from_hex("0000000000000000fffffffffffffff0");
  Sampler never(0.0, true);
  EXPECT_TRUE(never.should_sample(high, true));
  EXPECT_FALSE(Sampler(1.0, true).should_sample(high, false));
  // Without parent_based, the parent's decision is ignored.
  EXPECT_FALSE(Sampler(0.0, false).should_sample(high, true));
  EXPECT_TRUE(Sampler(1.0, false).should_sample(high, false));
}

}  // namespace
}  // namespace orbit::telemetry
