#include "orbit/controlplane/user_routes.h"

#include <charconv>

#include "http_json.h"

namespace orbit::controlplane {
namespace {

using registry::api_error;
using registry::ApiCode;

registry::Expected<registry::Role> role_of(const std::string& text) {
  auto role = registry::parse_role(text);
  if (!role) {
    std::string quoted;
    append_json_string(quoted, std::string_view(text).substr(0, 32));
    return api_error(ApiCode::kInvalidArgument,
                     "role: expected admin, developer or viewer, got " + quoted);
  }
  return *role;
}

}  // namespace

std::string user_json(const registry::User& u) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("id").string(std::to_string(u.id));
  w.key("email").string(u.email);
  w.key("role").string(registry::role_name(u.role));
  w.key("createdAt").string(u.created_at);
  w.key("lastLoginAt");
  http_json::nullable(w, u.last_login_at);
  w.end_object();
  return out;
}

ApiResponse users_route(registry::Accounts& accounts, const Authenticated& who,
                        const net::HttpRequest& request,
                        const std::vector<std::string_view>& segments) {
  const std::string& method = request.method;
  if (segments.size() == 1) {
    if (method == "GET") {
      auto page = http_json::page_of(request.query());
      if (!page.ok()) return http_json::error(page.error());
      auto list = accounts.list_users(who.caller, *page);
      if (!list.ok()) return http_json::error(list.error());
      return http_json::json(200, http_json::page_json(*list, [](JsonWriter& w, const auto& u) {
                               w.raw(user_json(u));
                             }));
    }
    if (method == "POST") {
      auto body = http_json::StringBody::parse(request.body);
      if (!body.ok()) return http_json::error(body.error());
      auto email = body->string("email", true);
      if (!email.ok()) return http_json::error(email.error());
      auto password = body->string("password", true);
      if (!password.ok()) return http_json::error(password.error());
      auto role_text = body->string("role", true);
      if (!role_text.ok()) return http_json::error(role_text.error());
      if (auto done = body->finish(); !done.ok()) return http_json::error(done.error());
      auto role = role_of(**role_text);
      if (!role.ok()) return http_json::error(role.error());
      auto user = accounts.create_user(who.caller, **email, **password, *role);
      if (!user.ok()) return http_json::error(user.error());
      return http_json::json(201, "{\"user\":" + user_json(*user) + "}");
    }
    return http_json::method_not_allowed(method, "GET, POST");
  }
  if (segments.size() != 2) return http_json::error(api_error(ApiCode::kNotFound, "no such path"));
  int64_t id = 0;
  std::string_view text = segments[1];
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    std::string quoted;
    append_json_string(quoted, text.substr(0, 64));
    return http_json::error(api_error(ApiCode::kNotFound, "no user " + quoted));
  }
  if (method == "PATCH") {
    auto body = http_json::StringBody::parse(request.body);
    if (!body.ok()) return http_json::error(body.error());
    auto role_text = body->string("role", false);
    if (!role_text.ok()) return http_json::error(role_text.error());
    auto password = body->string("password", false);
    if (!password.ok()) return http_json::error(password.error());
    if (auto done = body->finish(); !done.ok()) return http_json::error(done.error());
    std::optional<registry::Role> role;
    if (*role_text) {
      auto parsed = role_of(**role_text);
      if (!parsed.ok()) return http_json::error(parsed.error());
      role = *parsed;
    }
    auto user = accounts.update_user(who.caller, id, role, *password,
                                     who.session ? who.session->token_sha256 : std::string());
    if (!user.ok()) return http_json::error(user.error());
    return http_json::json(200, "{\"user\":" + user_json(*user) + "}");
  }
  if (method == "DELETE") {
    auto deleted = accounts.delete_user(who.caller, id);
    if (!deleted.ok()) return http_json::error(deleted.error());
    return http_json::json(200, "{\"deleted\":true}");
  }
  return http_json::method_not_allowed(method, "PATCH, DELETE");
}

}  // namespace orbit::controlplane
