// Lexer: GraphQL source text -> tokens, in batches that the parser asks for (fill).
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
// Speed: the loop over characters keeps its state in registers for a whole batch and handles
// what most documents are made of (blanks, names, punctuators, integers, plain strings) with
// one table lookup per character; its runs need no bounds check when the document does not
// end inside a name or number. Escapes, block strings, other numbers, comments, the byte
// order mark, \r and every error are out of line.
#pragma once

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
  uint32_t line = 1;   // of the first character
  // Where the line starts for column counting: column = start - line_base + 1. It is the
  // line's byte offset plus the bytes by which earlier characters of the line exceed their
  // UTF-16 length, so that columns agree with graphql-js.
  uint32_t line_base = 0;
  // Strings: the unescaped value (block strings after the indentation algorithm). Names and
  // numbers: the lexeme. Not set for punctuators and <EOF>.
  std::string_view value;

  Location location() const { return Location{start, line, start - line_base + 1}; }
};

class Lexer {
 public:
  Lexer(std::string_view source, Arena& arena);

  // Reads up to `capacity` tokens into out[0..), stopping after the EOF token (which is
  // repeated by later calls) or before a lexical error. Returns how many it wrote; *failed
  // tells whether an error stopped it, with error_message()/error_location() set. The lexer
  // must not be used after an error.
  uint32_t fill(Token* out, uint32_t capacity, bool* failed);

  // One token; false on a lexical error. (The parser uses fill.)
  bool next(Token* out) {
    bool failed;
    return fill(out, 1, &failed) == 1;
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

  template <bool kGuarded>
  uint32_t fill_tokens(Token* out, uint32_t capacity, bool* failed);
  void eof(Token* out);
  // <EOF> after the trailing blanks from cur_ on.
  void eof_after(Token* out);
  // Everything fill() does not handle itself; cur_ is at the character. Ignored characters
  // (comments, \r, BOM) are skipped and reported as kSkipped.
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
  // end_ without the trailing blanks (spaces, tabs, commas, \n); see fill_tokens.
  const char* body_end_;
  bool unguarded_ = false;
  Arena& arena_;
  uint32_t line_ = 1;
  // Column base of the current line (see Token::line_base).
  uint32_t line_base_ = 0;
  std::string error_;
  Location error_loc_;
  std::string scratch_;
  // Raw lines of the block string being read (byte offsets [begin, end) into the source).
  struct Span {
    uint32_t begin;
    uint32_t end;
  };
  std::vector<Span> block_lines_;
};

}  // namespace orbit::graphql
