// Test helpers: hand-built QueryPlans, parsed operations and an in-process fake fetcher.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/executor/executor.h"
#include "orbit/graphql/normalization/normalize.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/planner/query_plan.h"

namespace orbit::executor::testing {

// Answers fetches from a handler, synchronously or (deferred) when answer_all() is called.
class FakeFetcher final : public SubgraphFetcher {
 public:
  using Handler =
      std::function<Result<SubgraphResponse>(uint32_t subgraph, const std::string& body)>;
  struct Request {
    uint32_t subgraph;
    std::string body;
  };

  explicit FakeFetcher(Handler handler, bool deferred = false)
      : handler_(std::move(handler)), deferred_(deferred) {}

  void fetch(SubgraphRequest request, Callback done) override {
    requests.push_back(Request{request.subgraph, request.body});
    if (deferred_) {
      pending_.push_back(Pending{request.subgraph, std::move(request.body), std::move(done)});
      return;
    }
    done(handler_(request.subgraph, request.body));
  }

  // Deferred mode behaves like an event loop: deferred tasks run after every answer already
  // due (all pending ones, as if they had arrived together).
  void defer(std::function<void()> task) override {
    if (!deferred_) {
      task();
      return;
    }
    tasks_.push_back(std::move(task));
  }

  // Runs the deferred tasks only (the executor sends what it queued).
  void run_tasks() {
    std::deque<std::function<void()>> tasks = std::move(tasks_);
    tasks_.clear();
    for (auto& t : tasks)
      t();
  }
  size_t pending() const { return pending_.size(); }
  // Answers the oldest pending fetch only (deferred tasks stay queued).
  void answer_one() {
    Pending p = std::move(pending_.front());
    pending_.pop_front();
    p.done(handler_(p.subgraph, p.body));
  }
  // Answers every pending fetch in issue order, then runs the deferred tasks; again until
  // nothing is left. Each round is one "turn" of answers arriving together.
  void answer_all() {
    while (!pending_.empty() || !tasks_.empty()) {
      std::deque<Pending> round = std::move(pending_);
      pending_.clear();
      for (Pending& p : round)
        p.done(handler_(p.subgraph, p.body));
      std::deque<std::function<void()>> tasks = std::move(tasks_);
      tasks_.clear();
      for (auto& t : tasks)
        t();
    }
  }

  std::vector<Request> requests;

 private:
  struct Pending {
    uint32_t subgraph;
    std::string body;
    Callback done;
  };
  Handler handler_;
  bool deferred_;
  std::deque<Pending> pending_;
  std::deque<std::function<void()>> tasks_;
};

inline Result<SubgraphResponse> ok_json(std::string body) {
  return SubgraphResponse{200, std::move(body)};
}

// Builds plan nodes in the plan's arena; texts are copied there.
class PlanBuilder {
 public:
  planner::QueryPlan plan;

  std::string_view copy(std::string_view s) { return plan.arena().copy_string(s); }

  const graphql::SelectionSet* selection_set(std::string_view text) {
    std::string_view src = copy(text);
    graphql::ParseResult r = graphql::parse(src, plan.arena());
    EXPECT_TRUE(r.ok()) << r.error.message << " in " << text;
    if (!r.ok()) return nullptr;
    return r.document->definitions[0]->as<graphql::OperationDefinition>()->selection_set;
  }

  // A root fetch: `operation` is sent as is.
  planner::FetchNode* fetch(uint32_t subgraph, std::string_view name, std::string_view operation,
                            std::vector<std::string_view> variables = {}) {
    auto* f = plan.arena().make<planner::FetchNode>();
    f->id = next_id_++;
    f->subgraph = subgraph;
    f->subgraph_name = copy(name);
    f->operation = copy(operation);
    f->selection_set = selection_set(operation);
    std::vector<std::string_view> vars;
    for (std::string_view v : variables)
      vars.push_back(copy(v));
    f->variable_usages = plan.arena().copy_span(std::span<const std::string_view>(vars));
    return f;
  }

  // An entity fetch: `requires` like "{ ... on User { __typename id } }", `selection` what
  // each entity answers, like "{ ... on User { name } }".
  planner::FetchNode* entity_fetch(uint32_t subgraph, std::string_view name,
                                   std::string_view requires_text, std::string_view selection,
                                   std::vector<std::string_view> variables = {}) {
    std::string op =
        "query($representations:[_Any!]!){_entities(representations:$representations)" +
        std::string(selection) + "}";
    planner::FetchNode* f = fetch(subgraph, name, op, std::move(variables));
    f->requires_selection = selection_set(requires_text);
    f->selection_set = selection_set(selection);
    return f;
  }

  // Lets the executor send `f` in one request with other entity fetches to its subgraph, as
  // it does for the planner's fetches (which all carry their `_entities` selection).
  planner::FetchNode* mergeable(planner::FetchNode* f, std::string_view selection,
                                std::vector<std::string_view> definitions = {}) {
    f->entities_selection = copy(selection);
    std::vector<std::string_view> defs;
    for (std::string_view d : definitions)
      defs.push_back(copy(d));
    f->variable_definitions = plan.arena().copy_span(std::span<const std::string_view>(defs));
    return f;
  }

  // Adds a planner alias to undo (planner::OutputRewrite) to `f`, after those it has.
  void rename(planner::FetchNode* f, std::initializer_list<std::string_view> path,
              std::string_view alias, std::string_view key) {
    std::vector<std::string_view> keys;
    for (std::string_view k : path)
      keys.push_back(copy(k));
    std::vector<planner::OutputRewrite> all(f->output_rewrites.begin(), f->output_rewrites.end());
    all.push_back(planner::OutputRewrite{
        plan.arena().copy_span(std::span<const std::string_view>(keys)), copy(alias), copy(key)});
    f->output_rewrites = plan.arena().copy_span(std::span<const planner::OutputRewrite>(all));
  }

  planner::PlanNode* seq(std::initializer_list<planner::PlanNode*> nodes) {
    auto* s = plan.arena().make<planner::SequenceNode>();
    s->nodes = list(nodes);
    return s;
  }
  planner::PlanNode* par(std::initializer_list<planner::PlanNode*> nodes) {
    auto* p = plan.arena().make<planner::ParallelNode>();
    p->nodes = list(nodes);
    return p;
  }
  // Path segments: a response key, "@" for list items, "... on T" for a type condition.
  planner::PlanNode* flatten(std::initializer_list<std::string_view> path,
                             planner::PlanNode* node) {
    std::vector<planner::PathSegment> segs;
    for (std::string_view p : path) {
      planner::PathSegment s;
      if (p == "@") {
        s.kind = planner::PathSegment::Kind::kList;
      } else if (p.starts_with("... on ")) {
        s.kind = planner::PathSegment::Kind::kTypeCondition;
        s.name = copy(p.substr(7));
      } else {
        s.name = copy(p);
      }
      segs.push_back(s);
    }
    auto* f = plan.arena().make<planner::FlattenNode>();
    f->path = plan.arena().copy_span(std::span<const planner::PathSegment>(segs));
    f->node = node;
    return f;
  }
  planner::PlanNode* condition(std::string_view variable, planner::PlanNode* if_clause,
                               planner::PlanNode* else_clause) {
    auto* c = plan.arena().make<planner::ConditionNode>();
    c->variable = copy(variable);
    c->if_clause = if_clause;
    c->else_clause = else_clause;
    return c;
  }
  void root(planner::PlanNode* node) { plan.set_root(node, next_id_); }

 private:
  std::span<planner::PlanNode* const> list(std::initializer_list<planner::PlanNode*> nodes) {
    std::vector<planner::PlanNode*> v(nodes);
    return plan.arena().copy_span(std::span<planner::PlanNode* const>(v));
  }
  uint32_t next_id_ = 0;
};

// Parses and normalizes (fragments inlined) a client operation.
class Operation {
 public:
  // Normalized as the router does: @skip/@include on variables stay for the executor.
  Operation(const graphql::Schema& schema, std::string text, const JsonValue& variables = {})
      : text_(std::move(text)) {
    graphql::ParseResult r = graphql::parse(text_, arena_);
    EXPECT_TRUE(r.ok()) << r.error.message;
    if (!r.ok()) return;
    auto* op = r.document->definitions[0]->as<graphql::OperationDefinition>();
    graphql::ErrorReport report;
    graphql::NormalizeOptions options;
    options.keep_variable_conditions = true;
    graphql::NormalizedOperation n =
        graphql::normalize(schema, *r.document, *op, graphql::JsonConditionVariables(variables),
                           arena_, report, options);
    EXPECT_TRUE(n.ok()) << (report.errors().empty() ? "" : report.errors()[0].message);
    operation_ = n.operation;
  }
  const graphql::OperationDefinition& get() const { return *operation_; }

 private:
  std::string text_;
  Arena arena_;
  graphql::OperationDefinition* operation_ = nullptr;
};

inline std::unique_ptr<graphql::Schema> build_schema(std::string_view sdl) {
  graphql::ErrorReport errors;
  auto schema = graphql::Schema::build(sdl, errors);
  EXPECT_TRUE(schema != nullptr) << (errors.errors().empty() ? "" : errors.errors()[0].message);
  return schema;
}

// Runs a plan to completion with `fetcher` (answering deferred fetches) and returns the
// response.
inline Response run(const planner::QueryPlan& plan, const graphql::Schema& schema,
                    const std::string& operation, FakeFetcher& fetcher,
                    std::string_view variables_json = "{}", const ExecuteOptions& options = {}) {
  Arena arena;
  Result<JsonValue> vars = parse_json(variables_json, arena);
  EXPECT_TRUE(vars.ok());
  Operation op(schema, operation, vars.value());
  std::optional<Response> out;
  execute(
      plan, op.get(), schema, vars.value(), fetcher, arena, [&](Response r) { out = std::move(r); },
      options);
  fetcher.answer_all();
  EXPECT_TRUE(out.has_value()) << "done was not called";
  return out ? std::move(*out) : Response{};
}

}  // namespace orbit::executor::testing
