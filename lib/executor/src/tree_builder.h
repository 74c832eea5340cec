// Internal: simdjson DOM -> response tree (response_tree.h).
#pragma once

#include <simdjson.h>

#include "orbit/base/arena.h"
#include "orbit/executor/response_tree.h"

namespace orbit::executor {

// The simdjson parser of the calling thread (its buffers are reused across documents: the
// tree copies everything it keeps out of them).
simdjson::dom::parser& thread_parser();

// Copies an element into the arena.
RValue build_tree(simdjson::dom::element element, Arena& arena);

}  // namespace orbit::executor
