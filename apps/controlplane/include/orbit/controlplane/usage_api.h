// The usage part of the /v1 API (docs/api.md "Usage"):
//
//   POST /v1/usage  (graph token)  ─► verify the JWT (our token key, expiry) ─► the token is
//       stored and not revoked, its organization, namespace and graph exist ─► gunzip (limit)
//       ─► registry::parse_usage_batch ─► UsageStore::record ─► 202 {"accepted":N}
//   GET …/graphs/{g}/usage, …/usage/fields, …/routers (with the routers orbit-cdn saw polling:
//       fleet.h), …/graphs/{g}/checks,
//       …/subgraphs/{s}/checks, …/namespaces/{ns}/checks/{id}   (API key, any role)
//
// Functions of the ApiHandler's worker thread (they use the Registry's Store); they never
// throw and answer every input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "orbit/controlplane/api_handler.h"
#include "orbit/net/http_server.h"
#include "orbit/registry/registry.h"

namespace orbit::controlplane {

// POST /v1/usage. `now`: seconds since the epoch.
ApiResponse ingest_usage(registry::Registry& registry, const net::HttpRequest& request,
                         const UsageOptions& options, int64_t now);

ApiResponse graph_usage(registry::Registry& registry, const registry::FederatedGraph& graph,
                        std::string_view query, int64_t now);
ApiResponse graph_field_usage(registry::Registry& registry, const registry::FederatedGraph& graph,
                              std::string_view query, int64_t now);
// The fleet (fleet.h): usage_routers merged with the CDN's routers.json of the graph.
// `now_ms`: Unix milliseconds.
ApiResponse graph_routers(registry::Registry& registry, const registry::Namespace& ns,
                          const registry::FederatedGraph& graph, const UsageOptions& options,
                          int64_t now_ms);
ApiResponse graph_checks(registry::Registry& registry, const registry::FederatedGraph& graph,
                         std::string_view query);
ApiResponse subgraph_checks(registry::Registry& registry, const registry::Subgraph& subgraph,
                            std::string_view query);
ApiResponse one_check(registry::Registry& registry, const registry::Namespace& ns,
                      std::string_view id);

// The 429 answer when the control plane sheds usage batches.
ApiResponse usage_overloaded();

// Decodes a gzip (or zlib) body; PAYLOAD_TOO_LARGE past `max_bytes`, INVALID_ARGUMENT when
// it is not gzip.
registry::Expected<std::string> gunzip(std::string_view data, size_t max_bytes);

}  // namespace orbit::controlplane
