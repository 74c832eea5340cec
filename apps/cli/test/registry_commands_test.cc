// The registry commands against a small HTTP server on 127.0.0.1 (port 0) that answers as
// docs/api.md specifies: the requests sent (method, path, key, body), the tables and sentences
// printed, --json output, pagination, and the exit status for every kind of answer. The same
// commands against the real orbit-controlplane: cli_controlplane_test.cc.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/cli/registry_commands.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_server.h"

namespace fs = std::filesystem;
using namespace orbit::cli;

namespace {

constexpr const char* kKey = "orbit_0123456789abcdef_b3JiaXQtY2xpLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmch";

struct Answer {
  int status = 200;
  std::string body;
  std::map<std::string, std::string> headers;
};

struct Seen {
  std::string method, target, auth, content_type, body;
};

// Answers "METHOD /target" (with the query) from a table; anything else is 404 NOT_FOUND.
class FakeApi {
 public:
  FakeApi() {
    loop_.start();
    server_ = std::make_unique<orbit::net::HttpServer>(
        std::vector<orbit::net::EventLoop*>{&loop_}, orbit::net::HttpServerOptions{},
        [this](orbit::net::HttpRequest&& req, orbit::net::HttpResponder res) {
          Answer a;
          {
            std::lock_guard<std::mutex> lock(mu_);
            seen_.push_back({req.method, req.target,
                             std::string(req.headers.get("authorization").value_or("")),
                             std::string(req.headers.get("content-type").value_or("")), req.body});
            auto it = answers_.find(req.method + " " + req.target);
            if (it == answers_.end()) {
              // "GET /path?*" answers any query of the path (times the command computes).
              std::string path = req.target.substr(0, req.target.find('?'));
              it = answers_.find(req.method + " " + path + "?*");
            }
            if (it != answers_.end()) {
              a = it->second;
            } else {
              a.status = 404;
              a.body = R"({"error":{"code":"NOT_FOUND","message":"no such path )" + req.target +
                       R"(","details":null}})";
            }
          }
          orbit::net::HttpHeaders h;
          h.set("content-type", "application/json; charset=utf-8");
          for (const auto& [k, v] : a.headers)
            h.set(k, v);
          res.send(a.status, std::move(h), a.body);
        });
    EXPECT_TRUE(server_->start().ok());
  }
  ~FakeApi() {
    server_->stop(std::chrono::milliseconds(1000));
    server_.reset();
    loop_.stop();
  }
  void on(const std::string& request, int status, std::string body,
          std::map<std::string, std::string> headers = {}) {
    std::lock_guard<std::mutex> lock(mu_);
    answers_[request] = Answer{status, std::move(body), std::move(headers)};
  }
  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

 private:
  std::mutex mu_;
  std::map<std::string, Answer> answers_;
  std::vector<Seen> seen_;
  orbit::net::EventLoop loop_;
  std::unique_ptr<orbit::net::HttpServer> server_;
};

struct CliRun {
  int status = -1;
  std::string out, err;
};

class RegistryCommandsTest : public ::testing::Test {
 protected:
  RegistryOptions opts(RegistryAction action) {
    RegistryOptions o;
    o.action = action;
    o.api_url = api_.url();
    o.api_key = kKey;
    o.timeout_ms = 5000;
    return o;
  }
  CliRun run(const RegistryOptions& o, const std::string& stdin_text = "") {
    std::istringstream in(stdin_text);
    std::ostringstream out, err;
    CliRun r;
    r.status = run_registry_command(o, in, out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
  }
  fs::path temp(const std::string& name) {
    fs::path dir =
        fs::temp_directory_path() / ("orbit-registry-cli-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    dirs_.push_back(dir);
    return dir / name;
  }
  void TearDown() override {
    for (const auto& d : dirs_)
      fs::remove_all(d);
  }

  FakeApi api_;
  std::vector<fs::path> dirs_;
};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_F(RegistryCommandsTest, NamespaceCreateSendsNameAndKey) {
  api_.on("POST /v1/namespaces", 201,
          R"({"namespace":{"name":"staging","createdAt":"2026-11-27T04:15:00.123Z"}})");
  RegistryOptions o = opts(RegistryAction::kNamespaceCreate);
  o.name = "staging";
  CliRun r = run(o);
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out, "Created namespace staging.\n");
  auto seen = api_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/v1/namespaces");
  EXPECT_EQ(seen[0].auth, std::string("Bearer ") + kKey);
  EXPECT_EQ(seen[0].content_type, "application/json");
  EXPECT_EQ(seen[0].body, R"({"name":"staging"})");

  o.json = true;
  r = run(o);
  EXPECT_EQ(r.out, R"({"namespace":{"name":"staging","createdAt":"2026-11-27T04:15:00.123Z"}})"
                   "\n");
}

TEST_F(RegistryCommandsTest, ListsFollowEveryPageAndPrintATable) {
  api_.on("GET /v1/namespaces?limit=100", 200,
          R"({"items":[{"name":"default","createdAt":"2026-11-27T04:15:00.123Z"}],)"
          R"("nextCursor":"eyJp+/=="})");
  api_.on("GET /v1/namespaces?limit=100&cursor=eyJp%2B%2F%3D%3D", 200,
          R"({"items":[{"name":"staging-eu","createdAt":"2026-11-28T10:00:00.000Z"}],)"
          R"("nextCursor":null})");
  CliRun r = run(opts(RegistryAction::kNamespaceList));
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "NAME        CREATED\n"
            "default     2026-11-27 04:15\n"
            "staging-eu  2026-11-28 10:00\n");
  RegistryOptions o = opts(RegistryAction::kNamespaceList);
  o.json = true;
  r = run(o);
  EXPECT_EQ(r.out, R"({"items":[{"name":"default","createdAt":"2026-11-27T04:15:00.123Z"},)"
                   R"({"name":"staging-eu","createdAt":"2026-11-28T10:00:00.000Z"}]})"
                   "\n");
}

TEST_F(RegistryCommandsTest, TablesDoNotPassControlCharacters) {
  api_.on("GET /v1/namespaces?limit=100", 200,
          R"({"items":[{"name":"ev\u001b[31mil\nx","createdAt":null}],"nextCursor":null})");
  CliRun r = run(opts(RegistryAction::kNamespaceList));
  EXPECT_EQ(r.status, kExitOk);
  EXPECT_EQ(r.out,
            "NAME         CREATED\n"
            "ev?[31mil?x  -\n");
}

TEST_F(RegistryCommandsTest, GraphCreateAndList) {
  api_.on("POST /v1/namespaces/prod/graphs", 201,
          R"({"graph":{"name":"shop","namespace":"prod","cdnPath":"acme/prod.shop"},)"
          R"("composition":{"id":3,"graph":"shop","status":"succeeded",)"
          R"("artifactVersion":"c3-abc","errors":[]}})");
  RegistryOptions o = opts(RegistryAction::kGraphCreate);
  o.ns = "prod";
  o.name = "shop";
  o.routing_url = "https://shop.example.com/graphql";
  o.label_matchers = {"team=a,team=b", "env=prod"};
  CliRun r = run(o);
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "Created graph shop in namespace prod (CDN path acme/prod.shop).\n"
            "  shop: composed, artifact c3-abc\n");
  EXPECT_EQ(api_.seen().back().body,
            R"({"name":"shop","routingUrl":"https://shop.example.com/graphql",)"
            R"("labelMatchers":["team=a,team=b","env=prod"]})");

  api_.on("GET /v1/namespaces/default/graphs?limit=100", 200,
          R"({"items":[{"name":"shop","routingUrl":"https://shop.example.com/graphql",)"
          R"("labelMatchers":["env=prod"],"updatedAt":"2026-11-27T04:15:00.123Z",)"
          R"("latestComposition":{"id":17,"status":"failed","artifactVersion":null}}],)"
          R"("nextCursor":null})");
  r = run(opts(RegistryAction::kGraphList));
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "NAME  LABEL MATCHERS  ROUTING URL                       LATEST COMPOSITION  UPDATED\n"
            "shop  env=prod        https://shop.example.com/graphql  failed              "
            "2026-11-27 04:15\n");
}

TEST_F(RegistryCommandsTest, PublishPrintsCompositionsAndFailsWhenOneDoesNotCompose) {
  fs::path schema = temp("products.graphql");
  std::ofstream(schema) << "type Query { a: Int }\n";
  api_.on("POST /v1/namespaces/default/subgraphs/products/publish", 200,
          R"({"subgraph":"products","namespace":"default","schemaVersion":{"version":4},)"
          R"("unchanged":false,"compositions":[{"id":18,"graph":"shop","status":"succeeded",)"
          R"("artifactVersion":"c18-1b2c","errors":[],"hints":[]}]})");
  RegistryOptions o = opts(RegistryAction::kSubgraphPublish);
  o.name = "products";
  o.schema_file = schema.string();
  CliRun r = run(o);
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "Published subgraph products in namespace default: schema version 4.\n"
            "  shop: composed, artifact c18-1b2c\n");
  EXPECT_EQ(api_.seen().back().body, R"({"sdl":"type Query { a: Int }\n"})");

  // 422: stored, but a graph did not compose; the result is in error.details.
  api_.on("POST /v1/namespaces/default/subgraphs/products/publish", 422,
          R"({"error":{"code":"COMPOSITION_FAILED","message":"1 graph did not compose",)"
          R"("details":{"subgraph":"products","schemaVersion":{"version":5},"unchanged":false,)"
          R"("compositions":[{"id":19,"graph":"shop-eu","status":"failed","errors":[)"
          R"({"code":"FIELD_TYPE_MISMATCH","message":"Type of field T.x is incompatible",)"
          R"("locations":[{"subgraph":"reviews","line":3,"column":5}]}],"hints":[]}]}}})");
  r = run(o);
  EXPECT_EQ(r.status, kExitFailed);
  EXPECT_EQ(r.out,
            "Published subgraph products in namespace default: schema version 5.\n"
            "  shop-eu: composition FAILED\n"
            "    error[FIELD_TYPE_MISMATCH]: Type of field T.x is incompatible (reviews:3:5)\n");
  EXPECT_TRUE(contains(r.err, "1 of 1 graphs did not compose")) << r.err;
  o.json = true;
  r = run(o);
  EXPECT_EQ(r.status, kExitFailed);
  EXPECT_TRUE(contains(r.out, R"("schemaVersion":{"version":5})")) << r.out;

  // Unchanged schema; SDL from standard input.
  api_.on("POST /v1/namespaces/default/subgraphs/products/publish", 200,
          R"({"subgraph":"products","schemaVersion":{"version":5},"unchanged":true,)"
          R"("compositions":[]})");
  o.json = false;
  o.schema_file = "-";
  r = run(o, "type Query { b: Int }");
  EXPECT_EQ(r.status, kExitOk);
  EXPECT_EQ(r.out,
            "Subgraph products: the schema is the same as version 5; nothing was published.\n");
  EXPECT_EQ(api_.seen().back().body, R"({"sdl":"type Query { b: Int }"})");
}

TEST_F(RegistryCommandsTest, CheckListsChangesAndFailsOnBreaking) {
  fs::path schema = temp("products.graphql");
  std::ofstream(schema) << "type Query { a: Int }\n";
  const std::string weight =
      R"({"type":"FIELD_REMOVED","severity":"BREAKING","path":"Product.weight",)"
      R"("message":"Field Product.weight was removed.","breaking":true,"usage":{"requests":120,)"
      R"("operations":[{"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",)"
      R"("name":"TopProducts","requests":120,"clients":[{"name":"web","version":"1.2"},)"
      R"({"name":"ios","version":""}]}]},"safe":false})";
  const std::string sku = R"({"type":"FIELD_REMOVED","severity":"BREAKING","path":"Product.sku",)"
                          R"("message":"Field Product.sku was removed.","breaking":true,)"
                          R"("usage":{"requests":0,"operations":[]},"safe":true})";
  api_.on(
      "POST /v1/namespaces/default/subgraphs/products/check", 200,
      R"({"ok":false,"usageWindowDays":7,"compositions":[{"graph":"shop","status":"succeeded","errors":[]}],)"
      R"("changes":[)" +
          sku + "," + weight +
          R"(,{"type":"ENUM_VALUE_ADDED","severity":"DANGEROUS","path":"Color.BLUE",)"
          R"("message":"Enum value Color.BLUE was added.","breaking":false}],)"
          R"("breakingChanges":[)" +
          sku + "," + weight + "]}");
  RegistryOptions o = opts(RegistryAction::kSubgraphCheck);
  o.name = "products";
  o.schema_file = schema.string();
  CliRun r = run(o);
  EXPECT_EQ(r.status, kExitFailed);
  EXPECT_EQ(r.out,
            "Compositions:\n"
            "  shop: composed\n"
            "Changes:\n"
            "  SEVERITY   CHANGE            COORDINATE      MESSAGE\n"
            "  BREAKING   FIELD_REMOVED     Product.sku     Field Product.sku was removed.\n"
            "  BREAKING   FIELD_REMOVED     Product.weight  Field Product.weight was removed.\n"
            "  DANGEROUS  ENUM_VALUE_ADDED  Color.BLUE      Enum value Color.BLUE was added.\n"
            "Usage of the breaking changes (last 7 days):\n"
            "  Product.sku: not used in the last 7 days \xe2\x80\x94 safe\n"
            "  Product.weight: 120 requests by 1 operation(s)\n"
            "    TopProducts 0123456789ab  120 requests  clients: web 1.2, ios\n");
  EXPECT_EQ(r.err, "error: check failed: 1 breaking change(s) in use or of unknown use\n");
  EXPECT_EQ(api_.seen().back().body.find("usageWindowDays"), std::string::npos);

  api_.on("POST /v1/namespaces/default/subgraphs/products/check", 200,
          R"({"ok":true,"compositions":[],"changes":[],"breakingChanges":[]})");
  o.usage_window_days = 3;
  r = run(o);
  EXPECT_EQ(r.status, kExitOk);
  EXPECT_EQ(r.out, "No schema changes against the latest published version.\nCheck passed.\n");
  EXPECT_NE(api_.seen().back().body.find(R"("usageWindowDays":3)"), std::string::npos);
}

TEST_F(RegistryCommandsTest, SubgraphCreateSendsLabelsAndSubscription) {
  api_.on("POST /v1/namespaces/default/subgraphs", 201, R"({"subgraph":{"name":"reviews"}})");
  RegistryOptions o = opts(RegistryAction::kSubgraphCreate);
  o.name = "reviews";
  o.routing_url = "http://reviews:4002/graphql";
  o.labels = {"team=a", "env=prod"};
  o.subscription_url = "ws://reviews:4002/ws";
  o.subscription_protocol = "ws";
  CliRun r = run(o);
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(api_.seen().back().body,
            R"({"name":"reviews","routingUrl":"http://reviews:4002/graphql",)"
            R"("labels":{"team":"a","env":"prod"},"subscriptionUrl":"ws://reviews:4002/ws",)"
            R"("subscriptionProtocol":"ws"})");
}

TEST_F(RegistryCommandsTest, TokensCreateListRevoke) {
  api_.on("POST /v1/namespaces/default/graphs/shop/tokens", 201,
          R"({"token":{"id":"q3JxV0d2bW9tY2Z0eXJ1","name":"prod-routers",)"
          R"("expiresAt":"2027-02-25T04:15:00.000Z"},"secret":"eyJhbGciOiJFZERTQSJ9.e30.sig"})");
  RegistryOptions o = opts(RegistryAction::kTokenCreate);
  o.graph = "shop";
  o.token_name = "prod-routers";
  o.expires_in = "90d";
  CliRun r = run(o);
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(api_.seen().back().body, R"({"name":"prod-routers","expiresIn":7776000})");
  EXPECT_TRUE(contains(r.out, "\n\neyJhbGciOiJFZERTQSJ9.e30.sig\n\n")) << r.out;

  api_.on("GET /v1/namespaces/default/graphs/shop/tokens?limit=100", 200,
          R"({"items":[{"id":"q3JxV0d2bW9tY2Z0eXJ1","name":"prod-routers",)"
          R"("createdAt":"2026-11-27T04:15:00.123Z","expiresAt":null,"revokedAt":null}],)"
          R"("nextCursor":null})");
  RegistryOptions l = opts(RegistryAction::kTokenList);
  l.graph = "shop";
  r = run(l);
  EXPECT_EQ(r.status, kExitOk);
  EXPECT_EQ(r.out,
            "ID                    NAME          CREATED           EXPIRES  REVOKED\n"
            "q3JxV0d2bW9tY2Z0eXJ1  prod-routers  2026-11-27 04:15  -        -\n");

  api_.on("DELETE /v1/namespaces/default/graphs/shop/tokens/q3JxV0d2bW9tY2Z0eXJ1", 409,
          R"({"error":{"code":"FAILED_PRECONDITION","message":"token is already revoked"}})");
  RegistryOptions v = opts(RegistryAction::kTokenRevoke);
  v.graph = "shop";
  v.token_id = "q3JxV0d2bW9tY2Z0eXJ1";
  r = run(v);
  EXPECT_EQ(r.status, kExitFailed);
  EXPECT_EQ(r.err, "error: token is already revoked (FAILED_PRECONDITION, HTTP 409)\n");
}

TEST_F(RegistryCommandsTest, FetchConfigWritesArtifactAndSignature) {
  const std::string artifact = R"({"version":"c17-9f86","supergraphSdl":"type Query{a:Int}"})";
  api_.on("GET /v1/namespaces/default/graphs/shop/config", 200, artifact,
          {{"etag", "\"c17-9f86\""}, {"x-orbit-signature", "ed25519:AAAA"}});
  RegistryOptions o = opts(RegistryAction::kFetchConfig);
  o.graph = "shop";
  o.output = temp("router.json").string();
  o.signature_out = temp("router.json.sig").string();
  CliRun r = run(o);
  EXPECT_EQ(r.status, kExitOk) << r.err;
  std::ifstream in(o.output);
  std::stringstream body;
  body << in.rdbuf();
  EXPECT_EQ(body.str(), artifact);
  std::ifstream sig(o.signature_out);
  std::string line;
  std::getline(sig, line);
  EXPECT_EQ(line, "ed25519:AAAA");
  EXPECT_TRUE(contains(r.err, "(version c17-9f86)")) << r.err;

  o.output.clear();
  o.signature_out.clear();
  r = run(o);
  EXPECT_EQ(r.out, artifact + "\n");
}

TEST_F(RegistryCommandsTest, ExitStatusForEveryKindOfAnswer) {
  struct Case {
    int http;
    const char* code;
    int exit;
  };
  const Case cases[] = {
      {400, "INVALID_ARGUMENT", kExitUsage}, {401, "UNAUTHENTICATED", kExitAuth},
      {403, "PERMISSION_DENIED", kExitAuth}, {404, "NOT_FOUND", kExitNotFound},
      {409, "ALREADY_EXISTS", kExitFailed},  {413, "PAYLOAD_TOO_LARGE", kExitUsage},
      {500, "INTERNAL", kExitFailed},        {503, "UNAVAILABLE", kExitUnreachable},
  };
  RegistryOptions o = opts(RegistryAction::kGraphDelete);
  o.name = "shop";
  for (const Case& c : cases) {
    api_.on("DELETE /v1/namespaces/default/graphs/shop", c.http,
            std::string(R"({"error":{"code":")") + c.code + R"(","message":"because"}})");
    CliRun r = run(o);
    EXPECT_EQ(r.status, c.exit) << c.http;
    EXPECT_TRUE(contains(r.err, std::string("because (") + c.code)) << r.err;
  }
  // --json: the error object on standard output too.
  o.json = true;
  CliRun r = run(o);
  EXPECT_EQ(r.out, R"({"error":{"code":"UNAVAILABLE","message":"because"}})"
                   "\n");
  // An answer that is not the API's (a wrong URL).
  api_.on("DELETE /v1/namespaces/default/graphs/shop", 502, "<html>bad gateway</html>");
  o.json = false;
  r = run(o);
  EXPECT_EQ(r.status, kExitFailed);
  EXPECT_TRUE(contains(r.err, "answered HTTP 502")) << r.err;
  // 200 with a body that is not JSON.
  api_.on("DELETE /v1/namespaces/default/graphs/shop", 200, "deleted");
  r = run(o);
  EXPECT_EQ(r.status, kExitFailed);
  EXPECT_TRUE(contains(r.err, "is not JSON")) << r.err;
}

TEST_F(RegistryCommandsTest, PublishToAnUnknownSubgraphSaysHowToCreateIt) {
  RegistryOptions o = opts(RegistryAction::kSubgraphPublish);
  o.name = "inventory";
  o.schema_file = "-";
  CliRun r = run(o, "type Query { a: Int }");
  EXPECT_EQ(r.status, kExitNotFound);
  EXPECT_TRUE(contains(r.err, "(NOT_FOUND, HTTP 404)")) << r.err;
  EXPECT_TRUE(contains(r.err,
                       "hint: a subgraph is registered once with `orbit subgraph create "
                       "inventory --routing-url URL`"))
      << r.err;
}

TEST_F(RegistryCommandsTest, UnreachableServer) {
  RegistryOptions o = opts(RegistryAction::kNamespaceList);
  o.api_url = "http://127.0.0.1:1";
  CliRun r = run(o);
  EXPECT_EQ(r.status, kExitUnreachable);
  EXPECT_TRUE(contains(r.err, "cannot reach the control plane at http://127.0.0.1:1")) << r.err;
}

TEST_F(RegistryCommandsTest, GraphUsageAndRouters) {
  api_.on(
      "GET /v1/namespaces/default/graphs/shop/usage?*", 200,
      R"({"from":"2026-11-26T08:00:00Z","to":"2026-11-27T08:00:00Z","step":600,"series":[],)"
      R"("totals":{"requests":200,"errors":5,"p50Ms":7.5,"p95Ms":1250,"p99Ms":null},)"
      R"("operations":[{"hash":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",)"
      R"("name":null,"type":"query","requests":200,"errors":5,"p95Ms":1250}],)"
      R"("clients":[{"name":"","version":"","requests":200,"errors":5}]})");
  RegistryOptions o = opts(RegistryAction::kGraphUsage);
  o.graph = "shop";
  o.client = "web app";
  o.operation = std::string(64, 'A');
  CliRun r = run(o);
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(r.out,
            "Graph shop (namespace default), last 24h: 2026-11-26 08:00 to 2026-11-27 08:00 UTC\n"
            "Requests 200, errors 5 (2.50%), latency p50 7.5 ms, p95 1.25 s, p99 -\n"
            "\n"
            "Top operations:\n"
            "  OPERATION    TYPE   HASH          REQUESTS  ERRORS  P95\n"
            "  (anonymous)  query  0123456789ab  200       5       1.25 s\n"
            "\n"
            "Clients:\n"
            "  CLIENT  VERSION  REQUESTS  ERRORS\n"
            "  -       -        200       5\n");
  std::string target = api_.seen().back().target;
  EXPECT_EQ(target.rfind("/v1/namespaces/default/graphs/shop/usage?from=", 0), 0u) << target;
  EXPECT_TRUE(contains(target, "&operation=" + std::string(64, 'A'))) << target;
  EXPECT_TRUE(contains(target, "&client=web%20app")) << target;

  api_.on("GET /v1/namespaces/default/graphs/shop/usage/fields?*", 200,
          R"({"from":"2026-11-20T08:00:00Z","to":"2026-11-27T08:00:00Z","fields":[)"
          R"({"coordinate":"User.name","requests":12,"operations":2,"clients":1,)"
          R"("lastUsed":"2026-11-27T07:58:00Z"}]})");
  RegistryOptions f = opts(RegistryAction::kGraphUsage);
  f.graph = "shop";
  f.fields = true;
  f.since = "7d";
  r = run(f);
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_TRUE(contains(r.out,
                       "FIELD      REQUESTS  OPERATIONS  CLIENTS  LAST USED\n"
                       "User.name  12        2           1        2026-11-27 07:58\n"))
      << r.out;
  f.json = true;
  r = run(f);
  EXPECT_TRUE(contains(r.out, R"("coordinate":"User.name")")) << r.out;

  api_.on("GET /v1/namespaces/default/graphs/shop/routers", 200,
          R"({"items":[{"id":"r1","host":"node-1","orbitVersion":"0.1.0","configVersion":"c3-aa",)"
          R"("firstSeen":"2026-11-27T06:00:00Z","lastSeen":"2026-11-27T08:00:00Z",)"
          R"("seenVia":["cdn","usage"],"status":"stale"},)"
          R"({"id":"r2","host":"node-2","orbitVersion":"0.1.0","configVersion":"c3-aa",)"
          R"("firstSeen":"2026-11-27T07:00:00Z","lastSeen":"2026-11-27T08:01:00Z",)"
          R"("seenVia":["cdn"],"status":"healthy"}]})");
  RegistryOptions routers = opts(RegistryAction::kGraphRouters);
  routers.graph = "shop";
  r = run(routers);
  EXPECT_EQ(r.status, kExitOk) << r.err;
  EXPECT_EQ(
      r.out,
      "ID  HOST    VERSION  CONFIG  FIRST SEEN        LAST SEEN         SEEN VIA   STATUS\n"
      "r1  node-1  0.1.0    c3-aa   2026-11-27 06:00  2026-11-27 08:00  cdn+usage  stale\n"
      "r2  node-2  0.1.0    c3-aa   2026-11-27 07:00  2026-11-27 08:01  cdn        healthy\n");

  // Refused before anything is sent.
  size_t sent = api_.seen().size();
  RegistryOptions bad = opts(RegistryAction::kGraphUsage);
  bad.graph = "shop";
  bad.since = "100d";
  r = run(bad);
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_TRUE(contains(r.err, "--since \"100d\" is not a duration from 1m to 90d")) << r.err;
  bad.since = "1h";
  bad.operation = "abc";
  r = run(bad);
  EXPECT_TRUE(contains(r.err, "--operation \"abc\" is not an operation hash")) << r.err;
  bad.operation = "";
  bad.client = "web";
  bad.fields = true;
  r = run(bad);
  EXPECT_TRUE(contains(r.err, "--fields shows every operation and client")) << r.err;
  EXPECT_EQ(api_.seen().size(), sent);
}

TEST_F(RegistryCommandsTest, BadInputIsRefusedBeforeAnythingIsSent) {
  auto expect_usage = [&](RegistryOptions o, int exit, const std::string& message) {
    CliRun r = run(o);
    EXPECT_EQ(r.status, exit) << message;
    EXPECT_TRUE(contains(r.err, message)) << r.err;
  };
  RegistryOptions o = opts(RegistryAction::kGraphDelete);
  o.name = "../namespaces";
  expect_usage(o, kExitUsage, "graph name \"../namespaces\" is not valid");
  o.name = "shop";
  o.ns = "Prod";
  expect_usage(o, kExitUsage, "namespace name \"Prod\" is not valid");
  o.ns = "default";
  o.api_url = "ftp://x";
  expect_usage(o, kExitUsage, "must start with http:// or https://");
  o.api_url = "";
  expect_usage(o, kExitUsage, "no control plane URL");
  o.api_url = api_.url();
  o.api_key = "";
  expect_usage(o, kExitAuth, "no API key");

  RegistryOptions s = opts(RegistryAction::kSubgraphCreate);
  s.name = "reviews";
  s.routing_url = "http://x/graphql";
  s.labels = {"team"};
  expect_usage(s, kExitUsage, "label \"team\" is not key=value");
  s.labels = {"team=a", "team=b"};
  expect_usage(s, kExitUsage, "label key \"team\" is given twice");
  RegistryOptions g = opts(RegistryAction::kGraphCreate);
  g.name = "shop";
  g.routing_url = "http://x/graphql";
  g.label_matchers = {"team=a,"};
  expect_usage(g, kExitUsage, "label matcher \"team=a,\"");

  RegistryOptions p = opts(RegistryAction::kSubgraphPublish);
  p.name = "products";
  p.schema_file = temp("missing.graphql").string();
  expect_usage(p, kExitUsage, "cannot read the schema file");
  fs::path big = temp("big.graphql");
  std::ofstream(big) << std::string(4 * 1024 * 1024 + 1, ' ');
  p.schema_file = big.string();
  expect_usage(p, kExitUsage, "larger than 4 MiB");
  p.schema_file = "-";
  expect_usage(p, kExitUsage, "standard input is empty");

  RegistryOptions t = opts(RegistryAction::kTokenCreate);
  t.graph = "shop";
  t.token_name = "r";
  t.expires_in = "11y";
  expect_usage(t, kExitUsage, "--expires-in \"11y\" is not a duration");
  RegistryOptions v = opts(RegistryAction::kTokenRevoke);
  v.graph = "shop";
  v.token_id = "a/b";
  expect_usage(v, kExitUsage, "token id \"a/b\"");

  EXPECT_TRUE(api_.seen().empty());
}

TEST(RegistryValidation, NamesLabelsAndDurations) {
  EXPECT_EQ(check_name("graph", "shop-eu_2"), "");
  EXPECT_EQ(check_name("graph", "0shop"), "");
  EXPECT_NE(check_name("graph", "-shop"), "");
  EXPECT_NE(check_name("graph", "Shop"), "");
  EXPECT_NE(check_name("graph", std::string(32, 'a')), "");
  EXPECT_EQ(check_name("graph", std::string(31, 'a')), "");
  EXPECT_EQ(check_name("graph", ""), "a graph name is required");

  EXPECT_EQ(check_label("team=a"), "");
  EXPECT_EQ(check_label("app.kubernetes.io/name="), "");
  EXPECT_NE(check_label("=a"), "");
  EXPECT_NE(check_label("team=a b"), "");
  EXPECT_EQ(check_label_matcher("team=a,team=b"), "");
  EXPECT_NE(check_label_matcher("team=a,,team=b"), "");

  std::string error;
  EXPECT_EQ(parse_duration_seconds("90d", &error), 90 * 86400);
  EXPECT_EQ(parse_duration_seconds("12h", &error), 12 * 3600);
  EXPECT_EQ(parse_duration_seconds("30m", &error), 1800);
  EXPECT_EQ(parse_duration_seconds("3600s", &error), 3600);
  EXPECT_EQ(parse_duration_seconds("3600", &error), 3600);
  EXPECT_EQ(parse_duration_seconds("3660d", &error), 3660LL * 86400);
  EXPECT_EQ(parse_duration_seconds("3700d", &error), -1);
  EXPECT_EQ(parse_duration_seconds("0", &error), -1);
  EXPECT_EQ(parse_duration_seconds("-5m", &error), -1);
  EXPECT_EQ(parse_duration_seconds("99999999999999999999", &error), -1);
  EXPECT_EQ(parse_duration_seconds("d", &error), -1);
}

}  // namespace
