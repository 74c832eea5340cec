// Usage analytics: what routers report (POST /v1/usage, docs/api.md "Usage") and what the
// control plane answers about it.
//
//   JSON batch ─► parse_usage_batch (validated, limits) ─► UsageBatch
//       ─► UsageStore::record: per-minute buckets (graph, operation hash, client name+version):
//          requests, errors, latency histogram counts + sum; operations (hash, name, type, first
//          and last seen); field usage per hour (coordinate, operation, client); the router
//   UsageStore queries ─► UsageReport (series, totals, top operations, clients),
//                        FieldUsage, RouterRecord, and the usage of breaking changes (checks)
//
// Latency histograms have fixed bounds (kLatencyBoundsMs, the router's): a batch with other
// bounds is refused, so that buckets of any router and any minute add up by position.
// Percentiles come from the merged counts: the bucket holding the rank, with linear
// interpolation between its bounds (0 is the lower bound of the first bucket; the +Inf bucket
// answers its lower bound, 10000 ms). So p95 of {10 requests in (5, 10]} is 9.75 ms.
//
// Times are seconds since the epoch (UTC) here; RFC 3339 text at the API.
//
// Pure values and functions: call on any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/registry/error.h"

namespace orbit::registry {

inline constexpr std::array<int64_t, 13> kLatencyBoundsMs = {1,   2,   5,    10,   25,   50,   100,
                                                             250, 500, 1000, 2500, 5000, 10000};
inline constexpr size_t kLatencyBuckets = kLatencyBoundsMs.size() + 1;  // the last one is +Inf
using LatencyCounts = std::array<int64_t, kLatencyBuckets>;

struct RouterReport {
  std::string id;  // one per router process
  std::string host;
  std::string orbit_version;
  std::string config_version;
  int64_t report_interval_seconds = 0;  // how often it reports; 0: it did not say
};

struct OperationUsage {
  std::string hash;  // 64 lower-case hex digits
  std::string name;  // "" for an anonymous operation
  std::string type;  // "query", "mutation", "subscription"
  std::string client_name, client_version;
  int64_t requests = 0;
  int64_t errors = 0;
  LatencyCounts latency_counts{};
  int64_t latency_sum_us = 0;
  std::vector<std::string> fields;  // schema coordinates, "User.name"
};

struct UsageBatch {
  RouterReport router;
  int64_t window_start = 0;
  int64_t window_end = 0;
  std::vector<OperationUsage> operations;  // empty: a heartbeat
};

struct UsageLimits {
  size_t max_operations = 10'000;
  size_t max_fields_per_operation = 2'000;
  size_t max_field_entries = 500'000;  // fields summed over the batch's operations
  size_t max_string_bytes = 256;       // names, versions, ids, hosts
  int64_t max_window_seconds = 3600;
  int64_t max_clock_skew_seconds = 300;          // windowEnd may be this far ahead of our clock
  int64_t retention_seconds = 30LL * 24 * 3600;  // older windows are refused
};

// Validates a batch (docs/api.md): INVALID_JSON when it is not JSON, INVALID_ARGUMENT naming
// the first wrong value ("operations[2].latencyCounts: expected 14 counts, got 13"). Unknown
// keys are ignored (newer routers may send more). `now` bounds windowEnd and windowStart.
Expected<UsageBatch> parse_usage_batch(std::string_view json, int64_t now,
                                       const UsageLimits& limits);

// "2026-11-27T07:00:00Z", "…00.123+02:00" → seconds since the epoch; nullopt when not RFC 3339.
std::optional<int64_t> parse_rfc3339(std::string_view text);
// Seconds → "2026-11-27T07:00:00Z".
std::string format_rfc3339(int64_t seconds);

// Requests, errors and latency of a set of buckets, merged.
struct UsageCounts {
  int64_t requests = 0;
  int64_t errors = 0;
  LatencyCounts latency_counts{};
  int64_t latency_sum_us = 0;

  void add(const UsageCounts& other);
  // The q-quantile (0 < q ≤ 1) in milliseconds, interpolated within its bucket (see above);
  // nullopt when there are no requests.
  std::optional<double> quantile_ms(double q) const;
};

struct SeriesPoint {
  int64_t time = 0;  // start of the step
  UsageCounts counts;
};

struct OperationSummary {
  std::string hash, name, type;
  UsageCounts counts;
};

struct ClientSummary {
  std::string name, version;
  int64_t requests = 0, errors = 0;
};

struct UsageQuery {
  int64_t from = 0;  // whole minutes: from rounded down, to rounded up
  int64_t to = 0;
  int64_t step = 60;      // a multiple of 60
  std::string operation;  // "" = every operation
  std::string client;     // client name; "" = every client
};

struct UsageReport {
  std::vector<SeriesPoint> series;  // one per step, empty steps included
  UsageCounts totals;
  std::vector<OperationSummary> operations;  // top 50 by requests
  std::vector<ClientSummary> clients;        // by requests
};

// Range checks of the query API: INVALID_ARGUMENT for from ≥ to, a range over 90 days, a step
// that is not a positive multiple of 60 or that gives more than 1000 points.
inline constexpr int64_t kMaxQueryRangeSeconds = 90LL * 24 * 3600;
inline constexpr int64_t kMaxSeriesPoints = 1000;
Outcome check_usage_range(int64_t from, int64_t to, int64_t step);

struct FieldUsage {
  std::string coordinate;
  int64_t requests = 0;
  int64_t operations = 0;  // distinct operation hashes
  int64_t clients = 0;     // distinct client name + version
  int64_t last_used = 0;   // the last minute it was seen in
};

struct RouterRecord {
  std::string id, host, orbit_version, config_version;
  int64_t first_seen = 0, last_seen = 0;
  int64_t report_interval_seconds = 0;  // 0: the router did not say
};

// Who used a schema coordinate: for a breaking change in a check.
struct CoordinateUsage {
  struct Client {
    std::string name, version;
  };
  struct Operation {
    std::string hash, name;
    int64_t requests = 0;
    std::vector<Client> clients;
  };
  int64_t requests = 0;
  std::vector<Operation> operations;  // by requests, most first
};

// The usage coordinates a breaking change at `path` (a schema_changes coordinate) is about:
// "Type.field" and "Type.field(arg:)" → the field; "Type" → the type and all its fields.
// nullopt for changes field usage cannot tell about (directives, root types, enum values,
// input fields, union members): those stay breaking.
struct CoordinateMatch {
  std::string exact;   // a usage coordinate equal to this
  std::string prefix;  // or starting with this ("" = none)
};
std::optional<CoordinateMatch> usage_match_for_change(std::string_view kind, std::string_view path);
bool coordinate_matches(const CoordinateMatch& match, std::string_view coordinate);

}  // namespace orbit::registry
