// HttpClient: HTTP/1.1 client with keep-alive connection pools per origin, bound to one loop.
//
// The router keeps one client per event loop (docs/adr/0001): pools are per thread, so the
// request path takes no lock. Connections are reused LIFO; an idle connection the server
// closed is noticed (and dropped) while idle, and a request that fails on a reused
// connection before any byte of the answer arrived is retried once on a new connection when
// it is safe: the request was not fully written, or it is idempotent.
//
// Threading contract: construct, fetch() and destroy on the loop's thread. The callback runs
// on that thread, exactly once, never from inside fetch(). Destroying the client drops the
// callbacks of fetches still pending without calling them; destroy it before its loop.
//
// Errors: kTimeout (connect or whole-request timeout), kUnavailable (DNS, refused, reset,
// TLS failure, connection closed early), kLimitExceeded (response too large),
// kInvalidArgument (bad URL), kIo (malformed response). Messages name the URL or origin.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "orbit/base/status.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_headers.h"

namespace orbit::net {

namespace detail {
class ClientCore;
}

struct HttpClientRequest {
  std::string method = "GET";
  std::string url;  // http://host[:port]/path?query or https://...
  HttpHeaders headers;
  std::string body;
  // Whole request: connect, send and receive. 0: HttpClientOptions::request_timeout.
  std::chrono::milliseconds timeout{0};
  // Whether a request that may have reached the server can be sent again. Unset: by method
  // (GET, HEAD, OPTIONS, PUT, DELETE, TRACE are). A GraphQL query over POST may set true.
  std::optional<bool> idempotent;
};

struct HttpClientResponse {
  int status = 0;
  HttpHeaders headers;
  std::string body;
};

struct HttpClientOptions {
  // Per origin (scheme, host, port): open connections, and idle ones kept for reuse.
  // Fetches beyond max_connections_per_origin wait for a connection to be free.
  size_t max_connections_per_origin = 64;
  size_t max_idle_per_origin = 16;
  // An idle pooled connection is closed after this; keep it below the servers' keep-alive.
  std::chrono::milliseconds idle_timeout{30'000};
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};
  size_t max_response_bytes = 64 * 1024 * 1024;  // decoded size when gzip is decoded
  size_t max_header_bytes = 64 * 1024;
  // Room reserved past the end of a response body with a Content-Length, allocated with the
  // body before it is read (e.g. the padding a JSON parser reads past the end, so it can parse
  // the body in place instead of copying it). 0: exactly the body.
  size_t body_spare_capacity = 0;
  // Decode "Content-Encoding: gzip" responses (the caller sends Accept-Encoding if it
  // wants them).
  bool decode_gzip = true;

  // https: verify the server's chain against the system CAs (plus tls_ca_file) and its name.
  bool tls_verify = true;
  std::string tls_ca_file;  // extra trusted CAs (PEM), e.g. a private CA
};

struct HttpClientStats {
  uint64_t connections_opened = 0;
  uint64_t requests = 0;
  uint64_t retries = 0;
};

class HttpClient {
 public:
  using Callback = std::function<void(Result<HttpClientResponse>)>;

  HttpClient(EventLoop& loop, HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  void fetch(const HttpClientRequest& request, Callback callback);
  // The same without copying the request (its body may be large).
  void fetch(HttpClientRequest&& request, Callback callback);

  HttpClientStats stats() const;
  // Open connections (busy and idle) over all origins.
  size_t open_connections() const;

 private:
  std::shared_ptr<detail::ClientCore> core_;
};

}  // namespace orbit::net
