#include "orbit/router/config_reloader.h"

#include <chrono>

#include "orbit/base/hash.h"
#include "orbit/base/log.h"

namespace orbit::router {

namespace {

int64_t elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

}  // namespace

ConfigReloader::ConfigReloader(RouterConfig config, Apply apply)
    : config_(std::move(config)), apply_(std::move(apply)) {
  if (!config_.artifact_path.empty()) {
    path_ = config_.artifact_path;
    kind_ = config::GraphFileKind::kArtifact;
  } else {
    path_ = config_.supergraph_path;
    kind_ = config::GraphFileKind::kSupergraphSdl;
  }
}

ConfigReloader::~ConfigReloader() {
  stop();
}

Result<std::shared_ptr<const GraphSnapshot>> ConfigReloader::load_initial() {
  std::lock_guard<std::mutex> reloading(reload_mu_);
  auto start = std::chrono::steady_clock::now();
  config::ArtifactLimits limits;
  auto text = config::read_file_limited(path_, limits.max_bytes);
  if (!text.ok()) return text.status();
  attempted_ = true;
  last_attempt_hash_ = hash_string(*text);
  auto file = config::parse_graph_file(*text, kind_, path_, limits);
  if (!file.ok()) return file.status();
  auto snapshot = GraphSnapshot::build(file->artifact, config_);
  if (!snapshot.ok())
    return Status(snapshot.status().code(), path_ + ": " + snapshot.status().message());
  const GraphSnapshot& s = **snapshot;
  log::info("config version {} loaded from {} ({} {}, created {}, subgraphs: {}, {} ms)",
            s.config_version(), path_, config::graph_file_kind_name(kind_),
            kind_ == config::GraphFileKind::kArtifact ? "file" : "SDL", s.created_at(),
            s.subgraphs().size(), elapsed_ms(start));
  std::lock_guard<std::mutex> lock(mu_);
  current_ = *snapshot;
  return current_;
}

Status ConfigReloader::start_watching() {
  if (!config_.watch.enabled || watcher_ != nullptr) return {};
  config::FileWatchOptions options;
  options.debounce = config_.watch.debounce;
  options.poll_interval = config_.watch.poll_interval;
  watcher_ = std::make_unique<config::FileWatcher>(
      path_, options, [this] { reload(/*force=*/false, "file changed"); });
  Status started = watcher_->start();
  if (!started.ok()) {
    watcher_.reset();
    return started;
  }
  log::info("watching {} for changes ({}, debounce {} ms)", path_,
            watcher_->inotify_active() ? "inotify" : "polling", config_.watch.debounce.count());
  // The watcher compares with the file as it is now; a change made since load_initial() read
  // it would go unnoticed. Same bytes: nothing happens.
  reload(/*force=*/false, "changed before watching started");
  return {};
}

void ConfigReloader::stop() {
  if (watcher_ != nullptr) watcher_->stop();
  watcher_.reset();
}

bool ConfigReloader::reload_now() {
  return reload(/*force=*/true, "reload requested");
}

bool ConfigReloader::reload(bool force, std::string_view reason) {
  std::lock_guard<std::mutex> reloading(reload_mu_);
  auto start = std::chrono::steady_clock::now();
  config::ArtifactLimits limits;
  auto text = config::read_file_limited(path_, limits.max_bytes);
  if (!text.ok()) {
    reject(text.status().message(), reason);
    return false;
  }
  uint64_t hash = hash_string(*text);
  if (!force && attempted_ && hash == last_attempt_hash_) {
    log::debug("{} changed on disk but holds the same bytes as before; nothing to do", path_);
    return false;
  }
  attempted_ = true;
  last_attempt_hash_ = hash;
  return install(*text, kind_, path_, reason, start).ok();
}

Status ConfigReloader::apply_artifact(std::string_view text, std::string_view source,
                                      std::string_view reason) {
  std::lock_guard<std::mutex> reloading(reload_mu_);
  return install(text, config::GraphFileKind::kArtifact, source, reason,
                 std::chrono::steady_clock::now());
}

void ConfigReloader::reject(const std::string& message, std::string_view reason) {
  std::shared_ptr<const GraphSnapshot> previous = current();
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.failed;
    stats_.last_error = message;
    stats_.last_error_at = config::now_rfc3339();
  }
  if (previous != nullptr) {
    log::error("config rejected ({}): {}; still serving config version {}", reason, message,
               previous->config_version());
  } else {
    log::error("config rejected ({}): {}; no config is loaded yet", reason, message);
  }
}

Status ConfigReloader::install(std::string_view text, config::GraphFileKind kind,
                               std::string_view source, std::string_view reason,
                               std::chrono::steady_clock::time_point start) {
  std::shared_ptr<const GraphSnapshot> previous = current();
  std::string serving = previous ? previous->config_version() : std::string("none");
  config::ArtifactLimits limits;
  auto file = config::parse_graph_file(text, kind, source, limits);
  if (!file.ok()) {
    reject(file.status().message(), reason);
    return file.status();
  }
  auto snapshot = GraphSnapshot::build(file->artifact, config_);
  if (!snapshot.ok()) {
    Status status(snapshot.status().code(),
                  std::string(source) + ": " + snapshot.status().message());
    reject(status.message(), reason);
    return status;
  }

  {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = *snapshot;
    if (previous != nullptr) ++stats_.succeeded;
  }
  apply_(*snapshot);
  const GraphSnapshot& next = **snapshot;
  log::info("config version {} loaded from {} ({}; was {}; created {}, subgraphs: {}, {} ms)",
            next.config_version(), source, reason, serving, next.created_at(),
            next.subgraphs().size(), elapsed_ms(start));
  for (const SubgraphSettings& s : next.subgraphs())
    log::debug("subgraph {} at {} (timeout {} ms)", s.name, s.url, s.timeout.count());
  return {};
}

ReloadStats ConfigReloader::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

std::shared_ptr<const GraphSnapshot> ConfigReloader::current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

}  // namespace orbit::router
