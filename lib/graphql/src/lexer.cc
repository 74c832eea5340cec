#include "orbit/graphql/lexer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

namespace orbit::graphql {
namespace {

inline bool is_digit(int c) {
  return c >= '0' && c <= '9';
}
inline bool is_letter(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_name_start(int c) {
  return is_letter(c) || c == '_';
}
// Name characters by byte, so the hot loop of read-a-name is one load per character.
constexpr auto kNameContinue = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  return t;
}();

inline bool is_scalar_value(int32_t cp) {
  return (cp >= 0 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0x10FFFF);
}
inline int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// UTF-16 code units of a character encoded in `len` UTF-8 bytes.
inline uint32_t utf16_units(uint32_t len) {
  return len == 4 ? 2 : 1;
}

size_t leading_whitespace(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
    ++i;
  return i;
}

}  // namespace

std::string token_kind_description(TokenKind kind) {
  switch (kind) {
    case TokenKind::kSof: return "<SOF>";
    case TokenKind::kEof: return "<EOF>";
    case TokenKind::kBang: return "\"!\"";
    case TokenKind::kDollar: return "\"$\"";
    case TokenKind::kAmp: return "\"&\"";
    case TokenKind::kParenL: return "\"(\"";
    case TokenKind::kParenR: return "\")\"";
    case TokenKind::kSpread: return "\"...\"";
    case TokenKind::kColon: return "\":\"";
    case TokenKind::kEquals: return "\"=\"";
    case TokenKind::kAt: return "\"@\"";
    case TokenKind::kBracketL: return "\"[\"";
    case TokenKind::kBracketR: return "\"]\"";
    case TokenKind::kBraceL: return "\"{\"";
    case TokenKind::kPipe: return "\"|\"";
    case TokenKind::kBraceR: return "\"}\"";
    case TokenKind::kName: return "Name";
    case TokenKind::kInt: return "Int";
    case TokenKind::kFloat: return "Float";
    case TokenKind::kString: return "String";
    case TokenKind::kBlockString: return "BlockString";
  }
  return "?";
}

Location Lexer::location_at(uint32_t offset) const {
  return Location{offset, line_, offset - line_start_ - utf16_adjust_ + 1};
}

bool Lexer::fail(uint32_t offset, std::string message) {
  error_ = "Syntax Error: " + std::move(message);
  error_loc_ = location_at(offset);
  return false;
}

int32_t Lexer::code_point_at(uint32_t pos, uint32_t* len) const {
  auto b = [&](uint32_t i) -> uint32_t {
    return i < src_.size() ? static_cast<unsigned char>(src_[i]) : 0x100;
  };
  uint32_t c = b(pos);
  *len = 1;
  if (c < 0x80) return static_cast<int32_t>(c);
  uint32_t n;
  uint32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return -1;
  }
  for (uint32_t i = 1; i < n; ++i) {
    uint32_t cc = b(pos + i);
    if ((cc & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (cc & 0x3F);
  }
  // Reject overlong forms, surrogates and values past U+10FFFF.
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return -1;
  }
  *len = n;
  return static_cast<int32_t>(cp);
}

std::string Lexer::describe_char_at(uint32_t pos) const {
  if (pos >= src_.size()) return "<EOF>";
  uint32_t len;
  int32_t cp = code_point_at(pos, &len);
  if (cp < 0) {
    return fmt::format("byte 0x{:02X} (invalid UTF-8)", static_cast<unsigned char>(src_[pos]));
  }
  if (cp >= 0x20 && cp <= 0x7E) {
    if (cp == '"') return "'\"'";
    return fmt::format("\"{}\"", static_cast<char>(cp));
  }
  return fmt::format("U+{:04X}", cp);
}

void Lexer::skip_comment() {
  // pos_ is at '#'. A comment runs to the end of the line.
  ++pos_;
  while (pos_ < src_.size()) {
    auto c = static_cast<unsigned char>(src_[pos_]);
    if (c == '\n' || c == '\r') return;
    if (c < 0x80) {
      ++pos_;
      continue;
    }
    uint32_t len;
    if (code_point_at(pos_, &len) < 0) return;  // the invalid byte is reported next
    utf16_adjust_ += len - utf16_units(len);
    pos_ += len;
  }
}

bool Lexer::next(Token* out) {
  const uint32_t size = static_cast<uint32_t>(src_.size());
  while (pos_ < size) {
    // Fast path for the common ignored characters before the full dispatch.
    char ch = src_[pos_];
    if (ch == ' ' || ch == ',' || ch == '\t') {
      ++pos_;
      continue;
    }
    if (ch == '\n') {
      ++pos_;
      newline(pos_);
      continue;
    }
    const uint32_t start = pos_;
    auto c = static_cast<unsigned char>(ch);
    auto punct = [&](TokenKind kind, uint32_t len) {
      out->kind = kind;
      out->loc = location_at(start);
      out->end = start + len;
      out->value = {};
      pos_ = start + len;
      return true;
    };
    switch (c) {
      case '\t':
      case ' ':
      case ',': ++pos_; continue;
      case '\n':
        ++pos_;
        newline(pos_);
        continue;
      case '\r':
        pos_ += (pos_ + 1 < size && src_[pos_ + 1] == '\n') ? 2 : 1;
        newline(pos_);
        continue;
      case 0xEF:  // U+FEFF byte order mark, ignored like whitespace
        if (pos_ + 2 < size && static_cast<unsigned char>(src_[pos_ + 1]) == 0xBB &&
            static_cast<unsigned char>(src_[pos_ + 2]) == 0xBF) {
          pos_ += 3;
          utf16_adjust_ += 2;
          continue;
        }
        break;
      case '#': skip_comment(); continue;
      case '!': return punct(TokenKind::kBang, 1);
      case '$': return punct(TokenKind::kDollar, 1);
      case '&': return punct(TokenKind::kAmp, 1);
      case '(': return punct(TokenKind::kParenL, 1);
      case ')': return punct(TokenKind::kParenR, 1);
      case ':': return punct(TokenKind::kColon, 1);
      case '=': return punct(TokenKind::kEquals, 1);
      case '@': return punct(TokenKind::kAt, 1);
      case '[': return punct(TokenKind::kBracketL, 1);
      case ']': return punct(TokenKind::kBracketR, 1);
      case '{': return punct(TokenKind::kBraceL, 1);
      case '|': return punct(TokenKind::kPipe, 1);
      case '}': return punct(TokenKind::kBraceR, 1);
      case '.': {
        int next1 = pos_ + 1 < size ? src_[pos_ + 1] : -1;
        int next2 = pos_ + 2 < size ? src_[pos_ + 2] : -1;
        if (next1 == '.' && next2 == '.') return punct(TokenKind::kSpread, 3);
        if (next1 == '.') return fail(start, "Unexpected \"..\", did you mean \"...\"?");
        if (is_digit(next1)) {
          uint32_t e = pos_ + 1;
          while (e < size && is_digit(src_[e]))
            ++e;
          return fail(start, fmt::format("Invalid number, expected digit before \".\", did you "
                                         "mean \"0.{}\"?",
                                         src_.substr(pos_ + 1, e - pos_ - 1)));
        }
        break;
      }
      case '"':
        if (pos_ + 2 < size && src_[pos_ + 1] == '"' && src_[pos_ + 2] == '"') {
          return read_block_string(start, out);
        }
        return read_string(start, out);
      default: break;
    }
    if (is_digit(c) || c == '-') return read_number(start, out);
    if (is_name_start(c)) {
      uint32_t e = pos_ + 1;
      while (e < size && kNameContinue[static_cast<unsigned char>(src_[e])])
        ++e;
      out->kind = TokenKind::kName;
      out->loc = location_at(start);
      out->end = e;
      out->value = src_.substr(start, e - start);
      pos_ = e;
      return true;
    }
    if (c == '\'') {
      return fail(start,
                  "Unexpected single quote character ('), did you mean to use a double quote "
                  "(\")?");
    }
    uint32_t len;
    int32_t cp = code_point_at(pos_, &len);
    if (cp < 0) return fail(start, "Invalid character: " + describe_char_at(start) + ".");
    return fail(start, "Unexpected character: " + describe_char_at(start) + ".");
  }
  out->kind = TokenKind::kEof;
  out->loc = location_at(size);
  out->end = size;
  out->value = {};
  return true;
}

bool Lexer::read_number(uint32_t start, Token* out) {
  const uint32_t size = static_cast<uint32_t>(src_.size());
  auto at = [&](uint32_t i) -> int { return i < size ? static_cast<unsigned char>(src_[i]) : -1; };
  auto read_digits = [&](uint32_t p, uint32_t* end) {
    if (!is_digit(at(p))) {
      return fail(p, "Invalid number, expected digit but got: " + describe_char_at(p) + ".");
    }
    ++p;
    while (is_digit(at(p)))
      ++p;
    *end = p;
    return true;
  };
  uint32_t p = start;
  bool is_float = false;
  if (at(p) == '-') ++p;
  if (at(p) == '0') {
    ++p;
    if (is_digit(at(p))) {
      return fail(p, "Invalid number, unexpected digit after 0: " + describe_char_at(p) + ".");
    }
  } else if (!read_digits(p, &p)) {
    return false;
  }
  if (at(p) == '.') {
    is_float = true;
    if (!read_digits(p + 1, &p)) return false;
  }
  if (at(p) == 'e' || at(p) == 'E') {
    is_float = true;
    ++p;
    if (at(p) == '+' || at(p) == '-') ++p;
    if (!read_digits(p, &p)) return false;
  }
  if (at(p) == '.' || is_name_start(at(p))) {
    return fail(p, "Invalid number, expected digit but got: " + describe_char_at(p) + ".");
  }
  out->kind = is_float ? TokenKind::kFloat : TokenKind::kInt;
  out->loc = location_at(start);
  out->end = p;
  out->value = src_.substr(start, p - start);
  pos_ = p;
  return true;
}

bool Lexer::read_escape(uint32_t pos, std::string& buf, uint32_t* size) {
  // pos is at the backslash.
  const uint32_t n = static_cast<uint32_t>(src_.size());
  auto at = [&](uint32_t i) -> int { return i < n ? static_cast<unsigned char>(src_[i]) : -1; };
  auto slice = [&](uint32_t from, uint32_t len) {
    return std::string(src_.substr(from, std::min(len, n - from)));
  };
  int c = at(pos + 1);
  if (c == 'u') {
    if (at(pos + 2) == '{') {
      // Variable width: \u{1F600}. The value is accumulated in 32 bits like graphql-js, so
      // an escape of 8 or more digits overflows and is reported where graphql-js reports it.
      int32_t point = 0;
      uint32_t len = 3;
      while (len < 12) {
        int d = at(pos + len++);
        if (d == '}') {
          if (len < 5 || !is_scalar_value(point)) break;
          append_utf8(buf, static_cast<uint32_t>(point));
          *size = len;
          return true;
        }
        int h = hex_value(d);
        if (h < 0) break;
        point =
            static_cast<int32_t>((static_cast<uint32_t>(point) << 4) | static_cast<uint32_t>(h));
        if (point < 0) break;
      }
      return fail(pos, "Invalid Unicode escape sequence: \"" + slice(pos, len) + "\".");
    }
    auto read16 = [&](uint32_t p) -> int32_t {
      int32_t v = 0;
      for (uint32_t i = 0; i < 4; ++i) {
        int h = hex_value(at(p + i));
        if (h < 0) return -1;
        v = (v << 4) | h;
      }
      return v;
    };
    int32_t code = read16(pos + 2);
    if (code >= 0 && is_scalar_value(code)) {
      append_utf8(buf, static_cast<uint32_t>(code));
      *size = 6;
      return true;
    }
    if (code >= 0xD800 && code <= 0xDBFF && at(pos + 6) == '\\' && at(pos + 7) == 'u') {
      int32_t trail = read16(pos + 8);
      if (trail >= 0xDC00 && trail <= 0xDFFF) {
        uint32_t cp = 0x10000 + ((static_cast<uint32_t>(code) - 0xD800) << 10) +
                      (static_cast<uint32_t>(trail) - 0xDC00);
        append_utf8(buf, cp);
        *size = 12;
        return true;
      }
    }
    return fail(pos, "Invalid Unicode escape sequence: \"" + slice(pos, 6) + "\".");
  }
  char decoded;
  switch (c) {
    case '"': decoded = '"'; break;
    case '\\': decoded = '\\'; break;
    case '/': decoded = '/'; break;
    case 'b': decoded = '\b'; break;
    case 'f': decoded = '\f'; break;
    case 'n': decoded = '\n'; break;
    case 'r': decoded = '\r'; break;
    case 't': decoded = '\t'; break;
    default: {
      uint32_t len = 2;
      if (c >= 0x80) {  // keep a whole multi-byte character in the message
        uint32_t cl;
        if (code_point_at(pos + 1, &cl) >= 0) len = 1 + cl;
      }
      return fail(pos, "Invalid character escape sequence: \"" + slice(pos, len) + "\".");
    }
  }
  buf += decoded;
  *size = 2;
  return true;
}

bool Lexer::read_string(uint32_t start, Token* out) {
  const uint32_t n = static_cast<uint32_t>(src_.size());
  const Location loc = location_at(start);
  uint32_t p = start + 1;
  uint32_t chunk = p;
  bool escaped = false;
  scratch_.clear();
  while (p < n) {
    auto c = static_cast<unsigned char>(src_[p]);
    if (c == '"') {
      out->kind = TokenKind::kString;
      out->loc = loc;
      out->end = p + 1;
      if (!escaped) {
        out->value = src_.substr(chunk, p - chunk);
      } else {
        scratch_.append(src_.data() + chunk, p - chunk);
        out->value = arena_.copy_string(scratch_);
      }
      pos_ = p + 1;
      return true;
    }
    if (c == '\\') {
      escaped = true;
      scratch_.append(src_.data() + chunk, p - chunk);
      uint32_t size = 0;
      if (!read_escape(p, scratch_, &size)) return false;
      p += size;
      chunk = p;
      continue;
    }
    if (c == '\n' || c == '\r') break;
    if (c < 0x80) {
      ++p;
      continue;
    }
    uint32_t len;
    if (code_point_at(p, &len) < 0) {
      return fail(p, "Invalid character within String: " + describe_char_at(p) + ".");
    }
    utf16_adjust_ += len - utf16_units(len);
    p += len;
  }
  return fail(p, "Unterminated string.");
}

bool Lexer::read_block_string(uint32_t start, Token* out) {
  const uint32_t n = static_cast<uint32_t>(src_.size());
  const Location loc = location_at(start);
  uint32_t p = start + 3;
  uint32_t chunk = p;
  // Raw lines, with \""" already replaced by """.
  std::vector<std::string> lines;
  std::string current;
  while (p < n) {
    auto c = static_cast<unsigned char>(src_[p]);
    if (c == '"' && p + 2 < n && src_[p + 1] == '"' && src_[p + 2] == '"') {
      current.append(src_.data() + chunk, p - chunk);
      lines.push_back(std::move(current));
      // The spec's BlockStringValue(): common indentation of all lines but the first,
      // then leading and trailing blank lines removed.
      size_t common = std::numeric_limits<size_t>::max();
      size_t first_non_empty = lines.size();
      size_t last_non_empty = 0;
      bool any = false;
      for (size_t i = 0; i < lines.size(); ++i) {
        size_t indent = leading_whitespace(lines[i]);
        if (indent == lines[i].size()) continue;
        if (!any) first_non_empty = i;
        any = true;
        last_non_empty = i;
        if (i != 0 && indent < common) common = indent;
      }
      scratch_.clear();
      if (any) {
        for (size_t i = first_non_empty; i <= last_non_empty; ++i) {
          if (i != first_non_empty) scratch_ += '\n';
          std::string_view line = lines[i];
          if (i != 0) line.remove_prefix(std::min(common, line.size()));
          scratch_ += line;
        }
      }
      out->kind = TokenKind::kBlockString;
      out->loc = loc;
      out->end = p + 3;
      out->value = arena_.copy_string(scratch_);
      pos_ = p + 3;
      return true;
    }
    if (c == '\\' && p + 3 < n && src_[p + 1] == '"' && src_[p + 2] == '"' && src_[p + 3] == '"') {
      current.append(src_.data() + chunk, p - chunk);
      chunk = p + 1;  // keep the three quotes, drop the backslash
      p += 4;
      continue;
    }
    if (c == '\n' || c == '\r') {
      current.append(src_.data() + chunk, p - chunk);
      lines.push_back(std::move(current));
      current.clear();
      p += (c == '\r' && p + 1 < n && src_[p + 1] == '\n') ? 2 : 1;
      chunk = p;
      newline(p);
      continue;
    }
    if (c < 0x80) {
      ++p;
      continue;
    }
    uint32_t len;
    if (code_point_at(p, &len) < 0) {
      return fail(p, "Invalid character within String: " + describe_char_at(p) + ".");
    }
    utf16_adjust_ += len - utf16_units(len);
    p += len;
  }
  return fail(p, "Unterminated string.");
}

}  // namespace orbit::graphql
