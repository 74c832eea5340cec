#include "orbit/net/http_server.h"

#include <gtest/gtest.h>

#include <mutex>
#include <random>
#include <set>

#include "test_util.h"

namespace orbit::net {
namespace {

using namespace std::chrono_literals;
using testing::RawSocket;
using testing::run_on;

// Answers "<method> <path> <query> x-test=<value> body=<body>".
void echo(HttpRequest&& request, HttpResponder responder) {
  std::string text = request.method + " " + std::string(request.path()) + " " +
                     std::string(request.query()) +
                     " x-test=" + std::string(request.headers.get("X-TEST").value_or("-")) +
                     " body=" + request.body;
  responder.send(200, {{"Content-Type", "text/plain"}}, std::move(text));
}

std::string body_of(const std::string& response) {
  size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

class HttpServerTest : public ::testing::Test {
 protected:
  void start(HttpServerOptions options = {}, HttpHandler handler = echo, size_t loops = 1) {
    group_ = std::make_unique<LoopGroup>(loops);
    group_->start();
    server_ = std::make_unique<HttpServer>(group_->loops(), std::move(options), std::move(handler));
    Status status = server_->start();
    ASSERT_TRUE(status.ok()) << status.to_string();
    ASSERT_NE(server_->port(), 0);
  }
  void TearDown() override {
    if (server_) server_->stop(1s);
    server_.reset();
    group_.reset();
  }

  std::unique_ptr<LoopGroup> group_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AnswersARequest) {
  start();
  RawSocket s(server_->port());
  ASSERT_TRUE(s.connected());
  s.send("POST /echo?a=1&b=2 HTTP/1.1\r\nHost: x\r\nx-Test: yes\r\nContent-Length: 5\r\n\r\nhello");
  std::string response = s.read_response();
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response;
  EXPECT_NE(response.find("Content-Type: text/plain\r\n"), std::string::npos);
  EXPECT_EQ(body_of(response), "POST /echo a=1&b=2 x-test=yes body=hello");
  EXPECT_EQ(server_->stats().requests, 1u);
}

TEST_F(HttpServerTest, KeepAliveAndPipelinedRequestsAreAnsweredInOrder) {
  start();
  RawSocket s(server_->port());
  s.send(
      "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /3 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(body_of(s.read_response()), "GET /1  x-test=- body=");
  EXPECT_EQ(body_of(s.read_response()), "GET /2  x-test=- body=");
  EXPECT_EQ(body_of(s.read_response()), "POST /3  x-test=- body=abc");
  s.send("GET /4 HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(body_of(s.read_response()), "GET /4  x-test=- body=");
  EXPECT_EQ(server_->stats().connections_accepted, 1u);
  EXPECT_EQ(server_->stats().requests, 4u);
}

TEST_F(HttpServerTest, ConnectionCloseAndHttp10CloseAfterTheAnswer) {
  start();
  {
    RawSocket s(server_->port());
    s.send("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::string all = s.read_until_close();
    EXPECT_TRUE(s.closed_by_peer());
    EXPECT_NE(all.find("Connection: close"), std::string::npos);
    EXPECT_EQ(body_of(all), "GET /a  x-test=- body=");
  }
  {
    RawSocket s(server_->port());
    s.send("GET /b HTTP/1.0\r\n\r\n");
    std::string all = s.read_until_close();
    EXPECT_TRUE(s.closed_by_peer());
    EXPECT_EQ(all.rfind("HTTP/1.0 200 OK", 0), 0u) << all;
  }
}

// The head is written by hand (not through Beast's fields): the exact bytes, as Beast wrote
// them — status line, fields in order with values trimmed, Connection, Content-Length last.
TEST_F(HttpServerTest, ResponseHeadsAreExact) {
  start({}, [](HttpRequest&& request, HttpResponder responder) {
    if (request.path() == "/created") {
      return responder.send(201, {{"X-One", "  padded\t"}, {"x-two", "b"}, {"X-Empty", ""}}, "abc");
    }
    if (request.path() == "/empty") return responder.send(204, {{"X-A", "1"}}, "ignored");
    if (request.path() == "/odd") return responder.send(299, {}, "");
    responder.send(200, {{"Content-Type", "text/plain"}, {"Connection", "close"}}, "bye");
  });
  RawSocket s(server_->port());
  s.send("GET /created HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(s.read_response(),
            "HTTP/1.1 201 Created\r\nX-One: padded\r\nx-two: b\r\nX-Empty: \r\n"
            "Content-Length: 3\r\n\r\nabc");
  // HEAD: the length the body would have had, and no body; 204: neither; the last request
  // asks for close, so everything up to the close is these three answers.
  s.send(
      "HEAD /created HTTP/1.1\r\nHost: x\r\n\r\nGET /empty HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /odd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(s.read_until_close(),
            "HTTP/1.1 201 Created\r\nX-One: padded\r\nx-two: b\r\nX-Empty: \r\n"
            "Content-Length: 3\r\n\r\n"
            "HTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n"
            "HTTP/1.1 299 <unknown-status>\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  RawSocket h10(server_->port());
  h10.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(h10.read_response(),
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nbye");
  EXPECT_TRUE(h10.read_until_close().empty());  // the handler asked for close
  RawSocket h11(server_->port());
  h11.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(h11.read_response(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n"
            "Content-Length: 3\r\n\r\nbye");
}

TEST_F(HttpServerTest, BodyOverTheLimitGets413) {
  HttpServerOptions options;
  options.max_body_bytes = 100;
  start(options);
  {
    // Announced too large: rejected after the header, while the client is still sending.
    RawSocket s(server_->port());
    s.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
    s.send(std::string(60000, 'a'));
    std::string all = s.read_until_close();
    EXPECT_EQ(all.rfind("HTTP/1.1 413 Payload Too Large\r\n", 0), 0u) << all;
    EXPECT_NE(body_of(all).find("request body too large (limit 100 bytes)"), std::string::npos);
  }
  {
    // Chunked: the size is only known while reading.
    RawSocket s(server_->port());
    s.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
    s.send("50\r\n" + std::string(0x50, 'b') + "\r\n50\r\n" + std::string(0x50, 'b') +
           "\r\n0\r\n\r\n");
    std::string all = s.read_until_close();
    EXPECT_EQ(all.rfind("HTTP/1.1 413", 0), 0u) << all;
  }
  {
    // At the limit: accepted.
    RawSocket s(server_->port());
    s.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'c'));
    EXPECT_EQ(s.read_response().rfind("HTTP/1.1 200", 0), 0u);
  }
}

TEST_F(HttpServerTest, MalformedRequestsGet400AndTheServerKeepsServing) {
  HttpServerOptions options;
  options.max_header_bytes = 1024;
  start(options);
  {
    RawSocket s(server_->port());
    s.send("GARBAGE\r\n\r\n");
    std::string all = s.read_until_close();
    EXPECT_EQ(all.rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u) << all;
    EXPECT_NE(body_of(all).find("malformed HTTP request"), std::string::npos);
    EXPECT_TRUE(s.closed_by_peer());
  }
  {
    RawSocket s(server_->port());
    s.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2000, 'h') + "\r\n\r\n");
    EXPECT_EQ(s.read_until_close().rfind("HTTP/1.1 431", 0), 0u);
  }
  // Hostile inputs: each must get a 4xx or a close, never a crash or a hang.
  const std::vector<std::string> hostile = {
      std::string("GET / HTTP/1.1\r\nHost: x\0y\r\n\r\n", 30),
      "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
      "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      "GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "GET / HTTP/1.1\r\n: novalue\r\n\r\n",
      "GET / HTTP/1.1\r\nNo-Colon\r\n\r\n",
      " / HTTP/1.1\r\n\r\n",
      "GET /\x7f HTTP/1.1\r\n\r\n",
      "\r\n\r\n\r\n",
      std::string(3000, 'A'),
      "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
  };
  for (const auto& input : hostile) {
    RawSocket s(server_->port(), 3000);
    s.send(input);
    ::shutdown(s.fd(), SHUT_WR);
    std::string all = s.read_until_close();
    EXPECT_TRUE(all.empty() || all.rfind("HTTP/1.1 4", 0) == 0 || all.rfind("HTTP/1.1 200", 0) == 0)
        << "input: " << input << "\nresponse: " << all;
  }
  RawSocket s(server_->port());
  s.send("GET /still HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(body_of(s.read_response()), "GET /still  x-test=- body=");
}

TEST_F(HttpServerTest, SlowAndIdleClientsAreDisconnected) {
  HttpServerOptions options;
  options.read_timeout = 200ms;
  options.idle_timeout = 300ms;
  start(options);
  auto begin = std::chrono::steady_clock::now();
  RawSocket slow(server_->port());
  slow.send("GET / HTTP/1.1\r\nHost: x\r\n");  // never finishes the header
  RawSocket idle(server_->port());
  std::string got = slow.read_until_close();
  EXPECT_TRUE(slow.closed_by_peer());
  EXPECT_TRUE(got.empty()) << got;
  auto slow_elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_GE(slow_elapsed, 190ms);
  EXPECT_LT(slow_elapsed, 3s);
  idle.read_until_close();
  EXPECT_TRUE(idle.closed_by_peer());
  EXPECT_GE(std::chrono::steady_clock::now() - begin, 290ms);
  EXPECT_EQ(server_->stats().requests, 0u);
}

TEST_F(HttpServerTest, DeferredAnswersAndDroppedResponders) {
  start({}, [](HttpRequest&& request, HttpResponder responder) {
    if (request.path() == "/drop") return;  // never answers: the server sends 500
    EventLoop* loop = EventLoop::current();
    ASSERT_NE(loop, nullptr);
    loop->run_after(50ms, [responder]() mutable {
      HttpResponder copy = responder;
      copy.send(202, {{"X-Late", "1"}}, "later");
      responder.send(200, {}, "ignored: the first send wins");
    });
  });
  RawSocket s(server_->port());
  s.send("GET /late HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string late = s.read_response();
  EXPECT_EQ(late.rfind("HTTP/1.1 202 Accepted\r\n", 0), 0u) << late;
  EXPECT_EQ(body_of(late), "later");
  s.send("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string dropped = s.read_response();
  EXPECT_EQ(dropped.rfind("HTTP/1.1 500", 0), 0u) << dropped;
  s.send("HEAD /late HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string head = s.read_until_close();  // HEAD: Content-Length but no body
  EXPECT_NE(head.find("Content-Length: 5"), std::string::npos) << head;
  EXPECT_EQ(body_of(head), "");
}

TEST_F(HttpServerTest, ResponderFromAnotherThreadIsPostedToTheLoop) {
  std::thread worker;
  start({}, [&worker](HttpRequest&&, HttpResponder responder) {
    worker = std::thread([responder]() mutable { responder.send(200, {}, "from a thread"); });
  });
  RawSocket s(server_->port());
  s.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(body_of(s.read_response()), "from a thread");
  worker.join();
}

TEST_F(HttpServerTest, InvalidResponseHeadersAreDroppedNotSent) {
  start({}, [](HttpRequest&&, HttpResponder responder) {
    responder.send(200,
                   {{"X-Injected", "a\r\nSet-Cookie: evil"},
                    {"X-Huge", std::string(100'000, 'v')},
                    {"Bad Name", "x"},
                    {"X-Fine", "ok"}},
                   "body");
  });
  RawSocket s(server_->port());
  s.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string response = s.read_response();
  EXPECT_EQ(response.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << response.substr(0, 200);
  EXPECT_NE(response.find("X-Fine: ok\r\n"), std::string::npos);
  EXPECT_EQ(response.find("Set-Cookie"), std::string::npos);
  EXPECT_EQ(response.find("X-Huge"), std::string::npos);
  EXPECT_EQ(response.find("Bad Name"), std::string::npos);
  EXPECT_EQ(body_of(response), "body");
}

// Seeded random bytes and mutations of a valid request: the server answers 4xx, closes, or
// serves, and keeps serving afterwards.
TEST_F(HttpServerTest, SurvivesRandomInput) {
  HttpServerOptions options;
  options.read_timeout = 300ms;
  options.max_body_bytes = 1000;
  start(options);
  const std::string valid =
      "POST /x?y=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nX-A: b\r\n\r\nabc";
  std::mt19937 rng(20261126);
  for (int round = 0; round < 150; ++round) {
    std::string input = valid;
    if (round % 3 == 0) {
      input.assign(1 + rng() % 300, '\0');
      for (auto& c : input)
        c = static_cast<char>(rng());
    } else {
      int edits = 1 + static_cast<int>(rng() % 6);
      for (int e = 0; e < edits; ++e) {
        size_t at = rng() % input.size();
        switch (rng() % 3) {
          case 0: input[at] = static_cast<char>(rng()); break;
          case 1: input.erase(at, 1 + rng() % 4); break;
          default: input.insert(at, std::string(1 + rng() % 8, "\r\n:; 0aZ\t"[rng() % 10]));
        }
        if (input.empty()) input = "x";
      }
    }
    RawSocket s(server_->port(), 3000);
    s.send(input);
    ::shutdown(s.fd(), SHUT_WR);
    std::string all = s.read_until_close();
    EXPECT_TRUE(all.empty() || all.rfind("HTTP/1.1 ", 0) == 0) << all.substr(0, 100);
  }
  RawSocket s(server_->port());
  s.send(valid);
  EXPECT_EQ(body_of(s.read_response()), "POST /x y=1 x-test=- body=abc");
}

TEST_F(HttpServerTest, ExpectContinueGetsAnInterimResponse) {
  start();
  RawSocket s(server_->port());
  s.send("POST /c HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  char buf[64];
  ssize_t n = ::recv(s.fd(), buf, sizeof(buf), 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), "HTTP/1.1 100 Continue\r\n\r\n");
  s.send("data");
  EXPECT_EQ(body_of(s.read_response()), "POST /c  x-test=- body=data");
}

TEST_F(HttpServerTest, ConcurrentRequestsSpreadOverLoops) {
  std::mutex mu;
  std::set<std::thread::id> threads;
  start(
      {},
      [&](HttpRequest&& request, HttpResponder responder) {
        {
          std::lock_guard lock(mu);
          threads.insert(std::this_thread::get_id());
        }
        responder.send(200, {}, request.target);
      },
      2);
  constexpr int kClients = 8;
  constexpr int kConnectionsPerClient = 8;
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; i < kConnectionsPerClient; ++i) {
        RawSocket s(server_->port());
        std::string target = "/" + std::to_string(c) + "/" + std::to_string(i);
        s.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        if (body_of(s.read_response()) == target) ok++;
      }
    });
  }
  for (auto& t : clients)
    t.join();
  EXPECT_EQ(ok.load(), kClients * kConnectionsPerClient);
  EXPECT_EQ(server_->stats().connections_accepted, uint64_t{kClients * kConnectionsPerClient});
  // SO_REUSEPORT hashes connections over both acceptors; 64 on one is a 2^-63 event.
  EXPECT_EQ(threads.size(), 2u);
}

TEST_F(HttpServerTest, DrainFinishesInFlightRequestsThenCloses) {
  start({}, [](HttpRequest&& request, HttpResponder responder) {
    EventLoop::current()->run_after(300ms,
                                    [responder]() mutable { responder.send(200, {}, "finished"); });
  });
  uint16_t port = server_->port();
  RawSocket busy(port);
  RawSocket idle(port);
  busy.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  // Both connections are accepted and the request is in the handler before draining.
  for (int i = 0; i < 100 && server_->stats().requests < 1; ++i)
    std::this_thread::sleep_for(5ms);
  ASSERT_EQ(server_->stats().requests, 1u);
  std::promise<void> drained;
  auto begin = std::chrono::steady_clock::now();
  server_->drain(5s, [&] { drained.set_value(); });
  idle.read_until_close();
  EXPECT_TRUE(idle.closed_by_peer());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 250ms);  // idle: closed at once
  std::string answer = busy.read_until_close();
  EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
  EXPECT_EQ(body_of(answer), "finished");
  busy.close();  // a client closes on "Connection: close"; the server waits for that
  EXPECT_EQ(drained.get_future().wait_for(1s), std::future_status::ready);
  EXPECT_EQ(server_->stats().connections_open, 0u);
  RawSocket late(port);
  EXPECT_FALSE(late.connected());
}

TEST_F(HttpServerTest, DrainGraceClosesStuckRequests) {
  start({}, [](HttpRequest&&, HttpResponder responder) {
    EventLoop::current()->run_after(10s, [responder]() mutable { responder.send(200, {}, ""); });
  });
  RawSocket stuck(server_->port());
  stuck.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  for (int i = 0; i < 100 && server_->stats().requests < 1; ++i)
    std::this_thread::sleep_for(5ms);
  auto begin = std::chrono::steady_clock::now();
  server_->stop(200ms);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
  stuck.read_until_close();
  EXPECT_TRUE(stuck.closed_by_peer());
}

// A zero grace with a keep-alive connection open: the grace timer fires at once, closes the
// connection and reports the drain; destroying the server right after must not touch the
// closed connection or the shard again (AddressSanitizer watches).
TEST_F(HttpServerTest, StopWithZeroGraceAndOpenConnectionsThenDestroy) {
  for (int round = 0; round < 20; ++round) {
    start({}, echo, 2);
    std::vector<std::unique_ptr<RawSocket>> open;
    for (int i = 0; i < 4; ++i) {
      open.push_back(std::make_unique<RawSocket>(server_->port()));
      open.back()->send("GET /k HTTP/1.1\r\nHost: x\r\n\r\n");
      EXPECT_EQ(body_of(open.back()->read_response()), "GET /k  x-test=- body=");
    }
    RawSocket half(server_->port());
    half.send("GET /k HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    for (int i = 0; i < 100 && server_->stats().connections_open < 5; ++i)
      std::this_thread::sleep_for(1ms);
    server_->stop(0ms);
    server_.reset();
    group_.reset();
    for (auto& s : open) {
      s->read_until_close();
      EXPECT_TRUE(s->closed_by_peer());
    }
  }
}

TEST(HttpServerListenTest, BusyPortAndBadHostAreErrors) {
  LoopGroup group(1);
  group.start();
  HttpServer first(group.loops(), {}, echo);
  ASSERT_TRUE(first.start().ok());
  // A plain socket on the port without SO_REUSEPORT makes the port busy for anyone else.
  testing::RawListener listener;
  HttpServerOptions options;
  options.port = listener.port();
  HttpServer second(group.loops(), options, echo);
  Status status = second.start();
  EXPECT_EQ(status.code(), ErrorCode::kUnavailable);
  EXPECT_NE(status.message().find("cannot listen on 127.0.0.1:" + std::to_string(listener.port())),
            std::string::npos)
      << status.to_string();
  HttpServerOptions bad;
  bad.host = "not-an-ip";
  HttpServer third(group.loops(), bad, echo);
  EXPECT_EQ(third.start().code(), ErrorCode::kInvalidArgument);
  first.stop();
}

}  // namespace
}  // namespace orbit::net
