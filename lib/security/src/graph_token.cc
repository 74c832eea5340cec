#include "orbit/security/graph_token.h"

#include <openssl/rand.h>

#include <chrono>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/security/encoding.h"

namespace orbit::security {

namespace {

constexpr size_t kMaxNameBytes = 64;
constexpr size_t kMaxTokenIdBytes = 128;
constexpr size_t kMaxAudienceBytes = 128;
constexpr size_t kMaxKeyIdBytes = 64;
// Year 9999: later times are not dates but mistakes (or overflow attempts).
constexpr int64_t kMaxTime = 253402300799;

bool name_char(char ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         ch == '-' || ch == '_' || ch == '.';
}

bool printable_ascii(std::string_view s) {
  for (char ch : s) {
    if (ch < 0x21 || ch > 0x7e) return false;
  }
  return true;
}

TokenCheck fail(TokenError error, std::string message) {
  TokenCheck out;
  out.error = error;
  out.message = std::move(message);
  return out;
}

// The three parts of a compact JWS, and the header read from the first.
struct Parts {
  std::string_view header_b64;
  std::string_view payload_b64;
  std::string_view signature_b64;
  std::string signing_input() const {
    return std::string(header_b64) + "." + std::string(payload_b64);
  }
};

// Splits the token and checks its header. On success `out->key_id` holds the kid.
TokenCheck read_header(std::string_view token, Parts* parts) {
  if (token.empty()) return fail(TokenError::kMalformed, "empty token");
  if (token.size() > kMaxGraphTokenBytes)
    return fail(TokenError::kMalformed,
                "longer than " + std::to_string(kMaxGraphTokenBytes) + " bytes; not a graph token");
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return fail(TokenError::kMalformed, "not a JWT (expected three dot-separated parts)");
  parts->header_b64 = token.substr(0, first);
  parts->payload_b64 = token.substr(first + 1, second - first - 1);
  parts->signature_b64 = token.substr(second + 1);
  if (parts->header_b64.empty() || parts->payload_b64.empty() || parts->signature_b64.empty())
    return fail(TokenError::kMalformed, "not a JWT (a part is empty)");

  std::optional<std::string> header = base64url_decode(parts->header_b64);
  if (!header) return fail(TokenError::kMalformed, "header: not base64url");
  Arena arena;
  JsonParseOptions options;
  options.max_depth = 8;
  auto json = parse_json(*header, arena, options);
  if (!json.ok() || !json->is_object())
    return fail(TokenError::kMalformed, "header: not a JSON object");
  const JsonValue* alg = json->find("alg");
  if (alg == nullptr || !alg->is_string())
    return fail(TokenError::kMalformed, "header: alg: expected a string");
  if (alg->as_string() != "EdDSA") {
    std::string name(alg->as_string().substr(0, 16));
    return fail(TokenError::kUnsupportedAlgorithm,
                "header: alg \"" + (printable_ascii(name) ? name : std::string("?")) +
                    "\" is not accepted (graph tokens are signed with EdDSA)");
  }
  if (json->find("crit") != nullptr)
    return fail(TokenError::kUnsupportedAlgorithm,
                "header: crit names extensions this verifier does not implement");
  if (const JsonValue* typ = json->find("typ"); typ != nullptr) {
    std::string_view t = typ->as_string();
    if (!typ->is_string() || t.size() != 3 || (t[0] | 0x20) != 'j' || (t[1] | 0x20) != 'w' ||
        (t[2] | 0x20) != 't')
      return fail(TokenError::kMalformed, "header: typ: expected \"JWT\"");
  }
  TokenCheck out;
  if (const JsonValue* kid = json->find("kid"); kid != nullptr) {
    if (!kid->is_string() || kid->as_string().empty() || kid->as_string().size() > kMaxKeyIdBytes ||
        !printable_ascii(kid->as_string()))
      return fail(TokenError::kMalformed, "header: kid: expected a key id");
    out.key_id = std::string(kid->as_string());
  }
  return out;
}

TokenCheck read_time(const JsonValue& claims, std::string_view name, bool required,
                     std::optional<int64_t>* out) {
  const JsonValue* v = claims.find(name);
  if (v == nullptr) {
    if (required) return fail(TokenError::kMalformed, "claims: " + std::string(name) + ": missing");
    return {};
  }
  if (!v->is_int64() || v->as_int64() < 0 || v->as_int64() > kMaxTime)
    return fail(TokenError::kMalformed, "claims: " + std::string(name) +
                                            ": expected whole seconds since 1970 (a date "
                                            "before the year 10000)");
  *out = v->as_int64();
  return {};
}

TokenCheck read_string(const JsonValue& claims, std::string_view name,
                       bool (*valid)(std::string_view), std::string_view expected,
                       std::string* out) {
  const JsonValue* v = claims.find(name);
  if (v == nullptr)
    return fail(TokenError::kMalformed, "claims: " + std::string(name) + ": missing");
  if (!v->is_string() || !valid(v->as_string()))
    return fail(TokenError::kMalformed,
                "claims: " + std::string(name) + ": expected " + std::string(expected));
  *out = std::string(v->as_string());
  return {};
}

bool valid_audience(std::string_view a) {
  return !a.empty() && a.size() <= kMaxAudienceBytes && printable_ascii(a);
}

// Reads the claims of the payload part into `out->claims`.
TokenCheck read_claims(std::string_view payload_b64, TokenCheck* out) {
  std::optional<std::string> payload = base64url_decode(payload_b64);
  if (!payload) return fail(TokenError::kMalformed, "claims: not base64url");
  Arena arena;
  JsonParseOptions options;
  options.max_depth = 16;
  auto json = parse_json(*payload, arena, options);
  if (!json.ok() || !json->is_object())
    return fail(TokenError::kMalformed, "claims: not a JSON object");
  GraphTokenClaims& c = out->claims;
  TokenCheck step;
  if (!(step = read_string(*json, "aud", valid_audience, "a string (the audience)", &c.audience))
           .ok() ||
      !(step = read_string(*json, "org", is_valid_name, "an organization name", &c.org)).ok() ||
      !(step = read_string(*json, "graph", is_valid_name, "a graph name", &c.graph)).ok() ||
      !(step = read_string(*json, "jti", is_valid_token_id, "a token id", &c.token_id)).ok())
    return step;
  std::optional<int64_t> iat;
  if (!(step = read_time(*json, "iat", true, &iat)).ok() ||
      !(step = read_time(*json, "exp", false, &c.expires_at)).ok() ||
      !(step = read_time(*json, "nbf", false, &c.not_before)).ok())
    return step;
  c.issued_at = *iat;
  if (c.expires_at && *c.expires_at <= c.issued_at)
    return fail(TokenError::kMalformed, "claims: exp is not after iat");
  return {};
}

}  // namespace

bool is_valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  if (name[0] == '.' || name[0] == '-' || name[0] == '_') return false;
  for (char ch : name) {
    if (!name_char(ch)) return false;
  }
  return true;
}

bool is_valid_token_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxTokenIdBytes) return false;
  for (char ch : id) {
    if (!name_char(ch)) return false;
  }
  return true;
}

std::string new_token_id() {
  std::string bytes(16, '\0');
  ORBIT_RELEASE_ASSERT(RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), 16) == 1);
  return base64url_encode(bytes);
}

std::string_view token_error_name(TokenError error) {
  switch (error) {
    case TokenError::kNone: return "none";
    case TokenError::kMalformed: return "malformed";
    case TokenError::kUnsupportedAlgorithm: return "unsupported_algorithm";
    case TokenError::kUnknownKey: return "unknown_key";
    case TokenError::kBadSignature: return "bad_signature";
    case TokenError::kWrongAudience: return "wrong_audience";
    case TokenError::kExpired: return "expired";
    case TokenError::kNotYetValid: return "not_yet_valid";
    case TokenError::kWrongGraph: return "wrong_graph";
    case TokenError::kRevoked: return "revoked";
  }
  return "unknown";
}

Result<std::string> mint_graph_token(const GraphTokenClaims& claims, const Ed25519PrivateKey& key) {
  auto bad = [](std::string what) { return Status(ErrorCode::kInvalidArgument, std::move(what)); };
  if (!valid_audience(claims.audience))
    return bad("audience: expected 1 to 128 printable ASCII characters");
  if (!is_valid_name(claims.org))
    return bad("org: \"" + claims.org +
               "\" is not a name (1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
  if (!is_valid_name(claims.graph))
    return bad("graph: \"" + claims.graph +
               "\" is not a name (1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)");
  if (!is_valid_token_id(claims.token_id))
    return bad("token id: \"" + claims.token_id +
               "\" is not a token id (1 to 128 of A-Z a-z 0-9 . _ -)");
  auto time_ok = [](int64_t t) { return t >= 0 && t <= kMaxTime; };
  if (!time_ok(claims.issued_at)) return bad("issued at: out of range");
  if (claims.expires_at && (!time_ok(*claims.expires_at) || *claims.expires_at <= claims.issued_at))
    return bad("expires at: must be after issued at");
  if (claims.not_before && !time_ok(*claims.not_before)) return bad("not before: out of range");

  std::string header;
  JsonWriter h(header);
  h.begin_object().key("alg").string("EdDSA").key("typ").string("JWT").key("kid").string(
      key.key_id());
  h.end_object();
  std::string payload;
  JsonWriter p(payload);
  p.begin_object()
      .key("aud")
      .string(claims.audience)
      .key("org")
      .string(claims.org)
      .key("graph")
      .string(claims.graph)
      .key("jti")
      .string(claims.token_id)
      .key("iat")
      .integer(claims.issued_at);
  if (claims.expires_at) p.key("exp").integer(*claims.expires_at);
  if (claims.not_before) p.key("nbf").integer(*claims.not_before);
  p.end_object();
  std::string token = base64url_encode(header) + "." + base64url_encode(payload);
  std::string signature = key.sign(token);
  token += ".";
  token += base64url_encode(signature);
  return token;
}

TokenCheck decode_graph_token(std::string_view token) {
  Parts parts;
  TokenCheck out = read_header(token, &parts);
  if (!out.ok()) return out;
  std::optional<std::string> signature = base64url_decode(parts.signature_b64);
  if (!signature || signature->size() != kEd25519SignatureBytes)
    return fail(TokenError::kMalformed, "signature: not 64 bytes of base64url");
  TokenCheck claims = read_claims(parts.payload_b64, &out);
  if (!claims.ok()) return claims;
  return out;
}

TokenCheck GraphTokenVerifier::verify(std::string_view token, int64_t now) const {
  Parts parts;
  TokenCheck out = read_header(token, &parts);
  if (!out.ok()) return out;
  std::optional<std::string> signature = base64url_decode(parts.signature_b64);
  if (!signature || signature->size() != kEd25519SignatureBytes)
    return fail(TokenError::kMalformed, "signature: not 64 bytes of base64url");

  // The signature first: nothing an unknown signer wrote is read beyond the header.
  std::string signing_input = parts.signing_input();
  if (!out.key_id.empty()) {
    const Ed25519PublicKey* key = keys_.find(out.key_id);
    if (key == nullptr)
      return fail(TokenError::kUnknownKey,
                  "signed by key " + out.key_id +
                      ", which is not trusted here (trusted: " + keys_.key_ids() + ")");
    if (!key->verify(signing_input, *signature))
      return fail(TokenError::kBadSignature, "the signature does not match the token");
  } else if (!keys_.verify(signing_input, *signature)) {
    return fail(TokenError::kBadSignature, "the signature does not match the token");
  }

  TokenCheck claims = read_claims(parts.payload_b64, &out);
  if (!claims.ok()) return claims;
  const GraphTokenClaims& c = out.claims;
  if (c.audience != options_.audience)
    return fail(TokenError::kWrongAudience, "the token is for audience \"" + c.audience +
                                                "\", not \"" + options_.audience + "\"");
  int64_t leeway = options_.leeway_seconds;
  if (c.expires_at && now >= *c.expires_at + leeway)
    return fail(TokenError::kExpired, "the token expired at " + std::to_string(*c.expires_at) +
                                          " (now " + std::to_string(now) + ")");
  if (c.issued_at > now + leeway)
    return fail(TokenError::kNotYetValid, "the token is issued in the future (iat " +
                                              std::to_string(c.issued_at) + ", now " +
                                              std::to_string(now) + ")");
  if (c.not_before && *c.not_before > now + leeway)
    return fail(TokenError::kNotYetValid, "the token is not valid before " +
                                              std::to_string(*c.not_before) + " (now " +
                                              std::to_string(now) + ")");
  return out;
}

TokenCheck GraphTokenVerifier::authorize(std::string_view token, std::string_view org,
                                         std::string_view graph, const RevocationList* revoked,
                                         int64_t now) const {
  TokenCheck out = verify(token, now);
  if (!out.ok()) return out;
  if (out.claims.org != org || out.claims.graph != graph) {
    out.error = TokenError::kWrongGraph;
    out.message = "the token is for another graph";
    return out;
  }
  if (revoked != nullptr && revoked->contains(out.claims.token_id)) {
    out.error = TokenError::kRevoked;
    out.message = "token " + out.claims.token_id + " is revoked";
    return out;
  }
  return out;
}

int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace orbit::security
