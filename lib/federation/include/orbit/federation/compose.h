// Composition: subgraph SDLs -> supergraph SDL (Federation v2, join v0.3-v0.5 / link v1.0).
//
// Consumes: the SDL of each subgraph (Federation v2 with `@link(url: ".../federation/v2.x")`,
// renamed and namespaced imports; Federation v1 with `extend type` / `@extends`, upgraded the
// way Apollo composition upgrades them), with its name and routing URL.
// Produces: on success the supergraph SDL, printed as @apollo/composition 2.x prints it
// (definitions sorted by name, join/link machinery first), loadable by Supergraph::load; on
// failure the composition errors, each with a stable code modelled on Apollo's
// (`INVALID_FIELD_SHARING`, `FIELD_TYPE_MISMATCH`, …), the subgraphs involved and locations.
// Hints (warnings) are reported in both cases.
//
// Stateless and thread-safe: compose() only reads its inputs. Inputs are untrusted: every
// bound (ComposeOptions) is checked before work is done, and bad input yields errors, never
// a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "orbit/graphql/error.h"

namespace orbit::federation {

struct SubgraphSource {
  std::string name;  // unique; becomes @join__graph(name:)
  std::string url;   // routing URL; becomes @join__graph(url:)
  std::string sdl;
};

// Where a composition message points: a subgraph and a position in its SDL.
struct CompositionLocation {
  std::string subgraph;
  graphql::SourceLocation location;  // line/column 0 when unknown
};

struct CompositionMessage {
  std::string code;  // Apollo's code, e.g. "INVALID_FIELD_SHARING" or the hint's code
  std::string message;
  std::vector<CompositionLocation> locations;
};

struct ComposeOptions {
  // The router serves at most 256 subgraphs (Supergraph's kMaxSubgraphs). Above that (only
  // when raised here) the merged supergraph is not loaded back, so the satisfiability check
  // does not run.
  size_t max_subgraphs = 256;
  size_t max_sdl_bytes = 8 << 20;  // per subgraph
  uint32_t max_depth = 256;        // nesting in an SDL document
  bool run_satisfiability = true;  // the reachability check of every API field
};

struct CompositionResult {
  bool ok() const { return errors.empty(); }

  std::string supergraph_sdl;  // empty on failure
  std::vector<CompositionMessage> errors;
  std::vector<CompositionMessage> hints;
};

CompositionResult compose(std::span<const SubgraphSource> subgraphs,
                          const ComposeOptions& options = {});

// Canonical text of a supergraph (or any SDL): definitions sorted by kind and name, then
// printed as graphql-js print() does. Two supergraphs that differ only in definition order
// or formatting print the same. Returns an empty string when the text does not parse.
std::string canonical_sdl(std::string_view sdl);

}  // namespace orbit::federation
