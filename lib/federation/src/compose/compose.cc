// compose(): the driver. Subgraphs are built and validated one by one, Federation 1 subgraphs
// upgraded, then merged; the printed supergraph is loaded back with Supergraph::load as a
// final consistency check (and for the satisfiability check).
#include "orbit/federation/compose.h"

#include <algorithm>
#include <set>

#include "auth.h"
#include "model.h"
#include "orbit/federation/supergraph.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/printer.h"
#include "satisfiability.h"

namespace orbit::federation {

namespace composition {

std::string_view type_kind_label(TypeKind kind) {
  switch (kind) {
    case TypeKind::kScalar: return "Scalar Type";
    case TypeKind::kObject: return "Object Type";
    case TypeKind::kInterface: return "Interface Type";
    case TypeKind::kUnion: return "Union Type";
    case TypeKind::kEnum: return "Enum Type";
    case TypeKind::kInputObject: return "Input Object Type";
  }
  return "";
}

namespace {
// Primary weight of a character under ICU root collation, for the characters of GraphQL names.
int primary(char c) {
  if (c == '_') return 1;
  if (c >= '0' && c <= '9') return 10 + (c - '0');
  if (c >= 'a' && c <= 'z') return 100 + (c - 'a');
  if (c >= 'A' && c <= 'Z') return 100 + (c - 'A');
  return 200 + static_cast<unsigned char>(c);
}
}  // namespace

bool collate_less(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int pa = primary(a[i]), pb = primary(b[i]);
    if (pa != pb) return pa < pb;
  }
  if (a.size() != b.size()) return a.size() < b.size();
  // Tertiary: lower case before upper case at the first difference.
  for (size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    bool la = a[i] >= 'a' && a[i] <= 'z';
    return la;
  }
  return false;
}

std::string subgraph_list(const std::vector<std::string>& names) {
  std::string s = names.size() == 1 ? "subgraph " : "subgraphs ";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) s += i + 1 == names.size() ? " and " : ", ";
    s += "\"" + names[i] + "\"";
  }
  return s;
}

}  // namespace composition

namespace {
// The code of an @inaccessible rule broken by the merged schema, from the loader's message
// (the loader uses Apollo's messages for these rules).
std::string inaccessible_code(const std::string& m) {
  auto has = [&](const char* s) { return m.find(s) != std::string::npos; };
  if (has("is in the API schema but all of its")) return "ONLY_INACCESSIBLE_CHILDREN";
  if (has("but is the root")) return "QUERY_ROOT_TYPE_INACCESSIBLE";
  if (has("but is referenced")) return "REFERENCED_INACCESSIBLE";
  if (has("but implements the interface")) return "IMPLEMENTED_BY_INACCESSIBLE";
  if (has("but is used in the default value")) return "DEFAULT_VALUE_USES_INACCESSIBLE";
  if (has("is @inaccessible but is a required") || has("but is implemented by the required") ||
      has("required input field"))
    return "REQUIRED_INACCESSIBLE";
  if (has("cannot use @inaccessible")) return "DISALLOWED_INACCESSIBLE";
  return "INVALID_GRAPHQL";
}
}  // namespace

CompositionResult compose(std::span<const SubgraphSource> subgraphs,
                          const ComposeOptions& options) {
  using namespace composition;
  CompositionResult result;
  Diagnostics diag;
  if (subgraphs.empty()) {
    diag.error("NO_SUBGRAPHS", "No subgraphs to compose");
  } else if (subgraphs.size() > options.max_subgraphs) {
    diag.error("TOO_MANY_SUBGRAPHS", "Cannot compose " + std::to_string(subgraphs.size()) +
                                         " subgraphs: at most " +
                                         std::to_string(options.max_subgraphs) + " are supported");
  }
  std::set<std::string> names;
  for (const SubgraphSource& s : subgraphs) {
    if (s.name.empty() || s.name == "_") {
      diag.error("INVALID_SUBGRAPH_NAME",
                 "Invalid name \"" + s.name + "\" for a subgraph: this name is reserved");
    } else if (!names.insert(s.name).second) {
      diag.error("INVALID_SUBGRAPH_NAME", "A subgraph named \"" + s.name + "\" already exists");
    }
  }
  if (!diag.errors.empty()) {
    result.errors = std::move(diag.errors);
    return result;
  }
  std::vector<std::unique_ptr<SubgraphSchema>> built;
  for (const SubgraphSource& s : subgraphs) {
    std::unique_ptr<SubgraphSchema> sg = build_subgraph(s, options, diag);
    if (sg) built.push_back(std::move(sg));
  }
  if (diag.errors.empty()) {
    upgrade_fed1(built, diag);
    for (auto& sg : built)
      if (!sg->upgrade_failed) validate_subgraph(*sg, diag);
  } else {
    // Federation checks of the Federation 2 subgraphs still run, to report everything at once.
    for (auto& sg : built)
      if (sg->fed2 && !sg->unknown_types) validate_subgraph(*sg, diag);
  }
  std::string sdl;
  if (diag.errors.empty()) sdl = merge_subgraphs(built, options, diag);
  // Supergraph::load (and so the router) holds at most kMaxSubgraphs subgraphs; larger graphs
  // (ComposeOptions::max_subgraphs raised) are merged and validated per subgraph only.
  if (diag.errors.empty() && built.size() <= kMaxSubgraphs) {
    graphql::ErrorReport report;
    // The supergraph may link features the router refuses to serve unenforced
    // (@authenticated …): that is the router's decision, not a composition error, and the
    // graph is still checked for satisfiability.
    LoadOptions load_options;
    load_options.accept_unsupported_features = true;
    std::unique_ptr<Supergraph> loaded = Supergraph::load(sdl, report, load_options);
    if (!loaded) {
      for (const auto& e : report.errors()) {
        // The merged schema breaks a GraphQL or federation rule that the merge did not catch
        // (e.g. @inaccessible leaving an interface without implementations).
        std::string code = inaccessible_code(e.message);
        diag.error(code, e.message);
      }
    } else {
      // Like Apollo, the query graph is only checked once the merged schema is valid.
      check_transitive_auth(*loaded, diag);
      if (diag.errors.empty() && options.run_satisfiability) check_satisfiability(*loaded, diag);
    }
  }
  result.hints = std::move(diag.hints);
  if (!diag.errors.empty()) {
    result.errors = std::move(diag.errors);
    return result;
  }
  result.supergraph_sdl = std::move(sdl);
  return result;
}

std::string canonical_sdl(std::string_view sdl) {
  using namespace orbit::graphql;
  Arena arena;
  ParseResult r = parse(sdl, arena);
  if (!r.ok()) return "";
  std::vector<std::pair<std::string, std::string>> defs;
  for (const Definition* d : r.document->definitions) {
    std::string key;
    if (d->kind == Kind::kSchemaDefinition || d->kind == Kind::kSchemaExtension)
      key = "0";
    else if (d->kind == Kind::kDirectiveDefinition)
      key = "1" + std::string(d->as<graphql::DirectiveDefinition>()->name.value);
    else if (is_type_definition(d->kind) || is_type_extension(d->kind))
      key = "2" + std::string(d->as<TypeDefinition>()->name.value);
    else
      key = "3";
    defs.push_back({key, print(*d)});
  }
  std::stable_sort(defs.begin(), defs.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::string out;
  for (auto& [k, text] : defs)
    out += text + "\n\n";
  return out;
}

}  // namespace orbit::federation
