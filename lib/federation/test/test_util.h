// Shared helpers of the lib/federation tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "orbit/federation/supergraph.h"

namespace orbit::federation::testing {

inline std::string read_data(const std::string& relative) {
  std::ifstream in(std::string(ORBIT_TEST_DATA_DIR) + "/" + relative, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string errors_text(const graphql::ErrorReport& errors) {
  std::string out;
  for (const auto& e : errors.errors()) {
    out += e.message;
    for (const auto& l : e.locations) {
      out += " @" + std::to_string(l.line) + ":" + std::to_string(l.column);
    }
    out += "\n";
  }
  return out;
}

}  // namespace orbit::federation::testing
