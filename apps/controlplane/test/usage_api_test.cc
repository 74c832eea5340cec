// The usage API through ApiHandler (no sockets), on SQLite: POST /v1/usage with graph tokens
// (refused when unsigned by us, expired, revoked, or for a deleted graph), gzip bodies, the
// body limit, precise 400s; the usage, field usage and router queries with their range
// limits; checks stored and listed, with usageWindowDays. And the server shedding batches with
// 429 when its worker queue is full while other requests still queue.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/cdn/fleet_file.h"
#include "orbit/controlplane/api_handler.h"
#include "orbit/controlplane/controlplane_server.h"
#include "orbit/controlplane/usage_api.h"
#include "orbit/registry/usage.h"
#include "orbit/security/graph_token.h"

namespace orbit::controlplane {
namespace {

namespace fs = std::filesystem;

constexpr const char* kAccounts =
    R"(extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"]) type Query { me: User } type User @key(fields: \"id\") { id: ID! name: String email: String })";
constexpr const char* kAccountsWithoutName =
    R"(extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"]) type Query { me: User } type User @key(fields: \"id\") { id: ID! email: String })";
constexpr const char* kAccountsWithoutEmail =
    R"(extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"]) type Query { me: User } type User @key(fields: \"id\") { id: ID! name: String })";

const std::string kHash(64, 'c');

struct Answer {
  int status = 0;
  std::string body;
  net::HttpHeaders headers;
  Arena arena;
  JsonValue json;
  const JsonValue* get(std::initializer_list<std::string_view> path) const {
    const JsonValue* at = &json;
    for (auto k : path) {
      at = at->find(k);
      if (at == nullptr) return nullptr;
    }
    return at;
  }
  std::string str(std::initializer_list<std::string_view> path) const {
    const JsonValue* v = get(path);
    return v ? std::string(v->as_string()) : "";
  }
  int64_t num(std::initializer_list<std::string_view> path) const {
    const JsonValue* v = get(path);
    return v ? v->as_int64() : -1;
  }
  std::string message() const { return str({"error", "message"}); }
};

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

class UsageApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("orbit-usage-api-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "cdn");
    auto store = registry::Store::open((dir_ / "orbit.db").string());
    ASSERT_TRUE(store.ok());
    token_key_ =
        std::make_unique<security::Ed25519PrivateKey>(*security::Ed25519PrivateKey::generate());
    registry::RegistryOptions options;
    options.cdn_storage = (dir_ / "cdn").string();
    registry_ = std::make_unique<registry::Registry>(
        std::move(*store), *security::Ed25519PrivateKey::generate(), *token_key_, options);
    admin_ = *registry_->bootstrap("acme", "");
    UsageOptions usage;
    usage.max_body_bytes = 64 * 1024;
    handler_ = std::make_unique<ApiHandler>(*registry_, usage);

    ASSERT_EQ(
        call(
            "POST", "/v1/namespaces/default/graphs",
            R"({"name":"shop","routingUrl":"https://shop.example.com/graphql","labelMatchers":["team=a"]})")
            ->status,
        201);
    ASSERT_EQ(
        call(
            "POST", "/v1/namespaces/default/subgraphs",
            R"({"name":"accounts","routingUrl":"http://accounts:4001/graphql","labels":{"team":"a"}})")
            ->status,
        201);
    auto published = call("POST", "/v1/namespaces/default/subgraphs/accounts/publish",
                          std::string(R"({"sdl":")") + kAccounts + "\"}");
    ASSERT_EQ(published->status, 200) << published->body;
    auto token = call("POST", "/v1/namespaces/default/graphs/shop/tokens", R"({"name":"r"})");
    ASSERT_EQ(token->status, 201) << token->body;
    token_ = token->str({"secret"});
    token_id_ = token->str({"token", "id"});
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Answer> call(
      const std::string& method, const std::string& target, const std::string& body = "",
      const std::string& bearer = "admin",
      std::initializer_list<std::pair<std::string, std::string>> headers = {}) {
    net::HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    std::string secret = bearer == "admin" ? admin_ : bearer;
    if (!secret.empty()) request.headers.add("Authorization", "Bearer " + secret);
    for (const auto& [k, v] : headers)
      request.headers.add(k, v);
    ApiResponse r = handler_->handle(request);
    auto a = std::make_unique<Answer>();
    a->status = r.status;
    a->body = r.body;
    a->headers = r.headers;
    if (!r.body.empty() && r.body[0] == '{') {
      auto json = parse_json(a->body, a->arena);
      if (json.ok()) a->json = *json;
    }
    return a;
  }

  std::string batch(int64_t start, const std::string& client = "web", int requests = 4,
                    const std::string& fields = R"(["Query.me","User.name"])") {
    std::string counts = "[0,0,0," + std::to_string(requests) + ",0,0,0,0,0,0,0,0,0,0]";
    return R"({"router":{"id":"r-1","host":"node1","orbitVersion":"0.1.0","configVersion":"v1"},)"
           R"("windowStart":")" +
           registry::format_rfc3339(start) + R"(","windowEnd":")" +
           registry::format_rfc3339(start + 60) + R"(","operations":[{"hash":")" + kHash +
           R"(","name":"Me","type":"query","client":{"name":")" + client +
           R"(","version":"2.0"},"requests":)" + std::to_string(requests) +
           R"(,"errors":1,"latencyBucketsMs":[1,2,5,10,25,50,100,250,500,1000,2500,5000,10000],)"
           R"("latencyCounts":)" +
           counts + R"(,"latencySumMs":30,"fields":)" + fields + "}]}";
  }
  std::unique_ptr<Answer> post_usage(
      const std::string& body, const std::string& token,
      std::initializer_list<std::pair<std::string, std::string>> headers = {}) {
    return call("POST", "/v1/usage", body, token, headers);
  }

  registry::Namespace default_namespace() {
    auto ns = registry_->store().find_namespace(registry_->store().first_organization_id().value(),
                                                "default");
    EXPECT_TRUE(ns.ok() && ns->has_value());
    return ns.ok() && ns->has_value() ? **ns : registry::Namespace{};
  }

  fs::path dir_;
  std::unique_ptr<security::Ed25519PrivateKey> token_key_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<ApiHandler> handler_;
  std::string admin_, token_, token_id_;
};

TEST_F(UsageApiTest, IngestsWithTheGraphTokenAndAnswersQueries) {
  int64_t now = security::unix_now();
  int64_t minute = now - now % 60 - 300;
  auto a = post_usage(batch(minute), token_);
  ASSERT_EQ(a->status, 202) << a->body;
  EXPECT_EQ(a->num({"accepted"}), 1);
  // gzip, from another client, in the same minute: adds up.
  a = post_usage(gzip(batch(minute + 10, "ios")), token_, {{"Content-Encoding", "gzip"}});
  ASSERT_EQ(a->status, 202) << a->body;

  std::string range = "from=" + registry::format_rfc3339(minute - 600) +
                      "&to=" + registry::format_rfc3339(minute + 600) + "&step=60";
  auto usage = call("GET", "/v1/namespaces/default/graphs/shop/usage?" + range);
  ASSERT_EQ(usage->status, 200) << usage->body;
  EXPECT_EQ(usage->num({"step"}), 60);
  EXPECT_EQ(usage->num({"totals", "requests"}), 8);
  EXPECT_EQ(usage->num({"totals", "errors"}), 2);
  EXPECT_DOUBLE_EQ(usage->get({"totals", "p50Ms"})->as_double(), 7.5);
  const JsonValue* series = usage->get({"series"});
  ASSERT_EQ(series->size(), 20u);
  EXPECT_EQ(series->items()[10].find("requests")->as_int64(), 8);
  EXPECT_EQ(std::string(series->items()[10].find("time")->as_string()),
            registry::format_rfc3339(minute));
  EXPECT_TRUE(series->items()[0].find("p95Ms")->is_null());
  const JsonValue* ops = usage->get({"operations"});
  ASSERT_EQ(ops->size(), 1u);
  EXPECT_EQ(std::string(ops->items()[0].find("name")->as_string()), "Me");
  EXPECT_EQ(std::string(ops->items()[0].find("hash")->as_string()), kHash);
  EXPECT_EQ(usage->get({"clients"})->size(), 2u);

  auto filtered = call("GET", "/v1/namespaces/default/graphs/shop/usage?" + range +
                                  "&client=ios&operation=" + kHash);
  EXPECT_EQ(filtered->num({"totals", "requests"}), 4) << filtered->body;

  auto fields = call("GET", "/v1/namespaces/default/graphs/shop/usage/fields?" + range);
  ASSERT_EQ(fields->status, 200) << fields->body;
  const JsonValue* list = fields->get({"fields"});
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(std::string(list->items()[1].find("coordinate")->as_string()), "User.name");
  EXPECT_EQ(list->items()[1].find("requests")->as_int64(), 8);
  EXPECT_EQ(list->items()[1].find("clients")->as_int64(), 2);

  auto routers = call("GET", "/v1/namespaces/default/graphs/shop/routers");
  ASSERT_EQ(routers->status, 200) << routers->body;
  const JsonValue* items = routers->get({"items"});
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ(std::string(items->items()[0].find("status")->as_string()), "healthy");
  EXPECT_EQ(std::string(items->items()[0].find("host")->as_string()), "node1");
  // Not seen for 3 report intervals (3 minutes): stale.
  registry::Namespace ns = default_namespace();
  auto graph = registry_->store().find_graph(ns.id, "shop");
  ASSERT_TRUE(graph.ok() && graph->has_value());
  ApiResponse later = graph_routers(*registry_, ns, **graph, UsageOptions{}, (now + 200) * 1000);
  EXPECT_NE(later.body.find(R"("status":"stale")"), std::string::npos) << later.body;
  later = graph_routers(*registry_, ns, **graph, UsageOptions{}, (now + 120) * 1000);
  EXPECT_NE(later.body.find(R"("status":"healthy")"), std::string::npos) << later.body;
  EXPECT_NE(later.body.find(R"("seenVia":["usage"])"), std::string::npos) << later.body;

  // A heartbeat records the router too.
  EXPECT_EQ(
      post_usage(R"({"router":{"id":"r-2"},"windowStart":")" + registry::format_rfc3339(now - 60) +
                     R"(","windowEnd":")" + registry::format_rfc3339(now) + R"(","operations":[]})",
                 token_)
          ->num({"accepted"}),
      0);
  EXPECT_EQ(call("GET", "/v1/namespaces/default/graphs/shop/routers")->get({"items"})->size(), 2u);
}

// The fleet merges the routers orbit-cdn saw polling (routers.json in CDN storage) with those
// that report usage: one row per router id, how it was seen, each source's own interval.
TEST_F(UsageApiTest, TheFleetMergesTheRoutersTheCdnSawPolling) {
  int64_t now = security::unix_now();
  std::string heartbeat = R"({"router":{"id":"both","host":"node1","orbitVersion":"0.1.0",)"
                          R"("configVersion":"v1","reportIntervalSeconds":20},"windowStart":")" +
                          registry::format_rfc3339(now - 20) + R"(","windowEnd":")" +
                          registry::format_rfc3339(now) + R"(","operations":[]})";
  ASSERT_EQ(post_usage(heartbeat, token_)->status, 202);
  cdn::RouterSighting both;
  both.id = "both";
  both.host = "node1";
  both.orbit_version = "0.1.0";
  both.config_version = "v2";  // polled after its last report: the newer config
  both.poll_interval_seconds = 5;
  both.first_seen_ms = (now - 3600) * 1000;
  both.last_seen_ms = (now + 5) * 1000;
  cdn::RouterSighting polling = both;
  polling.id = "cdn-only";
  polling.host = "node2";
  polling.first_seen_ms = (now - 60) * 1000;
  polling.last_seen_ms = (now - 2) * 1000;
  std::string file = cdn::fleet_file_path((dir_ / "cdn").string(), "acme", "shop");
  ASSERT_TRUE(fs::is_directory(fs::path(file).parent_path()));
  { std::ofstream(file) << cdn::write_fleet_file("acme", "shop", {both, polling}); }

  auto fleet = call("GET", "/v1/namespaces/default/graphs/shop/routers");
  ASSERT_EQ(fleet->status, 200) << fleet->body;
  const JsonValue* items = fleet->get({"items"});
  ASSERT_EQ(items->size(), 2u) << fleet->body;
  const JsonValue& first = items->items()[0];
  EXPECT_EQ(first.find("id")->as_string(), "both");
  EXPECT_EQ(first.find("configVersion")->as_string(), "v2");
  EXPECT_EQ(first.find("firstSeen")->as_string(), registry::format_rfc3339(now - 3600));
  EXPECT_EQ(first.find("lastSeen")->as_string(), registry::format_rfc3339(now + 5));
  EXPECT_EQ(to_json(*first.find("seenVia")), R"(["cdn","usage"])");
  EXPECT_EQ(first.find("pollIntervalSeconds")->as_int64(), 5);
  EXPECT_EQ(first.find("reportIntervalSeconds")->as_int64(), 20);
  EXPECT_EQ(first.find("status")->as_string(), "healthy");
  const JsonValue& second = items->items()[1];
  EXPECT_EQ(second.find("id")->as_string(), "cdn-only");
  EXPECT_EQ(second.find("host")->as_string(), "node2");
  EXPECT_EQ(to_json(*second.find("seenVia")), R"(["cdn"])");
  EXPECT_TRUE(second.find("reportIntervalSeconds")->is_null());

  // Stale after 3 of its own intervals, never sooner than the floor (30 s): cdn-only polls
  // every 5 s, so it is stale 30 s after its last poll; "both" stays healthy while its usage
  // reports (every 20 s) are younger than 60 s.
  registry::Namespace ns = default_namespace();
  auto graph = registry_->store().find_graph(ns.id, "shop");
  ASSERT_TRUE(graph.ok() && graph->has_value());
  auto status_at = [&](int64_t at_ms) {
    ApiResponse r = graph_routers(*registry_, ns, **graph, UsageOptions{}, at_ms);
    Arena arena;
    auto json = parse_json(r.body, arena);
    std::map<std::string, std::string> out;
    if (!json.ok()) return out;
    for (const JsonValue& item : json->find("items")->items())
      out[std::string(item.find("id")->as_string())] = item.find("status")->as_string();
    return out;
  };
  auto s = status_at((now + 27) * 1000);
  EXPECT_EQ(s["cdn-only"], "healthy");
  EXPECT_EQ(s["both"], "healthy");
  s = status_at((now + 29) * 1000);
  EXPECT_EQ(s["cdn-only"], "stale");
  EXPECT_EQ(s["both"], "healthy");  // its last poll (now + 5) is fresh until now + 35
  s = status_at((now + 55) * 1000);
  EXPECT_EQ(s["both"], "healthy");  // the usage report (≥ now) is fresh for 60 s
  s = status_at((now + 62) * 1000);
  EXPECT_EQ(s["both"], "stale");

  // A file the CDN did not write well: the usage side alone, and the reason.
  { std::ofstream(file) << "{broken"; }
  fleet = call("GET", "/v1/namespaces/default/graphs/shop/routers");
  ASSERT_EQ(fleet->status, 200) << fleet->body;
  ASSERT_EQ(fleet->get({"items"})->size(), 1u);
  EXPECT_NE(fleet->str({"cdnError"}).find("routers.json"), std::string::npos) << fleet->body;

  // Deleting the graph removes the CDN's list with it.
  fs::remove(file);
  { std::ofstream(file) << cdn::write_fleet_file("acme", "shop", {polling}); }
  ASSERT_EQ(call("DELETE", "/v1/namespaces/default/graphs/shop")->status, 200);
  EXPECT_FALSE(fs::exists(fs::path(file).parent_path()));
}

TEST_F(UsageApiTest, RefusesTokensThatAreNotValidForAnExistingGraph) {
  std::string body = batch(security::unix_now() - 120);
  auto none = post_usage(body, "");
  EXPECT_EQ(none->status, 401);
  EXPECT_TRUE(none->headers.get("WWW-Authenticate").has_value());
  EXPECT_EQ(post_usage(body, admin_)->status, 401);  // an API key is no graph token
  EXPECT_EQ(post_usage(body, "e30.e30.AAAA")->status, 401);

  security::GraphTokenClaims claims;
  claims.org = "acme";
  claims.graph = "shop";  // registry::cdn_graph_name of default/shop
  claims.token_id = token_id_;
  claims.issued_at = security::unix_now() - 7200;
  claims.expires_at = security::unix_now() - 3600;
  auto expired = post_usage(body, *security::mint_graph_token(claims, *token_key_));
  EXPECT_EQ(expired->status, 401);
  EXPECT_NE(expired->message().find("expired"), std::string::npos) << expired->body;
  claims.expires_at.reset();
  auto other_key = post_usage(
      body, *security::mint_graph_token(claims, *security::Ed25519PrivateKey::generate()));
  EXPECT_EQ(other_key->status, 401) << other_key->body;
  claims.token_id = "never-stored";
  auto unknown = post_usage(body, *security::mint_graph_token(claims, *token_key_));
  EXPECT_EQ(unknown->status, 403) << unknown->body;

  ASSERT_EQ(post_usage(body, token_)->status, 202);
  ASSERT_EQ(call("DELETE", "/v1/namespaces/default/graphs/shop/tokens/" + token_id_)->status, 200);
  auto revoked = post_usage(body, token_);
  EXPECT_EQ(revoked->status, 403);
  EXPECT_NE(revoked->message().find("revoked"), std::string::npos) << revoked->body;

  auto fresh = call("POST", "/v1/namespaces/default/graphs/shop/tokens", R"({"name":"r2"})");
  std::string token2 = fresh->str({"secret"});
  ASSERT_EQ(post_usage(body, token2)->status, 202);
  ASSERT_EQ(call("DELETE", "/v1/namespaces/default/graphs/shop")->status, 200);
  auto gone = post_usage(body, token2);
  EXPECT_EQ(gone->status, 403);
  EXPECT_NE(gone->message().find("graph no longer exists"), std::string::npos) << gone->body;
}

TEST_F(UsageApiTest, MalformedBatchesGetPreciseErrors) {
  int64_t now = security::unix_now();
  auto not_json = post_usage("{", token_);
  EXPECT_EQ(not_json->status, 400);
  EXPECT_EQ(not_json->str({"error", "code"}), "INVALID_JSON");
  std::string wrong = batch(now - 120, "web", 4);
  wrong.replace(wrong.find(R"("requests":4)"), 12, R"("requests":5)");
  auto mismatch = post_usage(wrong, token_);
  EXPECT_EQ(mismatch->status, 400);
  EXPECT_EQ(mismatch->str({"error", "code"}), "INVALID_ARGUMENT");
  EXPECT_EQ(mismatch->message(),
            "operations[0].latencyCounts: the counts add up to 4, not requests (5)");
  auto bad_gzip = post_usage("not gzip", token_, {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(bad_gzip->status, 400);
  EXPECT_NE(bad_gzip->message().find("not valid gzip"), std::string::npos);
  EXPECT_EQ(post_usage(batch(now - 120), token_, {{"Content-Encoding", "br"}})->status, 400);
  // Over the (test's 64 KiB) limit, plain and once decoded.
  std::string big = batch(now - 120);
  big.insert(big.size() - 1, ",\"padding\":\"" + std::string(70'000, 'x') + "\"");
  EXPECT_EQ(post_usage(big, token_)->status, 413);
  auto inflated = post_usage(gzip(big), token_, {{"Content-Encoding", "gzip"}});
  EXPECT_EQ(inflated->status, 413);
  EXPECT_EQ(inflated->str({"error", "code"}), "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(call("GET", "/v1/usage", "", token_)->status, 405);
  // Nothing of it was recorded.
  EXPECT_EQ(call("GET", "/v1/namespaces/default/graphs/shop/usage")->num({"totals", "requests"}),
            0);

  auto overloaded = usage_overloaded();
  EXPECT_EQ(overloaded.status, 429);
  EXPECT_NE(overloaded.body.find("\"RATE_LIMITED\""), std::string::npos);
}

TEST_F(UsageApiTest, QueryRangesAreLimited) {
  const std::string base = "/v1/namespaces/default/graphs/shop/usage";
  auto wide = call("GET", base + "?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z");
  EXPECT_EQ(wide->status, 400);
  EXPECT_EQ(wide->message(), "from: the range is longer than 90 days");
  auto dense = call("GET", base + "?from=2026-01-01T00:00:00Z&to=2026-01-03T00:00:00Z&step=60");
  EXPECT_EQ(dense->status, 400);
  EXPECT_NE(dense->message().find("2880 points, more than 1000"), std::string::npos);
  EXPECT_EQ(call("GET", base + "?from=yesterday")->status, 400);
  EXPECT_EQ(call("GET", base + "?step=61")->status, 400);
  EXPECT_EQ(call("GET", base + "?operation=abc")->status, 400);
  auto seven_days = call("GET", base + "?from=2026-01-01T00:00:00Z&to=2026-01-08T00:00:00Z");
  EXPECT_EQ(seven_days->status, 200);
  EXPECT_EQ(seven_days->num({"step"}), 3600);
  auto offset = call("GET", base + "?from=2026-01-01T01:00:00%2B01:00&to=2026-01-01T01:00:00Z");
  EXPECT_EQ(offset->str({"from"}), "2026-01-01T00:00:00Z") << offset->body;
  EXPECT_EQ(call("POST", base, "{}")->status, 405);
  EXPECT_EQ(call("GET", "/v1/namespaces/default/graphs/nope/usage")->status, 404);
}

TEST_F(UsageApiTest, ChecksAreStoredAndUseUsage) {
  ASSERT_EQ(post_usage(batch(security::unix_now() - 120), token_)->status, 202);
  auto used = call("POST", "/v1/namespaces/default/subgraphs/accounts/check",
                   std::string(R"({"sdl":")") + kAccountsWithoutName + "\"}");
  ASSERT_EQ(used->status, 200) << used->body;
  EXPECT_FALSE(used->get({"ok"})->as_bool());
  const JsonValue& change = used->get({"breakingChanges"})->items()[0];
  EXPECT_EQ(std::string(change.find("path")->as_string()), "User.name");
  EXPECT_FALSE(change.find("safe")->as_bool());
  EXPECT_EQ(change.find("usage")->find("requests")->as_int64(), 4);
  const JsonValue& op = change.find("usage")->find("operations")->items()[0];
  EXPECT_EQ(std::string(op.find("name")->as_string()), "Me");
  EXPECT_EQ(std::string(op.find("clients")->items()[0].find("name")->as_string()), "web");

  auto unused =
      call("POST", "/v1/namespaces/default/subgraphs/accounts/check",
           std::string(R"({"sdl":")") + kAccountsWithoutEmail + R"(","usageWindowDays":3})");
  ASSERT_EQ(unused->status, 200) << unused->body;
  EXPECT_TRUE(unused->get({"ok"})->as_bool()) << unused->body;
  EXPECT_TRUE(unused->get({"breakingChanges"})->items()[0].find("safe")->as_bool());
  EXPECT_EQ(unused->num({"usageWindowDays"}), 3);
  EXPECT_EQ(call("POST", "/v1/namespaces/default/subgraphs/accounts/check",
                 std::string(R"({"sdl":")") + kAccountsWithoutEmail + R"(","usageWindowDays":"7"})")
                ->status,
            400);

  auto by_subgraph = call("GET", "/v1/namespaces/default/subgraphs/accounts/checks?limit=1");
  ASSERT_EQ(by_subgraph->status, 200) << by_subgraph->body;
  ASSERT_EQ(by_subgraph->get({"items"})->size(), 1u);
  EXPECT_EQ(by_subgraph->get({"items"})->items()[0].find("id")->as_int64(), unused->num({"id"}));
  EXPECT_FALSE(by_subgraph->get({"nextCursor"})->is_null());
  auto by_graph = call("GET", "/v1/namespaces/default/graphs/shop/checks");
  EXPECT_EQ(by_graph->get({"items"})->size(), 2u);
  auto one = call("GET", "/v1/namespaces/default/checks/" + std::to_string(used->num({"id"})));
  ASSERT_EQ(one->status, 200);
  EXPECT_EQ(one->body, used->body);
  EXPECT_EQ(call("GET", "/v1/namespaces/default/checks/999")->status, 404);
  EXPECT_EQ(call("GET", "/v1/namespaces/default/checks/x")->status, 404);
}

// One HTTP/1.1 request on its own connection; the status line and headers, and the body.
std::pair<std::string, std::string> raw_http(uint16_t port, const std::string& request) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string raw;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buf[8192];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
      raw.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return {raw, ""};
  return {raw.substr(0, end), raw.substr(end + 4)};
}

TEST(UsageServerTest, ShedsBatchesWhenTheWorkerQueueIsFull) {
  fs::path dir = fs::temp_directory_path() / ("orbit-usage-server-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  ASSERT_TRUE(
      security::generate_key_files((dir / "a.pem").string(), (dir / "a.pub").string()).ok());
  ASSERT_TRUE(
      security::generate_key_files((dir / "t.pem").string(), (dir / "t.pub").string()).ok());
  ControlplaneOptions options;
  options.listen = {"127.0.0.1", 0};
  options.data_dir = (dir / "data").string();
  options.signing_key_path = (dir / "a.pem").string();
  options.token_key_path = (dir / "t.pem").string();
  options.studio_dir = "";
  options.threads = 1;
  options.max_queued_requests = 0;  // always "full": every batch is shed
  {
    ControlplaneServer server(options);
    auto started = server.start();
    ASSERT_TRUE(started.ok()) << started.error().message;
    std::string body = R"({"router":{"id":"r"},"operations":[]})";
    auto [head, answer] = raw_http(server.port(),
                                   "POST /v1/usage HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                   "Content-Length: " +
                                       std::to_string(body.size()) + "\r\n\r\n" + body);
    EXPECT_EQ(head.substr(0, 12), "HTTP/1.1 429") << head;
    EXPECT_NE(head.find("Retry-After: 5"), std::string::npos) << head;
    EXPECT_NE(answer.find("RATE_LIMITED"), std::string::npos) << answer;
    // Other requests are not shed.
    auto [health, _] =
        raw_http(server.port(), "GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(health.substr(0, 12), "HTTP/1.1 200") << health;
    server.stop();
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace orbit::controlplane
