// ArtifactStore: the CDN's storage — a directory the control plane publishes into and the
// CDN serves from.
//
//   {root}/{org}/{graph}/latest.json       the config artifact, exact bytes
//   {root}/{org}/{graph}/latest.json.sig   its signature file (security/artifact_signature.h)
//
// Both are written atomically (config::write_file_atomic), the artifact first; publish()
// does it and is what the control plane calls. A reader can still meet the new artifact with
// the old signature for the moment between the two renames; the signature file names the
// SHA-256 of the bytes it signs, so read() notices, and serves the last consistent pair it
// has instead (or kUnavailable when it has none). A missing signature file is not an error
// here: the artifact is served unsigned and routers refuse it.
//
// read() keeps what it read in memory and re-reads only when stat() says a file changed
// (device, inode, size, mtime, ctime), so a poll costs two stat() calls.
//
// Threading: read() is called from every CDN loop at once (one mutex around the cache, never
// held during file reads). publish() is a static function; call it from anywhere.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "orbit/base/status.h"
#include "orbit/security/ed25519.h"

namespace orbit::cdn {

// An artifact as served: the body, its entity tag and its signature.
struct StoredArtifact {
  std::string body;
  std::string etag;       // "\"<sha256 hex of body>\"" (quoted, as the ETag header carries it)
  std::string signature;  // 64 raw bytes; empty when the artifact has no signature file
};

struct FileStamp {
  uint64_t device = 0, inode = 0, size = 0;
  int64_t mtime_ns = 0, ctime_ns = 0;
  bool exists = false;
  bool operator==(const FileStamp&) const = default;
};

class ArtifactStore {
 public:
  explicit ArtifactStore(std::string root, size_t max_artifact_bytes = 64 * 1024 * 1024);

  // The current artifact of org/graph (names already checked with security::is_valid_name).
  // kNotFound when none was published, kUnavailable while its signature belongs to other
  // bytes and no earlier consistent pair is cached, kIo / kLimitExceeded / kInvalidArgument
  // (a bad signature file) with a message naming the file.
  Result<std::shared_ptr<const StoredArtifact>> read(std::string_view org, std::string_view graph);

  // Writes `artifact` and its signature by `key` as the current config of org/graph,
  // creating the directories. What the control plane does on a successful composition.
  static Status publish(const std::string& root, std::string_view org, std::string_view graph,
                        std::string_view artifact, const security::Ed25519PrivateKey& key);

  // {root}/{org}/{graph}/latest.json
  static std::string artifact_path(const std::string& root, std::string_view org,
                                   std::string_view graph);

  const std::string& root() const { return root_; }

 private:
  struct Entry {
    FileStamp body_stamp;
    FileStamp sig_stamp;
    std::shared_ptr<const StoredArtifact> artifact;
  };
  static constexpr size_t kMaxCachedGraphs = 10'000;

  std::string root_;
  size_t max_artifact_bytes_;
  std::mutex mu_;
  std::map<std::string, Entry, std::less<>> cache_;  // by "org/graph"
};

}  // namespace orbit::cdn
