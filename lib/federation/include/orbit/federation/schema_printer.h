// print_schema(): a built graphql::Schema -> SDL, byte-for-byte graphql-js 16 printSchema()
// (built-in scalars, directives and introspection types left out; descriptions, @deprecated,
// @specifiedBy and @oneOf printed; other directive applications are not part of the model
// graphql-js prints). Used to compare our API schema with Apollo's, and to hand the API
// schema to tools. Pure function; thread-safe.
#pragma once

#include <string>

#include "orbit/graphql/schema/schema.h"

namespace orbit::federation {

std::string print_schema(const graphql::Schema& schema);

}  // namespace orbit::federation
