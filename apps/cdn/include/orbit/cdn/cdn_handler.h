// CdnHandler: the CDN's answer to one request — the graph token checked without a database,
// then the artifact from storage.
//
//   GET /{org}/{graph}/routerconfigs/latest.json
//   Authorization: Bearer <graph token>
//   If-None-Match: "<etag>"                       (optional)
//
// | situation | answer |
// |---|---|
// | no token, not a Bearer token, a token that does not verify (signature, unknown key, audience,
// expired, malformed) | 401 + `WWW-Authenticate: Bearer` | | a valid token of another org or graph,
// or a revoked one | 403 | | authorized, nothing published for the graph | 404 | | authorized,
// `If-None-Match` names the current ETag | 304 + ETag + signature | | authorized | 200, the
// artifact's exact bytes, `ETag`, `X-Orbit-Signature` | | storage between two writes (no consistent
// pair yet) | 503 + `Retry-After` | | another path | 404; another method | 405 |
//
// Storage is consulted only after the token allowed the graph, so an unauthorized caller
// gets the same 401 or 403 whether or not the graph exists. `/health`, `/health/live` and
// `/health/ready` answer for probes. Every request gives one AccessRecord (the caller logs it;
// access_log.h); the token itself is never logged, its id is. An authorized poll answered 200
// or 304 that names its router (X-Orbit-Router-Id …, fleet_file.h) is handed to the
// FleetRecorder, when one is set: nothing a caller without a valid token sends is recorded.
//
// Threading: handle() runs on any loop thread, concurrently; the handler's state is the
// store (thread-safe), the verifier (immutable) and the revocation source (atomic).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "orbit/cdn/artifact_store.h"
#include "orbit/cdn/fleet_recorder.h"
#include "orbit/cdn/revocation_source.h"
#include "orbit/net/http_headers.h"
#include "orbit/net/http_server.h"
#include "orbit/security/graph_token.h"

namespace orbit::cdn {

struct CdnAnswer {
  int status = 200;
  net::HttpHeaders headers;
  std::string body;
};

// What the access log records about one request.
struct AccessRecord {
  std::string org, graph;  // from the path, when it had the artifact shape
  std::string token_id;    // when the token verified
  std::string reason;      // why it was refused ("expired", "wrong_graph", "not_found" …)
  std::string etag;        // of the artifact served or confirmed
};

class CdnHandler {
 public:
  // `revocations` may be null (no list). Both must outlive the handler.
  CdnHandler(ArtifactStore& store, security::GraphTokenVerifier verifier,
             const RevocationSource* revocations,
             std::function<int64_t()> clock = security::unix_now);

  // Where authorized polls are recorded (null: nowhere). Must outlive the handler; set before
  // the first handle().
  void set_fleet(FleetRecorder* fleet) { fleet_ = fleet; }

  CdnAnswer handle(const net::HttpRequest& request, AccessRecord* record);

 private:
  CdnAnswer health(std::string_view path) const;

  ArtifactStore& store_;
  security::GraphTokenVerifier verifier_;
  const RevocationSource* revocations_;
  FleetRecorder* fleet_ = nullptr;
  std::function<int64_t()> clock_;
};

// True when an If-None-Match value ("a", W/"b", *) names `etag` (weak comparison, RFC 9110).
bool if_none_match_matches(std::string_view header, std::string_view etag);

}  // namespace orbit::cdn
