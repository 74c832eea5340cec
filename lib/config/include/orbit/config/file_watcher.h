// FileWatcher: calls back when one file may have changed — written in place, replaced by a
// rename (how careful writers and most editors save), deleted and created again, or reached
// through a symlink that now points elsewhere (Kubernetes ConfigMap volumes).
//
// How: inotify on the file's directory (not the file: a rename-replace swaps the inode, and a
// watch on the old inode would go quiet), filtered by the file's name; plus a stat() every
// `poll_interval` comparing device, inode, size, mtime and ctime, and the content hash while
// mtime is recent (two same-size writes within the file system's timestamp granularity look
// alike otherwise). Without inotify (init fails, the directory goes away) polling alone
// carries on. Events are debounced: the callback runs once the file has been quiet for
// `debounce`, or `max_wait` after the first event while it keeps changing.
//
// The callback says "look again", not "it changed": the caller reads the file and decides
// (lib/router's ConfigReloader compares content hashes). It is not called for the state at
// start().
//
// Threading: start() spawns one thread; the callback runs on it, one call at a time, and may
// block (the next events wait). stop() (or the destructor) joins it: call from any thread but
// the callback's. Not copyable.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "orbit/base/status.h"

namespace orbit::config {

struct FileWatchOptions {
  std::chrono::milliseconds debounce{200};
  std::chrono::milliseconds poll_interval{1000};
  // 0: ten times the debounce, at least one second.
  std::chrono::milliseconds max_wait{0};
  bool use_inotify = true;  // false: polling only (tests)
};

struct FileSignature;  // what stat() says about the file (file_watcher.cc)

class FileWatcher {
 public:
  using Callback = std::function<void()>;

  FileWatcher(std::string path, FileWatchOptions options, Callback on_change);
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

  // Records the file's current state and starts the thread. kInternal when the thread's
  // wake-up descriptor cannot be made; a missing file or directory is not an error (it is
  // watched for).
  Status start();
  void stop();

  // True while events come from inotify (false: polling only).
  bool inotify_active() const { return inotify_active_.load(std::memory_order_relaxed); }
  const std::string& path() const { return path_; }

 private:
  void run(FileSignature initial, uint64_t initial_hash);

  std::string path_;
  FileWatchOptions options_;
  Callback on_change_;
  int wake_fd_ = -1;
  int inotify_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> inotify_active_{false};
  std::thread thread_;
};

}  // namespace orbit::config
