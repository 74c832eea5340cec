// Properties of the trace header readers: what the router reads from any client's
// traceparent / tracestate / b3 / X-B3-* / x-datadog-* headers. Shared by fuzz_trace_headers
// and fuzz_regression_test, like checks.h.
//
// Input: up to 10 lines, the values of traceparent, tracestate, b3, X-B3-TraceId, X-B3-SpanId,
// X-B3-Sampled, X-B3-Flags, x-datadog-trace-id, x-datadog-parent-id and
// x-datadog-sampling-priority; the rest of the input is x-datadog-tags.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/assert.h"
#include "orbit/telemetry/trace_context.h"

namespace orbit::fuzz {

namespace trace_detail {

// A parsed context with ids formats back into a header that parses to the same context.
template <typename Format, typename Parse>
void check_round_trip(const telemetry::SpanContext& ctx, Format format, Parse parse) {
  if (!ctx.has_ids()) return;
  bool sampled = ctx.sampled.value_or(false);
  Result<telemetry::SpanContext> again = parse(format(ctx.trace_id, ctx.span_id, sampled));
  ORBIT_RELEASE_ASSERT(again.ok());
  ORBIT_RELEASE_ASSERT(again->trace_id == ctx.trace_id);
  ORBIT_RELEASE_ASSERT(again->span_id == ctx.span_id);
  ORBIT_RELEASE_ASSERT(again->sampled == sampled);
}

template <typename T>
void check_refusal(const Result<T>& r) {
  ORBIT_RELEASE_ASSERT(r.ok() || !r.status().message().empty());
}

}  // namespace trace_detail

inline void check_trace_headers(std::string_view input) {
  using namespace telemetry;
  std::vector<std::string_view> f;
  while (f.size() < 10) {
    size_t nl = input.find('\n');
    f.push_back(input.substr(0, nl));
    if (nl == std::string_view::npos) {
      input = {};
      break;
    }
    input.remove_prefix(nl + 1);
  }
  while (f.size() < 10)
    f.push_back({});
  std::string_view tags = input;

  Result<SpanContext> tp = parse_traceparent(f[0]);
  trace_detail::check_refusal(tp);
  if (tp.ok()) {
    ORBIT_RELEASE_ASSERT(tp->has_ids());
    trace_detail::check_round_trip(*tp, format_traceparent, parse_traceparent);
  }

  std::optional<std::string> ts = validate_tracestate(f[1]);
  if (ts) {
    ORBIT_RELEASE_ASSERT(ts->size() <= kMaxTracestateBytes);
    ORBIT_RELEASE_ASSERT(validate_tracestate(*ts) == ts);  // stable
  }

  Result<SpanContext> b3 = parse_b3(f[2]);
  trace_detail::check_refusal(b3);
  if (b3.ok()) {
    ORBIT_RELEASE_ASSERT(b3->has_ids() || b3->sampled.has_value());
    trace_detail::check_round_trip(*b3, format_b3, parse_b3);
  }

  Result<SpanContext> multi = parse_b3_multi(f[3], f[4], f[5], f[6]);
  trace_detail::check_refusal(multi);

  Result<SpanContext> dd = parse_datadog(f[7], f[8], f[9], tags);
  trace_detail::check_refusal(dd);
  if (dd.ok()) {
    ORBIT_RELEASE_ASSERT(dd->has_ids());
    DatadogHeaders h = format_datadog(dd->trace_id, dd->span_id, dd->sampled.value_or(false));
    Result<SpanContext> again = parse_datadog(h.trace_id, h.parent_id, h.sampling_priority, h.tags);
    ORBIT_RELEASE_ASSERT(again.ok() && again->trace_id == dd->trace_id &&
                         again->span_id == dd->span_id);
  }

  // Extraction over every format never crashes; what it yields injects and extracts back.
  net::HttpHeaders headers;
  const char* names[] = {"traceparent",
                         "tracestate",
                         "b3",
                         "X-B3-TraceId",
                         "X-B3-SpanId",
                         "X-B3-Sampled",
                         "X-B3-Flags",
                         "x-datadog-trace-id",
                         "x-datadog-parent-id",
                         "x-datadog-sampling-priority"};
  for (size_t i = 0; i < 10; ++i) {
    if (!f[i].empty()) headers.add(names[i], std::string(f[i]));
  }
  if (!tags.empty()) headers.add("x-datadog-tags", std::string(tags));
  const config::Propagation all[] = {config::Propagation::kTraceContext, config::Propagation::kB3,
                                     config::Propagation::kB3Multi, config::Propagation::kDatadog};
  std::optional<SpanContext> ctx = extract_context(headers, all);
  if (ctx && ctx->has_ids()) {
    for (config::Propagation p : all) {
      net::HttpHeaders out;
      inject_context(out, std::span(&p, 1), ctx->trace_id, ctx->span_id, true, ctx->tracestate);
      std::optional<SpanContext> back = extract_context(out, std::span(&p, 1));
      ORBIT_RELEASE_ASSERT(back && back->span_id == ctx->span_id && back->sampled == true);
      if (p != config::Propagation::kDatadog) ORBIT_RELEASE_ASSERT(back->trace_id == ctx->trace_id);
    }
  }
}

}  // namespace orbit::fuzz
