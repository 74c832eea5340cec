// libFuzzer target: see checks_trace.h.
#include "checks_trace.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  orbit::fuzz::check_trace_headers(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
