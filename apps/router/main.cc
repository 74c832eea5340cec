// orbit-router: serves one federated graph over HTTP.
//
//   orbit-router --supergraph FILE [--listen 127.0.0.1:4000] [--config router.yaml]
//                [--threads N] [--log-level info]
//
// Flags override the config file. Exit status: 0 after a clean shutdown (SIGTERM/SIGINT
// drain the requests in flight first), 1 for bad flags, files or addresses.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "orbit/base/log.h"
#include "orbit/net/event_loop.h"
#include "orbit/router/graph_snapshot.h"
#include "orbit/router/router_config.h"
#include "orbit/router/router_server.h"

namespace {

using orbit::router::RouterConfig;

int fail(const std::string& message) {
  std::fprintf(stderr, "orbit-router: %s\n", message.c_str());
  return 1;
}

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"orbit-router: a GraphQL Federation router"};
  std::string supergraph_path, listen, config_path, log_level = "info";
  uint32_t threads = 0;
  app.add_option("--supergraph", supergraph_path, "supergraph SDL file (overrides the config)");
  app.add_option("--listen", listen, "address to serve on, host:port (default 127.0.0.1:4000)");
  app.add_option("--config", config_path, "router config file (YAML)");
  CLI::Option* threads_option =
      app.add_option("--threads", threads, "event loops (default: one per core)")
          ->check(CLI::Range(1u, 1024u));
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }

  orbit::log::Options log_options;
  if (!orbit::log::parse_level(log_level, &log_options.level)) {
    return fail("unknown --log-level \"" + log_level +
                "\" (use trace, debug, info, warn, error or off)");
  }
  orbit::log::init(log_options);

  RouterConfig config;
  if (!config_path.empty()) {
    auto loaded = orbit::router::load_router_config(config_path);
    if (!loaded.ok()) return fail(loaded.status().message());
    config = std::move(*loaded);
  }
  if (!supergraph_path.empty()) config.supergraph_path = supergraph_path;
  if (!listen.empty()) {
    auto address = orbit::router::parse_listen_address(listen);
    if (!address.ok()) return fail(address.status().message());
    config.listen = *address;
  }
  if (threads_option->count() > 0) config.threads = threads;
  if (config.threads == 0) config.threads = std::max(1u, std::thread::hardware_concurrency());
  if (config.supergraph_path.empty()) {
    return fail("no supergraph: pass --supergraph FILE or set `supergraph:` in the config");
  }

  std::string sdl;
  if (!read_file(config.supergraph_path, &sdl)) {
    return fail("cannot read supergraph file " + config.supergraph_path);
  }
  auto snapshot = orbit::router::GraphSnapshot::build(sdl, config);
  if (!snapshot.ok()) return fail(config.supergraph_path + ": " + snapshot.status().message());

  // Signals are taken by sigwait() below; block them before any thread starts so that no
  // loop thread receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  orbit::net::LoopGroup loops(config.threads);
  loops.start();
  orbit::router::RouterServer server(loops, config, *snapshot);
  orbit::Status started = server.start();
  if (!started.ok()) {
    loops.stop();
    return fail("cannot listen on " + config.listen.to_string() + ": " + started.message());
  }
  orbit::router::ListenAddress actual = config.listen;
  actual.port = server.port();
  for (const auto& s : (*snapshot)->subgraphs()) {
    orbit::log::info("subgraph {} at {} (timeout {} ms)", s.name, s.url, s.timeout.count());
  }
  orbit::log::info("orbit-router serving {} subgraphs on http://{}{} ({} threads)",
                   (*snapshot)->subgraphs().size(), actual.to_string(), config.graphql_path,
                   config.threads);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  orbit::log::info("{}: draining requests in flight",
                   signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop(std::chrono::seconds(10));
  loops.stop();
  orbit::log::info("stopped");
  return 0;
}
