// gzip (RFC 1952) through zlib, for OTLP request bodies. Internal to lib/telemetry.
#pragma once

#include <string>
#include <string_view>

#include "orbit/base/status.h"

namespace orbit::telemetry {

// zlib's fastest level by default: OTLP bodies are repetitive (the same keys and ids in every
// span), so level 1 already shrinks them about 4 to 6 times, at a fraction of the CPU of the
// default level 6 — and the exporter shares the machine with serving.
inline constexpr int kFastGzipLevel = 1;
std::string gzip_compress(std::string_view data, int level = kFastGzipLevel);
// kLimitExceeded when the output would pass `max_bytes`; kInvalidArgument for corrupt input.
Result<std::string> gzip_decompress(std::string_view data, size_t max_bytes);

}  // namespace orbit::telemetry
