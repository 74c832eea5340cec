// Usage analytics end to end, with the real orbit-controlplane process (SQLite, then
// PostgreSQL started by the test through pg_fixture.sh) driven over HTTP: a graph token
// created through the API; batches of two routers posted to /v1/usage (one gzip) adding up in
// one minute; the series, totals, operations, clients, field usage and routers read back;
// `orbit graph usage` and `orbit graph routers` printing them; a revoked token refused. And the
// proof of usage-aware checks: removing a field operations used in the last 7 days fails the
// check with the operation and its client listed; removing an unused field passes ("safe").
// And the retention: usage older than --usage-retention-days is gone after a restart.
#include <gtest/gtest.h>
#include <zlib.h>

#include <ctime>
#include <filesystem>
#include <fstream>

#include "api_call.h"
#include "backends.h"
#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/registry/usage.h"
#include "orbit/registry/usage_store.h"
#include "orbit/security/ed25519.h"
#include "process.h"

namespace orbit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::http;
using testing::Reply;

const std::string kBootstrapKey =
    "orbit_0123456789abcdef_b3JiaXQtZTJlLWJvb3RzdHJhcC1rZXktMzJieXRlcyE";
const std::string kHash = "5f2b8c0e4a7d1936b0c2e8f4a6d1b3c5e7f9a0b2c4d6e8f0a1b3c5d7e9f1a2b4";
const std::string kAccounts =
    R"(extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"]) type Query { me: User } type User @key(fields: \"id\") { id: ID! name: String email: String })";

std::string rfc3339(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string gzip(const std::string& data) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, data.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A batch of `router` for the minute starting at `start`: `requests` of GetMe by client web
// 1.2, 1 error, half of them in (5, 10] ms and half in (50, 100] ms.
std::string batch(const std::string& router, std::time_t start, int requests) {
  int half = requests / 2;
  std::string counts = "[0,0,0," + std::to_string(half) + ",0,0," +
                       std::to_string(requests - half) + ",0,0,0,0,0,0,0]";
  return R"({"router":{"id":")" + router + R"(","host":")" + router +
         R"(.internal","orbitVersion":"0.1.0","configVersion":"c1"},"windowStart":")" +
         rfc3339(start) + R"(","windowEnd":")" + rfc3339(start + 59) +
         R"(","operations":[{"hash":")" + kHash +
         R"(","name":"GetMe","type":"query","client":{"name":"web","version":"1.2"},)"
         R"("requests":)" +
         std::to_string(requests) +
         R"(,"errors":1,"latencyBucketsMs":[1,2,5,10,25,50,100,250,500,1000,2500,5000,10000],)"
         R"("latencyCounts":)" +
         counts + R"(,"latencySumMs":)" + std::to_string(requests * 40) +
         R"(,"fields":["Query.me","User.id","User.name"]}]})";
}

class UsageE2eTest : public registry::testing::BackendTest {
 protected:
  void SetUp() override {
    registry::testing::BackendTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(security::generate_key_files(path("token.pem"), path("token.pub.pem")).ok());
    ASSERT_TRUE(
        security::generate_key_files(path("artifacts.pem"), path("artifacts.pub.pem")).ok());
    fs::create_directories(dir_ / "data");
    ::setenv("ORBIT_BOOTSTRAP_API_KEY", kBootstrapKey.c_str(), 1);
    start_controlplane({});
  }

  void start_controlplane(const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {ORBIT_CONTROLPLANE_BIN,
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--data-dir",
                                     path("data"),
                                     "--signing-key",
                                     path("artifacts.pem"),
                                     "--token-key",
                                     path("token.pem"),
                                     "--org",
                                     "acme"};
    if (GetParam() == "postgresql") {
      argv.push_back("--database-url");
      argv.push_back(location_);
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    controlplane_ = std::make_unique<ChildProcess>();
    ASSERT_EQ(controlplane_->start(argv), "");
    auto line = controlplane_->wait_for_line(
        [](const std::string& l) { return l.find("serving /v1 on") != std::string::npos; }, 60s);
    ASSERT_TRUE(line) << controlplane_->output();
    static const std::string kOn = "on http://127.0.0.1:";
    port_ = static_cast<uint16_t>(std::atoi(line->c_str() + line->find(kOn) + kOn.size()));
    ASSERT_NE(port_, 0);
  }
  std::string database() const {
    return GetParam() == "postgresql" ? location_ : path("data") + "/orbit.db";
  }
  void TearDown() override {
    if (controlplane_) controlplane_->stop();
    ::unsetenv("ORBIT_BOOTSTRAP_API_KEY");
    ::unsetenv("ORBIT_USAGE_RETENTION_DAYS");
    registry::testing::BackendTest::TearDown();
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::unique_ptr<Reply> api(const std::string& method, const std::string& target,
                             const std::string& body = "") {
    return http(port_, method, target, body, {{"Authorization", "Bearer " + kBootstrapKey}});
  }
  std::unique_ptr<Reply> report(const std::string& token, const std::string& body,
                                bool gzipped = false) {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Authorization", "Bearer " + token}};
    if (gzipped) headers.emplace_back("Content-Encoding", "gzip");
    return http(port_, "POST", "/v1/usage", gzipped ? gzip(body) : body, headers);
  }
  std::unique_ptr<Reply> check(const std::string& sdl) {
    return api("POST", "/v1/namespaces/default/subgraphs/accounts/check",
               R"({"sdl":")" + sdl + "\"}");
  }
  // `orbit ARGS…` against this control plane; stdout and stderr.
  std::string orbit_cli(const std::string& args, int* status) {
    return registry::testing::run(std::string("ORBIT_API_URL=http://127.0.0.1:") +
                                      std::to_string(port_) + " ORBIT_API_KEY=" + kBootstrapKey +
                                      " " + ORBIT_CLI_BINARY + " " + args + " 2>&1",
                                  status);
  }

  std::unique_ptr<ChildProcess> controlplane_;
  uint16_t port_ = 0;
};

TEST_P(UsageE2eTest, RoutersReportUsageAndChecksUseIt) {
  ASSERT_EQ(api("POST", "/v1/namespaces/default/graphs",
                R"({"name":"shop","routingUrl":"https://shop.example.com/graphql",)"
                R"("labelMatchers":["team=accounts"]})")
                ->status,
            201);
  ASSERT_EQ(api("POST", "/v1/namespaces/default/subgraphs",
                R"({"name":"accounts","routingUrl":"http://127.0.0.1:9/graphql",)"
                R"("labels":{"team":"accounts"}})")
                ->status,
            201);
  auto published = api("POST", "/v1/namespaces/default/subgraphs/accounts/publish",
                       R"({"sdl":")" + kAccounts + "\"}");
  ASSERT_EQ(published->status, 200) << published->describe();
  auto created = api("POST", "/v1/namespaces/default/graphs/shop/tokens", R"({"name":"fleet"})");
  ASSERT_EQ(created->status, 201) << created->describe();
  const std::string token = created->str({"secret"});
  const std::string token_id = created->str({"token", "id"});

  // Before any report nothing proves a removal harmless: it fails.
  std::string without_email = kAccounts;
  without_email.replace(without_email.find(" email: String"), 14, "");
  std::string without_name = kAccounts;
  without_name.replace(without_name.find(" name: String"), 13, "");
  auto blind = check(without_email);
  ASSERT_EQ(blind->status, 200) << blind->describe();
  EXPECT_FALSE(blind->json.find("ok")->as_bool());

  // Two routers, the first twice, one of its batches gzip, all in the same minute.
  std::time_t now = std::time(nullptr);
  std::time_t minute = now - now % 60 - 120;
  auto a = report(token, batch("router-a", minute, 10));
  ASSERT_EQ(a->status, 202) << a->describe();
  EXPECT_EQ(a->json.find("accepted")->as_int64(), 1);
  ASSERT_EQ(report(token, batch("router-a", minute, 10), true)->status, 202);
  ASSERT_EQ(report(token, batch("router-b", minute, 20))->status, 202);
  auto bad = report(token, R"({"router":{"id":"x"},"windowStart":"now"})");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(bad->str({"error", "message"}),
            "windowStart: expected an RFC 3339 date-time, got \"now\"");

  std::string range = "from=" + rfc3339(minute - 300) + "&to=" + rfc3339(minute + 300);
  auto usage = api("GET", "/v1/namespaces/default/graphs/shop/usage?" + range + "&step=60");
  ASSERT_EQ(usage->status, 200) << usage->describe();
  const JsonValue* totals = usage->json.find("totals");
  EXPECT_EQ(totals->find("requests")->as_int64(), 40);
  EXPECT_EQ(totals->find("errors")->as_int64(), 3);
  // 20 in (5, 10], 20 in (50, 100]: p50 at the top of the first, p95 18/20 into the second.
  EXPECT_DOUBLE_EQ(totals->find("p50Ms")->as_double(), 10.0);
  EXPECT_DOUBLE_EQ(totals->find("p95Ms")->as_double(), 95.0);
  const JsonValue* series = usage->json.find("series");
  ASSERT_EQ(series->size(), 10u);
  EXPECT_EQ(std::string(series->items()[5].find("time")->as_string()), rfc3339(minute));
  EXPECT_EQ(series->items()[5].find("requests")->as_int64(), 40);
  EXPECT_EQ(series->items()[4].find("requests")->as_int64(), 0);
  const JsonValue& op = usage->json.find("operations")->items()[0];
  EXPECT_EQ(std::string(op.find("name")->as_string()), "GetMe");
  EXPECT_EQ(std::string(usage->json.find("clients")->items()[0].find("version")->as_string()),
            "1.2");

  auto fields = api("GET", "/v1/namespaces/default/graphs/shop/usage/fields?" + range);
  ASSERT_EQ(fields->status, 200) << fields->describe();
  ASSERT_EQ(fields->json.find("fields")->size(), 3u);
  const JsonValue& name_field = fields->json.find("fields")->items()[2];
  EXPECT_EQ(std::string(name_field.find("coordinate")->as_string()), "User.name");
  EXPECT_EQ(name_field.find("requests")->as_int64(), 40);

  auto routers = api("GET", "/v1/namespaces/default/graphs/shop/routers");
  ASSERT_EQ(routers->status, 200) << routers->describe();
  ASSERT_EQ(routers->json.find("items")->size(), 2u);
  for (const JsonValue& r : routers->json.find("items")->items())
    EXPECT_EQ(std::string(r.find("status")->as_string()), "healthy");

  int status = 0;
  std::string out = orbit_cli("graph usage shop --since 1h", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("Requests 40, errors 3 (7.50%), latency p50 10.0 ms, p95 95.0 ms"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("GetMe"), std::string::npos) << out;
  out = orbit_cli("graph usage shop --fields", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("User.name"), std::string::npos) << out;
  out = orbit_cli("graph routers shop", &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("router-b.internal"), std::string::npos) << out;

  // The proof: a used field cannot go; an unused one can.
  auto used = check(without_name);
  ASSERT_EQ(used->status, 200) << used->describe();
  EXPECT_FALSE(used->json.find("ok")->as_bool()) << used->body;
  const JsonValue& change = used->json.find("breakingChanges")->items()[0];
  EXPECT_EQ(std::string(change.find("path")->as_string()), "User.name");
  EXPECT_FALSE(change.find("safe")->as_bool());
  const JsonValue& used_by = change.find("usage")->find("operations")->items()[0];
  EXPECT_EQ(std::string(used_by.find("name")->as_string()), "GetMe");
  EXPECT_EQ(std::string(used_by.find("hash")->as_string()), kHash);
  EXPECT_EQ(std::string(used_by.find("clients")->items()[0].find("name")->as_string()), "web");

  auto unused = check(without_email);
  ASSERT_EQ(unused->status, 200) << unused->describe();
  EXPECT_TRUE(unused->json.find("ok")->as_bool()) << unused->body;
  EXPECT_TRUE(unused->json.find("breakingChanges")->items()[0].find("safe")->as_bool());

  std::ofstream(path("without-name.graphql")) << [&] {
    std::string sdl = without_name;
    for (size_t at = sdl.find("\\\""); at != std::string::npos; at = sdl.find("\\\"", at))
      sdl.erase(at, 1);
    return sdl;
  }();
  out = orbit_cli("subgraph check accounts --schema " + path("without-name.graphql"), &status);
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("User.name: 40 requests by 1 operation(s)"), std::string::npos) << out;
  EXPECT_NE(out.find("GetMe 5f2b8c0e4a7d  40 requests  clients: web 1.2"), std::string::npos)
      << out;

  auto listed = api("GET", "/v1/namespaces/default/subgraphs/accounts/checks");
  ASSERT_EQ(listed->status, 200) << listed->describe();
  EXPECT_EQ(listed->json.find("items")->size(), 4u);
  auto by_graph = api("GET", "/v1/namespaces/default/graphs/shop/checks?limit=1");
  EXPECT_EQ(by_graph->json.find("items")->size(), 1u);
  auto one = api(
      "GET", "/v1/namespaces/default/checks/" + std::to_string(used->json.find("id")->as_int64()));
  EXPECT_EQ(one->body, used->body);

  // A revoked token reports nothing more.
  ASSERT_EQ(api("DELETE", "/v1/namespaces/default/graphs/shop/tokens/" + token_id)->status, 200);
  auto revoked = report(token, batch("router-a", minute, 10));
  EXPECT_EQ(revoked->status, 403) << revoked->describe();
  EXPECT_EQ(api("GET", "/v1/namespaces/default/graphs/shop/usage?" + range)
                ->json.find("totals")
                ->find("requests")
                ->as_int64(),
            40);
}

TEST_P(UsageE2eTest, UsageOlderThanTheRetentionIsPurged) {
  ASSERT_EQ(api("POST", "/v1/namespaces/default/graphs",
                R"({"name":"shop","routingUrl":"https://shop.example.com/graphql"})")
                ->status,
            201);
  controlplane_->stop();
  // Usage of 3 days ago and of 10 minutes ago, written as the control plane would have then.
  {
    auto store = registry::Store::open(database());
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto ns = (*store)->find_namespace((*store)->first_organization_id().value(), "default");
    auto graph = (*store)->find_graph((*ns)->id, "shop");
    ASSERT_TRUE(graph.ok() && graph->has_value());
    registry::UsageStore usage(**store);
    std::time_t now = std::time(nullptr);
    for (std::time_t at : {now - 3 * 86400, now - 600}) {
      auto parsed = registry::parse_usage_batch(batch(at == now - 600 ? "new" : "old", at, 10),
                                                at + 60, registry::UsageLimits{});
      ASSERT_TRUE(parsed.ok()) << parsed.error().message;
      ASSERT_TRUE(usage.record((*graph)->id, *parsed, at + 60).ok());
    }
  }
  ::setenv("ORBIT_USAGE_RETENTION_DAYS", "2", 1);  // as --usage-retention-days 2
  start_controlplane({});
  std::time_t now = std::time(nullptr);
  std::string range = "from=" + rfc3339(now - 4 * 86400) + "&to=" + rfc3339(now);
  auto usage = api("GET", "/v1/namespaces/default/graphs/shop/usage?" + range);
  ASSERT_EQ(usage->status, 200) << usage->describe();
  EXPECT_EQ(usage->json.find("totals")->find("requests")->as_int64(), 10) << usage->body;
  auto routers = api("GET", "/v1/namespaces/default/graphs/shop/routers");
  ASSERT_EQ(routers->json.find("items")->size(), 1u) << routers->body;
  EXPECT_EQ(std::string(routers->json.find("items")->items()[0].find("id")->as_string()), "new");
  auto fields = api("GET", "/v1/namespaces/default/graphs/shop/usage/fields?" + range);
  EXPECT_EQ(fields->json.find("fields")->items()[0].find("requests")->as_int64(), 10);
  EXPECT_NE(controlplane_->output().find("purged"), std::string::npos);

  int status = 0;
  std::string out = registry::testing::run(
      std::string(ORBIT_CONTROLPLANE_BIN) + " --usage-retention-days 0 2>&1", &status);
  EXPECT_EQ(status, 1);
  EXPECT_NE(out.find("--usage-retention-days: expected a number of days from 1 to 3650"),
            std::string::npos)
      << out;
}

INSTANTIATE_TEST_SUITE_P(Backends, UsageE2eTest, ::testing::Values("sqlite", "postgresql"),
                         registry::testing::backend_name);

}  // namespace
}  // namespace orbit
