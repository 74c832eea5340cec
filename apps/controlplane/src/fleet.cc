#include "orbit/controlplane/fleet.h"

#include <algorithm>
#include <map>

namespace orbit::controlplane {

namespace {

// When a source heard from at `last_ms` with `interval` turns stale.
int64_t stale_after(int64_t last_ms, int64_t interval, const FleetRules& rules) {
  int64_t window = std::max(rules.missed_intervals * interval, rules.stale_floor_seconds);
  return last_ms + window * 1000;
}

}  // namespace

std::vector<FleetRouter> merge_fleet(const std::vector<registry::RouterRecord>& usage,
                                     const std::vector<cdn::RouterSighting>& cdn, int64_t now_ms,
                                     const FleetRules& rules, size_t limit) {
  std::map<std::string, FleetRouter> by_id;
  // The identity of the source heard from last wins; `latest` tracks when that was per router.
  std::map<std::string, int64_t> latest;
  auto take = [&](FleetRouter& r, int64_t last_ms, const std::string& host,
                  const std::string& orbit_version, const std::string& config_version) {
    auto [it, inserted] = latest.try_emplace(r.id, last_ms);
    bool newer = inserted || last_ms >= it->second;
    if (newer) it->second = last_ms;
    // The newer source's values, the older one's where the newer said nothing.
    auto set = [newer](std::string& into, const std::string& value) {
      if (!value.empty() && (newer || into.empty())) into = value;
    };
    set(r.host, host);
    set(r.orbit_version, orbit_version);
    set(r.config_version, config_version);
  };
  for (const registry::RouterRecord& u : usage) {
    FleetRouter& r = by_id[u.id];
    r.id = u.id;
    int64_t first = u.first_seen * 1000, last = u.last_seen * 1000;
    r.via_usage = true;
    r.report_interval_seconds = u.report_interval_seconds;
    r.first_seen_ms = r.first_seen_ms == 0 ? first : std::min(r.first_seen_ms, first);
    r.last_seen_ms = std::max(r.last_seen_ms, last);
    int64_t interval = u.report_interval_seconds > 0 ? u.report_interval_seconds
                                                     : rules.default_report_interval_seconds;
    r.stale_after_ms = std::max(r.stale_after_ms, stale_after(last, interval, rules));
    take(r, last, u.host, u.orbit_version, u.config_version);
  }
  for (const cdn::RouterSighting& c : cdn) {
    FleetRouter& r = by_id[c.id];
    r.id = c.id;
    r.via_cdn = true;
    r.poll_interval_seconds = c.poll_interval_seconds;
    r.first_seen_ms =
        r.first_seen_ms == 0 ? c.first_seen_ms : std::min(r.first_seen_ms, c.first_seen_ms);
    r.last_seen_ms = std::max(r.last_seen_ms, c.last_seen_ms);
    int64_t interval =
        c.poll_interval_seconds > 0 ? c.poll_interval_seconds : rules.default_poll_interval_seconds;
    r.stale_after_ms = std::max(r.stale_after_ms, stale_after(c.last_seen_ms, interval, rules));
    take(r, c.last_seen_ms, c.host, c.orbit_version, c.config_version);
  }
  std::vector<FleetRouter> out;
  out.reserve(by_id.size());
  for (auto& [id, r] : by_id) {
    r.stale = now_ms > r.stale_after_ms;
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const FleetRouter& a, const FleetRouter& b) {
    return a.last_seen_ms != b.last_seen_ms ? a.last_seen_ms > b.last_seen_ms : a.id < b.id;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace orbit::controlplane
