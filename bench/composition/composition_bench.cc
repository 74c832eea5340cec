// Composition benchmarks: the shop graph (4 subgraphs, lib/federation/test/data) and the
// generated graphs of bench/composition/gen.js (60 and 200 subgraphs), written by
// bench/composition/run.sh into $ORBIT_COMPOSITION_BENCH_DIR/gen<N>/.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "orbit/federation/compose.h"

namespace fs = std::filesystem;
using namespace orbit::federation;

namespace {

std::vector<SubgraphSource> load(const fs::path& dir) {
  std::vector<fs::path> files;
  if (fs::exists(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".graphql") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<SubgraphSource> out;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string name = f.stem().string();
    out.push_back({name, "http://" + name + ":4000/graphql", ss.str()});
  }
  return out;
}

void run(benchmark::State& state, const std::vector<SubgraphSource>& sources) {
  if (sources.empty()) {
    state.SkipWithError("no input: run bench/composition/run.sh (it generates the graphs)");
    return;
  }
  ComposeOptions options;
  options.max_subgraphs = 256;
  size_t bytes = 0;
  for (const auto& s : sources)
    bytes += s.sdl.size();
  for (auto _ : state) {
    CompositionResult r = compose(sources, options);
    if (!r.ok()) {
      state.SkipWithError(("composition failed: " + r.errors[0].message).c_str());
      return;
    }
    benchmark::DoNotOptimize(r.supergraph_sdl.data());
  }
  state.counters["subgraphs"] = static_cast<double>(sources.size());
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
}

fs::path generated_dir() {
  const char* d = std::getenv("ORBIT_COMPOSITION_BENCH_DIR");
  return d != nullptr ? fs::path(d) : fs::path("build/bench-results/composition");
}

void BM_ComposeShop(benchmark::State& state) {
  static const auto sources = load(fs::path(ORBIT_SHOP_DIR));
  run(state, sources);
}
void BM_ComposeGenerated60(benchmark::State& state) {
  static const auto sources = load(generated_dir() / "gen60");
  run(state, sources);
}
void BM_ComposeGenerated200(benchmark::State& state) {
  static const auto sources = load(generated_dir() / "gen200");
  run(state, sources);
}

BENCHMARK(BM_ComposeShop)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ComposeGenerated60)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ComposeGenerated200)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
