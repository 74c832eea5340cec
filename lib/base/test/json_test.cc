#include "orbit/base/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace orbit {
namespace {

JsonValue parse_ok(Arena& arena, std::string_view text) {
  auto r = parse_json(text, arena);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().to_string();
  return r.ok() ? *r : JsonValue();
}

TEST(JsonTest, ValueIsCompact) {
  EXPECT_EQ(sizeof(JsonValue), 16u);
}

TEST(JsonTest, ParsesEveryKind) {
  Arena arena;
  JsonValue v = parse_ok(arena, R"( {"a":null,"b":true,"c":false,"d":-12,"e":1.5,"f":"x\ny",)"
                                R"("g":[1,[2]],"h":{}} )");
  ASSERT_TRUE(v.is_object());
  ASSERT_EQ(v.size(), 8u);
  EXPECT_TRUE(v.find("a")->is_null());
  EXPECT_TRUE(v.find("b")->as_bool());
  EXPECT_TRUE(v.find("c")->is_bool());
  EXPECT_FALSE(v.find("c")->as_bool());
  EXPECT_TRUE(v.find("d")->is_int64());
  EXPECT_EQ(v.find("d")->as_int64(), -12);
  EXPECT_FALSE(v.find("e")->is_int64());
  EXPECT_DOUBLE_EQ(v.find("e")->as_double(), 1.5);
  EXPECT_EQ(v.find("f")->as_string(), "x\ny");
  EXPECT_EQ(v.find("g")->items().size(), 2u);
  EXPECT_EQ(v.find("g")->items()[1].items()[0].as_int64(), 2);
  EXPECT_TRUE(v.find("h")->is_object());
  EXPECT_EQ(v.find("h")->size(), 0u);
  EXPECT_EQ(v.find("zz"), nullptr);
  EXPECT_EQ(v.members()[0].key, "a");
  EXPECT_EQ(v.members()[7].key, "h");
}

TEST(JsonTest, TopLevelScalars) {
  Arena arena;
  EXPECT_EQ(parse_ok(arena, "42").as_int64(), 42);
  EXPECT_EQ(parse_ok(arena, "\"s\"").as_string(), "s");
  EXPECT_TRUE(parse_ok(arena, "null").is_null());
  EXPECT_TRUE(parse_ok(arena, " true ").as_bool());
  EXPECT_TRUE(parse_ok(arena, "[]").is_array());
}

TEST(JsonTest, RoundTripKeepsNumberLexemes) {
  Arena arena;
  const char* text =
      R"({"big":123456789012345678901234567890,"neg":-9223372036854775809,"max":9223372036854775807,)"
      R"("f":1.50,"e":1E+2,"z":-0,"s":"a\"b\\c\u0001\u00e9","o":{"k":[true,null]}})";
  JsonValue v = parse_ok(arena, text);
  EXPECT_FALSE(v.find("big")->is_int64());
  EXPECT_EQ(v.find("big")->number_lexeme(), "123456789012345678901234567890");
  EXPECT_TRUE(v.find("max")->is_int64());
  EXPECT_EQ(to_json(v),
            R"({"big":123456789012345678901234567890,"neg":-9223372036854775809,)"
            R"("max":9223372036854775807,"f":1.50,"e":1E+2,"z":-0,"s":"a\"b\\c\u0001é",)"
            R"("o":{"k":[true,null]}})");
}

TEST(JsonTest, DuplicateKeysLastWinsAtFirstPosition) {
  Arena arena;
  JsonValue v = parse_ok(arena, R"({"a":1,"b":2,"a":3})");
  EXPECT_EQ(to_json(v), R"({"a":3,"b":2})");
  // The large-object path (hash map) agrees.
  std::string big = "{";
  for (int i = 0; i < 40; ++i)
    big += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  big += "\"k5\":true}";
  JsonValue w = parse_ok(arena, big);
  EXPECT_EQ(w.size(), 40u);
  EXPECT_TRUE(w.find("k5")->as_bool());
  EXPECT_EQ(w.members()[5].key, "k5");
}

TEST(JsonTest, SyntaxErrorsAreRejected) {
  for (const char* bad :
       {"",     "{",   "[1,]",  "{\"a\" 1}", "01",         "1.",      "-",        "1e",
        "tru",  "nul", "\"abc", "[1] x",     "{\"a\":1}}", "\"\\x\"", "\"\xff\"", "{1:2}",
        "[.5]", "NaN", "1 2",   "42 x",      "-",          "[1 2]"}) {
    Arena arena;
    auto r = parse_json(bad, arena);
    EXPECT_FALSE(r.ok()) << "accepted: " << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << bad;
      EXPECT_NE(r.status().message().find("JSON parse error"), std::string::npos);
    }
  }
}

TEST(JsonTest, InvalidNumberReportsOffset) {
  Arena arena;
  auto r = parse_json(R"({"a": 012})", arena);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "JSON parse error at offset 6: invalid number");
}

TEST(JsonTest, DepthLimit) {
  Arena arena;
  JsonParseOptions opts;
  opts.max_depth = 3;
  EXPECT_TRUE(parse_json("[[[1]]]", arena, opts).ok());
  auto r = parse_json("[[[[1]]]]", arena, opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(r.status().message(), "JSON nesting is deeper than the limit of 3.");
  auto o = parse_json(R"({"a":{"b":{"c":{}}}})", arena, opts);
  EXPECT_FALSE(o.ok());
  // Deep input far beyond simdjson's own limit is a limit error too, not a crash.
  std::string deep(5000, '[');
  deep += std::string(5000, ']');
  auto d = parse_json(deep, arena);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), ErrorCode::kLimitExceeded);
}

TEST(JsonTest, ByteLimit) {
  Arena arena;
  JsonParseOptions opts;
  opts.max_bytes = 4;
  EXPECT_TRUE(parse_json("[12]", arena, opts).ok());
  auto r = parse_json("[123]", arena, opts);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_EQ(r.status().message(), "JSON text of 5 bytes exceeds the limit of 4 bytes.");
}

TEST(JsonTest, ResultOutlivesInputText) {
  Arena arena;
  JsonValue v;
  {
    std::string text = R"({"key":"value","n":1.25})";
    v = parse_ok(arena, text);
    text.assign(text.size(), 'x');
  }
  EXPECT_EQ(to_json(v), R"({"key":"value","n":1.25})");
}

TEST(JsonTest, BuildAndCompare) {
  Arena arena;
  JsonValue items[] = {JsonValue::integer(1), JsonValue::number(2.5), JsonValue::string("s")};
  JsonMember members[] = {{"list", JsonValue::array(arena, items)},
                          {"flag", JsonValue::boolean(false)},
                          {"none", JsonValue()}};
  JsonValue obj = JsonValue::object(arena, members);
  EXPECT_EQ(to_json(obj), R"({"list":[1,2.5,"s"],"flag":false,"none":null})");
  EXPECT_TRUE(
      json_equal(obj, parse_ok(arena, R"({"list":[1.0,2.5,"s"],"flag":false,"none":null})")));
  EXPECT_FALSE(
      json_equal(obj, parse_ok(arena, R"({"flag":false,"list":[1,2.5,"s"],"none":null})")));
  EXPECT_FALSE(json_equal(JsonValue::integer(1), JsonValue::string("1")));
  EXPECT_TRUE(json_equal(JsonValue::number_text("1e2"), JsonValue::integer(100)));
}

TEST(JsonTest, JsNumberFormatting) {
  auto fmt = [](double d) {
    std::string s;
    append_js_number(s, d);
    return s;
  };
  EXPECT_EQ(fmt(0), "0");
  EXPECT_EQ(fmt(-0.0), "0");
  EXPECT_EQ(fmt(1), "1");
  EXPECT_EQ(fmt(-1.5), "-1.5");
  EXPECT_EQ(fmt(0.1), "0.1");
  EXPECT_EQ(fmt(123456789), "123456789");
  EXPECT_EQ(fmt(1e21), "1e+21");
  EXPECT_EQ(fmt(1e20), "100000000000000000000");
  EXPECT_EQ(fmt(1.5e-7), "1.5e-7");
  EXPECT_EQ(fmt(1e-6), "0.000001");
  EXPECT_EQ(fmt(12345678901234567890.0), "12345678901234567000");
  EXPECT_EQ(fmt(2147483648.5), "2147483648.5");
  EXPECT_EQ(fmt(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(fmt(5e-324), "5e-324");
  EXPECT_EQ(fmt(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(fmt(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(fmt(std::nan("")), "NaN");
}

TEST(JsonTest, HugeNumbersAsDouble) {
  EXPECT_EQ(JsonValue::number_text("1e400").as_double(), HUGE_VAL);
  EXPECT_EQ(JsonValue::number_text("-1e400").as_double(), -HUGE_VAL);
  EXPECT_EQ(JsonValue::number_text("1e-400").as_double(), 0.0);
  EXPECT_EQ(to_json(JsonValue::number(1e21)), "1e+21");
}

}  // namespace
}  // namespace orbit
