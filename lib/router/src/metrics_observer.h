// MetricsObserver: the router's request and subgraph metrics, recorded from each RequestRecord
// into a telemetry::MetricsRegistry (which the Prometheus listener, /metrics and the OTLP
// metric export read).
//
//   orbit_router_requests_total{operation_name,operation_type,client_name,client_version,
//                               status,result}
//   orbit_router_request_duration_seconds{operation_name,operation_type,client_name,
//                                         client_version,result}         histogram
//   orbit_router_graphql_errors_total{code}                             OTHER: no router code
//   orbit_router_requests_in_flight                                      gauge
//   orbit_router_subgraph_requests_total{subgraph,status,result}
//   orbit_router_subgraph_request_duration_seconds{subgraph}             histogram
//   orbit_router_subgraph_errors_total{subgraph,kind}                    kind:
//   http|transport|timeout orbit_router_operation_cache_{hits,misses}_total
//   orbit_router_plan_cache_{hits,misses}_total
//
// `result` is "ok" for a 2xx answer without GraphQL errors, else "error". Operation names come
// from clients: each family holds at most RegistryOptions::max_series label sets, beyond which
// values go to the "__overflow__" series (counted).
//
// Threading: on_start/on_end run on loop threads concurrently (request_observer.h); all state
// is in the registry's atomics, label sets are resolved through its thread-local cache.
#pragma once

#include <string>

#include "orbit/config/telemetry_config.h"
#include "orbit/router/request_observer.h"
#include "orbit/telemetry/metrics.h"

namespace orbit::router {

class MetricsObserver : public RequestObserver {
 public:
  // `registry` must outlive the observer. Registers the families above.
  MetricsObserver(telemetry::MetricsRegistry& registry, const config::TelemetryConfig& config);

  void on_start(RequestRecord& record, const net::HttpHeaders& client_headers) override;
  void on_end(const RequestRecord& record) override;

  // Nothing is in flight any more (the server stopped): requests dropped at shutdown without
  // an answer never reached on_end, and would otherwise stay counted. Call it when no request
  // can start any more.
  void clear_in_flight() { in_flight_.reset(); }

 private:
  std::string client_name_header_;
  std::string client_version_header_;
  telemetry::CounterFamily& requests_;
  telemetry::HistogramFamily& request_duration_;
  telemetry::CounterFamily& graphql_errors_;
  telemetry::Gauge in_flight_;
  telemetry::CounterFamily& subgraph_requests_;
  telemetry::HistogramFamily& subgraph_duration_;
  telemetry::CounterFamily& subgraph_errors_;
  telemetry::Counter operation_cache_hits_;
  telemetry::Counter operation_cache_misses_;
  telemetry::Counter plan_cache_hits_;
  telemetry::Counter plan_cache_misses_;
};

// Seconds, from the config's microseconds (empty: telemetry::default_latency_bounds()).
std::vector<double> latency_bounds(const config::MetricsConfig& config);

}  // namespace orbit::router
