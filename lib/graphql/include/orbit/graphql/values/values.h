// Values: coercion of request variables and of input literals (arguments, defaults) to the
// types of a Schema, as the "Coercing Variable Values" / "Coercing Field Arguments" sections
// of the spec and graphql-js 17 (execution/values.js, utilities/coerceInputValue.js,
// utilities/validateInputValue.js) do it, with graphql-js's exact error messages.
//
// Consumes: a Schema, an OperationDefinition (or the arguments of one field/directive usage)
// and the request's variables as JsonValue. Produces: coerced values as JsonValue in the
// caller's Arena: Int as int64, Float as double, String/ID as string, enums as their name,
// lists and input objects (members in field-definition order, defaults filled in); values
// of custom scalars pass through unchanged (literals become JSON without a type).
//
// "Absent" is not null: a variable that was not provided and has no default is missing from
// the coerced object, and an optional argument without a value or default is missing from
// the argument object, as in graphql-js.
//
// Lifecycle: results live in `arena` and may point into the input JsonValue (custom-scalar
// values are not copied) and into the schema / document: all of those must outlive them.
// Thread-safe: no shared state; the Schema is only read.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::graphql {

struct CoercionOptions {
  // Variable coercion stops after this many errors and adds "Too many errors processing
  // variables, error limit reached. Execution aborted." (graphql-js's execute() uses 50).
  uint32_t max_errors = 50;
  // Leave out the "Did you mean …?" suggestions (schema details are not leaked).
  bool hide_suggestions = false;
};

// graphql-js getVariableValues(): coerces `inputs` (a JSON object; null or a non-object means
// no variables were given) against the variable definitions of `operation`. Returns the
// coerced variables as a JSON object, or null after adding every error to `errors` (each at
// the variable definition, code kVariableCoercionFailed), e.g.
//   Variable "$x" has invalid value: Int cannot represent non-integer value: 1.5
//   Variable "$o" has invalid value at .list[1]: Expected value of non-null type "Int!" not to be
//   null.
const JsonValue* coerce_variable_values(const Schema& schema, const OperationDefinition& operation,
                                        const JsonValue* inputs, Arena& arena, ErrorReport& errors,
                                        const CoercionOptions& options = {});

// graphql-js coerceInputLiteral() (the successor of valueFromAST()): the value of the literal
// `value` for `type`, with variables taken from `variables` (a coerced-variables object, or
// null for a constant context). Returns null when the literal is invalid for the type (or is
// a variable that has no value): call validate_input_literal() to learn why.
const JsonValue* coerce_input_literal(const Value& value, const TypeRef* type,
                                      const JsonValue* variables, Arena& arena);
inline const JsonValue* value_from_ast(const Value& value, const TypeRef* type,
                                       const JsonValue* variables, Arena& arena) {
  return coerce_input_literal(value, type, variables, arena);
}

// A literal as JSON without a type (graphql-js valueFromASTUntyped): how custom scalars read
// literals. Int and Float keep their lexeme; enum values become strings; variables are
// looked up in `variables` (a missing one is null in a list and left out of an object).
JsonValue value_from_ast_untyped(const Value& value, const JsonValue* variables, Arena& arena);

// One problem found by validate_input_literal(): graphql-js's message without the
// "Argument … has invalid value" prefix, the path inside the value (" at .a[0]", empty at
// the top) and the location of the offending node.
struct InputProblem {
  std::string message;
  std::string path;
  Location loc;
};

// graphql-js validateInputLiteral(): every reason why `value` is not valid for `type`.
// `variables` null means a constant context (variables are not checked).
std::vector<InputProblem> validate_input_literal(const Value& value, const TypeRef* type,
                                                 const JsonValue* variables, Arena& arena,
                                                 bool hide_suggestions = false);

// graphql-js getArgumentValues(): the coerced arguments of one field or directive usage, as
// an object in argument-definition order. `owner` names the field or directive for messages
// ("Query.user" or "@include", giving `Argument "Query.user(id:)" …`); `node` is the field or
// directive node (its location is used for a missing required argument). On the first error
// (graphql-js throws) returns null after adding it to `errors` (code kBadUserInput).
const JsonValue* get_argument_values(std::span<const InputValueDef> definitions,
                                     std::string_view owner, List<Argument> arguments,
                                     const Node& node, const JsonValue* variables, Arena& arena,
                                     ErrorReport& errors, const CoercionOptions& options = {});

// graphql-js getDirectiveValues(): arguments of the first directive named like `definition`
// among `directives`. *found tells whether it is present; returns null when it is absent or
// its arguments are invalid (then an error was added).
const JsonValue* get_directive_values(const DirectiveDef& definition, List<Directive> directives,
                                      const JsonValue* variables, Arena& arena, ErrorReport& errors,
                                      bool* found);

// @skip / @include evaluation (graphql-js shouldIncludeNode): false when skipped. Invalid
// directive arguments add an error and count as "included" (validation rejects them before
// this is reached in practice).
bool should_include_node(const Schema& schema, List<Directive> directives,
                         const JsonValue* variables, Arena& arena, ErrorReport& errors);

// graphql-js inspect(): how messages show a runtime value: strings as JSON, numbers as
// JavaScript prints them, `{ a: 1, b: [true] }`, at most 10 array items and 2 levels.
std::string inspect(const JsonValue& value);

}  // namespace orbit::graphql
