// ControlplaneServer's Studio part of start(): the first admin of the instance organization,
// session settings and the directory of the web app.
#include <filesystem>

#include "orbit/base/log.h"
#include "orbit/controlplane/auth.h"
#include "orbit/controlplane/controlplane_server.h"

namespace orbit::controlplane {

registry::Outcome ControlplaneServer::start_studio() {
  using registry::api_error;
  using registry::ApiCode;
  constexpr int64_t kYear = 366LL * 24 * 3600;
  if (options_.session_idle_seconds < 1 || options_.session_idle_seconds > kYear)
    return api_error(ApiCode::kInvalidArgument,
                     "--session-idle-timeout: expected 1 second to 1 year");
  if (options_.session_max_age_seconds < 1 || options_.session_max_age_seconds > kYear)
    return api_error(ApiCode::kInvalidArgument, "--session-max-age: expected 1 second to 1 year");
  AuthOptions auth;
  auth.sessions.idle_seconds = options_.session_idle_seconds;
  auth.sessions.absolute_seconds = options_.session_max_age_seconds;
  auth.cookie_secure = options_.cookie_secure;
  if (!options_.studio_dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(std::filesystem::path(options_.studio_dir) / "index.html",
                                          ec))
      return api_error(
          ApiCode::kInvalidArgument,
          "--studio-dir " + options_.studio_dir +
              ": no index.html there (build Studio: cd studio && npm ci && npm run build)");
    log::info("serving Studio from {}", options_.studio_dir);
  }
  handler_->set_studio(auth, options_.studio_dir);

  registry::Accounts accounts(*registry_, auth.sessions);
  auto admin = accounts.ensure_first_admin(options_.admin_email, options_.admin_password);
  if (!admin.ok()) return admin.error();
  first_admin_ = *admin;
  if (first_admin_.created)
    log::info("created the Studio admin {} of the instance organization", first_admin_.email);
  return registry::Done{};
}

}  // namespace orbit::controlplane
