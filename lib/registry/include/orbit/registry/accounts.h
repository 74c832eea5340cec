// Accounts: Studio's sign-in over a Registry — users with Argon2id passwords (password.h) and
// roles, the first admin of the instance organization, and sessions.
//
//   sign_in(email, password) ─► User ─► Session {SHA-256 of a random token, CSRF token}
//   sign_in(api key)         ─► ApiKey ─┘         the token goes to the browser, once
//   authenticate_session(token) ─► Caller (the same type API keys produce) + Session
//
// A session ends when it is idle for `idle_seconds`, `absolute_seconds` after sign-in, at
// sign-out, when its user is deleted or changes password elsewhere, or its API key is deleted.
// Users belong to one organization; every operation here stays inside the caller's.
//
// Threading: like Registry (one Store connection), not thread-safe; the control plane calls
// it from its one worker thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "orbit/registry/registry.h"

namespace orbit::registry {

struct SessionPolicy {
  int64_t idle_seconds = 12 * 3600;
  int64_t absolute_seconds = 7 * 24 * 3600;
};

struct SignedIn {
  std::string token;  // the cookie value: shown to the browser once, stored hashed
  Session session;
  Caller caller;
};

struct SessionCaller {
  Caller caller;
  Session session;
};

struct FirstAdmin {
  bool created = false;
  std::string email;
  std::string generated_password;  // "" when the password was given
};

class Accounts {
 public:
  Accounts(Registry& registry, SessionPolicy policy) : registry_(registry), policy_(policy) {}

  const SessionPolicy& policy() const { return policy_; }

  // When the instance organization (the first one) has no user: creates an admin with
  // `email` and `password` (a random one when empty). Nothing otherwise.
  Expected<FirstAdmin> ensure_first_admin(const std::string& email, const std::string& password);

  // UNAUTHENTICATED with one message for an unknown email and a wrong password.
  Expected<SignedIn> sign_in(const std::string& email, std::string_view password, int64_t now);
  Expected<SignedIn> sign_in_with_api_key(std::string_view api_key, int64_t now);
  // UNAUTHENTICATED for an unknown or expired session (an expired one is deleted).
  Expected<SessionCaller> authenticate_session(std::string_view token, int64_t now);
  Outcome sign_out(std::string_view token);
  // When the session ends if it stays idle (Unix seconds).
  int64_t expires_at(const Session& session) const;

  // ---- users of the caller's organization (admin; a user may change their own password)
  Expected<Page<User>> list_users(const Caller& caller, const PageRequest& page);
  Expected<User> create_user(const Caller& caller, const std::string& email,
                             std::string_view password, Role role);
  // `current_session`: the caller's session hash, kept when they change their own password
  // (their other sessions end).
  Expected<User> update_user(const Caller& caller, int64_t id, std::optional<Role> role,
                             std::optional<std::string> password,
                             const std::string& current_session);
  Outcome delete_user(const Caller& caller, int64_t id);

  // Lower-cased; INVALID_ARGUMENT naming the problem.
  static Expected<std::string> normalize_email(std::string_view email);
  static std::string token_hash(std::string_view token);

 private:
  Expected<SignedIn> open_session(Caller caller, int64_t now);
  Expected<Caller> caller_of(const Session& session);

  Registry& registry_;
  SessionPolicy policy_;
};

}  // namespace orbit::registry
