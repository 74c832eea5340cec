#include "tracing_observer.h"

#include <string>

#include "orbit/graphql/ast.h"
#include "orbit/router/graph_snapshot.h"

namespace orbit::router {

namespace {

using telemetry::SpanAttributes;
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
  rest = rest.substr(0, rest.find_first_of("/?#"));
  size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  auto [host, port] = split_host_port(rest);
  if (port == 0) port = https ? 443 : 80;
  return {host, port};
}

void add(SpanAttributes& attrs, const char* key, std::string_view value) {
  attrs.push_back({key, std::string(value)});
}
void add(SpanAttributes& attrs, const char* key, int64_t value) {
  attrs.push_back({key, value});
}
void add(SpanAttributes& attrs, const char* key, bool value) {
  attrs.push_back({key, value});
}

SpanData child(const RequestRecord& r, uint64_t parent, const char* name,
               const RequestRecord::Stage& stage) {
  SpanData s;
  s.trace_id = r.trace.trace_id;
  s.span_id = telemetry::new_span_id();
  s.parent_span_id = parent;
  s.tracestate = r.trace.tracestate;
  s.name = name;
  s.kind = SpanKind::kInternal;
  s.start_unix_ns = r.start_unix_ns + stage.start_ns;
  s.end_unix_ns = s.start_unix_ns + stage.duration_ns;
  return s;
}

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
  exporter_->export_spans(build_spans(record));
}

std::vector<SpanData> TracingObserver::build_spans(const RequestRecord& r) {
  std::vector<SpanData> spans;
  spans.reserve(5 + r.fetches.size());

  // ---- the server span ----
  SpanData& server = spans.emplace_back();
  server.trace_id = r.trace.trace_id;
  server.span_id = r.trace.span_id;
  server.parent_span_id = r.trace.parent_span_id;
  server.tracestate = r.trace.tracestate;
  server.name.reserve(r.method.size() + 1 + r.path.size());
  server.name.append(r.method).append(" ").append(r.path);
  server.kind = SpanKind::kServer;
  server.start_unix_ns = r.start_unix_ns;
  server.end_unix_ns = r.start_unix_ns + r.duration_ns;
  SpanAttributes& a = server.attributes;
  a.reserve(18);
  add(a, "http.request.method", r.method);
  add(a, "url.path", r.path);
  add(a, "http.response.status_code", static_cast<int64_t>(r.http_status));
  if (!r.user_agent.empty()) add(a, "user_agent.original", r.user_agent);
  if (!r.remote_address.empty()) {
    auto [host, port] = split_host_port(r.remote_address);
    add(a, "client.address", host);
    if (port != 0) add(a, "client.port", port);
  }
  if (r.has_operation) {
    if (!r.operation_name.empty()) add(a, "graphql.operation.name", r.operation_name);
    add(a, "graphql.operation.type", graphql::operation_type_name(r.operation_type));
  }
  if (!r.operation_hash.empty()) add(a, "graphql.document.hash", r.operation_hash);
  add(a, "orbit.graphql.error_count", static_cast<int64_t>(r.error_count));
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
    add(a, "orbit.graphql.error_codes", codes);
  }
  if (!r.client_name.empty()) add(a, "orbit.client.name", r.client_name);
  if (!r.client_version.empty()) add(a, "orbit.client.version", r.client_version);
  add(a, "orbit.operation_cache_hit", r.operation_cache_hit);
  if (r.deduplicated) add(a, "orbit.deduplicated", true);

  const FetchRecord* failed_fetch = nullptr;
  for (const FetchRecord& f : r.fetches) {
    if (f.transport_error != ErrorCode::kOk) {
      failed_fetch = &f;
      break;
    }
  }
  if (r.http_status >= 500) {
    server.status_code = StatusCode::kError;
    server.status_message = "HTTP " + std::to_string(r.http_status);
    add(a, "error.type", std::to_string(r.http_status));
  } else if (failed_fetch != nullptr) {
    server.status_code = StatusCode::kError;
    server.status_message = "subgraph " + std::string(failed_fetch->subgraph_name) + ": " +
                            std::string(error_code_name(failed_fetch->transport_error));
  } else if (r.data_is_null) {
    server.status_code = StatusCode::kError;
    server.status_message = "data is null";
  }
  const uint64_t server_id = server.span_id;

  // ---- stages ----
  if (r.parse.ran()) spans.push_back(child(r, server_id, "parse", r.parse));
  if (r.validate.ran()) spans.push_back(child(r, server_id, "validate", r.validate));
  if (r.plan.ran()) {
    SpanData& plan = spans.emplace_back(child(r, server_id, "plan", r.plan));
    add(plan.attributes, "orbit.plan_cache_hit", r.plan_cache_hit);
  }
  uint64_t fetch_parent = server_id;
  if (r.execute.ran()) {
    spans.push_back(child(r, server_id, "execute", r.execute));
    fetch_parent = spans.back().span_id;
  }

  // ---- subgraph fetches ----
  std::span<const SubgraphSettings> subgraphs;
  if (r.snapshot != nullptr) subgraphs = r.snapshot->subgraphs();
  for (const FetchRecord& f : r.fetches) {
    SpanData& s = spans.emplace_back();
    s.trace_id = r.trace.trace_id;
    s.span_id = f.span_id != 0 ? f.span_id : telemetry::new_span_id();
    s.parent_span_id = fetch_parent;
    s.tracestate = r.trace.tracestate;
    s.name.reserve(9 + f.subgraph_name.size());
    s.name.append("subgraph ").append(f.subgraph_name);
    s.kind = SpanKind::kClient;
    s.start_unix_ns = r.start_unix_ns + f.start_ns;
    s.end_unix_ns = s.start_unix_ns + f.duration_ns;
    SpanAttributes& fa = s.attributes;
    fa.reserve(8);
    add(fa, "orbit.subgraph.name", f.subgraph_name);
    add(fa, "graphql.operation.type", graphql::operation_type_name(f.operation_type));
    add(fa, "http.request.method", std::string_view("POST"));
    if (f.subgraph < subgraphs.size()) {
      auto [host, port] = url_host_port(subgraphs[f.subgraph].url);
      if (!host.empty()) add(fa, "server.address", host);
      if (port != 0) add(fa, "server.port", port);
    }
    if (f.http_status != 0) {
      add(fa, "http.response.status_code", static_cast<int64_t>(f.http_status));
    }
    if (f.deduplicated) add(fa, "orbit.deduplicated", true);
    if (f.transport_error != ErrorCode::kOk) {
      s.status_code = StatusCode::kError;
      s.status_message = std::string(error_code_name(f.transport_error));
      add(fa, "error.type", s.status_message);
    } else if (f.http_status >= 400) {
      s.status_code = StatusCode::kError;
      s.status_message = "HTTP " + std::to_string(f.http_status);
      add(fa, "error.type", std::to_string(f.http_status));
    }
  }
  return spans;
}

}  // namespace orbit::router
