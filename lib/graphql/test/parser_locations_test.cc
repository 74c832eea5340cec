// Every node and name of a parsed document carries the line and column of its first character,
// with columns in UTF-16 code units (graphql-js's convention). These tests recompute each
// location from its byte offset, independently of the lexer, for documents that exercise every
// way a line or a column can move: the three line terminators, multi-byte characters in
// strings, comments and block strings, a byte order mark, and escapes.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "ast_walk.h"
#include "orbit/graphql/parser.h"

namespace orbit::graphql {
namespace {

// Line and column of `offset` by the spec's line terminators (\n, \r\n, \r); UTF-8 sequences
// of four bytes are two UTF-16 units, shorter ones one.
SourceLocation reference_location(std::string_view src, uint32_t offset) {
  uint32_t line = 1;
  uint32_t column = 1;
  for (uint32_t i = 0; i < offset; ++i) {
    auto c = static_cast<unsigned char>(src[i]);
    if (c == '\n' || (c == '\r' && (i + 1 >= src.size() || src[i + 1] != '\n'))) {
      ++line;
      column = 1;
    } else if (c == '\r') {
      // first half of \r\n: the line ends at the \n
    } else if (c >= 0xF0) {
      column += 2;
    } else if (c < 0x80 || c >= 0xC0) {
      column += 1;
    }
  }
  return {line, column};
}

void expect_locations(std::string_view src) {
  Arena arena;
  ParseResult r = parse(src, arena);
  ASSERT_TRUE(r.ok()) << r.error.message << "\n" << src;
  size_t nodes = 0;
  size_t names = 0;
  uint32_t previous = 0;
  auto check = [&](std::string_view what, const Location& loc) {
    SourceLocation want = reference_location(src, loc.offset);
    EXPECT_EQ(loc.line, want.line) << what << " at byte " << loc.offset << "\n" << src;
    EXPECT_EQ(loc.column, want.column) << what << " at byte " << loc.offset << "\n" << src;
    // The walk is in source order, so first characters never go backwards.
    EXPECT_GE(loc.offset, previous) << what << "\n" << src;
    previous = loc.offset;
  };
  testing::walk(
      r.document,
      [&](const Node& n) {
        ++nodes;
        if (n.kind != Kind::kDocument) check(kind_name(n.kind), n.loc);
      },
      [&](const Name& n) {
        ++names;
        check(n.value, n.loc);
        ASSERT_LE(n.loc.offset + n.value.size(), src.size());
        EXPECT_EQ(src.substr(n.loc.offset, n.value.size()), n.value);
      });
  EXPECT_GT(nodes, 1u);
  EXPECT_GT(names, 0u);
}

TEST(ParserLocations, ExecutableDocument) {
  expect_locations(R"(query Q($id: ID! = "1" @d, $list: [[Int!]] = [[1, 2], [3]]) @op {
  alias: field(a: 1, b: -2.5e3, c: "s", d: """block""", e: true, f: null, g: ENUM,
      h: [1, $id], i: {x: 1, y: {z: [$list]}}) @skip(if: false) {
    ...Frag @include(if: true)
    ... on T { x }
    ... @include(if: true) { y }
    ... { w }
  }
}
fragment Frag on T { z }
{ shorthand }
subscription S { s }
mutation { m(a: "\u00e9\uD83D\uDE00") }
)");
}

TEST(ParserLocations, LineTerminators) {
  expect_locations("{\r\n  a\r  b\n  c\r\n\r\n  d(x:\r1)\n\r e }\r");
  expect_locations("query\rQ\r\n{\n\ra\r\n}");
}

TEST(ParserLocations, MultiByteCharactersAndBom) {
  // U+FEFF, "é" (2 bytes, 1 unit), "€" (3 bytes, 1 unit), "😀" (4 bytes, 2 units).
  expect_locations("\xEF\xBB\xBF{ a }");
  expect_locations(
      "# \xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80 comment\n{ a(s: \"\xF0\x9F\x98\x80\") b }");
  expect_locations(
      "{ a(s: \"\xC3\xA9\", t: \"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\") b # \xF0\x9F\x98\x80\n c "
      "\xEF\xBB\xBF d }");
  expect_locations(
      "\"\"\"\xF0\x9F\x98\x80 block\r\n  \xE2\x82\xAC second line \xF0\x9F\x98\x80\"\"\" "
      "type T { \"\xF0\x9F\x98\x80\" f: Int }");
}

TEST(ParserLocations, BlockStringsSpanLines) {
  expect_locations(
      "{ f(a: \"\"\"\n    one\r\n    two\r    three \\\"\"\" \n  \"\"\" b: 1) g\n h }");
  expect_locations("\"\"\"\n  Type\n  \"\"\"\ntype T {\n  \"\"\"\n  field\n  \"\"\"\n  f: Int\n}");
}

TEST(ParserLocations, TypeSystemDocument) {
  expect_locations(R"("""Schema."""
schema @a { query: Query mutation: M }
extend schema @b
scalar Date @specifiedBy(url: "x")
extend scalar Date @c
"Type"
type Query implements A & B @key(fields: "id") {
  "field" f("arg" a: Int = 1 @d, b: [In!]! = [{x: 1}]): [String!]! @deprecated
  g: Int
}
extend type Query implements C { h: Int }
interface A implements B { f: Int }
extend interface A @e
union U @f = | X | Y
extend union U = Z
enum E { "desc" ONE @g TWO }
extend enum E { THREE }
input In @oneOf { a: Int = 1 b: [String] }
extend input In { c: Int }
"dir" directive @d("x" a: Int) repeatable on FIELD_DEFINITION | ARGUMENT_DEFINITION
directive @e on | OBJECT
)");
}

TEST(ParserLocations, ValuesAndTypesAlone) {
  Arena arena;
  Value* v = nullptr;
  ASSERT_TRUE(parse_value("\n  {a: [1,\r\n 2]}", arena, &v).ok());
  EXPECT_EQ(v->loc.line, 2u);
  EXPECT_EQ(v->loc.column, 3u);
  auto* list = v->as<ObjectValue>()->fields[0]->value->as<ListValue>();
  EXPECT_EQ(list->values[1]->loc.line, 3u);
  EXPECT_EQ(list->values[1]->loc.column, 2u);
  Type* t = nullptr;
  ASSERT_TRUE(parse_type(" [\n Int!]!", arena, &t).ok());
  EXPECT_EQ(t->loc.column, 2u);
  EXPECT_EQ(named_type_of(t)->loc.line, 2u);
  EXPECT_EQ(named_type_of(t)->loc.column, 2u);
}

}  // namespace
}  // namespace orbit::graphql
