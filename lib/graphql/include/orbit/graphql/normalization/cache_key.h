// Operation cache key: the identity of a normalized operation for the plan cache.
//
// Consumes: a NormalizedOperation. Produces: the canonical text of the operation and a 64-bit
// hash (orbit/base/hash.h) of that text together with the @skip/@include variable values
// normalization used.
//
// Canonical text = print_minified() of the normalized operation (then of its fragments, in
// named-fragment mode) after the reorderings that cannot change a response or a plan:
// arguments of fields and directives sorted by name, variable definitions sorted by name.
// Fields are never reordered (their order is the response order), object values are not
// reordered (a custom scalar may see the literal as written).
//   query Q($b: Int, $a: Int) { f(y: $b, x: $a) { id } }
//     -> text `query Q($a:Int$b:Int){f(x:$a y:$b){id}}`
// Two requests with equal keys can share one query plan. The hash alone is a 64-bit
// digest; a cache that cannot afford a collision compares `text` on a hit.
//
// Pure function of its argument; thread-safe. The text is as large as the expanded
// operation, which normalize() bounded by NormalizeOptions::max_selections.
#pragma once

#include <cstdint>
#include <string>

#include "orbit/graphql/normalization/normalize.h"

namespace orbit::graphql {

struct OperationCacheKey {
  uint64_t hash = 0;
  std::string text;  // canonical minified operation (and fragments)

  bool operator==(const OperationCacheKey&) const = default;
};

// `operation` must be ok().
OperationCacheKey operation_cache_key(const NormalizedOperation& operation);

}  // namespace orbit::graphql
