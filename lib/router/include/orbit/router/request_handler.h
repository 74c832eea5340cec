// RequestHandler: the router's request pipeline, from an HTTP request to its answer.
//
//   HttpRequest ─► read_graphql_request ─► parse ─► validate (API schema) ─► select operation
//     ─► coerce variables ─► normalize ─► plan (PlanCache of the snapshot) ─► execute
//     (SubgraphFetcher) ─► introspection merged in ─► HttpAnswer
//
// Also answers /health (with the config version being served), /health/live, /health/ready
// and /metrics (Prometheus text: the config version and reload counts). Consumes net::HttpRequest;
// produces HttpAnswer (status, headers, body) through a callback. The HTTP server and the sockets
// are not here (router_server.h), so tests drive the whole pipeline with a fake fetcher.
//
// Status codes (GraphQL over HTTP): a malformed request is 400 (415 for the content type, 405
// for the method or a mutation over GET, 406 when neither JSON type is acceptable). GraphQL
// request errors (syntax, validation, operation selection, variables) are 400 with
// application/graphql-response+json and 200 with application/json; executed requests are 200.
//
// Inbound deduplication (config `deduplication.inbound`, on by default): a query whose plan,
// coerced variables and propagated header values equal those of a query being executed
// waits for that execution and answers from its result (its own introspection fields and
// query plan extension added). Mutations always run.
//
// Threading: handle() runs on an event-loop thread; the fetcher the factory makes for a
// request is used on that thread only, and `reply` is called exactly once (possibly before
// handle() returns) — on that thread, or, for a deduplicated query, on the thread of the
// execution it joined. Different threads may call handle() concurrently: the handler's
// own state is the config (immutable) and the draining flag (atomic). Each request holds the
// snapshot it started with until it is answered.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "orbit/executor/subgraph_fetcher.h"
#include "orbit/net/http_headers.h"
#include "orbit/net/http_server.h"
#include "orbit/router/config_reloader.h"
#include "orbit/router/graph_snapshot.h"
#include "orbit/router/managed_poller.h"
#include "orbit/router/request_observer.h"
#include "orbit/router/router_config.h"

namespace orbit::router {

struct HttpAnswer {
  int status = 200;
  net::HttpHeaders headers;
  std::string body;
};

// Makes the fetcher one request uses (the router's: HTTP over the loop's client). The
// client's request headers are valid during the call only; the fetcher copies the ones the
// snapshot's subgraphs propagate. `record` (null when no observer is registered) outlives the
// fetches: the fetcher adds a FetchRecord per subgraph request and calls the observers'
// on_fetch before sending.
struct FetchContext {
  RequestRecord* record = nullptr;
  const std::vector<std::shared_ptr<RequestObserver>>* observers = nullptr;
};
using FetcherFactory = std::function<std::unique_ptr<executor::SubgraphFetcher>(
    const std::shared_ptr<const GraphSnapshot>& snapshot, const net::HttpHeaders& client_headers,
    FetchContext context)>;

// The request header that asks for the query plan in `extensions.queryPlan`.
inline constexpr std::string_view kIncludeQueryPlanHeader = "X-Orbit-Include-Query-Plan";

// Queries being executed, shared by every loop (src/request_handler.cc).
class InboundInflight;

class RequestHandler {
 public:
  using Reply = std::function<void(HttpAnswer)>;

  // `snapshots` must outlive the handler.
  RequestHandler(RouterConfig config, const SnapshotHolder& snapshots, FetcherFactory fetchers);
  ~RequestHandler();

  // Queries answered from another request's execution (inbound deduplication), and
  // executions started; for /metrics and tests.
  uint64_t deduplicated_requests() const;
  uint64_t executions() const;

  void handle(net::HttpRequest&& request, Reply reply);

  // Where /health and /metrics read the reload counts (ConfigReloader::stats). Set before
  // serving; without it they report the snapshot only.
  void set_reload_stats(std::function<ReloadStats()> source) { reload_stats_ = std::move(source); }
  // Where they read the managed-mode state (ManagedPoller::stats): the config's source, the
  // last successful poll, poll failures. Set before serving.
  void set_managed_stats(std::function<ManagedStats()> source) {
    managed_stats_ = std::move(source);
  }

  // Telemetry (tracing, metrics, access log, usage): every GraphQL request's RequestRecord is
  // handed to each observer (request_observer.h). Add before serving.
  void add_observer(std::shared_ptr<RequestObserver> observer) {
    observers_.push_back(std::move(observer));
  }

  // While draining, /health/ready answers 503 (load balancers stop sending), everything else
  // is still served.
  void set_draining(bool draining) { draining_.store(draining, std::memory_order_relaxed); }

  const RouterConfig& config() const { return config_; }

 private:
  void handle_health(std::string_view path, Reply& reply);
  void handle_metrics(Reply& reply);
  void handle_graphql(net::HttpRequest&& request, Reply reply);

  RouterConfig config_;
  const SnapshotHolder& snapshots_;
  FetcherFactory fetchers_;
  std::function<ReloadStats()> reload_stats_;
  std::function<ManagedStats()> managed_stats_;
  std::vector<std::shared_ptr<RequestObserver>> observers_;
  std::atomic<bool> draining_{false};
  // Executions of queries in flight (null when inbound deduplication is off).
  std::unique_ptr<InboundInflight> inbound_;
};

}  // namespace orbit::router
