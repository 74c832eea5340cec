// Managed mode end to end, with real processes: orbit-cdn serving a storage directory,
// orbit-router polling it with a graph token, real subgraphs (tests/scenarios/harness/serve.js,
// @apollo/subgraph), and clients sending requests through the router the whole time.
//
// The story: v1 published, the router serves it; v2 published, the router swaps; a tampered
// v3 (another version's signature) and a v3 signed by an untrusted key are refused and v2
// keeps serving; the CDN is killed and the router serves on; the router is restarted while
// the CDN is down and starts from its last-known-good copy; the CDN comes back with v4 and the
// router picks it up; the token is revoked, the router keeps v4 and logs the refusals. Zero
// failed client requests throughout.
//
// Versions are told apart as in tests/reload: artifact version k adds Query.version_k (seen by
// introspection) and routes products to instance B (names suffixed " (B)") when k is even, so
// each answer says which snapshot served it and must be consistent with it.
//
// Needs `npm ci` in tests/npm-federation (make npm-deps), orbit-router and orbit-cdn.
#include "managed_fixture.h"

namespace orbit {
namespace {

using namespace managed_testing;

class ManagedTest : public ManagedFixture {
 protected:
  ManagedTest() : ManagedFixture("orbit-managed-e2e-") {}
};

TEST_F(ManagedTest, OutlivesTheCdn) {
  // v1 published through the command the operator would use.
  ASSERT_TRUE(config::write_file_atomic(path("v1.json"), artifact(1)).ok());
  ASSERT_EQ(run_cdn_command({"publish", "--storage", path("storage"), "--org", "acme", "--graph",
                             "shop", "--signing-key", path("artifacts.pem"), path("v1.json")}),
            0);
  uint16_t cdn_port = start_cdn();
  ASSERT_NE(cdn_port, 0) << cdn_->output();
  write_router_config(cdn_port);
  uint16_t port = start_router();
  ASSERT_NE(port, 0) << router_->output();
  Health h = health(port);
  EXPECT_EQ(h.version, "v1");
  EXPECT_EQ(h.source, "cdn");

  ClientReport report;
  auto clients = std::make_unique<Clients>(port, report);
  clients->run_a_little();

  {
    SCOPED_TRACE("v2 published: the router swaps");
    publish(2);
    EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.version == "v2"; }))
        << router_->output();
    clients->run_a_little();
  }
  {
    SCOPED_TRACE("v3 with v2's signature: refused, v2 serves on");
    Health before = health(port);
    std::string published_v2 =
        read_file(cdn::ArtifactStore::artifact_path(path("storage"), "acme", "shop"));
    write_storage(artifact(3), security::base64_encode(signing_->sign(published_v2)));
    EXPECT_TRUE(wait_health(
        port, [&](const Health& h) { return h.signature_failures > before.signature_failures; }));
    EXPECT_TRUE(router_logged("does not match the artifact for any trusted key"));
    clients->run_a_little(30);
    EXPECT_EQ(health(port).version, "v2");
  }
  {
    SCOPED_TRACE("v3 signed by an untrusted key: refused");
    security::Ed25519PrivateKey stranger = *security::Ed25519PrivateKey::generate();
    std::string v3 = artifact(3);
    Health before = health(port);
    write_storage(v3, security::write_signature_file(security::sign_artifact(v3, stranger)));
    EXPECT_TRUE(wait_health(port, [&](const Health& h) {
      return h.signature_failures >= before.signature_failures + 2;
    }));
    clients->run_a_little(30);
    EXPECT_EQ(health(port).version, "v2");
  }
  {
    // The storage good again before the outage (v2 republished: new bytes, same label).
    Health before = health(port);
    publish(2);
    EXPECT_TRUE(wait_health(
        port, [&](const Health& h) { return h.reloads_succeeded > before.reloads_succeeded; }));
  }

  {
    SCOPED_TRACE("the CDN killed: the router serves on");
    cdn_->signal(SIGKILL);
    cdn_->wait(5s);
    Health before = health(port);
    EXPECT_TRUE(wait_health(port, [&](const Health& h) {
      return h.polls_failed >= before.polls_failed + 3;
    })) << router_->output();
    clients->run_a_little(50);
    EXPECT_EQ(health(port).version, "v2");
    EXPECT_TRUE(router_logged("CDN poll failed"));
  }

  {
    SCOPED_TRACE("the router restarted while the CDN is down: last-known-good");
    clients->stop();
    EXPECT_EQ(router_->stop(), 0) << router_->output();
    port = start_router();
    ASSERT_NE(port, 0) << router_->output();
    Health restarted = health(port);
    EXPECT_EQ(restarted.version, "v2");
    EXPECT_EQ(restarted.source, "last-known-good");
    EXPECT_TRUE(router_logged("starting from the last-known-good config version v2"))
        << router_->output();
    HttpConnection c(port);
    EXPECT_EQ(c.request("GET", "/health/ready").status, 200);
    clients = std::make_unique<Clients>(port, report);
    clients->run_a_little(50);
  }

  {
    SCOPED_TRACE("the CDN back with v4: picked up");
    publish(4);
    ASSERT_EQ(start_cdn(cdn_port), cdn_port) << cdn_->output();
    EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.version == "v4"; }))
        << router_->output();
    EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.source == "cdn"; }));
    clients->run_a_little();
  }

  {
    SCOPED_TRACE("the token revoked: v4 serves on, the refusals are logged");
    ASSERT_TRUE(config::write_file_atomic(path("revoked.txt"), "router-1\n").ok());
    EXPECT_TRUE(cdn_->wait_for_line(
        [](const std::string& l) { return l.find("\"reason\":\"revoked\"") != std::string::npos; },
        10s))
        << cdn_->output();
    publish(5);
    EXPECT_TRUE(router_logged("the CDN refused the graph token (403"));
    clients->run_a_little(50);
    EXPECT_EQ(health(port).version, "v4");
  }

  clients->stop();
  EXPECT_EQ(report.failed, 0u) << failures_text(report);
  EXPECT_GT(report.ok, 200u);
  for (int k : {1, 2, 4})
    EXPECT_TRUE(report.versions.count(k)) << "no request was served by v" << k;
  EXPECT_FALSE(report.versions.count(3));
  EXPECT_FALSE(report.versions.count(5));
  std::printf("%llu requests answered, none failed; versions served:",
              static_cast<unsigned long long>(report.ok));
  for (int k : report.versions)
    std::printf(" v%d", k);
  std::printf("\n");

  // The CDN's access log: JSON lines naming the token id, never the token.
  std::string cdn_log = cdn_->output();
  EXPECT_NE(cdn_log.find("\"tokenId\":\"router-1\""), std::string::npos);
  EXPECT_EQ(cdn_log.find(token_), std::string::npos);
  HttpConnection c(port);
  HttpResult metrics = c.request("GET", "/metrics");
  EXPECT_NE(metrics.body.find("orbit_router_cdn_polls_total{result=\"failed\"}"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("orbit_router_config_info{version=\"v4\""), std::string::npos);
  EXPECT_EQ(router_->stop(), 0);
}

TEST_F(ManagedTest, NeverServesWithoutAConfig) {
  // The CDN down and no last-known-good copy: the router listens but is not ready.
  uint16_t cdn_port = start_cdn();
  ASSERT_NE(cdn_port, 0);
  cdn_->stop();
  write_router_config(cdn_port);
  uint16_t port = start_router();
  ASSERT_NE(port, 0) << router_->output();
  EXPECT_TRUE(router_logged("no config to serve"));
  EXPECT_TRUE(router_logged("no graph yet (not ready)"));
  HttpConnection c(port);
  EXPECT_EQ(c.request("GET", "/health/ready").status, 503);
  HttpResult gql = c.request("POST", "/graphql", std::string(kQuery));
  EXPECT_EQ(gql.status, 503);
  EXPECT_NE(gql.body.find("no graph loaded yet"), std::string::npos) << gql.body;

  // Published, the CDN up: the router becomes ready on its own.
  publish(1);
  ASSERT_EQ(start_cdn(cdn_port), cdn_port) << cdn_->output();
  EXPECT_TRUE(wait_health(port, [](const Health& h) { return h.version == "v1"; }))
      << router_->output();
  EXPECT_EQ(c.request("GET", "/health/ready").status, 200);
  EXPECT_EQ(c.request("POST", "/graphql", std::string(kQuery)).status, 200);
}

TEST_F(ManagedTest, SighupPollsAtOnce) {
  // Polls 30 minutes apart: only SIGHUP can bring v2 in within the test.
  publish(1);
  uint16_t cdn_port = start_cdn();
  ASSERT_NE(cdn_port, 0) << cdn_->output();
  write_router_config(cdn_port, "30m");
  uint16_t port = start_router();
  ASSERT_NE(port, 0) << router_->output();
  EXPECT_EQ(health(port).version, "v1");
  publish(2);
  std::this_thread::sleep_for(600ms);
  EXPECT_EQ(health(port).version, "v1");  // no poll due yet
  router_->signal(SIGHUP);
  EXPECT_TRUE(router_logged("SIGHUP: polling the CDN now"));
  EXPECT_TRUE(wait_health(
      port, [](const Health& h) { return h.version == "v2"; }, 10s))
      << router_->output();
  HttpConnection c(port);
  HttpResult gql = c.request("POST", "/graphql", std::string(kQuery));
  EXPECT_EQ(gql.status, 200) << gql.body;
  // Still serving after more signals, with nothing new to fetch (a 304).
  router_->signal(SIGHUP);
  router_->signal(SIGHUP);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(health(port).version, "v2");
  EXPECT_EQ(c.request("POST", "/graphql", std::string(kQuery)).status, 200);
}

TEST_F(ManagedTest, BadManagedStartsExitWithAMessage) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  ::unsetenv("GRAPH_API_TOKEN");
  const Case cases[] = {
      {{"--cdn-url", "http://127.0.0.1:1", "--signature-public-key", path("artifacts.pub.pem")},
       "managed mode: no graph token (set GRAPH_API_TOKEN or managed.graph_token)"},
      {{"--cdn-url", "http://127.0.0.1:1", "--graph-token", token_},
       "no public key to verify config artifacts"},
      {{"--cdn-url", "ftp://cdn", "--graph-token", token_}, "--cdn-url: expected an http://"},
      {{"--cdn-url", "http://127.0.0.1:1", "--graph-token", "nonsense", "--signature-public-key",
        path("artifacts.pub.pem")},
       "the graph token is not a graph token"},
      {{"--cdn-url", "http://127.0.0.1:1", "--graph-token", token_, "--signature-public-key",
        path("artifacts.pem")},
       "holds a private key"},
      {{"--cdn-url", "http://127.0.0.1:1", "--graph-token", token_, "--signature-public-key",
        path("artifacts.pub.pem"), "--artifact", path("x.json")},
       "do not set an artifact or supergraph file as well"},
      {{"--graph-token", token_}, "are for managed mode"},
  };
  for (const Case& c : cases) {
    ChildProcess p;
    std::vector<std::string> args = {kRouter};
    args.insert(args.end(), c.args.begin(), c.args.end());
    args.insert(args.end(), {"--listen", "127.0.0.1:0"});
    ASSERT_EQ(p.start(args), "");
    EXPECT_EQ(p.wait(30s), 1) << p.output();
    EXPECT_NE(p.output().find(c.message), std::string::npos) << p.output();
  }
}

}  // namespace
}  // namespace orbit
