// Replays every input kept in fuzz/regressions/<target>/ (crashes found by fuzzing, kept
// forever) and the seed corpus through the same checks as the fuzz targets.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "checks.h"
#include "checks_compose.h"
#include "checks_router.h"
#include "checks_token.h"
#include "checks_trace.h"

namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <typename Check>
int replay(const std::string& target, Check check) {
  int count = 0;
  for (const char* dir : {"regressions/", "seeds"}) {
    std::filesystem::path root = std::filesystem::path(ORBIT_FUZZ_DIR) / dir;
    if (std::string(dir) != "seeds") root /= target;
    if (!std::filesystem::exists(root)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      SCOPED_TRACE(entry.path().string());
      check(read_file(entry.path()));
      ++count;
    }
  }
  return count;
}

TEST(FuzzRegressions, ParseExecutable) {
  EXPECT_GT(replay("parse_executable", orbit::fuzz::check_parse_executable), 0);
}

TEST(FuzzRegressions, ParseSdl) {
  EXPECT_GT(replay("parse_sdl", orbit::fuzz::check_parse_sdl), 0);
}

TEST(FuzzRegressions, ParseValidate) {
  EXPECT_GT(replay("parse_validate", orbit::fuzz::check_parse_validate), 0);
}

TEST(FuzzRegressions, GraphqlRequest) {
  EXPECT_GT(replay("graphql_request", orbit::fuzz::check_graphql_request), 0);
}

TEST(FuzzRegressions, Artifact) {
  EXPECT_GT(replay("artifact", orbit::fuzz::check_artifact), 0);
}

TEST(FuzzRegressions, GraphToken) {
  EXPECT_GT(replay("graph_token", orbit::fuzz::check_graph_token), 0);
}

TEST(FuzzRegressions, TraceHeaders) {
  EXPECT_GT(replay("trace_headers", orbit::fuzz::check_trace_headers), 0);
}

TEST(FuzzRegressions, Compose) {
  // Crashes found by fuzz_compose, then its seed corpus: every composition test case.
  int count = replay("compose", orbit::fuzz::check_compose);
  const std::filesystem::path cases =
      std::filesystem::path(ORBIT_FUZZ_DIR) / "../tests/composition/cases";
  for (const auto& entry : std::filesystem::directory_iterator(cases)) {
    if (!entry.is_directory()) continue;
    SCOPED_TRACE(entry.path().string());
    orbit::fuzz::check_compose(orbit::fuzz::join_case(entry.path()));
    ++count;
  }
  EXPECT_GT(count, 200);
}

}  // namespace
