#!/usr/bin/env bash
# Composition benchmark: generates the 60- and 200-subgraph graphs, runs composition_bench
# (Orbit) and js_bench.js (@theguild/federation-composition, @apollo/composition) on the same
# inputs, and leaves composition_orbit.json / composition_js.json in the results directory for
# bench/report.js.
#   bench/composition/run.sh [build-dir] [results-dir]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
out=${2:-$root/build/bench-results}
gen="$out/composition"
mkdir -p "$gen"
node "$root/bench/composition/gen.js" "$gen/gen60" 60
node "$root/bench/composition/gen.js" "$gen/gen200" 200
ORBIT_COMPOSITION_BENCH_DIR="$gen" "$build/bench/composition/composition_bench" \
  --benchmark_min_time=2 --benchmark_out="$out/composition_orbit.json" \
  --benchmark_out_format=json >/dev/null
node "$root/bench/composition/js_bench.js" "$root/lib/federation/test/data/subgraphs/shop" \
  "$gen/gen60" "$gen/gen200" "${COMPOSITION_JS_SECONDS:-3}" > "$out/composition_js.json"
echo "composition: results in $out/composition_{orbit,js}.json"
