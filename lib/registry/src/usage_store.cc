// The usage tables' and stored checks' SQL (migration 3), for both dialects: upserts with
// ON CONFLICT … DO UPDATE (SQLite ≥ 3.24, PostgreSQL ≥ 9.5), integers for times and counts.
#include "orbit/registry/usage_store.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <map>
#include <tuple>

namespace orbit::registry {
namespace {

constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;
constexpr int64_t kTopOperations = 50;
constexpr int64_t kTopClients = 100;
constexpr int64_t kMaxFieldRows = 20'000;

int64_t floor_to(int64_t t, int64_t unit) {
  int64_t r = t % unit;
  return r < 0 ? t - r - unit : t - r;
}

// "b0, b1, …, b13" with a prefix and suffix per column.
std::string bucket_columns(std::string_view before, std::string_view after) {
  std::string out;
  for (size_t i = 0; i < kLatencyBuckets; ++i) {
    if (i) out += ", ";
    out += before;
    out += "b" + std::to_string(i);
    out += after;
  }
  return out;
}

const std::string& bucket_conflict_sql() {
  static const std::string sql = [] {
    std::string s =
        " ON CONFLICT (graph_id, minute, operation_hash, client_name, client_version) DO UPDATE "
        "SET requests = usage_buckets.requests + excluded.requests, errors = "
        "usage_buckets.errors + excluded.errors, latency_sum_us = usage_buckets.latency_sum_us + "
        "excluded.latency_sum_us";
    for (size_t i = 0; i < kLatencyBuckets; ++i) {
      std::string b = "b" + std::to_string(i);
      s += ", " + b + " = usage_buckets." + b + " + excluded." + b;
    }
    return s;
  }();
  return sql;
}

// Columns 0.. of a row: requests, errors, latency_sum_us, b0…b13 (sums).
std::string counts_select(std::string_view table) {
  std::string t = table.empty() ? "" : std::string(table) + ".";
  return "SUM(" + t + "requests), SUM(" + t + "errors), SUM(" + t + "latency_sum_us), " +
         bucket_columns("SUM(" + t, ")");
}
UsageCounts counts_of(const SqlRow& r, size_t first) {
  UsageCounts c;
  c.requests = r.integer(first);
  c.errors = r.integer(first + 1);
  c.latency_sum_us = r.integer(first + 2);
  for (size_t i = 0; i < kLatencyBuckets; ++i)
    c.latency_counts[i] = r.integer(first + 3 + i);
  return c;
}

constexpr const char* kCheckColumns =
    "id, namespace_id, subgraph_id, subgraph, ok, created_at, result";
CheckRecord check_of(const SqlRow& r) {
  CheckRecord c;
  c.id = r.integer(0);
  c.namespace_id = r.integer(1);
  c.subgraph_id = r.integer(2);
  c.subgraph = r.text(3);
  c.ok = r.integer(4) != 0;
  c.created_at = r.text(5);
  c.result_json = r.text(6);
  return c;
}

int64_t after_id(const PageRequest& page) {
  if (page.after.empty()) return INT64_MAX;
  char* end = nullptr;
  long long v = std::strtoll(page.after.c_str(), &end, 10);
  if (end == page.after.c_str() || *end != '\0') return INT64_MAX;
  return v;
}

Expected<Page<CheckRecord>> check_page(Expected<std::vector<SqlRow>> rows,
                                       const PageRequest& page) {
  if (!rows.ok()) return rows.error();
  Page<CheckRecord> out;
  for (const SqlRow& r : *rows)
    out.items.push_back(check_of(r));
  if (out.items.size() > page.limit) {
    out.items.resize(page.limit);
    out.next_after = std::to_string(out.items.back().id);
  }
  return out;
}

}  // namespace

Outcome UsageStore::record(int64_t graph_id, const UsageBatch& batch, int64_t now) {
  const int64_t minute = floor_to(batch.window_start, kMinute);
  const int64_t hour = floor_to(batch.window_start, kHour);
  // Merged first, so that one statement never names a key twice (PostgreSQL refuses an
  // ON CONFLICT DO UPDATE that would update a row twice) and rows go many to a statement.
  using ClientKey = std::tuple<std::string, std::string, std::string>;  // hash, name, version
  std::map<ClientKey, UsageCounts> buckets;
  std::map<std::string, std::pair<std::string, std::string>> operations;  // hash → name, type
  std::map<std::pair<std::string, ClientKey>, int64_t> fields;            // coordinate, client
  for (const OperationUsage& op : batch.operations) {
    ClientKey key{op.hash, op.client_name, op.client_version};
    UsageCounts c;
    c.requests = op.requests;
    c.errors = op.errors;
    c.latency_counts = op.latency_counts;
    c.latency_sum_us = op.latency_sum_us;
    buckets[key].add(c);
    auto& described = operations[op.hash];
    if (!op.name.empty() || described.first.empty()) described = {op.name, op.type};
    for (const std::string& field : op.fields)
      fields[{field, key}] += op.requests;
  }
  std::vector<std::vector<SqlParam>> bucket_rows, operation_rows, field_rows;
  for (const auto& [key, c] : buckets) {
    std::vector<SqlParam> row = {graph_id,         minute,     std::get<0>(key), std::get<1>(key),
                                 std::get<2>(key), c.requests, c.errors,         c.latency_sum_us};
    for (int64_t n : c.latency_counts)
      row.emplace_back(n);
    bucket_rows.push_back(std::move(row));
  }
  for (const auto& [hash, described] : operations)
    operation_rows.push_back({graph_id, hash, described.first, described.second, minute, minute});
  for (const auto& [key, requests] : fields) {
    const ClientKey& client = key.second;
    field_rows.push_back({graph_id, hour, key.first, std::get<0>(client), std::get<1>(client),
                          std::get<2>(client), requests, minute});
  }
  return store_.transaction([&]() -> Outcome {
    ORBIT_TRY(store_.query(
        "INSERT INTO usage_routers (graph_id, id, host, orbit_version, config_version, "
        "first_seen, last_seen, report_interval_seconds) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) "
        "ON CONFLICT (graph_id, id) DO UPDATE SET host = excluded.host, orbit_version = "
        "excluded.orbit_version, config_version = excluded.config_version, "
        "report_interval_seconds = excluded.report_interval_seconds, last_seen = CASE WHEN "
        "excluded.last_seen > usage_routers.last_seen THEN excluded.last_seen ELSE "
        "usage_routers.last_seen END",
        {graph_id, batch.router.id, batch.router.host, batch.router.orbit_version,
         batch.router.config_version, now, batch.router.report_interval_seconds}));
    ORBIT_TRY(
        insert_rows("INSERT INTO usage_buckets (graph_id, minute, operation_hash, client_name, "
                    "client_version, requests, errors, latency_sum_us, " +
                        bucket_columns("", "") + ") VALUES ",
                    bucket_rows, bucket_conflict_sql()));
    ORBIT_TRY(insert_rows(
        "INSERT INTO usage_operations (graph_id, hash, name, op_type, first_seen, last_seen) "
        "VALUES ",
        operation_rows,
        " ON CONFLICT (graph_id, hash) DO UPDATE SET name = CASE WHEN excluded.name <> '' THEN "
        "excluded.name ELSE usage_operations.name END, op_type = excluded.op_type, first_seen = "
        "CASE WHEN excluded.first_seen < usage_operations.first_seen THEN excluded.first_seen "
        "ELSE usage_operations.first_seen END, last_seen = CASE WHEN excluded.last_seen > "
        "usage_operations.last_seen THEN excluded.last_seen ELSE usage_operations.last_seen END"));
    ORBIT_TRY(insert_rows(
        "INSERT INTO usage_fields (graph_id, hour, coordinate, operation_hash, client_name, "
        "client_version, requests, last_used) VALUES ",
        field_rows,
        " ON CONFLICT (graph_id, hour, coordinate, operation_hash, client_name, client_version) "
        "DO UPDATE SET requests = usage_fields.requests + excluded.requests, last_used = CASE "
        "WHEN excluded.last_used > usage_fields.last_used THEN excluded.last_used ELSE "
        "usage_fields.last_used END"));
    return Done{};
  });
}

Outcome UsageStore::insert_rows(const std::string& head,
                                const std::vector<std::vector<SqlParam>>& rows,
                                const std::string& tail) {
  constexpr size_t kMaxParams = 250;  // per statement (SQLite looks up $n names one by one)
  size_t at = 0;
  while (at < rows.size()) {
    size_t per_row = rows[at].size();
    size_t count = std::max<size_t>(1, kMaxParams / per_row);
    size_t end = std::min(rows.size(), at + count);
    std::string sql = head;
    std::vector<SqlParam> params;
    params.reserve((end - at) * per_row);
    for (size_t r = at; r < end; ++r) {
      sql += r == at ? "(" : ", (";
      for (size_t c = 0; c < per_row; ++c) {
        if (c) sql += ", ";
        sql += "$" + std::to_string(params.size() + 1);
        params.push_back(rows[r][c]);
      }
      sql += ")";
    }
    sql += tail;
    ORBIT_TRY(store_.query(sql, params));
    at = end;
  }
  return Done{};
}

Expected<UsageReport> UsageStore::report(int64_t graph_id, const UsageQuery& q) {
  ORBIT_TRY(check_usage_range(q.from, q.to, q.step));
  const int64_t from = floor_to(q.from, kMinute);
  const int64_t to = floor_to(q.to + kMinute - 1, kMinute);
  const std::string filter =
      " WHERE b.graph_id = $1 AND b.minute >= $2 AND b.minute < $3 AND ($4 = '' OR "
      "b.operation_hash = $4) AND ($5 = '' OR b.client_name = $5)";
  const std::vector<SqlParam> params = {graph_id, from, to, q.operation, q.client};
  UsageReport out;
  int64_t points = (to - from + q.step - 1) / q.step;
  out.series.resize(static_cast<size_t>(points));
  for (int64_t i = 0; i < points; ++i)
    out.series[i].time = from + i * q.step;

  auto minutes = store_.query("SELECT b.minute, " + counts_select("b") + " FROM usage_buckets b" +
                                  filter + " GROUP BY b.minute ORDER BY b.minute",
                              params);
  if (!minutes.ok()) return minutes.error();
  for (const SqlRow& r : *minutes) {
    int64_t index = (r.integer(0) - from) / q.step;
    if (index < 0 || index >= points) continue;
    UsageCounts c = counts_of(r, 1);
    out.series[index].counts.add(c);
    out.totals.add(c);
  }

  auto operations = store_.query(
      "SELECT b.operation_hash, COALESCE(MAX(o.name), ''), COALESCE(MAX(o.op_type), ''), " +
          counts_select("b") +
          " FROM usage_buckets b LEFT JOIN usage_operations o ON o.graph_id = b.graph_id AND "
          "o.hash = b.operation_hash" +
          filter + " GROUP BY b.operation_hash ORDER BY 4 DESC, 1 LIMIT " +
          std::to_string(kTopOperations),
      params);
  if (!operations.ok()) return operations.error();
  for (const SqlRow& r : *operations)
    out.operations.push_back({r.text(0), r.text(1), r.text(2), counts_of(r, 3)});

  auto clients = store_.query(
      "SELECT b.client_name, b.client_version, SUM(b.requests), SUM(b.errors) FROM "
      "usage_buckets b" +
          filter + " GROUP BY b.client_name, b.client_version ORDER BY 3 DESC, 1, 2 LIMIT " +
          std::to_string(kTopClients),
      params);
  if (!clients.ok()) return clients.error();
  for (const SqlRow& r : *clients)
    out.clients.push_back({r.text(0), r.text(1), r.integer(2), r.integer(3)});
  return out;
}

Expected<std::vector<FieldUsage>> UsageStore::fields(int64_t graph_id, int64_t from, int64_t to) {
  auto rows = store_.query(
      "SELECT coordinate, SUM(requests), COUNT(DISTINCT operation_hash), COUNT(DISTINCT "
      "client_name || '/' || client_version), MAX(last_used) FROM usage_fields WHERE graph_id = "
      "$1 AND hour >= $2 AND hour < $3 GROUP BY coordinate ORDER BY coordinate LIMIT " +
          std::to_string(kMaxFieldRows),
      {graph_id, floor_to(from, kHour), to});
  if (!rows.ok()) return rows.error();
  std::vector<FieldUsage> out;
  out.reserve(rows->size());
  for (const SqlRow& r : *rows)
    out.push_back({r.text(0), r.integer(1), r.integer(2), r.integer(3), r.integer(4)});
  return out;
}

Expected<std::vector<RouterRecord>> UsageStore::routers(int64_t graph_id) {
  auto rows = store_.query(
      "SELECT id, host, orbit_version, config_version, first_seen, last_seen, "
      "report_interval_seconds FROM usage_routers WHERE graph_id = $1 ORDER BY last_seen DESC, "
      "id LIMIT 1000",
      {graph_id});
  if (!rows.ok()) return rows.error();
  std::vector<RouterRecord> out;
  for (const SqlRow& r : *rows)
    out.push_back(
        {r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4), r.integer(5), r.integer(6)});
  return out;
}

Expected<bool> UsageStore::reported_since(const std::vector<int64_t>& graph_ids, int64_t since) {
  for (int64_t id : graph_ids) {
    auto rows = store_.query(
        "SELECT 1 FROM usage_routers WHERE graph_id = $1 AND last_seen >= $2 LIMIT 1", {id, since});
    if (!rows.ok()) return rows.error();
    if (!rows->empty()) return true;
  }
  return false;
}

Expected<std::vector<FieldUse>> UsageStore::field_uses(int64_t graph_id, int64_t since) {
  auto rows = store_.query(
      "SELECT f.coordinate, f.operation_hash, COALESCE(MAX(o.name), ''), f.client_name, "
      "f.client_version, SUM(f.requests) FROM usage_fields f LEFT JOIN usage_operations o ON "
      "o.graph_id = f.graph_id AND o.hash = f.operation_hash WHERE f.graph_id = $1 AND f.hour >= "
      "$2 GROUP BY f.coordinate, f.operation_hash, f.client_name, f.client_version",
      {graph_id, floor_to(since, kHour)});
  if (!rows.ok()) return rows.error();
  std::vector<FieldUse> out;
  out.reserve(rows->size());
  for (const SqlRow& r : *rows)
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.integer(5)});
  return out;
}

Expected<int64_t> UsageStore::purge(int64_t now, int64_t retention_seconds) {
  const int64_t cutoff = now - retention_seconds;
  int64_t deleted = 0;
  auto run = [&](const std::string& sql, SqlParam bound) -> Outcome {
    auto rows = store_.query(sql + " RETURNING 1", {bound});
    if (!rows.ok()) return rows.error();
    deleted += static_cast<int64_t>(rows->size());
    return Done{};
  };
  auto done = store_.transaction([&]() -> Outcome {
    deleted = 0;
    ORBIT_TRY(run("DELETE FROM usage_buckets WHERE minute < $1", floor_to(cutoff, kMinute)));
    // An hour goes when all of it is older than the cutoff.
    ORBIT_TRY(run("DELETE FROM usage_fields WHERE hour < $1", floor_to(cutoff, kHour) - kHour + 1));
    ORBIT_TRY(run("DELETE FROM usage_operations WHERE last_seen < $1", cutoff));
    ORBIT_TRY(run("DELETE FROM usage_routers WHERE last_seen < $1", cutoff));
    // Stored checks, by their createdAt ("2026-11-27T02:00:34.014Z": text that sorts as time).
    std::string before = format_rfc3339(cutoff);
    before.insert(before.size() - 1, ".000");
    ORBIT_TRY(
        run("DELETE FROM schema_check_graphs WHERE check_id IN (SELECT id FROM "
            "schema_checks WHERE created_at < $1)",
            before));
    ORBIT_TRY(run("DELETE FROM schema_checks WHERE created_at < $1", before));
    return Done{};
  });
  if (!done.ok()) return done.error();
  return deleted;
}

// ---- schema checks

Expected<CheckRecord> UsageStore::insert_check(const CheckRecord& check) {
  auto rows = store_.query(
      "INSERT INTO schema_checks (namespace_id, subgraph_id, subgraph, ok, created_at, result) "
      "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
      {check.namespace_id, check.subgraph_id, check.subgraph, int64_t{check.ok ? 1 : 0},
       check.created_at, check.result_json});
  if (!rows.ok()) return rows.error();
  CheckRecord out = check;
  out.id = rows->front().integer(0);
  for (int64_t graph : check.graph_ids)
    ORBIT_TRY(store_.query("INSERT INTO schema_check_graphs (check_id, graph_id) VALUES ($1, $2)",
                           {out.id, graph}));
  return out;
}

Outcome UsageStore::set_check_result(int64_t id, const std::string& result_json) {
  auto rows = store_.query("UPDATE schema_checks SET result = $2 WHERE id = $1", {id, result_json});
  if (!rows.ok()) return rows.error();
  return Done{};
}

Expected<std::optional<CheckRecord>> UsageStore::find_check(int64_t namespace_id, int64_t id) {
  auto rows = store_.query(std::string("SELECT ") + kCheckColumns +
                               " FROM schema_checks WHERE namespace_id = $1 AND id = $2",
                           {namespace_id, id});
  if (!rows.ok()) return rows.error();
  if (rows->empty()) return std::optional<CheckRecord>();
  return std::optional<CheckRecord>(check_of(rows->front()));
}

Expected<Page<CheckRecord>> UsageStore::subgraph_checks(int64_t subgraph_id,
                                                        const PageRequest& page) {
  return check_page(store_.query(std::string("SELECT ") + kCheckColumns +
                                     " FROM schema_checks WHERE subgraph_id = $1 AND id < $2 "
                                     "ORDER BY id DESC LIMIT $3",
                                 {subgraph_id, after_id(page), int64_t(page.limit) + 1}),
                    page);
}

Expected<Page<CheckRecord>> UsageStore::graph_checks(int64_t graph_id, const PageRequest& page) {
  return check_page(
      store_.query("SELECT c.id, c.namespace_id, c.subgraph_id, c.subgraph, c.ok, c.created_at, "
                   "c.result FROM schema_checks c JOIN schema_check_graphs g ON g.check_id = c.id "
                   "WHERE g.graph_id = $1 AND c.id < $2 ORDER BY c.id DESC LIMIT $3",
                   {graph_id, after_id(page), int64_t(page.limit) + 1}),
      page);
}

}  // namespace orbit::registry
