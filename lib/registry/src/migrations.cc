// The schema of the control plane's database, as numbered migrations. A migration, once
// released, never changes: a new one is appended. {ID} is the dialect's auto-increment key.
#include <set>
#include <string>
#include <vector>

#include "orbit/config/artifact.h"
#include "orbit/registry/store.h"

namespace orbit::registry {
namespace {

struct Migration {
  int64_t version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "registry tables", R"sql(
CREATE TABLE organizations (
  id {ID},
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  secret_sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_used_at TEXT,
  UNIQUE (org_id, name));
CREATE TABLE namespaces (
  id {ID},
  org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (org_id, name));
CREATE TABLE federated_graphs (
  id {ID},
  namespace_id BIGINT NOT NULL REFERENCES namespaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  routing_url TEXT NOT NULL,
  label_matchers TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (namespace_id, name));
CREATE TABLE subgraphs (
  id {ID},
  namespace_id BIGINT NOT NULL REFERENCES namespaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  routing_url TEXT NOT NULL,
  subscription_url TEXT,
  subscription_protocol TEXT NOT NULL,
  labels TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (namespace_id, name));
CREATE TABLE schema_versions (
  id {ID},
  subgraph_id BIGINT NOT NULL REFERENCES subgraphs(id) ON DELETE CASCADE,
  version BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  sdl TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (subgraph_id, version));
CREATE TABLE compositions (
  id {ID},
  graph_id BIGINT NOT NULL REFERENCES federated_graphs(id) ON DELETE CASCADE,
  succeeded INTEGER NOT NULL,
  errors TEXT NOT NULL,
  hints TEXT NOT NULL,
  subgraphs TEXT NOT NULL,
  supergraph_sdl TEXT,
  artifact TEXT,
  artifact_version TEXT,
  trigger_text TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE graph_tokens (
  id TEXT PRIMARY KEY,
  graph_id BIGINT NOT NULL REFERENCES federated_graphs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT);
CREATE TABLE revoked_tokens (
  id TEXT PRIMARY KEY,
  revoked_at TEXT NOT NULL);
)sql"},
      {2, "list indexes", R"sql(
CREATE INDEX compositions_by_graph ON compositions (graph_id, id);
CREATE INDEX graph_tokens_by_graph ON graph_tokens (graph_id, name);
CREATE INDEX api_keys_by_org ON api_keys (org_id, name);
)sql"},
      {3, "usage analytics and stored checks", R"sql(
CREATE TABLE usage_buckets (
  graph_id BIGINT NOT NULL REFERENCES federated_graphs(id) ON DELETE CASCADE,
  minute BIGINT NOT NULL,
  operation_hash TEXT NOT NULL,
  client_name TEXT NOT NULL,
  client_version TEXT NOT NULL,
  requests BIGINT NOT NULL,
  errors BIGINT NOT NULL,
  latency_sum_us BIGINT NOT NULL,
  b0 BIGINT NOT NULL, b1 BIGINT NOT NULL, b2 BIGINT NOT NULL, b3 BIGINT NOT NULL,
  b4 BIGINT NOT NULL, b5 BIGINT NOT NULL, b6 BIGINT NOT NULL, b7 BIGINT NOT NULL,
  b8 BIGINT NOT NULL, b9 BIGINT NOT NULL, b10 BIGINT NOT NULL, b11 BIGINT NOT NULL,
  b12 BIGINT NOT NULL, b13 BIGINT NOT NULL,
  PRIMARY KEY (graph_id, minute, operation_hash, client_name, client_version));
CREATE INDEX usage_buckets_by_minute ON usage_buckets (minute);
CREATE TABLE usage_operations (
  graph_id BIGINT NOT NULL REFERENCES federated_graphs(id) ON DELETE CASCADE,
  hash TEXT NOT NULL,
  name TEXT NOT NULL,
  op_type TEXT NOT NULL,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  PRIMARY KEY (graph_id, hash));
CREATE TABLE usage_fields (
  graph_id BIGINT NOT NULL REFERENCES federated_graphs(id) ON DELETE CASCADE,
  hour BIGINT NOT NULL,
  coordinate TEXT NOT NULL,
  operation_hash TEXT NOT NULL,
  client_name TEXT NOT NULL,
  client_version TEXT NOT NULL,
  requests BIGINT NOT NULL,
  last_used BIGINT NOT NULL,
  PRIMARY KEY (graph_id, hour, coordinate, operation_hash, client_name, client_version));
CREATE INDEX usage_fields_by_hour ON usage_fields (hour);
CREATE TABLE usage_routers (
  graph_id BIGINT NOT NULL REFERENCES federated_graphs(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  host TEXT NOT NULL,
  orbit_version TEXT NOT NULL,
  config_version TEXT NOT NULL,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  PRIMARY KEY (graph_id, id));
CREATE TABLE schema_checks (
  id {ID},
  namespace_id BIGINT NOT NULL REFERENCES namespaces(id) ON DELETE CASCADE,
  subgraph_id BIGINT NOT NULL REFERENCES subgraphs(id) ON DELETE CASCADE,
  subgraph TEXT NOT NULL,
  ok INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  result TEXT NOT NULL);
CREATE INDEX schema_checks_by_subgraph ON schema_checks (subgraph_id, id);
CREATE TABLE schema_check_graphs (
  check_id BIGINT NOT NULL REFERENCES schema_checks(id) ON DELETE CASCADE,
  graph_id BIGINT NOT NULL REFERENCES federated_graphs(id) ON DELETE CASCADE,
  PRIMARY KEY (check_id, graph_id));
CREATE INDEX schema_check_graphs_by_graph ON schema_check_graphs (graph_id, check_id);
)sql"},
      {4, "users, sessions and the audit log", R"sql(
CREATE TABLE users (
  id {ID},
  org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_login_at TEXT);
CREATE INDEX users_by_org ON users (org_id, email);
CREATE TABLE sessions (
  token_sha256 TEXT PRIMARY KEY,
  org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
  api_key_id TEXT REFERENCES api_keys(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_unix BIGINT NOT NULL,
  last_seen_unix BIGINT NOT NULL);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE TABLE audit_log (
  id {ID},
  org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  time TEXT NOT NULL,
  actor_type TEXT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  resource TEXT NOT NULL,
  summary TEXT NOT NULL);
CREATE INDEX audit_log_by_org ON audit_log (org_id, id);
)sql"},
      {5, "routers' own report interval; check purge by date", R"sql(
ALTER TABLE usage_routers ADD COLUMN report_interval_seconds BIGINT NOT NULL DEFAULT 0;
CREATE INDEX schema_checks_by_created_at ON schema_checks (created_at);
)sql"},
  };
  return kMigrations;
}

std::string for_dialect(std::string sql, Dialect dialect) {
  const std::string id =
      dialect == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY";
  for (size_t at = sql.find("{ID}"); at != std::string::npos; at = sql.find("{ID}", at))
    sql.replace(at, 4, id);
  return sql;
}

}  // namespace

int64_t Store::latest_migration() {
  return migrations().back().version;
}

Outcome Store::migrate() {
  ORBIT_TRY(
      execute_script("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
                     "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
  auto applied = transaction([&]() -> Expected<int64_t> {
    // Two control planes starting on one PostgreSQL database: one migrates, the other
    // waits here and then finds nothing left to do.
    if (dialect() == Dialect::kPostgres)
      ORBIT_TRY(query("SELECT pg_advisory_xact_lock(7279710155)", {}));
    auto current = scalar("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
    if (!current.ok()) return current.error();
    if (*current > latest_migration())
      return api_error(ApiCode::kFailedPrecondition,
                       "the database schema is at version " + std::to_string(*current) +
                           ", newer than this orbit-controlplane knows (" +
                           std::to_string(latest_migration()) +
                           "): it was used by a newer release; run that release or newer");
    // Every migration not recorded yet, not only those above the highest: a release may
    // bring a migration numbered below one that was already applied.
    auto recorded = query("SELECT version FROM schema_migrations", {});
    if (!recorded.ok()) return recorded.error();
    std::set<int64_t> applied;
    for (const SqlRow& row : *recorded)
      applied.insert(row.integer(0));
    for (const Migration& m : migrations()) {
      if (applied.count(m.version)) continue;
      ORBIT_TRY(execute_script(for_dialect(m.sql, dialect())));
      ORBIT_TRY(
          query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                {m.version, std::string(m.name), config::now_rfc3339()}));
    }
    return latest_migration();
  });
  if (!applied.ok()) {
    ApiError error = applied.error();
    if (error.code != ApiCode::kFailedPrecondition)
      error.message = "migrating the database: " + error.message;
    return error;
  }
  schema_version_ = *applied;
  return Done{};
}

}  // namespace orbit::registry
