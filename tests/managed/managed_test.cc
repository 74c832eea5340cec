// Managed mode end to end, with real processes: orbit-cdn serving a storage directory,
// orbit-router polling it with a graph token, real subgraphs (tests/scenarios/harness/serve.js,
// @apollo/subgraph), and clients sending requests through the router the whole time.
//
// The story: v1 published, the router serves it; v2 published, the router swaps; a tampered
// v3 (another version's signature) and a v3 signed by an untrusted key are refused and v2
// keeps serving; the CDN is killed and the router serves on; the router is restarted while
// the CDN is down and starts from its last-known-good copy; the CDN comes back with v4 and the
// router picks it up; the token is revoked, the router keeps v4 and logs the refusals. Zero
// failed client requests throughout.
//
// Versions are told apart as in tests/reload: artifact version k adds Query.version_k (seen by
// introspection) and routes products to instance B (names suffixed " (B)") when k is even, so
// each answer says which snapshot served it and must be consistent with it.
//
// Needs `npm ci` in tests/npm-federation (make npm-deps), orbit-router and orbit-cdn.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "orbit/base/json.h"
#include "orbit/cdn/artifact_store.h"
#include "orbit/config/artifact.h"
#include "orbit/config/atomic_file.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/encoding.h"
#include "orbit/security/graph_token.h"
#include "process.h"
#include "versioned_answers.h"

namespace orbit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::check_answer;
using testing::ChildProcess;
using testing::ClientReport;
using testing::HttpConnection;
using testing::HttpResult;
using testing::member;
using testing::read_file;
using testing::replace_all;

const fs::path kScenarios = ORBIT_SCENARIOS_DIR;
const std::string kRouter = ORBIT_ROUTER_BIN;
const std::string kCdn = ORBIT_CDN_BIN;
const std::string kScenario = "root-fields-across-subgraphs";

constexpr std::string_view kQuery =
    R"({"query":"{ topProducts(first: 2) { name } __type(name: \"Query\") { fields { name } } }"})";

// The port in a "… on http://127.0.0.1:PORT…" line.
uint16_t port_in(const std::string& line) {
  static const std::string kOn = "on http://127.0.0.1:";
  size_t at = line.find(kOn);
  return at == std::string::npos ? 0
                                 : static_cast<uint16_t>(std::atoi(line.c_str() + at + kOn.size()));
}

// Clients on keep-alive connections to one router, until stop().
class Clients {
 public:
  Clients(uint16_t port, ClientReport& report, int count = 3) : report_(report) {
    for (int i = 0; i < count; ++i) {
      threads_.emplace_back([this, port] {
        HttpConnection c(port);
        while (!stop_.load()) {
          // Any published version may serve (the test checks which ones it saw).
          int version = check_answer(c.request("POST", "/graphql", std::string(kQuery)),
                                     std::numeric_limits<int>::max(), report_);
          if (version != 0) {
            std::lock_guard<std::mutex> lock(report_.mu);
            ++report_.ok;
            report_.versions.insert(version);
          }
        }
      });
    }
  }
  ~Clients() { stop(); }
  void stop() {
    stop_ = true;
    for (std::thread& t : threads_)
      if (t.joinable()) t.join();
  }
  // Lets the clients send a few more requests.
  void run_a_little(uint64_t n = 10) {
    uint64_t before = report_.total();
    for (int i = 0; i < 1000 && report_.total() < before + n; ++i)
      std::this_thread::sleep_for(5ms);
  }

 private:
  ClientReport& report_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
};

class ManagedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("orbit-managed-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "alt" / "subgraphs");
    fs::create_directories(dir_ / "storage");
    base_supergraph_ = read_file(kScenarios / kScenario / "supergraph.graphql");
    ASSERT_FALSE(base_supergraph_.empty());

    fs::path products = kScenarios / kScenario / "subgraphs";
    fs::copy_file(products / "products.graphql", dir_ / "alt" / "subgraphs" / "products.graphql");
    std::string data = read_file(products / "products.data.json");
    for (const char* name : {"Table", "Couch", "Chair"})
      replace_all(data, "\"" + std::string(name) + "\"", "\"" + std::string(name) + " (B)\"");
    std::ofstream(dir_ / "alt" / "subgraphs" / "products.data.json") << data;
    urls_a_ = start_subgraphs(serve_a_, kScenario);
    urls_b_ = start_subgraphs(serve_b_, (dir_ / "alt").string());
    ASSERT_TRUE(urls_a_.count("accounts") && urls_a_.count("products")) << serve_a_.output();
    ASSERT_TRUE(urls_b_.count("products")) << serve_b_.output();

    // Keys and the token through orbit-cdn's own commands.
    ASSERT_EQ(run_cdn_command({"keygen", "--private-key", path("token.pem"), "--public-key",
                               path("token.pub.pem")}),
              0);
    ASSERT_EQ(run_cdn_command({"keygen", "--private-key", path("artifacts.pem"), "--public-key",
                               path("artifacts.pub.pem")}),
              0);
    std::string out;
    ASSERT_EQ(run_cdn_command({"token", "--private-key", path("token.pem"), "--org", "acme",
                               "--graph", "shop", "--token-id", "router-1", "--ttl", "1h"},
                              &out),
              0);
    token_ = out.substr(0, out.find('\n'));
    ASSERT_TRUE(security::decode_graph_token(token_).ok()) << out;
    signing_ = std::make_unique<security::Ed25519PrivateKey>(
        *security::load_private_key(path("artifacts.pem")));
    ASSERT_TRUE(config::write_file_atomic(path("revoked.txt"), "# no token revoked\n").ok());
    ::setenv("GRAPH_API_TOKEN", token_.c_str(), 1);
  }

  void TearDown() override {
    if (router_) router_->stop();
    if (cdn_) cdn_->stop();
    serve_a_.stop();
    serve_b_.stop();
    ::unsetenv("GRAPH_API_TOKEN");
    fs::remove_all(dir_);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::map<std::string, std::string> start_subgraphs(ChildProcess& p, const std::string& scenario) {
    std::map<std::string, std::string> urls;
    EXPECT_EQ(p.start({"node", (kScenarios / "harness" / "serve.js").string(), scenario}), "");
    auto line = p.wait_for_line([](const std::string& l) { return l.rfind("{", 0) == 0; }, 60s);
    if (!line) return urls;
    Arena arena;
    auto json = parse_json(*line, arena);
    if (!json.ok()) return urls;
    for (const JsonMember& m : json->members())
      urls[std::string(m.key)] = std::string(m.value.as_string());
    return urls;
  }

  int run_cdn_command(std::vector<std::string> args, std::string* output = nullptr) {
    ChildProcess p;
    args.insert(args.begin(), kCdn);
    EXPECT_EQ(p.start(args), "");
    int status = p.wait(30s);
    if (output) *output = p.output();
    EXPECT_EQ(status, 0) << p.output();
    return status;
  }

  std::string supergraph(int k) const {
    std::string sdl = base_supergraph_;
    const std::string anchor = "  me: User @join__field(graph: ACCOUNTS)\n";
    size_t at = sdl.find(anchor);
    EXPECT_NE(at, std::string::npos);
    sdl.insert(at, "  version_" + std::to_string(k) + ": Int @join__field(graph: ACCOUNTS)\n");
    return sdl;
  }

  std::string artifact(int k) const {
    config::RouterArtifact a;
    a.version = "v" + std::to_string(k);
    a.created_at = config::now_rfc3339();
    a.supergraph_sdl = supergraph(k);
    a.subgraphs.push_back({"accounts", urls_a_.at("accounts"), "", {}});
    a.subgraphs.push_back(
        {"products", k % 2 == 0 ? urls_b_.at("products") : urls_a_.at("products"), "", {}});
    return config::write_artifact(a);
  }

  // What the control plane does: the artifact and its signature, atomically.
  void publish(int k) {
    ASSERT_TRUE(
        cdn::ArtifactStore::publish(path("storage"), "acme", "shop", artifact(k), *signing_).ok());
  }
  // Writes storage files directly (tampering).
  void write_storage(const std::string& body, const std::string& signature_file) {
    std::string p = cdn::ArtifactStore::artifact_path(path("storage"), "acme", "shop");
    ASSERT_TRUE(config::write_file_atomic(p, body).ok());
    ASSERT_TRUE(config::write_file_atomic(p + ".sig", signature_file).ok());
  }

  uint16_t start_cdn(uint16_t port = 0) {
    if (cdn_) cdn_->stop();
    cdn_ = std::make_unique<ChildProcess>();
    EXPECT_EQ(cdn_->start({kCdn, "--listen", "127.0.0.1:" + std::to_string(port), "--storage",
                           path("storage"), "--token-public-key", path("token.pub.pem"),
                           "--revocations", path("revoked.txt")}),
              "");
    auto line = cdn_->wait_for_line(
        [](const std::string& l) { return l.find("orbit-cdn serving") != std::string::npos; }, 30s);
    return line ? port_in(*line) : 0;
  }

  void write_router_config(uint16_t cdn_port, const std::string& poll_interval = "200ms") {
    // The first URL has nothing behind it: every poll fails over to the second.
    std::ofstream(dir_ / "router.yaml") << "managed:\n"
                                           "  cdn_urls:\n"
                                           "    - http://127.0.0.1:1\n"
                                           "    - http://127.0.0.1:"
                                        << cdn_port
                                        << "\n"
                                           "  signature_public_key: artifacts.pub.pem\n"
                                           "  state_dir: state\n"
                                        << "  poll_interval: " << poll_interval
                                        << "\n"
                                           "  poll_jitter: 50ms\n"
                                           "  request_timeout: 1s\n"
                                           "  backoff:\n"
                                           "    initial: 100ms\n"
                                           "    max: 400ms\n";
  }

  uint16_t start_router() {
    router_ = std::make_unique<ChildProcess>();
    EXPECT_EQ(router_->start({kRouter, "--config", path("router.yaml"), "--listen", "127.0.0.1:0",
                              "--threads", "2"}),
              "");
    auto line = router_->wait_for_line(
        [](const std::string& l) { return l.find("orbit-router serving") != std::string::npos; },
        60s);
    return line ? port_in(*line) : 0;
  }

  struct Health {
    std::string version;
    std::string source;
    int64_t polls_failed = -1;
    int64_t signature_failures = -1;
    int64_t reloads_failed = -1;
    int64_t reloads_succeeded = -1;
  };
  Health health(uint16_t port) {
    Health h;
    HttpConnection c(port);
    HttpResult r = c.request("GET", "/health");
    if (!r.error.empty() || r.status != 200) return h;
    Arena arena;
    auto json = parse_json(r.body, arena);
    if (!json.ok()) return h;
    if (const JsonValue* v = member(*json, {"config", "version"})) h.version = v->as_string();
    if (const JsonValue* v = member(*json, {"managed", "source"})) h.source = v->as_string();
    if (const JsonValue* v = member(*json, {"managed", "polls", "failed"}))
      h.polls_failed = v->as_int64();
    if (const JsonValue* v = member(*json, {"managed", "signatureFailures"}))
      h.signature_failures = v->as_int64();
    if (const JsonValue* v = member(*json, {"reloads", "failed"})) h.reloads_failed = v->as_int64();
    if (const JsonValue* v = member(*json, {"reloads", "succeeded"}))
      h.reloads_succeeded = v->as_int64();
    return h;
  }
  bool wait_health(uint16_t port, const std::function<bool(const Health&)>& done,
                   std::chrono::milliseconds timeout = 20s) {
    for (auto end = std::chrono::steady_clock::now() + timeout;
         std::chrono::steady_clock::now() < end; std::this_thread::sleep_for(20ms)) {
      if (done(health(port))) return true;
    }
    return false;
  }
  bool router_logged(const std::string& text, std::chrono::milliseconds timeout = 5s) {
    return router_
        ->wait_for_line([&](const std::string& l) { return l.find(text) != std::string::npos; },
                        timeout)
        .has_value();
  }

  fs::path dir_;
  std::string base_supergraph_, token_;
  std::unique_ptr<security::Ed25519PrivateKey> signing_;
  ChildProcess serve_a_, serve_b_;
  std::unique_ptr<ChildProcess> cdn_, router_;
  std::map<std::string, std::string> urls_a_, urls_b_;
};

std::string failures_text(ClientReport& report) {
  std::lock_guard<std::mutex> lock(report.mu);
  std::string all;
  for (const std::string& f : report.failures)
    all += f + "\n";
  return all;
}

TEST_F(ManagedTest, OutlivesTheCdn) {
  // v1 published through the command the operator would use.
  ASSERT_TRUE(config::write_file_atomic(path("v1.json"), artifact(1)).ok());
  ASSERT_EQ(run_cdn_command({"publish", "--storage", path("storage"), "--org", "acme", "--graph",
                             "shop", "--signing-key", path("artifacts.pem"), path("v1.json")}),
            0);
  uint16_t cdn_port = start_cdn();
  ASSERT_NE(cdn_port, 0) << cdn_->output();
  write_router_config(cdn_port);
  uint16_t port = start_router();
  ASSERT_NE(port, 0) << router_->output();
  Health h = health(port);
  EXPECT_EQ(h.version, "v1");
  EXPECT_EQ(h.source, "cdn");

  ClientReport report;
  auto clients = std::make_unique<Clients>(port, report);
  clients->run_a_little();

  {
    SCOPED_TRACE("v2 published: the router swaps");
    publish(2);
    EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.version == "v2"; }))
        << router_->output();
    clients->run_a_little();
  }
  {
    SCOPED_TRACE("v3 with v2's signature: refused, v2 serves on");
    Health before = health(port);
    std::string published_v2 =
        read_file(cdn::ArtifactStore::artifact_path(path("storage"), "acme", "shop"));
    write_storage(artifact(3), security::base64_encode(signing_->sign(published_v2)));
    EXPECT_TRUE(wait_health(
        port, [&](const Health& h) { return h.signature_failures > before.signature_failures; }));
    EXPECT_TRUE(router_logged("does not match the artifact for any trusted key"));
    clients->run_a_little(30);
    EXPECT_EQ(health(port).version, "v2");
  }
  {
    SCOPED_TRACE("v3 signed by an untrusted key: refused");
    security::Ed25519PrivateKey stranger = *security::Ed25519PrivateKey::generate();
    std::string v3 = artifact(3);
    Health before = health(port);
    write_storage(v3, security::write_signature_file(security::sign_artifact(v3, stranger)));
    EXPECT_TRUE(wait_health(port, [&](const Health& h) {
      return h.signature_failures >= before.signature_failures + 2;
    }));
    clients->run_a_little(30);
    EXPECT_EQ(health(port).version, "v2");
  }
  {
    // The storage good again before the outage (v2 republished: new bytes, same label).
    Health before = health(port);
    publish(2);
    EXPECT_TRUE(wait_health(
        port, [&](const Health& h) { return h.reloads_succeeded > before.reloads_succeeded; }));
  }

  {
    SCOPED_TRACE("the CDN killed: the router serves on");
    cdn_->signal(SIGKILL);
    cdn_->wait(5s);
    Health before = health(port);
    EXPECT_TRUE(wait_health(port, [&](const Health& h) {
      return h.polls_failed >= before.polls_failed + 3;
    })) << router_->output();
    clients->run_a_little(50);
    EXPECT_EQ(health(port).version, "v2");
    EXPECT_TRUE(router_logged("CDN poll failed"));
  }

  {
    SCOPED_TRACE("the router restarted while the CDN is down: last-known-good");
    clients->stop();
    EXPECT_EQ(router_->stop(), 0) << router_->output();
    port = start_router();
    ASSERT_NE(port, 0) << router_->output();
    Health restarted = health(port);
    EXPECT_EQ(restarted.version, "v2");
    EXPECT_EQ(restarted.source, "last-known-good");
    EXPECT_TRUE(router_logged("starting from the last-known-good config version v2"))
        << router_->output();
    HttpConnection c(port);
    EXPECT_EQ(c.request("GET", "/health/ready").status, 200);
    clients = std::make_unique<Clients>(port, report);
    clients->run_a_little(50);
  }

  {
    SCOPED_TRACE("the CDN back with v4: picked up");
    publish(4);
    ASSERT_EQ(start_cdn(cdn_port), cdn_port) << cdn_->output();
    EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.version == "v4"; }))
        << router_->output();
    EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.source == "cdn"; }));
    clients->run_a_little();
  }

  {
    SCOPED_TRACE("the token revoked: v4 serves on, the refusals are logged");
    ASSERT_TRUE(config::write_file_atomic(path("revoked.txt"), "router-1\n").ok());
    EXPECT_TRUE(cdn_->wait_for_line(
        [](const std::string& l) { return l.find("\"reason\":\"revoked\"") != std::string::npos; },
        10s))
        << cdn_->output();
    publish(5);
    EXPECT_TRUE(router_logged("the CDN refused the graph token (403"));
    clients->run_a_little(50);
    EXPECT_EQ(health(port).version, "v4");
  }

  clients->stop();
  EXPECT_EQ(report.failed, 0u) << failures_text(report);
  EXPECT_GT(report.ok, 200u);
  for (int k : {1, 2, 4})
    EXPECT_TRUE(report.versions.count(k)) << "no request was served by v" << k;
  EXPECT_FALSE(report.versions.count(3));
  EXPECT_FALSE(report.versions.count(5));
  std::printf("%llu requests answered, none failed; versions served:",
              static_cast<unsigned long long>(report.ok));
  for (int k : report.versions)
    std::printf(" v%d", k);
  std::printf("\n");

  // The CDN's access log: JSON lines naming the token id, never the token.
  std::string cdn_log = cdn_->output();
  EXPECT_NE(cdn_log.find("\"tokenId\":\"router-1\""), std::string::npos);
  EXPECT_EQ(cdn_log.find(token_), std::string::npos);
  HttpConnection c(port);
  HttpResult metrics = c.request("GET", "/metrics");
  EXPECT_NE(metrics.body.find("orbit_router_cdn_polls_total{result=\"failed\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("orbit_router_config_info{version=\"v4\""), std::string::npos);
  EXPECT_EQ(router_->stop(), 0);
}

TEST_F(ManagedTest, NeverServesWithoutAConfig) {
  // The CDN down and no last-known-good copy: the router listens but is not ready.
  uint16_t cdn_port = start_cdn();
  ASSERT_NE(cdn_port, 0);
  cdn_->stop();
  write_router_config(cdn_port);
  uint16_t port = start_router();
  ASSERT_NE(port, 0) << router_->output();
  EXPECT_TRUE(router_logged("no config to serve"));
  EXPECT_TRUE(router_logged("no graph yet (not ready)"));
  HttpConnection c(port);
  EXPECT_EQ(c.request("GET", "/health/ready").status, 503);
  HttpResult gql = c.request("POST", "/graphql", std::string(kQuery));
  EXPECT_EQ(gql.status, 503);
  EXPECT_NE(gql.body.find("no graph loaded yet"), std::string::npos) << gql.body;

  // Published, the CDN up: the router becomes ready on its own.
  publish(1);
  ASSERT_EQ(start_cdn(cdn_port), cdn_port) << cdn_->output();
  EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.version == "v1"; }))
      << router_->output();
  EXPECT_EQ(c.request("GET", "/health/ready").status, 200);
  EXPECT_EQ(c.request("POST", "/graphql", std::string(kQuery)).status, 200);
}

TEST_F(ManagedTest, SighupPollsAtOnce) {
  // Polls 30 minutes apart: only SIGHUP can bring v2 in within the test.
  publish(1);
  uint16_t cdn_port = start_cdn();
  ASSERT_NE(cdn_port, 0) << cdn_->output();
  write_router_config(cdn_port, "30m");
  uint16_t port = start_router();
  ASSERT_NE(port, 0) << router_->output();
  EXPECT_EQ(health(port).version, "v1");
  publish(2);
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(health(port).version, "v1");  // no poll due yet
  router_->signal(SIGHUP);
  EXPECT_TRUE(router_logged("SIGHUP: polling the CDN now"));
  EXPECT_TRUE(wait_health(
      port, [](const Health& h) { return h.version == "v2"; }, 10s))
      << router_->output();
  HttpConnection c(port);
  HttpResult gql = c.request("POST", "/graphql", std::string(kQuery));
  EXPECT_EQ(gql.status, 200) << gql.body;
  // Still serving after more signals, with nothing new to fetch (a 304).
  router_->signal(SIGHUP);
  router_->signal(SIGHUP);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(health(port).version, "v2");
  EXPECT_EQ(c.request("POST", "/graphql", std::string(kQuery)).status, 200);
}

TEST_F(ManagedTest, BadManagedStartsExitWithAMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  ::unsetenv("GRAPH_API_TOKEN");
  const Case cases[] = {
      {{"--cdn-url", "http://127.0.0.1:1", "--signature-public-key", path("artifacts.pub.pem")},
       "managed mode: no graph token (set GRAPH_API_TOKEN or managed.graph_token)"},
      {{"--cdn-url", "http://127.0.0.1:1", "--graph-token", token_},
       "no public key to verify config artifacts"},
      {{"--cdn-url", "ftp://cdn", "--graph-token", token_}, "--cdn-url: expected an http://"},
      {{"--cdn-url", "http://127.0.0.1:1", "--graph-token", "nonsense", "--signature-public-key",
        path("artifacts.pub.pem")},
       "the graph token is not a graph token"},
      {{"--cdn-url", "http://127.0.0.1:1", "--graph-token", token_, "--signature-public-key",
        path("artifacts.pem")},
       "holds a private key"},
      {{"--cdn-url", "http://127.0.0.1:1", "--graph-token", token_, "--signature-public-key",
        path("artifacts.pub.pem"), "--artifact", path("x.json")},
       "do not set an artifact or supergraph file as well"},
      {{"--graph-token", token_}, "are for managed mode"},
  };
  for (const Case& c : cases) {
    ChildProcess p;
    std::vector<std::string> args = {kRouter};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.insert(args.end(), {"--listen", "127.0.0.1:0"});
    ASSERT_EQ(p.start(args), "");
    EXPECT_EQ(p.wait(30s), 1) << p.output();
    EXPECT_NE(p.output().find(c.message), std::string::npos) << p.output();
  }
}

}  // namespace
}  // namespace orbit
