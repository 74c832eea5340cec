// Executor stages on the federation benchmark query of issue 4 (users / reviews / products,
// 6 users, 9 products, 14 reviews): the whole execution with canned subgraph answers, the
// response writing alone, subgraph JSON parsing, and representation building.
//
// The subgraph answers are computed once by a small in-process resolver, then replayed in
// fetch order, so the figures are the executor's own work.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/executor/executor.h"
#include "orbit/executor/response_tree.h"
#include "orbit/graphql/normalization/normalize.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/planner/query_plan.h"
#include "representations.h"
#include "response_writer.h"

namespace orbit::executor {
namespace {

using graphql::Field;
using graphql::InlineFragment;
using graphql::Kind;
using graphql::Selection;
using graphql::SelectionSet;

constexpr std::string_view kSdl = R"(
  type Query { users: [User] topProducts(first: Int = 5): [Product] me: User }
  type User { id: ID! name: String username: String birthday: Int reviews: [Review] }
  type Product {
    upc: String! name: String price: Int weight: Int inStock: Boolean shippingEstimate: Int
    reviews: [Review]
  }
  type Review { id: ID! body: String product: Product author: User }
)";

constexpr std::string_view kQuery = R"(
  query {
    users { ...User reviews { ...Review product { ...Product reviews { ...Review author {
      ...User reviews { ...Review product { ...Product } } } } } } }
    topProducts { ...Product reviews { ...Review author { ...User reviews { ...Review
      product { ...Product } } } } }
  }
  fragment User on User { id username name }
  fragment Review on Review { id body }
  fragment Product on Product { inStock name price shippingEstimate upc weight }
)";

// ---- the fake subgraphs: one resolver over fixed data, for any selection -------------------

constexpr int kUsers = 6, kProducts = 9, kReviews = 14;
enum class T { kUser, kProduct, kReview };
// Long enough that the response has the benchmark's ~88 KB.
const std::string kText =
    "Solid build quality and it arrived two days early. I have used it every day since and it "
    "still looks new; the finish is better than the photos suggest, and the price was fair for "
    "what you get. Would buy again, and already recommended it to a friend.";
const std::string kBody = kText + " " + kText + " " + kText.substr(0, 100);
int review_product(int r) {
  return (r * 7) % kProducts;
}
int review_author(int r) {
  return (r * 5) % kUsers;
}

void resolve(T t, int idx, const SelectionSet* ss, std::string& out);

void resolve_fields(T t, int idx, const SelectionSet* ss, std::string& out, bool& first) {
  static const char* kNames[] = {"User", "Product", "Review"};
  for (const Selection* s : ss->selections) {
    if (s->kind == Kind::kInlineFragment) {
      const auto* f = static_cast<const InlineFragment*>(s);
      if (f->type_condition == nullptr ||
          f->type_condition->name.value == kNames[static_cast<int>(t)])
        resolve_fields(t, idx, f->selection_set, out, first);
      continue;
    }
    const auto* f = static_cast<const Field*>(s);
    std::string_view n = f->name.value;
    if (!first) out += ',';
    first = false;
    out += '"';
    out += f->response_key();
    out += "\":";
    auto str = [&](std::string v) { append_json_string(out, v); };
    auto list = [&](T lt, auto pred) {
      out += '[';
      bool any = false;
      for (int i = 0; i < (lt == T::kReview ? kReviews : 0); ++i) {
        if (!pred(i)) continue;
        if (any) out += ',';
        any = true;
        resolve(lt, i, f->selection_set, out);
      }
      out += ']';
    };
    if (n == "__typename") {
      str(kNames[static_cast<int>(t)]);
    } else if (t == T::kUser) {
      if (n == "id")
        str(std::to_string(idx + 1));
      else if (n == "name")
        str("User Number " + std::to_string(idx + 1));
      else if (n == "username")
        str("@user" + std::to_string(idx + 1));
      else if (n == "reviews")
        list(T::kReview, [&](int r) { return review_author(r) == idx; });
      else
        out += "null";
    } else if (t == T::kProduct) {
      if (n == "upc")
        str(std::to_string(idx + 1));
      else if (n == "name")
        str("Product " + std::to_string(idx + 1));
      else if (n == "price")
        out += std::to_string(100 * (idx + 1));
      else if (n == "weight")
        out += std::to_string(10 * (idx + 1));
      else if (n == "inStock")
        out += idx % 2 == 0 ? "true" : "false";
      else if (n == "shippingEstimate")
        out += std::to_string(idx > 4 ? 0 : 5 * (idx + 1));
      else if (n == "reviews")
        list(T::kReview, [&](int r) { return review_product(r) == idx; });
      else
        out += "null";
    } else {
      if (n == "id")
        str(std::to_string(idx + 1));
      else if (n == "body")
        str("Review " + std::to_string(idx + 1) + ": " + kBody);
      else if (n == "product")
        resolve(T::kProduct, review_product(idx), f->selection_set, out);
      else if (n == "author")
        resolve(T::kUser, review_author(idx), f->selection_set, out);
      else
        out += "null";
    }
  }
}

void resolve(T t, int idx, const SelectionSet* ss, std::string& out) {
  out += '{';
  bool first = true;
  resolve_fields(t, idx, ss, out, first);
  out += '}';
}

// Answers one subgraph request body (any subgraph: the resolver knows every field).
std::string answer(const std::string& body) {
  Arena arena;
  JsonValue request = parse_json(body, arena).value();
  std::string_view query = request.find("query")->as_string();
  graphql::ParseResult pr = graphql::parse(query, arena);
  const auto* op = pr.document->definitions[0]->as<graphql::OperationDefinition>();
  std::string out = "{\"data\":{";
  bool first = true;
  for (const Selection* s : op->selection_set->selections) {
    const auto* f = static_cast<const Field*>(s);
    if (!first) out += ',';
    first = false;
    out += '"';
    out += f->response_key();
    out += "\":[";
    std::string_view n = f->name.value;
    if (n == "users") {
      for (int i = 0; i < kUsers; ++i) {
        if (i) out += ',';
        resolve(T::kUser, i, f->selection_set, out);
      }
    } else if (n == "topProducts") {
      for (int i = 0; i < 5; ++i) {
        if (i) out += ',';
        resolve(T::kProduct, i, f->selection_set, out);
      }
    } else if (n == "_entities") {
      const JsonValue* reps = request.find("variables")->find("representations");
      bool any = false;
      for (const JsonValue& rep : reps->items()) {
        if (any) out += ',';
        any = true;
        std::string_view tn = rep.find("__typename")->as_string();
        if (tn == "User") {
          resolve(T::kUser, std::stoi(std::string(rep.find("id")->as_string())) - 1,
                  f->selection_set, out);
        } else {
          resolve(T::kProduct, std::stoi(std::string(rep.find("upc")->as_string())) - 1,
                  f->selection_set, out);
        }
      }
    }
    out += ']';
  }
  out += "}}";
  return out;
}

// ---- the plan (as a federation planner builds it for this query) ----------------------------

struct Bench {
  std::unique_ptr<graphql::Schema> schema;
  planner::QueryPlan plan;
  Arena op_arena;
  std::string query_text{kQuery};
  const graphql::OperationDefinition* operation = nullptr;
  std::vector<std::string> answers;  // in fetch order
  std::string response;

  std::string_view copy(std::string_view s) { return plan.arena().copy_string(s); }
  const SelectionSet* sel(std::string_view text) {
    graphql::ParseResult r = graphql::parse(copy(text), plan.arena());
    return r.document->definitions[0]->as<graphql::OperationDefinition>()->selection_set;
  }
  uint32_t fetch_id = 0;
  planner::PlanNode* root_fetch(uint32_t sg, std::string_view name, std::string_view op) {
    auto* f = plan.arena().make<planner::FetchNode>();
    f->id = fetch_id++;
    f->subgraph = sg;
    f->subgraph_name = copy(name);
    f->operation = copy(op);
    f->selection_set = sel(op);
    return f;
  }
  planner::PlanNode* entity(std::vector<std::string_view> path, uint32_t sg, std::string_view name,
                            std::string_view requires_text, std::string_view selection) {
    std::string op =
        "query($representations:[_Any!]!){_entities(representations:$representations)" +
        std::string(selection) + "}";
    auto* f = static_cast<planner::FetchNode*>(root_fetch(sg, name, op));
    f->requires_selection = sel(requires_text);
    f->selection_set = sel(selection);
    std::vector<planner::PathSegment> segs;
    for (std::string_view p : path) {
      planner::PathSegment s;
      if (p == "@")
        s.kind = planner::PathSegment::Kind::kList;
      else
        s.name = copy(p);
      segs.push_back(s);
    }
    auto* fl = plan.arena().make<planner::FlattenNode>();
    fl->path = plan.arena().copy_span(std::span<const planner::PathSegment>(segs));
    fl->node = f;
    return fl;
  }
  template <typename N>
  planner::PlanNode* group(std::vector<planner::PlanNode*> nodes) {
    auto* n = plan.arena().make<N>();
    n->nodes = plan.arena().copy_span(std::span<planner::PlanNode* const>(nodes));
    return n;
  }

  Bench() {
    graphql::ErrorReport errors;
    schema = graphql::Schema::build(kSdl, errors);
    graphql::ParseResult pr = graphql::parse(query_text, op_arena);
    auto* op = pr.document->definitions[0]->as<graphql::OperationDefinition>();
    operation = graphql::normalize(*schema, *pr.document, *op, graphql::NoConditionVariables(),
                                   op_arena, errors)
                    .operation;
    constexpr uint32_t kAcc = 0, kProd = 1, kInv = 2, kRev = 3;
    const char* kUserKey = "{... on User{__typename id}}";
    const char* kProductKey = "{... on Product{__typename upc}}";
    const char* kShipping = "{... on Product{__typename upc price weight}}";
    const char* kProductFields = "{... on Product{name price weight}}";
    const char* kInventory = "{... on Product{inStock shippingEstimate}}";
    std::vector<std::string_view> p1 = {"users", "@", "reviews", "@", "product"};
    std::vector<std::string_view> p2 = {"users",   "@",       "reviews", "@",
                                        "product", "reviews", "@",       "author"};
    std::vector<std::string_view> p3 = {"users", "@",      "reviews", "@", "product", "reviews",
                                        "@",     "author", "reviews", "@", "product"};
    std::vector<std::string_view> p4 = {"topProducts", "@", "reviews", "@", "author"};
    std::vector<std::string_view> p5 = {"topProducts", "@",       "reviews", "@",
                                        "author",      "reviews", "@",       "product"};
    planner::PlanNode* root = group<planner::SequenceNode>({
        group<planner::ParallelNode>({
            root_fetch(kAcc, "accounts", "{users{__typename id username name}}"),
            root_fetch(kProd, "products", "{topProducts{__typename upc name price weight}}"),
        }),
        group<planner::ParallelNode>({
            entity({"users", "@"}, kRev, "reviews", kUserKey,
                   "{... on User{reviews{id body product{__typename upc reviews{id body "
                   "author{__typename id username reviews{id body product{__typename upc}}}}}}}}"),
            entity({"topProducts", "@"}, kRev, "reviews", kProductKey,
                   "{... on Product{reviews{id body author{__typename id username "
                   "reviews{id body product{__typename upc}}}}}}"),
            entity({"topProducts", "@"}, kInv, "inventory", kShipping, kInventory),
        }),
        group<planner::ParallelNode>({
            entity(p1, kProd, "products", kProductKey, kProductFields),
            entity(p2, kAcc, "accounts", kUserKey, "{... on User{name}}"),
            entity(p3, kProd, "products", kProductKey, kProductFields),
            entity(p4, kAcc, "accounts", kUserKey, "{... on User{name}}"),
            entity(p5, kProd, "products", kProductKey, kProductFields),
        }),
        group<planner::ParallelNode>({
            entity(p1, kInv, "inventory", kShipping, kInventory),
            entity(p3, kInv, "inventory", kShipping, kInventory),
            entity(p5, kInv, "inventory", kShipping, kInventory),
        }),
    });
    plan.set_root(root, fetch_id);
    // Record the answers once (the plan runs its fetches in a fixed order).
    struct Recorder final : SubgraphFetcher {
      std::vector<std::string>* answers;
      void fetch(SubgraphRequest request, Callback done) override {
        answers->push_back(answer(request.body));
        done(SubgraphResponse{200, answers->back()});
      }
    } recorder;
    recorder.answers = &answers;
    Arena arena;
    execute(plan, *operation, *schema, JsonValue(), recorder, arena,
            [&](Response r) { response = std::move(r.body); });
    if (response.find("\"errors\"") != std::string::npos) {
      std::fprintf(stderr, "benchmark response has errors: %s\n", response.substr(0, 600).c_str());
    }
  }
};

Bench& bench() {
  static Bench* b = new Bench();
  return *b;
}

struct Replay final : SubgraphFetcher {
  const std::vector<std::string>* answers;
  size_t next = 0;
  void fetch(SubgraphRequest, Callback done) override {
    done(SubgraphResponse{200, (*answers)[next++ % answers->size()]});
  }
};

// Whole execution: request bodies with representations, parsing every answer, merging,
// and writing the ~88 KB response.
void BM_ExecuteFederatedQuery(benchmark::State& state) {
  Bench& b = bench();
  Replay replay;
  replay.answers = &b.answers;
  Arena arena(256 * 1024);
  size_t bytes = 0;
  for (auto _ : state) {
    replay.next = 0;
    arena.reset();
    execute(b.plan, *b.operation, *b.schema, JsonValue(), replay, arena, [&](Response r) {
      bytes = r.body.size();
      benchmark::DoNotOptimize(r.body.data());
    });
  }
  state.counters["response_bytes"] = static_cast<double>(bytes);
  state.counters["fetches"] = static_cast<double>(b.answers.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ExecuteFederatedQuery);

// Response writing alone: projection of the client operation over a merged tree, null
// propagation checks and JSON output.
void BM_WriteResponse(benchmark::State& state) {
  Bench& b = bench();
  Arena arena;
  RValue tree = parse_tree(b.response, arena).value();
  RObject* data = tree.object->find("data")->object;
  std::string out;
  for (auto _ : state) {
    out.clear();
    std::vector<graphql::GraphqlError> errors;
    write_data(out, data, *b.operation, *b.schema, JsonValue(), arena, errors);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["response_bytes"] = static_cast<double>(out.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_WriteResponse);

// JSON string output (append_json_string) of plain text without anything to escape: the
// response's strings are mostly such (72 KB of its 88 KB are strings, most of them review
// bodies of about 430 bytes). Argument: the string's length.
void BM_AppendJsonString(benchmark::State& state) {
  std::string text;
  while (text.size() < static_cast<size_t>(state.range(0)))
    text += "Fast shipping, works as described and the price is right. ";
  text.resize(static_cast<size_t>(state.range(0)));
  std::string out;
  for (auto _ : state) {
    out.clear();
    for (int i = 0; i < 64; ++i)
      append_json_string(out, text);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * 64 * text.size()));
}
BENCHMARK(BM_AppendJsonString)->Arg(8)->Arg(430);

// Parsing every subgraph answer of one execution into the response tree.
void BM_ParseSubgraphAnswers(benchmark::State& state) {
  Bench& b = bench();
  Arena arena(256 * 1024);
  size_t bytes = 0;
  for (const std::string& a : b.answers)
    bytes += a.size();
  for (auto _ : state) {
    arena.reset();
    for (const std::string& a : b.answers)
      benchmark::DoNotOptimize(parse_tree(a, arena).ok());
  }
  state.counters["answer_bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ParseSubgraphAnswers);

// Representations for the deepest entity fetch (users.@.reviews.@.product.reviews.@.author
// .reviews.@.product with price and weight for @requires), deduplicated.
void BM_BuildRepresentations(benchmark::State& state) {
  Bench& b = bench();
  Arena arena;
  std::string data = answer(
      R"({"query":"{users{reviews{product{reviews{author{reviews{product{__typename upc price weight}}}}}}}}"})");
  RValue tree = parse_tree(data, arena).value();
  RObject* root = tree.object->find("data")->object;
  Arena plan_arena;
  graphql::ParseResult pr =
      graphql::parse("{... on Product{__typename upc price weight}}", plan_arena);
  const SelectionSet* required =
      pr.document->definitions[0]->as<graphql::OperationDefinition>()->selection_set;
  std::vector<planner::PathSegment> path;
  for (std::string_view p : {"users", "@", "reviews", "@", "product", "reviews", "@", "author",
                             "reviews", "@", "product"}) {
    planner::PathSegment s;
    if (p == "@")
      s.kind = planner::PathSegment::Kind::kList;
    else
      s.name = p;
    path.push_back(s);
  }
  EntityCollector collector(*b.schema);
  std::string body;
  size_t positions = 0, reps = 0;
  for (auto _ : state) {
    body.clear();
    Positions out;
    collector.collect(root, path, required, {}, body, out);
    positions = out.objects.size();
    reps = out.rep_count;
    benchmark::DoNotOptimize(body.data());
  }
  state.counters["positions"] = static_cast<double>(positions);
  state.counters["representations"] = static_cast<double>(reps);
}
BENCHMARK(BM_BuildRepresentations);

}  // namespace
}  // namespace orbit::executor

BENCHMARK_MAIN();
