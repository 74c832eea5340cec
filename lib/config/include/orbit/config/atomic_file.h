// Writing a file so that every reader sees either the old content or the new, never a part,
// and the new content survives a crash once the call returned: a temporary file in the same
// directory, written, fsync'ed, renamed over the target, and the directory fsync'ed.
//
// Used for what must never be half-written: the router's last-known-good config, and the
// artifacts and signatures published to CDN storage. A FileWatcher on the target sees one
// rename.
//
// Threading: concurrent writers of one path (threads or processes) each rename a complete
// file; the last rename wins. Temporary files are named ".<name>.tmp.<pid>.<n>" and removed
// on failure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "orbit/base/status.h"

namespace orbit::config {

// kIo naming the path and the reason (the directory must exist).
Status write_file_atomic(const std::string& path, std::string_view bytes, uint32_t mode = 0644);

}  // namespace orbit::config
