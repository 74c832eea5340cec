#include "orbit/config/artifact.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <initializer_list>
#include <set>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"

namespace orbit::config {

namespace {

// Nesting the format needs is 3 (document, subgraphs, entry); unknown fields get some room.
constexpr uint32_t kMaxDepth = 32;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "JSON parse error at offset 17: …" gains " (line 2, column 5)" after the offset.
std::string with_line_and_column(std::string message, std::string_view text) {
  static constexpr std::string_view kAt = "at offset ";
  size_t at = message.find(kAt);
  if (at == std::string::npos) return message;
  size_t start = at + kAt.size(), end = start;
  size_t offset = 0;
  while (end < message.size() && is_digit(message[end])) {
    offset = offset * 10 + static_cast<size_t>(message[end] - '0');
    ++end;
  }
  if (end == start || offset > text.size()) return message;
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  message.insert(end,
                 " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")");
  return message;
}

// A URL of one of `schemes` with a non-empty authority and no whitespace or control characters.
bool check_url(std::string_view url, std::initializer_list<std::string_view> schemes) {
  size_t colon = url.find("://");
  if (colon == std::string_view::npos) return false;
  std::string scheme;
  for (char c : url.substr(0, colon))
    scheme += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  bool known = false;
  for (std::string_view s : schemes)
    known = known || s == scheme;
  if (!known) return false;
  std::string_view rest = url.substr(colon + 3);
  size_t host_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, host_end);
  if (authority.empty() || authority[0] == ':' || authority[0] == '@') return false;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

class Reader {
 public:
  Reader(std::string_view source, const ArtifactLimits& limits)
      : source_(source), limits_(limits) {}

  Status error(std::string_view where, std::string_view what,
               ErrorCode code = ErrorCode::kInvalidArgument) const {
    std::string message(source_);
    message += ": ";
    if (!where.empty()) {
      message += where;
      message += ": ";
    }
    message += what;
    return Status(code, std::move(message));
  }

  static std::string member(std::string_view parent, std::string_view key) {
    return parent.empty() ? std::string(key) : std::string(parent) + "." + std::string(key);
  }

  // A required string member of the object at `parent`, at most `max_bytes` long.
  Status required_string(const JsonValue& object, std::string_view parent, std::string_view key,
                         size_t max_bytes, std::string* out) const {
    const JsonValue* v = object.find(key);
    if (v == nullptr || v->is_null()) return error(parent, "missing \"" + std::string(key) + "\"");
    return string_value(*v, member(parent, key), max_bytes, out);
  }

  // An optional string member (absent or null: `out` unchanged, *present false).
  Status optional_string(const JsonValue& object, std::string_view parent, std::string_view key,
                         size_t max_bytes, std::string* out, bool* present) const {
    const JsonValue* v = object.find(key);
    *present = v != nullptr && !v->is_null();
    if (!*present) return {};
    return string_value(*v, member(parent, key), max_bytes, out);
  }

  Status string_value(const JsonValue& v, std::string_view where, size_t max_bytes,
                      std::string* out) const {
    if (!v.is_string()) return error(where, "expected a string");
    if (v.as_string().size() > max_bytes) {
      return error(where,
                   "is " + std::to_string(v.as_string().size()) +
                       " bytes, more than the limit of " + std::to_string(max_bytes),
                   ErrorCode::kLimitExceeded);
    }
    *out = std::string(v.as_string());
    return {};
  }

  const ArtifactLimits& limits() const { return limits_; }

 private:
  std::string_view source_;
  const ArtifactLimits& limits_;
};

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s.size() > 200 ? s.substr(0, 200) : s);
  if (s.size() > 200) out.insert(out.size() - 1, "…");
  return out;
}

Status read_subgraph(const Reader& r, const JsonValue& entry, const std::string& where,
                     ArtifactSubgraph* out) {
  if (!entry.is_object()) return r.error(where, "expected an object");
  const ArtifactLimits& limits = r.limits();
  ORBIT_RETURN_IF_ERROR(r.required_string(entry, where, "name", limits.max_name_bytes, &out->name));
  if (out->name.empty()) return r.error(where + ".name", "must not be empty");
  for (char c : out->name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return r.error(where + ".name", "contains a control character");
  }
  ORBIT_RETURN_IF_ERROR(
      r.required_string(entry, where, "routingUrl", limits.max_url_bytes, &out->routing_url));
  if (!check_url(out->routing_url, {"http", "https"})) {
    return r.error(where + ".routingUrl",
                   "expected an http:// or https:// URL, got " + quoted(out->routing_url));
  }
  bool present = false;
  ORBIT_RETURN_IF_ERROR(r.optional_string(entry, where, "subscriptionUrl", limits.max_url_bytes,
                                          &out->subscription_url, &present));
  if (present && !out->subscription_url.empty() &&
      !check_url(out->subscription_url, {"http", "https", "ws", "wss"})) {
    return r.error(where + ".subscriptionUrl",
                   "expected an http(s):// or ws(s):// URL, got " + quoted(out->subscription_url));
  }
  std::string protocol;
  ORBIT_RETURN_IF_ERROR(
      r.optional_string(entry, where, "subscriptionProtocol", 64, &protocol, &present));
  if (present) {
    auto p = parse_subscription_protocol(protocol);
    if (!p) {
      return r.error(where + ".subscriptionProtocol",
                     "expected \"ws\", \"sse\" or \"sse_post\", got " + quoted(protocol));
    }
    out->subscription_protocol = *p;
  }
  return {};
}

Status read_artifact(const Reader& r, const JsonValue& root, RouterArtifact* out) {
  const ArtifactLimits& limits = r.limits();
  if (!root.is_object()) return r.error("", "expected a JSON object at the top level");

  // compatibilityVersion first: a newer format may not have the other fields this one needs.
  const JsonValue* compat = root.find("compatibilityVersion");
  if (compat == nullptr || compat->is_null())
    return r.error("", "missing \"compatibilityVersion\"");
  if (!compat->is_int64() || compat->as_int64() < 1)
    return r.error("compatibilityVersion", "expected a positive integer");
  out->compatibility_version = compat->as_int64();
  if (out->compatibility_version != kArtifactCompatibilityVersion) {
    return r.error("compatibilityVersion",
                   std::to_string(out->compatibility_version) +
                       " is not supported: this router reads artifacts of compatibility "
                       "version " +
                       std::to_string(kArtifactCompatibilityVersion) +
                       (out->compatibility_version > kArtifactCompatibilityVersion
                            ? " (upgrade orbit-router, or compose with a matching orbit)"
                            : ""));
  }

  ORBIT_RETURN_IF_ERROR(
      r.required_string(root, "", "version", limits.max_version_bytes, &out->version));
  if (out->version.empty()) return r.error("version", "must not be empty");
  for (char c : out->version) {
    if (c <= 0x20 || c >= 0x7f)
      return r.error("version",
                     "must be printable ASCII without spaces, got " + quoted(out->version));
  }

  ORBIT_RETURN_IF_ERROR(r.required_string(root, "", "createdAt", 64, &out->created_at));
  if (!is_rfc3339(out->created_at)) {
    return r.error("createdAt", "expected an RFC 3339 date-time (2025-05-01T10:00:00Z), got " +
                                    quoted(out->created_at));
  }

  ORBIT_RETURN_IF_ERROR(
      r.required_string(root, "", "supergraphSdl", limits.max_bytes, &out->supergraph_sdl));
  bool blank = true;
  for (char c : out->supergraph_sdl)
    blank = blank && is_space(c);
  if (blank) return r.error("supergraphSdl", "must not be empty");

  const JsonValue* subgraphs = root.find("subgraphs");
  if (subgraphs == nullptr || subgraphs->is_null()) return r.error("", "missing \"subgraphs\"");
  if (!subgraphs->is_array()) return r.error("subgraphs", "expected an array");
  if (subgraphs->size() > limits.max_subgraphs) {
    return r.error("subgraphs",
                   std::to_string(subgraphs->size()) + " entries, more than the limit of " +
                       std::to_string(limits.max_subgraphs),
                   ErrorCode::kLimitExceeded);
  }
  std::set<std::string, std::less<>> names;
  for (size_t i = 0; i < subgraphs->items().size(); ++i) {
    std::string where = "subgraphs[" + std::to_string(i) + "]";
    ArtifactSubgraph sub;
    ORBIT_RETURN_IF_ERROR(read_subgraph(r, subgraphs->items()[i], where, &sub));
    if (!names.insert(sub.name).second)
      return r.error(where + ".name", "subgraph " + quoted(sub.name) + " is listed twice");
    out->subgraphs.push_back(std::move(sub));
  }
  return {};
}

}  // namespace

std::string_view subscription_protocol_name(SubscriptionProtocol protocol) {
  switch (protocol) {
    case SubscriptionProtocol::kWs: return "ws";
    case SubscriptionProtocol::kSse: return "sse";
    case SubscriptionProtocol::kSsePost: return "sse_post";
  }
  return "ws";
}

std::optional<SubscriptionProtocol> parse_subscription_protocol(std::string_view text) {
  if (text == "ws") return SubscriptionProtocol::kWs;
  if (text == "sse") return SubscriptionProtocol::kSse;
  if (text == "sse_post") return SubscriptionProtocol::kSsePost;
  return std::nullopt;
}

const ArtifactSubgraph* RouterArtifact::subgraph(std::string_view name) const {
  for (const ArtifactSubgraph& s : subgraphs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Result<RouterArtifact> parse_artifact(std::string_view json, std::string_view source_name,
                                      const ArtifactLimits& limits) {
  Reader reader(source_name, limits);
  if (json.size() > limits.max_bytes) {
    return reader.error("",
                        "is " + std::to_string(json.size()) + " bytes, more than the limit of " +
                            std::to_string(limits.max_bytes),
                        ErrorCode::kLimitExceeded);
  }
  bool blank = true;
  for (char c : json)
    blank = blank && is_space(c);
  if (blank) return reader.error("", "empty (expected a JSON object)");

  Arena arena;
  JsonParseOptions options;
  options.max_depth = kMaxDepth;
  auto root = parse_json(json, arena, options);
  if (!root.ok()) {
    std::string message = with_line_and_column(root.status().message(), json);
    // Past the blank check, so both positions exist.
    if (json[json.find_first_not_of(" \t\r\n")] == '{' &&
        json[json.find_last_not_of(" \t\r\n")] != '}')
      message += " (the document ends before its closing brace: truncated?)";
    return reader.error("", "not valid JSON: " + message, root.status().code());
  }
  RouterArtifact artifact;
  ORBIT_RETURN_IF_ERROR(read_artifact(reader, *root, &artifact));
  return artifact;
}

std::string write_artifact(const RouterArtifact& artifact) {
  // Hand-indented so that the file reads well in a diff; the values are escaped by JsonWriter.
  auto str = [](std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
  };
  std::string out = "{\n";
  out += "  \"version\": " + str(artifact.version) + ",\n";
  out += "  \"createdAt\": " + str(artifact.created_at) + ",\n";
  out += "  \"compatibilityVersion\": " + std::to_string(artifact.compatibility_version) + ",\n";
  out += "  \"supergraphSdl\": " + str(artifact.supergraph_sdl) + ",\n";
  out += "  \"subgraphs\": [";
  for (size_t i = 0; i < artifact.subgraphs.size(); ++i) {
    const ArtifactSubgraph& s = artifact.subgraphs[i];
    out += i == 0 ? "\n" : ",\n";
    out += "    {\"name\": " + str(s.name) + ", \"routingUrl\": " + str(s.routing_url);
    if (!s.subscription_url.empty()) {
      out += ", \"subscriptionUrl\": " + str(s.subscription_url);
      out +=
          ", \"subscriptionProtocol\": " + str(subscription_protocol_name(s.subscription_protocol));
    }
    out += "}";
  }
  out += artifact.subgraphs.empty() ? "]\n" : "\n  ]\n";
  out += "}\n";
  return out;
}

bool is_rfc3339(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  auto digits = [&](size_t pos, size_t n) {
    if (pos + n > t.size()) return false;
    for (size_t i = pos; i < pos + n; ++i) {
      if (!is_digit(t[i])) return false;
    }
    return true;
  };
  auto number = [&](size_t pos, size_t n) {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i)
      v = v * 10 + (t[i] - '0');
    return v;
  };
  if (!digits(0, 4) || t.size() < 20 || t[4] != '-' || !digits(5, 2) || t[7] != '-' ||
      !digits(8, 2) || (t[10] != 'T' && t[10] != 't') || !digits(11, 2) || t[13] != ':' ||
      !digits(14, 2) || t[16] != ':' || !digits(17, 2)) {
    return false;
  }
  int month = number(5, 2), day = number(8, 2), hour = number(11, 2), minute = number(14, 2),
      second = number(17, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return false;
  size_t pos = 19;
  if (pos < t.size() && t[pos] == '.') {
    size_t start = ++pos;
    while (pos < t.size() && is_digit(t[pos]))
      ++pos;
    if (pos == start) return false;
  }
  if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) return pos + 1 == t.size();
  if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    return pos + 6 == t.size() && digits(pos + 1, 2) && t[pos + 3] == ':' && digits(pos + 4, 2) &&
           number(pos + 1, 2) <= 23 && number(pos + 4, 2) <= 59;
  }
  return false;
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

std::string now_rfc3339() {
  return rfc3339(std::chrono::system_clock::now());
}

}  // namespace orbit::config
