// RouterArtifact: the router config artifact — one JSON document that carries everything a
// router needs to serve one version of a graph. `orbit compose` and the control plane write it;
// orbit-router reads it (from a file, later from the CDN).
//
//   {
//     "version": "3f2a9c1e",                  // required; 1..128 printable ASCII, no spaces
//     "createdAt": "2025-05-01T10:00:00Z",    // required; RFC 3339 date-time
//     "compatibilityVersion": 1,              // required; integer; this router reads 1
//     "supergraphSdl": "schema @link(…) …",   // required; non-empty
//     "subgraphs": [                          // required (may be empty); names unique
//       {"name": "products",                  // required; a join__Graph name of the SDL
//        "routingUrl": "http://products:4001/graphql",  // required; http(s)
//        "subscriptionUrl": "ws://products:4001/ws",    // optional; http(s) or ws(s)
//        "subscriptionProtocol": "ws"}                  // optional: ws, sse, sse_post
//     ]
//   }
//
// Keys this router does not know are ignored, so that newer writers can add fields;
// `compatibilityVersion` is what changes when an older router must not read an artifact.
// A `null` optional value counts as absent.
//
// parse_artifact() checks the document's shape, the limits and every value it can check
// without GraphQL; the supergraph SDL is validated when the router builds a snapshot from it
// (federation::Supergraph::load), which also checks the subgraph names against join__Graph.
//
// Plain values and pure functions: use on any thread.
#pragma once

#include <chrono>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/status.h"

namespace orbit::config {

// The compatibilityVersion this router reads. Bumped only for changes an older router would
// misread; additions that can be ignored keep it.
inline constexpr int64_t kArtifactCompatibilityVersion = 1;

enum class SubscriptionProtocol {
  kWs,       // GraphQL over WebSocket
  kSse,      // GraphQL over server-sent events (GET)
  kSsePost,  // server-sent events, operation sent by POST
};

// "ws", "sse", "sse_post".
std::string_view subscription_protocol_name(SubscriptionProtocol protocol);
std::optional<SubscriptionProtocol> parse_subscription_protocol(std::string_view text);

struct ArtifactSubgraph {
  std::string name;
  std::string routing_url;
  std::string subscription_url;  // empty: absent (subscriptions go to routing_url)
  SubscriptionProtocol subscription_protocol = SubscriptionProtocol::kWs;
};

struct RouterArtifact {
  std::string version;
  std::string created_at;
  int64_t compatibility_version = kArtifactCompatibilityVersion;
  std::string supergraph_sdl;
  std::vector<ArtifactSubgraph> subgraphs;

  // The subgraph entry named `name`, or null.
  const ArtifactSubgraph* subgraph(std::string_view name) const;
};

struct ArtifactLimits {
  size_t max_bytes = 64 * 1024 * 1024;  // the whole document
  size_t max_subgraphs = 256;
  size_t max_version_bytes = 128;
  size_t max_name_bytes = 256;
  size_t max_url_bytes = 4096;
};

// Parses an artifact. Errors start with `source_name` and name the field:
//   "router.json: subgraphs[1].routingUrl: expected an http:// or https:// URL, got \"x\""
// kLimitExceeded for the limits, kInvalidArgument for everything else (also an empty text,
// text that is not JSON, with the line and column, and a compatibilityVersion this router
// does not read).
Result<RouterArtifact> parse_artifact(std::string_view json,
                                      std::string_view source_name = "artifact",
                                      const ArtifactLimits& limits = {});

// The artifact as JSON (keys in the order of the format above, two-space indented, ending in
// a newline), which parse_artifact() reads back to an equal value. Writers fill `version` and
// `created_at` (see now_rfc3339()).
std::string write_artifact(const RouterArtifact& artifact);

// True for an RFC 3339 date-time: "2025-05-01T10:00:00Z", "2025-05-01T10:00:00.123+02:00".
bool is_rfc3339(std::string_view text);
// The current UTC time as RFC 3339 with milliseconds ("2025-05-01T10:00:00.123Z").
std::string now_rfc3339();
// `t` as RFC 3339 in UTC with milliseconds: "2026-11-27T08:00:00.123Z".
std::string rfc3339(std::chrono::system_clock::time_point t);

}  // namespace orbit::config
