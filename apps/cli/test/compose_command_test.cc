// orbit compose: graph.yaml parsing, the artifact written, composition errors reported with
// code/subgraph/location and exit status 1, bad input exit status 2, and SDL fetched over real
// HTTP from a subgraph on 127.0.0.1.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/cli/compose_command.h"
#include "orbit/cli/graph_config.h"
#include "orbit/config/artifact.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_server.h"

namespace fs = std::filesystem;
using namespace orbit::cli;

namespace {

const char* kProducts =
    R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { products: [Product] }
type Product @key(fields: "id") { id: ID! name: String }
)";
const char* kReviews =
    R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "id") { id: ID! reviews: [String] }
)";

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("orbit-cli-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return path_ / name;
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  static inline int counter_ = 0;
};

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

orbit::Result<std::string> no_fetch(const std::string& url,
                                    const std::map<std::string, std::string>&, int) {
  return orbit::Status(orbit::ErrorCode::kUnavailable, "no network in this test: " + url);
}

TEST(GraphConfig, ParsesFilesUrlsAndSubscriptions) {
  auto c = parse_graph_config(R"(
subgraphs:
  products:
    routing_url: http://products:4001/graphql
    schema:
      file: products.graphql
  reviews:
    routing_url: https://reviews/graphql
    schema:
      subgraph_url: http://127.0.0.1:4002/graphql
      headers: {Authorization: "Bearer x"}
    subscription:
      url: wss://reviews/ws
      protocol: sse_post
)",
                              "graph.yaml", "/base");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->subgraphs.size(), 2u);
  EXPECT_EQ(c->subgraphs[0].name, "products");
  EXPECT_EQ(c->subgraphs[0].schema_file, fs::path("/base/products.graphql"));
  EXPECT_EQ(c->subgraphs[1].introspection_url, "http://127.0.0.1:4002/graphql");
  EXPECT_EQ(c->subgraphs[1].introspection_headers.at("Authorization"), "Bearer x");
  EXPECT_EQ(c->subgraphs[1].subscription_url, "wss://reviews/ws");
  EXPECT_EQ(c->subgraphs[1].subscription_protocol, "sse_post");
}

TEST(GraphConfig, RejectsBadInputWithFileLineAndKey) {
  struct Case {
    const char* yaml;
    const char* expected;
  } cases[] = {
      {"subgraphs: {}\n", "subgraphs: expected a mapping"},
      {"subgraphs:\n  a:\n    schema: {file: a.graphql}\n", "subgraphs.a.routing_url: required"},
      {"subgraphs:\n  a:\n    routing_url: ftp://x\n    schema: {file: a}\n",
       "graph.yaml:3: subgraphs.a.routing_url: expected an http:// or https:// URL"},
      {"subgraphs:\n  a:\n    routing_url: http://x\n", "subgraphs.a.schema: required"},
      {"subgraphs:\n  a:\n    routing_url: http://x\n    schema: {file: a, subgraph_url: "
       "http://y}\n",
       "set either file or subgraph_url"},
      {"subgraphs:\n  a:\n    routing_url: http://x\n    schema: {file: a}\n    extra: 1\n",
       "subgraphs.a.extra: unknown key"},
      {"subgraphs:\n  a:\n    routing_url: http://x\n    schema: {file: a}\n    subscription: "
       "{protocol: carrier-pigeon}\n",
       "expected ws, sse or sse_post"},
      {"subgraphs: [\n", "graph.yaml:"},
  };
  for (const auto& c : cases) {
    auto r = parse_graph_config(c.yaml, "graph.yaml", "/");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_NE(r.status().message().find(c.expected), std::string::npos)
        << r.status().message() << "\nexpected to contain: " << c.expected;
  }
}

TEST(GraphConfig, TakesAsManySubgraphsAsASupergraphHolds) {
  auto file = [](int n) {
    std::string yaml = "subgraphs:\n";
    for (int i = 0; i < n; ++i) {
      std::string name = "s" + std::to_string(i);
      yaml += "  " + name + ":\n    routing_url: http://127.0.0.1:1/" + name +
              "\n    schema: {file: " + name + ".graphql}\n";
    }
    return yaml;
  };
  auto most = parse_graph_config(file(256), "graph.yaml", "/");
  ASSERT_TRUE(most.ok()) << most.status().message();
  EXPECT_EQ(most->subgraphs.size(), 256u);
  auto over = parse_graph_config(file(257), "graph.yaml", "/");
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.status().message().find("at most 256 subgraphs"), std::string::npos)
      << over.status().message();
}

TEST(ComposeCommand, WritesTheArtifactAndTheSupergraph) {
  TempDir dir;
  dir.write("products.graphql", kProducts);
  dir.write("reviews.graphql", kReviews);
  fs::path yaml = dir.write("graph.yaml", R"(subgraphs:
  products:
    routing_url: http://products:4001/graphql
    schema: {file: products.graphql}
  reviews:
    routing_url: http://reviews:4002/graphql
    schema: {file: reviews.graphql}
    subscription: {url: ws://reviews:4002/ws, protocol: ws}
)");
  ComposeCommandOptions o;
  o.input = yaml.string();
  o.output = (dir.path() / "router.json").string();
  o.supergraph_out = (dir.path() / "supergraph.graphql").string();
  std::ostringstream out, err;
  ASSERT_EQ(run_compose(o, out, err, no_fetch), 0) << err.str();
  std::string sdl = read(o.supergraph_out);
  EXPECT_NE(sdl.find("@join__graph(name: \"reviews\", url: \"http://reviews:4002/graphql\")"),
            std::string::npos);
  auto artifact = orbit::config::parse_artifact(read(o.output), "router.json");
  ASSERT_TRUE(artifact.ok()) << artifact.status().message();
  EXPECT_EQ(artifact->supergraph_sdl, sdl);
  EXPECT_EQ(artifact->version, sha256_hex(sdl));
  EXPECT_EQ(artifact->version.size(), 64u);
  EXPECT_TRUE(orbit::config::is_rfc3339(artifact->created_at));
  ASSERT_EQ(artifact->subgraphs.size(), 2u);
  EXPECT_EQ(artifact->subgraphs[1].subscription_url, "ws://reviews:4002/ws");
  EXPECT_NE(err.str().find("composed 2 subgraphs"), std::string::npos);
  EXPECT_FALSE(fs::exists(o.output + ".tmp"));
}

TEST(ComposeCommand, CompositionErrorsNameCodeSubgraphAndLocationAndExit1) {
  TempDir dir;
  const char* shared =
      R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query {
  hello: String
}
)";
  dir.write("a.graphql", shared);
  dir.write("b.graphql", shared);
  fs::path yaml = dir.write("graph.yaml",
                            "subgraphs:\n  a:\n    routing_url: http://a/graphql\n    schema: "
                            "{file: a.graphql}\n  b:\n    routing_url: http://b/graphql\n    "
                            "schema: {file: b.graphql}\n");
  ComposeCommandOptions o;
  o.input = yaml.string();
  o.output = (dir.path() / "router.json").string();
  std::ostringstream out, err;
  EXPECT_EQ(run_compose(o, out, err, no_fetch), 1);
  EXPECT_NE(err.str().find("error[INVALID_FIELD_SHARING]: Non-shareable field \"Query.hello\""),
            std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("--> subgraph \"b\", line 3, column 3"), std::string::npos) << err.str();
  EXPECT_FALSE(fs::exists(o.output));
}

TEST(ComposeCommand, BadInputExits2) {
  TempDir dir;
  fs::path yaml = dir.write("graph.yaml",
                            "subgraphs:\n  a:\n    routing_url: http://a/graphql\n    schema: "
                            "{file: missing.graphql}\n");
  ComposeCommandOptions o;
  o.input = yaml.string();
  o.output = (dir.path() / "router.json").string();
  std::ostringstream out, err;
  EXPECT_EQ(run_compose(o, out, err, no_fetch), 2);
  EXPECT_NE(err.str().find("subgraph \"a\""), std::string::npos);
  EXPECT_NE(err.str().find("missing.graphql"), std::string::npos);

  o.input = (dir.path() / "nope.yaml").string();
  std::ostringstream err2;
  EXPECT_EQ(run_compose(o, out, err2, no_fetch), 2);
  EXPECT_NE(err2.str().find("cannot read"), std::string::npos);
}

// A subgraph answering { _service { sdl } } on 127.0.0.1 (port 0).
class ServiceServer {
 public:
  explicit ServiceServer(int status, std::string body) {
    loop_.start();
    server_ = std::make_unique<orbit::net::HttpServer>(
        std::vector<orbit::net::EventLoop*>{&loop_}, orbit::net::HttpServerOptions{},
        [this, status, body](orbit::net::HttpRequest&& req, orbit::net::HttpResponder res) {
          last_body_ = req.body;
          last_auth_ = std::string(req.headers.get("authorization").value_or(""));
          orbit::net::HttpHeaders h;
          h.set("content-type", "application/json");
          res.send(status, std::move(h), body);
        });
    EXPECT_TRUE(server_->start().ok());
  }
  ~ServiceServer() {
    server_->stop(std::chrono::milliseconds(1000));
    server_.reset();
    loop_.stop();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/graphql";
  }
  std::string last_body_, last_auth_;

 private:
  orbit::net::EventLoop loop_;
  std::unique_ptr<orbit::net::HttpServer> server_;
};

std::string service_answer(const std::string& sdl) {
  std::string escaped;
  for (char c : sdl) {
    if (c == '"' || c == '\\') escaped += '\\';
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped += c;
  }
  return "{\"data\":{\"_service\":{\"sdl\":\"" + escaped + "\"}}}";
}

TEST(ComposeCommand, FetchesSdlFromARunningSubgraph) {
  ServiceServer reviews(200, service_answer(kReviews));
  TempDir dir;
  dir.write("products.graphql", kProducts);
  fs::path yaml =
      dir.write("graph.yaml",
                "subgraphs:\n  products:\n    routing_url: http://products/graphql\n    "
                "schema: {file: products.graphql}\n  reviews:\n    routing_url: "
                "http://reviews/graphql\n    schema:\n      subgraph_url: " +
                    reviews.url() + "\n      headers: {Authorization: Bearer t0k}\n");
  ComposeCommandOptions o;
  o.input = yaml.string();
  o.output = "-";
  std::ostringstream out, err;
  ASSERT_EQ(run_compose(o, out, err), 0) << err.str();
  EXPECT_NE(reviews.last_body_.find("_service"), std::string::npos);
  EXPECT_EQ(reviews.last_auth_, "Bearer t0k");
  auto artifact = orbit::config::parse_artifact(out.str(), "stdout");
  ASSERT_TRUE(artifact.ok()) << artifact.status().message();
  EXPECT_NE(artifact->supergraph_sdl.find("reviews: [String] @join__field(graph: REVIEWS)"),
            std::string::npos);
}

TEST(ComposeCommand, FetchFailuresAreReported) {
  ServiceServer broken(500, "{}");
  auto r = fetch_service_sdl(broken.url(), {}, 2000);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("HTTP 500"), std::string::npos);
  ServiceServer no_sdl(200, R"({"errors":[{"message":"Cannot query field \"_service\""}]})");
  r = fetch_service_sdl(no_sdl.url(), {}, 2000);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Cannot query field"), std::string::npos);
}

}  // namespace
