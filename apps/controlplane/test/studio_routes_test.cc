// Studio's pieces of the control plane without sockets: audit summaries and resources, the
// failure counter's sliding window, cookie parsing, session durations, content types, and
// ApiHandler with a session — CSRF, the audit log it writes, Studio's files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "orbit/controlplane/api_handler.h"
#include "orbit/controlplane/audit_log.h"
#include "orbit/controlplane/auth.h"
#include "orbit/controlplane/static_files.h"

namespace orbit::controlplane {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string summary(std::string_view method, std::vector<std::string_view> segments,
                    int status = 200) {
  return audit_summary(method, segments, status);
}

TEST(AuditLogTest, SummariesNameTheThingAndWhatHappened) {
  EXPECT_EQ(summary("POST", {"namespaces", "default", "graphs"}, 201), "graph created");
  EXPECT_EQ(summary("PATCH", {"namespaces", "default", "graphs", "shop"}), "graph updated");
  EXPECT_EQ(summary("DELETE", {"namespaces", "default", "graphs", "shop"}), "graph deleted");
  EXPECT_EQ(summary("DELETE", {"namespaces", "default", "graphs", "shop"}, 404),
            "graph delete failed");
  EXPECT_EQ(summary("POST", {"namespaces", "default", "subgraphs", "products", "publish"}),
            "subgraph published");
  EXPECT_EQ(summary("POST", {"namespaces", "default", "subgraphs", "products", "publish"}, 422),
            "subgraph publish failed");
  EXPECT_EQ(summary("POST", {"namespaces", "default", "subgraphs", "products", "check"}),
            "subgraph checked");
  EXPECT_EQ(summary("POST", {"namespaces", "default", "graphs", "shop", "tokens"}, 201),
            "graph token created");
  EXPECT_EQ(summary("DELETE", {"namespaces", "default", "graphs", "shop", "tokens", "q3Jx"}),
            "graph token revoked");
  EXPECT_EQ(summary("POST", {"namespaces"}, 201), "namespace created");
  EXPECT_EQ(summary("DELETE", {"namespaces", "staging"}), "namespace deleted");
  EXPECT_EQ(summary("POST", {"api-keys"}, 201), "API key created");
  EXPECT_EQ(summary("DELETE", {"api-keys", "3f2a9c1e5b7d0a44"}), "API key deleted");
  EXPECT_EQ(summary("POST", {"users"}, 403), "user create failed");
  EXPECT_EQ(summary("PATCH", {"users", "2"}), "user updated");
  EXPECT_EQ(summary("POST", {"organizations"}, 201), "organization created");
  EXPECT_EQ(summary("POST", {"auth", "login"}), "signed in");
  EXPECT_EQ(summary("POST", {"auth", "login"}, 401), "sign-in failed");
  EXPECT_EQ(summary("POST", {"auth", "logout"}), "signed out");
}

TEST(AuditLogTest, ResourcesAreThePathAndTheCreatedName) {
  EXPECT_EQ(audit_resource("POST", {"namespaces", "default", "graphs"},
                           R"({"name":"shop","routingUrl":"http://a/b","labelMatchers":["x=y"]})"),
            "namespaces/default/graphs/shop");
  EXPECT_EQ(audit_resource("POST", {"users"}, R"({"email":"a@b.c","password":"…","role":"x"})"),
            "users/a@b.c");
  EXPECT_EQ(audit_resource("POST", {"namespaces", "default", "subgraphs", "products", "publish"},
                           R"({"sdl":"type Query { a: Int }"})"),
            "namespaces/default/subgraphs/products");
  EXPECT_EQ(audit_resource("DELETE", {"namespaces", "default", "graphs", "shop"}, ""),
            "namespaces/default/graphs/shop");
  // A body that is not JSON, or a name that is not a string: just the path.
  EXPECT_EQ(audit_resource("POST", {"namespaces"}, "{not json"), "namespaces");
  EXPECT_EQ(audit_resource("POST", {"namespaces"}, R"({"name":42})"), "namespaces");
  EXPECT_TRUE(audited("POST", "/v1/namespaces"));
  EXPECT_TRUE(audited("DELETE", "/v1/users/2"));
  EXPECT_FALSE(audited("GET", "/v1/namespaces"));
  EXPECT_FALSE(audited("POST", "/v1/usage"));
}

TEST(FailureCounterTest, CountsWithinTheWindowOnly) {
  FailureCounter counter;
  auto t0 = FailureCounter::Clock::now();
  for (int i = 0; i < 3; ++i)
    counter.add("email:a", t0 + std::chrono::seconds(i), 60s);
  EXPECT_EQ(counter.count("email:a", t0 + 2s, 60s), 3);
  EXPECT_EQ(counter.count("email:b", t0 + 2s, 60s), 0);
  EXPECT_EQ(counter.retry_after("email:a", t0 + 2s, 60s).count(), 59);
  EXPECT_EQ(counter.count("email:a", t0 + 60s, 60s), 2);  // the first left the window
  EXPECT_EQ(counter.count("email:a", t0 + 62s, 60s), 0);
  counter.add("email:a", t0 + 70s, 60s);
  counter.clear("email:a");
  EXPECT_EQ(counter.count("email:a", t0 + 70s, 60s), 0);
}

TEST(AuthTest, CookiesAndDurations) {
  net::HttpRequest r;
  r.headers.add("Cookie", "theme=dark; orbit_session=abc123 ; other=x");
  EXPECT_EQ(StudioAuth::cookie(r, "orbit_session").value_or("?"), "abc123");
  EXPECT_EQ(StudioAuth::cookie(r, "theme").value_or("?"), "dark");
  EXPECT_FALSE(StudioAuth::cookie(r, "orbit").has_value());
  net::HttpRequest none;
  EXPECT_FALSE(StudioAuth::cookie(none, "orbit_session").has_value());

  EXPECT_EQ(parse_duration_seconds("90s"), 90);
  EXPECT_EQ(parse_duration_seconds("30m"), 1800);
  EXPECT_EQ(parse_duration_seconds("12h"), 43200);
  EXPECT_EQ(parse_duration_seconds("7d"), 604800);
  EXPECT_EQ(parse_duration_seconds("600"), 600);
  for (const char* bad : {"", "h", "-5s", "1.5h", "12x", "99999999d", "5 s"})
    EXPECT_FALSE(parse_duration_seconds(bad).has_value()) << bad;
}

TEST(StaticFilesTest, ContentTypes) {
  EXPECT_EQ(StaticFiles::content_type("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type("index-3f2a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type("A.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(StaticFiles::content_type("logo.svg"), "image/svg+xml");
  EXPECT_EQ(StaticFiles::content_type("font.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::content_type("data.bin"), "application/octet-stream");
  EXPECT_EQ(StaticFiles::content_type("README"), "application/octet-stream");
}

class StudioHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("orbit-studio-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "cdn");
    fs::create_directories(dir_ / "studio");
    std::ofstream(dir_ / "studio" / "index.html") << "<!doctype html>";
    auto store = registry::Store::open((dir_ / "orbit.db").string());
    ASSERT_TRUE(store.ok());
    registry::RegistryOptions options;
    options.cdn_storage = (dir_ / "cdn").string();
    registry_ = std::make_unique<registry::Registry>(
        std::move(*store), *security::Ed25519PrivateKey::generate(),
        *security::Ed25519PrivateKey::generate(), options);
    key_ = *registry_->bootstrap("acme", "");
    registry::Accounts accounts(*registry_, {});
    ASSERT_TRUE(accounts.ensure_first_admin("admin@acme.test", "admin password").ok());
    handler_ = std::make_unique<ApiHandler>(*registry_);
    AuthOptions auth;
    auth.cookie_secure = true;
    handler_->set_studio(auth, (dir_ / "studio").string());
  }
  void TearDown() override { fs::remove_all(dir_); }

  ApiResponse call(const std::string& method, const std::string& target,
                   const std::string& body = "",
                   std::vector<std::pair<std::string, std::string>> headers = {}) {
    net::HttpRequest r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.remote_address = "127.0.0.1:5000";
    for (auto& [k, v] : headers)
      r.headers.add(k, v);
    return handler_->handle(r);
  }

  fs::path dir_;
  std::string key_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<ApiHandler> handler_;
};

TEST_F(StudioHandlerTest, SessionCallsNeedTheCsrfTokenAndAreAudited) {
  ApiResponse login =
      call("POST", "/v1/auth/login", R"({"email":"admin@acme.test","password":"admin password"})");
  ASSERT_EQ(login.status, 200) << login.body;
  std::string set_cookie(login.headers.get("Set-Cookie").value_or(""));
  EXPECT_NE(set_cookie.find("; Secure"), std::string::npos) << set_cookie;
  std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  size_t at = login.body.find("\"csrfToken\":\"") + 13;
  std::string csrf = login.body.substr(at, login.body.find('"', at) - at);
  ASSERT_EQ(csrf.size(), 43u);

  ApiResponse refused =
      call("POST", "/v1/namespaces", R"({"name":"staging"})", {{"Cookie", cookie}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("CSRF_TOKEN_INVALID"), std::string::npos);
  ApiResponse created = call("POST", "/v1/namespaces", R"({"name":"staging"})",
                             {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  EXPECT_EQ(created.status, 201) << created.body;

  auto log = registry_->store().list_audit_entries(1, {});
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->items.size(), 3u);
  EXPECT_EQ(log->items[0].summary, "namespace created");
  EXPECT_EQ(log->items[0].status, 201);
  EXPECT_EQ(log->items[0].actor_type, "user");
  EXPECT_EQ(log->items[0].actor_name, "admin@acme.test");
  EXPECT_EQ(log->items[0].resource, "namespaces/staging");
  EXPECT_EQ(log->items[1].status, 403);
  EXPECT_EQ(log->items[2].summary, "signed in");
  // Reads are not recorded; API-key calls are, as apiKey.
  EXPECT_EQ(call("GET", "/v1/namespaces", "", {{"Cookie", cookie}}).status, 200);
  EXPECT_EQ(
      call("DELETE", "/v1/namespaces/staging", "", {{"Authorization", "Bearer " + key_}}).status,
      200);
  log = registry_->store().list_audit_entries(1, {});
  ASSERT_EQ(log->items.size(), 4u);
  EXPECT_EQ(log->items[0].actor_type, "apiKey");
  EXPECT_EQ(log->items[0].actor_name, "bootstrap");
  EXPECT_EQ(log->items[0].summary, "namespace deleted");
}

// Idle and absolute expiry through the whole request path (cookie -> StudioAuth ->
// Accounts -> the store) on a clock the test moves: every limit is crossed to the second.
TEST_F(StudioHandlerTest, SessionsExpireWhenIdleAndAfterTheirMaximumAge) {
  int64_t now = 1'800'000'000;  // 2027-01-15T08:00:00Z
  AuthOptions auth;
  auth.sessions.idle_seconds = 3;
  auth.sessions.absolute_seconds = 6;
  auth.unix_clock = [&now] { return now; };
  handler_->set_studio(auth, (dir_ / "studio").string());
  auto sign_in = [&] {
    ApiResponse login = call("POST", "/v1/auth/login",
                             R"({"email":"admin@acme.test","password":"admin password"})");
    EXPECT_EQ(login.status, 200) << login.body;
    std::string set_cookie(login.headers.get("Set-Cookie").value_or(""));
    EXPECT_NE(set_cookie.find("; Max-Age=6"), std::string::npos) << set_cookie;
    return set_cookie.substr(0, set_cookie.find(';'));
  };
  auto status = [&](const std::string& cookie) {
    return call("GET", "/v1/namespaces", "", {{"Cookie", cookie}}).status;
  };

  // Idle: valid until 3 s after its last use, then gone for good.
  const int64_t t0 = now;
  std::string idle = sign_in();
  ApiResponse described = call("GET", "/v1/auth/session", "", {{"Cookie", idle}});
  EXPECT_EQ(described.status, 200);
  EXPECT_NE(described.body.find(R"("expiresAt":"2027-01-15T08:00:03.000Z")"), std::string::npos)
      << described.body;
  now = t0 + 2;
  EXPECT_EQ(status(idle), 200);  // used: the idle limit moves to t0 + 5
  now = t0 + 4;
  EXPECT_EQ(status(idle), 200);
  now = t0 + 7;  // 3 s unused
  ApiResponse expired = call("GET", "/v1/namespaces", "", {{"Cookie", idle}});
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(expired.body.find("the session expired"), std::string::npos) << expired.body;
  now = t0 + 7 + 1;
  EXPECT_EQ(status(idle), 401);  // deleted, not revived
  EXPECT_EQ(call("GET", "/v1/auth/session", "", {{"Cookie", idle}}).status, 401);

  // Absolute: used every second, it still ends 6 s after sign-in.
  const int64_t t1 = now;
  std::string busy = sign_in();
  for (int64_t s = 1; s <= 5; ++s) {
    now = t1 + s;
    EXPECT_EQ(status(busy), 200) << "after " << s << " s";
  }
  ApiResponse last = call("GET", "/v1/auth/session", "", {{"Cookie", busy}});
  EXPECT_NE(last.body.find(R"("expiresAt":"2027-01-15T08:00:14.000Z")"), std::string::npos)
      << last.body;
  now = t1 + 6;
  EXPECT_EQ(status(busy), 401);
  // Signing out an expired session still clears the cookie.
  ApiResponse out = call("POST", "/v1/auth/logout", "", {{"Cookie", busy}});
  EXPECT_EQ(out.status, 401);
  EXPECT_NE(std::string(out.headers.get("Set-Cookie").value_or("")).find("Max-Age=0"),
            std::string::npos);
}

TEST_F(StudioHandlerTest, ServesStudioOutsideV1Only) {
  ApiResponse index = call("GET", "/some/route");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html>");
  EXPECT_EQ(index.headers.get("X-Content-Type-Options").value_or(""), "nosniff");
  ApiResponse api = call("GET", "/v1/namespaces");
  EXPECT_EQ(api.status, 401);
  EXPECT_EQ(api.headers.get("Content-Type").value_or(""), "application/json; charset=utf-8");
  EXPECT_EQ(call("GET", "/v1/health").status, 200);
  EXPECT_EQ(call("GET", "/%2e%2e/orbit.db").status, 404);
}

}  // namespace
}  // namespace orbit::controlplane
