// HttpServer: HTTP/1.1 (and 1.0) server, one listening socket per event loop.
//
// Every loop of the group gets its own acceptor bound with SO_REUSEPORT to the same address,
// so the kernel spreads connections and a connection lives on one loop from accept to close
// (docs/adr/0001). Requests of one connection are handled one at a time, in order: a client
// that pipelines gets its answers in request order.
//
// Threading contract:
//   - The handler runs on the loop that accepted the connection; with several loops it is
//     called concurrently, so it must be safe to call from several threads at once.
//   - HttpResponder::send() should be called on that same loop (later is fine, e.g. after
//     subgraph fetches); from another thread it is posted there.
//   - start(), drain(), stop() and the destructor are called by the owner thread, never from a
//     loop thread. The server must be destroyed before its loops.
// Lifecycle: construct, start() (binds and listens), drain() or stop(), destroy.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_headers.h"

namespace orbit::net {

namespace detail {
class ServerConnection;
struct ServerShared;
}  // namespace detail

struct HttpRequest {
  std::string method;  // as sent, e.g. "GET"
  std::string target;  // path and query, e.g. "/graphql?query=..."
  int version = 11;    // 10 for HTTP/1.0, 11 for HTTP/1.1
  HttpHeaders headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1:53412"

  // The target without the query, and the query without '?'.
  std::string_view path() const;
  std::string_view query() const;
};

// The one way to answer a request. Copies share the same pending answer; the first send()
// wins and later ones are ignored. When the last copy is destroyed without a send(), the
// client gets a 500 so that a lost request never hangs a connection.
class HttpResponder {
 public:
  HttpResponder() = default;
  explicit HttpResponder(std::shared_ptr<detail::ServerConnection> connection, uint64_t sequence);

  // Content-Length is computed here; `headers` must not carry it nor Transfer-Encoding.
  void send(int status, HttpHeaders headers, std::string body);
  // True after a send() through any copy.
  bool sent() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

using HttpHandler = std::function<void(HttpRequest&&, HttpResponder)>;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: the kernel picks one; port() reports it after start()

  size_t max_header_bytes = 16 * 1024;      // request line + headers; over it: 431
  size_t max_body_bytes = 4 * 1024 * 1024;  // over it: 413
  // A keep-alive connection waiting for its next request is closed after this.
  std::chrono::milliseconds idle_timeout{60'000};
  // From the first byte of a request to its last; a slower client gets 408 and is closed.
  std::chrono::milliseconds read_timeout{30'000};
  // Writing one response; a client that does not read is closed.
  std::chrono::milliseconds write_timeout{30'000};

  // Serve HTTPS when both are set (PEM files).
  std::string tls_cert_file;
  std::string tls_key_file;
};

struct HttpServerStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_open = 0;
  uint64_t requests = 0;
};

class HttpServer {
 public:
  HttpServer(std::vector<EventLoop*> loops, HttpServerOptions options, HttpHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds one acceptor per loop and starts accepting. kUnavailable when the address cannot
  // be bound, kInvalidArgument for a bad host or TLS files.
  Status start();
  // The bound port (the real one when options.port was 0). Valid after start().
  uint16_t port() const { return port_; }

  // Graceful shutdown (SIGTERM): stops accepting, closes idle connections, lets requests in
  // flight finish and answers them with "Connection: close". Connections still open after
  // `grace` are closed. `done` runs once, on some loop thread, when no connection is left.
  // Only the first call drains; a later one (or one before start()) runs `done` at once.
  void drain(std::chrono::milliseconds grace, std::function<void()> done);
  // drain() and wait for it. Not from a loop thread.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10'000));

  HttpServerStats stats() const;

 private:
  std::vector<EventLoop*> loops_;
  std::shared_ptr<detail::ServerShared> shared_;
  uint16_t port_ = 0;
  bool started_ = false;
  bool drained_ = false;
};

}  // namespace orbit::net
