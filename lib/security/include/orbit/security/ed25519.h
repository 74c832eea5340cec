// Ed25519 keys (RFC 8032) on OpenSSL: the control plane signs config artifacts and graph
// tokens with a private key; routers hold the artifact public key, the CDN the token public
// key.
//
// Key files are PEM, as `openssl genpkey -algorithm ed25519` writes them: the private key as
// PKCS#8 ("BEGIN PRIVATE KEY", unencrypted), the public key as SubjectPublicKeyInfo ("BEGIN
// PUBLIC KEY"). A public key file may hold several keys (PublicKeySet): during a key rotation
// it lists the old and the new one, and a signature by either verifies.
//
// A key's id is the first 8 bytes of the SHA-256 of its 32-byte public key, in hex
// ("3f2a9c1e5b7d0a44"); tokens name the key that signed them by it (JWT `kid`).
//
// Keys are immutable values that share the OpenSSL object: copy them freely; sign() and
// verify() may be called from any number of threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/status.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace orbit::security {

inline constexpr size_t kEd25519KeyBytes = 32;
inline constexpr size_t kEd25519SignatureBytes = 64;
// Key files larger than this are not key files.
inline constexpr size_t kMaxKeyFileBytes = 64 * 1024;

class Ed25519PublicKey {
 public:
  // The 32 raw bytes of RFC 8032. kInvalidArgument for another length.
  static Result<Ed25519PublicKey> from_raw(std::string_view raw);
  // One "BEGIN PUBLIC KEY" block. Errors start with `source_name`.
  static Result<Ed25519PublicKey> from_pem(std::string_view pem,
                                           std::string_view source_name = "public key");

  // "-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----\n".
  std::string to_pem() const;
  const std::string& raw() const { return raw_; }
  const std::string& key_id() const { return key_id_; }

  // True when `signature` (64 raw bytes) is this key's signature of exactly `message`.
  bool verify(std::string_view message, std::string_view signature) const;

 private:
  friend class Ed25519PrivateKey;
  Ed25519PublicKey() = default;
  std::shared_ptr<evp_pkey_st> key_;
  std::string raw_;
  std::string key_id_;
};

class Ed25519PrivateKey {
 public:
  // A new key from the operating system's random source (OpenSSL's DRBG).
  static Result<Ed25519PrivateKey> generate();
  // The 32-byte seed of RFC 8032 (tests use the RFC's vectors).
  static Result<Ed25519PrivateKey> from_raw(std::string_view seed);
  // One unencrypted "BEGIN PRIVATE KEY" (PKCS#8) block. Errors start with `source_name`; an
  // encrypted key, an RSA or EC key, or a public key file get a message saying so.
  static Result<Ed25519PrivateKey> from_pem(std::string_view pem,
                                            std::string_view source_name = "private key");

  // PKCS#8 PEM. Holds the secret: write it to files only with mode 0600.
  std::string to_pem() const;
  const Ed25519PublicKey& public_key() const { return public_key_; }
  const std::string& key_id() const { return public_key_.key_id(); }

  // The 64-byte signature of `message`.
  std::string sign(std::string_view message) const;

 private:
  Ed25519PrivateKey() = default;
  // Takes ownership of `key` (an Ed25519 private key) and derives the public key.
  static Result<Ed25519PrivateKey> adopt(evp_pkey_st* key, std::string_view source);
  std::shared_ptr<evp_pkey_st> key_;
  Ed25519PublicKey public_key_;
};

// The public keys a verifier trusts (one, or several during a rotation).
class PublicKeySet {
 public:
  PublicKeySet() = default;
  explicit PublicKeySet(std::vector<Ed25519PublicKey> keys) : keys_(std::move(keys)) {}

  // One or more "BEGIN PUBLIC KEY" blocks (text outside the blocks is ignored, as in PEM
  // bundles); at most 16. Errors start with `source_name`.
  static Result<PublicKeySet> from_pem(std::string_view pem,
                                       std::string_view source_name = "public keys");

  const std::vector<Ed25519PublicKey>& keys() const { return keys_; }
  bool empty() const { return keys_.empty(); }
  // The key with this id, or null.
  const Ed25519PublicKey* find(std::string_view key_id) const;
  // True when any key verifies the signature.
  bool verify(std::string_view message, std::string_view signature) const;
  // "3f2a9c1e5b7d0a44, 9be0…": for messages.
  std::string key_ids() const;

 private:
  std::vector<Ed25519PublicKey> keys_;
};

// Reads a key file (at most kMaxKeyFileBytes). kIo naming the path when it cannot be read.
Result<std::string> read_key_file(const std::string& path);
Result<Ed25519PrivateKey> load_private_key(const std::string& path);
Result<PublicKeySet> load_public_keys(const std::string& path);

// Writes a new key pair: the private key with mode 0600, the public key with 0644. Neither
// file may exist yet (kInvalidArgument naming it otherwise), so a key is never overwritten
// by accident.
Result<Ed25519PrivateKey> generate_key_files(const std::string& private_path,
                                             const std::string& public_path);

}  // namespace orbit::security
