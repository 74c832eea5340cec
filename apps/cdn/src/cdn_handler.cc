#include "orbit/cdn/cdn_handler.h"

#include "orbit/base/json_writer.h"
#include "orbit/security/artifact_signature.h"

namespace orbit::cdn {

namespace {

constexpr std::string_view kArtifactSuffix = "/routerconfigs/latest.json";

CdnAnswer json_answer(int status, std::string_view error, std::string_view message) {
  CdnAnswer a;
  a.status = status;
  a.headers.add("Content-Type", "application/json; charset=utf-8");
  a.headers.add("Cache-Control", "no-store");
  JsonWriter w(a.body);
  w.begin_object().key("error").string(error).key("message").string(message).end_object();
  return a;
}

CdnAnswer unauthorized(std::string_view message, std::string_view error_code) {
  CdnAnswer a = json_answer(401, "unauthorized", message);
  a.headers.add("WWW-Authenticate",
                "Bearer realm=\"orbit-cdn\", error=\"" + std::string(error_code) + "\"");
  return a;
}

// "/{org}/{graph}/routerconfigs/latest.json" ─► org, graph (not yet checked as names).
bool split_artifact_path(std::string_view path, std::string_view* org, std::string_view* graph) {
  if (path.size() <= kArtifactSuffix.size() || path[0] != '/' ||
      path.substr(path.size() - kArtifactSuffix.size()) != kArtifactSuffix)
    return false;
  std::string_view rest = path.substr(1, path.size() - 1 - kArtifactSuffix.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos || rest.find('/', slash + 1) != std::string_view::npos)
    return false;
  *org = rest.substr(0, slash);
  *graph = rest.substr(slash + 1);
  return !org->empty() && !graph->empty();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

bool if_none_match_matches(std::string_view header, std::string_view etag) {
  auto opaque = [](std::string_view tag) {
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    return tag;
  };
  std::string_view want = opaque(etag);
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (item == "*" || (!item.empty() && opaque(item) == want)) return true;
  }
  return false;
}

CdnHandler::CdnHandler(ArtifactStore& store, security::GraphTokenVerifier verifier,
                       const RevocationSource* revocations, std::function<int64_t()> clock)
    : store_(store),
      verifier_(std::move(verifier)),
      revocations_(revocations),
      clock_(std::move(clock)) {}

CdnAnswer CdnHandler::health(std::string_view path) const {
  CdnAnswer a;
  a.headers.add("Content-Type", "application/json; charset=utf-8");
  a.headers.add("Cache-Control", "no-store");
  if (path != "/health") {
    a.body = "{\"status\":\"UP\"}";
    return a;
  }
  JsonWriter w(a.body);
  w.begin_object().key("status").string("UP");
  w.key("tokenKeys").string(verifier_.keys().key_ids());
  if (revocations_ != nullptr) {
    RevocationStats s = revocations_->stats();
    w.key("revocations").begin_object();
    w.key("file").string(revocations_->path());
    w.key("revoked").integer(static_cast<int64_t>(s.revoked));
    w.key("loadedAt").string(s.loaded_at);
    w.key("reloads").integer(static_cast<int64_t>(s.reloads));
    w.key("failures").integer(static_cast<int64_t>(s.failures));
    if (!s.last_error.empty()) w.key("lastError").string(s.last_error);
    w.end_object();
  }
  if (fleet_ != nullptr) {
    FleetStats f = fleet_->stats();
    w.key("fleet").begin_object();
    w.key("graphs").integer(static_cast<int64_t>(f.graphs));
    w.key("routers").integer(static_cast<int64_t>(f.routers));
    w.key("sightings").integer(static_cast<int64_t>(f.sightings));
    w.key("dropped").integer(static_cast<int64_t>(f.dropped));
    w.key("evicted").integer(static_cast<int64_t>(f.evicted));
    w.key("filesWritten").integer(static_cast<int64_t>(f.files_written));
    w.key("writeFailures").integer(static_cast<int64_t>(f.write_failures));
    if (!f.last_error.empty()) w.key("lastError").string(f.last_error);
    w.end_object();
  }
  w.end_object();
  return a;
}

CdnAnswer CdnHandler::handle(const net::HttpRequest& request, AccessRecord* record) {
  std::string_view path = request.path();
  if (path == "/health" || path == "/health/live" || path == "/health/ready") {
    if (request.method != "GET" && request.method != "HEAD") {
      record->reason = "method_not_allowed";
      CdnAnswer a = json_answer(405, "method_not_allowed", "use GET or HEAD");
      a.headers.add("Allow", "GET, HEAD");
      return a;
    }
    return health(path);
  }
  std::string_view org, graph;
  if (!split_artifact_path(path, &org, &graph)) {
    record->reason = "no_such_path";
    return json_answer(404, "not_found",
                       "configs are served at /{org}/{graph}/routerconfigs/latest.json");
  }
  record->org = std::string(org.substr(0, 64));
  record->graph = std::string(graph.substr(0, 64));
  // HEAD answers as GET does, without the body (the HTTP server drops it and keeps the
  // length): caches and probes check ETag and status with it.
  if (request.method != "GET" && request.method != "HEAD") {
    record->reason = "method_not_allowed";
    CdnAnswer a = json_answer(405, "method_not_allowed", "use GET or HEAD");
    a.headers.add("Allow", "GET, HEAD");
    return a;
  }

  // 1. Who asks: a graph token, verified with the public keys alone.
  std::optional<std::string_view> authorization = request.headers.get("authorization");
  if (!authorization) {
    record->reason = "missing_token";
    return unauthorized("send the graph token as \"Authorization: Bearer <token>\"",
                        "invalid_request");
  }
  std::string_view value = trim(*authorization);
  if (value.size() < 7 || !net::iequals(value.substr(0, 7), "bearer ")) {
    record->reason = "not_bearer";
    return unauthorized("expected \"Authorization: Bearer <token>\"", "invalid_request");
  }
  std::string_view token = trim(value.substr(7));
  std::shared_ptr<const security::RevocationList> revoked =
      revocations_ != nullptr ? revocations_->current() : nullptr;
  security::TokenCheck check = verifier_.authorize(token, org, graph, revoked.get(), clock_());
  if (!check.claims.token_id.empty() && check.error != security::TokenError::kBadSignature &&
      check.error != security::TokenError::kUnknownKey)
    record->token_id = check.claims.token_id;

  // 2. May it read this graph. Decided from the token alone: storage is not looked at yet,
  // so the answer is the same whether or not the graph exists.
  if (!check.ok()) {
    record->reason = std::string(security::token_error_name(check.error));
    if (check.error == security::TokenError::kWrongGraph)
      return json_answer(403, "forbidden", "the token does not grant access to this graph");
    if (check.error == security::TokenError::kRevoked)
      return json_answer(403, "forbidden", "the token is revoked");
    return unauthorized("invalid graph token: " + check.message, "invalid_token");
  }

  // 3. The artifact.
  auto artifact = store_.read(org, graph);
  if (!artifact.ok()) {
    switch (artifact.status().code()) {
      case ErrorCode::kNotFound:
        record->reason = "not_found";
        return json_answer(404, "not_found", "no config has been published for this graph yet");
      case ErrorCode::kUnavailable: {
        record->reason = "publish_in_progress";
        CdnAnswer a = json_answer(503, "unavailable", "the config is being replaced; retry");
        a.headers.add("Retry-After", "1");
        return a;
      }
      default:
        record->reason = "storage_error: " + artifact.status().message();
        return json_answer(500, "storage_error", "the config cannot be read from storage");
    }
  }
  const StoredArtifact& a = **artifact;
  record->etag = a.etag;
  CdnAnswer answer;
  answer.headers.add("ETag", a.etag);
  answer.headers.add("Cache-Control", "no-cache");
  answer.headers.add("Vary", "Authorization");
  if (!a.signature.empty())
    answer.headers.add(std::string(security::kSignatureHeader),
                       security::signature_header_value(a.signature));
  else
    record->reason = "unsigned";
  // The router is recorded once its token granted the graph and the poll is answered: a
  // caller without a valid token writes nothing.
  if (fleet_ != nullptr) {
    if (std::optional<RouterSighting> seen = sighting_from_headers(request.headers)) {
      seen->token_id = check.claims.token_id;
      fleet_->record(org, graph, std::move(*seen));
    }
  }
  std::optional<std::string_view> if_none_match = request.headers.get("if-none-match");
  if (if_none_match && if_none_match_matches(*if_none_match, a.etag)) {
    answer.status = 304;
    return answer;
  }
  answer.status = 200;
  answer.headers.add("Content-Type", "application/json");
  answer.body = a.body;
  return answer;
}

}  // namespace orbit::cdn
