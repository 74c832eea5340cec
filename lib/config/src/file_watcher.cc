#include "orbit/config/file_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "orbit/base/hash.h"
#include "orbit/base/log.h"
#include "orbit/config/graph_file.h"

namespace orbit::config {

// Follows symlinks. Equal signatures: probably unchanged.
struct FileSignature {
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = 0;
  timespec mtime{};
  timespec ctime{};

  bool operator==(const FileSignature& o) const {
    return exists == o.exists && dev == o.dev && ino == o.ino && size == o.size &&
           mtime.tv_sec == o.mtime.tv_sec && mtime.tv_nsec == o.mtime.tv_nsec &&
           ctime.tv_sec == o.ctime.tv_sec && ctime.tv_nsec == o.ctime.tv_nsec;
  }
};

namespace {

using Clock = std::chrono::steady_clock;
using Signature = FileSignature;

Signature stat_file(const std::string& path) {
  Signature s;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return s;
  s.exists = true;
  s.dev = st.st_dev;
  s.ino = st.st_ino;
  s.size = st.st_size;
  s.mtime = st.st_mtim;
  s.ctime = st.st_ctim;
  return s;
}

// Modified so recently that another write could share its timestamp.
bool recently_modified(const Signature& s) {
  if (!s.exists) return false;
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return now.tv_sec - s.mtime.tv_sec < 3;
}

// Files larger than this are compared by signature only.
constexpr size_t kMaxHashedBytes = 64 * 1024 * 1024;

uint64_t content_hash(const std::string& path) {
  auto text = read_file_limited(path, kMaxHashedBytes);
  return text.ok() ? hash_string(*text) : 0;
}

}  // namespace

FileWatcher::FileWatcher(std::string path, FileWatchOptions options, Callback on_change)
    : path_(std::move(path)), options_(options), on_change_(std::move(on_change)) {
  if (options_.max_wait.count() <= 0)
    options_.max_wait = std::max(options_.debounce * 10, std::chrono::milliseconds(1000));
  if (options_.poll_interval.count() <= 0) options_.poll_interval = std::chrono::milliseconds(1000);
}

FileWatcher::~FileWatcher() {
  stop();
}

Status FileWatcher::start() {
  if (thread_.joinable()) return Status(ErrorCode::kInternal, "FileWatcher::start() called twice");
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    return Status(ErrorCode::kInternal, std::string("eventfd: ") + std::strerror(errno));
  }
  if (options_.use_inotify) {
    inotify_fd_ = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (inotify_fd_ < 0) {
      log::warn("cannot watch {} with inotify ({}); checking it every {} ms instead", path_,
                std::strerror(errno), options_.poll_interval.count());
    } else {
      std::filesystem::path dir = std::filesystem::path(path_).parent_path();
      if (dir.empty()) dir = ".";
      constexpr uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE |
                                 IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF |
                                 IN_ONLYDIR;
      if (inotify_add_watch(inotify_fd_, dir.c_str(), kMask) < 0) {
        log::warn("cannot watch directory {} with inotify ({}); checking {} every {} ms instead",
                  dir.string(), std::strerror(errno), path_, options_.poll_interval.count());
        close(inotify_fd_);
        inotify_fd_ = -1;
      } else {
        inotify_active_.store(true, std::memory_order_relaxed);
      }
    }
  }
  // The state to compare with is taken here, not on the thread: a change made right after
  // start() returns must count as a change.
  Signature initial = stat_file(path_);
  uint64_t initial_hash = recently_modified(initial) ? content_hash(path_) : 0;
  stopping_.store(false);
  thread_ = std::thread([this, initial, initial_hash] { run(initial, initial_hash); });
  return {};
}

void FileWatcher::stop() {
  if (thread_.joinable()) {
    stopping_.store(true);
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof(one));
    thread_.join();
  }
  if (inotify_fd_ >= 0) close(inotify_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
  inotify_fd_ = wake_fd_ = -1;
  inotify_active_.store(false, std::memory_order_relaxed);
}

void FileWatcher::run(FileSignature initial, uint64_t initial_hash) {
  const std::string name = std::filesystem::path(path_).filename().string();
  Signature last = initial;
  uint64_t last_hash = initial_hash;
  bool pending = false;
  Clock::time_point first_event{}, last_event{};
  Clock::time_point next_poll = Clock::now() + options_.poll_interval;

  auto mark = [&](Clock::time_point now) {
    if (!pending) first_event = now;
    pending = true;
    last_event = now;
  };

  alignas(inotify_event) char buffer[16 * 1024];
  while (!stopping_.load()) {
    Clock::time_point now = Clock::now();
    Clock::time_point wake = next_poll;
    if (pending)
      wake = std::min({wake, last_event + options_.debounce, first_event + options_.max_wait});
    auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
    // Round up so that the deadline has passed when poll() returns.
    int timeout_ms = static_cast<int>(std::clamp<int64_t>(timeout + 1, 0, 60'000));

    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {inotify_fd_, POLLIN, 0}};
    int nfds = inotify_fd_ >= 0 ? 2 : 1;
    int ready = ::poll(fds, static_cast<nfds_t>(nfds), timeout_ms);
    if (stopping_.load()) break;
    now = Clock::now();

    if (ready > 0 && nfds == 2 && (fds[1].revents & POLLIN)) {
      ssize_t n;
      bool lost_watch = false;
      while ((n = read(inotify_fd_, buffer, sizeof(buffer))) > 0) {
        for (char* p = buffer; p < buffer + n;) {
          auto* event = reinterpret_cast<inotify_event*>(p);
          p += sizeof(inotify_event) + event->len;
          if (event->mask & IN_Q_OVERFLOW) {
            mark(now);  // events were dropped: look again
          } else if (event->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
            lost_watch = true;
            mark(now);
          } else if (event->len > 0 && name == event->name) {
            mark(now);
          }
        }
      }
      if (lost_watch) {
        log::warn("the directory of {} was removed or moved; checking the file every {} ms", path_,
                  options_.poll_interval.count());
        close(inotify_fd_);
        inotify_fd_ = -1;
        inotify_active_.store(false, std::memory_order_relaxed);
      }
    }

    if (now >= next_poll) {
      next_poll = now + options_.poll_interval;
      Signature current = stat_file(path_);
      bool changed = !(current == last);
      if (recently_modified(current)) {
        uint64_t h = content_hash(path_);
        changed = changed || h != last_hash;
        last_hash = h;
      }
      last = current;
      if (changed) mark(now);
    }

    if (pending &&
        (now >= last_event + options_.debounce || now >= first_event + options_.max_wait)) {
      pending = false;
      last = stat_file(path_);
      if (recently_modified(last)) last_hash = content_hash(path_);
      on_change_();
      next_poll = Clock::now() + options_.poll_interval;
    }
  }
}

}  // namespace orbit::config
