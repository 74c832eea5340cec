// RouterMetrics: the router's metrics and access log, wired around one MetricsRegistry.
//
//   MetricsObserver ─► MetricsRegistry ─┬─► /metrics on the GraphQL port (exposition())
//   AccessLog (JSON lines, own thread)   ├─► Prometheus listener (telemetry.metrics.prometheus)
//                                        └─► OTLP push every metrics.export_interval
//                                            (OtlpExporter, when an exporter takes metrics)
//
// The handler's status series (config version, reloads, CDN polls, deduplication) are written
// by the handler as Prometheus text: exposition() puts that text first, and the OTLP push reads
// it back (telemetry::parse_prometheus_text) so that both carry the same series. stop() sets
// the in-flight gauge to 0 before the last push: requests dropped at shutdown without an answer
// never end.
//
// exposition() is the handler's own /metrics text (config version, reloads, CDN polls,
// deduplication) followed by the registry's series, so both ports answer the same.
//
// Lifecycle (owner thread, RouterServer): construct (registers the metric families), start()
// before serving (opens the access log, binds the listener, starts the push thread; adds the
// observers to the handler), stop() after the GraphQL server drained and before the exporter
// shuts down (stops the listener, pushes one last snapshot, writes the queued log lines).
// exposition() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "orbit/base/status.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_server.h"
#include "orbit/router/request_handler.h"
#include "orbit/router/router_config.h"
#include "orbit/telemetry/metrics.h"

namespace orbit::telemetry {
class OtlpExporter;
}

namespace orbit::router {

class AccessLog;
class MetricsObserver;

class RouterMetrics {
 public:
  // Registers the request and subgraph metric families unless telemetry.metrics.enabled is
  // false.
  explicit RouterMetrics(const RouterConfig& config);
  ~RouterMetrics();

  // kInvalidArgument when the access log cannot be opened, kUnavailable when the Prometheus
  // address cannot be bound. `exporter` may be null (no OTLP metric export).
  Status start(net::LoopGroup& loops, RequestHandler& handler,
               std::shared_ptr<telemetry::OtlpExporter> exporter);
  void stop();

  std::string exposition() const;

  telemetry::MetricsRegistry& registry() { return registry_; }
  // 0 when the listener is off.
  uint16_t prometheus_port() const { return prometheus_ ? prometheus_->port() : 0; }
  // Null when the access log is off.
  AccessLog* access_log() const { return access_log_.get(); }

 private:
  void push_loop();
  // The handler's own status series (config version, reloads, CDN polls, deduplication) as
  // Prometheus text; empty without a handler.
  std::string handler_status_text() const;
  // What the OTLP push sends: the registry's series and the handler's status series.
  telemetry::MetricsSnapshot push_snapshot() const;

  const RouterConfig& config_;
  telemetry::MetricsRegistry registry_;
  std::shared_ptr<MetricsObserver> observer_;
  std::shared_ptr<AccessLog> access_log_;
  RequestHandler* handler_ = nullptr;
  std::unique_ptr<net::HttpServer> prometheus_;
  std::shared_ptr<telemetry::OtlpExporter> exporter_;
  std::thread pusher_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool stopped_ = false;
};

}  // namespace orbit::router
