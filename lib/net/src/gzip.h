// Private to lib/net: gzip decoding of response bodies.
#pragma once

#include <string>
#include <string_view>

#include "orbit/base/status.h"

namespace orbit::net::detail {

// Decodes gzip (or zlib) data. kLimitExceeded past `max_bytes` of output, kIo when corrupt.
Result<std::string> gunzip(std::string_view data, size_t max_bytes);

}  // namespace orbit::net::detail
