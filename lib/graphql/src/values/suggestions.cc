#include "orbit/graphql/values/suggestions.h"

#include <algorithm>
#include <optional>

namespace orbit::graphql {

namespace {

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Optimal string alignment distance with an early exit above `threshold`
// (graphql-js LexicalDistance.measure).
std::optional<int> lexical_distance(std::string_view input, const std::string& input_lower,
                                    std::string_view option, int threshold) {
  if (input == option) return 0;
  std::string option_lower = to_lower_ascii(option);
  if (input_lower == option_lower) return 1;
  std::string_view a = option_lower, b = input_lower;
  if (a.size() < b.size()) std::swap(a, b);
  int a_len = static_cast<int>(a.size()), b_len = static_cast<int>(b.size());
  if (a_len - b_len > threshold) return std::nullopt;
  std::vector<int> rows[3];
  for (auto& r : rows)
    r.assign(b_len + 1, 0);
  for (int j = 0; j <= b_len; ++j)
    rows[0][j] = j;
  for (int i = 1; i <= a_len; ++i) {
    std::vector<int>& up = rows[(i - 1) % 3];
    std::vector<int>& cur = rows[i % 3];
    int smallest = cur[0] = i;
    for (int j = 1; j <= b_len; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int cell = std::min({up[j] + 1, cur[j - 1] + 1, up[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cell = std::min(cell, rows[(i - 2) % 3][j - 2] + 1);
      }
      smallest = std::min(smallest, cell);
      cur[j] = cell;
    }
    if (smallest > threshold) return std::nullopt;
  }
  int d = rows[a_len % 3][b_len];
  if (d <= threshold) return d;
  return std::nullopt;
}

bool is_digit(int c) {
  return c >= '0' && c <= '9';
}

std::string format_list(std::string_view conjunction, std::span<const std::string> items) {
  if (items.empty()) return {};
  if (items.size() == 1) return items[0];
  std::string out;
  if (items.size() == 2) {
    out = items[0];
    out += ' ';
    out += conjunction;
    out += ' ';
    out += items[1];
    return out;
  }
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    out += items[i];
    out += ", ";
  }
  out += conjunction;
  out += ' ';
  out += items.back();
  return out;
}

}  // namespace

int natural_compare(std::string_view a, std::string_view b) {
  size_t ai = 0, bi = 0;
  auto at = [](std::string_view s, size_t i) { return i < s.size() ? static_cast<int>(s[i]) : -1; };
  while (ai < a.size() && bi < b.size()) {
    int ac = at(a, ai), bc = at(b, bi);
    if (is_digit(ac) && is_digit(bc)) {
      // As graphql-js: a run stops after a leading zero ("0" then the rest).
      long long an = 0, bn = 0;
      do {
        ++ai;
        an = an * 10 + ac - '0';
        ac = at(a, ai);
      } while (is_digit(ac) && an > 0);
      do {
        ++bi;
        bn = bn * 10 + bc - '0';
        bc = at(b, bi);
      } while (is_digit(bc) && bn > 0);
      if (an < bn) return -1;
      if (an > bn) return 1;
    } else {
      if (ac < bc) return -1;
      if (ac > bc) return 1;
      ++ai;
      ++bi;
    }
  }
  return static_cast<int>(a.size()) - static_cast<int>(b.size());
}

std::vector<std::string_view> suggestion_list(std::string_view input,
                                              std::span<const std::string_view> options) {
  std::string input_lower = to_lower_ascii(input);
  int threshold = static_cast<int>(input.size() * 4 / 10) + 1;
  std::vector<std::pair<std::string_view, int>> found;
  for (std::string_view option : options) {
    // Options repeat in some callers; JS keys an object by option, so keep the first.
    bool seen = false;
    for (auto& f : found)
      seen = seen || f.first == option;
    if (seen) continue;
    if (auto d = lexical_distance(input, input_lower, option, threshold)) {
      found.emplace_back(option, *d);
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
    if (x.second != y.second) return x.second < y.second;
    return natural_compare(x.first, y.first) < 0;
  });
  std::vector<std::string_view> out;
  out.reserve(found.size());
  for (auto& f : found)
    out.push_back(f.first);
  return out;
}

std::string did_you_mean(std::span<const std::string_view> suggestions,
                         std::string_view sub_message) {
  if (suggestions.empty()) return {};
  std::string message = " Did you mean ";
  if (!sub_message.empty()) {
    message += sub_message;
    message += ' ';
  }
  std::vector<std::string> quoted;
  for (size_t i = 0; i < suggestions.size() && i < 5; ++i) {
    quoted.push_back("\"" + std::string(suggestions[i]) + "\"");
  }
  return message + or_list(quoted) + "?";
}

std::string or_list(std::span<const std::string> items) {
  return format_list("or", items);
}
std::string and_list(std::span<const std::string> items) {
  return format_list("and", items);
}

}  // namespace orbit::graphql
