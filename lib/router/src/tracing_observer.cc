#include "tracing_observer.h"

#include <charconv>
#include <string>

#include "orbit/graphql/ast.h"
#include "orbit/router/graph_snapshot.h"

namespace orbit::router {

namespace {

using telemetry::SpanData;
using telemetry::SpanKind;
using telemetry::StatusCode;

// "127.0.0.1:53412" / "[::1]:53412" → address and port (0 when there is none).
std::pair<std::string_view, int64_t> split_host_port(std::string_view s) {
  size_t colon = s.rfind(':');
  int64_t port = 0;
  std::string_view host = s;
  if (colon != std::string_view::npos && s.find(':') == colon) {
    host = s.substr(0, colon);
  } else if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return {s, 0};
    host = s.substr(1, close - 1);
    colon = close + 1 < s.size() && s[close + 1] == ':' ? close + 1 : std::string_view::npos;
  } else {
    colon = std::string_view::npos;  // a bare IPv6 address or no port
  }
  if (colon != std::string_view::npos) {
    for (char c : s.substr(colon + 1)) {
      if (c < '0' || c > '9' || port > 65535) return {host, 0};
      port = port * 10 + (c - '0');
    }
  }
  return {host, port};
}

// The host and port of a subgraph URL "http(s)://host[:port]/…".
std::pair<std::string_view, int64_t> url_host_port(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {{}, 0};
  bool https = url.substr(0, scheme) == "https";
  std::string_view rest = url.substr(scheme + 3);
  size_t end = 0;
  while (end < rest.size() && rest[end] != '/' && rest[end] != '?' && rest[end] != '#')
    ++end;
  rest = rest.substr(0, end);
  size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  auto [host, port] = split_host_port(rest);
  if (port == 0) port = https ? 443 : 80;
  return {host, port};
}

// An int as text in a small buffer (status codes in error.type and status messages).
struct IntText {
  char buf[24];
  size_t size = 0;
  explicit IntText(int64_t v) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    size = ec == std::errc() ? static_cast<size_t>(end - buf) : 0;
  }
  std::string_view view() const { return std::string_view(buf, size); }
};

// The spans of one request, written to `out`: a telemetry::SpanWriter (what the exporter
// queues) or SpanDataOut (build_spans, for tests) — one mapping for both.
template <typename Out>
void emit_spans(const RequestRecord& r, Out& out) {
  const TraceIds& t = r.trace;
  const uint64_t server_id = t.span_id;

  // ---- the server span ----
  out.begin(t.trace_id, server_id, t.parent_span_id, t.tracestate, SpanKind::kServer,
            r.start_unix_ns, r.start_unix_ns + r.duration_ns, r.method, " ", r.path);
  out.attribute("http.request.method", r.method);
  out.attribute("url.path", r.path);
  out.attribute("http.response.status_code", static_cast<int64_t>(r.http_status));
  if (!r.user_agent.empty()) out.attribute("user_agent.original", r.user_agent);
  if (!r.remote_address.empty()) {
    auto [host, port] = split_host_port(r.remote_address);
    out.attribute("client.address", host);
    if (port != 0) out.attribute("client.port", port);
  }
  if (r.has_operation) {
    if (!r.operation_name.empty()) out.attribute("graphql.operation.name", r.operation_name);
    out.attribute("graphql.operation.type", graphql::operation_type_name(r.operation_type));
  }
  if (!r.operation_hash.empty()) out.attribute("graphql.document.hash", r.operation_hash);
  out.attribute("orbit.graphql.error_count", static_cast<int64_t>(r.error_count));
  if (!r.error_codes.empty()) {
    // Distinct codes, in order of first appearance (among the first 64).
    std::string codes;
    for (size_t i = 0; i < r.error_codes.size() && i < 64; ++i) {
      std::string_view c = r.error_codes[i];
      bool seen = false;
      for (size_t j = 0; j < i && !seen; ++j)
        seen = r.error_codes[j] == c;
      if (seen) continue;
      if (!codes.empty()) codes += ',';
      codes.append(c);
    }
    out.attribute("orbit.graphql.error_codes", std::string_view(codes));
  }
  if (!r.client_name.empty()) out.attribute("orbit.client.name", r.client_name);
  if (!r.client_version.empty()) out.attribute("orbit.client.version", r.client_version);
  out.attribute("orbit.operation_cache_hit", r.operation_cache_hit);
  if (r.deduplicated) out.attribute("orbit.deduplicated", true);

  const FetchRecord* failed_fetch = nullptr;
  for (const FetchRecord& f : r.fetches) {
    if (f.transport_error != ErrorCode::kOk) {
      failed_fetch = &f;
      break;
    }
  }
  if (r.http_status >= 500) {
    IntText status(r.http_status);
    out.attribute("error.type", status.view());
    out.status(StatusCode::kError, "HTTP ", status.view());
  } else if (failed_fetch != nullptr) {
    out.status(StatusCode::kError, "subgraph ", failed_fetch->subgraph_name,
               std::string(": ").append(error_code_name(failed_fetch->transport_error)));
  } else if (r.data_is_null) {
    out.status(StatusCode::kError, "data is null");
  }
  out.end();

  // ---- stages ----
  auto stage = [&](const char* name, const RequestRecord::Stage& st) {
    uint64_t id = telemetry::new_span_id();
    int64_t start = r.start_unix_ns + st.start_ns;
    out.begin(t.trace_id, id, server_id, t.tracestate, SpanKind::kInternal, start,
              start + st.duration_ns, name);
    return id;
  };
  if (r.parse.ran()) {
    stage("parse", r.parse);
    out.end();
  }
  if (r.validate.ran()) {
    stage("validate", r.validate);
    out.end();
  }
  if (r.plan.ran()) {
    stage("plan", r.plan);
    out.attribute("orbit.plan_cache_hit", r.plan_cache_hit);
    out.end();
  }
  uint64_t fetch_parent = server_id;
  if (r.execute.ran()) {
    fetch_parent = stage("execute", r.execute);
    out.end();
  }

  // ---- subgraph fetches ----
  std::span<const SubgraphSettings> subgraphs;
  if (r.snapshot != nullptr) subgraphs = r.snapshot->subgraphs();
  for (const FetchRecord& f : r.fetches) {
    const uint64_t id = f.span_id != 0 ? f.span_id : telemetry::new_span_id();
    const int64_t start = r.start_unix_ns + f.start_ns;
    out.begin(t.trace_id, id, fetch_parent, t.tracestate, SpanKind::kClient, start,
              start + f.duration_ns, "subgraph ", f.subgraph_name);
    out.attribute("orbit.subgraph.name", f.subgraph_name);
    out.attribute("graphql.operation.type", graphql::operation_type_name(f.operation_type));
    out.attribute("http.request.method", std::string_view("POST"));
    if (f.subgraph < subgraphs.size()) {
      auto [host, port] = url_host_port(subgraphs[f.subgraph].url);
      if (!host.empty()) out.attribute("server.address", host);
      if (port != 0) out.attribute("server.port", port);
    }
    if (f.http_status != 0) {
      out.attribute("http.response.status_code", static_cast<int64_t>(f.http_status));
    }
    if (f.deduplicated) out.attribute("orbit.deduplicated", true);
    if (f.transport_error != ErrorCode::kOk) {
      std::string_view code = error_code_name(f.transport_error);
      out.attribute("error.type", code);
      out.status(StatusCode::kError, code);
    } else if (f.http_status >= 400) {
      IntText status(f.http_status);
      out.attribute("error.type", status.view());
      out.status(StatusCode::kError, "HTTP ", status.view());
    }
    out.end();
  }
}

// build_spans' output: the same calls made into SpanData.
struct SpanDataOut {
  std::vector<SpanData>& spans;

  void begin(const telemetry::TraceId& trace_id, uint64_t span_id, uint64_t parent,
             std::string_view tracestate, SpanKind kind, int64_t start, int64_t end,
             std::string_view name, std::string_view name2 = {}, std::string_view name3 = {}) {
    SpanData& s = spans.emplace_back();
    s.trace_id = trace_id;
    s.span_id = span_id;
    s.parent_span_id = parent;
    s.tracestate = std::string(tracestate);
    s.name.append(name).append(name2).append(name3);
    s.kind = kind;
    s.start_unix_ns = start;
    s.end_unix_ns = end;
  }
  void attribute(std::string_view key, std::string_view value) {
    spans.back().attributes.push_back({std::string(key), std::string(value)});
  }
  void attribute(std::string_view key, int64_t value) {
    spans.back().attributes.push_back({std::string(key), value});
  }
  void attribute(std::string_view key, bool value) {
    spans.back().attributes.push_back({std::string(key), value});
  }
  void status(StatusCode code, std::string_view m, std::string_view m2 = {},
              std::string_view m3 = {}) {
    SpanData& s = spans.back();
    s.status_code = code;
    s.status_message.append(m).append(m2).append(m3);
  }
  void end() {}
};

}  // namespace

TracingObserver::TracingObserver(std::shared_ptr<telemetry::OtlpExporter> exporter,
                                 const config::TracingConfig& config)
    : exporter_(std::move(exporter)),
      propagation_(config.propagation),
      sampler_(config.sampler_ratio, config.parent_based) {}

void TracingObserver::on_start(RequestRecord& record, const net::HttpHeaders& client_headers) {
  TraceIds& t = record.trace;
  std::optional<telemetry::SpanContext> parent =
      telemetry::extract_context(client_headers, propagation_);
  std::optional<bool> parent_sampled;
  if (parent) {
    parent_sampled = parent->sampled;
    if (parent->has_ids()) {
      t.trace_id = parent->trace_id;
      t.parent_span_id = parent->span_id;
      t.tracestate = std::move(parent->tracestate);
    }
  }
  if (!t.valid()) t.trace_id = telemetry::new_trace_id();
  t.span_id = telemetry::new_span_id();
  t.sampled = sampler_.should_sample(t.trace_id, parent_sampled);
}

void TracingObserver::on_fetch(const RequestRecord& record, FetchRecord& fetch,
                               net::HttpHeaders& subgraph_headers) {
  const TraceIds& t = record.trace;
  if (!t.valid()) return;
  // Unsampled: no span is recorded, the subgraph's parent is the (unrecorded) server span.
  uint64_t parent = t.span_id;
  if (t.sampled) {
    fetch.span_id = telemetry::new_span_id();
    parent = fetch.span_id;
  }
  telemetry::inject_context(subgraph_headers, propagation_, t.trace_id, parent, t.sampled,
                            t.tracestate);
}

void TracingObserver::on_end(const RequestRecord& record) {
  if (!record.trace.sampled || !record.trace.valid()) return;
  // The server span, four stages at most, and one span per fetch.
  const size_t max_spans = 5 + record.fetches.size();
  exporter_->export_spans_with(max_spans,
                               [&](telemetry::SpanWriter& writer) { emit_spans(record, writer); });
}

void TracingObserver::write_spans(const RequestRecord& record, telemetry::SpanWriter& writer) {
  emit_spans(record, writer);
}

std::vector<SpanData> TracingObserver::build_spans(const RequestRecord& r) {
  std::vector<SpanData> spans;
  spans.reserve(5 + r.fetches.size());
  SpanDataOut out{spans};
  emit_spans(r, out);
  return spans;
}

}  // namespace orbit::router
