// orbit::cdn over real HTTP on 127.0.0.1 (port 0): the server, its access log, bad starts; and
// the operator commands.
#include "orbit/cdn/cdn_server.h"

#include <gtest/gtest.h>

#include <sstream>

#include "orbit/base/json.h"
#include "orbit/cdn/tools.h"
#include "orbit/config/atomic_file.h"
#include "orbit/security/artifact_signature.h"
#include "test_util.h"

namespace orbit::cdn {
namespace {

using testing::artifact_text;
using testing::BlockingClient;
using testing::Keys;
using testing::TempDir;
namespace fs = std::filesystem;

class CdnServerTest : public ::testing::Test {
 protected:
  CdnServerTest() : dir_("server") {}

  void SetUp() override {
    storage_ = (dir_.path() / "storage").string();
    fs::create_directories(storage_);
    token_pub_ = (dir_.path() / "token.pub.pem").string();
    ASSERT_TRUE(config::write_file_atomic(token_pub_, keys_.token.public_key().to_pem()).ok());
    revoked_ = (dir_.path() / "revoked.txt").string();
    ASSERT_TRUE(config::write_file_atomic(revoked_, "").ok());
    log_path_ = (dir_.path() / "access.log").string();
    log_ = std::fopen(log_path_.c_str(), "w");
    options_.listen = {"127.0.0.1", 0};
    options_.storage_dir = storage_;
    options_.token_public_key_path = token_pub_;
    options_.revocations_path = revoked_;
    options_.revocations_poll_interval = std::chrono::milliseconds(20);
    options_.access_log = log_;
  }
  void TearDown() override {
    if (log_ != nullptr) std::fclose(log_);
  }

  std::string url(uint16_t port, const std::string& org, const std::string& graph) {
    return "http://127.0.0.1:" + std::to_string(port) + "/" + org + "/" + graph +
           "/routerconfigs/latest.json";
  }
  net::HttpHeaders bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  TempDir dir_;
  Keys keys_;
  std::string storage_, token_pub_, revoked_, log_path_;
  std::FILE* log_ = nullptr;
  CdnOptions options_;
};

TEST_F(CdnServerTest, ServesOverHttp) {
  std::string v1 = artifact_text("v1");
  ASSERT_TRUE(ArtifactStore::publish(storage_, "acme", "shop", v1, keys_.artifact).ok());
  CdnServer server(options_);
  ASSERT_TRUE(server.start().ok());
  ASSERT_NE(server.port(), 0);
  BlockingClient client;
  int64_t now = security::unix_now();
  std::string token = keys_.mint("acme", "shop", "tok-1", now);

  auto ok = client.get(url(server.port(), "acme", "shop"), bearer(token));
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, v1);
  std::string etag(*ok->headers.get("ETag"));
  auto signature = security::parse_signature_header(*ok->headers.get("X-Orbit-Signature"));
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(security::verify_artifact(ok->body, *signature,
                                        security::PublicKeySet({keys_.artifact.public_key()}))
                  .ok());

  net::HttpHeaders conditional = bearer(token);
  conditional.add("If-None-Match", etag);
  auto not_modified = client.get(url(server.port(), "acme", "shop"), conditional);
  ASSERT_TRUE(not_modified.ok());
  EXPECT_EQ(not_modified->status, 304);
  EXPECT_EQ(not_modified->body, "");

  // HEAD: the same status and headers, no body.
  auto head = client.get(url(server.port(), "acme", "shop"), bearer(token), "HEAD");
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
  EXPECT_EQ(head->headers.get("ETag"), etag);
  EXPECT_EQ(head->headers.get("Content-Length"), std::to_string(v1.size()));
  EXPECT_TRUE(head->headers.get("X-Orbit-Signature").has_value());
  EXPECT_EQ(client.get(url(server.port(), "acme", "shop"), {}, "HEAD")->status, 401);

  EXPECT_EQ(client.get(url(server.port(), "acme", "shop"))->status, 401);
  EXPECT_EQ(client.get(url(server.port(), "acme", "other"), bearer(token))->status, 403);
  EXPECT_EQ(
      client
          .get(url(server.port(), "acme", "other"), bearer(keys_.mint("acme", "other", "t2", now)))
          ->status,
      404);

  // Revocation while running.
  ASSERT_TRUE(config::write_file_atomic(revoked_, "tok-1\n").ok());
  for (int i = 0; i < 300 && server.revocations()->stats().reloads == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(client.get(url(server.port(), "acme", "shop"), bearer(token))->status, 403);
  auto health = client.get("http://127.0.0.1:" + std::to_string(server.port()) + "/health");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("\"revoked\":1"), std::string::npos) << health->body;
  server.stop();

  // One JSON line per request, none of them holding the token.
  std::fflush(log_);
  std::istringstream lines(testing::read_file(log_path_));
  std::vector<int> statuses;
  for (std::string line; std::getline(lines, line);) {
    Arena arena;
    auto json = parse_json(line, arena);
    ASSERT_TRUE(json.ok()) << line;
    statuses.push_back(static_cast<int>(json->find("status")->as_int64()));
    EXPECT_EQ(line.find(token), std::string::npos);
    EXPECT_NE(json->find("remote"), nullptr);
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 304, 200, 401, 401, 403, 404, 403, 200}));
}

TEST_F(CdnServerTest, BadStartsSayWhy) {
  struct Case {
    std::function<void(CdnOptions&)> change;
    std::string message;
  };
  std::string bad_list = (dir_.path() / "bad-revoked.txt").string();
  ASSERT_TRUE(config::write_file_atomic(bad_list, "not a token id\n").ok());
  const Case cases[] = {
      {[](CdnOptions& o) { o.storage_dir = ""; }, "no storage directory"},
      {[&](CdnOptions& o) { o.storage_dir = (dir_.path() / "none").string(); }, "not a directory"},
      {[](CdnOptions& o) { o.token_public_key_path = ""; }, "no public key to verify graph tokens"},
      {[&](CdnOptions& o) { o.token_public_key_path = revoked_; }, "no \"BEGIN PUBLIC KEY\" block"},
      {[&](CdnOptions& o) { o.revocations_path = (dir_.path() / "missing.txt").string(); },
       "missing.txt"},
      {[&](CdnOptions& o) { o.revocations_path = bad_list; }, "is not a token id"},
  };
  for (const Case& c : cases) {
    CdnOptions o = options_;
    c.change(o);
    CdnServer server(o);
    Status s = server.start();
    EXPECT_FALSE(s.ok()) << c.message;
    EXPECT_NE(s.message().find(c.message), std::string::npos) << s.message();
  }
}

TEST(CdnTools, KeygenTokenPublish) {
  TempDir dir("tools");
  std::string priv = (dir.path() / "k.pem").string(), pub = (dir.path() / "k.pub.pem").string();
  std::ostringstream out;
  ASSERT_TRUE(run_keygen(priv, pub, out).ok());
  EXPECT_NE(out.str().find("key id "), std::string::npos);
  EXPECT_FALSE(run_keygen(priv, pub, out).ok());  // never overwrites

  MintOptions mint;
  mint.private_key_path = priv;
  mint.org = "acme";
  mint.graph = "shop";
  mint.ttl_seconds = 3600;
  std::ostringstream token_out;
  ASSERT_TRUE(run_mint_token(mint, token_out).ok());
  std::string token = token_out.str();
  ASSERT_EQ(token.back(), '\n');
  token.pop_back();
  security::GraphTokenVerifier verifier(*security::load_public_keys(pub));
  security::TokenCheck check =
      verifier.authorize(token, "acme", "shop", nullptr, security::unix_now());
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.claims.token_id.size(), 22u);
  ASSERT_TRUE(check.claims.expires_at.has_value());
  mint.org = "a/b";
  EXPECT_FALSE(run_mint_token(mint, token_out).ok());

  std::string artifact = (dir.path() / "router.json").string();
  ASSERT_TRUE(config::write_file_atomic(artifact, artifact_text("v7")).ok());
  std::string storage = (dir.path() / "storage").string();
  std::ostringstream published;
  Status s = run_publish(storage, "acme", "shop", artifact, priv, published);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_NE(published.str().find("(version v7)"), std::string::npos) << published.str();
  ArtifactStore store(storage);
  auto read = store.read("acme", "shop");
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(
      security::verify_artifact((*read)->body, (*read)->signature, *security::load_public_keys(pub))
          .ok());
  // Not an artifact: refused before it is signed.
  ASSERT_TRUE(config::write_file_atomic(artifact, "{\"version\": 1}").ok());
  Status bad = run_publish(storage, "acme", "shop", artifact, priv, published);
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("router.json: missing"), std::string::npos) << bad.message();
  EXPECT_FALSE(run_publish(storage, "..", "shop", artifact, priv, published).ok());
}

}  // namespace
}  // namespace orbit::cdn
