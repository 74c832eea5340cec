// api_call.h: one HTTP/1.1 request on its own connection, answered as status, headers, body and
// parsed JSON — for end-to-end tests that drive orbit-controlplane's API, routers and load
// balancers over plain sockets (controlplane_e2e_test, scale_test).
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"

namespace orbit::testing {

struct Reply {
  int status = 0;
  std::string body;
  std::string head;  // lower-cased status line and headers
  std::string error;
  Arena arena;
  JsonValue json;
  std::string str(std::initializer_list<std::string_view> path) const {
    const JsonValue* at = &json;
    for (auto k : path) {
      at = at->find(k);
      if (at == nullptr) return "";
    }
    return std::string(at->as_string());
  }
  std::string describe() const {
    return error.empty() ? std::to_string(status) + " " + body : error;
  }
};

// One request on its own connection (Connection: close), with any headers.
inline std::unique_ptr<Reply> http(uint16_t port, const std::string& method,
                                   const std::string& target, const std::string& body = "",
                                   std::vector<std::pair<std::string, std::string>> headers = {}) {
  auto r = std::make_unique<Reply>();
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    r->error = "connect failed";
    close(fd);
    return r;
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& [k, v] : headers)
    req += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST" || method == "PATCH")
    req +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string raw;
  char buf[65536];
  ssize_t n;
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
    raw.append(buf, static_cast<size_t>(n));
  close(fd);
  size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) {
    r->error = "no HTTP answer: " + raw.substr(0, 200);
    return r;
  }
  r->status = std::atoi(raw.c_str() + 9);
  r->head = raw.substr(0, end);
  for (char& c : r->head)
    c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  r->body = raw.substr(end + 4);
  if (!r->body.empty() && r->body[0] == '{') {
    auto json = parse_json(r->body, r->arena);
    if (json.ok()) r->json = *json;
  }
  return r;
}

// A JSON string literal of `s`.
inline std::string json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

}  // namespace orbit::testing
