#include "orbit/graphql/parser.h"

#include <fmt/format.h>

#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "orbit/graphql/lexer.h"

namespace orbit::graphql {
namespace {

// Returns nullptr from the calling parse function when `expr` failed (the error is recorded).
#define TRY(expr)             \
  do {                        \
    if (!(expr)) [[unlikely]] \
      return nullptr;         \
  } while (0)

#define ORBIT_COLD [[gnu::cold, gnu::noinline]]

// The words that start a definition.
enum class Keyword : uint8_t {
  kOther,
  kSchema,
  kScalar,
  kType,
  kInterface,
  kUnion,
  kEnum,
  kInput,
  kDirective,
  kQuery,
  kMutation,
  kSubscription,
  kFragment,
  kExtend,
};

Keyword keyword_of(std::string_view w) {
  switch (w.size()) {
    case 4:
      if (w == "type") return Keyword::kType;
      if (w == "enum") return Keyword::kEnum;
      break;
    case 5:
      if (w == "union") return Keyword::kUnion;
      if (w == "input") return Keyword::kInput;
      if (w == "query") return Keyword::kQuery;
      break;
    case 6:
      if (w == "schema") return Keyword::kSchema;
      if (w == "scalar") return Keyword::kScalar;
      if (w == "extend") return Keyword::kExtend;
      break;
    case 8:
      if (w == "mutation") return Keyword::kMutation;
      if (w == "fragment") return Keyword::kFragment;
      break;
    case 9:
      if (w == "interface") return Keyword::kInterface;
      if (w == "directive") return Keyword::kDirective;
      break;
    case 12:
      if (w == "subscription") return Keyword::kSubscription;
      break;
    default: break;
  }
  return Keyword::kOther;
}

bool is_type_system_keyword(Keyword k) {
  return k >= Keyword::kSchema && k <= Keyword::kDirective;
}

// Children of the lists being parsed, innermost list on top. The first few hundred live in
// the parser itself, so that small documents parse without a heap allocation.
class ItemStack {
 public:
  ItemStack() = default;
  ItemStack(const ItemStack&) = delete;
  ItemStack& operator=(const ItemStack&) = delete;

  size_t size() const { return size_; }
  void push(void* item) {
    if (size_ == capacity_) [[unlikely]]
      grow();
    data_[size_++] = item;
  }
  void* const* data() const { return data_; }
  void truncate(size_t n) { size_ = n; }

 private:
  ORBIT_COLD void grow() {
    auto bigger = std::make_unique<void*[]>(capacity_ * 2);
    std::memcpy(bigger.get(), data_, sizeof(void*) * size_);
    heap_ = std::move(bigger);
    data_ = heap_.get();
    capacity_ *= 2;
  }

  static constexpr size_t kInline = 256;
  void* inline_[kInline];
  void** data_ = inline_;
  size_t size_ = 0;
  size_t capacity_ = kInline;
  std::unique_ptr<void*[]> heap_;
};

class Parser {
 public:
  Parser(std::string_view source, Arena& arena, const ParseOptions& options)
      : src_(source),
        arena_(arena),
        options_(options),
        lexer_(source, arena),
        token_limit_(options.max_tokens != 0 ? options.max_tokens
                                             : std::numeric_limits<uint32_t>::max()),
        alias_limit_(options.max_aliases != 0 ? options.max_aliases
                                              : std::numeric_limits<uint32_t>::max()),
        directive_limit_(options.max_directives_per_location != 0
                             ? options.max_directives_per_location
                             : std::numeric_limits<uint32_t>::max()),
        max_depth_(options.max_depth) {
    // Before the first batch: <SOF>, which finish() does not count.
    buf_[0] = Token{};
  }

  ParseResult run_document();
  ParseResult run_value(Value** out);
  ParseResult run_type(Type** out);

 private:
  // ---- tokens ----
  // Tokens are lexed in batches into buf_; tok_ is the current one and last_ the end of the
  // batch. Running into last_ lexes the next batch, or reports what stopped the lexer (an
  // error, or the token limit) once the parser actually reaches that point.
  bool advance() {
    if (++tok_ != last_) [[likely]]
      return true;
    return next_batch();
  }
  ORBIT_COLD bool next_batch();
  // Lexes the first batch.
  bool start() {
    lex_batch(0);
    tok_ = buf_;
    if (tok_ == last_) return batch_stopped();
    return true;
  }
  // Lexes into buf_ from index `from` (the tokens before it are kept).
  void lex_batch(uint32_t from);
  // The batch ended for a reason: report it.
  ORBIT_COLD bool batch_stopped();
  ORBIT_COLD bool lexer_failed();
  ORBIT_COLD bool too_many_tokens();

  bool peek(TokenKind kind) const { return tok_->kind == kind; }
  bool peek_keyword(std::string_view kw) const {
    return tok_->kind == TokenKind::kName && tok_->value == kw;
  }
  bool expect(TokenKind kind) {
    if (tok_->kind == kind) [[likely]]
      return advance();
    return expected(kind);
  }
  // Consumes the token when it has `kind`; *matched tells whether it did.
  bool expect_optional(TokenKind kind, bool* matched) {
    *matched = tok_->kind == kind;
    return *matched ? advance() : true;
  }
  bool expect_keyword(std::string_view kw) {
    if (peek_keyword(kw)) [[likely]]
      return advance();
    return expected_keyword(kw);
  }
  bool expect_optional_keyword(std::string_view kw, bool* matched) {
    *matched = peek_keyword(kw);
    return *matched ? advance() : true;
  }
  bool peek_description() const {
    return tok_->kind == TokenKind::kString || tok_->kind == TokenKind::kBlockString;
  }
  // Token after the current one, without consuming (one-token lookahead, like graphql-js).
  bool lookahead(const Token** out);
  Location here() const { return tok_->location(); }

  ORBIT_COLD bool error_at(const Location& loc, std::string message,
                           ErrorCode code = ErrorCode::kGraphqlParseFailed);
  ORBIT_COLD bool unexpected(const Token& token);
  ORBIT_COLD bool unexpected() { return unexpected(*tok_); }
  ORBIT_COLD bool expected(TokenKind kind);
  ORBIT_COLD bool expected_keyword(std::string_view kw);
  static std::string token_description(const Token& token);

  bool enter_depth() {
    if (++depth_ > max_depth_) [[unlikely]]
      return too_deep();
    return true;
  }
  void leave_depth() { --depth_; }
  ORBIT_COLD bool too_deep();

  // ---- lists: children are collected on a shared stack, then copied to the arena ----
  size_t list_begin() const { return stack_.size(); }
  template <typename T>
  List<T> list_end(size_t begin) {
    const size_t n = stack_.size() - begin;
    if (n == 0) return {};
    auto** out = static_cast<T**>(arena_.allocate(sizeof(T*) * n, alignof(T*)));
    void* const* items = stack_.data() + begin;
    for (size_t i = 0; i < n; ++i)
      out[i] = static_cast<T*>(items[i]);
    stack_.truncate(begin);
    return List<T>(out, n);
  }

  // graphql-js's optionalMany(open, item, close): nothing when `open` is absent, else one or
  // more items up to `close`.
  template <typename T, typename F>
  bool optional_many(TokenKind open, F parse_item, TokenKind close, List<T>* out) {
    if (tok_->kind != open) return true;
    if (!advance()) return false;
    return many_until(parse_item, close, out);
  }
  // One or more items up to `close` (the opening token is consumed).
  template <typename T, typename F>
  bool many_until(F parse_item, TokenKind close, List<T>* out) {
    const size_t begin = list_begin();
    do {
      T* item = parse_item();
      if (item == nullptr) [[unlikely]]
        return false;
      stack_.push(item);
    } while (tok_->kind != close);
    if (!advance()) return false;
    *out = list_end<T>(begin);
    return true;
  }

  // graphql-js's delimitedMany(delimiter, item): an optional leading delimiter, then items
  // separated by it.
  template <typename T, typename F>
  bool delimited_many(TokenKind delimiter, F parse_item, List<T>* out) {
    bool more;
    if (!expect_optional(delimiter, &more)) return false;
    const size_t begin = list_begin();
    do {
      T* item = parse_item();
      if (item == nullptr) return false;
      stack_.push(item);
      if (!expect_optional(delimiter, &more)) return false;
    } while (more);
    *out = list_end<T>(begin);
    return true;
  }

  // ---- grammar ----
  bool parse_name(Name* out) {
    if (tok_->kind != TokenKind::kName) [[unlikely]]
      return expected(TokenKind::kName);
    out->value = tok_->value;
    out->loc = here();
    return advance();
  }
  Definition* parse_definition();
  OperationDefinition* parse_operation_definition();
  bool parse_operation_type(OperationType* out);
  bool parse_variable_definitions(List<VariableDefinition>* out);
  VariableDefinition* parse_variable_definition();
  [[gnu::always_inline]] inline Variable* parse_variable();
  SelectionSet* parse_selection_set();
  Selection* parse_selection();
  Field* parse_field();
  bool parse_arguments(bool is_const, List<Argument>* out) {
    if (tok_->kind != TokenKind::kParenL) return true;
    return parse_argument_list(is_const, out);
  }
  bool parse_argument_list(bool is_const, List<Argument>* out);
  Argument* parse_argument(bool is_const);
  Selection* parse_fragment();
  FragmentDefinition* parse_fragment_definition();
  bool parse_fragment_name(Name* out);
  Value* parse_value(bool is_const);
  Value* parse_list_value(bool is_const);
  Value* parse_object_value(bool is_const);
  Value* parse_name_value();
  ORBIT_COLD Value* parse_dollar_in_const();
  [[gnu::always_inline]] inline StringValue* parse_string_literal();
  // Directives with their count limit checked.
  bool parse_directives(bool is_const, List<Directive>* out) {
    if (tok_->kind != TokenKind::kAt) return true;
    return parse_directive_list(is_const, out);
  }
  bool parse_directive_list(bool is_const, List<Directive>* out);
  Directive* parse_directive(bool is_const);
  Type* parse_type_reference();
  NamedType* parse_named_type();
  bool parse_description(StringValue** out) {
    if (!peek_description()) return true;
    *out = parse_string_literal();
    return *out != nullptr;
  }
  SchemaDefinition* parse_schema_definition();
  OperationTypeDefinition* parse_operation_type_definition();
  // The six named type definitions share one parse function each for the definition and its
  // extension (`kind` tells which): `"desc" type T …` and `extend type T …`.
  template <typename T>
  T* parse_type_header(Kind kind, std::string_view keyword);
  TypeDefinition* parse_scalar_type_definition(Kind kind);
  TypeDefinition* parse_object_type_definition(Kind kind, std::string_view keyword);
  bool parse_implements_interfaces(List<NamedType>* out);
  bool parse_fields_definition(List<FieldDefinition>* out);
  FieldDefinition* parse_field_definition();
  bool parse_argument_defs(List<InputValueDefinition>* out);
  InputValueDefinition* parse_input_value_def();
  TypeDefinition* parse_union_type_definition(Kind kind);
  bool parse_union_member_types(List<NamedType>* out);
  TypeDefinition* parse_enum_type_definition(Kind kind);
  bool parse_enum_values(List<EnumValueDefinition>* out);
  EnumValueDefinition* parse_enum_value_definition();
  TypeDefinition* parse_input_object_type_definition(Kind kind);
  bool parse_input_fields(List<InputValueDefinition>* out);
  Definition* parse_type_system_extension();
  DirectiveDefinition* parse_directive_definition();

  ParseResult finish(Document* doc);
  ORBIT_COLD bool too_many_directives(const List<Directive>& dirs);

  std::string_view src_;
  Arena& arena_;
  const ParseOptions& options_;
  Lexer lexer_;
  static constexpr uint32_t kBatch = 64;
  // One more than a batch: the slot at last_ always holds a token (see lex_batch). Left
  // uninitialized (a union), since every token is written by the lexer before it is read.
  union TokenSlots {
    TokenSlots() {}
    Token tokens[kBatch + 1];
  } slots_;
  Token* const buf_ = slots_.tokens;
  Token* tok_ = buf_;
  Token* last_ = buf_;
  // Tokens before buf_[0] in the document, not counting <EOF>.
  uint32_t ordinal_base_ = 0;
  enum class Stop : uint8_t { kNone, kLexerError, kTokenLimit };
  Stop stop_ = Stop::kNone;
  const uint32_t token_limit_;
  const uint32_t alias_limit_;
  const uint32_t directive_limit_;
  const uint32_t max_depth_;
  uint32_t depth_ = 0;
  uint32_t aliases_ = 0;
  bool failed_ = false;
  GraphqlError error_;
  ItemStack stack_;
};

// ---------------------------------------------------------------------------------------------
// tokens

bool Parser::error_at(const Location& loc, std::string message, ErrorCode code) {
  if (failed_) return false;
  failed_ = true;
  error_.message = std::move(message);
  error_.locations = {to_source_location(loc)};
  error_.code = code;
  return false;
}

std::string Parser::token_description(const Token& token) {
  std::string out = token_kind_description(token.kind);
  switch (token.kind) {
    case TokenKind::kName:
    case TokenKind::kInt:
    case TokenKind::kFloat:
    case TokenKind::kString:
    case TokenKind::kBlockString:
      out += " \"";
      out += token.value;
      out += '"';
      break;
    default: break;
  }
  return out;
}

bool Parser::unexpected(const Token& token) {
  return error_at(token.location(), "Syntax Error: Unexpected " + token_description(token) + ".");
}

bool Parser::expected(TokenKind kind) {
  return error_at(here(), "Syntax Error: Expected " + token_kind_description(kind) + ", found " +
                              token_description(*tok_) + ".");
}

bool Parser::expected_keyword(std::string_view kw) {
  return error_at(here(), fmt::format("Syntax Error: Expected \"{}\", found {}.", kw,
                                      token_description(*tok_)));
}

void Parser::lex_batch(uint32_t from) {
  // The token limit: the (limit+1)-th token is lexed as the last of its batch and kept out of
  // it, so that advancing onto it reports the error at its location.
  const uint64_t ordinal = uint64_t{ordinal_base_} + from;
  const uint64_t allowed = uint64_t{token_limit_} + 1 - ordinal;
  const auto capacity = static_cast<uint32_t>(std::min<uint64_t>(kBatch - from, allowed));
  bool failed;
  const uint32_t n = lexer_.fill(buf_ + from, capacity, &failed);
  last_ = buf_ + from + n;
  if (failed) {
    stop_ = Stop::kLexerError;
    // Nothing reads a token after an error, but the slot is kept valid anyway.
    *last_ = Token{};
    last_->kind = TokenKind::kEof;
  } else if (n == allowed && last_[-1].kind != TokenKind::kEof) {
    stop_ = Stop::kTokenLimit;
    --last_;
  }
}

bool Parser::next_batch() {
  // tok_ == last_: the batch is used up.
  if (stop_ != Stop::kNone) return batch_stopped();
  const Token& previous = last_[-1];
  ordinal_base_ += static_cast<uint32_t>(last_ - buf_ - 1) + (previous.kind != TokenKind::kEof);
  lex_batch(0);
  tok_ = buf_;
  if (tok_ == last_) return batch_stopped();
  return true;
}

bool Parser::batch_stopped() {
  return stop_ == Stop::kTokenLimit ? too_many_tokens() : lexer_failed();
}

bool Parser::lexer_failed() {
  return error_at(lexer_.error_location(), lexer_.error_message());
}

bool Parser::too_many_tokens() {
  return error_at(here(),
                  fmt::format("Syntax Error: Document contains more than {} tokens. "
                              "Parsing aborted.",
                              options_.max_tokens),
                  ErrorCode::kTooManyTokens);
}

bool Parser::lookahead(const Token** out) {
  if (tok_ + 1 == last_) {
    // The current token ends the batch: peek at what stopped it, or lex more after it.
    if (stop_ == Stop::kTokenLimit || tok_->kind == TokenKind::kEof) {
      *out = tok_->kind == TokenKind::kEof ? tok_ : last_;
      return true;
    }
    if (stop_ == Stop::kLexerError) return lexer_failed();
    ordinal_base_ += static_cast<uint32_t>(tok_ - buf_);
    buf_[0] = *tok_;
    tok_ = buf_;
    lex_batch(1);
    if (last_ == buf_ + 1 && stop_ == Stop::kLexerError) return lexer_failed();
  }
  *out = tok_ + 1;
  return true;
}

bool Parser::too_deep() {
  return error_at(here(),
                  fmt::format("Syntax Error: Document exceeds the maximum nesting depth of {}.",
                              options_.max_depth),
                  ErrorCode::kMaxDepthExceeded);
}

bool Parser::too_many_directives(const List<Directive>& dirs) {
  return error_at(dirs[options_.max_directives_per_location]->loc,
                  fmt::format("Syntax Error: More than {} directives at one location.",
                              options_.max_directives_per_location),
                  ErrorCode::kTooManyDirectives);
}

// ---------------------------------------------------------------------------------------------
// documents

ParseResult Parser::finish(Document* doc) {
  ParseResult r;
  // Tokens the parser moved onto, <SOF> (nothing lexed) and <EOF> not counted.
  static_assert(TokenKind::kSof < TokenKind::kEof && TokenKind::kEof < TokenKind::kBang);
  r.token_count =
      ordinal_base_ + static_cast<uint32_t>(tok_ - buf_) + (tok_->kind > TokenKind::kEof ? 1 : 0);
  if (failed_ || doc == nullptr) {
    r.document = nullptr;
    r.error = std::move(error_);
    if (r.error.message.empty()) r.error.message = "Syntax Error: Unexpected <EOF>.";
    if (r.error.code == ErrorCode::kOk) r.error.code = ErrorCode::kGraphqlParseFailed;
    r.error.origin = "parser";
  } else {
    r.document = doc;
  }
  return r;
}

ParseResult Parser::run_document() {
  if (options_.max_bytes != 0 && src_.size() > options_.max_bytes) {
    error_at(Location{0, 1, 1},
             fmt::format("Syntax Error: Document is larger than {} bytes. Parsing aborted.",
                         options_.max_bytes),
             ErrorCode::kDocumentTooLarge);
    return finish(nullptr);
  }
  auto* doc = arena_.make<Document>();
  doc->loc = Location{0, 1, 1};
  // many(SOF, parseDefinition, EOF)
  if (!start()) return finish(nullptr);
  const size_t begin = list_begin();
  do {
    Definition* def = parse_definition();
    if (def == nullptr) return finish(nullptr);
    stack_.push(def);
  } while (!peek(TokenKind::kEof));
  doc->definitions = list_end<Definition>(begin);
  return finish(doc);
}

ParseResult Parser::run_value(Value** out) {
  Document* marker = nullptr;
  if (start()) {
    Value* v = parse_value(false);
    if (v != nullptr && expect(TokenKind::kEof)) {
      *out = v;
      marker = arena_.make<Document>();
    }
  }
  return finish(marker);
}

ParseResult Parser::run_type(Type** out) {
  Document* marker = nullptr;
  if (start()) {
    Type* t = parse_type_reference();
    if (t != nullptr && expect(TokenKind::kEof)) {
      *out = t;
      marker = arena_.make<Document>();
    }
  }
  return finish(marker);
}

Definition* Parser::parse_definition() {
  if (peek(TokenKind::kBraceL)) return parse_operation_definition();
  const bool has_description = peek_description();
  const Token* keyword = tok_;
  if (has_description) TRY(lookahead(&keyword));
  if (has_description && keyword->kind == TokenKind::kBraceL) {
    error_at(here(),
             "Syntax Error: Unexpected description, descriptions are not supported on shorthand "
             "queries.");
    return nullptr;
  }
  if (keyword->kind == TokenKind::kName) {
    const Keyword kw = keyword_of(keyword->value);
    if (is_type_system_keyword(kw) && !options_.allow_type_system) {
      error_at(keyword->location(), "Syntax Error: Unexpected " + token_description(*keyword) +
                                        ": type system definitions are not allowed here.");
      return nullptr;
    }
    switch (kw) {
      case Keyword::kSchema: return parse_schema_definition();
      case Keyword::kScalar: return parse_scalar_type_definition(Kind::kScalarTypeDefinition);
      case Keyword::kType: return parse_object_type_definition(Kind::kObjectTypeDefinition, "type");
      case Keyword::kInterface:
        return parse_object_type_definition(Kind::kInterfaceTypeDefinition, "interface");
      case Keyword::kUnion: return parse_union_type_definition(Kind::kUnionTypeDefinition);
      case Keyword::kEnum: return parse_enum_type_definition(Kind::kEnumTypeDefinition);
      case Keyword::kInput:
        return parse_input_object_type_definition(Kind::kInputObjectTypeDefinition);
      case Keyword::kDirective: return parse_directive_definition();
      case Keyword::kQuery:
      case Keyword::kMutation:
      case Keyword::kSubscription: return parse_operation_definition();
      case Keyword::kFragment: return parse_fragment_definition();
      default: break;
    }
    if (has_description) {
      error_at(here(),
               "Syntax Error: Unexpected description, only GraphQL definitions support "
               "descriptions.");
      return nullptr;
    }
    if (kw == Keyword::kExtend) {
      if (!options_.allow_type_system) {
        error_at(keyword->location(), "Syntax Error: Unexpected " + token_description(*keyword) +
                                          ": type system extensions are not allowed here.");
        return nullptr;
      }
      return parse_type_system_extension();
    }
  }
  unexpected(*keyword);
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// operations

OperationDefinition* Parser::parse_operation_definition() {
  auto* op = arena_.make<OperationDefinition>();
  op->loc = here();
  if (peek(TokenKind::kBraceL)) {
    op->operation = OperationType::kQuery;
    TRY(op->selection_set = parse_selection_set());
    return op;
  }
  TRY(parse_description(&op->description));
  TRY(parse_operation_type(&op->operation));
  if (peek(TokenKind::kName)) TRY(parse_name(&op->name));
  TRY(parse_variable_definitions(&op->variable_definitions));
  TRY(parse_directives(false, &op->directives));
  TRY(op->selection_set = parse_selection_set());
  return op;
}

bool Parser::parse_operation_type(OperationType* out) {
  if (tok_->kind != TokenKind::kName) return expected(TokenKind::kName);
  const std::string_view w = tok_->value;
  if (w == "query") {
    *out = OperationType::kQuery;
  } else if (w == "mutation") {
    *out = OperationType::kMutation;
  } else if (w == "subscription") {
    *out = OperationType::kSubscription;
  } else {
    // The name is consumed first, as graphql-js does; a lexical error after it wins.
    const Token t = *tok_;
    return advance() && unexpected(t);
  }
  return advance();
}

bool Parser::parse_variable_definitions(List<VariableDefinition>* out) {
  return optional_many(
      TokenKind::kParenL, [this] { return parse_variable_definition(); }, TokenKind::kParenR, out);
}

VariableDefinition* Parser::parse_variable_definition() {
  auto* v = arena_.make<VariableDefinition>();
  v->loc = here();
  TRY(parse_description(&v->description));
  TRY(v->variable = parse_variable());
  TRY(expect(TokenKind::kColon));
  TRY(v->type = parse_type_reference());
  if (peek(TokenKind::kEquals)) {
    TRY(advance());
    TRY(v->default_value = parse_value(true));
  }
  TRY(parse_directives(true, &v->directives));
  return v;
}

Variable* Parser::parse_variable() {
  auto* v = arena_.make<Variable>();
  v->loc = here();
  TRY(expect(TokenKind::kDollar));
  TRY(parse_name(&v->name));
  return v;
}

SelectionSet* Parser::parse_selection_set() {
  TRY(enter_depth());
  auto* set = arena_.make<SelectionSet>();
  set->loc = here();
  TRY(expect(TokenKind::kBraceL));
  TRY(many_until([this] { return parse_selection(); }, TokenKind::kBraceR, &set->selections));
  leave_depth();
  return set;
}

Selection* Parser::parse_selection() {
  return peek(TokenKind::kSpread) ? parse_fragment() : parse_field();
}

Field* Parser::parse_field() {
  auto* f = arena_.make<Field>();
  f->loc = here();
  TRY(parse_name(&f->name));
  if (peek(TokenKind::kColon)) {
    TRY(advance());
    f->alias = f->name;
    TRY(parse_name(&f->name));
    if (++aliases_ > alias_limit_) [[unlikely]] {
      error_at(f->loc,
               fmt::format("Syntax Error: Document contains more than {} aliases.",
                           options_.max_aliases),
               ErrorCode::kTooManyAliases);
      return nullptr;
    }
  }
  TRY(parse_arguments(false, &f->arguments));
  TRY(parse_directives(false, &f->directives));
  if (peek(TokenKind::kBraceL)) TRY(f->selection_set = parse_selection_set());
  return f;
}

bool Parser::parse_argument_list(bool is_const, List<Argument>* out) {
  return optional_many(
      TokenKind::kParenL, [this, is_const] { return parse_argument(is_const); }, TokenKind::kParenR,
      out);
}

Argument* Parser::parse_argument(bool is_const) {
  auto* a = arena_.make<Argument>();
  a->loc = here();
  TRY(parse_name(&a->name));
  TRY(expect(TokenKind::kColon));
  TRY(a->value = parse_value(is_const));
  return a;
}

Selection* Parser::parse_fragment() {
  const Location start = here();
  TRY(advance());  // "..."
  bool has_type_condition;
  TRY(expect_optional_keyword("on", &has_type_condition));
  if (!has_type_condition && peek(TokenKind::kName)) {
    auto* spread = arena_.make<FragmentSpread>();
    spread->loc = start;
    TRY(parse_fragment_name(&spread->name));
    TRY(parse_directives(false, &spread->directives));
    return spread;
  }
  auto* inline_fragment = arena_.make<InlineFragment>();
  inline_fragment->loc = start;
  if (has_type_condition) TRY(inline_fragment->type_condition = parse_named_type());
  TRY(parse_directives(false, &inline_fragment->directives));
  TRY(inline_fragment->selection_set = parse_selection_set());
  return inline_fragment;
}

FragmentDefinition* Parser::parse_fragment_definition() {
  auto* f = arena_.make<FragmentDefinition>();
  f->loc = here();
  TRY(parse_description(&f->description));
  TRY(expect_keyword("fragment"));
  TRY(parse_fragment_name(&f->name));
  TRY(expect_keyword("on"));
  TRY(f->type_condition = parse_named_type());
  TRY(parse_directives(false, &f->directives));
  TRY(f->selection_set = parse_selection_set());
  return f;
}

bool Parser::parse_fragment_name(Name* out) {
  if (peek_keyword("on")) return unexpected();
  return parse_name(out);
}

// ---------------------------------------------------------------------------------------------
// values

Value* Parser::parse_value(bool is_const) {
  TRY(enter_depth());
  Value* v;
  switch (tok_->kind) {
    case TokenKind::kBracketL: v = parse_list_value(is_const); break;
    case TokenKind::kBraceL: v = parse_object_value(is_const); break;
    case TokenKind::kInt: {
      auto* i = arena_.make<IntValue>();
      i->loc = here();
      i->value = tok_->value;
      v = advance() ? i : nullptr;
      break;
    }
    case TokenKind::kFloat: {
      auto* f = arena_.make<FloatValue>();
      f->loc = here();
      f->value = tok_->value;
      v = advance() ? f : nullptr;
      break;
    }
    case TokenKind::kString:
    case TokenKind::kBlockString: v = parse_string_literal(); break;
    case TokenKind::kName: v = parse_name_value(); break;
    case TokenKind::kDollar:
      v = is_const ? parse_dollar_in_const() : static_cast<Value*>(parse_variable());
      break;
    default: unexpected(); return nullptr;
  }
  if (v != nullptr) leave_depth();
  return v;
}

Value* Parser::parse_list_value(bool is_const) {
  auto* list = arena_.make<ListValue>();
  list->loc = here();
  TRY(advance());
  const size_t begin = list_begin();
  while (!peek(TokenKind::kBracketR)) {
    Value* item = parse_value(is_const);
    if (item == nullptr) return nullptr;
    stack_.push(item);
  }
  TRY(advance());
  list->values = list_end<Value>(begin);
  return list;
}

Value* Parser::parse_object_value(bool is_const) {
  auto* obj = arena_.make<ObjectValue>();
  obj->loc = here();
  TRY(advance());
  const size_t begin = list_begin();
  while (!peek(TokenKind::kBraceR)) {
    auto* field = arena_.make<ObjectField>();
    field->loc = here();
    TRY(parse_name(&field->name));
    TRY(expect(TokenKind::kColon));
    TRY(field->value = parse_value(is_const));
    stack_.push(field);
  }
  TRY(advance());
  obj->fields = list_end<ObjectField>(begin);
  return obj;
}

Value* Parser::parse_name_value() {
  const Location loc = here();
  const std::string_view w = tok_->value;
  TRY(advance());
  if (w == "true" || w == "false") {
    auto* v = arena_.make<BooleanValue>();
    v->loc = loc;
    v->value = w == "true";
    return v;
  }
  if (w == "null") {
    auto* v = arena_.make<NullValue>();
    v->loc = loc;
    return v;
  }
  auto* v = arena_.make<EnumValue>();
  v->loc = loc;
  v->value = w;
  return v;
}

Value* Parser::parse_dollar_in_const() {
  const Token dollar = *tok_;
  TRY(advance());
  if (tok_->kind == TokenKind::kName) {
    error_at(
        dollar.location(),
        fmt::format("Syntax Error: Unexpected variable \"${}\" in constant value.", tok_->value));
    return nullptr;
  }
  unexpected(dollar);
  return nullptr;
}

StringValue* Parser::parse_string_literal() {
  auto* s = arena_.make<StringValue>();
  s->loc = here();
  s->value = tok_->value;
  s->block = tok_->kind == TokenKind::kBlockString;
  TRY(advance());
  return s;
}

bool Parser::parse_directive_list(bool is_const, List<Directive>* out) {
  const size_t begin = list_begin();
  while (peek(TokenKind::kAt)) {
    Directive* d = parse_directive(is_const);
    if (d == nullptr) return false;
    stack_.push(d);
  }
  *out = list_end<Directive>(begin);
  if (out->size() > directive_limit_) [[unlikely]]
    return too_many_directives(*out);
  return true;
}

Directive* Parser::parse_directive(bool is_const) {
  auto* d = arena_.make<Directive>();
  d->loc = here();
  TRY(advance());  // "@"
  TRY(parse_name(&d->name));
  TRY(parse_arguments(is_const, &d->arguments));
  return d;
}

Type* Parser::parse_type_reference() {
  TRY(enter_depth());
  const Location start = here();
  Type* type;
  if (peek(TokenKind::kName)) {
    auto* named = arena_.make<NamedType>();
    named->loc = start;
    named->name.value = tok_->value;
    named->name.loc = start;
    TRY(advance());
    type = named;
  } else if (peek(TokenKind::kBracketL)) {
    TRY(advance());
    auto* list = arena_.make<ListType>();
    list->loc = start;
    TRY(list->type = parse_type_reference());
    TRY(expect(TokenKind::kBracketR));
    type = list;
  } else {
    expected(TokenKind::kName);
    return nullptr;
  }
  if (peek(TokenKind::kBang)) {
    TRY(advance());
    auto* nn = arena_.make<NonNullType>();
    nn->loc = start;
    nn->type = type;
    type = nn;
  }
  leave_depth();
  return type;
}

NamedType* Parser::parse_named_type() {
  auto* t = arena_.make<NamedType>();
  t->loc = here();
  TRY(parse_name(&t->name));
  return t;
}

// ---------------------------------------------------------------------------------------------
// type system

SchemaDefinition* Parser::parse_schema_definition() {
  auto* s = arena_.make<SchemaDefinition>(Kind::kSchemaDefinition);
  s->loc = here();
  TRY(parse_description(&s->description));
  TRY(expect_keyword("schema"));
  TRY(parse_directives(true, &s->directives));
  // many(BRACE_L, parseOperationTypeDefinition, BRACE_R)
  TRY(expect(TokenKind::kBraceL));
  TRY(many_until([this] { return parse_operation_type_definition(); }, TokenKind::kBraceR,
                 &s->operation_types));
  return s;
}

OperationTypeDefinition* Parser::parse_operation_type_definition() {
  auto* o = arena_.make<OperationTypeDefinition>();
  o->loc = here();
  TRY(parse_operation_type(&o->operation));
  TRY(expect(TokenKind::kColon));
  TRY(o->type = parse_named_type());
  return o;
}

template <typename T>
T* Parser::parse_type_header(Kind kind, std::string_view keyword) {
  auto* t = arena_.make<T>(kind);
  t->loc = here();
  if (t->is_extension()) {
    TRY(expect_keyword("extend"));
  } else {
    TRY(parse_description(&t->description));
  }
  TRY(expect_keyword(keyword));
  TRY(parse_name(&t->name));
  return t;
}

// An extension must add something: `extend type T` alone is a syntax error at the next token.
#define EXTENSION_NOT_EMPTY(t, empty)     \
  do {                                    \
    if ((t)->is_extension() && (empty)) { \
      unexpected();                       \
      return nullptr;                     \
    }                                     \
  } while (0)

TypeDefinition* Parser::parse_scalar_type_definition(Kind kind) {
  auto* t = parse_type_header<ScalarTypeDefinition>(kind, "scalar");
  TRY(t);
  TRY(parse_directives(true, &t->directives));
  EXTENSION_NOT_EMPTY(t, t->directives.empty());
  return t;
}

TypeDefinition* Parser::parse_object_type_definition(Kind kind, std::string_view keyword) {
  auto* t = parse_type_header<ObjectTypeDefinition>(kind, keyword);
  TRY(t);
  TRY(parse_implements_interfaces(&t->interfaces));
  TRY(parse_directives(true, &t->directives));
  TRY(parse_fields_definition(&t->fields));
  EXTENSION_NOT_EMPTY(t, t->interfaces.empty() && t->directives.empty() && t->fields.empty());
  return t;
}

bool Parser::parse_implements_interfaces(List<NamedType>* out) {
  bool has;
  if (!expect_optional_keyword("implements", &has)) return false;
  if (!has) return true;
  return delimited_many(
      TokenKind::kAmp, [this] { return parse_named_type(); }, out);
}

bool Parser::parse_fields_definition(List<FieldDefinition>* out) {
  return optional_many(
      TokenKind::kBraceL, [this] { return parse_field_definition(); }, TokenKind::kBraceR, out);
}

FieldDefinition* Parser::parse_field_definition() {
  auto* f = arena_.make<FieldDefinition>();
  f->loc = here();
  TRY(parse_description(&f->description));
  TRY(parse_name(&f->name));
  TRY(parse_argument_defs(&f->arguments));
  TRY(expect(TokenKind::kColon));
  TRY(f->type = parse_type_reference());
  TRY(parse_directives(true, &f->directives));
  return f;
}

bool Parser::parse_argument_defs(List<InputValueDefinition>* out) {
  return optional_many(
      TokenKind::kParenL, [this] { return parse_input_value_def(); }, TokenKind::kParenR, out);
}

InputValueDefinition* Parser::parse_input_value_def() {
  auto* v = arena_.make<InputValueDefinition>();
  v->loc = here();
  TRY(parse_description(&v->description));
  TRY(parse_name(&v->name));
  TRY(expect(TokenKind::kColon));
  TRY(v->type = parse_type_reference());
  if (peek(TokenKind::kEquals)) {
    TRY(advance());
    TRY(v->default_value = parse_value(true));
  }
  TRY(parse_directives(true, &v->directives));
  return v;
}

TypeDefinition* Parser::parse_union_type_definition(Kind kind) {
  auto* t = parse_type_header<UnionTypeDefinition>(kind, "union");
  TRY(t);
  TRY(parse_directives(true, &t->directives));
  TRY(parse_union_member_types(&t->types));
  EXTENSION_NOT_EMPTY(t, t->directives.empty() && t->types.empty());
  return t;
}

bool Parser::parse_union_member_types(List<NamedType>* out) {
  bool eq;
  if (!expect_optional(TokenKind::kEquals, &eq)) return false;
  if (!eq) return true;
  return delimited_many(
      TokenKind::kPipe, [this] { return parse_named_type(); }, out);
}

TypeDefinition* Parser::parse_enum_type_definition(Kind kind) {
  auto* t = parse_type_header<EnumTypeDefinition>(kind, "enum");
  TRY(t);
  TRY(parse_directives(true, &t->directives));
  TRY(parse_enum_values(&t->values));
  EXTENSION_NOT_EMPTY(t, t->directives.empty() && t->values.empty());
  return t;
}

bool Parser::parse_enum_values(List<EnumValueDefinition>* out) {
  return optional_many(
      TokenKind::kBraceL, [this] { return parse_enum_value_definition(); }, TokenKind::kBraceR,
      out);
}

EnumValueDefinition* Parser::parse_enum_value_definition() {
  auto* v = arena_.make<EnumValueDefinition>();
  v->loc = here();
  TRY(parse_description(&v->description));
  if (peek_keyword("true") || peek_keyword("false") || peek_keyword("null")) {
    error_at(here(), "Syntax Error: " + token_description(*tok_) +
                         " is reserved and cannot be used for an enum value.");
    return nullptr;
  }
  TRY(parse_name(&v->name));
  TRY(parse_directives(true, &v->directives));
  return v;
}

TypeDefinition* Parser::parse_input_object_type_definition(Kind kind) {
  auto* t = parse_type_header<InputObjectTypeDefinition>(kind, "input");
  TRY(t);
  TRY(parse_directives(true, &t->directives));
  TRY(parse_input_fields(&t->fields));
  EXTENSION_NOT_EMPTY(t, t->directives.empty() && t->fields.empty());
  return t;
}

#undef EXTENSION_NOT_EMPTY

bool Parser::parse_input_fields(List<InputValueDefinition>* out) {
  return optional_many(
      TokenKind::kBraceL, [this] { return parse_input_value_def(); }, TokenKind::kBraceR, out);
}

Definition* Parser::parse_type_system_extension() {
  const Token* keyword;
  TRY(lookahead(&keyword));
  if (keyword->kind != TokenKind::kName) {
    unexpected(*keyword);
    return nullptr;
  }
  switch (keyword_of(keyword->value)) {
    case Keyword::kSchema: {
      auto* s = arena_.make<SchemaDefinition>(Kind::kSchemaExtension);
      s->loc = here();
      TRY(expect_keyword("extend"));
      TRY(expect_keyword("schema"));
      TRY(parse_directives(true, &s->directives));
      TRY(optional_many(
          TokenKind::kBraceL, [this] { return parse_operation_type_definition(); },
          TokenKind::kBraceR, &s->operation_types));
      if (s->directives.empty() && s->operation_types.empty()) {
        unexpected();
        return nullptr;
      }
      return s;
    }
    case Keyword::kScalar: return parse_scalar_type_definition(Kind::kScalarTypeExtension);
    case Keyword::kType: return parse_object_type_definition(Kind::kObjectTypeExtension, "type");
    case Keyword::kInterface:
      return parse_object_type_definition(Kind::kInterfaceTypeExtension, "interface");
    case Keyword::kUnion: return parse_union_type_definition(Kind::kUnionTypeExtension);
    case Keyword::kEnum: return parse_enum_type_definition(Kind::kEnumTypeExtension);
    case Keyword::kInput:
      return parse_input_object_type_definition(Kind::kInputObjectTypeExtension);
    default: break;
  }
  unexpected(*keyword);
  return nullptr;
}

DirectiveDefinition* Parser::parse_directive_definition() {
  auto* d = arena_.make<DirectiveDefinition>();
  d->loc = here();
  TRY(parse_description(&d->description));
  TRY(expect_keyword("directive"));
  TRY(expect(TokenKind::kAt));
  TRY(parse_name(&d->name));
  TRY(parse_argument_defs(&d->arguments));
  TRY(expect_optional_keyword("repeatable", &d->repeatable));
  TRY(expect_keyword("on"));
  // delimitedMany(PIPE, parseDirectiveLocation)
  bool pipe;
  TRY(expect_optional(TokenKind::kPipe, &pipe));
  std::vector<Name> locations;
  do {
    const Token t = *tok_;
    Name name;
    TRY(parse_name(&name));
    static constexpr std::string_view kLocations[] = {"QUERY",
                                                      "MUTATION",
                                                      "SUBSCRIPTION",
                                                      "FIELD",
                                                      "FRAGMENT_DEFINITION",
                                                      "FRAGMENT_SPREAD",
                                                      "INLINE_FRAGMENT",
                                                      "VARIABLE_DEFINITION",
                                                      "SCHEMA",
                                                      "SCALAR",
                                                      "OBJECT",
                                                      "FIELD_DEFINITION",
                                                      "ARGUMENT_DEFINITION",
                                                      "INTERFACE",
                                                      "UNION",
                                                      "ENUM",
                                                      "ENUM_VALUE",
                                                      "INPUT_OBJECT",
                                                      "INPUT_FIELD_DEFINITION"};
    bool known = false;
    for (std::string_view l : kLocations)
      known |= l == name.value;
    if (!known) {
      unexpected(t);
      return nullptr;
    }
    locations.push_back(name);
    TRY(expect_optional(TokenKind::kPipe, &pipe));
  } while (pipe);
  d->locations = arena_.copy_span<Name>(locations);
  return d;
}

#undef TRY
#undef ORBIT_COLD

}  // namespace

ParseResult parse(std::string_view source, Arena& arena, const ParseOptions& options) {
  Parser p(source, arena, options);
  return p.run_document();
}

ParseResult parse_value(std::string_view source, Arena& arena, Value** out,
                        const ParseOptions& options) {
  Parser p(source, arena, options);
  return p.run_value(out);
}

ParseResult parse_type(std::string_view source, Arena& arena, Type** out,
                       const ParseOptions& options) {
  Parser p(source, arena, options);
  return p.run_type(out);
}

}  // namespace orbit::graphql
