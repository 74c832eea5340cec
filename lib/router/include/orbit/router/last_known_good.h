// The last-known-good config: the last artifact a managed router fetched, verified and
// loaded, kept on disk so that a router restarted while the CDN is down still starts.
//
//   {state_dir}/{org}/{graph}/last-known-good.json
//
// One file, written atomically (temporary file, fsync, rename, directory fsync), holding the
// artifact's exact bytes with their signature, so the pair can never be torn apart and the
// router verifies the copy again before it serves it:
//
//   {"format":"orbit-last-known-good","formatVersion":1,"org":"acme","graph":"shop",
//    "etag":"\"9f86…\"","signature":"<base64>","source":"https://cdn…/latest.json",
//    "savedAt":"2026-11-27T02:00:34.014Z","artifact":"{\"version\":\"v7\",…}"}
//
// Only artifacts that verified and loaded are written: a copy that would not start the
// router is never kept.
//
// Pure functions over the file system; call on any thread.
#pragma once

#include <string>

#include "orbit/base/status.h"

namespace orbit::router {

struct LastKnownGood {
  std::string org;
  std::string graph;
  std::string artifact;   // exact bytes, as signed
  std::string signature;  // 64 raw bytes
  std::string etag;       // as the CDN sent it
  std::string source;     // the URL it came from
  std::string saved_at;   // RFC 3339
};

std::string last_known_good_path(const std::string& state_dir, const std::string& org,
                                 const std::string& graph);

// Creates the directories, then writes atomically (mode 0600: the state directory is the
// router's own).
Status write_last_known_good(const std::string& path, const LastKnownGood& lkg);

// kNotFound when there is none; kInvalidArgument naming the file and the field when it is
// not a last-known-good file (the signature is not checked here).
Result<LastKnownGood> read_last_known_good(const std::string& path);

}  // namespace orbit::router
