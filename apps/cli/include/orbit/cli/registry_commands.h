// The registry commands of `orbit`: namespaces, federated graphs, subgraphs (create,
// publish, check, list, delete), graph tokens, the router config, usage analytics and the
// routers that report it, as a client of the
// control plane's /v1 API (docs/api.md). Usage and output: docs/cli.md.
//
// run_registry_command() validates the options (names, labels, files, durations) before it
// sends anything, makes the requests (following pagination for lists), and prints either
// tables and sentences for people or, with `json`, the API's JSON for scripts. It returns
// the process exit status (RegistryExit). Errors go to `err`; with `json` an error is also
// printed to `out` as {"error":{"code","message"}} so that scripts read one JSON document.
//
// Threading: one call at a time per thread; no global state besides reading `in` (stdin for
// `--schema -`).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace orbit::cli {

// Exit statuses of every `orbit` command (docs/cli.md).
enum RegistryExit : int {
  kExitOk = 0,
  kExitFailed = 1,       // check failed, composition failed, or the server refused (409, 5xx)
  kExitUsage = 2,        // bad flags or input (also 400/413 from the server)
  kExitAuth = 3,         // no API key, or 401 / 403
  kExitNotFound = 4,     // 404: no such namespace, graph, subgraph, token or config
  kExitUnreachable = 5,  // no answer (refused, DNS, timeout) or 503
};

enum class RegistryAction {
  kNamespaceCreate,
  kNamespaceList,
  kGraphCreate,
  kGraphList,
  kGraphDelete,
  kSubgraphCreate,
  kSubgraphPublish,
  kSubgraphCheck,
  kSubgraphList,
  kSubgraphDelete,
  kTokenCreate,
  kTokenList,
  kTokenRevoke,
  kFetchConfig,
  kGraphUsage,
  kGraphRouters,
};

struct RegistryOptions {
  RegistryAction action = RegistryAction::kNamespaceList;
  // Connection (flags, else ORBIT_API_URL / ORBIT_API_KEY; main.cc reads the environment).
  std::string api_url;
  std::string api_key;
  int timeout_ms = 30'000;
  bool json = false;

  std::string ns = "default";  // --namespace
  std::string name;            // the namespace, graph or subgraph the command is about
  std::string graph;           // token commands and fetch-config: the graph
  std::string routing_url;
  std::vector<std::string> label_matchers;  // graph create: "team=a,team=b" each
  std::vector<std::string> labels;          // subgraph create / publish: "key=value" each
  std::string subscription_url;
  std::string subscription_protocol;  // ws, sse, sse_post
  std::string schema_file;            // publish / check: a file, or "-" for stdin
  std::string token_name;             // token create
  std::string token_id;               // token revoke
  std::string expires_in;             // token create: "90d", "12h", "30m", "3600s", "3600"
  std::string output;                 // fetch-config: file, or "-" (stdout)
  std::string signature_out;          // fetch-config: where to write X-Orbit-Signature
  std::string since = "24h";          // graph usage: 1h, 24h, 7d … (up to 90d)
  std::string operation;              // graph usage: an operation hash
  std::string client;                 // graph usage: a client name
  bool fields = false;                // graph usage: field usage instead of operations
  int usage_window_days = 0;          // subgraph check: 0 = the server's default (7)
};

int run_registry_command(const RegistryOptions& options, std::istream& in, std::ostream& out,
                         std::ostream& err);

// Validation helpers (exposed for tests). Each returns an empty string when the value is
// fine, else the message printed to the user.
std::string check_name(std::string_view what, std::string_view name);
std::string check_label(std::string_view label);            // key=value
std::string check_label_matcher(std::string_view matcher);  // key=value[,key=value…]
// "90d" → 7776000; -1 and a message when it is not a duration of 1 s to 10 years.
long long parse_duration_seconds(std::string_view text, std::string* error);

}  // namespace orbit::cli
