// Schema checks that know usage: a breaking change that operations used in the last N days
// fails the check and names them and their clients; one nobody used is reported as safe.
//
//   CheckResult (compositions, changes) ─► per breaking change: usage_match_for_change ─►
//   UsageStore::field_uses of every graph that selects the subgraph, since now − N days ─►
//   CoordinateUsage ─► the API's JSON ─► schema_checks (listable, GET …/checks/{id})
//
// When no router of those graphs reported in the window there is nothing to go by: breaking
// changes keep failing the check ("usage": null), as they do for changes field usage cannot
// tell about (usage.h).
//
// Threading: as the Store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "orbit/registry/registry.h"
#include "orbit/registry/store.h"

namespace orbit::registry {

inline constexpr int64_t kMaxUsageWindowDays = 90;

// Fills result.usage, id, created_at and json, and stores the check (one transaction).
Outcome record_check(Store& store, const Namespace& ns, const Subgraph& subgraph,
                     const std::vector<int64_t>& graph_ids, int64_t now, CheckResult& result);

// {"id","createdAt","namespace","subgraph","ok","usageWindowDays","compositions":[…],
//  "changes":[…],"breakingChanges":[…]}; breaking changes carry "usage" and "safe".
std::string check_json(const CheckResult& result, const std::string& ns,
                       const std::string& subgraph);

}  // namespace orbit::registry
