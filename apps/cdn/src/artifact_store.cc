#include "orbit/cdn/artifact_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "orbit/config/atomic_file.h"
#include "orbit/config/graph_file.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/sha256.h"

namespace orbit::cdn {

namespace {

FileStamp stamp(const std::string& path, int* error) {
  struct stat st {};
  FileStamp s;
  *error = 0;
  if (::stat(path.c_str(), &st) != 0) {
    *error = errno;
    return s;
  }
  s.exists = true;
  s.device = st.st_dev;
  s.inode = st.st_ino;
  s.size = static_cast<uint64_t>(st.st_size);
  s.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  s.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  return s;
}

}  // namespace

ArtifactStore::ArtifactStore(std::string root, size_t max_artifact_bytes)
    : root_(std::move(root)), max_artifact_bytes_(max_artifact_bytes) {}

std::string ArtifactStore::artifact_path(const std::string& root, std::string_view org,
                                         std::string_view graph) {
  return (std::filesystem::path(root) / std::string(org) / std::string(graph) / "latest.json")
      .string();
}

Result<std::shared_ptr<const StoredArtifact>> ArtifactStore::read(std::string_view org,
                                                                  std::string_view graph) {
  std::string key = std::string(org) + "/" + std::string(graph);
  std::string body_path = artifact_path(root_, org, graph);
  std::string sig_path = body_path + ".sig";

  std::shared_ptr<const StoredArtifact> cached;
  // Two attempts: the second one covers a publish that was between its renames.
  for (int attempt = 0; attempt < 2; ++attempt) {
    int body_error = 0, sig_error = 0;
    FileStamp body_stamp = stamp(body_path, &body_error);
    FileStamp sig_stamp = stamp(sig_path, &sig_error);
    if (!body_stamp.exists) {
      if (body_error == ENOENT || body_error == ENOTDIR)
        return Status(ErrorCode::kNotFound, "nothing published for " + key);
      return Status(ErrorCode::kIo, body_path + ": " + strerror(body_error));
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = cache_.find(key);
      if (it != cache_.end()) {
        if (it->second.body_stamp == body_stamp && it->second.sig_stamp == sig_stamp)
          return it->second.artifact;
        cached = it->second.artifact;
      }
    }

    auto body = config::read_file_limited(body_path, max_artifact_bytes_);
    if (!body.ok()) {
      if (body.status().code() == ErrorCode::kIo && attempt == 0) continue;  // replaced meanwhile
      return body.status();
    }
    auto artifact = std::make_shared<StoredArtifact>();
    std::string sha = security::sha256_hex(*body);
    artifact->etag = "\"" + sha + "\"";
    bool consistent = true;
    if (sig_stamp.exists) {
      auto sig_text = config::read_file_limited(sig_path, security::kMaxSignatureFileBytes);
      if (!sig_text.ok()) {
        if (attempt == 0) continue;
        return sig_text.status();
      }
      auto sig = security::parse_signature_file(*sig_text, sig_path);
      if (!sig.ok()) return sig.status();
      consistent = sig->sha256_hex.empty() || sig->sha256_hex == sha;
      artifact->signature = std::move(sig->signature);
    }
    artifact->body = std::move(*body);
    if (!consistent) continue;

    std::lock_guard<std::mutex> lock(mu_);
    if (cache_.size() >= kMaxCachedGraphs && cache_.find(key) == cache_.end()) cache_.clear();
    cache_[key] = Entry{body_stamp, sig_stamp, artifact};
    return std::shared_ptr<const StoredArtifact>(artifact);
  }
  // The signature still names other bytes: a publish is under way (or died half-way).
  if (cached != nullptr) return cached;
  return Status(ErrorCode::kUnavailable,
                sig_path + " signs other bytes than " + body_path + " (a publish in progress?)");
}

Status ArtifactStore::publish(const std::string& root, std::string_view org, std::string_view graph,
                              std::string_view artifact, const security::Ed25519PrivateKey& key) {
  std::string path = artifact_path(root, org, graph);
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec)
    return Status(ErrorCode::kIo, std::filesystem::path(path).parent_path().string() +
                                      ": cannot create the directory (" + ec.message() + ")");
  security::ArtifactSignature signature = security::sign_artifact(artifact, key);
  ORBIT_RETURN_IF_ERROR(config::write_file_atomic(path, artifact));
  return config::write_file_atomic(path + ".sig", security::write_signature_file(signature));
}

}  // namespace orbit::cdn
