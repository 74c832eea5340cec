#include "orbit/base/error_code.h"

namespace orbit {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
#define ORBIT_X(name, num, ext) \
  case ErrorCode::name: return ext;
    ORBIT_ERROR_CODES(ORBIT_X)
#undef ORBIT_X
  }
  return "UNKNOWN";
}

}  // namespace orbit
