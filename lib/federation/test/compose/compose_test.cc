// compose(): input bounds and hostile input. The differential corpus (tests/composition)
// checks the results; these check that nothing crashes and every failure says why.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "orbit/federation/compose.h"

namespace fs = std::filesystem;
using namespace orbit::federation;

namespace {

const char* kA =
    R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Query { products: [Product] }
type Product @key(fields: "id") { id: ID! name: String }
)";

TEST(Compose, BoundsAndNames) {
  EXPECT_EQ(compose({}).errors.at(0).code, "NO_SUBGRAPHS");
  std::vector<SubgraphSource> many(257, SubgraphSource{"s", "http://s", kA});
  for (size_t i = 0; i < many.size(); ++i)
    many[i].name = "s" + std::to_string(i);
  EXPECT_EQ(compose(many).errors.at(0).code, "TOO_MANY_SUBGRAPHS");
  std::vector<SubgraphSource> dup = {{"a", "http://a", kA}, {"a", "http://a", kA}};
  EXPECT_EQ(compose(dup).errors.at(0).code, "INVALID_SUBGRAPH_NAME");
  ComposeOptions small;
  small.max_sdl_bytes = 10;
  std::vector<SubgraphSource> one = {{"a", "http://a", kA}};
  CompositionResult r = compose(one, small);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].code, "INVALID_GRAPHQL");
  EXPECT_NE(r.errors[0].message.find("larger than 10 bytes"), std::string::npos);
  // Deep nesting is a syntax error, not a stack overflow.
  std::string deep = std::string(kA) + "type T { f(a: " + std::string(100000, '[') + "Int" +
                     std::string(100000, ']') + "): Int }\n";
  r = compose(std::vector<SubgraphSource>{{"a", "http://a", deep}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].code, "INVALID_GRAPHQL");
}

TEST(Compose, SingleSubgraphPrintsAsApolloDoes) {
  CompositionResult r = compose(std::vector<SubgraphSource>{{"products", "http://p/graphql", kA}});
  ASSERT_TRUE(r.ok()) << r.errors.at(0).message;
  EXPECT_NE(r.supergraph_sdl.find("type Product\n  @join__type(graph: PRODUCTS, key: \"id\")\n{\n"
                                  "  id: ID!\n  name: String\n}"),
            std::string::npos)
      << r.supergraph_sdl;
  EXPECT_EQ(canonical_sdl(r.supergraph_sdl), canonical_sdl(canonical_sdl(r.supergraph_sdl)));
}

// Truncations and byte flips of every corpus file: compose() answers (ok, or errors with a
// message), never crashes (run under ASan/UBSan in the dev preset).
TEST(Compose, MutatedCorpusNeverCrashes) {
  // ORBIT_TEST_DATA_DIR is <root>/lib/federation/test/compose/data.
  fs::path root = fs::path(ORBIT_TEST_DATA_DIR);
  for (int i = 0; i < 5; ++i)
    root = root.parent_path();
  fs::path cases = root / "tests/composition/cases";
  ASSERT_TRUE(fs::exists(cases));
  std::mt19937 rng(1234);
  int runs = 0;
  for (const auto& dir : fs::directory_iterator(cases)) {
    std::vector<SubgraphSource> sources;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      std::ifstream in(f.path());
      std::stringstream ss;
      ss << in.rdbuf();
      sources.push_back({f.path().stem().string(), "http://x/graphql", ss.str()});
    }
    for (int m = 0; m < 6; ++m) {
      auto mutated = sources;
      auto& victim = mutated[rng() % mutated.size()].sdl;
      if (victim.empty()) continue;
      if (m % 2 == 0) {
        victim.resize(rng() % victim.size());
      } else {
        static const char kBytes[] = "{}()[]@\"!:=|&$#\n ";
        for (int k = 0; k < 3; ++k)
          victim[rng() % victim.size()] = kBytes[rng() % 17];
      }
      CompositionResult r = compose(mutated);
      ++runs;
      if (!r.ok())
        for (const auto& e : r.errors) {
          EXPECT_FALSE(e.code.empty());
          EXPECT_FALSE(e.message.empty());
        }
    }
  }
  EXPECT_GT(runs, 300);
}

// The subgraphs of one corpus case, in file-name order.
std::vector<SubgraphSource> corpus_case(const std::string& name) {
  fs::path root = fs::path(ORBIT_TEST_DATA_DIR);
  for (int i = 0; i < 5; ++i)
    root = root.parent_path();
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(root / "tests/composition/cases" / name))
    files.push_back(f.path());
  std::sort(files.begin(), files.end());
  std::vector<SubgraphSource> sources;
  for (const fs::path& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    sources.push_back({f.stem().string(), "http://x/graphql", ss.str()});
  }
  return sources;
}

std::string only_error(const CompositionResult& r, const std::string& code) {
  EXPECT_EQ(r.errors.size(), 1u);
  if (r.errors.empty()) return "";
  EXPECT_EQ(r.errors[0].code, code) << r.errors[0].message;
  return r.errors[0].message;
}

TEST(Compose, RequiresThatCannotBeFetchedIsUnsatisfiable) {
  std::string m =
      only_error(compose(corpus_case("err-sat-requires-no-key")), "SATISFIABILITY_ERROR");
  EXPECT_NE(m.find("cannot satisfy @require conditions on field \"Product.tax\" in subgraph \"b\""),
            std::string::npos)
      << m;
  EXPECT_TRUE(compose(corpus_case("sat-requires-nested-third-subgraph")).ok());
}

// A key move needs every field of the key at every depth; the key fields may come through
// other keys or a @provides, never by moving to the key's own subgraph.
TEST(Compose, KeyFieldsAreCheckedAtEveryDepth) {
  std::string m = only_error(compose(corpus_case("err-sat-key-nested-field-unavailable")),
                             "SATISFIABILITY_ERROR");
  EXPECT_NE(m.find("  t {\n    name\n  }"), std::string::npos) << m;
  EXPECT_NE(m.find("cannot move to subgraph \"b\" using @key(fields: \"id org { id }\") of \"T\", "
                   "the key field(s) cannot be resolved from subgraph \"a\"."),
            std::string::npos)
      << m;
  for (const char* ok : {"sat-key-nested-field-through-key", "sat-key-nested-value-type",
                         "sat-key-nested-field-provided"}) {
    CompositionResult r = compose(corpus_case(ok));
    EXPECT_TRUE(r.ok()) << ok << ": " << (r.errors.empty() ? "" : r.errors[0].message);
  }
}

// The fields a @requires needs may come from another subgraph's @provides.
TEST(Compose, RequiresFetchedThroughProvides) {
  std::string m = only_error(compose(corpus_case("err-sat-requires-field-not-provided")),
                             "SATISFIABILITY_ERROR");
  EXPECT_NE(m.find("cannot satisfy @require conditions on field \"T.x\" in subgraph \"s\""),
            std::string::npos)
      << m;
  for (const char* ok :
       {"sat-requires-through-provides", "sat-requires-through-provides-nested-pair"}) {
    CompositionResult r = compose(corpus_case(ok));
    EXPECT_TRUE(r.ok()) << ok << ": " << (r.errors.empty() ? "" : r.errors[0].message);
  }
}

TEST(Compose, InterfaceObjectMustReachTheImplementations) {
  std::string m =
      only_error(compose(corpus_case("err-sat-interface-object-no-implementation-subgraph")),
                 "SATISFIABILITY_ERROR");
  EXPECT_NE(m.find("  topMedia {\n    ... on Book {\n      ...\n    }\n  }"), std::string::npos)
      << m;
  EXPECT_NE(m.find("using @key(fields: \"id\") of \"Media\""), std::string::npos) << m;
  EXPECT_TRUE(compose(corpus_case("sat-interface-object-key-to-implementations")).ok());
}

TEST(Compose, TransitiveAuthRequirements) {
  std::string m = only_error(compose(corpus_case("err-transitive-auth-requires")),
                             "MISSING_TRANSITIVE_AUTH_REQUIREMENTS");
  EXPECT_EQ(m,
            "[b] Field \"Product.tax\" does not specify necessary @authenticated, @requiresScopes "
            "and/or @policy auth requirements to access the transitive field \"Product.price\" "
            "data from @requires selection set.");
  m = only_error(compose(corpus_case("err-transitive-auth-context")),
                 "MISSING_TRANSITIVE_AUTH_REQUIREMENTS");
  EXPECT_NE(m.find("in context b__userCtx from @fromContext"), std::string::npos) << m;
  for (const char* ok :
       {"transitive-auth-requires", "transitive-auth-type-level", "transitive-auth-context"}) {
    CompositionResult r = compose(corpus_case(ok));
    EXPECT_TRUE(r.ok()) << ok << ": " << (r.errors.empty() ? "" : r.errors[0].message);
  }
}

TEST(Compose, DifferentAuthAndListSizeApplicationsMergeArgumentByArgument) {
  CompositionResult r = compose(corpus_case("auth-scopes-policies-merged"));
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r.supergraph_sdl.find("t: T @requiresScopes(scopes: [[\"a\", \"c\"], [\"b\", \"c\"]])"),
            std::string::npos)
      << r.supergraph_sdl;
  EXPECT_NE(r.supergraph_sdl.find("x: Int @policy(policies: [[\"p\", \"q\", \"r\"]])"),
            std::string::npos);
  r = compose(corpus_case("list-size-merged"));
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r.supergraph_sdl.find("@listSize(assumedSize: 10, slicingArguments: [\"first\", "
                                  "\"last\"], requireOneSlicingArgument: false)"),
            std::string::npos)
      << r.supergraph_sdl;
  ASSERT_EQ(r.hints.size(), 2u);
  EXPECT_EQ(r.hints[0].code, "MERGED_NON_REPEATABLE_DIRECTIVE_ARGUMENTS");
}

TEST(Compose, FromContextSelectionMustFitTheArgument) {
  std::string m = only_error(compose(corpus_case("err-context-selection-mismatch")),
                             "CONTEXT_INVALID_SELECTION");
  EXPECT_EQ(m,
            "[a] Context \"ctx\" is used in \"U.f(a:)\" but the selection is invalid: the type of "
            "the selection \"String\" does not match the expected type \"Int\"");
  m = only_error(compose(corpus_case("err-context-selection-unused-condition")),
                 "CONTEXT_INVALID_SELECTION");
  EXPECT_NE(m.find("type condition \"C\" is never used."), std::string::npos) << m;
  m = only_error(compose(corpus_case("err-context-selection-abstract-types")),
                 "CONTEXT_INVALID_SELECTION");
  EXPECT_NE(m.find("the type of the selection \"Int\" does not match the expected type \"String\""),
            std::string::npos)
      << m;
  for (const char* ok : {"context-selection-type", "context-selection-abstract"}) {
    CompositionResult r = compose(corpus_case(ok));
    EXPECT_TRUE(r.ok()) << ok << ": " << (r.errors.empty() ? "" : r.errors[0].message);
  }
}

}  // namespace
