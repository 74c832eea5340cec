#include "orbit/config/router_config.h"

#include <gtest/gtest.h>

#include <map>

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
deduplication:
  inbound: false
  subgraph_requests: false
batching:
  entity_fetches: false
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
  EXPECT_FALSE(c->deduplication.inbound);
  EXPECT_FALSE(c->deduplication.subgraph_requests);
  EXPECT_FALSE(c->batching.entity_fetches);
}

TEST(RouterConfigTest, EmptyIsDefaults) {
  auto c = parse_router_config("");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->listen.to_string(), "127.0.0.1:4000");
  EXPECT_TRUE(c->include_query_plan);
  EXPECT_EQ(c->graphql_path, "/graphql");
  EXPECT_TRUE(c->deduplication.inbound);
  EXPECT_TRUE(c->deduplication.subgraph_requests);
  EXPECT_TRUE(c->batching.entity_fetches);
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
      {"deduplication:\n  inbound: sometimes\n", "deduplication.inbound: expected true or false"},
      {"deduplication:\n  outbound: true\n", "deduplication.outbound: unknown key"},
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

TEST(RouterConfigTest, ArtifactAndWatch) {
  auto c = parse_router_config(R"(
artifact: config/router.json
watch:
  enabled: false
  debounce: 50ms
  poll_interval: 2s
)",
                               "router.yaml", "/etc/orbit");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->artifact_path, "/etc/orbit/config/router.json");
  EXPECT_EQ(c->supergraph_path, "");
  EXPECT_FALSE(c->watch.enabled);
  EXPECT_EQ(c->watch.debounce.count(), 50);
  EXPECT_EQ(c->watch.poll_interval.count(), 2000);

  auto absolute = parse_router_config("artifact: /srv/router.json\n", "router.yaml", "/etc");
  ASSERT_TRUE(absolute.ok());
  EXPECT_EQ(absolute->artifact_path, "/srv/router.json");

  auto defaults = parse_router_config("artifact: router.json\n");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->artifact_path, "router.json");
  EXPECT_TRUE(defaults->watch.enabled);
  EXPECT_EQ(defaults->watch.debounce.count(), 200);
  EXPECT_EQ(defaults->watch.poll_interval.count(), 1000);
}

TEST(RouterConfigTest, ArtifactAndWatchErrors) {
  struct Case {
    const char* yaml;
    const char* message;
  };
  const Case cases[] = {
      {"artifact: a.json\nsupergraph: s.graphql\n",
       "router.yaml:2: supergraph: set either artifact or supergraph, not both"},
      {"artifact: ''\n", "router.yaml:1: artifact: must not be empty"},
      {"artifact: [a]\n", "router.yaml:1: artifact: expected a string"},
      {"watch: true\n", "router.yaml:1: watch: expected a mapping"},
      {"watch:\n  enable: true\n", "router.yaml:2: watch.enable: unknown key"},
      {"watch:\n  enabled: 1\n", "router.yaml:2: watch.enabled: expected true or false"},
      {"watch:\n  debounce: soon\n", "router.yaml:2: watch.debounce: invalid duration"},
      {"watch:\n  poll_interval: 1ms\n",
       "router.yaml:2: watch.poll_interval: must be at least 10ms"},
  };
  for (const Case& c : cases) {
    auto r = parse_router_config(c.yaml, "router.yaml");
    ASSERT_FALSE(r.ok()) << c.yaml;
    EXPECT_NE(r.status().message().find(c.message), std::string::npos)
        << c.yaml << " -> " << r.status().message();
  }
}

TEST(RouterConfigTest, EnvironmentVariables) {
  std::map<std::string, std::string, std::less<>> vars = {
      {"PORT", "8081"}, {"GRAPH_DIR", "/graphs"}, {"EMPTY", ""}, {"DEPTH", "12"}};
  EnvLookup env = [&](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  auto c = parse_router_config(R"(
listen: 127.0.0.1:${env.PORT}
artifact: ${env.GRAPH_DIR}/router.json
subgraphs:
  reviews:
    url: http://${env.REVIEWS_HOST:-localhost}:4002/graphql
    timeout: ${env.EMPTY:-2s}
limits:
  max_depth: ${env.DEPTH}
graphql_path: /gql$${env.PORT}
)",
                               "router.yaml", "/etc", env);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->listen.port, 8081);
  EXPECT_EQ(c->artifact_path, "/graphs/router.json");
  EXPECT_EQ(c->subgraphs.at("reviews").url, "http://localhost:4002/graphql");
  EXPECT_EQ(c->subgraph_timeout("reviews").count(), 2000);
  EXPECT_EQ(c->limits.max_depth, 12u);
  EXPECT_EQ(c->graphql_path, "/gql${env.PORT}");

  auto unset = parse_router_config("listen: 127.0.0.1:${env.NOPE}\n", "router.yaml", "", env);
  ASSERT_FALSE(unset.ok());
  EXPECT_EQ(unset.status().message(),
            "router.yaml:1: listen: environment variable NOPE is not set");
  auto empty = parse_router_config("threads: ${env.EMPTY}\n", "router.yaml", "", env);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(),
            "router.yaml:1: threads: environment variable EMPTY is not set");
  auto bad_name = parse_router_config("threads: ${env.A-B}\n", "router.yaml", "", env);
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.status().message().find("invalid environment variable name \"A-B\""),
            std::string::npos);
  auto open = parse_router_config("threads: ${env.PORT\n", "router.yaml", "", env);
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("unterminated \"${env.\""), std::string::npos);
  // Only values are expanded, and a plain "$" or "${" without "env." stays as it is.
  auto literal = expand_env("$HOME ${HOME} $5", env);
  ASSERT_TRUE(literal.ok());
  EXPECT_EQ(*literal, "$HOME ${HOME} $5");
}

}  // namespace
}  // namespace orbit::config
