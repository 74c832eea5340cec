// What the router's telemetry sees of a request: one RequestRecord per GraphQL request, filled
// by the pipeline (request_handler.cc) and the subgraph fetcher (http_fetcher.cc), and handed to
// every RequestObserver — tracing, metrics, the access log, usage reporting.
//
//   on_start(record, client headers)    before parsing: read trace context, client identity
//   on_fetch(record, fetch, headers)    before a subgraph request is sent (not for one answered
//                                       from an identical request in flight): add trace headers
//   on_end(record)                      after the answer was handed to the HTTP server
//
// Threading: all three run on the request's event-loop thread — except on_end of a request
// deduplicated into another's execution, which runs on that execution's thread. Observers are
// shared by every loop: what they keep across requests must be thread-safe. They must be cheap
// and never block (no I/O on the calling thread: queue and let their own thread send).
//
// Lifetime: the record and everything it points to (snapshot, operation, fetch records) are
// valid during the call only; copy what is kept.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/graphql/ast.h"
#include "orbit/net/http_headers.h"

namespace orbit::graphql {
class Schema;
}

namespace orbit::router {

class GraphSnapshot;

// W3C trace identity of a request. Zero ids: no trace.
struct TraceIds {
  std::array<uint8_t, 16> trace_id{};
  uint64_t span_id = 0;         // the router's server span of this request
  uint64_t parent_span_id = 0;  // the client's span (from the propagated context), 0: root
  bool sampled = false;         // spans of this request are recorded and exported
  std::string tracestate;       // W3C tracestate of the client, passed on unchanged

  bool valid() const {
    for (uint8_t b : trace_id) {
      if (b != 0) return true;
    }
    return false;
  }
};

// One subgraph request of a request.
struct FetchRecord {
  uint32_t subgraph = 0;           // index in GraphSnapshot::subgraphs()
  std::string_view subgraph_name;  // valid while the record's snapshot is
  graphql::OperationType operation_type = graphql::OperationType::kQuery;
  int64_t start_ns = 0;  // offset from the request's `start`
  int64_t duration_ns = 0;
  int http_status = 0;  // 0: no HTTP answer (transport failure, see `transport_error`)
  ErrorCode transport_error = ErrorCode::kOk;  // kTimeout, kUnavailable, …
  bool deduplicated = false;  // answered from an identical request in flight (not sent)
  size_t request_bytes = 0;
  size_t response_bytes = 0;
  uint64_t span_id = 0;  // the client span of this fetch (set by tracing's on_fetch)
};

struct RequestRecord {
  // Wall clock (for exported timestamps) and monotonic start (for durations).
  int64_t start_unix_ns = 0;
  std::chrono::steady_clock::time_point start;

  // HTTP.
  std::string_view method;  // "GET" / "POST"
  std::string_view path;
  std::string_view remote_address;
  std::string_view user_agent;
  int http_status = 0;
  size_t response_bytes = 0;

  // Client identity (telemetry.client_name_header / client_version_header); empty: not sent.
  std::string client_name;
  std::string client_version;

  // The operation, once known (has_operation false for requests that fail before selection).
  bool has_operation = false;
  graphql::OperationType operation_type = graphql::OperationType::kQuery;
  std::string_view operation_name;  // empty: anonymous
  // Hex SHA-256 of the normalized operation (the plan cache's canonical text); empty before
  // normalization succeeded. Equal for documents that differ only in formatting, fragment
  // layout or argument order.
  std::string_view operation_hash;
  // The normalized operation (root introspection fields included) and the API schema it was
  // validated against: usage reporting walks it for the schema coordinates used. Null until
  // normalization succeeded.
  const graphql::OperationDefinition* normalized_operation = nullptr;
  const graphql::Schema* schema = nullptr;
  const GraphSnapshot* snapshot = nullptr;  // the config version served (null: none loaded)

  // Stages, as offsets from `start` (duration 0: skipped — the prepared-operation cache skips
  // parse, validate and plan on a repeated document).
  struct Stage {
    int64_t start_ns = 0;
    int64_t duration_ns = 0;
    bool ran() const { return duration_ns > 0; }
  };
  Stage parse;
  Stage validate;  // validation, operation selection, variables, normalization
  Stage plan;
  Stage execute;                     // subgraph fetches and response merge
  int64_t duration_ns = 0;           // arrival to the answer handed to the server
  bool operation_cache_hit = false;  // parse/validate/normalize/plan all skipped
  bool plan_cache_hit = false;
  bool deduplicated = false;  // answered from an identical query's execution (no fetches)

  // Outcome: GraphQL errors in the response and the router's codes among them
  // (extensions.code; static names, error_code_name), in order.
  uint32_t error_count = 0;
  std::vector<std::string_view> error_codes;
  bool data_is_null = false;

  std::vector<FetchRecord> fetches;
  TraceIds trace;
};

class RequestObserver {
 public:
  virtual ~RequestObserver() = default;

  virtual void on_start(RequestRecord& record, const net::HttpHeaders& client_headers) {
    (void)record;
    (void)client_headers;
  }
  virtual void on_fetch(const RequestRecord& record, FetchRecord& fetch,
                        net::HttpHeaders& subgraph_headers) {
    (void)record;
    (void)fetch;
    (void)subgraph_headers;
  }
  virtual void on_end(const RequestRecord& record) = 0;
};

}  // namespace orbit::router
