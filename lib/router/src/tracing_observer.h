// TracingObserver: the router's OpenTelemetry spans, made from each RequestRecord and handed
// to a telemetry::OtlpExporter.
//
//   on_start   reads the client's trace context (telemetry.tracing.propagation, in order),
//              decides sampling (parent-based, else the ratio of new traces), makes the trace
//              and server span ids → record.trace
//   on_fetch   gives the subgraph request its own client span id and injects the configured
//              headers (traceparent + tracestate, b3, X-B3-*, x-datadog-*) naming that span as
//              the subgraph's parent — sampled or not, so the subgraph follows the decision
//   on_end     sampled requests only: writes the spans below straight into the exporter's
//              queue as OTLP protobuf (telemetry::SpanWriter: no SpanData, no allocation per
//              span) — or, when the queue is full, only counts them as dropped without writing
//              them; never blocks
//
// Spans of one request (HTTP and GraphQL semantic conventions):
//
//   POST /graphql            server  http.request.method, url.path, http.response.status_code,
//   │                                user_agent.original, client.address, client.port,
//   │                                graphql.operation.name, graphql.operation.type,
//   │                                graphql.document.hash, orbit.graphql.error_count,
//   │                                orbit.graphql.error_codes, orbit.client.name/version,
//   │                                orbit.operation_cache_hit, orbit.deduplicated
//   ├─ parse                 internal   (each stage only when it ran: a repeated document
//   ├─ validate              internal    skips parse, validate and plan)
//   ├─ plan                  internal  orbit.plan_cache_hit
//   └─ execute               internal
//      └─ subgraph <name>    client    orbit.subgraph.name, http.request.method,
//                                      http.response.status_code, server.address,
//                                      server.port, orbit.deduplicated, error.type
//
// Status Error: the server span for an HTTP 5xx, a subgraph transport failure or
// `"data": null`; a fetch span for a transport failure or an HTTP status >= 400.
//
// Threading: shared by every loop; its state is immutable after construction (ids come from
// a per-thread generator), so the calls need no lock.
#pragma once

#include <memory>
#include <vector>

#include "orbit/config/telemetry_config.h"
#include "orbit/router/request_observer.h"
#include "orbit/telemetry/otlp_exporter.h"
#include "orbit/telemetry/trace_context.h"

namespace orbit::router {

class TracingObserver final : public RequestObserver {
 public:
  // `exporter` receives the spans of sampled requests.
  TracingObserver(std::shared_ptr<telemetry::OtlpExporter> exporter,
                  const config::TracingConfig& config);

  void on_start(RequestRecord& record, const net::HttpHeaders& client_headers) override;
  void on_fetch(const RequestRecord& record, FetchRecord& fetch,
                net::HttpHeaders& subgraph_headers) override;
  void on_end(const RequestRecord& record) override;

  // The spans of one finished, sampled request (server first, then stages, then fetches) as
  // OTLP protobuf messages — what on_end queues — or as SpanData (the same mapping; tests).
  static void write_spans(const RequestRecord& record, telemetry::SpanWriter& writer);
  static std::vector<telemetry::SpanData> build_spans(const RequestRecord& record);

 private:
  std::shared_ptr<telemetry::OtlpExporter> exporter_;
  std::vector<config::Propagation> propagation_;
  telemetry::Sampler sampler_;
};

}  // namespace orbit::router
