// Properties of composition on untrusted subgraph SDLs (what `orbit compose` and the control
// plane feed federation::compose). Shared by fuzz_compose and fuzz_regression_test, like
// checks.h.
//
// Input format: one or more subgraphs, each introduced by a line `# subgraph: <name>` (a
// GraphQL comment, so a seed file reads as SDL); text before the first such line is a
// subgraph named "main". At most kMaxFuzzSubgraphs are composed.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/assert.h"
#include "orbit/federation/compose.h"
#include "orbit/federation/supergraph.h"

namespace orbit::fuzz {

inline constexpr size_t kMaxFuzzSubgraphs = 8;
inline constexpr std::string_view kSubgraphHeader = "# subgraph: ";

inline std::vector<federation::SubgraphSource> split_subgraphs(std::string_view input) {
  std::vector<federation::SubgraphSource> out;
  federation::SubgraphSource current{"main", "http://main.fuzz.invalid/graphql", ""};
  bool any = false;
  size_t pos = 0;
  while (pos <= input.size()) {
    size_t nl = input.find('\n', pos);
    std::string_view line = input.substr(pos, nl == std::string_view::npos ? input.npos : nl - pos);
    if (line.substr(0, kSubgraphHeader.size()) == kSubgraphHeader) {
      if (any || !current.sdl.empty()) out.push_back(std::move(current));
      std::string name(line.substr(kSubgraphHeader.size()));
      while (!name.empty() && (name.back() == '\r' || name.back() == ' '))
        name.pop_back();
      current = {name, "http://" + name + ".fuzz.invalid/graphql", ""};
      any = true;
    } else {
      current.sdl.append(line);
      if (nl != std::string_view::npos) current.sdl += '\n';
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  out.push_back(std::move(current));
  if (out.size() > kMaxFuzzSubgraphs) out.resize(kMaxFuzzSubgraphs);
  return out;
}

// A composition test case folder (tests/composition/cases/<name>: one <subgraph>.graphql per
// subgraph) in the input format above: the seed corpus of fuzz_compose.
inline std::string join_case(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".graphql") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::string out;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out += std::string(kSubgraphHeader) + f.stem().string() + "\n" + ss.str();
    if (!out.empty() && out.back() != '\n') out += '\n';
  }
  return out;
}

// Composition never crashes, fails with coded errors that say something, and what it composes
// is a supergraph that loads (only an unenforced SECURITY feature may keep the router from
// serving it) and prints canonically.
inline void check_compose(std::string_view input) {
  std::vector<federation::SubgraphSource> subgraphs = split_subgraphs(input);
  federation::ComposeOptions options;
  options.max_sdl_bytes = 1 << 20;
  options.max_depth = 64;
  federation::CompositionResult r = federation::compose(subgraphs, options);
  for (const auto& e : r.errors)
    ORBIT_RELEASE_ASSERT(!e.code.empty() && !e.message.empty());
  for (const auto& h : r.hints)
    ORBIT_RELEASE_ASSERT(!h.code.empty() && !h.message.empty());
  if (!r.ok()) {
    ORBIT_RELEASE_ASSERT(r.supergraph_sdl.empty());
    return;
  }
  ORBIT_RELEASE_ASSERT(!r.supergraph_sdl.empty());
  ORBIT_RELEASE_ASSERT(!federation::canonical_sdl(r.supergraph_sdl).empty());
  graphql::ErrorReport errors;
  federation::LoadOptions load;
  load.accept_unsupported_features = true;
  std::unique_ptr<federation::Supergraph> loaded =
      federation::Supergraph::load(r.supergraph_sdl, errors, load);
  ORBIT_RELEASE_ASSERT(loaded != nullptr);
}

}  // namespace orbit::fuzz
