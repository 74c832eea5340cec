#include "orbit/config/router_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "yaml_reader.h"

namespace orbit::config {

using detail::iequal;
using detail::is_token;
using detail::parse_unsigned;
using detail::Reader;

namespace {

// Set by the router on every subgraph request, or about one connection only.
constexpr std::string_view kNotPropagated[] = {
    "accept",
    "accept-encoding",
    "connection",
    "content-encoding",
    "content-length",
    "content-type",
    "expect",
    "host",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
};

Status read_header_rules(const YAML::Node& n, const Reader& r, const std::string& where,
                         HeaderRules& rules) {
  ORBIT_RETURN_IF_ERROR(r.check_keys(n, where, {"propagate"}));
  const YAML::Node list = n["propagate"];
  if (!list) return {};
  std::string key = where + ".propagate";
  if (!list.IsSequence()) return r.error(list, key, "expected a list of header names");
  if (list.size() > 64) return r.error(list, key, "at most 64 header names");
  for (size_t i = 0; i < list.size(); ++i) {
    std::string item_key = key + "[" + std::to_string(i) + "]";
    auto name = r.string(list[i], item_key);
    if (!name.ok()) return name.status();
    if (!is_token(*name))
      return r.error(list[i], item_key, "\"" + *name + "\" is not a header name");
    for (std::string_view reserved : kNotPropagated) {
      if (iequal(*name, reserved))
        return r.error(list[i], item_key,
                       "\"" + *name + "\" is set by the router for each subgraph request");
    }
    rules.propagate.push_back(std::move(*name));
  }
  return {};
}

Status read_name_list(const YAML::Node& n, const Reader& r, const std::string& key,
                      std::vector<std::string>* out) {
  if (!n.IsSequence()) return r.error(n, key, "expected a list of header names");
  if (n.size() > 64) return r.error(n, key, "at most 64 header names");
  for (size_t i = 0; i < n.size(); ++i) {
    auto name = r.string(n[i], key);
    if (!name.ok()) return name.status();
    if (!is_token(*name)) return r.error(n[i], key, "\"" + *name + "\" is not a header name");
    out->push_back(std::move(*name));
  }
  return {};
}

Status read_cors(const YAML::Node& n, const Reader& r, CorsConfig& c) {
  ORBIT_RETURN_IF_ERROR(r.check_keys(
      n, "cors", {"origins", "allow_credentials", "allow_headers", "expose_headers", "max_age"}));
  if (auto v = n["origins"]) {
    if (!v.IsSequence() || v.size() == 0)
      return r.error(v, "cors.origins", "expected a non-empty list of origins");
    if (v.size() > 256) return r.error(v, "cors.origins", "at most 256 origins");
    for (size_t i = 0; i < v.size(); ++i) {
      auto o = r.string(v[i], "cors.origins");
      if (!o.ok()) return o.status();
      bool scheme = o->starts_with("http://") || o->starts_with("https://");
      if (*o != "*" &&
          (!scheme || o->back() == '/' || o->find('/', o->find("//") + 2) != std::string::npos))
        return r.error(v[i], "cors.origins",
                       "\"" + *o + "\" is not an origin (scheme://host[:port], no path) or \"*\"");
      c.origins.push_back(std::move(*o));
    }
  }
  if (auto v = n["allow_credentials"])
    ORBIT_RETURN_IF_ERROR(r.boolean(v, "cors.allow_credentials", &c.allow_credentials));
  if (c.allow_credentials && std::find(c.origins.begin(), c.origins.end(), "*") != c.origins.end())
    return r.error(n, "cors.allow_credentials",
                   "browsers refuse credentials with any origin (\"*\"): list the origins");
  if (auto v = n["allow_headers"])
    ORBIT_RETURN_IF_ERROR(read_name_list(v, r, "cors.allow_headers", &c.allow_headers));
  if (auto v = n["expose_headers"])
    ORBIT_RETURN_IF_ERROR(read_name_list(v, r, "cors.expose_headers", &c.expose_headers));
  if (auto v = n["max_age"]) {
    std::chrono::milliseconds ms{};
    ORBIT_RETURN_IF_ERROR(r.duration(v, "cors.max_age", &ms));
    c.max_age = std::chrono::duration_cast<std::chrono::seconds>(ms);
  }
  return {};
}

Status read_managed(const YAML::Node& n, const Reader& r, std::string_view base_dir,
                    ManagedConfig& m) {
  m.enabled = true;
  if (n.IsNull()) return {};  // `managed:` alone: everything from flags and the environment
  ORBIT_RETURN_IF_ERROR(
      r.check_keys(n, "managed",
                   {"graph_token", "cdn_urls", "signature_public_key", "state_dir", "poll_interval",
                    "poll_jitter", "request_timeout", "backoff"}));
  if (auto v = n["graph_token"]) {
    auto s = r.string(v, "managed.graph_token");
    if (!s.ok()) return s.status();
    m.graph_token = *s;
  }
  if (auto v = n["cdn_urls"]) {
    if (!v.IsSequence()) return r.error(v, "managed.cdn_urls", "expected a list of URLs");
    if (v.size() > 16) return r.error(v, "managed.cdn_urls", "at most 16 URLs");
    for (size_t i = 0; i < v.size(); ++i) {
      std::string key = "managed.cdn_urls[" + std::to_string(i) + "]";
      auto s = r.string(v[i], key);
      if (!s.ok()) return s.status();
      auto url = parse_cdn_url(*s);
      if (!url.ok()) return r.error(v[i], key, url.status().message());
      m.cdn_urls.push_back(std::move(*url));
    }
  }
  if (auto v = n["signature_public_key"])
    ORBIT_RETURN_IF_ERROR(
        r.path(v, "managed.signature_public_key", base_dir, &m.signature_public_key_path));
  if (auto v = n["state_dir"]) {
    ORBIT_RETURN_IF_ERROR(r.path(v, "managed.state_dir", base_dir, &m.state_dir));
  } else if (!base_dir.empty()) {
    m.state_dir = (std::filesystem::path(base_dir) / "orbit-state").string();
  }
  auto at_least = [&](const YAML::Node& v, std::string_view key, std::chrono::milliseconds* out,
                      int64_t min_ms) -> Status {
    ORBIT_RETURN_IF_ERROR(r.duration(v, key, out));
    if (out->count() < min_ms)
      return r.error(v, key, "must be at least " + std::to_string(min_ms) + "ms");
    return {};
  };
  if (auto v = n["poll_interval"])
    ORBIT_RETURN_IF_ERROR(at_least(v, "managed.poll_interval", &m.poll_interval, 10));
  if (auto v = n["poll_jitter"])
    ORBIT_RETURN_IF_ERROR(r.duration(v, "managed.poll_jitter", &m.poll_jitter));
  if (auto v = n["request_timeout"])
    ORBIT_RETURN_IF_ERROR(at_least(v, "managed.request_timeout", &m.request_timeout, 10));
  if (auto b = n["backoff"]) {
    ORBIT_RETURN_IF_ERROR(r.check_keys(b, "managed.backoff", {"initial", "max"}));
    if (auto v = b["initial"])
      ORBIT_RETURN_IF_ERROR(at_least(v, "managed.backoff.initial", &m.backoff_initial, 10));
    if (auto v = b["max"]) {
      ORBIT_RETURN_IF_ERROR(r.duration(v, "managed.backoff.max", &m.backoff_max));
      if (m.backoff_max < m.backoff_initial)
        return r.error(v, "managed.backoff.max", "must not be less than backoff.initial");
    }
  }
  return {};
}

Status read_config(const YAML::Node& root, const Reader& r, std::string_view base_dir,
                   RouterConfig& c, detail::TelemetryYamlFlags* telemetry_flags) {
  if (root.IsNull()) return {};  // an empty file: all defaults
  ORBIT_RETURN_IF_ERROR(
      r.check_keys(root, "",
                   {"listen", "artifact", "supergraph", "watch", "threads", "graphql_path",
                    "include_query_plan", "subgraph_defaults", "subgraphs", "limits", "headers",
                    "deduplication", "batching", "managed", "cors", "telemetry"}));
  if (auto n = root["listen"]) {
    auto s = r.string(n, "listen");
    if (!s.ok()) return s.status();
    auto addr = parse_listen_address(*s);
    if (!addr.ok()) return r.error(n, "listen", addr.status().message());
    c.listen = *addr;
  }
  if (auto n = root["artifact"])
    ORBIT_RETURN_IF_ERROR(r.path(n, "artifact", base_dir, &c.artifact_path));
  if (auto n = root["supergraph"]) {
    if (root["artifact"])
      return r.error(n, "supergraph", "set either artifact or supergraph, not both");
    ORBIT_RETURN_IF_ERROR(r.path(n, "supergraph", base_dir, &c.supergraph_path));
  }
  if (auto n = root["watch"]) {
    ORBIT_RETURN_IF_ERROR(r.check_keys(n, "watch", {"enabled", "debounce", "poll_interval"}));
    if (auto v = n["enabled"])
      ORBIT_RETURN_IF_ERROR(r.boolean(v, "watch.enabled", &c.watch.enabled));
    if (auto v = n["debounce"])
      ORBIT_RETURN_IF_ERROR(r.duration(v, "watch.debounce", &c.watch.debounce));
    if (auto v = n["poll_interval"]) {
      ORBIT_RETURN_IF_ERROR(r.duration(v, "watch.poll_interval", &c.watch.poll_interval));
      if (c.watch.poll_interval.count() < 10)
        return r.error(v, "watch.poll_interval", "must be at least 10ms");
    }
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
  if (auto n = root["managed"]) {
    if (root["artifact"] || root["supergraph"])
      return r.error(n, "managed",
                     "a managed router gets its graph from the CDN: remove artifact / supergraph");
    ORBIT_RETURN_IF_ERROR(read_managed(n, r, base_dir, c.managed));
  }
  if (auto n = root["deduplication"]) {
    ORBIT_RETURN_IF_ERROR(r.check_keys(n, "deduplication", {"inbound", "subgraph_requests"}));
    if (auto v = n["inbound"])
      ORBIT_RETURN_IF_ERROR(r.boolean(v, "deduplication.inbound", &c.deduplication.inbound));
    if (auto v = n["subgraph_requests"]) {
      ORBIT_RETURN_IF_ERROR(
          r.boolean(v, "deduplication.subgraph_requests", &c.deduplication.subgraph_requests));
    }
  }
  if (auto n = root["cors"]) ORBIT_RETURN_IF_ERROR(read_cors(n, r, c.cors));
  if (auto n = root["telemetry"])
    ORBIT_RETURN_IF_ERROR(detail::read_telemetry(n, r, c.telemetry, telemetry_flags));
  if (auto n = root["batching"]) {
    ORBIT_RETURN_IF_ERROR(r.check_keys(n, "batching", {"entity_fetches"}));
    if (auto v = n["entity_fetches"])
      ORBIT_RETURN_IF_ERROR(r.boolean(v, "batching.entity_fetches", &c.batching.entity_fetches));
  }
  if (auto n = root["headers"]) {
    ORBIT_RETURN_IF_ERROR(r.check_keys(n, "headers", {"all", "subgraphs"}));
    if (auto a = n["all"])
      ORBIT_RETURN_IF_ERROR(read_header_rules(a, r, "headers.all", c.headers.all));
    if (auto subs = n["subgraphs"]) {
      if (!subs.IsMap())
        return r.error(subs, "headers.subgraphs", "expected a mapping of subgraph names");
      for (const auto& item : subs) {
        std::string name = item.first.Scalar();
        ORBIT_RETURN_IF_ERROR(read_header_rules(item.second, r, "headers.subgraphs." + name,
                                                c.headers.subgraphs[name]));
      }
    }
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

bool CorsConfig::allows(std::string_view origin) const {
  for (const std::string& o : origins) {
    if (o == "*" || iequal(o, origin)) return true;
  }
  return false;
}

std::chrono::milliseconds RouterConfig::subgraph_timeout(std::string_view name) const {
  auto it = subgraphs.find(name);
  if (it != subgraphs.end() && it->second.timeout) return *it->second.timeout;
  return default_subgraph_timeout;
}

std::vector<std::string> HeadersConfig::propagated_to(std::string_view subgraph) const {
  std::vector<std::string> out;
  auto add = [&](const HeaderRules& rules) {
    for (const std::string& name : rules.propagate) {
      bool seen = false;
      for (const std::string& o : out)
        seen = seen || iequal(o, name);
      if (!seen) out.push_back(name);
    }
  };
  add(all);
  auto it = subgraphs.find(subgraph);
  if (it != subgraphs.end()) add(it->second);
  return out;
}

Result<std::string> parse_cdn_url(std::string_view text) {
  std::string_view rest;
  if (text.substr(0, 7) == "http://") {
    rest = text.substr(7);
  } else if (text.substr(0, 8) == "https://") {
    rest = text.substr(8);
  } else {
    return Status(ErrorCode::kInvalidArgument,
                  "expected an http:// or https:// URL, got \"" + std::string(text) + "\"");
  }
  if (rest.empty() || rest[0] == '/')
    return Status(ErrorCode::kInvalidArgument, "\"" + std::string(text) + "\" has no host");
  for (char ch : text) {
    if (ch <= 0x20 || ch >= 0x7f || ch == '?' || ch == '#')
      return Status(ErrorCode::kInvalidArgument,
                    "\"" + std::string(text) +
                        "\": a CDN URL is scheme, host, port and an optional path prefix");
  }
  while (!text.empty() && text.back() == '/')
    text.remove_suffix(1);
  return std::string(text);
}

Status finish_managed_config(RouterConfig& config, const EnvLookup& env) {
  ManagedConfig& m = config.managed;
  if (!m.enabled) return {};
  auto missing = [](std::string what) {
    return Status(ErrorCode::kInvalidArgument, "managed mode: " + what);
  };
  if (!config.artifact_path.empty() || !config.supergraph_path.empty())
    return missing(
        "the graph comes from the CDN; do not set an artifact or supergraph file as well");
  if (m.graph_token.empty()) {
    if (std::optional<std::string> token = env(kGraphTokenEnv)) m.graph_token = *token;
  }
  if (m.graph_token.empty())
    return missing("no graph token (set " + std::string(kGraphTokenEnv) +
                   " or managed.graph_token)");
  if (m.cdn_urls.empty()) return missing("no CDN URL (managed.cdn_urls or --cdn-url)");
  if (m.signature_public_key_path.empty())
    return missing(
        "no public key to verify config artifacts with (managed.signature_public_key or "
        "--signature-public-key)");
  if (m.state_dir.empty()) m.state_dir = "orbit-state";
  return {};
}

std::optional<std::string> process_env(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

Result<std::string> expand_env(std::string_view text, const EnvLookup& env) {
  static constexpr std::string_view kOpen = "${env.";
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, kOpen.size(), kOpen) != 0) {
      out += text[i++];
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string_view::npos) {
      return Status(ErrorCode::kInvalidArgument,
                    "unterminated \"${env.\" (write ${env.NAME} or ${env.NAME:-fallback})");
    }
    std::string_view inner = text.substr(i + kOpen.size(), close - i - kOpen.size());
    std::optional<std::string_view> fallback;
    if (size_t dash = inner.find(":-"); dash != std::string_view::npos) {
      fallback = inner.substr(dash + 2);
      inner = inner.substr(0, dash);
    }
    bool valid = !inner.empty() && !(inner[0] >= '0' && inner[0] <= '9');
    for (char c : inner) {
      valid = valid && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_');
    }
    if (!valid) {
      return Status(ErrorCode::kInvalidArgument,
                    "invalid environment variable name \"" + std::string(inner) + "\"");
    }
    std::optional<std::string> value = env(inner);
    if (!value || value->empty()) {
      if (!fallback) {
        return Status(ErrorCode::kInvalidArgument,
                      "environment variable " + std::string(inner) + " is not set");
      }
      out += *fallback;
    } else {
      out += *value;
    }
    i = close + 1;
  }
  return out;
}

Result<RouterConfig> parse_router_config(std::string_view yaml, std::string_view source_name,
                                         std::string_view base_dir, const EnvLookup& env) {
  RouterConfig config;
  Reader reader(source_name, env);
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    detail::TelemetryYamlFlags telemetry_flags;
    ORBIT_RETURN_IF_ERROR(read_config(root, reader, base_dir, config, &telemetry_flags));
    Status env_status = detail::apply_otel_env(config.telemetry, telemetry_flags, env);
    if (!env_status.ok())
      return Status(ErrorCode::kInvalidArgument,
                    std::string(source_name) + ": " + env_status.message());
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
