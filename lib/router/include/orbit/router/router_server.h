// RouterServer: the router's HTTP front — an HttpServer on every loop of a LoopGroup, one
// HttpClient per loop for the subgraphs, the RequestHandler pipeline, and the slot holding the
// current GraphSnapshot.
//
// Lifecycle (owner thread, never a loop thread): construct with started loops, start() (binds
// and listens; port() is then the real port), set_snapshot() any time to swap the graph
// atomically (requests in flight keep theirs), stop(grace) to drain: readiness goes DOWN, no
// new connections, requests in flight are answered, then the clients are destroyed on their
// loops. Destroy before the LoopGroup; the destructor stops without grace if needed.
//
// Threading: requests run on the loop that accepted their connection, start to finish,
// including their subgraph fetches (docs/adr/0001).
#pragma once

#include <chrono>
#include <memory>
#include <utility>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/net/http_server.h"
#include "orbit/router/graph_snapshot.h"
#include "orbit/router/request_handler.h"
#include "orbit/router/router_config.h"

namespace orbit::telemetry {
class OtlpExporter;
}

namespace orbit::router {

class SubgraphInflight;
class RouterMetrics;
class UsageReporter;

class RouterServer {
 public:
  RouterServer(net::LoopGroup& loops, RouterConfig config,
               std::shared_ptr<const GraphSnapshot> snapshot);
  ~RouterServer();
  RouterServer(const RouterServer&) = delete;
  RouterServer& operator=(const RouterServer&) = delete;

  // kUnavailable when the address cannot be bound, kInvalidArgument for a bad host.
  Status start();
  uint16_t port() const { return server_ ? server_->port() : 0; }

  void set_snapshot(std::shared_ptr<const GraphSnapshot> snapshot) {
    snapshots_.set(std::move(snapshot));
  }
  std::shared_ptr<const GraphSnapshot> snapshot() const { return snapshots_.get(); }

  // Graceful shutdown (SIGTERM); returns when every connection is closed. Idempotent.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10'000));

  RequestHandler& handler() { return *handler_; }
  // Metrics registry, Prometheus listener and access log (src/router_metrics.h); /metrics on
  // this server answers its exposition.
  RouterMetrics& metrics() { return *metrics_; }
  // Reopens the access log file before its next line (log rotation; SIGHUP). Any thread.
  void reopen_access_log();
  // The OTLP exporter of the telemetry settings (created by start() when some exporter is
  // configured; null otherwise). Flushed and stopped by stop().
  const std::shared_ptr<telemetry::OtlpExporter>& otlp_exporter() const { return otlp_exporter_; }
  // Usage reporting to the control plane (telemetry.usage; null when off). Stopped by stop().
  const std::shared_ptr<UsageReporter>& usage_reporter() const { return usage_reporter_; }
  // Telemetry observers (request_observer.h); add before start().
  void add_observer(std::shared_ptr<RequestObserver> observer) {
    handler_->add_observer(std::move(observer));
  }

 private:
  // The loop's client and subgraph request table (null when deduplication is off).
  struct LoopState;
  LoopState& current_loop_state();
  void run_on_every_loop(const std::function<void(size_t)>& task);

  net::LoopGroup& loops_;
  RouterConfig config_;
  SnapshotHolder snapshots_;
  std::unique_ptr<RequestHandler> handler_;
  // One per loop, same order as loops_.loops(); touched only on their loop's thread.
  std::vector<std::unique_ptr<LoopState>> loop_states_;
  std::unique_ptr<net::HttpServer> server_;
  std::unique_ptr<RouterMetrics> metrics_;
  std::shared_ptr<UsageReporter> usage_reporter_;
  std::shared_ptr<telemetry::OtlpExporter> otlp_exporter_;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace orbit::router
