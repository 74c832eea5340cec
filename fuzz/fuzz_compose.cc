// libFuzzer target: see checks_compose.h.
#include "checks_compose.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  orbit::fuzz::check_compose(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
