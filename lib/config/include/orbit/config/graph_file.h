// Reading the file that holds the graph the router serves: a config artifact (artifact.h) or
// a plain supergraph SDL file (as @apollo/composition and Hive write it). Both come out as a
// RouterArtifact, so the router has one path from file to snapshot.
//
// Pure functions over the file system; call on any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "orbit/base/status.h"
#include "orbit/config/artifact.h"

namespace orbit::config {

enum class GraphFileKind {
  kArtifact,       // JSON, artifact.h
  kSupergraphSdl,  // GraphQL SDL of a composed supergraph
};

std::string_view graph_file_kind_name(GraphFileKind kind);  // "artifact", "supergraph"

// The whole file, if it is at most `max_bytes` long. kIo when it cannot be opened or read
// (the message names the path and the reason), kLimitExceeded when it is larger.
Result<std::string> read_file_limited(const std::string& path, size_t max_bytes);

// What one read of a graph file gave.
struct GraphFile {
  RouterArtifact artifact;
  uint64_t content_hash = 0;  // of the bytes read (hash.h), to skip reloading the same text
};

// Interprets `text` (the content of `source_name`) as `kind`. A supergraph SDL becomes an
// artifact without subgraph entries whose version is "sdl-" followed by 16 hex digits of the
// text's hash and whose createdAt is now. Empty or blank text is an error for both kinds.
Result<GraphFile> parse_graph_file(std::string_view text, GraphFileKind kind,
                                   std::string_view source_name, const ArtifactLimits& limits = {});

// read_file_limited (limits.max_bytes) + parse_graph_file; errors start with the path.
Result<GraphFile> load_graph_file(const std::string& path, GraphFileKind kind,
                                  const ArtifactLimits& limits = {});

}  // namespace orbit::config
