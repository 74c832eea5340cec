// UsageReporter: the router's usage analytics for the control plane (config
// `telemetry.usage`; the batch format is `POST /v1/usage` of docs/api.md).
//
// As a RequestObserver it counts every GraphQL request that got as far as an operation hash
// (normalized), per (operation hash, client name, client version): requests, requests with
// errors, a latency histogram (milliseconds, fixed bounds) and the schema coordinates the
// operation selects ("User.name"; computed once per operation and kept). Requests land in one
// of 16 shards chosen by thread, each under its own mutex, so loops rarely meet.
//
// A thread of its own swaps the shards out every `report_interval`, builds one JSON batch
// (with the router's identity, router_identity.h: its id, host name, Orbit version, the config
// version served — an empty batch is the heartbeat of the fleet page) and sends it with the
// graph token as Bearer credentials over a private event loop. Batches wait in a bounded queue
// (`max_queue_batches`); a full queue drops the new batch, counted. Transient failures
// (connection errors, timeouts, 429, 5xx) are retried with exponential backoff (honouring
// Retry-After), others (400, 401, 403, 413) drop the batch, counted and logged. Operations
// beyond `max_batch_operations` in one interval are dropped, counted. Nothing here ever
// blocks a request: on_end takes one uncontended lock.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/config/router_config.h"
#include "orbit/router/request_observer.h"

namespace orbit::net {
class EventLoop;
class HttpClient;
}  // namespace orbit::net

namespace orbit::telemetry {
class MetricsRegistry;
}

namespace orbit::router {

struct UsageReporterStats {
  uint64_t requests_counted = 0;
  uint64_t batches_sent = 0;        // accepted by the control plane (2xx)
  uint64_t batches_dropped = 0;     // queue full
  uint64_t batches_rejected = 0;    // refused for good (4xx other than 429)
  uint64_t send_failures = 0;       // attempts that failed transiently (retried)
  uint64_t operations_dropped = 0;  // over max_batch_operations in an interval
  uint64_t queued = 0;              // batches waiting now
};

// The latency histogram's upper bounds in milliseconds (the last count is above them all).
inline constexpr std::array<double, 13> kUsageLatencyBoundsMs = {
    1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

// The schema coordinates ("Type.field") an operation selects, sorted, without repeats;
// introspection and __typename left out.
std::vector<std::string> used_coordinates(const graphql::Schema& schema,
                                          const graphql::OperationDefinition& operation);

// The graph token usage reports carry: telemetry.usage.graph_token, else the managed
// section's token, else the GRAPH_API_TOKEN environment variable.
std::string usage_graph_token(const config::RouterConfig& config);

class UsageReporter;

// Registers the reporter's counters with `registry` (orbit_router_usage_*): requests counted,
// batches by outcome, operations dropped, batches queued.
void add_usage_metrics(telemetry::MetricsRegistry& registry, std::weak_ptr<UsageReporter> reporter);

class UsageReporter final : public RequestObserver {
 public:
  // `graph_token`: the token to send (the caller resolves its default).
  UsageReporter(config::UsageReportingConfig config, std::string graph_token);
  ~UsageReporter() override;  // stop(0)

  // Starts the reporting thread.
  Status start();
  // Sends what was counted and what waits, for at most `deadline`, then stops. Idempotent.
  void stop(std::chrono::milliseconds deadline);

  void on_end(const RequestRecord& record) override;

  UsageReporterStats stats() const;
  const std::string& router_id() const { return router_id_; }

 private:
  struct OperationStats {
    std::string hash, name, client_name, client_version;
    graphql::OperationType type = graphql::OperationType::kQuery;
    uint64_t requests = 0, errors = 0;
    std::array<uint64_t, kUsageLatencyBoundsMs.size() + 1> latency{};
    double latency_sum_ms = 0;
    std::shared_ptr<const std::vector<std::string>> fields;
  };
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, OperationStats> operations;  // by hash\0client\0version
    // Coordinates by operation hash, kept across intervals (bounded).
    std::unordered_map<std::string, std::shared_ptr<const std::vector<std::string>>> fields;
  };
  struct Batch {
    std::string body;
    int attempts = 0;
  };

  void run();
  // Takes every shard's counts: the batch body, or empty when `heartbeat` is false and
  // nothing was counted.
  std::string collect(std::chrono::system_clock::time_point window_start,
                      std::chrono::system_clock::time_point window_end);
  // One POST; true when the batch is done with (sent or refused for good). Sets
  // `retry_after` from the answer.
  bool send(Batch& batch, std::chrono::milliseconds* retry_after);

  config::UsageReportingConfig config_;
  std::string graph_token_;
  std::string router_id_;
  std::string host_;
  std::array<Shard, 16> shards_;
  std::atomic<const GraphSnapshot*> last_snapshot_{nullptr};  // compared, never dereferenced
  std::mutex version_mu_;
  std::string config_version_;  // of the last request counted

  mutable std::mutex mu_;  // queue_, stats_, stopping_
  std::condition_variable wake_;
  std::deque<Batch> queue_;
  UsageReporterStats stats_;
  bool stopping_ = false;
  std::chrono::milliseconds stop_deadline_{0};

  std::unique_ptr<net::EventLoop> loop_;
  std::unique_ptr<net::HttpClient> client_;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace orbit::router
