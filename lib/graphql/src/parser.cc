#include "orbit/graphql/parser.h"

#include <fmt/format.h>

#include <vector>

#include "orbit/graphql/lexer.h"

namespace orbit::graphql {
namespace {

// Returns nullptr from the calling parse function when `expr` failed (the error is recorded).
#define TRY(expr)                \
  do {                           \
    if (!(expr)) return nullptr; \
  } while (0)

class Parser {
 public:
  Parser(std::string_view source, Arena& arena, const ParseOptions& options)
      : src_(source), arena_(arena), options_(options), lexer_(source, arena) {}

  ParseResult run_document();
  ParseResult run_value(Value** out);
  ParseResult run_type(Type** out);

 private:
  // ---- tokens ----
  bool advance();
  bool peek(TokenKind kind) const { return tok_.kind == kind; }
  bool peek_keyword(std::string_view kw) const {
    return tok_.kind == TokenKind::kName && tok_.value == kw;
  }
  bool expect(TokenKind kind, Token* consumed = nullptr);
  // Consumes the token when it has `kind`; *matched tells whether it did.
  bool expect_optional(TokenKind kind, bool* matched);
  bool expect_keyword(std::string_view kw);
  bool expect_optional_keyword(std::string_view kw, bool* matched);
  bool peek_description() const {
    return tok_.kind == TokenKind::kString || tok_.kind == TokenKind::kBlockString;
  }
  // Token after the current one, without consuming (one-token lookahead, like graphql-js).
  bool lookahead(Token* out);

  bool error_at(const Location& loc, std::string message,
                ErrorCode code = ErrorCode::kGraphqlParseFailed);
  bool unexpected(const Token& token);
  bool unexpected() { return unexpected(tok_); }
  static std::string token_description(const Token& token);

  bool enter_depth();
  void leave_depth() { --depth_; }

  // ---- lists: children are collected on a shared stack, then copied to the arena ----
  size_t list_begin() const { return stack_.size(); }
  template <typename T>
  List<T> list_end(size_t begin) {
    size_t n = stack_.size() - begin;
    if (n == 0) return {};
    auto** out = static_cast<T**>(arena_.allocate(sizeof(T*) * n, alignof(T*)));
    for (size_t i = 0; i < n; ++i)
      out[i] = static_cast<T*>(stack_[begin + i]);
    stack_.resize(begin);
    return List<T>(out, n);
  }

  // graphql-js's optionalMany(open, item, close): nothing when `open` is absent, else one or
  // more items up to `close`.
  template <typename T, typename F>
  bool optional_many(TokenKind open, F parse_item, TokenKind close, List<T>* out) {
    bool has_open;
    if (!expect_optional(open, &has_open)) return false;
    if (!has_open) return true;
    size_t begin = list_begin();
    bool done = false;
    do {
      T* item = parse_item();
      if (item == nullptr) return false;
      stack_.push_back(item);
      if (!expect_optional(close, &done)) return false;
    } while (!done);
    *out = list_end<T>(begin);
    return true;
  }

  // graphql-js's delimitedMany(delimiter, item): an optional leading delimiter, then items
  // separated by it.
  template <typename T, typename F>
  bool delimited_many(TokenKind delimiter, F parse_item, List<T>* out) {
    bool more;
    if (!expect_optional(delimiter, &more)) return false;
    size_t begin = list_begin();
    do {
      T* item = parse_item();
      if (item == nullptr) return false;
      stack_.push_back(item);
      if (!expect_optional(delimiter, &more)) return false;
    } while (more);
    *out = list_end<T>(begin);
    return true;
  }

  // ---- grammar ----
  Name parse_name_or_fail(bool* ok);
  Definition* parse_definition();
  OperationDefinition* parse_operation_definition();
  bool parse_operation_type(OperationType* out);
  bool parse_variable_definitions(List<VariableDefinition>* out);
  VariableDefinition* parse_variable_definition();
  Variable* parse_variable();
  SelectionSet* parse_selection_set();
  Selection* parse_selection();
  Field* parse_field();
  bool parse_arguments(bool is_const, List<Argument>* out);
  Argument* parse_argument(bool is_const);
  Selection* parse_fragment();
  FragmentDefinition* parse_fragment_definition();
  bool parse_fragment_name(Name* out);
  Value* parse_value(bool is_const);
  Value* parse_value_inner(bool is_const);
  StringValue* parse_string_literal();
  bool parse_directives(bool is_const, List<Directive>* out);
  Directive* parse_directive(bool is_const);
  Type* parse_type_reference();
  NamedType* parse_named_type();
  bool parse_description(StringValue** out);
  SchemaDefinition* parse_schema_definition();
  OperationTypeDefinition* parse_operation_type_definition();
  // The six named type definitions share one parse function each for the definition and its
  // extension (`kind` tells which): `"desc" type T …` and `extend type T …`.
  template <typename T>
  T* parse_type_header(Kind kind, std::string_view keyword);
  bool parse_const_directives(List<Directive>* out);
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
  bool check_directive_count(const List<Directive>& dirs, const Location& loc);

  std::string_view src_;
  Arena& arena_;
  const ParseOptions& options_;
  Lexer lexer_;
  Token tok_;
  bool has_peeked_ = false;
  Token peeked_;
  uint32_t token_count_ = 0;
  uint32_t depth_ = 0;
  uint32_t aliases_ = 0;
  bool failed_ = false;
  GraphqlError error_;
  std::vector<void*> stack_;
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
  return error_at(token.loc, "Syntax Error: Unexpected " + token_description(token) + ".");
}

bool Parser::advance() {
  if (has_peeked_) {
    tok_ = peeked_;
    has_peeked_ = false;
  } else if (!lexer_.next(&tok_)) {
    return error_at(lexer_.error_location(), lexer_.error_message());
  }
  if (tok_.kind != TokenKind::kEof) {
    ++token_count_;
    if (options_.max_tokens != 0 && token_count_ > options_.max_tokens) {
      return error_at(tok_.loc,
                      fmt::format("Syntax Error: Document contains more than {} tokens. "
                                  "Parsing aborted.",
                                  options_.max_tokens),
                      ErrorCode::kTooManyTokens);
    }
  }
  return true;
}

bool Parser::lookahead(Token* out) {
  if (!has_peeked_) {
    if (tok_.kind == TokenKind::kEof) {
      peeked_ = tok_;
    } else if (!lexer_.next(&peeked_)) {
      return error_at(lexer_.error_location(), lexer_.error_message());
    }
    has_peeked_ = true;
  }
  *out = peeked_;
  return true;
}

bool Parser::expect(TokenKind kind, Token* consumed) {
  if (tok_.kind == kind) {
    if (consumed != nullptr) *consumed = tok_;
    return advance();
  }
  return error_at(tok_.loc, "Syntax Error: Expected " + token_kind_description(kind) + ", found " +
                                token_description(tok_) + ".");
}

bool Parser::expect_optional(TokenKind kind, bool* matched) {
  *matched = tok_.kind == kind;
  return *matched ? advance() : true;
}

bool Parser::expect_keyword(std::string_view kw) {
  if (peek_keyword(kw)) return advance();
  return error_at(tok_.loc, fmt::format("Syntax Error: Expected \"{}\", found {}.", kw,
                                        token_description(tok_)));
}

bool Parser::expect_optional_keyword(std::string_view kw, bool* matched) {
  *matched = peek_keyword(kw);
  return *matched ? advance() : true;
}

bool Parser::enter_depth() {
  if (++depth_ > options_.max_depth) {
    return error_at(tok_.loc,
                    fmt::format("Syntax Error: Document exceeds the maximum nesting depth of {}.",
                                options_.max_depth),
                    ErrorCode::kMaxDepthExceeded);
  }
  return true;
}

bool Parser::check_directive_count(const List<Directive>& dirs, const Location& loc) {
  if (options_.max_directives_per_location != 0 &&
      dirs.size() > options_.max_directives_per_location) {
    return error_at(dirs[options_.max_directives_per_location]->loc,
                    fmt::format("Syntax Error: More than {} directives at one location.",
                                options_.max_directives_per_location),
                    ErrorCode::kTooManyDirectives);
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// documents

ParseResult Parser::finish(Document* doc) {
  ParseResult r;
  r.token_count = token_count_;
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
  if (!advance()) return finish(nullptr);
  size_t begin = list_begin();
  do {
    Definition* def = parse_definition();
    if (def == nullptr) return finish(nullptr);
    stack_.push_back(def);
  } while (!peek(TokenKind::kEof));
  doc->definitions = list_end<Definition>(begin);
  return finish(doc);
}

ParseResult Parser::run_value(Value** out) {
  Document* marker = nullptr;
  if (advance()) {
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
  if (advance()) {
    Type* t = parse_type_reference();
    if (t != nullptr && expect(TokenKind::kEof)) {
      *out = t;
      marker = arena_.make<Document>();
    }
  }
  return finish(marker);
}

Name Parser::parse_name_or_fail(bool* ok) {
  Name name;
  if (tok_.kind != TokenKind::kName) {
    expect(TokenKind::kName);
    *ok = false;
    return name;
  }
  name.value = tok_.value;
  name.loc = tok_.loc;
  *ok = advance();
  return name;
}

#define PARSE_NAME(target)                    \
  do {                                        \
    bool name_ok_ = false;                    \
    (target) = parse_name_or_fail(&name_ok_); \
    if (!name_ok_) return nullptr;            \
  } while (0)

Definition* Parser::parse_definition() {
  if (peek(TokenKind::kBraceL)) return parse_operation_definition();
  const bool has_description = peek_description();
  Token keyword = tok_;
  if (has_description) TRY(lookahead(&keyword));
  if (has_description && keyword.kind == TokenKind::kBraceL) {
    error_at(tok_.loc,
             "Syntax Error: Unexpected description, descriptions are not supported on shorthand "
             "queries.");
    return nullptr;
  }
  if (keyword.kind == TokenKind::kName) {
    std::string_view kw = keyword.value;
    const bool type_system = kw == "schema" || kw == "scalar" || kw == "type" ||
                             kw == "interface" || kw == "union" || kw == "enum" || kw == "input" ||
                             kw == "directive";
    if (type_system && !options_.allow_type_system) {
      error_at(keyword.loc, "Syntax Error: Unexpected " + token_description(keyword) +
                                ": type system definitions are not allowed here.");
      return nullptr;
    }
    if (kw == "schema") return parse_schema_definition();
    if (kw == "scalar") return parse_scalar_type_definition(Kind::kScalarTypeDefinition);
    if (kw == "type") return parse_object_type_definition(Kind::kObjectTypeDefinition, "type");
    if (kw == "interface") {
      return parse_object_type_definition(Kind::kInterfaceTypeDefinition, "interface");
    }
    if (kw == "union") return parse_union_type_definition(Kind::kUnionTypeDefinition);
    if (kw == "enum") return parse_enum_type_definition(Kind::kEnumTypeDefinition);
    if (kw == "input") return parse_input_object_type_definition(Kind::kInputObjectTypeDefinition);
    if (kw == "directive") return parse_directive_definition();
    if (kw == "query" || kw == "mutation" || kw == "subscription") {
      return parse_operation_definition();
    }
    if (kw == "fragment") return parse_fragment_definition();
    if (has_description) {
      error_at(tok_.loc,
               "Syntax Error: Unexpected description, only GraphQL definitions support "
               "descriptions.");
      return nullptr;
    }
    if (kw == "extend") {
      if (!options_.allow_type_system) {
        error_at(keyword.loc, "Syntax Error: Unexpected " + token_description(keyword) +
                                  ": type system extensions are not allowed here.");
        return nullptr;
      }
      return parse_type_system_extension();
    }
  }
  unexpected(keyword);
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// operations

OperationDefinition* Parser::parse_operation_definition() {
  auto* op = arena_.make<OperationDefinition>();
  op->loc = tok_.loc;
  if (peek(TokenKind::kBraceL)) {
    op->operation = OperationType::kQuery;
    TRY(op->selection_set = parse_selection_set());
    return op;
  }
  TRY(parse_description(&op->description));
  TRY(parse_operation_type(&op->operation));
  if (peek(TokenKind::kName)) PARSE_NAME(op->name);
  TRY(parse_variable_definitions(&op->variable_definitions));
  TRY(parse_directives(false, &op->directives));
  TRY(check_directive_count(op->directives, op->loc));
  TRY(op->selection_set = parse_selection_set());
  return op;
}

bool Parser::parse_operation_type(OperationType* out) {
  Token t = tok_;
  if (!expect(TokenKind::kName)) return false;
  if (t.value == "query") {
    *out = OperationType::kQuery;
  } else if (t.value == "mutation") {
    *out = OperationType::kMutation;
  } else if (t.value == "subscription") {
    *out = OperationType::kSubscription;
  } else {
    return unexpected(t);
  }
  return true;
}

bool Parser::parse_variable_definitions(List<VariableDefinition>* out) {
  return optional_many(
      TokenKind::kParenL, [this] { return parse_variable_definition(); }, TokenKind::kParenR, out);
}

VariableDefinition* Parser::parse_variable_definition() {
  auto* v = arena_.make<VariableDefinition>();
  v->loc = tok_.loc;
  TRY(parse_description(&v->description));
  TRY(v->variable = parse_variable());
  TRY(expect(TokenKind::kColon));
  TRY(v->type = parse_type_reference());
  bool has_default;
  TRY(expect_optional(TokenKind::kEquals, &has_default));
  if (has_default) TRY(v->default_value = parse_value(true));
  TRY(parse_directives(true, &v->directives));
  TRY(check_directive_count(v->directives, v->loc));
  return v;
}

Variable* Parser::parse_variable() {
  auto* v = arena_.make<Variable>();
  v->loc = tok_.loc;
  TRY(expect(TokenKind::kDollar));
  PARSE_NAME(v->name);
  return v;
}

SelectionSet* Parser::parse_selection_set() {
  TRY(enter_depth());
  auto* set = arena_.make<SelectionSet>();
  set->loc = tok_.loc;
  TRY(expect(TokenKind::kBraceL));
  size_t begin = list_begin();
  bool close = false;
  do {
    Selection* s = parse_selection();
    if (s == nullptr) return nullptr;
    stack_.push_back(s);
    TRY(expect_optional(TokenKind::kBraceR, &close));
  } while (!close);
  set->selections = list_end<Selection>(begin);
  leave_depth();
  return set;
}

Selection* Parser::parse_selection() {
  return peek(TokenKind::kSpread) ? parse_fragment() : parse_field();
}

Field* Parser::parse_field() {
  auto* f = arena_.make<Field>();
  f->loc = tok_.loc;
  Name first;
  PARSE_NAME(first);
  bool has_alias;
  TRY(expect_optional(TokenKind::kColon, &has_alias));
  if (has_alias) {
    f->alias = first;
    PARSE_NAME(f->name);
    if (options_.max_aliases != 0 && ++aliases_ > options_.max_aliases) {
      error_at(f->loc,
               fmt::format("Syntax Error: Document contains more than {} aliases.",
                           options_.max_aliases),
               ErrorCode::kTooManyAliases);
      return nullptr;
    }
  } else {
    f->name = first;
  }
  TRY(parse_arguments(false, &f->arguments));
  TRY(parse_directives(false, &f->directives));
  TRY(check_directive_count(f->directives, f->loc));
  if (peek(TokenKind::kBraceL)) TRY(f->selection_set = parse_selection_set());
  return f;
}

bool Parser::parse_arguments(bool is_const, List<Argument>* out) {
  return optional_many(
      TokenKind::kParenL, [this, is_const] { return parse_argument(is_const); }, TokenKind::kParenR,
      out);
}

Argument* Parser::parse_argument(bool is_const) {
  auto* a = arena_.make<Argument>();
  a->loc = tok_.loc;
  PARSE_NAME(a->name);
  TRY(expect(TokenKind::kColon));
  TRY(a->value = parse_value(is_const));
  return a;
}

Selection* Parser::parse_fragment() {
  Location start = tok_.loc;
  TRY(expect(TokenKind::kSpread));
  bool has_type_condition;
  TRY(expect_optional_keyword("on", &has_type_condition));
  if (!has_type_condition && peek(TokenKind::kName)) {
    auto* spread = arena_.make<FragmentSpread>();
    spread->loc = start;
    TRY(parse_fragment_name(&spread->name));
    TRY(parse_directives(false, &spread->directives));
    TRY(check_directive_count(spread->directives, start));
    return spread;
  }
  auto* inline_fragment = arena_.make<InlineFragment>();
  inline_fragment->loc = start;
  if (has_type_condition) TRY(inline_fragment->type_condition = parse_named_type());
  TRY(parse_directives(false, &inline_fragment->directives));
  TRY(check_directive_count(inline_fragment->directives, start));
  TRY(inline_fragment->selection_set = parse_selection_set());
  return inline_fragment;
}

FragmentDefinition* Parser::parse_fragment_definition() {
  auto* f = arena_.make<FragmentDefinition>();
  f->loc = tok_.loc;
  TRY(parse_description(&f->description));
  TRY(expect_keyword("fragment"));
  TRY(parse_fragment_name(&f->name));
  TRY(expect_keyword("on"));
  TRY(f->type_condition = parse_named_type());
  TRY(parse_directives(false, &f->directives));
  TRY(check_directive_count(f->directives, f->loc));
  TRY(f->selection_set = parse_selection_set());
  return f;
}

bool Parser::parse_fragment_name(Name* out) {
  if (peek_keyword("on")) return unexpected();
  bool ok = false;
  *out = parse_name_or_fail(&ok);
  return ok;
}

// ---------------------------------------------------------------------------------------------
// values

Value* Parser::parse_value(bool is_const) {
  TRY(enter_depth());
  Value* v = parse_value_inner(is_const);
  if (v != nullptr) leave_depth();
  return v;
}

Value* Parser::parse_value_inner(bool is_const) {
  const Token t = tok_;
  switch (t.kind) {
    case TokenKind::kBracketL: {
      auto* list = arena_.make<ListValue>();
      list->loc = t.loc;
      TRY(advance());
      size_t begin = list_begin();
      bool close;
      TRY(expect_optional(TokenKind::kBracketR, &close));
      while (!close) {
        Value* item = parse_value(is_const);
        if (item == nullptr) return nullptr;
        stack_.push_back(item);
        TRY(expect_optional(TokenKind::kBracketR, &close));
      }
      list->values = list_end<Value>(begin);
      return list;
    }
    case TokenKind::kBraceL: {
      auto* obj = arena_.make<ObjectValue>();
      obj->loc = t.loc;
      TRY(advance());
      size_t begin = list_begin();
      bool close;
      TRY(expect_optional(TokenKind::kBraceR, &close));
      while (!close) {
        auto* field = arena_.make<ObjectField>();
        field->loc = tok_.loc;
        PARSE_NAME(field->name);
        TRY(expect(TokenKind::kColon));
        TRY(field->value = parse_value(is_const));
        stack_.push_back(field);
        TRY(expect_optional(TokenKind::kBraceR, &close));
      }
      obj->fields = list_end<ObjectField>(begin);
      return obj;
    }
    case TokenKind::kInt: {
      TRY(advance());
      auto* v = arena_.make<IntValue>();
      v->loc = t.loc;
      v->value = t.value;
      return v;
    }
    case TokenKind::kFloat: {
      TRY(advance());
      auto* v = arena_.make<FloatValue>();
      v->loc = t.loc;
      v->value = t.value;
      return v;
    }
    case TokenKind::kString:
    case TokenKind::kBlockString: return parse_string_literal();
    case TokenKind::kName: {
      TRY(advance());
      if (t.value == "true" || t.value == "false") {
        auto* v = arena_.make<BooleanValue>();
        v->loc = t.loc;
        v->value = t.value == "true";
        return v;
      }
      if (t.value == "null") {
        auto* v = arena_.make<NullValue>();
        v->loc = t.loc;
        return v;
      }
      auto* v = arena_.make<EnumValue>();
      v->loc = t.loc;
      v->value = t.value;
      return v;
    }
    case TokenKind::kDollar:
      if (is_const) {
        TRY(advance());
        if (tok_.kind == TokenKind::kName) {
          error_at(t.loc,
                   fmt::format("Syntax Error: Unexpected variable \"${}\" in constant value.",
                               tok_.value));
          return nullptr;
        }
        unexpected(t);
        return nullptr;
      }
      return parse_variable();
    default: unexpected(); return nullptr;
  }
}

StringValue* Parser::parse_string_literal() {
  auto* s = arena_.make<StringValue>();
  s->loc = tok_.loc;
  s->value = tok_.value;
  s->block = tok_.kind == TokenKind::kBlockString;
  TRY(advance());
  return s;
}

bool Parser::parse_directives(bool is_const, List<Directive>* out) {
  if (!peek(TokenKind::kAt)) return true;
  size_t begin = list_begin();
  while (peek(TokenKind::kAt)) {
    Directive* d = parse_directive(is_const);
    if (d == nullptr) return false;
    stack_.push_back(d);
  }
  *out = list_end<Directive>(begin);
  return true;
}

Directive* Parser::parse_directive(bool is_const) {
  auto* d = arena_.make<Directive>();
  d->loc = tok_.loc;
  TRY(expect(TokenKind::kAt));
  PARSE_NAME(d->name);
  TRY(parse_arguments(is_const, &d->arguments));
  return d;
}

Type* Parser::parse_type_reference() {
  TRY(enter_depth());
  Location start = tok_.loc;
  Type* type = nullptr;
  bool is_list;
  TRY(expect_optional(TokenKind::kBracketL, &is_list));
  if (is_list) {
    auto* list = arena_.make<ListType>();
    list->loc = start;
    TRY(list->type = parse_type_reference());
    TRY(expect(TokenKind::kBracketR));
    type = list;
  } else {
    TRY(type = parse_named_type());
  }
  bool non_null;
  TRY(expect_optional(TokenKind::kBang, &non_null));
  leave_depth();
  if (non_null) {
    auto* nn = arena_.make<NonNullType>();
    nn->loc = start;
    nn->type = type;
    return nn;
  }
  return type;
}

NamedType* Parser::parse_named_type() {
  auto* t = arena_.make<NamedType>();
  t->loc = tok_.loc;
  PARSE_NAME(t->name);
  return t;
}

// ---------------------------------------------------------------------------------------------
// type system

bool Parser::parse_description(StringValue** out) {
  if (!peek_description()) return true;
  *out = parse_string_literal();
  return *out != nullptr;
}

SchemaDefinition* Parser::parse_schema_definition() {
  auto* s = arena_.make<SchemaDefinition>(Kind::kSchemaDefinition);
  s->loc = tok_.loc;
  TRY(parse_description(&s->description));
  TRY(expect_keyword("schema"));
  TRY(parse_directives(true, &s->directives));
  TRY(check_directive_count(s->directives, s->loc));
  // many(BRACE_L, parseOperationTypeDefinition, BRACE_R)
  TRY(expect(TokenKind::kBraceL));
  size_t begin = list_begin();
  bool close = false;
  do {
    OperationTypeDefinition* o = parse_operation_type_definition();
    if (o == nullptr) return nullptr;
    stack_.push_back(o);
    TRY(expect_optional(TokenKind::kBraceR, &close));
  } while (!close);
  s->operation_types = list_end<OperationTypeDefinition>(begin);
  return s;
}

OperationTypeDefinition* Parser::parse_operation_type_definition() {
  auto* o = arena_.make<OperationTypeDefinition>();
  o->loc = tok_.loc;
  TRY(parse_operation_type(&o->operation));
  TRY(expect(TokenKind::kColon));
  TRY(o->type = parse_named_type());
  return o;
}

template <typename T>
T* Parser::parse_type_header(Kind kind, std::string_view keyword) {
  auto* t = arena_.make<T>(kind);
  t->loc = tok_.loc;
  if (t->is_extension()) {
    TRY(expect_keyword("extend"));
  } else {
    TRY(parse_description(&t->description));
  }
  TRY(expect_keyword(keyword));
  PARSE_NAME(t->name);
  return t;
}

bool Parser::parse_const_directives(List<Directive>* out) {
  Location loc = tok_.loc;
  return parse_directives(true, out) && check_directive_count(*out, loc);
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
  TRY(parse_const_directives(&t->directives));
  EXTENSION_NOT_EMPTY(t, t->directives.empty());
  return t;
}

TypeDefinition* Parser::parse_object_type_definition(Kind kind, std::string_view keyword) {
  auto* t = parse_type_header<ObjectTypeDefinition>(kind, keyword);
  TRY(t);
  TRY(parse_implements_interfaces(&t->interfaces));
  TRY(parse_const_directives(&t->directives));
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
  f->loc = tok_.loc;
  TRY(parse_description(&f->description));
  PARSE_NAME(f->name);
  TRY(parse_argument_defs(&f->arguments));
  TRY(expect(TokenKind::kColon));
  TRY(f->type = parse_type_reference());
  TRY(parse_directives(true, &f->directives));
  TRY(check_directive_count(f->directives, f->loc));
  return f;
}

bool Parser::parse_argument_defs(List<InputValueDefinition>* out) {
  return optional_many(
      TokenKind::kParenL, [this] { return parse_input_value_def(); }, TokenKind::kParenR, out);
}

InputValueDefinition* Parser::parse_input_value_def() {
  auto* v = arena_.make<InputValueDefinition>();
  v->loc = tok_.loc;
  TRY(parse_description(&v->description));
  PARSE_NAME(v->name);
  TRY(expect(TokenKind::kColon));
  TRY(v->type = parse_type_reference());
  bool has_default;
  TRY(expect_optional(TokenKind::kEquals, &has_default));
  if (has_default) TRY(v->default_value = parse_value(true));
  TRY(parse_directives(true, &v->directives));
  TRY(check_directive_count(v->directives, v->loc));
  return v;
}

TypeDefinition* Parser::parse_union_type_definition(Kind kind) {
  auto* t = parse_type_header<UnionTypeDefinition>(kind, "union");
  TRY(t);
  TRY(parse_const_directives(&t->directives));
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
  TRY(parse_const_directives(&t->directives));
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
  v->loc = tok_.loc;
  TRY(parse_description(&v->description));
  if (peek_keyword("true") || peek_keyword("false") || peek_keyword("null")) {
    error_at(tok_.loc, "Syntax Error: " + token_description(tok_) +
                           " is reserved and cannot be used for an enum value.");
    return nullptr;
  }
  PARSE_NAME(v->name);
  TRY(parse_directives(true, &v->directives));
  TRY(check_directive_count(v->directives, v->loc));
  return v;
}

TypeDefinition* Parser::parse_input_object_type_definition(Kind kind) {
  auto* t = parse_type_header<InputObjectTypeDefinition>(kind, "input");
  TRY(t);
  TRY(parse_const_directives(&t->directives));
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
  Token keyword;
  TRY(lookahead(&keyword));
  if (keyword.kind != TokenKind::kName) {
    unexpected(keyword);
    return nullptr;
  }
  const Location start = tok_.loc;
  std::string_view kw = keyword.value;
  if (kw == "schema") {
    auto* s = arena_.make<SchemaDefinition>(Kind::kSchemaExtension);
    s->loc = start;
    TRY(expect_keyword("extend"));
    TRY(expect_keyword("schema"));
    TRY(parse_directives(true, &s->directives));
    TRY(check_directive_count(s->directives, s->loc));
    TRY(optional_many(
        TokenKind::kBraceL, [this] { return parse_operation_type_definition(); },
        TokenKind::kBraceR, &s->operation_types));
    if (s->directives.empty() && s->operation_types.empty()) {
      unexpected();
      return nullptr;
    }
    return s;
  }
  if (kw == "scalar") return parse_scalar_type_definition(Kind::kScalarTypeExtension);
  if (kw == "type") return parse_object_type_definition(Kind::kObjectTypeExtension, "type");
  if (kw == "interface") {
    return parse_object_type_definition(Kind::kInterfaceTypeExtension, "interface");
  }
  if (kw == "union") return parse_union_type_definition(Kind::kUnionTypeExtension);
  if (kw == "enum") return parse_enum_type_definition(Kind::kEnumTypeExtension);
  if (kw == "input") return parse_input_object_type_definition(Kind::kInputObjectTypeExtension);
  unexpected(keyword);
  return nullptr;
}

DirectiveDefinition* Parser::parse_directive_definition() {
  auto* d = arena_.make<DirectiveDefinition>();
  d->loc = tok_.loc;
  TRY(parse_description(&d->description));
  TRY(expect_keyword("directive"));
  TRY(expect(TokenKind::kAt));
  PARSE_NAME(d->name);
  TRY(parse_argument_defs(&d->arguments));
  TRY(expect_optional_keyword("repeatable", &d->repeatable));
  TRY(expect_keyword("on"));
  // delimitedMany(PIPE, parseDirectiveLocation)
  bool pipe;
  TRY(expect_optional(TokenKind::kPipe, &pipe));
  std::vector<Name> locations;
  do {
    Token t = tok_;
    Name name;
    PARSE_NAME(name);
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

#undef PARSE_NAME
#undef TRY

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
