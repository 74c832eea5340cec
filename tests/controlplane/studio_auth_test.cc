// Studio's side of orbit-controlplane, end to end over HTTP on 127.0.0.1 with the real
// process, once on SQLite and once on PostgreSQL (pg_fixture.sh): the first admin printed
// once and not created again; sign-in with a password or an API key, the session cookie,
// sign-out, expiry (idle and absolute); failed sign-ins rate-limited; the CSRF token required
// on POST/PATCH/DELETE made with a session (and not with an API key); a viewer refused every
// change, through a session too; another organization's data invisible and untouchable; the
// audit log of every change with its actor and status; Studio's files served with their types,
// cache headers, security headers and the client-side route fallback, and path traversal
// refused.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api_call.h"
#include "backends.h"
#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/net/http_headers.h"
#include "orbit/security/ed25519.h"
#include "process.h"

namespace orbit {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::json_string;

const std::string kBootstrapKey =
    "orbit_0123456789abcdef_b3JiaXQtZTJlLWJvb3RzdHJhcC1rZXktMzJieXRlcyE";

// An answer with its header fields as sent (cookies are case-sensitive).
struct Answer {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Arena arena;
  JsonValue json;

  std::string header(std::string_view name) const {
    for (const auto& [k, v] : headers)
      if (net::iequals(k, name)) return v;
    return "";
  }
  std::string str(std::initializer_list<std::string_view> path) const {
    const JsonValue* at = &json;
    for (auto k : path) {
      at = at->find(k);
      if (at == nullptr) return "";
    }
    return at->is_string() ? std::string(at->as_string()) : "";
  }
  std::string code() const { return str({"error", "code"}); }
  size_t items() const {
    const JsonValue* items = json.find("items");
    return items ? items->items().size() : 0;
  }
  std::string describe() const { return std::to_string(status) + " " + body.substr(0, 400); }
};

std::unique_ptr<Answer> request(uint16_t port, const std::string& method, const std::string& target,
                                const std::string& body,
                                const std::vector<std::pair<std::string, std::string>>& headers) {
  auto a = std::make_unique<Answer>();
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return a;
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers)
    req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH")
    req +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[65536];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
    raw.append(buf, static_cast<size_t>(n));
  close(fd);
  size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return a;
  a->status = std::atoi(raw.c_str() + 9);
  size_t line = raw.find("\r\n") + 2;
  while (line < end) {
    size_t next = raw.find("\r\n", line);
    std::string field = raw.substr(line, next - line);
    size_t colon = field.find(':');
    if (colon != std::string::npos)
      a->headers.emplace_back(field.substr(0, colon),
                              field.substr(field.find_first_not_of(' ', colon + 1)));
    line = next + 2;
  }
  a->body = raw.substr(end + 4);
  if (!a->body.empty() && a->body[0] == '{') {
    auto json = parse_json(a->body, a->arena);
    if (json.ok()) a->json = *json;
  }
  return a;
}

// A signed-in browser: its cookie and CSRF token.
struct Browser {
  std::string cookie;  // "orbit_session=…"
  std::string csrf;
  std::string user_id;
};

class StudioAuthTest : public registry::testing::BackendTest {
 protected:
  void SetUp() override {
    registry::testing::BackendTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(security::generate_key_files(path("token.pem"), path("token.pub.pem")).ok());
    ASSERT_TRUE(
        security::generate_key_files(path("artifacts.pem"), path("artifacts.pub.pem")).ok());
    fs::create_directories(dir_ / "data");
    fs::create_directories(dir_ / "studio" / "assets");
    std::ofstream(dir_ / "studio" / "index.html") << "<!doctype html><title>Orbit Studio</title>";
    std::ofstream(dir_ / "studio" / "assets" / "index-3f2a.js") << "console.log('studio')";
    std::ofstream(dir_ / "studio" / "assets" / "index-3f2a.css") << "body{margin:0}";
    std::ofstream(dir_ / "studio" / "favicon.svg") << "<svg/>";
    std::ofstream(dir_ / "secret.txt") << "TOP-SECRET";
    fs::create_symlink(dir_ / "secret.txt", dir_ / "studio" / "leak.txt");
  }
  void TearDown() override {
    if (controlplane_) controlplane_->stop();
    ::unsetenv("ORBIT_BOOTSTRAP_API_KEY");
    ::unsetenv("ORBIT_ADMIN_PASSWORD");
    ::unsetenv("ORBIT_ADMIN_EMAIL");
    registry::testing::BackendTest::TearDown();
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Starts orbit-controlplane; the port (0 on failure). `extra`: more flags.
  uint16_t start(std::vector<std::string> extra = {}) {
    if (controlplane_) controlplane_->stop();
    controlplane_ = std::make_unique<ChildProcess>();
    ::setenv("ORBIT_BOOTSTRAP_API_KEY", kBootstrapKey.c_str(), 1);
    std::vector<std::string> argv = {ORBIT_CONTROLPLANE_BIN,
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--data-dir",
                                     path("data"),
                                     "--signing-key",
                                     path("artifacts.pem"),
                                     "--token-key",
                                     path("token.pem"),
                                     "--org",
                                     "acme",
                                     "--studio-dir",
                                     path("studio")};
    if (GetParam() == "postgresql") {
      argv.push_back("--database-url");
      argv.push_back(location_);
    }
    argv.insert(argv.end(), extra.begin(), extra.end());
    EXPECT_EQ(controlplane_->start(argv), "");
    auto line = controlplane_->wait_for_line(
        [](const std::string& l) { return l.find("serving /v1 on") != std::string::npos; }, 60s);
    if (!line) return 0;
    static const std::string kOn = "on http://127.0.0.1:";
    port_ = static_cast<uint16_t>(std::atoi(line->c_str() + line->find(kOn) + kOn.size()));
    return port_;
  }
  // The generated admin password printed at the first start, "" when none was.
  std::string printed_password() {
    for (const std::string& l : controlplane_->lines()) {
      size_t at = l.find("Studio admin: admin@orbit.local password: ");
      if (at == std::string::npos) continue;
      std::string rest = l.substr(at + 42);
      return rest.substr(0, rest.find(' '));
    }
    return "";
  }
  bool printed_admin_line() {
    for (const std::string& l : controlplane_->lines())
      if (l.find("Studio admin:") != std::string::npos) return true;
    return false;
  }

  std::unique_ptr<Answer> call(const std::string& method, const std::string& target,
                               const std::string& body = "",
                               std::vector<std::pair<std::string, std::string>> headers = {}) {
    return request(port_, method, target, body, headers);
  }
  std::unique_ptr<Answer> with_key(const std::string& method, const std::string& target,
                                   const std::string& body = "",
                                   const std::string& key = kBootstrapKey) {
    return call(method, target, body, {{"Authorization", "Bearer " + key}});
  }
  // With the session cookie, and the CSRF token unless `csrf` says otherwise ("-": none).
  std::unique_ptr<Answer> as(const Browser& b, const std::string& method, const std::string& target,
                             const std::string& body = "", const std::string& csrf = "") {
    std::vector<std::pair<std::string, std::string>> h = {{"Cookie", b.cookie}};
    std::string token = csrf.empty() ? b.csrf : csrf;
    if (token != "-") h.emplace_back("X-CSRF-Token", token);
    return call(method, target, body, h);
  }

  std::unique_ptr<Answer> login_call(const std::string& email, const std::string& password) {
    return call(
        "POST", "/v1/auth/login",
        "{\"email\":" + json_string(email) + ",\"password\":" + json_string(password) + "}");
  }
  Browser login(const std::string& email, const std::string& password) {
    auto a = login_call(email, password);
    EXPECT_EQ(a->status, 200) << email << ": " << a->describe();
    return browser_of(*a);
  }
  static Browser browser_of(const Answer& a) {
    Browser b;
    std::string set = a.header("Set-Cookie");
    b.cookie = set.substr(0, set.find(';'));
    b.csrf = a.str({"session", "csrfToken"});
    b.user_id = a.str({"session", "user", "id"});
    return b;
  }
  // A first start; the admin's browser.
  Browser start_and_sign_in_admin() {
    EXPECT_NE(start(), 0) << controlplane_->output();
    admin_password_ = printed_password();
    EXPECT_EQ(admin_password_.size(), 24u) << controlplane_->output();
    return login("admin@orbit.local", admin_password_);
  }
  std::string create_user(const Browser& admin, const std::string& email, const std::string& role) {
    auto a = as(admin, "POST", "/v1/users",
                "{\"email\":" + json_string(email) +
                    ",\"password\":\"long enough password\",\"role\":\"" + role + "\"}");
    EXPECT_EQ(a->status, 201) << a->describe();
    return a->str({"user", "id"});
  }

  std::unique_ptr<ChildProcess> controlplane_;
  uint16_t port_ = 0;
  std::string admin_password_;
};

TEST_P(StudioAuthTest, FirstAdminIsPrintedOnceAndNotCreatedAgain) {
  ASSERT_NE(start(), 0) << controlplane_->output();
  std::string password = printed_password();
  ASSERT_EQ(password.size(), 24u) << controlplane_->output();
  Browser admin = login("admin@orbit.local", password);
  auto users = as(admin, "GET", "/v1/users");
  ASSERT_EQ(users->status, 200) << users->describe();
  EXPECT_EQ(users->items(), 1u);

  // A restart, even with a password in the environment: nothing printed, nothing created.
  ::setenv("ORBIT_ADMIN_PASSWORD", "another long password", 1);
  ASSERT_NE(start(), 0) << controlplane_->output();
  EXPECT_FALSE(printed_admin_line()) << controlplane_->output();
  EXPECT_EQ(login_call("admin@orbit.local", "another long password")->status, 401);
  Browser again = login("admin@orbit.local", password);
  EXPECT_EQ(as(again, "GET", "/v1/users")->items(), 1u);
}

TEST_P(StudioAuthTest, FirstAdminFromTheEnvironmentIsNotPrinted) {
  ::setenv("ORBIT_ADMIN_EMAIL", "Ops@Example.com", 1);
  ::setenv("ORBIT_ADMIN_PASSWORD", "chosen by the operator", 1);
  ASSERT_NE(start(), 0) << controlplane_->output();
  EXPECT_FALSE(printed_admin_line()) << controlplane_->output();
  Browser ops = login("ops@example.com", "chosen by the operator");
  EXPECT_EQ(as(ops, "GET", "/v1/auth/session")->str({"session", "role"}), "admin");
}

TEST_P(StudioAuthTest, SignInSessionAndSignOut) {
  ASSERT_NE(start(), 0) << controlplane_->output();
  std::string password = printed_password();

  auto wrong = login_call("admin@orbit.local", "not the password");
  auto unknown = login_call("nobody@orbit.local", password);
  EXPECT_EQ(wrong->status, 401) << wrong->describe();
  EXPECT_EQ(unknown->status, 401) << unknown->describe();
  EXPECT_EQ(wrong->code(), "UNAUTHENTICATED");
  EXPECT_EQ(wrong->str({"error", "message"}), unknown->str({"error", "message"}));
  EXPECT_EQ(wrong->header("Set-Cookie"), "");
  EXPECT_EQ(call("POST", "/v1/auth/login", R"({"email":"a@b.c"})")->code(), "INVALID_ARGUMENT");
  EXPECT_EQ(call("POST", "/v1/auth/login", "[]")->code(), "INVALID_JSON");
  EXPECT_EQ(call("GET", "/v1/auth/login")->status, 405);

  auto ok = login_call("Admin@Orbit.Local", password);
  ASSERT_EQ(ok->status, 200) << ok->describe();
  std::string cookie = ok->header("Set-Cookie");
  EXPECT_EQ(cookie.rfind("orbit_session=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;
  EXPECT_EQ(ok->header("Cache-Control"), "no-store");
  EXPECT_EQ(ok->str({"session", "user", "email"}), "admin@orbit.local");
  EXPECT_EQ(ok->str({"session", "user", "role"}), "admin");
  EXPECT_EQ(ok->str({"session", "role"}), "admin");
  EXPECT_EQ(ok->str({"session", "organization", "name"}), "acme");
  EXPECT_EQ(ok->json.find("session")->find("apiKey")->is_null(), true);
  EXPECT_EQ(ok->str({"session", "csrfToken"}).size(), 43u);
  EXPECT_EQ(ok->str({"session", "expiresAt"}).size(), 24u);  // 2026-11-27T19:00:00.000Z
  Browser b = browser_of(*ok);

  auto session = as(b, "GET", "/v1/auth/session");
  ASSERT_EQ(session->status, 200) << session->describe();
  EXPECT_EQ(session->str({"session", "csrfToken"}), b.csrf);
  EXPECT_EQ(as(b, "GET", "/v1/whoami")->str({"user", "email"}), "admin@orbit.local");
  EXPECT_EQ(call("GET", "/v1/auth/session")->status, 401);
  EXPECT_EQ(call("GET", "/v1/auth/session", "", {{"Cookie", "orbit_session=forged"}})->status, 401);
  EXPECT_EQ(call("GET", "/v1/namespaces", "", {{"Cookie", "orbit_session=forged"}})->status, 401);

  // Sign-out needs the CSRF token too.
  EXPECT_EQ(as(b, "POST", "/v1/auth/logout", "", "-")->code(), "CSRF_TOKEN_INVALID");
  auto out = as(b, "POST", "/v1/auth/logout");
  ASSERT_EQ(out->status, 200) << out->describe();
  EXPECT_EQ(out->body, R"({"loggedOut":true})");
  EXPECT_NE(out->header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(as(b, "GET", "/v1/auth/session")->status, 401);
  EXPECT_EQ(as(b, "GET", "/v1/namespaces")->status, 401);

  // An API key signs in too, and the session acts as the key.
  auto key = with_key("POST", "/v1/api-keys", R"({"name":"ops","role":"developer"})");
  ASSERT_EQ(key->status, 201) << key->describe();
  auto by_key =
      call("POST", "/v1/auth/login", "{\"apiKey\":" + json_string(key->str({"secret"})) + "}");
  ASSERT_EQ(by_key->status, 200) << by_key->describe();
  EXPECT_TRUE(by_key->json.find("session")->find("user")->is_null());
  EXPECT_EQ(by_key->str({"session", "apiKey", "name"}), "ops");
  EXPECT_EQ(by_key->str({"session", "role"}), "developer");
  EXPECT_EQ(call("POST", "/v1/auth/login", R"({"apiKey":"orbit_nope"})")->status, 401);
}

TEST_P(StudioAuthTest, FailedSignInsAreRateLimitedPerEmailAndPerAddress) {
  ASSERT_NE(start(), 0) << controlplane_->output();
  std::string password = printed_password();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(login_call("admin@orbit.local", "wrong password " + std::to_string(i))->status, 401);
  // The sixth try is refused whatever the password, with when to try again.
  auto limited = login_call("admin@orbit.local", password);
  EXPECT_EQ(limited->status, 429) << limited->describe();
  EXPECT_EQ(limited->code(), "RATE_LIMITED");
  int retry = std::atoi(limited->header("Retry-After").c_str());
  EXPECT_GT(retry, 800);
  EXPECT_LE(retry, 901);
  EXPECT_EQ(limited->header("Set-Cookie"), "");
  // Per address: 20 failures from 127.0.0.1, whatever the emails, stop every sign-in from it.
  for (int i = 0; i < 15; ++i)
    EXPECT_EQ(login_call("user" + std::to_string(i) + "@orbit.local", "wrong password")->status,
              401)
        << i;
  EXPECT_EQ(login_call("other@orbit.local", "wrong password")->status, 429);
  EXPECT_EQ(
      call("POST", "/v1/auth/login", "{\"apiKey\":" + json_string(kBootstrapKey) + "}")->status,
      429);
  // API keys keep working for machines.
  EXPECT_EQ(with_key("GET", "/v1/namespaces")->status, 200);
  // A restart forgets the counts (they live in memory).
  ASSERT_NE(start(), 0) << controlplane_->output();
  EXPECT_EQ(login_call("admin@orbit.local", password)->status, 200);
}

TEST_P(StudioAuthTest, SessionsExpireWhenIdleAndAfterTheirMaximumAge) {
  // Both limits reach the process (the cookie's Max-Age, the session's expiresAt) and an idle
  // session really ends on the system clock. Every second of both limits is crossed without
  // waiting, on a test clock and through the same request path, by
  // StudioHandlerTest.SessionsExpireWhenIdleAndAfterTheirMaximumAge (apps/controlplane/test).
  ASSERT_NE(start({"--session-idle-timeout", "2s", "--session-max-age", "6s"}), 0)
      << controlplane_->output();
  std::string password = printed_password();
  int64_t before = ::time(nullptr);
  auto signed_in = login_call("admin@orbit.local", password);
  int64_t after = ::time(nullptr);
  ASSERT_EQ(signed_in->status, 200) << signed_in->describe();
  EXPECT_NE(signed_in->header("Set-Cookie").find("; Max-Age=6"), std::string::npos)
      << signed_in->header("Set-Cookie");
  std::string expires = signed_in->str({"session", "expiresAt"});
  std::tm tm{};
  ASSERT_NE(strptime(expires.c_str(), "%Y-%m-%dT%H:%M:%S", &tm), nullptr) << expires;
  int64_t expires_at = ::timegm(&tm);
  EXPECT_GE(expires_at, before + 2) << expires;  // the idle limit, sooner than the maximum age
  EXPECT_LE(expires_at, after + 2) << expires;

  Browser idle = browser_of(*signed_in);
  // Session clocks count whole seconds: right after sign-in it is less than 2 s old.
  EXPECT_EQ(as(idle, "GET", "/v1/namespaces")->status, 200);
  std::this_thread::sleep_for(2100ms);  // more than 2 s unused
  auto expired = as(idle, "GET", "/v1/namespaces");
  EXPECT_EQ(expired->status, 401) << expired->describe();
  EXPECT_EQ(expired->code(), "UNAUTHENTICATED");
  EXPECT_EQ(as(idle, "GET", "/v1/auth/session")->status, 401);
}

TEST_P(StudioAuthTest, StateChangingSessionCallsNeedTheCsrfToken) {
  Browser admin = start_and_sign_in_admin();
  ASSERT_EQ(with_key("POST", "/v1/namespaces/default/graphs",
                     R"({"name":"shop","routingUrl":"http://127.0.0.1/graphql"})")
                ->status,
            201);
  const std::string graph = "/v1/namespaces/default/graphs/shop";
  struct Call {
    std::string method, target, body;
    int ok;
  };
  for (const Call& c : {Call{"POST", "/v1/namespaces", R"({"name":"staging"})", 201},
                        Call{"PATCH", graph, R"({"routingUrl":"http://127.0.0.1:1/graphql"})", 200},
                        Call{"DELETE", graph, "", 200}}) {
    SCOPED_TRACE(c.method + " " + c.target);
    std::string graph_before = with_key("GET", graph)->body;
    std::string namespaces_before = with_key("GET", "/v1/namespaces")->body;
    auto none = as(admin, c.method, c.target, c.body, "-");
    EXPECT_EQ(none->status, 403) << none->describe();
    EXPECT_EQ(none->code(), "CSRF_TOKEN_INVALID");
    auto wrong = as(admin, c.method, c.target, c.body, admin.csrf.substr(1) + "x");
    EXPECT_EQ(wrong->status, 403) << wrong->describe();
    EXPECT_EQ(wrong->code(), "CSRF_TOKEN_INVALID");
    // The token of another session is wrong too.
    Browser other = login("admin@orbit.local", admin_password_);
    EXPECT_EQ(as(admin, c.method, c.target, c.body, other.csrf)->status, 403);
    // Nothing happened.
    EXPECT_EQ(with_key("GET", graph)->body, graph_before);
    EXPECT_EQ(with_key("GET", "/v1/namespaces")->body, namespaces_before);
    auto right = as(admin, c.method, c.target, c.body);
    EXPECT_EQ(right->status, c.ok) << right->describe();
  }
  // Reading needs no token; API keys need none for anything (browsers never send them).
  EXPECT_EQ(as(admin, "GET", "/v1/namespaces", "", "-")->status, 200);
  EXPECT_EQ(with_key("POST", "/v1/namespaces", R"({"name":"machines"})")->status, 201);
  // An Authorization header wins over a cookie: no CSRF check for it.
  auto both = call("POST", "/v1/namespaces", R"({"name":"both"})",
                   {{"Authorization", "Bearer " + kBootstrapKey}, {"Cookie", admin.cookie}});
  EXPECT_EQ(both->status, 201) << both->describe();
}

TEST_P(StudioAuthTest, ViewerCannotChangeAnything) {
  Browser admin = start_and_sign_in_admin();
  ASSERT_EQ(as(admin, "POST", "/v1/namespaces/default/graphs",
               R"({"name":"shop","routingUrl":"http://127.0.0.1/graphql"})")
                ->status,
            201);
  ASSERT_EQ(as(admin, "POST", "/v1/namespaces/default/subgraphs",
               R"({"name":"products","routingUrl":"http://127.0.0.1:4001/graphql"})")
                ->status,
            201);
  std::string viewer_id = create_user(admin, "viewer@orbit.local", "viewer");
  auto viewer_key = as(admin, "POST", "/v1/api-keys", R"({"name":"wall","role":"viewer"})");
  ASSERT_EQ(viewer_key->status, 201);
  auto key_login = call("POST", "/v1/auth/login",
                        "{\"apiKey\":" + json_string(viewer_key->str({"secret"})) + "}");
  ASSERT_EQ(key_login->status, 200);

  Browser viewer = login("viewer@orbit.local", "long enough password");
  for (const Browser* b : std::vector<const Browser*>{&viewer, nullptr}) {
    Browser key_browser = browser_of(*key_login);
    const Browser& who = b ? *b : key_browser;
    SCOPED_TRACE(b ? "user session" : "API key session");
    struct Call {
      std::string method, target, body;
    };
    for (const Call& c : std::vector<Call>{
             {"POST", "/v1/namespaces", R"({"name":"mine"})"},
             {"DELETE", "/v1/namespaces/default", ""},
             {"POST", "/v1/namespaces/default/graphs", R"({"name":"x","routingUrl":"http://a/b"})"},
             {"PATCH", "/v1/namespaces/default/graphs/shop", R"({"routingUrl":"http://a/b"})"},
             {"DELETE", "/v1/namespaces/default/graphs/shop", ""},
             {"POST", "/v1/namespaces/default/graphs/shop/tokens", R"({"name":"t"})"},
             {"POST", "/v1/namespaces/default/subgraphs",
              R"({"name":"y","routingUrl":"http://a/b"})"},
             {"PATCH", "/v1/namespaces/default/subgraphs/products",
              R"({"routingUrl":"http://a/b"})"},
             {"DELETE", "/v1/namespaces/default/subgraphs/products", ""},
             {"POST", "/v1/namespaces/default/subgraphs/products/publish",
              R"({"sdl":"type Query { a: Int }"})"},
             {"POST", "/v1/api-keys", R"({"name":"k","role":"admin"})"},
             {"POST", "/v1/users",
              R"({"email":"z@z.z","password":"long enough password","role":"admin"})"},
             {"PATCH", "/v1/users/1", R"({"role":"viewer"})"},
             {"DELETE", "/v1/users/1", ""},
             {"POST", "/v1/organizations", R"({"name":"mine"})"},
         }) {
      auto a = as(who, c.method, c.target, c.body);
      EXPECT_EQ(a->status, 403) << c.method << " " << c.target << ": " << a->describe();
      EXPECT_EQ(a->code(), "PERMISSION_DENIED") << c.method << " " << c.target;
    }
    EXPECT_EQ(as(who, "GET", "/v1/audit-log")->status, 403);
    EXPECT_EQ(as(who, "GET", "/v1/users")->status, 403);
    // Reading is allowed.
    EXPECT_EQ(as(who, "GET", "/v1/namespaces/default/graphs")->items(), 1u);
    EXPECT_EQ(as(who, "GET", "/v1/namespaces/default/subgraphs/products")->status, 200);
  }
  // Nothing changed.
  EXPECT_EQ(with_key("GET", "/v1/namespaces/default/graphs/shop")->str({"graph", "routingUrl"}),
            "http://127.0.0.1/graphql");
  EXPECT_EQ(with_key("GET", "/v1/namespaces")->items(), 1u);
  EXPECT_EQ(as(admin, "GET", "/v1/users")->items(), 2u);
  // A viewer may change their own password (and only that).
  EXPECT_EQ(as(viewer, "PATCH", "/v1/users/" + viewer_id, R"({"role":"admin"})")->status, 403);
  auto own = as(viewer, "PATCH", "/v1/users/" + viewer_id, R"({"password":"a new long password"})");
  EXPECT_EQ(own->status, 200) << own->describe();
  EXPECT_EQ(own->str({"user", "role"}), "viewer");
  EXPECT_EQ(login_call("viewer@orbit.local", "a new long password")->status, 200);
}

TEST_P(StudioAuthTest, AnotherOrganizationIsInvisible) {
  Browser acme = start_and_sign_in_admin();
  ASSERT_EQ(as(acme, "POST", "/v1/namespaces/default/graphs",
               R"({"name":"shop","routingUrl":"http://127.0.0.1/graphql"})")
                ->status,
            201);
  ASSERT_EQ(as(acme, "POST", "/v1/namespaces", R"({"name":"acme-only"})")->status, 201);
  auto globex = with_key("POST", "/v1/organizations", R"({"name":"globex"})");
  ASSERT_EQ(globex->status, 201) << globex->describe();
  std::string globex_key = globex->str({"secret"});
  auto boss = with_key(
      "POST", "/v1/users",
      R"({"email":"boss@globex.test","password":"globex password","role":"admin"})", globex_key);
  ASSERT_EQ(boss->status, 201) << boss->describe();
  Browser g = login("boss@globex.test", "globex password");
  EXPECT_EQ(as(g, "GET", "/v1/auth/session")->str({"session", "organization", "name"}), "globex");

  EXPECT_EQ(as(g, "GET", "/v1/namespaces/default/graphs")->items(), 0u);
  EXPECT_EQ(as(g, "GET", "/v1/namespaces/default/graphs/shop")->status, 404);
  EXPECT_EQ(as(g, "GET", "/v1/namespaces/acme-only")->status, 404);
  EXPECT_EQ(as(g, "DELETE", "/v1/namespaces/default/graphs/shop")->status, 404);
  EXPECT_EQ(as(g, "PATCH", "/v1/namespaces/default/graphs/shop", R"({"routingUrl":"http://x/y"})")
                ->status,
            404);
  EXPECT_EQ(as(g, "GET", "/v1/organizations")->status, 403);
  auto users = as(g, "GET", "/v1/users");
  ASSERT_EQ(users->items(), 1u);
  EXPECT_NE(users->body.find("boss@globex.test"), std::string::npos);
  EXPECT_EQ(users->body.find("orbit.local"), std::string::npos);
  // acme's admin by id: neither changed nor deleted.
  EXPECT_EQ(as(g, "PATCH", "/v1/users/" + acme.user_id, R"({"password":"taken over now"})")->status,
            404);
  EXPECT_EQ(as(g, "DELETE", "/v1/users/" + acme.user_id)->status, 404);
  // globex's audit log holds globex's calls only, and acme's holds none of globex's.
  auto g_log = as(g, "GET", "/v1/audit-log");
  ASSERT_EQ(g_log->status, 200);
  EXPECT_EQ(g_log->body.find("admin@orbit.local"), std::string::npos) << g_log->body;
  EXPECT_EQ(g_log->body.find("acme-only"), std::string::npos) << g_log->body;
  EXPECT_EQ(g_log->body.find("graph created"), std::string::npos) << g_log->body;
  EXPECT_NE(g_log->body.find("\"boss@globex.test\""), std::string::npos) << g_log->body;
  auto a_log = as(acme, "GET", "/v1/audit-log");
  EXPECT_EQ(a_log->body.find("\"boss@globex.test\""), std::string::npos) << a_log->body;
  // acme still has everything, and acme's admin does not see globex's user.
  EXPECT_EQ(as(acme, "GET", "/v1/namespaces/default/graphs/shop")->str({"graph", "routingUrl"}),
            "http://127.0.0.1/graphql");
  EXPECT_EQ(as(acme, "GET", "/v1/users")->body.find("globex"), std::string::npos);
  EXPECT_EQ(login_call("admin@orbit.local", admin_password_)->status, 200);
}

TEST_P(StudioAuthTest, AuditLogRecordsEveryChangeWithItsActorAndStatus) {
  Browser admin = start_and_sign_in_admin();
  ASSERT_EQ(as(admin, "POST", "/v1/namespaces/default/graphs",
               R"({"name":"shop","routingUrl":"http://127.0.0.1/graphql"})")
                ->status,
            201);
  ASSERT_EQ(as(admin, "POST", "/v1/namespaces", R"({"name":"staging"})", "-")->status, 403);
  ASSERT_EQ(with_key("DELETE", "/v1/namespaces/default/graphs/shop")->status, 200);
  ASSERT_EQ(with_key("DELETE", "/v1/namespaces/default/graphs/shop")->status, 404);
  ASSERT_EQ(login_call("admin@orbit.local", "wrong password")->status, 401);
  // Reads are not changes.
  ASSERT_EQ(as(admin, "GET", "/v1/namespaces")->status, 200);
  ASSERT_EQ(with_key("GET", "/v1/whoami")->status, 200);

  auto log = as(admin, "GET", "/v1/audit-log?limit=5");
  ASSERT_EQ(log->status, 200) << log->describe();
  const JsonValue* items = log->json.find("items");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->items().size(), 5u) << log->body;
  auto field = [&](size_t i, std::initializer_list<std::string_view> path) {
    const JsonValue* at = &items->items()[i];
    for (auto k : path)
      at = at->find(k);
    return at->is_string() ? std::string(at->as_string()) : std::to_string(at->as_int64());
  };
  // Newest first.
  EXPECT_EQ(field(0, {"summary"}), "sign-in failed");
  EXPECT_EQ(field(0, {"status"}), "401");
  EXPECT_EQ(field(0, {"actor", "type"}), "user");
  EXPECT_EQ(field(0, {"actor", "name"}), "admin@orbit.local");
  EXPECT_EQ(field(1, {"summary"}), "graph delete failed");
  EXPECT_EQ(field(1, {"status"}), "404");
  EXPECT_EQ(field(2, {"summary"}), "graph deleted");
  EXPECT_EQ(field(2, {"method"}), "DELETE");
  EXPECT_EQ(field(2, {"path"}), "/v1/namespaces/default/graphs/shop");
  EXPECT_EQ(field(2, {"resource"}), "namespaces/default/graphs/shop");
  EXPECT_EQ(field(2, {"actor", "type"}), "apiKey");
  EXPECT_EQ(field(2, {"actor", "id"}), "0123456789abcdef");
  EXPECT_EQ(field(2, {"actor", "name"}), "bootstrap");
  EXPECT_EQ(field(3, {"summary"}), "namespace create failed");
  EXPECT_EQ(field(3, {"status"}), "403");
  EXPECT_EQ(field(3, {"actor", "name"}), "admin@orbit.local");
  EXPECT_EQ(field(4, {"summary"}), "graph created");
  EXPECT_EQ(field(4, {"status"}), "201");
  EXPECT_EQ(field(4, {"method"}), "POST");
  EXPECT_EQ(field(4, {"resource"}), "namespaces/default/graphs/shop");
  EXPECT_EQ(field(4, {"actor", "type"}), "user");
  EXPECT_EQ(field(4, {"actor", "id"}), admin.user_id);
  EXPECT_FALSE(field(4, {"time"}).empty());
  // The page before: the admin's sign-in.
  std::string cursor = log->str({"nextCursor"});
  ASSERT_FALSE(cursor.empty());
  auto older = as(admin, "GET", "/v1/audit-log?cursor=" + cursor);
  ASSERT_EQ(older->items(), 1u) << older->body;
  EXPECT_NE(older->body.find("\"summary\":\"signed in\""), std::string::npos) << older->body;
}

TEST_P(StudioAuthTest, ServesStudioWithSecurityHeadersAndClientRoutes) {
  ASSERT_NE(start(), 0) << controlplane_->output();
  auto index = call("GET", "/");
  ASSERT_EQ(index->status, 200) << index->describe();
  EXPECT_EQ(index->body, "<!doctype html><title>Orbit Studio</title>");
  EXPECT_EQ(index->header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index->header("Cache-Control"), "no-cache");
  std::string csp = index->header("Content-Security-Policy");
  EXPECT_EQ(csp.rfind("default-src 'self'", 0), 0u) << csp;
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
  EXPECT_EQ(index->header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(index->header("Referrer-Policy"), "same-origin");

  for (const char* route : {"/graphs", "/graphs/shop/schema", "/settings/users?tab=1"}) {
    auto r = call("GET", route);
    EXPECT_EQ(r->status, 200) << route;
    EXPECT_EQ(r->body, index->body) << route;
    EXPECT_EQ(r->header("Cache-Control"), "no-cache") << route;
  }
  auto js = call("GET", "/assets/index-3f2a.js");
  ASSERT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log('studio')");
  EXPECT_EQ(js->header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(js->header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(call("GET", "/assets/index-3f2a.css")->header("Content-Type"),
            "text/css; charset=utf-8");
  auto svg = call("GET", "/favicon.svg");
  EXPECT_EQ(svg->header("Content-Type"), "image/svg+xml");
  EXPECT_EQ(svg->header("Cache-Control"), "no-cache");
  EXPECT_EQ(call("HEAD", "/assets/index-3f2a.js")->status, 200);

  // Missing files are 404, not the app.
  EXPECT_EQ(call("GET", "/assets/gone-1234.js")->status, 404);
  EXPECT_EQ(call("GET", "/missing.png")->status, 404);
  // Traversal, plain or encoded, and a symbolic link out of the directory.
  for (const char* bad : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                          "/assets/..%2f..%2fsecret.txt", "/%2E%2E%2Fsecret.txt", "/leak.txt",
                          "/assets%5c..%5c..%5csecret.txt", "/index.html%00.js", "/%zz"}) {
    auto r = call("GET", bad);
    EXPECT_EQ(r->status, 404) << bad << ": " << r->describe();
    EXPECT_EQ(r->body.find("TOP-SECRET"), std::string::npos) << bad;
    EXPECT_EQ(r->header("X-Content-Type-Options"), "nosniff") << bad;
  }
  EXPECT_EQ(call("POST", "/graphs", "{}")->status, 405);
  // The API is never the app.
  auto api = call("GET", "/v1/no-such-thing");
  EXPECT_EQ(api->status, 401);
  EXPECT_EQ(api->header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(with_key("GET", "/v1/no-such-thing")->code(), "NOT_FOUND");
}

INSTANTIATE_TEST_SUITE_P(Backends, StudioAuthTest, ::testing::Values("sqlite", "postgresql"),
                         registry::testing::backend_name);

}  // namespace
}  // namespace orbit
