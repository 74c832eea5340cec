#include "orbit/base/arena.h"

#include <algorithm>
#include <cstdlib>

namespace orbit {

namespace {
constexpr size_t kMaxBlockSize = 1 << 20;
}

Arena::Arena(size_t first_block_size) : next_block_size_(std::max<size_t>(first_block_size, 256)) {}

Arena::~Arena() {
  Block* b = head_;
  while (b != nullptr) {
    Block* next = b->next;
    std::free(b);
    b = next;
  }
}

void* Arena::allocate_slow(size_t size, size_t align) {
  size_t need = size + align + sizeof(Block);
  size_t block_size = std::max(next_block_size_, need);
  auto* b = static_cast<Block*>(std::malloc(block_size));
  if (b == nullptr) throw std::bad_alloc();
  b->next = head_;
  b->size = block_size;
  head_ = b;
  reserved_ += block_size;
  if (next_block_size_ < kMaxBlockSize) next_block_size_ *= 2;
  cur_ = reinterpret_cast<char*>(b + 1);
  end_ = reinterpret_cast<char*>(b) + block_size;
  return allocate(size, align);
}

void Arena::reset() {
  if (head_ == nullptr) return;
  // Keep the oldest block (the last in the list), free the others.
  Block* keep = head_;
  while (keep->next != nullptr) {
    Block* next = keep->next;
    std::free(keep);
    keep = next;
  }
  head_ = keep;
  reserved_ = keep->size;
  cur_ = reinterpret_cast<char*>(keep + 1);
  end_ = reinterpret_cast<char*>(keep) + keep->size;
}

}  // namespace orbit
