#include "orbit/cdn/fleet_recorder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "orbit/base/log.h"

namespace orbit::cdn {

namespace {

int64_t unix_ms_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Temporary file beside the target, renamed over it. Not fsync'ed (see the header).
Status replace_file(const std::string& path, std::string_view bytes) {
  static std::atomic<uint64_t> counter{0};
  std::filesystem::path target(path);
  std::string tmp =
      (target.parent_path() / ("." + target.filename().string() + ".tmp." +
                               std::to_string(::getpid()) + "." + std::to_string(++counter)))
          .string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return Status(ErrorCode::kIo,
                  path + ": cannot create a temporary file beside it (" + strerror(errno) + ")");
  for (size_t written = 0; written < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status(ErrorCode::kIo, path + ": write failed (" + strerror(err) + ")");
    }
    written += static_cast<size_t>(n);
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status(ErrorCode::kIo, path + ": cannot replace the file (" + strerror(err) + ")");
  }
  return {};
}

}  // namespace

FleetRecorder::FleetRecorder(std::string root, FleetOptions options,
                             std::function<int64_t()> clock_ms)
    : root_(std::move(root)),
      options_(options),
      clock_ms_(clock_ms ? std::move(clock_ms) : std::function<int64_t()>(unix_ms_now)) {
  options_.max_routers_per_graph = std::max<size_t>(1, options_.max_routers_per_graph);
}

FleetRecorder::~FleetRecorder() {
  stop();
}

void FleetRecorder::start() {
  std::lock_guard<std::mutex> lock(run_mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void FleetRecorder::stop() {
  {
    std::lock_guard<std::mutex> lock(run_mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  flush();
}

void FleetRecorder::run() {
  std::unique_lock<std::mutex> lock(run_mu_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.flush_interval, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    flush();
    lock.lock();
  }
}

void FleetRecorder::record(std::string_view org, std::string_view graph, RouterSighting s) {
  int64_t now = clock_ms_();
  std::string key;
  key.reserve(org.size() + graph.size() + 1);
  key.append(org).append("/").append(graph);
  std::lock_guard<std::mutex> lock(mu_);
  auto g = graphs_.find(key);
  if (g == graphs_.end()) {
    if (routers_ >= options_.max_routers) {
      ++stats_.dropped;
      return;
    }
    g = graphs_.emplace(key, Graph{std::string(org), std::string(graph), {}, false}).first;
  }
  Graph& entry = g->second;
  auto r = entry.routers.find(s.id);
  if (r != entry.routers.end()) {
    s.first_seen_ms = r->second.first_seen_ms;
    s.last_seen_ms = now;
    r->second = std::move(s);
  } else {
    if (entry.routers.size() >= options_.max_routers_per_graph) {
      auto oldest = std::min_element(entry.routers.begin(), entry.routers.end(),
                                     [](const auto& a, const auto& b) {
                                       return a.second.last_seen_ms < b.second.last_seen_ms;
                                     });
      entry.routers.erase(oldest);
      --routers_;
      ++stats_.evicted;
    } else if (routers_ >= options_.max_routers) {
      ++stats_.dropped;
      return;
    }
    s.first_seen_ms = now;
    s.last_seen_ms = now;
    std::string id = s.id;
    entry.routers.emplace(std::move(id), std::move(s));
    ++routers_;
  }
  entry.dirty = true;
  ++stats_.sightings;
}

size_t FleetRecorder::flush() {
  std::lock_guard<std::mutex> flushing(flush_mu_);
  int64_t now = clock_ms_();
  int64_t cutoff = now - options_.max_age.count();
  struct Work {
    std::string org, graph;
    std::vector<RouterSighting> routers;
  };
  std::vector<Work> work;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = graphs_.begin(); it != graphs_.end();) {
      Graph& g = it->second;
      for (auto r = g.routers.begin(); r != g.routers.end();) {
        if (r->second.last_seen_ms < cutoff) {
          r = g.routers.erase(r);
          --routers_;
          g.dirty = true;
        } else {
          ++r;
        }
      }
      if (g.dirty) {
        Work w{g.org, g.graph, {}};
        w.routers.reserve(g.routers.size());
        for (const auto& [id, s] : g.routers)
          w.routers.push_back(s);
        work.push_back(std::move(w));
        g.dirty = false;
      }
      if (g.routers.empty()) {
        it = graphs_.erase(it);
      } else {
        ++it;
      }
    }
  }
  size_t written = 0;
  for (Work& w : work) {
    Status s = write_graph(w.org, w.graph, std::move(w.routers), now);
    std::lock_guard<std::mutex> lock(mu_);
    if (s.ok()) {
      ++written;
      ++stats_.files_written;
    } else if (s.code() != ErrorCode::kNotFound) {
      // Logged when the reason changes, not on every flush of a storage that stays broken.
      if (s.message() != stats_.last_error)
        log::error("fleet: {} (routers seen by this CDN are kept in memory)", s.message());
      ++stats_.write_failures;
      stats_.last_error = s.message();
      auto g = graphs_.find(w.org + "/" + w.graph);
      if (g != graphs_.end()) g->second.dirty = true;
    }
  }
  return written;
}

Status FleetRecorder::write_graph(const std::string& org, const std::string& graph,
                                  std::vector<RouterSighting> mine, int64_t now) {
  std::string path = fleet_file_path(root_, org, graph);
  std::error_code ec;
  if (!std::filesystem::is_directory(std::filesystem::path(path).parent_path(), ec))
    return Status(ErrorCode::kNotFound, "the graph's directory is gone");
  // Another CDN instance may write the same file: keep what it saw, the later sighting of
  // each router winning.
  std::unordered_map<std::string, RouterSighting> all;
  auto existing = read_fleet_file(path);
  if (existing.ok()) {
    for (RouterSighting& s : *existing) {
      std::string id = s.id;
      all.emplace(std::move(id), std::move(s));
    }
  } else if (existing.status().code() != ErrorCode::kNotFound) {
    log::warn("fleet: {}; rewritten from what this CDN saw", existing.status().message());
  }
  for (RouterSighting& s : mine) {
    auto [it, inserted] = all.try_emplace(s.id, s);
    if (inserted) continue;
    int64_t first = std::min(it->second.first_seen_ms, s.first_seen_ms);
    if (s.last_seen_ms >= it->second.last_seen_ms) it->second = std::move(s);
    it->second.first_seen_ms = first;
  }
  int64_t cutoff = now - options_.max_age.count();
  std::vector<RouterSighting> out;
  out.reserve(all.size());
  for (auto& [id, s] : all)
    if (s.last_seen_ms >= cutoff) out.push_back(std::move(s));
  std::sort(out.begin(), out.end(), [](const RouterSighting& a, const RouterSighting& b) {
    return a.last_seen_ms != b.last_seen_ms ? a.last_seen_ms > b.last_seen_ms : a.id < b.id;
  });
  if (out.size() > options_.max_routers_per_graph) out.resize(options_.max_routers_per_graph);
  return replace_file(path, write_fleet_file(org, graph, out));
}

FleetStats FleetRecorder::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  FleetStats s = stats_;
  s.graphs = graphs_.size();
  s.routers = routers_;
  return s;
}

}  // namespace orbit::cdn
