// Lexer: GraphQL source text -> tokens, one at a time (the parser pulls them).
//
// Follows the "Lexical Tokens" section of the spec: ignored tokens (BOM, whitespace, line
// terminators, commas, comments) are skipped; string values are unescaped (\uXXXX with
// surrogate pairs, \u{…}) and block strings dedented by the spec's algorithm. Unescaped
// values that differ from the source are written to the arena given at construction.
//
// Error messages and positions are graphql-js's ("Unterminated string.", "Invalid number,
// expected digit but got: \"a\".") so tools can compare them. Not thread-safe; one lexer per
// parse.
//
// Speed: next() is inline and handles what most documents are made of (spaces, newlines,
// names, punctuators) with one table lookup per character; numbers, strings, comments, the
// byte order mark, \r and every error are out of line.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"

namespace orbit::graphql {

enum class TokenKind : uint8_t {
  kSof,
  kEof,
  kBang,
  kDollar,
  kAmp,
  kParenL,
  kParenR,
  kSpread,
  kColon,
  kEquals,
  kAt,
  kBracketL,
  kBracketR,
  kBraceL,
  kPipe,
  kBraceR,
  kName,
  kInt,
  kFloat,
  kString,
  kBlockString,
};

// "Name", "<EOF>", "\"{\"" … as graphql-js's getTokenKindDesc.
std::string token_kind_description(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kSof;
  uint32_t start = 0;  // byte offset of the first character
  uint32_t end = 0;    // byte offset after the last character
  uint32_t line = 1;   // of the first character
  // Where the line starts for column counting: column = start - line_base + 1. It is the
  // line's byte offset plus the bytes by which earlier characters of the line exceed their
  // UTF-16 length, so that columns agree with graphql-js.
  uint32_t line_base = 0;
  // Strings: the unescaped value (block strings after the indentation algorithm). Names and
  // numbers: the lexeme. Empty for punctuators.
  std::string_view value;

  Location location() const { return Location{start, line, start - line_base + 1}; }
};

namespace lexer_detail {

// Character classes for the dispatch in Lexer::next. Punctuators map to their TokenKind
// (all below kSpace); the rest to one of the classes after it.
enum : uint8_t {
  kSpace = 32,  // space, tab, comma
  kNewline,     // \n
  kNameStart,   // A-Z a-z _
  kSlow,        // everything else: numbers, strings, "...", comments, \r, BOM, errors
};
static_assert(static_cast<uint8_t>(TokenKind::kBlockString) < kSpace);

inline constexpr std::array<uint8_t, 256> kCharClass = [] {
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
inline constexpr std::array<bool, 256> kNameContinue = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  return t;
}();

}  // namespace lexer_detail

class Lexer {
 public:
  Lexer(std::string_view source, Arena& arena)
      : begin_(source.data()),
        cur_(source.data()),
        end_(source.data() + source.size()),
        arena_(arena) {}

  // Reads the next significant token into *out. False on a lexical error, with
  // error_message()/error_location() set; the lexer must not be used after that.
  bool next(Token* out) {
    using namespace lexer_detail;
    const char* p = cur_;
    for (;;) {
      if (p == end_) [[unlikely]] {
        cur_ = p;
        return eof(out);
      }
      const uint8_t cls = kCharClass[static_cast<unsigned char>(*p)];
      if (cls == kSpace) {
        ++p;
        continue;
      }
      if (cls == kNewline) {
        ++p;
        ++line_;
        line_base_ = offset(p);
        continue;
      }
      const uint32_t start = offset(p);
      out->start = start;
      out->line = line_;
      out->line_base = line_base_;
      if (cls == kNameStart) {
        const char* e = p + 1;
        while (e != end_ && kNameContinue[static_cast<unsigned char>(*e)])
          ++e;
        out->kind = TokenKind::kName;
        out->end = offset(e);
        out->value = std::string_view(p, static_cast<size_t>(e - p));
        cur_ = e;
        return true;
      }
      if (cls < kSpace) {
        out->kind = static_cast<TokenKind>(cls);
        out->end = start + 1;
        cur_ = p + 1;
        return true;
      }
      cur_ = p;
      const Slow r = next_slow(out);
      if (r != Slow::kSkipped) return r == Slow::kToken;
      p = cur_;
    }
  }

  const std::string& error_message() const { return error_; }
  const Location& error_location() const { return error_loc_; }

  // Location of a byte offset on the current line (the line of the last token read).
  Location location_at(uint32_t offset) const {
    return Location{offset, line_, offset - line_base_ + 1};
  }

 private:
  uint32_t offset(const char* p) const { return static_cast<uint32_t>(p - begin_); }
  uint32_t size() const { return static_cast<uint32_t>(end_ - begin_); }
  // The byte at i, or -1 past the end.
  int at(uint32_t i) const { return i < size() ? static_cast<unsigned char>(begin_[i]) : -1; }

  bool eof(Token* out);
  // Everything but names, punctuators, spaces and \n; cur_ is at the character. Ignored
  // characters (comments, \r, BOM) are skipped and reported as kSkipped, so that next()
  // loops instead of recursing.
  enum class Slow : uint8_t { kToken, kError, kSkipped };
  Slow next_slow(Token* out);
  bool fail(uint32_t offset, std::string message);
  bool read_number(uint32_t start, Token* out);
  bool read_string(uint32_t start, Token* out);
  bool read_block_string(uint32_t start, Token* out);
  // The value of the block string whose raw lines are in block_lines_.
  std::string_view block_string_value(bool escaped);
  bool read_escape(uint32_t pos, std::string& buf, uint32_t* size);
  void skip_comment();
  // Decodes the UTF-8 character at pos: code point (or -1 if invalid) and its byte length.
  int32_t code_point_at(uint32_t pos, uint32_t* len) const;
  std::string describe_char_at(uint32_t pos) const;
  void newline(uint32_t next_line_start) {
    ++line_;
    line_base_ = next_line_start;
  }

  const char* begin_;
  const char* cur_;
  const char* end_;
  Arena& arena_;
  uint32_t line_ = 1;
  // Column base of the current line (see Token::line_base).
  uint32_t line_base_ = 0;
  std::string error_;
  Location error_loc_;
  std::string scratch_;
  // Raw lines of the block string being read (offsets [first, second) into the source).
  struct Span {
    uint32_t begin;
    uint32_t end;
  };
  std::vector<Span> block_lines_;
};

}  // namespace orbit::graphql
