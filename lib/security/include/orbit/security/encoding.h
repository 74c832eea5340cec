// Byte encodings used by keys, signatures and tokens: base64 (RFC 4648 §4, padded),
// base64url (§5, unpadded, as JWTs write it) and lowercase hex.
//
// The decoders are strict — they accept exactly what the encoders write (no whitespace, no
// missing or extra padding, unused trailing bits zero) — so one byte string has one text,
// and a token or signature cannot be altered in its encoding without being rejected.
// Pure functions: call on any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace orbit::security {

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

std::string hex_encode(std::string_view bytes);

}  // namespace orbit::security
