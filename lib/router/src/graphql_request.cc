#include "orbit/router/graphql_request.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

#include "orbit/net/http_headers.h"

namespace orbit::router {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

// q-value of a media range's parameters ("; q=0.5"); 1 when absent, -1 when malformed.
double q_value(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view p = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
      std::string_view v = p.substr(2);
      double q = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), q);
      if (ec != std::errc() || end != v.data() + v.size() || q < 0 || q > 1) return -1;
      return q;
    }
  }
  return 1;
}

// Media type of a Content-Type value, lower-cased, without parameters.
std::string base_media_type(std::string_view value) {
  std::string_view type = trim(value.substr(0, value.find(';')));
  std::string out(type);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void fail(RequestError* error, int status, ErrorCode code, std::string message) {
  error->http_status = status;
  error->code = code;
  error->message = std::move(message);
}

// Fills `out` from the members of a POST body or the decoded GET parameters.
bool read_fields(const JsonValue* query, const JsonValue* operation_name,
                 const JsonValue* variables, const JsonValue* extensions, GraphqlHttpRequest* out,
                 RequestError* error) {
  if (extensions != nullptr && !extensions->is_null()) {
    if (!extensions->is_object()) {
      fail(error, 400, ErrorCode::kBadRequest, "\"extensions\" must be an object or null.");
      return false;
    }
    out->extensions = *extensions;
  }
  if (query == nullptr || query->is_null()) {
    if (out->extensions.find("persistedQuery") != nullptr) {
      fail(error, 400, ErrorCode::kPersistedQueryNotSupported, "PersistedQueryNotSupported");
    } else {
      fail(error, 400, ErrorCode::kBadRequest,
           "The request has no \"query\": send the GraphQL document in \"query\".");
    }
    return false;
  }
  if (!query->is_string()) {
    fail(error, 400, ErrorCode::kBadRequest, "\"query\" must be a string.");
    return false;
  }
  out->query = query->as_string();
  if (operation_name != nullptr && !operation_name->is_null()) {
    if (!operation_name->is_string()) {
      fail(error, 400, ErrorCode::kBadRequest, "\"operationName\" must be a string or null.");
      return false;
    }
    if (!operation_name->as_string().empty()) out->operation_name = operation_name->as_string();
  }
  if (variables != nullptr && !variables->is_null()) {
    if (!variables->is_object()) {
      fail(error, 400, ErrorCode::kBadRequest, "\"variables\" must be an object or null.");
      return false;
    }
    out->variables = *variables;
  }
  return true;
}

bool read_post(const net::HttpRequest& request, Arena& arena, GraphqlHttpRequest* out,
               RequestError* error, const RequestReadOptions& options) {
  std::optional<std::string_view> content_type = request.headers.get("content-type");
  std::string type = content_type ? base_media_type(*content_type) : std::string();
  if (type != "application/json" && type != "application/graphql+json") {
    fail(error, 415, ErrorCode::kBadRequest,
         content_type ? "Unsupported Content-Type \"" + std::string(*content_type) +
                            "\": send the request as application/json."
                      : std::string("Missing Content-Type: send the request as application/json."));
    return false;
  }
  JsonParseOptions json_options;
  json_options.max_depth = options.max_json_depth;
  Result<JsonValue> body = parse_json(request.body, arena, json_options);
  if (!body.ok()) {
    fail(error, 400, ErrorCode::kBadRequest,
         "The request body is not valid JSON: " + body.status().message());
    return false;
  }
  if (!body->is_object()) {
    fail(error, 400, ErrorCode::kBadRequest,
         "The request body must be a JSON object with a \"query\" member.");
    return false;
  }
  return read_fields(body->find("query"), body->find("operationName"), body->find("variables"),
                     body->find("extensions"), out, error);
}

bool read_get(const net::HttpRequest& request, Arena& arena, GraphqlHttpRequest* out,
              RequestError* error, const RequestReadOptions& options) {
  out->is_get = true;
  JsonValue query, operation_name, variables, extensions;
  bool has_query = false, has_name = false, has_variables = false, has_extensions = false;
  std::string_view rest = request.query();
  JsonParseOptions json_options;
  json_options.max_depth = options.max_json_depth;
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name, value;
    if (!url_decode(pair.substr(0, eq), &name) ||
        !url_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1),
                    &value)) {
      fail(error, 400, ErrorCode::kBadRequest, "Malformed percent-encoding in the query string.");
      return false;
    }
    auto json_param = [&](JsonValue* target, bool* seen) {
      *seen = true;
      Result<JsonValue> parsed = parse_json(value, arena, json_options);
      if (!parsed.ok()) {
        fail(error, 400, ErrorCode::kBadRequest,
             "The \"" + name + "\" parameter is not valid JSON: " + parsed.status().message());
        return false;
      }
      *target = *parsed;
      return true;
    };
    if (name == "query") {
      has_query = true;
      query = JsonValue::string_copy(arena, value);
    } else if (name == "operationName") {
      has_name = true;
      operation_name = JsonValue::string_copy(arena, value);
    } else if (name == "variables") {
      if (!json_param(&variables, &has_variables)) return false;
    } else if (name == "extensions") {
      if (!json_param(&extensions, &has_extensions)) return false;
    }
  }
  return read_fields(has_query ? &query : nullptr, has_name ? &operation_name : nullptr,
                     has_variables ? &variables : nullptr, has_extensions ? &extensions : nullptr,
                     out, error);
}

}  // namespace

std::string_view media_type_name(MediaType type) {
  return type == MediaType::kGraphqlResponseJson ? kGraphqlResponseJson : kApplicationJson;
}

std::optional<MediaType> negotiate_media_type(std::optional<std::string_view> accept) {
  if (!accept || trim(*accept).empty()) return MediaType::kJson;
  double best_graphql = -1, best_json = -1;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view range = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = range.find(';');
    std::string type = base_media_type(range.substr(0, semi));
    double q = semi == std::string_view::npos ? 1 : q_value(range.substr(semi + 1));
    if (q <= 0) continue;
    if (type == kGraphqlResponseJson) {
      best_graphql = std::max(best_graphql, q);
    } else if (type == kApplicationJson) {
      best_json = std::max(best_json, q);
    } else if (type == "application/*" || type == "*/*") {
      // A wildcard admits both; the client named neither, so the legacy type is the safe one.
      best_json = std::max(best_json, q);
    }
  }
  if (best_graphql < 0 && best_json < 0) return std::nullopt;
  return best_graphql >= best_json ? MediaType::kGraphqlResponseJson : MediaType::kJson;
}

bool url_decode(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      *out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
      };
      int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *out += c;
    }
  }
  return true;
}

bool read_graphql_request(const net::HttpRequest& request, Arena& arena, GraphqlHttpRequest* out,
                          RequestError* error, const RequestReadOptions& options) {
  *out = GraphqlHttpRequest();
  if (request.method == "POST") return read_post(request, arena, out, error, options);
  if (request.method == "GET") return read_get(request, arena, out, error, options);
  fail(error, 405, ErrorCode::kMethodNotAllowed,
       "Method " + request.method + " is not allowed: send GraphQL requests with GET or POST.");
  return false;
}

}  // namespace orbit::router
