// Scenario tests: every folder of tests/scenarios served by real subgraphs over HTTP.
//
// For each scenario: start `node harness/serve.js <scenario>` (the scenario's subgraphs on
// 127.0.0.1, port 0), read the subgraph URLs it prints, build the router in-process
// (lib/router on a LoopGroup, listening on 127.0.0.1:0) with those URLs as overrides, send
// every requests/*.json over HTTP (subgraph state reset before each), and compare with
// expected/*.json (the answers of @apollo/gateway):
//   - `data` equal (JSON equality, object members in the expected order);
//   - the same error paths (as a multiset), where Apollo's `extensions.valueCompletion`
//     entries count as errors (Apollo reports spec field errors there, see the README);
//   - except the deviations the scenario READMEs list: when an expected error of an executed
//     request has no `path` (Apollo's whole-fetch errors), only "there are errors" is
//     compared; request errors (no `data`) compare that `data` is absent and the sorted
//     messages (only their number for variable errors: graphql-js 17 reworded them);
//   - kKnownDifferences lists the remaining differences, each with its reason.
// The round trip (ScenarioRoundTripTest) runs the same requests against a router that loads
// the supergraph Orbit composes from the scenario's subgraph SDLs (federation::compose)
// instead of the committed one composed by @apollo/composition: the answers must be the same.
// Needs `npm ci` in tests/npm-federation (make npm-deps).
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "orbit/base/json.h"
#include "orbit/federation/compose.h"
#include "orbit/net/event_loop.h"
#include "orbit/router/graph_snapshot.h"
#include "orbit/router/router_server.h"

extern char** environ;

namespace orbit::router {
namespace {

namespace fs = std::filesystem;

const fs::path kScenarios = ORBIT_SCENARIOS_DIR;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---- the subgraphs: serve.js as a child process ---------------------------------------------

class ServeProcess {
 public:
  ~ServeProcess() { stop(); }

  // Starts serve.js; returns its first line (the URLs) or an error text starting with "!".
  std::string start(const std::string& scenario) {
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) return "!pipe failed";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    std::string script = (kScenarios / "harness" / "serve.js").string();
    std::vector<char*> argv = {const_cast<char*>("node"), script.data(),
                               const_cast<char*>(scenario.c_str()), nullptr};
    int rc = posix_spawnp(&pid_, "node", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in_pipe[0]);
    close(out_pipe[1]);
    stdin_ = in_pipe[1];
    stdout_ = out_pipe[0];
    if (rc != 0) {
      pid_ = -1;
      return "!cannot start node: " + std::string(strerror(rc));
    }
    return read_line(std::chrono::seconds(60));
  }

  // Restores the subgraphs' state; false when serve.js did not confirm.
  bool reset() {
    const char cmd[] = "reset\n";
    if (write(stdin_, cmd, sizeof(cmd) - 1) != sizeof(cmd) - 1) return false;
    return read_line(std::chrono::seconds(30)) == "{\"ok\":true}";
  }

  void stop() {
    if (stdin_ >= 0) close(stdin_);  // EOF: serve.js closes its servers and exits
    stdin_ = -1;
    if (pid_ > 0) {
      int status = 0;
      for (int i = 0; i < 100 && waitpid(pid_, &status, WNOHANG) == 0; ++i)
        usleep(50'000);
      if (waitpid(pid_, &status, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
      }
      pid_ = -1;
    }
    if (stdout_ >= 0) close(stdout_);
    stdout_ = -1;
  }

 private:
  std::string read_line(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      size_t nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return "!timed out waiting for serve.js";
      pollfd p{stdout_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[4096];
      ssize_t n = read(stdout_, chunk, sizeof(chunk));
      if (n <= 0) return "!serve.js exited";
      buffer_.append(chunk, static_cast<size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  std::string buffer_;
};

// ---- a blocking HTTP/1.1 client (one request per connection) --------------------------------

struct HttpResult {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string error;  // transport problem
};

// `content_type` empty: no Content-Type header.
HttpResult http_request(uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        const std::string& content_type = "application/json") {
  HttpResult result;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    result.error = "connect failed";
    return result;
  }
  std::string request = method + " " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        "Content-Length: " +
                        std::to_string(body.size()) + "\r\n";
  if (!content_type.empty()) request += "Content-Type: " + content_type + "\r\n";
  for (const auto& [name, value] : headers)
    request += name + ": " + value + "\r\n";
  request += "\r\n" + body;
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char chunk[16384];
  ssize_t n;
  while ((n = recv(fd, chunk, sizeof(chunk), 0)) > 0)
    raw.append(chunk, static_cast<size_t>(n));
  close(fd);
  size_t head_end = raw.find("\r\n\r\n");
  if (raw.compare(0, 9, "HTTP/1.1 ") != 0 || head_end == std::string::npos) {
    result.error = "malformed HTTP answer: " + raw.substr(0, 200);
    return result;
  }
  result.status = std::atoi(raw.c_str() + 9);
  std::string head = raw.substr(0, head_end);
  std::string lower = head;
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  size_t ct = lower.find("\r\ncontent-type:");
  if (ct != std::string::npos) {
    size_t start = ct + 15, end = head.find("\r\n", start);
    result.content_type = head.substr(start, end - start);
    result.content_type.erase(0, result.content_type.find_first_not_of(' '));
  }
  result.body = raw.substr(head_end + 4);
  return result;
}

// ---- comparison ------------------------------------------------------------------------------

std::string path_text(const JsonValue& path) {
  return path.is_null() ? "<none>" : to_json(path);
}

// Paths of `errors` (and of Apollo's extensions.valueCompletion), sorted.
std::vector<std::string> error_paths(const JsonValue& response, bool* any_without_path) {
  std::vector<std::string> paths;
  auto collect = [&](const JsonValue* list) {
    if (list == nullptr) return;
    for (const JsonValue& e : list->items()) {
      const JsonValue* p = e.find("path");
      if (p == nullptr) {
        *any_without_path = true;
        continue;
      }
      paths.push_back(path_text(*p));
    }
  };
  collect(response.find("errors"));
  if (const JsonValue* ext = response.find("extensions")) collect(ext->find("valueCompletion"));
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Messages of `errors`, sorted (graphql-js 16, which Apollo runs, and 17, Orbit's reference,
// order some validation errors differently), and whether any is a variable-coercion error
// (BAD_USER_INPUT: graphql-js 17 rewrote those messages).
std::vector<std::string> error_messages(const JsonValue& response, bool* variable_errors) {
  std::vector<std::string> out;
  if (const JsonValue* errors = response.find("errors")) {
    for (const JsonValue& e : errors->items()) {
      if (const JsonValue* m = e.find("message")) out.emplace_back(m->as_string());
      const JsonValue* ext = e.find("extensions");
      const JsonValue* code = ext ? ext->find("code") : nullptr;
      if (code && code->as_string() == "BAD_USER_INPUT") *variable_errors = true;
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + items[i];
  return out + "]";
}

// Empty when the answer matches; otherwise why not.
std::string compare(const JsonValue& expected, const JsonValue& actual) {
  const JsonValue* expected_data = expected.find("data");
  const JsonValue* actual_data = actual.find("data");
  if (expected_data == nullptr) {
    // A request error: no data, the same messages.
    if (actual_data != nullptr)
      return "expected a request error (no data), got data " + to_json(*actual_data);
    bool variable_errors = false, unused = false;
    std::vector<std::string> em = error_messages(expected, &variable_errors);
    std::vector<std::string> am = error_messages(actual, &unused);
    if (variable_errors ? em.size() != am.size() : em != am) {
      return "request error messages differ: expected " + join(em) + ", got " + join(am);
    }
    return {};
  }
  if (actual_data == nullptr) return "expected data, got none: " + to_json(actual);
  if (!json_equal(*expected_data, *actual_data)) {
    return "data differs:\n  expected " + to_json(*expected_data) + "\n  actual   " +
           to_json(*actual_data);
  }
  bool expected_loose = false, actual_unused = false;
  std::vector<std::string> ep = error_paths(expected, &expected_loose);
  std::vector<std::string> ap = error_paths(actual, &actual_unused);
  bool expected_errors = expected_loose || !ep.empty();
  bool actual_errors = actual.find("errors") != nullptr;
  if (expected_loose) {
    // Apollo's whole-fetch error without path (README deviation): only "there are errors".
    if (!actual_errors) return "expected errors (Apollo: without path), got none";
    return {};
  }
  if (expected_errors != actual_errors || ep != ap) {
    return "error paths differ: expected " + join(ep) + ", got " + join(ap) +
           (actual_errors ? "\n  actual errors " + to_json(*actual.find("errors")) : "");
  }
  return {};
}

// ---- known differences -----------------------------------------------------------------------

// Requests whose answer is known to differ from @apollo/gateway's, each with the reason and a
// text the difference must contain (any other difference still fails). An entry whose
// request starts to match fails too, so that the list stays true.
struct KnownDifference {
  const char* scenario;
  const char* request;
  const char* must_contain;
  const char* reason;
};

constexpr const char* kGraphqlJs17 =
    "graphql-js 17 (Orbit's reference) vs 16 (Apollo's): the spec's Operation Type Existence "
    "rule rejects `mutation Nope` because the API schema has no Mutation type";
constexpr const char* kFirstViolation =
    "Apollo deviation: Orbit reports the first non-null violation (it nulls `data`, as "
    "graphql-js stops completing the list there); Apollo lists every violation it met in "
    "extensions.valueCompletion";

const KnownDifference kKnownDifferences[] = {
    {"aliases", "04-alias-named-like-other-field.json", R"("upc":"Table")",
     "Apollo bug: its answer puts the key field `upc` its planner added under the client's "
     "alias `upc: name`; Orbit answers the name, as the operation asks"},
    {"introspection-api-schema", "05-directives.json", "DIRECTIVE_DEFINITION",
     "graphql-js 17 vs 16: @deprecated may also be applied to directive definitions"},
    {"operation-name-selection", "01-select-first.json",
     "The mutation operation is not supported by the schema.", kGraphqlJs17},
    {"operation-name-selection", "02-select-second-with-jump.json",
     "The mutation operation is not supported by the schema.", kGraphqlJs17},
    {"operation-name-selection", "03-missing-operation-name.json",
     "The mutation operation is not supported by the schema.", kGraphqlJs17},
    {"operation-name-selection", "04-unknown-operation-name.json",
     "The mutation operation is not supported by the schema.", kGraphqlJs17},
    {"subgraph-lies-about-non-null", "02-entity-fetch-to-failing-subgraph.json",
     "error paths differ", kFirstViolation},
    {"subgraph-lies-about-non-null", "03-failing-subgraph-under-non-null-and-after.json",
     "error paths differ", kFirstViolation},
};

const KnownDifference* known_difference(const std::string& scenario, const std::string& request) {
  for (const KnownDifference& k : kKnownDifferences) {
    if (scenario == k.scenario && request == k.request) return &k;
  }
  return nullptr;
}

// ---- the test --------------------------------------------------------------------------------

std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kScenarios)) {
    if (entry.is_directory() && fs::exists(entry.path() / "supergraph.graphql")) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

// A scenario's subgraphs (serve.js) and the router in front of them.
class RunningScenario {
 public:
  // `tweak` adjusts the config (timeouts, limits) before the router starts. `supergraph` is
  // the SDL the router loads; empty: the scenario's committed supergraph.graphql. On failure,
  // error() says why.
  RunningScenario(const std::string& scenario,
                  const std::function<void(RouterConfig&)>& tweak = nullptr,
                  const std::string& supergraph = {})
      : loops_(2) {
    if (!fs::exists(kScenarios.parent_path() / "npm-federation" / "node_modules")) {
      error_ = "run `make npm-deps` (npm ci in tests/npm-federation) first";
      return;
    }
    std::string urls_line = serve_.start(scenario);
    if (urls_line.empty() || urls_line[0] == '!') {
      error_ = scenario + ": " + urls_line;
      return;
    }
    Arena arena;
    auto urls = parse_json(urls_line, arena);
    if (!urls.ok() || !urls->is_object()) {
      error_ = "serve.js printed " + urls_line;
      return;
    }
    RouterConfig config;
    config.listen = ListenAddress{"127.0.0.1", 0};
    for (const JsonMember& m : urls->members()) {
      config.subgraphs[std::string(m.key)].url = std::string(m.value.as_string());
    }
    if (tweak) tweak(config);
    auto snapshot = GraphSnapshot::build(
        supergraph.empty() ? read_file(kScenarios / scenario / "supergraph.graphql") : supergraph,
        config);
    if (!snapshot.ok()) {
      error_ = snapshot.status().message();
      return;
    }
    loops_.start();
    router_ = std::make_unique<RouterServer>(loops_, config, *snapshot);
    Status started = router_->start();
    if (!started.ok()) error_ = started.message();
  }
  ~RunningScenario() {
    if (router_) router_->stop(std::chrono::milliseconds(1000));
    router_.reset();
    loops_.stop();
  }

  const std::string& error() const { return error_; }
  uint16_t port() const { return router_->port(); }
  bool reset() { return serve_.reset(); }

 private:
  ServeProcess serve_;
  net::LoopGroup loops_;
  std::unique_ptr<RouterServer> router_;
  std::string error_;
};

// The body the router is sent for a requests/*.json file, and its headers.
std::string request_body(const JsonValue& request,
                         std::vector<std::pair<std::string, std::string>>* headers) {
  std::string body = "{";
  bool first = true;
  for (std::string_view key : {"query", "variables", "operationName"}) {
    if (const JsonValue* v = request.find(key)) {
      body += std::string(first ? "" : ",") + "\"" + std::string(key) + "\":" + to_json(*v);
      first = false;
    }
  }
  body += "}";
  if (const JsonValue* h = request.find("headers")) {
    for (const JsonMember& m : h->members()) {
      headers->emplace_back(std::string(m.key), std::string(m.value.as_string()));
    }
  }
  return body;
}

// Sends every request of the scenario to the running router and compares each answer with
// expected/ (kKnownDifferences applied).
void check_requests(const std::string& scenario, RunningScenario& running) {
  const fs::path dir = kScenarios / scenario;
  Arena arena;
  std::vector<fs::path> requests;
  for (const auto& entry : fs::directory_iterator(dir / "requests"))
    requests.push_back(entry.path());
  std::sort(requests.begin(), requests.end());
  int passed = 0, known_count = 0;
  for (const fs::path& request_file : requests) {
    const std::string name = request_file.filename().string();
    SCOPED_TRACE(scenario + "/" + name);
    auto request = parse_json(read_file(request_file), arena);
    auto expected = parse_json(read_file(dir / "expected" / name), arena);
    ASSERT_TRUE(request.ok() && expected.ok()) << "unreadable request or expected file";

    ASSERT_TRUE(running.reset()) << "serve.js did not confirm the reset";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body = request_body(*request, &headers);
    HttpResult answer = http_request(running.port(), "POST", "/graphql", body, headers);
    ASSERT_TRUE(answer.error.empty()) << answer.error;
    EXPECT_EQ(answer.content_type, "application/json; charset=utf-8");
    auto actual = parse_json(answer.body, arena);
    ASSERT_TRUE(actual.ok()) << "not JSON: " << answer.body;
    std::string difference = compare(*expected, *actual);
    if (const KnownDifference* known = known_difference(scenario, name)) {
      EXPECT_NE(difference.find(known->must_contain), std::string::npos)
          << "a known difference changed (update kKnownDifferences): "
          << (difference.empty() ? "the answer now matches" : difference);
      std::printf("[ known    ] %s/%s: %s\n", scenario.c_str(), name.c_str(), known->reason);
      ++known_count;
      continue;
    }
    EXPECT_EQ(difference, "") << "HTTP " << answer.status << ", body " << answer.body;
    if (difference.empty()) ++passed;
  }
  std::printf("[ scenario ] %s: %d/%zu requests match, %d known differences\n", scenario.c_str(),
              passed, requests.size(), known_count);
}

class ScenarioTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioTest, MatchesTheReferenceGateway) {
  const std::string scenario = GetParam();
  RunningScenario running(scenario);
  ASSERT_EQ(running.error(), "");
  check_requests(scenario, running);
}

// The scenario's subgraph SDLs composed by Orbit, in file-name order with the committed
// supergraph's routing URLs (serve.js's URLs override them, by subgraph name).
federation::CompositionResult compose_scenario(const std::string& scenario) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kScenarios / scenario / "subgraphs")) {
    if (entry.path().extension() == ".graphql") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<federation::SubgraphSource> sources;
  for (const fs::path& file : files) {
    std::string name = file.stem().string();
    sources.push_back({name, "http://" + name + ".scenario.invalid/graphql", read_file(file)});
  }
  return federation::compose(sources);
}

class ScenarioRoundTripTest : public ::testing::TestWithParam<std::string> {};

// Composition round trip: the router serving Orbit's own supergraph answers every request as
// @apollo/gateway does on the npm-composed one (the same expected/ files, the same known
// differences).
TEST_P(ScenarioRoundTripTest, OrbitComposedSupergraphAnswersTheSame) {
  const std::string scenario = GetParam();
  federation::CompositionResult composed = compose_scenario(scenario);
  std::string errors;
  for (const auto& e : composed.errors)
    errors += "  " + e.code + ": " + e.message + "\n";
  ASSERT_TRUE(composed.ok()) << errors;
  ASSERT_FALSE(composed.supergraph_sdl.empty());
  RunningScenario running(scenario, nullptr, composed.supergraph_sdl);
  ASSERT_EQ(running.error(), "");
  check_requests(scenario, running);
}

// subgraph-slow's reviews answer after 300 ms; with a 100 ms timeout for reviews the answers
// must have the shape of partial-data-subgraph-down's (same requests): the same data, and
// SUBREQUEST_TIMEOUT errors from reviews.
TEST(ScenarioTimeoutTest, PerSubgraphTimeoutGivesPartialData) {
  RunningScenario running("subgraph-slow", [](RouterConfig& config) {
    config.subgraphs["reviews"].timeout = std::chrono::milliseconds(100);
  });
  ASSERT_EQ(running.error(), "");
  Arena arena;
  const fs::path dir = kScenarios / "subgraph-slow";
  const fs::path down = kScenarios / "partial-data-subgraph-down";
  for (const auto& entry : fs::directory_iterator(dir / "requests")) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    auto request = parse_json(read_file(entry.path()), arena);
    auto expected = parse_json(read_file(down / "expected" / name), arena);
    ASSERT_TRUE(request.ok() && expected.ok());
    ASSERT_TRUE(running.reset());
    std::vector<std::pair<std::string, std::string>> headers;
    HttpResult answer =
        http_request(running.port(), "POST", "/graphql", request_body(*request, &headers), headers);
    auto actual = parse_json(answer.body, arena);
    ASSERT_TRUE(actual.ok()) << answer.body;
    EXPECT_EQ(compare(*expected, *actual), "") << answer.body;
    if (expected->find("errors") != nullptr) {
      EXPECT_NE(answer.body.find(R"("code":"SUBREQUEST_TIMEOUT","serviceName":"reviews")"),
                std::string::npos)
          << answer.body;
    }
  }
}

// Bad input over real HTTP: each gets its precise answer, and the router keeps serving.
TEST(RouterHttpTest, BadInputAndHealth) {
  RunningScenario running("shop-demo");
  ASSERT_EQ(running.error(), "");
  const uint16_t port = running.port();
  const std::string ok_query = R"({"query":"{ topProducts(first: 1) { name } }"})";
  const std::string ok_answer = R"({"data":{"topProducts":[{"name":"Table"}]}})";

  HttpResult huge = http_request(port, "POST", "/graphql",
                                 R"({"query":")" + std::string(3 << 20, ' ') + "{a}\"}", {});
  EXPECT_EQ(huge.status, 413) << huge.error << huge.body;

  HttpResult malformed = http_request(port, "POST", "/graphql", R"({"query":)", {});
  EXPECT_EQ(malformed.status, 400);
  EXPECT_NE(malformed.body.find("The request body is not valid JSON"), std::string::npos);

  HttpResult text = http_request(port, "POST", "/graphql", ok_query, {}, "text/plain");
  EXPECT_EQ(text.status, 415);

  HttpResult invalid = http_request(port, "POST", "/graphql", R"({"query":"{ nope }"})",
                                    {{"Accept", "application/graphql-response+json"}});
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(invalid.content_type, "application/graphql-response+json; charset=utf-8");

  std::string deep = "{";
  for (int i = 0; i < 150; ++i)
    deep += " a {";
  deep += " b" + std::string(151, '}');
  HttpResult too_deep = http_request(port, "POST", "/graphql", R"({"query":")" + deep + "\"}",
                                     {{"Accept", "application/graphql-response+json"}});
  EXPECT_EQ(too_deep.status, 400);
  EXPECT_NE(too_deep.body.find("MAX_DEPTH_EXCEEDED"), std::string::npos) << too_deep.body;

  HttpResult unknown_op = http_request(
      port, "POST", "/graphql", R"({"query":"query A { me { name } }","operationName":"B"})", {});
  EXPECT_EQ(unknown_op.status, 200);
  EXPECT_NE(unknown_op.body.find(R"(Unknown operation named \"B\".)"), std::string::npos);

  HttpResult get = http_request(
      port, "GET", "/graphql?query=%7B+topProducts(first%3A1)+%7B+name+%7D+%7D", "", {}, "");
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, ok_answer);

  HttpResult with_plan =
      http_request(port, "POST", "/graphql", ok_query, {{"X-Orbit-Include-Query-Plan", "true"}});
  EXPECT_NE(with_plan.body.find(R"("extensions":{"queryPlan":"QueryPlan {)"), std::string::npos)
      << with_plan.body;

  for (const char* path : {"/health", "/health/live", "/health/ready"}) {
    HttpResult health = http_request(port, "GET", path, "", {}, "");
    EXPECT_EQ(health.status, 200) << path;
    // /health also names the config version being served.
    EXPECT_EQ(health.body.rfind(R"({"status":"UP")", 0), 0u) << path << ": " << health.body;
  }

  HttpResult after = http_request(port, "POST", "/graphql", ok_query, {});
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, ok_answer);
}

// A generated graph of 200 subgraphs (s000 … s199), beyond the 64 that one machine word of
// subgraph bits would hold: s000 owns Query.item and Item.name, every other s<i> adds
// Item.f<i> by the key, and s199 also has Query.last. Orbit composes it, the router loads
// the result in front of the 200 subgraphs (serve.js on a generated scenario folder) and
// answers queries whose fields come from subgraphs far past index 64.
TEST(ManySubgraphsTest, TwoHundredSubgraphsComposePlanAndServe) {
  constexpr int kSubgraphs = 200;
  char tmpl[] = "/tmp/orbit-many-subgraphs-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const fs::path dir = tmpl;
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } cleanup{dir};
  fs::create_directories(dir / "subgraphs");
  auto name_of = [](int i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "s%03d", i);
    return std::string(buf);
  };
  const std::string link =
      "extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", "
      "import: [\"@key\"])\n";
  std::vector<federation::SubgraphSource> sources;
  for (int i = 0; i < kSubgraphs; ++i) {
    const std::string name = name_of(i);
    std::string sdl = link, data;
    if (i == 0) {
      sdl +=
          "type Query { item(id: ID!): Item }\n"
          "type Item @key(fields: \"id\") { id: ID! name: String }\n";
      data = R"({"Query": {"item": {"__ref": {"__typename": "Item", "id": "1"}}},
                 "entities": {"Item": [{"id": "1", "name": "one"}, {"id": "2", "name": "two"}]}})";
    } else {
      sdl += "type Item @key(fields: \"id\") { id: ID! f" + name.substr(1) + ": String }\n";
      data = R"({"types": {"Item": {"f)" + name.substr(1) + R"(": {"__js": "'from )" + name +
             R"( for ' + obj.id"}}}})";
      if (i == kSubgraphs - 1) {
        sdl += "type Query { last: Item }\n";
        data.insert(1, R"("Query": {"last": {"__typename": "Item", "id": "2"}}, )");
      }
    }
    std::ofstream(dir / "subgraphs" / (name + ".graphql")) << sdl;
    std::ofstream(dir / "subgraphs" / (name + ".data.json")) << data;
    sources.push_back({name, "http://" + name + ".scenario.invalid/graphql", sdl});
  }
  federation::CompositionResult composed = federation::compose(sources);
  std::string errors;
  for (const auto& e : composed.errors)
    errors += "  " + e.code + ": " + e.message + "\n";
  ASSERT_TRUE(composed.ok()) << errors;

  RunningScenario running(dir.string(), nullptr, composed.supergraph_sdl);
  ASSERT_EQ(running.error(), "");
  struct Case {
    const char* query;
    const char* answer;
  };
  const Case cases[] = {
      {"{ item(id: \"1\") { name f001 f063 f064 f065 f128 f150 f199 } }",
       R"({"data":{"item":{"name":"one","f001":"from s001 for 1","f063":"from s063 for 1",)"
       R"("f064":"from s064 for 1","f065":"from s065 for 1","f128":"from s128 for 1",)"
       R"("f150":"from s150 for 1","f199":"from s199 for 1"}}})"},
      // A root field of the last subgraph, then entity jumps down to s000 and across.
      {"{ last { id name f070 f198 } }",
       R"({"data":{"last":{"id":"2","name":"two","f070":"from s070 for 2",)"
       R"("f198":"from s198 for 2"}}})"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    ASSERT_TRUE(running.reset());
    std::string body = std::string(R"({"query":)") + "\"";
    for (const char* p = c.query; *p; ++p)
      body += *p == '"' ? std::string("\\\"") : std::string(1, *p);
    body += "\"}";
    HttpResult answer = http_request(running.port(), "POST", "/graphql", body, {});
    ASSERT_TRUE(answer.error.empty()) << answer.error;
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.body, c.answer);
  }
  // The plan reaches the subgraphs past index 64 by name.
  HttpResult with_plan = http_request(running.port(), "POST", "/graphql",
                                      R"({"query":"{ item(id: \"1\") { f199 } }"})",
                                      {{"X-Orbit-Include-Query-Plan", "true"}});
  EXPECT_NE(with_plan.body.find("Fetch(service: \\\"s199\\\")"), std::string::npos)
      << with_plan.body;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioTest, ::testing::ValuesIn(scenario_names()), test_name);
INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioRoundTripTest, ::testing::ValuesIn(scenario_names()),
                         test_name);

}  // namespace
}  // namespace orbit::router
