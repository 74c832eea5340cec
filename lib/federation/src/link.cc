#include "orbit/federation/link.h"

#include <charconv>

namespace orbit::federation {
namespace {

using graphql::Directive;
using graphql::Kind;

const graphql::Value* argument(const Directive* d, std::string_view name) {
  for (const graphql::Argument* a : d->arguments) {
    if (a->name.value == name) return a->value;
  }
  return nullptr;
}

const graphql::StringValue* string_argument(const Directive* d, std::string_view name) {
  const graphql::Value* v = argument(d, name);
  return v != nullptr && v->kind == Kind::kStringValue ? v->as<graphql::StringValue>() : nullptr;
}

bool parse_int(std::string_view s, int* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

void add_error(graphql::ErrorReport& errors, std::string message, const Directive* at) {
  errors.add_at("Invalid supergraph: " + std::move(message), at->loc,
                ErrorCode::kInvalidSupergraph);
}

}  // namespace

std::string FeatureVersion::to_string() const {
  return "v" + std::to_string(major) + "." + std::to_string(minor);
}

bool parse_feature_url(std::string_view url, std::string* identity, std::string* name,
                       FeatureVersion* version) {
  // <scheme>://<host>/<path...>/<name>/v<major>.<minor>, optionally with a trailing slash.
  if (url.find("://") == std::string_view::npos) return false;
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  size_t slash = url.rfind('/');
  if (slash == std::string_view::npos) return false;
  std::string_view v = url.substr(slash + 1);
  if (v.size() < 4 || v[0] != 'v') return false;
  size_t dot = v.find('.');
  if (dot == std::string_view::npos) return false;
  if (!parse_int(v.substr(1, dot - 1), &version->major) ||
      !parse_int(v.substr(dot + 1), &version->minor)) {
    return false;
  }
  std::string_view id = url.substr(0, slash);
  size_t name_slash = id.rfind('/');
  if (name_slash == std::string_view::npos || name_slash + 1 >= id.size()) return false;
  *identity = std::string(id);
  *name = std::string(id.substr(name_slash + 1));
  return true;
}

std::string LinkedFeature::directive_name(std::string_view name) const {
  for (const FeatureImport& i : imports) {
    if (i.name.size() == name.size() + 1 && i.name[0] == '@' &&
        std::string_view(i.name).substr(1) == name) {
      return i.as.substr(1);
    }
  }
  if (name == spec_name) return name_in_schema;
  return name_in_schema + "__" + std::string(name);
}

std::string LinkedFeature::type_name(std::string_view name) const {
  for (const FeatureImport& i : imports) {
    if (i.name == name) return i.as;
  }
  return name_in_schema + "__" + std::string(name);
}

bool LinkedFeature::owns(std::string_view name, bool is_directive) const {
  if (name.size() > name_in_schema.size() + 2 &&
      name.substr(0, name_in_schema.size()) == name_in_schema &&
      name.substr(name_in_schema.size(), 2) == "__") {
    return true;
  }
  if (is_directive && name == name_in_schema) return true;
  for (const FeatureImport& i : imports) {
    bool import_is_directive = !i.as.empty() && i.as[0] == '@';
    if (import_is_directive != is_directive) continue;
    std::string_view as = i.as;
    if (is_directive) as.remove_prefix(1);
    if (as == name) return true;
  }
  return false;
}

const LinkedFeature* CoreFeatures::by_identity(std::string_view identity) const {
  for (const LinkedFeature& f : features) {
    if (f.identity == identity) return &f;
  }
  return nullptr;
}

const LinkedFeature* CoreFeatures::owner_of(std::string_view name, bool is_directive) const {
  for (const LinkedFeature& f : features) {
    if (f.owns(name, is_directive)) return &f;
  }
  return nullptr;
}

std::optional<CoreFeatures> read_core_features(const std::vector<const Directive*>& schema_dirs,
                                               graphql::ErrorReport& errors) {
  // Bootstrap: the application of the link (or core) spec to itself tells under which name
  // the other features are linked.
  std::string link_name;
  bool uses_core = false;
  for (const Directive* d : schema_dirs) {
    for (std::string_view arg : {std::string_view("url"), std::string_view("feature")}) {
      const graphql::StringValue* url = string_argument(d, arg);
      if (url == nullptr) continue;
      std::string identity, name;
      FeatureVersion version;
      if (!parse_feature_url(url->value, &identity, &name, &version)) continue;
      bool is_link = identity == kLinkIdentity && arg == "url";
      bool is_core = identity == kCoreIdentity && arg == "feature";
      if (!is_link && !is_core) continue;
      const graphql::StringValue* as = string_argument(d, "as");
      std::string expected = as != nullptr ? std::string(as->value) : name;
      if (d->name.value != expected) continue;
      link_name = expected;
      uses_core = is_core;
      break;
    }
    if (!link_name.empty()) break;
  }
  if (link_name.empty()) {
    errors.add("Invalid supergraph: must be a core schema (no @link of " +
                   std::string(kLinkIdentity) + " nor @core of " + std::string(kCoreIdentity) +
                   " on the schema definition)",
               ErrorCode::kInvalidSupergraph);
    return std::nullopt;
  }

  CoreFeatures out;
  out.uses_core = uses_core;
  size_t error_count = errors.errors().size();
  for (const Directive* d : schema_dirs) {
    if (d->name.value != link_name) continue;
    const graphql::StringValue* url = string_argument(d, uses_core ? "feature" : "url");
    if (url == nullptr) {
      add_error(errors,
                "@" + link_name + " must have a string `" + (uses_core ? "feature" : "url") +
                    "` argument",
                d);
      continue;
    }
    LinkedFeature f;
    f.url = std::string(url->value);
    f.directive = d;
    if (!parse_feature_url(url->value, &f.identity, &f.spec_name, &f.version)) {
      add_error(errors, "invalid feature url \"" + f.url + "\"", d);
      continue;
    }
    const graphql::StringValue* as = string_argument(d, "as");
    f.name_in_schema = as != nullptr ? std::string(as->value) : f.spec_name;
    if (f.name_in_schema.empty() || f.name_in_schema.find("__") != std::string::npos) {
      add_error(errors, "invalid `as:` name \"" + f.name_in_schema + "\" for " + f.url, d);
      continue;
    }
    if (const graphql::Value* purpose = argument(d, "for"); purpose != nullptr) {
      if (purpose->kind == Kind::kEnumValue) {
        std::string_view p = purpose->as<graphql::EnumValue>()->value;
        if (p == "SECURITY") {
          f.purpose = FeaturePurpose::kSecurity;
        } else if (p == "EXECUTION") {
          f.purpose = FeaturePurpose::kExecution;
        } else {
          add_error(errors, "unknown purpose " + std::string(p) + " for " + f.url, d);
          continue;
        }
      } else if (purpose->kind != Kind::kNullValue) {
        add_error(errors, "`for:` of " + f.url + " must be an enum value", d);
        continue;
      }
    }
    if (const graphql::Value* imports = argument(d, "import"); imports != nullptr) {
      auto add_import = [&](const graphql::Value* v) -> bool {
        FeatureImport imp;
        if (v->kind == Kind::kStringValue) {
          imp.name = std::string(v->as<graphql::StringValue>()->value);
          imp.as = imp.name;
        } else if (v->kind == Kind::kObjectValue) {
          for (const graphql::ObjectField* of : v->as<graphql::ObjectValue>()->fields) {
            if (of->value->kind != Kind::kStringValue) return false;
            std::string s(of->value->as<graphql::StringValue>()->value);
            if (of->name.value == "name") {
              imp.name = std::move(s);
            } else if (of->name.value == "as") {
              imp.as = std::move(s);
            } else {
              return false;
            }
          }
          if (imp.as.empty()) imp.as = imp.name;
        } else {
          return false;
        }
        if (imp.name.empty()) return false;
        // A directive is imported as a directive, a type as a type.
        if ((imp.name[0] == '@') != (imp.as[0] == '@')) return false;
        f.imports.push_back(std::move(imp));
        return true;
      };
      bool ok = true;
      if (imports->kind == Kind::kListValue) {
        for (const graphql::Value* v : imports->as<graphql::ListValue>()->values) {
          ok = ok && add_import(v);
        }
      } else if (imports->kind != Kind::kNullValue) {
        ok = add_import(imports);
      }
      if (!ok) {
        add_error(errors,
                  "invalid `import:` of " + f.url +
                      ": expected names (\"@key\", \"FieldSet\") or {name:, as:} objects",
                  d);
        continue;
      }
    }
    out.features.push_back(std::move(f));
  }
  if (errors.errors().size() != error_count) return std::nullopt;
  for (const LinkedFeature& f : out.features) {
    if (f.identity == (uses_core ? kCoreIdentity : kLinkIdentity)) {
      out.bootstrap = &f;
      break;
    }
  }
  return out;
}

}  // namespace orbit::federation
