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
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

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
  Location loc;            // first character
  uint32_t end = 0;        // byte offset after the last character
  std::string_view value;  // names, numbers (lexeme), strings (unescaped); empty otherwise
};

class Lexer {
 public:
  Lexer(std::string_view source, Arena& arena) : src_(source), arena_(arena) {}

  // Reads the next significant token into *out. False on a lexical error, with
  // error_message()/error_location() set; the lexer must not be used after that.
  bool next(Token* out);

  const std::string& error_message() const { return error_; }
  const Location& error_location() const { return error_loc_; }

  // Location of an arbitrary byte offset on the current line (for errors raised by the
  // parser at a token start it already has the token's location).
  Location location_at(uint32_t offset) const;

 private:
  bool fail(uint32_t offset, std::string message);
  bool read_number(uint32_t start, Token* out);
  bool read_string(uint32_t start, Token* out);
  bool read_block_string(uint32_t start, Token* out);
  bool read_escape(uint32_t pos, std::string& buf, uint32_t* size);
  void skip_comment();
  // Decodes the UTF-8 character at pos: code point (or -1 if invalid) and its byte length.
  int32_t code_point_at(uint32_t pos, uint32_t* len) const;
  std::string describe_char_at(uint32_t pos) const;
  void newline(uint32_t next_line_start) {
    ++line_;
    line_start_ = next_line_start;
    utf16_adjust_ = 0;
  }

  std::string_view src_;
  Arena& arena_;
  uint32_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t line_start_ = 0;
  // Bytes minus UTF-16 code units of the current line so far (multi-byte characters seen in
  // strings and comments), so that columns agree with graphql-js.
  uint32_t utf16_adjust_ = 0;
  std::string error_;
  Location error_loc_;
  std::string scratch_;
};

}  // namespace orbit::graphql
