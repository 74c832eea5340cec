#include "orbit/router/router_identity.h"

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>

#ifndef ORBIT_VERSION_STRING
#define ORBIT_VERSION_STRING "0.1.0"
#endif

namespace orbit::router {

namespace {

std::string random_uuid() {
  std::random_device device;
  std::mt19937_64 gen(
      (static_cast<uint64_t>(device()) << 32) ^ device() ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  uint64_t a = gen(), b = gen();
  // A version 4 UUID.
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "unknown";
  return buf;
}

}  // namespace

const RouterIdentity& router_identity() {
  static const RouterIdentity identity{random_uuid(), host_name(), ORBIT_VERSION_STRING};
  return identity;
}

}  // namespace orbit::router
