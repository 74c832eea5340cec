// The properties each fuzz target checks, shared by the libFuzzer targets (fuzz/*.cc) and by
// the regression test that replays fuzz/regressions/ in every `make test`.
// A check must never crash or trip an assertion, whatever the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "orbit/base/arena.h"
#include "orbit/base/assert.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/printer.h"

namespace orbit::fuzz {

// Parse as the router does on requests; what parses must print and re-parse to the same text,
// in both the canonical and the minified form.
inline void check_parse_executable(std::string_view src) {
  using namespace orbit::graphql;
  Arena arena;
  ParseOptions options;
  options.allow_type_system = false;
  options.max_tokens = 20000;
  options.max_depth = 64;
  ParseResult r = parse(src, arena, options);
  if (!r.ok()) {
    ORBIT_RELEASE_ASSERT(!r.error.message.empty() && r.error.locations.size() == 1);
    return;
  }
  std::string printed = print(*r.document);
  std::string minified = print_minified(*r.document);
  ParseOptions reparse;
  reparse.allow_type_system = false;
  reparse.max_depth = 256;
  ParseResult again = parse(printed, arena, reparse);
  ORBIT_RELEASE_ASSERT(again.ok());
  ORBIT_RELEASE_ASSERT(print(*again.document) == printed);
  ParseResult again_min = parse(minified, arena, reparse);
  ORBIT_RELEASE_ASSERT(again_min.ok());
  ORBIT_RELEASE_ASSERT(print(*again_min.document) == printed);
}

// Parse type-system documents (SDL) as composition receives them.
inline void check_parse_sdl(std::string_view src) {
  using namespace orbit::graphql;
  Arena arena;
  ParseOptions options;
  options.max_depth = 64;
  ParseResult r = parse(src, arena, options);
  if (!r.ok()) return;
  std::string printed = print(*r.document);
  ParseOptions reparse;
  reparse.max_depth = 256;
  ParseResult again = parse(printed, arena, reparse);
  ORBIT_RELEASE_ASSERT(again.ok());
  ORBIT_RELEASE_ASSERT(print(*again.document) == printed);
}

}  // namespace orbit::fuzz
