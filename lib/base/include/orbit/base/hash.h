// Fast non-cryptographic 64-bit hashing for cache keys and hash tables. Stable across runs
// and platforms of the same endianness (used in plan-cache keys and document hashes that
// may be logged), not stable across Orbit versions.
#pragma once

#include <cstdint>
#include <string_view>

namespace orbit {

uint64_t hash_bytes(const void* data, size_t len, uint64_t seed = 0);

inline uint64_t hash_string(std::string_view s, uint64_t seed = 0) {
  return hash_bytes(s.data(), s.size(), seed);
}

inline uint64_t hash_combine(uint64_t a, uint64_t b) {
  // Boost-style mix widened to 64 bits.
  return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 12) + (a >> 4));
}

// Incremental hasher for keys built from several parts.
class Hasher {
 public:
  explicit Hasher(uint64_t seed = 0) : h_(seed) {}
  Hasher& add(std::string_view s) {
    h_ = hash_bytes(s.data(), s.size(), h_ ^ s.size());
    return *this;
  }
  Hasher& add(uint64_t v) {
    h_ = hash_bytes(&v, sizeof v, h_);
    return *this;
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_;
};

// Hex of a 64-bit hash, 16 lowercase characters.
void hash_to_hex(uint64_t h, char out[16]);

}  // namespace orbit
