// Internal: writes the client's `data` from the merged response tree (executor.h, step 2).
#pragma once

#include <string>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/executor/response_tree.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::executor {

// Appends the value of "data" (an object, or null when a non-null violation reached the
// root) to `out`, and the errors it finds to `errors` (which already holds the fetch and
// subgraph errors: they suppress duplicate non-null violations at related paths). Returns
// false when it wrote null. `variables` (coerced) decide the @skip/@include the operation
// still has.
bool write_data(std::string& out, RObject* root, const graphql::OperationDefinition& operation,
                const graphql::Schema& schema, const JsonValue& variables, Arena& arena,
                std::vector<graphql::GraphqlError>& errors);

}  // namespace orbit::executor
