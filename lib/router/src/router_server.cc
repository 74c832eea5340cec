#include "orbit/router/router_server.h"

#include <algorithm>
#include <future>

#include "access_log.h"
#include "orbit/base/log.h"
#include "orbit/router/http_fetcher.h"
#include "orbit/telemetry/otlp_exporter.h"
#include "router_metrics.h"
#include "subgraph_inflight.h"
#include "tracing_observer.h"
#include "usage_reporter.h"

namespace orbit::router {

struct RouterServer::LoopState {
  std::unique_ptr<SubgraphInflight> inflight;  // declared first: destroyed after the client
  std::unique_ptr<net::HttpClient> client;     // whose pending callbacks may point into it
};

RouterServer::RouterServer(net::LoopGroup& loops, RouterConfig config,
                           std::shared_ptr<const GraphSnapshot> snapshot)
    : loops_(loops), config_(std::move(config)), snapshots_(std::move(snapshot)) {
  handler_ = std::make_unique<RequestHandler>(
      config_, snapshots_,
      [this](const std::shared_ptr<const GraphSnapshot>& s, const net::HttpHeaders& headers,
             FetchContext context) {
        LoopState& loop = current_loop_state();
        return std::make_unique<HttpSubgraphFetcher>(*loop.client, s, headers, loop.inflight.get(),
                                                     context);
      });
  loop_states_.resize(loops_.size());
  metrics_ = std::make_unique<RouterMetrics>(config_);
}

RouterServer::~RouterServer() {
  if (started_) stop(std::chrono::milliseconds(0));
}

void RouterServer::run_on_every_loop(const std::function<void(size_t)>& task) {
  std::vector<std::future<void>> done;
  for (size_t i = 0; i < loops_.size(); ++i) {
    auto promise = std::make_shared<std::promise<void>>();
    done.push_back(promise->get_future());
    loops_.loop(i).post([i, promise, &task] {
      task(i);
      promise->set_value();
    });
  }
  for (auto& f : done)
    f.wait();
}

RouterServer::LoopState& RouterServer::current_loop_state() {
  net::EventLoop* current = net::EventLoop::current();
  for (size_t i = 0; i < loops_.size(); ++i) {
    if (&loops_.loop(i) == current) return *loop_states_[i];
  }
  // The server only calls handlers on its own loops.
  ORBIT_RELEASE_ASSERT(false && "RouterServer handler ran outside its loops");
  return *loop_states_[0];
}

Status RouterServer::start() {
  if (started_) return Status(ErrorCode::kInternal, "RouterServer::start() called twice");
  if (config_.telemetry.usage.enabled) {
    auto reporter =
        std::make_shared<UsageReporter>(config_.telemetry.usage, usage_graph_token(config_));
    ORBIT_RETURN_IF_ERROR(reporter->start());
    usage_reporter_ = reporter;
    add_usage_metrics(metrics_->registry(), reporter);
    handler_->add_observer(std::move(reporter));
  }
  net::HttpClientOptions client_options;
  client_options.max_response_bytes = config_.limits.max_subgraph_response_bytes;
  // Subgraph answers are parsed where they were read (lib/executor), not copied first.
  client_options.body_spare_capacity = executor::kSubgraphBodySpareBytes;
  run_on_every_loop([&](size_t i) {
    auto state = std::make_unique<LoopState>();
    state->client = std::make_unique<net::HttpClient>(loops_.loop(i), client_options);
    if (config_.deduplication.subgraph_requests)
      state->inflight = std::make_unique<SubgraphInflight>();
    loop_states_[i] = std::move(state);
  });

  const config::TelemetryConfig& tc = config_.telemetry;
  if (tc.tracing_enabled() || tc.otlp_metrics_enabled()) {
    otlp_exporter_ =
        std::make_shared<telemetry::OtlpExporter>(tc.exporters, telemetry::exporter_options(tc));
  }
  if (tc.tracing_enabled()) {
    handler_->add_observer(std::make_shared<TracingObserver>(otlp_exporter_, tc.tracing));
  }

  // Metrics (always), access log, Prometheus listener, OTLP metric push (router_metrics.h).
  if (Status s = metrics_->start(loops_, *handler_, otlp_exporter_); !s.ok()) {
    started_ = true;
    stop(std::chrono::milliseconds(0));
    return s;
  }

  net::HttpServerOptions options;
  options.host = config_.listen.host;
  options.port = config_.listen.port;
  options.max_body_bytes = config_.limits.max_body_bytes;
  server_ = std::make_unique<net::HttpServer>(
      loops_.loops(), options, [this](net::HttpRequest&& request, net::HttpResponder responder) {
        if (request.path() == "/metrics" && config_.graphql_path != "/metrics") {
          responder.send(200, {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}},
                         metrics_->exposition());
          return;
        }
        handler_->handle(std::move(request), [responder](HttpAnswer answer) mutable {
          responder.send(answer.status, std::move(answer.headers), std::move(answer.body));
        });
      });
  Status status = server_->start();
  started_ = true;
  if (!status.ok()) {
    stop(std::chrono::milliseconds(0));
    return status;
  }
  return {};
}

void RouterServer::stop(std::chrono::milliseconds grace) {
  if (!started_ || stopped_) return;
  stopped_ = true;
  handler_->set_draining(true);
  if (server_) server_->stop(grace);
  // Fetches still pending after the grace period lose their callbacks here; their requests'
  // connections are already closed.
  run_on_every_loop([this](size_t i) { loop_states_[i].reset(); });
  server_.reset();
  metrics_->stop();  // before the exporter: its last snapshot leaves with the flush
  // What was counted is sent within a bounded time, whatever the grace.
  if (usage_reporter_) {
    usage_reporter_->stop(
        std::clamp(grace, std::chrono::milliseconds(500), std::chrono::milliseconds(5'000)));
  }
  // What the last requests recorded is sent within a bounded time, whatever the grace.
  if (otlp_exporter_) {
    otlp_exporter_->shutdown(
        std::clamp(grace, std::chrono::milliseconds(500), std::chrono::milliseconds(5'000)));
  }
}

void RouterServer::reopen_access_log() {
  if (AccessLog* log = metrics_->access_log()) log->reopen();
}

}  // namespace orbit::router
