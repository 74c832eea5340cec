// orbit-controlplane: the schema registry — organizations, API keys, namespaces, federated
// graphs, subgraphs, compositions, graph tokens — over the /v1 HTTP JSON API (docs/api.md).
// Publishing composes and writes signed artifacts into the storage orbit-cdn serves.
//
//   orbit-controlplane --data-dir DIR --signing-key FILE --token-key FILE
//                      [--listen 127.0.0.1:8090] [--database-url postgresql://…]
//                      [--cdn-storage DIR] [--revocations FILE] [--org NAME]
//                      [--audience orbit-cdn] [--usage-retention-days 30] [--threads N]
//                      [--log-level info]
//                      [--studio-dir DIR] [--session-idle-timeout 12h] [--session-max-age 7d]
//                      [--cookie-secure]
//
// Flags fall back to ORBIT_* environment variables (ORBIT_DATA_DIR, ORBIT_DATABASE_URL, …).
// On the first start the admin API key of the instance organization is printed once on
// stdout (or taken from ORBIT_BOOTSTRAP_API_KEY), and so is the Studio admin's password on
// stderr (or taken from ORBIT_ADMIN_PASSWORD; email ORBIT_ADMIN_EMAIL). SIGTERM/SIGINT drain and
// exit 0; exit status 1 for bad flags, keys, directories or an unreachable database.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <tuple>

#include "orbit/base/log.h"
#include "orbit/controlplane/auth.h"
#include "orbit/controlplane/controlplane_server.h"
#include "orbit/controlplane/static_files.h"

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "orbit-controlplane: %s\n", message.c_str());
  return 1;
}

void from_env(std::string& value, const char* name) {
  if (!value.empty()) return;
  if (const char* v = std::getenv(name)) value = v;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"orbit-controlplane: the schema registry and its /v1 API"};
  orbit::controlplane::ControlplaneOptions options;
  std::string listen, log_level;
  app.add_option("--listen", listen, "address to serve on, host:port (default 127.0.0.1:8090)");
  app.add_option("--data-dir", options.data_dir,
                 "directory of the SQLite database (orbit.db) and the default CDN storage");
  app.add_option("--database-url", options.database_url,
                 "postgresql://… to keep the registry in PostgreSQL instead of SQLite");
  app.add_option("--cdn-storage", options.cdn_storage,
                 "orbit-cdn's storage directory (default DATA_DIR/cdn)");
  app.add_option("--signing-key", options.signing_key_path,
                 "Ed25519 private key (PEM) that signs config artifacts");
  app.add_option("--token-key", options.token_key_path,
                 "Ed25519 private key (PEM) that signs graph tokens");
  app.add_option("--revocations", options.revocations_path,
                 "revocation file orbit-cdn reads (default CDN_STORAGE/revoked.txt)");
  app.add_option("--org", options.bootstrap_org,
                 "name of the organization created on the first start (default \"default\")");
  app.add_option("--audience", options.audience, "audience of graph tokens (default orbit-cdn)");
  std::string retention_days;
  app.add_option("--usage-retention-days", retention_days,
                 "days usage analytics are kept (default 30; ORBIT_USAGE_RETENTION_DAYS)");
  std::string idle_timeout, max_age;
  app.add_option("--studio-dir", options.studio_dir,
                 "Studio's built files, served at / (default: the installed or built studio)");
  app.add_option("--session-idle-timeout", idle_timeout,
                 "Studio sessions end after this long unused: 90s, 30m, 12h (default), 7d");
  app.add_option("--session-max-age", max_age,
                 "Studio sessions end this long after sign-in (default 7d)");
  app.add_flag("--cookie-secure", options.cookie_secure,
               "mark the session cookie Secure (when clients reach the API over HTTPS)");
  app.add_option("--threads", options.threads, "event loops (default 2)")
      ->check(CLI::Range(1u, 64u));
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  from_env(listen, "ORBIT_LISTEN");
  from_env(options.data_dir, "ORBIT_DATA_DIR");
  from_env(options.database_url, "ORBIT_DATABASE_URL");
  from_env(options.cdn_storage, "ORBIT_CDN_STORAGE");
  from_env(options.signing_key_path, "ORBIT_SIGNING_KEY");
  from_env(options.token_key_path, "ORBIT_TOKEN_KEY");
  from_env(options.revocations_path, "ORBIT_REVOCATIONS");
  from_env(log_level, "ORBIT_LOG_LEVEL");
  from_env(options.bootstrap_api_key, "ORBIT_BOOTSTRAP_API_KEY");
  from_env(retention_days, "ORBIT_USAGE_RETENTION_DAYS");
  if (!retention_days.empty()) {
    char* end = nullptr;
    long long days = std::strtoll(retention_days.c_str(), &end, 10);
    if (end == retention_days.c_str() || *end != '\0' || days < 1 || days > 3650)
      return fail("--usage-retention-days: expected a number of days from 1 to 3650, got \"" +
                  retention_days + "\"");
    options.usage_retention_days = days;
  }
  from_env(options.studio_dir, "ORBIT_STUDIO_DIR");
  if (options.studio_dir.empty())
    options.studio_dir = orbit::controlplane::find_studio_dir(argv[0]);
  if (const char* email = std::getenv("ORBIT_ADMIN_EMAIL"); email && *email)
    options.admin_email = email;
  if (const char* password = std::getenv("ORBIT_ADMIN_PASSWORD")) options.admin_password = password;
  for (auto [text, flag, out] :
       {std::tuple{&idle_timeout, "--session-idle-timeout", &options.session_idle_seconds},
        std::tuple{&max_age, "--session-max-age", &options.session_max_age_seconds}}) {
    if (text->empty()) continue;
    auto seconds = orbit::controlplane::parse_duration_seconds(*text);
    if (!seconds) return fail(std::string(flag) + ": expected a duration like 90s, 30m, 12h or 7d");
    *out = *seconds;
  }
  if (log_level.empty()) log_level = "info";

  orbit::log::Options log_options;
  if (!orbit::log::parse_level(log_level, &log_options.level))
    return fail("unknown --log-level \"" + log_level + "\"");
  orbit::log::init(log_options);
  if (!listen.empty()) {
    auto address = orbit::config::parse_listen_address(listen);
    if (!address.ok()) return fail("--listen: " + address.status().message());
    options.listen = *address;
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  orbit::controlplane::ControlplaneServer server(options);
  auto started = server.start();
  if (!started.ok()) return fail(started.error().message);
  if (!server.bootstrap_secret().empty()) {
    std::cout << "admin API key of organization \"" << server.options().bootstrap_org
              << "\" (shown once, store it now):\n"
              << server.bootstrap_secret() << std::endl;
  }
  orbit::config::ListenAddress actual = options.listen;
  actual.port = server.port();
  if (server.first_admin().created && !server.first_admin().generated_password.empty())
    std::fprintf(stderr, "Studio admin: %s password: %s (shown once; change it in Studio)\n",
                 server.first_admin().email.c_str(),
                 server.first_admin().generated_password.c_str());
  orbit::log::info("orbit-controlplane serving /v1 on http://{} (CDN storage {})",
                   actual.to_string(), server.options().cdn_storage);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  orbit::log::info("{}: draining requests in flight",
                   signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop();
  orbit::log::info("stopped");
  return 0;
}
