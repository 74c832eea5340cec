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

}  // namespace
}  // namespace orbit::router
