// Arena: a bump allocator for data that lives and dies together (one parsed document, one
// request). Allocation is a pointer bump; everything is freed at once when the arena is
// destroyed or reset(). Destructors of objects placed in the arena are NOT run, so only
// trivially destructible types (or types whose destructor does nothing that matters) belong
// here.
//
// Not thread-safe: one arena is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <span>
#include <string_view>
#include <type_traits>

namespace orbit {

class Arena {
 public:
  explicit Arena(size_t first_block_size = 4096);
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* allocate(size_t size, size_t align = alignof(std::max_align_t)) {
    uintptr_t p = (reinterpret_cast<uintptr_t>(cur_) + align - 1) & ~(uintptr_t{align} - 1);
    if (p + size <= reinterpret_cast<uintptr_t>(end_)) {
      cur_ = reinterpret_cast<char*>(p + size);
      return reinterpret_cast<void*>(p);
    }
    return allocate_slow(size, align);
  }

  template <typename T, typename... Args>
  T* make(Args&&... args) {
    return new (allocate(sizeof(T), alignof(T))) T(std::forward<Args>(args)...);
  }

  // Copies the items into arena storage.
  template <typename T>
  std::span<T> copy_span(std::span<const T> items) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (items.empty()) return {};
    T* out = static_cast<T*>(allocate(sizeof(T) * items.size(), alignof(T)));
    std::memcpy(out, items.data(), sizeof(T) * items.size());
    return {out, items.size()};
  }

  std::string_view copy_string(std::string_view s) {
    if (s.empty()) return {};
    char* out = static_cast<char*>(allocate(s.size(), 1));
    std::memcpy(out, s.data(), s.size());
    return {out, s.size()};
  }

  // Frees every block but the first; keeps the first for reuse.
  void reset();
  // Bytes handed out by blocks so far (for limits and metrics).
  size_t bytes_reserved() const { return reserved_; }

 private:
  struct Block {
    Block* next;
    size_t size;
  };
  void* allocate_slow(size_t size, size_t align);

  char* cur_ = nullptr;
  char* end_ = nullptr;
  Block* head_ = nullptr;
  size_t next_block_size_;
  size_t reserved_ = 0;
};

}  // namespace orbit
