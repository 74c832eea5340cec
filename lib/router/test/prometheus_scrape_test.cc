// A real Prometheus server (Debian's /usr/bin/prometheus, scripts/install-deps) scrapes the
// router's Prometheus listener every second; the test sends requests and reads
// orbit_router_requests_total back through Prometheus's HTTP API (/api/v1/query).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "../src/router_metrics.h"
#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/net/http_server.h"
#include "orbit/router/router_server.h"

extern char** environ;

namespace orbit::router {
namespace {

constexpr const char* kPrometheus = "/usr/bin/prometheus";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A port free at the time of asking (Prometheus takes no port 0).
uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string url_encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '_' || c == '-' || c == '.') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// The Prometheus process: started with a temp config and storage, stopped (SIGTERM, then
// SIGKILL) by the destructor.
class PrometheusProcess {
 public:
  PrometheusProcess(const std::string& dir, uint16_t target_port, uint16_t port) : dir_(dir) {
    std::ofstream(dir + "/prometheus.yml") << "global:\n"
                                              "  scrape_interval: 1s\n"
                                              "  scrape_timeout: 1s\n"
                                              "scrape_configs:\n"
                                              "  - job_name: orbit-router\n"
                                              "    static_configs:\n"
                                              "      - targets: ['127.0.0.1:"
                                           << target_port << "']\n";
    std::vector<std::string> args = {kPrometheus, "--config.file=" + dir + "/prometheus.yml",
                                     "--storage.tsdb.path=" + dir + "/data",
                                     "--web.listen-address=127.0.0.1:" + std::to_string(port),
                                     "--log.level=warn"};
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    std::string log = dir + "/prometheus.log";
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    if (posix_spawn(&pid_, kPrometheus, &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~PrometheusProcess() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  bool started() const { return pid_ > 0; }
  std::string log() const { return read_file(dir_ + "/prometheus.log"); }

 private:
  std::string dir_;
  pid_t pid_ = -1;
};

class PrometheusScrapeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/orbit-prometheus-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    loops_.start();
    subgraph_ = std::make_unique<net::HttpServer>(
        loops_.loops(), net::HttpServerOptions{},
        [](net::HttpRequest&&, net::HttpResponder responder) {
          responder.send(200, {{"Content-Type", "application/json"}},
                         R"({"data":{"me":{"name":"Ada"}}})");
        });
    ASSERT_TRUE(subgraph_->start().ok());
  }
  void TearDown() override {
    prometheus_.reset();
    if (router_) router_->stop(std::chrono::milliseconds(100));
    router_.reset();
    subgraph_->stop(std::chrono::milliseconds(100));
    subgraph_.reset();
    run_on_loop([this] { client_.reset(); });
    loops_.stop();
    std::filesystem::remove_all(dir_);
  }

  void run_on_loop(std::function<void()> fn) {
    std::promise<void> done;
    loops_.loop(0).post([&] {
      fn();
      done.set_value();
    });
    done.get_future().get();
  }

  Result<net::HttpClientResponse> send(net::HttpClientRequest request) {
    run_on_loop([this] {
      if (!client_) client_ = std::make_unique<net::HttpClient>(loops_.loop(0));
    });
    std::promise<Result<net::HttpClientResponse>> done;
    loops_.loop(0).post([&] {
      client_->fetch(request,
                     [&](Result<net::HttpClientResponse> r) { done.set_value(std::move(r)); });
    });
    return done.get_future().get();
  }

  // The value of a PromQL instant query with one result; -1 without one.
  double promql(uint16_t port, std::string_view query) {
    net::HttpClientRequest request;
    request.method = "GET";
    request.url =
        "http://127.0.0.1:" + std::to_string(port) + "/api/v1/query?query=" + url_encode(query);
    auto r = send(std::move(request));
    if (!r.ok() || r->status != 200) return -1;
    Arena arena;
    auto body = parse_json(r->body, arena);
    if (!body.ok()) return -1;
    const JsonValue* data = body->find("data");
    const JsonValue* result = data ? data->find("result") : nullptr;
    if (result == nullptr || result->size() != 1) return -1;
    const JsonValue* value = result->items()[0].find("value");
    if (value == nullptr || value->size() != 2) return -1;
    return std::stod(std::string(value->items()[1].as_string()));
  }

  std::string dir_;
  net::LoopGroup loops_{2};
  std::unique_ptr<net::HttpServer> subgraph_;
  std::unique_ptr<RouterServer> router_;
  std::unique_ptr<PrometheusProcess> prometheus_;
  std::unique_ptr<net::HttpClient> client_;
};

TEST_F(PrometheusScrapeTest, PrometheusScrapesTheRouterAndAnswersItsCounter) {
  ASSERT_EQ(::access(kPrometheus, X_OK), 0)
      << kPrometheus << " is missing: scripts/install-deps installs the prometheus package";
  std::string yaml =
      "listen: 127.0.0.1:0\n"
      "subgraphs:\n  accounts:\n    url: http://127.0.0.1:" +
      std::to_string(subgraph_->port()) +
      "/\n"
      "telemetry:\n  metrics:\n    prometheus: {listen: 127.0.0.1:0}\n";
  auto config = parse_router_config(yaml, "router.yaml");
  ASSERT_TRUE(config.ok()) << config.status().message();
  auto snapshot = GraphSnapshot::build(read_file(ORBIT_TEST_DATA_DIR "/shop.graphql"), *config);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
  router_ = std::make_unique<RouterServer>(loops_, *config, *snapshot);
  ASSERT_TRUE(router_->start().ok());
  const uint16_t target = router_->metrics().prometheus_port();
  ASSERT_NE(target, 0);

  const uint16_t port = free_port();
  prometheus_ = std::make_unique<PrometheusProcess>(dir_, target, port);
  ASSERT_TRUE(prometheus_->started());

  constexpr int kRequests = 7;
  for (int i = 0; i < kRequests; ++i) {
    net::HttpClientRequest request;
    request.method = "POST";
    request.url = "http://127.0.0.1:" + std::to_string(router_->port()) + "/graphql";
    request.headers = {{"Content-Type", "application/json"}, {"graphql-client-name", "scraper"}};
    request.body = R"({"query":"query Me { me { name } }"})";
    auto r = send(std::move(request));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 200);
  }

  // Prometheus scrapes every second; ask until it has a scrape taken after the requests.
  const std::string query =
      R"(sum(orbit_router_requests_total{operation_name="Me",client_name="scraper",result="ok"}))";
  double value = -1;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(12);
  while (std::chrono::steady_clock::now() < deadline) {
    value = promql(port, query);
    if (value == kRequests) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(value, kRequests) << prometheus_->log();
  // The scrape itself was healthy.
  EXPECT_EQ(promql(port, "up{job=\"orbit-router\"}"), 1);
  EXPECT_EQ(promql(port, "scrape_samples_scraped{job=\"orbit-router\"}") > 10, true);
}

}  // namespace
}  // namespace orbit::router
