// The routers the CDN saw polling a graph (docs/adr/0003-fleet-from-cdn-polls.md): what a
// router says about itself in the headers of its poll, validated, and the file the CDN keeps
// them in beside the graph's artifact, which the control plane reads for its fleet view.
//
//   request headers of a poll (docs/cdn.md "Router identity")
//     X-Orbit-Router-Id       1–64 of A-Z a-z 0-9 . _ : -   (required: no id, no sighting)
//     X-Orbit-Router-Host     up to 253 of A-Z a-z 0-9 . _ -
//     X-Orbit-Router-Version  up to 64 printable ASCII
//     X-Orbit-Config-Version  up to 128 printable ASCII
//     X-Orbit-Poll-Interval   whole seconds, 1–86400
//   ─► sighting_from_headers ─► RouterSighting (a bad optional value is left empty / 0)
//
//   {root}/{org}/{graph}/routers.json
//     {"format":"orbit-cdn-routers","formatVersion":1,"org":"acme","graph":"shop",
//      "routers":[{"id":"…","host":"…","orbitVersion":"…","configVersion":"…",
//                  "pollIntervalSeconds":10,"tokenId":"…","firstSeenMs":…,"lastSeenMs":…}]}
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/net/http_headers.h"

namespace orbit::cdn {

inline constexpr std::string_view kRouterIdHeader = "X-Orbit-Router-Id";
inline constexpr std::string_view kRouterHostHeader = "X-Orbit-Router-Host";
inline constexpr std::string_view kRouterVersionHeader = "X-Orbit-Router-Version";
inline constexpr std::string_view kConfigVersionHeader = "X-Orbit-Config-Version";
inline constexpr std::string_view kPollIntervalHeader = "X-Orbit-Poll-Interval";

inline constexpr std::string_view kFleetFileName = "routers.json";
inline constexpr size_t kMaxFleetFileBytes = 4 << 20;

// One router as the CDN last saw it.
struct RouterSighting {
  std::string id, host, orbit_version, config_version;
  std::string token_id;                         // the graph token's id (never the token)
  int64_t poll_interval_seconds = 0;            // 0: the router did not say
  int64_t first_seen_ms = 0, last_seen_ms = 0;  // Unix milliseconds, the CDN's clock
  bool operator==(const RouterSighting&) const = default;
};

// The identity headers of a request; nullopt without a valid X-Orbit-Router-Id. Times and the
// token id are left for the caller.
std::optional<RouterSighting> sighting_from_headers(const net::HttpHeaders& headers);

// {root}/{org}/{graph}/routers.json
std::string fleet_file_path(const std::string& root, std::string_view org, std::string_view graph);

std::string write_fleet_file(std::string_view org, std::string_view graph,
                             const std::vector<RouterSighting>& routers);
// kInvalidArgument naming what is wrong; entries with a bad id are skipped, not fatal.
Result<std::vector<RouterSighting>> parse_fleet_file(std::string_view text);
// kNotFound when the file does not exist (no router polled, or none since the CDN kept
// files), kLimitExceeded past kMaxFleetFileBytes, kIo, or parse errors with the path.
Result<std::vector<RouterSighting>> read_fleet_file(const std::string& path);

}  // namespace orbit::cdn
