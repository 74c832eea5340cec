// TEMPORARY bridge to orbit/planner/query_plan.h.
//
// query_plan.h names a FetchNode member `requires`, which is a keyword in C++20: the header
// does not compile as it is. Until the planner renames the member, this header includes it
// with the keyword mapped to `requires_selection` (every header query_plan.h includes is
// included first, so the mapping touches nothing else), and executor code reads the member
// only through requires_of(). Once renamed: include query_plan.h directly and change
// requires_of().
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"

#define requires requires_selection
#include "orbit/planner/query_plan.h"  // IWYU pragma: export
#undef requires

namespace orbit::executor {

inline const graphql::SelectionSet* requires_of(const planner::FetchNode& node) {
  return node.requires_selection;
}
inline void set_requires(planner::FetchNode& node, const graphql::SelectionSet* s) {
  node.requires_selection = s;
}

}  // namespace orbit::executor
