#include "orbit/graphql/printer.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/parser.h"

namespace orbit::graphql {
namespace {

using namespace std::string_view_literals;

// Expected texts come from graphql-js 17.1.0: `print(parse(source))`, `printBlockString(v)`
// and `printString(v)` (tests/npm/node_modules/graphql/language/).

Document* parse_or_fail(std::string_view source, Arena& arena) {
  ParseResult r = parse(source, arena);
  EXPECT_TRUE(r.ok()) << r.error.message << "\n" << source;
  return r.document;
}

TEST(BlockStringLiteral, MatchesGraphqlJs) {
  struct Case {
    std::string_view value;
    std::string_view printed;
  };
  const Case cases[] = {
      {""sv, "\"\"\"\"\"\""sv},
      {"a"sv, "\"\"\"a\"\"\""sv},
      {" a"sv, "\"\"\" a\"\"\""sv},
      {"\ta"sv, "\"\"\"\ta\"\"\""sv},
      {"a\nb"sv, "\"\"\"\na\nb\n\"\"\""sv},
      {"a\n b"sv, "\"\"\"\na\n b\n\"\"\""sv},
      {"\na"sv, "\"\"\"\n\na\n\"\"\""sv},
      {"a\n"sv, "\"\"\"\na\n\n\"\"\""sv},
      {"a\n\n"sv, "\"\"\"\na\n\n\n\"\"\""sv},
      {"\n"sv, "\"\"\"\n\n\n\"\"\""sv},
      {" "sv, "\"\"\" \"\"\""sv},
      {"a\""sv, "\"\"\"\na\"\n\"\"\""sv},
      {"a\"\"\""sv, "\"\"\"\na\\\"\"\"\n\"\"\""sv},
      {"\"\"\""sv, "\"\"\"\n\\\"\"\"\n\"\"\""sv},
      {"a\\"sv, "\"\"\"\na\\\n\"\"\""sv},
      {"a\\\"\"\"b"sv, "\"\"\"a\\\\\"\"\"b\"\"\""sv},
      {"a\"\"\"\"b"sv, "\"\"\"a\\\"\"\"\"b\"\"\""sv},
      {"a\r\nb"sv, "\"\"\"\na\r\nb\n\"\"\""sv},
      {"a\rb"sv, "\"\"\"\na\rb\n\"\"\""sv},
      {"a\r\n b"sv, "\"\"\"\na\r\n b\n\"\"\""sv},
      {"a\r b"sv, "\"\"\"\na\r b\n\"\"\""sv},
      {" a\n b"sv, "\"\"\"\n a\n b\n\"\"\""sv},
      {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"sv,
       "\"\"\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\"\""sv},
      {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"sv,
       "\"\"\"\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n\"\"\""sv},
      {"éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"sv,
       "\"\"\"éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé\"\"\""sv},
      {"ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"sv,
       "\"\"\"\nééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé\n\"\"\""sv},
      {"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"sv,
       "\"\"\"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀\"\"\""sv},
      {"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"sv,
       "\"\"\"\n😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀\n\"\"\""sv},
      {"a\n\tb"sv, "\"\"\"\na\n\tb\n\"\"\""sv},
      {"a\001b"sv, "\"\"\"a\001b\"\"\""sv},
      {"  a\n\""sv, "\"\"\"\n  a\n\"\n\"\"\""sv},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(block_string_literal(c.value), c.printed) << c.value;
  }
}

TEST(AppendStringLiteral, MatchesGraphqlJs) {
  struct Case {
    std::string_view value;
    std::string_view printed;
  };
  const Case cases[] = {
      {""sv, "\"\""sv},
      {"a"sv, "\"a\""sv},
      {"\""sv, "\"\\\"\""sv},
      {"\\"sv, "\"\\\\\""sv},
      {"\010\t\n\014\r"sv, "\"\\b\\t\\n\\f\\r\""sv},
      {"\000\001\037"sv, "\"\\u0000\\u0001\\u001F\""sv},
      {"\177\302\200\302\205\302\237\u00a0"sv, "\"\\u007F\\u0080\\u0085\\u009F\u00a0\""sv},
      {"é日😀"sv, "\"é日😀\""sv},
      {"a\"b\\c"sv, "\"a\\\"b\\\\c\""sv},
      {"/"sv, "\"/\""sv},
      {"a\013b\0331"sv, "\"a\\u000Bb\\u001B1\""sv},
      {"\u2028"sv, "\"\u2028\""sv},
  };
  for (const Case& c : cases) {
    std::string out;
    append_string_literal(out, c.value);
    EXPECT_EQ(out, c.printed) << c.value;
  }
}

TEST(AppendStringLiteral, AppendsToExistingText) {
  std::string out = "f(a:";
  append_string_literal(out, "x\ny");
  EXPECT_EQ(out, R"(f(a:"x\ny")");
}

TEST(AppendStringLiteral, LoneC2ByteIsNotAnEscape) {
  // Truncated UTF-8 (C2 at the end, C2 before a non-C1 byte) is copied through.
  std::string out;
  append_string_literal(out, "a\302"sv);
  EXPECT_EQ(out, "\"a\302\""sv);
  out.clear();
  append_string_literal(out, "\302\251"sv);  // U+00A9
  EXPECT_EQ(out, "\"\302\251\""sv);
}

struct PrintCase {
  const char* name;
  std::string_view source;
  std::string_view expected;
};

// print() of each source must equal graphql-js's print() of it.
const PrintCase kPrintCases[] = {
    {"shorthand_query", R"gql({ a b { c } })gql",
     R"gql({
  a
  b {
    c
  }
})gql"},
    {"named_query", R"gql(query Q { a })gql",
     R"gql(query Q {
  a
})gql"},
    {"anonymous_query_with_variables", R"gql(query ($a: Int) { a(x: $a) })gql",
     R"gql(query ($a: Int) {
  a(x: $a)
})gql"},
    {"anonymous_query_with_directive", R"gql(query @d { a })gql",
     R"gql(query @d {
  a
})gql"},
    {"mutation_and_subscription", R"gql(mutation { a } subscription S { b })gql",
     R"gql(mutation {
  a
}

subscription S {
  b
})gql"},
    {"aliases_arguments_directives",
     R"gql({ alias: f(a: 1, b: "x") @include(if: $v) @skip(if: false) { id } })gql",
     R"gql({
  alias: f(a: 1, b: "x") @include(if: $v) @skip(if: false) {
    id
  }
})gql"},
    {"fragments",
     R"gql(query Q { ...F @d ... on T { a } ... @include(if: true) { b } ... { c } }
fragment F on T @d(x: 1) { a })gql",
     R"gql(query Q {
  ...F @d
  ... on T {
    a
  }
  ... @include(if: true) {
    b
  }
  ... {
    c
  }
}

fragment F on T @d(x: 1) {
  a
})gql"},
    {"variable_definitions",
     R"gql(query Q($a: Int = 1 @d, $b: [String!]! = ["x"], $c: In = {a: [1, 2]} @e(x: 1) @f) { a })gql",
     R"gql(query Q($a: Int = 1 @d, $b: [String!]! = ["x"], $c: In = { a: [1, 2] } @e(x: 1) @f) {
  a
})gql"},
    {"all_values",
     R"gql({ f(i: -12, f: 1.5e3, s: "s", t: true, n: null, e: ENUM, v: $v, l: [], o: {}, lo: [{a: 1}]) })gql",
     R"gql({
  f(
    i: -12
    f: 1.5e3
    s: "s"
    t: true
    n: null
    e: ENUM
    v: $v
    l: []
    o: {  }
    lo: [{ a: 1 }]
  )
})gql"},
    {"args_fit_in_line",
     R"gql({ f(a: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") })gql",
     R"gql({
  f(a: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
})gql"},
    {"args_wrap_past_80",
     R"gql({ f(a: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") })gql",
     R"gql({
  f(
    a: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  )
})gql"},
    {"alias_counts_toward_width",
     R"gql({ al: f(a: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") al: f(a: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") })gql",
     R"gql({
  al: f(a: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
  al: f(
    a: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
  )
})gql"},
    {"many_args_wrap",
     R"gql({ someField(first: 10, after: "cursor", orderBy: {field: NAME, direction: ASC}, filter: {status: ACTIVE}) { id } })gql",
     R"gql({
  someField(
    first: 10
    after: "cursor"
    orderBy: { field: NAME, direction: ASC }
    filter: { status: ACTIVE }
  ) {
    id
  }
})gql"},
    {"nested_wrapping",
     R"gql({ a { b { c(x: [1111111111, 2222222222, 3333333333, 4444444444, 5555555555, 6666666666, 7777777777], y: 1) { d } } } })gql",
     R"gql({
  a {
    b {
      c(
        x: [
          1111111111
          2222222222
          3333333333
          4444444444
          5555555555
          6666666666
          7777777777
        ]
        y: 1
      ) {
        d
      }
    }
  }
})gql"},
    {"list_fits",
     R"gql({ f(a: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]) })gql",
     R"gql({
  f(
    a: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
  )
})gql"},
    {"list_wraps",
     R"gql({ f(a: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]) })gql",
     R"gql({
  f(
    a: [
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
      1
    ]
  )
})gql"},
    {"object_fits",
     R"gql({ f(a: {k: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}) })gql",
     R"gql({
  f(
    a: { k: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }
  )
})gql"},
    {"object_wraps",
     R"gql({ f(a: {k: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}) })gql",
     R"gql({
  f(
    a: { k: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" }
  )
})gql"},
    {"object_in_list_wraps",
     R"gql({ f(a: [{first: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", second: "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"}, {a: 1}]) })gql",
     R"gql({
  f(
    a: [
      {
        first: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        second: "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
      }
      { a: 1 }
    ]
  )
})gql"},
    {"directive_arguments_never_wrap",
     R"gql({ f @d(a: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", b: 1) })gql",
     R"gql({
  f @d(a: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", b: 1)
})gql"},
    {"utf16_width_two_byte",
     R"gql({ f(a: "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé") g(a: "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé") })gql",
     R"gql({
  f(a: "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé")
  g(
    a: "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
  )
})gql"},
    {"utf16_width_astral",
     R"gql({ f(a: "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀") g(a: "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀") })gql",
     R"gql({
  f(a: "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀")
  g(
    a: "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"
  )
})gql"},
    {"string_escapes",
     R"gql({ f(a: "q\"b\\s\/n\nt\tr\rb\bf\fc\u0001\u001f d\u007f\u0080\u0085\u009f\u00a0 é \ud83d\ude00 \u2028") })gql",
     R"gql({
  f(a: "q\"b\\s/n\nt\tr\rb\bf\fc\u0001\u001F d\u007F\u0080\u0085\u009F  é 😀  ")
})gql"},
    {"block_string_argument",
     R"gql({ f(a: """
  line one
    indented
  "quoted"
""") { b(c: """x""") } })gql",
     R"gql({
  f(a: """
  line one
    indented
  "quoted"
  """) {
    b(c: """x""")
  }
})gql"},
    {"block_string_in_nested_field",
     R"gql({ a { b { f(s: """
    one

    two
  """) } } })gql",
     R"gql({
  a {
    b {
      f(s: """
      one
      
      two
      """)
    }
  }
})gql"},
    {"block_string_forms",
     R"gql({ f(
  a: """single"""
  b: """   leading space"""
  c: """
  ends with "quote"
  """
  d: """has \""" inside"""
  e: """ends with \""""""
  f: """
  a\\
  """
  g: """yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"""
  h: """éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"""
  i: """ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"""
  j: """"""
  k: """
    indented first
  not indented
  """
) })gql",
     R"gql({
  f(
    a: """single"""
    b: """   leading space"""
    c: """
    ends with "quote"
    """
    d: """has \""" inside"""
    e: """
    ends with \"""
    """
    f: """
    a\\
    """
    g: """
    yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy
    """
    h: """éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"""
    i: """
    ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé
    """
    j: """"""
    k: """
      indented first
    not indented
    """
  )
})gql"},
    {"descriptions_on_executables",
     R"gql("op desc" query Q("var desc" $a: Int, $b: Int) { a }
"""
fragment
desc
"""
fragment F on T { a })gql",
     R"gql("op desc"
query Q(
"var desc"
$a: Int
$b: Int
) {
  a
}

"""
fragment
desc
"""
fragment F on T {
  a
})gql"},
    {"variable_block_description",
     R"gql(query Q(
"""
block
"""
$a: Int) { a })gql",
     R"gql(query Q(
"""block"""
$a: Int
) {
  a
})gql"},
    {"schema_and_scalar",
     R"gql("""
The schema.
"""
schema @d { query: Q mutation: M subscription: S }
"scalar desc" scalar Date @specifiedBy(url: "x")
extend schema @e
extend schema { mutation: M }
extend scalar Date @d)gql",
     R"gql("""The schema."""
schema @d {
  query: Q
  mutation: M
  subscription: S
}

"scalar desc"
scalar Date @specifiedBy(url: "x")

extend schema @e

extend schema {
  mutation: M
}

extend scalar Date @d)gql"},
    {"object_and_interface",
     R"gql("obj" type T implements A & B @d { "field" f(a: Int = 1 @d, b: [In!]! = [{x: 1}]): String! @deprecated(reason: "no") g: [[Int]] }
interface I implements J @d { f: Int }
interface J { f: Int }
type Empty
extend type T implements C @d { h: Int }
extend interface I @e
extend interface I { g: Int })gql",
     R"gql("obj"
type T implements A & B @d {
  "field"
  f(a: Int = 1 @d, b: [In!]! = [{ x: 1 }]): String! @deprecated(reason: "no")
  g: [[Int]]
}

interface I implements J @d {
  f: Int
}

interface J {
  f: Int
}

type Empty

extend type T implements C @d {
  h: Int
}

extend interface I @e

extend interface I {
  g: Int
})gql"},
    {"argument_definitions_multiline",
     R"gql(type T {
  f("""
  block desc
  """ a: Int, b: Int): Int
  g("plain" a: Int, b: Int): Int
  h(a: Int = """
  multi
  line
  """): Int
}
directive @d("""
desc
""" a: Int) on FIELD)gql",
     R"gql(type T {
  f(
    """block desc"""
    a: Int
    b: Int
  ): Int
  g(
    "plain"
    a: Int
    b: Int
  ): Int
  h(
    a: Int = """
    multi
    line
    """
  ): Int
}

directive @d(
  """desc"""
  a: Int
) on FIELD)gql"},
    {"union_enum_input",
     R"gql("u" union U @d = A | B
union V
extend union U = C
extend union U @e
enum E @d { "a" A B @deprecated }
extend enum E { C }
input In @d { "x" x: Int = 1 @d y: [String] }
extend input In { z: Int }
extend input In @e)gql",
     R"gql("u"
union U @d = A | B

union V

extend union U = C

extend union U @e

enum E @d {
  "a"
  A
  B @deprecated
}

extend enum E {
  C
}

input In @d {
  "x"
  x: Int = 1 @d
  y: [String]
}

extend input In {
  z: Int
}

extend input In @e)gql"},
    {"directive_definitions",
     R"gql("d" directive @d(a: Int = 1, b: String) repeatable on FIELD | QUERY
directive @e on SCHEMA
directive @f repeatable on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION)gql",
     R"gql("d"
directive @d(a: Int = 1, b: String) repeatable on FIELD | QUERY

directive @e on SCHEMA

directive @f repeatable on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION)gql"},
    {"descriptions_indented",
     R"gql(type T {
  """
  Multi-line
    with indent

  and an empty line
  """
  f: Int
  "single line"
  g: Int
}
enum E {
  """
  value desc
  """
  A
})gql",
     R"gql(type T {
  """
  Multi-line
    with indent
  
  and an empty line
  """
  f: Int
  "single line"
  g: Int
}

enum E {
  """value desc"""
  A
})gql"},
    {"unicode_names_in_strings", R"gql({ f(a: "日本語", b: "Ωmega") })gql",
     R"gql({
  f(a: "日本語", b: "Ωmega")
})gql"},
};

class PrintTest : public testing::TestWithParam<PrintCase> {};

TEST_P(PrintTest, MatchesGraphqlJs) {
  Arena arena;
  Document* doc = parse_or_fail(GetParam().source, arena);
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(print(*doc), GetParam().expected);
}

TEST_P(PrintTest, PrintedTextReparsesToTheSameText) {
  Arena arena;
  Document* doc = parse_or_fail(GetParam().expected, arena);
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(print(*doc), GetParam().expected);
}

TEST_P(PrintTest, MinifiedTextReparsesToTheSameTree) {
  Arena arena;
  Document* doc = parse_or_fail(GetParam().source, arena);
  ASSERT_NE(doc, nullptr);
  std::string minified = print_minified(*doc);
  Document* again = parse_or_fail(minified, arena);
  ASSERT_NE(again, nullptr) << minified;
  // Minifying is a fixed point, and apart from block strings (minified as plain strings)
  // the re-parsed tree prints like the original.
  EXPECT_EQ(print_minified(*again), minified);
  if (GetParam().source.find(R"(""")") == std::string_view::npos) {
    EXPECT_EQ(print(*again), GetParam().expected) << minified;
  }
  EXPECT_LE(minified.size(), GetParam().expected.size());
}

INSTANTIATE_TEST_SUITE_P(Printer, PrintTest, testing::ValuesIn(kPrintCases),
                         [](const testing::TestParamInfo<PrintCase>& info) {
                           return std::string(info.param.name);
                         });

// ---- print_minified ------------------------------------------------------------------------

// Minifies `source` and checks that the result parses back to a tree that minifies the same.
std::string minify(std::string_view source) {
  Arena arena;
  Document* doc = parse_or_fail(source, arena);
  if (doc == nullptr) return {};
  std::string minified = print_minified(*doc);
  Document* again = parse_or_fail(minified, arena);
  if (again != nullptr) {
    EXPECT_EQ(print_minified(*again), minified);
  }
  return minified;
}

TEST(PrintMinified, Operation) {
  EXPECT_EQ(minify(R"(
    query Q($a: Int = 1 @d, $b: [String!]!) @op(x: 1) {
      alias: f(x: 1, y: "s", z: ENUM, w: [1, 2, -3], o: {a: 1, b: "x", c: [A B]}) @include(if: $a) {
        id
        ...F @d
        ... on T { b }
        ... @skip(if: true) { c }
      }
    }
    fragment F on T @d { a }
  )"),
            R"(query Q($a:Int=1@d$b:[String!]!)@op(x:1){alias:f(x:1 y:"s"z:ENUM w:[1 2-3])"
            R"(o:{a:1 b:"x"c:[A B]})@include(if:$a){id...F@d...on T{b}...@skip(if:true){c}}})"
            R"(fragment F on T@d{a})");
}

TEST(PrintMinified, ShorthandQueryStaysShorthand) {
  EXPECT_EQ(minify("{ a { b } c }"), "{a{b}c}");
  EXPECT_EQ(minify("query { a }"), "{a}");
  EXPECT_EQ(minify("query Q { a }"), "query Q{a}");
  EXPECT_EQ(minify("mutation { a }"), "mutation{a}");
}

// After a type-system definition a bare `{ … }` would be read back as that definition's body.
TEST(PrintBoth, ShorthandQueryAfterATypeSystemDefinitionKeepsItsKeyword) {
  Arena arena;
  for (std::string_view source : {"interface I query{ a: String }", "extend type T @d query { a }",
                                  "scalar S { a }", "input I query { a }", "enum E { A } { b }"}) {
    Document* doc = parse_or_fail(source, arena);
    ASSERT_NE(doc, nullptr) << source;
    for (std::string text : {print(*doc), print_minified(*doc)}) {
      Document* again = parse_or_fail(text, arena);
      ASSERT_NE(again, nullptr) << text;
      ASSERT_EQ(again->definitions.size(), doc->definitions.size()) << text;
      EXPECT_EQ(print(*again), print(*doc)) << text;
    }
  }
  EXPECT_EQ(minify("input I query { a } { b }"), "input I query{a}{b}");
  // Nothing to absorb the selection set: the shorthand stays, as graphql-js prints it.
  EXPECT_EQ(minify("scalar S { a }"), "scalar S{a}");
  EXPECT_EQ(minify("enum E { A } { b }"), "enum E{A}{b}");
  EXPECT_EQ(minify("fragment F on T { a } { b }"), "fragment F on T{a}{b}");
}

TEST(PrintMinified, SpacesOnlyBetweenWordCharacters) {
  // `1-1` reads as two IntValues: only a digit, `.` or a name start may not follow a number.
  EXPECT_EQ(minify("{ f(a: [1, -1, a, -1, 1.5e3, true, null, $v, A]) }"),
            "{f(a:[1-1 a-1 1.5e3 true null$v A])}");
  EXPECT_EQ(minify(R"({ f(a: "x", b: 1, c: [1], d: {x: 1}, e: $v, f: 2) })"),
            R"({f(a:"x"b:1 c:[1]d:{x:1}e:$v f:2)})");
}

TEST(PrintMinified, EmptyStringBeforeStringKeepsASpace) {
  // `""""` would start a block string.
  EXPECT_EQ(minify(R"({ f(a: ["", "", "x", ""]) })"), R"({f(a:["" "" "x"""])})");
}

TEST(PrintMinified, BlockStringsBecomePlainStrings) {
  EXPECT_EQ(minify("{ f(a: \"\"\"\n  one\n  \"two\"\n\"\"\") }"), R"({f(a:"one\n\"two\"")})");
}

TEST(PrintMinified, Descriptions) {
  EXPECT_EQ(minify(R"("op" query Q("v" $a: Int) { a } "f" fragment F on T { a })"),
            R"("op"query Q("v"$a:Int){a}"f"fragment F on T{a})");
}

TEST(PrintMinified, TypeSystem) {
  EXPECT_EQ(
      minify(R"(
    "d" schema @d { query: Q mutation: M }
    scalar S @d
    scalar T
    type O implements A & B @d { "f" f(a: Int = 1, "b" b: [In!]!): String! @x g: Int }
    interface I implements J { f: Int }
    union U @d = A | B
    enum E { A B @d }
    input In { a: Int = 1 @d b: String }
    directive @d(a: Int) repeatable on FIELD | QUERY
    directive @e on SCHEMA
    extend schema @d
    extend scalar S @e
    extend type O @e
    extend interface I { g: Int }
    extend union U = C
    extend enum E { C }
    extend input In { c: Int }
  )"),
      R"("d"schema@d{query:Q mutation:M}scalar S@d scalar T type O implements A&B@d{"f"f(a:Int=1)"
      R"("b"b:[In!]!):String!@x g:Int}interface I implements J{f:Int}union U@d=A|B)"
      R"( enum E{A B@d}input In{a:Int=1@d b:String}directive@d(a:Int)repeatable on FIELD|QUERY)"
      R"( directive@e on SCHEMA extend schema@d extend scalar S@e extend type O@e)"
      R"( extend interface I{g:Int}extend union U=C extend enum E{C}extend input In{c:Int})");
}

TEST(PrintMinified, AppendsWithoutLookingAtExistingText) {
  Arena arena;
  Document* doc = parse_or_fail("query Q { a }", arena);
  ASSERT_NE(doc, nullptr);
  std::string out = "prefix";
  print_minified(*doc, out);
  EXPECT_EQ(out, "prefixquery Q{a}");
}

// ---- hand-built trees (shapes the parser does not produce) --------------------------------

TEST(PrintHandBuilt, EmptyDocument) {
  Document doc;
  EXPECT_EQ(print(doc), "");
  EXPECT_EQ(print_minified(doc), "");
}

TEST(PrintHandBuilt, EmptyContainers) {
  SelectionSet selections;
  EXPECT_EQ(print(selections), "{}");
  EXPECT_EQ(print_minified(selections), "{}");
  ObjectValue object;
  EXPECT_EQ(print(object), "{  }");  // graphql-js joins '{ ' and ' }' around nothing
  EXPECT_EQ(print_minified(object), "{}");
  ListValue list;
  EXPECT_EQ(print(list), "[]");
  EXPECT_EQ(print_minified(list), "[]");
}

TEST(PrintHandBuilt, BlockStringEndingInQuoteInsideIndentation) {
  // `"""a""""` cannot be written in source, so build the tree: { f(s: <block 'say "hi"'>) }.
  StringValue value;
  value.block = true;
  value.value = "say\n\"hi\"";
  Argument arg;
  arg.name.value = "s";
  arg.value = &value;
  std::array<Argument*, 1> args = {&arg};
  Field field;
  field.name.value = "f";
  field.arguments = args;
  std::array<Selection*, 1> selections = {&field};
  SelectionSet set;
  set.selections = selections;
  EXPECT_EQ(print(set), "{\n  f(s: \"\"\"\n  say\n  \"hi\"\n  \"\"\")\n}");
  EXPECT_EQ(print_minified(set), R"({f(s:"say\n\"hi\"")})");
}

TEST(PrintHandBuilt, SingleNodes) {
  NamedType named;
  named.name.value = "Int";
  NonNullType non_null;
  non_null.type = &named;
  ListType list;
  list.type = &non_null;
  NonNullType outer;
  outer.type = &list;
  EXPECT_EQ(print(outer), "[Int!]!");
  EXPECT_EQ(print_minified(outer), "[Int!]!");

  Variable variable;
  variable.name.value = "v";
  EXPECT_EQ(print(variable), "$v");
  IntValue one;
  one.value = "1";
  ObjectField field;
  field.name.value = "a";
  field.value = &one;
  std::array<ObjectField*, 1> fields = {&field};
  ObjectValue object;
  object.fields = fields;
  EXPECT_EQ(print(object), "{ a: 1 }");
  EXPECT_EQ(print_minified(object), "{a:1}");
}

// ---- larger documents ---------------------------------------------------------------------

TEST(PrintLarge, LongFlatDocument) {
  // 20k fields and 2k operations: any per-node re-scan of the output would be quadratic.
  std::string source = "{";
  std::string expected = "{";
  for (int i = 0; i < 20000; ++i) {
    source += " f" + std::to_string(i) + "(a: " + std::to_string(i) + ")";
    expected += "\n  f" + std::to_string(i) + "(a: " + std::to_string(i) + ")";
  }
  source += " }";
  expected += "\n}";
  for (int i = 0; i < 2000; ++i) {
    source += " query Q" + std::to_string(i) + " { a }";
    expected += "\n\nquery Q" + std::to_string(i) + " {\n  a\n}";
  }
  Arena arena;
  ParseOptions options;
  Document* doc = parse(source, arena, options).document;
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(print(*doc), expected);
  std::string minified = print_minified(*doc);
  EXPECT_EQ(minified.substr(0, 17), "{f0(a:0)f1(a:1)f2");
}

TEST(PrintLarge, DeepNesting) {
  std::string source;
  for (int i = 0; i < 100; ++i)
    source += "{ a ";
  for (int i = 0; i < 100; ++i)
    source += "}";
  Arena arena;
  Document* doc = parse_or_fail(source, arena);
  ASSERT_NE(doc, nullptr);
  std::string printed = print(*doc);
  // The innermost field is indented by 2 per level.
  EXPECT_NE(printed.find("\n" + std::string(2 * 100, ' ') + "a\n"), std::string::npos);
  Document* again = parse_or_fail(printed, arena);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(print(*again), printed);
  std::string minified;
  for (int i = 0; i < 100; ++i)
    minified += "{a";
  minified += std::string(100, '}');
  EXPECT_EQ(print_minified(*again), minified);
}

}  // namespace
}  // namespace orbit::graphql
