#include "orbit/security/ed25519.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "orbit/security/encoding.h"
#include "orbit/security/sha256.h"

namespace orbit::security {

namespace {

constexpr size_t kMaxKeysPerSet = 16;

std::shared_ptr<evp_pkey_st> own(EVP_PKEY* key) {
  return std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free);
}

// OpenSSL's reason for the last failure (and an empty error queue afterwards, so that a later
// call on this thread does not report a stale error).
std::string openssl_reason() {
  unsigned long code = ERR_peek_last_error();
  std::string reason;
  if (code != 0) {
    const char* r = ERR_reason_error_string(code);
    reason = r != nullptr ? r : "error " + std::to_string(code);
  }
  ERR_clear_error();
  return reason.empty() ? "unknown OpenSSL error" : reason;
}

Status invalid(std::string_view source, std::string_view what) {
  return Status(ErrorCode::kInvalidArgument, std::string(source) + ": " + std::string(what));
}

// One PEM block: its label ("PUBLIC KEY") and its whole text, BEGIN to END line.
struct PemBlock {
  std::string_view label;
  std::string_view text;
};

// The PEM blocks of `pem` in order; text between them is ignored. An error for a BEGIN line
// without its END line.
Result<std::vector<PemBlock>> pem_blocks(std::string_view pem, std::string_view source) {
  static constexpr std::string_view kBegin = "-----BEGIN ";
  static constexpr std::string_view kEnd = "-----END ";
  static constexpr std::string_view kDashes = "-----";
  std::vector<PemBlock> blocks;
  size_t at = 0;
  while ((at = pem.find(kBegin, at)) != std::string_view::npos) {
    size_t label_start = at + kBegin.size();
    size_t label_end = pem.find(kDashes, label_start);
    size_t line_end = pem.find('\n', label_start);
    if (label_end == std::string_view::npos ||
        (line_end != std::string_view::npos && label_end > line_end))
      return invalid(source, "malformed PEM BEGIN line");
    std::string_view label = pem.substr(label_start, label_end - label_start);
    std::string end_line = std::string(kEnd) + std::string(label) + std::string(kDashes);
    size_t end = pem.find(end_line, label_end);
    if (end == std::string_view::npos)
      return invalid(source, "PEM block \"" + std::string(label) + "\" has no END line");
    size_t stop = end + end_line.size();
    blocks.push_back({label, pem.substr(at, stop - at)});
    at = stop;
  }
  return blocks;
}

std::string raw_public(EVP_PKEY* key) {
  std::string raw(kEd25519KeyBytes, '\0');
  size_t length = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &length) !=
          1 ||
      length != kEd25519KeyBytes) {
    ERR_clear_error();
    return {};
  }
  return raw;
}

std::string key_id_of(std::string_view raw) {
  Sha256Digest d = sha256(raw);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(d.data()), 8));
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

// PEM_read_bio_* would prompt on the terminal for an encrypted key's password.
int no_password(char*, int, int, void*) {
  return -1;
}

Status write_new_file(const std::string& path, std::string_view text, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST)
      return Status(ErrorCode::kInvalidArgument,
                    path + ": already exists (a key is never overwritten; remove it first)");
    return Status(ErrorCode::kIo, path + ": cannot create the file (" + strerror(errno) + ")");
  }
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      ::unlink(path.c_str());
      return Status(ErrorCode::kIo, path + ": write failed (" + strerror(err) + ")");
    }
    written += static_cast<size_t>(n);
  }
  // The mode asked for, whatever the umask did to it.
  if (::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(path.c_str());
    return Status(ErrorCode::kIo, path + ": cannot finish the file (" + strerror(err) + ")");
  }
  ::close(fd);
  return {};
}

}  // namespace

// ---- Ed25519PublicKey

Result<Ed25519PublicKey> Ed25519PublicKey::from_raw(std::string_view raw) {
  if (raw.size() != kEd25519KeyBytes)
    return Status(ErrorCode::kInvalidArgument,
                  "an Ed25519 public key has 32 bytes, not " + std::to_string(raw.size()));
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (key == nullptr)
    return Status(ErrorCode::kInvalidArgument, "not an Ed25519 public key: " + openssl_reason());
  Ed25519PublicKey out;
  out.key_ = own(key);
  out.raw_ = std::string(raw);
  out.key_id_ = key_id_of(raw);
  return out;
}

Result<Ed25519PublicKey> Ed25519PublicKey::from_pem(std::string_view pem,
                                                    std::string_view source_name) {
  auto set = PublicKeySet::from_pem(pem, source_name);
  if (!set.ok()) return set.status();
  if (set->keys().size() != 1)
    return invalid(source_name,
                   "expected one public key, found " + std::to_string(set->keys().size()));
  return set->keys()[0];
}

std::string Ed25519PublicKey::to_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  ORBIT_RELEASE_ASSERT(bio != nullptr && PEM_write_bio_PUBKEY(bio, key_.get()) == 1);
  std::string text = bio_text(bio);
  BIO_free(bio);
  return text;
}

bool Ed25519PublicKey::verify(std::string_view message, std::string_view signature) const {
  if (key_ == nullptr || signature.size() != kEd25519SignatureBytes) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return false;
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key_.get()) == 1 &&
            EVP_DigestVerify(
                ctx, reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok) ERR_clear_error();
  return ok;
}

// ---- Ed25519PrivateKey

Result<Ed25519PrivateKey> Ed25519PrivateKey::adopt(evp_pkey_st* key, std::string_view source) {
  Ed25519PrivateKey out;
  out.key_ = own(key);
  std::string raw = raw_public(key);
  if (raw.empty()) return invalid(source, "cannot derive the public key");
  auto pub = Ed25519PublicKey::from_raw(raw);
  if (!pub.ok()) return invalid(source, pub.status().message());
  out.public_key_ = std::move(*pub);
  return out;
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr)
    return Status(ErrorCode::kInternal, "cannot generate an Ed25519 key: " + openssl_reason());
  return adopt(key, "new key");
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::from_raw(std::string_view seed) {
  if (seed.size() != kEd25519KeyBytes)
    return Status(ErrorCode::kInvalidArgument,
                  "an Ed25519 private key has 32 bytes, not " + std::to_string(seed.size()));
  EVP_PKEY* key = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed.data()), seed.size());
  if (key == nullptr)
    return Status(ErrorCode::kInvalidArgument, "not an Ed25519 private key: " + openssl_reason());
  return adopt(key, "private key");
}

Result<Ed25519PrivateKey> Ed25519PrivateKey::from_pem(std::string_view pem,
                                                      std::string_view source_name) {
  auto blocks = pem_blocks(pem, source_name);
  if (!blocks.ok()) return blocks.status();
  const PemBlock* found = nullptr;
  for (const PemBlock& b : *blocks) {
    if (b.label == "ENCRYPTED PRIVATE KEY")
      return invalid(source_name,
                     "the private key is encrypted; Orbit reads unencrypted PKCS#8 keys (write "
                     "it with `openssl pkey -in KEY -out PLAIN`, and keep it mode 0600)");
    if (b.label == "PUBLIC KEY")
      return invalid(source_name, "holds a public key where a private key was expected");
    if (b.label == "OPENSSH PRIVATE KEY")
      return invalid(source_name,
                     "an OpenSSH key; Orbit reads PKCS#8 PEM (`openssl genpkey -algorithm "
                     "ed25519` or `orbit-cdn keygen` write one)");
    if (b.label == "PRIVATE KEY" || b.label == "RSA PRIVATE KEY" || b.label == "EC PRIVATE KEY") {
      if (found != nullptr) return invalid(source_name, "holds more than one private key");
      found = &b;
    }
  }
  if (found == nullptr) return invalid(source_name, "no \"BEGIN PRIVATE KEY\" block");
  if (found->label != "PRIVATE KEY")
    return invalid(source_name, "holds a \"BEGIN " + std::string(found->label) +
                                    "\" key, not Ed25519; Orbit signs with Ed25519 keys");
  BIO* bio = BIO_new_mem_buf(found->text.data(), static_cast<int>(found->text.size()));
  if (bio == nullptr) return Status(ErrorCode::kInternal, "out of memory");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, no_password, nullptr);
  BIO_free(bio);
  if (key == nullptr) return invalid(source_name, "not a valid private key: " + openssl_reason());
  if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    std::string type = EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "other";
    EVP_PKEY_free(key);
    return invalid(source_name,
                   "holds an " + type + " key, not Ed25519; Orbit signs with Ed25519 keys");
  }
  return adopt(key, source_name);
}

std::string Ed25519PrivateKey::to_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  ORBIT_RELEASE_ASSERT(bio != nullptr && PEM_write_bio_PrivateKey(bio, key_.get(), nullptr, nullptr,
                                                                  0, nullptr, nullptr) == 1);
  std::string text = bio_text(bio);
  BIO_free(bio);
  return text;
}

std::string Ed25519PrivateKey::sign(std::string_view message) const {
  std::string signature(kEd25519SignatureBytes, '\0');
  size_t length = signature.size();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ORBIT_RELEASE_ASSERT(ctx != nullptr);
  bool ok =
      EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key_.get()) == 1 &&
      EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  // Ed25519 signing cannot fail for a valid key and any message.
  ORBIT_RELEASE_ASSERT(ok && length == kEd25519SignatureBytes);
  return signature;
}

// ---- PublicKeySet

Result<PublicKeySet> PublicKeySet::from_pem(std::string_view pem, std::string_view source_name) {
  auto blocks = pem_blocks(pem, source_name);
  if (!blocks.ok()) return blocks.status();
  std::vector<Ed25519PublicKey> keys;
  for (const PemBlock& b : *blocks) {
    if (b.label.find("PRIVATE KEY") != std::string_view::npos)
      return invalid(source_name,
                     "holds a private key; give routers and the CDN the public key only");
    if (b.label != "PUBLIC KEY") continue;  // certificates and the like in a bundle
    if (keys.size() == kMaxKeysPerSet)
      return invalid(source_name, "more than " + std::to_string(kMaxKeysPerSet) + " public keys");
    BIO* bio = BIO_new_mem_buf(b.text.data(), static_cast<int>(b.text.size()));
    if (bio == nullptr) return Status(ErrorCode::kInternal, "out of memory");
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, no_password, nullptr);
    BIO_free(bio);
    std::string n = "public key " + std::to_string(keys.size() + 1);
    if (key == nullptr) return invalid(source_name, n + ": not valid: " + openssl_reason());
    if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
      std::string type = EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "other";
      EVP_PKEY_free(key);
      return invalid(source_name,
                     n + ": an " + type + " key, not Ed25519; Orbit verifies Ed25519 signatures");
    }
    std::string raw = raw_public(key);
    EVP_PKEY_free(key);
    auto pub = Ed25519PublicKey::from_raw(raw);
    if (!pub.ok()) return invalid(source_name, n + ": " + pub.status().message());
    keys.push_back(std::move(*pub));
  }
  if (keys.empty()) return invalid(source_name, "no \"BEGIN PUBLIC KEY\" block");
  return PublicKeySet(std::move(keys));
}

const Ed25519PublicKey* PublicKeySet::find(std::string_view key_id) const {
  for (const Ed25519PublicKey& k : keys_) {
    if (k.key_id() == key_id) return &k;
  }
  return nullptr;
}

bool PublicKeySet::verify(std::string_view message, std::string_view signature) const {
  for (const Ed25519PublicKey& k : keys_) {
    if (k.verify(message, signature)) return true;
  }
  return false;
}

std::string PublicKeySet::key_ids() const {
  std::string out;
  for (const Ed25519PublicKey& k : keys_) {
    if (!out.empty()) out += ", ";
    out += k.key_id();
  }
  return out;
}

// ---- files

Result<std::string> read_key_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Status(ErrorCode::kIo, path + ": cannot read the key file (" + strerror(errno) + ")");
  std::string text(kMaxKeyFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxKeyFileBytes)
    return Status(
        ErrorCode::kLimitExceeded,
        path + ": larger than " + std::to_string(kMaxKeyFileBytes) + " bytes; not a key file");
  if (in.bad()) return Status(ErrorCode::kIo, path + ": read failed");
  return text;
}

Result<Ed25519PrivateKey> load_private_key(const std::string& path) {
  auto text = read_key_file(path);
  if (!text.ok()) return text.status();
  return Ed25519PrivateKey::from_pem(*text, path);
}

Result<PublicKeySet> load_public_keys(const std::string& path) {
  auto text = read_key_file(path);
  if (!text.ok()) return text.status();
  return PublicKeySet::from_pem(*text, path);
}

Result<Ed25519PrivateKey> generate_key_files(const std::string& private_path,
                                             const std::string& public_path) {
  if (private_path == public_path)
    return Status(ErrorCode::kInvalidArgument, "the private and public key need two files");
  for (const std::string& p : {private_path, public_path}) {
    if (::access(p.c_str(), F_OK) == 0)
      return Status(ErrorCode::kInvalidArgument,
                    p + ": already exists (a key is never overwritten; remove it first)");
  }
  auto key = Ed25519PrivateKey::generate();
  if (!key.ok()) return key.status();
  ORBIT_RETURN_IF_ERROR(write_new_file(private_path, key->to_pem(), 0600));
  Status pub = write_new_file(public_path, key->public_key().to_pem(), 0644);
  if (!pub.ok()) {
    ::unlink(private_path.c_str());
    return pub;
  }
  return key;
}

}  // namespace orbit::security
