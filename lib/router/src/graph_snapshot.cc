#include "orbit/router/graph_snapshot.h"

#include <atomic>

#include "orbit/config/graph_file.h"
#include "orbit/net/url.h"
#include "prepared_operation.h"

namespace orbit::router {

namespace {
std::atomic<uint64_t> g_next_version{1};
}  // namespace

Result<std::shared_ptr<const GraphSnapshot>> GraphSnapshot::build(std::string_view supergraph_sdl,
                                                                  const RouterConfig& config) {
  auto file =
      config::parse_graph_file(supergraph_sdl, config::GraphFileKind::kSupergraphSdl, "supergraph");
  if (!file.ok()) return file.status();
  return build(file->artifact, config);
}

Result<std::shared_ptr<const GraphSnapshot>> GraphSnapshot::build(
    const config::RouterArtifact& artifact, const RouterConfig& config) {
  graphql::ErrorReport errors;
  std::unique_ptr<federation::Supergraph> supergraph =
      federation::Supergraph::load(artifact.supergraph_sdl, errors);
  if (supergraph == nullptr) {
    std::string message = "invalid supergraph:";
    size_t shown = 0;
    for (const graphql::GraphqlError& e : errors.errors()) {
      if (++shown > 20) {
        message += "\n  … and " + std::to_string(errors.errors().size() - 20) + " more";
        break;
      }
      message += "\n  ";
      if (!e.locations.empty()) {
        message += std::to_string(e.locations[0].line) + ":" +
                   std::to_string(e.locations[0].column) + ": ";
      }
      message += e.message;
    }
    if (errors.errors().empty()) message += " (no details)";
    return Status(ErrorCode::kInvalidArgument, std::move(message));
  }

  auto unknown = [&](std::string_view who, std::string_view name) {
    std::string known;
    for (const federation::Subgraph& s : supergraph->subgraphs()) {
      if (!known.empty()) known += ", ";
      known += s.name;
    }
    return Status(ErrorCode::kInvalidArgument, std::string(who) + " names subgraph \"" +
                                                   std::string(name) +
                                                   "\", which the supergraph does not have "
                                                   "(it has: " +
                                                   known + ")");
  };
  for (const auto& [name, sub] : config.subgraphs) {
    if (supergraph->subgraph(name) == nullptr) return unknown("config", name);
  }
  for (const config::ArtifactSubgraph& sub : artifact.subgraphs) {
    if (supergraph->subgraph(sub.name) == nullptr) return unknown("artifact", sub.name);
  }

  for (const auto& [name, rules] : config.headers.subgraphs) {
    if (supergraph->subgraph(name) == nullptr) {
      return Status(ErrorCode::kInvalidArgument, "config headers.subgraphs names subgraph \"" +
                                                     name +
                                                     "\", which the supergraph does not have");
    }
  }

  auto snapshot = std::shared_ptr<GraphSnapshot>(new GraphSnapshot());
  for (const federation::Subgraph& s : supergraph->subgraphs()) {
    SubgraphSettings settings;
    settings.name = std::string(s.name);
    settings.url = std::string(s.url);
    if (const config::ArtifactSubgraph* entry = artifact.subgraph(s.name))
      settings.url = entry->routing_url;
    auto it = config.subgraphs.find(s.name);
    if (it != config.subgraphs.end() && !it->second.url.empty()) settings.url = it->second.url;
    settings.timeout = config.subgraph_timeout(s.name);
    settings.propagate_headers = config.headers.propagated_to(s.name);
    if (settings.url.empty()) {
      return Status(ErrorCode::kInvalidArgument, "subgraph \"" + settings.name +
                                                     "\" has no routing URL: set subgraphs." +
                                                     settings.name + ".url in the config");
    }
    auto url = net::parse_url(settings.url);
    if (!url.ok()) {
      return Status(ErrorCode::kInvalidArgument,
                    "subgraph \"" + settings.name + "\": " + url.status().message());
    }
    snapshot->subgraphs_.push_back(std::move(settings));
  }
  snapshot->supergraph_ = std::move(supergraph);
  snapshot->plan_cache_ = std::make_unique<planner::PlanCache>();
  snapshot->operation_cache_ = std::make_unique<OperationCache>();
  snapshot->version_ = g_next_version.fetch_add(1, std::memory_order_relaxed);
  snapshot->config_version_ = artifact.version;
  snapshot->created_at_ = artifact.created_at;
  snapshot->loaded_at_ = config::now_rfc3339();
  snapshot->loaded_at_time_ = std::chrono::system_clock::now();
  return std::shared_ptr<const GraphSnapshot>(std::move(snapshot));
}

}  // namespace orbit::router
