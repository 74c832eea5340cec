// Signed config artifacts: the control plane signs the exact bytes of each artifact it
// publishes with its Ed25519 key; a router verifies them with the public key before it
// parses a byte, so an artifact altered anywhere between the two (storage, CDN, a proxy) is
// refused.
//
// The signature travels beside the artifact, never inside it:
//   - in storage, as `latest.json.sig` next to `latest.json` — the signature file below;
//   - over HTTP, as the header `X-Orbit-Signature: <base64 of the 64 signature bytes>`.
//
// The signature file is one line of JSON,
//   {"algorithm":"Ed25519","keyId":"3f2a9c1e5b7d0a44","sha256":"<hex>","signature":"<base64>"}
// naming the key and the SHA-256 of the bytes it signs, so that a reader can tell a
// signature that belongs to another version of the file (a writer between its two renames)
// from a bad one without holding the key. A file holding only the base64 signature (what
// `openssl pkeyutl -sign -rawin … | base64 -w0` writes) is read too; its keyId and sha256 are
// then unknown.
//
// Pure functions: call on any thread.
#pragma once

#include <string>
#include <string_view>

#include "orbit/base/status.h"
#include "orbit/security/ed25519.h"

namespace orbit::security {

inline constexpr std::string_view kSignatureHeader = "X-Orbit-Signature";
// Signature files larger than this are not signature files.
inline constexpr size_t kMaxSignatureFileBytes = 4096;

struct ArtifactSignature {
  std::string signature;   // 64 raw bytes: Ed25519 over the artifact's exact bytes
  std::string key_id;      // of the signing key; empty when unknown
  std::string sha256_hex;  // of the signed bytes; empty when unknown
};

ArtifactSignature sign_artifact(std::string_view artifact, const Ed25519PrivateKey& key);

// OK when a key of `keys` signed exactly `artifact`. kInvalidArgument otherwise:
// "the signature does not match the artifact for any trusted key (3f2a9c1e5b7d0a44)", or
// "the signature has 12 bytes, an Ed25519 signature has 64".
Status verify_artifact(std::string_view artifact, std::string_view signature,
                       const PublicKeySet& keys);

// The signature file's text (one line, ending in a newline).
std::string write_signature_file(const ArtifactSignature& signature);
// Either form described above. Errors (kInvalidArgument, kLimitExceeded) start with
// `source_name`.
Result<ArtifactSignature> parse_signature_file(std::string_view text,
                                               std::string_view source_name = "signature");

// The X-Orbit-Signature value: base64 of the 64 bytes.
std::string signature_header_value(std::string_view signature);
// The 64 bytes of an X-Orbit-Signature value (surrounding spaces ignored).
Result<std::string> parse_signature_header(std::string_view value);

}  // namespace orbit::security
