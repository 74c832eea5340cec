#include "router_metrics.h"

#include "access_log.h"
#include "metrics_observer.h"
#include "orbit/base/assert.h"
#include "orbit/base/log.h"
#include "orbit/telemetry/otlp_exporter.h"
#include "orbit/telemetry/prometheus_text.h"

namespace orbit::router {

namespace {

telemetry::MetricPoint point(telemetry::Attributes attributes, uint64_t value) {
  telemetry::MetricPoint p;
  p.attributes = std::move(attributes);
  p.value = static_cast<double>(value);
  return p;
}

}  // namespace

RouterMetrics::RouterMetrics(const RouterConfig& config) : config_(config) {
  if (config.telemetry.metrics.enabled)
    observer_ = std::make_shared<MetricsObserver>(registry_, config.telemetry);
}

RouterMetrics::~RouterMetrics() {
  stop();
}

Status RouterMetrics::start(net::LoopGroup& loops, RequestHandler& handler,
                            std::shared_ptr<telemetry::OtlpExporter> exporter) {
  handler_ = &handler;
  const config::TelemetryConfig& tc = config_.telemetry;
  if (tc.access_log.enabled) {
    auto log = AccessLog::open(tc.access_log);
    if (!log.ok()) return log.status();
    access_log_ = std::move(*log);
    std::weak_ptr<AccessLog> weak = access_log_;
    registry_.add_collector([weak](telemetry::MetricsSnapshot& s) {
      auto log = weak.lock();
      if (!log) return;
      AccessLogStats st = log->stats();
      telemetry::MetricData m;
      m.name = "orbit_router_access_log_lines_total";
      m.description = "Access log lines: written, dropped (queue full) or failed (write error).";
      m.kind = telemetry::MetricKind::kCounter;
      m.points.push_back(point({{"result", "written"}}, st.written));
      m.points.push_back(point({{"result", "dropped"}}, st.dropped));
      m.points.push_back(point({{"result", "failed"}}, st.write_errors));
      s.metrics.push_back(std::move(m));
    });
  }
  if (exporter) {
    std::weak_ptr<telemetry::OtlpExporter> weak = exporter;
    registry_.add_collector([weak](telemetry::MetricsSnapshot& s) {
      auto e = weak.lock();
      if (!e) return;
      telemetry::append_exporter_metrics(e->stats(), s);
    });
  }

  if (observer_) handler.add_observer(observer_);
  if (access_log_) handler.add_observer(access_log_);

  const config::PrometheusConfig& pc = tc.metrics.prometheus;
  if (pc.enabled) {
    net::HttpServerOptions options;
    options.host = pc.host;
    options.port = pc.port;
    options.max_body_bytes = 4096;
    std::string path = pc.path;
    prometheus_ = std::make_unique<net::HttpServer>(
        std::vector<net::EventLoop*>{&loops.loop(0)}, options,
        [this, path](net::HttpRequest&& request, net::HttpResponder responder) {
          if (request.path() != path) {
            responder.send(404, {{"Content-Type", "text/plain; charset=utf-8"}},
                           "Not found: metrics are served at " + path + "\n");
            return;
          }
          if (request.method != "GET" && request.method != "HEAD") {
            responder.send(405, {{"Allow", "GET, HEAD"}}, "");
            return;
          }
          responder.send(200, {{"Content-Type", std::string(telemetry::kPrometheusContentType)}},
                         request.method == "HEAD" ? std::string() : exposition());
        });
    Status s = prometheus_->start();
    if (!s.ok()) {
      prometheus_.reset();
      return Status(s.code(), "telemetry.metrics.prometheus.listen " + pc.host + ":" +
                                  std::to_string(pc.port) + ": " + s.message());
    }
    log::info("Prometheus metrics on http://{}:{}{}", pc.host, prometheus_->port(), path);
  }

  if (exporter && exporter->exports(config::TelemetrySignal::kMetrics)) {
    exporter_ = std::move(exporter);
    pusher_ = std::thread([this] { push_loop(); });
  }
  return {};
}

void RouterMetrics::push_loop() {
  const auto interval =
      std::max(config_.telemetry.metrics.export_interval, std::chrono::milliseconds(100));
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (wake_.wait_for(lock, interval, [this] { return stopping_; })) break;
    lock.unlock();
    exporter_->export_metrics(push_snapshot());
    lock.lock();
  }
}

void RouterMetrics::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (prometheus_) prometheus_->stop(std::chrono::milliseconds(500));
  if (pusher_.joinable()) {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    pusher_.join();
    if (observer_) observer_->clear_in_flight();
    // The last requests' counts leave with the exporter's flush.
    exporter_->export_metrics(push_snapshot());
  }
  if (access_log_) access_log_->flush();
}

std::string RouterMetrics::handler_status_text() const {
  std::string out;
  if (handler_ != nullptr && config_.graphql_path != "/metrics") {
    // The handler answers its own /metrics synchronously (config, reloads, CDN, deduplication).
    net::HttpRequest request;
    request.method = "GET";
    request.target = "/metrics";
    handler_->handle(std::move(request),
                     [&out](HttpAnswer answer) { out = std::move(answer.body); });
  }
  return out;
}

std::string RouterMetrics::exposition() const {
  std::string out = handler_status_text();
  telemetry::append_prometheus_text(registry_.collect(), out);
  return out;
}

telemetry::MetricsSnapshot RouterMetrics::push_snapshot() const {
  telemetry::MetricsSnapshot s = registry_.collect();
  // The handler's status series exist as text only; read back, they travel in the push too.
  Result<telemetry::MetricsSnapshot> status =
      telemetry::parse_prometheus_text(handler_status_text());
  if (status.ok()) {
    for (telemetry::MetricData& m : status->metrics)
      s.metrics.push_back(std::move(m));
  } else {
    ORBIT_BUG("the handler's status metrics do not parse as Prometheus text");
  }
  return s;
}

}  // namespace orbit::router
