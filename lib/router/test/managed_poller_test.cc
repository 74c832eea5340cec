// ManagedPoller against a fake CDN (lib/net HttpServer on 127.0.0.1, port 0) whose answers the
// test sets: signed, unsigned, tampered, refused, failing, gone. Checks what the router serves,
// what it asks for (If-None-Match), the last-known-good copy, backoff, /health and /metrics.
#include "orbit/router/managed_poller.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "orbit/config/atomic_file.h"
#include "orbit/net/http_server.h"
#include "orbit/router/last_known_good.h"
#include "orbit/router/request_handler.h"
#include "orbit/router/router_identity.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/graph_token.h"
#include "orbit/security/sha256.h"

#include "test_data.h"

namespace orbit::router {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// One subgraph, one field.
const std::string kSupergraph = testing::test_data("one_subgraph.graphql");

std::string artifact(const std::string& version) {
  config::RouterArtifact a;
  a.version = version;
  a.created_at = "2026-01-01T00:00:00Z";
  a.supergraph_sdl = kSupergraph;
  a.subgraphs.push_back({"a", "http://127.0.0.1:1/graphql", "", {}});
  return config::write_artifact(a);
}

std::string etag_of(const std::string& body) {
  return "\"" + security::sha256_hex(body) + "\"";
}

// A CDN whose one answer the test sets; it honours If-None-Match and records requests.
class FakeCdn {
 public:
  struct Answer {
    int status = 200;
    std::string body;
    std::optional<std::string> signature;  // header value
    std::chrono::milliseconds delay{0};
  };
  struct Seen {
    std::string path, authorization, if_none_match;
    std::chrono::steady_clock::time_point at;
    int status = 0;
    net::HttpHeaders headers;
  };

  FakeCdn() : loops_(1) { loops_.start(); }
  ~FakeCdn() {
    stop();
    loops_.stop();
  }

  uint16_t start(uint16_t port = 0) {
    net::HttpServerOptions options;
    options.port = port;
    server_ = std::make_unique<net::HttpServer>(
        loops_.loops(), options, [this](net::HttpRequest&& r, net::HttpResponder responder) {
          Answer a;
          Seen seen{std::string(r.path()),
                    std::string(r.headers.get("authorization").value_or("")),
                    std::string(r.headers.get("if-none-match").value_or("")),
                    std::chrono::steady_clock::now(),
                    0,
                    r.headers};
          {
            std::lock_guard<std::mutex> lock(mu_);
            a = answer_;
          }
          net::HttpHeaders headers;
          int status = a.status;
          std::string body = a.body;
          if (status == 200) {
            std::string etag = etag_of(a.body);
            headers.add("ETag", etag);
            if (seen.if_none_match.find(etag) != std::string::npos) {
              status = 304;
              body.clear();
            }
            if (a.signature) headers.add("X-Orbit-Signature", *a.signature);
          }
          seen.status = status;
          {
            std::lock_guard<std::mutex> lock(mu_);
            seen_.push_back(seen);
            cv_.notify_all();
          }
          auto send = [responder, status, headers, body]() mutable {
            responder.send(status, std::move(headers), std::move(body));
          };
          if (a.delay.count() > 0) {
            net::EventLoop::current()->run_after(a.delay, std::move(send));
          } else {
            send();
          }
        });
    EXPECT_TRUE(server_->start().ok());
    port_ = server_->port();
    return port_;
  }
  void stop() {
    // A grace above zero: lib/net's drain timer with 0 ms can fire after the server's shards
    // were released by the last keep-alive connection (heap-use-after-free under ASan).
    if (server_) server_->stop(200ms);
    server_.reset();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  uint16_t port() const { return port_; }

  void set(Answer a) {
    std::lock_guard<std::mutex> lock(mu_);
    answer_ = std::move(a);
  }
  // A 200 with `body` signed by `key`.
  void publish(const std::string& body, const security::Ed25519PrivateKey& key) {
    set({200, body, security::signature_header_value(key.sign(body))});
  }
  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }
  // Waits for `n` more requests than `after`.
  bool wait_requests(size_t n, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock<std::mutex> lock(mu_);
    size_t target = seen_.size() + n;
    return cv_.wait_for(lock, timeout, [&] { return seen_.size() >= target; });
  }

 private:
  net::LoopGroup loops_;
  std::unique_ptr<net::HttpServer> server_;
  uint16_t port_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  Answer answer_;
  std::vector<Seen> seen_;
};

class ManagedPollerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = fs::temp_directory_path() / ("orbit-managed-" + std::to_string(::getpid()) + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::string pub = (dir_ / "artifacts.pub.pem").string();
    ASSERT_TRUE(config::write_file_atomic(pub, signing_.public_key().to_pem()).ok());
    security::GraphTokenClaims claims;
    claims.org = "acme";
    claims.graph = "shop";
    claims.token_id = "tok-1";
    claims.issued_at = security::unix_now();
    token_ = *security::mint_graph_token(claims, token_key_);

    config_.managed.enabled = true;
    config_.managed.graph_token = token_;
    config_.managed.signature_public_key_path = pub;
    config_.managed.state_dir = (dir_ / "state").string();
    config_.managed.poll_interval = 40ms;
    config_.managed.poll_jitter = 10ms;
    config_.managed.request_timeout = 1s;
    config_.managed.backoff_initial = 20ms;
    config_.managed.backoff_max = 80ms;
  }
  void TearDown() override {
    poller_.reset();
    reloader_.reset();
    fs::remove_all(dir_);
  }

  // A fresh reloader and poller on config_ (the previous ones stopped first).
  void make(std::vector<std::string> urls) {
    poller_.reset();
    reloader_.reset();
    config_.managed.cdn_urls = std::move(urls);
    reloader_ = std::make_unique<ConfigReloader>(
        config_, [this](std::shared_ptr<const GraphSnapshot> s) { holder_.set(std::move(s)); });
    poller_ = std::make_unique<ManagedPoller>(config_, *reloader_);
    ASSERT_TRUE(poller_->init().ok());
  }

  std::string serving() {
    auto s = holder_.get();
    return s ? s->config_version() : "";
  }
  bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds timeout = 10s) {
    for (auto end = std::chrono::steady_clock::now() + timeout;
         std::chrono::steady_clock::now() < end; std::this_thread::sleep_for(5ms)) {
      if (done()) return true;
    }
    return done();
  }
  bool wait_version(const std::string& v) {
    return wait_for([&] { return serving() == v; });
  }

  fs::path dir_;
  security::Ed25519PrivateKey signing_ = *security::Ed25519PrivateKey::generate();
  security::Ed25519PrivateKey token_key_ = *security::Ed25519PrivateKey::generate();
  security::Ed25519PrivateKey stranger_ = *security::Ed25519PrivateKey::generate();
  std::string token_;
  RouterConfig config_;
  SnapshotHolder holder_;
  FakeCdn cdn_;
  std::unique_ptr<ConfigReloader> reloader_;
  std::unique_ptr<ManagedPoller> poller_;
};

TEST_F(ManagedPollerTest, LoadsPollsConditionallyAndSwaps) {
  cdn_.start();
  std::string v1 = artifact("v1");
  cdn_.publish(v1, signing_);
  make({cdn_.url()});
  ASSERT_TRUE(poller_->load_initial());
  EXPECT_EQ(serving(), "v1");
  auto first = cdn_.seen().at(0);
  EXPECT_EQ(first.path, "/acme/shop/routerconfigs/latest.json");
  EXPECT_EQ(first.authorization, "Bearer " + token_);
  EXPECT_EQ(first.if_none_match, "");
  ManagedStats s = poller_->stats();
  EXPECT_EQ(s.source, "cdn");
  EXPECT_EQ(s.etag, etag_of(v1));
  EXPECT_EQ(s.polls_updated, 1u);
  EXPECT_FALSE(s.last_success_at.empty());

  // The last-known-good copy holds the exact bytes and their signature.
  auto lkg = read_last_known_good(poller_->last_known_good_file());
  ASSERT_TRUE(lkg.ok()) << lkg.status().message();
  EXPECT_EQ(lkg->artifact, v1);
  EXPECT_EQ(lkg->etag, etag_of(v1));
  EXPECT_EQ(poller_->last_known_good_file(),
            (dir_ / "state" / "acme" / "shop" / "last-known-good.json").string());

  poller_->start();
  ASSERT_TRUE(cdn_.wait_requests(3));
  auto later = cdn_.seen();
  EXPECT_EQ(later.back().if_none_match, etag_of(v1));
  EXPECT_EQ(later.back().status, 304);
  EXPECT_TRUE(wait_for([&] { return poller_->stats().polls_not_modified >= 2; }));

  std::string v2 = artifact("v2");
  cdn_.publish(v2, signing_);
  ASSERT_TRUE(wait_version("v2"));
  EXPECT_TRUE(wait_for(
      [&] { return read_last_known_good(poller_->last_known_good_file())->artifact == v2; }));
  EXPECT_EQ(reloader_->stats().succeeded, 1u);
  EXPECT_EQ(reloader_->stats().failed, 0u);
}

// Every poll says which router asks (the CDN lists them for the control plane's fleet view),
// with the same id as the usage reports.
TEST_F(ManagedPollerTest, PollsCarryTheRouterIdentity) {
  cdn_.start();
  cdn_.publish(artifact("v1"), signing_);
  make({cdn_.url()});
  ASSERT_TRUE(poller_->load_initial());
  poller_->start();
  ASSERT_TRUE(cdn_.wait_requests(2));
  auto seen = cdn_.seen();
  const RouterIdentity& me = router_identity();
  EXPECT_EQ(me.id.size(), 36u);
  for (const auto& s : seen) {
    EXPECT_EQ(s.headers.get("X-Orbit-Router-Id"), me.id);
    EXPECT_EQ(s.headers.get("X-Orbit-Router-Host"), me.host);
    EXPECT_EQ(s.headers.get("X-Orbit-Router-Version"), me.orbit_version);
    EXPECT_EQ(s.headers.get("X-Orbit-Poll-Interval"), "1");  // 40 ms, in whole seconds
  }
  // The first poll serves nothing yet; the next ones name the config served.
  EXPECT_FALSE(seen[0].headers.get("X-Orbit-Config-Version").has_value());
  EXPECT_EQ(seen[1].headers.get("X-Orbit-Config-Version"), "v1");

  config_.managed.poll_interval = std::chrono::minutes(2);
  make({cdn_.url()});
  ASSERT_TRUE(poller_->load_initial());
  EXPECT_EQ(cdn_.seen().back().headers.get("X-Orbit-Poll-Interval"), "120");
  EXPECT_EQ(cdn_.seen().back().headers.get("X-Orbit-Router-Id"), me.id);  // one id per process
}

TEST_F(ManagedPollerTest, UnsignedTamperedAndForeignSignaturesAreRejected) {
  cdn_.start();
  std::string v1 = artifact("v1"), v2 = artifact("v2");
  cdn_.publish(v1, signing_);
  make({cdn_.url()});
  ASSERT_TRUE(poller_->load_initial());
  poller_->start();

  struct Bad {
    FakeCdn::Answer answer;
    std::string log;
  };
  std::string v1_signature = security::signature_header_value(signing_.sign(v1));
  const Bad cases[] = {
      {{200, v2, std::nullopt}, "unsigned artifact"},
      {{200, v2, v1_signature}, "does not match the artifact"},  // tampered body
      {{200, v2, security::signature_header_value(stranger_.sign(v2))}, "does not match"},
      {{200, v2, "not base64!"}, "not valid base64"},
      {{200, v2, security::signature_header_value("short")}, "has 5 bytes"},
  };
  uint64_t failures = 0;
  for (const Bad& bad : cases) {
    SCOPED_TRACE(bad.log);
    cdn_.set(bad.answer);
    ++failures;
    EXPECT_TRUE(wait_for([&] { return poller_->stats().signature_failures >= failures; }));
    EXPECT_EQ(serving(), "v1");
    EXPECT_NE(reloader_->stats().last_error.find(bad.log), std::string::npos)
        << reloader_->stats().last_error;
  }
  // The last-known-good copy is still v1.
  EXPECT_EQ(read_last_known_good(poller_->last_known_good_file())->artifact, v1);
  EXPECT_GE(reloader_->stats().failed, failures);

  cdn_.publish(v2, signing_);
  EXPECT_TRUE(wait_version("v2"));
}

TEST_F(ManagedPollerTest, SignedButBrokenArtifactIsRejectedOnce) {
  cdn_.start();
  cdn_.publish(artifact("v1"), signing_);
  make({cdn_.url()});
  ASSERT_TRUE(poller_->load_initial());
  poller_->start();
  config::RouterArtifact broken;
  broken.version = "v2";
  broken.created_at = "2026-01-01T00:00:00Z";
  broken.supergraph_sdl = "type Query { x: Int }";  // not a supergraph
  std::string text = config::write_artifact(broken);
  cdn_.publish(text, signing_);
  ASSERT_TRUE(wait_for([&] { return poller_->stats().polls_rejected >= 1; }));
  ASSERT_TRUE(cdn_.wait_requests(4));
  // Asked for again with both ETags: 304 from then on, not downloaded nor logged again.
  auto seen = cdn_.seen();
  EXPECT_NE(seen.back().if_none_match.find(etag_of(text)), std::string::npos);
  EXPECT_NE(seen.back().if_none_match.find(etag_of(artifact("v1"))), std::string::npos);
  EXPECT_EQ(seen.back().status, 304);
  EXPECT_EQ(reloader_->stats().failed, 1u);
  EXPECT_EQ(serving(), "v1");
  cdn_.publish(artifact("v3"), signing_);
  EXPECT_TRUE(wait_version("v3"));
}

TEST_F(ManagedPollerTest, TriesTheUrlsInOrder) {
  // The first URL: nothing listens there. The second: answers 500. The third serves.
  FakeCdn failing;
  failing.start();
  failing.set({500, "oops", std::nullopt});
  FakeCdn closed;
  uint16_t closed_port = closed.start();
  closed.stop();
  cdn_.start();
  cdn_.publish(artifact("v1"), signing_);
  make({"http://127.0.0.1:" + std::to_string(closed_port), failing.url(), cdn_.url()});
  ASSERT_TRUE(poller_->load_initial());
  EXPECT_EQ(serving(), "v1");
  EXPECT_EQ(failing.seen().size(), 1u);
  EXPECT_EQ(poller_->stats().source_url, cdn_.url() + "/acme/shop/routerconfigs/latest.json");
}

TEST_F(ManagedPollerTest, RestartsFromLastKnownGoodWhenTheCdnIsDown) {
  cdn_.start();
  cdn_.publish(artifact("v1"), signing_);
  make({cdn_.url()});
  ASSERT_TRUE(poller_->load_initial());
  uint16_t port = cdn_.port();
  cdn_.stop();

  holder_.set(nullptr);
  make({"http://127.0.0.1:" + std::to_string(port)});  // a restart
  ASSERT_TRUE(poller_->load_initial());
  EXPECT_EQ(serving(), "v1");
  ManagedStats s = poller_->stats();
  EXPECT_EQ(s.source, "last-known-good");
  EXPECT_NE(s.last_error.find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << s.last_error;

  // Polling goes on; the CDN back with v2 on the same port.
  poller_->start();
  std::this_thread::sleep_for(150ms);
  EXPECT_GE(poller_->stats().polls_failed, 2u);
  EXPECT_EQ(serving(), "v1");
  cdn_.start(port);
  cdn_.publish(artifact("v2"), signing_);
  ASSERT_TRUE(wait_version("v2"));
  EXPECT_TRUE(wait_for([&] { return poller_->stats().source == "cdn"; }));
  EXPECT_TRUE(wait_for([&] { return poller_->stats().consecutive_failures == 0; }));
}

TEST_F(ManagedPollerTest, AnAlteredLastKnownGoodCopyIsNotUsed) {
  cdn_.start();
  cdn_.publish(artifact("v1"), signing_);
  make({cdn_.url()});
  ASSERT_TRUE(poller_->load_initial());
  std::string path = poller_->last_known_good_file();
  auto lkg = read_last_known_good(path);
  ASSERT_TRUE(lkg.ok());
  lkg->artifact = artifact("v9");  // someone edited it on disk
  ASSERT_TRUE(write_last_known_good(path, *lkg).ok());
  cdn_.stop();

  holder_.set(nullptr);
  make({cdn_.url()});
  EXPECT_FALSE(poller_->load_initial());
  EXPECT_EQ(serving(), "");

  ASSERT_TRUE(config::write_file_atomic(path, "{\"format\":\"other\"}").ok());
  make({cdn_.url()});
  EXPECT_FALSE(poller_->load_initial());
}

TEST_F(ManagedPollerTest, NoConfigAnywhereThenTheCdnComesUp) {
  FakeCdn later;
  uint16_t port = later.start();
  later.stop();
  make({"http://127.0.0.1:" + std::to_string(port)});
  EXPECT_FALSE(poller_->load_initial());
  EXPECT_EQ(serving(), "");
  poller_->start();
  std::this_thread::sleep_for(100ms);
  later.start(port);
  later.publish(artifact("v1"), signing_);
  ASSERT_TRUE(wait_version("v1"));
  // The stats follow the swap.
  EXPECT_TRUE(wait_for([&] { return poller_->stats().source == "cdn"; }));
}

TEST_F(ManagedPollerTest, FailuresBackOffExponentially) {
  cdn_.start();
  cdn_.set({503, "down for maintenance", std::nullopt});
  config_.managed.backoff_initial = 40ms;
  config_.managed.backoff_max = 320ms;
  make({cdn_.url()});
  EXPECT_FALSE(poller_->load_initial());
  poller_->start();
  ASSERT_TRUE(cdn_.wait_requests(6, 10s));
  auto seen = cdn_.seen();
  std::vector<int64_t> gaps;
  for (size_t i = 1; i < seen.size(); ++i)
    gaps.push_back(
        std::chrono::duration_cast<std::chrono::milliseconds>(seen[i].at - seen[i - 1].at).count());
  // Delays: 40 (1 failure), 80, 160, 320, 320 … each randomized within its upper half.
  ASSERT_GE(gaps.size(), 5u);
  EXPECT_GE(gaps[2], 80);   // after 3 failures: at least 160/2
  EXPECT_GE(gaps[3], 160);  // after 4: at least 320/2
  for (int64_t g : gaps)
    EXPECT_LT(g, 320 + 1000) << "never much longer than backoff.max (scheduling slack)";
  ManagedStats s = poller_->stats();
  EXPECT_GE(s.consecutive_failures, 5u);
  EXPECT_NE(s.last_error.find("HTTP 503 down for maintenance"), std::string::npos) << s.last_error;
}

TEST_F(ManagedPollerTest, RefusedTokenKeepsTheConfig) {
  cdn_.start();
  cdn_.publish(artifact("v1"), signing_);
  make({cdn_.url()});
  ASSERT_TRUE(poller_->load_initial());
  poller_->start();
  cdn_.set({401, "{\"error\":\"unauthorized\",\"message\":\"invalid graph token: expired\"}",
            std::nullopt});
  ASSERT_TRUE(wait_for([&] { return poller_->stats().polls_failed >= 2; }));
  EXPECT_EQ(serving(), "v1");
  EXPECT_NE(poller_->stats().last_error.find("the CDN refused the graph token (401"),
            std::string::npos)
      << poller_->stats().last_error;
}

TEST_F(ManagedPollerTest, SlowCdnTimesOutAndTheNextUrlServes) {
  FakeCdn slow;
  slow.start();
  slow.set({200, artifact("slow"), std::nullopt, 3s});
  cdn_.start();
  cdn_.publish(artifact("v1"), signing_);
  config_.managed.request_timeout = 200ms;
  make({slow.url(), cdn_.url()});
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(poller_->load_initial());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(serving(), "v1");
}

TEST_F(ManagedPollerTest, HealthAndMetricsShowTheManagedState) {
  cdn_.start();
  cdn_.publish(artifact("v1"), signing_);
  make({cdn_.url()});
  ASSERT_TRUE(poller_->load_initial());
  RequestHandler handler(config_, holder_, nullptr);
  handler.set_reload_stats([this] { return reloader_->stats(); });
  handler.set_managed_stats([this] { return poller_->stats(); });
  auto get = [&](std::string path) {
    net::HttpRequest r;
    r.method = "GET";
    r.target = path;
    HttpAnswer out;
    handler.handle(std::move(r), [&](HttpAnswer a) { out = std::move(a); });
    return out;
  };
  HttpAnswer health = get("/health");
  EXPECT_NE(health.body.find("\"managed\":{\"graph\":\"acme/shop\",\"source\":\"cdn\""),
            std::string::npos)
      << health.body;
  EXPECT_NE(health.body.find("\"lastSuccessfulPoll\""), std::string::npos);
  EXPECT_NE(health.body.find("\"lastKnownGood\":{\"path\""), std::string::npos);
  HttpAnswer metrics = get("/metrics");
  EXPECT_NE(metrics.body.find("orbit_router_config_source{source=\"cdn\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("orbit_router_cdn_polls_total{result=\"updated\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.body.find("orbit_router_cdn_last_success_timestamp_seconds "),
            std::string::npos);
  EXPECT_NE(metrics.body.find("orbit_router_cdn_consecutive_failures 0"), std::string::npos);
  EXPECT_EQ(get("/health/ready").status, 200);
}

TEST_F(ManagedPollerTest, InitRejectsBadTokensAndKeys) {
  config_.managed.cdn_urls = {"http://127.0.0.1:1"};
  ConfigReloader reloader(config_, [](std::shared_ptr<const GraphSnapshot>) {});
  RouterConfig bad_token = config_;
  bad_token.managed.graph_token = "not-a-token";
  Status s = ManagedPoller(bad_token, reloader).init();
  EXPECT_NE(s.message().find("the graph token is not a graph token"), std::string::npos)
      << s.message();
  RouterConfig bad_key = config_;
  bad_key.managed.signature_public_key_path = (dir_ / "missing.pem").string();
  Status k = ManagedPoller(bad_key, reloader).init();
  EXPECT_NE(k.message().find("missing.pem"), std::string::npos) << k.message();
}

}  // namespace
}  // namespace orbit::router
