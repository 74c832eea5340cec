// gzip (RFC 1952) through zlib, for OTLP request bodies. Internal to lib/telemetry.
#pragma once

#include <string>
#include <string_view>

#include "orbit/base/status.h"

namespace orbit::telemetry {

std::string gzip_compress(std::string_view data);
// kLimitExceeded when the output would pass `max_bytes`; kInvalidArgument for corrupt input.
Result<std::string> gzip_decompress(std::string_view data, size_t max_bytes);

}  // namespace orbit::telemetry
