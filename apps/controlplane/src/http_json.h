// Small helpers shared by the API's routes (api_handler.cc, usage_api.cc, auth.cc,
// user_routes.cc, audit_log.cc): JSON responses in the API's error shape, a strict JSON object
// body of string fields, query parameters, and the list pagination of docs/api.md (?limit,
// ?cursor ↔ nextCursor).
#pragma once

#include <charconv>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/controlplane/api_handler.h"
#include "orbit/registry/error.h"
#include "orbit/registry/model.h"
#include "orbit/security/encoding.h"

namespace orbit::controlplane::http_json {

inline ApiResponse json(int status, std::string body) {
  ApiResponse r;
  r.status = status;
  r.headers.set("Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

inline ApiResponse error(const registry::ApiError& e) {
  return json(registry::api_code_http_status(e.code), e.to_json());
}

inline ApiResponse method_not_allowed(std::string_view method, std::string allow) {
  ApiResponse r = error(registry::api_error(
      registry::ApiCode::kMethodNotAllowed,
      std::string(method.substr(0, 16)) + " is not allowed here; use " + allow));
  r.headers.set("Allow", std::move(allow));
  return r;
}

// A JSON object of string fields; finish() refuses keys nobody asked for.
class StringBody {
 public:
  static registry::Expected<StringBody> parse(const std::string& text) {
    StringBody body;
    if (text.empty())
      return registry::api_error(registry::ApiCode::kInvalidJson, "the request needs a JSON body");
    JsonParseOptions options;
    options.max_depth = 4;
    auto value = parse_json(text, *body.arena_, options);
    if (!value.ok())
      return registry::api_error(registry::ApiCode::kInvalidJson,
                                 "the body is not JSON: " + value.status().message());
    if (!value->is_object())
      return registry::api_error(registry::ApiCode::kInvalidJson, "the body must be a JSON object");
    body.root_ = *value;
    return body;
  }

  bool has(std::string_view key) const {
    const JsonValue* v = root_.find(key);
    return v != nullptr && !v->is_null();
  }
  registry::Expected<std::optional<std::string>> string(std::string_view key, bool required) {
    used_.emplace_back(key);
    const JsonValue* v = root_.find(key);
    if (v == nullptr || v->is_null()) {
      if (required)
        return registry::api_error(registry::ApiCode::kInvalidArgument,
                                   std::string(key) + ": required");
      return std::optional<std::string>();
    }
    if (!v->is_string())
      return registry::api_error(registry::ApiCode::kInvalidArgument,
                                 std::string(key) + ": expected a string");
    return std::optional<std::string>(std::string(v->as_string()));
  }
  registry::Outcome finish() const {
    for (const JsonMember& m : root_.members()) {
      bool known = false;
      for (const auto& k : used_)
        known = known || k == m.key;
      if (!known) {
        std::string quoted;
        append_json_string(quoted, m.key.substr(0, 64));
        return registry::api_error(registry::ApiCode::kInvalidArgument, "unknown key " + quoted);
      }
    }
    return registry::Done{};
  }

 private:
  StringBody() : arena_(std::make_shared<Arena>()) {}
  std::shared_ptr<Arena> arena_;
  JsonValue root_;
  std::vector<std::string> used_;
};

// The raw value of `name` in a query string (not decoded); nullopt when absent.
inline std::optional<std::string_view> query_param(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    size_t eq = pair.find('=');
    if (pair.substr(0, eq) == name)
      return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

// The value of `name` with %XX escapes decoded ('+' stays '+': time offsets).
inline std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  std::optional<std::string_view> raw = query_param(query, name);
  if (!raw) return std::nullopt;
  auto hex = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  std::string_view v = *raw;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size() && hex(v[i + 1]) >= 0 && hex(v[i + 2]) >= 0) {
      out += static_cast<char>(hex(v[i + 1]) * 16 + hex(v[i + 2]));
      i += 2;
    } else {
      out += v[i];
    }
  }
  return out;
}

// An integer parameter within [min, max]; nullopt when absent.
inline registry::Expected<std::optional<int64_t>> int_param(std::string_view query,
                                                            std::string_view name, int64_t min,
                                                            int64_t max) {
  auto text = query_param(query, name);
  if (!text) return std::optional<int64_t>();
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max)
    return registry::api_error(registry::ApiCode::kInvalidArgument,
                               std::string(name) + ": expected an integer from " +
                                   std::to_string(min) + " to " + std::to_string(max));
  return std::optional<int64_t>(v);
}

// ?limit=1..100 (default 50) and ?cursor=<nextCursor>.
inline constexpr int64_t kMaxPageLimit = 100;
inline registry::Expected<registry::PageRequest> page_of(std::string_view query) {
  registry::PageRequest page;
  auto limit = int_param(query, "limit", 1, kMaxPageLimit);
  if (!limit.ok()) return limit.error();
  if (*limit) page.limit = static_cast<size_t>(**limit);
  if (auto cursor = query_param(query, "cursor"); cursor && !cursor->empty()) {
    auto decoded = security::base64url_decode(*cursor);
    if (!decoded || decoded->size() > 256)
      return registry::api_error(registry::ApiCode::kInvalidArgument,
                                 "cursor: not a cursor of this list");
    page.after = *decoded;
  }
  return page;
}

template <typename T, typename F>
std::string page_json(const registry::Page<T>& page, F write_item) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("items").begin_array();
  for (const T& item : page.items)
    write_item(w, item);
  w.end_array().key("nextCursor");
  if (page.next_after.empty())
    w.null();
  else
    w.string(security::base64url_encode(page.next_after));
  w.end_object();
  return out;
}

inline void nullable(JsonWriter& w, const std::string& s) {
  if (s.empty())
    w.null();
  else
    w.string(s);
}

inline bool state_changing(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace orbit::controlplane::http_json
