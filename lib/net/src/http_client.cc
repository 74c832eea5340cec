#include "orbit/net/http_client.h"

#include <sys/socket.h>

#include <cerrno>
#include <deque>
#include <iterator>
#include <unordered_map>
#include <unordered_set>

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include "any_stream.h"

#include "asio.h"
#include "field_check.h"
#include "gzip.h"
#include "http_io.h"
#include "loop_core.h"
#include "orbit/net/url.h"

namespace orbit::net {
namespace detail {

class ClientConnection;
struct Pool;

// One fetch() call, from the call to its callback.
struct Fetch {
  Fetch(asio::io_context& io) : timer(io) {}

  HttpClientRequest request;
  std::shared_ptr<const Url> url;  // parsed once per distinct URL (ClientCore::parsed_url)
  HttpClient::Callback callback;
  std::chrono::milliseconds timeout{0};
  asio::steady_timer timer;
  bool done = false;
  bool retried = false;
  bool waiting = false;            // queued for a free connection
  const char* phase = "starting";  // for timeout messages
  std::shared_ptr<ClientConnection> connection;

  bool idempotent() const {
    const std::string& m = request.method;
    return request.idempotent.value_or(m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "PUT" ||
                                       m == "DELETE" || m == "TRACE");
  }

  // "POST http://host:port/path" for messages; the query may be long or secret.
  std::string what() const {
    std::string_view u = request.url;
    return request.method + " " + std::string(u.substr(0, u.find('?')));
  }
};

struct Pool {
  Url endpoint;                                         // host, port, tls of the origin
  std::vector<std::shared_ptr<ClientConnection>> idle;  // most recently used last
  std::unordered_set<ClientConnection*> open;
  std::deque<std::shared_ptr<Fetch>> waiting;
};

class ClientCore : public std::enable_shared_from_this<ClientCore> {
 public:
  ClientCore(EventLoop& loop, HttpClientOptions options)
      : loop_(loop), io_(io_of(loop)), options_(std::move(options)) {}

  void fetch(HttpClientRequest request, HttpClient::Callback callback);
  void shutdown();

  // Called by connections.
  void complete(const std::shared_ptr<Fetch>& fetch, Result<HttpClientResponse> result);
  void release(Pool& pool, const std::shared_ptr<ClientConnection>& connection, bool reusable);
  void on_connection_closed(Pool& pool, ClientConnection* connection);
  void retry(const std::shared_ptr<Fetch>& fetch);

  ssl::context* tls_context(Status* error);
  const HttpClientOptions& options() const { return options_; }
  asio::io_context& io() { return io_; }
  bool shut_down() const { return shut_down_; }
  HttpClientStats& stats() { return stats_; }
  size_t open_connections() const {
    size_t n = 0;
    for (const auto& [origin, pool] : pools_)
      n += pool->open.size();
    return n;
  }

 private:
  std::shared_ptr<const Url> parsed_url(const std::string& text, Status* error);
  void dispatch(const std::shared_ptr<Fetch>& fetch, bool fresh_connection);
  void on_timeout(const std::shared_ptr<Fetch>& fetch);
  void serve_waiting(Pool& pool);

  EventLoop& loop_;
  asio::io_context& io_;
  HttpClientOptions options_;
  std::unique_ptr<ssl::context> tls_;
  std::unordered_map<std::string, std::unique_ptr<Pool>> pools_;
  // A router sends to a handful of URLs: each is parsed once.
  static constexpr size_t kMaxParsedUrls = 256;
  std::unordered_map<std::string, std::shared_ptr<const Url>> parsed_urls_;
  bool shut_down_ = false;
  HttpClientStats stats_;
};

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  static constexpr size_t kReadBufferBytes = 64 * 1024;

  ClientConnection(std::shared_ptr<ClientCore> core, Pool& pool, AnyStream stream)
      : core_(std::move(core)),
        pool_(pool),
        stream_(std::move(stream)),
        timer_(core_->io()),
        resolver_(core_->io()) {
    pool_.open.insert(this);
  }
  ~ClientConnection() {
    if (!closed_) pool_.open.erase(this);
  }

  // Resolve, connect and (https) handshake, then send the fetch's request.
  void connect(std::shared_ptr<Fetch> fetch) {
    fetch_ = std::move(fetch);
    fetch_->connection = shared_from_this();
    fetch_->phase = "connecting";
    uint64_t generation = ++generation_;
    timer_.expires_after(core_->options().connect_timeout);
    timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
      if (ec || generation != self->generation_ || self->closed_) return;
      self->fail_connect(ErrorCode::kTimeout,
                         "timed out after " +
                             std::to_string(self->core_->options().connect_timeout.count()) +
                             " ms");
    });
    const Url& url = pool_.endpoint;
    error_code ec;
    auto address = asio::ip::make_address(url.host, ec);
    if (!ec) {
      std::vector<tcp::endpoint> endpoints{tcp::endpoint(address, url.port)};
      return connect_to(std::move(endpoints));
    }
    resolver_.async_resolve(
        url.host, std::to_string(url.port),
        [self = shared_from_this()](const error_code& ec, tcp::resolver::results_type results) {
          if (self->closed_) return;
          if (ec) {
            return self->fail_connect(ErrorCode::kUnavailable, "failed: cannot resolve host \"" +
                                                                   self->pool_.endpoint.host +
                                                                   "\": " + ec.message());
          }
          std::vector<tcp::endpoint> endpoints;
          for (const auto& entry : results)
            endpoints.push_back(entry.endpoint());
          self->connect_to(std::move(endpoints));
        });
  }

  // Sends the fetch's request on this (connected) connection: the header written here, then
  // header and body in one gathered write.
  void send(std::shared_ptr<Fetch> fetch) {
    fetch_ = std::move(fetch);
    fetch_->connection = shared_from_this();
    fetch_->phase = "sending the request";
    ++generation_;  // retires the idle timer
    timer_.cancel();
    sent_ = false;
    readable_ = false;

    HttpClientRequest& r = fetch_->request;
    const Url& url = *fetch_->url;
    head_.clear();
    head_.append(r.method).append(" ").append(url.target).append(" HTTP/1.1\r\n");
    bool has_host = false;
    for (const auto& [name, value] : r.headers) {
      if (iequals(name, "host")) has_host = true;
      if (iequals(name, "content-length") || iequals(name, "transfer-encoding")) continue;
      append_field(head_, name, value);
    }
    if (!has_host) append_field(head_, "Host", url.host_header);
    if (!r.body.empty() || r.method == "POST" || r.method == "PUT" || r.method == "PATCH") {
      append_field(head_, "Content-Length", std::to_string(r.body.size()));
    }
    head_.append("\r\n");
    // The body moves here (no copy) and back before a retry (on_send_error, on_response).
    body_ = std::move(r.body);
    // The readable wait doubles as the idle watch: a pooled connection still has it pending,
    // so neither the send nor the wait for the answer costs a system call of its own.
    watch();
    async_write_bytes(stream_, asio::buffer(head_), asio::buffer(body_),
                      bind_io<&ClientConnection::on_sent>(shared_from_this()));
  }

  // The fetch gave up (timeout, client shut down): the connection's state is unknown.
  void abort() { close(); }

  // Taken from the idle list: false when the server closed it or sent something unasked.
  // `probe`: also ask the socket (one system call); without it a connection closed an instant
  // ago is noticed by the idle watch, or by the request failing (and being retried).
  bool still_usable(bool probe) {
    if (closed_ || !stream_.is_open()) return false;
    if (!probe) return true;
    char byte;
    ssize_t n = ::recv(stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

  std::shared_ptr<Fetch> pending_fetch() const { return fetch_; }

  // Now idle in the pool: watch for the server closing it, and expire it.
  void park() {
    reused_ = true;
    fetch_.reset();
    watch();
    uint64_t generation = ++generation_;
    timer_.expires_after(core_->options().idle_timeout);
    timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
      if (ec || generation != self->generation_ || self->closed_) return;
      self->close();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    ++generation_;
    timer_.cancel();
    resolver_.cancel();
    stream_.close();
    pool_.open.erase(this);
    auto keep = shared_from_this();
    std::erase(pool_.idle, keep);
    fetch_.reset();
    core_->on_connection_closed(pool_, this);
  }

 private:
  // One readable wait at a time, armed when parked (or before the first request) and kept
  // through the next send: idle, readable means closed or unasked bytes; with a request out,
  // it means the answer is arriving.
  void watch() {
    if (watching_) return;
    watching_ = true;
    stream_.socket().async_wait(tcp::socket::wait_read,
                                bind_io<&ClientConnection::on_readable>(shared_from_this()));
  }

  void on_readable(const error_code&, size_t) {
    watching_ = false;
    if (closed_) return;
    // EOF, a reset, or bytes nobody asked for: unusable.
    if (!fetch_) return close();
    // An error shows in the read that follows.
    readable_ = true;
    if (sent_) read_response();
  }

  std::string origin_text() const {
    return pool_.endpoint.host + ":" + std::to_string(pool_.endpoint.port);
  }

  void connect_to(std::vector<tcp::endpoint> endpoints) {
    auto shared_endpoints = std::make_shared<std::vector<tcp::endpoint>>(std::move(endpoints));
    asio::async_connect(
        stream_.socket(), *shared_endpoints,
        [self = shared_from_this(), shared_endpoints](const error_code& ec, const tcp::endpoint&) {
          if (self->closed_) return;
          if (ec) return self->fail_connect(ErrorCode::kUnavailable, "failed: " + ec.message());
          error_code ignored;
          self->stream_.socket().set_option(tcp::no_delay(true), ignored);
          self->handshake();
        });
  }

  void handshake() {
    auto* tls = stream_.tls();
    if (!tls) return connected();
    const std::string& host = pool_.endpoint.host;
    error_code ec;
    bool is_ip = (asio::ip::make_address(host, ec), !ec);
    if (!is_ip) SSL_set_tlsext_host_name(tls->native_handle(), host.c_str());
    if (core_->options().tls_verify) {
      tls->set_verify_mode(ssl::verify_peer);
      tls->set_verify_callback(ssl::host_name_verification(host));
    } else {
      tls->set_verify_mode(ssl::verify_none);
    }
    async_handshake(stream_, /*server=*/false,
                    bind_io<&ClientConnection::on_handshake>(shared_from_this()));
  }

  void on_handshake(const error_code& ec, size_t) {
    if (closed_) return;
    if (ec) return fail_connect(ErrorCode::kUnavailable, "failed: TLS handshake: " + ec.message());
    connected();
  }

  void on_sent(const error_code& ec, size_t) {
    if (closed_) return;
    if (ec) return on_send_error(ec);
    fetch_->phase = "waiting for the response";
    sent_ = true;
    if (readable_) read_response();
  }

  void connected() {
    core_->stats().connections_opened++;
    auto fetch = std::move(fetch_);
    send(std::move(fetch));
  }

  void fail_connect(ErrorCode code, std::string why) {
    auto fetch = fetch_;
    close();
    if (fetch) {
      core_->complete(fetch, Status(code, fetch->what() + ": connect to " + origin_text() + " " +
                                              std::move(why)));
    }
  }

  void on_send_error(const error_code& ec) {
    // The server cannot have acted on a request it did not fully receive.
    auto fetch = fetch_;
    bool retry = reused_ && !fetch->retried;
    close();
    if (retry) {
      fetch->request.body = std::move(body_);
      return core_->retry(fetch);
    }
    core_->complete(fetch, Status(ErrorCode::kUnavailable,
                                  fetch->what() + ": sending the request failed: " + ec.message()));
  }

  void read_response() {
    readable_ = false;
    parser_.emplace();
    parser_->body_limit(core_->options().max_response_bytes);
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(core_->options().max_header_bytes, std::numeric_limits<uint32_t>::max())));
    if (fetch_->request.method == "HEAD") parser_->skip(true);
    // Beast reads at most the buffer's free capacity per call (512 bytes when it starts
    // empty): a 100 KB answer would take 200 reads. With 64 KB, one or two.
    if (buffer_.capacity() < kReadBufferBytes) buffer_.reserve(kReadBufferBytes);
    if (core_->options().body_spare_capacity == 0) {
      async_read(stream_, buffer_, *parser_,
                 bind_io<&ClientConnection::on_response>(shared_from_this()));
      return;
    }
    // The head first (from the same buffered bytes: no extra system call), then the body into
    // a string already sized for it and the spare capacity.
    async_read_header(stream_, buffer_, *parser_,
                      bind_io<&ClientConnection::on_response_head>(shared_from_this()));
  }

  void on_response_head(const error_code& ec, size_t bytes) {
    if (closed_) return;
    if (ec || parser_->is_done()) return on_response(ec, bytes);
    auto length = parser_->content_length();
    if (length && *length <= core_->options().max_response_bytes) {
      // Beast reserves exactly the length; a larger capacity is kept.
      parser_->get().body().reserve(static_cast<size_t>(*length) +
                                    core_->options().body_spare_capacity);
    }
    async_read(stream_, buffer_, *parser_,
               bind_io<&ClientConnection::on_response>(shared_from_this()));
  }

  void on_response(const error_code& ec, size_t) {
    if (closed_) return;
    auto fetch = fetch_;
    if (ec) {
      bool nothing_received = !parser_->got_some();
      // A kept-alive connection the server closed just as we reused it.
      bool retry = reused_ && nothing_received && fetch->idempotent() && !fetch->retried;
      close();
      if (retry) {
        fetch->request.body = std::move(body_);
        return core_->retry(fetch);
      }
      std::string what = fetch->what();
      if (ec == http::error::body_limit) {
        return core_->complete(
            fetch, Status(ErrorCode::kLimitExceeded,
                          what + ": response body larger than " +
                              std::to_string(core_->options().max_response_bytes) + " bytes"));
      }
      if (ec == http::error::header_limit) {
        return core_->complete(
            fetch, Status(ErrorCode::kLimitExceeded,
                          what + ": response header larger than " +
                              std::to_string(core_->options().max_header_bytes) + " bytes"));
      }
      if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
          !is_http_parse_error(ec)) {
        return core_->complete(
            fetch, Status(ErrorCode::kUnavailable,
                          what + ": connection to " + origin_text() +
                              (nothing_received ? " closed before any response: "
                                                : " closed before the response was complete: ") +
                              ec.message()));
      }
      return core_->complete(
          fetch, Status(ErrorCode::kIo, what + ": malformed response: " + ec.message()));
    }
    auto& message = parser_->get();
    unsigned status = message.result_int();
    if (status >= 100 && status < 200 && status != 101) return read_response();  // interim
    HttpClientResponse response;
    response.status = static_cast<int>(status);
    response.headers.reserve(static_cast<size_t>(std::distance(message.begin(), message.end())));
    for (const auto& field : message) {
      response.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    response.body = std::move(message.body());
    bool reusable = parser_->keep_alive();
    parser_.reset();
    if (core_->options().decode_gzip) {
      auto encoding = response.headers.get("content-encoding");
      if (encoding && (iequals(*encoding, "gzip") || iequals(*encoding, "x-gzip"))) {
        auto decoded = gunzip(response.body, core_->options().max_response_bytes);
        if (!decoded.ok()) {
          core_->release(pool_, shared_from_this(), reusable);
          return core_->complete(fetch, Status(decoded.status().code(),
                                               fetch->what() + ": " + decoded.status().message()));
        }
        response.body = std::move(decoded).value();
        response.headers.remove("content-encoding");
        response.headers.set("content-length", std::to_string(response.body.size()));
      }
    }
    fetch->connection.reset();
    core_->release(pool_, shared_from_this(), reusable);
    core_->complete(fetch, std::move(response));
  }

  std::shared_ptr<ClientCore> core_;
  Pool& pool_;
  AnyStream stream_;
  asio::steady_timer timer_;
  tcp::resolver resolver_;
  uint64_t generation_ = 0;
  bool closed_ = false;
  bool reused_ = false;
  bool watching_ = false;  // a readable wait is pending
  bool sent_ = false;      // the current request is written
  bool readable_ = false;  // the wait completed while it was being written
  std::shared_ptr<Fetch> fetch_;
  beast::flat_buffer buffer_;
  std::string head_;  // request line and header fields, reused
  std::string body_;  // the request body being sent
  std::optional<ResponseParser> parser_;
};

ssl::context* ClientCore::tls_context(Status* error) {
  if (tls_) return tls_.get();
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  error_code ec;
  if (options_.tls_verify) {
    context->set_default_verify_paths(ec);
    if (ec) {
      *error = Status(ErrorCode::kUnavailable,
                      "cannot load the system CA certificates: " + ec.message());
      return nullptr;
    }
    if (!options_.tls_ca_file.empty()) {
      context->load_verify_file(options_.tls_ca_file, ec);
      if (ec) {
        *error = Status(ErrorCode::kInvalidArgument,
                        "cannot load CA file \"" + options_.tls_ca_file + "\": " + ec.message());
        return nullptr;
      }
    }
  }
  tls_ = std::move(context);
  return tls_.get();
}

std::shared_ptr<const Url> ClientCore::parsed_url(const std::string& text, Status* error) {
  auto it = parsed_urls_.find(text);
  if (it != parsed_urls_.end()) return it->second;
  auto url = parse_url(text);
  if (!url.ok()) {
    *error = url.status();
    return nullptr;
  }
  if (parsed_urls_.size() >= kMaxParsedUrls) parsed_urls_.clear();
  auto parsed = std::make_shared<const Url>(std::move(url).value());
  parsed_urls_.emplace(text, parsed);
  return parsed;
}

void ClientCore::fetch(HttpClientRequest request_in, HttpClient::Callback callback) {
  ORBIT_ASSERT(loop_.in_loop_thread() || !loop_.core().running.load());
  auto fetch = std::make_shared<Fetch>(io_);
  fetch->request = std::move(request_in);
  const HttpClientRequest& request = fetch->request;
  fetch->callback = std::move(callback);
  fetch->timeout = request.timeout.count() > 0 ? request.timeout : options_.request_timeout;
  stats_.requests++;

  Status invalid;
  std::shared_ptr<const Url> url = parsed_url(request.url, &invalid);
  if (!url) {
    // invalid says why
  } else if (!is_token(request.method, 64)) {
    invalid = Status(ErrorCode::kInvalidArgument, "invalid HTTP method \"" + request.method + "\"");
  } else {
    for (const auto& [name, value] : request.headers) {
      if (!is_token(name) || !is_field_value(value)) {
        invalid = Status(ErrorCode::kInvalidArgument,
                         "invalid request header \"" + name + "\" for " + request.url);
        break;
      }
    }
  }
  if (invalid.ok() && url->tls) tls_context(&invalid);
  if (!invalid.ok()) {
    // Never call back from inside fetch(): the caller may not be ready for it.
    asio::post(io_,
               [self = shared_from_this(), fetch, invalid] { self->complete(fetch, invalid); });
    return;
  }
  fetch->url = std::move(url);
  fetch->timer.expires_after(fetch->timeout);
  fetch->timer.async_wait([self = shared_from_this(), fetch](const error_code& ec) {
    if (ec || fetch->done) return;
    self->on_timeout(fetch);
  });
  dispatch(fetch, /*fresh_connection=*/false);
}

void ClientCore::dispatch(const std::shared_ptr<Fetch>& fetch, bool fresh_connection) {
  auto& slot = pools_[fetch->url->origin];
  if (!slot) {
    slot = std::make_unique<Pool>();
    slot->endpoint = *fetch->url;
  }
  Pool& pool = *slot;
  // An idempotent request sent on a connection the server has just closed is sent again on
  // a new one (ClientConnection::on_response); only the others pay for asking the socket.
  bool probe = !fetch->idempotent();
  while (!fresh_connection && !pool.idle.empty()) {
    auto connection = std::move(pool.idle.back());
    pool.idle.pop_back();
    if (connection->still_usable(probe)) return connection->send(fetch);
    connection->close();
  }
  if (pool.open.size() >= options_.max_connections_per_origin) {
    fetch->waiting = true;
    pool.waiting.push_back(fetch);
    return;
  }
  std::shared_ptr<ClientConnection> connection;
  if (fetch->url->tls) {
    connection = std::make_shared<ClientConnection>(shared_from_this(), pool,
                                                    AnyStream(tcp::socket(io_), *tls_));
  } else {
    connection =
        std::make_shared<ClientConnection>(shared_from_this(), pool, AnyStream(tcp::socket(io_)));
  }
  connection->connect(fetch);
}

void ClientCore::retry(const std::shared_ptr<Fetch>& fetch) {
  if (fetch->done || shut_down_) return;
  fetch->retried = true;
  fetch->connection.reset();
  stats_.retries++;
  dispatch(fetch, /*fresh_connection=*/true);
}

void ClientCore::on_timeout(const std::shared_ptr<Fetch>& fetch) {
  std::string phase = fetch->waiting ? "waiting for a free connection" : fetch->phase;
  if (fetch->connection) fetch->connection->abort();
  complete(fetch, Status(ErrorCode::kTimeout, fetch->what() + ": no response within " +
                                                  std::to_string(fetch->timeout.count()) + " ms (" +
                                                  phase + ")"));
}

void ClientCore::complete(const std::shared_ptr<Fetch>& fetch, Result<HttpClientResponse> result) {
  if (fetch->done) return;
  fetch->done = true;
  fetch->timer.cancel();
  fetch->connection.reset();
  if (shut_down_) return;
  auto callback = std::move(fetch->callback);
  callback(std::move(result));
}

void ClientCore::release(Pool& pool, const std::shared_ptr<ClientConnection>& connection,
                         bool reusable) {
  if (!reusable || shut_down_ || pool.idle.size() >= options_.max_idle_per_origin) {
    connection->close();
    return;
  }
  connection->park();
  pool.idle.push_back(connection);
  serve_waiting(pool);
}

void ClientCore::on_connection_closed(Pool& pool, ClientConnection*) {
  if (!shut_down_) serve_waiting(pool);
}

void ClientCore::serve_waiting(Pool& pool) {
  while (!pool.waiting.empty()) {
    auto fetch = pool.waiting.front();
    if (fetch->done) {
      pool.waiting.pop_front();
      continue;
    }
    if (pool.idle.empty() && pool.open.size() >= options_.max_connections_per_origin) return;
    pool.waiting.pop_front();
    fetch->waiting = false;
    dispatch(fetch, /*fresh_connection=*/false);
  }
}

void ClientCore::shutdown() {
  shut_down_ = true;
  for (auto& [origin, pool] : pools_) {
    for (auto& fetch : pool->waiting) {
      fetch->done = true;
      fetch->timer.cancel();
    }
    pool->waiting.clear();
    std::vector<std::shared_ptr<ClientConnection>> all;
    for (ClientConnection* c : pool->open)
      all.push_back(c->shared_from_this());
    for (auto& c : all) {
      if (auto fetch = c->pending_fetch()) {
        fetch->done = true;
        fetch->timer.cancel();
      }
      c->close();
    }
  }
}

}  // namespace detail

HttpClient::HttpClient(EventLoop& loop, HttpClientOptions options)
    : core_(std::make_shared<detail::ClientCore>(loop, std::move(options))) {}

HttpClient::~HttpClient() {
  core_->shutdown();
}

void HttpClient::fetch(const HttpClientRequest& request, Callback callback) {
  core_->fetch(request, std::move(callback));
}

void HttpClient::fetch(HttpClientRequest&& request, Callback callback) {
  core_->fetch(std::move(request), std::move(callback));
}

HttpClientStats HttpClient::stats() const {
  return core_->stats();
}

size_t HttpClient::open_connections() const {
  return core_->open_connections();
}

}  // namespace orbit::net
