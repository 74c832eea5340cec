// Structural equality of AST values, arguments and directives, as normalization needs it to
// decide whether two fields with one response key are the same field.
#pragma once

#include "orbit/graphql/ast.h"

namespace orbit::graphql::normalization_internal {

// Same kind and same content; object fields compare in order (as graphql-js compares the
// printed values).
bool values_equal(const Value* a, const Value* b);
// Same names with equal values, in any order (graphql-js's sameArguments).
bool arguments_equal(List<Argument> a, List<Argument> b);
// Same directives in the same order, each with equal arguments.
bool directives_equal(List<Directive> a, List<Directive> b);

}  // namespace orbit::graphql::normalization_internal
