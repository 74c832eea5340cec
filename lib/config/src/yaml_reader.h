// The YAML reader of lib/config's parsers (router config and its telemetry section): every
// problem leaves as a Status naming the source, the line and the key. Internal to lib/config.
#pragma once

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include "orbit/config/router_config.h"

namespace orbit::config::detail {

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
  Reader(std::string_view source, const EnvLookup& env) : source_(source), env_(env) {}

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

  // A scalar's text with environment variables expanded; an error naming the key when it is
  // not a scalar (`expected` says what it should be) or names an unset variable.
  Result<std::string> scalar(const YAML::Node& node, std::string_view key,
                             std::string_view expected) const {
    if (!node.IsScalar()) return error(node, key, expected);
    auto expanded = expand_env(node.Scalar(), env_);
    if (!expanded.ok()) return error(node, key, expanded.status().message());
    return std::move(*expanded);
  }

  Result<std::string> string(const YAML::Node& node, std::string_view key) const {
    return scalar(node, key, "expected a string");
  }

  template <typename T>
  Status integer(const YAML::Node& node, std::string_view key, T* out) const {
    static constexpr std::string_view kExpected = "expected a non-negative integer";
    auto s = scalar(node, key, kExpected);
    if (!s.ok()) return s.status();
    if (!parse_unsigned(*s, out)) return error(node, key, kExpected);
    return {};
  }

  Status boolean(const YAML::Node& node, std::string_view key, bool* out) const {
    auto text = scalar(node, key, "expected true or false");
    if (!text.ok()) return text.status();
    const std::string& s = *text;
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
    auto s = scalar(node, key, "expected a duration (250ms, 2s, 1m)");
    if (!s.ok()) return s.status();
    auto d = parse_duration(*s);
    if (!d.ok()) return error(node, key, d.status().message());
    *out = *d;
    return {};
  }

  // A file path, relative to `base_dir` unless absolute.
  Status path(const YAML::Node& node, std::string_view key, std::string_view base_dir,
              std::string* out) const {
    auto s = string(node, key);
    if (!s.ok()) return s.status();
    if (s->empty()) return error(node, key, "must not be empty");
    std::filesystem::path p(*s);
    if (p.is_relative() && !base_dir.empty()) p = std::filesystem::path(base_dir) / p;
    *out = p.string();
    return {};
  }

 private:
  std::string_view source_;
  const EnvLookup& env_;
};

inline bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + 32) : ch; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// RFC 9110 token characters.
inline bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char ch : s) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// What the YAML set itself, so that the OTEL_* environment variables do not override it.
struct TelemetryYamlFlags {
  bool service_name = false;
  bool exporters = false;
  bool sampler = false;
  bool propagation = false;
};

// The `telemetry:` section (telemetry_config.cc).
Status read_telemetry(const YAML::Node& n, const Reader& r, TelemetryConfig& t,
                      TelemetryYamlFlags* flags);
// Completes `t` from OTEL_SDK_DISABLED, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
// OTEL_TRACES_SAMPLER(_ARG), OTEL_PROPAGATORS and OTEL_EXPORTER_OTLP_* (one more exporter).
Status apply_otel_env(TelemetryConfig& t, const TelemetryYamlFlags& flags, const EnvLookup& env);

}  // namespace orbit::config::detail
