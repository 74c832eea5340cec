#include "orbit/net/http_client.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include "orbit/net/http_server.h"
#include "test_util.h"

namespace orbit::net {
namespace {

using namespace std::chrono_literals;
using testing::fetch_sync;
using testing::run_on;

std::string gzip(std::string_view text) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, text.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A server on its own loops and a client on another loop.
class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    client_loop_.start();
    server_loops_.start();
  }
  void TearDown() override {
    if (client_) run_on(client_loop_, [&] { client_.reset(); });
    if (server_) server_->stop(1s);
  }

  void start_server(HttpHandler handler, HttpServerOptions options = {}) {
    server_ = std::make_unique<HttpServer>(server_loops_.loops(), options, std::move(handler));
    ASSERT_TRUE(server_->start().ok());
  }
  void start_client(HttpClientOptions options = {}) {
    run_on(client_loop_, [&] { client_ = std::make_unique<HttpClient>(client_loop_, options); });
  }
  std::string url(std::string_view path) {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(path);
  }
  Result<HttpClientResponse> fetch(HttpClientRequest request) {
    return fetch_sync(client_loop_, *client_, std::move(request));
  }
  Result<HttpClientResponse> get(std::string_view path) {
    HttpClientRequest request;
    request.url = url(path);
    return fetch(std::move(request));
  }

  EventLoop client_loop_;
  LoopGroup server_loops_{2};
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpClient> client_;
};

void echo(HttpRequest&& request, HttpResponder responder) {
  responder.send(200,
                 {{"X-Method", request.method},
                  {"X-Target", request.target},
                  {"X-Host", std::string(request.headers.get("host").value_or(""))},
                  {"X-Custom", std::string(request.headers.get("x-custom").value_or(""))}},
                 request.body);
}

TEST_F(HttpClientTest, GetAndPostRoundTrip) {
  start_server(echo);
  start_client();
  auto got = get("/a/b?c=d");
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->headers.get("x-method"), "GET");
  EXPECT_EQ(got->headers.get("x-target"), "/a/b?c=d");
  EXPECT_EQ(got->headers.get("x-host"), "127.0.0.1:" + std::to_string(server_->port()));
  EXPECT_EQ(got->body, "");

  HttpClientRequest post;
  post.method = "POST";
  post.url = url("/graphql");
  post.headers.add("X-Custom", "yes");
  post.headers.add("Content-Type", "application/json");
  post.body = R"({"query":"{ a }"})";
  auto posted = fetch(post);
  ASSERT_TRUE(posted.ok()) << posted.status().to_string();
  EXPECT_EQ(posted->headers.get("x-method"), "POST");
  EXPECT_EQ(posted->headers.get("x-custom"), "yes");
  EXPECT_EQ(posted->body, post.body);
}

TEST_F(HttpClientTest, SequentialRequestsReuseOneConnection) {
  start_server(echo);
  start_client();
  for (int i = 0; i < 10; ++i) {
    auto got = get("/" + std::to_string(i));
    ASSERT_TRUE(got.ok()) << got.status().to_string();
    EXPECT_EQ(got->headers.get("x-target"), "/" + std::to_string(i));
  }
  EXPECT_EQ(server_->stats().connections_accepted, 1u);
  EXPECT_EQ(server_->stats().requests, 10u);
  EXPECT_EQ(client_->stats().connections_opened, 1u);
  EXPECT_EQ(run_on(client_loop_, [&] { return client_->open_connections(); }), 1u);
}

TEST_F(HttpClientTest, ConcurrentRequestsAreBoundedPerOrigin) {
  // Answers after a delay so that requests overlap.
  start_server([](HttpRequest&& request, HttpResponder responder) {
    EventLoop::current()->run_after(
        20ms, [responder, t = request.target]() mutable { responder.send(200, {}, t); });
  });
  HttpClientOptions options;
  options.max_connections_per_origin = 4;
  start_client(options);
  constexpr int kRequests = 40;
  std::promise<void> all_done;
  std::vector<std::string> bodies(kRequests);
  int remaining = kRequests;
  size_t max_open = 0;
  run_on(client_loop_, [&] {
    for (int i = 0; i < kRequests; ++i) {
      HttpClientRequest request;
      request.url = url("/" + std::to_string(i));
      client_->fetch(request, [&, i](Result<HttpClientResponse> r) {
        bodies[i] = r.ok() ? r->body : r.status().to_string();
        max_open = std::max(max_open, client_->open_connections());
        if (--remaining == 0) all_done.set_value();
      });
    }
    max_open = std::max(max_open, client_->open_connections());
  });
  ASSERT_EQ(all_done.get_future().wait_for(10s), std::future_status::ready);
  for (int i = 0; i < kRequests; ++i)
    EXPECT_EQ(bodies[i], "/" + std::to_string(i));
  EXPECT_EQ(max_open, 4u);
  EXPECT_EQ(server_->stats().connections_accepted, 4u);
  EXPECT_EQ(client_->stats().connections_opened, 4u);
}

// The router's shape: a client per loop, all fetching from one server on two loops.
TEST_F(HttpClientTest, OneClientPerLoopAcrossLoops) {
  start_server(echo);
  LoopGroup client_loops(2);
  client_loops.start();
  std::vector<std::unique_ptr<HttpClient>> clients(client_loops.size());
  for (size_t i = 0; i < clients.size(); ++i) {
    run_on(client_loops.loop(i), [&, i] {
      HttpClientOptions options;
      options.max_connections_per_origin = 3;
      clients[i] = std::make_unique<HttpClient>(client_loops.loop(i), options);
    });
  }
  constexpr int kPerLoop = 200;
  std::atomic<int> ok{0};
  std::atomic<int> remaining{kPerLoop * 2};
  std::promise<void> all_done;
  for (size_t i = 0; i < clients.size(); ++i) {
    client_loops.loop(i).post([&, i] {
      for (int n = 0; n < kPerLoop; ++n) {
        HttpClientRequest request;
        request.method = "POST";
        request.url = url("/loop" + std::to_string(i));
        request.body = std::to_string(n);
        clients[i]->fetch(request, [&, i, n](Result<HttpClientResponse> r) {
          if (r.ok() && r->body == std::to_string(n) &&
              r->headers.get("x-target") == "/loop" + std::to_string(i)) {
            ok++;
          }
          if (--remaining == 0) all_done.set_value();
        });
      }
    });
  }
  ASSERT_EQ(all_done.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_EQ(ok.load(), kPerLoop * 2);
  EXPECT_LE(server_->stats().connections_accepted, 6u);
  EXPECT_EQ(server_->stats().requests, uint64_t{kPerLoop * 2});
  for (size_t i = 0; i < clients.size(); ++i) {
    run_on(client_loops.loop(i), [&, i] { clients[i].reset(); });
  }
}

TEST_F(HttpClientTest, TimeoutAgainstAServerThatNeverAnswers) {
  std::vector<HttpResponder> parked;
  std::mutex mu;
  start_server([&](HttpRequest&&, HttpResponder responder) {
    std::lock_guard lock(mu);
    parked.push_back(std::move(responder));
  });
  start_client();
  HttpClientRequest request;
  request.method = "POST";
  request.url = url("/slow?secret=1");
  request.timeout = 200ms;
  auto begin = std::chrono::steady_clock::now();
  auto got = fetch(request);
  auto elapsed = std::chrono::steady_clock::now() - begin;
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), ErrorCode::kTimeout);
  EXPECT_EQ(got.status().message(),
            "POST " + url("/slow") + ": no response within 200 ms (waiting for the response)");
  EXPECT_GE(elapsed, 190ms);
  EXPECT_LT(elapsed, 2s);
  // The timed-out connection is not reused: its state is unknown.
  EXPECT_EQ(run_on(client_loop_, [&] { return client_->open_connections(); }), 0u);
  server_->stop(100ms);
  std::lock_guard lock(mu);
  parked.clear();
}

TEST_F(HttpClientTest, ConnectionRefusedIsUnavailable) {
  start_client();
  uint16_t port;
  {
    testing::RawListener listener;  // a port that was free a moment ago
    port = listener.port();
  }
  HttpClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  auto got = fetch(request);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(got.status().message(), "GET http://127.0.0.1:" + std::to_string(port) +
                                        "/x: connect to 127.0.0.1:" + std::to_string(port) +
                                        " failed: Connection refused");
}

TEST_F(HttpClientTest, ConnectTimeoutAgainstAFullAcceptQueue) {
  // A listener that never accepts, with its queue filled: the kernel drops further SYNs.
  testing::RawListener listener(/*backlog=*/0);
  std::vector<std::unique_ptr<testing::RawSocket>> fillers;
  for (int i = 0; i < 3; ++i) {
    fillers.push_back(std::make_unique<testing::RawSocket>(listener.port(), 100));
  }
  HttpClientOptions options;
  options.connect_timeout = 200ms;
  start_client(options);
  HttpClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/";
  auto got = fetch(request);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), ErrorCode::kTimeout);
  EXPECT_EQ(got.status().message(),
            "GET " + request.url + ": connect to 127.0.0.1:" + std::to_string(listener.port()) +
                " timed out after 200 ms");
}

TEST_F(HttpClientTest, ServerThatClosesAfterEachAnswerGetsFreshConnections) {
  start_server([](HttpRequest&&, HttpResponder responder) {
    responder.send(200, {{"Connection", "close"}}, "bye");
  });
  start_client();
  for (int i = 0; i < 3; ++i) {
    auto got = get("/");
    ASSERT_TRUE(got.ok()) << got.status().to_string();
    EXPECT_EQ(got->body, "bye");
  }
  EXPECT_EQ(server_->stats().connections_accepted, 3u);
  EXPECT_EQ(client_->stats().retries, 0u);
}

TEST_F(HttpClientTest, BadUrlAndUnknownHostFailWithoutCallingBackInline) {
  start_client();
  bool called_inline = true;
  std::promise<Status> done;
  run_on(client_loop_, [&] {
    HttpClientRequest request;
    request.url = "ftp://x/";
    client_->fetch(request, [&](Result<HttpClientResponse> r) { done.set_value(r.status()); });
    called_inline = false;
  });
  EXPECT_FALSE(called_inline);
  Status status = done.get_future().get();
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);

  HttpClientRequest bad_header;
  bad_header.url = "http://127.0.0.1:1/";
  bad_header.headers.add("X-Evil", "a\r\nInjected: 1");
  EXPECT_EQ(fetch(bad_header).status().code(), ErrorCode::kInvalidArgument);
  HttpClientRequest huge_header;
  huge_header.url = "http://127.0.0.1:1/";
  huge_header.headers.add("X-Huge", std::string(100'000, 'h'));
  EXPECT_EQ(fetch(huge_header).status().code(), ErrorCode::kInvalidArgument);
  HttpClientRequest bad_method;
  bad_method.method = "GET /evil";
  bad_method.url = "http://127.0.0.1:1/";
  EXPECT_EQ(fetch(bad_method).status().code(), ErrorCode::kInvalidArgument);

  HttpClientRequest unknown;
  unknown.url = "http://no-such-host.invalid/";
  auto got = fetch(unknown);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(got.status().message().find("cannot resolve host \"no-such-host.invalid\""),
            std::string::npos)
      << got.status().to_string();
}

TEST_F(HttpClientTest, IdleConnectionClosedByTheServerIsReplaced) {
  HttpServerOptions options;
  options.idle_timeout = 100ms;
  start_server(echo, options);
  start_client();
  ASSERT_TRUE(get("/1").ok());
  std::this_thread::sleep_for(400ms);  // the server closes the idle connection
  auto got = get("/2");
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(server_->stats().connections_accepted, 2u);
  EXPECT_EQ(client_->stats().retries, 0u);  // noticed while idle, not by failing
}

// A scripted server: answers the first request of the first connection with keep-alive, then
// closes that connection when the second request arrives, without answering (the race of a
// server closing an idle connection as the client reuses it). Later connections are answered.
class ClosingServer {
 public:
  ClosingServer() {
    thread_ = std::thread([this] {
      int first = listener_.accept();
      if (first < 0) return;
      if (testing::read_request(first).empty()) return;
      testing::write_all(first, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
      testing::read_request(first);
      ::close(first);
      int second = listener_.accept(1000);
      if (second < 0) return;
      accepted_second_ = true;
      if (!testing::read_request(second).empty()) {
        testing::write_all(second, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");
      }
      testing::read_request(second);
      ::close(second);
    });
  }
  ~ClosingServer() { thread_.join(); }
  uint16_t port() const { return listener_.port(); }
  bool accepted_second() const { return accepted_second_; }

 private:
  testing::RawListener listener_;
  std::atomic<bool> accepted_second_{false};
  std::thread thread_;
};

TEST_F(HttpClientTest, IdempotentRequestIsRetriedOnceWhenAReusedConnectionDies) {
  start_client();
  ClosingServer server;
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  HttpClientRequest request;
  request.url = base + "/a";
  auto first = fetch(request);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(first->body, "first");
  auto second = fetch(request);
  ASSERT_TRUE(second.ok()) << second.status().to_string();
  EXPECT_EQ(second->body, "second");
  EXPECT_EQ(client_->stats().retries, 1u);
  EXPECT_TRUE(server.accepted_second());
  run_on(client_loop_, [&] { client_.reset(); });
}

TEST_F(HttpClientTest, NonIdempotentRequestIsNotRetried) {
  start_client();
  ClosingServer server;
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  HttpClientRequest request;
  request.method = "POST";
  request.url = base + "/mutation";
  request.body = "{}";
  ASSERT_TRUE(fetch(request).ok());
  auto second = fetch(request);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(second.status().message().find("closed before any response"), std::string::npos)
      << second.status().to_string();
  EXPECT_EQ(client_->stats().retries, 0u);
  run_on(client_loop_, [&] { client_.reset(); });
}

// The request head is written by hand: the exact bytes, as Beast wrote them — the caller's
// fields in order with values trimmed, Host and Content-Length after them — and head and
// body arrive together.
TEST_F(HttpClientTest, RequestHeadsAreExact) {
  start_client();
  testing::RawListener listener;
  std::string first, second;
  std::thread server([&] {
    int fd = listener.accept();
    if (fd < 0) return;
    first = testing::read_request(fd);
    testing::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    second = testing::read_request(fd);
    testing::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    ::close(fd);
  });
  std::string base = "http://127.0.0.1:" + std::to_string(listener.port());
  HttpClientRequest post;
  post.method = "POST";
  post.url = base + "/graphql?x=1";
  post.headers = {{"Content-Type", "application/json"},
                  {"authorization", " Bearer t\t"},
                  {"Content-Length", "999"}};  // the client's own length wins
  post.body = "{\"query\":\"{a}\"}";
  auto got = fetch(post);
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->body, "ok");
  HttpClientRequest get;
  get.url = base + "/";
  get.headers = {{"Host", "example.test"}};
  EXPECT_TRUE(fetch(get).ok());
  server.join();
  EXPECT_EQ(first,
            "POST /graphql?x=1 HTTP/1.1\r\nContent-Type: application/json\r\n"
            "authorization: Bearer t\r\nHost: 127.0.0.1:" +
                std::to_string(listener.port()) +
                "\r\nContent-Length: 15\r\n\r\n{\"query\":\"{a}\"}");
  EXPECT_EQ(second, "GET / HTTP/1.1\r\nHost: example.test\r\n\r\n");
  EXPECT_EQ(client_->stats().connections_opened, 1u);  // the second reused the first
  run_on(client_loop_, [&] { client_.reset(); });
}

// body_spare_capacity: a body with a Content-Length arrives in a string with that much room
// past its end (read in place by a JSON parser); other bodies arrive whole, and a length past
// the limit is refused before anything is reserved for it.
TEST_F(HttpClientTest, BodySpareCapacityIsReservedWithTheBody) {
  HttpClientOptions options;
  options.body_spare_capacity = 64;
  options.max_response_bytes = 1 << 20;
  start_client(options);
  testing::RawListener listener;
  std::string big(5000, 'b');
  std::thread server([&] {
    int fd = listener.accept();
    if (fd < 0) return;
    testing::read_request(fd);
    testing::write_all(
        fd, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + big);
    testing::read_request(fd);
    testing::write_all(fd,
                       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                       "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    testing::read_request(fd);
    testing::write_all(fd, "HTTP/1.1 204 No Content\r\n\r\n");
    testing::read_request(fd);
    testing::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\nxx");
    ::close(fd);
  });
  HttpClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/";
  auto sized = fetch(request);
  ASSERT_TRUE(sized.ok()) << sized.status().to_string();
  EXPECT_EQ(sized->status, 200);
  EXPECT_EQ(sized->body, big);
  EXPECT_GE(sized->body.capacity(), big.size() + 64);
  auto chunked = fetch(request);
  ASSERT_TRUE(chunked.ok()) << chunked.status().to_string();
  EXPECT_EQ(chunked->body, "abcde");
  auto empty = fetch(request);
  ASSERT_TRUE(empty.ok()) << empty.status().to_string();
  EXPECT_EQ(empty->status, 204);
  EXPECT_EQ(empty->body, "");
  auto huge = fetch(request);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.status().code(), ErrorCode::kLimitExceeded) << huge.status().to_string();
  server.join();
  EXPECT_EQ(client_->stats().connections_opened, 1u);
  run_on(client_loop_, [&] { client_.reset(); });
}

TEST_F(HttpClientTest, ResponseSizeLimitAndGzip) {
  std::string big(5000, 'x');
  start_server([&](HttpRequest&& request, HttpResponder responder) {
    if (request.path() == "/gzip") {
      responder.send(200, {{"Content-Encoding", "gzip"}}, gzip(big));
    } else if (request.path() == "/corrupt") {
      responder.send(200, {{"Content-Encoding", "gzip"}}, "not gzip at all");
    } else {
      responder.send(200, {}, big);
    }
  });
  HttpClientOptions options;
  options.max_response_bytes = 4096;
  start_client(options);
  auto too_big = get("/plain");
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(too_big.status().message().find("response body larger than 4096 bytes"),
            std::string::npos);
  // Small on the wire, too large decoded.
  auto bomb = get("/gzip");
  ASSERT_FALSE(bomb.ok());
  EXPECT_EQ(bomb.status().code(), ErrorCode::kLimitExceeded);
  auto corrupt = get("/corrupt");
  EXPECT_EQ(corrupt.status().code(), ErrorCode::kIo);
}

TEST_F(HttpClientTest, GzipBodiesAreDecoded) {
  std::string text = "hello hello hello hello hello";
  start_server([&](HttpRequest&& request, HttpResponder responder) {
    responder.send(200, {{"Content-Encoding", "gzip"}}, gzip(text));
  });
  start_client();
  auto got = get("/");
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->body, text);
  EXPECT_FALSE(got->headers.contains("content-encoding"));
}

TEST_F(HttpClientTest, DestroyingTheClientDropsPendingCallbacks) {
  start_server([](HttpRequest&&, HttpResponder responder) {
    EventLoop::current()->run_after(5s, [responder]() mutable { responder.send(200, {}, ""); });
  });
  start_client();
  auto called = std::make_shared<std::atomic<bool>>(false);
  run_on(client_loop_, [&] {
    HttpClientRequest request;
    request.url = url("/");
    client_->fetch(request, [called](Result<HttpClientResponse>) { *called = true; });
  });
  for (int i = 0; i < 200 && server_->stats().requests < 1; ++i)
    std::this_thread::sleep_for(5ms);
  run_on(client_loop_, [&] { client_.reset(); });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(*called);
  server_->stop(100ms);
}

}  // namespace
}  // namespace orbit::net
