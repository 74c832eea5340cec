// Registry: the control plane's operations (docs/api.md) over a Store — who the caller is,
// what its role allows, and what each change sets off: publishing a subgraph stores a schema
// version and recomposes every federated graph that selects it; a composition that succeeds
// becomes a signed artifact in CDN storage (cdn::ArtifactStore::publish: the layout orbit-cdn
// serves); one that fails is stored with its errors and the previous artifact stays. Graph
// tokens are minted here, and revoking one rewrites the revocation file orbit-cdn reads.
//
//   publish(sdl) ─► schema version ─► for each selecting graph: federation::compose
//       ─► ok: artifact (config::write_artifact) ─► Ed25519 signature ─► atomic write
//       └► errors: stored, returned; CDN storage untouched
//
// Consistency: each operation is one database transaction; artifacts are written inside it,
// before the commit. Should the process die between a write and the commit, reconcile()
// (called at start) puts back, from the database, the artifact of each graph's last
// successful composition, and rewrites the revocation file.
//
// Threading: not thread-safe (one Store connection); the control plane runs every operation
// on one worker thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "orbit/registry/error.h"
#include "orbit/registry/model.h"
#include "orbit/registry/schema_changes.h"
#include "orbit/registry/store.h"
#include "orbit/registry/usage.h"
#include "orbit/security/ed25519.h"

namespace orbit::registry {

struct RegistryOptions {
  std::string cdn_storage;       // orbit-cdn's --storage directory
  std::string revocations_path;  // orbit-cdn's --revocations file; empty: not written
  std::string audience = "orbit-cdn";
  size_t max_sdl_bytes = 4 << 20;
  size_t max_items = 1000;  // namespaces, graphs, subgraphs per namespace, keys, tokens per graph
  size_t max_subgraphs_per_composition = 64;
};

// The authenticated caller of a request.
struct Caller {
  Organization organization;
  // The API key, or for a user signed in to Studio a stand-in with the user's role, the
  // email as name and an empty id (accounts.h).
  ApiKey key;
  std::optional<User> user;
  bool instance_admin = false;  // an admin of the first organization
};

struct CreatedKey {
  ApiKey key;
  std::string secret;  // "orbit_<id>_<secret>": shown once
};

struct CreatedOrganization {
  Organization organization;
  CreatedKey admin_key;
};

struct GraphChange {
  FederatedGraph graph;
  std::optional<Composition> composition;  // when it was recomposed
};

// A composition as the API shows it after a change: which graph, and the result.
struct GraphComposition {
  std::string graph;
  Composition composition;
};

struct PublishResult {
  std::string ns;
  std::string subgraph;
  SchemaVersion version;  // without SDL
  bool unchanged = false;
  std::vector<GraphComposition> compositions;
  bool all_succeeded() const;
};

struct CheckedGraph {
  std::string graph;
  bool succeeded = false;
  std::string errors_json;
  std::string hints_json;
};

struct CheckResult {
  int64_t id = 0;  // stored checks (GET …/checks)
  std::string created_at;
  std::vector<CheckedGraph> compositions;
  std::vector<SchemaChange> changes;
  // Parallel to `changes`: for a breaking change whose usage could be looked up (some router
  // of the selecting graphs reported in the window, and the change maps to field usage), who
  // used it in the last `usage_window_days`; nullopt otherwise. A breaking change with usage
  // and 0 requests is safe: reported, it does not fail the check.
  std::vector<std::optional<CoordinateUsage>> usage;
  int64_t usage_window_days = 7;
  std::string json;  // the API's answer, as stored
  bool safe(size_t change) const;
  bool ok() const;
};

struct CreatedToken {
  GraphToken token;
  std::string jwt;  // shown once
};

struct ServedConfig {
  std::string artifact;   // exact bytes
  std::string etag;       // "\"<sha-256 hex>\""
  std::string signature;  // 64 raw bytes
};

class Registry {
 public:
  Registry(std::unique_ptr<Store> store, security::Ed25519PrivateKey signing_key,
           security::Ed25519PrivateKey token_key, RegistryOptions options);

  Store& store() { return *store_; }
  // The key graph tokens are verified with (POST /v1/usage).
  const security::Ed25519PublicKey& token_public_key() const { return token_key_.public_key(); }
  const RegistryOptions& options() const { return options_; }

  // First start (no organization yet): creates the instance organization `org_name` with
  // its `default` namespace and an admin key — `given_key` when not empty (it must have the
  // API key format), else a new one. Returns the key's secret, or "" when the database was
  // already initialized (nothing is changed then).
  Expected<std::string> bootstrap(const std::string& org_name, const std::string& given_key);
  // Rewrites the revocation file and puts back any artifact that differs from the last
  // successful composition of its graph. Returns how many artifacts it rewrote.
  Expected<int> reconcile();

  // `authorization`: the Authorization header's value. UNAUTHENTICATED otherwise.
  Expected<Caller> authenticate(std::string_view authorization);

  // ---- organizations and keys
  Expected<CreatedOrganization> create_organization(const Caller& caller, const std::string& name);
  Expected<CreatedKey> create_api_key(const Caller& caller, const std::string& name, Role role);
  Outcome delete_api_key(const Caller& caller, const std::string& id);

  // ---- namespaces (NOT_FOUND naming it)
  Expected<Namespace> find_namespace(const Caller& caller, const std::string& name);
  Expected<Namespace> create_namespace(const Caller& caller, const std::string& name);
  Outcome delete_namespace(const Caller& caller, const std::string& name);

  // ---- graphs
  Expected<FederatedGraph> find_graph(const Namespace& ns, const std::string& name);
  Expected<GraphChange> create_graph(const Caller& caller, const Namespace& ns,
                                     FederatedGraph graph);
  // Fields left unset are kept.
  Expected<GraphChange> update_graph(const Caller& caller, const Namespace& ns,
                                     const std::string& name,
                                     std::optional<std::string> routing_url,
                                     std::optional<std::vector<std::string>> label_matchers);
  Outcome delete_graph(const Caller& caller, const Namespace& ns, const std::string& name);
  Expected<std::vector<Subgraph>> selected_subgraphs(const Namespace& ns,
                                                     const FederatedGraph& graph);
  // The artifact of the graph's last successful composition and its signature.
  Expected<ServedConfig> served_config(const Namespace& ns, const FederatedGraph& graph);

  // ---- subgraphs
  Expected<Subgraph> find_subgraph(const Namespace& ns, const std::string& name);
  Expected<Subgraph> create_subgraph(const Namespace& ns, Subgraph subgraph);
  struct SubgraphUpdate {
    std::optional<std::string> routing_url;
    std::optional<std::string> subscription_url;  // "" clears it
    std::optional<std::string> subscription_protocol;
    std::optional<Labels> labels;
  };
  Expected<std::pair<Subgraph, std::vector<GraphComposition>>> update_subgraph(
      const Caller& caller, const Namespace& ns, const std::string& name,
      const SubgraphUpdate& update);
  Expected<std::vector<GraphComposition>> delete_subgraph(const Caller& caller, const Namespace& ns,
                                                          const std::string& name);
  Expected<PublishResult> publish(const Caller& caller, const Namespace& ns,
                                  const std::string& subgraph, const std::string& sdl);
  // Composes, diffs, looks up the usage of breaking changes (usage_window_days, 1 to 90) and
  // stores the check.
  Expected<CheckResult> check(const Namespace& ns, const std::string& subgraph,
                              const std::string& sdl, int64_t usage_window_days = 7);
  // Changes from version `from` to `to` (0: the default of docs/api.md).
  struct Changelog {
    int64_t from = 0, to = 0;
    std::vector<SchemaChange> changes;
  };
  Expected<Changelog> changelog(const Subgraph& subgraph, int64_t from, int64_t to);

  // ---- graph tokens
  Expected<CreatedToken> create_token(const Caller& caller, const Namespace& ns,
                                      const FederatedGraph& graph, const std::string& name,
                                      std::optional<int64_t> expires_in_seconds);
  Expected<GraphToken> revoke_token(const Namespace& ns, const FederatedGraph& graph,
                                    const std::string& id);

  // A fresh API key (not stored): id, secret and the hash to store.
  static CreatedKey new_api_key(int64_t org_id, const std::string& name, Role role);
  // The key id of "orbit_<id>_<secret>" and the SHA-256 of its secret; nullopt when the
  // text has another format.
  static std::optional<std::pair<std::string, std::string>> split_api_key(std::string_view key);

 private:
  // Composes `graph` from the latest versions of the subgraphs it selects (with
  // `proposed` in place of one subgraph's latest SDL when given). Stores the composition and
  // publishes its artifact unless `dry_run`. nullopt when no selected subgraph has a schema.
  struct Proposed {
    int64_t subgraph_id;
    std::string sdl;
  };
  Expected<std::optional<Composition>> compose_graph(const Namespace& ns,
                                                     const FederatedGraph& graph,
                                                     const std::string& trigger,
                                                     const std::optional<Proposed>& proposed,
                                                     bool dry_run);
  // Recomposes every graph of `ns` whose matchers select a subgraph with `before` or
  // `after` labels (either may be null).
  Expected<std::vector<GraphComposition>> recompose_selecting(const Namespace& ns,
                                                              const Labels* before,
                                                              const Labels* after,
                                                              const std::string& trigger);
  Outcome write_revocations();
  // Puts the served artifacts of these graphs back after a failed transaction.
  void restore_artifacts(const Namespace& ns);
  Expected<Organization> organization_of(const Namespace& ns);
  Outcome require_below_limit(Expected<int64_t> count, std::string_view what);

  std::unique_ptr<Store> store_;
  security::Ed25519PrivateKey signing_key_;
  security::Ed25519PrivateKey token_key_;
  RegistryOptions options_;
};

}  // namespace orbit::registry
