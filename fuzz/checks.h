// The properties each fuzz target checks, shared by the libFuzzer targets (fuzz/*.cc) and by
// the regression test that replays fuzz/regressions/ in every `make test`.
// A check must never crash or trip an assertion, whatever the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "orbit/base/arena.h"
#include "orbit/base/assert.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/printer.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/graphql/validation/validate.h"

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
  // The minified form turns block strings into plain strings, so compare minified texts.
  ParseResult again_min = parse(minified, arena, reparse);
  ORBIT_RELEASE_ASSERT(again_min.ok());
  ORBIT_RELEASE_ASSERT(print_minified(*again_min.document) == minified);
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

// The schema that parse+validate inputs are checked against: interfaces, unions, input
// objects, @oneOf, lists and non-null arguments, so every validation rule has work to do.
inline const graphql::Schema& fuzz_schema() {
  static const std::unique_ptr<graphql::Schema> schema = [] {
    graphql::ErrorReport errors;
    auto s = graphql::Schema::build(R"(
      schema { query: Query mutation: Mutation subscription: Subscription }
      interface Node { id: ID! }
      interface Named implements Node { id: ID! name(upper: Boolean = false): String }
      type User implements Named & Node { id: ID! name(upper: Boolean = false): String
        friends(first: Int = 10, after: String): [User!]! pet: Pet bestFriend: User }
      type Dog implements Named & Node { id: ID! name(upper: Boolean = false): String barks: Boolean }
      type Cat implements Named & Node { id: ID! name(upper: Boolean = false): String meows: Int }
      union Pet = Dog | Cat
      enum Color { RED GREEN BLUE }
      input Filter { text: String color: Color = RED tags: [String!] nested: Filter }
      input OneOf @oneOf { id: ID name: String }
      scalar Date
      type Query { node(id: ID!): Node user(id: ID, by: OneOf): User users(filter: Filter): [User]
        pets(colors: [Color!]!): [Pet] now: Date echo(value: String!, times: Int = 1): String }
      type Mutation { rename(id: ID!, name: String!): User }
      type Subscription { userChanged(id: ID!): User }
    )",
                                    errors);
    ORBIT_RELEASE_ASSERT(s != nullptr);
    return s;
  }();
  return *schema;
}

// Parse and validate a request document: validation must terminate, never crash, and
// report errors with at least a message.
inline void check_parse_validate(std::string_view src) {
  using namespace orbit::graphql;
  Arena arena;
  ParseOptions options;
  options.allow_type_system = false;
  options.max_tokens = 20000;
  options.max_depth = 64;
  ParseResult r = parse(src, arena, options);
  if (!r.ok()) return;
  ErrorReport report;
  validate(fuzz_schema(), *r.document, report);
  for (const GraphqlError& e : report.errors())
    ORBIT_RELEASE_ASSERT(!e.message.empty());
}

}  // namespace orbit::fuzz
