#include "orbit/registry/accounts.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>

#include "orbit/config/artifact.h"
#include "orbit/registry/password.h"
#include "orbit/security/encoding.h"
#include "orbit/security/sha256.h"

namespace orbit::registry {
namespace {

constexpr size_t kMaxEmailBytes = 254;
constexpr size_t kMaxUsers = 1000;
constexpr const char* kBadCredentials = "wrong email or password";

std::string random_token() {
  std::string bytes(32, '\0');
  ORBIT_RELEASE_ASSERT(RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), 32) == 1);
  return security::base64url_encode(bytes);
}

ApiError unauthenticated(std::string message) {
  return api_error(ApiCode::kUnauthenticated, std::move(message));
}

Outcome need_admin(const Caller& caller) {
  if (caller.key.role != Role::kAdmin)
    return api_error(ApiCode::kPermissionDenied,
                     std::string(caller.user ? "user \"" : "API key \"") + caller.key.name +
                         "\" has the role " + std::string(role_name(caller.key.role)) +
                         "; managing users needs admin");
  return Done{};
}

ApiError no_user(int64_t id) {
  return api_error(ApiCode::kNotFound, "no user " + std::to_string(id));
}

}  // namespace

std::string Accounts::token_hash(std::string_view token) {
  return security::sha256_hex(token);
}

Expected<std::string> Accounts::normalize_email(std::string_view email) {
  if (email.empty() || email.size() > kMaxEmailBytes)
    return api_error(ApiCode::kInvalidArgument,
                     "email: 1 to " + std::to_string(kMaxEmailBytes) + " bytes");
  std::string out;
  for (char c : email) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == ',')
      return api_error(ApiCode::kInvalidArgument,
                       "email: no spaces, control characters, quotes, <, >, \\ or ,");
    out += static_cast<char>(std::tolower(u));
  }
  size_t at = out.find('@');
  if (at == 0 || at == std::string::npos || at + 1 == out.size() ||
      out.find('@', at + 1) != std::string::npos)
    return api_error(ApiCode::kInvalidArgument, "email: expected one name@domain");
  return out;
}

Expected<FirstAdmin> Accounts::ensure_first_admin(const std::string& email,
                                                  const std::string& password) {
  auto normalized = normalize_email(email);
  if (!normalized.ok()) {
    ApiError e = normalized.error();
    e.message = "ORBIT_ADMIN_EMAIL: " + e.message;
    return e;
  }
  if (!password.empty()) {
    auto checked = check_password(password);
    if (!checked.ok()) {
      ApiError e = checked.error();
      e.message = "ORBIT_ADMIN_PASSWORD: " + e.message;
      return e;
    }
  }
  Store& store = registry_.store();
  FirstAdmin result;
  result.email = *normalized;
  std::string chosen = password.empty() ? random_password() : password;
  // Hashed before the transaction: it takes a while and may run again on a conflict.
  auto hash = hash_password(chosen);
  if (!hash.ok()) return hash.error();
  auto created = store.transaction([&]() -> Expected<bool> {
    auto org = store.first_organization_id();
    if (!org.ok()) return org.error();
    if (*org == 0) return api_error(ApiCode::kFailedPrecondition, "no organization yet");
    auto count = store.count_users(*org);
    if (!count.ok()) return count.error();
    if (*count > 0) return false;
    User user;
    user.org_id = *org;
    user.email = *normalized;
    user.role = Role::kAdmin;
    user.password_hash = *hash;
    user.created_at = config::now_rfc3339();
    auto inserted = store.insert_user(user);
    if (!inserted.ok()) {
      if (inserted.error().code == ApiCode::kAlreadyExists)
        return api_error(ApiCode::kAlreadyExists,
                         "ORBIT_ADMIN_EMAIL: " + user.email + " is a user of another organization");
      return inserted.error();
    }
    return true;
  });
  if (!created.ok()) return created.error();
  result.created = *created;
  if (result.created && password.empty()) result.generated_password = chosen;
  return result;
}

Expected<SignedIn> Accounts::sign_in(const std::string& email, std::string_view password,
                                     int64_t now) {
  auto normalized = normalize_email(email);
  if (!normalized.ok() || password.size() > kMaxPasswordBytes) {
    spend_password_verification(password.substr(0, kMaxPasswordBytes));
    return unauthenticated(kBadCredentials);
  }
  Store& store = registry_.store();
  auto user = store.find_user_by_email(*normalized);
  if (!user.ok()) return user.error();
  if (!user->has_value()) {
    spend_password_verification(password);
    return unauthenticated(kBadCredentials);
  }
  if (!verify_password((*user)->password_hash, password)) return unauthenticated(kBadCredentials);
  Session session;
  session.user_id = (*user)->id;
  session.org_id = (*user)->org_id;
  auto caller = caller_of(session);
  if (!caller.ok()) return caller.error();
  std::string at = config::now_rfc3339();
  ORBIT_TRY(store.touch_user_login((*user)->id, at));
  caller->user->last_login_at = at;
  return open_session(std::move(*caller), now);
}

Expected<SignedIn> Accounts::sign_in_with_api_key(std::string_view api_key, int64_t now) {
  auto caller = registry_.authenticate("Bearer " + std::string(api_key.substr(0, 256)));
  if (!caller.ok()) {
    if (caller.error().code == ApiCode::kUnauthenticated)
      return unauthenticated("unknown, deleted or malformed API key");
    return caller.error();
  }
  return open_session(std::move(*caller), now);
}

Expected<SignedIn> Accounts::open_session(Caller caller, int64_t now) {
  Store& store = registry_.store();
  SignedIn out;
  out.token = random_token();
  out.session.token_sha256 = token_hash(out.token);
  out.session.org_id = caller.organization.id;
  out.session.user_id = caller.user ? caller.user->id : 0;
  out.session.api_key_id = caller.user ? std::string() : caller.key.id;
  out.session.csrf_token = random_token();
  out.session.created_unix = now;
  out.session.last_seen_unix = now;
  // Expired sessions go when someone signs in, so that the table does not grow forever.
  ORBIT_TRY(
      store.delete_expired_sessions(now - policy_.idle_seconds, now - policy_.absolute_seconds));
  ORBIT_TRY(store.insert_session(out.session));
  out.caller = std::move(caller);
  return out;
}

Expected<Caller> Accounts::caller_of(const Session& session) {
  Store& store = registry_.store();
  Caller caller;
  if (session.user_id != 0) {
    auto user = store.find_user(session.org_id, session.user_id);
    if (!user.ok()) return user.error();
    if (!user->has_value()) return unauthenticated("the session's user was deleted");
    caller.user = **user;
    caller.key.org_id = session.org_id;
    caller.key.name = caller.user->email;
    caller.key.role = caller.user->role;
    caller.key.created_at = caller.user->created_at;
  } else {
    auto key = store.find_api_key(session.api_key_id);
    if (!key.ok()) return key.error();
    if (!key->has_value() || (*key)->org_id != session.org_id)
      return unauthenticated("the session's API key was deleted");
    caller.key = **key;
  }
  auto org = store.find_organization(session.org_id);
  if (!org.ok()) return org.error();
  if (!org->has_value()) return unauthenticated("the session's organization was deleted");
  caller.organization = **org;
  auto first = store.first_organization_id();
  if (!first.ok()) return first.error();
  caller.instance_admin = caller.key.role == Role::kAdmin && caller.organization.id == *first;
  return caller;
}

int64_t Accounts::expires_at(const Session& session) const {
  return std::min(session.last_seen_unix + policy_.idle_seconds,
                  session.created_unix + policy_.absolute_seconds);
}

Expected<SessionCaller> Accounts::authenticate_session(std::string_view token, int64_t now) {
  if (token.empty() || token.size() > 128) return unauthenticated("no session: sign in");
  Store& store = registry_.store();
  std::string hash = token_hash(token);
  auto session = store.find_session(hash);
  if (!session.ok()) return session.error();
  if (!session->has_value()) return unauthenticated("unknown or ended session: sign in again");
  Session s = **session;
  // The hash was the lookup key; comparing it again in constant time costs nothing.
  if (CRYPTO_memcmp(s.token_sha256.data(), hash.data(), hash.size()) != 0 ||
      s.token_sha256.size() != hash.size())
    return unauthenticated("unknown or ended session: sign in again");
  if (now >= expires_at(s)) {
    (void)store.delete_session(hash);
    return unauthenticated("the session expired: sign in again");
  }
  auto caller = caller_of(s);
  if (!caller.ok()) return caller.error();
  if (now != s.last_seen_unix) {
    ORBIT_TRY(store.touch_session(hash, now));
    s.last_seen_unix = now;
  }
  return SessionCaller{std::move(*caller), std::move(s)};
}

Outcome Accounts::sign_out(std::string_view token) {
  return registry_.store().delete_session(token_hash(token));
}

Expected<Page<User>> Accounts::list_users(const Caller& caller, const PageRequest& page) {
  ORBIT_TRY(need_admin(caller));
  return registry_.store().list_users(caller.organization.id, page);
}

Expected<User> Accounts::create_user(const Caller& caller, const std::string& email,
                                     std::string_view password, Role role) {
  ORBIT_TRY(need_admin(caller));
  auto normalized = normalize_email(email);
  if (!normalized.ok()) return normalized.error();
  ORBIT_TRY(check_password(password));
  auto hash = hash_password(password);
  if (!hash.ok()) return hash.error();
  Store& store = registry_.store();
  return store.transaction([&]() -> Expected<User> {
    auto count = store.count_users(caller.organization.id);
    if (!count.ok()) return count.error();
    if (*count >= static_cast<int64_t>(kMaxUsers))
      return api_error(ApiCode::kFailedPrecondition,
                       "at most " + std::to_string(kMaxUsers) + " users");
    User user;
    user.org_id = caller.organization.id;
    user.email = *normalized;
    user.role = role;
    user.password_hash = *hash;
    user.created_at = config::now_rfc3339();
    auto inserted = store.insert_user(user);
    if (!inserted.ok() && inserted.error().code == ApiCode::kAlreadyExists)
      return api_error(ApiCode::kAlreadyExists, "a user with email " + user.email + " exists");
    return inserted;
  });
}

Expected<User> Accounts::update_user(const Caller& caller, int64_t id, std::optional<Role> role,
                                     std::optional<std::string> password,
                                     const std::string& current_session) {
  bool self = caller.user && caller.user->id == id;
  if (role || !self) ORBIT_TRY(need_admin(caller));
  if (!role && !password)
    return api_error(ApiCode::kInvalidArgument, "nothing to change: give role or password");
  std::string hash;
  if (password) {
    ORBIT_TRY(check_password(*password));
    auto hashed = hash_password(*password);
    if (!hashed.ok()) return hashed.error();
    hash = *hashed;
  }
  Store& store = registry_.store();
  return store.transaction([&]() -> Expected<User> {
    auto found = store.find_user(caller.organization.id, id);
    if (!found.ok()) return found.error();
    if (!found->has_value()) return no_user(id);
    User user = **found;
    if (role && *role != Role::kAdmin && user.role == Role::kAdmin) {
      auto admins = store.count_admins(caller.organization.id);
      if (!admins.ok()) return admins.error();
      if (*admins <= 1)
        return api_error(ApiCode::kFailedPrecondition,
                         user.email + " is the last admin of the organization");
    }
    if (role) user.role = *role;
    if (password) {
      user.password_hash = hash;
      // A new password ends the user's other sessions (a stolen one among them).
      ORBIT_TRY(store.delete_user_sessions(user.id, self ? current_session : std::string()));
    }
    ORBIT_TRY(store.update_user(user));
    return user;
  });
}

Outcome Accounts::delete_user(const Caller& caller, int64_t id) {
  ORBIT_TRY(need_admin(caller));
  Store& store = registry_.store();
  return store.transaction([&]() -> Outcome {
    auto found = store.find_user(caller.organization.id, id);
    if (!found.ok()) return found.error();
    if (!found->has_value()) return no_user(id);
    if ((*found)->role == Role::kAdmin) {
      auto admins = store.count_admins(caller.organization.id);
      if (!admins.ok()) return admins.error();
      if (*admins <= 1)
        return api_error(ApiCode::kFailedPrecondition,
                         (*found)->email + " is the last admin of the organization");
    }
    return store.delete_user(id);
  });
}

}  // namespace orbit::registry
