// AccessLog: one JSON line per request, to a stream the CDN's operator collects (stdout by
// default):
//
//   {"time":"2026-11-27T02:00:34.014Z","remote":"10.0.0.7:51234","method":"GET",
//    "path":"/acme/shop/routerconfigs/latest.json","status":304,"bytes":0,"durationMs":0.21,
//    "org":"acme","graph":"shop","tokenId":"q3Jx…","etag":"\"9f86…\""}
//
// `reason` appears on refusals ("missing_token", "expired", "wrong_graph", "revoked",
// "not_found" …). The query string, the token and other headers are not logged.
//
// Threading: write() from any thread; each line is written whole (one fwrite under a mutex).
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

#include "orbit/cdn/cdn_handler.h"

namespace orbit::cdn {

class AccessLog {
 public:
  // `out` null: logging off.
  explicit AccessLog(std::FILE* out) : out_(out) {}

  void write(const net::HttpRequest& request, int status, size_t bytes, double duration_ms,
             const AccessRecord& record);

  // The line write() would print, without the newline (tests).
  static std::string line(const net::HttpRequest& request, int status, size_t bytes,
                          double duration_ms, const AccessRecord& record);

 private:
  std::FILE* out_;
  std::mutex mu_;
};

}  // namespace orbit::cdn
