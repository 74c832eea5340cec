// The operator commands of orbit-cdn besides serving: making keys, minting a graph token and
// publishing an artifact into storage — what the control plane does for managed graphs, for
// setups (and tests) that run the CDN without it. Each writes its result to `out` and its
// errors to the returned Status; apps/cdn/main.cc only parses flags.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "orbit/base/status.h"

namespace orbit::cdn {

// orbit-cdn keygen --private-key FILE --public-key FILE
// A new Ed25519 key pair (private 0600); prints the key id.
Status run_keygen(const std::string& private_path, const std::string& public_path,
                  std::ostream& out);

struct MintOptions {
  std::string private_key_path;
  std::string org;
  std::string graph;
  std::string token_id;  // empty: a random one
  std::string audience = "orbit-cdn";
  std::optional<int64_t> ttl_seconds;  // absent: no expiry
};
// orbit-cdn token …: prints the token on one line (and nothing else, for scripts).
Status run_mint_token(const MintOptions& options, std::ostream& out);

// orbit-cdn publish --storage DIR --org O --graph G --signing-key FILE router.json
// Checks that the file is a config artifact (config::parse_artifact), then writes it and its
// signature to storage (ArtifactStore::publish); prints the ETag.
Status run_publish(const std::string& storage, const std::string& org, const std::string& graph,
                   const std::string& artifact_path, const std::string& signing_key_path,
                   std::ostream& out);

}  // namespace orbit::cdn
