// federation-request N: runs the benchmark query N times through the router's pipeline in one
// process (RequestHandler with the replaying in-process subgraphs of federation_fixture.h, no
// sockets) and checks every answer against expected-response.json. Exit status 1 on a wrong
// answer.
//
// For callgrind: the instructions of one request are the difference between a run with N = 11
// and one with N = 1, divided by 10 (start-up, the cold plan and recording the subgraph
// answers cancel out), as bench/run-all computes them.
#include <charconv>
#include <cstdio>
#include <string>

#include "federation_fixture.h"
#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/router/request_handler.h"

int main(int argc, char** argv) {
  int n = 1;
  if (argc > 1) {
    std::string_view s(argv[1]);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size() || n < 1) {
      std::fprintf(stderr, "usage: federation-request [N >= 1]\n");
      return 1;
    }
  }
  using namespace orbit;
  bench::FederationFixture f(ORBIT_BENCH_FEDERATION_DIR);
  Arena expected_arena;
  std::string expected_text =
      bench::read_file_or_die(ORBIT_BENCH_FEDERATION_DIR "/expected-response.json");
  JsonValue expected = parse_json(expected_text, expected_arena).value();

  router::SnapshotHolder holder(f.snapshot());
  router::RequestHandler handler(
      router::RouterConfig(), holder,
      [&](const std::shared_ptr<const router::GraphSnapshot>&, const net::HttpHeaders&,
          router::FetchContext) { return f.make_fetcher(); });
  std::string first;
  int wrong = 0;
  for (int i = 0; i < n; ++i) {
    net::HttpRequest request;
    request.method = "POST";
    request.target = "/graphql";
    request.headers.add("Content-Type", "application/json");
    request.body = f.request_body();
    handler.handle(std::move(request), [&](router::HttpAnswer answer) {
      if (i == 0) first = answer.body;
      if (answer.status != 200 || answer.body.size() != first.size()) ++wrong;
    });
  }
  Arena arena;
  auto got = parse_json(first, arena);
  if (!got.ok() || !json_equal(*got, expected)) {
    std::fprintf(stderr, "federation-request: the answer differs from expected-response.json\n");
    return 1;
  }
  if (wrong > 0) {
    std::fprintf(stderr, "federation-request: %d wrong answers\n", wrong);
    return 1;
  }
  std::printf("%d requests, %zu bytes each, %zu distinct subgraph requests\n", n, first.size(),
              f.recorded());
  return 0;
}
