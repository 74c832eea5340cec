// The autonomous deployment end to end, with real processes: orbit-router started on a config
// artifact, real subgraphs (tests/scenarios/harness/serve.js, @apollo/subgraph), and the
// artifact file replaced while clients keep sending requests.
//
// Subgraphs: the scenario root-fields-across-subgraphs (accounts, products) — served twice for
// products: instance A with the scenario's data, instance B with every product name suffixed
// " (B)". Artifact version k adds the field `version_k` to Query (a schema change visible to
// introspection) and routes products to B when k is even (an answer change). Each response
// says which version served it (the version_k field it introspects) and must be consistent with
// it (B's names exactly when k is even): a request never mixes two snapshots.
//
// Needs `npm ci` in tests/npm-federation (make npm-deps) and the orbit-router executable.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "orbit/base/json.h"
#include "orbit/config/artifact.h"
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
const std::string kScenario = "root-fields-across-subgraphs";

constexpr std::string_view kQuery =
    R"({"query":"{ topProducts(first: 2) { name } __type(name: \"Query\") { fields { name } } }"})";

// How a new version of the file reaches the disk.
enum class Write {
  kRename,   // write a temporary file, rename it over the old one
  kInPlace,  // truncate and write the file itself
  kEditor,   // move the old file to a backup, write a new file, delete the backup
};

class ReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("orbit-reload-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "alt" / "subgraphs");
    artifact_path_ = (dir_ / "router.json").string();
    base_supergraph_ = read_file(kScenarios / kScenario / "supergraph.graphql");
    ASSERT_FALSE(base_supergraph_.empty());

    // Instance B of products: the same SDL, other names.
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
  }

  void TearDown() override {
    router_.stop();
    serve_a_.stop();
    serve_b_.stop();
    fs::remove_all(dir_);
  }

  std::map<std::string, std::string> start_subgraphs(ChildProcess& p, const std::string& scenario) {
    return testing::start_scenario_subgraphs(p, kScenarios, scenario);
  }

  // The supergraph of version k: the scenario's, plus Query.version_k.
  std::string supergraph(int k) const {
    std::string sdl = base_supergraph_;
    const std::string anchor = "  me: User @join__field(graph: ACCOUNTS)\n";
    size_t at = sdl.find(anchor);
    EXPECT_NE(at, std::string::npos);
    sdl.insert(at, "  version_" + std::to_string(k) + ": Int @join__field(graph: ACCOUNTS)\n");
    return sdl;
  }

  config::RouterArtifact artifact(int k) const {
    config::RouterArtifact a;
    a.version = "v" + std::to_string(k);
    a.created_at = config::now_rfc3339();
    a.supergraph_sdl = supergraph(k);
    a.subgraphs.push_back({"accounts", urls_a_.at("accounts"), "", {}});
    a.subgraphs.push_back(
        {"products", k % 2 == 0 ? urls_b_.at("products") : urls_a_.at("products"), "", {}});
    return a;
  }

  void write_file(const std::string& text, Write how, const std::string& path = {}) {
    const std::string& target = path.empty() ? artifact_path_ : path;
    switch (how) {
      case Write::kRename: {
        std::string tmp = target + ".tmp";
        std::ofstream(tmp, std::ios::trunc | std::ios::binary) << text;
        fs::rename(tmp, target);
        break;
      }
      case Write::kInPlace:
        std::ofstream(target, std::ios::trunc | std::ios::binary) << text;
        break;
      case Write::kEditor: {
        std::string backup = target + "~";
        fs::rename(target, backup);
        std::ofstream(target, std::ios::trunc | std::ios::binary) << text;
        fs::remove(backup);
        break;
      }
    }
  }

  // Starts orbit-router with `args` (plus --listen 127.0.0.1:0) and returns its port, 0 when
  // it did not come up.
  uint16_t start_router(std::vector<std::string> args) {
    args.insert(args.begin(), kRouter);
    args.insert(args.end(), {"--listen", "127.0.0.1:0", "--threads", "2"});
    EXPECT_EQ(router_.start(args), "");
    static const std::string kServing = "on http://127.0.0.1:";
    auto line = router_.wait_for_line(
        [](const std::string& l) { return l.find(kServing) != std::string::npos; }, 60s);
    if (!line) return 0;
    return static_cast<uint16_t>(std::atoi(line->c_str() + line->find(kServing) + kServing.size()));
  }

  struct Health {
    std::string version;
    int64_t succeeded = -1;
    int64_t failed = -1;
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
    if (const JsonValue* v = member(*json, {"reloads", "succeeded"})) h.succeeded = v->as_int64();
    if (const JsonValue* v = member(*json, {"reloads", "failed"})) h.failed = v->as_int64();
    return h;
  }

  // Polls /health until `done` holds; false after 20 s.
  bool wait_health(uint16_t port, const std::function<bool(const Health&)>& done) {
    for (auto end = std::chrono::steady_clock::now() + 20s; std::chrono::steady_clock::now() < end;
         std::this_thread::sleep_for(20ms)) {
      if (done(health(port))) return true;
    }
    return false;
  }

  fs::path dir_;
  std::string artifact_path_;
  std::string base_supergraph_;
  ChildProcess serve_a_, serve_b_, router_;
  std::map<std::string, std::string> urls_a_, urls_b_;
};

TEST_F(ReloadTest, ArtifactReplacedTwentyTimesUnderLoad) {
  std::atomic<int> published{1};
  write_file(config::write_artifact(artifact(1)), Write::kRename);
  uint16_t port = start_router({"--artifact", artifact_path_});
  ASSERT_NE(port, 0) << router_.output();
  ASSERT_EQ(health(port).version, "v1");

  ClientReport report;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back([&] {
      HttpConnection c(port);
      while (!stop.load()) {
        int seen_before = published.load();
        HttpResult r = c.request("POST", "/graphql", std::string(kQuery));
        int version = check_answer(r, std::max(seen_before, published.load()), report);
        std::lock_guard<std::mutex> lock(report.mu);
        if (version != 0) {
          ++report.ok;
          report.versions.insert(version);
        }
      }
    });
  }
  auto requests_so_far = [&] {
    std::lock_guard<std::mutex> lock(report.mu);
    return report.ok + report.failed;
  };
  // Lets the clients send a few requests on the version just swapped in.
  auto let_clients_run = [&] {
    uint64_t before = requests_so_far();
    for (int i = 0; i < 500 && requests_so_far() < before + 6; ++i)
      std::this_thread::sleep_for(10ms);
  };

  int replacements = 0;
  auto valid = [&](int k, Write how) {
    SCOPED_TRACE("valid v" + std::to_string(k));
    published = k;
    write_file(config::write_artifact(artifact(k)), how);
    ++replacements;
    EXPECT_TRUE(wait_health(port, [&](const Health& h) {
      return h.version == "v" + std::to_string(k);
    })) << router_.output();
    let_clients_run();
  };
  auto invalid = [&](const std::string& text, Write how, const std::string& reason) {
    SCOPED_TRACE("invalid: " + reason);
    Health before = health(port);
    write_file(text, how);
    ++replacements;
    EXPECT_TRUE(wait_health(port, [&](const Health& h) { return h.failed > before.failed; }))
        << router_.output();
    EXPECT_EQ(health(port).version, before.version);
    EXPECT_TRUE(router_.wait_for_line(
        [&](const std::string& l) {
          return l.find("config rejected") != std::string::npos &&
                 l.find(reason) != std::string::npos;
        },
        5s))
        << "no log line with: " << reason;
    let_clients_run();
  };

  std::string v4 = config::write_artifact(artifact(4));
  std::string v7 = config::write_artifact(artifact(7));
  config::RouterArtifact bad_sdl = artifact(99);
  bad_sdl.supergraph_sdl = "type Query { x: Int }";
  config::RouterArtifact unknown_subgraph = artifact(99);
  unknown_subgraph.subgraphs.push_back({"inventory", "http://127.0.0.1:1/graphql", "", {}});
  config::RouterArtifact bad_url = artifact(99);
  bad_url.subgraphs[0].routing_url = "ftp://127.0.0.1/graphql";
  std::string newer = config::write_artifact(artifact(99));
  replace_all(newer, "\"compatibilityVersion\": 1", "\"compatibilityVersion\": 2");

  valid(2, Write::kRename);
  invalid("this is not JSON", Write::kRename, "not valid JSON");
  valid(3, Write::kInPlace);
  invalid(v4.substr(0, v4.size() / 2), Write::kRename, "truncated?");
  invalid("", Write::kInPlace, "empty (expected a JSON object)");
  valid(4, Write::kRename);
  invalid(config::write_artifact(bad_sdl), Write::kRename, "invalid supergraph");
  invalid(config::write_artifact(unknown_subgraph), Write::kEditor,
          "artifact names subgraph \"inventory\"");
  valid(5, Write::kEditor);
  invalid(newer, Write::kRename, "compatibilityVersion: 2 is not supported");
  valid(6, Write::kInPlace);
  invalid(v7.substr(0, v7.size() * 3 / 5), Write::kInPlace, "not valid JSON");
  valid(7, Write::kRename);
  invalid(config::write_artifact(bad_url), Write::kRename, "expected an http:// or https:// URL");
  {
    // Three versions within a few milliseconds: the debounce takes the last.
    SCOPED_TRACE("burst v8..v10");
    published = 10;
    for (int k = 8; k <= 10; ++k) {
      write_file(config::write_artifact(artifact(k)), Write::kRename);
      ++replacements;
      std::this_thread::sleep_for(5ms);
    }
    EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.version == "v10"; }));
    let_clients_run();
  }
  invalid("[]", Write::kRename, "expected a JSON object at the top level");
  valid(11, Write::kRename);
  invalid("", Write::kRename, "empty (expected a JSON object)");
  EXPECT_EQ(replacements, 20);

  std::this_thread::sleep_for(300ms);
  stop = true;
  for (std::thread& t : clients)
    t.join();

  // The router ends on the last valid version, and every request succeeded.
  Health end = health(port);
  EXPECT_EQ(end.version, "v11");
  EXPECT_GE(end.failed, 10);
  EXPECT_GE(end.succeeded, 8);
  std::lock_guard<std::mutex> lock(report.mu);
  EXPECT_EQ(report.failed, 0u) << [&] {
    std::string all;
    for (const std::string& f : report.failures)
      all += f + "\n";
    return all;
  }();
  EXPECT_GT(report.ok, 100u);
  std::printf("%llu requests answered across %d replacements, %zu versions served\n",
              static_cast<unsigned long long>(report.ok), replacements, report.versions.size());
  // The clients were served by every version that was live for a while.
  for (int k : {1, 2, 3, 4, 5, 6, 7, 10, 11})
    EXPECT_TRUE(report.versions.count(k)) << "no request was served by v" << k;

  HttpConnection c(port);
  HttpResult last = c.request("POST", "/graphql", std::string(kQuery));
  EXPECT_NE(last.body.find("\"version_11\""), std::string::npos) << last.body;
  EXPECT_NE(last.body.find("\"Table\""), std::string::npos) << last.body;  // v11: instance A
  HttpResult metrics = c.request("GET", "/metrics");
  EXPECT_NE(metrics.body.find("orbit_router_config_info{version=\"v11\""), std::string::npos)
      << metrics.body;
  EXPECT_TRUE(router_.wait_for_line(
      [](const std::string& l) {
        return l.find("config version v11 loaded from") != std::string::npos;
      },
      1s));

  EXPECT_EQ(router_.stop(), 0) << router_.output();
}

TEST_F(ReloadTest, SighupReloadsAYamlNamedArtifact) {
  fs::create_directories(dir_ / "graph");
  std::string path = (dir_ / "graph" / "router.json").string();
  write_file(config::write_artifact(artifact(1)), Write::kRename, path);
  std::ofstream(dir_ / "router.yaml") << "artifact: graph/router.json\n"
                                         "watch:\n"
                                         "  enabled: false\n";
  uint16_t port = start_router({"--config", (dir_ / "router.yaml").string()});
  ASSERT_NE(port, 0) << router_.output();
  EXPECT_EQ(health(port).version, "v1");

  write_file(config::write_artifact(artifact(2)), Write::kRename, path);
  std::this_thread::sleep_for(1500ms);  // longer than the poll interval: not watched
  EXPECT_EQ(health(port).version, "v1");

  router_.signal(SIGHUP);
  EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.version == "v2"; }))
      << router_.output();
  HttpConnection c(port);
  HttpResult r = c.request("POST", "/graphql", std::string(kQuery));
  EXPECT_NE(r.body.find("\"version_2\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"Table (B)\""), std::string::npos) << r.body;

  // An invalid file on SIGHUP is rejected; SIGHUP tries the same bytes again.
  write_file("{\"version\": \"v3\"", Write::kInPlace, path);
  router_.signal(SIGHUP);
  EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.failed == 1; }));
  router_.signal(SIGHUP);
  EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.failed == 2; }));
  EXPECT_EQ(health(port).version, "v2");
  EXPECT_EQ(c.request("POST", "/graphql", std::string(kQuery)).status, 200);

  EXPECT_EQ(router_.stop(), 0) << router_.output();
  std::string log = router_.output();
  EXPECT_NE(log.find("SIGHUP: reloading " + path), std::string::npos) << log;
  EXPECT_NE(log.find("config version v2 loaded from " + path + " (reload requested; was v1"),
            std::string::npos)
      << log;
}

TEST_F(ReloadTest, SupergraphFileIsWatchedToo) {
  std::string path = (dir_ / "supergraph.graphql").string();
  std::string sdl = supergraph(1);
  replace_all(sdl, "http://accounts.scenario.invalid/graphql", urls_a_.at("accounts"));
  replace_all(sdl, "http://products.scenario.invalid/graphql", urls_a_.at("products"));
  write_file(sdl, Write::kRename, path);
  uint16_t port = start_router({"--supergraph", path});
  ASSERT_NE(port, 0) << router_.output();
  std::string v1 = health(port).version;
  EXPECT_EQ(v1.rfind("sdl-", 0), 0u) << v1;

  replace_all(sdl, "version_1", "version_2");
  write_file(sdl, Write::kInPlace, path);
  EXPECT_TRUE(
      wait_health(port, [&](const Health& h) { return !h.version.empty() && h.version != v1; }));
  HttpConnection c(port);
  HttpResult r = c.request("POST", "/graphql", std::string(kQuery));
  EXPECT_NE(r.body.find("\"version_2\""), std::string::npos) << r.body;

  write_file("", Write::kRename, path);
  EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.failed == 1; }));
  EXPECT_TRUE(router_.wait_for_line(
      [](const std::string& l) {
        return l.find("empty (expected a supergraph SDL)") != std::string::npos;
      },
      1s));
  EXPECT_EQ(c.request("POST", "/graphql", std::string(kQuery)).status, 200);
}

TEST_F(ReloadTest, BadStartsExitWithAMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  std::string truncated = config::write_artifact(artifact(1));
  write_file(truncated.substr(0, truncated.size() / 2), Write::kRename);
  const Case cases[] = {
      {{"--artifact", artifact_path_}, artifact_path_ + ": not valid JSON"},
      {{"--artifact", (dir_ / "missing.json").string()}, "No such file or directory"},
      {{"--artifact", artifact_path_, "--supergraph", artifact_path_},
       "pass either --artifact or --supergraph, not both"},
      {{}, "no graph: pass --artifact router.json or --supergraph FILE"},
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
