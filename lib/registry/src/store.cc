// The records' SQL, shared by both implementations: plain SQL that SQLite and PostgreSQL
// both run, $n parameters, text and integer columns only, times as RFC 3339 text.
#include "orbit/registry/store.h"

#include <climits>
#include <cstdlib>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"

namespace orbit::registry {
namespace {

const std::string kEmpty;

SqlParam nullable(const std::string& s) {
  if (s.empty()) return nullptr;
  return s;
}

std::string labels_json(const Labels& labels) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  for (const auto& [k, v] : labels)
    w.key(k).string(v);
  w.end_object();
  return out;
}
Labels parse_labels_json(const std::string& text) {
  Labels labels;
  Arena arena;
  auto value = parse_json(text, arena);
  if (!value.ok()) return labels;
  for (const JsonMember& m : value->members())
    labels[std::string(m.key)] = std::string(m.value.as_string());
  return labels;
}
std::string strings_json(const std::vector<std::string>& items) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (const auto& s : items)
    w.string(s);
  w.end_array();
  return out;
}
std::vector<std::string> parse_strings_json(const std::string& text) {
  std::vector<std::string> items;
  Arena arena;
  auto value = parse_json(text, arena);
  if (!value.ok()) return items;
  for (const JsonValue& v : value->items())
    items.emplace_back(v.as_string());
  return items;
}

int64_t after_id(const PageRequest& page) {
  if (page.after.empty()) return INT64_MAX;
  char* end = nullptr;
  long long v = std::strtoll(page.after.c_str(), &end, 10);
  if (end == page.after.c_str() || *end != '\0') return INT64_MAX;
  return v;
}
int64_t fetch_limit(const PageRequest& page) {
  return static_cast<int64_t>(page.limit) + 1;
}

template <typename T, typename Key>
Page<T> make_page(std::vector<T> items, const PageRequest& page, Key key) {
  Page<T> out;
  if (items.size() > page.limit) {
    items.resize(page.limit);
    out.next_after = key(items.back());
  }
  out.items = std::move(items);
  return out;
}

constexpr const char* kOrgColumns = "id, name, created_at";
Organization org_of(const SqlRow& r) {
  return {r.integer(0), r.text(1), r.text(2)};
}

constexpr const char* kKeyColumns =
    "id, org_id, name, role, secret_sha256, created_at, last_used_at";
ApiKey key_of(const SqlRow& r) {
  ApiKey k;
  k.id = r.text(0);
  k.org_id = r.integer(1);
  k.name = r.text(2);
  k.role = parse_role(r.text(3)).value_or(Role::kViewer);
  k.secret_sha256 = r.text(4);
  k.created_at = r.text(5);
  k.last_used_at = r.text(6);
  return k;
}

constexpr const char* kNamespaceColumns = "id, org_id, name, created_at";
Namespace namespace_of(const SqlRow& r) {
  return {r.integer(0), r.integer(1), r.text(2), r.text(3)};
}

constexpr const char* kGraphColumns =
    "id, namespace_id, name, routing_url, label_matchers, created_at, updated_at";
FederatedGraph graph_of(const SqlRow& r) {
  FederatedGraph g;
  g.id = r.integer(0);
  g.namespace_id = r.integer(1);
  g.name = r.text(2);
  g.routing_url = r.text(3);
  g.label_matchers = parse_strings_json(r.text(4));
  g.created_at = r.text(5);
  g.updated_at = r.text(6);
  return g;
}

constexpr const char* kSubgraphColumns =
    "id, namespace_id, name, routing_url, subscription_url, subscription_protocol, labels, "
    "created_at, updated_at";
Subgraph subgraph_of(const SqlRow& r) {
  Subgraph s;
  s.id = r.integer(0);
  s.namespace_id = r.integer(1);
  s.name = r.text(2);
  s.routing_url = r.text(3);
  s.subscription_url = r.text(4);
  s.subscription_protocol = r.text(5);
  s.labels = parse_labels_json(r.text(6));
  s.created_at = r.text(7);
  s.updated_at = r.text(8);
  return s;
}

SchemaVersion version_of(const SqlRow& r) {
  return {r.integer(0), r.integer(1), r.integer(2), r.text(3), r.text(4), r.text(5)};
}

constexpr const char* kCompositionColumns =
    "id, graph_id, succeeded, errors, hints, subgraphs, supergraph_sdl, artifact, "
    "artifact_version, trigger_text, created_at";
constexpr const char* kCompositionListColumns =
    "id, graph_id, succeeded, errors, hints, subgraphs, NULL, NULL, artifact_version, "
    "trigger_text, created_at";
Composition composition_of(const SqlRow& r) {
  Composition c;
  c.id = r.integer(0);
  c.graph_id = r.integer(1);
  c.succeeded = r.integer(2) != 0;
  c.errors_json = r.text(3);
  c.hints_json = r.text(4);
  c.subgraphs_json = r.text(5);
  c.supergraph_sdl = r.text(6);
  c.artifact = r.text(7);
  c.artifact_version = r.text(8);
  c.trigger = r.text(9);
  c.created_at = r.text(10);
  return c;
}

constexpr const char* kTokenColumns = "id, graph_id, name, created_at, expires_at, revoked_at";
GraphToken token_of(const SqlRow& r) {
  return {r.text(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.text(5)};
}

template <typename T, typename F>
Expected<std::optional<T>> first(Expected<std::vector<SqlRow>> rows, F map) {
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(map(rows->front()));
}
template <typename T, typename F>
Expected<std::vector<T>> all(Expected<std::vector<SqlRow>> rows, F map) {
  if (!rows.ok()) return rows.error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const SqlRow& r : *rows)
    out.push_back(map(r));
  return out;
}
Outcome done(Expected<std::vector<SqlRow>> rows) {
  if (!rows.ok()) return rows.error();
  return Done{};
}

std::string sql(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts)
    out += p;
  return out;
}

}  // namespace

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kViewer: return "viewer";
    case Role::kDeveloper: return "developer";
    case Role::kAdmin: return "admin";
  }
  return "viewer";
}
std::optional<Role> parse_role(std::string_view text) {
  if (text == "viewer") return Role::kViewer;
  if (text == "developer") return Role::kDeveloper;
  if (text == "admin") return Role::kAdmin;
  return std::nullopt;
}

const std::string& SqlRow::text(size_t i) const {
  const auto& v = values.at(i);
  return v ? *v : kEmpty;
}
int64_t SqlRow::integer(size_t i) const {
  const auto& v = values.at(i);
  if (!v) return 0;
  return std::strtoll(v->c_str(), nullptr, 10);
}

Expected<std::unique_ptr<Store>> Store::open(const std::string& location) {
  if (location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0)
    return open_postgres_store(location);
  if (location.empty()) return api_error(ApiCode::kInvalidArgument, "no database location");
  return open_sqlite_store(location);
}

std::string_view Store::backend_name() const {
  return dialect() == Dialect::kSqlite ? "sqlite" : "postgresql";
}

Outcome Store::ping() {
  return done(query("SELECT 1", {}));
}

Expected<int64_t> Store::scalar(std::string_view text, const std::vector<SqlParam>& params) {
  auto rows = query(text, params);
  if (!rows.ok()) return rows.error();
  if (rows->empty() || rows->front().values.empty())
    return api_error(ApiCode::kInternal, "a query returned no value");
  return rows->front().integer(0);
}

// ---- organizations

Expected<Organization> Store::insert_organization(const std::string& name, const std::string& at) {
  auto rows = query(
      sql({"INSERT INTO organizations (name, created_at) VALUES ($1, $2) RETURNING ", kOrgColumns}),
      {name, at});
  if (!rows.ok()) return rows.error();
  return org_of(rows->front());
}
Expected<std::optional<Organization>> Store::find_organization(int64_t id) {
  return first<Organization>(
      query(sql({"SELECT ", kOrgColumns, " FROM organizations WHERE id = $1"}), {id}), org_of);
}
Expected<std::optional<Organization>> Store::find_organization(const std::string& name) {
  return first<Organization>(
      query(sql({"SELECT ", kOrgColumns, " FROM organizations WHERE name = $1"}), {name}), org_of);
}
Expected<Page<Organization>> Store::list_organizations(const PageRequest& page) {
  auto items =
      all<Organization>(query(sql({"SELECT ", kOrgColumns,
                                   " FROM organizations WHERE name > $1 ORDER BY name LIMIT $2"}),
                              {page.after, fetch_limit(page)}),
                        org_of);
  if (!items.ok()) return items.error();
  return make_page(std::move(*items), page, [](const Organization& o) { return o.name; });
}
Expected<int64_t> Store::count_organizations() {
  return scalar("SELECT COUNT(*) FROM organizations", {});
}
Expected<int64_t> Store::first_organization_id() {
  return scalar("SELECT COALESCE(MIN(id), 0) FROM organizations", {});
}

// ---- API keys

Outcome Store::insert_api_key(const ApiKey& k) {
  return done(
      query(sql({"INSERT INTO api_keys (", kKeyColumns, ") VALUES ($1, $2, $3, $4, $5, $6, $7)"}),
            {k.id, k.org_id, k.name, std::string(role_name(k.role)), k.secret_sha256, k.created_at,
             nullable(k.last_used_at)}));
}
Expected<std::optional<ApiKey>> Store::find_api_key(const std::string& id) {
  return first<ApiKey>(query(sql({"SELECT ", kKeyColumns, " FROM api_keys WHERE id = $1"}), {id}),
                       key_of);
}
Expected<std::optional<ApiKey>> Store::find_api_key(int64_t org_id, const std::string& name) {
  return first<ApiKey>(
      query(sql({"SELECT ", kKeyColumns, " FROM api_keys WHERE org_id = $1 AND name = $2"}),
            {org_id, name}),
      key_of);
}
Expected<Page<ApiKey>> Store::list_api_keys(int64_t org_id, const PageRequest& page) {
  auto items = all<ApiKey>(
      query(sql({"SELECT ", kKeyColumns,
                 " FROM api_keys WHERE org_id = $1 AND name > $2 ORDER BY name LIMIT $3"}),
            {org_id, page.after, fetch_limit(page)}),
      key_of);
  if (!items.ok()) return items.error();
  return make_page(std::move(*items), page, [](const ApiKey& k) { return k.name; });
}
Expected<int64_t> Store::count_api_keys(int64_t org_id) {
  return scalar("SELECT COUNT(*) FROM api_keys WHERE org_id = $1", {org_id});
}
Expected<bool> Store::delete_api_key(int64_t org_id, const std::string& id) {
  auto rows =
      query("DELETE FROM api_keys WHERE org_id = $1 AND id = $2 RETURNING id", {org_id, id});
  if (!rows.ok()) return rows.error();
  return !rows->empty();
}
Outcome Store::touch_api_key(const std::string& id, const std::string& at) {
  return done(query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1", {id, at}));
}

// ---- namespaces

Expected<Namespace> Store::insert_namespace(int64_t org_id, const std::string& name,
                                            const std::string& at) {
  auto rows = query(sql({"INSERT INTO namespaces (org_id, name, created_at) VALUES ($1, $2, $3) "
                         "RETURNING ",
                         kNamespaceColumns}),
                    {org_id, name, at});
  if (!rows.ok()) return rows.error();
  return namespace_of(rows->front());
}
Expected<std::optional<Namespace>> Store::find_namespace(int64_t org_id, const std::string& name) {
  return first<Namespace>(
      query(sql({"SELECT ", kNamespaceColumns, " FROM namespaces WHERE org_id = $1 AND name = $2"}),
            {org_id, name}),
      namespace_of);
}
Expected<Page<Namespace>> Store::list_namespaces(int64_t org_id, const PageRequest& page) {
  auto items = all<Namespace>(
      query(sql({"SELECT ", kNamespaceColumns,
                 " FROM namespaces WHERE org_id = $1 AND name > $2 ORDER BY name LIMIT $3"}),
            {org_id, page.after, fetch_limit(page)}),
      namespace_of);
  if (!items.ok()) return items.error();
  return make_page(std::move(*items), page, [](const Namespace& n) { return n.name; });
}
Expected<int64_t> Store::count_namespaces(int64_t org_id) {
  return scalar("SELECT COUNT(*) FROM namespaces WHERE org_id = $1", {org_id});
}
Outcome Store::delete_namespace(int64_t id) {
  return done(query("DELETE FROM namespaces WHERE id = $1", {id}));
}

// ---- federated graphs

Expected<FederatedGraph> Store::insert_graph(const FederatedGraph& g) {
  auto rows = query(
      "INSERT INTO federated_graphs (namespace_id, name, routing_url, label_matchers, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {g.namespace_id, g.name, g.routing_url, strings_json(g.label_matchers), g.created_at,
       g.updated_at});
  if (!rows.ok()) return rows.error();
  FederatedGraph out = g;
  out.id = rows->front().integer(0);
  return out;
}
Outcome Store::update_graph(const FederatedGraph& g) {
  return done(
      query("UPDATE federated_graphs SET routing_url = $2, label_matchers = $3, updated_at = $4 "
            "WHERE id = $1",
            {g.id, g.routing_url, strings_json(g.label_matchers), g.updated_at}));
}
Expected<std::optional<FederatedGraph>> Store::find_graph(int64_t namespace_id,
                                                          const std::string& name) {
  return first<FederatedGraph>(
      query(sql({"SELECT ", kGraphColumns,
                 " FROM federated_graphs WHERE namespace_id = $1 AND name = $2"}),
            {namespace_id, name}),
      graph_of);
}
Expected<Page<FederatedGraph>> Store::list_graphs(int64_t namespace_id, const PageRequest& page) {
  auto items = all<FederatedGraph>(
      query(sql({"SELECT ", kGraphColumns,
                 " FROM federated_graphs WHERE namespace_id = $1 AND name > $2 ORDER BY name "
                 "LIMIT $3"}),
            {namespace_id, page.after, fetch_limit(page)}),
      graph_of);
  if (!items.ok()) return items.error();
  return make_page(std::move(*items), page, [](const FederatedGraph& g) { return g.name; });
}
Expected<std::vector<FederatedGraph>> Store::all_graphs(int64_t namespace_id) {
  return all<FederatedGraph>(
      query(sql({"SELECT ", kGraphColumns,
                 " FROM federated_graphs WHERE namespace_id = $1 ORDER BY name"}),
            {namespace_id}),
      graph_of);
}
Expected<int64_t> Store::count_graphs(int64_t namespace_id) {
  return scalar("SELECT COUNT(*) FROM federated_graphs WHERE namespace_id = $1", {namespace_id});
}
Outcome Store::delete_graph(int64_t id) {
  return done(query("DELETE FROM federated_graphs WHERE id = $1", {id}));
}

// ---- subgraphs

Expected<Subgraph> Store::insert_subgraph(const Subgraph& s) {
  auto rows = query(
      "INSERT INTO subgraphs (namespace_id, name, routing_url, subscription_url, "
      "subscription_protocol, labels, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
      "$7, $8) RETURNING id",
      {s.namespace_id, s.name, s.routing_url, nullable(s.subscription_url), s.subscription_protocol,
       labels_json(s.labels), s.created_at, s.updated_at});
  if (!rows.ok()) return rows.error();
  Subgraph out = s;
  out.id = rows->front().integer(0);
  return out;
}
Outcome Store::update_subgraph(const Subgraph& s) {
  return done(query(
      "UPDATE subgraphs SET routing_url = $2, subscription_url = $3, subscription_protocol = $4, "
      "labels = $5, updated_at = $6 WHERE id = $1",
      {s.id, s.routing_url, nullable(s.subscription_url), s.subscription_protocol,
       labels_json(s.labels), s.updated_at}));
}
Expected<std::optional<Subgraph>> Store::find_subgraph(int64_t namespace_id,
                                                       const std::string& name) {
  return first<Subgraph>(query(sql({"SELECT ", kSubgraphColumns,
                                    " FROM subgraphs WHERE namespace_id = $1 AND name = $2"}),
                               {namespace_id, name}),
                         subgraph_of);
}
Expected<Page<Subgraph>> Store::list_subgraphs(int64_t namespace_id, const PageRequest& page) {
  auto items = all<Subgraph>(
      query(sql({"SELECT ", kSubgraphColumns,
                 " FROM subgraphs WHERE namespace_id = $1 AND name > $2 ORDER BY name LIMIT $3"}),
            {namespace_id, page.after, fetch_limit(page)}),
      subgraph_of);
  if (!items.ok()) return items.error();
  return make_page(std::move(*items), page, [](const Subgraph& s) { return s.name; });
}
Expected<std::vector<Subgraph>> Store::all_subgraphs(int64_t namespace_id) {
  return all<Subgraph>(query(sql({"SELECT ", kSubgraphColumns,
                                  " FROM subgraphs WHERE namespace_id = $1 ORDER BY name"}),
                             {namespace_id}),
                       subgraph_of);
}
Expected<int64_t> Store::count_subgraphs(int64_t namespace_id) {
  return scalar("SELECT COUNT(*) FROM subgraphs WHERE namespace_id = $1", {namespace_id});
}
Outcome Store::delete_subgraph(int64_t id) {
  return done(query("DELETE FROM subgraphs WHERE id = $1", {id}));
}

// ---- schema versions

Expected<SchemaVersion> Store::insert_schema_version(int64_t subgraph_id, const std::string& sdl,
                                                     const std::string& sha256,
                                                     const std::string& at) {
  auto next =
      scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM schema_versions WHERE subgraph_id = $1",
             {subgraph_id});
  if (!next.ok()) return next.error();
  auto rows = query(
      "INSERT INTO schema_versions (subgraph_id, version, sha256, sdl, created_at) VALUES ($1, "
      "$2, $3, $4, $5) RETURNING id",
      {subgraph_id, *next, sha256, sdl, at});
  if (!rows.ok()) return rows.error();
  return SchemaVersion{rows->front().integer(0), subgraph_id, *next, sha256, sdl, at};
}
Expected<std::optional<SchemaVersion>> Store::latest_schema_version(int64_t subgraph_id) {
  return first<SchemaVersion>(
      query("SELECT id, subgraph_id, version, sha256, sdl, created_at FROM schema_versions "
            "WHERE subgraph_id = $1 ORDER BY version DESC LIMIT 1",
            {subgraph_id}),
      version_of);
}
Expected<std::optional<SchemaVersion>> Store::find_schema_version(int64_t subgraph_id,
                                                                  int64_t version) {
  return first<SchemaVersion>(
      query("SELECT id, subgraph_id, version, sha256, sdl, created_at FROM schema_versions "
            "WHERE subgraph_id = $1 AND version = $2",
            {subgraph_id, version}),
      version_of);
}
Expected<Page<SchemaVersion>> Store::list_schema_versions(int64_t subgraph_id,
                                                          const PageRequest& page) {
  auto items = all<SchemaVersion>(
      query("SELECT id, subgraph_id, version, sha256, '', created_at FROM schema_versions "
            "WHERE subgraph_id = $1 AND version < $2 ORDER BY version DESC LIMIT $3",
            {subgraph_id, after_id(page), fetch_limit(page)}),
      version_of);
  if (!items.ok()) return items.error();
  return make_page(std::move(*items), page,
                   [](const SchemaVersion& v) { return std::to_string(v.version); });
}

// ---- compositions

Expected<Composition> Store::insert_composition(const Composition& c) {
  auto rows = query(
      "INSERT INTO compositions (graph_id, succeeded, errors, hints, subgraphs, supergraph_sdl, "
      "artifact, artifact_version, trigger_text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
      "$8, $9, $10) RETURNING id",
      {c.graph_id, int64_t{c.succeeded ? 1 : 0}, c.errors_json, c.hints_json, c.subgraphs_json,
       nullable(c.supergraph_sdl), nullable(c.artifact), nullable(c.artifact_version), c.trigger,
       c.created_at});
  if (!rows.ok()) return rows.error();
  Composition out = c;
  out.id = rows->front().integer(0);
  return out;
}
Outcome Store::set_composition_artifact(int64_t id, const std::string& artifact_version,
                                        const std::string& artifact) {
  return done(query("UPDATE compositions SET artifact_version = $2, artifact = $3 WHERE id = $1",
                    {id, artifact_version, artifact}));
}
Expected<std::optional<Composition>> Store::find_composition(int64_t graph_id, int64_t id) {
  return first<Composition>(query(sql({"SELECT ", kCompositionColumns,
                                       " FROM compositions WHERE graph_id = $1 AND id = $2"}),
                                  {graph_id, id}),
                            composition_of);
}
Expected<Page<Composition>> Store::list_compositions(int64_t graph_id, const PageRequest& page) {
  auto items = all<Composition>(
      query(sql({"SELECT ", kCompositionListColumns,
                 " FROM compositions WHERE graph_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"}),
            {graph_id, after_id(page), fetch_limit(page)}),
      composition_of);
  if (!items.ok()) return items.error();
  return make_page(std::move(*items), page,
                   [](const Composition& c) { return std::to_string(c.id); });
}
Expected<std::optional<Composition>> Store::latest_composition(int64_t graph_id) {
  return first<Composition>(
      query(sql({"SELECT ", kCompositionListColumns,
                 " FROM compositions WHERE graph_id = $1 ORDER BY id DESC LIMIT 1"}),
            {graph_id}),
      composition_of);
}
Expected<std::optional<Composition>> Store::served_composition(int64_t graph_id) {
  return first<Composition>(
      query(sql({"SELECT ", kCompositionColumns,
                 " FROM compositions WHERE graph_id = $1 AND succeeded = 1 AND artifact IS NOT "
                 "NULL ORDER BY id DESC LIMIT 1"}),
            {graph_id}),
      composition_of);
}

// ---- graph tokens

Outcome Store::insert_graph_token(const GraphToken& t) {
  return done(query(
      sql({"INSERT INTO graph_tokens (", kTokenColumns, ") VALUES ($1, $2, $3, $4, $5, $6)"}),
      {t.id, t.graph_id, t.name, t.created_at, nullable(t.expires_at), nullable(t.revoked_at)}));
}
Expected<std::optional<GraphToken>> Store::find_graph_token(int64_t graph_id,
                                                            const std::string& id) {
  return first<GraphToken>(
      query(sql({"SELECT ", kTokenColumns, " FROM graph_tokens WHERE graph_id = $1 AND id = $2"}),
            {graph_id, id}),
      token_of);
}
Expected<Page<GraphToken>> Store::list_graph_tokens(int64_t graph_id, const PageRequest& page) {
  // Tokens may share a name; the page key is "name\nid".
  std::string after_name = page.after, after_token;
  if (size_t nl = page.after.find('\n'); nl != std::string::npos) {
    after_name = page.after.substr(0, nl);
    after_token = page.after.substr(nl + 1);
  }
  auto items = all<GraphToken>(
      query(sql({"SELECT ", kTokenColumns,
                 " FROM graph_tokens WHERE graph_id = $1 AND (name > $2 OR (name = $2 AND id > "
                 "$3)) ORDER BY name, id LIMIT $4"}),
            {graph_id, after_name, after_token, fetch_limit(page)}),
      token_of);
  if (!items.ok()) return items.error();
  return make_page(std::move(*items), page,
                   [](const GraphToken& t) { return t.name + "\n" + t.id; });
}
Expected<int64_t> Store::count_graph_tokens(int64_t graph_id) {
  return scalar("SELECT COUNT(*) FROM graph_tokens WHERE graph_id = $1", {graph_id});
}
Outcome Store::revoke_graph_token(const std::string& id, const std::string& at) {
  ORBIT_TRY(query("UPDATE graph_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                  {id, at}));
  auto existing = query("SELECT id FROM revoked_tokens WHERE id = $1", {id});
  if (!existing.ok()) return existing.error();
  if (!existing->empty()) return Done{};
  return done(query("INSERT INTO revoked_tokens (id, revoked_at) VALUES ($1, $2)", {id, at}));
}
Expected<std::vector<std::string>> Store::revoked_token_ids() {
  return all<std::string>(query("SELECT id FROM revoked_tokens ORDER BY id", {}),
                          [](const SqlRow& r) { return r.text(0); });
}

}  // namespace orbit::registry
