#include "orbit/router/router_config.h"

#include <gtest/gtest.h>

#include "orbit/router/graph_snapshot.h"

namespace orbit::router {
namespace {

TEST(RouterConfigTest, FullConfig) {
  auto c = parse_router_config(R"(
listen: 0.0.0.0:8080
supergraph: graph/supergraph.graphql
threads: 3
graphql_path: /api
include_query_plan: false
subgraph_defaults:
  timeout: 2s
subgraphs:
  reviews:
    url: http://127.0.0.1:4002/graphql
    timeout: 250ms
  accounts:
    url: http://127.0.0.1:4001/graphql
limits:
  max_body_bytes: 1000
  max_depth: 20
  max_tokens: 5000
  max_aliases: 30
  max_directives: 4
  max_document_bytes: 9000
  max_subgraph_response_bytes: 123
)",
                               "router.yaml", "/etc/orbit");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->listen.host, "0.0.0.0");
  EXPECT_EQ(c->listen.port, 8080);
  EXPECT_EQ(c->supergraph_path, "/etc/orbit/graph/supergraph.graphql");
  EXPECT_EQ(c->threads, 3u);
  EXPECT_EQ(c->graphql_path, "/api");
  EXPECT_FALSE(c->include_query_plan);
  EXPECT_EQ(c->subgraph_timeout("reviews").count(), 250);
  EXPECT_EQ(c->subgraph_timeout("accounts").count(), 2000);
  EXPECT_EQ(c->subgraph_timeout("unknown").count(), 2000);
  EXPECT_EQ(c->subgraphs.at("accounts").url, "http://127.0.0.1:4001/graphql");
  EXPECT_EQ(c->limits.max_body_bytes, 1000u);
  EXPECT_EQ(c->limits.max_depth, 20u);
  EXPECT_EQ(c->limits.max_tokens, 5000u);
  EXPECT_EQ(c->limits.max_aliases, 30u);
  EXPECT_EQ(c->limits.max_directives, 4u);
  EXPECT_EQ(c->limits.max_document_bytes, 9000u);
  EXPECT_EQ(c->limits.max_subgraph_response_bytes, 123u);
}

TEST(RouterConfigTest, EmptyIsDefaults) {
  auto c = parse_router_config("");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen.to_string(), "127.0.0.1:4000");
  EXPECT_TRUE(c->include_query_plan);
  EXPECT_EQ(c->graphql_path, "/graphql");
}

TEST(RouterConfigTest, ErrorsNameTheKeyAndLine) {
  struct Case {
    const char* yaml;
    const char* message;
  };
  const Case cases[] = {
      {"listen: 1.2.3.4\n", "router.yaml:1: listen: invalid listen address \"1.2.3.4\""},
      {"a: 1\nlisten_typo: x\n", "router.yaml:1: a: unknown key"},
      {"limits:\n  max_depth: 1000\n",
       "router.yaml:2: limits.max_depth: must be between 1 and 256"},
      {"limits:\n  max_tokens: -1\n",
       "router.yaml:2: limits.max_tokens: expected a non-negative integer"},
      {"subgraphs:\n  x:\n    timeout: 5h\n",
       "router.yaml:3: subgraphs.x.timeout: invalid duration"},
      {"subgraphs:\n  x:\n    uri: http://a\n", "router.yaml:3: subgraphs.x.uri: unknown key"},
      {"include_query_plan: yes please\n", "include_query_plan: expected true or false"},
      {"graphql_path: api\n", "graphql_path: must start with '/'"},
      {"listen: [\n", "router.yaml:"},
  };
  for (const Case& c : cases) {
    auto r = parse_router_config(c.yaml, "router.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << c.yaml << " -> " << r.status().message();
  }
}

TEST(RouterConfigTest, ListenAddressesAndDurations) {
  EXPECT_EQ(parse_listen_address("[::1]:0")->host, "::1");
  EXPECT_EQ(parse_listen_address("[::1]:0")->to_string(), "[::1]:0");
  EXPECT_EQ(parse_listen_address("localhost:65535")->port, 65535);
  EXPECT_FALSE(parse_listen_address("localhost:65536").ok());
  EXPECT_FALSE(parse_listen_address(":80").ok());
  EXPECT_FALSE(parse_listen_address("::1:80").ok());
  EXPECT_EQ(parse_duration("1500")->count(), 1500);
  EXPECT_EQ(parse_duration("3s")->count(), 3000);
  EXPECT_EQ(parse_duration("2m")->count(), 120000);
  EXPECT_FALSE(parse_duration("").ok());
  EXPECT_FALSE(parse_duration("1.5s").ok());
  EXPECT_FALSE(parse_duration("99999999999999999999").ok());
}

TEST(RouterConfigTest, MissingFileIsAnIoError) {
  auto r = load_router_config("/nonexistent/router.yaml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kIo);
}

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
