#include "orbit/net/url.h"

#include <charconv>

#include "orbit/net/http_headers.h"

namespace orbit::net {

namespace {

Status invalid(std::string_view text, std::string_view why) {
  return Status(ErrorCode::kInvalidArgument,
                "invalid URL \"" + std::string(text.substr(0, 200)) + "\": " + std::string(why));
}

bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

}  // namespace

Result<Url> parse_url(std::string_view text) {
  Url url;
  std::string_view rest;
  auto starts = [&](std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
  };
  if (starts("http://")) {
    rest = text.substr(7);
  } else if (starts("https://")) {
    url.tls = true;
    rest = text.substr(8);
  } else {
    return invalid(text, "the scheme must be http or https");
  }
  for (char c : text) {
    // Control characters and spaces would end up in the request line.
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return invalid(text, "it contains a space or control character");
    }
  }
  size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return invalid(text, "user information is not supported");
  }
  std::string_view host;
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid(text, "unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return invalid(text, "unexpected text after the IPv6 address");
      port_text = after.substr(1);
    }
    for (char c : host) {
      if (!(is_host_char(c) || c == ':' || c == '%')) return invalid(text, "bad IPv6 address");
    }
  } else {
    size_t colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    for (char c : host) {
      if (!is_host_char(c)) return invalid(text, "bad character in the host");
    }
  }
  if (host.empty()) return invalid(text, "the host is empty");
  uint16_t default_port = url.tls ? 443 : 80;
  url.port = default_port;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return invalid(text, "bad port");
    }
    url.port = static_cast<uint16_t>(value);
  }
  url.host = std::string(host);
  size_t fragment = tail.find('#');
  if (fragment != std::string_view::npos) tail = tail.substr(0, fragment);
  if (tail.empty() || tail[0] != '/') {
    url.target = "/" + std::string(tail);
  } else {
    url.target = std::string(tail);
  }
  bool ipv6 = url.host.find(':') != std::string::npos;
  std::string bracketed = ipv6 ? "[" + url.host + "]" : url.host;
  url.origin =
      std::string(url.tls ? "https://" : "http://") + bracketed + ":" + std::to_string(url.port);
  url.host_header =
      url.port == default_port ? bracketed : bracketed + ":" + std::to_string(url.port);
  return url;
}

}  // namespace orbit::net
