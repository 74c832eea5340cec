// StaticFiles: Studio's built files (studio/dist) served at `/` by orbit-controlplane.
//
//   GET /assets/index-3f2a.js  ─► the file, Content-Type by extension,
//                                 Cache-Control: public, max-age=31536000, immutable
//   GET /  ·  GET /graphs/shop ─► index.html (client-side routes), Cache-Control: no-cache
//   GET /missing.png           ─► 404 (a path with an extension is a file or nothing)
//   GET /../etc/passwd, %2e%2e, a symlink out of the directory ─► 404
//
// Every answer carries the security headers (Content-Security-Policy with
// frame-ancestors 'none', X-Content-Type-Options nosniff, Referrer-Policy same-origin,
// X-Frame-Options DENY). Files are read on each request (Vite's hashed names make caching a
// browser matter; index.html changes with every build).
//
// Threading: const after construction; serve() may run on any thread.
#pragma once

#include <string>
#include <string_view>

#include "orbit/controlplane/api_handler.h"
#include "orbit/net/http_server.h"

namespace orbit::controlplane {

class StaticFiles {
 public:
  static constexpr size_t kMaxFileBytes = 64 << 20;

  // `root`: the directory holding index.html.
  explicit StaticFiles(std::string root);

  const std::string& root() const { return root_; }
  // GET and HEAD of any path outside /v1 (HEAD: the headers of GET, no body).
  ApiResponse serve(const net::HttpRequest& request) const;

  // "text/html; charset=utf-8", … by the file name's extension; application/octet-stream
  // when unknown.
  static std::string_view content_type(std::string_view file_name);
  static void add_security_headers(net::HttpHeaders& headers);

 private:
  std::string root_;  // canonical
};

// The default of --studio-dir: DIR/../share/orbit/studio beside the executable (installed),
// else the source tree's studio/dist (built); "" when neither holds an index.html.
std::string find_studio_dir(std::string_view executable);

}  // namespace orbit::controlplane
