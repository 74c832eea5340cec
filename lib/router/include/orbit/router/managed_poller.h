// ManagedPoller: keeps a managed router's graph in step with the CDN, and keeps it serving
// when the CDN is not there (DESIGN.md: the router never depends on the platform being up).
//
//   every poll_interval + random(0 … poll_jitter), on the poller's own thread:
//   GET {cdn}/{org}/{graph}/routerconfigs/latest.json
//       Authorization: Bearer <graph token>, If-None-Match: <ETag of the config served>,
//       X-Orbit-Router-Id / -Host / -Version, X-Orbit-Config-Version, X-Orbit-Poll-Interval
//       (router_identity.h; the CDN lists the routers that poll for the fleet view)
//     304 ─► nothing changed
//     200 ─► X-Orbit-Signature verified over the exact bytes (the configured public keys)
//            ─► ConfigReloader::apply_artifact (parse, build beside the running graph, swap)
//            ─► last-known-good written atomically (last_known_good.h)
//     an error, a refusal, a missing or bad signature ─► the next CDN URL, in order
//   no URL gave a usable answer ─► the poll failed; the next one after an exponential backoff
//   (backoff.initial doubled per failure up to backoff.max, randomized in its upper half)
//
// A signed artifact that does not load (bad supergraph) is rejected once and then asked for
// with its ETag in If-None-Match too, so that it is neither downloaded nor logged again until
// a new version is published. An unsigned or tampered artifact is rejected on every poll.
//
// At start, load_initial(): the CDN (each URL once), else the last-known-good copy (its
// signature checked again), else nothing — the router then listens, /health/ready says 503
// and polling goes on with backoff until a config arrives.
//
// The org and graph come from the graph token's claims (the router cannot verify the token:
// the CDN does).
//
// Lifecycle (owner thread): construct, init(), load_initial(), start(), poll_now() any time
// (SIGHUP), stop() or the destructor before the ConfigReloader goes. stats() from any
// thread. Everything else runs on the poller's event loop thread, never on a request's
// loop, so building a large graph costs requests nothing.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/router/config_reloader.h"
#include "orbit/router/router_config.h"
#include "orbit/security/ed25519.h"

namespace orbit::router {

struct ManagedStats {
  std::string org, graph;
  std::string source;               // "cdn", "last-known-good"; empty before the first config
  std::string source_url;           // the CDN URL or the file the served config came from
  std::string etag;                 // of the served config
  uint64_t polls_updated = 0;       // a new config was applied
  uint64_t polls_not_modified = 0;  // 304 (or the same ETag)
  uint64_t polls_rejected = 0;      // a signed artifact that did not load
  uint64_t polls_failed = 0;        // no CDN URL gave a usable answer
  uint64_t signature_failures = 0;  // unsigned or tampered answers (each URL counts)
  uint32_t consecutive_failures = 0;
  std::string last_success_at;  // RFC 3339: the last poll a CDN answered
  int64_t last_success_unix_ms = 0;
  std::string last_error;
  std::string last_error_at;
  std::string last_known_good_path;
  std::string last_known_good_saved_at;
  uint64_t last_known_good_write_failures = 0;
};

class ManagedPoller {
 public:
  // `config.managed` as completed by config::finish_managed_config.
  ManagedPoller(RouterConfig config, ConfigReloader& reloader);
  ~ManagedPoller();
  ManagedPoller(const ManagedPoller&) = delete;
  ManagedPoller& operator=(const ManagedPoller&) = delete;

  // Reads the public keys and the org and graph of the token; starts the poller's thread.
  // Errors name the key file, or say what is wrong with the token.
  Status init();
  // The first config, from the CDN or else the last-known-good copy; false when neither had
  // one (logged with the reasons). Blocks for at most one request timeout per CDN URL.
  bool load_initial();
  // Polls from now on; the first poll comes after an interval (a config is loaded) or a
  // backoff (none yet).
  void start();
  // A poll now (unless one is running).
  void poll_now();
  void stop();

  ManagedStats stats() const;
  const std::string& last_known_good_file() const { return lkg_path_; }

 private:
  enum class Outcome { kUpdated, kNotModified, kRejected, kFailed };
  struct Cycle;

  void run_cycle(std::function<void(Outcome)> done);
  void attempt(std::shared_ptr<Cycle> cycle);
  // One answer of one URL: the outcome when it ends the cycle, nothing to try the next URL.
  std::optional<Outcome> handle_answer(Cycle& cycle, const std::string& url,
                                       const net::HttpClientResponse& answer);
  void cycle_done(Outcome outcome);
  void schedule(std::chrono::milliseconds delay);
  std::chrono::milliseconds next_delay(Outcome outcome);
  bool load_last_known_good(const std::string& why);
  void save_last_known_good(const std::string& artifact, const std::string& signature,
                            const std::string& etag, const std::string& url);
  void note_error(const std::string& message);
  std::string serving_description() const;
  std::string artifact_url(const std::string& base) const;
  void add_identity_headers(net::HttpHeaders& headers) const;

  RouterConfig config_;
  ConfigReloader& reloader_;
  security::PublicKeySet keys_;
  std::string org_, graph_, lkg_path_;

  net::EventLoop loop_;
  bool loop_started_ = false;
  // Loop thread only (and the owner before start()).
  std::unique_ptr<net::HttpClient> client_;
  net::TimerId timer_ = 0;
  bool polling_ = false;
  bool in_cycle_ = false;
  std::string etag_;
  std::string rejected_etag_;
  std::mt19937_64 random_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  ManagedStats stats_;
};

}  // namespace orbit::router
