// compose(): input bounds and hostile input. The differential corpus (tests/composition)
// checks the results; these check that nothing crashes and every failure says why.
#include <gtest/gtest.h>

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

}  // namespace
