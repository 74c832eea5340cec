#include "orbit/registry/check_usage.h"

#include <algorithm>
#include <map>
#include <set>

#include "orbit/base/json_writer.h"
#include "orbit/config/artifact.h"
#include "orbit/registry/usage_store.h"

namespace orbit::registry {
namespace {

constexpr size_t kMaxOperationsPerChange = 100;
constexpr size_t kMaxClientsPerOperation = 50;

CoordinateUsage usage_of(const CoordinateMatch& match, const std::vector<FieldUse>& uses) {
  struct Op {
    std::string name;
    int64_t requests = 0;
    std::set<std::pair<std::string, std::string>> clients;
  };
  std::map<std::string, Op> ops;
  // A field used twice by one operation (Type.f and Type.f(arg:)) counts that operation once
  // per coordinate row; the requests of an operation are its largest row, not their sum.
  std::map<std::pair<std::string, std::pair<std::string, std::string>>, int64_t> per_client;
  for (const FieldUse& u : uses) {
    if (!coordinate_matches(match, u.coordinate)) continue;
    Op& op = ops[u.operation_hash];
    if (!u.operation_name.empty()) op.name = u.operation_name;
    op.clients.insert({u.client_name, u.client_version});
    auto& r = per_client[{u.operation_hash, {u.client_name, u.client_version}}];
    r = std::max(r, u.requests);
  }
  for (const auto& [key, requests] : per_client)
    ops[key.first].requests += requests;
  CoordinateUsage out;
  for (auto& [hash, op] : ops) {
    out.requests += op.requests;
    CoordinateUsage::Operation o{hash, op.name, op.requests, {}};
    for (const auto& [name, version] : op.clients) {
      if (o.clients.size() == kMaxClientsPerOperation) break;
      o.clients.push_back({name, version});
    }
    out.operations.push_back(std::move(o));
  }
  std::sort(out.operations.begin(), out.operations.end(),
            [](const CoordinateUsage::Operation& a, const CoordinateUsage::Operation& b) {
              return a.requests != b.requests ? a.requests > b.requests : a.hash < b.hash;
            });
  if (out.operations.size() > kMaxOperationsPerChange)
    out.operations.resize(kMaxOperationsPerChange);
  return out;
}

void write_change(JsonWriter& w, const CheckResult& r, size_t i) {
  const SchemaChange& c = r.changes[i];
  w.begin_object();
  w.key("type").string(c.type);
  w.key("severity").string(c.severity);
  w.key("path").string(c.path);
  w.key("message").string(c.message);
  w.key("breaking").boolean(c.breaking);
  if (c.breaking) {
    w.key("usage");
    const auto& u = i < r.usage.size() ? r.usage[i] : std::nullopt;
    if (!u) {
      w.null();
    } else {
      w.begin_object().key("requests").integer(u->requests).key("operations").begin_array();
      for (const auto& op : u->operations) {
        w.begin_object().key("hash").string(op.hash).key("name");
        if (op.name.empty())
          w.null();
        else
          w.string(op.name);
        w.key("requests").integer(op.requests).key("clients").begin_array();
        for (const auto& client : op.clients)
          w.begin_object()
              .key("name")
              .string(client.name)
              .key("version")
              .string(client.version)
              .end_object();
        w.end_array().end_object();
      }
      w.end_array().end_object();
    }
    w.key("safe").boolean(r.safe(i));
  }
  w.end_object();
}

}  // namespace

std::string check_json(const CheckResult& r, const std::string& ns, const std::string& subgraph) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("id").integer(r.id);
  w.key("createdAt").string(r.created_at);
  w.key("namespace").string(ns);
  w.key("subgraph").string(subgraph);
  w.key("ok").boolean(r.ok());
  w.key("usageWindowDays").integer(r.usage_window_days);
  w.key("compositions").begin_array();
  for (const auto& c : r.compositions) {
    w.begin_object().key("graph").string(c.graph);
    w.key("status").string(c.succeeded ? "succeeded" : "failed");
    w.key("errors").raw(c.errors_json).key("hints").raw(c.hints_json).end_object();
  }
  w.end_array();
  w.key("changes").begin_array();
  for (size_t i = 0; i < r.changes.size(); ++i)
    write_change(w, r, i);
  w.end_array();
  w.key("breakingChanges").begin_array();
  for (size_t i = 0; i < r.changes.size(); ++i)
    if (r.changes[i].breaking) write_change(w, r, i);
  w.end_array();
  w.end_object();
  return out;
}

Outcome record_check(Store& store, const Namespace& ns, const Subgraph& subgraph,
                     const std::vector<int64_t>& graph_ids, int64_t now, CheckResult& result) {
  UsageStore usage(store);
  const int64_t since = now - result.usage_window_days * 86400;
  result.usage.assign(result.changes.size(), std::nullopt);
  auto reported = usage.reported_since(graph_ids, since);
  if (!reported.ok()) return reported.error();
  bool any_breaking = std::any_of(result.changes.begin(), result.changes.end(),
                                  [](const SchemaChange& c) { return c.breaking; });
  if (*reported && any_breaking) {
    std::vector<FieldUse> uses;
    for (int64_t graph : graph_ids) {
      auto rows = usage.field_uses(graph, since);
      if (!rows.ok()) return rows.error();
      uses.insert(uses.end(), rows->begin(), rows->end());
    }
    for (size_t i = 0; i < result.changes.size(); ++i) {
      const SchemaChange& c = result.changes[i];
      if (!c.breaking) continue;
      auto match = usage_match_for_change(c.type, c.path);
      if (match) result.usage[i] = usage_of(*match, uses);
    }
  }
  result.created_at = config::now_rfc3339();
  auto stored = store.transaction([&]() -> Expected<int64_t> {
    CheckRecord record;
    record.namespace_id = ns.id;
    record.subgraph_id = subgraph.id;
    record.subgraph = subgraph.name;
    record.ok = result.ok();
    record.created_at = result.created_at;
    record.result_json = "{}";
    record.graph_ids = graph_ids;
    auto inserted = usage.insert_check(record);
    if (!inserted.ok()) return inserted.error();
    result.id = inserted->id;
    result.json = check_json(result, ns.name, subgraph.name);
    ORBIT_TRY(usage.set_check_result(inserted->id, result.json));
    return inserted->id;
  });
  if (!stored.ok()) return stored.error();
  return Done{};
}

}  // namespace orbit::registry
