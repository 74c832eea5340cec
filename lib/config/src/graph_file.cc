#include "orbit/config/graph_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "orbit/base/hash.h"

namespace orbit::config {

std::string_view graph_file_kind_name(GraphFileKind kind) {
  return kind == GraphFileKind::kArtifact ? "artifact" : "supergraph";
}

Result<std::string> read_file_limited(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status(ErrorCode::kIo, "cannot read " + path + ": " + std::strerror(errno));
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status(ErrorCode::kIo, "cannot read " + path + ": it is a directory");
  }
  std::string out;
  char chunk[64 * 1024];
  while (true) {
    ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string reason = std::strerror(errno);
      ::close(fd);
      return Status(ErrorCode::kIo, "cannot read " + path + ": " + reason);
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return Status(ErrorCode::kLimitExceeded,
                    path + ": larger than the limit of " + std::to_string(max_bytes) + " bytes");
    }
    out.append(chunk, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

Result<GraphFile> parse_graph_file(std::string_view text, GraphFileKind kind,
                                   std::string_view source_name, const ArtifactLimits& limits) {
  GraphFile file;
  file.content_hash = hash_string(text);
  if (kind == GraphFileKind::kArtifact) {
    auto artifact = parse_artifact(text, source_name, limits);
    if (!artifact.ok()) return artifact.status();
    file.artifact = std::move(*artifact);
    return file;
  }
  if (text.size() > limits.max_bytes) {
    return Status(ErrorCode::kLimitExceeded, std::string(source_name) +
                                                 ": larger than the limit of " +
                                                 std::to_string(limits.max_bytes) + " bytes");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status(ErrorCode::kInvalidArgument,
                  std::string(source_name) + ": empty (expected a supergraph SDL)");
  }
  char hex[16];
  hash_to_hex(file.content_hash, hex);
  file.artifact.version = "sdl-" + std::string(hex, sizeof(hex));
  file.artifact.created_at = now_rfc3339();
  file.artifact.supergraph_sdl = std::string(text);
  return file;
}

Result<GraphFile> load_graph_file(const std::string& path, GraphFileKind kind,
                                  const ArtifactLimits& limits) {
  auto text = read_file_limited(path, limits.max_bytes);
  if (!text.ok()) return text.status();
  return parse_graph_file(*text, kind, path, limits);
}

}  // namespace orbit::config
