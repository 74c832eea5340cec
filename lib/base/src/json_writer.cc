#include "orbit/base/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace orbit {

namespace {

// The index of the first byte of s[i..] that JSON must escape (a control character, '"' or
// '\\'), or s.size(). Sixteen bytes at a time with SSE2 (every x86-64): most strings of a response
// need no escaping, and the byte loop costs about five instructions per byte.
size_t next_escape_sse2(std::string_view s, size_t i) {
  const char* p = s.data();
  const size_t n = s.size();
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i max_control = _mm_set1_epi8(0x1f);
  for (; i + 16 <= n; i += 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Unsigned x <= 0x1f exactly when min(x, 0x1f) == x.
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                               _mm_cmpeq_epi8(_mm_min_epu8(x, max_control), x));
    if (int mask = _mm_movemask_epi8(hit); mask != 0) return i + __builtin_ctz(mask);
  }
#endif
  for (; i < n; ++i) {
    auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c == '"' || c == '\\') return i;
  }
  return n;
}

#if defined(__x86_64__) && defined(__GNUC__)
// The same, 32 bytes at a time, for CPUs with AVX2 (chosen at run time: the build targets
// baseline x86-64). Long strings (review bodies) take half the instructions.
__attribute__((target("avx2"))) size_t next_escape_avx2(std::string_view s, size_t i) {
  const char* p = s.data();
  const size_t n = s.size();
  const __m256i quote = _mm256_set1_epi8('"');
  const __m256i backslash = _mm256_set1_epi8('\\');
  const __m256i max_control = _mm256_set1_epi8(0x1f);
  for (; i + 32 <= n; i += 32) {
    __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    __m256i hit = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(x, quote), _mm256_cmpeq_epi8(x, backslash)),
        _mm256_cmpeq_epi8(_mm256_min_epu8(x, max_control), x));
    if (unsigned mask = static_cast<unsigned>(_mm256_movemask_epi8(hit)); mask != 0)
      return i + __builtin_ctz(mask);
  }
  return next_escape_sse2(s, i);
}

const bool kHasAvx2 = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0;
}();

inline size_t next_escape(std::string_view s, size_t i) {
  return kHasAvx2 ? next_escape_avx2(s, i) : next_escape_sse2(s, i);
}
#else
inline size_t next_escape(std::string_view s, size_t i) {
  return next_escape_sse2(s, i);
}
#endif

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (s.size() < 16) {
    // Short strings (type names, ids, enum values — most of a response's strings): checked
    // while copied into a local buffer, quoted, and appended in one piece.
    char buf[18];
    buf[0] = '"';
    bool plain = true;
    for (size_t i = 0; i < s.size(); ++i) {
      auto c = static_cast<unsigned char>(s[i]);
      plain &= c >= 0x20 && c != '"' && c != '\\';
      buf[i + 1] = s[i];
    }
    if (plain) {
      buf[s.size() + 1] = '"';
      out.append(buf, s.size() + 2);
      return;
    }
  }
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  size_t run = 0;  // start of the pending run of characters that need no escaping
  for (size_t i = next_escape(s, 0); i < s.size(); i = next_escape(s, run)) {
    auto c = static_cast<unsigned char>(s[i]);
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

JsonWriter& JsonWriter::integer(int64_t v) {
  sep();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::number(double v) {
  sep();
  if (!std::isfinite(v)) {
    out_ += "null";
    return *this;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, end);
  return *this;
}

}  // namespace orbit
