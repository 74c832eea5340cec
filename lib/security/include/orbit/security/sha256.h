// SHA-256 (OpenSSL). Pure functions: call on any thread.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace orbit::security {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest sha256(std::string_view bytes);
// 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

}  // namespace orbit::security
