// Router stages on the federation benchmark query (bench/federation/query.graphql) over the
// committed supergraph: parse, validate, normalize (+ plan-cache key), plan (cold), plan-cache
// hit, execution with replayed subgraph answers (request bodies with representations, parsing
// and merging the answers, writing the ~88 KB response), and one whole request through the
// RequestHandler without sockets.
#include <benchmark/benchmark.h>

#include "federation_fixture.h"
#include "orbit/base/arena.h"
#include "orbit/executor/executor.h"
#include "orbit/graphql/normalization/cache_key.h"
#include "orbit/graphql/normalization/normalize.h"
#include "orbit/graphql/normalization/select_operation.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/validation/validate.h"
#include "orbit/graphql/values/values.h"
#include "orbit/planner/planner.h"
#include "orbit/router/request_handler.h"

namespace orbit::bench {
namespace {

FederationFixture& fixture() {
  static FederationFixture* f = new FederationFixture(ORBIT_BENCH_FEDERATION_DIR);
  return *f;
}

// What the router holds for one request after normalization.
struct Prepared {
  Arena arena{64 * 1024};
  const graphql::Document* document = nullptr;
  const graphql::OperationDefinition* operation = nullptr;
  const JsonValue* variables = nullptr;
  graphql::NormalizedOperation normalized;
  graphql::OperationCacheKey key;
  std::shared_ptr<const planner::QueryPlan> plan;

  Prepared() {
    FederationFixture& f = fixture();
    const graphql::Schema& schema = f.snapshot()->api_schema();
    graphql::ErrorReport report;
    document = graphql::parse(f.query(), arena).document;
    operation = graphql::select_operation(*document, std::nullopt, report);
    variables = graphql::coerce_variable_values(schema, *operation, nullptr, arena, report);
    graphql::JsonConditionVariables conditions(*variables);
    normalized = graphql::normalize(schema, *document, *operation, conditions, arena, report);
    key = graphql::operation_cache_key(normalized);
    plan = *planner::plan_operation(f.snapshot()->supergraph(), *normalized.operation);
  }
};

Prepared& prepared() {
  static Prepared* p = new Prepared();
  return *p;
}

void BM_Parse(benchmark::State& state) {
  const std::string& query = fixture().query();
  Arena arena(64 * 1024);
  for (auto _ : state) {
    arena.reset();
    benchmark::DoNotOptimize(graphql::parse(query, arena).document);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * query.size()));
}
BENCHMARK(BM_Parse);

void BM_Validate(benchmark::State& state) {
  const graphql::Schema& schema = fixture().snapshot()->api_schema();
  const graphql::Document& document = *prepared().document;
  for (auto _ : state) {
    graphql::ErrorReport report;
    graphql::validate(schema, document, report);
    benchmark::DoNotOptimize(report.has_errors());
  }
}
BENCHMARK(BM_Validate);

// Operation selection, variable coercion, normalization (fragments inlined, fields merged)
// and the plan-cache key: the router's work between validation and the plan cache.
void BM_Normalize(benchmark::State& state) {
  const graphql::Schema& schema = fixture().snapshot()->api_schema();
  const graphql::Document& document = *prepared().document;
  Arena arena(64 * 1024);
  for (auto _ : state) {
    arena.reset();
    graphql::ErrorReport report;
    const auto* op = graphql::select_operation(document, std::nullopt, report);
    const JsonValue* vars = graphql::coerce_variable_values(schema, *op, nullptr, arena, report);
    graphql::JsonConditionVariables conditions(*vars);
    graphql::NormalizedOperation n =
        graphql::normalize(schema, document, *op, conditions, arena, report);
    benchmark::DoNotOptimize(graphql::operation_cache_key(n).hash);
  }
}
BENCHMARK(BM_Normalize);

void BM_ValidateAndNormalize(benchmark::State& state) {
  const graphql::Schema& schema = fixture().snapshot()->api_schema();
  const graphql::Document& document = *prepared().document;
  Arena arena(64 * 1024);
  for (auto _ : state) {
    arena.reset();
    graphql::ErrorReport report;
    graphql::validate(schema, document, report);
    const auto* op = graphql::select_operation(document, std::nullopt, report);
    const JsonValue* vars = graphql::coerce_variable_values(schema, *op, nullptr, arena, report);
    graphql::JsonConditionVariables conditions(*vars);
    graphql::NormalizedOperation n =
        graphql::normalize(schema, document, *op, conditions, arena, report);
    benchmark::DoNotOptimize(graphql::operation_cache_key(n).hash);
  }
}
BENCHMARK(BM_ValidateAndNormalize);

void BM_PlanCold(benchmark::State& state) {
  const federation::Supergraph& supergraph = fixture().snapshot()->supergraph();
  const graphql::OperationDefinition& op = *prepared().normalized.operation;
  size_t fetches = 0;
  for (auto _ : state) {
    auto plan = planner::plan_operation(supergraph, op);
    fetches = plan.ok() ? (*plan)->fetch_count() : 0;
    benchmark::DoNotOptimize(plan.ok());
  }
  state.counters["fetches"] = static_cast<double>(fetches);
}
BENCHMARK(BM_PlanCold);

// The plan-cache key of the normalized operation and the cache lookup that hits.
void BM_PlanCacheHit(benchmark::State& state) {
  Prepared& p = prepared();
  planner::PlanCache cache;
  cache.insert(p.key, p.plan);
  for (auto _ : state) {
    graphql::OperationCacheKey key = graphql::operation_cache_key(p.normalized);
    benchmark::DoNotOptimize(cache.find(key).get());
  }
}
BENCHMARK(BM_PlanCacheHit);

// The plan's execution with replayed subgraph answers: request bodies and representations,
// parsing and merging every answer, and writing the response.
void BM_Execute(benchmark::State& state) {
  FederationFixture& f = fixture();
  Prepared& p = prepared();
  auto fetcher = f.make_fetcher();
  Arena arena(256 * 1024);
  size_t bytes = 0, fetches = 0;
  for (auto _ : state) {
    arena.reset();
    executor::execute(*p.plan, *p.normalized.operation, f.snapshot()->api_schema(), *p.variables,
                      *fetcher, arena, [&](executor::Response r) {
                        bytes = r.body.size();
                        fetches = r.fetch_count;
                        benchmark::DoNotOptimize(r.body.data());
                      });
  }
  state.counters["response_bytes"] = static_cast<double>(bytes);
  state.counters["fetches"] = static_cast<double>(fetches);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_Execute);

// One whole request through the router's pipeline (no sockets): reading the GraphQL request,
// parse, validate, normalize, plan-cache hit, execution with replayed answers, the answer.
void BM_RouterRequest(benchmark::State& state) {
  FederationFixture& f = fixture();
  router::SnapshotHolder holder(f.snapshot());
  router::RequestHandler handler(
      router::RouterConfig(), holder,
      [&](const std::shared_ptr<const router::GraphSnapshot>&, const net::HttpHeaders&,
          router::FetchContext) { return f.make_fetcher(); });
  size_t bytes = 0;
  for (auto _ : state) {
    net::HttpRequest request;
    request.method = "POST";
    request.target = "/graphql";
    request.headers.add("Content-Type", "application/json");
    request.body = f.request_body();
    handler.handle(std::move(request), [&](router::HttpAnswer answer) {
      bytes = answer.body.size();
      benchmark::DoNotOptimize(answer.body.data());
    });
  }
  state.counters["response_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RouterRequest);

}  // namespace
}  // namespace orbit::bench

BENCHMARK_MAIN();
