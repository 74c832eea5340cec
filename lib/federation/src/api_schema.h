// Internal: derivation of the API schema from a loaded supergraph (used by Supergraph::load).
//
// Input: the supergraph SDL, its built Schema and core features. Output: the API schema SDL
// (the supergraph document with every core-feature definition and application removed and
// @inaccessible elements removed, printed by graphql::print) and the Schema built from it.
// The @inaccessible checks follow Apollo's removeInaccessibleElements, with its messages.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "orbit/federation/link.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::federation {

struct ApiSchemaResult {
  std::unique_ptr<graphql::Schema> schema;  // null on error
  std::string sdl;
};

ApiSchemaResult build_api_schema(std::string_view supergraph_sdl, const graphql::Schema& supergraph,
                                 const CoreFeatures& features,
                                 std::string_view inaccessible_directive,
                                 graphql::ErrorReport& errors);

}  // namespace orbit::federation
