// Trace context: the identity of a trace as it travels in HTTP headers, and the ids and
// sampling decisions the router makes for its own spans.
//
// Formats (config::Propagation):
//   W3C Trace Context   traceparent: 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>
//                       tracestate:  vendor list, passed on unchanged when well formed
//   B3 single           b3: <16|32 hex trace id>-<16 hex span id>[-<1|0|d>[-<16 hex parent>]]
//                       or only a sampling decision: 1, 0 or d
//   B3 multi            X-B3-TraceId, X-B3-SpanId, X-B3-Sampled (1/0/true/false), X-B3-Flags (1)
//   Datadog             x-datadog-trace-id (decimal, the low 64 bits of the trace id),
//                       x-datadog-parent-id (decimal), x-datadog-sampling-priority
//                       (<= 0 drop, >= 1 keep), x-datadog-tags: _dd.p.tid=<16 hex> (the high
//                       64 bits; optional)
//
// Parsers never crash on bad input: a malformed header yields an error naming what is wrong,
// and extraction then starts a new trace. Ids that are all zero are invalid everywhere.
//
// Threading: everything here is a pure function except the id generator, which keeps one
// generator per thread (no lock, no shared state).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "orbit/base/status.h"
#include "orbit/config/telemetry_config.h"
#include "orbit/net/http_headers.h"

namespace orbit::telemetry {

using TraceId = std::array<uint8_t, 16>;

// What a propagation header said. `trace_id`/`span_id` are zero when the header carried only
// a sampling decision (B3 "0"/"1"/"d"); `sampled` is empty when it carried none (B3 and Datadog
// may defer the decision to the receiver).
struct SpanContext {
  TraceId trace_id{};
  uint64_t span_id = 0;
  std::optional<bool> sampled;
  std::string tracestate;  // W3C only; empty when absent or malformed

  bool has_ids() const { return span_id != 0 && !is_zero(trace_id); }
  static bool is_zero(const TraceId& id) {
    for (uint8_t b : id) {
      if (b != 0) return false;
    }
    return true;
  }
};

// Limits where input enters: longer values are refused without being parsed.
inline constexpr size_t kMaxTraceparentBytes = 512;
inline constexpr size_t kMaxTracestateBytes = 512;
inline constexpr size_t kMaxTracestateMembers = 32;

// ---- W3C Trace Context -------------------------------------------------------------------

// Version 00 must be exactly 55 characters. A higher version (not ff) is read as version 00
// from its first 55 characters when it is at least that long and character 56, if any, is
// '-' (the spec's forward compatibility rule). Hex must be lowercase.
Result<SpanContext> parse_traceparent(std::string_view value);
std::string format_traceparent(const TraceId& trace_id, uint64_t span_id, bool sampled);

// The tracestate to keep: `value` trimmed when it is a well-formed list of at most 32
// members of at most kMaxTracestateBytes in total; nullopt (drop it) otherwise.
std::optional<std::string> validate_tracestate(std::string_view value);

// ---- B3 ----------------------------------------------------------------------------------

Result<SpanContext> parse_b3(std::string_view value);
std::string format_b3(const TraceId& trace_id, uint64_t span_id, bool sampled);

// The four X-B3-* values, each empty when the header is absent.
Result<SpanContext> parse_b3_multi(std::string_view trace_id, std::string_view span_id,
                                   std::string_view sampled, std::string_view flags);

// ---- Datadog -----------------------------------------------------------------------------

// `tags` is x-datadog-tags: comma-separated key=value pairs; only _dd.p.tid is read.
Result<SpanContext> parse_datadog(std::string_view trace_id, std::string_view parent_id,
                                  std::string_view sampling_priority, std::string_view tags);
struct DatadogHeaders {
  std::string trace_id;           // decimal low 64 bits
  std::string parent_id;          // decimal
  std::string sampling_priority;  // "1" or "0"
  std::string tags;               // "_dd.p.tid=<hex>" when the high 64 bits are not zero
};
DatadogHeaders format_datadog(const TraceId& trace_id, uint64_t span_id, bool sampled);

// ---- Headers -----------------------------------------------------------------------------

// The first of `formats` whose headers are present and well formed; nullopt when none is.
// A W3C context also picks up a valid tracestate.
std::optional<SpanContext> extract_context(const net::HttpHeaders& headers,
                                           std::span<const config::Propagation> formats);

// Sets the headers of every format in `formats` (replacing ones already there).
void inject_context(net::HttpHeaders& headers, std::span<const config::Propagation> formats,
                    const TraceId& trace_id, uint64_t span_id, bool sampled,
                    std::string_view tracestate);

// ---- Ids and sampling --------------------------------------------------------------------

// Random non-zero ids from a per-thread generator (xoshiro256**, seeded from the OS once per
// thread). Not for secrets.
TraceId new_trace_id();
uint64_t new_span_id();

std::string trace_id_hex(const TraceId& id);  // 32 lowercase hex digits
std::string span_id_hex(uint64_t id);         // 16 lowercase hex digits

// The sampling decision for a request. With `parent_based`, a parent's decision (sampled or
// not) is followed; otherwise — and for a new trace — the trace id decides: the trace is kept
// when its last 8 bytes, read as a big-endian number, fall below ratio × 2^64. Every service
// using the same rule keeps the same traces.
class Sampler {
 public:
  Sampler(double ratio, bool parent_based);
  bool should_sample(const TraceId& trace_id, std::optional<bool> parent_sampled) const;
  double ratio() const { return ratio_; }

 private:
  double ratio_;
  bool parent_based_;
  uint64_t threshold_;  // keep when the id's low 64 bits < threshold_ (ratio < 1)
};

}  // namespace orbit::telemetry
