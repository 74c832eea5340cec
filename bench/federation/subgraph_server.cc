// bench-subgraphs: the four subgraphs of the federation benchmark in one process, each on its
// own 127.0.0.1 port (port 0: the kernel picks), printed one per line on stdout as
//   accounts http://127.0.0.1:PORT/graphql
// then "ready". Serves until SIGTERM or SIGINT.
//
//   bench-subgraphs [--delay-ms N] [--threads N] [--no-cache] [--sdl-dir DIR]
//
// GET /stats on any port answers {"requests":N,"with_authorization":M} for that subgraph: the
// benchmark checks with it that a router propagated the clients' Authorization header.
//
// --delay-ms holds every answer for N ms (a timer, no thread blocked), to model subgraphs
// that take time. Answers are cached per event loop by request body (the data is fixed), so
// the subgraphs cost little CPU next to the router being measured; --no-cache turns that off.
#include <signal.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench_subgraphs.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_server.h"

namespace {

using orbit::bench::BenchSubgraph;
using orbit::bench::SubgraphId;

struct Counters {
  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> with_authorization{0};
};

struct Options {
  int delay_ms = 0;
  int threads = 1;
  bool cache = true;
  std::string sdl_dir = ORBIT_BENCH_FEDERATION_DIR "/subgraphs";
};

int usage(const char* message) {
  std::fprintf(stderr,
               "bench-subgraphs: %s\nusage: bench-subgraphs [--delay-ms N] [--threads N] "
               "[--no-cache] [--sdl-dir DIR]\n",
               message);
  return 1;
}

bool parse_int(const char* text, int min, int max, int* out) {
  std::string_view s(text);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size() && *out >= min && *out <= max;
}

// Answers by request body, one table per loop thread (no lock). Bounded: cleared when full.
std::string cached_answer(const BenchSubgraph& subgraph, std::string&& body) {
  thread_local std::unordered_map<std::string, std::string> cache[4];
  auto& table = cache[static_cast<int>(subgraph.id())];
  auto it = table.find(body);
  if (it != table.end()) return it->second;
  std::string answer = subgraph.answer(body);
  if (table.size() >= 4096) table.clear();
  table.emplace(std::move(body), answer);
  return answer;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--delay-ms" && has_value) {
      if (!parse_int(argv[++i], 0, 60'000, &options.delay_ms))
        return usage("--delay-ms wants 0..60000");
    } else if (arg == "--threads" && has_value) {
      if (!parse_int(argv[++i], 1, 64, &options.threads)) return usage("--threads wants 1..64");
    } else if (arg == "--sdl-dir" && has_value) {
      options.sdl_dir = argv[++i];
    } else if (arg == "--no-cache") {
      options.cache = false;
    } else {
      return usage(("unknown or incomplete argument: " + std::string(arg)).c_str());
    }
  }

  std::vector<std::unique_ptr<BenchSubgraph>> subgraphs;
  for (SubgraphId id : orbit::bench::kAllSubgraphs) {
    std::string path =
        options.sdl_dir + "/" + std::string(orbit::bench::subgraph_name(id)) + ".graphql";
    std::ifstream in(path);
    if (!in) return usage(("cannot read " + path).c_str());
    std::stringstream sdl;
    sdl << in.rdbuf();
    subgraphs.push_back(std::make_unique<BenchSubgraph>(id, sdl.str()));
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  orbit::net::LoopGroup loops(static_cast<size_t>(options.threads));
  loops.start();
  std::vector<std::unique_ptr<orbit::net::HttpServer>> servers;
  static Counters counters_by_subgraph[4];
  for (const auto& subgraph : subgraphs) {
    orbit::net::HttpServerOptions server_options;
    server_options.host = "127.0.0.1";
    server_options.port = 0;
    const BenchSubgraph* sg = subgraph.get();
    Counters* counters = &counters_by_subgraph[static_cast<int>(sg->id())];
    auto handler = [sg, options, counters](orbit::net::HttpRequest&& request,
                                           orbit::net::HttpResponder responder) {
      orbit::net::HttpHeaders headers{{"Content-Type", "application/json"}};
      if (request.path() == "/stats") {
        responder.send(200, std::move(headers),
                       "{\"requests\":" + std::to_string(counters->requests.load()) +
                           ",\"with_authorization\":" +
                           std::to_string(counters->with_authorization.load()) + "}");
        return;
      }
      if (request.path() != "/graphql") {
        responder.send(404, std::move(headers), "{\"errors\":[{\"message\":\"Not found\"}]}");
        return;
      }
      if (request.method != "POST") {
        headers.add("Allow", "POST");
        responder.send(405, std::move(headers),
                       "{\"errors\":[{\"message\":\"Method not allowed\"}]}");
        return;
      }
      counters->requests.fetch_add(1, std::memory_order_relaxed);
      if (request.headers.contains("authorization"))
        counters->with_authorization.fetch_add(1, std::memory_order_relaxed);
      std::string answer =
          options.cache ? cached_answer(*sg, std::move(request.body)) : sg->answer(request.body);
      if (options.delay_ms == 0) {
        responder.send(200, std::move(headers), std::move(answer));
        return;
      }
      orbit::net::EventLoop::current()->run_after(
          std::chrono::milliseconds(options.delay_ms),
          [responder, headers = std::move(headers), answer = std::move(answer)]() mutable {
            responder.send(200, std::move(headers), std::move(answer));
          });
    };
    auto server = std::make_unique<orbit::net::HttpServer>(loops.loops(), server_options, handler);
    orbit::Status status = server->start();
    if (!status.ok()) {
      std::fprintf(stderr, "bench-subgraphs: %s\n", status.to_string().c_str());
      return 1;
    }
    std::printf("%s http://127.0.0.1:%u/graphql\n",
                std::string(orbit::bench::subgraph_name(sg->id())).c_str(), server->port());
    servers.push_back(std::move(server));
  }
  std::printf("ready\n");
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  for (auto& server : servers)
    server->stop(std::chrono::milliseconds(1000));
  servers.clear();
  loops.stop();
  return 0;
}
