#include "orbit/security/ed25519.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "orbit/security/artifact_signature.h"
#include "orbit/security/encoding.h"

namespace orbit::security {
namespace {

namespace fs = std::filesystem;

std::string unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  return out;
}

// RFC 8032, section 7.1, TEST 1 and TEST 2.
struct Vector {
  const char* seed;
  const char* public_key;
  std::string message;
  const char* signature;
};
const Vector kVectors[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b"
     "46bd"
     "25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "\x72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11"
     "d8"
     "c387b2eaeb4302aeeb00d291612bb0c00"},
};

// What `openssl genpkey -algorithm ed25519` writes for TEST 1's seed.
constexpr std::string_view kTest1PrivatePem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view kTest1PublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
    "-----END PUBLIC KEY-----\n";
// An EC (P-256) public key: a valid PEM of the wrong kind.
constexpr std::string_view kEcPublicPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEfJWhKyBN6Q2yheRY+SobCK/7G1JF\n"
    "2znAgnj/CehshCX7d99SCL5uJIw/Wd56uwEj+wQ1/e9q+CSDR2Sg4uN/nA==\n"
    "-----END PUBLIC KEY-----\n";

TEST(Ed25519, Rfc8032Vectors) {
  for (const Vector& v : kVectors) {
    auto key = Ed25519PrivateKey::from_raw(unhex(v.seed));
    ASSERT_TRUE(key.ok()) << key.status().message();
    EXPECT_EQ(hex_encode(key->public_key().raw()), v.public_key);
    std::string signature = key->sign(v.message);
    EXPECT_EQ(hex_encode(signature), v.signature);
    auto pub = Ed25519PublicKey::from_raw(unhex(v.public_key));
    ASSERT_TRUE(pub.ok());
    EXPECT_TRUE(pub->verify(v.message, signature));
    EXPECT_FALSE(pub->verify(v.message + "x", signature));
    std::string flipped = signature;
    flipped[10] ^= 1;
    EXPECT_FALSE(pub->verify(v.message, flipped));
    EXPECT_FALSE(pub->verify(v.message, signature.substr(0, 63)));
  }
}

TEST(Ed25519, PemAsOpensslWritesIt) {
  auto key = Ed25519PrivateKey::from_pem(kTest1PrivatePem);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(hex_encode(key->public_key().raw()), kVectors[0].public_key);
  EXPECT_EQ(key->to_pem(), kTest1PrivatePem);
  EXPECT_EQ(key->public_key().to_pem(), kTest1PublicPem);
  auto pub = Ed25519PublicKey::from_pem(kTest1PublicPem);
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  EXPECT_EQ(pub->raw(), key->public_key().raw());
  EXPECT_EQ(pub->key_id(), key->key_id());
  EXPECT_EQ(pub->key_id().size(), 16u);
}

TEST(Ed25519, GeneratedKeysDifferAndRoundTrip) {
  auto a = Ed25519PrivateKey::generate();
  auto b = Ed25519PrivateKey::generate();
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->public_key().raw(), b->public_key().raw());
  EXPECT_NE(a->key_id(), b->key_id());
  auto again = Ed25519PrivateKey::from_pem(a->to_pem());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->sign("m"), a->sign("m"));  // Ed25519 is deterministic
  EXPECT_FALSE(b->public_key().verify("m", a->sign("m")));
}

TEST(Ed25519, BadKeyFilesSayWhy) {
  struct Case {
    std::string pem;
    std::string message;
  };
  const Case private_cases[] = {
      {"", "key.pem: no \"BEGIN PRIVATE KEY\" block"},
      {std::string(kTest1PublicPem), "holds a public key where a private key was expected"},
      {"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
       "the private key is encrypted"},
      {"-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
       "an OpenSSH key"},
      {"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
       "holds a \"BEGIN RSA PRIVATE KEY\" key, not Ed25519"},
      {"-----BEGIN PRIVATE KEY-----\nnot base64 at all\n-----END PRIVATE KEY-----\n",
       "not a valid private key"},
      {"-----BEGIN PRIVATE KEY-----\nMC4CAQAw\n", "has no END line"},
      {std::string(kTest1PrivatePem) + std::string(kTest1PrivatePem),
       "holds more than one private key"},
  };
  for (const Case& c : private_cases) {
    auto key = Ed25519PrivateKey::from_pem(c.pem, "key.pem");
    ASSERT_FALSE(key.ok()) << c.pem;
    EXPECT_NE(key.status().message().find(c.message), std::string::npos) << key.status().message();
    EXPECT_EQ(key.status().message().rfind("key.pem: ", 0), 0u);
  }
  const Case public_cases[] = {
      {"hello", "no \"BEGIN PUBLIC KEY\" block"},
      {std::string(kTest1PrivatePem), "holds a private key"},
      {std::string(kEcPublicPem), "public key 1: an EC key, not Ed25519"},
      {"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n",
       "public key 1: not valid"},
  };
  for (const Case& c : public_cases) {
    auto keys = PublicKeySet::from_pem(c.pem, "pub.pem");
    ASSERT_FALSE(keys.ok()) << c.pem;
    EXPECT_NE(keys.status().message().find(c.message), std::string::npos)
        << keys.status().message();
  }
  EXPECT_FALSE(Ed25519PublicKey::from_raw("short").ok());
  EXPECT_FALSE(Ed25519PrivateKey::from_raw("short").ok());
}

TEST(Ed25519, KeySetForRotation) {
  auto old_key = Ed25519PrivateKey::generate();
  auto new_key = Ed25519PrivateKey::generate();
  auto other = Ed25519PrivateKey::generate();
  ASSERT_TRUE(old_key.ok() && new_key.ok() && other.ok());
  std::string bundle = "# orbit artifact keys\n" + old_key->public_key().to_pem() + "\n" +
                       new_key->public_key().to_pem();
  auto set = PublicKeySet::from_pem(bundle);
  ASSERT_TRUE(set.ok()) << set.status().message();
  ASSERT_EQ(set->keys().size(), 2u);
  EXPECT_TRUE(set->verify("a", old_key->sign("a")));
  EXPECT_TRUE(set->verify("a", new_key->sign("a")));
  EXPECT_FALSE(set->verify("a", other->sign("a")));
  EXPECT_NE(set->find(new_key->key_id()), nullptr);
  EXPECT_EQ(set->find(other->key_id()), nullptr);
  EXPECT_EQ(set->key_ids(), old_key->key_id() + ", " + new_key->key_id());
  // A single-key parse refuses a bundle.
  EXPECT_FALSE(Ed25519PublicKey::from_pem(bundle).ok());
  std::string many;
  for (int i = 0; i < 17; ++i)
    many += old_key->public_key().to_pem();
  auto too_many = PublicKeySet::from_pem(many);
  ASSERT_FALSE(too_many.ok());
  EXPECT_NE(too_many.status().message().find("more than 16 public keys"), std::string::npos);
}

TEST(Ed25519, KeyFiles) {
  fs::path dir = fs::temp_directory_path() / ("orbit-keys-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string priv = (dir / "signing.pem").string();
  std::string pub = (dir / "signing.pub.pem").string();
  auto key = generate_key_files(priv, pub);
  ASSERT_TRUE(key.ok()) << key.status().message();
  struct stat st {};
  ASSERT_EQ(::stat(priv.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = load_private_key(priv);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->key_id(), key->key_id());
  auto keys = load_public_keys(pub);
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  EXPECT_NE(keys->find(key->key_id()), nullptr);

  // Never overwrites.
  auto again = generate_key_files(priv, (dir / "other.pub").string());
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("already exists"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "other.pub"));
  EXPECT_EQ(load_private_key(priv)->key_id(), key->key_id());

  auto missing = load_public_keys((dir / "missing.pem").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kIo);
  EXPECT_NE(missing.status().message().find("missing.pem"), std::string::npos);
  std::ofstream(dir / "big.pem") << std::string(kMaxKeyFileBytes + 1, 'a');
  EXPECT_EQ(load_public_keys((dir / "big.pem").string()).status().code(),
            ErrorCode::kLimitExceeded);
  fs::remove_all(dir);
}

TEST(ArtifactSignature, SignsTheExactBytes) {
  auto key = Ed25519PrivateKey::generate();
  ASSERT_TRUE(key.ok());
  PublicKeySet keys({key->public_key()});
  std::string artifact = "{\"version\":\"v1\"}\n";
  ArtifactSignature sig = sign_artifact(artifact, *key);
  EXPECT_EQ(sig.key_id, key->key_id());
  EXPECT_EQ(sig.sha256_hex.size(), 64u);
  EXPECT_TRUE(verify_artifact(artifact, sig.signature, keys).ok());
  // One changed, added or removed byte anywhere is refused.
  for (size_t i = 0; i < artifact.size(); ++i) {
    std::string changed = artifact;
    changed[i] ^= 0x20;
    EXPECT_FALSE(verify_artifact(changed, sig.signature, keys).ok()) << i;
  }
  EXPECT_FALSE(verify_artifact(artifact + " ", sig.signature, keys).ok());
  EXPECT_FALSE(verify_artifact(artifact.substr(1), sig.signature, keys).ok());
  Status wrong_key = verify_artifact(artifact, Ed25519PrivateKey::generate()->sign(artifact), keys);
  EXPECT_NE(wrong_key.message().find("does not match the artifact for any trusted key (" +
                                     key->key_id() + ")"),
            std::string::npos)
      << wrong_key.message();
  EXPECT_NE(verify_artifact(artifact, "short", keys).message().find("has 5 bytes"),
            std::string::npos);
  EXPECT_FALSE(verify_artifact(artifact, sig.signature, PublicKeySet()).ok());
}

TEST(ArtifactSignature, FilesAndHeaders) {
  auto key = Ed25519PrivateKey::generate();
  ASSERT_TRUE(key.ok());
  ArtifactSignature sig = sign_artifact("body", *key);
  std::string file = write_signature_file(sig);
  EXPECT_EQ(file.back(), '\n');
  EXPECT_EQ(std::count(file.begin(), file.end(), '\n'), 1);
  auto parsed = parse_signature_file(file, "latest.json.sig");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->signature, sig.signature);
  EXPECT_EQ(parsed->key_id, sig.key_id);
  EXPECT_EQ(parsed->sha256_hex, sig.sha256_hex);

  // A bare base64 signature (openssl pkeyutl … | base64 -w0).
  auto bare = parse_signature_file(base64_encode(sig.signature) + "\n");
  ASSERT_TRUE(bare.ok()) << bare.status().message();
  EXPECT_EQ(bare->signature, sig.signature);
  EXPECT_EQ(bare->key_id, "");
  EXPECT_EQ(bare->sha256_hex, "");

  std::string b64 = base64_encode(sig.signature);
  const std::pair<std::string, std::string> bad[] = {
      {"", "empty"},
      {"{", "not valid JSON"},
      {"[1]", "expected a JSON object"},
      {"{\"signature\":\"" + b64 + "\"}", "algorithm: expected \"Ed25519\""},
      {"{\"algorithm\":\"RSA\",\"signature\":\"" + b64 + "\"}", "\"RSA\" is not supported"},
      {"{\"algorithm\":\"Ed25519\"}", "signature: expected a base64 string"},
      {"{\"algorithm\":\"Ed25519\",\"signature\":\"@@@@\"}", "not valid base64"},
      {"{\"algorithm\":\"Ed25519\",\"signature\":\"AAAA\"}", "has 3 bytes"},
      {"{\"algorithm\":\"Ed25519\",\"sha256\":\"xyz\",\"signature\":\"" + b64 + "\"}",
       "sha256: expected 64 lowercase hex digits"},
      {"{\"algorithm\":\"Ed25519\",\"keyId\":7,\"signature\":\"" + b64 + "\"}",
       "keyId: expected 16 lowercase hex digits"},
      {std::string(5000, 'A'), "larger than 4096 bytes"},
  };
  for (const auto& [text, message] : bad) {
    auto r = parse_signature_file(text, "latest.json.sig");
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_NE(r.status().message().find(message), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().rfind("latest.json.sig: ", 0), 0u) << r.status().message();
  }

  EXPECT_EQ(signature_header_value(sig.signature), b64);
  auto header = parse_signature_header(" " + b64 + " ");
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(*header, sig.signature);
  EXPECT_FALSE(parse_signature_header("").ok());
  EXPECT_FALSE(parse_signature_header(base64_encode("abc")).ok());
}

}  // namespace
}  // namespace orbit::security
