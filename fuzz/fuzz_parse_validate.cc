// libFuzzer target: parse + validate of request documents against a rich schema (checks.h).
#include "checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  orbit::fuzz::check_parse_validate(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
