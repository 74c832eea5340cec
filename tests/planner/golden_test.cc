// Golden plan tests: for every tests/planner/<feature>/operations/<name>.graphql, the plan of
// the operation over the feature's supergraph printed beside it as <name>.plan: the
// QueryPlan text, then every fetch's exact subgraph operation and the variables it sends.
// Adding a case needs no recompiling. ORBIT_UPDATE_GOLDENS=1 rewrites the .plan files;
// review the diff. An operation file may start with `# variables: a=true b=false` (the
// values @skip/@include read). The supergraph is <feature>/supergraph.graphql, or, when the
// folder has a file `scenario` naming a folder of tests/scenarios, that scenario's supergraph
// (so the planner and the end-to-end scenarios share one fixture).
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "orbit/federation/supergraph.h"
#include "orbit/graphql/normalization/normalize.h"
#include "orbit/graphql/normalization/select_operation.h"
#include "orbit/graphql/parser.h"
#include "orbit/planner/planner.h"

namespace orbit::planner {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void collect_fetches(const PlanNode* node, std::vector<const FetchNode*>& out) {
  if (node == nullptr) return;
  switch (node->kind) {
    case PlanNodeKind::kFetch: out.push_back(static_cast<const FetchNode*>(node)); break;
    case PlanNodeKind::kSequence:
      for (const PlanNode* n : static_cast<const SequenceNode*>(node)->nodes)
        collect_fetches(n, out);
      break;
    case PlanNodeKind::kParallel:
      for (const PlanNode* n : static_cast<const ParallelNode*>(node)->nodes)
        collect_fetches(n, out);
      break;
    case PlanNodeKind::kFlatten:
      collect_fetches(static_cast<const FlattenNode*>(node)->node, out);
      break;
    case PlanNodeKind::kCondition:
      collect_fetches(static_cast<const ConditionNode*>(node)->if_clause, out);
      collect_fetches(static_cast<const ConditionNode*>(node)->else_clause, out);
      break;
  }
}

// The text a .plan file holds for one operation.
std::string plan_text(const federation::Supergraph& sg, const std::string& source) {
  Arena arena;
  graphql::ParseResult parsed = graphql::parse(source, arena);
  if (!parsed.ok()) return "parse error: " + parsed.error.message + "\n";
  graphql::ErrorReport report;
  const graphql::OperationDefinition* op =
      graphql::select_operation(*parsed.document, std::nullopt, report);
  if (op == nullptr) return "error: " + report.errors()[0].message + "\n";
  // A first line `# variables: a=true b=false` gives the @skip/@include variables.
  graphql::ConditionVariableMap vars;
  std::string_view head(source);
  if (head.starts_with("# variables:")) {
    std::istringstream line(std::string(head.substr(12, head.find('\n') - 12)));
    std::string item;
    while (line >> item) {
      size_t eq = item.find('=');
      if (eq != std::string::npos) vars.set(item.substr(0, eq), item.substr(eq + 1) == "true");
    }
  }
  // As the router does: conditions on variables stay for the planner (Include/Skip nodes).
  graphql::NormalizeOptions options;
  options.keep_variable_conditions = true;
  graphql::NormalizedOperation norm =
      graphql::normalize(sg.api_schema(), *parsed.document, *op, vars, arena, report, options);
  if (!norm.ok()) return "normalize error: " + report.errors()[0].message + "\n";
  auto plan = plan_operation(sg, *norm.operation);
  if (!plan.ok()) return "error: " + plan.status().to_string() + "\n";
  const QueryPlan& p = **plan;
  std::string out = p.to_string();
  std::vector<const FetchNode*> fetches;
  collect_fetches(p.root(), fetches);
  EXPECT_EQ(fetches.size(), p.fetch_count());
  for (const FetchNode* f : fetches) {
    out += "\n# " + std::to_string(f->id) + " " + std::string(f->subgraph_name);
    if (!f->variable_usages.empty()) {
      out += " variables:";
      for (std::string_view v : f->variable_usages)
        out += " $" + std::string(v);
    }
    for (const TypenameRewrite& r : f->representation_typenames)
      out += " rewrite:" + std::string(r.from) + "->" + std::string(r.to);
    out += "\n" + std::string(f->operation) + "\n";
  }
  return out;
}

struct Case {
  fs::path supergraph;
  fs::path operation;
};

// A folder's own supergraph.graphql, else the one of the scenario its `scenario` file names.
// A folder with neither yields a path that does not exist, so its cases fail to load.
fs::path supergraph_of(const fs::path& dir) {
  if (fs::exists(dir / "supergraph.graphql")) return dir / "supergraph.graphql";
  std::string name = read_file(dir / "scenario");
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())))
    name.pop_back();
  return dir / ".." / ".." / "scenarios" / name / "supergraph.graphql";
}

std::vector<Case> all_cases() {
  std::vector<Case> out;
  fs::path root(ORBIT_PLANNER_GOLDEN_DIR);
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory() || !fs::exists(dir.path() / "operations")) continue;
    fs::path supergraph = supergraph_of(dir.path());
    for (const auto& f : fs::directory_iterator(dir.path() / "operations")) {
      if (f.path().extension() == ".graphql") out.push_back(Case{supergraph, f.path()});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Case& a, const Case& b) { return a.operation < b.operation; });
  return out;
}

class GoldenPlanTest : public testing::TestWithParam<Case> {};

TEST_P(GoldenPlanTest, MatchesExpectedPlan) {
  const Case& c = GetParam();
  graphql::ErrorReport errors;
  auto sg = federation::Supergraph::load(read_file(c.supergraph), errors);
  ASSERT_NE(sg, nullptr) << c.supergraph;
  std::string actual = plan_text(*sg, read_file(c.operation));
  fs::path expected_path = c.operation;
  expected_path.replace_extension(".plan");
  const char* update = std::getenv("ORBIT_UPDATE_GOLDENS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(expected_path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << expected_path << " is missing; run with ORBIT_UPDATE_GOLDENS=1 and review it.\n"
      << actual;
  EXPECT_EQ(read_file(expected_path), actual) << c.operation;
}

std::string case_name(const testing::TestParamInfo<Case>& info) {
  std::string name = info.param.operation.parent_path().parent_path().filename().string() + "_" +
                     info.param.operation.stem().string();
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Features, GoldenPlanTest, testing::ValuesIn(all_cases()), case_name);

TEST(GoldenPlanTest, HasCases) {
  EXPECT_GE(all_cases().size(), 10u);
}

}  // namespace
}  // namespace orbit::planner
