#include "orbit/cli/compose_command.h"

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "orbit/cli/graph_config.h"
#include "orbit/config/artifact.h"
#include "orbit/federation/compose.h"

namespace orbit::cli {

namespace {

constexpr size_t kMaxSchemaBytes = 8 << 20;

Result<std::string> read_file(const std::filesystem::path& p) {
  std::error_code ec;
  auto size = std::filesystem::file_size(p, ec);
  if (ec)
    return Status(ErrorCode::kNotFound,
                  p.string() + ": cannot read the file (" + ec.message() + ")");
  if (size > kMaxSchemaBytes)
    return Status(ErrorCode::kLimitExceeded,
                  p.string() + ": larger than " + std::to_string(kMaxSchemaBytes) + " bytes");
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, p.string() + ": cannot read the file");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Writes through a temporary file and a rename, so a watching router never sees half a file.
Status write_file(const std::string& path, const std::string& text) {
  std::filesystem::path p(path);
  std::filesystem::path tmp = p;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status(ErrorCode::kIo, path + ": cannot write the file");
    out << text;
    out.flush();
    if (!out) return Status(ErrorCode::kIo, path + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, p, ec);
  if (ec) return Status(ErrorCode::kIo, path + ": cannot replace the file (" + ec.message() + ")");
  return Status();
}

void print_message(std::ostream& os, std::string_view kind,
                   const federation::CompositionMessage& m) {
  os << kind << "[" << m.code << "]: " << m.message << "\n";
  for (const auto& l : m.locations) {
    os << "  --> subgraph \"" << l.subgraph << "\"";
    if (l.location.line != 0)
      os << ", line " << l.location.line << ", column " << l.location.column;
    os << "\n";
  }
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

int run_compose(const ComposeCommandOptions& options, std::ostream& out, std::ostream& err,
                const SdlFetcher& fetcher) {
  Result<GraphConfig> config = load_graph_config(options.input);
  if (!config.ok()) {
    err << "error: " << config.status().message() << "\n";
    return 2;
  }
  std::vector<federation::SubgraphSource> sources;
  for (const SubgraphConfig& sc : config->subgraphs) {
    Result<std::string> sdl =
        sc.schema_file.empty()
            ? fetcher(sc.introspection_url, sc.introspection_headers, options.fetch_timeout_ms)
            : read_file(sc.schema_file);
    if (!sdl.ok()) {
      err << "error: subgraph \"" << sc.name << "\": " << sdl.status().message() << "\n";
      return 2;
    }
    sources.push_back({sc.name, sc.routing_url, std::move(*sdl)});
  }
  federation::CompositionResult result = federation::compose(sources);
  if (!options.quiet_hints)
    for (const auto& h : result.hints)
      print_message(err, "hint", h);
  if (!result.ok()) {
    for (const auto& e : result.errors)
      print_message(err, "error", e);
    err << "composition failed: " << result.errors.size() << " error"
        << (result.errors.size() == 1 ? "" : "s") << "\n";
    return 1;
  }
  config::RouterArtifact artifact;
  artifact.version = sha256_hex(result.supergraph_sdl);
  artifact.created_at = config::now_rfc3339();
  artifact.supergraph_sdl = result.supergraph_sdl;
  for (const SubgraphConfig& sc : config->subgraphs) {
    config::ArtifactSubgraph s;
    s.name = sc.name;
    s.routing_url = sc.routing_url;
    s.subscription_url = sc.subscription_url;
    if (auto p = config::parse_subscription_protocol(
            sc.subscription_protocol.empty() ? "ws" : sc.subscription_protocol))
      s.subscription_protocol = *p;
    artifact.subgraphs.push_back(std::move(s));
  }
  std::string json = config::write_artifact(artifact);
  if (options.output == "-") {
    out << json;
  } else if (Status s = write_file(options.output, json); !s.ok()) {
    err << "error: " << s.message() << "\n";
    return 2;
  }
  if (!options.supergraph_out.empty()) {
    if (Status s = write_file(options.supergraph_out, result.supergraph_sdl); !s.ok()) {
      err << "error: " << s.message() << "\n";
      return 2;
    }
  }
  if (options.output != "-")
    err << "composed " << sources.size() << " subgraph" << (sources.size() == 1 ? "" : "s")
        << " into " << options.output << " (version " << artifact.version.substr(0, 12) << ")\n";
  return 0;
}

}  // namespace orbit::cli
