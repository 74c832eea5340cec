#include "orbit/cdn/revocation_source.h"

#include "orbit/base/log.h"
#include "orbit/config/artifact.h"
#include "orbit/config/graph_file.h"

namespace orbit::cdn {

RevocationSource::RevocationSource(std::string path, std::chrono::milliseconds poll_interval)
    : path_(std::move(path)), poll_interval_(poll_interval) {}

RevocationSource::~RevocationSource() {
  stop();
}

Status RevocationSource::load(bool initial) {
  auto fail = [&](const Status& status) {
    if (!initial) {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.failures;
      stats_.last_error = status.message();
      log::error("revocation list not reloaded: {}; keeping the {} revoked token ids in force",
                 status.message(), stats_.revoked);
    }
    return status;
  };
  auto text = config::read_file_limited(path_, security::kMaxRevocationFileBytes);
  if (!text.ok()) return fail(text.status());
  auto list = security::RevocationList::parse(*text, path_);
  if (!list.ok()) return fail(list.status());
  size_t revoked = list->size();
  current_.store(std::make_shared<const security::RevocationList>(std::move(*list)),
                 std::memory_order_release);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stats_.revoked = revoked;
    stats_.loaded_at = config::now_rfc3339();
    if (!initial) ++stats_.reloads;
    stats_.last_error.clear();
  }
  log::info("revocation list {}: {} revoked token ids", path_, revoked);
  return {};
}

Status RevocationSource::start() {
  ORBIT_RETURN_IF_ERROR(load(/*initial=*/true));
  config::FileWatchOptions options;
  options.poll_interval = poll_interval_;
  options.debounce = std::chrono::milliseconds(50);
  watcher_ = std::make_unique<config::FileWatcher>(path_, options,
                                                   [this] { (void)load(/*initial=*/false); });
  Status started = watcher_->start();
  if (!started.ok()) {
    watcher_.reset();
    return started;
  }
  return {};
}

void RevocationSource::stop() {
  if (watcher_ != nullptr) watcher_->stop();
  watcher_.reset();
}

RevocationStats RevocationSource::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace orbit::cdn
