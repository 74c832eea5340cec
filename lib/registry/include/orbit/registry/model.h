// The control plane's records, as the Store keeps them. Plain values.
//
// An organization owns API keys and namespaces; a namespace owns federated graphs and
// subgraphs; a subgraph has numbered schema versions; a federated graph has compositions
// (each naming the subgraph versions it used) and graph tokens. Ids are the database's;
// times are RFC 3339 text (config::now_rfc3339). Empty strings stand for absent values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orbit::registry {

struct Organization {
  int64_t id = 0;
  std::string name;
  std::string created_at;
};

enum class Role { kViewer, kDeveloper, kAdmin };
std::string_view role_name(Role role);  // "viewer", "developer", "admin"
std::optional<Role> parse_role(std::string_view text);

struct ApiKey {
  std::string id;  // 16 hex digits, the public part of the key
  int64_t org_id = 0;
  std::string name;
  Role role = Role::kViewer;
  std::string secret_sha256;  // hex SHA-256 of the secret; the secret itself is never stored
  std::string created_at;
  std::string last_used_at;
};

struct Namespace {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string name;
  std::string created_at;
};

using Labels = std::map<std::string, std::string>;

struct FederatedGraph {
  int64_t id = 0;
  int64_t namespace_id = 0;
  std::string name;
  std::string routing_url;
  std::vector<std::string> label_matchers;  // "team=a,team=b" each; see labels.h
  std::string created_at;
  std::string updated_at;
};

struct Subgraph {
  int64_t id = 0;
  int64_t namespace_id = 0;
  std::string name;
  std::string routing_url;
  std::string subscription_url;
  std::string subscription_protocol = "ws";
  Labels labels;
  std::string created_at;
  std::string updated_at;
};

struct SchemaVersion {
  int64_t id = 0;
  int64_t subgraph_id = 0;
  int64_t version = 0;  // 1, 2, … per subgraph
  std::string sha256;
  std::string sdl;  // empty in listings
  std::string created_at;
};

struct Composition {
  int64_t id = 0;
  int64_t graph_id = 0;
  bool succeeded = false;
  std::string errors_json = "[]";     // [{"code","message","locations":[…]}]
  std::string hints_json = "[]";      // same shape
  std::string subgraphs_json = "[]";  // [{"name","version"}]
  std::string supergraph_sdl;         // empty on failure, and in listings
  std::string artifact;               // the config artifact written to CDN storage; same
  std::string artifact_version;       // empty on failure
  std::string trigger;                // what caused it, for people
  std::string created_at;
};

struct GraphToken {
  std::string id;  // the token's jti
  int64_t graph_id = 0;
  std::string name;
  std::string created_at;
  std::string expires_at;  // empty: never
  std::string revoked_at;  // empty: valid
};

// A person who signs in to Studio: one organization, a role, an Argon2id password hash
// (password.h). Emails are unique across organizations (sign-in names no organization).
struct User {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string email;  // lower-cased
  Role role = Role::kViewer;
  std::string password_hash;  // "$argon2id$v=19$m=…,t=…,p=…$salt$hash"
  std::string created_at;
  std::string last_login_at;
};

// A signed-in browser: the SHA-256 of its cookie token (the token itself is never stored),
// whose it is (a user or an API key), its CSRF token and its clock (Unix seconds).
struct Session {
  std::string token_sha256;
  int64_t org_id = 0;
  int64_t user_id = 0;     // 0: signed in with an API key
  std::string api_key_id;  // "" for a user
  std::string csrf_token;
  int64_t created_unix = 0;
  int64_t last_seen_unix = 0;
};

// One state-changing API call, as the audit log keeps it.
struct AuditEntry {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string time;
  std::string actor_type;  // "user", "apiKey"
  std::string actor_id;
  std::string actor_name;
  std::string method;
  std::string path;
  int64_t status = 0;
  std::string resource;  // "namespaces/default/graphs/shop"
  std::string summary;   // "graph created"
};

// One page of a list. `after` is the key of the last item of the previous page (a name for
// lists by name, a decimal id or version for lists newest first); empty: the first page.
struct PageRequest {
  size_t limit = 50;
  std::string after;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_after;  // empty on the last page
};

}  // namespace orbit::registry
