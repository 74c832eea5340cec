#include "orbit/router/last_known_good.h"

#include <filesystem>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/config/atomic_file.h"
#include "orbit/config/graph_file.h"
#include "orbit/security/encoding.h"

namespace orbit::router {

namespace {

constexpr std::string_view kFormat = "orbit-last-known-good";
constexpr int64_t kFormatVersion = 1;
// The artifact limit, plus room for its JSON escaping and the envelope.
constexpr size_t kMaxBytes = 2 * 64 * 1024 * 1024 + 64 * 1024;

}  // namespace

std::string last_known_good_path(const std::string& state_dir, const std::string& org,
                                 const std::string& graph) {
  return (std::filesystem::path(state_dir) / org / graph / "last-known-good.json").string();
}

Status write_last_known_good(const std::string& path, const LastKnownGood& lkg) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec)
    return Status(ErrorCode::kIo, std::filesystem::path(path).parent_path().string() +
                                      ": cannot create the directory (" + ec.message() + ")");
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("format").string(kFormat);
  w.key("formatVersion").integer(kFormatVersion);
  w.key("org").string(lkg.org);
  w.key("graph").string(lkg.graph);
  w.key("etag").string(lkg.etag);
  w.key("signature").string(security::base64_encode(lkg.signature));
  w.key("source").string(lkg.source);
  w.key("savedAt").string(lkg.saved_at);
  w.key("artifact").string(lkg.artifact);
  w.end_object();
  out += '\n';
  return config::write_file_atomic(path, out, 0600);
}

Result<LastKnownGood> read_last_known_good(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Status(ErrorCode::kNotFound, path + ": no last-known-good config yet");
  auto text = config::read_file_limited(path, kMaxBytes);
  if (!text.ok()) return text.status();
  auto bad = [&](std::string_view what) {
    return Status(ErrorCode::kInvalidArgument, path + ": " + std::string(what));
  };
  Arena arena;
  JsonParseOptions options;
  options.max_depth = 4;
  auto json = parse_json(*text, arena, options);
  if (!json.ok()) return bad("not valid JSON (" + json.status().message() + ")");
  if (!json->is_object()) return bad("not a last-known-good file");
  const JsonValue* format = json->find("format");
  if (format == nullptr || format->as_string() != kFormat)
    return bad("not a last-known-good file (format)");
  const JsonValue* version = json->find("formatVersion");
  if (version == nullptr || !version->is_int64() || version->as_int64() != kFormatVersion)
    return bad("formatVersion: this router reads version 1");
  LastKnownGood out;
  for (auto [key, field] : {std::pair{"org", &out.org},
                            {"graph", &out.graph},
                            {"etag", &out.etag},
                            {"source", &out.source},
                            {"savedAt", &out.saved_at},
                            {"artifact", &out.artifact}}) {
    const JsonValue* v = json->find(key);
    if (v == nullptr || !v->is_string()) return bad(std::string(key) + ": expected a string");
    *field = std::string(v->as_string());
  }
  const JsonValue* signature = json->find("signature");
  std::optional<std::string> raw =
      signature != nullptr ? security::base64_decode(signature->as_string()) : std::nullopt;
  if (!raw) return bad("signature: expected base64");
  out.signature = std::move(*raw);
  return out;
}

}  // namespace orbit::router
