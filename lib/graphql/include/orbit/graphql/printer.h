// Printer: Document (or any node) -> GraphQL text.
//
// print(): the canonical, human-readable form; byte-for-byte the output of graphql-js's
// print() for the same tree, so that printed documents can be compared across tools.
// print_minified(): the compact form sent to subgraphs: no insignificant whitespace, commas
// only where needed (`query($a:Int){f(x:$a){id}}`).
//
// Both are pure functions of the tree; thread-safe.
#pragma once

#include <string>

#include "orbit/graphql/ast.h"

namespace orbit::graphql {

std::string print(const Node& node);

void print_minified(const Node& node, std::string& out);
inline std::string print_minified(const Node& node) {
  std::string out;
  print_minified(node, out);
  return out;
}

// Prints a string literal the way graphql-js's printString does ("a\nb" with escapes).
void append_string_literal(std::string& out, std::string_view value);
// Prints a block string the way graphql-js's printBlockString does.
std::string block_string_literal(std::string_view value);

}  // namespace orbit::graphql
