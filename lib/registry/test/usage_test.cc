// Usage analytics in the registry: batch validation, percentiles from merged histograms, and
// on both backends: buckets of several routers and batches adding up per minute, series and
// filters, field usage, the router fleet, the retention purge with a fake clock, and checks
// that fail only for breaking changes operations used (stored and listable).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>

#include "backends.h"
#include "orbit/registry/check_usage.h"
#include "orbit/registry/registry.h"
#include "orbit/registry/usage.h"
#include "orbit/registry/usage_store.h"
#include "orbit/security/graph_token.h"

namespace orbit::registry {
namespace {

using testing::BackendTest;

const std::string kHashA(64, 'a');
const std::string kHashB(64, 'b');
constexpr int64_t kNow = 1'800'000'000;  // 2027-01-15T08:00:00Z, a whole hour
constexpr int64_t kDay = 86400;

std::string op_json(const std::string& hash, const std::string& name, const std::string& client,
                    int requests, int errors, const std::string& counts, double sum,
                    const std::string& fields) {
  return R"({"hash":")" + hash + R"(","name":)" + (name.empty() ? "null" : "\"" + name + "\"") +
         R"(,"type":"query","client":{"name":")" + client + R"(","version":"1.0"},"requests":)" +
         std::to_string(requests) + R"(,"errors":)" + std::to_string(errors) +
         R"(,"latencyBucketsMs":[1,2,5,10,25,50,100,250,500,1000,2500,5000,10000],"latencyCounts":)" +
         counts + R"(,"latencySumMs":)" + std::to_string(sum) + R"(,"fields":)" + fields + "}";
}

std::string batch_json(const std::string& router, int64_t start, const std::string& ops) {
  return R"({"router":{"id":")" + router +
         R"(","host":"h1","orbitVersion":"0.1.0","configVersion":"v7"},"windowStart":")" +
         format_rfc3339(start) + R"(","windowEnd":")" + format_rfc3339(start + 30) +
         R"(","operations":[)" + ops + "]}";
}

UsageBatch parse(const std::string& json, int64_t now = kNow) {
  auto batch = parse_usage_batch(json, now, UsageLimits{});
  EXPECT_TRUE(batch.ok()) << batch.error().message;
  return batch.ok() ? *batch : UsageBatch{};
}

std::string parse_error(const std::string& json) {
  auto batch = parse_usage_batch(json, kNow, UsageLimits{});
  return batch.ok() ? "accepted" : batch.error().message;
}

// 10 requests in (5, 10] ms.
const std::string kTenIn10 = "[0,0,0,10,0,0,0,0,0,0,0,0,0,0]";
// 10 requests in (50, 100] ms.
const std::string kTenIn100 = "[0,0,0,0,0,0,10,0,0,0,0,0,0,0]";

TEST(UsageMath, PercentilesInterpolateWithinTheBucket) {
  UsageCounts c;
  EXPECT_FALSE(c.quantile_ms(0.5).has_value());
  c.latency_counts[3] = 10;  // (5, 10]
  EXPECT_DOUBLE_EQ(*c.quantile_ms(0.5), 7.5);
  EXPECT_DOUBLE_EQ(*c.quantile_ms(0.95), 9.75);
  c.latency_counts[6] = 10;  // (50, 100]: the upper half
  EXPECT_DOUBLE_EQ(*c.quantile_ms(0.5), 10.0);
  EXPECT_DOUBLE_EQ(*c.quantile_ms(0.75), 75.0);
  EXPECT_DOUBLE_EQ(*c.quantile_ms(0.99), 99.0);
  UsageCounts slow;
  slow.latency_counts[13] = 3;  // +Inf: its lower bound
  EXPECT_DOUBLE_EQ(*slow.quantile_ms(0.99), 10000.0);
}

TEST(UsageMath, RangesAndCoordinates) {
  EXPECT_TRUE(check_usage_range(0, 3600, 60).ok());
  EXPECT_FALSE(check_usage_range(3600, 0, 60).ok());
  EXPECT_NE(check_usage_range(0, 91 * kDay, 86400).error().message.find("90 days"),
            std::string::npos);
  EXPECT_NE(check_usage_range(0, 2 * kDay, 60).error().message.find("2880 points"),
            std::string::npos);
  EXPECT_FALSE(check_usage_range(0, 3600, 90).ok());
  EXPECT_EQ(*parse_rfc3339("2027-01-15T08:00:00Z"), kNow);
  EXPECT_EQ(*parse_rfc3339("2027-01-15T09:00:00.5+01:00"), kNow);
  EXPECT_FALSE(parse_rfc3339("2027-01-15 08:00:00").has_value());
  EXPECT_EQ(format_rfc3339(kNow), "2027-01-15T08:00:00Z");

  auto field = usage_match_for_change("FIELD_REMOVED", "User.name");
  ASSERT_TRUE(field);
  EXPECT_TRUE(coordinate_matches(*field, "User.name"));
  EXPECT_FALSE(coordinate_matches(*field, "User.names"));
  auto arg = usage_match_for_change("REQUIRED_ARGUMENT_ADDED", "Query.user(id:)");
  ASSERT_TRUE(arg);
  EXPECT_TRUE(coordinate_matches(*arg, "Query.user"));
  auto type = usage_match_for_change("TYPE_REMOVED", "User");
  ASSERT_TRUE(type);
  EXPECT_TRUE(coordinate_matches(*type, "User.id"));
  EXPECT_FALSE(coordinate_matches(*type, "UserX.id"));
  EXPECT_FALSE(usage_match_for_change("DIRECTIVE_REMOVED", "@auth"));
  EXPECT_FALSE(usage_match_for_change("ENUM_VALUE_REMOVED", "Color.RED"));
}

TEST(UsageBatchParse, AcceptsTheContractAndRefusesWithPreciseErrors) {
  UsageBatch b = parse(batch_json("r1", kNow - 120,
                                  op_json(kHashA, "GetUser", "web", 10, 1, kTenIn10, 75.5,
                                          R"(["User.id","Query.me","User.id"])")));
  ASSERT_EQ(b.operations.size(), 1u);
  EXPECT_EQ(b.router.id, "r1");
  EXPECT_EQ(b.window_start, kNow - 120);
  EXPECT_EQ(b.operations[0].latency_sum_us, 75500);
  EXPECT_EQ(b.operations[0].fields, (std::vector<std::string>{"Query.me", "User.id"}));
  EXPECT_EQ(parse(batch_json("r1", kNow - 60, "")).operations.size(), 0u);  // heartbeat

  auto op = [](std::string counts, int requests = 10, int errors = 0, std::string fields = "[]") {
    return batch_json("r1", kNow - 60,
                      op_json(kHashA, "", "", requests, errors, counts, 1, fields));
  };
  EXPECT_EQ(parse_error("nope").substr(0, 20), "the body is not JSON");
  EXPECT_EQ(parse_error(op("[0,0,0,10,0,0,0,0,0,0,0,0,0]")),
            "operations[0].latencyCounts: expected 14 counts, got 13");
  EXPECT_EQ(parse_error(op(kTenIn10, 11)),
            "operations[0].latencyCounts: the counts add up to 10, not requests (11)");
  EXPECT_EQ(parse_error(op(kTenIn10, 10, 11)),
            "operations[0].errors: 11 is more than requests (10)");
  EXPECT_EQ(parse_error(op(kTenIn10, 10, 0, R"(["User.id","not a field"])")),
            "operations[0].fields[1]: not a schema coordinate (Type.field): \"not a field\"");
  std::string bad_hash = batch_json(
      "r1", kNow - 60, op_json("xyz", "", "", 0, 0, "[0,0,0,0,0,0,0,0,0,0,0,0,0,0]", 0, "[]"));
  EXPECT_EQ(parse_error(bad_hash), "operations[0].hash: expected 64 hex digits (SHA-256)");
  std::string bounds = op(kTenIn10);
  bounds.replace(bounds.find("[1,2,5"), 6, "[1,3,5");
  EXPECT_NE(parse_error(bounds).find("operations[0].latencyBucketsMs: expected the bounds"),
            std::string::npos);
  EXPECT_EQ(parse_error(R"({"windowStart":"x"})"), "router: required");
  EXPECT_NE(parse_error(batch_json("r1", kNow + 3600, "")).find("windowEnd: in the future"),
            std::string::npos);
  EXPECT_NE(parse_error(batch_json("r1", kNow - 40 * kDay, "")).find("older than the retention"),
            std::string::npos);
  std::string type = op(kTenIn10);
  type.replace(type.find("\"query\""), 7, "\"select\"");
  EXPECT_EQ(parse_error(type),
            "operations[0].type: expected query, mutation or subscription, got \"select\"");
}

class UsageStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    store_ = open();
    ASSERT_TRUE(store_);
    auto org = store_->insert_organization("acme", "2027-01-01T00:00:00Z");
    ASSERT_TRUE(org.ok());
    auto ns = store_->insert_namespace(org->id, "default", "2027-01-01T00:00:00Z");
    ASSERT_TRUE(ns.ok());
    FederatedGraph g;
    g.namespace_id = ns->id;
    g.name = "shop";
    g.routing_url = "https://shop.example.com/graphql";
    g.created_at = g.updated_at = "2027-01-01T00:00:00Z";
    auto graph = store_->insert_graph(g);
    ASSERT_TRUE(graph.ok());
    graph_id_ = graph->id;
    namespace_id_ = ns->id;
  }

  void record(const std::string& json, int64_t now = kNow) {
    UsageStore usage(*store_);
    auto done = usage.record(graph_id_, parse(json, now), now);
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  std::unique_ptr<Store> store_;
  int64_t graph_id_ = 0;
  int64_t namespace_id_ = 0;
};

TEST_P(UsageStoreTest, BucketsOfSeveralRoutersAndBatchesAddUpPerMinute) {
  const int64_t minute = kNow - 600;
  // Two routers, and the first one twice, in the same minute; a second client; another minute.
  record(batch_json("r1", minute, op_json(kHashA, "GetUser", "web", 10, 1, kTenIn10, 80, "[]")));
  record(batch_json("r2", minute + 20,
                    op_json(kHashA, "GetUser", "web", 10, 2, kTenIn100, 800, "[]")));
  record(batch_json("r1", minute + 40,
                    op_json(kHashA, "GetUser", "ios", 10, 0, kTenIn10, 80, "[]") + "," +
                        op_json(kHashB, "", "web", 10, 0, kTenIn10, 80, "[]")));
  record(batch_json("r1", minute + 120,
                    op_json(kHashA, "GetUser", "web", 10, 0, kTenIn100, 800, "[]")));

  UsageStore usage(*store_);
  UsageQuery q;
  q.from = kNow - 3600;
  q.to = kNow;
  q.step = 60;
  auto report = usage.report(graph_id_, q);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->series.size(), 60u);
  EXPECT_EQ(report->totals.requests, 50);
  EXPECT_EQ(report->totals.errors, 3);
  const SeriesPoint& p = report->series[50];  // kNow - 600
  EXPECT_EQ(p.time, minute);
  EXPECT_EQ(p.counts.requests, 40);
  EXPECT_EQ(p.counts.errors, 3);
  EXPECT_EQ(p.counts.latency_counts[3], 30);
  EXPECT_EQ(p.counts.latency_counts[6], 10);
  EXPECT_EQ(p.counts.latency_sum_us, 1'040'000);
  // 40 requests, 30 in (5,10], 10 in (50,100]: p50 at rank 20 → 5 + 5·20/30.
  EXPECT_NEAR(*p.counts.quantile_ms(0.5), 5 + 5.0 * 20 / 30, 1e-9);
  EXPECT_NEAR(*p.counts.quantile_ms(0.95), 50 + 50.0 * 8 / 10, 1e-9);
  EXPECT_EQ(report->series[52].counts.requests, 10);
  EXPECT_EQ(report->series[51].counts.requests, 0);

  ASSERT_EQ(report->operations.size(), 2u);
  EXPECT_EQ(report->operations[0].hash, kHashA);
  EXPECT_EQ(report->operations[0].name, "GetUser");
  EXPECT_EQ(report->operations[0].type, "query");
  EXPECT_EQ(report->operations[0].counts.requests, 40);
  EXPECT_EQ(report->operations[1].name, "");
  ASSERT_EQ(report->clients.size(), 2u);
  EXPECT_EQ(report->clients[0].name, "web");
  EXPECT_EQ(report->clients[0].requests, 40);
  EXPECT_EQ(report->clients[1].name, "ios");

  // Filters, and a coarser step.
  q.client = "ios";
  EXPECT_EQ(usage.report(graph_id_, q)->totals.requests, 10);
  q.client = "";
  q.operation = kHashB;
  EXPECT_EQ(usage.report(graph_id_, q)->totals.requests, 10);
  q.operation = "";
  q.step = 600;
  auto coarse = usage.report(graph_id_, q);
  ASSERT_EQ(coarse->series.size(), 6u);
  EXPECT_EQ(coarse->series[5].counts.requests, 50);
}

TEST_P(UsageStoreTest, FieldUsageAndRouters) {
  record(batch_json(
             "r1", kNow - 600,
             op_json(kHashA, "GetUser", "web", 10, 0, kTenIn10, 80, R"(["Query.me","User.name"])") +
                 "," +
                 op_json(kHashB, "Other", "ios", 5, 0, "[0,0,0,5,0,0,0,0,0,0,0,0,0,0]", 40,
                         R"(["Query.me"])")),
         kNow - 590);
  record(batch_json("r2", kNow - 60,
                    op_json(kHashA, "GetUser", "web", 10, 0, kTenIn10, 80, R"(["Query.me"])")),
         kNow - 50);
  UsageStore usage(*store_);
  auto fields = usage.fields(graph_id_, kNow - 3600, kNow);
  ASSERT_TRUE(fields.ok()) << fields.error().message;
  ASSERT_EQ(fields->size(), 2u);
  EXPECT_EQ((*fields)[0].coordinate, "Query.me");
  EXPECT_EQ((*fields)[0].requests, 25);
  EXPECT_EQ((*fields)[0].operations, 2);
  EXPECT_EQ((*fields)[0].clients, 2);
  EXPECT_EQ((*fields)[0].last_used, kNow - 60);
  EXPECT_EQ((*fields)[1].coordinate, "User.name");
  EXPECT_EQ((*fields)[1].requests, 10);
  EXPECT_EQ((*fields)[1].last_used, kNow - 600);

  auto routers = usage.routers(graph_id_);
  ASSERT_TRUE(routers.ok());
  ASSERT_EQ(routers->size(), 2u);
  EXPECT_EQ((*routers)[0].id, "r2");  // seen last
  EXPECT_EQ((*routers)[0].last_seen, kNow - 50);
  EXPECT_EQ((*routers)[1].first_seen, kNow - 590);
  EXPECT_EQ((*routers)[1].config_version, "v7");
  EXPECT_TRUE(*usage.reported_since({graph_id_}, kNow - 100));
  EXPECT_FALSE(*usage.reported_since({graph_id_}, kNow - 10));
}

TEST_P(UsageStoreTest, PurgeDropsWhatIsOlderThanTheRetention) {
  record(batch_json("old", kNow - 10 * kDay,
                    op_json(kHashA, "Old", "web", 10, 0, kTenIn10, 80, R"(["Query.old"])")),
         kNow - 10 * kDay);
  record(batch_json("new", kNow - 600,
                    op_json(kHashB, "New", "web", 10, 0, kTenIn10, 80, R"(["Query.new"])")));
  UsageStore usage(*store_);
  auto purged = usage.purge(kNow, 7 * kDay);
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(*purged, 4);  // the old bucket, field hour, operation and router
  UsageQuery q;
  q.from = kNow - 11 * kDay;
  q.to = kNow;
  q.step = 86400;
  auto report = usage.report(graph_id_, q);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->totals.requests, 10);
  ASSERT_EQ(report->operations.size(), 1u);
  EXPECT_EQ(report->operations[0].name, "New");
  auto fields = usage.fields(graph_id_, kNow - 11 * kDay, kNow);
  ASSERT_EQ(fields->size(), 1u);
  EXPECT_EQ((*fields)[0].coordinate, "Query.new");
  ASSERT_EQ(usage.routers(graph_id_)->size(), 1u);
  EXPECT_EQ(*usage.purge(kNow, 7 * kDay), 0);
}

TEST_P(UsageStoreTest, RoutersKeepTheReportIntervalTheySent) {
  std::string with_interval = batch_json("r1", kNow - 60, "");
  with_interval.replace(with_interval.find("\"configVersion\""), 0,
                        "\"reportIntervalSeconds\":15,");
  record(with_interval);
  record(batch_json("r2", kNow - 60, ""));  // an older router: no interval
  UsageStore usage(*store_);
  auto routers = usage.routers(graph_id_);
  ASSERT_TRUE(routers.ok()) << routers.error().message;
  ASSERT_EQ(routers->size(), 2u);
  std::map<std::string, int64_t> interval;
  for (const auto& r : *routers)
    interval[r.id] = r.report_interval_seconds;
  EXPECT_EQ(interval["r1"], 15);
  EXPECT_EQ(interval["r2"], 0);
  for (std::string bad : {"0", "86401", "\"15\"", "1.5"}) {
    std::string json = batch_json("r3", kNow - 60, "");
    json.replace(json.find("\"configVersion\""), 0, "\"reportIntervalSeconds\":" + bad + ",");
    EXPECT_EQ(parse_error(json),
              "router.reportIntervalSeconds: expected whole seconds from 1 to 86400")
        << bad;
  }
}

TEST_P(UsageStoreTest, PurgeDropsStoredChecksOlderThanTheRetention) {
  Subgraph s;
  s.namespace_id = namespace_id_;
  s.name = "products";
  s.routing_url = "http://products/graphql";
  s.created_at = "2027-01-01T00:00:00Z";
  auto sub = store_->insert_subgraph(s);
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  UsageStore usage(*store_);
  auto check_at = [&](int64_t when) {
    CheckRecord c;
    c.namespace_id = namespace_id_;
    c.subgraph_id = sub->id;
    c.subgraph = "products";
    c.ok = true;
    // As checks write it (config::now_rfc3339): milliseconds and Z.
    c.created_at = format_rfc3339(when);
    c.created_at.insert(c.created_at.size() - 1, ".123");
    c.result_json = "{}";
    c.graph_ids = {graph_id_};
    auto inserted = usage.insert_check(c);
    EXPECT_TRUE(inserted.ok()) << inserted.error().message;
    return inserted.ok() ? inserted->id : 0;
  };
  int64_t old_check = check_at(kNow - 8 * kDay);
  int64_t edge_check = check_at(kNow - 7 * kDay);  // .123 s after the cutoff: kept
  int64_t new_check = check_at(kNow - 3600);
  auto purged = usage.purge(kNow, 7 * kDay);
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(*purged, 2);  // the old check and its graph link
  EXPECT_FALSE(usage.find_check(namespace_id_, old_check)->has_value());
  EXPECT_TRUE(usage.find_check(namespace_id_, edge_check)->has_value());
  EXPECT_TRUE(usage.find_check(namespace_id_, new_check)->has_value());
  auto by_graph = usage.graph_checks(graph_id_, PageRequest{});
  ASSERT_TRUE(by_graph.ok());
  ASSERT_EQ(by_graph->items.size(), 2u);
  EXPECT_EQ(by_graph->items[0].id, new_check);
  EXPECT_EQ(usage.subgraph_checks(sub->id, PageRequest{})->items.size(), 2u);
  EXPECT_EQ(*usage.purge(kNow, 7 * kDay), 0);
}

TEST_P(UsageStoreTest, ALargeBatchWithRepeatedKeysIsRecordedWhole) {
  // 200 operations of 10 fields each, more rows than one statement takes; every operation twice
  // in the batch, as a router that did not merge its shards would send it (one statement must
  // not update a row twice).
  std::string ops;
  for (int i = 0; i < 200; ++i) {
    char hash[65];
    std::snprintf(hash, sizeof hash, "%064x", i);
    std::string fields = "[";
    for (int f = 0; f < 10; ++f)
      fields += (f ? ",\"T" : "\"T") + std::to_string(i % 50) + ".f" + std::to_string(f) + "\"";
    fields += "]";
    std::string one = op_json(hash, "Op" + std::to_string(i), "web", 1, 0,
                              "[0,0,0,1,0,0,0,0,0,0,0,0,0,0]", 7, fields);
    ops += (i ? "," : "") + one + "," + one;
  }
  UsageBatch batch = parse(batch_json("r1", kNow - 600, ops));
  ASSERT_EQ(batch.operations.size(), 400u);
  auto started = std::chrono::steady_clock::now();
  UsageStore usage(*store_);
  auto done = usage.record(graph_id_, batch, kNow);
  ASSERT_TRUE(done.ok()) << done.error().message;
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::printf("[ recorded ] 400 operations, 4000 field uses on %s in %.0f ms\n", GetParam().c_str(),
              ms);
  UsageQuery q;
  q.from = kNow - 3600;
  q.to = kNow;
  q.step = 3600;
  auto report = usage.report(graph_id_, q);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->totals.requests, 400);
  EXPECT_EQ(report->totals.latency_counts[3], 400);
  EXPECT_EQ(report->operations.size(), 50u);  // the top 50
  EXPECT_EQ(report->operations[0].counts.requests, 2);
  auto fields = usage.fields(graph_id_, kNow - 3600, kNow);
  ASSERT_EQ(fields->size(), 50u * 10);
  EXPECT_EQ((*fields)[0].operations, 4);  // T0.f0: operations 0, 50, 100, 150
  EXPECT_EQ((*fields)[0].requests, 8);
}

INSTANTIATE_TEST_SUITE_P(Backends, UsageStoreTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

// ---- checks with usage

constexpr const char* kAccounts =
    R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { me: User }
type User @key(fields: "id") { id: ID! name: String email: String }
)";

class UsageCheckTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (HasFatalFailure()) return;
    auto store = open();
    ASSERT_TRUE(store);
    RegistryOptions options;
    options.cdn_storage = (dir_ / "cdn").string();
    std::filesystem::create_directories(options.cdn_storage);
    registry_ =
        std::make_unique<Registry>(std::move(store), *security::Ed25519PrivateKey::generate(),
                                   *security::Ed25519PrivateKey::generate(), options);
    auto secret = registry_->bootstrap("acme", "");
    ASSERT_TRUE(secret.ok());
    admin_ = *registry_->authenticate("Bearer " + *secret);
    ns_ = *registry_->find_namespace(admin_, "default");
    Subgraph s;
    s.name = "accounts";
    s.routing_url = "http://accounts.internal:4001/graphql";
    s.labels = {{"team", "a"}};
    ASSERT_TRUE(registry_->create_subgraph(ns_, s).ok());
    FederatedGraph g;
    g.name = "shop";
    g.routing_url = "https://shop.example.com/graphql";
    g.label_matchers = {"team=a"};
    auto graph = registry_->create_graph(admin_, ns_, g);
    ASSERT_TRUE(graph.ok());
    graph_ = graph->graph;
    auto published = registry_->publish(admin_, ns_, "accounts", kAccounts);
    ASSERT_TRUE(published.ok()) << published.error().message;
  }

  std::unique_ptr<Registry> registry_;
  Caller admin_;
  Namespace ns_;
  FederatedGraph graph_;
};

TEST_P(UsageCheckTest, BreakingChangesFailOnlyWhenUsedInTheWindow) {
  std::string without_name = kAccounts;
  without_name.replace(without_name.find(" name: String"), 13, "");
  std::string without_email = kAccounts;
  without_email.replace(without_email.find(" email: String"), 14, "");

  // No router reported yet: nothing to go by, the removal fails the check as it always did.
  auto blind = registry_->check(ns_, "accounts", without_email);
  ASSERT_TRUE(blind.ok()) << blind.error().message;
  EXPECT_FALSE(blind->ok());
  ASSERT_EQ(blind->usage.size(), 1u);
  EXPECT_FALSE(blind->usage[0].has_value());

  int64_t now = security::unix_now();
  UsageStore usage(registry_->store());
  auto recorded = usage.record(graph_.id,
                               parse(batch_json("r1", now - 3 * kDay,
                                                op_json(kHashA, "Me", "web", 10, 0, kTenIn10, 80,
                                                        R"(["Query.me","User.name"])")),
                                     now),
                               now);
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;

  auto used = registry_->check(ns_, "accounts", without_name);
  ASSERT_TRUE(used.ok()) << used.error().message;
  EXPECT_FALSE(used->ok());
  ASSERT_TRUE(used->usage[0].has_value()) << used->json;
  EXPECT_EQ(used->usage[0]->requests, 10);
  ASSERT_EQ(used->usage[0]->operations.size(), 1u);
  EXPECT_EQ(used->usage[0]->operations[0].name, "Me");
  EXPECT_EQ(used->usage[0]->operations[0].clients[0].name, "web");
  EXPECT_NE(used->json.find(R"("safe":false)"), std::string::npos) << used->json;

  auto unused = registry_->check(ns_, "accounts", without_email);
  ASSERT_TRUE(unused.ok());
  EXPECT_TRUE(unused->ok()) << unused->json;
  EXPECT_NE(unused->json.find(R"("usage":{"requests":0,"operations":[]},"safe":true)"),
            std::string::npos)
      << unused->json;

  // A 2-day window no longer sees the use of 3 days ago.
  auto narrow = registry_->check(ns_, "accounts", without_name, 2);
  ASSERT_TRUE(narrow.ok());
  EXPECT_TRUE(narrow->ok()) << narrow->json;
  EXPECT_EQ(registry_->check(ns_, "accounts", without_name, 0).error().message,
            "usageWindowDays: expected 1 to 90");

  // Stored, newest first, for the subgraph and for the graph.
  UsageStore checks(registry_->store());
  auto subgraph = registry_->find_subgraph(ns_, "accounts");
  ASSERT_TRUE(subgraph.ok());
  auto by_subgraph = checks.subgraph_checks(subgraph->id, PageRequest{});
  ASSERT_TRUE(by_subgraph.ok());
  EXPECT_EQ(by_subgraph->items.size(), 4u);
  auto found = checks.find_check(ns_.id, used->id);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->result_json, used->json);
  EXPECT_FALSE((*found)->ok);
  auto by_graph = checks.graph_checks(graph_.id, PageRequest{2, ""});
  ASSERT_TRUE(by_graph.ok());
  ASSERT_EQ(by_graph->items.size(), 2u);
  EXPECT_EQ(by_graph->items[0].id, narrow->id);
  EXPECT_FALSE(by_graph->next_after.empty());
  auto rest = checks.graph_checks(graph_.id, PageRequest{10, by_graph->next_after});
  ASSERT_EQ(rest->items.size(), 2u);
  EXPECT_EQ(rest->items[1].id, blind->id);
}

INSTANTIATE_TEST_SUITE_P(Backends, UsageCheckTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace orbit::registry
