#include "orbit/controlplane/auth.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "http_json.h"
#include "orbit/base/log.h"
#include "orbit/security/graph_token.h"

namespace orbit::controlplane {
namespace {

using registry::api_error;
using registry::ApiCode;

std::string rfc3339(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

// "127.0.0.1:53412" → "127.0.0.1"; "[::1]:53412" → "[::1]".
std::string address_of(const std::string& remote) {
  size_t colon = remote.rfind(':');
  if (colon == std::string::npos || remote.find(']', colon) != std::string::npos) return remote;
  return remote.substr(0, colon);
}

void no_store(ApiResponse& r) {
  r.headers.set("Cache-Control", "no-store");
}

}  // namespace

// ---- failure counting

int FailureCounter::count(const std::string& key, Clock::time_point now,
                          std::chrono::seconds window) {
  auto it = failures_.find(key);
  if (it == failures_.end()) return 0;
  auto& times = it->second;
  while (!times.empty() && now - times.front() >= window)
    times.pop_front();
  if (times.empty()) {
    failures_.erase(it);
    return 0;
  }
  return static_cast<int>(times.size());
}

void FailureCounter::add(const std::string& key, Clock::time_point now,
                         std::chrono::seconds window) {
  if (failures_.size() >= kMaxKeys && failures_.find(key) == failures_.end()) {
    // Full: drop what left the window; if nothing did, forget everything rather than grow
    // (an attacker spraying addresses then loses their history too).
    for (auto it = failures_.begin(); it != failures_.end();) {
      if (it->second.empty() || now - it->second.back() >= window)
        it = failures_.erase(it);
      else
        ++it;
    }
    if (failures_.size() >= kMaxKeys) failures_.clear();
  }
  auto& times = failures_[key];
  times.push_back(now);
  // One more than any limit is all the window needs to remember.
  while (times.size() > 1000)
    times.pop_front();
}

std::chrono::seconds FailureCounter::retry_after(const std::string& key, Clock::time_point now,
                                                 std::chrono::seconds window) const {
  auto it = failures_.find(key);
  if (it == failures_.end() || it->second.empty()) return std::chrono::seconds(1);
  auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second.front() + window - now);
  return std::max(left + std::chrono::seconds(1), std::chrono::seconds(1));
}

// ---- authentication

StudioAuth::StudioAuth(registry::Registry& registry, AuthOptions options)
    : registry_(registry), accounts_(registry, options.sessions), options_(options) {}

std::optional<std::string_view> StudioAuth::cookie(const net::HttpRequest& request,
                                                   std::string_view name) {
  for (const auto& [field, value] : request.headers) {
    if (!net::iequals(field, "Cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      while (!pair.empty() && pair.front() == ' ')
        pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
        std::string_view v = pair.substr(eq + 1);
        while (!v.empty() && v.back() == ' ')
          v.remove_suffix(1);
        return v;
      }
      if (semi == std::string_view::npos) break;
      rest.remove_prefix(semi + 1);
    }
  }
  return std::nullopt;
}

int64_t StudioAuth::unix_now() const {
  return options_.unix_clock ? options_.unix_clock() : security::unix_now();
}

registry::Expected<Authenticated> StudioAuth::authenticate(const net::HttpRequest& request) {
  if (auto authorization = request.headers.get("Authorization")) {
    auto caller = registry_.authenticate(*authorization);
    if (!caller.ok()) return caller.error();
    return Authenticated{std::move(*caller), std::nullopt};
  }
  auto token = cookie(request, kSessionCookie);
  if (!token || token->empty())
    return api_error(ApiCode::kUnauthenticated,
                     "not signed in: send Authorization: Bearer <api key>, or sign in to Studio");
  auto who = accounts_.authenticate_session(*token, unix_now());
  if (!who.ok()) return who.error();
  return Authenticated{std::move(who->caller), std::move(who->session)};
}

registry::Outcome StudioAuth::check_csrf(const net::HttpRequest& request,
                                         const Authenticated& who) const {
  if (!who.session || !http_json::state_changing(request.method)) return registry::Done{};
  auto sent = request.headers.get("X-CSRF-Token");
  const std::string& expected = who.session->csrf_token;
  if (!sent || sent->size() != expected.size() ||
      CRYPTO_memcmp(sent->data(), expected.data(), expected.size()) != 0)
    return api_error(ApiCode::kCsrfTokenInvalid,
                     sent ? "X-CSRF-Token does not match the session's csrfToken"
                          : "a signed-in browser must send X-CSRF-Token with the session's "
                            "csrfToken on POST, PUT, PATCH and DELETE");
  return registry::Done{};
}

// ---- /v1/auth

std::string StudioAuth::set_cookie(const std::string& token, int64_t max_age) const {
  std::string c = std::string(kSessionCookie) + "=" + token +
                  "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age);
  if (options_.cookie_secure) c += "; Secure";
  return c;
}

std::string StudioAuth::session_json(const registry::Caller& caller,
                                     const registry::Session& session) const {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("user");
  if (caller.user) {
    w.begin_object();
    w.key("id").string(std::to_string(caller.user->id));
    w.key("email").string(caller.user->email);
    w.key("role").string(registry::role_name(caller.user->role));
    w.end_object();
  } else {
    w.null();
  }
  w.key("apiKey");
  if (!caller.user) {
    w.begin_object();
    w.key("id").string(caller.key.id);
    w.key("name").string(caller.key.name);
    w.key("role").string(registry::role_name(caller.key.role));
    w.end_object();
  } else {
    w.null();
  }
  w.key("organization").begin_object();
  w.key("id").string(std::to_string(caller.organization.id));
  w.key("name").string(caller.organization.name);
  w.end_object();
  w.key("role").string(registry::role_name(caller.key.role));
  w.key("csrfToken").string(session.csrf_token);
  w.key("expiresAt").string(rfc3339(accounts_.expires_at(session)));
  w.end_object();
  return out;
}

ApiResponse StudioAuth::handle(const net::HttpRequest& request, std::string_view action,
                               std::optional<registry::Caller>* actor) {
  ApiResponse r;
  if (action == "login") {
    r = request.method == "POST" ? login(request, actor)
                                 : http_json::method_not_allowed(request.method, "POST");
  } else if (action == "logout") {
    r = request.method == "POST" ? logout(request, actor)
                                 : http_json::method_not_allowed(request.method, "POST");
  } else if (action == "session") {
    r = request.method == "GET" ? session(request)
                                : http_json::method_not_allowed(request.method, "GET");
  } else {
    r = http_json::error(api_error(ApiCode::kNotFound,
                                   "no such path: the auth routes are "
                                   "/v1/auth/login, /logout and /session"));
  }
  no_store(r);
  return r;
}

ApiResponse StudioAuth::login(const net::HttpRequest& request,
                              std::optional<registry::Caller>* actor) {
  auto body = http_json::StringBody::parse(request.body);
  if (!body.ok()) return http_json::error(body.error());
  bool with_key = body->has("apiKey");
  auto email = body->string("email", !with_key);
  if (!email.ok()) return http_json::error(email.error());
  auto password = body->string("password", !with_key);
  if (!password.ok()) return http_json::error(password.error());
  auto key = body->string("apiKey", false);
  if (!key.ok()) return http_json::error(key.error());
  if (auto done = body->finish(); !done.ok()) return http_json::error(done.error());
  if (with_key && (*email || *password))
    return http_json::error(api_error(ApiCode::kInvalidArgument,
                                      "give either email and password, or apiKey, not both"));

  auto now = FailureCounter::Clock::now();
  auto window = options_.failure_window;
  std::string address = "ip:" + address_of(request.remote_address);
  std::string email_key;
  if (!with_key) {
    auto normalized = registry::Accounts::normalize_email(**email);
    email_key = "email:" + (normalized.ok() ? *normalized : **email).substr(0, 256);
  }
  bool limited = by_address_.count(address, now, window) >= options_.max_failures_per_address;
  FailureCounter* which = &by_address_;
  std::string* which_key = &address;
  if (!limited && !with_key &&
      by_email_.count(email_key, now, window) >= options_.max_failures_per_email) {
    limited = true;
    which = &by_email_;
    which_key = &email_key;
  }
  // Whose sign-in this was, when the email names a user (for the audit log).
  auto note_actor = [&]() {
    if (with_key) return;
    auto normalized = registry::Accounts::normalize_email(**email);
    if (!normalized.ok()) return;
    auto user = registry_.store().find_user_by_email(*normalized);
    if (!user.ok() || !user->has_value()) return;
    registry::Caller c;
    c.user = **user;
    c.key.name = (*user)->email;
    c.key.role = (*user)->role;
    c.organization.id = (*user)->org_id;
    *actor = std::move(c);
  };
  if (limited) {
    note_actor();
    auto wait = which->retry_after(*which_key, now, window);
    ApiResponse r = http_json::error(api_error(
        ApiCode::kRateLimited,
        "too many failed sign-ins; try again in " + std::to_string(wait.count()) + " seconds"));
    r.headers.set("Retry-After", std::to_string(wait.count()));
    log::warn("sign-in refused (rate limited) from {}", address.substr(3));
    return r;
  }

  int64_t signed_in_at = unix_now();
  auto signed_in = with_key ? accounts_.sign_in_with_api_key(**key, signed_in_at)
                            : accounts_.sign_in(**email, **password, signed_in_at);
  if (!signed_in.ok()) {
    if (signed_in.error().code == ApiCode::kUnauthenticated) {
      by_address_.add(address, now, window);
      if (!with_key) by_email_.add(email_key, now, window);
      note_actor();
      log::warn("sign-in failed from {}", address.substr(3));
    }
    return http_json::error(signed_in.error());
  }
  if (!with_key) by_email_.clear(email_key);
  *actor = signed_in->caller;
  ApiResponse r = http_json::json(
      200, "{\"session\":" + session_json(signed_in->caller, signed_in->session) + "}");
  r.headers.add("Set-Cookie", set_cookie(signed_in->token, options_.sessions.absolute_seconds));
  return r;
}

ApiResponse StudioAuth::logout(const net::HttpRequest& request,
                               std::optional<registry::Caller>* actor) {
  auto token = cookie(request, kSessionCookie);
  if (!token || token->empty())
    return http_json::error(api_error(ApiCode::kUnauthenticated, "not signed in"));
  auto who = accounts_.authenticate_session(*token, unix_now());
  if (!who.ok()) {
    ApiResponse r = http_json::error(who.error());
    r.headers.add("Set-Cookie", set_cookie("", 0));
    return r;
  }
  *actor = who->caller;
  Authenticated authenticated{who->caller, who->session};
  if (auto csrf = check_csrf(request, authenticated); !csrf.ok())
    return http_json::error(csrf.error());
  if (auto out = accounts_.sign_out(*token); !out.ok()) return http_json::error(out.error());
  ApiResponse r = http_json::json(200, "{\"loggedOut\":true}");
  r.headers.add("Set-Cookie", set_cookie("", 0));
  return r;
}

ApiResponse StudioAuth::session(const net::HttpRequest& request) {
  auto token = cookie(request, kSessionCookie);
  if (!token || token->empty())
    return http_json::error(api_error(ApiCode::kUnauthenticated, "not signed in"));
  auto who = accounts_.authenticate_session(*token, unix_now());
  if (!who.ok()) return http_json::error(who.error());
  return http_json::json(200, "{\"session\":" + session_json(who->caller, who->session) + "}");
}

std::optional<int64_t> parse_duration_seconds(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t unit = 1;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: unit = 0;
  }
  if (unit != 0) text.remove_suffix(1);
  if (unit == 0) unit = 1;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value < 0 ||
      value > 3660LL * 86400 / unit)
    return std::nullopt;
  return value * unit;
}

}  // namespace orbit::controlplane
