// The audit log: every state-changing /v1 call (POST, PUT, PATCH, DELETE), successful or
// not, is recorded in the caller's organization with who made it, the method, path, status,
// the resource it concerns and a short summary. Usage reports (/v1/usage) are not: they are
// data, not changes. Calls nobody could be identified for (401) belong to no organization and
// only reach the server log.
//
//   POST /v1/namespaces/default/graphs {"name":"shop",…} → 201
//     ⇒ {"actor":{"type":"user","id":"1","name":"admin@orbit.local"},"method":"POST",
//        "path":"/v1/namespaces/default/graphs","status":201,
//        "resource":"namespaces/default/graphs/shop","summary":"graph created"}
//
// GET /v1/audit-log (admin) lists the caller's organization's entries, newest first.
//
// Threading: the control plane's worker thread (the Store is one connection).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "orbit/controlplane/api_handler.h"
#include "orbit/net/http_server.h"
#include "orbit/registry/registry.h"

namespace orbit::controlplane {

// True for the calls the log keeps.
bool audited(std::string_view method, std::string_view path);

// "graph created", "subgraph published", "user delete failed", … from the method, the path
// segments after /v1/ and the status.
std::string audit_summary(std::string_view method, const std::vector<std::string_view>& segments,
                          int status);
// The path after /v1/ without a trailing action (publish, check), plus the new item's name
// (or email) from the body of a POST that creates one: "namespaces/default/graphs/shop".
std::string audit_resource(std::string_view method, const std::vector<std::string_view>& segments,
                           const std::string& body);

// Writes the entry; a storage error is logged, never returned (the call itself is done).
void record_audit(registry::Store& store, const registry::Caller& actor,
                  const net::HttpRequest& request, int status);

// GET /v1/audit-log.
ApiResponse audit_log_route(registry::Store& store, const registry::Caller& caller,
                            const net::HttpRequest& request, size_t segments);

}  // namespace orbit::controlplane
