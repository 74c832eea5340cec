// The `orbit` executable against a real orbit-controlplane process (SQLite in a temporary
// directory, port 0, its own Ed25519 keys): every registry command once as a user runs it —
// tables, --json, files written — and the exit statuses for a failed check, a publish that
// does not compose, a wrong key, a missing graph, a conflict and a stopped control plane.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/ed25519.h"
#include "process.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using orbit::testing::ChildProcess;
using orbit::testing::read_file;

const std::string kAdminKey = "orbit_00112233445566aa_Y2xpLWUyZS1ib290c3RyYXAta2V5LW9mLTMyLWJ5dGU";

const char* kProducts =
    R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { product(id: ID!): Product }
type Product @key(fields: "id") { id: ID! name: String weight: Int }
)";
// Product.weight removed: breaking (Int is still referenced, so only the field goes).
const char* kProductsBreaking =
    R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { product(id: ID!): Product }
type Product @key(fields: "id") { id: ID! name: String sku: String stock: Int }
)";
// Product.name with another type in a second subgraph, not shareable: does not compose.
const char* kReviewsClash =
    R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "id") { id: ID! name: Int reviews: [String] }
)";

struct CliResult {
  int status = -1;
  std::string output;  // stdout and stderr

  // The first output line that is a JSON object, parsed.
  orbit::JsonValue json(orbit::Arena& arena) const {
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("{", 0) == 0) {
        auto v = orbit::parse_json(line, arena);
        if (v.ok()) return *v;
      }
    }
    ADD_FAILURE() << "no JSON line in: " << output;
    return {};
  }
};

class CliControlplaneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("orbit-cli-cp-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "data");
    ASSERT_TRUE(orbit::security::generate_key_files(path("token.pem"), path("token.pub.pem")).ok());
    ASSERT_TRUE(
        orbit::security::generate_key_files(path("artifacts.pem"), path("artifacts.pub.pem")).ok());
    ::setenv("ORBIT_BOOTSTRAP_API_KEY", kAdminKey.c_str(), 1);
    ASSERT_EQ(controlplane_.start({ORBIT_CONTROLPLANE_BIN, "--listen", "127.0.0.1:0", "--data-dir",
                                   path("data"), "--signing-key", path("artifacts.pem"),
                                   "--token-key", path("token.pem"), "--org", "acme"}),
              "");
    auto line = controlplane_.wait_for_line(
        [](const std::string& l) { return l.find("serving /v1 on") != std::string::npos; }, 60s);
    ASSERT_TRUE(line) << controlplane_.output();
    static const std::string kOn = "on http://127.0.0.1:";
    size_t at = line->find(kOn);
    ASSERT_NE(at, std::string::npos) << *line;
    url_ = "http://127.0.0.1:" + std::to_string(std::atoi(line->c_str() + at + kOn.size()));
    ::setenv("ORBIT_API_URL", url_.c_str(), 1);
    ::setenv("ORBIT_API_KEY", kAdminKey.c_str(), 1);
  }
  void TearDown() override {
    controlplane_.stop();
    ::unsetenv("ORBIT_BOOTSTRAP_API_KEY");
    ::unsetenv("ORBIT_API_URL");
    ::unsetenv("ORBIT_API_KEY");
    fs::remove_all(dir_);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
    return path(name);
  }

  CliResult orbit(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {ORBIT_CLI_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    ChildProcess p;
    CliResult r;
    if (std::string e = p.start(argv); !e.empty()) {
      ADD_FAILURE() << e;
      return r;
    }
    r.status = p.wait(60s);
    r.output = p.output();
    return r;
  }

  fs::path dir_;
  std::string url_;
  ChildProcess controlplane_;
};

bool has(const CliResult& r, const std::string& text) {
  return r.output.find(text) != std::string::npos;
}

TEST_F(CliControlplaneTest, EveryCommandAgainstTheControlPlane) {
  // Namespaces.
  CliResult r = orbit({"namespace", "create", "staging"});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_EQ(r.output, "Created namespace staging.\n");
  r = orbit({"namespace", "create", "staging"});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "ALREADY_EXISTS, HTTP 409")) << r.output;
  r = orbit({"namespace", "list"});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.output.rfind("NAME     CREATED\ndefault  ", 0) == 0) << r.output;
  EXPECT_TRUE(has(r, "\nstaging  ")) << r.output;
  {
    orbit::Arena arena;
    r = orbit({"namespace", "list", "--json"});
    orbit::JsonValue v = r.json(arena);
    ASSERT_NE(v.find("items"), nullptr);
    EXPECT_EQ(v.find("items")->size(), 2u) << r.output;
  }

  // Subgraphs and a graph selecting them by label.
  r = orbit({"subgraph", "create", "products", "--routing-url", "http://127.0.0.1:4001/graphql",
             "--label", "team=catalog", "--label", "env=prod"});
  ASSERT_EQ(r.status, 0) << r.output;
  r = orbit({"subgraph", "create", "reviews", "--routing-url", "http://127.0.0.1:4002/graphql",
             "--label", "team=reviews", "--label", "env=prod"});
  ASSERT_EQ(r.status, 0) << r.output;
  r = orbit({"graph", "create", "shop", "--routing-url", "http://127.0.0.1:4000/graphql",
             "--label-matcher", "env=prod", "--label-matcher", "team=catalog,team=reviews"});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(has(r, "Created graph shop in namespace default (CDN path acme/shop).")) << r.output;

  // No config before the first composition.
  r = orbit({"graph", "fetch-config", "shop"});
  EXPECT_EQ(r.status, 4) << r.output;

  // Publish; the graph composes.
  r = orbit({"subgraph", "publish", "products", "--schema", write("products.graphql", kProducts)});
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(has(r, "Published subgraph products in namespace default: schema version 1."))
      << r.output;
  EXPECT_TRUE(has(r, "  shop: composed, artifact ")) << r.output;
  r = orbit({"subgraph", "publish", "products", "--schema", path("products.graphql")});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(has(r, "the schema is the same as version 1")) << r.output;

  // Check: a breaking change fails; the same schema passes.
  r = orbit({"subgraph", "check", "products", "--schema",
             write("products-v2.graphql", kProductsBreaking)});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "BREAKING")) << r.output;
  EXPECT_TRUE(has(r, "FIELD_REMOVED")) << r.output;
  EXPECT_TRUE(has(r, "Product.weight")) << r.output;
  EXPECT_TRUE(has(r, "error: check failed: 1 breaking change(s)")) << r.output;
  {
    orbit::Arena arena;
    r = orbit({"subgraph", "check", "products", "--schema", path("products-v2.graphql"), "--json"});
    EXPECT_EQ(r.status, 1);
    orbit::JsonValue v = r.json(arena);
    ASSERT_NE(v.find("ok"), nullptr) << r.output;
    EXPECT_FALSE(v.find("ok")->as_bool());
  }
  r = orbit({"subgraph", "check", "products", "--schema", path("products.graphql")});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(has(r, "Check passed.")) << r.output;

  // A publish that does not compose: stored, exit status 1, the errors printed.
  r = orbit(
      {"subgraph", "publish", "reviews", "--schema", write("reviews.graphql", kReviewsClash)});
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "  shop: composition FAILED")) << r.output;
  EXPECT_TRUE(has(r, "    error[")) << r.output;
  EXPECT_TRUE(has(r, "1 of 1 graphs did not compose")) << r.output;

  r = orbit({"subgraph", "list"});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(r.output.rfind("NAME      ROUTING URL                    LABELS", 0) == 0)
      << r.output;
  EXPECT_TRUE(has(r, "\nproducts  http://127.0.0.1:4001/graphql  ")) << r.output;
  EXPECT_TRUE(has(r, "team=catalog")) << r.output;
  r = orbit({"graph", "list"});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(has(r,
                  "shop  env=prod team=catalog,team=reviews  http://127.0.0.1:4000/graphql  "
                  "failed"))
      << r.output;

  // The config of the last good composition, with its signature.
  r = orbit({"graph", "fetch-config", "shop", "-o", path("router.json"), "--signature-out",
             path("router.json.sig")});
  ASSERT_EQ(r.status, 0) << r.output;
  {
    orbit::Arena arena;
    std::string artifact = read_file(path("router.json"));
    auto v = orbit::parse_json(artifact, arena);
    ASSERT_TRUE(v.ok()) << artifact;
    ASSERT_NE(v->find("supergraphSdl"), nullptr);
    EXPECT_NE(v->find("supergraphSdl")->as_string().find("weight"), std::string_view::npos);
    // The signature file verifies with the control plane's public key.
    auto sig = orbit::security::parse_signature_file(read_file(path("router.json.sig")));
    ASSERT_TRUE(sig.ok()) << sig.status().message();
    auto keys = orbit::security::load_public_keys(path("artifacts.pub.pem"));
    ASSERT_TRUE(keys.ok());
    EXPECT_TRUE(orbit::security::verify_artifact(artifact, sig->signature, *keys).ok());
  }

  // Graph tokens.
  std::string token_id;
  {
    orbit::Arena arena;
    r = orbit({"graph", "token", "create", "shop", "--name", "prod-routers", "--expires-in", "30d",
               "--json"});
    ASSERT_EQ(r.status, 0) << r.output;
    orbit::JsonValue v = r.json(arena);
    ASSERT_NE(v.find("secret"), nullptr) << r.output;
    EXPECT_EQ(
        std::count(v.find("secret")->as_string().begin(), v.find("secret")->as_string().end(), '.'),
        2);
    ASSERT_NE(v.find("token"), nullptr);
    token_id = std::string(v.find("token")->find("id")->as_string());
  }
  r = orbit({"graph", "token", "list", "shop"});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(has(r, token_id + "  prod-routers  ")) << r.output;
  r = orbit({"graph", "token", "revoke", "shop", token_id});
  EXPECT_EQ(r.status, 0) << r.output;
  r = orbit({"graph", "token", "revoke", "shop", token_id});
  EXPECT_EQ(r.status, 1) << r.output;

  // Wrong key, missing graph, bad name.
  r = orbit({"graph", "list", "--api-key",
             "orbit_ffffffffffffffff_d3JvbmctYXBpLWtleS1vZi10aGlydHktdHdvLWJ5dGU"});
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_TRUE(has(r, "UNAUTHENTICATED, HTTP 401")) << r.output;
  r = orbit({"graph", "delete", "nope"});
  EXPECT_EQ(r.status, 4) << r.output;
  r = orbit({"graph", "delete", "Nope!"});
  EXPECT_EQ(r.status, 2) << r.output;

  // Deletes.
  r = orbit({"subgraph", "delete", "reviews"});
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(has(r, "Recomposed without it:")) << r.output;
  EXPECT_TRUE(has(r, "  shop: composed")) << r.output;
  r = orbit({"graph", "delete", "shop"});
  EXPECT_EQ(r.status, 0) << r.output;
  r = orbit({"graph", "list", "--json"});
  EXPECT_EQ(r.status, 0);
  EXPECT_TRUE(has(r, R"({"items":[]})")) << r.output;

  // The control plane is gone: exit status 5.
  controlplane_.stop();
  r = orbit({"namespace", "list"});
  EXPECT_EQ(r.status, 5) << r.output;
  EXPECT_TRUE(has(r, "cannot reach the control plane at " + url_)) << r.output;
}

}  // namespace
