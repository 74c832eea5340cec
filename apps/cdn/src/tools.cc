#include "orbit/cdn/tools.h"

#include "orbit/cdn/artifact_store.h"
#include "orbit/config/artifact.h"
#include "orbit/config/graph_file.h"
#include "orbit/security/graph_token.h"
#include "orbit/security/sha256.h"

namespace orbit::cdn {

Status run_keygen(const std::string& private_path, const std::string& public_path,
                  std::ostream& out) {
  auto key = security::generate_key_files(private_path, public_path);
  if (!key.ok()) return key.status();
  out << "wrote " << private_path << " (private, mode 0600) and " << public_path
      << " (public); key id " << key->key_id() << "\n";
  return {};
}

Status run_mint_token(const MintOptions& options, std::ostream& out) {
  auto key = security::load_private_key(options.private_key_path);
  if (!key.ok()) return key.status();
  security::GraphTokenClaims claims;
  claims.audience = options.audience;
  claims.org = options.org;
  claims.graph = options.graph;
  claims.token_id = options.token_id.empty() ? security::new_token_id() : options.token_id;
  claims.issued_at = security::unix_now();
  if (options.ttl_seconds) {
    if (*options.ttl_seconds <= 0)
      return Status(ErrorCode::kInvalidArgument, "the lifetime must be positive");
    claims.expires_at = claims.issued_at + *options.ttl_seconds;
  }
  auto token = security::mint_graph_token(claims, *key);
  if (!token.ok()) return token.status();
  out << *token << "\n";
  return {};
}

Status run_publish(const std::string& storage, const std::string& org, const std::string& graph,
                   const std::string& artifact_path, const std::string& signing_key_path,
                   std::ostream& out) {
  if (!security::is_valid_name(org))
    return Status(ErrorCode::kInvalidArgument, "org: \"" + org + "\" is not a name");
  if (!security::is_valid_name(graph))
    return Status(ErrorCode::kInvalidArgument, "graph: \"" + graph + "\" is not a name");
  config::ArtifactLimits limits;
  auto text = config::read_file_limited(artifact_path, limits.max_bytes);
  if (!text.ok()) return text.status();
  // Routers would refuse a file that is not an artifact; refuse it here, before it is signed.
  auto artifact = config::parse_artifact(*text, artifact_path, limits);
  if (!artifact.ok()) return artifact.status();
  auto key = security::load_private_key(signing_key_path);
  if (!key.ok()) return key.status();
  ORBIT_RETURN_IF_ERROR(ArtifactStore::publish(storage, org, graph, *text, *key));
  out << "published " << artifact_path << " (version " << artifact->version << ") to "
      << ArtifactStore::artifact_path(storage, org, graph) << "; ETag \""
      << security::sha256_hex(*text) << "\", signed by key " << key->key_id() << "\n";
  return {};
}

}  // namespace orbit::cdn
