// ApiClient: a blocking client of the control plane's /v1 HTTP JSON API (docs/api.md) for
// the registry commands of `orbit`.
//
// Lifecycle and threading: owns a private event loop (lib/net) for its lifetime; call()
// sends one request on that loop and waits for the answer on the calling thread. One thread
// at a time. The connection is kept alive between calls (list commands page through
// several requests).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "orbit/base/status.h"
#include "orbit/net/http_headers.h"

namespace orbit::net {
class EventLoop;
class HttpClient;
}  // namespace orbit::net

namespace orbit::cli {

struct ApiSettings {
  std::string url;  // http(s)://host[:port][/prefix]; "/v1/…" is appended
  std::string key;  // orbit_<id>_<secret>, sent as "Authorization: Bearer"
  int timeout_ms = 30'000;
};

struct ApiResponse {
  int status = 0;
  net::HttpHeaders headers;
  std::string body;
};

class ApiClient {
 public:
  explicit ApiClient(ApiSettings settings);
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // `path` starts with "/v1/". `body` (JSON) is sent with Content-Type application/json when
  // not empty. Any HTTP answer is a value; a non-ok Status means there was none: kUnavailable
  // (refused, DNS, reset), kTimeout, kInvalidArgument (bad URL), kLimitExceeded, kIo.
  Result<ApiResponse> call(std::string_view method, std::string_view path, std::string body = {});

  const ApiSettings& settings() const { return settings_; }

 private:
  ApiSettings settings_;
  std::unique_ptr<net::EventLoop> loop_;
  std::unique_ptr<net::HttpClient> client_;
};

// Checks an API URL given by flag or environment: http:// or https://, a host, no query or
// fragment, at most 2048 bytes. Returns it without a trailing '/'.
Result<std::string> normalize_api_url(std::string_view url);

// Percent-encodes a query parameter value.
std::string url_encode(std::string_view s);

}  // namespace orbit::cli
