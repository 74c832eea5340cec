#include "orbit/controlplane/usage_api.h"

#include <zlib.h>

#include <charconv>
#include <cmath>

#include "orbit/base/json_writer.h"
#include "orbit/base/log.h"
#include "orbit/cdn/fleet_file.h"
#include "orbit/controlplane/fleet.h"
#include "orbit/registry/check_usage.h"
#include "orbit/registry/usage.h"
#include "orbit/registry/usage_store.h"
#include "orbit/registry/validation.h"
#include "orbit/security/encoding.h"
#include "orbit/security/graph_token.h"

#include "http_json.h"

namespace orbit::controlplane {
namespace {

using http_json::int_param;
using http_json::page_of;
using http_json::query_value;
using registry::api_error;
using registry::ApiCode;
using registry::ApiError;
using registry::Expected;

ApiResponse json_response(int status, std::string body) {
  ApiResponse r;
  r.status = status;
  r.headers.set("Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

ApiResponse error_response(const ApiError& error) {
  ApiResponse r = json_response(registry::api_code_http_status(error.code), error.to_json());
  if (error.code == ApiCode::kUnauthenticated)
    r.headers.set("WWW-Authenticate", "Bearer realm=\"orbit\"");
  return r;
}

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s.substr(0, 64));
  return out;
}

// from/to (RFC 3339; defaults: the last hour) and step (seconds; default: the smallest of a
// few round steps that gives at most 200 points).
struct Range {
  int64_t from = 0, to = 0, step = 0;
};
Expected<Range> range_of(std::string_view query, int64_t now, bool with_step) {
  Range r;
  r.to = now;
  if (auto to = query_value(query, "to")) {
    auto t = registry::parse_rfc3339(*to);
    if (!t)
      return api_error(ApiCode::kInvalidArgument,
                       "to: expected an RFC 3339 date-time, got " + quoted(*to));
    r.to = *t;
  }
  r.from = r.to - 3600;
  if (auto from = query_value(query, "from")) {
    auto t = registry::parse_rfc3339(*from);
    if (!t)
      return api_error(ApiCode::kInvalidArgument,
                       "from: expected an RFC 3339 date-time, got " + quoted(*from));
    r.from = *t;
  }
  if (r.from >= r.to) return api_error(ApiCode::kInvalidArgument, "from: must be before to");
  if (r.to - r.from > registry::kMaxQueryRangeSeconds)
    return api_error(ApiCode::kInvalidArgument, "from: the range is longer than 90 days");
  if (!with_step) return r;
  auto step = int_param(query, "step", 1, registry::kMaxQueryRangeSeconds);
  if (!step.ok()) return step.error();
  if (*step) {
    r.step = **step;
  } else {
    static constexpr int64_t kSteps[] = {60,   300,   600,   900,   1800, 3600,
                                         7200, 10800, 21600, 43200, 86400};
    for (int64_t s : kSteps) {
      r.step = s;
      if ((r.to - r.from + s - 1) / s <= 200) break;
    }
  }
  ORBIT_TRY(registry::check_usage_range(r.from, r.to, r.step));
  return r;
}

void write_ms(JsonWriter& w, std::optional<double> ms) {
  if (!ms)
    w.null();
  else
    w.number(std::round(*ms * 1000) / 1000);
}

void write_counts(JsonWriter& w, const registry::UsageCounts& c) {
  w.key("requests").integer(c.requests);
  w.key("errors").integer(c.errors);
  w.key("p50Ms");
  write_ms(w, c.quantile_ms(0.50));
  w.key("p95Ms");
  write_ms(w, c.quantile_ms(0.95));
  w.key("p99Ms");
  write_ms(w, c.quantile_ms(0.99));
}

ApiResponse checks_page(const registry::Page<registry::CheckRecord>& page) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("items").begin_array();
  for (const auto& c : page.items)
    w.raw(c.result_json);
  w.end_array().key("nextCursor");
  if (page.next_after.empty())
    w.null();
  else
    w.string(security::base64url_encode(page.next_after));
  w.end_object();
  return json_response(200, out);
}

// The graph a graph token is for: verified, stored, not revoked, and still there.
Expected<registry::FederatedGraph> token_graph(registry::Registry& reg,
                                               const net::HttpRequest& request, int64_t now) {
  auto header = request.headers.get("Authorization");
  if (!header || header->empty())
    return api_error(ApiCode::kUnauthenticated,
                     "no graph token: send Authorization: Bearer <graph token>");
  std::string_view auth = *header;
  if (auth.size() < 7 || (auth.substr(0, 7) != "Bearer " && auth.substr(0, 7) != "bearer "))
    return api_error(ApiCode::kUnauthenticated, "the Authorization header is not Bearer");
  std::string_view token = auth.substr(7);
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ')
    token.remove_suffix(1);
  if (token.size() > security::kMaxGraphTokenBytes)
    return api_error(ApiCode::kUnauthenticated, "the graph token is too long");
  security::TokenVerifyOptions verify_options;
  verify_options.audience = reg.options().audience;
  security::GraphTokenVerifier verifier(security::PublicKeySet({reg.token_public_key()}),
                                        verify_options);
  security::TokenCheck check = verifier.verify(token, now);
  if (!check.ok())
    return api_error(ApiCode::kUnauthenticated,
                     "graph token refused (" +
                         std::string(security::token_error_name(check.error)) +
                         "): " + check.message);
  const auto& claims = check.claims;
  auto denied = [](std::string why) {
    return api_error(ApiCode::kPermissionDenied, "graph token refused: " + why);
  };
  auto org = reg.store().find_organization(claims.org);
  if (!org.ok()) return org.error();
  if (!org->has_value()) return denied("its organization no longer exists");
  // registry::cdn_graph_name: "graph" in the default namespace, else "namespace.graph".
  size_t dot = claims.graph.find('.');
  std::string ns_name = dot == std::string::npos ? "default" : claims.graph.substr(0, dot);
  std::string graph_name = dot == std::string::npos ? claims.graph : claims.graph.substr(dot + 1);
  auto ns = reg.store().find_namespace((*org)->id, ns_name);
  if (!ns.ok()) return ns.error();
  if (!ns->has_value()) return denied("its namespace no longer exists");
  auto graph = reg.store().find_graph((*ns)->id, graph_name);
  if (!graph.ok()) return graph.error();
  if (!graph->has_value()) return denied("its graph no longer exists");
  auto stored = reg.store().find_graph_token((*graph)->id, claims.token_id);
  if (!stored.ok()) return stored.error();
  if (!stored->has_value())
    return denied("unknown token (its graph was deleted and created again?)");
  if (!(*stored)->revoked_at.empty()) return denied("revoked at " + (*stored)->revoked_at);
  return **graph;
}

}  // namespace

Expected<std::string> gunzip(std::string_view data, size_t max_bytes) {
  z_stream z{};
  if (inflateInit2(&z, 32 + MAX_WBITS) != Z_OK)
    return api_error(ApiCode::kInternal, "gzip: cannot start the decoder");
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  char buf[16384];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return api_error(ApiCode::kInvalidArgument, std::string("the body is not valid gzip (") +
                                                      (z.msg               ? z.msg
                                                       : rc == Z_BUF_ERROR ? "truncated"
                                                                           : "corrupt") +
                                                      ")");
    }
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max_bytes) {
      inflateEnd(&z);
      return api_error(ApiCode::kPayloadTooLarge,
                       "the decoded body is larger than " + std::to_string(max_bytes) + " bytes");
    }
  }
  inflateEnd(&z);
  return out;
}

ApiResponse usage_overloaded() {
  ApiError e = api_error(ApiCode::kUnavailable,
                         "the control plane is busy; the batch was not recorded, send it later");
  std::string body = e.to_json();
  // Same shape, code RATE_LIMITED (HTTP 429).
  if (size_t at = body.find("\"UNAVAILABLE\""); at != std::string::npos)
    body.replace(at, 13, "\"RATE_LIMITED\"");
  ApiResponse r = json_response(429, std::move(body));
  r.headers.set("Retry-After", "5");
  return r;
}

ApiResponse ingest_usage(registry::Registry& reg, const net::HttpRequest& request,
                         const UsageOptions& options, int64_t now) {
  if (request.method != "POST") {
    ApiResponse r = error_response(api_error(ApiCode::kMethodNotAllowed, "use POST"));
    r.headers.set("Allow", "POST");
    return r;
  }
  auto graph = token_graph(reg, request, now);
  if (!graph.ok()) return error_response(graph.error());
  std::string decoded;
  const std::string* body = &request.body;
  if (auto encoding = request.headers.get("Content-Encoding");
      encoding && !encoding->empty() && *encoding != "identity") {
    if (*encoding != "gzip" && *encoding != "x-gzip")
      return error_response(api_error(
          ApiCode::kInvalidArgument,
          "Content-Encoding " + quoted(*encoding) + " is not supported; send gzip or no encoding"));
    auto inflated = gunzip(request.body, options.max_body_bytes);
    if (!inflated.ok()) return error_response(inflated.error());
    decoded = std::move(*inflated);
    body = &decoded;
  }
  if (body->size() > options.max_body_bytes)
    return error_response(
        api_error(ApiCode::kPayloadTooLarge,
                  "the body is larger than " + std::to_string(options.max_body_bytes) + " bytes"));
  registry::UsageLimits limits;
  limits.retention_seconds = options.retention_seconds;
  auto batch = registry::parse_usage_batch(*body, now, limits);
  if (!batch.ok()) return error_response(batch.error());
  registry::UsageStore store(reg.store());
  auto recorded = store.record(graph->id, *batch, now);
  if (!recorded.ok()) return error_response(recorded.error());
  return json_response(202, "{\"accepted\":" + std::to_string(batch->operations.size()) + "}");
}

ApiResponse graph_usage(registry::Registry& reg, const registry::FederatedGraph& graph,
                        std::string_view query, int64_t now) {
  auto range = range_of(query, now, true);
  if (!range.ok()) return error_response(range.error());
  registry::UsageQuery q;
  q.from = range->from;
  q.to = range->to;
  q.step = range->step;
  if (auto op = query_value(query, "operation"); op && !op->empty()) {
    bool hex = op->size() == 64;
    for (char& c : *op) {
      if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
      hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
    if (!hex)
      return error_response(api_error(ApiCode::kInvalidArgument,
                                      "operation: expected an operation hash (64 hex digits)"));
    q.operation = *op;
  }
  if (auto client = query_value(query, "client"); client && !client->empty()) {
    if (client->size() > 256)
      return error_response(api_error(ApiCode::kInvalidArgument, "client: longer than 256 bytes"));
    q.client = *client;
  }
  registry::UsageStore store(reg.store());
  auto report = store.report(graph.id, q);
  if (!report.ok()) return error_response(report.error());
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("from").string(registry::format_rfc3339(q.from));
  w.key("to").string(registry::format_rfc3339(q.to));
  w.key("step").integer(q.step);
  w.key("series").begin_array();
  for (const auto& p : report->series) {
    w.begin_object().key("time").string(registry::format_rfc3339(p.time));
    write_counts(w, p.counts);
    w.end_object();
  }
  w.end_array();
  w.key("totals").begin_object();
  write_counts(w, report->totals);
  w.end_object();
  w.key("operations").begin_array();
  for (const auto& op : report->operations) {
    w.begin_object().key("hash").string(op.hash).key("name");
    if (op.name.empty())
      w.null();
    else
      w.string(op.name);
    w.key("type").string(op.type);
    w.key("requests").integer(op.counts.requests);
    w.key("errors").integer(op.counts.errors);
    w.key("p95Ms");
    write_ms(w, op.counts.quantile_ms(0.95));
    w.end_object();
  }
  w.end_array();
  w.key("clients").begin_array();
  for (const auto& c : report->clients) {
    w.begin_object().key("name").string(c.name).key("version").string(c.version);
    w.key("requests").integer(c.requests).key("errors").integer(c.errors).end_object();
  }
  w.end_array();
  w.end_object();
  return json_response(200, out);
}

ApiResponse graph_field_usage(registry::Registry& reg, const registry::FederatedGraph& graph,
                              std::string_view query, int64_t now) {
  auto range = range_of(query, now, false);
  if (!range.ok()) return error_response(range.error());
  registry::UsageStore store(reg.store());
  auto fields = store.fields(graph.id, range->from, range->to);
  if (!fields.ok()) return error_response(fields.error());
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("from").string(registry::format_rfc3339(range->from));
  w.key("to").string(registry::format_rfc3339(range->to));
  w.key("fields").begin_array();
  for (const auto& f : *fields) {
    w.begin_object().key("coordinate").string(f.coordinate);
    w.key("requests").integer(f.requests);
    w.key("operations").integer(f.operations);
    w.key("clients").integer(f.clients);
    w.key("lastUsed").string(registry::format_rfc3339(f.last_used));
    w.end_object();
  }
  w.end_array().end_object();
  return json_response(200, out);
}

ApiResponse graph_routers(registry::Registry& reg, const registry::Namespace& ns,
                          const registry::FederatedGraph& graph, const UsageOptions& options,
                          int64_t now_ms) {
  registry::UsageStore store(reg.store());
  auto routers = store.routers(graph.id);
  if (!routers.ok()) return error_response(routers.error());
  // The routers orbit-cdn saw polling (its routers.json beside the artifact). Missing: none
  // polled, or the CDN keeps no list; unreadable: the usage side alone, and the reason shown.
  std::vector<cdn::RouterSighting> polled;
  std::string cdn_error;
  auto org = reg.store().find_organization(ns.org_id);
  if (!org.ok()) return error_response(org.error());
  if (org->has_value() && !reg.options().cdn_storage.empty()) {
    auto seen = cdn::read_fleet_file(cdn::fleet_file_path(
        reg.options().cdn_storage, (*org)->name, registry::cdn_graph_name(ns.name, graph.name)));
    if (seen.ok()) {
      polled = std::move(*seen);
    } else if (seen.status().code() != ErrorCode::kNotFound) {
      cdn_error = seen.status().message();
      log::warn("fleet of {}/{}: {}", ns.name, graph.name, cdn_error);
    }
  }
  FleetRules rules;
  rules.default_report_interval_seconds = options.report_interval_seconds;
  rules.stale_floor_seconds = options.stale_floor_seconds;
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("items").begin_array();
  for (const FleetRouter& r : merge_fleet(*routers, polled, now_ms, rules)) {
    w.begin_object();
    w.key("id").string(r.id);
    w.key("host").string(r.host);
    w.key("orbitVersion").string(r.orbit_version);
    w.key("configVersion").string(r.config_version);
    w.key("firstSeen").string(registry::format_rfc3339(r.first_seen_ms / 1000));
    w.key("lastSeen").string(registry::format_rfc3339(r.last_seen_ms / 1000));
    w.key("seenVia").begin_array();
    if (r.via_cdn) w.string("cdn");
    if (r.via_usage) w.string("usage");
    w.end_array();
    w.key("pollIntervalSeconds");
    r.poll_interval_seconds > 0 ? w.integer(r.poll_interval_seconds) : w.null();
    w.key("reportIntervalSeconds");
    r.report_interval_seconds > 0 ? w.integer(r.report_interval_seconds) : w.null();
    w.key("staleAfter").string(registry::format_rfc3339(r.stale_after_ms / 1000));
    w.key("status").string(r.stale ? "stale" : "healthy");
    w.end_object();
  }
  w.end_array();
  if (!cdn_error.empty()) w.key("cdnError").string(cdn_error);
  w.end_object();
  return json_response(200, out);
}

ApiResponse graph_checks(registry::Registry& reg, const registry::FederatedGraph& graph,
                         std::string_view query) {
  auto page = page_of(query);
  if (!page.ok()) return error_response(page.error());
  registry::UsageStore store(reg.store());
  auto list = store.graph_checks(graph.id, *page);
  if (!list.ok()) return error_response(list.error());
  return checks_page(*list);
}

ApiResponse subgraph_checks(registry::Registry& reg, const registry::Subgraph& subgraph,
                            std::string_view query) {
  auto page = page_of(query);
  if (!page.ok()) return error_response(page.error());
  registry::UsageStore store(reg.store());
  auto list = store.subgraph_checks(subgraph.id, *page);
  if (!list.ok()) return error_response(list.error());
  return checks_page(*list);
}

ApiResponse one_check(registry::Registry& reg, const registry::Namespace& ns,
                      std::string_view id_text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size())
    return error_response(api_error(ApiCode::kNotFound, "no check " + quoted(id_text)));
  registry::UsageStore store(reg.store());
  auto check = store.find_check(ns.id, id);
  if (!check.ok()) return error_response(check.error());
  if (!check->has_value())
    return error_response(api_error(ApiCode::kNotFound, "no check " + std::string(id_text) +
                                                            " in namespace " + quoted(ns.name)));
  return json_response(200, (*check)->result_json);
}

}  // namespace orbit::controlplane
