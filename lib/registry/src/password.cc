#include "orbit/registry/password.h"

#include <argon2.h>
#include <openssl/rand.h>

#include "orbit/security/encoding.h"

namespace orbit::registry {
namespace {

// OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
constexpr uint32_t kMemoryKib = 19 * 1024;
constexpr uint32_t kPasses = 2;
constexpr uint32_t kLanes = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  ORBIT_RELEASE_ASSERT(
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) == 1);
  return out;
}

size_t utf8_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

Outcome check_password(std::string_view password) {
  if (password.size() > kMaxPasswordBytes)
    return api_error(ApiCode::kInvalidArgument,
                     "password: at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  if (utf8_chars(password) < kMinPasswordChars)
    return api_error(ApiCode::kInvalidArgument,
                     "password: at least " + std::to_string(kMinPasswordChars) + " characters");
  return Done{};
}

Expected<std::string> hash_password(std::string_view password) {
  std::string salt = random_bytes(kSaltBytes);
  size_t length = argon2_encodedlen(kPasses, kMemoryKib, kLanes, kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(length, '\0');
  int rc =
      argon2id_hash_encoded(kPasses, kMemoryKib, kLanes, password.data(), password.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK)
    return api_error(ApiCode::kInternal,
                     std::string("hashing a password: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(const std::string& encoded, std::string_view password) {
  if (encoded.rfind("$argon2id$", 0) != 0) return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void spend_password_verification(std::string_view password) {
  static const std::string kDummy = [] {
    auto hashed = hash_password("orbit-no-such-user-password");
    return hashed.ok() ? *hashed : std::string();
  }();
  (void)verify_password(kDummy, password);
}

std::string random_password() {
  return security::base64url_encode(random_bytes(18));
}

}  // namespace orbit::registry
