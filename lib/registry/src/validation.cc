#include "orbit/registry/validation.h"

#include <algorithm>
#include <set>

namespace orbit::registry {
namespace {

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 80)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '"' || c == '\\') {
      static const char* kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  if (s.size() > 80) out += "…";
  return out + "\"";
}

ApiError invalid(std::string_view field, std::string message) {
  return api_error(ApiCode::kInvalidArgument, std::string(field) + ": " + message);
}

bool label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '/' || c == '-';
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(sep, start);
    parts.push_back(text.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ')
    s.remove_suffix(1);
  return s;
}

}  // namespace

Outcome check_name(std::string_view field, std::string_view name) {
  if (name.empty()) return invalid(field, "must not be empty");
  if (name.size() > kMaxNameBytes)
    return invalid(
        field, quoted(name) + " is longer than " + std::to_string(kMaxNameBytes) + " characters");
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (alnum || (i > 0 && (c == '_' || c == '-'))) continue;
    return invalid(field, quoted(name) +
                              " is not a name (1–31 characters of a-z 0-9 _ -, starting with a "
                              "letter or digit)");
  }
  return Done{};
}

Outcome check_url(std::string_view field, std::string_view url, bool websocket) {
  if (url.size() > kMaxUrlBytes)
    return invalid(field, "longer than " + std::to_string(kMaxUrlBytes) + " bytes");
  std::string_view rest;
  for (std::string_view scheme : {"http://", "https://", "ws://", "wss://"}) {
    if (!websocket && scheme[0] == 'w') continue;
    if (url.substr(0, scheme.size()) == scheme) {
      rest = url.substr(scheme.size());
      break;
    }
  }
  std::string expected = websocket ? "an http(s):// or ws(s):// URL" : "an http:// or https:// URL";
  if (rest.empty() || rest.front() == '/' || rest.front() == ':' || rest.front() == '?')
    return invalid(field, "expected " + expected + ", got " + quoted(url));
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
      return invalid(field, quoted(url) + " contains a space or a control character");
  return Done{};
}

Outcome check_label(std::string_view field, std::string_view key, std::string_view value) {
  if (key.empty() || key.size() > kMaxLabelBytes ||
      !std::all_of(key.begin(), key.end(), label_char))
    return invalid(field,
                   "label key " + quoted(key) + " is not 1–63 characters of A-Z a-z 0-9 . _ / -");
  if (value.size() > kMaxLabelBytes || !std::all_of(value.begin(), value.end(), label_char))
    return invalid(
        field, "label value " + quoted(value) + " is not 0–63 characters of A-Z a-z 0-9 . _ / -");
  return Done{};
}

Expected<Labels> parse_labels(std::string_view field, std::string_view text) {
  Labels labels;
  if (trim(text).empty()) return labels;
  for (std::string_view term : split(text, ',')) {
    term = trim(term);
    size_t eq = term.find('=');
    if (eq == std::string_view::npos) return invalid(field, quoted(term) + " is not key=value");
    std::string_view key = term.substr(0, eq), value = term.substr(eq + 1);
    ORBIT_TRY(check_label(field, key, value));
    if (!labels.emplace(std::string(key), std::string(value)).second)
      return invalid(field, "label " + quoted(key) + " given twice");
    if (labels.size() > kMaxLabels)
      return invalid(field, "more than " + std::to_string(kMaxLabels) + " labels");
  }
  return labels;
}

Expected<std::string> normalize_matcher(std::string_view field, std::string_view matcher) {
  std::set<std::string> terms;
  for (std::string_view term : split(matcher, ',')) {
    term = trim(term);
    size_t eq = term.find('=');
    if (eq == std::string_view::npos) return invalid(field, quoted(term) + " is not key=value");
    ORBIT_TRY(check_label(field, term.substr(0, eq), term.substr(eq + 1)));
    terms.emplace(term);
    if (terms.size() > kMaxMatcherTerms)
      return invalid(field, "more than " + std::to_string(kMaxMatcherTerms) + " terms");
  }
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += ',';
    out += t;
  }
  return out;
}

bool matches(const std::vector<std::string>& matchers, const Labels& labels) {
  if (matchers.empty()) return false;
  for (const std::string& matcher : matchers) {
    bool any = false;
    for (std::string_view term : split(matcher, ',')) {
      size_t eq = term.find('=');
      if (eq == std::string_view::npos) continue;
      auto it = labels.find(std::string(term.substr(0, eq)));
      if (it != labels.end() && it->second == term.substr(eq + 1)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

std::string cdn_graph_name(std::string_view namespace_name, std::string_view graph) {
  if (namespace_name == "default") return std::string(graph);
  return std::string(namespace_name) + "." + std::string(graph);
}

}  // namespace orbit::registry
