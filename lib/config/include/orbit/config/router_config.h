// RouterConfig: what orbit-router is told to do, from YAML (router.yaml) and command-line flags.
//
// A plain value, read once at start (and again on a reload): parse it on any thread, then
// hand copies to the pieces that need them. Nothing here touches the network or the
// supergraph; GraphSnapshot::build() checks the subgraph names against the graph.
//
// The YAML format (every key optional; unknown keys are errors, so typos do not pass
// silently):
//
//   listen: 127.0.0.1:4000          # host:port, [v6]:port; port 0 picks a free one
//   artifact: router.json           # the config artifact (artifact.h), relative to the
//                                   # config file's directory; or instead:
//   supergraph: supergraph.graphql  # a supergraph SDL file, likewise relative
//   watch:                          # reload the artifact / supergraph file when it changes
//     enabled: true
//     debounce: 200ms               # wait until the file has been quiet this long
//     poll_interval: 1s             # stat() period (changes inotify does not report)
//   threads: 2                      # event loops; 0 = one per core
//   graphql_path: /graphql
//   include_query_plan: true        # honour the X-Orbit-Include-Query-Plan header
//   subgraph_defaults:
//     timeout: 30s                  # whole subgraph request: 250ms, 2s, 1m or plain ms
//   subgraphs:
//     reviews:
//       url: http://127.0.0.1:4002/graphql
//       timeout: 500ms
//   limits:
//     max_body_bytes: 2097152       # request body; larger ones get 413
//     max_document_bytes: 0         # 0 = unlimited
//     max_tokens: 0
//     max_depth: 100                # selection-set / value nesting (at most 256)
//     max_aliases: 0
//     max_directives: 0             # per location
//     max_subgraph_response_bytes: 67108864
//   headers:                        # client request headers sent on to subgraphs
//     all:
//       propagate: [Authorization]  # to every subgraph (every field of that name, in order)
//     subgraphs:
//       reviews:
//         propagate: [Accept-Language]   # to this subgraph, besides those of `all`
//   deduplication:
//     inbound: true                 # identical client queries in flight share one execution
//     subgraph_requests: true       # identical subgraph queries in flight share one request
//   batching:
//     entity_fetches: true          # entity fetches to one subgraph that can start together
//                                   # go in one request (aliased _entities fields)
//   cors:                           # browsers on other origins (off without this section)
//     origins: [https://studio.example.com]   # exact origins; "*" any origin
//     allow_credentials: false      # cookies / Authorization from the browser (not with "*")
//     allow_headers: []             # empty: whatever the preflight asks for
//     expose_headers: []
//     max_age: 1h                   # how long a browser may cache a preflight answer
//   managed:                        # fetch the graph from the CDN (instead of artifact/supergraph)
//     graph_token: ${env.GRAPH_API_TOKEN}   # default: the GRAPH_API_TOKEN variable
//     cdn_urls: [https://cdn-1.example.com, https://cdn-2.example.com]   # tried in order
//     signature_public_key: keys/artifacts.pub.pem   # verifies artifacts; relative to this file
//     state_dir: state              # last-known-good config; default "orbit-state", relative
//     poll_interval: 10s
//     poll_jitter: 2s               # a random 0..jitter added to each interval
//     request_timeout: 5s           # one request to one CDN URL
//     backoff:                      # after failed polls: initial, doubled up to max
//       initial: 1s
//       max: 1m
//
// Any scalar value may name environment variables: "${env.NAME}" is replaced by the variable's
// value ("${env.NAME:-fallback}" when unset or empty gives "fallback"); an unset variable
// without a fallback is an error. "$${" stands for a literal "${".
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/config/telemetry_config.h"

namespace orbit::config {

struct ListenAddress {
  std::string host = "127.0.0.1";
  uint16_t port = 4000;

  // "host:port" ("[::1]:4000" for IPv6 literals).
  std::string to_string() const;
};

// "127.0.0.1:4000", "[::1]:0", "localhost:8080". kInvalidArgument with the reason otherwise.
Result<ListenAddress> parse_listen_address(std::string_view text);

// "250ms", "2s", "1m", "1500" (ms). kInvalidArgument otherwise.
Result<std::chrono::milliseconds> parse_duration(std::string_view text);

struct SubgraphConfig {
  std::string url;  // empty: the routing URL of the supergraph
  std::optional<std::chrono::milliseconds> timeout;
};

struct RouterLimits {
  size_t max_body_bytes = 2 * 1024 * 1024;
  size_t max_document_bytes = 0;
  uint32_t max_tokens = 0;
  uint32_t max_depth = 100;
  uint32_t max_aliases = 0;
  uint32_t max_directives = 0;
  size_t max_subgraph_response_bytes = 64 * 1024 * 1024;
};

// Client request headers sent on to subgraph requests. Names are matched case-insensitively;
// headers the router sets itself or that describe one connection (Content-Length,
// Content-Type, Accept, Accept-Encoding, Host, Connection, Transfer-Encoding …) cannot be
// propagated.
struct HeaderRules {
  std::vector<std::string> propagate;  // header names, at most 64
};

struct HeadersConfig {
  HeaderRules all;                                            // to every subgraph
  std::map<std::string, HeaderRules, std::less<>> subgraphs;  // by subgraph name, besides `all`

  // The names propagated to `subgraph`: those of `all`, then its own, without repeats.
  std::vector<std::string> propagated_to(std::string_view subgraph) const;
};

// Identical work in flight at the same time done once (queries only; never mutations).
struct DeduplicationConfig {
  // Client requests whose plan, variables and propagated header values are equal share one
  // execution; each still gets its own answer (introspection, query plan extension).
  bool inbound = true;
  // Subgraph requests with the same URL, header fields and body share one HTTP request.
  bool subgraph_requests = true;
};

// Fewer subgraph requests per client request.
struct BatchingConfig {
  bool entity_fetches = true;
};

// Watching the graph file (config_reloader.h in lib/router).
struct WatchConfig {
  bool enabled = true;
  std::chrono::milliseconds debounce{200};
  std::chrono::milliseconds poll_interval{1000};
};

// Cross-origin requests from browsers (GraphiQL in Studio, web apps on another origin). Off
// when `origins` is empty: no CORS header is sent and browsers keep other origins out.
struct CorsConfig {
  std::vector<std::string> origins;  // "scheme://host[:port]" exactly, or "*"
  bool allow_credentials = false;
  std::vector<std::string> allow_headers;  // empty: the preflight's requested headers
  std::vector<std::string> expose_headers;
  std::chrono::seconds max_age{3600};

  bool enabled() const { return !origins.empty(); }
  bool allows(std::string_view origin) const;
};

// Managed mode: the graph comes from the CDN (lib/router ManagedPoller), verified with the
// artifact public key and persisted as last-known-good in `state_dir`.
struct ManagedConfig {
  bool enabled = false;               // a `managed:` section (or the router's --cdn-url flag)
  std::string graph_token;            // empty: the GRAPH_API_TOKEN environment variable
  std::vector<std::string> cdn_urls;  // http(s) base URLs, tried in order; no trailing '/'
  std::string signature_public_key_path;
  std::string state_dir;  // empty: "orbit-state" in the working directory
  std::chrono::milliseconds poll_interval{10'000};
  std::chrono::milliseconds poll_jitter{2'000};
  std::chrono::milliseconds request_timeout{5'000};
  std::chrono::milliseconds backoff_initial{1'000};
  std::chrono::milliseconds backoff_max{60'000};
};

// The environment variable that holds the graph token when the config does not.
inline constexpr std::string_view kGraphTokenEnv = "GRAPH_API_TOKEN";

struct RouterConfig {
  ListenAddress listen;
  // The graph to serve: at most one of these is set (absolute, or relative to the working
  // directory).
  std::string artifact_path;
  std::string supergraph_path;
  WatchConfig watch;
  uint32_t threads = 0;  // 0: one per core
  std::string graphql_path = "/graphql";
  bool include_query_plan = true;
  std::chrono::milliseconds default_subgraph_timeout{30'000};
  std::map<std::string, SubgraphConfig, std::less<>> subgraphs;  // by subgraph name
  RouterLimits limits;
  HeadersConfig headers;
  DeduplicationConfig deduplication;
  BatchingConfig batching;
  ManagedConfig managed;
  CorsConfig cors;
  TelemetryConfig telemetry;  // traces, metrics, access log, usage reporting

  // The timeout of one subgraph: its own, else the default.
  std::chrono::milliseconds subgraph_timeout(std::string_view name) const;
};

// Looks up an environment variable: its value, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
// The process environment (getenv).
std::optional<std::string> process_env(std::string_view name);

// Replaces "${env.NAME}" / "${env.NAME:-fallback}" in `text` (see the top of this file).
// kInvalidArgument naming the variable when it is unset without fallback or malformed.
Result<std::string> expand_env(std::string_view text, const EnvLookup& env = process_env);

// Parses YAML text. `base_dir` resolves relative `artifact` and `supergraph` paths (empty:
// keep them as they are). Errors name the key and the line:
// "router.yaml:7: limits.max_depth: expected an integer".
Result<RouterConfig> parse_router_config(std::string_view yaml,
                                         std::string_view source_name = "config",
                                         std::string_view base_dir = {},
                                         const EnvLookup& env = process_env);
// Reads and parses a file (kIo when it cannot be read).
Result<RouterConfig> load_router_config(const std::string& path);

// Completes managed mode once flags are merged (no-op when it is off): the token from
// kGraphTokenEnv when none is set, the default state directory. kInvalidArgument saying what
// is missing: the token, a CDN URL, the public key, or an artifact/supergraph set as well.
Status finish_managed_config(RouterConfig& config, const EnvLookup& env = process_env);

// "http://host[:port][/prefix]" or https; a trailing '/' removed. kInvalidArgument otherwise.
Result<std::string> parse_cdn_url(std::string_view text);

}  // namespace orbit::config
