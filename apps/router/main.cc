// orbit-router: serves one federated graph over HTTP.
//
//   orbit-router (--artifact router.json | --supergraph FILE | --config router.yaml)
//                [--listen 127.0.0.1:4000] [--threads N] [--no-watch] [--log-level info]
//
// Flags override the config file; `--config` naming a .json file is taken as --artifact. The
// graph file is watched and reloaded when it changes (lib/router ConfigReloader); SIGHUP
// reloads it too. Exit status: 0 after a clean shutdown (SIGTERM/SIGINT drain the requests in
// flight first), 1 for bad flags, files or addresses.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "orbit/base/log.h"
#include "orbit/net/event_loop.h"
#include "orbit/router/config_reloader.h"
#include "orbit/router/graph_snapshot.h"
#include "orbit/router/router_config.h"
#include "orbit/router/router_server.h"

namespace {

using orbit::router::RouterConfig;

int fail(const std::string& message) {
  std::fprintf(stderr, "orbit-router: %s\n", message.c_str());
  return 1;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"orbit-router: a GraphQL Federation router"};
  std::string artifact_path, supergraph_path, listen, config_path, log_level = "info";
  uint32_t threads = 0;
  bool no_watch = false;
  app.add_option("--artifact", artifact_path,
                 "router config artifact (JSON, from orbit compose; overrides the config)");
  app.add_option("--supergraph", supergraph_path, "supergraph SDL file (overrides the config)");
  app.add_option("--listen", listen, "address to serve on, host:port (default 127.0.0.1:4000)");
  app.add_option("--config", config_path,
                 "router config file (YAML); a .json file is taken as --artifact");
  app.add_flag("--no-watch", no_watch,
               "do not reload the graph file when it changes (SIGHUP still reloads)");
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
  if (!config_path.empty() && ends_with(config_path, ".json")) {
    if (!artifact_path.empty())
      return fail("pass the artifact with --artifact or --config, not both");
    artifact_path = config_path;
  } else if (!config_path.empty()) {
    auto loaded = orbit::router::load_router_config(config_path);
    if (!loaded.ok()) return fail(loaded.status().message());
    config = std::move(*loaded);
  }
  if (!artifact_path.empty() && !supergraph_path.empty())
    return fail("pass either --artifact or --supergraph, not both");
  if (!artifact_path.empty()) {
    config.artifact_path = artifact_path;
    config.supergraph_path.clear();
  }
  if (!supergraph_path.empty()) {
    config.supergraph_path = supergraph_path;
    config.artifact_path.clear();
  }
  if (no_watch) config.watch.enabled = false;
  if (!listen.empty()) {
    auto address = orbit::router::parse_listen_address(listen);
    if (!address.ok()) return fail(address.status().message());
    config.listen = *address;
  }
  if (threads_option->count() > 0) config.threads = threads;
  if (config.threads == 0) config.threads = std::max(1u, std::thread::hardware_concurrency());
  if (config.artifact_path.empty() && config.supergraph_path.empty()) {
    return fail(
        "no graph: pass --artifact router.json or --supergraph FILE, or set `artifact:` or "
        "`supergraph:` in the config");
  }

  // Signals are taken by sigwait() below; block them before any thread starts (the file
  // watcher's included) so that no other thread receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  orbit::router::RouterServer* serving = nullptr;
  orbit::router::ConfigReloader reloader(
      config, [&serving](std::shared_ptr<const orbit::router::GraphSnapshot> next) {
        serving->set_snapshot(std::move(next));
      });
  auto snapshot = reloader.load_initial();
  if (!snapshot.ok()) return fail(snapshot.status().message());

  orbit::net::LoopGroup loops(config.threads);
  loops.start();
  orbit::router::RouterServer server(loops, config, *snapshot);
  serving = &server;
  server.handler().set_reload_stats([&reloader] { return reloader.stats(); });
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
  orbit::Status watching = reloader.start_watching();
  if (!watching.ok()) {
    orbit::log::warn("cannot watch {} ({}); send SIGHUP to reload it", reloader.path(),
                     watching.message());
  }

  int signal_number = 0;
  while (true) {
    sigwait(&signals, &signal_number);
    if (signal_number != SIGHUP) break;
    orbit::log::info("SIGHUP: reloading {}", reloader.path());
    reloader.reload_now();
  }
  orbit::log::info("{}: draining requests in flight",
                   signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  reloader.stop();
  server.stop(std::chrono::seconds(10));
  loops.stop();
  orbit::log::info("stopped");
  return 0;
}
