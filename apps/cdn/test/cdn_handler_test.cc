#include "orbit/cdn/cdn_handler.h"

#include <gtest/gtest.h>

#include "orbit/cdn/access_log.h"
#include "orbit/config/atomic_file.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/sha256.h"
#include "test_util.h"

namespace orbit::cdn {
namespace {

using testing::artifact_text;
using testing::Keys;
using testing::TempDir;
namespace fs = std::filesystem;

constexpr int64_t kNow = 1'767'225'600;
constexpr std::string_view kPath = "/acme/shop/routerconfigs/latest.json";

class CdnHandlerTest : public ::testing::Test {
 protected:
  CdnHandlerTest() : dir_("handler") {}

  void SetUp() override {
    root_ = (dir_.path() / "storage").string();
    fs::create_directories(root_);
    v1_ = artifact_text("v1");
    ASSERT_TRUE(ArtifactStore::publish(root_, "acme", "shop", v1_, keys_.artifact).ok());
    // acme/empty exists as a directory but nothing was published; acme/secret exists.
    fs::create_directories(fs::path(root_) / "acme" / "empty");
    ASSERT_TRUE(
        ArtifactStore::publish(root_, "acme", "secret", artifact_text("s1"), keys_.artifact).ok());
    revoked_path_ = (dir_.path() / "revoked.txt").string();
    ASSERT_TRUE(config::write_file_atomic(revoked_path_, "# none yet\n").ok());
    revocations_ = std::make_unique<RevocationSource>(revoked_path_, std::chrono::milliseconds(20));
    ASSERT_TRUE(revocations_->start().ok());
    store_ = std::make_unique<ArtifactStore>(root_);
    handler_ = std::make_unique<CdnHandler>(
        *store_, security::GraphTokenVerifier(security::PublicKeySet({keys_.token.public_key()})),
        revocations_.get(), [] { return kNow; });
  }

  CdnAnswer get(std::string_view path, std::optional<std::string> token,
                net::HttpHeaders extra = {}, AccessRecord* record = nullptr) {
    net::HttpRequest r;
    r.method = "GET";
    r.target = std::string(path);
    r.headers = std::move(extra);
    if (token) r.headers.add("Authorization", "Bearer " + *token);
    AccessRecord local;
    return handler_->handle(r, record ? record : &local);
  }
  std::string token(const std::string& org, const std::string& graph,
                    const std::string& id = "tok-1") {
    return keys_.mint(org, graph, id, kNow);
  }

  TempDir dir_;
  Keys keys_;
  std::string root_, v1_, revoked_path_;
  std::unique_ptr<RevocationSource> revocations_;
  std::unique_ptr<ArtifactStore> store_;
  std::unique_ptr<CdnHandler> handler_;
};

TEST_F(CdnHandlerTest, ServesTheArtifactWithETagAndSignature) {
  AccessRecord record;
  CdnAnswer a = get(kPath, token("acme", "shop"), {}, &record);
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(a.body, v1_);
  std::string etag = "\"" + security::sha256_hex(v1_) + "\"";
  EXPECT_EQ(a.headers.get("ETag"), etag);
  EXPECT_EQ(a.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(a.headers.get("Cache-Control"), "no-cache");
  auto signature = security::parse_signature_header(*a.headers.get("X-Orbit-Signature"));
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(security::verify_artifact(a.body, *signature,
                                        security::PublicKeySet({keys_.artifact.public_key()}))
                  .ok());
  EXPECT_EQ(record.org, "acme");
  EXPECT_EQ(record.graph, "shop");
  EXPECT_EQ(record.token_id, "tok-1");
  EXPECT_EQ(record.etag, etag);
  EXPECT_EQ(record.reason, "");
}

TEST_F(CdnHandlerTest, ConditionalRequests) {
  std::string etag = "\"" + security::sha256_hex(v1_) + "\"";
  for (std::string inm : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    CdnAnswer a = get(kPath, token("acme", "shop"), {{"If-None-Match", inm}});
    EXPECT_EQ(a.status, 304) << inm;
    EXPECT_EQ(a.body, "");
    EXPECT_EQ(a.headers.get("ETag"), etag);
    EXPECT_TRUE(a.headers.contains("X-Orbit-Signature"));
  }
  EXPECT_EQ(get(kPath, token("acme", "shop"), {{"If-None-Match", "\"stale\""}}).status, 200);
  // A new version: the old ETag no longer matches.
  ASSERT_TRUE(
      ArtifactStore::publish(root_, "acme", "shop", artifact_text("v2"), keys_.artifact).ok());
  CdnAnswer changed = get(kPath, token("acme", "shop"), {{"If-None-Match", etag}});
  EXPECT_EQ(changed.status, 200);
  EXPECT_EQ(changed.body, artifact_text("v2"));
  // Unauthorized conditional requests learn nothing either.
  EXPECT_EQ(get(kPath, std::nullopt, {{"If-None-Match", "*"}}).status, 401);
}

TEST_F(CdnHandlerTest, UnauthenticatedIs401) {
  security::GraphTokenClaims expired;
  expired.org = "acme";
  expired.graph = "shop";
  expired.token_id = "old";
  expired.issued_at = kNow - 7200;
  expired.expires_at = kNow - 3600;
  security::GraphTokenClaims other_audience = expired;
  other_audience.expires_at.reset();
  other_audience.audience = "somewhere-else";
  const std::pair<std::optional<std::string>, std::string> cases[] = {
      {std::nullopt, "missing_token"},
      {"", "not_bearer"},
      {"not-a-jwt", "malformed"},
      {*security::mint_graph_token(expired, keys_.token), "expired"},
      {*security::mint_graph_token(other_audience, keys_.token), "wrong_audience"},
      {keys_.mint("acme", "shop", "x", kNow, &keys_.stranger), "unknown_key"},
  };
  for (const auto& [t, reason] : cases) {
    AccessRecord record;
    CdnAnswer a = get(kPath, t, {}, &record);
    EXPECT_EQ(a.status, 401) << reason;
    EXPECT_EQ(record.reason, reason);
    EXPECT_NE(a.headers.get("WWW-Authenticate").value_or("").find("Bearer realm=\"orbit-cdn\""),
              std::string::npos);
    EXPECT_FALSE(a.headers.contains("ETag"));
    EXPECT_EQ(a.body.find("latest.json\""), std::string::npos);
  }
  CdnAnswer basic = get(kPath, std::nullopt, {{"Authorization", "Basic YTpi"}});
  EXPECT_EQ(basic.status, 401);
  // "bearer" in any case, spaces around the token.
  EXPECT_EQ(get(kPath, std::nullopt, {{"Authorization", "bearer   " + token("acme", "shop") + " "}})
                .status,
            200);
}

TEST_F(CdnHandlerTest, OtherGraphOrRevokedIs403) {
  AccessRecord record;
  EXPECT_EQ(get(kPath, token("acme", "secret"), {}, &record).status, 403);
  EXPECT_EQ(record.reason, "wrong_graph");
  EXPECT_EQ(get(kPath, token("evil", "shop"), {}, &record).status, 403);

  // Revoked: the file is re-read when it changes.
  std::string t = token("acme", "shop", "tok-9");
  EXPECT_EQ(get(kPath, t).status, 200);
  ASSERT_TRUE(config::write_file_atomic(revoked_path_, "tok-9\n").ok());
  for (int i = 0; i < 200 && revocations_->stats().reloads == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CdnAnswer a = get(kPath, t, {}, &record);
  EXPECT_EQ(a.status, 403);
  EXPECT_EQ(record.reason, "revoked");
  EXPECT_EQ(get(kPath, token("acme", "shop", "tok-10")).status, 200);
  // An invalid list is not applied: tok-9 stays revoked.
  ASSERT_TRUE(config::write_file_atomic(revoked_path_, "tok 10\n").ok());
  for (int i = 0; i < 200 && revocations_->stats().failures == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(revocations_->stats().failures, 1u);
  EXPECT_EQ(get(kPath, t).status, 403);
  EXPECT_EQ(get(kPath, token("acme", "shop", "tok-10")).status, 200);
  CdnAnswer health = get("/health", std::nullopt);
  EXPECT_NE(health.body.find("\"revoked\":1"), std::string::npos) << health.body;
  EXPECT_NE(health.body.find("\"lastError\""), std::string::npos) << health.body;
}

TEST_F(CdnHandlerTest, NotFoundOnlyForAnAuthorizedCaller) {
  AccessRecord record;
  CdnAnswer a = get("/acme/empty/routerconfigs/latest.json", token("acme", "empty"), {}, &record);
  EXPECT_EQ(a.status, 404);
  EXPECT_EQ(record.reason, "not_found");
  EXPECT_EQ(get("/acme/nothing/routerconfigs/latest.json", token("acme", "nothing")).status, 404);

  // An unauthorized caller gets the very same answer for a graph that exists (secret), one
  // that has a directory but no artifact (empty) and one that does not exist at all (nothing).
  auto same = [&](std::optional<std::string> t) {
    std::vector<CdnAnswer> answers;
    for (const char* graph : {"secret", "empty", "nothing"})
      answers.push_back(get("/acme/" + std::string(graph) + "/routerconfigs/latest.json", t));
    for (const CdnAnswer& x : answers) {
      EXPECT_TRUE(x.status == 401 || x.status == 403) << x.status;
      EXPECT_EQ(x.status, answers[0].status);
      EXPECT_EQ(x.body, answers[0].body);
      EXPECT_EQ(x.headers.fields(), answers[0].headers.fields());
    }
  };
  same(std::nullopt);
  same("garbage");
  same(token("acme", "shop"));  // valid, for another graph: 403 for all three
  same(keys_.mint("acme", "secret", "x", kNow, &keys_.stranger));  // forged for the graph
  // Names that could never be graphs are refused like any other graph.
  EXPECT_EQ(get("/acme/..%2f..%2fetc/routerconfigs/latest.json", token("acme", "shop")).status,
            403);
  EXPECT_EQ(get("/acme/../routerconfigs/latest.json", token("acme", "shop")).status, 403);
}

TEST_F(CdnHandlerTest, OtherPathsMethodsAndHealth) {
  EXPECT_EQ(get("/", std::nullopt).status, 404);
  EXPECT_EQ(get("/acme/shop/routerconfigs/v1.json", token("acme", "shop")).status, 404);
  EXPECT_EQ(get("/acme/shop/x/routerconfigs/latest.json", token("acme", "shop")).status, 404);
  EXPECT_EQ(get("//shop/routerconfigs/latest.json", token("acme", "shop")).status, 404);
  // The query string does not matter.
  EXPECT_EQ(get(std::string(kPath) + "?v=2", token("acme", "shop")).status, 200);
  net::HttpRequest post;
  post.method = "POST";
  post.target = std::string(kPath);
  AccessRecord record;
  CdnAnswer a = handler_->handle(post, &record);
  EXPECT_EQ(a.status, 405);
  EXPECT_EQ(a.headers.get("Allow"), "GET, HEAD");
  CdnAnswer h = get("/health", std::nullopt);
  EXPECT_EQ(h.status, 200);
  EXPECT_NE(h.body.find("\"status\":\"UP\""), std::string::npos);
  EXPECT_NE(h.body.find(keys_.token.key_id()), std::string::npos);
  EXPECT_EQ(get("/health/ready", std::nullopt).body, "{\"status\":\"UP\"}");
}

TEST_F(CdnHandlerTest, PublishInProgressIs503) {
  std::string path = ArtifactStore::artifact_path(root_, "acme", "fresh");
  fs::create_directories(fs::path(path).parent_path());
  ASSERT_TRUE(config::write_file_atomic(path, artifact_text("f2")).ok());
  ASSERT_TRUE(config::write_file_atomic(
                  path + ".sig", security::write_signature_file(
                                     security::sign_artifact(artifact_text("f1"), keys_.artifact)))
                  .ok());
  CdnAnswer a = get("/acme/fresh/routerconfigs/latest.json", token("acme", "fresh"));
  EXPECT_EQ(a.status, 503);
  EXPECT_EQ(a.headers.get("Retry-After"), "1");
}

TEST(IfNoneMatch, Forms) {
  EXPECT_TRUE(if_none_match_matches("\"a\"", "\"a\""));
  EXPECT_TRUE(if_none_match_matches("W/\"a\"", "\"a\""));
  EXPECT_TRUE(if_none_match_matches(" \"b\" ,\"a\"", "\"a\""));
  EXPECT_TRUE(if_none_match_matches("*", "\"a\""));
  EXPECT_FALSE(if_none_match_matches("\"b\"", "\"a\""));
  EXPECT_FALSE(if_none_match_matches("a", "\"a\""));
  EXPECT_FALSE(if_none_match_matches("", "\"a\""));
  EXPECT_FALSE(if_none_match_matches(",,", "\"a\""));
}

TEST(AccessLogLine, OneLineOfJsonWithoutTheToken) {
  net::HttpRequest r;
  r.method = "GET";
  r.target = "/acme/shop/routerconfigs/latest.json?x=\"1\"";
  r.remote_address = "127.0.0.1:5000";
  r.headers.add("Authorization", "Bearer secret-token");
  AccessRecord record;
  record.org = "acme";
  record.graph = "shop";
  record.token_id = "tok-1";
  record.etag = "\"abc\"";
  std::string line = AccessLog::line(r, 304, 0, 0.1234, record);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find("secret-token"), std::string::npos);
  EXPECT_EQ(line.find("x="), std::string::npos);
  EXPECT_NE(line.find("\"path\":\"/acme/shop/routerconfigs/latest.json\""), std::string::npos);
  EXPECT_NE(line.find("\"status\":304"), std::string::npos);
  EXPECT_NE(line.find("\"tokenId\":\"tok-1\""), std::string::npos);
  EXPECT_NE(line.find("\"durationMs\":0.123"), std::string::npos) << line;
  r.target = std::string("/\xff\n\"x");
  std::string odd = AccessLog::line(r, 404, 10, 1, AccessRecord{});
  EXPECT_NE(odd.find("\"path\":\"/%FF%0A\\\"x\""), std::string::npos) << odd;
}

}  // namespace
}  // namespace orbit::cdn
