// The Store's records for Studio sign-in: users, sessions and the audit log (migration 4).
// Same rules as store.cc: plain SQL both databases run, $n parameters, text and integers.
#include <climits>
#include <cstdlib>

#include "orbit/registry/store.h"

namespace orbit::registry {
namespace {

SqlParam nullable(const std::string& s) {
  if (s.empty()) return nullptr;
  return s;
}

int64_t fetch_limit(const PageRequest& page) {
  return static_cast<int64_t>(page.limit) + 1;
}

template <typename T, typename Key>
Page<T> make_page(std::vector<T> items, const PageRequest& page, Key key) {
  Page<T> out;
  if (items.size() > page.limit) {
    items.resize(page.limit);
    out.next_after = key(items.back());
  }
  out.items = std::move(items);
  return out;
}

template <typename T, typename F>
Expected<std::optional<T>> first(Expected<std::vector<SqlRow>> rows, F map) {
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<T>();
  return std::optional<T>(map(rows->front()));
}
template <typename T, typename F>
Expected<std::vector<T>> all(Expected<std::vector<SqlRow>> rows, F map) {
  if (!rows.ok()) return rows.error();
  std::vector<T> out;
  out.reserve(rows->size());
  for (const SqlRow& r : *rows)
    out.push_back(map(r));
  return out;
}
Outcome done(Expected<std::vector<SqlRow>> rows) {
  if (!rows.ok()) return rows.error();
  return Done{};
}

constexpr const char* kUserColumns =
    "id, org_id, email, role, password_hash, created_at, last_login_at";
User user_of(const SqlRow& r) {
  User u;
  u.id = r.integer(0);
  u.org_id = r.integer(1);
  u.email = r.text(2);
  u.role = parse_role(r.text(3)).value_or(Role::kViewer);
  u.password_hash = r.text(4);
  u.created_at = r.text(5);
  u.last_login_at = r.text(6);
  return u;
}

constexpr const char* kSessionColumns =
    "token_sha256, org_id, user_id, api_key_id, csrf_token, created_unix, last_seen_unix";
Session session_of(const SqlRow& r) {
  Session s;
  s.token_sha256 = r.text(0);
  s.org_id = r.integer(1);
  s.user_id = r.integer(2);
  s.api_key_id = r.text(3);
  s.csrf_token = r.text(4);
  s.created_unix = r.integer(5);
  s.last_seen_unix = r.integer(6);
  return s;
}

constexpr const char* kAuditColumns =
    "id, org_id, time, actor_type, actor_id, actor_name, method, path, status, resource, summary";
AuditEntry audit_of(const SqlRow& r) {
  AuditEntry e;
  e.id = r.integer(0);
  e.org_id = r.integer(1);
  e.time = r.text(2);
  e.actor_type = r.text(3);
  e.actor_id = r.text(4);
  e.actor_name = r.text(5);
  e.method = r.text(6);
  e.path = r.text(7);
  e.status = r.integer(8);
  e.resource = r.text(9);
  e.summary = r.text(10);
  return e;
}

std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts)
    out += p;
  return out;
}

int64_t after_id(const PageRequest& page) {
  if (page.after.empty()) return INT64_MAX;
  char* end = nullptr;
  long long v = std::strtoll(page.after.c_str(), &end, 10);
  if (end == page.after.c_str() || *end != '\0') return INT64_MAX;
  return v;
}

}  // namespace

// ---- users

Expected<User> Store::insert_user(const User& u) {
  auto rows = query(cat({"INSERT INTO users (org_id, email, role, password_hash, created_at, "
                         "last_login_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
                         kUserColumns}),
                    {u.org_id, u.email, std::string(role_name(u.role)), u.password_hash,
                     u.created_at, nullable(u.last_login_at)});
  if (!rows.ok()) return rows.error();
  return user_of(rows->front());
}
Outcome Store::update_user(const User& u) {
  return done(query("UPDATE users SET role = $2, password_hash = $3 WHERE id = $1",
                    {u.id, std::string(role_name(u.role)), u.password_hash}));
}
Outcome Store::touch_user_login(int64_t id, const std::string& at) {
  return done(query("UPDATE users SET last_login_at = $2 WHERE id = $1", {id, at}));
}
Expected<std::optional<User>> Store::find_user(int64_t org_id, int64_t id) {
  return first<User>(
      query(cat({"SELECT ", kUserColumns, " FROM users WHERE org_id = $1 AND id = $2"}),
            {org_id, id}),
      user_of);
}
Expected<std::optional<User>> Store::find_user_by_email(const std::string& email) {
  return first<User>(query(cat({"SELECT ", kUserColumns, " FROM users WHERE email = $1"}), {email}),
                     user_of);
}
Expected<Page<User>> Store::list_users(int64_t org_id, const PageRequest& page) {
  auto items =
      all<User>(query(cat({"SELECT ", kUserColumns,
                           " FROM users WHERE org_id = $1 AND email > $2 ORDER BY email LIMIT $3"}),
                      {org_id, page.after, fetch_limit(page)}),
                user_of);
  if (!items.ok()) return items.error();
  return make_page(std::move(*items), page, [](const User& u) { return u.email; });
}
Expected<int64_t> Store::count_users(int64_t org_id) {
  return scalar("SELECT COUNT(*) FROM users WHERE org_id = $1", {org_id});
}
Expected<int64_t> Store::count_admins(int64_t org_id) {
  return scalar("SELECT COUNT(*) FROM users WHERE org_id = $1 AND role = 'admin'", {org_id});
}
Outcome Store::delete_user(int64_t id) {
  ORBIT_TRY(query("DELETE FROM sessions WHERE user_id = $1", {id}));
  return done(query("DELETE FROM users WHERE id = $1", {id}));
}

// ---- sessions

Outcome Store::insert_session(const Session& s) {
  return done(query(
      cat({"INSERT INTO sessions (", kSessionColumns, ") VALUES ($1, $2, $3, $4, $5, $6, $7)"}),
      {s.token_sha256, s.org_id, s.user_id == 0 ? SqlParam(nullptr) : s.user_id,
       nullable(s.api_key_id), s.csrf_token, s.created_unix, s.last_seen_unix}));
}
Expected<std::optional<Session>> Store::find_session(const std::string& token_sha256) {
  return first<Session>(
      query(cat({"SELECT ", kSessionColumns, " FROM sessions WHERE token_sha256 = $1"}),
            {token_sha256}),
      session_of);
}
Outcome Store::touch_session(const std::string& token_sha256, int64_t now_unix) {
  return done(query("UPDATE sessions SET last_seen_unix = $2 WHERE token_sha256 = $1",
                    {token_sha256, now_unix}));
}
Outcome Store::delete_session(const std::string& token_sha256) {
  return done(query("DELETE FROM sessions WHERE token_sha256 = $1", {token_sha256}));
}
Outcome Store::delete_user_sessions(int64_t user_id, const std::string& keep) {
  return done(
      query("DELETE FROM sessions WHERE user_id = $1 AND token_sha256 <> $2", {user_id, keep}));
}
Outcome Store::delete_expired_sessions(int64_t idle_before, int64_t created_before) {
  return done(query("DELETE FROM sessions WHERE last_seen_unix < $1 OR created_unix < $2",
                    {idle_before, created_before}));
}

// ---- audit log

Outcome Store::insert_audit_entry(const AuditEntry& e) {
  return done(
      query("INSERT INTO audit_log (org_id, time, actor_type, actor_id, actor_name, method, path, "
            "status, resource, summary) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            {e.org_id, e.time, e.actor_type, e.actor_id, e.actor_name, e.method, e.path, e.status,
             e.resource, e.summary}));
}
Expected<Page<AuditEntry>> Store::list_audit_entries(int64_t org_id, const PageRequest& page) {
  auto items = all<AuditEntry>(
      query(cat({"SELECT ", kAuditColumns,
                 " FROM audit_log WHERE org_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3"}),
            {org_id, after_id(page), fetch_limit(page)}),
      audit_of);
  if (!items.ok()) return items.error();
  return make_page(std::move(*items), page,
                   [](const AuditEntry& e) { return std::to_string(e.id); });
}

}  // namespace orbit::registry
