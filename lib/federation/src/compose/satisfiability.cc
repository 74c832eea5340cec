#include "satisfiability.h"

namespace orbit::federation::composition {

void check_satisfiability(const Supergraph& supergraph, Diagnostics& diag) {
  (void)supergraph;
  (void)diag;
}

}  // namespace orbit::federation::composition
