// ApiHandler: the /v1 HTTP JSON API of docs/api.md over a registry::Registry — routing,
// authentication and roles, reading request bodies (strictly: unknown keys are errors),
// pagination, and writing responses and errors.
//
//   HttpRequest ─► route ─► authenticate ─► role ─► Registry / Store ─► ApiResponse (JSON)
//
// Threading: handle() uses the Registry, which is not thread-safe; the server calls it from
// one worker thread (ControlplaneServer). It never throws and answers every input.
#pragma once

#include <atomic>
#include <string>

#include "orbit/net/http_headers.h"
#include "orbit/net/http_server.h"
#include "orbit/registry/registry.h"

namespace orbit::controlplane {

struct ApiResponse {
  int status = 200;
  net::HttpHeaders headers;
  std::string body;
};

class ApiHandler {
 public:
  explicit ApiHandler(registry::Registry& registry) : registry_(registry) {}

  ApiResponse handle(const net::HttpRequest& request);

 private:
  registry::Registry& registry_;
  std::atomic<uint64_t> requests_{0};
};

}  // namespace orbit::controlplane
