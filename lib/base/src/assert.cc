#include "orbit/base/assert.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

#include "orbit/base/log.h"

namespace orbit {
namespace {
std::atomic<uint64_t> g_bug_count{0};
}

uint64_t bug_count() {
  return g_bug_count.load(std::memory_order_relaxed);
}

namespace detail {

void assert_fail(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "orbit: assertion failed: %s at %s:%d\n", expr, file, line);
  std::fflush(stderr);
  std::abort();
}

void bug(const char* msg, const char* file, int line) {
  g_bug_count.fetch_add(1, std::memory_order_relaxed);
#ifdef NDEBUG
  log::error("internal bug: {} at {}:{}", msg, file, line);
#else
  std::fprintf(stderr, "orbit: bug: %s at %s:%d\n", msg, file, line);
  std::fflush(stderr);
  std::abort();
#endif
}

}  // namespace detail
}  // namespace orbit
