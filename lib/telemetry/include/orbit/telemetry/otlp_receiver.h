// OtlpReceiver: a small OTLP/HTTP receiver on 127.0.0.1 — what the tests export to, and a way
// to look at what the router sends without running a collector. It records every request
// (gzip bodies decoded), answers 200 with an empty response, or what it was told to answer:
// a sequence of statuses (with Retry-After), or nothing at all ("black hole": the connection is
// accepted and the request read, but never answered).
//
// Threading: one own event loop runs the server; every method may be called from any thread.
// Lifecycle: construct, start(), use, stop() (also done by the destructor).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "orbit/base/status.h"
#include "orbit/net/http_headers.h"
#include "orbit/telemetry/otlp_decode.h"

namespace orbit::net {
class EventLoop;
class HttpServer;
class HttpResponder;
}  // namespace orbit::net

namespace orbit::telemetry {

struct ReceivedExport {
  std::string path;  // "/v1/traces", "/v1/metrics", …
  net::HttpHeaders headers;
  std::string body;  // decoded when it came gzip-compressed
  bool gzip = false;
  int answered = 0;   // the status answered; 0: none (black hole)
  std::string error;  // a body that could not be gunzipped
};

class OtlpReceiver {
 public:
  OtlpReceiver();
  ~OtlpReceiver();
  OtlpReceiver(const OtlpReceiver&) = delete;
  OtlpReceiver& operator=(const OtlpReceiver&) = delete;

  // Listens on 127.0.0.1:`port` (0: a free one).
  Status start(uint16_t port = 0);
  void stop();
  uint16_t port() const { return port_; }
  std::string endpoint() const;  // "http://127.0.0.1:<port>"

  // The next requests are answered with these statuses, in order (then 200 again); non-2xx
  // answers carry `retry_after` as Retry-After when it is not empty.
  void answer_next(std::vector<int> statuses, std::string retry_after = "");
  // While on, requests are recorded and never answered (until off or stop()).
  void set_black_hole(bool on);

  std::vector<ReceivedExport> requests() const;
  size_t request_count() const;
  // Waits until `pred(requests)` holds or `timeout` passes; returns the last result.
  bool wait_until(const std::function<bool(const std::vector<ReceivedExport>&)>& pred,
                  std::chrono::milliseconds timeout) const;

  // Spans of the protobuf trace exports answered 2xx, in arrival order.
  std::vector<DecodedSpan> spans() const;
  // Metrics requests (protobuf, answered 2xx), decoded.
  std::vector<DecodedMetrics> metrics() const;

 private:
  void handle(std::string path, net::HttpHeaders headers, std::string body,
              net::HttpResponder responder);

  std::unique_ptr<net::EventLoop> loop_;
  std::unique_ptr<net::HttpServer> server_;
  uint16_t port_ = 0;

  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<ReceivedExport> requests_;
  std::deque<int> statuses_;
  std::string retry_after_;
  bool black_hole_ = false;
  std::vector<net::HttpResponder> held_;
};

}  // namespace orbit::telemetry
