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
// Character classes for the dispatch in Lexer::fill. Punctuators map to their TokenKind
// (all below kSpace); the rest to one of the classes after it.
enum : uint8_t {
  kSpace = 32,  // space, tab, comma
  kNewline,     // \n
  kNameStart,   // A-Z a-z _
  kDigit,       // 0-9
  kQuote,       // "
  kDot,         // .
  kSlow,        // everything else: "-", comments, \r, BOM, errors
};
static_assert(static_cast<uint8_t>(TokenKind::kBlockString) < kSpace);

constexpr auto kCharClass = [] {
  std::array<uint8_t, 256> t{};
  for (auto& c : t)
    c = kSlow;
  t[' '] = t['\t'] = t[','] = kSpace;
  t['\n'] = kNewline;
  for (int c = 'a'; c <= 'z'; ++c)
    t[c] = kNameStart;
  for (int c = 'A'; c <= 'Z'; ++c)
    t[c] = kNameStart;
  t['_'] = kNameStart;
  for (int c = '0'; c <= '9'; ++c)
    t[c] = kDigit;
  t['"'] = kQuote;
  t['.'] = kDot;
  auto punct = [&](char c, TokenKind k) {
    t[static_cast<unsigned char>(c)] = static_cast<uint8_t>(k);
  };
  punct('!', TokenKind::kBang);
  punct('$', TokenKind::kDollar);
  punct('&', TokenKind::kAmp);
  punct('(', TokenKind::kParenL);
  punct(')', TokenKind::kParenR);
  punct(':', TokenKind::kColon);
  punct('=', TokenKind::kEquals);
  punct('@', TokenKind::kAt);
  punct('[', TokenKind::kBracketL);
  punct(']', TokenKind::kBracketR);
  punct('{', TokenKind::kBraceL);
  punct('|', TokenKind::kPipe);
  punct('}', TokenKind::kBraceR);
  return t;
}();

// Name characters after the first: A-Z a-z 0-9 _.
constexpr auto kNameContinue = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  return t;
}();

// Ignored characters that fill() skips itself (the others, \r, BOM and comments, take the
// slow path).
constexpr auto kIsBlank = [] {
  std::array<bool, 256> t{};
  t[' '] = t['\t'] = t[','] = t['\n'] = true;
  return t;
}();

// What may follow the digits of an integer and make it something else: a fraction, an
// exponent, or an error (a name character right after a number).
constexpr auto kAfterDigits = [] {
  std::array<bool, 256> t = kNameContinue;
  t['.'] = true;
  return t;
}();

// Characters a string can hold without a closer look: ASCII but the quote, the backslash and
// the line terminators.
constexpr auto kStringPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 0x80; ++c)
    t[c] = c != '"' && c != '\\' && c != '\n' && c != '\r';
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

void Lexer::eof(Token* out) {
  const uint32_t n = size();
  out->kind = TokenKind::kEof;
  out->start = n;
  out->line = line_;
  out->line_base = line_base_;
  out->value = {};
}

bool Lexer::fail(uint32_t offset, std::string message) {
  error_ = "Syntax Error: " + std::move(message);
  error_loc_ = location_at(offset);
  return false;
}

int32_t Lexer::code_point_at(uint32_t pos, uint32_t* len) const {
  auto b = [&](uint32_t i) -> uint32_t {
    return i < size() ? static_cast<unsigned char>(begin_[i]) : 0x100;
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
  if (pos >= size()) return "<EOF>";
  uint32_t len;
  int32_t cp = code_point_at(pos, &len);
  if (cp < 0) {
    return fmt::format("byte 0x{:02X} (invalid UTF-8)", static_cast<unsigned char>(begin_[pos]));
  }
  if (cp >= 0x20 && cp <= 0x7E) {
    if (cp == '"') return "'\"'";
    return fmt::format("\"{}\"", static_cast<char>(cp));
  }
  return fmt::format("U+{:04X}", cp);
}

void Lexer::skip_comment() {
  // cur_ is at '#'. A comment runs to the end of the line.
  const uint32_t n = size();
  uint32_t p = offset(cur_) + 1;
  while (p < n) {
    auto c = static_cast<unsigned char>(begin_[p]);
    if (c == '\n' || c == '\r') break;
    if (c < 0x80) {
      ++p;
      continue;
    }
    uint32_t len;
    if (code_point_at(p, &len) < 0) break;  // the invalid byte is reported next
    line_base_ += len - utf16_units(len);
    p += len;
  }
  cur_ = begin_ + p;
}

Lexer::Lexer(std::string_view source, Arena& arena)
    : begin_(source.data()),
      cur_(source.data()),
      end_(source.data() + source.size()),
      body_end_(end_),
      arena_(arena) {
  while (body_end_ != begin_ && kIsBlank[static_cast<unsigned char>(body_end_[-1])])
    --body_end_;
  unguarded_ = body_end_ == begin_ || !kNameContinue[static_cast<unsigned char>(body_end_[-1])];
}

uint32_t Lexer::fill(Token* out, uint32_t capacity, bool* failed) {
  *failed = false;
  return unguarded_ ? fill_tokens<false>(out, capacity, failed)
                    : fill_tokens<true>(out, capacity, failed);
}

template <bool kGuarded>
uint32_t Lexer::fill_tokens(Token* out, uint32_t capacity, bool* failed) {
  // Unguarded: the body (the source without its trailing blanks) ends with a character that
  // stops a run of blanks, name characters or digits, so those loops need no bounds check;
  // the trailing blanks are read by eof_after(). The scanning state lives in locals
  // (registers) and goes back to the members around the out-of-line paths.
  const char* const begin = begin_;
  const char* const limit = kGuarded ? end_ : body_end_;
  const char* p = cur_;
  uint32_t line = line_;
  uint32_t line_base = line_base_;
  Token* t = out;
  Token* const out_end = out + capacity;
  auto at_limit = [&](const char* q) {
    if constexpr (kGuarded) {
      return q == limit;
    } else {
      return false;
    }
  };
  while (t != out_end) {
    if (p >= limit) [[unlikely]] {
      cur_ = p;
      line_ = line;
      line_base_ = line_base;
      eof_after(t);
      return static_cast<uint32_t>(t - out) + 1;
    }
    uint8_t cls = kCharClass[static_cast<unsigned char>(*p)];
    if (cls == kSpace || cls == kNewline) {
      do {
        ++p;
        if (cls == kNewline) {
          ++line;
          line_base = static_cast<uint32_t>(p - begin);
        }
        if (at_limit(p)) break;
        cls = kCharClass[static_cast<unsigned char>(*p)];
      } while (cls == kSpace || cls == kNewline);
      if (at_limit(p)) continue;
    }
    const auto start = static_cast<uint32_t>(p - begin);
    t->start = start;
    t->line = line;
    t->line_base = line_base;
    if (cls == kNameStart) {
      const char* e = p + 1;
      while (!at_limit(e) && kNameContinue[static_cast<unsigned char>(*e)])
        ++e;
      t->kind = TokenKind::kName;
      t->value = std::string_view(p, static_cast<size_t>(e - p));
      p = e;
      ++t;
      continue;
    }
    if (cls < kSpace) {
      t->kind = static_cast<TokenKind>(cls);
      ++p;
      ++t;
      continue;
    }
    if (cls == kDigit) {
      // Integers without sign, fraction or exponent; the rest goes through read_number.
      const char* e = p + 1;
      while (!at_limit(e) && is_digit(*e))
        ++e;
      if ((at_limit(e) || !kAfterDigits[static_cast<unsigned char>(*e)]) &&
          (*p != '0' || e == p + 1)) {
        t->kind = TokenKind::kInt;
        t->value = std::string_view(p, static_cast<size_t>(e - p));
        p = e;
        ++t;
        continue;
      }
    }
    if (cls == kDot && end_ - p >= 3 && p[1] == '.' && p[2] == '.') {
      t->kind = TokenKind::kSpread;
      p += 3;
      ++t;
      continue;
    }
    if (cls == kQuote && p + 1 != end_ && p[1] != '"') {
      // A string of plain characters; escapes, non-ASCII, empty and block strings and
      // errors go through read_string / read_block_string.
      const char* e = p + 1;
      while (e != end_ && kStringPlain[static_cast<unsigned char>(*e)])
        ++e;
      if (e != end_ && *e == '"') {
        t->kind = TokenKind::kString;
        t->value = std::string_view(p + 1, static_cast<size_t>(e - p - 1));
        p = e + 1;
        ++t;
        continue;
      }
    }
    cur_ = p;
    line_ = line;
    line_base_ = line_base;
    const Slow r = next_slow(t);
    p = cur_;
    line = line_;
    line_base = line_base_;
    if (r == Slow::kToken) {
      ++t;
    } else if (r == Slow::kError) {
      *failed = true;
      break;
    }
  }
  cur_ = p;
  line_ = line;
  line_base_ = line_base;
  return static_cast<uint32_t>(t - out);
}

void Lexer::eof_after(Token* out) {
  // Only blanks are left: count their lines for the position of <EOF>.
  for (const char* p = cur_; p != end_; ++p) {
    if (*p == '\n') newline(static_cast<uint32_t>(p + 1 - begin_));
  }
  cur_ = end_;
  eof(out);
}

Lexer::Slow Lexer::next_slow(Token* out) {
  const uint32_t n = size();
  const uint32_t start = offset(cur_);
  const auto c = static_cast<unsigned char>(*cur_);
  auto result = [](bool ok) { return ok ? Slow::kToken : Slow::kError; };
  switch (c) {
    case '\r':
      cur_ += (start + 1 < n && begin_[start + 1] == '\n') ? 2 : 1;
      newline(offset(cur_));
      return Slow::kSkipped;
    case 0xEF:  // U+FEFF byte order mark, ignored like whitespace
      if (start + 2 < n && static_cast<unsigned char>(begin_[start + 1]) == 0xBB &&
          static_cast<unsigned char>(begin_[start + 2]) == 0xBF) {
        cur_ += 3;
        line_base_ += 2;
        return Slow::kSkipped;
      }
      break;
    case '#': skip_comment(); return Slow::kSkipped;
    case '.': {
      int next1 = at(start + 1);
      int next2 = at(start + 2);
      if (next1 == '.' && next2 == '.') {
        out->kind = TokenKind::kSpread;
        out->value = {};
        cur_ += 3;
        return Slow::kToken;
      }
      if (next1 == '.') return result(fail(start, "Unexpected \"..\", did you mean \"...\"?"));
      if (is_digit(next1)) {
        uint32_t e = start + 1;
        while (is_digit(at(e)))
          ++e;
        return result(
            fail(start, fmt::format("Invalid number, expected digit before \".\", did "
                                    "you mean \"0.{}\"?",
                                    std::string_view(begin_ + start + 1, e - start - 1))));
      }
      break;
    }
    case '"':
      if (at(start + 1) == '"' && at(start + 2) == '"') {
        return result(read_block_string(start, out));
      }
      return result(read_string(start, out));
    default: break;
  }
  if (is_digit(c) || c == '-') return result(read_number(start, out));
  if (c == '\'') {
    return result(fail(start,
                       "Unexpected single quote character ('), did you mean to use a double "
                       "quote (\")?"));
  }
  uint32_t len;
  int32_t cp = code_point_at(start, &len);
  if (cp < 0) return result(fail(start, "Invalid character: " + describe_char_at(start) + "."));
  return result(fail(start, "Unexpected character: " + describe_char_at(start) + "."));
}

bool Lexer::read_number(uint32_t start, Token* out) {
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
  out->value = std::string_view(begin_ + start, p - start);
  cur_ = begin_ + p;
  return true;
}

bool Lexer::read_escape(uint32_t pos, std::string& buf, uint32_t* size) {
  // pos is at the backslash.
  const uint32_t n = this->size();
  auto slice = [&](uint32_t from, uint32_t len) {
    return std::string(begin_ + from, std::min(len, n - from));
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
  const uint32_t n = size();
  uint32_t p = start + 1;
  // Most strings are short and plain ASCII: their value is a view into the source.
  while (p < n && kStringPlain[static_cast<unsigned char>(begin_[p])])
    ++p;
  uint32_t chunk = start + 1;
  bool escaped = false;
  scratch_.clear();
  while (p < n) {
    auto c = static_cast<unsigned char>(begin_[p]);
    if (c == '"') {
      out->kind = TokenKind::kString;
      if (!escaped) {
        out->value = std::string_view(begin_ + chunk, p - chunk);
      } else {
        scratch_.append(begin_ + chunk, p - chunk);
        out->value = arena_.copy_string(scratch_);
      }
      cur_ = begin_ + p + 1;
      return true;
    }
    if (c == '\\') {
      escaped = true;
      scratch_.append(begin_ + chunk, p - chunk);
      uint32_t len = 0;
      if (!read_escape(p, scratch_, &len)) return false;
      p += len;
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
    line_base_ += len - utf16_units(len);
    p += len;
  }
  return fail(p, "Unterminated string.");
}

bool Lexer::read_block_string(uint32_t start, Token* out) {
  const uint32_t n = size();
  uint32_t p = start + 3;
  uint32_t line_begin = p;
  bool escaped = false;  // a \""" somewhere: the value is not a slice of the source
  block_lines_.clear();
  while (p < n) {
    // The plain characters of a line, then whatever ends the run.
    while (p < n && kStringPlain[static_cast<unsigned char>(begin_[p])])
      ++p;
    if (p == n) break;
    auto c = static_cast<unsigned char>(begin_[p]);
    if (c == '"' && p + 2 < n && begin_[p + 1] == '"' && begin_[p + 2] == '"') {
      block_lines_.push_back({line_begin, p});
      out->kind = TokenKind::kBlockString;
      out->value = block_string_value(escaped);
      cur_ = begin_ + p + 3;
      return true;
    }
    if (c == '\\' && p + 3 < n && begin_[p + 1] == '"' && begin_[p + 2] == '"' &&
        begin_[p + 3] == '"') {
      escaped = true;
      p += 4;
      continue;
    }
    if (c == '\n' || c == '\r') {
      block_lines_.push_back({line_begin, p});
      p += (c == '\r' && p + 1 < n && begin_[p + 1] == '\n') ? 2 : 1;
      line_begin = p;
      newline(p);
      continue;
    }
    if (c < 0x80) {  // a quote or backslash that is not a delimiter or an escape
      ++p;
      continue;
    }
    uint32_t len;
    if (code_point_at(p, &len) < 0) {
      return fail(p, "Invalid character within String: " + describe_char_at(p) + ".");
    }
    line_base_ += len - utf16_units(len);
    p += len;
  }
  return fail(p, "Unterminated string.");
}

std::string_view Lexer::block_string_value(bool escaped) {
  // The spec's BlockStringValue(): common indentation of all lines but the first, then
  // leading and trailing blank lines removed. A \""" does not change a line's indentation
  // or blankness, so both are measured on the raw lines.
  const size_t count = block_lines_.size();
  uint32_t common = std::numeric_limits<uint32_t>::max();
  size_t first = count;
  size_t last = 0;
  for (size_t i = 0; i < count; ++i) {
    const Span line = block_lines_[i];
    uint32_t p = line.begin;
    while (p < line.end && (begin_[p] == ' ' || begin_[p] == '\t'))
      ++p;
    if (p == line.end) continue;
    if (first == count) first = i;
    last = i;
    if (i != 0 && p - line.begin < common) common = p - line.begin;
  }
  if (first == count) return {};
  auto dedented = [&](size_t i) {
    Span line = block_lines_[i];
    if (i != 0) line.begin += std::min(common, line.end - line.begin);
    return line;
  };
  if (first == last && !escaped) {
    const Span line = dedented(first);
    return std::string_view(begin_ + line.begin, line.end - line.begin);
  }
  scratch_.clear();
  for (size_t i = first; i <= last; ++i) {
    if (i != first) scratch_ += '\n';
    const Span line = dedented(i);
    if (!escaped) {
      scratch_.append(begin_ + line.begin, line.end - line.begin);
      continue;
    }
    for (uint32_t p = line.begin; p < line.end; ++p) {
      if (begin_[p] == '\\' && p + 3 < line.end &&
          std::string_view(begin_ + p + 1, 3) == "\"\"\"") {
        continue;  // drop the backslash of \"""; the quotes follow
      }
      scratch_ += begin_[p];
    }
  }
  return arena_.copy_string(scratch_);
}

}  // namespace orbit::graphql
