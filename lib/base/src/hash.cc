#include "orbit/base/hash.h"

#include <cstring>

namespace orbit {
namespace {

constexpr uint64_t kP0 = 0xa0761d6478bd642fULL;
constexpr uint64_t kP1 = 0xe7037ed1a0b428dbULL;
constexpr uint64_t kP2 = 0x8ebc6af09c88c6e3ULL;

inline uint64_t mix(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t read64(const unsigned char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

inline uint64_t read32(const unsigned char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace

// A multiply-mix hash in the style of wyhash: 16 bytes per round, tail folded in.
uint64_t hash_bytes(const void* data, size_t len, uint64_t seed) {
  const auto* p = static_cast<const unsigned char*>(data);
  uint64_t h = seed ^ mix(seed ^ kP0, kP1) ^ len;
  size_t i = len;
  while (i >= 16) {
    h = mix(read64(p) ^ kP1, read64(p + 8) ^ h);
    p += 16;
    i -= 16;
  }
  uint64_t a = 0, b = 0;
  if (i >= 8) {
    a = read64(p);
    b = read64(p + i - 8);
  } else if (i >= 4) {
    a = read32(p);
    b = read32(p + i - 4);
  } else if (i > 0) {
    a = (uint64_t{p[0]} << 16) | (uint64_t{p[i >> 1]} << 8) | p[i - 1];
  }
  return mix(mix(a ^ kP1, b ^ h) ^ kP2, len ^ kP1);
}

void hash_to_hex(uint64_t h, char out[16]) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    out[i] = kHex[h & 0xf];
    h >>= 4;
  }
}

}  // namespace orbit
