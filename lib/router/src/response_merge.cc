#include "response_merge.h"

namespace orbit::router {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void skip_space(std::string_view s, size_t* i) {
  while (*i < s.size() && is_space(s[*i]))
    ++*i;
}

// Moves *i past the string starting at s[*i] == '"'.
bool skip_string(std::string_view s, size_t* i) {
  ++*i;
  while (*i < s.size()) {
    char c = s[*i];
    if (c == '\\') {
      *i += 2;
      continue;
    }
    ++*i;
    if (c == '"') return true;
  }
  return false;
}

// Moves *i past one JSON value (iteratively: depth only counted).
bool skip_value(std::string_view s, size_t* i) {
  skip_space(s, i);
  if (*i >= s.size()) return false;
  char c = s[*i];
  if (c == '"') return skip_string(s, i);
  if (c == '{' || c == '[') {
    size_t depth = 0;
    while (*i < s.size()) {
      char d = s[*i];
      if (d == '"') {
        if (!skip_string(s, i)) return false;
        continue;
      }
      ++*i;
      if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) return true;
      }
    }
    return false;
  }
  size_t start = *i;
  while (*i < s.size() && s[*i] != ',' && s[*i] != '}' && s[*i] != ']' && !is_space(s[*i]))
    ++*i;
  return *i > start;
}

}  // namespace

bool scan_object_members(std::string_view text, std::vector<JsonMemberSpan>* out) {
  out->clear();
  size_t i = 0;
  skip_space(text, &i);
  if (i >= text.size() || text[i] != '{') return false;
  ++i;
  skip_space(text, &i);
  if (i < text.size() && text[i] == '}') return true;
  while (i < text.size()) {
    skip_space(text, &i);
    if (i >= text.size() || text[i] != '"') return false;
    size_t key_start = i + 1;
    if (!skip_string(text, &i)) return false;
    std::string_view key = text.substr(key_start, i - 1 - key_start);
    skip_space(text, &i);
    if (i >= text.size() || text[i] != ':') return false;
    ++i;
    skip_space(text, &i);
    size_t value_start = i;
    if (!skip_value(text, &i)) return false;
    out->push_back({key, text.substr(value_start, i - value_start)});
    skip_space(text, &i);
    if (i >= text.size()) return false;
    if (text[i] == '}') return true;
    if (text[i] != ',') return false;
    ++i;
  }
  return false;
}

std::string merge_root_fields(std::string_view response, std::string_view fields,
                              const std::vector<std::string_view>& order,
                              const std::vector<std::string>& extra_errors) {
  std::vector<JsonMemberSpan> top, data_members, field_members;
  if (!scan_object_members(response, &top) || !scan_object_members(fields, &field_members)) {
    return std::string(response);
  }
  std::string out;
  out.reserve(response.size() + fields.size() + 64);
  out += '{';
  bool first = true;
  bool wrote_errors = false;
  auto write_extra_errors = [&](bool* first_item) {
    for (const std::string& e : extra_errors) {
      if (!*first_item) out += ',';
      *first_item = false;
      out += e;
    }
  };
  for (const JsonMemberSpan& m : top) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += m.key;
    out += "\":";
    if (m.key == "data" && scan_object_members(m.value, &data_members)) {
      std::vector<bool> written(data_members.size(), false);
      bool first_field = true;
      auto write_member = [&](std::string_view key, std::string_view value) {
        if (!first_field) out += ',';
        first_field = false;
        out += '"';
        out += key;
        out += "\":";
        out += value;
      };
      out += '{';
      for (std::string_view key : order) {
        const JsonMemberSpan* found = nullptr;
        for (const JsonMemberSpan& f : field_members) {
          if (f.key == key) found = &f;
        }
        for (size_t i = 0; i < data_members.size(); ++i) {
          if (!written[i] && data_members[i].key == key) {
            written[i] = true;
            if (found == nullptr) found = &data_members[i];
          }
        }
        if (found != nullptr) write_member(key, found->value);
      }
      for (size_t i = 0; i < data_members.size(); ++i) {
        if (!written[i]) write_member(data_members[i].key, data_members[i].value);
      }
      out += '}';
    } else if (m.key == "errors" && m.value.size() >= 2 && m.value.front() == '[') {
      std::string_view items = m.value.substr(1, m.value.size() - 2);
      out += '[';
      out += items;
      bool first_item = items.find_first_not_of(" \t\r\n") == std::string_view::npos;
      write_extra_errors(&first_item);
      out += ']';
      wrote_errors = true;
    } else {
      out += m.value;
    }
  }
  if (!wrote_errors && !extra_errors.empty()) {
    if (!first) out += ',';
    out += "\"errors\":[";
    bool first_item = true;
    write_extra_errors(&first_item);
    out += ']';
  }
  out += '}';
  return out;
}

void append_extensions(std::string& response, std::string_view members) {
  size_t close = response.find_last_of('}');
  if (close == std::string::npos) return;
  size_t open = response.find('{');
  bool empty = response.find_first_not_of(" \t\r\n", open + 1) == close;
  std::string insert = empty ? "" : ",";
  insert += "\"extensions\":{";
  insert += members;
  insert += '}';
  response.insert(close, insert);
}

}  // namespace orbit::router
