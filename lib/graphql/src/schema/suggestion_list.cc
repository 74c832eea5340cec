#include "orbit/graphql/schema/suggestion_list.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <unordered_set>
#include <utility>

namespace orbit::graphql {
namespace {

constexpr size_t kMaxSuggestions = 5;

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = lower(c);
  return out;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Optimal string alignment distance with an early exit once every cell of a row exceeds the
// threshold (graphql-js's LexicalDistance).
class LexicalDistance {
 public:
  explicit LexicalDistance(std::string_view input) : input_(input), lower_(to_lower(input)) {
    for (auto& row : rows_)
      row.assign(input.size() + 1, 0);
  }

  std::optional<size_t> measure(std::string_view option, size_t threshold) {
    if (option == input_) return 0;
    std::string option_lower = to_lower(option);
    if (option_lower == lower_) return 1;
    std::string_view a = option_lower;
    std::string_view b = lower_;
    if (a.size() < b.size()) std::swap(a, b);
    if (a.size() - b.size() > threshold) return std::nullopt;
    for (auto& row : rows_) {
      if (row.size() < b.size() + 1) row.resize(b.size() + 1);
    }
    for (size_t j = 0; j <= b.size(); ++j)
      rows_[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
      std::vector<size_t>& up = rows_[(i - 1) % 3];
      std::vector<size_t>& cur = rows_[i % 3];
      size_t smallest = cur[0] = i;
      for (size_t j = 1; j <= b.size(); ++j) {
        size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
        size_t cell = std::min({up[j] + 1, cur[j - 1] + 1, up[j - 1] + cost});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
          cell = std::min(cell, rows_[(i - 2) % 3][j - 2] + 1);
        }
        smallest = std::min(smallest, cell);
        cur[j] = cell;
      }
      if (smallest > threshold) return std::nullopt;
    }
    size_t distance = rows_[a.size() % 3][b.size()];
    if (distance > threshold) return std::nullopt;
    return distance;
  }

 private:
  std::string_view input_;
  std::string lower_;
  std::array<std::vector<size_t>, 3> rows_;
};

std::string format_list(std::string_view conjunction, std::span<const std::string> items) {
  std::string out;
  if (items.empty()) return out;
  if (items.size() == 1) return items[0];
  if (items.size() == 2) {
    return items[0] + " " + std::string(conjunction) + " " + items[1];
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
  size_t ai = 0;
  size_t bi = 0;
  while (ai < a.size() && bi < b.size()) {
    char ac = a[ai];
    char bc = b[bi];
    if (is_digit(ac) && is_digit(bc)) {
      // As graphql-js: a number stops growing after a leading zero ("0" then the rest).
      uint64_t an = 0;
      do {
        ++ai;
        an = an * 10 + static_cast<uint64_t>(ac - '0');
        ac = ai < a.size() ? a[ai] : '\0';
      } while (is_digit(ac) && an > 0);
      uint64_t bn = 0;
      do {
        ++bi;
        bn = bn * 10 + static_cast<uint64_t>(bc - '0');
        bc = bi < b.size() ? b[bi] : '\0';
      } while (is_digit(bc) && bn > 0);
      if (an < bn) return -1;
      if (an > bn) return 1;
    } else {
      if (static_cast<unsigned char>(ac) < static_cast<unsigned char>(bc)) return -1;
      if (static_cast<unsigned char>(ac) > static_cast<unsigned char>(bc)) return 1;
      ++ai;
      ++bi;
    }
  }
  return static_cast<int>(a.size()) - static_cast<int>(b.size());
}

std::vector<std::string_view> suggestion_list(std::string_view input,
                                              std::span<const std::string_view> options) {
  LexicalDistance distance(input);
  size_t threshold = input.size() * 4 / 10 + 1;
  std::vector<std::pair<std::string_view, size_t>> found;
  std::unordered_set<std::string_view> seen;  // graphql-js keys an object by option
  for (std::string_view option : options) {
    if (!seen.insert(option).second) continue;
    if (std::optional<size_t> d = distance.measure(option, threshold)) {
      found.emplace_back(option, *d);
    }
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
    if (x.second != y.second) return x.second < y.second;
    return natural_compare(x.first, y.first) < 0;
  });
  std::vector<std::string_view> out;
  out.reserve(found.size());
  for (const auto& f : found)
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
  for (size_t i = 0; i < suggestions.size() && i < kMaxSuggestions; ++i) {
    quoted.push_back("\"" + std::string(suggestions[i]) + "\"");
  }
  message += or_list(quoted);
  message += '?';
  return message;
}

std::string or_list(std::span<const std::string> items) {
  return format_list("or", items);
}
std::string and_list(std::span<const std::string> items) {
  return format_list("and", items);
}

}  // namespace orbit::graphql
