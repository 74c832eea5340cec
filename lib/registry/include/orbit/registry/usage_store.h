// UsageStore: the usage tables and the stored schema checks (migration 3) over a Store —
// the same SQL on SQLite and PostgreSQL.
//
//   usage_buckets     (graph, minute, operation hash, client name, client version):
//                     requests, errors, latency_sum_us, b0…b13 (histogram counts)
//   usage_operations  (graph, hash): name, type, first and last seen (minutes)
//   usage_fields      (graph, hour, coordinate, operation hash, client name, client version):
//                     requests, last used (minute)
//   usage_routers     (graph, router id): host, versions, first and last seen (receipt time),
//                     the report interval the router sent (migration 5)
//   schema_checks, schema_check_graphs: each check's JSON answer, and the graphs it composed
//
// Recording adds (INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x): batches from several
// routers, or several batches of one router, for the same minute add up. A batch is counted in
// the minute of its windowStart; its rows are merged first and written many to a statement.
//
// Threading: as the Store (one connection, one thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "orbit/registry/error.h"
#include "orbit/registry/model.h"
#include "orbit/registry/store.h"
#include "orbit/registry/usage.h"

namespace orbit::registry {

// One row of field usage over a window, for checks.
struct FieldUse {
  std::string coordinate, operation_hash, operation_name, client_name, client_version;
  int64_t requests = 0;
};

struct CheckRecord {
  int64_t id = 0;
  int64_t namespace_id = 0;
  int64_t subgraph_id = 0;
  std::string subgraph;
  bool ok = false;
  std::string created_at;
  std::string result_json;         // the API's answer to the check, "id" and "createdAt" included
  std::vector<int64_t> graph_ids;  // graphs it composed (insert only)
};

class UsageStore {
 public:
  explicit UsageStore(Store& store) : store_(store) {}

  // Records a validated batch for `graph_id` in one transaction; `now` is the router's
  // last-seen time.
  Outcome record(int64_t graph_id, const UsageBatch& batch, int64_t now);

  // Series, totals, top operations and clients of [query.from, query.to) (check_usage_range
  // first).
  Expected<UsageReport> report(int64_t graph_id, const UsageQuery& query);
  // Field usage in the hours that overlap [from, to), sorted by coordinate.
  Expected<std::vector<FieldUsage>> fields(int64_t graph_id, int64_t from, int64_t to);
  // Sorted by last seen, newest first.
  Expected<std::vector<RouterRecord>> routers(int64_t graph_id);

  // Whether any router reported for one of the graphs since `since`.
  Expected<bool> reported_since(const std::vector<int64_t>& graph_ids, int64_t since);
  // Field usage of a graph since `since`, per coordinate, operation and client.
  Expected<std::vector<FieldUse>> field_uses(int64_t graph_id, int64_t since);

  // Deletes usage older than now - retention_seconds: buckets, field hours that ended before
  // it, operations and routers last seen before it, and the stored schema checks made before
  // it (with their graph links). Returns the rows deleted.
  Expected<int64_t> purge(int64_t now, int64_t retention_seconds);

  // ---- schema checks
  // Fills id; result_json is stored as given (the caller puts the id in with set_check_result).
  Expected<CheckRecord> insert_check(const CheckRecord& check);
  Outcome set_check_result(int64_t id, const std::string& result_json);
  Expected<std::optional<CheckRecord>> find_check(int64_t namespace_id, int64_t id);
  // Newest first; `after` is an id.
  Expected<Page<CheckRecord>> subgraph_checks(int64_t subgraph_id, const PageRequest& page);
  Expected<Page<CheckRecord>> graph_checks(int64_t graph_id, const PageRequest& page);

 private:
  // head + "($1, …), (…), …" + tail, as many rows to a statement as fit in 2000 parameters.
  Outcome insert_rows(const std::string& head, const std::vector<std::vector<SqlParam>>& rows,
                      const std::string& tail);

  Store& store_;
};

}  // namespace orbit::registry
