// The Store against both backends: migrations (applied once, recorded, a newer database
// refused), every record kind, unique names, pagination, schema version numbering, served
// compositions, graph tokens and the revoked ids.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "backends.h"
#include "orbit/registry/store.h"

namespace orbit::registry {
namespace {

using testing::BackendTest;

class StoreTest : public BackendTest {};

TEST_P(StoreTest, MigratesOnceAndRecordsIt) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), Store::latest_migration());
  EXPECT_EQ(store->backend_name(), GetParam() == "sqlite" ? "sqlite" : "postgresql");
  ASSERT_TRUE(store->insert_organization("acme", "2026-01-01T00:00:00.000Z").ok());
  store.reset();
  // Opening again applies nothing and keeps the data.
  auto again = open();
  ASSERT_TRUE(again);
  auto org = again->find_organization(std::string("acme"));
  ASSERT_TRUE(org.ok());
  EXPECT_TRUE(org->has_value());
  EXPECT_TRUE(again->ping().ok());
}

// Marks the database as migrated by a release that knows one more migration.
void pretend_newer(const std::string& location, bool sqlite) {
  std::string sql = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
                    std::to_string(Store::latest_migration() + 1) + ", 'from the future', 'x')";
  if (sqlite) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(location.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  } else {
    PGconn* c = PQconnectdb(location.c_str());
    ASSERT_EQ(PQstatus(c), CONNECTION_OK);
    PGresult* r = PQexec(c, sql.c_str());
    ASSERT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
  }
}

TEST_P(StoreTest, RefusesADatabaseOfANewerRelease) {
  ASSERT_TRUE(open());
  pretend_newer(location_, GetParam() == "sqlite");
  auto store = Store::open(location_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ApiCode::kFailedPrecondition);
  EXPECT_NE(store.error().message.find("newer than this orbit-controlplane"), std::string::npos)
      << store.error().message;
}

TEST_P(StoreTest, UnreachableDatabaseIsUnavailable) {
  if (GetParam() == "sqlite") {
    auto store = Store::open((dir_ / "no" / "such" / "dir" / "orbit.db").string());
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, ApiCode::kUnavailable);
  } else {
    auto store = Store::open("postgresql://postgres@/orbit?host=" + dir_.string() + "&port=1");
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, ApiCode::kUnavailable);
    EXPECT_NE(store.error().message.find("cannot connect to PostgreSQL"), std::string::npos);
  }
}

TEST_P(StoreTest, OrganizationsKeysAndNamespaces) {
  auto store = open();
  ASSERT_TRUE(store);
  auto org = store->insert_organization("acme", "t1");
  ASSERT_TRUE(org.ok());
  auto dup = store->insert_organization("acme", "t2");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ApiCode::kAlreadyExists);
  EXPECT_EQ(*store->first_organization_id(), org->id);

  ApiKey key;
  key.id = "0123456789abcdef";
  key.org_id = org->id;
  key.name = "ci";
  key.role = Role::kDeveloper;
  key.secret_sha256 = "aa";
  key.created_at = "t1";
  ASSERT_TRUE(store->insert_api_key(key).ok());
  auto found = store->find_api_key("0123456789abcdef");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->role, Role::kDeveloper);
  EXPECT_EQ((*found)->name, "ci");
  EXPECT_EQ((*found)->last_used_at, "");
  ASSERT_TRUE(store->touch_api_key(key.id, "t9").ok());
  EXPECT_EQ((*store->find_api_key(key.id))->last_used_at, "t9");
  EXPECT_TRUE(*store->delete_api_key(org->id, key.id));
  EXPECT_FALSE(*store->delete_api_key(org->id, key.id));
  EXPECT_FALSE(store->find_api_key(key.id)->has_value());

  auto ns = store->insert_namespace(org->id, "default", "t1");
  ASSERT_TRUE(ns.ok());
  EXPECT_EQ(store->insert_namespace(org->id, "default", "t1").error().code,
            ApiCode::kAlreadyExists);
  EXPECT_EQ(*store->count_namespaces(org->id), 1);
  ASSERT_TRUE(store->delete_namespace(ns->id).ok());
  EXPECT_EQ(*store->count_namespaces(org->id), 0);
}

TEST_P(StoreTest, PagesByName) {
  auto store = open();
  ASSERT_TRUE(store);
  auto org = store->insert_organization("acme", "t");
  for (const char* name : {"e", "a", "d", "c", "b"})
    ASSERT_TRUE(store->insert_namespace(org->id, name, "t").ok());
  PageRequest page;
  page.limit = 2;
  std::vector<std::string> seen;
  int pages = 0;
  while (true) {
    auto p = store->list_namespaces(org->id, page);
    ASSERT_TRUE(p.ok());
    ++pages;
    for (const auto& n : p->items)
      seen.push_back(n.name);
    if (p->next_after.empty()) break;
    page.after = p->next_after;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
}

TEST_P(StoreTest, GraphsSubgraphsVersionsAndCompositions) {
  auto store = open();
  ASSERT_TRUE(store);
  auto org = store->insert_organization("acme", "t");
  auto ns = store->insert_namespace(org->id, "default", "t");
  FederatedGraph g;
  g.namespace_id = ns->id;
  g.name = "shop";
  g.routing_url = "http://router/graphql";
  g.label_matchers = {"env=prod", "team=a,team=b"};
  auto graph = store->insert_graph(g);
  ASSERT_TRUE(graph.ok());
  auto read = store->find_graph(ns->id, "shop");
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->label_matchers, g.label_matchers);

  Subgraph s;
  s.namespace_id = ns->id;
  s.name = "products";
  s.routing_url = "http://products/graphql";
  s.labels = {{"env", "prod"}, {"team", "a"}};
  auto sub = store->insert_subgraph(s);
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ((*store->find_subgraph(ns->id, "products"))->labels, s.labels);
  EXPECT_EQ(store->insert_subgraph(s).error().code, ApiCode::kAlreadyExists);

  EXPECT_FALSE(store->latest_schema_version(sub->id)->has_value());
  for (int i = 1; i <= 3; ++i) {
    auto v = store->transaction([&]() -> Expected<SchemaVersion> {
      return store->insert_schema_version(sub->id, "type Query { v" + std::to_string(i) + ": Int }",
                                          "sha" + std::to_string(i), "t");
    });
    ASSERT_TRUE(v.ok()) << v.error().message;
    EXPECT_EQ(v->version, i);
  }
  auto latest = store->latest_schema_version(sub->id);
  EXPECT_EQ((*latest)->version, 3);
  EXPECT_EQ((*latest)->sdl, "type Query { v3: Int }");
  auto versions = store->list_schema_versions(sub->id, PageRequest{2, ""});
  ASSERT_EQ(versions->items.size(), 2u);
  EXPECT_EQ(versions->items[0].version, 3);
  EXPECT_EQ(versions->items[0].sdl, "");
  auto rest = store->list_schema_versions(sub->id, PageRequest{2, versions->next_after});
  ASSERT_EQ(rest->items.size(), 1u);
  EXPECT_EQ(rest->items[0].version, 1);
  EXPECT_TRUE(rest->next_after.empty());

  Composition ok;
  ok.graph_id = graph->id;
  ok.succeeded = true;
  ok.supergraph_sdl = "schema { query: Query }";
  ok.trigger = "test";
  ok.created_at = "t";
  auto c1 = store->insert_composition(ok);
  ASSERT_TRUE(c1.ok());
  ASSERT_TRUE(store->set_composition_artifact(c1->id, "c1-abc", "{\"version\":\"c1-abc\"}").ok());
  Composition failed = ok;
  failed.succeeded = false;
  failed.supergraph_sdl.clear();
  failed.errors_json = R"([{"code":"X","message":"m","locations":[]}])";
  auto c2 = store->insert_composition(failed);
  ASSERT_TRUE(c2.ok());
  EXPECT_EQ((*store->latest_composition(graph->id))->id, c2->id);
  auto served = store->served_composition(graph->id);
  ASSERT_TRUE(served->has_value());
  EXPECT_EQ((*served)->id, c1->id);
  EXPECT_EQ((*served)->artifact, "{\"version\":\"c1-abc\"}");
  auto list = store->list_compositions(graph->id, PageRequest{});
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0].errors_json, failed.errors_json);
  EXPECT_EQ(list->items[1].artifact, "");  // listings leave the artifact out

  // Deleting the subgraph takes its versions along; the graph keeps its compositions.
  ASSERT_TRUE(store->delete_subgraph(sub->id).ok());
  EXPECT_FALSE(store->latest_schema_version(sub->id)->has_value());
  EXPECT_TRUE(store->served_composition(graph->id)->has_value());
  ASSERT_TRUE(store->delete_graph(graph->id).ok());
  EXPECT_FALSE(store->served_composition(graph->id)->has_value());
}

TEST_P(StoreTest, TokensAndRevokedIdsOutliveTheirGraph) {
  auto store = open();
  ASSERT_TRUE(store);
  auto org = store->insert_organization("acme", "t");
  auto ns = store->insert_namespace(org->id, "default", "t");
  FederatedGraph g;
  g.namespace_id = ns->id;
  g.name = "shop";
  g.routing_url = "http://router/graphql";
  auto graph = store->insert_graph(g);
  for (const char* id : {"tok-b", "tok-a", "tok-c"})
    ASSERT_TRUE(store->insert_graph_token({id, graph->id, "routers", "t", "", ""}).ok());
  auto page = store->list_graph_tokens(graph->id, PageRequest{2, ""});
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].id, "tok-a");
  auto next = store->list_graph_tokens(graph->id, PageRequest{2, page->next_after});
  ASSERT_EQ(next->items.size(), 1u);
  EXPECT_EQ(next->items[0].id, "tok-c");

  ASSERT_TRUE(store->revoke_graph_token("tok-b", "t2").ok());
  ASSERT_TRUE(store->revoke_graph_token("tok-b", "t3").ok());  // idempotent
  EXPECT_EQ((*store->find_graph_token(graph->id, "tok-b"))->revoked_at, "t2");
  ASSERT_TRUE(store->delete_graph(graph->id).ok());
  EXPECT_EQ(*store->revoked_token_ids(), std::vector<std::string>{"tok-b"});
}

TEST_P(StoreTest, TransactionRollsBackOnError) {
  auto store = open();
  ASSERT_TRUE(store);
  auto result = store->transaction([&]() -> Expected<int> {
    auto org = store->insert_organization("acme", "t");
    if (!org.ok()) return org.error();
    return api_error(ApiCode::kInvalidArgument, "changed my mind");
  });
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(*store->count_organizations(), 0);
  // A unique violation inside a transaction rolls back what came before it.
  ASSERT_TRUE(store->insert_organization("taken", "t").ok());
  auto failed = store->transaction([&]() -> Expected<int> {
    ORBIT_TRY(store->insert_organization("fresh", "t"));
    ORBIT_TRY(store->insert_organization("taken", "t"));
    return 1;
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ApiCode::kAlreadyExists);
  EXPECT_FALSE(store->find_organization(std::string("fresh"))->has_value());
  EXPECT_TRUE(store->ping().ok());
}

// Two connections publish a version of the same subgraph at once. On PostgreSQL the second
// transaction conflicts with the first (serializable isolation) and is run again; on SQLite
// the second waits for the write lock. Either way both versions are stored, numbered 1 and 2.
TEST_P(StoreTest, ConcurrentTransactionsAreSerialized) {
  auto a = open();
  auto b = open();
  ASSERT_TRUE(a && b);
  auto org = a->insert_organization("acme", "t");
  auto ns = a->insert_namespace(org->id, "default", "t");
  Subgraph s;
  s.namespace_id = ns->id;
  s.name = "products";
  s.routing_url = "http://p";
  auto sub = a->insert_subgraph(s);
  ASSERT_TRUE(sub.ok());

  std::atomic<bool> a_inserted{false}, release_a{false};
  std::atomic<int> b_runs{0};
  std::thread first([&] {
    auto v = a->transaction([&]() -> Expected<SchemaVersion> {
      auto inserted = a->insert_schema_version(sub->id, "type Query { a: Int }", "a", "t");
      a_inserted = true;
      while (!release_a)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return inserted;
    });
    EXPECT_TRUE(v.ok()) << v.error().message;
  });
  while (!a_inserted)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::thread second([&] {
    auto v = b->transaction([&]() -> Expected<SchemaVersion> {
      ++b_runs;
      return b->insert_schema_version(sub->id, "type Query { b: Int }", "b", "t");
    });
    EXPECT_TRUE(v.ok()) << v.error().message;
    if (v.ok()) {
      EXPECT_EQ(v->version, 2);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  release_a = true;
  first.join();
  second.join();
  auto page = a->list_schema_versions(sub->id, PageRequest{});
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].sha256, "b");
  EXPECT_EQ(page->items[1].sha256, "a");
  if (GetParam() == "postgresql") EXPECT_GE(b_runs.load(), 2);  // it conflicted and ran again
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace orbit::registry
