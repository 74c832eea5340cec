// Managed mode against a CDN that misbehaves, with real processes: orbit-router polling, real
// subgraphs (tests/scenarios/harness/serve.js), and clients sending requests through the router
// the whole time. In every case the router keeps serving the config it has (zero failed client
// requests), counts the failed polls in /health, logs them, and takes the newest version once
// the CDN behaves again.
//
// FaultyCdn is a raw HTTP/1.1 server on 127.0.0.1 that serves a real signed artifact and,
// on command, answers 500, bytes that are not HTTP, a signed body that is not JSON, a body
// shorter than its Content-Length, a wrong signature, or only after the router's
// request_timeout. The flapping case uses the real orbit-cdn, killed and restarted on its port.
//
// Versions are told apart as in managed_test: artifact version k adds Query.version_k and
// routes products to instance B when k is even.
//
// Needs `npm ci` in tests/npm-federation (make npm-deps), orbit-router and orbit-cdn.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <iterator>

#include "managed_fixture.h"

namespace orbit {
namespace {

using namespace managed_testing;

// What FaultyCdn answers to the next requests.
enum class Fault {
  kNone,          // 200 with the artifact and its signature (304 when the ETag matches)
  kStatus500,     // 500 with a short text body
  kNotHttp,       // bytes that are not an HTTP response, then close
  kNotJson,       // 200, correctly signed, but the body is not JSON
  kTruncated,     // 200, Content-Length larger than what is sent, then close
  kBadSignature,  // 200 with the artifact and another body's signature
  kSlow,          // the good answer, but only after slow_delay
};

// An HTTP server on 127.0.0.1, a thread per connection, answering every request with the
// current artifact or the current fault, then closing the connection.
class FaultyCdn {
 public:
  FaultyCdn() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0)
      return;
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~FaultyCdn() {
    stop_ = true;
    if (acceptor_.joinable()) acceptor_.join();
    std::vector<std::thread> workers;
    {
      std::lock_guard<std::mutex> lock(mu_);
      workers.swap(workers_);
    }
    for (std::thread& t : workers)
      t.join();
    if (fd_ >= 0) ::close(fd_);
  }
  uint16_t port() const { return port_; }

  // The artifact served when there is no fault, its signature header and its ETag.
  void serve(std::string body, std::string signature, std::string etag) {
    std::lock_guard<std::mutex> lock(mu_);
    body_ = std::move(body);
    signature_ = std::move(signature);
    etag_ = std::move(etag);
  }
  void set_fault(Fault f, std::chrono::milliseconds slow_delay = 0ms) {
    std::lock_guard<std::mutex> lock(mu_);
    fault_ = f;
    slow_delay_ = slow_delay;
  }
  // Requests answered with the given fault so far.
  uint64_t answered(Fault f) {
    std::lock_guard<std::mutex> lock(mu_);
    return answered_[static_cast<int>(f)];
  }
  // The X-Orbit-Signature values the faults send: over junk_body(etag) for kNotJson, over other
  // bytes for kBadSignature (the test holds the key).
  void set_fault_signatures(std::string junk, std::string wrong) {
    std::lock_guard<std::mutex> lock(mu_);
    junk_signature_ = std::move(junk);
    wrong_signature_ = std::move(wrong);
  }
  // What kNotJson serves while `etag` is the artifact's ETag, and under which ETag.
  static std::string junk_body(const std::string& etag) {
    return "<html>502 Bad Gateway " + etag + "</html>";
  }
  // How many times kNotJson sent its body (not a 304).
  uint64_t junk_downloads() {
    std::lock_guard<std::mutex> lock(mu_);
    return junk_downloads_;
  }
  // Whether a request carried this Authorization header.
  bool saw_authorization(const std::string& value) {
    std::lock_guard<std::mutex> lock(mu_);
    return authorizations_.count(value) != 0;
  }

 private:
  void accept_loop() {
    while (!stop_.load()) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int c = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      std::lock_guard<std::mutex> lock(mu_);
      workers_.emplace_back([this, c] {
        handle(c);
        ::close(c);
      });
    }
  }

  // Reads the request head (up to 16 KiB).
  bool read_head(int c, std::string* head) {
    char buf[4096];
    while (head->find("\r\n\r\n") == std::string::npos && head->size() < 16384) {
      pollfd p{c, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) {
        if (stop_.load()) return false;
        continue;
      }
      ssize_t n = ::recv(c, buf, sizeof buf, 0);
      if (n <= 0) return false;
      head->append(buf, static_cast<size_t>(n));
    }
    return head->find("\r\n\r\n") != std::string::npos;
  }

  static std::string header_value(const std::string& head, std::string_view name) {
    std::string lower = head;
    for (char& ch : lower)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    std::string key = "\r\n" + std::string(name) + ":";
    size_t at = lower.find(key);
    if (at == std::string::npos) return "";
    size_t begin = at + key.size();
    size_t end = head.find("\r\n", begin);
    std::string v = head.substr(begin, end - begin);
    while (!v.empty() && v.front() == ' ')
      v.erase(0, 1);
    return v;
  }

  static void send_all(int c, std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(c, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<size_t>(n));
    }
  }

  void handle(int c) {
    std::string head;
    if (!read_head(c, &head)) return;
    Fault fault;
    std::chrono::milliseconds delay;
    std::string body, signature, etag, junk_signature, wrong_signature;
    {
      std::lock_guard<std::mutex> lock(mu_);
      fault = fault_;
      delay = slow_delay_;
      body = body_;
      signature = signature_;
      etag = etag_;
      junk_signature = junk_signature_;
      wrong_signature = wrong_signature_;
      ++answered_[static_cast<int>(fault)];
      authorizations_.insert(header_value(head, "authorization"));
    }
    std::string if_none_match = header_value(head, "if-none-match");
    auto answer = [&](int status, const std::string& reason, const std::string& extra,
                      const std::string& content, size_t content_length) {
      std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n" + extra +
                        "Content-Length: " + std::to_string(content_length) +
                        "\r\nConnection: close\r\n\r\n" + content;
      send_all(c, out);
    };
    auto good = [&] {
      if (!etag.empty() && if_none_match.find(etag) != std::string::npos) {
        answer(304, "Not Modified", "ETag: " + etag + "\r\n", "", 0);
        return;
      }
      answer(200, "OK",
             "Content-Type: application/json\r\nETag: " + etag +
                 "\r\nX-Orbit-Signature: " + signature + "\r\n",
             body, body.size());
    };
    switch (fault) {
      case Fault::kNone: good(); break;
      case Fault::kStatus500:
        answer(500, "Internal Server Error", "Content-Type: text/plain\r\n", "storage on fire\n",
               16);
        break;
      case Fault::kNotHttp:
        send_all(c, "\x16\x03\x01 this is not an HTTP response at all\r\n\r\n{{{");
        break;
      case Fault::kNotJson: {
        // Bytes the key really signed, so they are checked for what they are: not a config.
        // Under an ETag of its own, honoured in If-None-Match like a CDN would.
        const std::string junk = junk_body(etag);
        const std::string junk_etag = "\"junk-" + etag.substr(1);
        if (if_none_match.find(junk_etag) != std::string::npos) {
          answer(304, "Not Modified", "ETag: " + junk_etag + "\r\n", "", 0);
          break;
        }
        {
          std::lock_guard<std::mutex> lock(mu_);
          ++junk_downloads_;
        }
        answer(200, "OK",
               "Content-Type: application/json\r\nETag: " + junk_etag +
                   "\r\nX-Orbit-Signature: " + junk_signature + "\r\n",
               junk, junk.size());
        break;
      }
      case Fault::kTruncated:
        answer(200, "OK",
               "Content-Type: application/json\r\nETag: " + etag +
                   "\r\nX-Orbit-Signature: " + signature + "\r\n",
               body.substr(0, body.size() / 2), body.size() + 1000);
        break;
      case Fault::kBadSignature:
        answer(200, "OK",
               "Content-Type: application/json\r\nETag: " + etag +
                   "\r\nX-Orbit-Signature: " + wrong_signature + "\r\n",
               body, body.size());
        break;
      case Fault::kSlow:
        for (auto end = std::chrono::steady_clock::now() + delay;
             std::chrono::steady_clock::now() < end && !stop_.load();)
          std::this_thread::sleep_for(20ms);
        good();
        break;
    }
  }

  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<std::thread> workers_;
  Fault fault_ = Fault::kNone;
  std::chrono::milliseconds slow_delay_{0};
  std::string body_, signature_, etag_, junk_signature_, wrong_signature_;
  uint64_t answered_[7] = {};
  uint64_t junk_downloads_ = 0;
  std::set<std::string> authorizations_;
};

class CdnFaultsTest : public ManagedFixture {
 protected:
  CdnFaultsTest() : ManagedFixture("orbit-cdn-faults-") {}

  // The X-Orbit-Signature value for these bytes.
  std::string signature_header(const std::string& bytes) const {
    return security::base64_encode(signing_->sign(bytes));
  }
  // Version k, signed, on the fake CDN.
  void serve(FaultyCdn& cdn, int k) {
    std::string body = artifact(k);
    cdn.serve(body, signature_header(body), "\"fake-v" + std::to_string(k) + "\"");
  }
};

TEST_F(CdnFaultsTest, ServesThroughEveryBadAnswer) {
  FaultyCdn cdn;
  ASSERT_NE(cdn.port(), 0);
  serve(cdn, 1);
  write_router_config(cdn.port(), "200ms", /*fail_over=*/false);
  uint16_t port = start_router();
  ASSERT_NE(port, 0) << router_->output();
  ASSERT_TRUE(wait_health(port, [](const Health& h) { return h.version == "v1"; }))
      << router_->output();
  EXPECT_TRUE(cdn.saw_authorization("Bearer " + token_));

  ClientReport report;
  Clients clients(port, report);
  clients.run_a_little();

  struct Case {
    Fault fault;
    const char* name;
    const char* logged;  // in the router's log while the fault lasts
    bool rejected;       // counted as a rejected poll (a signed non-config), else a failed one
  };
  const Case cases[] = {
      {Fault::kStatus500, "500", "HTTP 500 storage on fire", false},
      {Fault::kNotHttp, "not HTTP", "malformed response", false},
      {Fault::kNotJson, "signed, not JSON", "not valid JSON", true},
      {Fault::kTruncated, "truncated body", "closed before the response was complete", false},
      {Fault::kBadSignature, "wrong signature", "does not match the artifact for any trusted key",
       false},
      {Fault::kSlow, "slower than request_timeout", "no response within 1000 ms", false},
  };
  int version = 1;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    // A new version is waiting behind the fault: the router must not get it until the fault ends.
    ++version;
    const std::string label = "v" + std::to_string(version);
    Health before = health(port);
    size_t log_from = router_->lines().size();
    uint64_t answered_before = cdn.answered(c.fault);
    serve(cdn, version);
    cdn.set_fault_signatures(
        signature_header(FaultyCdn::junk_body("\"fake-v" + std::to_string(version) + "\"")),
        signature_header("another artifact"));
    cdn.set_fault(c.fault, 2500ms);
    if (c.rejected) {
      EXPECT_TRUE(wait_health(port, [&](const Health& h) {
        return h.polls_rejected > before.polls_rejected && h.reloads_failed > before.reloads_failed;
      })) << router_->output();
    } else if (c.fault == Fault::kBadSignature) {
      EXPECT_TRUE(wait_health(port, [&](const Health& h) {
        return h.signature_failures >= before.signature_failures + 2 &&
               h.polls_failed >= before.polls_failed + 2;
      })) << router_->output();
    } else {
      EXPECT_TRUE(wait_health(port, [&](const Health& h) {
        return h.polls_failed >= before.polls_failed + 2 && h.consecutive_failures >= 2;
      })) << router_->output();
    }
    EXPECT_GE(cdn.answered(c.fault), answered_before + 1);
    EXPECT_TRUE(router_logged_since(log_from, c.logged)) << router_->output();
    clients.run_a_little(30);
    if (c.fault == Fault::kNotJson) {
      // Refused once, then asked for with its ETag in If-None-Match: never downloaded again.
      for (int i = 0; i < 250 && cdn.answered(c.fault) < answered_before + 3; ++i)
        std::this_thread::sleep_for(20ms);
      EXPECT_GE(cdn.answered(c.fault), answered_before + 3);
      EXPECT_EQ(cdn.junk_downloads(), 1u);
    }
    Health during = health(port);
    EXPECT_EQ(during.version, "v" + std::to_string(version - 1));
    EXPECT_EQ(during.source, "cdn");
    EXPECT_FALSE(during.last_error.empty());

    // The CDN behaves again: the waiting version comes in.
    cdn.set_fault(Fault::kNone);
    EXPECT_TRUE(wait_health(port, [&](const Health& h) {
      return h.version == label && h.consecutive_failures == 0;
    })) << router_->output();
    clients.run_a_little();
  }

  clients.stop();
  EXPECT_EQ(report.failed, 0u) << failures_text(report);
  EXPECT_GT(report.ok, 100u);
  for (int k = 1; k <= version; ++k)
    EXPECT_TRUE(report.versions.count(k)) << "no request was served by v" << k;
  std::printf("%llu requests answered through %zu CDN faults, none failed\n",
              static_cast<unsigned long long>(report.ok), std::size(cases));
  EXPECT_EQ(router_->stop(), 0);
}

TEST_F(CdnFaultsTest, ConvergesAfterTheCdnFlaps) {
  publish(1);
  uint16_t cdn_port = start_cdn();
  ASSERT_NE(cdn_port, 0) << cdn_->output();
  write_router_config(cdn_port, "200ms", /*fail_over=*/false);
  uint16_t port = start_router();
  ASSERT_NE(port, 0) << router_->output();
  ASSERT_TRUE(wait_health(port, [](const Health& h) { return h.version == "v1"; }))
      << router_->output();

  ClientReport report;
  Clients clients(port, report);
  clients.run_a_little();

  // Down, up, down, up, down, up: versions published while it is down and while it is up,
  // the CDN never up long enough for a poll to be sure to happen, except at the end.
  int version = 1;
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("flap " + std::to_string(round));
    Health before = health(port);
    cdn_->signal(SIGKILL);
    cdn_->wait(5s);
    publish(++version);  // published while the CDN is down
    EXPECT_TRUE(wait_health(port, [&](const Health& h) {
      return h.polls_failed >= before.polls_failed + 1;
    })) << router_->output();
    clients.run_a_little(20);
    ASSERT_EQ(start_cdn(cdn_port), cdn_port) << cdn_->output();
    publish(++version);  // published while it is up
    std::this_thread::sleep_for(150ms);
  }
  EXPECT_TRUE(wait_health(port, [&](const Health& h) {
    return h.version == "v" + std::to_string(version) && h.consecutive_failures == 0;
  })) << router_->output();
  clients.run_a_little(30);
  EXPECT_EQ(health(port).version, "v" + std::to_string(version));

  clients.stop();
  EXPECT_EQ(report.failed, 0u) << failures_text(report);
  EXPECT_GT(report.ok, 50u);
  EXPECT_TRUE(report.versions.count(1));
  EXPECT_TRUE(report.versions.count(version));
  // A fresh connection is answered by the last version.
  ClientReport last;
  HttpConnection c(port);
  EXPECT_EQ(check_answer(c.request("POST", "/graphql", std::string(kQuery)),
                         std::numeric_limits<int>::max(), last),
            version)
      << failures_text(last);
  EXPECT_EQ(router_->stop(), 0);
}

}  // namespace
}  // namespace orbit
