#include "access_log.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "orbit/base/json_writer.h"
#include "orbit/base/log.h"
#include "orbit/config/artifact.h"
#include "orbit/router/graph_snapshot.h"

namespace orbit::router {

enum class AccessLog::Field : uint8_t {
  kTime,
  kTraceId,
  kSpanId,
  kMethod,
  kPath,
  kStatus,
  kLatencyMs,
  kOperationName,
  kOperationType,
  kOperationHash,
  kClientName,
  kClientVersion,
  kErrors,
  kErrorCodes,
  kSubgraphCalls,
  kSubgraphErrors,
  kRemoteAddr,
  kUserAgent,
  kConfigVersion,
  kDeduplicated,
};

namespace {

using Field = AccessLog::Field;

constexpr std::pair<std::string_view, Field> kFieldNames[] = {
    {"time", Field::kTime},
    {"trace_id", Field::kTraceId},
    {"span_id", Field::kSpanId},
    {"method", Field::kMethod},
    {"path", Field::kPath},
    {"status", Field::kStatus},
    {"latency_ms", Field::kLatencyMs},
    {"operation_name", Field::kOperationName},
    {"operation_type", Field::kOperationType},
    {"operation_hash", Field::kOperationHash},
    {"client_name", Field::kClientName},
    {"client_version", Field::kClientVersion},
    {"errors", Field::kErrors},
    {"error_codes", Field::kErrorCodes},
    {"subgraph_calls", Field::kSubgraphCalls},
    {"subgraph_errors", Field::kSubgraphErrors},
    {"remote_addr", Field::kRemoteAddr},
    {"user_agent", Field::kUserAgent},
    {"config_version", Field::kConfigVersion},
    {"deduplicated", Field::kDeduplicated},
};

std::string_view field_name(Field f) {
  for (const auto& [name, field] : kFieldNames) {
    if (field == f) return name;
  }
  return "?";
}

void hex(std::string& out, const uint8_t* bytes, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[bytes[i] >> 4];
    out += kDigits[bytes[i] & 15];
  }
}

// RFC 3339, UTC, milliseconds.
std::string time_text(int64_t unix_ns) {
  return config::rfc3339(std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::nanoseconds(unix_ns))));
}

void string_or_null(JsonWriter& w, std::string_view s) {
  if (s.empty()) {
    w.null();
  } else {
    w.string(s);
  }
}

}  // namespace

// A bounded multi-producer queue of lines (sequence numbers per cell): producers never wait,
// a full queue refuses. One consumer, the writer thread.
struct AccessLog::Queue {
  struct Cell {
    std::atomic<size_t> sequence;
    std::string line;
  };
  explicit Queue(size_t capacity) : cells(capacity), mask(capacity - 1) {
    for (size_t i = 0; i < capacity; ++i)
      cells[i].sequence.store(i, std::memory_order_relaxed);
  }

  bool push(std::string&& line) {
    size_t pos = tail.load(std::memory_order_relaxed);
    Cell* cell;
    for (;;) {
      cell = &cells[pos & mask];
      size_t seq = cell->sequence.load(std::memory_order_acquire);
      auto diff = static_cast<intptr_t>(seq) - static_cast<intptr_t>(pos);
      if (diff == 0) {
        if (tail.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
      } else if (diff < 0) {
        dropped.fetch_add(1, std::memory_order_relaxed);
        return false;
      } else {
        pos = tail.load(std::memory_order_relaxed);
      }
    }
    cell->line = std::move(line);
    cell->sequence.store(pos + 1, std::memory_order_release);
    return true;
  }

  bool pop(std::string& line) {
    Cell* cell = &cells[head & mask];
    size_t seq = cell->sequence.load(std::memory_order_acquire);
    if (seq != head + 1) return false;  // empty (or the producer is still writing the cell)
    line = std::move(cell->line);
    cell->line = std::string();
    cell->sequence.store(head + mask + 1, std::memory_order_release);
    ++head;
    return true;
  }

  std::vector<Cell> cells;
  const size_t mask;
  alignas(64) std::atomic<size_t> tail{0};
  alignas(64) size_t head = 0;  // the consumer's only
  std::atomic<uint64_t> dropped{0};
};

Result<std::unique_ptr<AccessLog>> AccessLog::open(const config::AccessLogConfig& config,
                                                   size_t queue_lines) {
  std::vector<Field> fields;
  auto add = [&](std::string_view name) -> Status {
    for (const auto& [n, f] : kFieldNames) {
      if (n == name) {
        fields.push_back(f);
        return {};
      }
    }
    return Status(ErrorCode::kInvalidArgument,
                  "telemetry.access_log.fields: unknown field \"" + std::string(name) + "\"");
  };
  if (config.fields.empty()) {
    for (std::string_view name : kDefaultAccessLogFields)
      ORBIT_RETURN_IF_ERROR(add(name));
  } else {
    for (const std::string& name : config.fields)
      ORBIT_RETURN_IF_ERROR(add(name));
  }
  std::string path = config.path == "stdout" ? "" : config.path;
  std::FILE* file = stdout;
  if (!path.empty()) {
    file = std::fopen(path.c_str(), "a");
    if (file == nullptr)
      return Status(ErrorCode::kInvalidArgument,
                    "telemetry.access_log.path: cannot open " + path + ": " + std::strerror(errno));
  }
  size_t capacity = 2;
  while (capacity < queue_lines)
    capacity *= 2;
  return std::unique_ptr<AccessLog>(
      new AccessLog(std::move(fields), std::move(path), file, capacity));
}

AccessLog::AccessLog(std::vector<Field> fields, std::string path, std::FILE* file,
                     size_t queue_lines)
    : fields_(std::move(fields)),
      path_(std::move(path)),
      file_(file),
      queue_(std::make_unique<Queue>(queue_lines)) {
  thread_ = std::thread([this] { run(); });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (file_ != nullptr && file_ != stdout) std::fclose(file_);
}

std::string AccessLog::format(const RequestRecord& r) const {
  std::string line;
  line.reserve(384);
  JsonWriter w(line);
  w.begin_object();
  for (Field f : fields_) {
    w.key(field_name(f));
    switch (f) {
      case Field::kTime: w.string(time_text(r.start_unix_ns)); break;
      case Field::kTraceId:
        if (r.trace.valid()) {
          std::string id;
          hex(id, r.trace.trace_id.data(), r.trace.trace_id.size());
          w.string(id);
        } else {
          w.null();
        }
        break;
      case Field::kSpanId:
        if (r.trace.valid() && r.trace.span_id != 0) {
          uint8_t bytes[8];
          for (int i = 0; i < 8; ++i)
            bytes[i] = static_cast<uint8_t>(r.trace.span_id >> (56 - 8 * i));
          std::string id;
          hex(id, bytes, 8);
          w.string(id);
        } else {
          w.null();
        }
        break;
      case Field::kMethod: w.string(r.method); break;
      case Field::kPath: w.string(r.path); break;
      case Field::kStatus: w.integer(r.http_status); break;
      case Field::kLatencyMs: {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(r.duration_ns) / 1e6);
        w.raw(buf);
        break;
      }
      case Field::kOperationName:
        string_or_null(w, r.has_operation ? r.operation_name : std::string_view());
        break;
      case Field::kOperationType:
        if (r.has_operation) {
          w.string(graphql::operation_type_name(r.operation_type));
        } else {
          w.null();
        }
        break;
      case Field::kOperationHash: string_or_null(w, r.operation_hash); break;
      case Field::kClientName: string_or_null(w, r.client_name); break;
      case Field::kClientVersion: string_or_null(w, r.client_version); break;
      case Field::kErrors: w.integer(r.error_count); break;
      case Field::kErrorCodes:
        w.begin_array();
        for (std::string_view code : r.error_codes)
          w.string(code);
        w.end_array();
        break;
      case Field::kSubgraphCalls: {
        int64_t n = 0;
        for (const FetchRecord& fetch : r.fetches)
          n += fetch.deduplicated ? 0 : 1;
        w.integer(n);
        break;
      }
      case Field::kSubgraphErrors:
        w.begin_array();
        for (const FetchRecord& fetch : r.fetches) {
          bool transport = fetch.transport_error != ErrorCode::kOk;
          bool http =
              fetch.http_status != 0 && (fetch.http_status < 200 || fetch.http_status > 299);
          if (!transport && !http) continue;
          w.begin_object().key("subgraph").string(fetch.subgraph_name);
          if (fetch.http_status != 0) w.key("status").integer(fetch.http_status);
          w.key("error").string(
              transport ? (fetch.transport_error == ErrorCode::kTimeout ? "timeout" : "transport")
                        : "http");
          w.end_object();
        }
        w.end_array();
        break;
      case Field::kRemoteAddr: string_or_null(w, r.remote_address); break;
      case Field::kUserAgent: string_or_null(w, r.user_agent); break;
      case Field::kConfigVersion:
        if (r.snapshot != nullptr) {
          w.string(r.snapshot->config_version());
        } else {
          w.null();
        }
        break;
      case Field::kDeduplicated: w.boolean(r.deduplicated); break;
    }
  }
  w.end_object();
  return line;
}

void AccessLog::on_end(const RequestRecord& record) {
  queue_->push(format(record));
}

AccessLogStats AccessLog::stats() const {
  AccessLogStats s;
  s.written = written_.load(std::memory_order_relaxed);
  s.dropped = queue_->dropped.load(std::memory_order_relaxed);
  s.write_errors = write_errors_.load(std::memory_order_relaxed);
  return s;
}

void AccessLog::flush() {
  uint64_t ticket = flush_requests_.fetch_add(1, std::memory_order_acq_rel) + 1;
  wake_.notify_one();
  while (flushes_done_.load(std::memory_order_acquire) < ticket)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void AccessLog::write_batch(std::vector<std::string>& lines) {
  if (reopen_.exchange(false, std::memory_order_relaxed) && !path_.empty()) {
    if (file_ != nullptr) std::fclose(file_);
    file_ = std::fopen(path_.c_str(), "a");
    if (file_ == nullptr)
      log::warn("access log: cannot reopen {}: {}", path_, std::strerror(errno));
  }
  if (lines.empty()) return;
  if (file_ == nullptr) {
    // The file could not be reopened: try again at the next batch.
    if (!path_.empty()) reopen_.store(true, std::memory_order_relaxed);
    write_errors_.fetch_add(lines.size(), std::memory_order_relaxed);
    lines.clear();
    return;
  }
  std::string buffer;
  for (std::string& l : lines) {
    buffer += l;
    buffer += '\n';
  }
  if (std::fwrite(buffer.data(), 1, buffer.size(), file_) != buffer.size() ||
      std::fflush(file_) != 0) {
    write_errors_.fetch_add(lines.size(), std::memory_order_relaxed);
  } else {
    written_.fetch_add(lines.size(), std::memory_order_relaxed);
  }
  lines.clear();
}

void AccessLog::run() {
  std::vector<std::string> batch;
  std::string line;
  for (;;) {
    uint64_t requested = flush_requests_.load(std::memory_order_acquire);
    while (batch.size() < 4096 && queue_->pop(line))
      batch.push_back(std::move(line));
    bool more = batch.size() == 4096;
    write_batch(batch);
    if (more) continue;
    flushes_done_.store(requested, std::memory_order_release);
    std::unique_lock lock(mutex_);
    if (stop_) {
      lock.unlock();
      while (queue_->pop(line))
        batch.push_back(std::move(line));
      write_batch(batch);
      return;
    }
    // Lines are picked up every few milliseconds: producers never signal (no syscall, no lock
    // on the request path).
    wake_.wait_for(lock, std::chrono::milliseconds(5));
  }
}

}  // namespace orbit::router
