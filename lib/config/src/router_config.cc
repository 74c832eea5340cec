#include "orbit/config/router_config.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace orbit::config {

namespace {

template <typename T>
bool parse_unsigned(std::string_view text, T* out) {
  if (text.empty()) return false;
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return false;
  *out = value;
  return true;
}

// yaml-cpp reports problems by exception; this file is the only place that sees them (config
// loading is not on the data path), and everything leaves it as a Status.
class Reader {
 public:
  Reader(std::string_view source) : source_(source) {}

  Status error(const YAML::Node& node, std::string_view key, std::string_view what) const {
    std::string message(source_);
    if (node.IsDefined() && node.Mark().line >= 0)
      message += ":" + std::to_string(node.Mark().line + 1);
    message += ": ";
    message += key;
    message += ": ";
    message += what;
    return Status(ErrorCode::kInvalidArgument, std::move(message));
  }

  Status check_keys(const YAML::Node& map, std::string_view where,
                    std::initializer_list<std::string_view> allowed) const {
    if (!map.IsMap())
      return error(map, where.empty() ? "(top level)" : where, "expected a mapping");
    for (const auto& item : map) {
      std::string key = item.first.Scalar();
      bool known = false;
      for (std::string_view a : allowed)
        known = known || a == key;
      if (!known) {
        std::string full = where.empty() ? key : std::string(where) + "." + key;
        return error(item.first, full, "unknown key");
      }
    }
    return {};
  }

  Result<std::string> string(const YAML::Node& node, std::string_view key) const {
    if (!node.IsScalar()) return error(node, key, "expected a string");
    return node.Scalar();
  }

  template <typename T>
  Status integer(const YAML::Node& node, std::string_view key, T* out) const {
    if (!node.IsScalar() || !parse_unsigned(node.Scalar(), out))
      return error(node, key, "expected a non-negative integer");
    return {};
  }

  Status boolean(const YAML::Node& node, std::string_view key, bool* out) const {
    const std::string& s = node.IsScalar() ? node.Scalar() : std::string();
    if (s == "true") {
      *out = true;
    } else if (s == "false") {
      *out = false;
    } else {
      return error(node, key, "expected true or false");
    }
    return {};
  }

  Status duration(const YAML::Node& node, std::string_view key,
                  std::chrono::milliseconds* out) const {
    if (!node.IsScalar()) return error(node, key, "expected a duration (250ms, 2s, 1m)");
    auto d = parse_duration(node.Scalar());
    if (!d.ok()) return error(node, key, d.status().message());
    *out = *d;
    return {};
  }

 private:
  std::string_view source_;
};

Status read_config(const YAML::Node& root, const Reader& r, std::string_view base_dir,
                   RouterConfig& c) {
  if (root.IsNull()) return {};  // an empty file: all defaults
  ORBIT_RETURN_IF_ERROR(
      r.check_keys(root, "",
                   {"listen", "supergraph", "threads", "graphql_path", "include_query_plan",
                    "subgraph_defaults", "subgraphs", "limits"}));
  if (auto n = root["listen"]) {
    auto s = r.string(n, "listen");
    if (!s.ok()) return s.status();
    auto addr = parse_listen_address(*s);
    if (!addr.ok()) return r.error(n, "listen", addr.status().message());
    c.listen = *addr;
  }
  if (auto n = root["supergraph"]) {
    auto s = r.string(n, "supergraph");
    if (!s.ok()) return s.status();
    std::filesystem::path p(*s);
    if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
    c.supergraph_path = p.string();
  }
  if (auto n = root["threads"]) ORBIT_RETURN_IF_ERROR(r.integer(n, "threads", &c.threads));
  if (auto n = root["graphql_path"]) {
    auto s = r.string(n, "graphql_path");
    if (!s.ok()) return s.status();
    if (s->empty() || (*s)[0] != '/') return r.error(n, "graphql_path", "must start with '/'");
    c.graphql_path = *s;
  }
  if (auto n = root["include_query_plan"])
    ORBIT_RETURN_IF_ERROR(r.boolean(n, "include_query_plan", &c.include_query_plan));
  if (auto n = root["subgraph_defaults"]) {
    ORBIT_RETURN_IF_ERROR(r.check_keys(n, "subgraph_defaults", {"timeout"}));
    if (auto t = n["timeout"])
      ORBIT_RETURN_IF_ERROR(
          r.duration(t, "subgraph_defaults.timeout", &c.default_subgraph_timeout));
  }
  if (auto n = root["subgraphs"]) {
    if (!n.IsMap()) return r.error(n, "subgraphs", "expected a mapping of subgraph names");
    for (const auto& item : n) {
      std::string name = item.first.Scalar();
      std::string where = "subgraphs." + name;
      ORBIT_RETURN_IF_ERROR(r.check_keys(item.second, where, {"url", "timeout"}));
      SubgraphConfig sub;
      if (auto u = item.second["url"]) {
        auto s = r.string(u, where + ".url");
        if (!s.ok()) return s.status();
        sub.url = *s;
      }
      if (auto t = item.second["timeout"]) {
        std::chrono::milliseconds ms{};
        ORBIT_RETURN_IF_ERROR(r.duration(t, where + ".timeout", &ms));
        sub.timeout = ms;
      }
      c.subgraphs[name] = std::move(sub);
    }
  }
  if (auto n = root["limits"]) {
    ORBIT_RETURN_IF_ERROR(
        r.check_keys(n, "limits",
                     {"max_body_bytes", "max_document_bytes", "max_tokens", "max_depth",
                      "max_aliases", "max_directives", "max_subgraph_response_bytes"}));
    RouterLimits& l = c.limits;
    if (auto v = n["max_body_bytes"])
      ORBIT_RETURN_IF_ERROR(r.integer(v, "limits.max_body_bytes", &l.max_body_bytes));
    if (auto v = n["max_document_bytes"])
      ORBIT_RETURN_IF_ERROR(r.integer(v, "limits.max_document_bytes", &l.max_document_bytes));
    if (auto v = n["max_tokens"])
      ORBIT_RETURN_IF_ERROR(r.integer(v, "limits.max_tokens", &l.max_tokens));
    if (auto v = n["max_depth"]) {
      ORBIT_RETURN_IF_ERROR(r.integer(v, "limits.max_depth", &l.max_depth));
      // The parser's own bound keeps its recursion within any thread's stack.
      if (l.max_depth == 0 || l.max_depth > 256)
        return r.error(v, "limits.max_depth", "must be between 1 and 256");
    }
    if (auto v = n["max_aliases"])
      ORBIT_RETURN_IF_ERROR(r.integer(v, "limits.max_aliases", &l.max_aliases));
    if (auto v = n["max_directives"])
      ORBIT_RETURN_IF_ERROR(r.integer(v, "limits.max_directives", &l.max_directives));
    if (auto v = n["max_subgraph_response_bytes"])
      ORBIT_RETURN_IF_ERROR(
          r.integer(v, "limits.max_subgraph_response_bytes", &l.max_subgraph_response_bytes));
  }
  return {};
}

}  // namespace

std::string ListenAddress::to_string() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Result<ListenAddress> parse_listen_address(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status(ErrorCode::kInvalidArgument,
                  "invalid listen address \"" + std::string(text) + "\": " + std::string(why));
  };
  ListenAddress out;
  std::string_view host, port;
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return bad("expected [address]:port");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("expected host:port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return bad("write IPv6 addresses as [addr]:port");
  }
  if (host.empty()) return bad("missing host");
  uint32_t p = 0;
  if (!parse_unsigned(port, &p) || p > 65535) return bad("port must be a number from 0 to 65535");
  out.host = std::string(host);
  out.port = static_cast<uint16_t>(p);
  return out;
}

Result<std::chrono::milliseconds> parse_duration(std::string_view text) {
  auto bad = [&] {
    return Status(ErrorCode::kInvalidArgument,
                  "invalid duration \"" + std::string(text) + "\" (expected e.g. 250ms, 2s, 1m)");
  };
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
    ++digits;
  uint64_t value = 0;
  if (!parse_unsigned(text.substr(0, digits), &value)) return bad();
  std::string_view unit = text.substr(digits);
  uint64_t factor = 0;
  if (unit.empty() || unit == "ms") {
    factor = 1;
  } else if (unit == "s") {
    factor = 1000;
  } else if (unit == "m") {
    factor = 60'000;
  } else {
    return bad();
  }
  if (value > (uint64_t{1} << 40) / factor) return bad();
  return std::chrono::milliseconds(static_cast<int64_t>(value * factor));
}

std::chrono::milliseconds RouterConfig::subgraph_timeout(std::string_view name) const {
  auto it = subgraphs.find(name);
  if (it != subgraphs.end() && it->second.timeout) return *it->second.timeout;
  return default_subgraph_timeout;
}

Result<RouterConfig> parse_router_config(std::string_view yaml, std::string_view source_name,
                                         std::string_view base_dir) {
  RouterConfig config;
  Reader reader(source_name);
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    ORBIT_RETURN_IF_ERROR(read_config(root, reader, base_dir, config));
  } catch (const YAML::Exception& e) {
    std::string message(source_name);
    if (e.mark.line >= 0) message += ":" + std::to_string(e.mark.line + 1);
    return Status(ErrorCode::kInvalidArgument, message + ": " + e.msg);
  }
  return config;
}

Result<RouterConfig> load_router_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIo, "cannot read config file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status(ErrorCode::kIo, "cannot read config file " + path);
  std::string dir = std::filesystem::path(path).parent_path().string();
  return parse_router_config(ss.str(), path, dir);
}

}  // namespace orbit::config
