// Subgraph SDL -> SubgraphSchema: parse, resolve the federation spec's names (@link imports,
// renames, `federation__` namespacing; Federation 1 plain names), check the document as a
// GraphQL schema with the federation definitions added, and build the composition model.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <string>

#include "model.h"
#include "orbit/federation/link.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/printer.h"
#include "orbit/graphql/schema/schema.h"
#include "value_printer.h"

namespace orbit::federation::composition {

namespace {

using namespace orbit::graphql;

constexpr std::string_view kFederationIdentity = "https://specs.apollo.dev/federation";

struct SpecElement {
  std::string_view name;  // "@key" or "FieldSet"
  int since_minor;
  std::string_view definition;  // with %s for the name and %F for the field-set type
};

// The federation 2 elements (the `since_minor` version of federation v2 introduced them).
const SpecElement kFederationElements[] = {
    {"@key", 0,
     "directive %s(fields: %F!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE"},
    {"@requires", 0, "directive %s(fields: %F!) on FIELD_DEFINITION"},
    {"@provides", 0, "directive %s(fields: %F!) on FIELD_DEFINITION"},
    {"@external", 0, "directive %s(reason: String) on OBJECT | FIELD_DEFINITION"},
    {"@tag", 0,
     "directive %s(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | "
     "ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | "
     "SCHEMA"},
    {"@extends", 0, "directive %s on OBJECT | INTERFACE"},
    {"@shareable", 0, "directive %s repeatable on OBJECT | FIELD_DEFINITION"},
    {"@inaccessible", 0,
     "directive %s on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR "
     "| ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"},
    {"@override", 0, "directive %s(from: String!, label: String) on FIELD_DEFINITION"},
    {"FieldSet", 0, "scalar %s"},
    {"@composeDirective", 1, "directive %s(name: String) repeatable on SCHEMA"},
    {"@interfaceObject", 3, "directive %s on OBJECT"},
    {"@authenticated", 5, "directive %s on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"},
    {"@requiresScopes", 5,
     "directive %s(scopes: [[%S!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"},
    {"Scope", 5, "scalar %s"},
    {"@policy", 6,
     "directive %s(policies: [[%P!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"},
    {"Policy", 6, "scalar %s"},
    {"@context", 8, "directive %s(name: String!) repeatable on INTERFACE | OBJECT | UNION"},
    {"@fromContext", 8, "directive %s(field: %C) on ARGUMENT_DEFINITION"},
    {"ContextFieldValue", 8, "scalar %s"},
    {"@cost", 9,
     "directive %s(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | "
     "INPUT_FIELD_DEFINITION | OBJECT | SCALAR"},
    {"@listSize", 9,
     "directive %s(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], "
     "requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION"},
    {"@cacheTag", 12, "directive %s(format: String!) repeatable on OBJECT | FIELD_DEFINITION"},
};
constexpr int kMaxFederationMinor = 14;

// Federation 1 subgraphs use plain names for the directives of their time.
const char* const kFed1Directives[] = {"@key",     "@requires", "@provides",    "@external",
                                       "@extends", "@tag",      "@inaccessible"};

std::string strip_at(std::string_view s) {
  return std::string(!s.empty() && s[0] == '@' ? s.substr(1) : s);
}

const Argument* find_arg(const Directive& d, std::string_view name) {
  for (const Argument* a : d.arguments)
    if (a->name.value == name) return a;
  return nullptr;
}

std::optional<std::string> string_arg(const Directive& d, std::string_view name) {
  const Argument* a = find_arg(d, name);
  if (a == nullptr || a->value == nullptr || a->value->kind != Kind::kStringValue)
    return std::nullopt;
  return std::string(a->value->as<StringValue>()->value);
}

std::optional<bool> bool_arg(const Directive& d, std::string_view name) {
  const Argument* a = find_arg(d, name);
  if (a == nullptr || a->value == nullptr || a->value->kind != Kind::kBooleanValue)
    return std::nullopt;
  return a->value->as<BooleanValue>()->value;
}

std::string type_text(const graphql::Type* t, const std::map<std::string, std::string>& renames) {
  switch (t->kind) {
    case Kind::kNonNullType: return type_text(t->as<NonNullType>()->type, renames) + "!";
    case Kind::kListType: return "[" + type_text(t->as<ListType>()->type, renames) + "]";
    default: {
      std::string n(t->as<NamedType>()->name.value);
      auto it = renames.find(n);
      return it == renames.end() ? n : it->second;
    }
  }
}

TypeRef make_ref(const graphql::Type* t, const std::map<std::string, std::string>& renames) {
  TypeRef r;
  r.text = type_text(t, renames);
  std::string n(named_type_of(t)->name.value);
  auto it = renames.find(n);
  r.base = it == renames.end() ? n : it->second;
  return r;
}

std::optional<std::string> description_of(const StringValue* s) {
  if (s == nullptr) return std::nullopt;
  return std::string(s->value);
}

class Builder {
 public:
  Builder(SubgraphSchema& sg, Diagnostics& diag) : sg_(sg), diag_(diag) {}

  bool run(const ComposeOptions& options);

 private:
  CompositionMessage& err(std::string code, const std::string& msg, Location loc) {
    CompositionMessage& m = diag_.error(std::move(code), "[" + sg_.name + "] " + msg);
    if (loc.line != 0) at(m, sg_.name, loc);
    return m;
  }
  bool read_links();
  bool check_graphql(const ComposeOptions& options);
  void build_model();
  void read_type(const TypeDefinition& def);
  // The spec name of a federation directive applied under `local` ("key"), or "".
  std::string fed_name(std::string_view local) const {
    auto it = fed_by_local_.find(std::string(local));
    return it == fed_by_local_.end() ? std::string() : it->second;
  }
  std::string local_name(std::string_view spec_name) const {
    auto it = local_by_fed_.find(std::string(spec_name));
    return it == local_by_fed_.end() ? std::string() : it->second;
  }
  // Directive applications of an element, sorted into federation flags and kept directives.
  void read_applied(List<Directive> dirs, std::vector<Applied>& out);

  SubgraphSchema& sg_;
  Diagnostics& diag_;
  std::map<std::string, std::string> fed_by_local_;  // "federation__key" -> "key"
  std::map<std::string, std::string> local_by_fed_;  // "key" -> "federation__key"
  std::string field_set_type_ = "_FieldSet";
  std::string scope_type_ = "federation__Scope", policy_type_ = "federation__Policy",
              context_type_ = "federation__ContextFieldValue";
  std::map<std::string, std::string> renames_;  // root types renamed to Query/Mutation/...
  std::set<std::string> composed_local_;        // local names of @composeDirective'd directives
  std::set<std::string> defined_names_;         // type names with a definition in the document
  std::set<std::string> all_type_names_;
  std::set<std::string> directive_names_;
  std::vector<std::pair<std::string, ComposedFeature>> linked_imports_;  // "@foo" -> feature
};

void Builder::read_applied(List<Directive> dirs, std::vector<Applied>& out) {
  for (const Directive* d : dirs) {
    std::string local(d->name.value);
    std::string f = fed_name(local);
    static const std::set<std::string> kKept = {
        "tag",    "inaccessible", "authenticated", "requiresScopes",
        "policy", "cost",         "listSize",      "cacheTag"};
    if (!f.empty()) {
      if (kKept.count(f)) {
        out.push_back({f, print_arguments(d->arguments), d->loc});
        sg_.applied_local_names.emplace(f, local);
      }
      continue;
    }
    if (local == "deprecated" || local == "specifiedBy" || local == "oneOf") {
      out.push_back({local, print_arguments(d->arguments), d->loc});
      continue;
    }
    if (composed_local_.count(local)) out.push_back({local, print_arguments(d->arguments), d->loc});
  }
}

bool Builder::read_links() {
  const LinkedFeature* fed = nullptr;
  std::vector<const Directive*> schema_dirs;
  for (const Definition* def : sg_.document->definitions) {
    if (def->kind != Kind::kSchemaDefinition && def->kind != Kind::kSchemaExtension) continue;
    for (const Directive* d : def->as<SchemaDefinition>()->directives)
      schema_dirs.push_back(d);
  }
  // Every @link application: url, as, import.
  std::vector<LinkedFeature> features;
  for (const Directive* d : schema_dirs) {
    if (d->name.value != "link") continue;
    LinkedFeature f;
    f.directive = d;
    std::optional<std::string> url = string_arg(*d, "url");
    if (!url || !parse_feature_url(*url, &f.identity, &f.spec_name, &f.version)) {
      err("INVALID_LINK_IDENTIFIER",
          "Invalid url \"" + url.value_or("") + "\" in @link: not a feature url", d->loc);
      return false;
    }
    f.url = *url;
    f.name_in_schema = string_arg(*d, "as").value_or(f.spec_name);
    if (const Argument* imp = find_arg(*d, "import");
        imp != nullptr && imp->value != nullptr && imp->value->kind == Kind::kListValue) {
      for (const Value* v : imp->value->as<ListValue>()->values) {
        FeatureImport fi;
        if (v->kind == Kind::kStringValue) {
          fi.name = std::string(v->as<StringValue>()->value);
          fi.as = fi.name;
        } else if (v->kind == Kind::kObjectValue) {
          for (const ObjectField* of : v->as<ObjectValue>()->fields) {
            if (of->value->kind != Kind::kStringValue) continue;
            if (of->name.value == "name")
              fi.name = std::string(of->value->as<StringValue>()->value);
            if (of->name.value == "as") fi.as = std::string(of->value->as<StringValue>()->value);
          }
          if (fi.as.empty()) fi.as = fi.name;
          if (!fi.name.empty() && !fi.as.empty() && (fi.name[0] == '@') != (fi.as[0] == '@')) {
            err("INVALID_LINK_DIRECTIVE_USAGE",
                "Invalid @link import renaming: directive \"" + fi.name +
                    "\" imported name should start with a '@' character, but got \"" + fi.as +
                    "\".",
                d->loc);
            return false;
          }
        }
        if (fi.name.empty()) {
          err("INVALID_LINK_DIRECTIVE_USAGE",
              "Invalid sub-value " + print_value(*v) +
                  " for @link(import:) argument: values should be either strings or input object "
                  "values of the form { name: \"<importedElement>\", as: \"<alias>\" }.",
              d->loc);
          return false;
        }
        f.imports.push_back(std::move(fi));
      }
    }
    features.push_back(std::move(f));
  }
  for (const LinkedFeature& f : features)
    if (f.identity == kFederationIdentity) fed = &f;
  if (fed == nullptr) {
    // Federation 1: plain names.
    sg_.fed2 = false;
    sg_.fed_minor = 0;
    for (const char* n : kFed1Directives) {
      fed_by_local_[strip_at(n)] = strip_at(n);
      local_by_fed_[strip_at(n)] = strip_at(n);
    }
    field_set_type_ = "_FieldSet";
    return true;
  }
  sg_.fed2 = true;
  if (fed->version.major != 2 || fed->version.minor > kMaxFederationMinor) {
    err("UNKNOWN_FEDERATION_LINK_VERSION",
        "Invalid version " + fed->version.to_string() +
            " for the federation feature in @link direction on schema",
        fed->directive->loc);
    return false;
  }
  sg_.fed_minor = fed->version.minor;
  std::string prefix = fed->name_in_schema;
  for (const SpecElement& e : kFederationElements) {
    if (e.since_minor > sg_.fed_minor) continue;
    bool is_dir = e.name[0] == '@';
    std::string bare = strip_at(e.name);
    std::string local = prefix + "__" + bare;
    for (const FeatureImport& imp : fed->imports)
      if (imp.name == e.name) local = strip_at(imp.as);
    if (is_dir) {
      fed_by_local_[local] = bare;
      local_by_fed_[bare] = local;
    } else if (bare == "FieldSet") {
      field_set_type_ = local;
    } else if (bare == "Scope") {
      scope_type_ = local;
    } else if (bare == "Policy") {
      policy_type_ = local;
    } else if (bare == "ContextFieldValue") {
      context_type_ = local;
    }
  }
  for (const FeatureImport& imp : fed->imports) {
    bool known = false;
    for (const SpecElement& e : kFederationElements)
      if (e.name == imp.name && e.since_minor <= sg_.fed_minor) known = true;
    if (!known) {
      err("INVALID_LINK_DIRECTIVE_USAGE", "Cannot import unknown element \"" + imp.name + "\".",
          fed->directive->loc);
      return false;
    }
  }
  // Other linked features: directives they import may be composed with @composeDirective.
  for (const LinkedFeature& f : features) {
    if (&f == fed || f.identity == kLinkIdentity) continue;
    ComposedFeature cf{f.url, f.identity, f.spec_name, f.version.major, f.version.minor};
    for (const FeatureImport& imp : f.imports)
      if (!imp.as.empty() && imp.as[0] == '@') linked_imports_.push_back({strip_at(imp.as), cf});
    // The feature's own directive (named like the feature) is usable as @name too.
    linked_imports_.push_back({f.name_in_schema, cf});
  }
  // @composeDirective(name: "@foo")
  std::string compose_local = local_name("composeDirective");
  for (const Directive* d : schema_dirs) {
    if (compose_local.empty() || d->name.value != compose_local) continue;
    std::optional<std::string> n = string_arg(*d, "name");
    if (!n || n->empty() || (*n)[0] != '@') {
      err("DIRECTIVE_COMPOSITION_ERROR",
          "Argument to @composeDirective \"" + n.value_or("") + "\" must have a leading \"@\"",
          d->loc);
      continue;
    }
    std::string local = strip_at(*n);
    const ComposedFeature* feature = nullptr;
    for (const auto& [name, cf] : linked_imports_)
      if (name == local) feature = &cf;
    if (feature == nullptr) {
      err("DIRECTIVE_COMPOSITION_ERROR",
          "Directive \"" + *n + "\" in subgraph \"" + sg_.name +
              "\" cannot be composed because it is not a member of a core feature",
          d->loc);
      continue;
    }
    composed_local_.insert(local);
    sg_.composed.push_back({local, *feature});
  }
  return true;
}

bool Builder::check_graphql(const ComposeOptions& options) {
  std::string extra = "\n";
  auto add_def = [&](std::string_view name, std::string_view tmpl) {
    std::string out;
    for (size_t i = 0; i < tmpl.size(); ++i) {
      if (tmpl[i] == '%' && i + 1 < tmpl.size()) {
        char c = tmpl[++i];
        if (c == 's') out += (tmpl.substr(0, 9) == "directive" ? "@" : "") + std::string(name);
        if (c == 'F') out += field_set_type_;
        if (c == 'S') out += scope_type_;
        if (c == 'P') out += policy_type_;
        if (c == 'C') out += context_type_;
        continue;
      }
      out += tmpl[i];
    }
    extra += out + "\n";
  };
  for (const SpecElement& e : kFederationElements) {
    if (sg_.fed2 && e.since_minor > sg_.fed_minor) continue;
    std::string bare = strip_at(e.name);
    if (e.name[0] == '@') {
      std::string local = local_name(bare);
      if (local.empty() || directive_names_.count(local)) continue;
      add_def(local, e.definition);
    } else {
      std::string local = bare == "FieldSet" ? field_set_type_
                          : bare == "Scope"  ? scope_type_
                          : bare == "Policy" ? policy_type_
                                             : context_type_;
      if (all_type_names_.count(local) || !sg_.fed2) continue;
      add_def(local, e.definition);
    }
  }
  if (!sg_.fed2 && !all_type_names_.count("_FieldSet")) extra += "scalar _FieldSet\n";
  if (!directive_names_.count("link"))
    extra +=
        "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) "
        "repeatable on SCHEMA\n";
  if (!all_type_names_.count("link__Import")) extra += "scalar link__Import\n";
  if (!all_type_names_.count("link__Purpose"))
    extra += "enum link__Purpose { SECURITY EXECUTION }\n";
  // Types only extended (Federation 1 style) get an empty base so the extension applies.
  for (const Definition* def : sg_.document->definitions) {
    if (!is_type_extension(def->kind)) continue;
    std::string n(def->as<TypeDefinition>()->name.value);
    if (defined_names_.count(n)) continue;
    defined_names_.insert(n);
    switch (def->kind) {
      case Kind::kObjectTypeExtension: extra += "type " + n + "\n"; break;
      case Kind::kInterfaceTypeExtension: extra += "interface " + n + "\n"; break;
      case Kind::kUnionTypeExtension: extra += "union " + n + "\n"; break;
      case Kind::kEnumTypeExtension: extra += "enum " + n + "\n"; break;
      case Kind::kInputObjectTypeExtension: extra += "input " + n + "\n"; break;
      default: extra += "scalar " + n + "\n"; break;
    }
  }
  bool has_query_def = false;
  for (const Definition* def : sg_.document->definitions) {
    if (def->kind == Kind::kSchemaDefinition || def->kind == Kind::kSchemaExtension)
      for (const OperationTypeDefinition* op : def->as<SchemaDefinition>()->operation_types)
        if (op->operation == OperationType::kQuery) has_query_def = true;
  }
  if (!has_query_def && !all_type_names_.count("Query"))
    extra += "type Query { _service: _Service! }\ntype _Service { sdl: String }\n";
  std::string text = sg_.source + extra;
  ErrorReport report;
  SchemaOptions so;
  so.max_depth = options.max_depth;
  std::unique_ptr<Schema> schema = Schema::build(std::string_view(text), report, so);
  if (schema) return true;
  for (const auto& e : report.errors()) {
    Location loc;
    if (!e.locations.empty()) loc = {0, e.locations[0].line, e.locations[0].column};
    std::string msg = e.message;
    // An unknown directive that is a federation 2 directive not imported: say so.
    if (msg.rfind("Unknown directive \"@", 0) == 0) {
      std::string name = msg.substr(20, msg.find('"', 20) - 20);
      for (const SpecElement& el : kFederationElements) {
        if (el.name.substr(1) != name || el.name[0] != '@') continue;
        if (sg_.fed2)
          msg += " If you meant the \"@" + name +
                 "\" federation 2 directive, note that this schema is a federation 2 schema. To "
                 "use federation 2 directives without prefix, you need to import them with "
                 "@link.";
      }
    }
    // Apollo cannot build a schema with an unknown type at all: it says so in its own words,
    // and runs no federation check on that subgraph.
    if (msg.rfind("Unknown type \"", 0) == 0) {
      msg = "Unknown type " + msg.substr(14, msg.find('"', 14) - 14);
      sg_.unknown_types = true;
    }
    err("INVALID_GRAPHQL", msg, loc);
  }
  return false;
}

void Builder::read_type(const TypeDefinition& def) {
  std::string name(def.name.value);
  auto rn = renames_.find(name);
  if (rn != renames_.end()) name = rn->second;
  Type* t = sg_.type(name);
  if (t == nullptr) {
    sg_.type_index[name] = sg_.types.size();
    sg_.types.emplace_back();
    t = &sg_.types.back();
    t->name = name;
    t->loc = def.loc;
    switch (def.kind) {
      case Kind::kScalarTypeDefinition:
      case Kind::kScalarTypeExtension: t->kind = TypeKind::kScalar; break;
      case Kind::kObjectTypeDefinition:
      case Kind::kObjectTypeExtension: t->kind = TypeKind::kObject; break;
      case Kind::kInterfaceTypeDefinition:
      case Kind::kInterfaceTypeExtension: t->kind = TypeKind::kInterface; break;
      case Kind::kUnionTypeDefinition:
      case Kind::kUnionTypeExtension: t->kind = TypeKind::kUnion; break;
      case Kind::kEnumTypeDefinition:
      case Kind::kEnumTypeExtension: t->kind = TypeKind::kEnum; break;
      default: t->kind = TypeKind::kInputObject; break;
    }
  }
  bool ext = def.is_extension();
  if (ext) {
    t->has_extension = true;
  } else {
    t->has_definition = true;
    t->loc = def.loc;
    if (def.description) t->description = std::string(def.description->value);
  }
  for (const Directive* d : def.directives) {
    std::string f = fed_name(d->name.value);
    if (f == "key") {
      Key k;
      k.fields = string_arg(*d, "fields").value_or("");
      k.resolvable = bool_arg(*d, "resolvable");
      k.on_extension = ext;
      k.loc = d->loc;
      k.directive_text = print(*d);
      t->keys.push_back(std::move(k));
    } else if (f == "shareable") {
      t->shareable = true;
    } else if (f == "extends") {
      t->extends = true;
    } else if (f == "interfaceObject") {
      t->interface_object = true;
    }
  }
  size_t first_applied = t->applied.size();
  read_applied(def.directives, t->applied);
  // @context(name:) is qualified by the subgraph in the supergraph, and keeps its place among
  // the definition's other directives.
  for (const Directive* d : def.directives)
    if (fed_name(d->name.value) == "context") {
      t->applied.push_back(
          {"context",
           "(name: " + quote(sg_.name + "__" + string_arg(*d, "name").value_or("")) + ")", d->loc});
      t->contexts.push_back({string_arg(*d, "name").value_or(""), d->loc});
    }
  std::stable_sort(t->applied.begin() + static_cast<std::ptrdiff_t>(first_applied),
                   t->applied.end(), [](const Applied& a, const Applied& b) {
                     return a.loc.line != b.loc.line ? a.loc.line < b.loc.line
                                                     : a.loc.column < b.loc.column;
                   });
  bool type_external = false;
  for (const Directive* d : def.directives)
    if (fed_name(d->name.value) == "external") type_external = true;
  switch (def.kind) {
    case Kind::kObjectTypeDefinition:
    case Kind::kObjectTypeExtension:
    case Kind::kInterfaceTypeDefinition:
    case Kind::kInterfaceTypeExtension: {
      const auto* od = def.as<ObjectTypeDefinition>();
      for (const NamedType* i : od->interfaces) {
        std::string in(i->name.value);
        if (!t->implements(in)) t->interfaces.push_back(in);
      }
      for (const FieldDefinition* fd : od->fields) {
        Field f;
        f.name = std::string(fd->name.value);
        f.description = description_of(fd->description);
        f.type = make_ref(fd->type, renames_);
        f.loc = fd->loc;
        f.external = type_external;
        if (type_external) f.external_loc = def.loc;
        for (const InputValueDefinition* ad : fd->arguments) {
          InputValue a;
          a.name = std::string(ad->name.value);
          a.description = description_of(ad->description);
          a.type = make_ref(ad->type, renames_);
          if (ad->default_value) a.default_value = print_value(*ad->default_value);
          read_applied(ad->directives, a.applied);
          for (const Directive* d : ad->directives) {
            if (fed_name(d->name.value) != "fromContext") continue;
            std::string field = string_arg(*d, "field").value_or("");
            a.from_context = field;
            a.from_context_loc = d->loc;
            size_t dollar = field.find('$');
            if (dollar == std::string::npos) continue;
            size_t end = dollar + 1;
            while (end < field.size() &&
                   (std::isalnum(static_cast<unsigned char>(field[end])) || field[end] == '_'))
              ++end;
            a.context = sg_.name + "__" + field.substr(dollar + 1, end - dollar - 1);
            a.context_selection = field.substr(end);
          }
          a.loc = ad->loc;
          f.args.push_back(std::move(a));
        }
        for (const Directive* d : fd->directives) {
          std::string fn = fed_name(d->name.value);
          if (fn == "external") {
            f.external = true;
            f.external_loc = d->loc;
          } else if (fn == "shareable") {
            f.shareable = true;
          } else if (fn == "requires") {
            f.requires_fields = string_arg(*d, "fields").value_or("");
            f.requires_text = print(*d);
            f.requires_loc = d->loc;
          } else if (fn == "provides") {
            f.provides_fields = string_arg(*d, "fields").value_or("");
            f.provides_text = print(*d);
            f.provides_loc = d->loc;
          } else if (fn == "override") {
            f.override_from = string_arg(*d, "from").value_or("");
            f.override_label = string_arg(*d, "label");
            f.override_loc = d->loc;
          }
        }
        if (t->shareable && t->kind == TypeKind::kObject) f.shareable = true;
        read_applied(fd->directives, f.applied);
        if (t->field(f.name) == nullptr) t->fields.push_back(std::move(f));
      }
      break;
    }
    case Kind::kUnionTypeDefinition:
    case Kind::kUnionTypeExtension:
      for (const NamedType* m : def.as<UnionTypeDefinition>()->types) {
        std::string mn(m->name.value);
        if (!t->has_member(mn)) t->members.push_back(mn);
      }
      break;
    case Kind::kEnumTypeDefinition:
    case Kind::kEnumTypeExtension:
      for (const EnumValueDefinition* v : def.as<EnumTypeDefinition>()->values) {
        EnumValue ev;
        ev.name = std::string(v->name.value);
        ev.description = description_of(v->description);
        read_applied(v->directives, ev.applied);
        ev.loc = v->loc;
        t->values.push_back(std::move(ev));
      }
      break;
    case Kind::kInputObjectTypeDefinition:
    case Kind::kInputObjectTypeExtension:
      for (const InputValueDefinition* fd : def.as<InputObjectTypeDefinition>()->fields) {
        Field f;
        f.name = std::string(fd->name.value);
        f.description = description_of(fd->description);
        f.type = make_ref(fd->type, renames_);
        f.loc = fd->loc;
        InputValue iv;
        iv.name = f.name;
        iv.type = f.type;
        if (fd->default_value) iv.default_value = print_value(*fd->default_value);
        f.args.push_back(std::move(iv));  // args[0] carries the input field's default value
        read_applied(fd->directives, f.applied);
        t->fields.push_back(std::move(f));
      }
      break;
    default: break;
  }
}

void Builder::build_model() {
  for (const Definition* def : sg_.document->definitions) {
    if (def->kind != Kind::kSchemaDefinition && def->kind != Kind::kSchemaExtension) continue;
    const auto* sd = def->as<SchemaDefinition>();
    for (const OperationTypeDefinition* op : sd->operation_types) {
      std::string n(op->type->name.value);
      std::string want = op->operation == OperationType::kQuery      ? "Query"
                         : op->operation == OperationType::kMutation ? "Mutation"
                                                                     : "Subscription";
      if (n != want) {
        renames_[n] = want;
        // Federation names root types by their operation: a root type under another name
        // and a type with the default name cannot both exist.
        for (const Definition* other : sg_.document->definitions) {
          if (!is_type_definition(other->kind) && !is_type_extension(other->kind)) continue;
          const auto* td = other->as<TypeDefinition>();
          if (td->name.value != want) continue;
          std::string op_name = op->operation == OperationType::kQuery      ? "query"
                                : op->operation == OperationType::kMutation ? "mutation"
                                                                            : "subscription";
          std::string upper = op_name;
          for (char& c : upper)
            c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
          err("ROOT_" + upper + "_USED",
              "The schema has a type named \"" + want + "\" but it is not set as the " + op_name +
                  " root type (\"" + n +
                  "\" is instead): this is not supported by federation. If a root type does "
                  "not use its default name, there should be no other type with that default "
                  "name.",
              td->loc);
          break;
        }
      }
      if (op->operation == OperationType::kQuery) sg_.has_query = true;
      if (op->operation == OperationType::kMutation) sg_.has_mutation = true;
      if (op->operation == OperationType::kSubscription) sg_.has_subscription = true;
    }
    std::vector<Applied> applied;
    read_applied(sd->directives, applied);
    for (auto& a : applied)
      if (a.name == "tag" || composed_local_.count(a.name)) sg_.schema_applied.push_back(a);
  }
  bool explicit_roots = sg_.has_query || sg_.has_mutation || sg_.has_subscription;
  for (const Definition* def : sg_.document->definitions) {
    if (is_type_definition(def->kind) || is_type_extension(def->kind))
      read_type(*def->as<TypeDefinition>());
    if (def->kind == Kind::kDirectiveDefinition) {
      const auto* dd = def->as<graphql::DirectiveDefinition>();
      std::string n(dd->name.value);
      if (!fed_name(n).empty() || n == "link") continue;
      DirectiveDefinition d;
      d.name = n;
      d.repeatable = dd->repeatable;
      d.ast = dd;
      for (const Name& l : dd->locations)
        d.locations.emplace_back(l.value);
      for (const InputValueDefinition* a : dd->arguments)
        d.arg_names.emplace_back(a->name.value);
      d.printed_args = print_argument_definitions(dd->arguments);
      sg_.directive_defs.push_back(std::move(d));
    }
  }
  // Every subgraph has a query type (federation adds _entities/_service to it).
  if (sg_.type("Query") == nullptr && !explicit_roots) {
    sg_.type_index["Query"] = sg_.types.size();
    sg_.types.emplace_back();
    sg_.types.back().kind = TypeKind::kObject;
    sg_.types.back().name = "Query";
    sg_.types.back().has_definition = true;
  }
  if (!explicit_roots) {
    sg_.has_query = sg_.type("Query") != nullptr;
    sg_.has_mutation = sg_.type("Mutation") != nullptr;
    sg_.has_subscription = sg_.type("Subscription") != nullptr;
  }
  // Federation's own types never merge.
  static const std::set<std::string> kFederationTypes = {
      "_Any", "_Entity", "_Service", "_FieldSet", "FieldSet", "link__Import", "link__Purpose"};
  std::vector<Type> kept;
  for (auto& t : sg_.types) {
    if (kFederationTypes.count(t.name) || t.name == field_set_type_ || t.name == scope_type_ ||
        t.name == policy_type_ || t.name == context_type_ || t.name.rfind("federation__", 0) == 0)
      continue;
    if (t.name == "Query") {
      std::erase_if(t.fields,
                    [](const Field& f) { return f.name == "_entities" || f.name == "_service"; });
    }
    kept.push_back(std::move(t));
  }
  sg_.types = std::move(kept);
  sg_.type_index.clear();
  for (size_t i = 0; i < sg_.types.size(); ++i)
    sg_.type_index[sg_.types[i].name] = i;
  if (Type* q = sg_.type("Query"); q != nullptr && q->fields.empty() && !q->has_definition) {
    // A Query made only of _entities/_service is federation machinery.
  }
}

bool Builder::run(const ComposeOptions& options) {
  for (const Definition* def : sg_.document->definitions) {
    if (is_type_definition(def->kind))
      defined_names_.insert(std::string(def->as<TypeDefinition>()->name.value));
    if (is_type_definition(def->kind) || is_type_extension(def->kind))
      all_type_names_.insert(std::string(def->as<TypeDefinition>()->name.value));
    if (def->kind == Kind::kDirectiveDefinition)
      directive_names_.insert(std::string(def->as<graphql::DirectiveDefinition>()->name.value));
    if (is_executable_definition(def->kind)) {
      err("INVALID_GRAPHQL", "Invalid executable definition in a subgraph schema", def->loc);
      return false;
    }
  }
  if (!read_links()) return false;
  // GraphQL errors do not stop here: the model is still built so that the federation checks
  // report their errors too (Apollo reports both); such a subgraph is never merged.
  sg_.graphql_valid = check_graphql(options);
  build_model();
  return true;
}

}  // namespace

std::unique_ptr<SubgraphSchema> build_subgraph(const SubgraphSource& src,
                                               const ComposeOptions& options, Diagnostics& diag) {
  auto sg = std::make_unique<SubgraphSchema>();
  sg->name = src.name;
  sg->url = src.url;
  sg->source = src.sdl;
  sg->arena = std::make_unique<Arena>();
  if (src.sdl.size() > options.max_sdl_bytes) {
    diag.error("INVALID_GRAPHQL", "[" + src.name + "] The schema is larger than " +
                                      std::to_string(options.max_sdl_bytes) + " bytes");
    return nullptr;
  }
  ParseOptions po;
  po.max_depth = options.max_depth;
  ParseResult parsed = parse(sg->source, *sg->arena, po);
  if (!parsed.ok()) {
    CompositionMessage& m =
        diag.error("INVALID_GRAPHQL", "[" + src.name + "] " + parsed.error.message);
    if (!parsed.error.locations.empty())
      m.locations.push_back({src.name, parsed.error.locations[0]});
    return nullptr;
  }
  sg->document = parsed.document;
  Builder b(*sg, diag);
  if (!b.run(options)) return nullptr;
  return sg;
}

}  // namespace orbit::federation::composition
