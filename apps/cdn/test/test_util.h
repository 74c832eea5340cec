// Shared fixtures of the orbit::cdn tests: a temporary directory with keys and storage, and a
// blocking GET over lib/net's HttpClient.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <string>

#include "orbit/config/artifact.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/security/ed25519.h"
#include "orbit/security/graph_token.h"

namespace orbit::cdn::testing {

namespace fs = std::filesystem;

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A small valid artifact whose version is `version`.
inline std::string artifact_text(const std::string& version) {
  config::RouterArtifact a;
  a.version = version;
  a.created_at = "2026-01-01T00:00:00Z";
  a.supergraph_sdl = "schema { query: Query } type Query { a: Int }";
  return config::write_artifact(a);
}

struct Keys {
  security::Ed25519PrivateKey token = *security::Ed25519PrivateKey::generate();
  security::Ed25519PrivateKey artifact = *security::Ed25519PrivateKey::generate();
  security::Ed25519PrivateKey stranger = *security::Ed25519PrivateKey::generate();

  std::string mint(const std::string& org, const std::string& graph, const std::string& id,
                   int64_t now, const security::Ed25519PrivateKey* key = nullptr) const {
    security::GraphTokenClaims c;
    c.org = org;
    c.graph = graph;
    c.token_id = id;
    c.issued_at = now - 60;
    c.expires_at = now + 3600;
    return *security::mint_graph_token(c, key ? *key : token);
  }
};

class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    path_ = fs::temp_directory_path() / ("orbit-cdn-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// One loop and one client; get() blocks until the answer.
class BlockingClient {
 public:
  BlockingClient() {
    loop_.start();
    run([this] { client_ = std::make_unique<net::HttpClient>(loop_); });
  }
  ~BlockingClient() {
    run([this] { client_.reset(); });
    loop_.stop();
  }
  Result<net::HttpClientResponse> get(const std::string& url, net::HttpHeaders headers = {},
                                      std::string method = "GET") {
    std::promise<Result<net::HttpClientResponse>> done;
    net::HttpClientRequest request;
    request.method = std::move(method);
    request.url = url;
    request.headers = std::move(headers);
    request.timeout = std::chrono::seconds(10);
    loop_.post([&] {
      client_->fetch(request,
                     [&](Result<net::HttpClientResponse> r) { done.set_value(std::move(r)); });
    });
    return done.get_future().get();
  }

 private:
  void run(std::function<void()> task) {
    std::promise<void> done;
    loop_.post([&] {
      task();
      done.set_value();
    });
    done.get_future().wait();
  }
  net::EventLoop loop_;
  std::unique_ptr<net::HttpClient> client_;
};

}  // namespace orbit::cdn::testing
