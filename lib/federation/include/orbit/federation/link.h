// Core schema features: the `@link` (link v1.0) and `@core` (core v0.1/v0.2) applications on
// the schema definition of a supergraph, and how a feature's elements are named in it.
//
// A feature `https://specs.apollo.dev/join/v0.3` is named `join` in the schema unless
// `as:` renames it; its directive `@type` is then `@join__type`, its type `Graph` is
// `join__Graph`, and a directive named like the feature (`@inaccessible` of the inaccessible
// spec) is just `@inaccessible`. `import:` brings elements in unprefixed, optionally renamed
// (`{name: "@tag", as: "@mytag"}`).
//
// Plain values: built once at load, then read-only; safe to share.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"

namespace orbit::federation {

struct FeatureVersion {
  int major = 0;
  int minor = 0;
  bool operator==(const FeatureVersion&) const = default;
  auto operator<=>(const FeatureVersion&) const = default;
  std::string to_string() const;  // "v0.3"
};

enum class FeaturePurpose : uint8_t { kNone, kSecurity, kExecution };

struct FeatureImport {
  std::string name;  // "@tag" or "Purpose" as in the spec
  std::string as;    // the name in the schema ("@mytag"); equals name when not renamed
};

struct LinkedFeature {
  std::string url;        // as written
  std::string identity;   // "https://specs.apollo.dev/join"
  std::string spec_name;  // "join"
  FeatureVersion version;
  std::string name_in_schema;  // spec_name or the `as:` argument
  FeaturePurpose purpose = FeaturePurpose::kNone;
  std::vector<FeatureImport> imports;
  const graphql::Directive* directive = nullptr;  // the @link / @core application

  // The name in the schema of the spec's directive `name` (without '@').
  std::string directive_name(std::string_view name) const;
  // The name in the schema of the spec's type `name`.
  std::string type_name(std::string_view name) const;
  // True when a directive (is_directive) or type named `name` in the schema belongs to this
  // feature (Apollo's CoreFeature.isFeatureDefinition).
  bool owns(std::string_view name, bool is_directive) const;
};

// Parses "https://specs.apollo.dev/join/v0.3"; false when it is not a feature URL.
bool parse_feature_url(std::string_view url, std::string* identity, std::string* name,
                       FeatureVersion* version);

inline constexpr std::string_view kLinkIdentity = "https://specs.apollo.dev/link";
inline constexpr std::string_view kCoreIdentity = "https://specs.apollo.dev/core";
inline constexpr std::string_view kJoinIdentity = "https://specs.apollo.dev/join";
inline constexpr std::string_view kInaccessibleIdentity = "https://specs.apollo.dev/inaccessible";
inline constexpr std::string_view kTagIdentity = "https://specs.apollo.dev/tag";

struct CoreFeatures {
  bool uses_core = false;                    // @core (old supergraphs) rather than @link
  const LinkedFeature* bootstrap = nullptr;  // the link or core feature itself
  std::vector<LinkedFeature> features;       // in schema order, bootstrap included

  const LinkedFeature* by_identity(std::string_view identity) const;
  // The feature owning a schema element, or null.
  const LinkedFeature* owner_of(std::string_view name, bool is_directive) const;
};

// Reads the feature applications of the schema definition. Returns nullopt and reports the
// problem when the schema is not a core schema or an application is malformed.
std::optional<CoreFeatures> read_core_features(
    const std::vector<const graphql::Directive*>& schema_directives, graphql::ErrorReport& errors);

}  // namespace orbit::federation
