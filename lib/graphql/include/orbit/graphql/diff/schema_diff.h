// Schema diff: what changed between two versions of a schema, and which changes can break
// the operations clients already send.
//
// Consumes: two Schemas (schema/schema.h), or two SDL texts that diff_sdl() builds first.
// Produces: a list of SchemaChange, each with a stable kind code, a severity, the schema
// coordinate it is about (`Query.user(id:)`) and a message for people.
//
//   type Query { user(id: ID): User }        type Query { user(id: ID!): User }
//   enum Role { ADMIN USER }           ──►   enum Role { ADMIN USER GUEST }
//
//   BREAKING  ARGUMENT_TYPE_CHANGED  Query.user(id:)  Argument Query.user(id:) changed type from ID
//   to ID!. DANGEROUS ENUM_VALUE_ADDED       Role.GUEST       Enum value Role.GUEST was added.
//
// Severity follows the variance of each position: a field's output type may only become
// stricter (`String` → `String!` is safe, the reverse breaks clients that rely on non-null);
// an argument or input field may only become looser (`ID!` → `ID` is safe, `ID` → `ID!`
// breaks callers that omit it). BREAKING: some valid operation becomes invalid or changes its
// result shape. DANGEROUS: operations stay valid but may see new values or behaviour (an enum
// value or union member clients do not handle, a changed default). SAFE: everything else.
// The breaking and dangerous sets agree with graphql-js's findBreakingChanges /
// findDangerousChanges (tests/schema-diff; differences listed in lib/graphql/README.md).
//
// Order: type changes in the old schema's type order (removed and changed types, then added
// types in the new schema's order), then root operation types, then directives.
//
// Lifecycle and threading: pure functions. The result owns its strings and refers to
// neither schema; both schemas are only read, so concurrent diffs of shared schemas are safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit {
class JsonWriter;
}

namespace orbit::graphql {

enum class ChangeSeverity : uint8_t { kBreaking, kDangerous, kSafe };
std::string_view change_severity_name(ChangeSeverity severity);  // "BREAKING"

// Each kind has a stable code, its name in upper snake case (kFieldTypeChangedSafe is
// FIELD_TYPE_CHANGED_SAFE), and one severity, given beside it. Codes never change meaning
// (the control plane stores them; scripts match on them); new kinds are appended.
enum class ChangeKind : uint8_t {
  kTypeAdded,                       // safe
  kTypeRemoved,                     // breaking
  kTypeKindChanged,                 // breaking (object → interface …)
  kFieldAdded,                      // safe
  kFieldRemoved,                    // breaking
  kFieldTypeChanged,                // breaking (e.g. made nullable)
  kFieldTypeChangedSafe,            // safe (e.g. made non-null)
  kRequiredArgumentAdded,           // breaking
  kOptionalArgumentAdded,           // dangerous
  kArgumentRemoved,                 // breaking
  kArgumentTypeChanged,             // breaking (e.g. made non-null)
  kArgumentTypeChangedSafe,         // safe (e.g. made nullable)
  kArgumentDefaultChanged,          // dangerous (changed or removed)
  kArgumentDefaultAdded,            // safe
  kEnumValueAdded,                  // dangerous
  kEnumValueRemoved,                // breaking
  kUnionMemberAdded,                // dangerous
  kUnionMemberRemoved,              // breaking
  kInterfaceAdded,                  // dangerous (to an object/interface)
  kInterfaceRemoved,                // breaking
  kRequiredInputFieldAdded,         // breaking (non-null, no default)
  kOptionalInputFieldAdded,         // dangerous
  kInputFieldRemoved,               // breaking
  kInputFieldTypeChanged,           // breaking
  kInputFieldTypeChangedSafe,       // safe
  kInputFieldDefaultChanged,        // dangerous
  kInputFieldDefaultAdded,          // safe
  kDirectiveAdded,                  // safe
  kDirectiveRemoved,                // breaking
  kDirectiveLocationAdded,          // safe
  kDirectiveLocationRemoved,        // breaking
  kDirectiveRepeatableAdded,        // safe
  kDirectiveRepeatableRemoved,      // breaking
  kRequiredDirectiveArgumentAdded,  // breaking
  kOptionalDirectiveArgumentAdded,  // safe
  kDirectiveArgumentRemoved,        // breaking
  kDeprecationAdded,                // safe
  kDeprecationRemoved,              // safe
  kDeprecationReasonChanged,        // safe
  kDescriptionChanged,              // safe (added, changed, removed)
  kRootTypeAdded,                   // safe (e.g. a mutation type)
  kRootTypeRemoved,                 // breaking
  kRootTypeChanged,                 // breaking (another type)
};
inline constexpr int kChangeKindCount = static_cast<int>(ChangeKind::kRootTypeChanged) + 1;

std::string_view change_kind_code(ChangeKind kind);  // "FIELD_REMOVED"
ChangeSeverity change_kind_severity(ChangeKind kind);
// The kind with that code; false when unknown.
bool parse_change_kind(std::string_view code, ChangeKind* out);

struct SchemaChange {
  ChangeKind kind = ChangeKind::kTypeAdded;
  ChangeSeverity severity = ChangeSeverity::kSafe;  // always change_kind_severity(kind)
  // Schema coordinate of what changed: `Type`, `Type.field`, `Type.field(arg:)`,
  // `Enum.VALUE`, `Input.field`, `@directive`, `@directive(arg:)`. Union members and
  // interfaces are changes of the union / implementing type (`SearchResult`); directive
  // locations and repeatability of the directive (`@auth`); root types of the root's
  // operation (`query`, `mutation`, `subscription`).
  std::string coordinate;
  std::string message;  // "Field Query.me was removed."
};

struct SchemaDiff {
  std::vector<SchemaChange> changes;

  bool has_breaking() const { return count(ChangeSeverity::kBreaking) != 0; }
  size_t count(ChangeSeverity severity) const;
};

// Compares two built schemas.
SchemaDiff diff_schemas(const Schema& old_schema, const Schema& new_schema);

struct SdlDiffOptions {
  SchemaOptions schema;      // how each SDL text is built (validation, depth limit)
  size_t max_sdl_bytes = 0;  // per text; 0 = unlimited. Larger texts: LIMIT_EXCEEDED
};

struct SdlDiffResult {
  SchemaDiff diff;         // empty unless both texts built
  ErrorReport old_errors;  // why the old text is not a schema (syntax, validation, size)
  ErrorReport new_errors;  // the same for the new text
  bool ok() const { return !old_errors.has_errors() && !new_errors.has_errors(); }
};

// Builds both SDL texts as schemas and compares them. Bad input is reported per side, never
// thrown or asserted on.
SdlDiffResult diff_sdl(std::string_view old_sdl, std::string_view new_sdl,
                       const SdlDiffOptions& options = {});

// `[{"kind":"FIELD_REMOVED","severity":"BREAKING","coordinate":"Query.me","message":"…"},…]`
void write_changes_json(JsonWriter& w, std::span<const SchemaChange> changes);

}  // namespace orbit::graphql
