// AccessLog: one JSON line per GraphQL request (telemetry.access_log), to standard output or a
// file, e.g.
//
//   {"time":"2026-11-27T07:30:01.123Z","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736",
//    "method":"POST","path":"/graphql","status":200,"latency_ms":3.412,
//    "operation_name":"GetUser","operation_type":"query","operation_hash":"9f2c…",
//    "client_name":"web","client_version":"1.4.2","errors":0,"subgraph_calls":2,
//    "subgraph_errors":[]}
//
// The fields and their order are the config's (`fields`; empty: kDefaultAccessLogFields).
// Absent values are null (no trace, an anonymous operation, no client header).
//
// Threading: on_end() formats the line on the request's thread and puts it into a bounded
// lock-free queue; it never blocks and never does I/O. A full queue drops the line and counts
// it. The log's own thread drains the queue in batches (every few milliseconds) and writes them.
// reopen() may be called from any thread (SIGHUP): the writer closes and reopens the file
// before its next write, so `logrotate` can rename the file and signal (or use copytruncate).
// The destructor writes what is queued, then stops the thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/config/telemetry_config.h"
#include "orbit/router/request_observer.h"

namespace orbit::router {

// What a line holds when the config names no fields.
inline constexpr std::string_view kDefaultAccessLogFields[] = {
    "time",           "trace_id",        "method",         "path",
    "status",         "latency_ms",      "operation_name", "operation_type",
    "operation_hash", "client_name",     "client_version", "errors",
    "subgraph_calls", "subgraph_errors",
};

struct AccessLogStats {
  uint64_t written = 0;       // lines written
  uint64_t dropped = 0;       // lines dropped: queue full
  uint64_t write_errors = 0;  // lines lost to a failed write or open
};

class AccessLog : public RequestObserver {
 public:
  static constexpr size_t kDefaultQueueLines = 16384;

  // Opens the file (created if missing, appended to) and starts the writer; kInvalidArgument
  // with the path and reason when it cannot be opened, or for an unknown field name.
  static Result<std::unique_ptr<AccessLog>> open(const config::AccessLogConfig& config,
                                                 size_t queue_lines = kDefaultQueueLines);
  ~AccessLog() override;

  void on_end(const RequestRecord& record) override;

  // The line on_end() queues for a record (without the line feed).
  std::string format(const RequestRecord& record) const;

  // Close and reopen the file before the next write (log rotation). No effect on stdout.
  void reopen() { reopen_.store(true, std::memory_order_relaxed); }
  // Waits until everything queued before the call is written (tests, shutdown).
  void flush();
  AccessLogStats stats() const;

  enum class Field : uint8_t;

 private:
  struct Queue;
  AccessLog(std::vector<Field> fields, std::string path, std::FILE* file, size_t queue_lines);
  void run();
  void write_batch(std::vector<std::string>& lines);

  std::vector<Field> fields_;
  std::string path_;  // empty: stdout
  std::FILE* file_;
  std::unique_ptr<Queue> queue_;
  std::atomic<bool> reopen_{false};
  std::atomic<uint64_t> written_{0};
  std::atomic<uint64_t> write_errors_{0};
  std::atomic<uint64_t> flush_requests_{0};
  std::atomic<uint64_t> flushes_done_{0};
  std::mutex mutex_;  // the writer's sleep and stop only, never taken by on_end()
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace orbit::router
