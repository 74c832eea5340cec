// ControlplaneServer: orbit-controlplane's wiring — opens the database (migrations), loads
// the signing and token keys, bootstraps the instance organization on first start,
// reconciles CDN storage and the revocation file with the database, and serves the /v1 API
// on lib/net's HttpServer. Requests are read on the event loops and handled one at a time on
// one worker thread (the Store is one connection; compositions are CPU work that must not
// block the loops).
//
// Lifecycle (owner thread): construct, start() (port() is then the real port), stop()
// (drains requests in flight, then ends the worker). The destructor stops if needed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "orbit/config/router_config.h"
#include "orbit/controlplane/api_handler.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_server.h"
#include "orbit/registry/accounts.h"
#include "orbit/registry/error.h"
#include "orbit/registry/registry.h"

namespace orbit::controlplane {

struct ControlplaneOptions {
  config::ListenAddress listen{"127.0.0.1", 8090};
  std::string data_dir;      // SQLite: {data_dir}/orbit.db; the default storage location
  std::string database_url;  // postgresql://…; empty: SQLite in data_dir
  std::string cdn_storage;   // default {data_dir}/cdn
  std::string signing_key_path;
  std::string token_key_path;
  std::string revocations_path;  // default {cdn_storage}/revoked.txt
  std::string bootstrap_org = "default";
  std::string bootstrap_api_key;  // ORBIT_BOOTSTRAP_API_KEY; empty: a new one is printed
  std::string audience = "orbit-cdn";
  uint32_t threads = 2;
  size_t max_body_bytes = 8 << 20;
  size_t max_sdl_bytes = 4 << 20;
  // Usage analytics: kept this long (--usage-retention-days), purged this often, and batches
  // refused with 429 while this many requests wait for the worker.
  int64_t usage_retention_days = 30;
  std::chrono::seconds usage_purge_interval{3600};
  size_t max_queued_requests = 512;
  // Studio: the first admin (ORBIT_ADMIN_EMAIL / ORBIT_ADMIN_PASSWORD; a random password when
  // empty), sessions, and the built web app served at `/` ("" serves none).
  std::string admin_email = "admin@orbit.local";
  std::string admin_password;
  int64_t session_idle_seconds = 12 * 3600;
  int64_t session_max_age_seconds = 7 * 24 * 3600;
  bool cookie_secure = false;
  std::string studio_dir;
};

class ControlplaneServer {
 public:
  explicit ControlplaneServer(ControlplaneOptions options);
  ~ControlplaneServer();
  ControlplaneServer(const ControlplaneServer&) = delete;
  ControlplaneServer& operator=(const ControlplaneServer&) = delete;

  // Everything up to listening. Errors name the file, flag or database.
  registry::Outcome start();
  uint16_t port() const { return server_ ? server_->port() : 0; }
  // The bootstrap key's secret when start() created the instance organization with a new
  // key, else "".
  const std::string& bootstrap_secret() const { return bootstrap_secret_; }
  // The first Studio admin when start() created it: its email, and its password when
  // generated (to be shown once).
  const registry::FirstAdmin& first_admin() const { return first_admin_; }
  const ControlplaneOptions& options() const { return options_; }
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10'000));

 private:
  void worker_loop();
  registry::Outcome start_studio();  // controlplane_studio.cc
  void purge_usage();

  ControlplaneOptions options_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<ApiHandler> handler_;
  std::unique_ptr<net::LoopGroup> loops_;
  std::unique_ptr<net::HttpServer> server_;
  std::string bootstrap_secret_;
  registry::FirstAdmin first_admin_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread worker_;
  bool stopped_ = false;
};

}  // namespace orbit::controlplane
