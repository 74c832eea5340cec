// Satisfiability: every field of the API schema must be reachable by some query plan.
#pragma once

#include "model.h"
#include "orbit/federation/supergraph.h"

namespace orbit::federation::composition {

void check_satisfiability(const Supergraph& supergraph, Diagnostics& diag);

}  // namespace orbit::federation::composition
