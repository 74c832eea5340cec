#include "orbit/cdn/access_log.h"

#include <cmath>

#include "orbit/base/json_writer.h"
#include "orbit/config/artifact.h"

namespace orbit::cdn {

namespace {

// Printable ASCII as it is, every other byte as %XX: a log line stays one line of valid
// JSON whatever the client sent.
std::string printable(std::string_view s, size_t max) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s.substr(0, max)) {
    auto b = static_cast<unsigned char>(ch);
    if (b >= 0x21 && b <= 0x7e) {
      out += ch;
    } else {
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 15];
    }
  }
  return out;
}

}  // namespace

std::string AccessLog::line(const net::HttpRequest& request, int status, size_t bytes,
                            double duration_ms, const AccessRecord& record) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("time").string(config::now_rfc3339());
  w.key("remote").string(printable(request.remote_address, 64));
  w.key("method").string(printable(request.method, 16));
  w.key("path").string(printable(request.path(), 512));
  w.key("status").integer(status);
  w.key("bytes").integer(static_cast<int64_t>(bytes));
  w.key("durationMs").number(std::round(duration_ms * 1000) / 1000);
  if (!record.org.empty()) w.key("org").string(printable(record.org, 64));
  if (!record.graph.empty()) w.key("graph").string(printable(record.graph, 64));
  if (!record.token_id.empty()) w.key("tokenId").string(record.token_id);
  if (!record.etag.empty()) w.key("etag").string(record.etag);
  if (!record.reason.empty()) w.key("reason").string(record.reason);  // ours: ASCII
  w.end_object();
  return out;
}

void AccessLog::write(const net::HttpRequest& request, int status, size_t bytes, double duration_ms,
                      const AccessRecord& record) {
  if (out_ == nullptr) return;
  std::string text = line(request, status, bytes, duration_ms, record);
  text += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace orbit::cdn
