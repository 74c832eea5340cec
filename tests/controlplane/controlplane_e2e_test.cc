// The control plane end to end, with real processes: orbit-controlplane, orbit-cdn reading the
// storage it publishes into, a managed orbit-router polling the CDN with a graph token minted
// by the control plane, and the scenario subgraphs (tests/scenarios/harness/serve.js). Run
// once on SQLite and once on PostgreSQL (a server started by the test, pg_fixture.sh).
//
// The story: a graph and two subgraphs are created and published over HTTP; the router
// serves the composed graph; a publish that does not compose is refused with its errors and
// the router keeps the graph; a compatible publish reaches the router; a viewer key cannot
// publish; a revoked token is refused by the CDN; the control plane restarts on the same
// database and still knows everything. And: the control plane killed (SIGKILL) while it
// publishes, again and again, restarts with CDN storage holding exactly the artifact of the
// last composition the database committed, correctly signed — while a managed router serves a
// client without one failed request and ends on that artifact.
//
// Needs `npm ci` in tests/npm-federation (make npm-deps).
#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "api_call.h"
#include "backends.h"
#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/cdn/artifact_store.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/ed25519.h"
#include "orbit/security/sha256.h"
#include "process.h"

namespace orbit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::http;
using testing::json_string;
using testing::read_file;
using testing::Reply;

const fs::path kScenarios = ORBIT_SCENARIOS_DIR;
const std::string kScenario = "root-fields-across-subgraphs";
const std::string kBootstrapKey =
    "orbit_0123456789abcdef_b3JiaXQtZTJlLWJvb3RzdHJhcC1rZXktMzJieXRlcyE";

uint16_t port_in(const std::string& line) {
  static const std::string kOn = "on http://127.0.0.1:";
  size_t at = line.find(kOn);
  return at == std::string::npos ? 0
                                 : static_cast<uint16_t>(std::atoi(line.c_str() + at + kOn.size()));
}

class ControlplaneE2eTest : public registry::testing::BackendTest {
 protected:
  void SetUp() override {
    registry::testing::BackendTest::SetUp();
    if (::testing::Test::HasFatalFailure()) return;
    ASSERT_TRUE(security::generate_key_files(path("token.pem"), path("token.pub.pem")).ok());
    ASSERT_TRUE(
        security::generate_key_files(path("artifacts.pem"), path("artifacts.pub.pem")).ok());
    fs::create_directories(dir_ / "storage");
    fs::create_directories(dir_ / "data");
    urls_ = testing::start_scenario_subgraphs(subgraphs_, kScenarios, kScenario);
    ASSERT_FALSE(urls_.empty()) << subgraphs_.output();
    ASSERT_TRUE(urls_.count("accounts") && urls_.count("products"));
  }

  void TearDown() override {
    if (router_) router_->stop();
    if (cdn_) cdn_->stop();
    if (controlplane_) controlplane_->stop();
    subgraphs_.stop();
    ::unsetenv("GRAPH_API_TOKEN");
    ::unsetenv("ORBIT_BOOTSTRAP_API_KEY");
    registry::testing::BackendTest::TearDown();
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  uint16_t start_controlplane() {
    controlplane_ = std::make_unique<ChildProcess>();
    ::setenv("ORBIT_BOOTSTRAP_API_KEY", kBootstrapKey.c_str(), 1);
    std::vector<std::string> argv = {ORBIT_CONTROLPLANE_BIN,
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--data-dir",
                                     path("data"),
                                     "--cdn-storage",
                                     path("storage"),
                                     "--revocations",
                                     path("revoked.txt"),
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
    EXPECT_EQ(controlplane_->start(argv), "");
    auto line = controlplane_->wait_for_line(
        [](const std::string& l) { return l.find("serving /v1 on") != std::string::npos; }, 60s);
    return line ? port_in(*line) : 0;
  }

  uint16_t start_cdn() {
    cdn_ = std::make_unique<ChildProcess>();
    EXPECT_EQ(cdn_->start({ORBIT_CDN_BIN, "--listen", "127.0.0.1:0", "--storage", path("storage"),
                           "--token-public-key", path("token.pub.pem"), "--revocations",
                           path("revoked.txt")}),
              "");
    auto line = cdn_->wait_for_line(
        [](const std::string& l) { return l.find("orbit-cdn serving") != std::string::npos; }, 30s);
    return line ? port_in(*line) : 0;
  }

  // `extra`: more router.yaml (e.g. a telemetry section).
  uint16_t start_router(uint16_t cdn_port, const std::string& token,
                        const std::string& extra = "") {
    std::ofstream(dir_ / "router.yaml") << extra
                                        << "managed:\n"
                                           "  cdn_urls:\n"
                                           "    - http://127.0.0.1:"
                                        << cdn_port
                                        << "\n"
                                           "  signature_public_key: artifacts.pub.pem\n"
                                           "  state_dir: state\n"
                                           "  poll_interval: 200ms\n"
                                           "  poll_jitter: 50ms\n"
                                           "  request_timeout: 1s\n";
    ::setenv("GRAPH_API_TOKEN", token.c_str(), 1);
    router_ = std::make_unique<ChildProcess>();
    EXPECT_EQ(router_->start({ORBIT_ROUTER_BIN, "--config", path("router.yaml"), "--listen",
                              "127.0.0.1:0", "--threads", "1"}),
              "");
    auto line = router_->wait_for_line(
        [](const std::string& l) { return l.find("orbit-router serving") != std::string::npos; },
        60s);
    return line ? port_in(*line) : 0;
  }

  std::unique_ptr<Reply> api(const std::string& method, const std::string& target,
                             const std::string& body = "", const std::string& key = kBootstrapKey) {
    return http(api_port_, method, target, body, {{"Authorization", "Bearer " + key}});
  }

  std::string router_version(uint16_t port) {
    auto h = http(port, "GET", "/health");
    const JsonValue* config = h->json.find("config");
    const JsonValue* version = config ? config->find("version") : nullptr;
    return version ? std::string(version->as_string()) : "";
  }
  bool wait_router_version(uint16_t port, const std::string& version) {
    for (int i = 0; i < 500; ++i) {
      if (router_version(port) == version) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  std::unique_ptr<ChildProcess> controlplane_, cdn_, router_;
  ChildProcess subgraphs_;
  std::map<std::string, std::string> urls_;
  uint16_t api_port_ = 0;
};

TEST_P(ControlplaneE2eTest, PublishesToRoutersThroughTheCdn) {
  api_port_ = start_controlplane();
  ASSERT_NE(api_port_, 0) << controlplane_->output();
  ASSERT_EQ(http(api_port_, "GET", "/v1/health")->status, 200);
  ASSERT_TRUE(fs::exists(path("revoked.txt")));  // written at start for orbit-cdn
  uint16_t cdn_port = start_cdn();
  ASSERT_NE(cdn_port, 0) << cdn_->output();

  auto graph = api(
      "POST", "/v1/namespaces/default/graphs",
      R"({"name":"shop","routingUrl":"http://127.0.0.1/graphql","labelMatchers":["env=prod"]})");
  ASSERT_EQ(graph->status, 201) << graph->describe();
  for (const char* name : {"accounts", "products"}) {
    auto sub = api("POST", "/v1/namespaces/default/subgraphs",
                   std::string(R"({"name":")") + name + R"(","routingUrl":)" +
                       json_string(urls_.at(name)) + R"(,"labels":"env=prod,team=)" + name + "\"}");
    ASSERT_EQ(sub->status, 201) << sub->describe();
  }
  fs::path sdl_dir = kScenarios / kScenario / "subgraphs";
  std::string accounts_sdl = read_file(sdl_dir / "accounts.graphql");
  for (const char* name : {"accounts", "products"}) {
    auto published =
        api("POST", std::string("/v1/namespaces/default/subgraphs/") + name + "/publish",
            "{\"sdl\":" + json_string(read_file(sdl_dir / (std::string(name) + ".graphql"))) + "}");
    ASSERT_EQ(published->status, 200) << published->describe();
  }
  auto shop = api("GET", "/v1/namespaces/default/graphs/shop");
  std::string v1 = shop->str({"graph", "servedComposition", "artifactVersion"});
  ASSERT_FALSE(v1.empty()) << shop->describe();

  auto token = api("POST", "/v1/namespaces/default/graphs/shop/tokens", R"({"name":"routers"})");
  ASSERT_EQ(token->status, 201) << token->describe();
  std::string jwt = token->str({"secret"});
  std::string token_id = token->str({"token", "id"});

  uint16_t router = start_router(cdn_port, jwt);
  ASSERT_NE(router, 0) << router_->output();
  ASSERT_TRUE(wait_router_version(router, v1)) << router_->output();
  const std::string query = R"({"query":"{ topProducts(first: 2) { upc name } me { name } }"})";
  auto answer = http(router, "POST", "/graphql", query);
  ASSERT_EQ(answer->status, 200) << answer->describe();
  EXPECT_EQ(answer->body.find("\"errors\""), std::string::npos) << answer->body;
  EXPECT_NE(answer->body.find("\"topProducts\":[{\"upc\""), std::string::npos) << answer->body;
  EXPECT_NE(answer->body.find("\"me\":{\"name\""), std::string::npos) << answer->body;

  {
    SCOPED_TRACE("a publish that does not compose: refused with its errors, the graph stays");
    std::string clashing = accounts_sdl;
    const std::string imports = "import: [\"@key\"]";
    clashing.replace(clashing.find(imports), imports.size(), "import: [\"@key\", \"@shareable\"]");
    clashing += "\ntype Product @key(fields: \"upc\") { upc: String! price: String @shareable }\n";
    auto failed = api("POST", "/v1/namespaces/default/subgraphs/accounts/publish",
                      "{\"sdl\":" + json_string(clashing) + "}");
    EXPECT_EQ(failed->status, 422) << failed->describe();
    EXPECT_EQ(failed->str({"error", "code"}), "COMPOSITION_FAILED");
    EXPECT_NE(failed->body.find("\"status\":\"failed\""), std::string::npos) << failed->body;
    std::this_thread::sleep_for(600ms);  // a few polls
    EXPECT_EQ(router_version(router), v1);
    auto still = http(router, "POST", "/graphql", query);
    EXPECT_EQ(still->status, 200);
    EXPECT_EQ(still->body, answer->body);
  }
  {
    SCOPED_TRACE("a compatible publish reaches the router");
    std::string more = accounts_sdl;
    more.replace(more.find("  users: [User!]!"), 17, "  users: [User!]!\n  userCount: Int");
    auto published = api("POST", "/v1/namespaces/default/subgraphs/accounts/publish",
                         "{\"sdl\":" + json_string(more) + "}");
    ASSERT_EQ(published->status, 200) << published->describe();
    std::string v2 = api("GET", "/v1/namespaces/default/graphs/shop")
                         ->str({"graph", "servedComposition", "artifactVersion"});
    ASSERT_NE(v2, v1);
    EXPECT_TRUE(wait_router_version(router, v2)) << router_->output();
    auto fields = http(router, "POST", "/graphql",
                       R"({"query":"{ __type(name: \"Query\") { fields { name } } }"})");
    EXPECT_NE(fields->body.find("userCount"), std::string::npos) << fields->body;
  }
  {
    SCOPED_TRACE("a router that only polls the CDN (no usage reporting) is in the fleet");
    // orbit-cdn records the poll and writes routers.json beside the artifact every few
    // seconds; the control plane reads it.
    std::unique_ptr<Reply> fleet;
    std::string via;
    for (int i = 0; i < 150 && via != "[\"cdn\"]"; ++i) {
      if (i > 0) std::this_thread::sleep_for(200ms);
      fleet = api("GET", "/v1/namespaces/default/graphs/shop/routers");
      ASSERT_EQ(fleet->status, 200) << fleet->describe();
      const JsonValue* items = fleet->json.find("items");
      via =
          items != nullptr && items->size() == 1 ? to_json(*items->items()[0].find("seenVia")) : "";
    }
    ASSERT_EQ(via, "[\"cdn\"]") << fleet->body << cdn_->output();
    const JsonValue& r = fleet->json.find("items")->items()[0];
    EXPECT_EQ(r.find("status")->as_string(), "healthy");
    EXPECT_EQ(r.find("id")->as_string().size(), 36u);  // the router's UUID
    EXPECT_FALSE(r.find("host")->as_string().empty());
    EXPECT_FALSE(r.find("orbitVersion")->as_string().empty());
    EXPECT_EQ(r.find("pollIntervalSeconds")->as_int64(), 1);  // 200 ms, in whole seconds
    EXPECT_TRUE(r.find("reportIntervalSeconds")->is_null());
    // The config it serves, as of its last recorded poll: v1 or, once polled again, v2.
    std::string serving(r.find("configVersion")->as_string());
    EXPECT_FALSE(serving.empty()) << fleet->body;
    // The CDN's file never holds the token.
    std::string file = read_file(dir_ / "storage" / "acme" / "shop" / "routers.json");
    EXPECT_EQ(file.find(jwt), std::string::npos);
    EXPECT_NE(file.find(token_id), std::string::npos) << file;
  }
  {
    SCOPED_TRACE("a viewer key cannot publish");
    auto key = api("POST", "/v1/api-keys", R"({"name":"dashboards","role":"viewer"})");
    ASSERT_EQ(key->status, 201) << key->describe();
    auto denied = api("POST", "/v1/namespaces/default/subgraphs/accounts/publish",
                      "{\"sdl\":" + json_string(accounts_sdl) + "}", key->str({"secret"}));
    EXPECT_EQ(denied->status, 403) << denied->describe();
    EXPECT_EQ(denied->str({"error", "code"}), "PERMISSION_DENIED");
    EXPECT_EQ(api("GET", "/v1/namespaces/default/graphs", "", key->str({"secret"}))->status, 200);
  }
  {
    SCOPED_TRACE("a revoked token is refused by the CDN");
    const std::string cdn_path = "/acme/shop/routerconfigs/latest.json";
    auto served = http(cdn_port, "GET", cdn_path, "", {{"Authorization", "Bearer " + jwt}});
    EXPECT_EQ(served->status, 200);
    // The CDN serves exactly the bytes the control plane says it published.
    auto config = api("GET", "/v1/namespaces/default/graphs/shop/config");
    EXPECT_EQ(config->status, 200);
    EXPECT_EQ(served->body, config->body);
    size_t etag = config->head.find("\r\netag: ");
    ASSERT_NE(etag, std::string::npos) << config->head;
    std::string etag_line = config->head.substr(etag, config->head.find("\r\n", etag + 2) - etag);
    EXPECT_NE(served->head.find(etag_line), std::string::npos) << served->head;
    auto revoked = api("DELETE", "/v1/namespaces/default/graphs/shop/tokens/" + token_id);
    ASSERT_EQ(revoked->status, 200) << revoked->describe();
    int status = 0;
    for (int i = 0; i < 250 && status != 403; ++i) {
      status = http(cdn_port, "GET", cdn_path, "", {{"Authorization", "Bearer " + jwt}})->status;
      if (status != 403) std::this_thread::sleep_for(20ms);
    }
    EXPECT_EQ(status, 403) << cdn_->output();
    // The router keeps its graph.
    EXPECT_EQ(http(router, "POST", "/graphql", query)->status, 200);
  }
  {
    SCOPED_TRACE("restarted on the same database: the state is all there");
    controlplane_->stop();
    api_port_ = start_controlplane();
    ASSERT_NE(api_port_, 0) << controlplane_->output();
    auto versions = api("GET", "/v1/namespaces/default/subgraphs/accounts/versions");
    ASSERT_EQ(versions->status, 200);
    EXPECT_NE(versions->body.find("\"version\":3"), std::string::npos) << versions->body;
    auto tokens = api("GET", "/v1/namespaces/default/graphs/shop/tokens");
    EXPECT_NE(tokens->body.find("\"revokedAt\":\""), std::string::npos) << tokens->body;
    auto log = api("GET", "/v1/namespaces/default/subgraphs/accounts/changelog?from=1&to=3");
    EXPECT_NE(log->body.find("Query.userCount"), std::string::npos) << log->body;
  }
}

TEST_P(ControlplaneE2eTest, KilledWhilePublishingRestartsConsistent) {
  api_port_ = start_controlplane();
  ASSERT_NE(api_port_, 0) << controlplane_->output();
  ASSERT_EQ(
      api("POST", "/v1/namespaces/default/graphs",
          R"({"name":"shop","routingUrl":"http://127.0.0.1/graphql","labelMatchers":["env=prod"]})")
          ->status,
      201);
  fs::path sdl_dir = kScenarios / kScenario / "subgraphs";
  for (const char* name : {"accounts", "products"}) {
    ASSERT_EQ(api("POST", "/v1/namespaces/default/subgraphs",
                  std::string(R"({"name":")") + name + R"(","routingUrl":)" +
                      json_string(urls_.at(name)) + R"(,"labels":"env=prod"})")
                  ->status,
              201);
    ASSERT_EQ(
        api("POST", std::string("/v1/namespaces/default/subgraphs/") + name + "/publish",
            "{\"sdl\":" + json_string(read_file(sdl_dir / (std::string(name) + ".graphql"))) + "}")
            ->status,
        200);
  }
  // A managed router serves through it all: its clients see no failure, and it ends on the
  // artifact of the last composition the database committed.
  uint16_t cdn_port = start_cdn();
  ASSERT_NE(cdn_port, 0) << cdn_->output();
  auto token = api("POST", "/v1/namespaces/default/graphs/shop/tokens", R"({"name":"routers"})");
  ASSERT_EQ(token->status, 201) << token->describe();
  uint16_t router = start_router(cdn_port, token->str({"secret"}));
  ASSERT_NE(router, 0) << router_->output();
  const std::string query = R"({"query":"{ topProducts(first: 2) { upc name } me { name } }"})";
  auto answers_well = [&] {
    auto a = http(router, "POST", "/graphql", query);
    return a->status == 200 && a->body.find("\"errors\"") == std::string::npos &&
                   a->body.find("\"topProducts\":[{\"upc\"") != std::string::npos
               ? std::string()
               : a->describe();
  };
  for (int i = 0; i < 500 && !answers_well().empty(); ++i)
    std::this_thread::sleep_for(20ms);
  ASSERT_EQ(answers_well(), "") << router_->output();
  std::atomic<bool> clients_stop{false};
  std::atomic<int> served{0};
  std::mutex failures_mu;
  std::vector<std::string> failures;
  std::thread client([&] {
    while (!clients_stop.load()) {
      std::string failure = answers_well();
      if (failure.empty()) {
        ++served;
        continue;
      }
      std::lock_guard<std::mutex> lock(failures_mu);
      failures.push_back(failure);
    }
  });

  std::string accounts_sdl = read_file(sdl_dir / "accounts.graphql");
  auto keys = security::load_public_keys(path("artifacts.pub.pem"));
  ASSERT_TRUE(keys.ok());
  const std::string artifact_file =
      cdn::ArtifactStore::artifact_path(path("storage"), "acme", "shop");
  std::atomic<int> next{0};
  int repaired = 0;  // rounds whose kill fell between an artifact write and its commit
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::atomic<bool> stop{false};
    std::atomic<int> published{0};
    std::thread publisher([&] {
      while (!stop.load()) {
        std::string sdl = accounts_sdl;
        int k = ++next;
        sdl.replace(sdl.find("  users: [User!]!"), 17,
                    "  users: [User!]!\n  field" + std::to_string(k) + ": Int");
        auto r = api("POST", "/v1/namespaces/default/subgraphs/accounts/publish",
                     "{\"sdl\":" + json_string(sdl) + "}");
        if (!r->error.empty()) return;  // killed
        if (r->status == 200) ++published;
      }
    });
    // Let some publishes complete, then kill at a moment that differs per round.
    for (int i = 0; i < 500 && published.load() < 2; ++i)
      std::this_thread::sleep_for(10ms);
    std::this_thread::sleep_for(std::chrono::milliseconds(7 + 31 * round));
    controlplane_->signal(SIGKILL);
    controlplane_->wait(10s);
    stop = true;
    publisher.join();
    EXPECT_GE(published.load(), 2);

    api_port_ = start_controlplane();
    ASSERT_NE(api_port_, 0) << controlplane_->output();
    if (controlplane_->output().find("did not hold the artifact") != std::string::npos) ++repaired;
    auto config = api("GET", "/v1/namespaces/default/graphs/shop/config");
    ASSERT_EQ(config->status, 200) << config->describe();
    // Storage holds what the database says, and its signature verifies.
    std::string body = read_file(artifact_file);
    EXPECT_EQ(body, config->body);
    auto sig = security::parse_signature_file(read_file(artifact_file + ".sig"), "sig");
    ASSERT_TRUE(sig.ok()) << sig.status().message();
    EXPECT_EQ(sig->sha256_hex, security::sha256_hex(body));
    EXPECT_TRUE(security::verify_artifact(body, sig->signature, *keys).ok());
  }
  // The router converges on the last committed artifact, and no client request failed.
  auto last = api("GET", "/v1/namespaces/default/graphs/shop/config");
  ASSERT_EQ(last->status, 200) << last->describe();
  const JsonValue* version = last->json.find("version");
  ASSERT_NE(version, nullptr) << last->body;
  EXPECT_TRUE(wait_router_version(router, std::string(version->as_string()))) << router_->output();
  clients_stop = true;
  client.join();
  EXPECT_GT(served.load(), 0);
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
  std::printf("rounds repaired at restart: %d of 4\n", repaired);
  RecordProperty("repaired_rounds", repaired);
}

// A managed router reports usage to the control plane (telemetry.usage, the graph token); the
// control plane shows it (usage, fields, the fleet) and a schema check reads it: removing a
// field the router's clients used fails with the operation and client listed, removing one
// nobody used passes.
TEST_P(ControlplaneE2eTest, RoutersReportUsageThatChecksRead) {
  api_port_ = start_controlplane();
  ASSERT_NE(api_port_, 0) << controlplane_->output();
  uint16_t cdn_port = start_cdn();
  ASSERT_NE(cdn_port, 0) << cdn_->output();
  ASSERT_EQ(
      api("POST", "/v1/namespaces/default/graphs",
          R"({"name":"shop","routingUrl":"http://127.0.0.1/graphql","labelMatchers":["env=prod"]})")
          ->status,
      201);
  fs::path sdl_dir = kScenarios / kScenario / "subgraphs";
  for (const char* name : {"accounts", "products"}) {
    ASSERT_EQ(api("POST", "/v1/namespaces/default/subgraphs",
                  std::string(R"({"name":")") + name + R"(","routingUrl":)" +
                      json_string(urls_.at(name)) + R"(,"labels":"env=prod"})")
                  ->status,
              201);
    auto published =
        api("POST", std::string("/v1/namespaces/default/subgraphs/") + name + "/publish",
            "{\"sdl\":" + json_string(read_file(sdl_dir / (std::string(name) + ".graphql"))) + "}");
    ASSERT_EQ(published->status, 200) << published->describe();
  }
  std::string v1 = api("GET", "/v1/namespaces/default/graphs/shop")
                       ->str({"graph", "servedComposition", "artifactVersion"});
  auto token = api("POST", "/v1/namespaces/default/graphs/shop/tokens", R"({"name":"routers"})");
  ASSERT_EQ(token->status, 201) << token->describe();
  uint16_t router = start_router(
      cdn_port, token->str({"secret"}),
      "telemetry:\n  usage:\n    endpoint: http://127.0.0.1:" + std::to_string(api_port_) +
          "/v1/usage\n    report_interval: 200ms\n");
  ASSERT_NE(router, 0) << router_->output();
  ASSERT_TRUE(wait_router_version(router, v1)) << router_->output();

  const std::string top = R"({"query":"query Top { topProducts(first: 2) { upc name } }"})";
  const std::string me = R"({"query":"query Me { me { name } }"})";
  for (int i = 0; i < 5; ++i) {
    auto r = http(router, "POST", "/graphql", top,
                  {{"graphql-client-name", "web"}, {"graphql-client-version", "1.0"}});
    ASSERT_EQ(r->status, 200) << r->describe();
  }
  for (int i = 0; i < 2; ++i)
    ASSERT_EQ(http(router, "POST", "/graphql", me)->status, 200);

  auto rfc3339 = [](std::chrono::system_clock::time_point t) {
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buf);
  };
  auto now = std::chrono::system_clock::now();
  const std::string range = "from=" + rfc3339(now - std::chrono::hours(1)) +
                            "&to=" + rfc3339(now + std::chrono::hours(1)) + "&step=3600";
  std::unique_ptr<Reply> usage;
  for (int i = 0; i < 250; ++i) {
    usage = api("GET", "/v1/namespaces/default/graphs/shop/usage?" + range);
    ASSERT_EQ(usage->status, 200) << usage->describe();
    const JsonValue* totals = usage->json.find("totals");
    if (totals && totals->find("requests") && totals->find("requests")->as_int64() >= 7) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(usage->json.find("totals")->find("requests")->as_int64(), 7) << usage->body;
  std::map<std::string, int64_t> by_operation, by_client;
  for (const JsonValue& o : usage->json.find("operations")->items())
    by_operation[std::string(o.find("name")->as_string())] = o.find("requests")->as_int64();
  for (const JsonValue& c : usage->json.find("clients")->items())
    by_client[std::string(c.find("name")->as_string()) + "/" +
              std::string(c.find("version")->as_string())] = c.find("requests")->as_int64();
  EXPECT_EQ(by_operation["Top"], 5) << usage->body;
  EXPECT_EQ(by_operation["Me"], 2) << usage->body;
  EXPECT_EQ(by_client["web/1.0"], 5) << usage->body;

  auto fields = api("GET", "/v1/namespaces/default/graphs/shop/usage/fields?" + range);
  ASSERT_EQ(fields->status, 200) << fields->describe();
  std::map<std::string, int64_t> coordinates;
  for (const JsonValue& f : fields->json.find("fields")->items())
    coordinates[std::string(f.find("coordinate")->as_string())] = f.find("requests")->as_int64();
  EXPECT_EQ(coordinates["Query.topProducts"], 5) << fields->body;
  EXPECT_EQ(coordinates["Product.name"], 5) << fields->body;
  EXPECT_EQ(coordinates["User.name"], 2) << fields->body;
  EXPECT_EQ(coordinates.count("Product.price"), 0u) << fields->body;

  // One row for the router: its CDN polls and its usage reports carry the same id.
  std::unique_ptr<Reply> fleet;
  for (int i = 0; i < 150; ++i) {
    if (i > 0) std::this_thread::sleep_for(200ms);
    fleet = api("GET", "/v1/namespaces/default/graphs/shop/routers");
    ASSERT_EQ(fleet->status, 200) << fleet->describe();
    if (fleet->body.find("\"seenVia\":[\"cdn\",\"usage\"]") != std::string::npos) break;
  }
  ASSERT_EQ(fleet->json.find("items")->size(), 1u) << fleet->body;
  const JsonValue& r0 = fleet->json.find("items")->items()[0];
  EXPECT_EQ(to_json(*r0.find("seenVia")), R"(["cdn","usage"])") << fleet->body;
  EXPECT_EQ(r0.find("reportIntervalSeconds")->as_int64(), 1) << fleet->body;
  EXPECT_EQ(r0.find("status")->as_string(), "healthy");
  EXPECT_EQ(r0.find("configVersion")->as_string(), v1);
  EXPECT_FALSE(r0.find("orbitVersion")->as_string().empty());

  std::string products = read_file(sdl_dir / "products.graphql");
  {
    SCOPED_TRACE("removing Product.name, which Top used: the check fails and says who");
    std::string without = products;
    without.replace(without.find("  name: String!\n"), 16, "");
    auto check = api("POST", "/v1/namespaces/default/subgraphs/products/check",
                     "{\"sdl\":" + json_string(without) + "}");
    ASSERT_EQ(check->status, 200) << check->describe();
    EXPECT_FALSE(check->json.find("ok")->as_bool()) << check->body;
    EXPECT_NE(check->body.find("\"name\":\"Top\""), std::string::npos) << check->body;
    EXPECT_NE(check->body.find("{\"name\":\"web\",\"version\":\"1.0\"}"), std::string::npos)
        << check->body;
  }
  {
    SCOPED_TRACE("removing Product.price, which nobody used: the check passes");
    std::string without = products;
    without.replace(without.find("  price: Int!\n"), 14, "");
    auto check = api("POST", "/v1/namespaces/default/subgraphs/products/check",
                     "{\"sdl\":" + json_string(without) + "}");
    ASSERT_EQ(check->status, 200) << check->describe();
    EXPECT_TRUE(check->json.find("ok")->as_bool()) << check->body;
    EXPECT_NE(check->body.find("\"safe\":true"), std::string::npos) << check->body;
  }
}

TEST_P(ControlplaneE2eTest, BadStartsExitWithAMessage) {
  ChildProcess p;
  ASSERT_EQ(p.start({ORBIT_CONTROLPLANE_BIN, "--data-dir", path("data"), "--token-key",
                     path("token.pem")}),
            "");
  EXPECT_EQ(p.wait(30s), 1);
  EXPECT_NE(p.output().find("--signing-key is required"), std::string::npos) << p.output();
  ChildProcess q;
  ASSERT_EQ(q.start({ORBIT_CONTROLPLANE_BIN, "--data-dir", path("data"), "--token-key",
                     path("token.pem"), "--signing-key", path("token.pub.pem")}),
            "");
  EXPECT_EQ(q.wait(30s), 1);
  EXPECT_NE(q.output().find("--signing-key:"), std::string::npos) << q.output();
  if (GetParam() == "postgresql") {
    ChildProcess r;
    ASSERT_EQ(r.start({ORBIT_CONTROLPLANE_BIN, "--data-dir", path("data"), "--token-key",
                       path("token.pem"), "--signing-key", path("artifacts.pem"), "--database-url",
                       "postgresql://postgres@/orbit?host=/nonexistent&port=1"}),
              "");
    EXPECT_EQ(r.wait(30s), 1);
    EXPECT_NE(r.output().find("cannot connect to PostgreSQL"), std::string::npos) << r.output();
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ControlplaneE2eTest, ::testing::Values("sqlite", "postgresql"),
                         registry::testing::backend_name);

}  // namespace
}  // namespace orbit
