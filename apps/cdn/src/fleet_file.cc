#include "orbit/cdn/fleet_file.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"

namespace orbit::cdn {

namespace {

constexpr size_t kMaxIdBytes = 64;
constexpr size_t kMaxHostBytes = 253;
constexpr size_t kMaxOrbitVersionBytes = 64;
constexpr size_t kMaxConfigVersionBytes = 128;
constexpr size_t kMaxTokenIdBytes = 128;
constexpr int64_t kMaxPollIntervalSeconds = 86'400;

bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool printable(char c) {
  return c >= 0x20 && c <= 0x7e;
}

template <typename Pred>
bool all_chars(std::string_view s, size_t max, Pred ok) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s)
    if (!ok(c)) return false;
  return true;
}

// A value of the allowed shape, else "" (an optional field the router got wrong is dropped,
// the sighting is kept).
template <typename Pred>
std::string checked(std::optional<std::string_view> value, size_t max, Pred ok) {
  if (!value) return {};
  return all_chars(*value, max, ok) ? std::string(*value) : std::string();
}

int64_t interval_of(std::optional<std::string_view> value) {
  if (!value || value->empty() || value->size() > 6) return 0;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size()) return 0;
  return n >= 1 && n <= kMaxPollIntervalSeconds ? n : 0;
}

}  // namespace

std::optional<RouterSighting> sighting_from_headers(const net::HttpHeaders& headers) {
  std::optional<std::string_view> id = headers.get(kRouterIdHeader);
  if (!id || !all_chars(*id, kMaxIdBytes, id_char)) return std::nullopt;
  RouterSighting s;
  s.id = std::string(*id);
  s.host = checked(headers.get(kRouterHostHeader), kMaxHostBytes, host_char);
  s.orbit_version = checked(headers.get(kRouterVersionHeader), kMaxOrbitVersionBytes, printable);
  s.config_version = checked(headers.get(kConfigVersionHeader), kMaxConfigVersionBytes, printable);
  s.poll_interval_seconds = interval_of(headers.get(kPollIntervalHeader));
  return s;
}

std::string fleet_file_path(const std::string& root, std::string_view org, std::string_view graph) {
  return (std::filesystem::path(root) / std::string(org) / std::string(graph) /
          std::string(kFleetFileName))
      .string();
}

std::string write_fleet_file(std::string_view org, std::string_view graph,
                             const std::vector<RouterSighting>& routers) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("format").string("orbit-cdn-routers");
  w.key("formatVersion").integer(1);
  w.key("org").string(org);
  w.key("graph").string(graph);
  w.key("routers").begin_array();
  for (const RouterSighting& r : routers) {
    w.begin_object();
    w.key("id").string(r.id);
    w.key("host").string(r.host);
    w.key("orbitVersion").string(r.orbit_version);
    w.key("configVersion").string(r.config_version);
    w.key("pollIntervalSeconds").integer(r.poll_interval_seconds);
    w.key("tokenId").string(r.token_id);
    w.key("firstSeenMs").integer(r.first_seen_ms);
    w.key("lastSeenMs").integer(r.last_seen_ms);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  out += '\n';
  return out;
}

Result<std::vector<RouterSighting>> parse_fleet_file(std::string_view text) {
  Arena arena;
  JsonParseOptions options;
  options.max_depth = 4;
  options.max_bytes = kMaxFleetFileBytes;
  auto root = parse_json(text, arena, options);
  if (!root.ok()) return root.status();
  auto invalid = [](std::string what) { return Status(ErrorCode::kInvalidArgument, what); };
  if (!root->is_object()) return invalid("not a JSON object");
  const JsonValue* format = root->find("format");
  if (format == nullptr || format->as_string() != "orbit-cdn-routers")
    return invalid("format: expected \"orbit-cdn-routers\"");
  const JsonValue* version = root->find("formatVersion");
  if (version == nullptr || !version->is_int64() || version->as_int64() != 1)
    return invalid("formatVersion: expected 1");
  const JsonValue* routers = root->find("routers");
  if (routers == nullptr || !routers->is_array()) return invalid("routers: expected an array");
  std::vector<RouterSighting> out;
  out.reserve(routers->size());
  auto text_of = [](const JsonValue& o, std::string_view key, size_t max) {
    const JsonValue* v = o.find(key);
    if (v == nullptr || !v->is_string() || v->as_string().size() > max) return std::string();
    return std::string(v->as_string());
  };
  auto int_of = [](const JsonValue& o, std::string_view key) -> int64_t {
    const JsonValue* v = o.find(key);
    return v != nullptr && v->is_int64() ? v->as_int64() : 0;
  };
  for (const JsonValue& item : routers->items()) {
    if (!item.is_object()) continue;
    RouterSighting s;
    s.id = text_of(item, "id", kMaxIdBytes);
    if (!all_chars(s.id, kMaxIdBytes, id_char)) continue;
    s.host = text_of(item, "host", kMaxHostBytes);
    s.orbit_version = text_of(item, "orbitVersion", kMaxOrbitVersionBytes);
    s.config_version = text_of(item, "configVersion", kMaxConfigVersionBytes);
    s.token_id = text_of(item, "tokenId", kMaxTokenIdBytes);
    s.poll_interval_seconds = int_of(item, "pollIntervalSeconds");
    if (s.poll_interval_seconds < 0 || s.poll_interval_seconds > kMaxPollIntervalSeconds)
      s.poll_interval_seconds = 0;
    s.first_seen_ms = int_of(item, "firstSeenMs");
    s.last_seen_ms = int_of(item, "lastSeenMs");
    if (s.last_seen_ms <= 0) continue;
    if (s.first_seen_ms <= 0 || s.first_seen_ms > s.last_seen_ms) s.first_seen_ms = s.last_seen_ms;
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<RouterSighting>> read_fleet_file(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory)
      return Status(ErrorCode::kNotFound, path + ": no such file");
    return Status(ErrorCode::kIo, path + ": " + ec.message());
  }
  if (size > kMaxFleetFileBytes)
    return Status(ErrorCode::kLimitExceeded,
                  path + ": larger than " + std::to_string(kMaxFleetFileBytes) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIo, path + ": cannot be opened (" + strerror(errno) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  auto parsed = parse_fleet_file(ss.str());
  if (!parsed.ok()) return Status(parsed.status().code(), path + ": " + parsed.status().message());
  return parsed;
}

}  // namespace orbit::cdn
