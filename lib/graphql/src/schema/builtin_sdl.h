// Internal to the schema stage: the SDL of the built-in scalars, introspection types and
// specified directives. A static string, so views into it outlive every Schema.
#pragma once

#include <string_view>

namespace orbit::graphql::schema_internal {

extern const std::string_view kBuiltinSdl;

}  // namespace orbit::graphql::schema_internal
