// libFuzzer target: see checks_token.h.
#include "checks_token.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  orbit::fuzz::check_graph_token(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
