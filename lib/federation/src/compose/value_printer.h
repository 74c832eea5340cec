// Values and argument lists printed the way Apollo's supergraph printer writes them:
// strings always as quoted strings, lists `[a, b]`, objects `{a: 1}`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"

namespace orbit::federation::composition {

std::string print_value(const graphql::Value& value);
// "(a: 1, b: \"x\")", or "" when there are no arguments.
std::string print_arguments(graphql::List<graphql::Argument> args);
// Argument definitions of a directive: "(a: Int = 1, b: String)", or "".
std::string print_argument_definitions(graphql::List<graphql::InputValueDefinition> args);
// A JSON-style quoted string.
std::string quote(std::string_view s);

// The arguments of an applied directive (Applied::args, printed as `(a: 1, b: ["x"])`), parsed
// back into literals; empty when there are none or they do not parse. The literals live in
// `arena`.
struct AppliedArgs {
  Arena arena;
  std::vector<const graphql::Argument*> args;

  const graphql::Value* get(std::string_view name) const;
  // A list of strings (or one string) as written; empty otherwise.
  std::vector<std::string> strings(std::string_view name) const;
  // A list of lists of strings (`[["a", "b"], ["c"]]`, the scopes of @requiresScopes).
  std::vector<std::vector<std::string>> string_lists(std::string_view name) const;
};
void parse_applied_args(const std::string& printed, AppliedArgs& out);

}  // namespace orbit::federation::composition
