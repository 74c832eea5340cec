// Properties of the readers of graph tokens and artifact signatures: what a CDN reads from
// any client's Authorization header, and what a router reads from the CDN's signature header
// and storage's .sig files. Shared by fuzz_graph_token and fuzz_regression_test, like
// checks.h.
#pragma once

#include <string>
#include <string_view>

#include "orbit/base/assert.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/graph_token.h"

namespace orbit::fuzz {

// The fuzz key: RFC 8032's first test vector, so seeds can hold tokens it signed.
inline const security::Ed25519PrivateKey& fuzz_token_key() {
  static const security::Ed25519PrivateKey key = [] {
    std::string seed;
    const char* hex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    for (int i = 0; i < 64; i += 2)
      seed += static_cast<char>(std::stoi(std::string(hex + i, 2), nullptr, 16));
    return *security::Ed25519PrivateKey::from_raw(seed);
  }();
  return key;
}

// 2030-03-17: the time tokens are checked at (the seed token is valid then).
inline constexpr int64_t kFuzzNow = 1'900'000'000;

// The input as a token: decoding and verifying never crash; a refusal says why; whatever
// verifies also decodes to the same claims; decoded claims obey the name rules and mint back
// into a token that verifies to the same claims.
inline void check_graph_token(std::string_view input) {
  static const security::GraphTokenVerifier verifier(
      security::PublicKeySet({fuzz_token_key().public_key()}));
  security::TokenCheck decoded = security::decode_graph_token(input);
  security::TokenCheck verified = verifier.verify(input, kFuzzNow);
  ORBIT_RELEASE_ASSERT(decoded.ok() || !decoded.message.empty());
  ORBIT_RELEASE_ASSERT(verified.ok() || !verified.message.empty());
  if (verified.ok()) {
    ORBIT_RELEASE_ASSERT(decoded.ok());
    ORBIT_RELEASE_ASSERT(verified.claims.token_id == decoded.claims.token_id);
    ORBIT_RELEASE_ASSERT(verified.claims.org == decoded.claims.org);
    ORBIT_RELEASE_ASSERT(verified.claims.graph == decoded.claims.graph);
    // A different graph is never granted.
    ORBIT_RELEASE_ASSERT(
        verifier
            .authorize(input, verified.claims.org, verified.claims.graph + "x", nullptr, kFuzzNow)
            .error == security::TokenError::kWrongGraph);
  }
  if (decoded.ok()) {
    const security::GraphTokenClaims& c = decoded.claims;
    ORBIT_RELEASE_ASSERT(security::is_valid_name(c.org) && security::is_valid_name(c.graph));
    ORBIT_RELEASE_ASSERT(security::is_valid_token_id(c.token_id));
    auto minted = security::mint_graph_token(c, fuzz_token_key());
    ORBIT_RELEASE_ASSERT(minted.ok());
    security::TokenCheck again = verifier.verify(*minted, c.issued_at);
    ORBIT_RELEASE_ASSERT(again.ok() || again.error == security::TokenError::kWrongAudience ||
                         again.error == security::TokenError::kNotYetValid);
    ORBIT_RELEASE_ASSERT(security::decode_graph_token(*minted).claims.token_id == c.token_id);
  }
  // The same bytes as a signature file or header: read or refused with a message.
  auto file = security::parse_signature_file(input, "fuzz.sig");
  ORBIT_RELEASE_ASSERT(file.ok() ? file->signature.size() == security::kEd25519SignatureBytes
                                 : file.status().message().starts_with("fuzz.sig"));
  auto header = security::parse_signature_header(input);
  ORBIT_RELEASE_ASSERT(!header.ok() || header->size() == security::kEd25519SignatureBytes);
}

}  // namespace orbit::fuzz
