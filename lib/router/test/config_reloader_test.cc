// ConfigReloader on real files: the first load, reloads that are applied, files that are
// rejected (and the graph that keeps serving), the watcher, and same-bytes skipping.
#include "orbit/router/config_reloader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <vector>

#include "test_data.h"

namespace orbit::router {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// One subgraph, one field.
const std::string kSupergraph = testing::test_data("one_subgraph.graphql");

std::string artifact(const std::string& version, const std::string& url = "http://a:1/graphql") {
  config::RouterArtifact a;
  a.version = version;
  a.created_at = "2025-05-01T10:00:00Z";
  a.supergraph_sdl = kSupergraph;
  a.subgraphs.push_back({"a", url, "", {}});
  return config::write_artifact(a);
}

class ConfigReloaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = fs::temp_directory_path() / ("orbit-reloader-" + std::to_string(::getpid()) + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "router.json").string();
    config_.artifact_path = path_;
    config_.watch.debounce = 30ms;
    config_.watch.poll_interval = 100ms;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `text` to a temporary file and renames it over `path` (what careful writers do).
  void replace(const std::string& text) {
    std::string tmp = path_ + ".tmp";
    std::ofstream(tmp, std::ios::trunc | std::ios::binary) << text;
    fs::rename(tmp, path_);
  }

  std::unique_ptr<ConfigReloader> make() {
    return std::make_unique<ConfigReloader>(config_,
                                            [this](std::shared_ptr<const GraphSnapshot> s) {
                                              std::lock_guard<std::mutex> lock(mu_);
                                              applied_.push_back(s->config_version());
                                              cv_.notify_all();
                                            });
  }

  bool wait_applied(size_t n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return applied_.size() >= n; });
  }
  std::vector<std::string> applied() {
    std::lock_guard<std::mutex> lock(mu_);
    return applied_;
  }

  fs::path dir_;
  std::string path_;
  RouterConfig config_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> applied_;
};

TEST_F(ConfigReloaderTest, LoadsTheArtifact) {
  replace(artifact("v1"));
  auto reloader = make();
  auto first = reloader->load_initial();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ((*first)->config_version(), "v1");
  EXPECT_EQ((*first)->subgraphs()[0].url, "http://a:1/graphql");
  EXPECT_EQ(reloader->current(), *first);
  EXPECT_TRUE(applied().empty());  // the first snapshot is returned, not applied
  EXPECT_EQ(reloader->stats().succeeded, 0u);
}

TEST_F(ConfigReloaderTest, FirstLoadErrorsNameTheFile) {
  auto missing = make()->load_initial();
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kIo);
  EXPECT_NE(missing.status().message().find(path_), std::string::npos);

  replace("{\"version\": ");
  auto truncated = make()->load_initial();
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().message().rfind(path_ + ": not valid JSON", 0), 0u)
      << truncated.status().message();

  config::RouterArtifact bad;
  bad.version = "v1";
  bad.created_at = "2025-05-01T10:00:00Z";
  bad.supergraph_sdl = "type Query { x: Int }";
  replace(config::write_artifact(bad));
  auto invalid = make()->load_initial();
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.status().message().rfind(path_ + ": invalid supergraph:", 0), 0u)
      << invalid.status().message();
}

TEST_F(ConfigReloaderTest, ReloadNowSwapsValidFilesAndRejectsBadOnes) {
  replace(artifact("v1"));
  auto reloader = make();
  ASSERT_TRUE(reloader->load_initial().ok());

  replace(artifact("v2", "http://a:2/graphql"));
  EXPECT_TRUE(reloader->reload_now());
  EXPECT_EQ(reloader->current()->config_version(), "v2");
  EXPECT_EQ(reloader->current()->subgraphs()[0].url, "http://a:2/graphql");
  EXPECT_EQ(applied(), std::vector<std::string>{"v2"});

  const std::pair<std::string, std::string> bad[] = {
      {"", "empty (expected a JSON object)"},
      {artifact("v3").substr(0, 100), "not valid JSON"},
      {"{\"compatibilityVersion\": 9}", "compatibilityVersion: 9 is not supported"},
      {artifact("v 3"), "version: must be printable ASCII"},
      {artifact("v3", "file:///etc/passwd"), "routingUrl: expected an http:// or https:// URL"},
  };
  uint64_t failures = 0;
  for (const auto& [text, reason] : bad) {
    replace(text);
    EXPECT_FALSE(reloader->reload_now()) << text;
    ReloadStats stats = reloader->stats();
    EXPECT_EQ(stats.failed, ++failures);
    EXPECT_NE(stats.last_error.find(reason), std::string::npos) << stats.last_error;
    EXPECT_EQ(stats.last_error.rfind(path_, 0), 0u) << stats.last_error;
    EXPECT_TRUE(config::is_rfc3339(stats.last_error_at));
    EXPECT_EQ(reloader->current()->config_version(), "v2");  // still serving
  }
  fs::remove(path_);
  EXPECT_FALSE(reloader->reload_now());
  EXPECT_EQ(reloader->stats().failed, failures + 1);
  EXPECT_EQ(reloader->current()->config_version(), "v2");

  replace(artifact("v4"));
  EXPECT_TRUE(reloader->reload_now());
  EXPECT_EQ(reloader->current()->config_version(), "v4");
  EXPECT_EQ(reloader->stats().succeeded, 2u);
  EXPECT_EQ(applied(), (std::vector<std::string>{"v2", "v4"}));
}

TEST_F(ConfigReloaderTest, WatchesTheFile) {
  replace(artifact("v1"));
  auto reloader = make();
  ASSERT_TRUE(reloader->load_initial().ok());
  ASSERT_TRUE(reloader->start_watching().ok());
  EXPECT_TRUE(reloader->watching());

  replace(artifact("v2"));
  ASSERT_TRUE(wait_applied(1));
  EXPECT_EQ(reloader->current()->config_version(), "v2");

  // A bad file is rejected once; rewriting the same bad bytes is not tried again.
  replace("not json");
  for (int i = 0; i < 100 && reloader->stats().failed == 0; ++i)
    std::this_thread::sleep_for(20ms);
  EXPECT_EQ(reloader->stats().failed, 1u);
  replace("not json");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(reloader->stats().failed, 1u);

  // Written in place (truncate, then write): the final content wins.
  {
    std::ofstream out(path_, std::ios::trunc | std::ios::binary);
    out << artifact("v3");
  }
  ASSERT_TRUE(wait_applied(2));
  EXPECT_EQ(reloader->current()->config_version(), "v3");
  reloader->stop();
  EXPECT_FALSE(reloader->watching());

  replace(artifact("v4"));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(reloader->current()->config_version(), "v3");  // stopped
}

TEST_F(ConfigReloaderTest, ChangeBeforeWatchingStartsIsApplied) {
  replace(artifact("v1"));
  auto reloader = make();
  ASSERT_TRUE(reloader->load_initial().ok());
  replace(artifact("v2"));  // between the first load and the watcher's start
  ASSERT_TRUE(reloader->start_watching().ok());
  EXPECT_EQ(reloader->current()->config_version(), "v2");
  EXPECT_EQ(applied(), std::vector<std::string>{"v2"});
}

TEST_F(ConfigReloaderTest, WatchDisabled) {
  config_.watch.enabled = false;
  replace(artifact("v1"));
  auto reloader = make();
  ASSERT_TRUE(reloader->load_initial().ok());
  ASSERT_TRUE(reloader->start_watching().ok());
  EXPECT_FALSE(reloader->watching());
  replace(artifact("v2"));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(reloader->current()->config_version(), "v1");
  EXPECT_TRUE(reloader->reload_now());  // what SIGHUP does
  EXPECT_EQ(reloader->current()->config_version(), "v2");
}

TEST_F(ConfigReloaderTest, SupergraphFiles) {
  config_.artifact_path.clear();
  config_.supergraph_path = (dir_ / "supergraph.graphql").string();
  std::ofstream(config_.supergraph_path) << kSupergraph;
  auto reloader = make();
  EXPECT_EQ(reloader->kind(), config::GraphFileKind::kSupergraphSdl);
  auto first = reloader->load_initial();
  ASSERT_TRUE(first.ok()) << first.status().message();
  std::string v1 = (*first)->config_version();
  EXPECT_EQ(v1.substr(0, 4), "sdl-");
  EXPECT_EQ((*first)->subgraphs()[0].url, "http://a.example/graphql");

  std::ofstream(config_.supergraph_path, std::ios::app) << "\n# another version\n";
  EXPECT_TRUE(reloader->reload_now());
  EXPECT_NE(reloader->current()->config_version(), v1);
}

}  // namespace
}  // namespace orbit::router
