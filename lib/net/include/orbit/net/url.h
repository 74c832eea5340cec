// Url: the parts of an absolute http(s) URL that a client needs to connect and send.
// A plain value type; parsing is strict enough to keep hostile input out of request lines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "orbit/base/status.h"

namespace orbit::net {

struct Url {
  bool tls = false;         // https
  std::string host;         // without brackets for IPv6 literals
  uint16_t port = 0;        // explicit or the scheme's default
  std::string target;       // path and query, "/" when empty; no fragment
  std::string origin;       // "https://host:port", the connection pool key
  std::string host_header;  // "host" or "host:port" when the port is not the default
};

// kInvalidArgument with the reason for anything but http:// and https:// URLs with a host.
Result<Url> parse_url(std::string_view text);

}  // namespace orbit::net
