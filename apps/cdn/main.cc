// orbit-cdn: serves signed router config artifacts to routers holding a graph token.
//
//   orbit-cdn --storage DIR --token-public-key FILE [--revocations FILE]
//             [--listen 127.0.0.1:8080] [--threads N] [--audience orbit-cdn] [--log-level info]
//   orbit-cdn keygen --private-key FILE --public-key FILE
//   orbit-cdn token --private-key FILE --org ORG --graph GRAPH [--ttl 30d] [--token-id ID]
//   orbit-cdn publish --storage DIR --org ORG --graph GRAPH --signing-key FILE router.json
//
// Serving: GET /{org}/{graph}/routerconfigs/latest.json (lib: apps/cdn CdnServer); one JSON
// access-log line per request on stdout, other logs on stderr. SIGTERM/SIGINT drain and exit
// 0. Exit status 1 for bad flags, keys, files or addresses.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "orbit/base/log.h"
#include "orbit/cdn/cdn_server.h"
#include "orbit/cdn/tools.h"

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "orbit-cdn: %s\n", message.c_str());
  return 1;
}

// "90s", "15m", "12h", "30d" ─► seconds.
std::optional<int64_t> parse_ttl(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    default: return std::nullopt;
  }
  int64_t n = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9' || n > 1'000'000'000) return std::nullopt;
    n = n * 10 + (text[i] - '0');
  }
  if (n == 0) return std::nullopt;
  return n * unit;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"orbit-cdn: serves signed router configs to routers holding a graph token"};
  app.require_subcommand(0, 1);
  std::string listen, log_level = "info";
  orbit::cdn::CdnOptions options;
  app.add_option("--listen", listen, "address to serve on, host:port (default 127.0.0.1:8080)");
  app.add_option("--storage", options.storage_dir,
                 "artifact storage directory ({org}/{graph}/latest.json + .sig)");
  app.add_option("--token-public-key", options.token_public_key_path,
                 "PEM file with the public key(s) that verify graph tokens");
  app.add_option("--revocations", options.revocations_path,
                 "file of revoked token ids, one per line; re-read when it changes");
  app.add_option("--audience", options.audience, "the audience graph tokens must name")
      ->default_str("orbit-cdn");
  app.add_option("--threads", options.threads, "event loops (default 2)")
      ->check(CLI::Range(1u, 256u));
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off");

  CLI::App* keygen = app.add_subcommand("keygen", "write a new Ed25519 key pair (PEM)");
  std::string private_path, public_path;
  keygen->add_option("--private-key", private_path, "private key file to write (mode 0600)")
      ->required();
  keygen->add_option("--public-key", public_path, "public key file to write")->required();

  CLI::App* token = app.add_subcommand("token", "mint a graph token and print it");
  orbit::cdn::MintOptions mint;
  std::string ttl;
  token->add_option("--private-key", mint.private_key_path, "token signing key (PEM)")->required();
  token->add_option("--org", mint.org, "organization")->required();
  token->add_option("--graph", mint.graph, "graph")->required();
  token->add_option("--token-id", mint.token_id, "token id (default: random)");
  token->add_option("--ttl", ttl, "lifetime: 90s, 15m, 12h, 30d (default: no expiry)");
  token->add_option("--audience", mint.audience, "audience (default orbit-cdn)");

  CLI::App* publish = app.add_subcommand("publish", "sign an artifact and publish it to storage");
  std::string storage, org, graph, signing_key, artifact;
  publish->add_option("--storage", storage, "artifact storage directory")->required();
  publish->add_option("--org", org, "organization")->required();
  publish->add_option("--graph", graph, "graph")->required();
  publish->add_option("--signing-key", signing_key, "artifact signing key (PEM)")->required();
  publish->add_option("artifact", artifact, "the config artifact (router.json)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }

  orbit::log::Options log_options;
  if (!orbit::log::parse_level(log_level, &log_options.level))
    return fail("unknown --log-level \"" + log_level + "\"");
  orbit::log::init(log_options);

  if (keygen->parsed()) {
    orbit::Status s = orbit::cdn::run_keygen(private_path, public_path, std::cout);
    return s.ok() ? 0 : fail(s.message());
  }
  if (token->parsed()) {
    if (!ttl.empty()) {
      mint.ttl_seconds = parse_ttl(ttl);
      if (!mint.ttl_seconds) return fail("--ttl: expected e.g. 90s, 15m, 12h, 30d");
    }
    orbit::Status s = orbit::cdn::run_mint_token(mint, std::cout);
    return s.ok() ? 0 : fail(s.message());
  }
  if (publish->parsed()) {
    orbit::Status s =
        orbit::cdn::run_publish(storage, org, graph, artifact, signing_key, std::cout);
    return s.ok() ? 0 : fail(s.message());
  }

  if (!listen.empty()) {
    auto address = orbit::config::parse_listen_address(listen);
    if (!address.ok()) return fail(address.status().message());
    options.listen = *address;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  orbit::cdn::CdnServer server(options);
  orbit::Status started = server.start();
  if (!started.ok()) return fail(started.message());
  orbit::config::ListenAddress actual = options.listen;
  actual.port = server.port();
  orbit::log::info("orbit-cdn serving {} on http://{} (token keys: {}{})", options.storage_dir,
                   actual.to_string(), server.token_keys().key_ids(),
                   options.revocations_path.empty() ? std::string()
                                                    : "; revocations: " + options.revocations_path);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  orbit::log::info("{}: draining requests in flight",
                   signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  server.stop();
  orbit::log::info("stopped");
  return 0;
}
