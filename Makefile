# Orbit — entry points. Every target installs what it needs first (scripts/install-deps).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: deps npm-deps configure-dev build test demo format format-check fuzz bench clean

deps:
	@scripts/install-deps

# Reference implementations for differential tests (pinned in tests/npm/package-lock.json) and
# the scenario subgraphs (tests/npm-federation: @apollo/subgraph, @apollo/gateway, ...), and
# Studio's build and test tools (studio: React, Vite, Vitest, playwright-core, ...).
npm-deps: deps
	@cd tests/npm && { [ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund --loglevel=error; }
	@cd tests/npm-federation && { [ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund --loglevel=error; }
	@cd studio && { [ -d node_modules ] && npm ls --silent >/dev/null 2>&1 || npm ci --no-audit --no-fund --loglevel=error; }

configure-dev: deps
	@cmake --preset dev >/dev/null

build: configure-dev
	@cmake --build --preset dev -j $(JOBS)

# npm-deps (npm ci: network and disk, about 50 CPU s on a fresh clone) and the format check run
# while the C++ build does, then every test (docs/building.md).
test:
	@$(MAKE) --no-print-directory -j 3 npm-deps build format-check
	@cmake --preset dev >/dev/null  # again: Studio's tests need studio/node_modules at configure
	@ctest --preset dev -j $(JOBS)

# The whole platform in managed mode until Ctrl-C: orbit-controlplane (SQLite), orbit-cdn, the
# shop graph's 4 subgraphs published with the orbit CLI, and a managed orbit-router on
# 127.0.0.1:4000 (DEMO_LISTEN). `scripts/demo --check` is the same as a test (ctest demo_check).
demo:
	@scripts/demo

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

format-check: deps
	@bad=$$(git ls-files '*.h' '*.cc' | xargs clang-format --dry-run -Werror 2>&1 | grep -c 'error:' || true); \
	  if [ "$$bad" != "0" ]; then git ls-files '*.h' '*.cc' | xargs clang-format --dry-run -Werror; \
	  echo "clang-format: $$bad problems (run 'make format')"; exit 1; fi

# Runs every libFuzzer target for FUZZ_SECONDS each (see fuzz/README.md).
fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)
	@fuzz/run-all build/fuzz $(FUZZ_SECONDS)

# The federation benchmark against @graphql-hive/gateway and @apollo/gateway (installed into
# bench/federation/peers/node_modules), instructions per request, stage benchmarks and the
# graphql-js comparison; writes docs/benchmarks.md and docs/benchmarks-federation.png.
BENCH_TARGETS := orbit-router bench-subgraphs federation-request federation_bench executor_bench \
                 graphql_bench composition_bench telemetry-sink telemetry_bench
bench: npm-deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target $(BENCH_TARGETS)
	@bench/run-all build/release

clean:
	@rm -rf build
