// The managed-mode end-to-end fixture shared by managed_test and cdn_faults_test: real
// subgraphs (two instances of a scenario; instance B's product names end in " (B)"), keys and
// a graph token made with orbit-cdn's own commands, versioned signed artifacts (version k adds
// Query.version_k and routes products to instance B when k is even), orbit-cdn and
// orbit-router as processes, /health read back, and clients sending requests the whole time.
//
// Needs `npm ci` in tests/npm-federation (make npm-deps), orbit-router and orbit-cdn.
#pragma once

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

namespace orbit::managed_testing {

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

inline const fs::path kScenarios = ORBIT_SCENARIOS_DIR;
inline const std::string kRouter = ORBIT_ROUTER_BIN;
inline const std::string kCdn = ORBIT_CDN_BIN;
inline const std::string kScenario = "root-fields-across-subgraphs";

inline constexpr std::string_view kQuery =
    R"({"query":"{ topProducts(first: 2) { name } __type(name: \"Query\") { fields { name } } }"})";

// The port in a "… on http://127.0.0.1:PORT…" line.
inline uint16_t port_in(const std::string& line) {
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

class ManagedFixture : public ::testing::Test {
 protected:
  // `dir_prefix` names the test's temporary directory (with the pid and the test name).
  explicit ManagedFixture(std::string dir_prefix) : dir_prefix_(std::move(dir_prefix)) {}

  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           (dir_prefix_ + std::to_string(::getpid()) + "-" +
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
    return testing::start_scenario_subgraphs(p, kScenarios, scenario);
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

  // `fail_over`: a first URL with nothing behind it, so every poll fails over to the CDN.
  void write_router_config(uint16_t cdn_port, const std::string& poll_interval = "200ms",
                           bool fail_over = true) {
    std::ofstream(dir_ / "router.yaml")
        << "managed:\n"
           "  cdn_urls:\n"
        << (fail_over ? "    - http://127.0.0.1:1\n" : "") << "    - http://127.0.0.1:" << cdn_port
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
    int64_t polls_rejected = -1;
    int64_t consecutive_failures = -1;
    std::string last_error;
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
    if (const JsonValue* v = member(*json, {"managed", "polls", "rejected"}))
      h.polls_rejected = v->as_int64();
    if (const JsonValue* v = member(*json, {"managed", "consecutiveFailures"}))
      h.consecutive_failures = v->as_int64();
    if (const JsonValue* v = member(*json, {"managed", "lastError"})) h.last_error = v->as_string();
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

  // Whether the router logged `text` on a line it printed after line number `from`.
  bool router_logged_since(size_t from, const std::string& text,
                           std::chrono::milliseconds timeout = 5s) {
    for (auto end = std::chrono::steady_clock::now() + timeout;
         std::chrono::steady_clock::now() < end; std::this_thread::sleep_for(20ms)) {
      std::vector<std::string> lines = router_->lines();
      for (size_t i = from; i < lines.size(); ++i)
        if (lines[i].find(text) != std::string::npos) return true;
    }
    return false;
  }

  std::string dir_prefix_;
  fs::path dir_;
  std::string base_supergraph_, token_;
  std::unique_ptr<security::Ed25519PrivateKey> signing_;
  ChildProcess serve_a_, serve_b_;
  std::unique_ptr<ChildProcess> cdn_, router_;
  std::map<std::string, std::string> urls_a_, urls_b_;
};

inline std::string failures_text(ClientReport& report) {
  std::lock_guard<std::mutex> lock(report.mu);
  std::string all;
  for (const std::string& f : report.failures)
    all += f + "\n";
  return all;
}

}  // namespace orbit::managed_testing
