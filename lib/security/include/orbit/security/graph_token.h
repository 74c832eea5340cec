// Graph tokens: what a router presents to the CDN to fetch its graph's config. A JWT
// (RFC 7519) signed with EdDSA over Ed25519 (RFC 8037), minted by the control plane and
// verified by the CDN with the public key alone — no database on the request path.
//
//   header  {"alg":"EdDSA","typ":"JWT","kid":"3f2a9c1e5b7d0a44"}
//   claims  {"aud":"orbit-cdn","org":"acme","graph":"shop","jti":"q3Jx…","iat":1767225600,
//            "exp":1798761600}
//
// | claim | |
// |---|---|
// | `aud` | required string; the verifier's audience ("orbit-cdn") |
// | `org`, `graph` | required; names (is_valid_name): which graph's config the token reads |
// | `jti` | required; the token id (is_valid_token_id), what a revocation list names |
// | `iat` | required integer (seconds since the epoch) |
// | `exp` | optional integer; absent: the token does not expire (revoke it to end it) |
// | `nbf` | optional integer; honoured when present |
//
// Other claims are ignored. Verification is strict where leniency has hurt JWT users: `alg`
// must be exactly "EdDSA" (no "none", no HMAC with the public key as secret), a `crit`
// header is refused, base64url must be canonical and unpadded, `kid` (when present) must name
// a trusted key, and the signature is checked before the claims are read.
//
// Pure functions and an immutable verifier: call on any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "orbit/base/status.h"
#include "orbit/security/ed25519.h"
#include "orbit/security/revocation_list.h"

namespace orbit::security {

inline constexpr std::string_view kGraphTokenAudience = "orbit-cdn";
// Longer tokens are refused unread.
inline constexpr size_t kMaxGraphTokenBytes = 4096;

// Organization and graph names: 1 to 64 characters of [A-Za-z0-9._-], starting with a
// letter or digit. They are path segments of CDN URLs and storage directories, so nothing
// else is allowed ("..", "/", "%" cannot occur).
bool is_valid_name(std::string_view name);
// Token ids: 1 to 128 characters of [A-Za-z0-9._-].
bool is_valid_token_id(std::string_view id);
// A new random token id: 128 bits, base64url (22 characters).
std::string new_token_id();

struct GraphTokenClaims {
  std::string audience{kGraphTokenAudience};
  std::string org;
  std::string graph;
  std::string token_id;               // jti
  int64_t issued_at = 0;              // iat, seconds since the epoch
  std::optional<int64_t> expires_at;  // exp
  std::optional<int64_t> not_before;  // nbf
};

// A signed token for `claims`. kInvalidArgument naming the claim when one is not valid (a
// name, the token id, an empty audience, exp not after iat).
Result<std::string> mint_graph_token(const GraphTokenClaims& claims, const Ed25519PrivateKey& key);

enum class TokenError {
  kNone,
  kMalformed,             // not a JWT of this format
  kUnsupportedAlgorithm,  // alg is not EdDSA, or a crit header
  kUnknownKey,            // kid names no trusted key
  kBadSignature,
  kWrongAudience,
  kExpired,
  kNotYetValid,  // iat or nbf in the future (beyond the leeway)
  kWrongGraph,   // a valid token for another org or graph
  kRevoked,
};

// "malformed", "unsupported_algorithm", "unknown_key", "bad_signature", "wrong_audience",
// "expired", "not_yet_valid", "wrong_graph", "revoked": for logs and metrics labels.
std::string_view token_error_name(TokenError error);

// What a check of a token found.
struct TokenCheck {
  TokenError error = TokenError::kNone;
  std::string message;      // why, when not ok (never contains the token)
  GraphTokenClaims claims;  // as read (complete when ok)
  std::string key_id;       // the header's kid ("" when absent)

  bool ok() const { return error == TokenError::kNone; }
};

// Reads a token without checking its signature or its times: for routers, which present
// their token but cannot verify it, and to look inside one. Never trust the claims of a
// token only decoded.
TokenCheck decode_graph_token(std::string_view token);

struct TokenVerifyOptions {
  std::string audience{kGraphTokenAudience};
  // Clock difference tolerated between the minting and the verifying machine.
  int64_t leeway_seconds = 60;
};

class GraphTokenVerifier {
 public:
  explicit GraphTokenVerifier(PublicKeySet keys, TokenVerifyOptions options = {})
      : keys_(std::move(keys)), options_(std::move(options)) {}

  // Signature, audience and times at `now` (seconds since the epoch).
  TokenCheck verify(std::string_view token, int64_t now) const;
  // verify(), then: the token is for `org` and `graph` (else kWrongGraph) and its id is not
  // in `revoked` (else kRevoked; null: no list).
  TokenCheck authorize(std::string_view token, std::string_view org, std::string_view graph,
                       const RevocationList* revoked, int64_t now) const;

  const PublicKeySet& keys() const { return keys_; }

 private:
  PublicKeySet keys_;
  TokenVerifyOptions options_;
};

// Seconds since the epoch, now.
int64_t unix_now();

}  // namespace orbit::security
