#include "orbit/graphql/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "orbit/graphql/lexer.h"

namespace orbit::graphql {
namespace {

struct Failure {
  std::string message;
  uint32_t line;
  uint32_t column;
};

Failure parse_error(std::string_view src, const ParseOptions& options = {}) {
  Arena arena;
  ParseResult r = parse(src, arena, options);
  EXPECT_FALSE(r.ok()) << src;
  if (r.ok()) return {};
  EXPECT_EQ(r.error.locations.size(), 1u);
  return {r.error.message, r.error.locations[0].line, r.error.locations[0].column};
}

void expect_error(std::string_view src, std::string_view message, uint32_t line, uint32_t col) {
  Failure f = parse_error(src);
  EXPECT_EQ(f.message, message) << src;
  EXPECT_EQ(f.line, line) << src;
  EXPECT_EQ(f.column, col) << src;
}

TEST(Parser, ParsesQueryWithEverything) {
  Arena arena;
  std::string_view src = R"(
query Q($id: ID! = "1" @d, $list: [[Int!]]) @op {
  alias: field(a: 1, b: 2.5e3, c: "s", d: """block""", e: true, f: null, g: ENUM, h: [1, $id], i: {x: 1}) @skip(if: false) {
    ...Frag
    ... on T { x }
    ... @include(if: true) { y }
  }
}
fragment Frag on T { z }
)";
  ParseResult r = parse(src, arena);
  ASSERT_TRUE(r.ok()) << r.error.message;
  ASSERT_EQ(r.document->definitions.size(), 2u);
  auto* op = r.document->definitions[0]->as<OperationDefinition>();
  EXPECT_EQ(op->kind, Kind::kOperationDefinition);
  EXPECT_EQ(op->name.value, "Q");
  EXPECT_EQ(op->loc.line, 2u);
  EXPECT_EQ(op->loc.column, 1u);
  ASSERT_EQ(op->variable_definitions.size(), 2u);
  EXPECT_EQ(op->variable_definitions[0]->variable->name.value, "id");
  EXPECT_EQ(op->variable_definitions[0]->type->kind, Kind::kNonNullType);
  EXPECT_EQ(op->variable_definitions[0]->default_value->as<StringValue>()->value, "1");
  EXPECT_EQ(op->variable_definitions[1]->type->kind, Kind::kListType);
  ASSERT_EQ(op->directives.size(), 1u);
  auto* field = op->selection_set->selections[0]->as<Field>();
  EXPECT_EQ(field->alias.value, "alias");
  EXPECT_EQ(field->name.value, "field");
  EXPECT_EQ(field->response_key(), "alias");
  EXPECT_EQ(field->loc.line, 3u);
  EXPECT_EQ(field->loc.column, 3u);
  EXPECT_EQ(field->name.loc.column, 10u);
  ASSERT_EQ(field->arguments.size(), 9u);
  EXPECT_EQ(field->arguments[1]->value->kind, Kind::kFloatValue);
  EXPECT_EQ(field->arguments[1]->value->as<FloatValue>()->value, "2.5e3");
  EXPECT_TRUE(field->arguments[3]->value->as<StringValue>()->block);
  EXPECT_EQ(field->arguments[6]->value->as<EnumValue>()->value, "ENUM");
  ASSERT_EQ(field->selection_set->selections.size(), 3u);
  EXPECT_EQ(field->selection_set->selections[0]->kind, Kind::kFragmentSpread);
  auto* inl = field->selection_set->selections[1]->as<InlineFragment>();
  EXPECT_EQ(inl->type_condition->name.value, "T");
  auto* inl2 = field->selection_set->selections[2]->as<InlineFragment>();
  EXPECT_EQ(inl2->type_condition, nullptr);
  EXPECT_EQ(inl2->directives.size(), 1u);
  auto* frag = r.document->definitions[1]->as<FragmentDefinition>();
  EXPECT_EQ(frag->name.value, "Frag");
  EXPECT_EQ(frag->type_condition->name.value, "T");
}

TEST(Parser, ParsesTypeSystem) {
  Arena arena;
  std::string_view src = R"(
"""The schema"""
schema @a { query: Q mutation: M }
extend schema @b
"scalar desc" scalar Date @specifiedBy(url: "x")
type Q implements & A & B @k(fields: "id") { "f desc" f(a: Int = 1 @d, b: [String!]!): String @deprecated }
interface A implements B { f: String }
extend interface A @x
union U = | X | Y
extend union U = Z
enum E { A B @deprecated }
extend enum E { C }
input I @oneOf { a: Int, b: String = "x" }
extend input I { c: Int }
directive @d(x: Int) repeatable on FIELD | FRAGMENT_SPREAD
extend type Q { g: Int }
extend scalar Date @x
)";
  ParseResult r = parse(src, arena);
  ASSERT_TRUE(r.ok()) << r.error.message;
  const auto& defs = r.document->definitions;
  ASSERT_EQ(defs.size(), 15u);
  auto* schema = defs[0]->as<SchemaDefinition>();
  EXPECT_EQ(schema->description->value, "The schema");
  EXPECT_TRUE(schema->description->block);
  EXPECT_EQ(schema->operation_types.size(), 2u);
  EXPECT_TRUE(defs[1]->as<SchemaDefinition>()->is_extension());
  auto* q = defs[3]->as<ObjectTypeDefinition>();
  EXPECT_EQ(q->interfaces.size(), 2u);
  EXPECT_EQ(q->fields[0]->description->value, "f desc");
  EXPECT_EQ(q->fields[0]->arguments.size(), 2u);
  EXPECT_EQ(defs[4]->kind, Kind::kInterfaceTypeDefinition);
  EXPECT_TRUE(defs[4]->as<ObjectTypeDefinition>()->is_interface());
  EXPECT_EQ(defs[6]->as<UnionTypeDefinition>()->types.size(), 2u);
  EXPECT_EQ(defs[8]->as<EnumTypeDefinition>()->values.size(), 2u);
  auto* dir = defs[12]->as<DirectiveDefinition>();
  EXPECT_TRUE(dir->repeatable);
  ASSERT_EQ(dir->locations.size(), 2u);
  EXPECT_EQ(dir->locations[1].value, "FRAGMENT_SPREAD");
  EXPECT_EQ(defs[13]->kind, Kind::kObjectTypeExtension);
  EXPECT_EQ(defs[14]->kind, Kind::kScalarTypeExtension);
}

TEST(Parser, ExecutableDescriptions) {
  Arena arena;
  ParseResult r = parse(R"("op" query Q("v" $a: Int) { a } "frag" fragment F on T { a })", arena);
  ASSERT_TRUE(r.ok()) << r.error.message;
  auto* op = r.document->definitions[0]->as<OperationDefinition>();
  EXPECT_EQ(op->description->value, "op");
  EXPECT_EQ(op->variable_definitions[0]->description->value, "v");
  EXPECT_EQ(r.document->definitions[1]->as<FragmentDefinition>()->description->value, "frag");
}

TEST(Parser, StringEscapes) {
  Arena arena;
  ParseResult r = parse(R"({ f(a: "\u00e9\uD83D\uDE00\u{1F600}\n\t\"\\\/") })", arena);
  ASSERT_TRUE(r.ok()) << r.error.message;
  auto* f = r.document->definitions[0]
                ->as<OperationDefinition>()
                ->selection_set->selections[0]
                ->as<Field>();
  EXPECT_EQ(f->arguments[0]->value->as<StringValue>()->value,
            "\xC3\xA9\xF0\x9F\x98\x80\xF0\x9F\x98\x80\n\t\"\\/");
}

TEST(Parser, BlockStringIndentation) {
  Arena arena;
  std::string_view src =
      "{ f(a: \"\"\"\n\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  \"\"\") }";
  ParseResult r = parse(src, arena);
  ASSERT_TRUE(r.ok()) << r.error.message;
  auto* f = r.document->definitions[0]
                ->as<OperationDefinition>()
                ->selection_set->selections[0]
                ->as<Field>();
  EXPECT_EQ(f->arguments[0]->value->as<StringValue>()->value,
            "Hello,\n  World!\n\nYours,\n  GraphQL.");
  // Escaped triple quotes, and locations after a multi-line block string.
  r = parse("{ f(a: \"\"\"a \\\"\"\" b\n c\"\"\") g }", arena);
  ASSERT_TRUE(r.ok()) << r.error.message;
  auto* sel = r.document->definitions[0]->as<OperationDefinition>()->selection_set;
  EXPECT_EQ(sel->selections[0]->as<Field>()->arguments[0]->value->as<StringValue>()->value,
            "a \"\"\" b\nc");
  EXPECT_EQ(sel->selections[1]->loc.line, 2u);
  EXPECT_EQ(sel->selections[1]->loc.column, 8u);
}

TEST(Parser, ColumnsCountUtf16Units) {
  Arena arena;
  // "é" is 2 bytes / 1 unit; "😀" is 4 bytes / 2 units.
  ParseResult r = parse("{ a(x: \"\xC3\xA9\xF0\x9F\x98\x80\") b }", arena);
  ASSERT_TRUE(r.ok());
  auto* sel = r.document->definitions[0]->as<OperationDefinition>()->selection_set;
  EXPECT_EQ(sel->selections[1]->loc.column, 15u);
}

TEST(Parser, SyntaxErrorsMatchGraphqlJs) {
  expect_error("", "Syntax Error: Unexpected <EOF>.", 1, 1);
  expect_error("{", "Syntax Error: Expected Name, found <EOF>.", 1, 2);
  expect_error("{ a(b: ) }", "Syntax Error: Unexpected \")\".", 1, 8);
  expect_error("query Q { ...on }", "Syntax Error: Expected Name, found \"}\".", 1, 17);
  expect_error("fragment on on T { a }", "Syntax Error: Unexpected Name \"on\".", 1, 10);
  expect_error("{ a }\nnotAnOperation", "Syntax Error: Unexpected Name \"notAnOperation\".", 2, 1);
  expect_error("{ a(x: \"abc) }", "Syntax Error: Unterminated string.", 1, 15);
  expect_error("{ a(x: \"\\x\") }", "Syntax Error: Invalid character escape sequence: \"\\x\".", 1,
               9);
  expect_error("{ a(x: \"\\uD83D\") }",
               "Syntax Error: Invalid Unicode escape sequence: \"\\uD83D\".", 1, 9);
  expect_error("{ a(x: 01) }", "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", 1,
               9);
  expect_error("{ a(x: 1.) }", "Syntax Error: Invalid number, expected digit but got: \")\".", 1,
               10);
  expect_error("{ a(x: 1x) }", "Syntax Error: Invalid number, expected digit but got: \"x\".", 1,
               9);
  expect_error("{ a(x: .5) }",
               "Syntax Error: Invalid number, expected digit before \".\", did you mean \"0.5\"?",
               1, 8);
  expect_error("{ ..a }", "Syntax Error: Unexpected \"..\", did you mean \"...\"?", 1, 3);
  expect_error("{ a(x: 'b') }",
               "Syntax Error: Unexpected single quote character ('), did you mean to use a "
               "double quote (\")?",
               1, 8);
  expect_error("{ ? }", "Syntax Error: Unexpected character: \"?\".", 1, 3);
  expect_error("{ \xC3\xA9 }", "Syntax Error: Unexpected character: U+00E9.", 1, 3);
  expect_error("query Q($a: Int = $b) { a }",
               "Syntax Error: Unexpected variable \"$b\" in constant value.", 1, 19);
  expect_error("enum E { true }",
               "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.", 1,
               10);
  expect_error("extend type T", "Syntax Error: Unexpected <EOF>.", 1, 14);
  expect_error("directive @d on NOWHERE", "Syntax Error: Unexpected Name \"NOWHERE\".", 1, 17);
  expect_error("\"desc\" { a }",
               "Syntax Error: Unexpected description, descriptions are not supported on "
               "shorthand queries.",
               1, 1);
  expect_error("\"desc\" extend type T { a: Int }",
               "Syntax Error: Unexpected description, only GraphQL definitions support "
               "descriptions.",
               1, 1);
  expect_error("{ a }}", "Syntax Error: Unexpected \"}\".", 1, 6);
  expect_error("{}", "Syntax Error: Expected Name, found \"}\".", 1, 2);
}

TEST(Parser, LimitsAreEnforced) {
  ParseOptions options;
  options.max_tokens = 5;
  EXPECT_EQ(parse_error("{ a b c d e f }", options).message,
            "Syntax Error: Document contains more than 5 tokens. Parsing aborted.");
  options = {};
  options.max_bytes = 4;
  EXPECT_NE(parse_error("{ abc }", options).message.find("larger than 4 bytes"), std::string::npos);
  options = {};
  options.max_aliases = 1;
  EXPECT_NE(parse_error("{ a: x b: y }", options).message.find("more than 1 aliases"),
            std::string::npos);
  options = {};
  options.max_directives_per_location = 2;
  EXPECT_NE(parse_error("{ a @x @y @z }", options).message.find("More than 2 directives"),
            std::string::npos);
  options = {};
  options.allow_type_system = false;
  EXPECT_NE(parse_error("type T { a: Int }", options).message.find("not allowed"),
            std::string::npos);
}

// The lexer hands tokens to the parser in batches; what happens at a batch boundary must not
// depend on where the boundary falls. A description needs one token of lookahead, a lexical
// error or the token limit stops a batch early: each is placed at every position across
// several batch lengths.
TEST(Parser, TokensAcrossBatchBoundaries) {
  for (uint32_t k = 0; k < 300; ++k) {
    std::string prefix = "query Q {";
    for (uint32_t i = 0; i <= k; ++i)
      prefix += " a";
    prefix += " }\n";
    const uint32_t prefix_tokens = 5 + k;  // query Q { a… }
    const auto column = [&](std::string_view after) {
      return static_cast<uint32_t>(after.size()) + 1;
    };
    {
      const std::string src = prefix + "\"desc\" type T { f: Int }";
      Arena arena;
      ParseResult r = parse(src, arena);
      ASSERT_TRUE(r.ok()) << k << ": " << r.error.message;
      ASSERT_EQ(r.document->definitions.size(), 2u);
      auto* type = r.document->definitions[1]->as<ObjectTypeDefinition>();
      EXPECT_EQ(type->description->value, "desc");
      EXPECT_EQ(type->name.loc.line, 2u);
      EXPECT_EQ(type->name.loc.column, column("\"desc\" type "));
      EXPECT_EQ(r.token_count, prefix_tokens + 8);
    }
    {
      // The limit falls on the keyword after the description: lookahead reads it, advancing
      // onto it fails.
      ParseOptions options;
      options.max_tokens = prefix_tokens + 1;
      Failure f = parse_error(prefix + "\"desc\" type T { f: Int }", options);
      EXPECT_EQ(f.message, "Syntax Error: Document contains more than " +
                               std::to_string(prefix_tokens + 1) + " tokens. Parsing aborted.")
          << k;
      EXPECT_EQ(f.line, 2u);
      EXPECT_EQ(f.column, column("\"desc\" "));
    }
    {
      // A lexical error right after the description, found by the lookahead.
      Failure f = parse_error(prefix + "\"desc\" ?");
      EXPECT_EQ(f.message, "Syntax Error: Unexpected character: \"?\".") << k;
      EXPECT_EQ(f.line, 2u);
      EXPECT_EQ(f.column, column("\"desc\" "));
    }
    {
      // A lexical error after a syntax error is never reached.
      Failure f = parse_error(prefix + "} ?");
      EXPECT_EQ(f.message, "Syntax Error: Unexpected \"}\".") << k;
      EXPECT_EQ(f.column, 1u);
    }
  }
}

TEST(Parser, DeepNestingIsRejectedNotACrash) {
  for (std::string open : {"{a", "[", "{b:"}) {
    std::string src = open == "{a" ? "" : "{ f(a: ";
    for (int i = 0; i < 100000; ++i)
      src += open;
    Arena arena;
    ParseResult r = parse(src, arena);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error.code, ErrorCode::kMaxDepthExceeded) << r.error.message;
  }
  std::string type = "query($a: ";
  for (int i = 0; i < 100000; ++i)
    type += "[";
  Arena arena;
  ParseResult r = parse(type, arena);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error.code, ErrorCode::kMaxDepthExceeded);
}

// The lexer's loops skip bounds checks unless the document, without its trailing blanks,
// ends inside a name or a number; both kinds of ending, and <EOF> after trailing blanks.
TEST(Parser, DocumentEndings) {
  Arena arena;
  Value* v = nullptr;
  ASSERT_TRUE(parse_value("123", arena, &v).ok());
  EXPECT_EQ(v->as<IntValue>()->value, "123");
  ASSERT_TRUE(parse_value("ENUM_1", arena, &v).ok());
  EXPECT_EQ(v->as<EnumValue>()->value, "ENUM_1");
  ASSERT_TRUE(parse_value(" \"s\" \n", arena, &v).ok());
  EXPECT_EQ(v->as<StringValue>()->value, "s");
  Type* t = nullptr;
  ASSERT_TRUE(parse_type("Int", arena, &t).ok());
  EXPECT_EQ(named_type_of(t)->name.value, "Int");
  ParseResult r = parse("{ a } # the end", arena);
  ASSERT_TRUE(r.ok()) << r.error.message;
  r = parse("{ a }\n\n", arena);
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.token_count, 3u);
  expect_error("{ a", "Syntax Error: Expected Name, found <EOF>.", 1, 4);
  expect_error("{ a\n\n , \t", "Syntax Error: Expected Name, found <EOF>.", 3, 5);
  expect_error("{ a\r\n", "Syntax Error: Expected Name, found <EOF>.", 2, 1);
  expect_error("{ a ...", "Syntax Error: Expected \"{\", found <EOF>.", 1, 8);
  expect_error("{ a ..", "Syntax Error: Unexpected \"..\", did you mean \"...\"?", 1, 5);
  expect_error("{ a(x: \"abc", "Syntax Error: Unterminated string.", 1, 12);
  expect_error("{ a(x: \"abc  ", "Syntax Error: Unterminated string.", 1, 14);
  expect_error("{ a(x: 12", "Syntax Error: Expected Name, found <EOF>.", 1, 10);
  expect_error("{ a(x: 01", "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", 1, 9);
  expect_error("{ a(x: 1.", "Syntax Error: Invalid number, expected digit but got: <EOF>.", 1, 10);
}

TEST(Parser, ParsesValueAndType) {
  Arena arena;
  Value* v = nullptr;
  ASSERT_TRUE(parse_value("{a: [1, 2], b: $x}", arena, &v).ok());
  EXPECT_EQ(v->kind, Kind::kObjectValue);
  Type* t = nullptr;
  ASSERT_TRUE(parse_type("[Int!]!", arena, &t).ok());
  EXPECT_EQ(t->kind, Kind::kNonNullType);
  EXPECT_EQ(named_type_of(t)->name.value, "Int");
  EXPECT_FALSE(parse_type("[Int", arena, &t).ok());
}

}  // namespace
}  // namespace orbit::graphql
