#include "orbit/config/router_config.h"

#include <gtest/gtest.h>


namespace orbit::config {
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

}  // namespace
}  // namespace orbit::config
