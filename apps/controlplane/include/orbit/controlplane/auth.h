// StudioAuth: who is calling the /v1 API, for machines and for Studio in a browser.
//
//   Authorization: Bearer <api key>  ─► Registry::authenticate           (no CSRF: browsers
//                                                                          never add it)
//   Cookie: orbit_session=<token>    ─► Accounts::authenticate_session ─► POST/PUT/PATCH/DELETE
//                                                        must carry X-CSRF-Token = the session's
//
// and the /v1/auth routes: POST login (email + password, or an API key) sets the HttpOnly,
// SameSite=Strict session cookie; POST logout ends it; GET session describes it. Failed
// sign-ins are counted per email and per client address in a sliding window; past the limit
// the answer is 429 RATE_LIMITED with Retry-After, whatever the password.
//
// Threading: like ApiHandler, called from the control plane's one worker thread only (the
// failure counters are plain maps).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "orbit/controlplane/api_handler.h"
#include "orbit/net/http_server.h"
#include "orbit/registry/accounts.h"

namespace orbit::controlplane {

inline constexpr std::string_view kSessionCookie = "orbit_session";

struct AuthOptions {
  registry::SessionPolicy sessions;
  bool cookie_secure = false;  // add `Secure` to the cookie (behind TLS)
  int max_failures_per_email = 5;
  int max_failures_per_address = 20;
  std::chrono::seconds failure_window{15 * 60};
  // The wall clock sessions are dated and expired by, in Unix seconds; empty means the
  // system clock (tests pass their own to cross expiry limits without waiting).
  std::function<int64_t()> unix_clock;
};

// The caller of a request, and its session when it came with the cookie.
struct Authenticated {
  registry::Caller caller;
  std::optional<registry::Session> session;
};

// Counts failures per key in a sliding window. Bounded: at most kMaxKeys keys are kept.
class FailureCounter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kMaxKeys = 100'000;

  // Failures of `key` within `window` before `now`.
  int count(const std::string& key, Clock::time_point now, std::chrono::seconds window);
  void add(const std::string& key, Clock::time_point now, std::chrono::seconds window);
  void clear(const std::string& key) { failures_.erase(key); }
  // When the oldest failure in the window leaves it.
  std::chrono::seconds retry_after(const std::string& key, Clock::time_point now,
                                   std::chrono::seconds window) const;

 private:
  std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;
};

class StudioAuth {
 public:
  StudioAuth(registry::Registry& registry, AuthOptions options);

  registry::Accounts& accounts() { return accounts_; }
  const AuthOptions& options() const { return options_; }

  // The caller from the Authorization header, else from the session cookie.
  // UNAUTHENTICATED when neither identifies one.
  registry::Expected<Authenticated> authenticate(const net::HttpRequest& request);
  // CSRF_TOKEN_INVALID when `who` came with a session and `request` changes state without
  // the session's X-CSRF-Token.
  registry::Outcome check_csrf(const net::HttpRequest& request, const Authenticated& who) const;

  // /v1/auth/{login,logout,session}. `actor` is set to whom the call concerns when known (for
  // the audit log).
  ApiResponse handle(const net::HttpRequest& request, std::string_view action,
                     std::optional<registry::Caller>* actor);

  // The session object of docs/api.md ({"user","apiKey","organization","role","csrfToken",
  // "expiresAt"}).
  std::string session_json(const registry::Caller& caller, const registry::Session& session) const;
  static std::optional<std::string_view> cookie(const net::HttpRequest& request,
                                                std::string_view name);

 private:
  ApiResponse login(const net::HttpRequest& request, std::optional<registry::Caller>* actor);
  ApiResponse logout(const net::HttpRequest& request, std::optional<registry::Caller>* actor);
  ApiResponse session(const net::HttpRequest& request);
  std::string set_cookie(const std::string& token, int64_t max_age) const;
  int64_t unix_now() const;

  registry::Registry& registry_;
  registry::Accounts accounts_;
  AuthOptions options_;
  FailureCounter by_email_;
  FailureCounter by_address_;
};

// "90s", "30m", "12h", "7d" or plain seconds; nullopt for anything else or a value over ten
// years.
std::optional<int64_t> parse_duration_seconds(std::string_view text);

}  // namespace orbit::controlplane
