// orbit: the Orbit command-line tool.
//
//   orbit compose -i graph.yaml -o router.json [--supergraph-out supergraph.graphql]
//
// Exit status: 0 success, 1 composition errors, 2 bad flags or input.
#include <CLI/CLI.hpp>
#include <iostream>

#include "orbit/cli/compose_command.h"

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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (cmd->parsed()) return orbit::cli::run_compose(compose, std::cout, std::cerr);
  return 2;
}
