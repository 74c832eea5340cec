// /v1/users (docs/api.md, "Users"): the users of the caller's organization, for admins; any
// signed-in user may change their own password.
//
//   GET /v1/users · POST /v1/users · PATCH /v1/users/{id} · DELETE /v1/users/{id}
//
// Threading: the control plane's worker thread (Accounts is not thread-safe).
#pragma once

#include <string_view>
#include <vector>

#include "orbit/controlplane/api_handler.h"
#include "orbit/controlplane/auth.h"

namespace orbit::controlplane {

// `segments`: the path after /v1/ ("users", "users/{id}").
ApiResponse users_route(registry::Accounts& accounts, const Authenticated& who,
                        const net::HttpRequest& request,
                        const std::vector<std::string_view>& segments);

// {"id","email","role","createdAt","lastLoginAt"}
std::string user_json(const registry::User& user);

}  // namespace orbit::controlplane
