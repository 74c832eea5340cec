#include "orbit/net/http_server.h"

#include <sys/socket.h>

#include <future>
#include <iterator>
#include <unordered_set>

#include "any_stream.h"
#include "asio.h"
#include "field_check.h"
#include "http_io.h"
#include "loop_core.h"

namespace orbit::net {

namespace detail {

struct Shard;

// Everything the connections of all loops share; kept alive by every connection so that a
// server destroyed with connections still queued on a loop leaves nothing dangling.
struct ServerShared {
  HttpServerOptions options;
  HttpHandler handler;
  std::unique_ptr<ssl::context> tls;  // SSL_CTX is safe to share between threads
  std::vector<std::unique_ptr<Shard>> shards;

  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> open{0};
  std::atomic<uint64_t> requests{0};

  std::atomic<size_t> shards_draining{0};
  std::function<void()> drain_done;  // written before the drain is posted, run once
};

// The per-loop part of the server: touched only on its loop's thread.
struct Shard {
  EventLoop* loop = nullptr;
  ServerShared* shared = nullptr;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> retry_timer;
  std::unordered_set<ServerConnection*> connections;
  bool draining = false;
  bool drain_reported = false;
  std::unique_ptr<asio::steady_timer> grace_timer;

  void maybe_report_drained() {
    if (!draining || drain_reported || !connections.empty()) return;
    drain_reported = true;
    if (grace_timer) grace_timer->cancel();
    if (shared->shards_draining.fetch_sub(1) == 1 && shared->drain_done) {
      auto done = std::move(shared->drain_done);
      done();
    }
  }
};

class ServerConnection : public std::enable_shared_from_this<ServerConnection> {
 public:
  static constexpr size_t kReadBufferBytes = 8 * 1024;

  ServerConnection(std::shared_ptr<ServerShared> shared, Shard* shard, AnyStream stream,
                   std::string remote)
      : shared_(std::move(shared)),
        shard_(shard),
        stream_(std::move(stream)),
        timer_(stream_.get_executor()),
        remote_(std::move(remote)) {
    shard_->connections.insert(this);
    shared_->open.fetch_add(1);
  }

  ~ServerConnection() {
    if (state_ != State::kClosed) {
      shard_->connections.erase(this);
      shared_->open.fetch_sub(1);
    }
  }

  void start() {
    if (stream_.tls()) {
      state_ = State::kHandshake;
      arm_timer(options().read_timeout);
      async_handshake(stream_, /*server=*/true, bind_io<&ServerConnection::on_handshake>(self()));
      return;
    }
    wait_for_request();
  }

  // From HttpResponder, on any thread.
  void respond_any_thread(uint64_t sequence, int status, HttpHeaders headers, std::string body) {
    if (shard_->loop->in_loop_thread()) {
      respond(sequence, status, std::move(headers), std::move(body));
      return;
    }
    shard_->loop->post([self = shared_from_this(), sequence, status, h = std::move(headers),
                        b = std::move(body)]() mutable {
      self->respond(sequence, status, std::move(h), std::move(b));
    });
  }

  void on_drain() {
    // Idle: nothing unread to protect from a reset, so no lingering either.
    if (state_ == State::kIdle || state_ == State::kHandshake) close_now();
    // Reading, handling or writing: the response carries "Connection: close".
  }

  void close_now() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    ++timer_generation_;
    timer_.cancel();
    stream_.close();
    shard_->connections.erase(this);
    shared_->open.fetch_sub(1);
    shard_->maybe_report_drained();
  }

 private:
  std::shared_ptr<ServerConnection> self() { return shared_from_this(); }

  void on_handshake(const error_code& ec, size_t) {
    if (state_ == State::kClosed) return;
    if (ec) return close_now();
    wait_for_request();
  }

  enum class State { kHandshake, kIdle, kReading, kHandling, kWriting, kClosing, kClosed };

  const HttpServerOptions& options() const { return shared_->options; }

  void arm_timer(std::chrono::milliseconds timeout) {
    uint64_t generation = ++timer_generation_;
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this(), generation](const error_code& ec) {
      if (ec || generation != self->timer_generation_) return;
      // Idle, slow reader, slow writer, stuck handshake or linger: all end the connection.
      // A client slower than read_timeout gets no 408: it is probably not listening.
      self->close_now();
    });
  }
  void disarm_timer() {
    ++timer_generation_;
    timer_.cancel();
  }

  void wait_for_request() {
    if (shard_->draining) return graceful_close();
    state_ = State::kIdle;
    if (buffer_.size() > 0) {  // pipelined: the next request has begun
      arm_timer(options().read_timeout);
      return read_header();
    }
    arm_timer(options().idle_timeout);
    if (stream_.tls()) {
      // Decrypted bytes may wait inside the TLS engine where a socket wait cannot see them:
      // read directly, under the idle timeout until the header is in.
      return read_header();
    }
    // Wait for the first byte before allocating a parser or starting the read timeout.
    stream_.socket().async_wait(tcp::socket::wait_read,
                                bind_io<&ServerConnection::on_readable>(self()));
  }

  void on_readable(const error_code& ec, size_t) {
    if (state_ != State::kIdle) return;
    if (ec) return close_now();
    arm_timer(options().read_timeout);
    read_header();
  }

  void read_header() {
    if (!stream_.tls()) state_ = State::kReading;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(
        std::min<size_t>(options().max_header_bytes, std::numeric_limits<uint32_t>::max())));
    parser_->body_limit(options().max_body_bytes);
    // Beast reads at most the buffer's free capacity per call (512 bytes when it starts
    // empty): a typical GraphQL request then takes several reads instead of one.
    if (buffer_.capacity() < kReadBufferBytes) buffer_.reserve(kReadBufferBytes);
    async_read_header(stream_, buffer_, *parser_, bind_io<&ServerConnection::on_header>(self()));
  }

  void on_header(const error_code& ec, size_t) {
    if (state_ == State::kClosed) return;
    state_ = State::kReading;
    if (ec) return on_read_error(ec);
    if (stream_.tls()) arm_timer(options().read_timeout);
    if (parser_->is_done()) return handle_request();
    auto expect = parser_->get()[http::field::expect];
    if (iequals(expect, "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      async_write_bytes(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        bind_io<&ServerConnection::on_continue_written>(self()));
      return;
    }
    read_body();
  }

  void on_continue_written(const error_code& ec, size_t) {
    if (state_ == State::kClosed) return;
    if (ec) return close_now();
    read_body();
  }

  void read_body() {
    async_read(stream_, buffer_, *parser_, bind_io<&ServerConnection::on_body>(self()));
  }

  void on_body(const error_code& ec, size_t) {
    if (state_ == State::kClosed) return;
    if (ec) return on_read_error(ec);
    handle_request();
  }

  void on_read_error(const error_code& ec) {
    if (ec == http::error::header_limit) {
      return fail(431, "request header fields too large (limit " +
                           std::to_string(options().max_header_bytes) + " bytes)\n");
    }
    if (ec == http::error::body_limit) {
      return fail(413, "request body too large (limit " + std::to_string(options().max_body_bytes) +
                           " bytes)\n");
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        !is_http_parse_error(ec)) {
      return close_now();  // the client went away, or a socket error
    }
    fail(400, "malformed HTTP request: " + ec.message() + "\n");
  }

  void handle_request() {
    state_ = State::kHandling;
    disarm_timer();
    Request message = parser_->release();
    parser_.reset();
    keep_alive_ = message.keep_alive();
    head_ = message.method() == http::verb::head;
    version_ = message.version() == 10 ? 10 : 11;

    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.version = message.version();
    request.headers.reserve(static_cast<size_t>(std::distance(message.begin(), message.end())));
    for (const auto& field : message) {
      request.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.remote_address = remote_;
    shared_->requests.fetch_add(1);
    HttpResponder responder(shared_from_this(), ++sequence_);
    shared_->handler(std::move(request), std::move(responder));
  }

  void respond(uint64_t sequence, int status, HttpHeaders headers, std::string body) {
    if (sequence != sequence_ || state_ != State::kHandling) return;  // stale or closed
    if (status < 100 || status > 599) {
      ORBIT_BUG("HttpResponder::send: status out of range");
      status = 500;
    }
    // The head is written here into storage the connection reuses, the same bytes Beast's
    // serializer wrote: status line, the fields in order, Connection, Content-Length.
    bool close = !keep_alive_ || shard_->draining;
    out_head_.clear();
    out_head_.append(version_ == 10 ? "HTTP/1.0 " : "HTTP/1.1 ")
        .append(std::to_string(status))
        .append(" ")
        .append(http::obsolete_reason(http::int_to_status(static_cast<unsigned>(status))))
        .append("\r\n");
    for (auto& [name, value] : headers) {
      if (!is_token(name) || !is_field_value(value)) {
        log_warning("http server: dropped response header with invalid characters");
        continue;
      }
      if (iequals(name, "content-length") || iequals(name, "transfer-encoding")) continue;
      if (iequals(name, "connection")) {
        if (iequals(value, "close")) close = true;
        continue;
      }
      append_field(out_head_, name, value);
    }
    if (close && version_ != 10) out_head_.append("Connection: close\r\n");
    if (!close && version_ == 10) out_head_.append("Connection: keep-alive\r\n");
    if (head_) {  // HEAD: the length the body would have had
      append_field(out_head_, "Content-Length", std::to_string(body.size()));
      body.clear();
    } else if (status >= 200 && status != 204 && status != 304) {
      append_field(out_head_, "Content-Length", std::to_string(body.size()));
    } else {
      body.clear();
    }
    out_head_.append("\r\n");
    state_ = State::kWriting;
    close_after_write_ = close;
    out_body_ = std::move(body);
    arm_timer(options().write_timeout);
    async_write_bytes(stream_, asio::buffer(out_head_), asio::buffer(out_body_),
                      bind_io<&ServerConnection::on_written>(self()));
  }

  void fail(int status, std::string message) {
    Response response;
    response.result(static_cast<unsigned>(status));
    response.version(11);
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.body() = std::move(message);
    response.content_length(response.body().size());
    response.keep_alive(false);
    write(std::move(response), /*close=*/true);
  }

  void write(Response response, bool close) {
    state_ = State::kWriting;
    close_after_write_ = close;
    response_.emplace(std::move(response));
    arm_timer(options().write_timeout);
    async_write(stream_, *response_, bind_io<&ServerConnection::on_written>(self()));
  }

  void on_written(const error_code& ec, size_t) {
    if (state_ == State::kClosed) return;
    response_.reset();
    out_body_ = std::string();  // the next answer brings its own
    if (ec) return close_now();
    if (close_after_write_) return graceful_close();
    wait_for_request();
  }

  // Half-closes and reads until the client closes too: closing with unread bytes makes the
  // kernel send a reset, which can destroy the response (a 413) before the client reads it.
  void graceful_close() {
    if (stream_.tls()) return close_now();  // no close_notify: every message is length-framed
    state_ = State::kClosing;
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    arm_timer(std::min(options().read_timeout, std::chrono::milliseconds(2000)));
    linger_read();
  }

  void linger_read() {
    linger_.resize(4096);
    stream_.socket().async_read_some(asio::buffer(linger_),
                                     bind_io<&ServerConnection::on_linger_read>(self()));
  }

  void on_linger_read(const error_code& ec, size_t) {
    if (state_ != State::kClosing) return;
    if (ec) return close_now();
    linger_read();
  }

  std::shared_ptr<ServerShared> shared_;
  Shard* shard_;
  AnyStream stream_;
  asio::steady_timer timer_;
  uint64_t timer_generation_ = 0;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<RequestParser> parser_;
  std::optional<Response> response_;  // an error answer (fail)
  std::string out_head_;              // status line and fields of an answer, reused
  std::string out_body_;              // the answer's body being written
  std::string linger_;
  State state_ = State::kIdle;
  uint64_t sequence_ = 0;
  bool keep_alive_ = true;
  bool head_ = false;
  unsigned version_ = 11;
  bool close_after_write_ = false;
};

namespace {

void accept_next(std::shared_ptr<ServerShared> shared, Shard* shard) {
  if (!shard->acceptor) return;
  shard->acceptor->async_accept([shared, shard](const error_code& ec, tcp::socket socket) {
    if (!shard->acceptor || !shard->acceptor->is_open() || ec == asio::error::operation_aborted) {
      return;
    }
    if (ec) {
      // Out of descriptors or memory: back off instead of spinning on the error.
      log_warning("http server: accept failed: " + ec.message());
      shard->retry_timer->expires_after(std::chrono::milliseconds(100));
      shard->retry_timer->async_wait([shared, shard](const error_code& ec) {
        if (!ec) accept_next(shared, shard);
      });
      return;
    }
    shared->accepted.fetch_add(1);
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto endpoint = socket.remote_endpoint(ignored);
    std::string address = endpoint.address().to_string();
    if (endpoint.address().is_v6()) address = "[" + address + "]";
    std::string remote = address + ":" + std::to_string(endpoint.port());
    std::shared_ptr<ServerConnection> connection;
    if (shared->tls) {
      connection = std::make_shared<ServerConnection>(
          shared, shard, AnyStream(std::move(socket), *shared->tls), std::move(remote));
    } else {
      connection = std::make_shared<ServerConnection>(shared, shard, AnyStream(std::move(socket)),
                                                      std::move(remote));
    }
    connection->start();
    accept_next(shared, shard);
  });
}

// Closes the listener and the connections that are idle; the rest close after answering.
// The grace handler keeps the shared state (and so the shard) alive: with a short grace it may
// already be queued as completed when ~HttpServer resets the timer, and then runs after it.
void drain_shard(std::shared_ptr<ServerShared> shared, Shard* shard,
                 std::chrono::milliseconds grace) {
  shard->draining = true;
  if (shard->acceptor) {
    error_code ignored;
    shard->acceptor->close(ignored);
  }
  std::vector<std::shared_ptr<ServerConnection>> connections;
  for (ServerConnection* c : shard->connections)
    connections.push_back(c->shared_from_this());
  for (auto& c : connections)
    c->on_drain();
  shard->grace_timer = std::make_unique<asio::steady_timer>(detail::io_of(*shard->loop), grace);
  shard->grace_timer->async_wait([shared = std::move(shared), shard](const error_code& ec) {
    if (ec || !shard->grace_timer) return;  // cancelled, or the server is gone
    std::vector<std::shared_ptr<ServerConnection>> left;
    for (ServerConnection* c : shard->connections)
      left.push_back(c->shared_from_this());
    if (!left.empty())
      log_warning("http server: drain grace over, closing " + std::to_string(left.size()) +
                  " connections");
    for (auto& c : left)
      c->close_now();
  });
  shard->maybe_report_drained();
}

}  // namespace
}  // namespace detail

std::string_view HttpRequest::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

std::string_view HttpRequest::query() const {
  std::string_view t = target;
  size_t q = t.find('?');
  return q == std::string_view::npos ? std::string_view() : t.substr(q + 1);
}

struct HttpResponder::State {
  std::shared_ptr<detail::ServerConnection> connection;
  uint64_t sequence = 0;
  std::atomic<bool> sent{false};

  ~State() {
    if (connection && !sent.exchange(true)) {
      connection->respond_any_thread(sequence, 500, {{"content-type", "text/plain"}},
                                     "the request handler dropped the request\n");
    }
  }
};

HttpResponder::HttpResponder(std::shared_ptr<detail::ServerConnection> connection,
                             uint64_t sequence)
    : state_(std::make_shared<State>()) {
  state_->connection = std::move(connection);
  state_->sequence = sequence;
}

void HttpResponder::send(int status, HttpHeaders headers, std::string body) {
  if (!state_ || state_->sent.exchange(true)) return;
  state_->connection->respond_any_thread(state_->sequence, status, std::move(headers),
                                         std::move(body));
}

bool HttpResponder::sent() const {
  return state_ && state_->sent.load();
}

HttpServer::HttpServer(std::vector<EventLoop*> loops, HttpServerOptions options,
                       HttpHandler handler)
    : loops_(std::move(loops)), shared_(std::make_shared<detail::ServerShared>()) {
  ORBIT_RELEASE_ASSERT(!loops_.empty());
  shared_->options = std::move(options);
  shared_->handler = std::move(handler);
}

HttpServer::~HttpServer() {
  // A shard's acceptor and timers belong to its loop's io_context, but the shared state may
  // be released last by another loop: destroy them on their own loop, now. Connections left
  // are closed; their objects go with their own loop's queue.
  for (auto& shard : shared_->shards) {
    detail::Shard* s = shard.get();
    detail::run_and_wait(*s->loop, [s] {
      s->draining = true;
      s->drain_reported = true;
      s->acceptor.reset();
      s->retry_timer.reset();
      s->grace_timer.reset();
      std::vector<std::shared_ptr<detail::ServerConnection>> all;
      for (auto* c : s->connections)
        all.push_back(c->shared_from_this());
      for (auto& c : all)
        c->close_now();
    });
  }
}

Status HttpServer::start() {
  ORBIT_RELEASE_ASSERT(!started_);
  const HttpServerOptions& options = shared_->options;
  error_code ec;
  auto address = asio::ip::make_address(options.host, ec);
  if (ec) {
    return Status(ErrorCode::kInvalidArgument,
                  "http server: \"" + options.host + "\" is not an IP address");
  }
  if (!options.tls_cert_file.empty() || !options.tls_key_file.empty()) {
    auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1);
    context->use_certificate_chain_file(options.tls_cert_file, ec);
    if (!ec) context->use_private_key_file(options.tls_key_file, ssl::context::pem, ec);
    if (ec) {
      return Status(ErrorCode::kInvalidArgument, "http server: cannot load TLS certificate \"" +
                                                     options.tls_cert_file + "\" / key \"" +
                                                     options.tls_key_file + "\": " + ec.message());
    }
    shared_->tls = std::move(context);
  }
  uint16_t port = options.port;
  std::string where = options.host + ":" + std::to_string(options.port);
  for (EventLoop* loop : loops_) {
    auto shard = std::make_unique<detail::Shard>();
    shard->loop = loop;
    shard->shared = shared_.get();
    shard->acceptor = std::make_unique<tcp::acceptor>(detail::io_of(*loop));
    shard->retry_timer = std::make_unique<asio::steady_timer>(detail::io_of(*loop));
    tcp::endpoint endpoint(address, port);
    auto& acceptor = *shard->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) {
      acceptor.set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true), ec);
    }
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      shared_->shards.clear();
      return Status(ErrorCode::kUnavailable,
                    "http server: cannot listen on " + where + ": " + ec.message());
    }
    // Port 0: the first bind picks the port, the other loops join it.
    port = acceptor.local_endpoint().port();
    shared_->shards.push_back(std::move(shard));
  }
  port_ = port;
  started_ = true;
  for (auto& shard : shared_->shards) {
    detail::Shard* s = shard.get();
    s->loop->post([shared = shared_, s] { detail::accept_next(shared, s); });
  }
  return Status::ok_status();
}

void HttpServer::drain(std::chrono::milliseconds grace, std::function<void()> done) {
  if (!started_ || drained_) {
    if (done) done();
    return;
  }
  drained_ = true;
  shared_->drain_done = std::move(done);
  shared_->shards_draining.store(shared_->shards.size());
  for (auto& shard : shared_->shards) {
    detail::Shard* s = shard.get();
    s->loop->post([keep = shared_, s, grace] { detail::drain_shard(keep, s, grace); });
  }
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  std::promise<void> finished;
  auto future = finished.get_future();
  drain(grace, [&finished] { finished.set_value(); });
  future.wait();
}

HttpServerStats HttpServer::stats() const {
  HttpServerStats s;
  s.connections_accepted = shared_->accepted.load();
  s.connections_open = shared_->open.load();
  s.requests = shared_->requests.load();
  return s;
}

}  // namespace orbit::net
