#include "orbit/security/graph_token.h"

#include <gtest/gtest.h>

#include "orbit/base/json_writer.h"
#include "orbit/security/encoding.h"

namespace orbit::security {
namespace {

constexpr int64_t kNow = 1'767'225'600;  // 2026-01-01T00:00:00Z

class GraphTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = std::make_unique<Ed25519PrivateKey>(*Ed25519PrivateKey::generate());
    other_ = std::make_unique<Ed25519PrivateKey>(*Ed25519PrivateKey::generate());
    verifier_ = std::make_unique<GraphTokenVerifier>(PublicKeySet({key_->public_key()}));
  }

  GraphTokenClaims claims() const {
    GraphTokenClaims c;
    c.org = "acme";
    c.graph = "shop";
    c.token_id = "tok-1";
    c.issued_at = kNow - 3600;
    c.expires_at = kNow + 3600;
    return c;
  }
  std::string mint(const GraphTokenClaims& c) const { return *mint_graph_token(c, *key_); }

  // A token with this header and payload JSON, signed by `key` (the real key by default).
  std::string forge(std::string_view header, std::string_view payload,
                    const Ed25519PrivateKey* key = nullptr) const {
    std::string input = base64url_encode(header) + "." + base64url_encode(payload);
    return input + "." + base64url_encode((key ? key : key_.get())->sign(input));
  }
  std::string header() const {
    return "{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"" + key_->key_id() + "\"}";
  }

  void expect_error(const TokenCheck& check, TokenError error, std::string_view message) {
    EXPECT_EQ(check.error, error) << token_error_name(check.error) << ": " << check.message;
    EXPECT_NE(check.message.find(message), std::string::npos) << check.message;
  }

  std::unique_ptr<Ed25519PrivateKey> key_, other_;
  std::unique_ptr<GraphTokenVerifier> verifier_;
};

TEST_F(GraphTokenTest, MintAndVerify) {
  std::string token = mint(claims());
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
  TokenCheck check = verifier_->verify(token, kNow);
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.claims.org, "acme");
  EXPECT_EQ(check.claims.graph, "shop");
  EXPECT_EQ(check.claims.token_id, "tok-1");
  EXPECT_EQ(check.claims.audience, "orbit-cdn");
  EXPECT_EQ(check.claims.issued_at, kNow - 3600);
  EXPECT_EQ(check.claims.expires_at, kNow + 3600);
  EXPECT_EQ(check.key_id, key_->key_id());
  EXPECT_TRUE(verifier_->authorize(token, "acme", "shop", nullptr, kNow).ok());

  // The header and claims are plain JWT: readable by any JWT library.
  size_t dot = token.find('.');
  EXPECT_EQ(*base64url_decode(token.substr(0, dot)), header());
  std::string payload = *base64url_decode(token.substr(dot + 1, token.rfind('.') - dot - 1));
  EXPECT_EQ(payload,
            "{\"aud\":\"orbit-cdn\",\"org\":\"acme\",\"graph\":\"shop\",\"jti\":\"tok-1\","
            "\"iat\":" +
                std::to_string(kNow - 3600) + ",\"exp\":" + std::to_string(kNow + 3600) + "}");
}

TEST_F(GraphTokenTest, WithoutExpiryAndWithoutKid) {
  GraphTokenClaims c = claims();
  c.expires_at.reset();
  std::string token = mint(c);
  EXPECT_TRUE(verifier_->verify(token, kNow + 10 * 365 * 86400LL).ok());
  // No kid: every trusted key is tried.
  std::string no_kid = forge("{\"alg\":\"EdDSA\"}",
                             "{\"aud\":\"orbit-cdn\",\"org\":\"a\",\"graph\":\"g\",\"jti\":\"t\","
                             "\"iat\":1}");
  TokenCheck check = verifier_->verify(no_kid, kNow);
  EXPECT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.key_id, "");
}

TEST_F(GraphTokenTest, Expired) {
  std::string token = mint(claims());
  EXPECT_TRUE(verifier_->verify(token, kNow + 3600 + 59).ok());  // within the leeway
  expect_error(verifier_->verify(token, kNow + 3600 + 60), TokenError::kExpired, "expired at");
  GraphTokenVerifier strict(PublicKeySet({key_->public_key()}), {"orbit-cdn", 0});
  expect_error(strict.verify(token, kNow + 3600), TokenError::kExpired, "expired");
}

TEST_F(GraphTokenTest, NotYetValid) {
  GraphTokenClaims c = claims();
  c.issued_at = kNow + 600;
  c.expires_at = kNow + 7200;
  expect_error(verifier_->verify(mint(c), kNow), TokenError::kNotYetValid, "issued in the future");
  c = claims();
  c.not_before = kNow + 600;
  expect_error(verifier_->verify(mint(c), kNow), TokenError::kNotYetValid, "not valid before");
  EXPECT_TRUE(verifier_->verify(mint(c), kNow + 600).ok());
}

TEST_F(GraphTokenTest, WrongAudience) {
  GraphTokenClaims c = claims();
  c.audience = "orbit-controlplane";
  expect_error(verifier_->verify(mint(c), kNow), TokenError::kWrongAudience,
               "the token is for audience \"orbit-controlplane\", not \"orbit-cdn\"");
}

TEST_F(GraphTokenTest, WrongOrgOrGraph) {
  std::string token = mint(claims());
  for (auto [org, graph] :
       {std::pair{"acme", "other"}, {"evil", "shop"}, {"ACME", "shop"}, {"acme", "shop2"}}) {
    TokenCheck check = verifier_->authorize(token, org, graph, nullptr, kNow);
    EXPECT_EQ(check.error, TokenError::kWrongGraph) << org << "/" << graph;
  }
}

TEST_F(GraphTokenTest, Revoked) {
  auto list = RevocationList::parse("# lost laptop\ntok-1\n");
  ASSERT_TRUE(list.ok());
  std::string token = mint(claims());
  expect_error(verifier_->authorize(token, "acme", "shop", &*list, kNow), TokenError::kRevoked,
               "token tok-1 is revoked");
  GraphTokenClaims c = claims();
  c.token_id = "tok-2";
  EXPECT_TRUE(verifier_->authorize(mint(c), "acme", "shop", &*list, kNow).ok());
  // The signature comes before the graph and the list: a forged token is 401, not 403.
  EXPECT_EQ(verifier_->authorize(*mint_graph_token(claims(), *other_), "acme", "shop", &*list, kNow)
                .error,
            TokenError::kUnknownKey);
}

TEST_F(GraphTokenTest, TamperedClaims) {
  std::string token = mint(claims());
  size_t dot = token.find('.');
  size_t last = token.rfind('.');
  std::string payload = *base64url_decode(token.substr(dot + 1, last - dot - 1));
  size_t at = payload.find("\"shop\"");
  payload.replace(at, 6, "\"bank\"");
  std::string tampered = token.substr(0, dot + 1) + base64url_encode(payload) + token.substr(last);
  expect_error(verifier_->verify(tampered, kNow), TokenError::kBadSignature, "does not match");
  // decode() reads it all the same: it checks nothing.
  EXPECT_EQ(decode_graph_token(tampered).claims.graph, "bank");

  // Every single-character change of the token is refused.
  const std::string alphabet = "AQgw_-";
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '.') continue;
    std::string changed = token;
    changed[i] = changed[i] == alphabet[i % 6] ? alphabet[(i + 1) % 6] : alphabet[i % 6];
    EXPECT_FALSE(verifier_->verify(changed, kNow).ok()) << i;
  }
}

TEST_F(GraphTokenTest, BadSignatureAndUnknownKey) {
  // Signed by another key that names the trusted key's id.
  std::string input_header = header();
  std::string payload =
      "{\"aud\":\"orbit-cdn\",\"org\":\"acme\",\"graph\":\"shop\",\"jti\":\"x\","
      "\"iat\":1}";
  expect_error(verifier_->verify(forge(input_header, payload, other_.get()), kNow),
               TokenError::kBadSignature, "does not match");
  // Signed by another key under its own id.
  expect_error(verifier_->verify(*mint_graph_token(claims(), *other_), kNow),
               TokenError::kUnknownKey, "signed by key " + other_->key_id());
  // Without kid, no trusted key verifies it.
  expect_error(verifier_->verify(forge("{\"alg\":\"EdDSA\"}", payload, other_.get()), kNow),
               TokenError::kBadSignature, "does not match");
  // Key rotation: a verifier trusting both keys takes both.
  GraphTokenVerifier both(PublicKeySet({key_->public_key(), other_->public_key()}));
  EXPECT_TRUE(both.verify(*mint_graph_token(claims(), *other_), kNow).ok());
  EXPECT_TRUE(both.verify(mint(claims()), kNow).ok());
}

TEST_F(GraphTokenTest, AlgorithmConfusionRefused) {
  std::string payload =
      "{\"aud\":\"orbit-cdn\",\"org\":\"acme\",\"graph\":\"shop\",\"jti\":\"x\","
      "\"iat\":1}";
  std::string body = base64url_encode(payload);
  // alg none with an empty signature.
  std::string none = base64url_encode("{\"alg\":\"none\"}") + "." + body + ".";
  EXPECT_EQ(verifier_->verify(none, kNow).error, TokenError::kMalformed);
  none += "AAAA";
  expect_error(verifier_->verify(none, kNow), TokenError::kUnsupportedAlgorithm,
               "alg \"none\" is not accepted");
  for (const char* h : {"{\"alg\":\"HS256\"}", "{\"alg\":\"ES256\"}", "{\"alg\":\"eddsa\"}",
                        "{\"alg\":\"Ed25519\"}"}) {
    expect_error(verifier_->verify(forge(h, payload), kNow), TokenError::kUnsupportedAlgorithm,
                 "is not accepted");
  }
  expect_error(verifier_->verify(
                   forge("{\"alg\":\"EdDSA\",\"crit\":[\"b64\"],\"b64\":false}", payload), kNow),
               TokenError::kUnsupportedAlgorithm, "crit");
}

TEST_F(GraphTokenTest, MalformedTokens) {
  std::string good = mint(claims());
  std::string sig = good.substr(good.rfind('.') + 1);
  auto token = [&](std::string_view h, std::string_view p) {
    return base64url_encode(h) + "." + base64url_encode(p) + "." + sig;
  };
  std::string hdr = header();
  const std::pair<std::string, std::string> cases[] = {
      {"", "empty token"},
      {"abc", "three dot-separated parts"},
      {"a.b", "three dot-separated parts"},
      {"a.b.c.d", "three dot-separated parts"},
      {"..", "a part is empty"},
      {good.substr(0, good.rfind('.') + 1), "a part is empty"},
      {"@@@." + good.substr(good.find('.') + 1), "header: not base64url"},
      {base64url_encode("{\"alg\":\"EdDSA\"}") + "=.e30." + sig, "header: not base64url"},
      {token("[]", "{}"), "header: not a JSON object"},
      {token("{\"alg\":1}", "{}"), "header: alg: expected a string"},
      {token("{\"typ\":\"JWT\"}", "{}"), "header: alg: expected a string"},
      {token("{\"alg\":\"EdDSA\",\"typ\":\"JWE\"}", "{}"), "typ: expected \"JWT\""},
      {token("{\"alg\":\"EdDSA\",\"kid\":\"\"}", "{}"), "kid: expected a key id"},
      {good.substr(0, good.rfind('.') + 1) + "AAAA", "signature: not 64 bytes"},
      {good + "A", "signature: not 64 bytes"},
      {std::string(kMaxGraphTokenBytes + 1, 'a'), "longer than 4096 bytes"},
  };
  for (const auto& [t, message] : cases) {
    SCOPED_TRACE(t.substr(0, 80));
    expect_error(verifier_->verify(t, kNow), TokenError::kMalformed, message);
    EXPECT_EQ(decode_graph_token(t).error, TokenError::kMalformed);
  }

  // Claims are read only after the signature verified: sign each bad payload properly.
  const std::pair<std::string, std::string> claims_cases[] = {
      {"not json", "claims: not a JSON object"},
      {"[1]", "claims: not a JSON object"},
      {"{}", "claims: aud: missing"},
      {"{\"aud\":[\"orbit-cdn\"]}", "aud: expected a string"},
      {"{\"aud\":\"orbit-cdn\",\"org\":\"../etc\"}", "org: expected an organization name"},
      {"{\"aud\":\"orbit-cdn\",\"org\":\"a\",\"graph\":\"a/b\"}", "graph: expected a graph name"},
      {"{\"aud\":\"orbit-cdn\",\"org\":\"a\",\"graph\":\"g\",\"jti\":\"\"}",
       "jti: expected a token id"},
      {"{\"aud\":\"orbit-cdn\",\"org\":\"a\",\"graph\":\"g\",\"jti\":\"t\"}", "iat: missing"},
      {"{\"aud\":\"orbit-cdn\",\"org\":\"a\",\"graph\":\"g\",\"jti\":\"t\",\"iat\":1.5}",
       "iat: expected whole seconds"},
      {"{\"aud\":\"orbit-cdn\",\"org\":\"a\",\"graph\":\"g\",\"jti\":\"t\",\"iat\":-1}",
       "iat: expected whole seconds"},
      {"{\"aud\":\"orbit-cdn\",\"org\":\"a\",\"graph\":\"g\",\"jti\":\"t\",\"iat\":\"1\"}",
       "iat: expected whole seconds"},
      {"{\"aud\":\"orbit-cdn\",\"org\":\"a\",\"graph\":\"g\",\"jti\":\"t\",\"iat\":1,"
       "\"exp\":99999999999999}",
       "exp: expected whole seconds"},
      {"{\"aud\":\"orbit-cdn\",\"org\":\"a\",\"graph\":\"g\",\"jti\":\"t\",\"iat\":5,\"exp\":5}",
       "exp is not after iat"},
  };
  for (const auto& [payload, message] : claims_cases) {
    SCOPED_TRACE(payload);
    expect_error(verifier_->verify(forge(hdr, payload), kNow), TokenError::kMalformed, message);
  }
}

TEST_F(GraphTokenTest, MintRefusesBadClaims) {
  auto with = [&](auto change) {
    GraphTokenClaims c = claims();
    change(c);
    return mint_graph_token(c, *key_);
  };
  EXPECT_FALSE(with([](GraphTokenClaims& c) { c.org = ""; }).ok());
  EXPECT_FALSE(with([](GraphTokenClaims& c) { c.org = "a/b"; }).ok());
  EXPECT_FALSE(with([](GraphTokenClaims& c) { c.graph = ".."; }).ok());
  EXPECT_FALSE(with([](GraphTokenClaims& c) { c.graph = std::string(65, 'g'); }).ok());
  EXPECT_FALSE(with([](GraphTokenClaims& c) { c.token_id = "a b"; }).ok());
  EXPECT_FALSE(with([](GraphTokenClaims& c) { c.audience = ""; }).ok());
  EXPECT_FALSE(with([](GraphTokenClaims& c) { c.expires_at = c.issued_at; }).ok());
  auto named = with([](GraphTokenClaims& c) { c.org = "a b"; });
  EXPECT_NE(named.status().message().find("org: \"a b\" is not a name"), std::string::npos);
  EXPECT_TRUE(with([](GraphTokenClaims& c) { c.graph = std::string(64, 'g'); }).ok());
}

TEST_F(GraphTokenTest, Names) {
  for (const char* ok : {"a", "acme", "my-org_2", "v1.2", "A9"})
    EXPECT_TRUE(is_valid_name(ok)) << ok;
  for (const char* bad : {"", ".", "..", ".hidden", "-x", "_x", "a/b", "a b", "a%2f", "é"})
    EXPECT_FALSE(is_valid_name(bad)) << bad;
  EXPECT_TRUE(is_valid_token_id(new_token_id()));
  EXPECT_EQ(new_token_id().size(), 22u);
  EXPECT_NE(new_token_id(), new_token_id());
}

TEST_F(GraphTokenTest, DecodeReadsWithoutAKey) {
  TokenCheck check = decode_graph_token(mint(claims()));
  ASSERT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.claims.org, "acme");
  EXPECT_EQ(check.claims.graph, "shop");
  EXPECT_EQ(check.key_id, key_->key_id());
}

TEST(RevocationList, Format) {
  auto list = RevocationList::parse(
      "# revoked tokens\n\n  tok-1  \ntok-2 # lost\r\n\t# indented comment\ntok-1\ntok-3");
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_EQ(list->size(), 3u);
  EXPECT_TRUE(list->contains("tok-1"));
  EXPECT_TRUE(list->contains("tok-2"));
  EXPECT_TRUE(list->contains("tok-3"));
  EXPECT_FALSE(list->contains("tok-4"));
  EXPECT_FALSE(list->contains(""));
  EXPECT_EQ(RevocationList::parse("")->size(), 0u);

  auto bad = RevocationList::parse("tok-1\n\ntok 2\n", "revoked.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "revoked.txt:3: \"tok 2\" is not a token id (1 to 128 of A-Z a-z 0-9 . _ -)");
  auto binary = RevocationList::parse(std::string("a\x01\xff", 3), "r");
  ASSERT_FALSE(binary.ok());
  EXPECT_EQ(binary.status().message().find('\x01'), std::string::npos);
  auto big = RevocationList::parse(std::string(kMaxRevocationFileBytes + 1, 'a'));
  EXPECT_EQ(big.status().code(), ErrorCode::kLimitExceeded);
}

}  // namespace
}  // namespace orbit::security
