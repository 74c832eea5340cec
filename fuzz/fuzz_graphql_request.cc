// libFuzzer target: see checks_router.h.
#include "checks_router.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  orbit::fuzz::check_graphql_request(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
