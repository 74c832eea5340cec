#include "gzip.h"

#include <zlib.h>

namespace orbit::net::detail {

Result<std::string> gunzip(std::string_view data, size_t max_bytes) {
  z_stream z{};
  // 32 + MAX_WBITS: accept both gzip and zlib headers.
  if (inflateInit2(&z, 32 + MAX_WBITS) != Z_OK) {
    return Status(ErrorCode::kInternal, "gzip: inflateInit2 failed");
  }
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  char chunk[16384];
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof(chunk);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return Status(ErrorCode::kIo,
                    std::string("gzip: corrupt data (") + (z.msg ? z.msg : "truncated") + ")");
    }
    size_t produced = sizeof(chunk) - z.avail_out;
    if (out.size() + produced > max_bytes) {
      inflateEnd(&z);
      return Status(ErrorCode::kLimitExceeded,
                    "gzip: decoded body larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(chunk, produced);
    if (rc == Z_OK && produced == 0 && z.avail_in == 0) {
      inflateEnd(&z);
      return Status(ErrorCode::kIo, "gzip: truncated data");
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace orbit::net::detail
