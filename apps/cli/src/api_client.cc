#include "orbit/cli/api_client.h"

#include <algorithm>
#include <cctype>
#include <future>

#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"

namespace orbit::cli {

ApiClient::ApiClient(ApiSettings settings)
    : settings_(std::move(settings)), loop_(std::make_unique<net::EventLoop>()) {
  loop_->start();
  std::promise<void> ready;
  loop_->post([&] {
    net::HttpClientOptions options;
    options.request_timeout = std::chrono::milliseconds(settings_.timeout_ms);
    options.connect_timeout = std::chrono::milliseconds(std::min(settings_.timeout_ms, 10'000));
    options.max_connections_per_origin = 1;
    options.max_idle_per_origin = 1;
    client_ = std::make_unique<net::HttpClient>(*loop_, options);
    ready.set_value();
  });
  ready.get_future().wait();
}

ApiClient::~ApiClient() {
  std::promise<void> destroyed;
  loop_->post([&] {
    client_.reset();
    destroyed.set_value();
  });
  destroyed.get_future().wait();
  loop_->stop();
}

Result<ApiResponse> ApiClient::call(std::string_view method, std::string_view path,
                                    std::string body) {
  net::HttpClientRequest req;
  req.method = std::string(method);
  req.url = settings_.url + std::string(path);
  req.headers.set("accept", "application/json");
  req.headers.set("user-agent", "orbit-cli/0.1.0");
  if (!settings_.key.empty()) req.headers.set("authorization", "Bearer " + settings_.key);
  if (!body.empty()) req.headers.set("content-type", "application/json");
  req.body = std::move(body);
  std::promise<Result<net::HttpClientResponse>> done;
  auto answer = done.get_future();
  loop_->post([&] {
    client_->fetch(req, [&](Result<net::HttpClientResponse> r) { done.set_value(std::move(r)); });
  });
  Result<net::HttpClientResponse> r = answer.get();
  if (!r.ok()) return r.status();
  ApiResponse out;
  out.status = r->status;
  out.headers = std::move(r->headers);
  out.body = std::move(r->body);
  return out;
}

Result<std::string> normalize_api_url(std::string_view url) {
  if (url.size() > 2048) {
    return Status(ErrorCode::kInvalidArgument, "the API URL is longer than 2048 bytes");
  }
  std::string_view rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else {
    return Status(
        ErrorCode::kInvalidArgument,
        "the API URL must start with http:// or https:// (got \"" + std::string(url) + "\")");
  }
  if (rest.empty() || rest[0] == '/' || rest[0] == ':') {
    return Status(ErrorCode::kInvalidArgument,
                  "the API URL has no host: \"" + std::string(url) + "\"");
  }
  for (char c : url) {
    if (c == '?' || c == '#' || static_cast<unsigned char>(c) <= ' ') {
      return Status(ErrorCode::kInvalidArgument,
                    "the API URL must not contain a query, a fragment or spaces: \"" +
                        std::string(url) + "\"");
    }
  }
  std::string out(url);
  while (!out.empty() && out.back() == '/')
    out.pop_back();
  return out;
}

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace orbit::cli
