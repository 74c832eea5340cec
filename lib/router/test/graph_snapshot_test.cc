#include "orbit/router/graph_snapshot.h"

#include <gtest/gtest.h>

namespace orbit::router {
namespace {

constexpr const char* kTwoSubgraphs = R"(
schema @link(url: "https://specs.apollo.dev/link/v1.0")
       @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) { query: Query }
directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR
directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
scalar join__FieldSet
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
enum join__Graph {
  A @join__graph(name: "a", url: "http://a.example/graphql")
  B @join__graph(name: "b", url: "")
}
type Query @join__type(graph: A) @join__type(graph: B) {
  x: Int @join__field(graph: A)
  y: Int @join__field(graph: B)
}
)";

TEST(GraphSnapshotTest, UrlOverridesAndTimeouts) {
  RouterConfig config;
  config.default_subgraph_timeout = std::chrono::milliseconds(700);
  config.subgraphs["b"].url = "http://127.0.0.1:9/b";
  config.subgraphs["b"].timeout = std::chrono::milliseconds(50);
  auto s = GraphSnapshot::build(kTwoSubgraphs, config);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ((*s)->subgraphs().size(), 2u);
  EXPECT_EQ((*s)->subgraphs()[0].name, "a");
  EXPECT_EQ((*s)->subgraphs()[0].url, "http://a.example/graphql");
  EXPECT_EQ((*s)->subgraphs()[0].timeout.count(), 700);
  EXPECT_EQ((*s)->subgraphs()[1].url, "http://127.0.0.1:9/b");
  EXPECT_EQ((*s)->subgraphs()[1].timeout.count(), 50);
  EXPECT_NE((*s)->api_schema().type("Query"), nullptr);
}

TEST(GraphSnapshotTest, Errors) {
  RouterConfig config;
  auto no_url = GraphSnapshot::build(kTwoSubgraphs, config);
  ASSERT_FALSE(no_url.ok());
  EXPECT_NE(no_url.status().message().find("subgraph \"b\" has no routing URL"), std::string::npos);

  config.subgraphs["b"].url = "ftp://x";
  auto bad_url = GraphSnapshot::build(kTwoSubgraphs, config);
  ASSERT_FALSE(bad_url.ok());
  EXPECT_NE(bad_url.status().message().find("subgraph \"b\": "), std::string::npos);

  config.subgraphs["b"].url = "http://b";
  config.subgraphs["c"].url = "http://c";
  auto unknown = GraphSnapshot::build(kTwoSubgraphs, config);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("config names subgraph \"c\", which the supergraph "
                                            "does not have (it has: a, b)"),
            std::string::npos)
      << unknown.status().message();

  auto invalid = GraphSnapshot::build("type Query { x: Int }", RouterConfig());
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.status().message().find("invalid supergraph:"), std::string::npos);
}

// A supergraph linking a SECURITY feature the router does not enforce is refused at load,
// with Apollo Router's message and what to do; @inaccessible (enforced) loads.
TEST(GraphSnapshotTest, RefusesSecurityFeaturesItDoesNotEnforce) {
  RouterConfig config;
  config.subgraphs["b"].url = "http://b";
  const std::string link_line =
      R"(@link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) { query: Query })";
  ASSERT_NE(std::string(kTwoSubgraphs).find(link_line), std::string::npos);
  struct Case {
    const char* link;
    const char* what;
  };
  const Case cases[] = {
      {R"(@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY))",
       "does not enforce @authenticated"},
      {R"(@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY))",
       "does not enforce @requiresScopes"},
      {R"(@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY))",
       "does not enforce @policy"},
      {R"(@link(url: "https://specs.apollo.dev/context/v0.1", for: SECURITY))",
       "does not enforce @context/@fromContext"},
      {R"(@link(url: "https://example.com/audit/v1.0", for: EXECUTION))",
       "feature https://example.com/audit/v1.0 is for: EXECUTION but is unsupported"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.link);
    std::string sdl = kTwoSubgraphs;
    sdl.replace(sdl.find(link_line), 0, std::string(c.link) + "\n       ");
    auto s = GraphSnapshot::build(sdl, config);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.status().message().find("is unsupported"), std::string::npos)
        << s.status().message();
    EXPECT_NE(s.status().message().find(c.what), std::string::npos) << s.status().message();
  }
  std::string inaccessible = kTwoSubgraphs;
  inaccessible.replace(inaccessible.find(link_line), 0,
                       R"(@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY))"
                       "\n       ");
  inaccessible +=
      "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | "
      "ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | "
      "INPUT_FIELD_DEFINITION\n";
  auto ok = GraphSnapshot::build(inaccessible, config);
  EXPECT_TRUE(ok.ok()) << ok.status().message();
  // @cacheTag (EXECUTION) only names cache tags; the router keeps no entity cache.
  std::string cache_tag = kTwoSubgraphs;
  cache_tag.replace(cache_tag.find(link_line), 0,
                    R"(@link(url: "https://specs.apollo.dev/cacheTag/v0.1", for: EXECUTION))"
                    "\n       ");
  auto tagged = GraphSnapshot::build(cache_tag, config);
  EXPECT_TRUE(tagged.ok()) << tagged.status().message();
}

TEST(GraphSnapshotTest, HolderSwapsAtomically) {
  RouterConfig config;
  config.subgraphs["b"].url = "http://b";
  auto first = GraphSnapshot::build(kTwoSubgraphs, config);
  auto second = GraphSnapshot::build(kTwoSubgraphs, config);
  ASSERT_TRUE(first.ok() && second.ok());
  SnapshotHolder holder(*first);
  std::shared_ptr<const GraphSnapshot> in_flight = holder.get();
  holder.set(*second);
  EXPECT_EQ(holder.get()->version(), (*second)->version());
  EXPECT_LT(in_flight->version(), holder.get()->version());
  EXPECT_NE(in_flight->api_schema().type("Query"), nullptr);  // still usable
}

config::RouterArtifact artifact_of(std::string version) {
  config::RouterArtifact a;
  a.version = std::move(version);
  a.created_at = "2025-05-01T10:00:00Z";
  a.supergraph_sdl = kTwoSubgraphs;
  return a;
}

TEST(GraphSnapshotTest, ArtifactRoutingUrlsOverrideTheSupergraphs) {
  config::RouterArtifact a = artifact_of("v7");
  a.subgraphs.push_back({"a", "http://10.0.0.1:4001/graphql", "", {}});
  a.subgraphs.push_back({"b", "https://b.internal/graphql", "", {}});
  auto s = GraphSnapshot::build(a, RouterConfig());
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ((*s)->subgraphs()[0].url, "http://10.0.0.1:4001/graphql");
  EXPECT_EQ((*s)->subgraphs()[1].url, "https://b.internal/graphql");
  EXPECT_EQ((*s)->config_version(), "v7");
  EXPECT_EQ((*s)->created_at(), "2025-05-01T10:00:00Z");
  EXPECT_TRUE(config::is_rfc3339((*s)->loaded_at())) << (*s)->loaded_at();

  // The router's own config wins over the artifact (an operator's local override).
  RouterConfig config;
  config.subgraphs["b"].url = "http://127.0.0.1:9/b";
  auto o = GraphSnapshot::build(a, config);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ((*o)->subgraphs()[1].url, "http://127.0.0.1:9/b");

  // Subgraphs the artifact does not list keep the supergraph's URL.
  a.subgraphs.erase(a.subgraphs.begin());
  auto partial = GraphSnapshot::build(a, RouterConfig());
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ((*partial)->subgraphs()[0].url, "http://a.example/graphql");
}

TEST(GraphSnapshotTest, ArtifactErrors) {
  config::RouterArtifact a = artifact_of("v1");
  a.subgraphs.push_back({"b", "http://b/graphql", "", {}});
  a.subgraphs.push_back({"c", "http://c/graphql", "", {}});
  auto unknown = GraphSnapshot::build(a, RouterConfig());
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            "artifact names subgraph \"c\", which the supergraph does not have (it has: a, b)");

  a.subgraphs.pop_back();
  a.supergraph_sdl = "type Query { x: Int }";
  auto invalid = GraphSnapshot::build(a, RouterConfig());
  ASSERT_FALSE(invalid.ok());
  EXPECT_NE(invalid.status().message().find("invalid supergraph:"), std::string::npos);
}

TEST(GraphSnapshotTest, SupergraphTextGetsAContentVersion) {
  RouterConfig config;
  config.subgraphs["b"].url = "http://b";
  auto one = GraphSnapshot::build(kTwoSubgraphs, config);
  auto same = GraphSnapshot::build(kTwoSubgraphs, config);
  auto other = GraphSnapshot::build(std::string(kTwoSubgraphs) + "\n# changed\n", config);
  ASSERT_TRUE(one.ok() && same.ok() && other.ok());
  EXPECT_EQ((*one)->config_version().substr(0, 4), "sdl-");
  EXPECT_EQ((*one)->config_version(), (*same)->config_version());
  EXPECT_NE((*one)->config_version(), (*other)->config_version());
}

}  // namespace
}  // namespace orbit::router
