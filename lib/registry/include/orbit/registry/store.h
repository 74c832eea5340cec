// Store: where the control plane keeps its records (model.h) — one interface, two
// implementations:
//
//   SQLite      a file (the embedded default: {data dir}/orbit.db), WAL journal
//   PostgreSQL  a "postgresql://" (or "postgres://") URL, through libpq
//
// The records' SQL is written once, here (store.cc); an implementation supplies a connection:
// running one statement with positional parameters ($1, $2 …, bound as text or integers) and
// returning rows of text, and transactions. Schema changes are numbered migrations
// (migrations.cc) applied by open(): a `schema_migrations` table records what was applied;
// opening again applies nothing; a database migrated by a newer binary is refused.
//
// Threading: a Store is one connection and is not thread-safe; the control plane calls it
// from one worker thread. Several processes may share a PostgreSQL database (transactions
// and unique constraints keep it consistent); a SQLite file belongs to one process.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "orbit/registry/error.h"
#include "orbit/registry/model.h"

namespace orbit::registry {

enum class Dialect { kSqlite, kPostgres };

using SqlParam = std::variant<std::nullptr_t, int64_t, std::string>;

struct SqlRow {
  std::vector<std::optional<std::string>> values;

  const std::string& text(size_t i) const;  // "" for NULL
  int64_t integer(size_t i) const;          // 0 for NULL or not a number
  bool is_null(size_t i) const { return !values.at(i).has_value(); }
};

class Store {
 public:
  // `location`: "postgresql://…" / "postgres://…" for PostgreSQL, otherwise the path of a
  // SQLite file (created if missing; its directory must exist). Connects and migrates.
  // UNAVAILABLE when the database cannot be reached, FAILED_PRECONDITION when its schema is
  // newer than this binary, INTERNAL for other storage errors.
  static Expected<std::unique_ptr<Store>> open(const std::string& location);

  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  virtual Dialect dialect() const = 0;
  std::string_view backend_name() const;  // "sqlite", "postgresql"
  // The highest migration applied (after open(): the binary's latest_migration()).
  int64_t schema_version() const { return schema_version_; }
  static int64_t latest_migration();
  // A round trip to the database.
  Outcome ping();

  // Runs `body` in a transaction: committed when it returns a value, rolled back when it
  // returns an error. Not nested. A transaction that conflicted with a concurrent one
  // (ApiError::retryable) is run again from the start, up to kTransactionAttempts times, so
  // `body` must not keep state between runs (its effects outside the database — artifact
  // files — are simply written again).
  static constexpr int kTransactionAttempts = 4;
  template <typename F>
  auto transaction(F&& body) -> decltype(body()) {
    for (int attempt = 1;; ++attempt) {
      ORBIT_TRY(begin());
      auto result = body();
      if (result.ok()) {
        auto committed = commit();
        if (committed.ok()) return result;
        rollback();
        if (!committed.error().retryable || attempt == kTransactionAttempts)
          return committed.error();
        continue;
      }
      rollback();
      if (!result.error().retryable || attempt == kTransactionAttempts) return result;
    }
  }

  // ---- organizations
  Expected<Organization> insert_organization(const std::string& name, const std::string& at);
  Expected<std::optional<Organization>> find_organization(int64_t id);
  Expected<std::optional<Organization>> find_organization(const std::string& name);
  Expected<Page<Organization>> list_organizations(const PageRequest& page);
  Expected<int64_t> count_organizations();
  // The first organization created (the instance organization); 0 when there is none.
  Expected<int64_t> first_organization_id();

  // ---- API keys
  Outcome insert_api_key(const ApiKey& key);
  Expected<std::optional<ApiKey>> find_api_key(const std::string& id);
  Expected<std::optional<ApiKey>> find_api_key(int64_t org_id, const std::string& name);
  Expected<Page<ApiKey>> list_api_keys(int64_t org_id, const PageRequest& page);
  Expected<int64_t> count_api_keys(int64_t org_id);
  Expected<bool> delete_api_key(int64_t org_id, const std::string& id);
  Outcome touch_api_key(const std::string& id, const std::string& at);

  // ---- namespaces
  Expected<Namespace> insert_namespace(int64_t org_id, const std::string& name,
                                       const std::string& at);
  Expected<std::optional<Namespace>> find_namespace(int64_t org_id, const std::string& name);
  Expected<Page<Namespace>> list_namespaces(int64_t org_id, const PageRequest& page);
  Expected<int64_t> count_namespaces(int64_t org_id);
  Outcome delete_namespace(int64_t id);

  // ---- federated graphs
  Expected<FederatedGraph> insert_graph(const FederatedGraph& graph);  // id filled
  Outcome update_graph(const FederatedGraph& graph);
  Expected<std::optional<FederatedGraph>> find_graph(int64_t namespace_id, const std::string& name);
  Expected<Page<FederatedGraph>> list_graphs(int64_t namespace_id, const PageRequest& page);
  Expected<std::vector<FederatedGraph>> all_graphs(int64_t namespace_id);
  Expected<int64_t> count_graphs(int64_t namespace_id);
  Outcome delete_graph(int64_t id);  // with its compositions and tokens

  // ---- subgraphs
  Expected<Subgraph> insert_subgraph(const Subgraph& subgraph);  // id filled
  Outcome update_subgraph(const Subgraph& subgraph);
  Expected<std::optional<Subgraph>> find_subgraph(int64_t namespace_id, const std::string& name);
  Expected<Page<Subgraph>> list_subgraphs(int64_t namespace_id, const PageRequest& page);
  Expected<std::vector<Subgraph>> all_subgraphs(int64_t namespace_id);
  Expected<int64_t> count_subgraphs(int64_t namespace_id);
  Outcome delete_subgraph(int64_t id);  // with its schema versions

  // ---- schema versions
  // The next version of the subgraph (1 for the first). Call inside a transaction.
  Expected<SchemaVersion> insert_schema_version(int64_t subgraph_id, const std::string& sdl,
                                                const std::string& sha256, const std::string& at);
  Expected<std::optional<SchemaVersion>> latest_schema_version(int64_t subgraph_id);  // with SDL
  Expected<std::optional<SchemaVersion>> find_schema_version(int64_t subgraph_id,
                                                             int64_t version);  // with SDL
  // Newest first; `after` is a version number.
  Expected<Page<SchemaVersion>> list_schema_versions(int64_t subgraph_id, const PageRequest& page);

  // ---- compositions
  Expected<Composition> insert_composition(const Composition& composition);  // id filled
  // Sets artifact_version and artifact of a composition already inserted.
  Outcome set_composition_artifact(int64_t id, const std::string& artifact_version,
                                   const std::string& artifact);
  // With the supergraph SDL and the artifact.
  Expected<std::optional<Composition>> find_composition(int64_t graph_id, int64_t id);
  // Newest first; `after` is an id; without SDL and artifact.
  Expected<Page<Composition>> list_compositions(int64_t graph_id, const PageRequest& page);
  Expected<std::optional<Composition>> latest_composition(int64_t graph_id);  // no SDL
  // The newest that succeeded, with its artifact: what CDN storage should hold.
  Expected<std::optional<Composition>> served_composition(int64_t graph_id);

  // ---- graph tokens
  Outcome insert_graph_token(const GraphToken& token);
  Expected<std::optional<GraphToken>> find_graph_token(int64_t graph_id, const std::string& id);
  Expected<Page<GraphToken>> list_graph_tokens(int64_t graph_id, const PageRequest& page);
  Expected<int64_t> count_graph_tokens(int64_t graph_id);
  // Marks the token revoked and remembers its id for the revocation list (kept after the
  // graph is deleted).
  Outcome revoke_graph_token(const std::string& id, const std::string& at);
  // Every id ever revoked, sorted.
  Expected<std::vector<std::string>> revoked_token_ids();

  // ---- users, sessions and the audit log (user_store.cc)
  Expected<User> insert_user(const User& user);  // id filled; ALREADY_EXISTS for a taken email
  Outcome update_user(const User& user);         // role and password hash
  Outcome touch_user_login(int64_t id, const std::string& at);
  Expected<std::optional<User>> find_user(int64_t org_id, int64_t id);
  Expected<std::optional<User>> find_user_by_email(const std::string& email);
  Expected<Page<User>> list_users(int64_t org_id, const PageRequest& page);  // by email
  Expected<int64_t> count_users(int64_t org_id);
  Expected<int64_t> count_admins(int64_t org_id);
  Outcome delete_user(int64_t id);  // with its sessions
  Outcome insert_session(const Session& session);
  Expected<std::optional<Session>> find_session(const std::string& token_sha256);
  Outcome touch_session(const std::string& token_sha256, int64_t now_unix);
  Outcome delete_session(const std::string& token_sha256);
  // Other sessions of a user (after a password change); `keep` may be "".
  Outcome delete_user_sessions(int64_t user_id, const std::string& keep);
  // Sessions last seen before `idle_before` or created before `created_before`.
  Outcome delete_expired_sessions(int64_t idle_before, int64_t created_before);
  Outcome insert_audit_entry(const AuditEntry& entry);
  // Newest first; `after` is an id.
  Expected<Page<AuditEntry>> list_audit_entries(int64_t org_id, const PageRequest& page);

 protected:
  Store() = default;

  // One statement with $1… parameters; the rows it returns (none for statements without).
  // ALREADY_EXISTS for a unique constraint violation, UNAVAILABLE for a lost connection,
  // INTERNAL otherwise; messages include the database's.
  virtual Expected<std::vector<SqlRow>> query(std::string_view sql,
                                              const std::vector<SqlParam>& params) = 0;
  // Several statements without parameters (migrations).
  virtual Outcome execute_script(std::string_view sql) = 0;
  virtual Outcome begin() = 0;
  virtual Outcome commit() = 0;
  virtual void rollback() = 0;

  // Creates schema_migrations and applies what is missing, each migration in a
  // transaction. Called by open().
  Outcome migrate();

 private:
  Expected<int64_t> scalar(std::string_view sql, const std::vector<SqlParam>& params);
  int64_t schema_version_ = 0;
  // The usage tables' SQL lives in usage_store.cc and runs on this connection.
  friend class UsageStore;
};

// Opens the implementations directly (Store::open chooses by the location).
Expected<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);
Expected<std::unique_ptr<Store>> open_postgres_store(const std::string& url);

}  // namespace orbit::registry
