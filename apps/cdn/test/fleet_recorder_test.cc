#include "orbit/cdn/fleet_recorder.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "orbit/cdn/cdn_handler.h"
#include "orbit/cdn/cdn_server.h"
#include "orbit/config/atomic_file.h"
#include "orbit/security/sha256.h"
#include "test_util.h"

namespace orbit::cdn {
namespace {

using testing::artifact_text;
using testing::BlockingClient;
using testing::Keys;
using testing::read_file;
using testing::TempDir;
namespace fs = std::filesystem;

constexpr int64_t kNow = 1'767'225'600;
constexpr std::string_view kPath = "/acme/shop/routerconfigs/latest.json";

net::HttpHeaders identity(const std::string& id, const std::string& config_version = "v1") {
  return {{"X-Orbit-Router-Id", id},
          {"X-Orbit-Router-Host", "web-1.example.com"},
          {"X-Orbit-Router-Version", "0.1.0"},
          {"X-Orbit-Config-Version", config_version},
          {"X-Orbit-Poll-Interval", "10"}};
}

RouterSighting sighting(const std::string& id) {
  RouterSighting s;
  s.id = id;
  s.host = "h-" + id;
  s.poll_interval_seconds = 10;
  return s;
}

std::vector<std::string> temporaries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp.") != std::string::npos)
      out.push_back(e.path().filename().string());
  return out;
}

TEST(FleetHeaders, ValidatesEveryValue) {
  auto s = sighting_from_headers(identity("3f2a-9c1e"));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->id, "3f2a-9c1e");
  EXPECT_EQ(s->host, "web-1.example.com");
  EXPECT_EQ(s->orbit_version, "0.1.0");
  EXPECT_EQ(s->config_version, "v1");
  EXPECT_EQ(s->poll_interval_seconds, 10);
  EXPECT_TRUE(s->token_id.empty());

  // No id, or a bad one: no sighting at all.
  EXPECT_FALSE(sighting_from_headers({}).has_value());
  EXPECT_FALSE(sighting_from_headers({{"X-Orbit-Router-Id", ""}}).has_value());
  EXPECT_FALSE(sighting_from_headers({{"X-Orbit-Router-Id", "a b"}}).has_value());
  EXPECT_FALSE(sighting_from_headers({{"X-Orbit-Router-Id", "x\"y"}}).has_value());
  EXPECT_FALSE(sighting_from_headers({{"X-Orbit-Router-Id", std::string(65, 'a')}}).has_value());
  EXPECT_TRUE(sighting_from_headers({{"X-Orbit-Router-Id", std::string(64, 'a')}}).has_value());

  // A bad optional value is dropped, the sighting kept.
  net::HttpHeaders bad = {{"X-Orbit-Router-Id", "r1"},
                          {"X-Orbit-Router-Host", "web 1"},
                          {"X-Orbit-Router-Version", std::string(65, '1')},
                          {"X-Orbit-Config-Version", "v\x01"},
                          {"X-Orbit-Poll-Interval", "10s"}};
  s = sighting_from_headers(bad);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->host, "");
  EXPECT_EQ(s->orbit_version, "");
  EXPECT_EQ(s->config_version, "");
  EXPECT_EQ(s->poll_interval_seconds, 0);
  for (std::string interval : {"0", "-5", "86401", "9999999", "", "1e3"}) {
    s = sighting_from_headers({{"X-Orbit-Router-Id", "r1"}, {"X-Orbit-Poll-Interval", interval}});
    EXPECT_EQ(s->poll_interval_seconds, 0) << interval;
  }
  s = sighting_from_headers({{"X-Orbit-Router-Id", "r1"}, {"X-Orbit-Poll-Interval", "86400"}});
  EXPECT_EQ(s->poll_interval_seconds, 86400);
}

TEST(FleetFile, RoundTripsAndRefusesOtherFiles) {
  RouterSighting a = sighting("a");
  a.orbit_version = "0.1.0";
  a.config_version = "v\"7\"";
  a.token_id = "tok-1";
  a.first_seen_ms = 1000;
  a.last_seen_ms = 2000;
  std::string text = write_fleet_file("acme", "shop", {a});
  auto back = parse_fleet_file(text);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0], a);

  EXPECT_FALSE(parse_fleet_file("").ok());
  EXPECT_FALSE(parse_fleet_file("[]").ok());
  EXPECT_FALSE(parse_fleet_file(R"({"format":"other","formatVersion":1,"routers":[]})").ok());
  EXPECT_FALSE(
      parse_fleet_file(R"({"format":"orbit-cdn-routers","formatVersion":2,"routers":[]})").ok());
  // Entries without a valid id or a last-seen time are skipped, the rest kept.
  auto partial = parse_fleet_file(
      R"({"format":"orbit-cdn-routers","formatVersion":1,"routers":[
        {"id":"bad id","lastSeenMs":5},{"id":"ok","lastSeenMs":0},7,
        {"id":"r2","lastSeenMs":9,"firstSeenMs":99,"pollIntervalSeconds":-3}]})");
  ASSERT_TRUE(partial.ok());
  ASSERT_EQ(partial->size(), 1u);
  EXPECT_EQ((*partial)[0].id, "r2");
  EXPECT_EQ((*partial)[0].first_seen_ms, 9);  // never after last seen
  EXPECT_EQ((*partial)[0].poll_interval_seconds, 0);

  EXPECT_EQ(read_fleet_file("/nonexistent/routers.json").status().code(), ErrorCode::kNotFound);
}

class FleetRecorderTest : public ::testing::Test {
 protected:
  FleetRecorderTest() : dir_("fleet") {}
  void SetUp() override {
    root_ = (dir_.path() / "storage").string();
    fs::create_directories(fs::path(root_) / "acme" / "shop");
    fs::create_directories(fs::path(root_) / "acme" / "blog");
  }
  std::unique_ptr<FleetRecorder> recorder(FleetOptions options = {}) {
    return std::make_unique<FleetRecorder>(root_, options, [this] { return now_ms_.load(); });
  }
  std::vector<RouterSighting> file(const std::string& graph) {
    auto r = read_fleet_file(fleet_file_path(root_, "acme", graph));
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : std::vector<RouterSighting>();
  }

  TempDir dir_;
  std::string root_;
  std::atomic<int64_t> now_ms_{kNow * 1000};
};

TEST_F(FleetRecorderTest, FlushWritesChangedGraphsAtomically) {
  auto fleet = recorder();
  EXPECT_EQ(fleet->flush(), 0u);  // nothing seen: nothing written
  EXPECT_FALSE(fs::exists(fleet_file_path(root_, "acme", "shop")));

  fleet->record("acme", "shop", sighting("r1"));
  now_ms_ += 1000;
  RouterSighting again = sighting("r1");
  again.config_version = "v2";
  fleet->record("acme", "shop", again);
  fleet->record("acme", "shop", sighting("r2"));
  EXPECT_EQ(fleet->flush(), 1u);
  auto routers = file("shop");
  ASSERT_EQ(routers.size(), 2u);
  // Newest first; r1 kept its first sighting and took the later values.
  EXPECT_EQ(routers[0].id, "r1");
  EXPECT_EQ(routers[0].config_version, "v2");
  EXPECT_EQ(routers[0].first_seen_ms, kNow * 1000);
  EXPECT_EQ(routers[0].last_seen_ms, kNow * 1000 + 1000);
  EXPECT_EQ(routers[0].poll_interval_seconds, 10);
  EXPECT_TRUE(temporaries(fs::path(root_) / "acme" / "shop").empty());

  // Unchanged since: not written again.
  EXPECT_EQ(fleet->flush(), 0u);
  // A change is written by rename: a reader holding the old file keeps reading it whole.
  std::ifstream old(fleet_file_path(root_, "acme", "shop"));
  fleet->record("acme", "shop", sighting("r3"));
  EXPECT_EQ(fleet->flush(), 1u);
  std::stringstream before;
  before << old.rdbuf();
  EXPECT_TRUE(parse_fleet_file(before.str()).ok());
  EXPECT_EQ(parse_fleet_file(before.str())->size(), 2u);
  EXPECT_EQ(file("shop").size(), 3u);
  EXPECT_EQ(fleet->stats().files_written, 2u);
  EXPECT_EQ(fleet->stats().sightings, 4u);
}

TEST_F(FleetRecorderTest, MergesWhatAnotherInstanceWrote) {
  RouterSighting theirs = sighting("other");
  theirs.first_seen_ms = kNow * 1000 - 5000;
  theirs.last_seen_ms = kNow * 1000 - 1000;
  RouterSighting shared = sighting("shared");
  shared.first_seen_ms = kNow * 1000 - 9000;
  shared.last_seen_ms = kNow * 1000 + 60'000;  // the other instance saw it later
  shared.config_version = "v9";
  ASSERT_TRUE(config::write_file_atomic(fleet_file_path(root_, "acme", "shop"),
                                        write_fleet_file("acme", "shop", {theirs, shared}))
                  .ok());
  auto fleet = recorder();
  fleet->record("acme", "shop", sighting("mine"));
  RouterSighting s = sighting("shared");
  s.config_version = "v8";
  fleet->record("acme", "shop", s);
  ASSERT_EQ(fleet->flush(), 1u);
  auto routers = file("shop");
  ASSERT_EQ(routers.size(), 3u);
  std::map<std::string, RouterSighting> by_id;
  for (auto& r : routers)
    by_id[r.id] = r;
  EXPECT_EQ(by_id["other"], theirs);
  EXPECT_EQ(by_id["shared"].config_version, "v9");               // the later sighting
  EXPECT_EQ(by_id["shared"].first_seen_ms, kNow * 1000 - 9000);  // the earlier first one
  EXPECT_EQ(by_id["mine"].last_seen_ms, kNow * 1000);

  // A broken file is replaced by what this instance saw.
  ASSERT_TRUE(config::write_file_atomic(fleet_file_path(root_, "acme", "shop"), "{not json").ok());
  fleet->record("acme", "shop", sighting("mine"));
  ASSERT_EQ(fleet->flush(), 1u);
  EXPECT_EQ(file("shop").size(), 2u);  // mine and shared, from memory
}

TEST_F(FleetRecorderTest, LimitsAndAge) {
  FleetOptions options;
  options.max_routers_per_graph = 3;
  options.max_routers = 4;
  options.max_age = std::chrono::hours(1);
  auto fleet = recorder(options);
  for (int i = 0; i < 5; ++i) {
    fleet->record("acme", "shop", sighting("s" + std::to_string(i)));
    now_ms_ += 10;
  }
  // The graph keeps its 3 most recent routers: s0 and s1 were evicted.
  FleetStats st = fleet->stats();
  EXPECT_EQ(st.routers, 3u);
  EXPECT_EQ(st.evicted, 2u);
  fleet->record("acme", "blog", sighting("b0"));
  fleet->record("acme", "blog", sighting("b1"));   // over max_routers: dropped
  fleet->record("acme", "other", sighting("o0"));  // a new graph over max_routers: dropped
  st = fleet->stats();
  EXPECT_EQ(st.routers, 4u);
  EXPECT_EQ(st.dropped, 2u);
  EXPECT_EQ(fleet->flush(), 2u);  // shop and blog; "other" has no directory and no routers
  std::vector<std::string> ids;
  for (auto& r : file("shop"))
    ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"s4", "s3", "s2"}));
  EXPECT_EQ(file("blog").size(), 1u);

  // Not seen for max_age: out of memory and out of the file at the next flush.
  now_ms_ += 2 * 3600 * 1000;
  fleet->record("acme", "shop", sighting("fresh"));
  EXPECT_EQ(fleet->flush(), 2u);
  ASSERT_EQ(file("shop").size(), 1u);
  EXPECT_EQ(file("shop")[0].id, "fresh");
  EXPECT_TRUE(file("blog").empty());
  EXPECT_EQ(fleet->stats().routers, 1u);
  EXPECT_EQ(fleet->stats().graphs, 1u);
}

TEST_F(FleetRecorderTest, NeverCreatesADeletedGraphsDirectory) {
  auto fleet = recorder();
  fleet->record("acme", "gone", sighting("r1"));
  EXPECT_EQ(fleet->flush(), 0u);
  EXPECT_FALSE(fs::exists(fs::path(root_) / "acme" / "gone"));
  EXPECT_EQ(fleet->stats().write_failures, 0u);
  // A storage that refuses the write (here a directory in the file's place, which stops root
  // too) is counted, logged and retried at the next flush.
  fleet->record("acme", "shop", sighting("r1"));
  fs::path in_the_way = fleet_file_path(root_, "acme", "shop");
  fs::create_directories(in_the_way / "in-the-way");
  EXPECT_EQ(fleet->flush(), 0u);
  EXPECT_EQ(fleet->stats().write_failures, 1u);
  EXPECT_NE(fleet->stats().last_error.find("routers.json"), std::string::npos);
  EXPECT_TRUE(temporaries(fs::path(root_) / "acme" / "shop").empty());
  fs::remove_all(in_the_way);
  EXPECT_EQ(fleet->flush(), 1u);
  EXPECT_EQ(file("shop").size(), 1u);
}

TEST_F(FleetRecorderTest, ConcurrentRecordsAndFlushes) {
  FleetOptions options;
  options.flush_interval = std::chrono::milliseconds(5);
  auto fleet = recorder(options);
  fleet->start();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i)
        fleet->record("acme", t % 2 ? "shop" : "blog",
                      sighting("t" + std::to_string(t) + "-" + std::to_string(i % 20)));
    });
  for (auto& th : threads)
    th.join();
  fleet->stop();  // a last flush
  EXPECT_EQ(file("shop").size(), 40u);
  EXPECT_EQ(file("blog").size(), 40u);
  EXPECT_TRUE(temporaries(fs::path(root_) / "acme" / "shop").empty());
}

// Only polls whose token grants the graph, and that were answered, are recorded.
class FleetHandlerTest : public FleetRecorderTest {
 protected:
  void SetUp() override {
    FleetRecorderTest::SetUp();
    v1_ = artifact_text("v1");
    ASSERT_TRUE(ArtifactStore::publish(root_, "acme", "shop", v1_, keys_.artifact).ok());
    revoked_path_ = (dir_.path() / "revoked.txt").string();
    ASSERT_TRUE(config::write_file_atomic(revoked_path_, "tok-revoked\n").ok());
    revocations_ = std::make_unique<RevocationSource>(revoked_path_, std::chrono::milliseconds(20));
    ASSERT_TRUE(revocations_->start().ok());
    store_ = std::make_unique<ArtifactStore>(root_);
    fleet_ = recorder();
    handler_ = std::make_unique<CdnHandler>(
        *store_, security::GraphTokenVerifier(security::PublicKeySet({keys_.token.public_key()})),
        revocations_.get(), [] { return kNow; });
    handler_->set_fleet(fleet_.get());
  }
  void TearDown() override {
    if (revocations_) revocations_->stop();
  }
  int poll(std::string_view path, std::optional<std::string> token, net::HttpHeaders headers,
           std::string method = "GET") {
    net::HttpRequest r;
    r.method = std::move(method);
    r.target = std::string(path);
    r.headers = std::move(headers);
    if (token) r.headers.add("Authorization", "Bearer " + *token);
    AccessRecord record;
    return handler_->handle(r, &record).status;
  }

  Keys keys_;
  std::string v1_, revoked_path_;
  std::unique_ptr<RevocationSource> revocations_;
  std::unique_ptr<ArtifactStore> store_;
  std::unique_ptr<FleetRecorder> fleet_;
  std::unique_ptr<CdnHandler> handler_;
};

TEST_F(FleetHandlerTest, OnlyAuthorizedPollsAreRecorded) {
  std::string good = keys_.mint("acme", "shop", "tok-1", kNow);
  EXPECT_EQ(poll(kPath, std::nullopt, identity("anon")), 401);
  EXPECT_EQ(poll(kPath, "garbage", identity("bad-token")), 401);
  EXPECT_EQ(poll(kPath, keys_.mint("acme", "shop", "tok-x", kNow, &keys_.stranger),
                 identity("untrusted-key")),
            401);
  EXPECT_EQ(poll(kPath, keys_.mint("acme", "blog", "tok-2", kNow), identity("other-graph")), 403);
  EXPECT_EQ(poll(kPath, keys_.mint("acme", "shop", "tok-revoked", kNow), identity("revoked")), 403);
  EXPECT_EQ(poll("/acme/blog/routerconfigs/latest.json", keys_.mint("acme", "blog", "tok-3", kNow),
                 identity("nothing-published")),
            404);
  EXPECT_EQ(poll(kPath, good, identity("wrong-method"), "POST"), 405);
  EXPECT_EQ(poll("/health", std::nullopt, identity("health")), 200);
  EXPECT_EQ(poll(kPath, good, {}), 200);  // no identity: served, not recorded
  EXPECT_EQ(fleet_->stats().sightings, 0u);
  EXPECT_EQ(fleet_->flush(), 0u);
  EXPECT_FALSE(fs::exists(fleet_file_path(root_, "acme", "blog")));

  EXPECT_EQ(poll(kPath, good, identity("r1")), 200);
  net::HttpHeaders conditional = identity("r2", "v1");
  conditional.add("If-None-Match", "\"" + security::sha256_hex(v1_) + "\"");
  EXPECT_EQ(poll(kPath, good, conditional), 304);
  EXPECT_EQ(poll(kPath, good, identity("r3"), "HEAD"), 200);
  EXPECT_EQ(fleet_->flush(), 1u);
  auto routers = file("shop");
  ASSERT_EQ(routers.size(), 3u);
  for (const auto& r : routers) {
    EXPECT_EQ(r.token_id, "tok-1");
    EXPECT_EQ(r.host, "web-1.example.com");
  }
  // The token itself is nowhere in the file.
  EXPECT_EQ(read_file(fleet_file_path(root_, "acme", "shop")).find(good), std::string::npos);
}

TEST(FleetServer, RecordsPollsOverHttpAndFlushesOnStop) {
  TempDir dir("fleet-server");
  Keys keys;
  std::string storage = (dir.path() / "storage").string();
  fs::create_directories(storage);
  ASSERT_TRUE(
      ArtifactStore::publish(storage, "acme", "shop", artifact_text("v1"), keys.artifact).ok());
  std::string token_pub = (dir.path() / "token.pub.pem").string();
  ASSERT_TRUE(config::write_file_atomic(token_pub, keys.token.public_key().to_pem()).ok());
  CdnOptions options;
  options.listen = {"127.0.0.1", 0};
  options.storage_dir = storage;
  options.token_public_key_path = token_pub;
  options.access_log = nullptr;
  options.fleet.flush_interval = std::chrono::hours(1);  // only the flush at stop
  CdnServer server(options);
  ASSERT_TRUE(server.start().ok());
  {
    BlockingClient client;
    net::HttpHeaders headers = identity("r-http");
    headers.add("Authorization",
                "Bearer " + keys.mint("acme", "shop", "tok-1", security::unix_now()));
    std::string base = "http://127.0.0.1:" + std::to_string(server.port());
    auto answer = client.get(base + std::string(kPath), headers);
    ASSERT_TRUE(answer.ok()) << answer.status().message();
    EXPECT_EQ(answer->status, 200);
    auto health = client.get(base + "/health");
    ASSERT_TRUE(health.ok());
    EXPECT_NE(health->body.find("\"fleet\":{\"graphs\":1,\"routers\":1"), std::string::npos)
        << health->body;
  }
  EXPECT_FALSE(fs::exists(fleet_file_path(storage, "acme", "shop")));
  server.stop();
  auto routers = read_fleet_file(fleet_file_path(storage, "acme", "shop"));
  ASSERT_TRUE(routers.ok()) << routers.status().message();
  ASSERT_EQ(routers->size(), 1u);
  EXPECT_EQ((*routers)[0].id, "r-http");
  EXPECT_EQ((*routers)[0].config_version, "v1");
}

}  // namespace
}  // namespace orbit::cdn
