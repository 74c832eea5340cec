// Assertion levels (see STYLE.md):
//   ORBIT_ASSERT(cond)          debug builds only; documents an invariant.
//   ORBIT_RELEASE_ASSERT(cond)  always checked; aborts with a log line.
//   ORBIT_BUG(msg)              a state that must not happen: fatal in debug builds, logged
//                               and counted in release builds (execution continues).
// User input must never be able to reach a failing assertion; validate it first.
#pragma once

#include <cstdint>

namespace orbit::detail {
[[noreturn]] void assert_fail(const char* expr, const char* file, int line);
void bug(const char* msg, const char* file, int line);
}  // namespace orbit::detail

namespace orbit {
// Number of ORBIT_BUG hits since start (exported as a metric).
uint64_t bug_count();
}  // namespace orbit

#define ORBIT_RELEASE_ASSERT(cond) \
  ((cond) ? (void)0 : ::orbit::detail::assert_fail(#cond, __FILE__, __LINE__))

#ifdef NDEBUG
#define ORBIT_ASSERT(cond) ((void)0)
#else
#define ORBIT_ASSERT(cond) ORBIT_RELEASE_ASSERT(cond)
#endif

#define ORBIT_BUG(msg) ::orbit::detail::bug((msg), __FILE__, __LINE__)
