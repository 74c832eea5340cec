// Values and argument lists printed the way Apollo's supergraph printer writes them:
// strings always as quoted strings, lists `[a, b]`, objects `{a: 1}`.
#pragma once

#include <string>

#include "orbit/graphql/ast.h"

namespace orbit::federation::composition {

std::string print_value(const graphql::Value& value);
// "(a: 1, b: \"x\")", or "" when there are no arguments.
std::string print_arguments(graphql::List<graphql::Argument> args);
// Argument definitions of a directive: "(a: Int = 1, b: String)", or "".
std::string print_argument_definitions(graphql::List<graphql::InputValueDefinition> args);
// A JSON-style quoted string.
std::string quote(std::string_view s);

}  // namespace orbit::federation::composition
