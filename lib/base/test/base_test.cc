#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

#include "orbit/base/arena.h"
#include "orbit/base/error_code.h"
#include "orbit/base/hash.h"
#include "orbit/base/json_writer.h"
#include "orbit/base/log.h"
#include "orbit/base/status.h"

namespace orbit {
namespace {

TEST(Status, OkAndError) {
  Status ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.to_string(), "OK");
  Status bad(ErrorCode::kGraphqlParseFailed, "Syntax Error: x");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), ErrorCode::kGraphqlParseFailed);
  EXPECT_EQ(bad.to_string(), "GRAPHQL_PARSE_FAILED: Syntax Error: x");
}

Result<int> half(int v) {
  if (v % 2 != 0) return Status(ErrorCode::kInvalidArgument, "odd");
  return v / 2;
}

Status chain(int v, int* out) {
  Result<int> r = half(v);
  ORBIT_RETURN_IF_ERROR(r.status());
  *out = *r;
  return Status();
}

TEST(Result, ValueOrStatus) {
  Result<int> good = half(8);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 4);
  EXPECT_TRUE(good.status().ok());
  Result<int> bad = half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  int out = 0;
  EXPECT_TRUE(chain(6, &out).ok());
  EXPECT_EQ(out, 3);
  EXPECT_EQ(chain(5, &out).message(), "odd");
}

TEST(ErrorCode, NamesAreStable) {
  EXPECT_EQ(error_code_name(ErrorCode::kOk), "OK");
  EXPECT_EQ(error_code_name(ErrorCode::kGraphqlValidationFailed), "GRAPHQL_VALIDATION_FAILED");
  EXPECT_EQ(static_cast<int>(ErrorCode::kGraphqlParseFailed), 100);
}

TEST(Arena, AllocatesAlignedAndGrows) {
  Arena arena(256);
  std::set<uintptr_t> seen;
  for (int i = 0; i < 10000; ++i) {
    void* p = arena.allocate(24, 16);
    ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % 16, 0u);
    ASSERT_TRUE(seen.insert(reinterpret_cast<uintptr_t>(p)).second);
    std::memset(p, 0xAB, 24);  // ASan checks the memory is really ours
  }
  EXPECT_GE(arena.bytes_reserved(), 240000u);
  // Larger than any block so far.
  void* big = arena.allocate(4 << 20, 8);
  std::memset(big, 1, 4 << 20);
}

TEST(Arena, MakeCopyAndReset) {
  Arena arena;
  struct Pair {
    int a;
    double b;
  };
  Pair* p = arena.make<Pair>(Pair{1, 2.5});
  EXPECT_EQ(p->a, 1);
  EXPECT_EQ(p->b, 2.5);
  std::string src = "hello";
  std::string_view copy = arena.copy_string(src);
  src[0] = 'j';
  EXPECT_EQ(copy, "hello");
  int items[] = {1, 2, 3};
  std::span<int> span = arena.copy_span<int>(std::span<const int>(items));
  items[0] = 9;
  EXPECT_EQ(span[0], 1);
  EXPECT_EQ(span.size(), 3u);
  for (int i = 0; i < 1000; ++i)
    arena.allocate(1000);
  size_t before = arena.bytes_reserved();
  arena.reset();
  EXPECT_LT(arena.bytes_reserved(), before);
  std::memset(arena.allocate(100), 0, 100);
}

TEST(Hash, StableAndSpread) {
  EXPECT_EQ(hash_string("query { a }"), hash_string("query { a }"));
  EXPECT_NE(hash_string("query { a }"), hash_string("query { b }"));
  EXPECT_NE(hash_string("a", 1), hash_string("a", 2));
  std::set<uint64_t> hashes;
  std::string s;
  for (int i = 0; i < 2000; ++i) {
    s += static_cast<char>('a' + i % 26);
    hashes.insert(hash_string(s));  // every length 1..2000 exercises all tail paths
  }
  EXPECT_EQ(hashes.size(), 2000u);
  EXPECT_NE(Hasher().add("ab").add("c").value(), Hasher().add("a").add("bc").value());
  char hex[16];
  hash_to_hex(0x0123456789abcdefULL, hex);
  EXPECT_EQ(std::string(hex, 16), "0123456789abcdef");
}

// The escape scan reads eight bytes at a time: every special byte at every offset of strings
// longer than a word, next to plain ASCII and UTF-8, must come out as the byte-by-byte rule
// says.
TEST(JsonWriter, EscapesSpecialBytesAtEveryOffset) {
  auto reference = [](std::string_view s) {
    std::string r = "\"";
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      if (c == '"')
        r += "\\\"";
      else if (c == '\\')
        r += "\\\\";
      else if (c == '\n')
        r += "\\n";
      else if (c == '\t')
        r += "\\t";
      else if (c == '\b')
        r += "\\b";
      else if (c == '\f')
        r += "\\f";
      else if (c == '\r')
        r += "\\r";
      else if (c < 0x20)
        r += "\\u00" + std::string(1, "0123456789abcdef"[c >> 4]) +
             std::string(1, "0123456789abcdef"[c & 0xf]);
      else
        r += ch;
    }
    return r + "\"";
  };
  const std::string specials[] = {"\"", "\\", "\n", std::string(1, '\0'), "\x1f", "\x01"};
  // The third is longer than two 32-byte blocks (the AVX2 scan and its tail).
  const std::string fillers[] = {
      "abcdefghijklmnopqrstuvwxyz", "\xc3\xa9t\xc3\xa9 \xe2\x82\xac !~\x7f ",
      "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ \xc3\xa9\xe2\x82\xac~\x7f"};
  for (const std::string& filler : fillers) {
    for (size_t len = 0; len <= filler.size(); ++len) {
      std::string plain = filler.substr(0, len);
      std::string out = "x";
      append_json_string(out, plain);
      EXPECT_EQ(out, "x" + reference(plain));
      for (const std::string& special : specials) {
        for (size_t at = 0; at <= len; ++at) {
          std::string s = plain.substr(0, at) + special + plain.substr(at) + special;
          out.clear();
          append_json_string(out, s);
          EXPECT_EQ(out, reference(s)) << "at " << at << " of " << len;
        }
      }
    }
  }
}

TEST(JsonWriter, WritesCompactEscapedJson) {
  std::string out;
  JsonWriter w(out);
  w.begin_object()
      .key("s")
      .string("a\"b\\c\n\x01")
      .key("n")
      .integer(-42)
      .key("d")
      .number(1.5)
      .key("inf")
      .number(1.0 / 0.0)
      .key("list")
      .begin_array()
      .boolean(true)
      .null()
      .raw("{\"x\":1}")
      .end_array()
      .key("empty")
      .begin_object()
      .end_object()
      .end_object();
  EXPECT_EQ(out, R"({"s":"a\"b\\c\n\u0001","n":-42,"d":1.5,"inf":null,"list":[true,null,{"x":1}],)"
                 R"("empty":{}})");
}

TEST(Log, ParsesLevels) {
  log::Level level;
  EXPECT_TRUE(log::parse_level("debug", &level));
  EXPECT_EQ(level, log::Level::kDebug);
  EXPECT_FALSE(log::parse_level("loud", &level));
}

}  // namespace
}  // namespace orbit
