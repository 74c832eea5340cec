#include "orbit/config/file_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace orbit::config {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Counter {
 public:
  void bump() {
    std::lock_guard<std::mutex> lock(mu_);
    ++count_;
    cv_.notify_all();
  }
  // Waits until the count reaches `n`; false on timeout.
  bool wait_for(int n, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return count_ >= n; });
  }
  int count() {
    std::lock_guard<std::mutex> lock(mu_);
    return count_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int count_ = 0;
};

class FileWatcherTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name)
      if (c == '/') c = '_';  // parameterized names are "Test/Param"
    dir_ = fs::temp_directory_path() / ("orbit-watch-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "router.json").string();
    write(path_, "one");
  }
  void TearDown() override { fs::remove_all(dir_); }

  static void write(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc | std::ios::binary);
    out << text;
  }

  FileWatchOptions options() const {
    FileWatchOptions o;
    o.debounce = 50ms;
    // Polling mode relies on this period; inotify mode should not need it.
    o.poll_interval = GetParam() ? 60s : 50ms;
    o.use_inotify = GetParam();
    return o;
  }

  fs::path dir_;
  std::string path_;
};

TEST_P(FileWatcherTest, InPlaceWrite) {
  Counter calls;
  FileWatcher watcher(path_, options(), [&] { calls.bump(); });
  ASSERT_TRUE(watcher.start().ok());
  EXPECT_EQ(watcher.inotify_active(), GetParam());
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(calls.count(), 0);  // nothing changed yet
  write(path_, "two");
  EXPECT_TRUE(calls.wait_for(1));
}

TEST_P(FileWatcherTest, RenameReplace) {
  Counter calls;
  FileWatcher watcher(path_, options(), [&] { calls.bump(); });
  ASSERT_TRUE(watcher.start().ok());
  write((dir_ / ".router.json.tmp").string(), "two, longer");
  EXPECT_EQ(::rename((dir_ / ".router.json.tmp").c_str(), path_.c_str()), 0);
  EXPECT_TRUE(calls.wait_for(1));
}

TEST_P(FileWatcherTest, SameSizeSameSecondRewriteIsSeen) {
  Counter calls;
  FileWatcher watcher(path_, options(), [&] { calls.bump(); });
  ASSERT_TRUE(watcher.start().ok());
  write(path_, "two");
  ASSERT_TRUE(calls.wait_for(1));
  write(path_, "six");  // same size, likely the same mtime tick
  EXPECT_TRUE(calls.wait_for(2));
}

TEST_P(FileWatcherTest, DeleteAndCreateAgain) {
  Counter calls;
  FileWatcher watcher(path_, options(), [&] { calls.bump(); });
  ASSERT_TRUE(watcher.start().ok());
  fs::remove(path_);
  ASSERT_TRUE(calls.wait_for(1));
  write(path_, "back again");
  EXPECT_TRUE(calls.wait_for(2));
}

TEST_P(FileWatcherTest, SymlinkRetargeted) {
  // A Kubernetes ConfigMap volume: the file is a symlink into a directory that is swapped.
  fs::create_directories(dir_ / "v1");
  fs::create_directories(dir_ / "v2");
  write((dir_ / "v1" / "graph.json").string(), "one");
  write((dir_ / "v2" / "graph.json").string(), "two");
  fs::create_directory_symlink("v1", dir_ / "data");
  fs::create_symlink("data/graph.json", dir_ / "graph.json");
  FileWatchOptions o = options();
  o.poll_interval = 50ms;  // the swap happens on "data", not on the watched name
  Counter calls;
  FileWatcher watcher((dir_ / "graph.json").string(), o, [&] { calls.bump(); });
  ASSERT_TRUE(watcher.start().ok());
  fs::create_directory_symlink("v2", dir_ / "data.new");
  fs::rename(dir_ / "data.new", dir_ / "data");
  EXPECT_TRUE(calls.wait_for(1));
}

TEST_P(FileWatcherTest, RapidChangesAreDebounced) {
  Counter calls;
  FileWatchOptions o = options();
  o.debounce = 300ms;
  FileWatcher watcher(path_, o, [&] { calls.bump(); });
  ASSERT_TRUE(watcher.start().ok());
  for (int i = 0; i < 10; ++i) {
    write(path_, "version " + std::to_string(i));
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(calls.wait_for(1));
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(calls.count(), 1);
}

TEST_P(FileWatcherTest, OtherFilesInTheDirectoryAreIgnored) {
  Counter calls;
  FileWatcher watcher(path_, options(), [&] { calls.bump(); });
  ASSERT_TRUE(watcher.start().ok());
  write((dir_ / "other.json").string(), "x");
  write((dir_ / "router.json.bak").string(), "x");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(calls.count(), 0);
}

TEST_P(FileWatcherTest, MissingFileAtStartIsWatchedFor) {
  fs::remove(path_);
  Counter calls;
  FileWatcher watcher(path_, options(), [&] { calls.bump(); });
  ASSERT_TRUE(watcher.start().ok());
  write(path_, "now here");
  EXPECT_TRUE(calls.wait_for(1));
}

TEST_P(FileWatcherTest, StopsPromptly) {
  FileWatchOptions o = options();
  o.poll_interval = 60s;
  FileWatcher watcher(path_, o, [] {});
  ASSERT_TRUE(watcher.start().ok());
  auto start = std::chrono::steady_clock::now();
  watcher.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  watcher.stop();  // idempotent
}

INSTANTIATE_TEST_SUITE_P(Modes, FileWatcherTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("Inotify") : std::string("Polling");
                         });

}  // namespace
}  // namespace orbit::config
