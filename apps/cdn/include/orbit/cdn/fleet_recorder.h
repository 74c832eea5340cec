// FleetRecorder: the routers that polled each graph successfully, kept by the CDN for the
// control plane's fleet view (docs/adr/0003-fleet-from-cdn-polls.md).
//
//   CdnHandler, after a 200 / 304 to an authorized poll ─► record(org, graph, sighting)
//       (a map update under one mutex; no I/O on the request path)
//   every flush_interval, on the recorder's thread ─► flush(): for each graph that changed,
//       read {root}/{org}/{graph}/routers.json (another CDN instance may share the storage),
//       merge (per router the later sighting), drop routers not seen for max_age, keep the
//       max_routers_per_graph most recent, write a temporary file and rename it over the old
//
// Bounded: at most max_routers_per_graph per graph (a new router evicts the one seen least
// recently), max_routers in all (a new router beyond it is dropped, counted), and routers not
// seen for max_age leave memory at the next flush. A graph whose directory is gone (deleted
// by the control plane) is not written: the recorder never creates directories.
//
// The file is not fsync'ed: it is a view refreshed every few seconds, and a crash loses at
// most the last interval of it, never a consistent older copy (the rename is atomic).
//
// Lifecycle: construct, start() (the flusher thread; optional — tests call flush()), record()
// from any thread, stop() (a last flush, joins) or the destructor. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "orbit/cdn/fleet_file.h"

namespace orbit::cdn {

struct FleetOptions {
  std::chrono::milliseconds flush_interval{5'000};
  size_t max_routers_per_graph = 500;
  size_t max_routers = 100'000;  // over every graph
  std::chrono::milliseconds max_age{7LL * 24 * 3600 * 1000};
};

struct FleetStats {
  size_t graphs = 0, routers = 0;  // in memory now
  uint64_t sightings = 0;          // record() calls that were kept
  uint64_t dropped = 0;            // new routers over max_routers
  uint64_t evicted = 0;            // routers pushed out by max_routers_per_graph
  uint64_t files_written = 0;
  uint64_t write_failures = 0;
  std::string last_error;
};

class FleetRecorder {
 public:
  // `clock_ms`: Unix milliseconds (tests pass their own).
  FleetRecorder(std::string root, FleetOptions options = {},
                std::function<int64_t()> clock_ms = nullptr);
  ~FleetRecorder();
  FleetRecorder(const FleetRecorder&) = delete;
  FleetRecorder& operator=(const FleetRecorder&) = delete;

  void start();
  void stop();

  // `org` and `graph` are the token's (already checked names); the sighting's times are set
  // here.
  void record(std::string_view org, std::string_view graph, RouterSighting sighting);
  // Writes every graph that changed since its last write; returns the files written.
  size_t flush();

  FleetStats stats() const;

 private:
  struct Graph {
    std::string org, graph;
    std::unordered_map<std::string, RouterSighting> routers;  // by id
    bool dirty = false;
  };

  void run();
  Status write_graph(const std::string& org, const std::string& graph,
                     std::vector<RouterSighting> mine, int64_t now);

  std::string root_;
  FleetOptions options_;
  std::function<int64_t()> clock_ms_;

  mutable std::mutex mu_;
  std::map<std::string, Graph, std::less<>> graphs_;  // by "org/graph"
  size_t routers_ = 0;
  FleetStats stats_;

  std::mutex flush_mu_;  // one flush at a time
  std::mutex run_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace orbit::cdn
