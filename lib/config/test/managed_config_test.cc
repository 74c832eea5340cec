// The `managed:` section of router.yaml and finish_managed_config().
#include <gtest/gtest.h>

#include <map>

#include "orbit/config/router_config.h"

namespace orbit::config {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ManagedConfigTest, EveryKey) {
  auto c = parse_router_config(R"(
managed:
  graph_token: ${env.MY_TOKEN}
  cdn_urls:
    - https://cdn-1.example.com/
    - http://127.0.0.1:8080/prefix
  signature_public_key: keys/artifacts.pub.pem
  state_dir: /var/lib/orbit-router
  poll_interval: 30s
  poll_jitter: 5s
  request_timeout: 2s
  backoff:
    initial: 500ms
    max: 2m
)",
                               "router.yaml", "/etc/orbit", env_of({{"MY_TOKEN", "t.o.k"}}));
  ASSERT_TRUE(c.ok()) << c.status().message();
  const ManagedConfig& m = c->managed;
  EXPECT_TRUE(m.enabled);
  EXPECT_EQ(m.graph_token, "t.o.k");
  EXPECT_EQ(m.cdn_urls, (std::vector<std::string>{"https://cdn-1.example.com",
                                                  "http://127.0.0.1:8080/prefix"}));
  EXPECT_EQ(m.signature_public_key_path, "/etc/orbit/keys/artifacts.pub.pem");
  EXPECT_EQ(m.state_dir, "/var/lib/orbit-router");
  EXPECT_EQ(m.poll_interval.count(), 30'000);
  EXPECT_EQ(m.poll_jitter.count(), 5'000);
  EXPECT_EQ(m.request_timeout.count(), 2'000);
  EXPECT_EQ(m.backoff_initial.count(), 500);
  EXPECT_EQ(m.backoff_max.count(), 120'000);
  EXPECT_TRUE(finish_managed_config(*c, env_of({})).ok());
}

TEST(ManagedConfigTest, DefaultsAndTheTokenFromTheEnvironment) {
  auto c =
      parse_router_config("managed:\n  cdn_urls: [http://cdn]\n  signature_public_key: k.pem\n",
                          "router.yaml", "/etc/orbit");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->managed.state_dir, "/etc/orbit/orbit-state");
  EXPECT_EQ(c->managed.poll_interval.count(), 10'000);
  EXPECT_EQ(c->managed.poll_jitter.count(), 2'000);
  EXPECT_EQ(c->managed.backoff_max.count(), 60'000);
  EXPECT_EQ(c->managed.graph_token, "");
  ASSERT_TRUE(finish_managed_config(*c, env_of({{"GRAPH_API_TOKEN", "from-env"}})).ok());
  EXPECT_EQ(c->managed.graph_token, "from-env");

  // The config's token wins over the environment's.
  auto own = parse_router_config(
      "managed:\n  graph_token: mine\n  cdn_urls: [http://cdn]\n  signature_public_key: k\n");
  ASSERT_TRUE(own.ok());
  ASSERT_TRUE(finish_managed_config(*own, env_of({{"GRAPH_API_TOKEN", "from-env"}})).ok());
  EXPECT_EQ(own->managed.graph_token, "mine");
  EXPECT_EQ(own->managed.state_dir, "orbit-state");

  // `managed:` alone turns it on; flags and the environment fill it in.
  auto bare = parse_router_config("managed:\n");
  ASSERT_TRUE(bare.ok()) << bare.status().message();
  EXPECT_TRUE(bare->managed.enabled);
  // Without the section, nothing changes.
  auto off = parse_router_config("listen: 127.0.0.1:1\n");
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->managed.enabled);
  EXPECT_TRUE(finish_managed_config(*off, env_of({})).ok());
}

TEST(ManagedConfigTest, FinishSaysWhatIsMissing) {
  RouterConfig c;
  c.managed.enabled = true;
  auto message = [&](RouterConfig config) {
    return finish_managed_config(config, env_of({})).message();
  };
  EXPECT_EQ(message(c),
            "managed mode: no graph token (set GRAPH_API_TOKEN or managed.graph_token)");
  c.managed.graph_token = "t";
  EXPECT_EQ(message(c), "managed mode: no CDN URL (managed.cdn_urls or --cdn-url)");
  c.managed.cdn_urls = {"http://cdn"};
  EXPECT_NE(message(c).find("no public key to verify config artifacts"), std::string::npos);
  c.managed.signature_public_key_path = "k.pem";
  EXPECT_EQ(message(c), "");
  c.artifact_path = "router.json";
  EXPECT_NE(message(c).find("do not set an artifact or supergraph file as well"),
            std::string::npos);
  // An empty variable counts as unset.
  RouterConfig empty_env;
  empty_env.managed.enabled = true;
  EXPECT_FALSE(finish_managed_config(empty_env, env_of({{"GRAPH_API_TOKEN", ""}})).ok());
}

TEST(ManagedConfigTest, ErrorsNameTheKeyAndLine) {
  const std::pair<std::string, std::string> cases[] = {
      {"managed:\n  cdn: [x]\n", "router.yaml:2: managed.cdn: unknown key"},
      {"managed:\n  cdn_urls: http://cdn\n",
       "router.yaml:2: managed.cdn_urls: expected a list of URLs"},
      {"managed:\n  cdn_urls: [ftp://cdn]\n",
       "router.yaml:2: managed.cdn_urls[0]: expected an http:// or https:// URL, got "
       "\"ftp://cdn\""},
      {"managed:\n  cdn_urls:\n    - http://ok\n    - http://\n",
       "router.yaml:4: managed.cdn_urls[1]: \"http://\" has no host"},
      {"managed:\n  cdn_urls: [\"http://cdn/?x=1\"]\n", "a CDN URL is scheme, host, port"},
      {"managed:\n  poll_interval: 5ms\n",
       "router.yaml:2: managed.poll_interval: must be at least 10ms"},
      {"managed:\n  poll_jitter: soon\n", "managed.poll_jitter: invalid duration \"soon\""},
      {"managed:\n  backoff:\n    initial: 2s\n    max: 1s\n",
       "router.yaml:4: managed.backoff.max: must not be less than backoff.initial"},
      {"managed:\n  backoff:\n    start: 1s\n", "managed.backoff.start: unknown key"},
      {"managed:\n  signature_public_key: \"\"\n",
       "managed.signature_public_key: must not be empty"},
      {"managed:\n  graph_token: ${env.NOPE}\n", "environment variable NOPE is not set"},
      {"artifact: router.json\nmanaged:\n  cdn_urls: [http://cdn]\n",
       "router.yaml:3: managed: a managed router gets its graph from the CDN: remove artifact / "
       "supergraph"},
  };
  for (const auto& [yaml, message] : cases) {
    auto c = parse_router_config(yaml, "router.yaml", "", env_of({}));
    ASSERT_FALSE(c.ok()) << yaml;
    EXPECT_NE(c.status().message().find(message), std::string::npos) << yaml << "\n"
                                                                     << c.status().message();
  }
  auto many = std::string("managed:\n  cdn_urls:\n");
  for (int i = 0; i < 17; ++i)
    many += "    - http://cdn-" + std::to_string(i) + "\n";
  EXPECT_NE(parse_router_config(many).status().message().find("at most 16 URLs"),
            std::string::npos);
}

}  // namespace
}  // namespace orbit::config
