#include "orbit/base/status.h"

namespace orbit {

std::string Status::to_string() const {
  if (ok()) return "OK";
  std::string out(error_code_name(code_));
  out += ": ";
  out += message_;
  return out;
}

}  // namespace orbit
