#include "orbit/telemetry/otlp_receiver.h"

#include "gzip_codec.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_server.h"

namespace orbit::telemetry {

namespace {
constexpr size_t kMaxDecodedBytes = 64 * 1024 * 1024;
}

OtlpReceiver::OtlpReceiver() = default;

OtlpReceiver::~OtlpReceiver() {
  stop();
}

Status OtlpReceiver::start(uint16_t port) {
  loop_ = std::make_unique<net::EventLoop>();
  loop_->start();
  net::HttpServerOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.max_body_bytes = 32 * 1024 * 1024;
  server_ = std::make_unique<net::HttpServer>(
      std::vector<net::EventLoop*>{loop_.get()}, options,
      [this](net::HttpRequest&& req, net::HttpResponder responder) {
        std::string path(req.path());
        handle(std::move(path), std::move(req.headers), std::move(req.body), std::move(responder));
      });
  Status s = server_->start();
  if (!s.ok()) return s;
  port_ = server_->port();
  return Status();
}

void OtlpReceiver::stop() {
  std::vector<net::HttpResponder> held;
  {
    std::lock_guard lock(mu_);
    black_hole_ = false;
    held.swap(held_);
  }
  for (net::HttpResponder& r : held)
    r.send(503, {}, "");
  held.clear();
  if (server_) {
    server_->stop(std::chrono::milliseconds(200));
    server_.reset();
  }
  if (loop_) {
    loop_->stop();
    loop_.reset();
  }
}

std::string OtlpReceiver::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

void OtlpReceiver::answer_next(std::vector<int> statuses, std::string retry_after) {
  std::lock_guard lock(mu_);
  statuses_.insert(statuses_.end(), statuses.begin(), statuses.end());
  retry_after_ = std::move(retry_after);
}

void OtlpReceiver::set_black_hole(bool on) {
  std::vector<net::HttpResponder> held;
  {
    std::lock_guard lock(mu_);
    black_hole_ = on;
    if (!on) held.swap(held_);
  }
  for (net::HttpResponder& r : held)
    r.send(503, {}, "");
}

void OtlpReceiver::handle(std::string path, net::HttpHeaders headers, std::string body,
                          net::HttpResponder responder) {
  ReceivedExport rec;
  rec.path = std::move(path);
  auto encoding = headers.get("Content-Encoding");
  if (encoding && *encoding == "gzip") {
    rec.gzip = true;
    Result<std::string> plain = gzip_decompress(body, kMaxDecodedBytes);
    if (plain.ok()) {
      rec.body = std::move(plain).value();
    } else {
      rec.error = plain.status().message();
    }
  } else {
    rec.body = std::move(body);
  }
  bool json = headers.get("Content-Type").value_or("") == "application/json";
  rec.headers = std::move(headers);

  int status = 200;
  std::string retry_after;
  {
    std::lock_guard lock(mu_);
    if (black_hole_) {
      held_.push_back(std::move(responder));
      requests_.push_back(std::move(rec));
      cv_.notify_all();
      return;
    }
    if (!rec.error.empty()) {
      status = 400;
    } else if (!statuses_.empty()) {
      status = statuses_.front();
      statuses_.pop_front();
      retry_after = retry_after_;
    }
    rec.answered = status;
    requests_.push_back(std::move(rec));
    cv_.notify_all();
  }
  net::HttpHeaders out;
  out.add("Content-Type", json ? "application/json" : "application/x-protobuf");
  if ((status < 200 || status >= 300) && !retry_after.empty()) out.add("Retry-After", retry_after);
  responder.send(status, std::move(out), json ? "{}" : "");
}

std::vector<ReceivedExport> OtlpReceiver::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t OtlpReceiver::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

bool OtlpReceiver::wait_until(const std::function<bool(const std::vector<ReceivedExport>&)>& pred,
                              std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return pred(requests_); });
}

std::vector<DecodedSpan> OtlpReceiver::spans() const {
  std::vector<DecodedSpan> out;
  std::lock_guard lock(mu_);
  for (const ReceivedExport& r : requests_) {
    if (r.path != "/v1/traces" || r.answered < 200 || r.answered >= 300) continue;
    if (r.headers.get("Content-Type").value_or("") != "application/x-protobuf") continue;
    Result<DecodedSpans> d = decode_spans(r.body);
    if (!d.ok()) continue;
    for (DecodedSpan& s : d->spans)
      out.push_back(std::move(s));
  }
  return out;
}

std::vector<DecodedMetrics> OtlpReceiver::metrics() const {
  std::vector<DecodedMetrics> out;
  std::lock_guard lock(mu_);
  for (const ReceivedExport& r : requests_) {
    if (r.path != "/v1/metrics" || r.answered < 200 || r.answered >= 300) continue;
    if (r.headers.get("Content-Type").value_or("") != "application/x-protobuf") continue;
    Result<DecodedMetrics> d = decode_metrics(r.body);
    if (d.ok()) out.push_back(std::move(d).value());
  }
  return out;
}

}  // namespace orbit::telemetry
