// Internal to the schema stage: the pieces Schema::build() is made of.
//
//   validate_sdl()     graphql-js's specifiedSDLRules on the parsed documents (before build)
//   SchemaBuilder      documents -> TypeDefs, DirectiveDefs, root types, type order
//   validate_schema()  graphql-js's validateSchema() on the built schema
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::graphql::schema_internal {

// Adds an error with code INVALID_SCHEMA, the given origin and locations.
GraphqlError& add_schema_error(ErrorReport& errors, std::string message, std::string_view origin,
                               std::initializer_list<Location> locations = {});

// The AST type reference as written: "[Int!]!".
std::string print_ast_type(const Type* type);

bool is_standard_type_name(std::string_view name);  // Int … ID and the __ introspection types

// Runs the SDL rules over the user documents (`builtin` supplies the specified directives).
// Errors are appended in graphql-js's order (one parallel walk of the documents).
void validate_sdl(std::span<const Document* const> documents, const Document& builtin,
                  ErrorReport& errors);

// The schema definition and extensions, which the Schema does not keep but whose nodes give
// the locations of root type errors.
struct SchemaAstNodes {
  const SchemaDefinition* definition = nullptr;
  std::vector<const SchemaDefinition*> extensions;
};

void validate_schema(const Schema& schema, const SchemaAstNodes& ast, ErrorReport& errors);

}  // namespace orbit::graphql::schema_internal
