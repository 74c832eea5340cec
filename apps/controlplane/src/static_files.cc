#include "orbit/controlplane/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http_json.h"

namespace orbit::controlplane {
namespace {

namespace fs = std::filesystem;
using registry::api_error;
using registry::ApiCode;

// GraphiQL (the Playground) inlines styles and fonts as data: URLs, and queries the router of
// the user's choice; everything else comes from the control plane itself.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self' http: https: ws: wss:; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoded; nullopt for a bad escape or a decoded NUL.
std::optional<std::string> decode_path(std::string_view path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size()) return std::nullopt;
      int hi = hex_value(path[i + 1]);
      int lo = hex_value(path[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return std::nullopt;
    out += c;
  }
  return out;
}

ApiResponse not_found(std::string_view what) {
  return http_json::error(api_error(ApiCode::kNotFound, std::string(what)));
}

bool read_file(const fs::path& path, std::string* out) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec || size > StaticFiles::kMaxFileBytes) return false;
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

}  // namespace

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  root_ = ec ? root : canonical.string();
}

std::string_view StaticFiles::content_type(std::string_view name) {
  size_t dot = name.rfind('.');
  std::string ext;
  if (dot != std::string_view::npos)
    for (char c : name.substr(dot + 1))
      ext += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json; charset=utf-8";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff") return "font/woff";
  if (ext == "woff2") return "font/woff2";
  if (ext == "ttf") return "font/ttf";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "wasm") return "application/wasm";
  return "application/octet-stream";
}

void StaticFiles::add_security_headers(net::HttpHeaders& headers) {
  headers.set("Content-Security-Policy", kContentSecurityPolicy);
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "same-origin");
  headers.set("X-Frame-Options", "DENY");
}

ApiResponse StaticFiles::serve(const net::HttpRequest& request) const {
  ApiResponse r = [&]() -> ApiResponse {
    if (request.method != "GET" && request.method != "HEAD")
      return http_json::method_not_allowed(request.method, "GET, HEAD");
    auto decoded = decode_path(request.path());
    if (!decoded || decoded->empty() || decoded->front() != '/' ||
        decoded->find('\\') != std::string::npos)
      return not_found("no such file");
    // Segments: "." and ".." are refused rather than resolved.
    std::string_view rest = std::string_view(*decoded).substr(1);
    std::vector<std::string_view> segments;
    while (true) {
      size_t slash = rest.find('/');
      std::string_view seg = rest.substr(0, slash);
      if (seg == "." || seg == "..") return not_found("no such file");
      if (!seg.empty()) segments.push_back(seg);
      if (slash == std::string_view::npos) break;
      rest.remove_prefix(slash + 1);
    }
    fs::path file = root_;
    for (auto seg : segments)
      file /= std::string(seg);
    bool is_asset = !segments.empty() && segments.front() == "assets";
    bool looks_like_file = !segments.empty() && segments.back().find('.') != std::string::npos;
    std::error_code ec;
    bool found = !segments.empty() && fs::is_regular_file(file, ec);
    if (found) {
      // A symbolic link may not lead out of the directory.
      fs::path canonical = fs::canonical(file, ec);
      std::string c = canonical.string();
      if (ec || c.size() <= root_.size() || c.compare(0, root_.size(), root_) != 0 ||
          c[root_.size()] != '/')
        return not_found("no such file");
      file = canonical;
    } else if (is_asset || looks_like_file) {
      return not_found("no such file: " + decoded->substr(0, 200));
    } else {
      file = fs::path(root_) / "index.html";  // a client-side route
    }
    ApiResponse ok;
    if (!read_file(file, &ok.body))
      return not_found(file.filename() == "index.html"
                           ? "Studio's index.html is missing in " + root_
                           : "no such file");
    ok.status = 200;
    ok.headers.set("Content-Type", std::string(content_type(file.filename().string())));
    if (is_asset && found)
      ok.headers.set("Cache-Control", "public, max-age=31536000, immutable");
    else
      ok.headers.set("Cache-Control", "no-cache");
    if (request.method == "HEAD") ok.body.clear();
    return ok;
  }();
  add_security_headers(r.headers);
  return r;
}

std::string find_studio_dir(std::string_view executable) {
  std::vector<fs::path> candidates;
  std::error_code ec;
  fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (ec) exe = fs::path(executable);
  candidates.push_back(exe.parent_path().parent_path() / "share" / "orbit" / "studio");
#ifdef ORBIT_STUDIO_DIST
  candidates.emplace_back(ORBIT_STUDIO_DIST);
#endif
  for (const auto& dir : candidates)
    if (fs::is_regular_file(dir / "index.html", ec)) return dir.string();
  return "";
}

}  // namespace orbit::controlplane
