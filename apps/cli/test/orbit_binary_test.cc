// The `orbit` executable as users run it: help text, flag errors, exit statuses, output files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct ProcessRun {
  int status = -1;
  std::string output;  // stdout and stderr
};

// `command` run by the shell, stdout and stderr collected.
ProcessRun run_shell(const std::string& command) {
  ProcessRun r;
  std::string cmd = command + " 2>&1";
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

ProcessRun run(const std::string& args) {
  return run_shell(std::string(ORBIT_CLI_BINARY) + " " + args);
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

TEST_F(OrbitBinary, HelpForEveryRegistryCommand) {
  struct Help {
    const char* command;
    std::vector<const char*> flags;
  };
  const Help helps[] = {
      {"namespace create", {"name"}},
      {"namespace list", {}},
      {"graph create", {"--routing-url", "--label-matcher", "--namespace"}},
      {"graph list", {"--namespace"}},
      {"graph delete", {"name"}},
      {"graph fetch-config", {"--output", "--signature-out"}},
      {"graph token create", {"--name", "--expires-in"}},
      {"graph token list", {"graph"}},
      {"graph token revoke", {"id"}},
      {"subgraph create",
       {"--routing-url", "--label", "--subscription-url", "--subscription-protocol"}},
      {"subgraph publish", {"--schema"}},
      {"subgraph check", {"--schema"}},
      {"subgraph list", {}},
      {"subgraph delete", {"name"}},
  };
  for (const Help& h : helps) {
    ProcessRun r = run(std::string(h.command) + " --help");
    EXPECT_EQ(r.status, 0) << h.command;
    for (const char* flag : {"--api-url", "--api-key", "ORBIT_API_URL", "ORBIT_API_KEY", "--json"})
      EXPECT_NE(r.output.find(flag), std::string::npos) << h.command << ": " << flag;
    for (const char* flag : h.flags)
      EXPECT_NE(r.output.find(flag), std::string::npos) << h.command << ": " << flag;
  }
  for (const char* group : {"namespace", "graph", "subgraph"}) {
    ProcessRun r = run(group);
    EXPECT_EQ(r.status, 2) << group;  // a subcommand is required
  }
}

TEST_F(OrbitBinary, RegistryCommandsExitStatuses) {
  // Usage errors (2) before anything is sent; no key (3); nothing listening (5).
  EXPECT_EQ(run("graph create shop").status, 2);  // --routing-url missing
  EXPECT_EQ(run("subgraph create x --routing-url http://x --subscription-protocol smoke").status,
            2);
  ProcessRun r = run_shell("env -u ORBIT_API_KEY " + std::string(ORBIT_CLI_BINARY) +
                           " graph list --api-url http://127.0.0.1:1");
  EXPECT_EQ(r.status, 3) << r.output;
  r = run("graph list --api-url http://127.0.0.1:1 --api-key orbit_x");
  EXPECT_EQ(r.status, 5) << r.output;
  EXPECT_NE(r.output.find("cannot reach the control plane"), std::string::npos) << r.output;
  r = run("graph list --api-url http://127.0.0.1:1 --api-key orbit_x --json");
  EXPECT_EQ(r.status, 5);
  EXPECT_NE(r.output.find(R"({"error":{"code":"UNREACHABLE")"), std::string::npos) << r.output;
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
