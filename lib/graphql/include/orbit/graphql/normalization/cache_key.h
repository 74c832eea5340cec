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
#include <string_view>

#include "orbit/graphql/normalization/normalize.h"

namespace orbit::graphql {

struct OperationCacheKey {
  uint64_t hash = 0;
  std::string text;  // canonical minified operation (and fragments)

  bool operator==(const OperationCacheKey&) const = default;
};

// `operation` must be ok().
OperationCacheKey operation_cache_key(const NormalizedOperation& operation);

// Key of normalize()'s input, for caching normalization itself in front of the plan cache:
// the document text, which operation of it runs, and the values of the variables that
// @skip/@include read (found by a walk of the operation and the fragments it spreads; other
// variables do not change the normalized operation). The schema is not part of the key: one
// cache per schema version. Requests differing only in whitespace get different keys here
// and equal ones from operation_cache_key().
uint64_t normalization_input_key(std::string_view document_text, const Document& document,
                                 const OperationDefinition& operation,
                                 const ConditionVariables& variables);

}  // namespace orbit::graphql
