// Private to lib/net: what may go into a header field we send. Beast stores field lengths
// in 16 bits and throws past them, and CR/LF would let a value inject fields, so both the
// server (handler-made response headers) and the client (caller-made request headers) check
// here before handing fields to Beast.
#pragma once

#include <string>
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

// Appends "Name: value\r\n" to a message head being written by hand, the value trimmed of
// leading and trailing spaces and tabs as Beast's fields store it (the bytes stay the same as
// when Beast serialized the message).
inline void append_field(std::string& head, std::string_view name, std::string_view value) {
  size_t first = value.find_first_not_of(" \t");
  value = first == std::string_view::npos
              ? std::string_view()
              : value.substr(first, value.find_last_not_of(" \t") - first + 1);
  head.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace orbit::net::detail
