// https end to end: a self-signed certificate made at test time with the openssl CLI, an
// HttpServer serving TLS with it, and the HttpClient verifying (or not) against it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "orbit/net/http_client.h"
#include "orbit/net/http_server.h"
#include "test_util.h"

namespace orbit::net {
namespace {

using namespace std::chrono_literals;
using testing::fetch_sync;
using testing::run_on;

class TlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char pattern[] = "/tmp/orbit_net_tls_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
    std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
        "-nodes -days 1 -subj /CN=localhost -addext "
        "subjectAltName=DNS:localhost -keyout " +
        dir_ + "/key.pem -out " + dir_ + "/cert.pem 2>/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  void SetUp() override {
    loop_.start();
    HttpServerOptions options;
    options.tls_cert_file = dir_ + "/cert.pem";
    options.tls_key_file = dir_ + "/key.pem";
    server_ = std::make_unique<HttpServer>(
        std::vector<EventLoop*>{&server_loop_}, options,
        [](HttpRequest&& request, HttpResponder responder) {
          responder.send(200, {}, "secure " + request.target + " " + request.body);
        });
    server_loop_.start();
    ASSERT_TRUE(server_->start().ok());
  }
  void TearDown() override {
    run_on(loop_, [&] { client_.reset(); });
    server_->stop(1s);
  }

  Result<HttpClientResponse> get(HttpClientOptions options, std::string host) {
    run_on(loop_, [&] { client_ = std::make_unique<HttpClient>(loop_, options); });
    HttpClientRequest request;
    request.url = "https://" + host + ":" + std::to_string(server_->port()) + "/x";
    return fetch_sync(loop_, *client_, request);
  }

  static inline std::string dir_;
  EventLoop loop_;
  EventLoop server_loop_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpClient> client_;
};

TEST_F(TlsTest, VerifiedAgainstTheTestCaWithKeepAlive) {
  HttpClientOptions options;
  options.tls_ca_file = dir_ + "/cert.pem";
  auto got = get(options, "localhost");
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->body, "secure /x ");
  for (int i = 0; i < 3; ++i) {
    HttpClientRequest post;
    post.method = "POST";
    post.url = "https://localhost:" + std::to_string(server_->port()) + "/p";
    post.body = std::to_string(i);
    auto r = fetch_sync(loop_, *client_, post);
    ASSERT_TRUE(r.ok()) << r.status().to_string();
    EXPECT_EQ(r->body, "secure /p " + std::to_string(i));
  }
  EXPECT_EQ(server_->stats().connections_accepted, 1u);
}

TEST_F(TlsTest, UnknownIssuerIsRejectedByDefault) {
  auto got = get({}, "localhost");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(got.status().message().find("TLS handshake"), std::string::npos)
      << got.status().to_string();
  EXPECT_NE(got.status().message().find("certificate verify failed"), std::string::npos)
      << got.status().to_string();
}

TEST_F(TlsTest, NameMismatchIsRejected) {
  HttpClientOptions options;
  options.tls_ca_file = dir_ + "/cert.pem";
  auto got = get(options, "127.0.0.1");  // the certificate names only "localhost"
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(got.status().message().find("certificate verify failed"), std::string::npos)
      << got.status().to_string();
}

TEST_F(TlsTest, VerificationCanBeDisabledForTests) {
  HttpClientOptions options;
  options.tls_verify = false;
  auto got = get(options, "127.0.0.1");
  ASSERT_TRUE(got.ok()) << got.status().to_string();
  EXPECT_EQ(got->status, 200);
}

TEST_F(TlsTest, PlainHttpToATlsPortFailsCleanly) {
  testing::RawSocket s(server_->port(), 3000);
  s.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string got = s.read_until_close();
  EXPECT_EQ(got.find("HTTP/1.1 200"), std::string::npos);
}

TEST(TlsServerTest, MissingCertificateIsAnError) {
  EventLoop loop;
  HttpServerOptions options;
  options.tls_cert_file = "/nonexistent/cert.pem";
  options.tls_key_file = "/nonexistent/key.pem";
  HttpServer server({&loop}, options, [](HttpRequest&&, HttpResponder) {});
  Status status = server.start();
  EXPECT_EQ(status.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.message().find("cannot load TLS certificate"), std::string::npos);
}

}  // namespace
}  // namespace orbit::net
