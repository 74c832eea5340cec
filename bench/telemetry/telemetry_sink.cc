// telemetry-sink: what the router's telemetry is sent to in the isolation benchmark
// (bench/telemetry/run.js) — an OTLP/HTTP collector and the control plane's usage intake in
// one, in one of three behaviours:
//
//   telemetry-sink --mode ok|black-hole|slow [--delay-ms N]
//
//   ok          answers every POST at once (200 "{}")
//   black-hole  accepts connections and requests and never answers
//   slow        answers every POST after --delay-ms (default 2000)
//
// Prints "url http://127.0.0.1:PORT" then "ready" on stdout; serves until SIGTERM or SIGINT.
// GET /stats answers {"requests":N,"bytes":M} (POSTs received, body bytes).
#include <signal.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "orbit/net/event_loop.h"
#include "orbit/net/http_server.h"

namespace {

enum class Mode { kOk, kBlackHole, kSlow };

int usage(const char* message) {
  std::fprintf(stderr,
               "telemetry-sink: %s\nusage: telemetry-sink --mode ok|black-hole|slow "
               "[--delay-ms N]\n",
               message);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Mode mode = Mode::kOk;
  int delay_ms = 2000;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--mode" && has_value) {
      std::string_view m = argv[++i];
      if (m == "ok") {
        mode = Mode::kOk;
      } else if (m == "black-hole") {
        mode = Mode::kBlackHole;
      } else if (m == "slow") {
        mode = Mode::kSlow;
      } else {
        return usage("--mode wants ok, black-hole or slow");
      }
    } else if (arg == "--delay-ms" && has_value) {
      std::string_view v = argv[++i];
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), delay_ms);
      if (ec != std::errc() || end != v.data() + v.size() || delay_ms < 0 || delay_ms > 600'000)
        return usage("--delay-ms wants 0..600000");
    } else {
      return usage(("unknown or incomplete argument: " + std::string(arg)).c_str());
    }
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  static std::atomic<uint64_t> requests{0};
  static std::atomic<uint64_t> bytes{0};
  static std::mutex held_mu;
  static std::vector<orbit::net::HttpResponder> held;  // black hole: never answered

  orbit::net::LoopGroup loops(1);
  loops.start();
  orbit::net::HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = 0;
  options.max_body_bytes = 64 * 1024 * 1024;
  orbit::net::HttpServer server(
      loops.loops(), options,
      [mode, delay_ms](orbit::net::HttpRequest&& request, orbit::net::HttpResponder responder) {
        orbit::net::HttpHeaders headers{{"Content-Type", "application/json"}};
        if (request.method == "GET" && request.path() == "/stats") {
          responder.send(200, std::move(headers),
                         "{\"requests\":" + std::to_string(requests.load()) +
                             ",\"bytes\":" + std::to_string(bytes.load()) + "}");
          return;
        }
        requests.fetch_add(1, std::memory_order_relaxed);
        bytes.fetch_add(request.body.size(), std::memory_order_relaxed);
        switch (mode) {
          case Mode::kOk: responder.send(200, std::move(headers), "{}"); return;
          case Mode::kBlackHole: {
            std::lock_guard<std::mutex> lock(held_mu);
            held.push_back(std::move(responder));
            return;
          }
          case Mode::kSlow:
            orbit::net::EventLoop::current()->run_after(
                std::chrono::milliseconds(delay_ms),
                [responder, headers = std::move(headers)]() mutable {
                  responder.send(200, std::move(headers), "{}");
                });
            return;
        }
      });
  orbit::Status status = server.start();
  if (!status.ok()) {
    std::fprintf(stderr, "telemetry-sink: %s\n", status.to_string().c_str());
    return 1;
  }
  std::printf("url http://127.0.0.1:%u\nready\n", server.port());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  {
    std::lock_guard<std::mutex> lock(held_mu);
    held.clear();
  }
  server.stop(std::chrono::milliseconds(200));
  loops.stop();
  return 0;
}
