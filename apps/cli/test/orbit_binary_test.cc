// The `orbit` executable as users run it: help text, flag errors, exit statuses, output files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {

struct ProcessRun {
  int status = -1;
  std::string output;  // stdout and stderr
};

ProcessRun run(const std::string& args) {
  ProcessRun r;
  std::string cmd = std::string(ORBIT_CLI_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    r.output.append(buf, n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

class OrbitBinary : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("orbit-binary-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  fs::path dir_;
};

const char* kHeader =
    "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"])\n";

TEST_F(OrbitBinary, HelpForEveryCommand) {
  ProcessRun top = run("--help");
  EXPECT_EQ(top.status, 0);
  EXPECT_NE(top.output.find("compose"), std::string::npos) << top.output;
  ProcessRun compose = run("compose --help");
  EXPECT_EQ(compose.status, 0);
  for (const char* flag : {"--input", "--output", "--supergraph-out", "--quiet-hints"})
    EXPECT_NE(compose.output.find(flag), std::string::npos) << flag;
}

TEST_F(OrbitBinary, BadFlagsExit2) {
  EXPECT_EQ(run("").status, 2);
  EXPECT_EQ(run("compose").status, 2);
  EXPECT_EQ(run("frobnicate").status, 2);
  ProcessRun missing = run("compose -i " + (dir_ / "nope.yaml").string() + " -o x.json");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.output.find("nope.yaml"), std::string::npos);
}

TEST_F(OrbitBinary, ComposesOrFailsWithExit1) {
  write("a.graphql",
        std::string(kHeader) + "type Query { a: T }\ntype T @key(fields: \"id\") { id: ID! }\n");
  write("b.graphql", std::string(kHeader) + "type T @key(fields: \"id\") { id: ID! b: Int }\n");
  fs::path yaml = write("graph.yaml",
                        "subgraphs:\n  a:\n    routing_url: http://a/graphql\n    schema: {file: "
                        "a.graphql}\n  b:\n    routing_url: http://b/graphql\n    schema: {file: "
                        "b.graphql}\n");
  fs::path out = dir_ / "router.json";
  fs::path sdl = dir_ / "supergraph.graphql";
  ProcessRun ok = run("compose -i " + yaml.string() + " -o " + out.string() + " --supergraph-out " +
                      sdl.string());
  EXPECT_EQ(ok.status, 0) << ok.output;
  EXPECT_TRUE(fs::exists(out));
  EXPECT_TRUE(fs::exists(sdl));

  write("b.graphql", std::string(kHeader) +
                         "type T @key(fields: \"id\") { id: ID! b: Int }\n"
                         "type Query { a: String }\n");
  ProcessRun bad = run("compose -i " + yaml.string() + " -o " + (dir_ / "other.json").string());
  EXPECT_EQ(bad.status, 1) << bad.output;
  EXPECT_NE(bad.output.find("error[FIELD_TYPE_MISMATCH]"), std::string::npos) << bad.output;
  EXPECT_FALSE(fs::exists(dir_ / "other.json"));
}

}  // namespace
