// orbit-router: serves one federated graph over HTTP.
//
//   orbit-router (--artifact router.json | --supergraph FILE | --config router.yaml)
//                [--listen 127.0.0.1:4000] [--threads N] [--no-watch] [--log-level info]
//   orbit-router --cdn-url URL [--cdn-url URL2] --signature-public-key FILE
//                [--graph-token TOKEN | $GRAPH_API_TOKEN] [--state-dir DIR] …   (managed mode)
//
// Flags override the config file; `--config` naming a .json file is taken as --artifact. The
// graph file is watched and reloaded when it changes (lib/router ConfigReloader); SIGHUP
// reloads it too. In managed mode (a `managed:` section or --cdn-url) the graph comes from
// the CDN (lib/router ManagedPoller), else from the last-known-good copy; SIGHUP polls at
// once. Exit status: 0 after a clean shutdown (SIGTERM/SIGINT drain the requests in flight
// first), 1 for bad flags, files or addresses.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "orbit/base/log.h"
#include "orbit/net/event_loop.h"
#include "orbit/router/config_reloader.h"
#include "orbit/router/graph_snapshot.h"
#include "orbit/router/managed_poller.h"
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

// Waits for SIGTERM/SIGINT (SIGHUP runs `on_hup`), then logs which one came.
void wait_for_shutdown(sigset_t& signals, const std::function<void()>& on_hup) {
  int signal_number = 0;
  while (true) {
    sigwait(&signals, &signal_number);
    if (signal_number != SIGHUP) break;
    on_hup();
  }
  orbit::log::info("{}: draining requests in flight",
                   signal_number == SIGINT ? "SIGINT" : "SIGTERM");
}

// Managed mode: the graph from the CDN, else the last-known-good copy; the router listens
// either way (not ready until a config is loaded) and polls on.
int run_managed(const RouterConfig& config, orbit::router::ConfigReloader& reloader,
                orbit::router::RouterServer*& serving, sigset_t& signals) {
  orbit::router::ManagedPoller poller(config, reloader);
  orbit::net::LoopGroup loops(config.threads);
  loops.start();
  orbit::router::RouterServer server(loops, config, nullptr);
  serving = &server;
  orbit::Status ready = poller.init();
  if (!ready.ok()) {
    loops.stop();
    return fail(ready.message());
  }
  bool loaded = poller.load_initial();
  server.handler().set_reload_stats([&reloader] { return reloader.stats(); });
  server.handler().set_managed_stats([&poller] { return poller.stats(); });
  orbit::Status started = server.start();
  if (!started.ok()) {
    poller.stop();
    loops.stop();
    return fail("cannot listen on " + config.listen.to_string() + ": " + started.message());
  }
  orbit::router::ListenAddress actual = config.listen;
  actual.port = server.port();
  std::shared_ptr<const orbit::router::GraphSnapshot> snapshot = server.snapshot();
  orbit::log::info("orbit-router serving {} on http://{}{} ({} threads)",
                   loaded ? std::to_string(snapshot->subgraphs().size()) + " subgraphs"
                          : std::string("no graph yet (not ready)"),
                   actual.to_string(), config.graphql_path, config.threads);
  poller.start();
  wait_for_shutdown(signals, [&poller, &server] {
    orbit::log::info("SIGHUP: polling the CDN now");
    poller.poll_now();
    server.reopen_access_log();
  });
  poller.stop();
  server.stop(std::chrono::seconds(10));
  loops.stop();
  orbit::log::info("stopped");
  return 0;
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
  std::vector<std::string> cdn_urls;
  std::string graph_token, signature_public_key, state_dir;
  app.add_option("--cdn-url", cdn_urls,
                 "managed mode: a CDN to fetch the graph from (repeat for fallbacks, tried in "
                 "order; overrides managed.cdn_urls)");
  app.add_option("--graph-token", graph_token,
                 "managed mode: the graph token (prefer $GRAPH_API_TOKEN: flags show in ps)");
  app.add_option("--signature-public-key", signature_public_key,
                 "managed mode: PEM public key(s) that verify config artifacts");
  app.add_option("--state-dir", state_dir,
                 "managed mode: where the last-known-good config is kept (default orbit-state)");
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
  if (!cdn_urls.empty()) {
    config.managed.enabled = true;
    config.managed.cdn_urls.clear();
    for (const std::string& u : cdn_urls) {
      auto url = orbit::config::parse_cdn_url(u);
      if (!url.ok()) return fail("--cdn-url: " + url.status().message());
      config.managed.cdn_urls.push_back(*url);
    }
  }
  if (!graph_token.empty()) config.managed.graph_token = graph_token;
  if (!signature_public_key.empty())
    config.managed.signature_public_key_path = signature_public_key;
  if (!state_dir.empty()) config.managed.state_dir = state_dir;
  if (!config.managed.enabled &&
      (!graph_token.empty() || !signature_public_key.empty() || !state_dir.empty()))
    return fail(
        "--graph-token, --signature-public-key and --state-dir are for managed mode: "
        "add --cdn-url (or a managed: section)");
  orbit::Status managed = orbit::config::finish_managed_config(config);
  if (!managed.ok()) return fail(managed.message());
  if (!listen.empty()) {
    auto address = orbit::router::parse_listen_address(listen);
    if (!address.ok()) return fail(address.status().message());
    config.listen = *address;
  }
  if (threads_option->count() > 0) config.threads = threads;
  if (config.threads == 0) config.threads = std::max(1u, std::thread::hardware_concurrency());
  if (config.artifact_path.empty() && config.supergraph_path.empty() && !config.managed.enabled) {
    return fail(
        "no graph: pass --artifact router.json or --supergraph FILE, or set `artifact:` or "
        "`supergraph:` in the config (or run managed: --cdn-url)");
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
  if (config.managed.enabled) return run_managed(config, reloader, serving, signals);
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

  wait_for_shutdown(signals, [&reloader, &server] {
    orbit::log::info("SIGHUP: reloading {}", reloader.path());
    reloader.reload_now();
    server.reopen_access_log();
  });
  reloader.stop();
  server.stop(std::chrono::seconds(10));
  loops.stop();
  orbit::log::info("stopped");
  return 0;
}
