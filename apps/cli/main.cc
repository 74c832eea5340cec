// orbit: the Orbit command-line tool.
//
//   orbit compose -i graph.yaml -o router.json [--supergraph-out supergraph.graphql]
//   orbit namespace create|list
//   orbit graph create|list|delete|fetch-config|usage|routers,
//   orbit graph token create|list|revoke
//   orbit subgraph create|publish|check|list|delete
//
// Exit status: 0 success, 1 composition errors or a failed check, 2 bad flags or input,
// 3 no or refused API key, 4 not found, 5 control plane unreachable (docs/cli.md).
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "orbit/cli/compose_command.h"
#include "orbit/cli/registry_commands.h"

namespace {

using orbit::cli::RegistryAction;
using orbit::cli::RegistryOptions;

struct Registry {
  RegistryOptions options;
  std::vector<std::pair<CLI::App*, RegistryAction>> commands;

  // A registry command with the connection and output options every one of them takes.
  CLI::App* add(CLI::App* parent, const std::string& name, const std::string& help,
                RegistryAction action, bool namespaced = true) {
    CLI::App* cmd = parent->add_subcommand(name, help);
    // The environment is read after parsing (main): every command binds these options to
    // the same variables, and CLI11's per-option environment lookup of one command would
    // overwrite the flag given to another.
    cmd->add_option("--api-url", options.api_url,
                    "the control plane's URL, e.g. http://127.0.0.1:8090 (default: "
                    "$ORBIT_API_URL)");
    cmd->add_option("--api-key", options.api_key,
                    "API key, orbit_… (default: $ORBIT_API_KEY, the better place for it)");
    cmd->add_flag("--json", options.json, "print the API's JSON instead of text, for scripts");
    cmd->add_option("--timeout-ms", options.timeout_ms, "timeout of each request (default 30000)")
        ->check(CLI::Range(1, 600000));
    if (namespaced) {
      cmd->add_option("-n,--namespace", options.ns, "namespace (default: default)");
    }
    commands.emplace_back(cmd, action);
    return cmd;
  }
};

void add_registry_commands(CLI::App& app, Registry& r) {
  RegistryOptions& o = r.options;

  CLI::App* ns = app.add_subcommand("namespace", "Create and list namespaces.");
  ns->require_subcommand(1);
  r.add(ns, "create",
        "Create a namespace (admin). Graphs compose the subgraphs of their own namespace.",
        RegistryAction::kNamespaceCreate, false)
      ->add_option("name", o.name, "namespace name")
      ->required();
  r.add(ns, "list", "List the namespaces of the organization.", RegistryAction::kNamespaceList,
        false);

  CLI::App* graph = app.add_subcommand(
      "graph", "Create, list and delete federated graphs; graph tokens; the router config.");
  graph->require_subcommand(1);
  CLI::App* c = r.add(graph, "create",
                      "Create a federated graph (admin). It composes the subgraphs of its\n"
                      "namespace that match every --label-matcher; a matcher is satisfied by\n"
                      "any of its comma-separated key=value terms.",
                      RegistryAction::kGraphCreate);
  c->add_option("name", o.name, "graph name")->required();
  c->add_option("--routing-url", o.routing_url, "where clients reach the graph's routers")
      ->required();
  c->add_option("--label-matcher", o.label_matchers,
                "key=value[,key=value…]; repeat for several matchers (all must match)");
  r.add(graph, "list", "List the federated graphs of a namespace.", RegistryAction::kGraphList);
  r.add(graph, "delete",
        "Delete a federated graph (admin): its config leaves CDN storage and its graph\n"
        "tokens are revoked.",
        RegistryAction::kGraphDelete)
      ->add_option("name", o.name, "graph name")
      ->required();
  c = r.add(graph, "fetch-config",
            "Download the graph's current router config (the signed artifact routers fetch\n"
            "from the CDN), e.g. to run a router from a file.",
            RegistryAction::kFetchConfig);
  c->add_option("graph", o.graph, "graph name")->required();
  c->add_option("-o,--output", o.output, "file to write (default: standard output)");
  c->add_option("--signature-out", o.signature_out,
                "also write the config's Ed25519 signature (X-Orbit-Signature) to this file");
  c = r.add(graph, "usage",
            "Usage analytics the graph's routers reported: requests, errors and latency\n"
            "percentiles, the top operations and the clients; with --fields, which schema\n"
            "fields were used, by how many operations and clients.",
            RegistryAction::kGraphUsage);
  c->add_option("graph", o.graph, "graph name")->required();
  c->add_option("--since", o.since, "how far back: 1h, 24h (default), 7d … up to 90d");
  c->add_option("--operation", o.operation, "only this operation (its hash)");
  c->add_option("--client", o.client, "only this client (graphql-client-name)");
  c->add_flag("--fields", o.fields, "field usage instead of operations and clients");
  r.add(graph, "routers",
        "The routers that polled the CDN or reported usage for the graph: host,\n"
        "versions, last seen, how they were seen (cdn, usage), and healthy or stale (not\n"
        "seen for 3 of their poll or report intervals).",
        RegistryAction::kGraphRouters)
      ->add_option("graph", o.graph, "graph name")
      ->required();

  CLI::App* token = graph->add_subcommand("token", "Create, list and revoke graph tokens.");
  token->require_subcommand(1);
  c = r.add(token, "create",
            "Create a graph token (admin): routers use it to fetch the graph's config from\n"
            "the CDN. The token is printed once.",
            RegistryAction::kTokenCreate);
  c->add_option("graph", o.graph, "graph name")->required();
  c->add_option("--name", o.token_name, "token name, e.g. prod-routers")->required();
  c->add_option("--expires-in", o.expires_in, "lifetime: 90d, 12h, 30m or seconds (default: none)");
  r.add(token, "list", "List the graph tokens of a graph (admin).", RegistryAction::kTokenList)
      ->add_option("graph", o.graph, "graph name")
      ->required();
  c = r.add(token, "revoke", "Revoke a graph token (admin); the CDN refuses it from then on.",
            RegistryAction::kTokenRevoke);
  c->add_option("graph", o.graph, "graph name")->required();
  c->add_option("id", o.token_id, "token id, as `orbit graph token list` shows it")->required();

  CLI::App* sub =
      app.add_subcommand("subgraph", "Create, publish, check, list and delete subgraphs.");
  sub->require_subcommand(1);
  c = r.add(sub, "create", "Register a subgraph (admin) with its routing URL and labels.",
            RegistryAction::kSubgraphCreate);
  c->add_option("name", o.name, "subgraph name")->required();
  c->add_option("--routing-url", o.routing_url, "where routers send the subgraph's requests")
      ->required();
  c->add_option("--label", o.labels, "key=value; repeat for several labels");
  c->add_option("--subscription-url", o.subscription_url, "subscriptions endpoint (ws, http)");
  c->add_option("--subscription-protocol", o.subscription_protocol, "ws (default), sse or sse_post")
      ->check(CLI::IsMember({"ws", "sse", "sse_post"}));
  c = r.add(sub, "publish",
            "Publish a new schema version of a subgraph (developer). Every graph that selects\n"
            "it is recomposed; exit status 1 when one does not compose (it keeps serving its\n"
            "previous config).",
            RegistryAction::kSubgraphPublish);
  c->add_option("name", o.name, "subgraph name")->required();
  c->add_option("--schema", o.schema_file, "SDL file; - for standard input")->required();
  c = r.add(sub, "check",
            "Check a proposed schema without publishing it (developer): composition of every\n"
            "graph that selects the subgraph, and the changes against the latest version with\n"
            "the operations and clients that used each breaking change. Exit status 1 when a\n"
            "graph does not compose or a breaking change was used in the usage window (one\n"
            "nobody used is reported as safe; without any router report, every breaking\n"
            "change fails).",
            RegistryAction::kSubgraphCheck);
  c->add_option("name", o.name, "subgraph name")->required();
  c->add_option("--schema", o.schema_file, "SDL file; - for standard input")->required();
  c->add_option("--usage-window-days", o.usage_window_days,
                "days of usage a breaking change is checked against (default 7)")
      ->check(CLI::Range(1, 90));
  r.add(sub, "list", "List the subgraphs of a namespace.", RegistryAction::kSubgraphList);
  r.add(sub, "delete",
        "Delete a subgraph (admin); graphs that selected it are recomposed without it.",
        RegistryAction::kSubgraphDelete)
      ->add_option("name", o.name, "subgraph name")
      ->required();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "orbit: the Orbit command-line tool for federated GraphQL graphs.\n"
      "Run `orbit COMMAND --help` for the options of a command."};
  app.name("orbit");
  app.require_subcommand(1);
  app.set_version_flag("--version", "orbit 0.1.0");

  orbit::cli::ComposeCommandOptions compose;
  CLI::App* cmd = app.add_subcommand(
      "compose",
      "Compose subgraph schemas into a supergraph and write the router config artifact.\n"
      "The graph file lists the subgraphs: name, routing URL, and a schema file or the URL\n"
      "of a running subgraph (its SDL is fetched with `{ _service { sdl } }`). Errors are\n"
      "printed with their code, subgraph and location; exit status 1 when composition fails.");
  cmd->add_option("-i,--input", compose.input, "graph.yaml listing the subgraphs")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", compose.output,
                  "where to write the router config artifact (JSON); - for standard output")
      ->required();
  cmd->add_option("--supergraph-out", compose.supergraph_out,
                  "also write the supergraph SDL to this file");
  cmd->add_flag("--quiet-hints", compose.quiet_hints, "do not print composition hints");
  cmd->add_option("--fetch-timeout-ms", compose.fetch_timeout_ms,
                  "timeout for fetching a subgraph's SDL from its URL")
      ->check(CLI::Range(1, 600000));

  Registry registry;
  add_registry_commands(app, registry);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (cmd->parsed()) return orbit::cli::run_compose(compose, std::cout, std::cerr);
  for (const auto& [sub, action] : registry.commands) {
    if (sub->parsed()) {
      registry.options.action = action;
      if (registry.options.api_url.empty()) {
        if (const char* url = std::getenv("ORBIT_API_URL")) registry.options.api_url = url;
      }
      if (registry.options.api_key.empty()) {
        if (const char* key = std::getenv("ORBIT_API_KEY")) registry.options.api_key = key;
      }
      return orbit::cli::run_registry_command(registry.options, std::cin, std::cout, std::cerr);
    }
  }
  return 2;
}
