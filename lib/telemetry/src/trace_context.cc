#include "orbit/telemetry/trace_context.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <random>
#include <thread>
#include <vector>

namespace orbit::telemetry {

namespace {

constexpr char kHex[] = "0123456789abcdef";

Status invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

int lower_hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Lowercase hex of exactly 2 × out_size digits.
bool parse_hex(std::string_view s, uint8_t* out, size_t out_size) {
  if (s.size() != out_size * 2) return false;
  for (size_t i = 0; i < out_size; ++i) {
    int hi = lower_hex_digit(s[2 * i]);
    int lo = lower_hex_digit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool parse_hex_u64(std::string_view s, uint64_t* out) {
  uint8_t bytes[8];
  if (!parse_hex(s, bytes, 8)) return false;
  uint64_t v = 0;
  for (uint8_t b : bytes)
    v = v << 8 | b;
  *out = v;
  return true;
}

void append_hex(std::string& out, const uint8_t* bytes, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xf];
  }
}

void append_hex_u64(std::string& out, uint64_t v) {
  for (int shift = 60; shift >= 0; shift -= 4)
    out += kHex[(v >> shift) & 0xf];
}

uint64_t low64(const TraceId& id) {
  uint64_t v = 0;
  for (size_t i = 8; i < 16; ++i)
    v = v << 8 | id[i];
  return v;
}

uint64_t high64(const TraceId& id) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i)
    v = v << 8 | id[i];
  return v;
}

void set_low64(TraceId& id, uint64_t v) {
  for (int i = 15; i >= 8; --i) {
    id[static_cast<size_t>(i)] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

void set_high64(TraceId& id, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    id[static_cast<size_t>(i)] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

// A decimal uint64 without sign, spaces or leading '+'.
bool parse_decimal_u64(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

bool parse_decimal_i64(std::string_view s, int64_t* out) {
  bool negative = !s.empty() && s.front() == '-';
  if (negative) s.remove_prefix(1);
  uint64_t v = 0;
  if (!parse_decimal_u64(s, &v) || v > static_cast<uint64_t>(INT64_MAX)) return false;
  *out = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

std::string excerpt(std::string_view s) {
  constexpr size_t kMax = 64;
  std::string out;
  for (char c : s.substr(0, kMax)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (s.size() > kMax) out += "…";
  return out;
}

// ---- tracestate grammar (W3C Trace Context §3.3) ----

bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '*' ||
         c == '/';
}

bool valid_tracestate_key(std::string_view key) {
  if (key.empty() || key.size() > 256) return false;
  size_t at = key.find('@');
  if (at == std::string_view::npos) {
    if (!(key[0] >= 'a' && key[0] <= 'z')) return false;
    for (char c : key) {
      if (!key_char(c)) return false;
    }
    return true;
  }
  // Multi-tenant: tenant-id@system-id.
  std::string_view tenant = key.substr(0, at);
  std::string_view system = key.substr(at + 1);
  if (tenant.empty() || tenant.size() > 241 || system.empty() || system.size() > 14) return false;
  if (!((tenant[0] >= 'a' && tenant[0] <= 'z') || (tenant[0] >= '0' && tenant[0] <= '9'))) {
    return false;
  }
  if (!(system[0] >= 'a' && system[0] <= 'z')) return false;
  for (char c : tenant) {
    if (!key_char(c)) return false;
  }
  for (char c : system) {
    if (!key_char(c)) return false;
  }
  return true;
}

bool valid_tracestate_value(std::string_view value) {
  if (value.empty() || value.size() > 256 || value.back() == ' ') return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7e || c == ',' || c == '=') return false;
  }
  return true;
}

// ---- id generator ----

struct Xoshiro256 {
  uint64_t s[4];

  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  static uint64_t splitmix(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  Xoshiro256() {
    std::random_device rd;
    uint64_t seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
    seed ^=
        static_cast<uint64_t>(std::chrono::high_resolution_clock::now().time_since_epoch().count());
    seed ^= std::hash<std::thread::id>()(std::this_thread::get_id()) * 0x9e3779b97f4a7c15ULL;
    for (uint64_t& v : s)
      v = splitmix(seed);
  }

  uint64_t next() {
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
  }
};

Xoshiro256& generator() {
  thread_local Xoshiro256 g;
  return g;
}

}  // namespace

// ---- W3C ---------------------------------------------------------------------------------

Result<SpanContext> parse_traceparent(std::string_view value) {
  value = trim(value);
  if (value.size() > kMaxTraceparentBytes) {
    return invalid("traceparent longer than " + std::to_string(kMaxTraceparentBytes) + " bytes");
  }
  if (value.size() < 55) {
    return invalid("traceparent '" + excerpt(value) + "' is shorter than 55 characters");
  }
  uint8_t version = 0;
  if (!parse_hex(value.substr(0, 2), &version, 1)) {
    return invalid("traceparent '" + excerpt(value) + "': version is not 2 lowercase hex digits");
  }
  if (version == 0xff) return invalid("traceparent version ff is invalid");
  if (version == 0 && value.size() != 55) {
    return invalid("traceparent version 00 must be 55 characters, got " +
                   std::to_string(value.size()));
  }
  if (value.size() > 55 && value[55] != '-') {
    return invalid("traceparent '" + excerpt(value) + "': unexpected data after the flags");
  }
  if (value[2] != '-' || value[35] != '-' || value[52] != '-') {
    return invalid("traceparent '" + excerpt(value) + "': fields must be separated by '-'");
  }
  SpanContext ctx;
  if (!parse_hex(value.substr(3, 32), ctx.trace_id.data(), 16)) {
    return invalid("traceparent '" + excerpt(value) + "': trace id is not 32 lowercase hex digits");
  }
  if (SpanContext::is_zero(ctx.trace_id)) return invalid("traceparent trace id is all zeros");
  if (!parse_hex_u64(value.substr(36, 16), &ctx.span_id)) {
    return invalid("traceparent '" + excerpt(value) +
                   "': parent id is not 16 lowercase hex digits");
  }
  if (ctx.span_id == 0) return invalid("traceparent parent id is all zeros");
  uint8_t flags = 0;
  if (!parse_hex(value.substr(53, 2), &flags, 1)) {
    return invalid("traceparent '" + excerpt(value) + "': flags are not 2 lowercase hex digits");
  }
  ctx.sampled = (flags & 0x01) != 0;
  return ctx;
}

std::string format_traceparent(const TraceId& trace_id, uint64_t span_id, bool sampled) {
  std::string out;
  out.reserve(55);
  out += "00-";
  append_hex(out, trace_id.data(), 16);
  out += '-';
  append_hex_u64(out, span_id);
  out += sampled ? "-01" : "-00";
  return out;
}

std::optional<std::string> validate_tracestate(std::string_view value) {
  if (value.size() > kMaxTracestateBytes) return std::nullopt;
  std::string out;
  size_t members = 0;
  std::vector<std::string_view> keys;
  while (true) {
    size_t comma = value.find(',');
    std::string_view member = trim(value.substr(0, comma));
    if (!member.empty()) {
      size_t eq = member.find('=');
      if (eq == std::string_view::npos) return std::nullopt;
      std::string_view key = member.substr(0, eq);
      if (!valid_tracestate_key(key) || !valid_tracestate_value(member.substr(eq + 1))) {
        return std::nullopt;
      }
      for (std::string_view k : keys) {
        if (k == key) return std::nullopt;  // duplicate keys are not allowed
      }
      keys.push_back(key);
      if (++members > kMaxTracestateMembers) return std::nullopt;
      if (!out.empty()) out += ',';
      out += member;
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return out;
}

// ---- B3 ----------------------------------------------------------------------------------

namespace {

Status parse_b3_trace_id(std::string_view s, TraceId& out) {
  out = {};
  if (s.size() == 16) {
    uint64_t v = 0;
    if (!parse_hex_u64(s, &v)) return invalid("B3 trace id is not lowercase hex");
    set_low64(out, v);
  } else if (s.size() == 32) {
    if (!parse_hex(s, out.data(), 16)) return invalid("B3 trace id is not lowercase hex");
  } else {
    return invalid("B3 trace id must be 16 or 32 hex digits, got " + std::to_string(s.size()));
  }
  if (SpanContext::is_zero(out)) return invalid("B3 trace id is all zeros");
  return Status();
}

Status parse_b3_span_id(std::string_view s, uint64_t& out, const char* what) {
  if (!parse_hex_u64(s, &out)) {
    return invalid(std::string("B3 ") + what + " is not 16 lowercase hex digits");
  }
  if (out == 0) return invalid(std::string("B3 ") + what + " is all zeros");
  return Status();
}

}  // namespace

Result<SpanContext> parse_b3(std::string_view value) {
  value = trim(value);
  if (value.size() > 128) return invalid("b3 header longer than 128 bytes");
  SpanContext ctx;
  auto decision = [&](std::string_view s) -> Status {
    if (s == "1" || s == "d") {
      ctx.sampled = true;
    } else if (s == "0") {
      ctx.sampled = false;
    } else {
      return invalid("b3 sampling state '" + excerpt(s) + "' is not 1, 0 or d");
    }
    return Status();
  };
  if (value.size() == 1) {
    ORBIT_RETURN_IF_ERROR(decision(value));
    return ctx;
  }
  std::string_view parts[4];
  size_t count = 0;
  while (true) {
    if (count == 4) return invalid("b3 header '" + excerpt(value) + "' has more than 4 fields");
    size_t dash = value.find('-');
    parts[count++] = value.substr(0, dash);
    if (dash == std::string_view::npos) break;
    value.remove_prefix(dash + 1);
  }
  if (count < 2) return invalid("b3 header needs a trace id and a span id");
  ORBIT_RETURN_IF_ERROR(parse_b3_trace_id(parts[0], ctx.trace_id));
  ORBIT_RETURN_IF_ERROR(parse_b3_span_id(parts[1], ctx.span_id, "span id"));
  if (count >= 3) ORBIT_RETURN_IF_ERROR(decision(parts[2]));
  if (count == 4) {
    uint64_t parent = 0;
    ORBIT_RETURN_IF_ERROR(parse_b3_span_id(parts[3], parent, "parent span id"));
  }
  return ctx;
}

std::string format_b3(const TraceId& trace_id, uint64_t span_id, bool sampled) {
  std::string out;
  out.reserve(51);
  append_hex(out, trace_id.data(), 16);
  out += '-';
  append_hex_u64(out, span_id);
  out += sampled ? "-1" : "-0";
  return out;
}

Result<SpanContext> parse_b3_multi(std::string_view trace_id, std::string_view span_id,
                                   std::string_view sampled, std::string_view flags) {
  trace_id = trim(trace_id);
  span_id = trim(span_id);
  sampled = trim(sampled);
  flags = trim(flags);
  SpanContext ctx;
  if (flags == "1") {
    ctx.sampled = true;  // debug implies sampled
  } else if (!flags.empty() && flags != "0") {
    return invalid("X-B3-Flags '" + excerpt(flags) + "' is not 1");
  }
  if (!ctx.sampled && !sampled.empty()) {
    if (sampled == "1" || sampled == "true") {
      ctx.sampled = true;
    } else if (sampled == "0" || sampled == "false") {
      ctx.sampled = false;
    } else {
      return invalid("X-B3-Sampled '" + excerpt(sampled) + "' is not 1 or 0");
    }
  }
  if (trace_id.empty() && span_id.empty()) {
    if (!ctx.sampled) return invalid("no X-B3-TraceId, X-B3-SpanId or sampling decision");
    return ctx;
  }
  if (trace_id.empty() || span_id.empty()) {
    return invalid("X-B3-TraceId and X-B3-SpanId must be sent together");
  }
  ORBIT_RETURN_IF_ERROR(parse_b3_trace_id(trace_id, ctx.trace_id));
  ORBIT_RETURN_IF_ERROR(parse_b3_span_id(span_id, ctx.span_id, "span id"));
  return ctx;
}

// ---- Datadog -----------------------------------------------------------------------------

Result<SpanContext> parse_datadog(std::string_view trace_id, std::string_view parent_id,
                                  std::string_view sampling_priority, std::string_view tags) {
  trace_id = trim(trace_id);
  parent_id = trim(parent_id);
  sampling_priority = trim(sampling_priority);
  SpanContext ctx;
  uint64_t low = 0;
  if (!parse_decimal_u64(trace_id, &low) || low == 0) {
    return invalid("x-datadog-trace-id '" + excerpt(trace_id) +
                   "' is not a non-zero 64-bit decimal number");
  }
  if (!parse_decimal_u64(parent_id, &ctx.span_id) || ctx.span_id == 0) {
    return invalid("x-datadog-parent-id '" + excerpt(parent_id) +
                   "' is not a non-zero 64-bit decimal number");
  }
  set_low64(ctx.trace_id, low);
  if (!sampling_priority.empty()) {
    int64_t priority = 0;
    if (!parse_decimal_i64(sampling_priority, &priority)) {
      return invalid("x-datadog-sampling-priority '" + excerpt(sampling_priority) +
                     "' is not an integer");
    }
    ctx.sampled = priority > 0;
  }
  // _dd.p.tid: the high 64 bits of a 128-bit trace id. A malformed one is ignored (the
  // 64-bit id still identifies the trace for Datadog).
  if (tags.size() <= 512) {
    while (!tags.empty()) {
      size_t comma = tags.find(',');
      std::string_view tag = trim(tags.substr(0, comma));
      constexpr std::string_view kTid = "_dd.p.tid=";
      if (tag.substr(0, kTid.size()) == kTid) {
        uint64_t high = 0;
        if (parse_hex_u64(tag.substr(kTid.size()), &high)) set_high64(ctx.trace_id, high);
        break;
      }
      if (comma == std::string_view::npos) break;
      tags.remove_prefix(comma + 1);
    }
  }
  return ctx;
}

DatadogHeaders format_datadog(const TraceId& trace_id, uint64_t span_id, bool sampled) {
  DatadogHeaders h;
  h.trace_id = std::to_string(low64(trace_id));
  h.parent_id = std::to_string(span_id);
  h.sampling_priority = sampled ? "1" : "0";
  uint64_t high = high64(trace_id);
  if (high != 0) {
    h.tags = "_dd.p.tid=";
    append_hex_u64(h.tags, high);
  }
  return h;
}

// ---- Headers -----------------------------------------------------------------------------

std::optional<SpanContext> extract_context(const net::HttpHeaders& headers,
                                           std::span<const config::Propagation> formats) {
  auto get = [&](std::string_view name) { return headers.get(name).value_or(""); };
  for (config::Propagation format : formats) {
    switch (format) {
      case config::Propagation::kTraceContext: {
        auto tp = headers.get("traceparent");
        if (!tp) break;
        Result<SpanContext> ctx = parse_traceparent(*tp);
        if (!ctx.ok()) break;
        if (auto ts = headers.get("tracestate")) {
          if (auto valid = validate_tracestate(*ts)) ctx->tracestate = std::move(*valid);
        }
        return std::move(ctx).value();
      }
      case config::Propagation::kB3: {
        auto b3 = headers.get("b3");
        if (!b3) break;
        Result<SpanContext> ctx = parse_b3(*b3);
        if (ctx.ok()) return std::move(ctx).value();
        break;
      }
      case config::Propagation::kB3Multi: {
        std::string_view tid = get("x-b3-traceid");
        std::string_view sid = get("x-b3-spanid");
        std::string_view sampled = get("x-b3-sampled");
        std::string_view flags = get("x-b3-flags");
        if (tid.empty() && sid.empty() && sampled.empty() && flags.empty()) break;
        Result<SpanContext> ctx = parse_b3_multi(tid, sid, sampled, flags);
        if (ctx.ok()) return std::move(ctx).value();
        break;
      }
      case config::Propagation::kDatadog: {
        auto tid = headers.get("x-datadog-trace-id");
        if (!tid) break;
        Result<SpanContext> ctx =
            parse_datadog(*tid, get("x-datadog-parent-id"), get("x-datadog-sampling-priority"),
                          get("x-datadog-tags"));
        if (ctx.ok()) return std::move(ctx).value();
        break;
      }
    }
  }
  return std::nullopt;
}

void inject_context(net::HttpHeaders& headers, std::span<const config::Propagation> formats,
                    const TraceId& trace_id, uint64_t span_id, bool sampled,
                    std::string_view tracestate) {
  for (config::Propagation format : formats) {
    switch (format) {
      case config::Propagation::kTraceContext:
        headers.set("traceparent", format_traceparent(trace_id, span_id, sampled));
        if (tracestate.empty()) {
          headers.remove("tracestate");
        } else {
          headers.set("tracestate", std::string(tracestate));
        }
        break;
      case config::Propagation::kB3:
        headers.set("b3", format_b3(trace_id, span_id, sampled));
        break;
      case config::Propagation::kB3Multi: {
        std::string tid;
        append_hex(tid, trace_id.data(), 16);
        headers.set("X-B3-TraceId", std::move(tid));
        headers.set("X-B3-SpanId", span_id_hex(span_id));
        headers.set("X-B3-Sampled", sampled ? "1" : "0");
        headers.remove("X-B3-ParentSpanId");
        headers.remove("X-B3-Flags");
        break;
      }
      case config::Propagation::kDatadog: {
        DatadogHeaders dd = format_datadog(trace_id, span_id, sampled);
        headers.set("x-datadog-trace-id", std::move(dd.trace_id));
        headers.set("x-datadog-parent-id", std::move(dd.parent_id));
        headers.set("x-datadog-sampling-priority", std::move(dd.sampling_priority));
        if (dd.tags.empty()) {
          headers.remove("x-datadog-tags");
        } else {
          headers.set("x-datadog-tags", std::move(dd.tags));
        }
        break;
      }
    }
  }
}

// ---- Ids and sampling --------------------------------------------------------------------

TraceId new_trace_id() {
  TraceId id;
  Xoshiro256& g = generator();
  uint64_t high = 0;
  uint64_t low = 0;
  do {
    high = g.next();
    low = g.next();
  } while (high == 0 && low == 0);
  set_high64(id, high);
  set_low64(id, low);
  return id;
}

uint64_t new_span_id() {
  Xoshiro256& g = generator();
  uint64_t v = 0;
  while (v == 0)
    v = g.next();
  return v;
}

std::string trace_id_hex(const TraceId& id) {
  std::string out;
  out.reserve(32);
  append_hex(out, id.data(), 16);
  return out;
}

std::string span_id_hex(uint64_t id) {
  std::string out;
  out.reserve(16);
  append_hex_u64(out, id);
  return out;
}

Sampler::Sampler(double ratio, bool parent_based) : parent_based_(parent_based) {
  if (!(ratio > 0)) ratio = 0;  // NaN too
  if (ratio > 1) ratio = 1;
  ratio_ = ratio;
  threshold_ = ratio >= 1 ? UINT64_MAX : static_cast<uint64_t>(std::ldexp(ratio, 64));
}

bool Sampler::should_sample(const TraceId& trace_id, std::optional<bool> parent_sampled) const {
  if (parent_based_ && parent_sampled) return *parent_sampled;
  if (ratio_ >= 1) return true;
  if (ratio_ <= 0) return false;
  return low64(trace_id) < threshold_;
}

}  // namespace orbit::telemetry
