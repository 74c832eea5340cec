// Scale: several routers behind a load balancer, fed by one control plane. Real processes on
// loopback: a PostgreSQL server (tests/controlplane/pg_fixture.sh), orbit-controlplane on it,
// orbit-cdn serving the storage the control plane publishes into, the scenario subgraphs
// (tests/scenarios/harness/serve.js), three orbit-router processes in managed mode polling
// the CDN, and Debian's nginx in front of them with a config generated into a temporary
// directory (no daemon, its logs and pid file in that directory).
//
// The story: the graph is published and every router serves it; clients send requests
// through nginx the whole time; a new version of a subgraph is published through the API;
// every router reports the new config version on /health within poll interval + jitter (plus
// a small margin for the download and the load); not one client request fails; nginx spread
// the requests over all three routers; the new field is served through nginx.
//
// Needs `npm ci` in tests/npm-federation (make npm-deps) and nginx (scripts/install-deps).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "api_call.h"
#include "backends.h"
#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/security/ed25519.h"
#include "process.h"

namespace orbit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::http;
using testing::json_string;
using Answer = testing::Reply;
using testing::HttpConnection;
using testing::HttpResult;
using testing::read_file;

const fs::path kScenarios = ORBIT_SCENARIOS_DIR;
const std::string kScenario = "root-fields-across-subgraphs";
const std::string kBootstrapKey =
    "orbit_0123456789abcdef_b3JiaXQtc2NhbGUtYm9vdHN0cmFwLWtleS0zMmJ5dGU";
constexpr int kRouters = 3;
constexpr auto kPollInterval = 500ms;
constexpr auto kPollJitter = 200ms;
// Time for one download, the signature check and loading the artifact, on a loaded machine
// with a sanitizer build.
constexpr auto kMargin = 500ms;
const std::string kQuery = R"({"query":"{ topProducts(first: 2) { upc name } me { name } }"})";

uint16_t port_in(const std::string& line) {
  static const std::string kOn = "on http://127.0.0.1:";
  size_t at = line.find(kOn);
  return at == std::string::npos ? 0
                                 : static_cast<uint16_t>(std::atoi(line.c_str() + at + kOn.size()));
}

// A port nobody listens on right now (nginx cannot report the port it picked for port 0).
uint16_t free_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

bool accepts_connections(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

class ScaleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("orbit-scale-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "storage");
    fs::create_directories(dir_ / "data");
    fs::create_directories(dir_ / "nginx");
    std::string error;
    database_url_ = registry::testing::PostgresServer::instance()->new_database(&error);
    ASSERT_FALSE(database_url_.empty()) << error;
    ASSERT_TRUE(security::generate_key_files(path("token.pem"), path("token.pub.pem")).ok());
    ASSERT_TRUE(
        security::generate_key_files(path("artifacts.pem"), path("artifacts.pub.pem")).ok());
    urls_ = testing::start_scenario_subgraphs(subgraphs_, kScenarios, kScenario);
    ASSERT_FALSE(urls_.empty()) << subgraphs_.output();
    ASSERT_TRUE(urls_.count("accounts") && urls_.count("products"));
  }

  void TearDown() override {
    if (nginx_) nginx_->stop();
    for (auto& router : routers_)
      router->stop();
    if (cdn_) cdn_->stop();
    if (controlplane_) controlplane_->stop();
    subgraphs_.stop();
    ::unsetenv("GRAPH_API_TOKEN");
    ::unsetenv("ORBIT_BOOTSTRAP_API_KEY");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  uint16_t start_controlplane() {
    controlplane_ = std::make_unique<ChildProcess>();
    ::setenv("ORBIT_BOOTSTRAP_API_KEY", kBootstrapKey.c_str(), 1);
    EXPECT_EQ(controlplane_->start({ORBIT_CONTROLPLANE_BIN, "--listen", "127.0.0.1:0", "--data-dir",
                                    path("data"), "--cdn-storage", path("storage"), "--revocations",
                                    path("revoked.txt"), "--signing-key", path("artifacts.pem"),
                                    "--token-key", path("token.pem"), "--org", "acme",
                                    "--database-url", database_url_}),
              "");
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

  uint16_t start_router(int n, uint16_t cdn_port) {
    fs::path home = dir_ / ("router-" + std::to_string(n));
    fs::create_directories(home);
    std::ofstream(home / "router.yaml") << "managed:\n"
                                           "  cdn_urls:\n"
                                           "    - http://127.0.0.1:"
                                        << cdn_port
                                        << "\n"
                                           "  signature_public_key: "
                                        << path("artifacts.pub.pem")
                                        << "\n"
                                           "  state_dir: state\n"
                                           "  poll_interval: "
                                        << kPollInterval.count()
                                        << "ms\n"
                                           "  poll_jitter: "
                                        << kPollJitter.count()
                                        << "ms\n"
                                           "  request_timeout: 1s\n";
    auto router = std::make_unique<ChildProcess>();
    EXPECT_EQ(router->start({ORBIT_ROUTER_BIN, "--config", (home / "router.yaml").string(),
                             "--listen", "127.0.0.1:0", "--threads", "1"}),
              "");
    auto line = router->wait_for_line(
        [](const std::string& l) { return l.find("orbit-router serving") != std::string::npos; },
        60s);
    routers_.push_back(std::move(router));
    return line ? port_in(*line) : 0;
  }

  // nginx in the foreground, everything it writes in dir_/nginx; returns its port.
  uint16_t start_nginx(const std::vector<uint16_t>& routers) {
    fs::path prefix = dir_ / "nginx";
    for (int attempt = 0; attempt < 3; ++attempt) {
      uint16_t port = free_port();
      std::ostringstream conf;
      conf << (::geteuid() == 0 ? "user root;\n" : "") << "worker_processes 1;\n"
           << "error_log " << (prefix / "error.log").string() << " info;\n"
           << "pid " << (prefix / "nginx.pid").string() << ";\n"
           << "events { worker_connections 256; }\n"
           << "http {\n"
           << "  log_format routed '$upstream_addr $status';\n"
           << "  access_log " << (prefix / "access.log").string() << " routed;\n";
      for (const char* temp : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"})
        conf << "  " << temp << "_temp_path " << (prefix / temp).string() << ";\n";
      conf << "  upstream routers {\n";
      for (uint16_t p : routers)
        conf << "    server 127.0.0.1:" << p << ";\n";
      conf << "    keepalive 16;\n"
           << "    keepalive_timeout 50s;\n"  // below the routers' idle timeout (60 s)
           << "  }\n"
           << "  server {\n"
           << "    listen 127.0.0.1:" << port << ";\n"
           << "    location / {\n"
           << "      proxy_pass http://routers;\n"
           << "      proxy_http_version 1.1;\n"
           << "      proxy_set_header Connection \"\";\n"
           << "    }\n"
           << "  }\n"
           << "}\n";
      std::ofstream(prefix / "nginx.conf") << conf.str();
      nginx_ = std::make_unique<ChildProcess>();
      EXPECT_EQ(nginx_->start({ORBIT_NGINX_BIN, "-p", prefix.string() + "/", "-e",
                               (prefix / "error.log").string(), "-c",
                               (prefix / "nginx.conf").string(), "-g", "daemon off;"}),
                "");
      for (int i = 0; i < 500; ++i) {
        if (accepts_connections(port)) return port;
        if (nginx_->wait(0ms) != -1) break;  // exited: the port was taken meanwhile, or worse
        std::this_thread::sleep_for(10ms);
      }
      nginx_->stop();
    }
    return 0;
  }

  std::unique_ptr<Answer> api(const std::string& method, const std::string& target,
                              const std::string& body = "") {
    return http(api_port_, method, target, body, {{"Authorization", "Bearer " + kBootstrapKey}});
  }

  std::string router_version(uint16_t port) {
    return http(port, "GET", "/health")->str({"config", "version"});
  }

  fs::path dir_;
  std::string database_url_;
  std::unique_ptr<ChildProcess> controlplane_, cdn_, nginx_;
  std::vector<std::unique_ptr<ChildProcess>> routers_;
  ChildProcess subgraphs_;
  std::map<std::string, std::string> urls_;
  uint16_t api_port_ = 0;
};

TEST_F(ScaleTest, PublishReachesThreeRoutersBehindNginxWithoutAFailedRequest) {
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
    auto sub = api("POST", "/v1/namespaces/default/subgraphs",
                   std::string(R"({"name":")") + name + R"(","routingUrl":)" +
                       json_string(urls_.at(name)) + R"(,"labels":"env=prod"})");
    ASSERT_EQ(sub->status, 201) << sub->describe();
    auto published =
        api("POST", std::string("/v1/namespaces/default/subgraphs/") + name + "/publish",
            "{\"sdl\":" + json_string(read_file(sdl_dir / (std::string(name) + ".graphql"))) + "}");
    ASSERT_EQ(published->status, 200) << published->describe();
  }
  std::string v1 = api("GET", "/v1/namespaces/default/graphs/shop")
                       ->str({"graph", "servedComposition", "artifactVersion"});
  ASSERT_FALSE(v1.empty());
  auto token = api("POST", "/v1/namespaces/default/graphs/shop/tokens", R"({"name":"routers"})");
  ASSERT_EQ(token->status, 201) << token->describe();
  ::setenv("GRAPH_API_TOKEN", token->str({"secret"}).c_str(), 1);

  std::vector<uint16_t> ports;
  for (int n = 0; n < kRouters; ++n) {
    uint16_t port = start_router(n, cdn_port);
    ASSERT_NE(port, 0) << routers_.back()->output();
    ports.push_back(port);
  }
  for (int n = 0; n < kRouters; ++n) {
    bool serving = false;
    for (int i = 0; i < 500 && !serving; ++i) {
      serving = router_version(ports[n]) == v1;
      if (!serving) std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(serving) << routers_[n]->output();
  }
  auto expected = http(ports[0], "POST", "/graphql", kQuery);
  ASSERT_EQ(expected->status, 200) << expected->describe();
  ASSERT_EQ(expected->body.find("\"errors\""), std::string::npos) << expected->body;
  ASSERT_NE(expected->body.find("\"topProducts\":[{\"upc\""), std::string::npos) << expected->body;

  uint16_t lb = start_nginx(ports);
  ASSERT_NE(lb, 0) << nginx_->output() << read_file(dir_ / "nginx" / "error.log");

  // Clients through nginx, each on its own keep-alive connection, until the end.
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> ok{0}, failed{0};
  std::mutex mu;
  std::vector<std::string> failures;
  std::vector<std::thread> clients;
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back([&] {
      HttpConnection c(lb);
      while (!stop.load()) {
        HttpResult r = c.request("POST", "/graphql", kQuery);
        if (r.error.empty() && r.status == 200 && r.body == expected->body) {
          ++ok;
          continue;
        }
        ++failed;
        std::lock_guard<std::mutex> lock(mu);
        if (failures.size() < 10)
          failures.push_back(r.error.empty() ? std::to_string(r.status) + " " + r.body : r.error);
      }
    });
  }
  auto stop_clients = [&] {
    stop = true;
    for (std::thread& t : clients)
      if (t.joinable()) t.join();
  };
  for (int i = 0; i < 500 && ok.load() < 50; ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_GE(ok.load(), 50u);

  // The rollout: a new version of the accounts subgraph.
  std::string more = read_file(sdl_dir / "accounts.graphql");
  more.replace(more.find("  users: [User!]!"), 17, "  users: [User!]!\n  userCount: Int");
  uint64_t ok_before = ok.load();
  auto published = api("POST", "/v1/namespaces/default/subgraphs/accounts/publish",
                       "{\"sdl\":" + json_string(more) + "}");
  auto published_at = std::chrono::steady_clock::now();
  if (published->status != 200) stop_clients();
  ASSERT_EQ(published->status, 200) << published->describe();
  std::string v2 = api("GET", "/v1/namespaces/default/graphs/shop")
                       ->str({"graph", "servedComposition", "artifactVersion"});
  ASSERT_NE(v2, v1);

  const auto bound = kPollInterval + kPollJitter + kMargin;
  std::vector<std::chrono::milliseconds> took(kRouters, -1ms);
  for (int left = kRouters; left > 0 && std::chrono::steady_clock::now() < published_at + 10s;) {
    for (int n = 0; n < kRouters; ++n) {
      if (took[n] >= 0ms || router_version(ports[n]) != v2) continue;
      took[n] = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - published_at);
      --left;
    }
    std::this_thread::sleep_for(5ms);
  }
  // A little more traffic on the new version everywhere, then the clients stop.
  uint64_t ok_at_v2 = ok.load();
  for (int i = 0; i < 500 && ok.load() < ok_at_v2 + 50; ++i)
    std::this_thread::sleep_for(10ms);
  stop_clients();

  for (int n = 0; n < kRouters; ++n) {
    std::printf("router %d: %s after %lld ms (bound %lld ms)\n", n, v2.c_str(),
                static_cast<long long>(took[n].count()), static_cast<long long>(bound.count()));
    EXPECT_GE(took[n], 0ms) << "router " << n << " never reported " << v2 << "\n"
                            << routers_[n]->output();
    EXPECT_LE(took[n], bound) << "router " << n;
  }
  std::printf("client requests through nginx: %llu ok (%llu during the rollout), %llu failed\n",
              static_cast<unsigned long long>(ok.load()),
              static_cast<unsigned long long>(ok_at_v2 - ok_before),
              static_cast<unsigned long long>(failed.load()));
  RecordProperty("requests_ok", static_cast<int>(ok.load()));
  EXPECT_EQ(failed.load(), 0u) << [&] {
    std::string all;
    for (const std::string& f : failures)
      all += f + "\n";
    return all;
  }();
  EXPECT_GT(ok_at_v2, ok_before);  // requests were served during the rollout

  // The new field is served through nginx, whichever router answers.
  for (int i = 0; i < 2 * kRouters; ++i) {
    auto fields = http(lb, "POST", "/graphql",
                       R"({"query":"{ __type(name: \"Query\") { fields { name } } }"})");
    EXPECT_EQ(fields->status, 200) << fields->describe();
    EXPECT_NE(fields->body.find("userCount"), std::string::npos) << fields->body;
  }

  // nginx spread the requests over the three routers.
  nginx_->stop();
  std::map<std::string, int> per_router;
  std::istringstream log(read_file(dir_ / "nginx" / "access.log"));
  for (std::string line; std::getline(log, line);)
    ++per_router[line.substr(0, line.find(' '))];
  for (uint16_t p : ports) {
    std::string upstream = "127.0.0.1:" + std::to_string(p);
    std::printf("%s answered %d requests\n", upstream.c_str(), per_router[upstream]);
    EXPECT_GT(per_router[upstream], 0) << upstream;
  }
}

}  // namespace
}  // namespace orbit
