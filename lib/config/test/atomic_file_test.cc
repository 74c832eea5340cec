#include "orbit/config/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace orbit::config {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("orbit-atomic-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(AtomicFileTest, WritesReplacesAndLeavesNoTemporaryFile) {
  std::string path = (dir_ / "state.json").string();
  ASSERT_TRUE(write_file_atomic(path, "one").ok());
  EXPECT_EQ(read(path), "one");
  ASSERT_TRUE(write_file_atomic(path, "two, longer").ok());
  EXPECT_EQ(read(path), "two, longer");
  ASSERT_TRUE(write_file_atomic(path, "").ok());
  EXPECT_EQ(read(path), "");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);

  ASSERT_TRUE(write_file_atomic(path, "secret", 0600).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AtomicFileTest, ReadersNeverSeeAPart) {
  std::string path = (dir_ / "artifact.json").string();
  std::string a(256 * 1024, 'a'), b(128 * 1024, 'b');
  ASSERT_TRUE(write_file_atomic(path, a).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, reads{0};
  std::thread reader([&] {
    while (!stop) {
      std::string s = read(path);
      if (s != a && s != b) ++bad;
      ++reads;
    }
  });
  for (int i = 0; i < 40; ++i)
    ASSERT_TRUE(write_file_atomic(path, i % 2 ? a : b).ok());
  while (reads < 5)
    std::this_thread::yield();
  stop = true;
  reader.join();
  EXPECT_EQ(bad, 0);
}

TEST_F(AtomicFileTest, ErrorsNameThePath) {
  std::string missing_dir = (dir_ / "nope" / "x.json").string();
  Status s = write_file_atomic(missing_dir, "x");
  EXPECT_EQ(s.code(), ErrorCode::kIo);
  EXPECT_NE(s.message().find(missing_dir + ": cannot create a temporary file beside it (No such "
                                           "file or directory)"),
            std::string::npos)
      << s.message();
  // A directory where the file should be: the rename fails, the temporary file goes.
  fs::create_directories(dir_ / "taken");
  ASSERT_TRUE(fs::exists(dir_ / "taken"));
  fs::create_directories(dir_ / "taken" / "child");
  Status r = write_file_atomic((dir_ / "taken").string(), "x");
  EXPECT_EQ(r.code(), ErrorCode::kIo);
  EXPECT_NE(r.message().find("cannot replace the file"), std::string::npos) << r.message();
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

}  // namespace
}  // namespace orbit::config
