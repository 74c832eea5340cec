// RevocationList: the graph token ids (JWT `jti`) the CDN refuses although their signature
// is valid. The control plane writes the file; the CDN re-reads it when it changes.
//
// The file holds one token id per line; blank lines and everything after a `#` are ignored:
//
//   # revoked 2026-01-05, laptop lost
//   q3JxV0d2bW9tY2Z0eXJ1
//   build-server-7   # rotated
//
// A line that is not a token id makes the whole file invalid (the caller keeps the list it
// had), so a typo never quietly lets a revoked token back in.
//
// An immutable value once parsed: share it (std::shared_ptr<const RevocationList>) and read
// it from any thread.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "orbit/base/status.h"

namespace orbit::security {

inline constexpr size_t kMaxRevocationFileBytes = 16 * 1024 * 1024;
inline constexpr size_t kMaxRevokedTokens = 1'000'000;

class RevocationList {
 public:
  RevocationList() = default;

  // Errors name the source and the line: "revoked.txt:7: \"a b\" is not a token id".
  // kLimitExceeded for the limits above.
  static Result<RevocationList> parse(std::string_view text,
                                      std::string_view source_name = "revocations");

  bool contains(std::string_view token_id) const { return ids_.find(token_id) != ids_.end(); }
  size_t size() const { return ids_.size(); }

 private:
  std::set<std::string, std::less<>> ids_;
};

}  // namespace orbit::security
