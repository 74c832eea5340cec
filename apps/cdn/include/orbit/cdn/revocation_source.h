// RevocationSource: the CDN's current revocation list (security::RevocationList), read from
// a file at start and again whenever the file changes (config::FileWatcher: inotify plus
// stat polling, so an atomic rename, an in-place write or a ConfigMap symlink swap are all
// seen).
//
// A file that becomes unreadable or invalid is not applied: the previous list stays in force
// (revoked tokens stay revoked), and the error is logged and shown on /health.
//
// Lifecycle: construct, start() (a missing or invalid file at start is an error: the CDN does
// not start without the list it was told to honour), current() from any thread, stop() or
// the destructor. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "orbit/base/status.h"
#include "orbit/config/file_watcher.h"
#include "orbit/security/revocation_list.h"

namespace orbit::cdn {

struct RevocationStats {
  size_t revoked = 0;
  std::string loaded_at;  // RFC 3339; when the list in force was read
  uint64_t reloads = 0;   // applied after the first
  uint64_t failures = 0;  // changes that were not applied
  std::string last_error;
};

class RevocationSource {
 public:
  RevocationSource(std::string path, std::chrono::milliseconds poll_interval);
  ~RevocationSource();
  RevocationSource(const RevocationSource&) = delete;
  RevocationSource& operator=(const RevocationSource&) = delete;

  Status start();
  void stop();

  std::shared_ptr<const security::RevocationList> current() const {
    return current_.load(std::memory_order_acquire);
  }
  RevocationStats stats() const;
  const std::string& path() const { return path_; }

 private:
  Status load(bool initial);

  std::string path_;
  std::chrono::milliseconds poll_interval_;
  std::atomic<std::shared_ptr<const security::RevocationList>> current_;
  mutable std::mutex mu_;
  RevocationStats stats_;
  std::unique_ptr<config::FileWatcher> watcher_;
};

}  // namespace orbit::cdn
