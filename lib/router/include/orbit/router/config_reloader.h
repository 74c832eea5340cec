// ConfigReloader: keeps the router's graph in step with its graph file (a config artifact or a
// supergraph SDL file, config::GraphFileKind).
//
//   file changed (FileWatcher) or SIGHUP ─► read (size-limited) ─► same bytes as last time?
//     skip ─► parse (config::parse_graph_file) ─► GraphSnapshot::build (Supergraph::load,
//     API schema, subgraph URLs) ─► apply(new snapshot)
//
// Everything before apply() happens on the watcher's thread (or the caller's, for
// reload_now()), never on a request's loop, so a large supergraph costs requests nothing. A
// file that fails any step — missing, empty, truncated, not JSON, an invalid supergraph — is
// rejected with one error log line naming the file and the reason, counted, and the current
// snapshot keeps serving. The same bytes are not tried twice unless reload_now() asks.
//
// `apply` swaps the snapshot (RouterServer::set_snapshot): requests in flight finish on the
// one they started with (GraphSnapshot, DESIGN.md).
//
// Managed mode has no file: its ManagedPoller (managed_poller.h) hands verified artifact
// bytes from the CDN or the last-known-good copy to apply_artifact(), which takes the same
// path from parse to swap — same checks, logs and counts.
//
// Lifecycle: construct, load_initial() (the router does not start without a valid file),
// start_watching() when the config asks for it, reload_now() any time (from a signal
// thread), stop() or the destructor before `apply`'s target goes away. In managed mode:
// construct, apply_artifact() any time. Thread-safe: reloads are serialized; stats() and
// current() may be called from any thread and do not wait for a reload in progress.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "orbit/base/status.h"
#include "orbit/config/file_watcher.h"
#include "orbit/config/graph_file.h"
#include "orbit/router/graph_snapshot.h"
#include "orbit/router/router_config.h"

namespace orbit::router {

struct ReloadStats {
  uint64_t succeeded = 0;  // snapshots swapped in after the first
  uint64_t failed = 0;     // files rejected
  std::string last_error;  // the last rejection's message (empty: none yet)
  std::string last_error_at;
};

class ConfigReloader {
 public:
  using Apply = std::function<void(std::shared_ptr<const GraphSnapshot>)>;

  // `config` names the file (artifact_path, else supergraph_path) and the watch options; its
  // subgraph settings are applied to every snapshot.
  ConfigReloader(RouterConfig config, Apply apply);
  ~ConfigReloader();
  ConfigReloader(const ConfigReloader&) = delete;
  ConfigReloader& operator=(const ConfigReloader&) = delete;

  // Reads and builds the first snapshot, logs its version, and returns it (apply is not
  // called). Errors start with the file's path.
  Result<std::shared_ptr<const GraphSnapshot>> load_initial();

  // Starts watching the file (no-op when config.watch.enabled is false), then reads it once
  // more: a change made since load_initial() is applied now.
  Status start_watching();
  void stop();

  // Reads the file now and swaps if it is valid, even if its bytes did not change (SIGHUP).
  // True when a new snapshot was applied.
  bool reload_now();

  // Parses `text` as a config artifact read from `source` (a URL, a file), builds its
  // snapshot and applies it (also when it is the first one). `reason` goes into the log line
  // ("fetched from the CDN"). A rejection is logged and counted like a bad file, and returned.
  Status apply_artifact(std::string_view text, std::string_view source, std::string_view reason);

  // Counts and logs a config refused before it reached apply_artifact() (an artifact whose
  // signature does not verify): "config rejected (<reason>): <message>; still serving …".
  void reject(const std::string& message, std::string_view reason);

  ReloadStats stats() const;
  std::shared_ptr<const GraphSnapshot> current() const;
  const std::string& path() const { return path_; }
  config::GraphFileKind kind() const { return kind_; }
  bool watching() const { return watcher_ != nullptr; }

 private:
  // `force`: try even when the bytes are those of the last attempt.
  bool reload(bool force, std::string_view reason);
  // Parse, build, swap, count and log; reload_mu_ held.
  Status install(std::string_view text, config::GraphFileKind kind, std::string_view source,
                 std::string_view reason, std::chrono::steady_clock::time_point start);

  RouterConfig config_;
  Apply apply_;
  std::string path_;
  config::GraphFileKind kind_;

  // Held for a whole reload (read, parse, build), so that reloads run one at a time.
  std::mutex reload_mu_;
  uint64_t last_attempt_hash_ = 0;
  bool attempted_ = false;

  // Held only to read or replace these; /health and /metrics never wait for a build.
  mutable std::mutex mu_;
  std::shared_ptr<const GraphSnapshot> current_;
  ReloadStats stats_;

  // Owner thread only (stop() joins the watcher's thread, which may be waiting for mu_).
  std::unique_ptr<config::FileWatcher> watcher_;
};

}  // namespace orbit::router
