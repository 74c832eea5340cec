// The /v1 API through ApiHandler (no sockets): statuses, the error shape and codes, roles,
// strict bodies, pagination, publish (200 / 422 with details), check, versions, changelog,
// config with ETag and signature, tokens. The registry underneath is SQLite in a temporary
// directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/controlplane/api_handler.h"
#include "orbit/security/artifact_signature.h"

namespace orbit::controlplane {
namespace {

namespace fs = std::filesystem;

constexpr const char* kProducts =
    R"(extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"]) type Query { topProducts: [Product!]! } type Product @key(fields: \"upc\") { upc: String! name: String! weight: Int })";
constexpr const char* kAccounts =
    R"(extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\"]) type Query { me: User } type User @key(fields: \"id\") { id: ID! name: String })";
constexpr const char* kClashing =
    R"(extend schema @link(url: \"https://specs.apollo.dev/federation/v2.3\", import: [\"@key\", \"@shareable\"]) type Query { me: User } type User @key(fields: \"id\") { id: ID! name: String } type Product @key(fields: \"upc\") { upc: String! name: Int @shareable })";

struct Answer {
  int status = 0;
  std::string body;
  net::HttpHeaders headers;
  Arena arena;
  JsonValue json;
  // A string member by path, "" when absent.
  std::string str(std::initializer_list<std::string_view> path) const {
    const JsonValue* at = &json;
    for (auto k : path) {
      at = at->find(k);
      if (at == nullptr) return "";
    }
    return std::string(at->as_string());
  }
  const JsonValue* get(std::initializer_list<std::string_view> path) const {
    const JsonValue* at = &json;
    for (auto k : path) {
      at = at->find(k);
      if (at == nullptr) return nullptr;
    }
    return at;
  }
};

class ApiHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("orbit-api-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "cdn");
    auto store = registry::Store::open((dir_ / "orbit.db").string());
    ASSERT_TRUE(store.ok());
    auto signing = security::Ed25519PrivateKey::generate();
    signing_public_ = std::make_unique<security::Ed25519PublicKey>(signing->public_key());
    registry::RegistryOptions options;
    options.cdn_storage = (dir_ / "cdn").string();
    options.revocations_path = (dir_ / "cdn" / "revoked.txt").string();
    registry_ = std::make_unique<registry::Registry>(
        std::move(*store), *signing, *security::Ed25519PrivateKey::generate(), options);
    admin_ = *registry_->bootstrap("acme", "");
    handler_ = std::make_unique<ApiHandler>(*registry_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Answer> call(
      const std::string& method, const std::string& target, const std::string& body = "",
      const std::string& key = "admin",
      std::initializer_list<std::pair<std::string, std::string>> headers = {}) {
    net::HttpRequest request;
    request.method = method;
    request.target = target;
    request.body = body;
    std::string secret = key == "admin" ? admin_ : key;
    if (!secret.empty()) request.headers.add("Authorization", "Bearer " + secret);
    for (const auto& [k, v] : headers)
      request.headers.add(k, v);
    ApiResponse r = handler_->handle(request);
    auto a = std::make_unique<Answer>();
    a->status = r.status;
    a->body = r.body;
    a->headers = r.headers;
    if (!r.body.empty() && r.body[0] == '{') {
      auto json = parse_json(a->body, a->arena);
      if (json.ok()) a->json = *json;
    }
    return a;
  }
  std::string code(const Answer& a) const { return a.str({"error", "code"}); }

  std::string key_with_role(const std::string& role) {
    auto a = call("POST", "/v1/api-keys", R"({"name":"k-)" + role + R"(","role":")" + role + "\"}");
    EXPECT_EQ(a->status, 201) << a->body;
    return a->str({"secret"});
  }

  void setup_graph() {
    auto g = call(
        "POST", "/v1/namespaces/default/graphs",
        R"({"name":"shop","routingUrl":"https://shop.example.com/graphql","labelMatchers":["env=prod"]})");
    ASSERT_EQ(g->status, 201) << g->body;
    for (const char* name : {"products", "accounts"}) {
      auto s = call("POST", "/v1/namespaces/default/subgraphs",
                    std::string(R"({"name":")") + name + R"(","routingUrl":"http://)" + name +
                        R"(:4001/graphql","labels":{"env":"prod"}})");
      ASSERT_EQ(s->status, 201) << s->body;
    }
  }

  fs::path dir_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<ApiHandler> handler_;
  std::unique_ptr<security::Ed25519PublicKey> signing_public_;
  std::string admin_;
};

TEST_F(ApiHandlerTest, HealthNeedsNoKey) {
  auto a = call("GET", "/v1/health", "", "");
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->str({"status"}), "UP");
  EXPECT_EQ(a->str({"database"}), "sqlite");
  EXPECT_TRUE(a->headers.get("X-Request-Id").has_value());
  EXPECT_EQ(call("GET", "/health", "", "")->status, 200);
}

TEST_F(ApiHandlerTest, AuthenticationAndTheErrorShape) {
  auto none = call("GET", "/v1/namespaces", "", "");
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(code(*none), "UNAUTHENTICATED");
  EXPECT_TRUE(none->headers.get("WWW-Authenticate").has_value());
  ASSERT_NE(none->get({"error", "details"}), nullptr);
  EXPECT_TRUE(none->get({"error", "details"})->is_null());
  EXPECT_EQ(call("GET", "/v1/namespaces", "", "orbit_nope")->status, 401);
  auto who = call("GET", "/v1/whoami");
  EXPECT_EQ(who->status, 200);
  EXPECT_EQ(who->str({"organization", "name"}), "acme");
  EXPECT_EQ(who->str({"apiKey", "role"}), "admin");
  auto nowhere = call("GET", "/v1/nowhere");
  EXPECT_EQ(nowhere->status, 404);
  EXPECT_EQ(code(*nowhere), "NOT_FOUND");
  auto not_v1 = call("GET", "/api/x");
  EXPECT_EQ(not_v1->status, 404);
  auto method = call("PUT", "/v1/namespaces");
  EXPECT_EQ(method->status, 405);
  EXPECT_EQ(code(*method), "METHOD_NOT_ALLOWED");
  EXPECT_EQ(*method->headers.get("Allow"), "GET, POST");
}

TEST_F(ApiHandlerTest, RolesAreEnforced) {
  setup_graph();
  std::string viewer = key_with_role("viewer");
  std::string developer = key_with_role("developer");
  std::string publish = std::string(R"({"sdl":")") + kProducts + "\"}";
  auto denied = call("POST", "/v1/namespaces/default/subgraphs/products/publish", publish, viewer);
  EXPECT_EQ(denied->status, 403);
  EXPECT_EQ(code(*denied), "PERMISSION_DENIED");
  EXPECT_NE(denied->str({"error", "message"}).find("role viewer"), std::string::npos);
  EXPECT_EQ(call("GET", "/v1/namespaces/default/subgraphs", "", viewer)->status, 200);
  EXPECT_EQ(call("GET", "/v1/api-keys", "", viewer)->status, 403);
  EXPECT_EQ(call("POST", "/v1/namespaces", R"({"name":"x"})", developer)->status, 403);
  EXPECT_EQ(
      call("POST", "/v1/namespaces/default/subgraphs/products/publish", publish, developer)->status,
      200);
  EXPECT_EQ(
      call("POST", "/v1/namespaces/default/subgraphs/products/check", publish, developer)->status,
      200);
  EXPECT_EQ(call("POST", "/v1/namespaces/default/graphs/shop/tokens", R"({"name":"t"})", developer)
                ->status,
            403);
  EXPECT_EQ(call("POST", "/v1/organizations", R"({"name":"globex"})", developer)->status, 403);
}

TEST_F(ApiHandlerTest, BodiesAreReadStrictly) {
  auto not_json = call("POST", "/v1/namespaces", "{nope");
  EXPECT_EQ(not_json->status, 400);
  EXPECT_EQ(code(*not_json), "INVALID_JSON");
  EXPECT_EQ(code(*call("POST", "/v1/namespaces", "[1]")), "INVALID_JSON");
  EXPECT_EQ(code(*call("POST", "/v1/namespaces", "")), "INVALID_JSON");
  auto unknown = call("POST", "/v1/namespaces", R"({"name":"a","nmae":"b"})");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(unknown->str({"error", "message"}), "unknown key \"nmae\"");
  auto missing = call("POST", "/v1/namespaces", R"({})");
  EXPECT_EQ(missing->str({"error", "message"}), "name: required");
  auto wrong = call("POST", "/v1/namespaces", R"({"name":5})");
  EXPECT_EQ(wrong->str({"error", "message"}), "name: expected a string");
  auto bad_name = call("POST", "/v1/namespaces", R"({"name":"Has Space"})");
  EXPECT_EQ(code(*bad_name), "INVALID_ARGUMENT");
  EXPECT_EQ(call("POST", "/v1/namespaces", R"({"name":"staging"})")->status, 201);
  auto dup = call("POST", "/v1/namespaces", R"({"name":"staging"})");
  EXPECT_EQ(dup->status, 409);
  EXPECT_EQ(code(*dup), "ALREADY_EXISTS");
  auto role = call("POST", "/v1/api-keys", R"({"name":"k","role":"root"})");
  EXPECT_EQ(role->status, 400);
  EXPECT_NE(role->str({"error", "message"}).find("role: expected admin, developer or viewer"),
            std::string::npos);
  EXPECT_EQ(call("GET", "/v1/namespaces?limit=0")->status, 400);
  EXPECT_EQ(call("GET", "/v1/namespaces?limit=101")->status, 400);
  EXPECT_EQ(call("GET", "/v1/namespaces?cursor=***")->status, 400);
  EXPECT_EQ(call("DELETE", "/v1/namespaces/default")->status, 409);
}

TEST_F(ApiHandlerTest, Pagination) {
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(call("POST", "/v1/namespaces", R"({"name":"ns)" + std::to_string(i) + "\"}")->status,
              201);
  std::vector<std::string> names;
  std::string cursor;
  int pages = 0;
  do {
    auto a = call("GET", "/v1/namespaces?limit=4" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(a->status, 200);
    for (const JsonValue& item : a->get({"items"})->items())
      names.emplace_back(item.find("name")->as_string());
    const JsonValue* next = a->get({"nextCursor"});
    cursor = next->is_null() ? "" : std::string(next->as_string());
    ++pages;
  } while (!cursor.empty());
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(names.size(), 6u);  // default + 5
}

TEST_F(ApiHandlerTest, PublishCheckVersionsConfigAndTokens) {
  setup_graph();
  auto p1 = call("POST", "/v1/namespaces/default/subgraphs/products/publish",
                 std::string(R"({"sdl":")") + kProducts + "\"}");
  ASSERT_EQ(p1->status, 200) << p1->body;
  auto p2 = call("POST", "/v1/namespaces/default/subgraphs/accounts/publish",
                 std::string(R"({"sdl":")") + kAccounts + "\"}");
  ASSERT_EQ(p2->status, 200) << p2->body;
  const JsonValue* compositions = p2->get({"compositions"});
  ASSERT_EQ(compositions->size(), 1u);
  EXPECT_EQ(compositions->items()[0].find("status")->as_string(), "succeeded");
  std::string version(compositions->items()[0].find("artifactVersion")->as_string());

  auto graph = call("GET", "/v1/namespaces/default/graphs/shop");
  EXPECT_EQ(graph->str({"graph", "cdnPath"}), "acme/shop");
  EXPECT_EQ(graph->str({"graph", "servedComposition", "artifactVersion"}), version);

  auto failed = call("POST", "/v1/namespaces/default/subgraphs/accounts/publish",
                     std::string(R"({"sdl":")") + kClashing + "\"}");
  EXPECT_EQ(failed->status, 422) << failed->body;
  EXPECT_EQ(code(*failed), "COMPOSITION_FAILED");
  const JsonValue* details = failed->get({"error", "details", "compositions"});
  ASSERT_NE(details, nullptr);
  EXPECT_EQ(details->items()[0].find("status")->as_string(), "failed");
  EXPECT_GT(details->items()[0].find("errors")->size(), 0u);
  graph = call("GET", "/v1/namespaces/default/graphs/shop");
  EXPECT_EQ(graph->str({"graph", "latestComposition", "status"}), "failed");
  EXPECT_EQ(graph->str({"graph", "servedComposition", "artifactVersion"}), version);

  auto check = call("POST", "/v1/namespaces/default/subgraphs/accounts/check",
                    std::string(R"({"sdl":")") + kAccounts + "\"}");
  ASSERT_EQ(check->status, 200);
  EXPECT_EQ(check->get({"ok"})->as_bool(), false);  // v3 (clashing) → v2 removes Product
  EXPECT_GT(check->get({"breakingChanges"})->size(), 0u);

  auto versions = call("GET", "/v1/namespaces/default/subgraphs/accounts/versions");
  ASSERT_EQ(versions->get({"items"})->size(), 2u);
  EXPECT_EQ(versions->get({"items"})->items()[0].find("version")->as_int64(), 2);
  auto v1 = call("GET", "/v1/namespaces/default/subgraphs/accounts/versions/1");
  EXPECT_NE(v1->str({"sdl"}).find("type User"), std::string::npos);
  EXPECT_EQ(call("GET", "/v1/namespaces/default/subgraphs/accounts/versions/9")->status, 404);
  auto log = call("GET", "/v1/namespaces/default/subgraphs/accounts/changelog");
  ASSERT_EQ(log->status, 200) << log->body;
  EXPECT_EQ(log->get({"from"})->as_int64(), 1);
  EXPECT_EQ(log->get({"changes"})->items()[0].find("type")->as_string(), "TYPE_ADDED");
  EXPECT_EQ(call("GET", "/v1/namespaces/default/subgraphs/accounts/changelog?from=x")->status, 400);

  auto comps = call("GET", "/v1/namespaces/default/graphs/shop/compositions?limit=1");
  ASSERT_EQ(comps->get({"items"})->size(), 1u);
  EXPECT_FALSE(comps->get({"nextCursor"})->is_null());
  int64_t id = comps->get({"items"})->items()[0].find("id")->as_int64();
  auto one = call("GET", "/v1/namespaces/default/graphs/shop/compositions/" + std::to_string(id));
  EXPECT_EQ(one->str({"composition", "status"}), "failed");

  auto config = call("GET", "/v1/namespaces/default/graphs/shop/config");
  ASSERT_EQ(config->status, 200);
  EXPECT_NE(config->body.find(version), std::string::npos);
  auto sig = security::parse_signature_header(*config->headers.get("X-Orbit-Signature"));
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(signing_public_->verify(config->body, *sig));
  std::string etag(*config->headers.get("ETag"));
  EXPECT_EQ(call("GET", "/v1/namespaces/default/graphs/shop/config", "", "admin",
                 {{"If-None-Match", etag}})
                ->status,
            304);

  auto token = call("POST", "/v1/namespaces/default/graphs/shop/tokens",
                    R"({"name":"routers","expiresIn":3600})");
  ASSERT_EQ(token->status, 201) << token->body;
  EXPECT_EQ(token->str({"secret"}).rfind("eyJ", 0), 0u);
  std::string token_id = token->str({"token", "id"});
  auto tokens = call("GET", "/v1/namespaces/default/graphs/shop/tokens");
  ASSERT_EQ(tokens->get({"items"})->size(), 1u);
  EXPECT_EQ(tokens->body.find(token->str({"secret"})), std::string::npos);
  auto revoked = call("DELETE", "/v1/namespaces/default/graphs/shop/tokens/" + token_id);
  EXPECT_EQ(revoked->status, 200);
  EXPECT_FALSE(revoked->str({"token", "revokedAt"}).empty());
  EXPECT_EQ(call("DELETE", "/v1/namespaces/default/graphs/shop/tokens/" + token_id)->status, 409);
  EXPECT_EQ(call("POST", "/v1/namespaces/default/graphs/shop/tokens",
                 R"({"name":"x","expiresIn":"soon"})")
                ->status,
            400);
}

TEST_F(ApiHandlerTest, EveryBadInputGetsAnErrorNeverACrash) {
  setup_graph();
  const std::vector<std::string> paths = {
      "/v1/whoami",
      "/v1/organizations",
      "/v1/api-keys",
      "/v1/api-keys/x",
      "/v1/namespaces",
      "/v1/namespaces/default",
      "/v1/namespaces/%2e%2e",
      "/v1/namespaces/default/graphs",
      "/v1/namespaces/default/graphs/shop",
      "/v1/namespaces/default/graphs/shop/subgraphs",
      "/v1/namespaces/default/graphs/shop/compositions",
      "/v1/namespaces/default/graphs/shop/compositions/-1",
      "/v1/namespaces/default/graphs/shop/compositions/99999999999999999999",
      "/v1/namespaces/default/graphs/shop/config",
      "/v1/namespaces/default/graphs/shop/tokens",
      "/v1/namespaces/default/graphs/shop/tokens/x",
      "/v1/namespaces/default/subgraphs",
      "/v1/namespaces/default/subgraphs/products",
      "/v1/namespaces/default/subgraphs/products/publish",
      "/v1/namespaces/default/subgraphs/products/check",
      "/v1/namespaces/default/subgraphs/products/versions",
      "/v1/namespaces/default/subgraphs/products/versions/0",
      "/v1/namespaces/default/subgraphs/products/changelog?from=-1&to=99",
      "/v1/namespaces/default/subgraphs/products/nope",
      "/v1/a/b/c/d/e/f/g/h/i/j",
      "/v1//namespaces",
      "/v1/namespaces/default/graphs/shop?limit=5&cursor=%00"};
  const std::vector<std::string> bodies = {"",
                                           "{",
                                           "[]",
                                           "null",
                                           "\"x\"",
                                           "{\"name\":{}}",
                                           "{\"name\":\"\"}",
                                           "{\"sdl\":\"type Query {\"}",
                                           "{\"sdl\":42}",
                                           "{\"labels\":[1]}",
                                           "{\"labelMatchers\":\"env=prod\"}",
                                           "{\"name\":\"x\",\"routingUrl\":\"javascript:1\"}",
                                           "{\"expiresIn\":-5,\"name\":\"t\"}",
                                           std::string(20, '[') + std::string(20, ']'),
                                           "{\"name\":\"\xff\xfe\"}",
                                           "{\"name\":\"" + std::string(5000, 'a') + "\"}"};
  int calls = 0;
  for (const std::string& path : paths) {
    for (const char* method : {"GET", "POST", "PATCH", "DELETE", "PUT"}) {
      for (const std::string& body : bodies) {
        auto a = call(method, path, body);
        ++calls;
        SCOPED_TRACE(std::string(method) + " " + path + " " + body.substr(0, 40));
        ASSERT_GE(a->status, 200);
        ASSERT_LT(a->status, 500) << a->body;
        if (a->status >= 400) {
          EXPECT_FALSE(code(*a).empty()) << a->body;
          EXPECT_FALSE(a->str({"error", "message"}).empty()) << a->body;
        }
      }
    }
  }
  EXPECT_EQ(calls, static_cast<int>(paths.size() * 5 * bodies.size()));
  // The registry still answers after all that (DELETE of the graph was a valid request).
  EXPECT_EQ(call("GET", "/v1/health")->status, 200);
  EXPECT_EQ(call("GET", "/v1/namespaces/default/graphs/shop")->status, 404);
  EXPECT_EQ(call("GET", "/v1/namespaces/default/subgraphs/products")->status, 404);
}

}  // namespace
}  // namespace orbit::controlplane
