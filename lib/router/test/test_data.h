// Files under lib/router/test/data, for the router's unit tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace orbit::router::testing {

inline std::string test_data(std::string_view name) {
  std::ifstream in(std::string(ORBIT_TEST_DATA_DIR "/") + std::string(name), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace orbit::router::testing
