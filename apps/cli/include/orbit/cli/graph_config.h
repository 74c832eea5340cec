// GraphConfig: the graph.yaml read by `orbit compose` — which subgraphs make the graph, where
// each one's schema comes from, and how the router reaches it.
//
//   subgraphs:
//     products:
//       routing_url: http://products:4001/graphql
//       schema:
//         file: ./products.graphql            # relative to graph.yaml
//     reviews:
//       routing_url: http://reviews:4002/graphql
//       schema:
//         subgraph_url: http://localhost:4002/graphql   # fetched with { _service { sdl } }
//         headers: {Authorization: "Bearer x"}         # optional, for subgraph_url
//       subscription:
//         url: ws://reviews:4002/ws                     # optional
//         protocol: ws                                  # ws | sse | sse_post
//
// Plain values and a pure parse function; safe on any thread.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/status.h"

namespace orbit::cli {

struct SubgraphConfig {
  std::string name;
  std::string routing_url;
  std::filesystem::path schema_file;  // set, or introspection_url
  std::string introspection_url;
  std::map<std::string, std::string> introspection_headers;
  std::string subscription_url;
  std::string subscription_protocol;  // "" (absent), "ws", "sse", "sse_post"
};

struct GraphConfig {
  std::vector<SubgraphConfig> subgraphs;  // in file order
};

// Parses graph.yaml text; relative schema files resolve against `base_dir`. Errors name the
// file, the key and the line ("graph.yaml:4: subgraphs.products.routing_url: ...").
Result<GraphConfig> parse_graph_config(std::string_view yaml, std::string_view source_name,
                                       const std::filesystem::path& base_dir);
Result<GraphConfig> load_graph_config(const std::filesystem::path& file);

}  // namespace orbit::cli
