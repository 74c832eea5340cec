// Private to lib/net: what may go into a header field we send. Beast stores field lengths
// in 16 bits and throws past them, and CR/LF would let a value inject fields, so both the
// server (handler-made response headers) and the client (caller-made request headers) check
// here before handing fields to Beast.
#pragma once

#include <string_view>

namespace orbit::net::detail {

inline constexpr size_t kMaxFieldName = 1024;
inline constexpr size_t kMaxFieldValue = 60 * 1024;

// RFC 9110 token: field names and methods.
inline bool is_token(std::string_view s, size_t max_size = kMaxFieldName) {
  if (s.empty() || s.size() > max_size) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

inline bool is_field_value(std::string_view s) {
  if (s.size() > kMaxFieldValue) return false;
  for (char c : s) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

}  // namespace orbit::net::detail
