// Authorization requirements (@authenticated, @requiresScopes, @policy) across subgraphs:
// merging different applications of one element, and the check that a field computed from
// other data (@requires, @fromContext) demands at least what that data demands.
#pragma once

#include <string>
#include <vector>

#include "model.h"
#include "orbit/federation/supergraph.h"

namespace orbit::federation::composition {

// Requirements in disjunctive normal form: [["a", "b"], ["c"]] means (a AND b) OR c.
using Dnf = std::vector<std::vector<std::string>>;

// The conjunction of several requirements (@requiresScopes scopes or @policy policies applied
// differently in several subgraphs): every way of satisfying all of them, sorted, without
// duplicates and without alternatives that contain another one.
// Example: [["a"], ["b"]] AND [["c"]] -> [["a", "c"], ["b", "c"]].
Dnf dnf_conjunction(std::vector<Dnf> values);
std::string print_dnf(const Dnf& dnf);  // [["a", "c"], ["b", "c"]]

// MISSING_TRANSITIVE_AUTH_REQUIREMENTS: a field with @requires (or a @fromContext argument)
// must carry at least the authorization requirements of every field, type and context type its
// selection reads, counting its own type's requirements. Checked on the merged supergraph.
void check_transitive_auth(const Supergraph& supergraph, Diagnostics& diag);

}  // namespace orbit::federation::composition
