#include "orbit/security/sha256.h"

#include <openssl/evp.h>

#include "orbit/base/assert.h"
#include "orbit/security/encoding.h"

namespace orbit::security {

Sha256Digest sha256(std::string_view bytes) {
  Sha256Digest digest{};
  unsigned int length = 0;
  int ok = EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr);
  ORBIT_RELEASE_ASSERT(ok == 1 && length == digest.size());
  return digest;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256Digest d = sha256(bytes);
  return hex_encode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

}  // namespace orbit::security
