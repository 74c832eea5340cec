// Parser: GraphQL source text -> Document (ast.h).
//
// Consumes: UTF-8 source text. Produces: an arena-allocated Document, or one syntax error
// with the exact location and a message in graphql-js's words ("Syntax Error: Expected Name,
// found <EOF>.").
//
// Untrusted input is safe to parse: every recursion is bounded by ParseOptions::max_depth,
// and the optional limits reject oversized documents before they cost memory.
// Thread-safe: parse() has no shared state; each call uses the arena it is given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"

namespace orbit::graphql {

struct ParseOptions {
  // 0 means unlimited for the size limits.
  size_t max_bytes = 0;
  uint32_t max_tokens = 0;
  // Nesting of selection sets, list/object values and list types. Always enforced; the
  // default keeps the parser's stack use small enough for any thread.
  uint32_t max_depth = 256;
  // Fields with an alias per document; 0 = unlimited.
  uint32_t max_aliases = 0;
  // Directives at one location (a field, a fragment, a type...); 0 = unlimited.
  uint32_t max_directives_per_location = 0;
  // Type-system definitions and extensions are accepted when true; an executable-only
  // parse (the router's request path) rejects them early with a syntax error.
  bool allow_type_system = true;
};

struct ParseResult {
  Document* document = nullptr;  // null on error
  GraphqlError error;            // set when document is null
  uint32_t token_count = 0;

  bool ok() const { return document != nullptr; }
};

ParseResult parse(std::string_view source, Arena& arena, const ParseOptions& options = {});

// Parses a single value (e.g. a default value or a field-set argument) or type reference.
ParseResult parse_value(std::string_view source, Arena& arena, Value** out,
                        const ParseOptions& options = {});
ParseResult parse_type(std::string_view source, Arena& arena, Type** out,
                       const ParseOptions& options = {});

}  // namespace orbit::graphql
