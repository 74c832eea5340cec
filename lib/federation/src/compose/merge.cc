// Merge: SubgraphSchemas -> supergraph SDL. Follows the merge rules of Apollo composition:
// object and interface fields are the union of the subgraphs' fields, input objects the
// intersection, enums depend on their use (input: intersection, output: union, both: must be
// equal), and every element carries @join__* directives saying which subgraph defines what.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "auth.h"
#include "model.h"
#include "orbit/graphql/printer.h"
#include "value_printer.h"

namespace orbit::federation::composition {

namespace {

// @authenticated, @requiresScopes or @policy (by their spec names).
bool is_auth_directive(std::string_view name) {
  return name == "authenticated" || name == "requiresScopes" || name == "policy";
}

// ---- argument merging of non-repeatable directives ----------------------------------------

// @listSize applied differently in several subgraphs, merged argument by argument as Apollo
// composition does: assumedSize the largest given, slicingArguments and sizedFields the union
// of the given lists (in order of appearance), requireOneSlicingArgument true only when every
// application requires it (absent means the default, true). Example: (assumedSize: 5,
// slicingArguments: ["first"]) and (assumedSize: 10, slicingArguments: ["last"],
// requireOneSlicingArgument: false) -> (assumedSize: 10, slicingArguments: ["first", "last"],
// requireOneSlicingArgument: false).
std::string merge_list_size_args(const std::vector<std::string>& printed_args) {
  std::optional<long> assumed;
  std::optional<std::vector<std::string>> slicing, sized;
  bool require_one = true;
  auto unite = [](std::optional<std::vector<std::string>>& dest, const graphql::Value* v) {
    if (v == nullptr || v->kind != graphql::Kind::kListValue) return;
    if (!dest) dest.emplace();
    for (const graphql::Value* item : v->as<graphql::ListValue>()->values) {
      if (item->kind != graphql::Kind::kStringValue) continue;
      std::string s(item->as<graphql::StringValue>()->value);
      if (std::find(dest->begin(), dest->end(), s) == dest->end()) dest->push_back(s);
    }
  };
  for (const std::string& printed : printed_args) {
    AppliedArgs args;
    parse_applied_args(printed, args);
    if (const graphql::Value* v = args.get("assumedSize");
        v != nullptr && v->kind == graphql::Kind::kIntValue) {
      long n = std::strtol(std::string(v->as<graphql::IntValue>()->value).c_str(), nullptr, 10);
      if (!assumed || n > *assumed) assumed = n;
    }
    unite(slicing, args.get("slicingArguments"));
    unite(sized, args.get("sizedFields"));
    if (const graphql::Value* v = args.get("requireOneSlicingArgument");
        v != nullptr && v->kind == graphql::Kind::kBooleanValue &&
        !v->as<graphql::BooleanValue>()->value)
      require_one = false;
  }
  std::vector<std::string> parts;
  auto list = [](const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i)
      out += (i ? ", " : "") + quote(items[i]);
    return out + "]";
  };
  if (assumed) parts.push_back("assumedSize: " + std::to_string(*assumed));
  if (slicing) parts.push_back("slicingArguments: " + list(*slicing));
  if (sized) parts.push_back("sizedFields: " + list(*sized));
  parts.push_back(std::string("requireOneSlicingArgument: ") + (require_one ? "true" : "false"));
  std::string out = "(";
  for (size_t i = 0; i < parts.size(); ++i)
    out += (i ? ", " : "") + parts[i];
  return out + ")";
}

// ---- output model --------------------------------------------------------------------------

struct OutArg {
  std::string name;
  std::optional<std::string> description;
  std::string type;
  std::optional<std::string> default_value;
  std::vector<std::string> directives;
};

struct OutField {
  std::string name;
  std::optional<std::string> description;
  std::string type;
  std::optional<std::string> default_value;  // input fields
  std::vector<OutArg> args;
  std::vector<std::string> directives;
  bool removed = false;
};

struct OutValue {
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> directives;
  bool removed = false;
};

struct OutType {
  TypeKind kind;
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> directives;
  std::vector<std::string> interfaces;
  std::vector<OutField> fields;
  std::vector<std::string> members;
  std::vector<OutValue> values;
  bool removed = false;

  OutField* field(std::string_view n) {
    for (auto& f : fields)
      if (f.name == n && !f.removed) return &f;
    return nullptr;
  }
};

std::string block_string(const std::string& value, const std::string& indentation,
                         bool prefer_multiple_lines) {
  bool single_line = value.find('\n') == std::string::npos;
  bool leading_space = !value.empty() && (value[0] == ' ' || value[0] == '\t');
  bool trailing_quote = !value.empty() && value.back() == '"';
  bool trailing_slash = !value.empty() && value.back() == '\\';
  bool multiple = !single_line || trailing_quote || trailing_slash || prefer_multiple_lines;
  std::string result;
  if (multiple && !(single_line && leading_space)) result += "\n" + indentation;
  if (!indentation.empty()) {
    for (char c : value) {
      result += c;
      if (c == '\n') result += indentation;
    }
  } else {
    result += value;
  }
  if (multiple) result += "\n";
  std::string escaped;
  for (size_t i = 0; i < result.size(); ++i) {
    if (result.compare(i, 3, "\"\"\"") == 0) {
      escaped += "\\\"\"\"";
      i += 2;
    } else {
      escaped += result[i];
    }
  }
  return "\"\"\"" + escaped + "\"\"\"";
}

std::string print_description(const std::optional<std::string>& d, const std::string& indentation,
                              bool first_in_block) {
  if (!d) return "";
  std::string bs = block_string(*d, "", d->size() > 70);
  std::string prefix = !indentation.empty() && !first_in_block ? "\n" + indentation : indentation;
  std::string out = prefix;
  for (char c : bs) {
    out += c;
    if (c == '\n') out += indentation;
  }
  return out + "\n";
}

std::string applied_inline(const std::vector<std::string>& ds) {
  std::string out;
  for (const auto& d : ds)
    out += " " + d;
  return out;
}

std::string applied_block(const std::vector<std::string>& ds, bool end_with_newline) {
  if (ds.empty()) return "";
  std::string out = "\n  ";
  for (size_t i = 0; i < ds.size(); ++i) {
    if (i > 0) out += "\n  ";
    out += ds[i];
  }
  return out + (end_with_newline ? "\n" : "");
}

std::string print_args(const std::vector<OutArg>& args, const std::string& indentation) {
  if (args.empty()) return "";
  auto one = [](const OutArg& a) {
    std::string s = a.name + ": " + a.type;
    if (a.default_value) s += " = " + *a.default_value;
    return s + applied_inline(a.directives);
  };
  bool any_desc = false;
  for (const auto& a : args)
    if (a.description) any_desc = true;
  std::string out = "(";
  if (!any_desc) {
    for (size_t i = 0; i < args.size(); ++i)
      out += (i ? ", " : "") + one(args[i]);
    return out + ")";
  }
  out = "(\n";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += "\n";
    out += print_description(args[i].description, "  " + indentation, i == 0) + "  " + indentation +
           one(args[i]);
  }
  return out + "\n" + indentation + ")";
}

std::string print_type(const OutType& t) {
  std::string out = print_description(t.description, "", true);
  auto block = [](const std::vector<std::string>& items) {
    if (items.empty()) return std::string();
    std::string s = "{\n";
    for (size_t i = 0; i < items.size(); ++i)
      s += (i ? "\n" : "") + items[i];
    return s + "\n}";
  };
  auto fields_block = [&](bool input) {
    std::vector<std::string> items;
    bool first = true;
    for (const auto& f : t.fields) {
      if (f.removed) continue;
      std::string s = print_description(f.description, "  ", first) + "  " + f.name;
      first = false;
      if (!input) s += print_args(f.args, "  ");
      s += ": " + f.type;
      if (input && f.default_value) s += " = " + *f.default_value;
      s += applied_inline(f.directives);
      items.push_back(std::move(s));
    }
    return items;
  };
  switch (t.kind) {
    case TypeKind::kScalar: return out + "scalar " + t.name + applied_block(t.directives, false);
    case TypeKind::kObject:
    case TypeKind::kInterface: {
      out += (t.kind == TypeKind::kObject ? "type " : "interface ") + t.name;
      if (!t.interfaces.empty()) {
        out += " implements ";
        for (size_t i = 0; i < t.interfaces.size(); ++i)
          out += (i ? " & " : "") + t.interfaces[i];
      }
      auto items = fields_block(false);
      out += applied_block(t.directives, !items.empty());
      if (t.directives.empty() && !items.empty()) out += " ";
      return out + block(items);
    }
    case TypeKind::kUnion: {
      out += "union " + t.name;
      out += applied_block(t.directives, !t.members.empty());
      if (!t.members.empty()) {
        out += " = ";
        for (size_t i = 0; i < t.members.size(); ++i)
          out += (i ? " | " : "") + t.members[i];
      }
      return out;
    }
    case TypeKind::kEnum: {
      std::vector<std::string> items;
      bool first = true;
      for (const auto& v : t.values) {
        if (v.removed) continue;
        items.push_back(print_description(v.description, "  ", first) + "  " + v.name +
                        applied_inline(v.directives));
        first = false;
      }
      out += "enum " + t.name + applied_block(t.directives, !items.empty());
      if (t.directives.empty() && !items.empty()) out += " ";
      return out + block(items);
    }
    case TypeKind::kInputObject: {
      auto items = fields_block(true);
      out += "input " + t.name + applied_block(t.directives, !items.empty());
      if (t.directives.empty() && !items.empty()) out += " ";
      return out + block(items);
    }
  }
  return out;
}

// ---- type references -----------------------------------------------------------------------

struct Shape {
  enum Kind { kNamed, kList, kNonNull } kind = kNamed;
  std::string name;
  std::unique_ptr<Shape> of;
};

std::unique_ptr<Shape> parse_shape(std::string_view s) {
  auto sh = std::make_unique<Shape>();
  if (!s.empty() && s.back() == '!') {
    sh->kind = Shape::kNonNull;
    sh->of = parse_shape(s.substr(0, s.size() - 1));
  } else if (!s.empty() && s.front() == '[') {
    sh->kind = Shape::kList;
    sh->of = parse_shape(s.substr(1, s.size() - 2));
  } else {
    sh->name = std::string(s);
  }
  return sh;
}

// ---- the merger ----------------------------------------------------------------------------

using SourceIdx = size_t;

class Merger {
 public:
  Merger(const std::vector<std::unique_ptr<SubgraphSchema>>& sgs, Diagnostics& diag)
      : sgs_(sgs), diag_(diag) {}
  std::string run();

 private:
  const SubgraphSchema& sg(SourceIdx i) const { return *sgs_[i]; }
  std::string graph(SourceIdx i) const { return graph_names_[i]; }
  CompositionMessage& error(std::string code, std::string msg) {
    return diag_.error(std::move(code), std::move(msg));
  }
  CompositionMessage& hint(std::string code, std::string msg) {
    return diag_.hint(std::move(code), std::move(msg));
  }

  // Some subgraph defines `type_name` as an @interfaceObject with a non-external `field`.
  bool provided_by_interface_object(const std::string& type_name, const std::string& field) const {
    for (SourceIdx i = 0; i < sgs_.size(); ++i) {
      const Type* t = sg(i).type(type_name);
      if (t == nullptr || !t->interface_object) continue;
      const Field* f = t->field(field);
      if (f != nullptr && !f->external) return true;
    }
    return false;
  }

  TypeKind effective_kind(const Type& t) const {
    return t.interface_object ? TypeKind::kInterface : t.kind;
  }
  // The type in each subgraph (null where absent or of another kind).
  std::vector<const Type*> sources_of(const OutType& dest) const {
    std::vector<const Type*> out(sgs_.size(), nullptr);
    for (SourceIdx i = 0; i < sgs_.size(); ++i) {
      const Type* t = sg(i).type(dest.name);
      if (t != nullptr && effective_kind(*t) == dest.kind) out[i] = t;
    }
    return out;
  }

  template <typename T>
  std::optional<std::string> merge_description(const std::vector<const T*>& sources,
                                               const std::string& coordinate);
  // Sources: the element in each subgraph. With auth_first, the authorization directives come
  // first; auth_extra adds sources for them alone (see auth_sources_from_implementations), and
  // auth_only merges nothing else.
  void merge_applied(const std::vector<const std::vector<Applied>*>& sources,
                     std::vector<std::string>& dest, const std::string& coordinate,
                     bool inaccessible_only, bool skip_inaccessible, bool auth_first = false,
                     const std::vector<const std::vector<Applied>*>* auth_extra = nullptr,
                     bool auth_only = false);
  using AuthSources = std::map<std::string, std::vector<const std::vector<Applied>*>>;
  AuthSources auth_sources_from_implementations() const;
  // A printed application of @authenticated, @requiresScopes or @policy (under its name in
  // the supergraph).
  bool is_auth_application(const std::string& printed) const;
  bool is_strict_subtype(const Shape& type, const Shape& maybe_sub) const;
  bool is_strict_subtype(const std::string& type, const std::string& maybe_sub) const {
    return is_strict_subtype(*parse_shape(type), *parse_shape(maybe_sub));
  }
  bool merge_type_reference(const std::vector<const TypeRef*>& sources, std::string& dest,
                            const std::string& coordinate, bool input, bool is_argument);
  void merge_default(const std::vector<const std::optional<std::string>*>& sources,
                     std::optional<std::string>& dest, const std::string& coordinate,
                     const std::string& kind);
  void add_join_type(const std::vector<const Type*>& sources, OutType& dest);
  void merge_object_or_interface(const std::vector<const Type*>& sources, OutType& dest);
  void merge_field(const std::vector<const Type*>& parents, const std::vector<const Field*>& fields,
                   OutType& parent, OutField& dest);
  void merge_union(const std::vector<const Type*>& sources, OutType& dest);
  void merge_enum(const std::vector<const Type*>& sources, OutType& dest);
  void merge_input(const std::vector<const Type*>& sources, OutType& dest);
  void merge_type(OutType& dest);
  std::string print(const std::vector<std::string>& schema_directives);
  void merge_executable_directives();
  // The name of a spec directive in the supergraph: its own, or the one every subgraph
  // applying it imported it as.
  std::string out_name(const std::string& spec_name) const {
    auto it = spec_names_.find(spec_name);
    return it == spec_names_.end() ? spec_name : it->second;
  }
  // " import: [{name: \"@tag\", as: \"@fed__tag\"}]" when renamed, else "".
  std::string import_clause(const std::string& spec_name) const {
    std::string n = out_name(spec_name);
    return n == spec_name ? "" : ", import: [{name: \"@" + spec_name + "\", as: \"@" + n + "\"}]";
  }
  void check_spec_names();
  // The features of the spec directives in the order their @link applications are printed.
  const std::vector<std::string>& link_order();

  const std::vector<std::unique_ptr<SubgraphSchema>>& sgs_;
  Diagnostics& diag_;
  std::vector<std::string> graph_names_;
  std::vector<OutType> types_;
  std::map<std::string, size_t> type_index_;
  // Enum usage: "Input", "Output", "Both", with an example coordinate for each position.
  struct EnumUsage {
    std::string position;
    std::string input_example, output_example;
  };
  std::map<std::string, EnumUsage> enum_usage_;
  std::set<std::string> used_specs_;  // "tag", "inaccessible", ...
  int join_minor_ = 3;
  // Post-merge directive applications (Apollo merges these after everything else).
  struct Deferred {
    std::vector<const std::vector<Applied>*> sources;
    std::vector<std::string>* dest;
    std::string coordinate;
    // A field of an object or interface, or an interface: authorization directives first, also
    // taken from the implementations (auth_sources_from_implementations).
    bool auth_first = false;
  };
  std::vector<Deferred> deferred_;
  std::vector<std::pair<std::string, bool>>
      composed_repeatable_;                        // composed directive -> repeatable
  std::vector<std::string> composed_definitions_;  // printed definitions
  std::vector<std::string> composed_links_;        // printed @link applications
  std::vector<std::pair<std::string, std::string>> executable_definitions_;  // name, printed
  std::map<std::string, std::string> spec_names_;  // renamed spec directives
  std::vector<std::string> link_order_;            // link_order(), computed once
};

std::string subgraph_name_list(const std::vector<std::string>& names) {
  return subgraph_list(names);
}

template <typename T>
std::optional<std::string> Merger::merge_description(const std::vector<const T*>& sources,
                                                     const std::string& coordinate) {
  std::vector<std::string> descriptions;
  std::vector<long> counts;
  for (const T* s : sources) {
    if (s == nullptr || !s->description) continue;
    auto it = std::find(descriptions.begin(), descriptions.end(), *s->description);
    if (it == descriptions.end()) {
      descriptions.push_back(*s->description);
      counts.push_back(s->description->empty() ? -1000000 : 1);
    } else {
      counts[it - descriptions.begin()]++;
    }
  }
  if (descriptions.empty()) return std::nullopt;
  if (descriptions.size() == 1) return descriptions[0];
  std::vector<std::string> non_empty;
  for (auto& d : descriptions)
    if (!d.empty()) non_empty.push_back(d);
  if (non_empty.size() == 1) return non_empty[0];
  size_t best = 0;
  for (size_t i = 1; i < counts.size(); ++i)
    if (counts[i] > counts[best]) best = i;
  hint("INCONSISTENT_DESCRIPTION", (coordinate.empty() ? std::string("The schema definition")
                                                       : "Element \"" + coordinate + "\"") +
                                       " has inconsistent descriptions across subgraphs. ");
  return descriptions[best];
}

void Merger::merge_applied(const std::vector<const std::vector<Applied>*>& sources,
                           std::vector<std::string>& dest, const std::string& coordinate,
                           bool inaccessible_only, bool skip_inaccessible, bool auth_first,
                           const std::vector<const std::vector<Applied>*>* auth_extra,
                           bool auth_only) {
  auto is_auth = [](const std::string& n) { return is_auth_directive(n); };
  // Names in order of first appearance.
  std::vector<std::string> names;
  for (const auto* s : sources) {
    if (s == nullptr) continue;
    for (const Applied& a : *s)
      if (std::find(names.begin(), names.end(), a.name) == names.end()) names.push_back(a.name);
  }
  if (auth_extra != nullptr)
    for (const auto* s : *auth_extra)
      for (const Applied& a : *s)
        if (is_auth(a.name) && std::find(names.begin(), names.end(), a.name) == names.end())
          names.push_back(a.name);
  if (auth_only) std::erase_if(names, [&](const std::string& n) { return !is_auth(n); });
  // On fields and interfaces, the authorization directives come first, in the order of their
  // features' links, whatever order they were applied in (as Apollo composition writes them;
  // object types keep the order of application).
  std::vector<std::string> ordered;
  if (auth_first && std::any_of(names.begin(), names.end(), is_auth))
    for (const std::string& spec : link_order())
      if (is_auth_directive(spec) && std::find(names.begin(), names.end(), spec) != names.end())
        ordered.push_back(spec);
  if (!ordered.empty()) {
    for (const std::string& n : names)
      if (std::find(ordered.begin(), ordered.end(), n) == ordered.end()) ordered.push_back(n);
    names = std::move(ordered);
  }
  static const std::set<std::string> kRepeatable = {"tag", "context"};
  if (!inaccessible_only && std::find(names.begin(), names.end(), "cacheTag") != names.end()) {
    // @cacheTag is kept per subgraph: one @join__directive per distinct application (in order
    // of first appearance) naming the subgraphs that apply it, after the @join__* directives
    // and @inaccessible, before the other merged directives (as Apollo composition writes it).
    used_specs_.insert("cacheTag");
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // args, graphs
    for (size_t i = 0; i < sources.size(); ++i) {
      if (sources[i] == nullptr) continue;
      for (const Applied& a : *sources[i]) {
        if (a.name != "cacheTag") continue;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return g.first == a.args; });
        if (it == groups.end()) {
          groups.push_back({a.args, {}});
          it = groups.end() - 1;
        }
        std::string g = graph(static_cast<SourceIdx>(i));
        if (std::find(it->second.begin(), it->second.end(), g) == it->second.end())
          it->second.push_back(g);
      }
    }
    for (const auto& [args, graphs] : groups) {
      std::string list;
      for (size_t gi = 0; gi < graphs.size(); ++gi)
        list += (gi ? ", " : "") + graphs[gi];
      // args is printed as `(format: "...")`; join__directive takes it as an object.
      std::string object =
          args.size() >= 2 ? "{" + args.substr(1, args.size() - 2) + "}" : std::string("{}");
      dest.push_back("@join__directive(graphs: [" + list +
                     "], name: \"federation__cacheTag\", args: " + object + ")");
    }
  }
  for (const std::string& name : names) {
    if (name == "cacheTag") continue;
    bool is_inacc = name == "inaccessible";
    if (inaccessible_only != is_inacc) continue;
    if (skip_inaccessible && is_inacc) continue;
    if (name == "tag" || name == "inaccessible" || name == "authenticated" ||
        name == "requiresScopes" || name == "policy" || name == "cost" || name == "listSize" ||
        name == "context")
      used_specs_.insert(name);
    bool repeatable = kRepeatable.count(name) > 0;
    for (const auto& [n, def] : composed_repeatable_) {
      if (n == name) repeatable = def;
    }
    std::vector<Applied> apps;
    for (const auto* s : sources) {
      if (s == nullptr) continue;
      for (const Applied& a : *s)
        if (a.name == name) apps.push_back(a);
    }
    if (auth_extra != nullptr && is_auth(name))
      for (const auto* s : *auth_extra)
        for (const Applied& a : *s)
          if (a.name == name) apps.push_back(a);
    if (apps.empty()) continue;
    if (repeatable) {
      std::vector<Applied> seen;
      for (const Applied& a : apps) {
        if (std::find(seen.begin(), seen.end(), a) != seen.end()) continue;
        seen.push_back(a);
        dest.push_back("@" + out_name(a.name) + a.args);
      }
      continue;
    }
    if (name == "requiresScopes" || name == "policy" || name == "listSize") {
      // Different applications merge argument by argument (Apollo's argument mergers).
      std::vector<std::string> different;
      for (const Applied& a : apps)
        if (std::find(different.begin(), different.end(), a.args) == different.end())
          different.push_back(a.args);
      if (different.size() == 1) {
        dest.push_back("@" + out_name(name) + different[0]);
        continue;
      }
      std::string merged, strategies;
      if (name == "listSize") {
        merged = merge_list_size_args(different);
        strategies =
            "{ \"assumedSize\": NULLABLE_MAX, \"slicingArguments\": NULLABLE_UNION, "
            "\"sizedFields\": NULLABLE_UNION, \"requireOneSlicingArgument\": NULLABLE_AND }";
      } else {
        std::string argname = name == "requiresScopes" ? "scopes" : "policies";
        std::vector<Dnf> values;
        for (const std::string& printed : different) {
          AppliedArgs args;
          parse_applied_args(printed, args);
          values.push_back(args.string_lists(argname));
        }
        merged = "(" + argname + ": " + print_dnf(dnf_conjunction(std::move(values))) + ")";
        strategies = "{ \"" + argname + "\": DNF_CONJUNCTION }";
      }
      hint("MERGED_NON_REPEATABLE_DIRECTIVE_ARGUMENTS",
           "Directive @" + name + " is applied to \"" + coordinate +
               "\" in multiple subgraphs with different arguments. Merging strategies used by "
               "arguments: " +
               strategies);
      dest.push_back("@" + out_name(name) + merged);
      continue;
    }
    if (name == "cost") {
      // Different weights merge to the largest (Apollo's MAX strategy).
      long best = 0;
      bool any = false, differ = false;
      for (const Applied& a : apps) {
        size_t colon = a.args.find(':');
        if (colon == std::string::npos) continue;
        long w = std::strtol(a.args.c_str() + colon + 1, nullptr, 10);
        if (any && w != best) differ = true;
        if (!any || w > best) best = w;
        any = true;
      }
      if (differ)
        hint("MERGED_NON_REPEATABLE_DIRECTIVE_ARGUMENTS",
             "Directive @cost is applied to \"" + coordinate +
                 "\" in multiple subgraphs with different arguments. Merging strategies used by "
                 "arguments: { \"weight\": MAX }");
      dest.push_back(any ? "@cost(weight: " + std::to_string(best) + ")" : "@cost" + apps[0].args);
      continue;
    }
    std::vector<Applied> different;
    std::vector<int> counts;
    for (const Applied& a : apps) {
      auto it = std::find(different.begin(), different.end(), a);
      if (it == different.end()) {
        different.push_back(a);
        counts.push_back(1);
      } else {
        counts[it - different.begin()]++;
      }
    }
    size_t best = 0;
    for (size_t i = 1; i < counts.size(); ++i)
      if (counts[i] > counts[best]) best = i;
    if (different.size() > 1)
      hint("INCONSISTENT_NON_REPEATABLE_DIRECTIVE_ARGUMENTS",
           "Non-repeatable directive @" + name + " is applied to \"" + coordinate +
               "\" in multiple subgraphs but with incompatible arguments. ");
    dest.push_back("@" + out_name(different[best].name) + different[best].args);
  }
}

// Authorization requirements reach an interface from what implements it, as Apollo composition
// carries them (interface access must satisfy every implementation): keyed by coordinate, the
// subgraph elements whose @authenticated / @requiresScopes / @policy also count for
//  - an interface "I": every object type of a subgraph that implements I in the supergraph;
//  - an interface field "I.f": the field f (not @external) of those object types;
//  - through an @interfaceObject I, its field f counts for "X.f" of every implementation X of
//    I and for "J.f" of every other interface J that X implements.
// Coordinates the supergraph does not have are never looked up.
Merger::AuthSources Merger::auth_sources_from_implementations() const {
  AuthSources out;
  auto has_auth = [](const std::vector<Applied>& applied) {
    return std::any_of(applied.begin(), applied.end(),
                       [](const Applied& a) { return is_auth_directive(a.name); });
  };
  auto merged_object = [&](const std::string& name) -> const OutType* {
    auto it = type_index_.find(name);
    if (it == type_index_.end() || types_[it->second].kind != TypeKind::kObject) return nullptr;
    return &types_[it->second];
  };
  auto add = [&](const std::string& key, const std::vector<Applied>* applied) {
    std::vector<const std::vector<Applied>*>& list = out[key];
    if (std::find(list.begin(), list.end(), applied) == list.end()) list.push_back(applied);
  };
  for (SourceIdx i = 0; i < sgs_.size(); ++i) {
    for (const Type& st : sg(i).types) {
      if (st.kind != TypeKind::kObject) continue;
      if (st.interface_object) {
        for (const Field& f : st.fields) {
          if (f.external || !has_auth(f.applied)) continue;
          std::vector<std::string> others;
          for (const OutType& impl : types_) {
            if (impl.kind != TypeKind::kObject ||
                std::find(impl.interfaces.begin(), impl.interfaces.end(), st.name) ==
                    impl.interfaces.end())
              continue;
            add(impl.name + "." + f.name, &f.applied);
            for (const std::string& j : impl.interfaces)
              if (j != st.name && std::find(others.begin(), others.end(), j) == others.end())
                others.push_back(j);
          }
          for (const std::string& j : others)
            add(j + "." + f.name, &f.applied);
        }
        continue;
      }
      const OutType* merged = merged_object(st.name);
      if (merged == nullptr || merged->interfaces.empty()) continue;
      if (has_auth(st.applied))
        for (const std::string& itf : merged->interfaces)
          add(itf, &st.applied);
      for (const Field& f : st.fields) {
        if (f.external || !has_auth(f.applied)) continue;
        for (const std::string& itf : merged->interfaces)
          add(itf + "." + f.name, &f.applied);
      }
    }
  }
  return out;
}

bool Merger::is_auth_application(const std::string& printed) const {
  for (const char* spec : {"authenticated", "requiresScopes", "policy"}) {
    std::string name = "@" + out_name(spec);
    if (printed.rfind(name, 0) == 0 &&
        (printed.size() == name.size() || printed[name.size()] == '('))
      return true;
  }
  return false;
}

bool Merger::is_strict_subtype(const Shape& type, const Shape& maybe_sub) const {
  // Rules: direct (object implements interface / member of union), non-nullable downgrade,
  // list propagation, non-nullable propagation.
  if (maybe_sub.kind == Shape::kNonNull) {
    if (type.kind == Shape::kNonNull) return is_strict_subtype(*type.of, *maybe_sub.of);
    // T! <= T, and T! <= U when T <= U
    const Shape& inner = *maybe_sub.of;
    if (inner.kind == type.kind && inner.kind == Shape::kNamed && inner.name == type.name)
      return true;
    if (inner.kind == Shape::kList && type.kind == Shape::kList) {
      std::string a, b;
      // same list shape?
      std::function<std::string(const Shape&)> str = [&](const Shape& s) -> std::string {
        if (s.kind == Shape::kNamed) return s.name;
        if (s.kind == Shape::kList) return "[" + str(*s.of) + "]";
        return str(*s.of) + "!";
      };
      if (str(inner) == str(type)) return true;
    }
    return is_strict_subtype(type, inner);
  }
  if (maybe_sub.kind == Shape::kList) {
    if (type.kind != Shape::kList) return false;
    std::function<std::string(const Shape&)> str = [&](const Shape& s) -> std::string {
      if (s.kind == Shape::kNamed) return s.name;
      if (s.kind == Shape::kList) return "[" + str(*s.of) + "]";
      return str(*s.of) + "!";
    };
    return str(*type.of) != str(*maybe_sub.of) ? is_strict_subtype(*type.of, *maybe_sub.of) || false
                                               : false;
  }
  // named
  if (type.kind != Shape::kNamed) return false;
  auto it = type_index_.find(type.name);
  if (it == type_index_.end()) return false;
  const OutType& sup = types_[it->second];
  if (sup.kind == TypeKind::kUnion)
    return std::find(sup.members.begin(), sup.members.end(), maybe_sub.name) != sup.members.end();
  if (sup.kind == TypeKind::kInterface) {
    auto jt = type_index_.find(maybe_sub.name);
    if (jt == type_index_.end()) return false;
    const OutType& sub = types_[jt->second];
    return std::find(sub.interfaces.begin(), sub.interfaces.end(), type.name) !=
           sub.interfaces.end();
  }
  return false;
}

bool Merger::merge_type_reference(const std::vector<const TypeRef*>& sources, std::string& dest,
                                  const std::string& coordinate, bool input, bool is_argument) {
  std::optional<std::string> dest_type;
  bool has_subtypes = false, incompatible = false;
  for (const TypeRef* s : sources) {
    if (s == nullptr) continue;
    if (!dest_type || *dest_type == s->text) {
      dest_type = s->text;
    } else if (is_strict_subtype(*dest_type, s->text)) {
      has_subtypes = true;
      if (input) dest_type = s->text;
    } else if (is_strict_subtype(s->text, *dest_type)) {
      has_subtypes = true;
      if (!input) dest_type = s->text;
    } else {
      incompatible = true;
    }
  }
  if (!dest_type) return true;
  dest = *dest_type;
  std::string base = dest;
  while (!base.empty() && (base.back() == '!' || base.back() == ']'))
    base.pop_back();
  while (!base.empty() && base.front() == '[')
    base.erase(base.begin());
  auto it = type_index_.find(base);
  if (it != type_index_.end() && types_[it->second].kind == TypeKind::kEnum) {
    EnumUsage& u = enum_usage_[base];
    std::string pos = input ? "Input" : "Output";
    if (u.position.empty())
      u.position = pos;
    else if (u.position != pos)
      u.position = "Both";
    if (input && u.input_example.empty()) u.input_example = coordinate;
    if (!input && u.output_example.empty()) u.output_example = coordinate;
  }
  if (incompatible) {
    std::string msg = "Type of " + std::string(is_argument ? "argument" : "field") + " \"" +
                      coordinate + "\" is incompatible across subgraphs: it has ";
    // type "X" in subgraph(s) ...
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    for (SourceIdx i = 0; i < sources.size(); ++i) {
      if (sources[i] == nullptr) continue;
      auto g = std::find_if(groups.begin(), groups.end(),
                            [&](auto& p) { return p.first == sources[i]->text; });
      if (g == groups.end()) {
        groups.push_back({sources[i]->text, {sg(i).name}});
      } else {
        g->second.push_back(sg(i).name);
      }
    }
    for (size_t gi = 0; gi < groups.size(); ++gi) {
      if (gi > 0) msg += gi + 1 == groups.size() ? " and " : ", ";
      msg += "type \"" + groups[gi].first + "\" in " + subgraph_name_list(groups[gi].second);
    }
    CompositionMessage& m =
        error(is_argument ? "FIELD_ARGUMENT_TYPE_MISMATCH" : "FIELD_TYPE_MISMATCH", msg);
    for (SourceIdx i = 0; i < sources.size(); ++i)
      if (sources[i] != nullptr) m.locations.push_back({sg(i).name, {}});
    return false;
  }
  if (has_subtypes) {
    hint(is_argument ? "INCONSISTENT_BUT_COMPATIBLE_ARGUMENT_TYPE"
                     : "INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE",
         "Type of " + std::string(is_argument ? "argument" : "field") + " \"" + coordinate +
             "\" is inconsistent but compatible across subgraphs: will use type \"" + dest + "\"");
    return false;
  }
  return true;
}

void Merger::merge_default(const std::vector<const std::optional<std::string>*>& sources,
                           std::optional<std::string>& dest, const std::string& coordinate,
                           const std::string& kind) {
  std::optional<std::string> d;
  bool seen = false, inconsistent = false, incompatible = false;
  for (const auto* s : sources) {
    if (s == nullptr) continue;
    if (!d) {
      d = *s;
      if (seen && s->has_value()) inconsistent = true;
    } else if (*d != *s) {
      inconsistent = true;
      if (s->has_value()) incompatible = true;
    }
    seen = true;
  }
  if (!inconsistent || incompatible) dest = d;
  if (incompatible) {
    CompositionMessage& m = error(
        kind == "Argument" ? "FIELD_ARGUMENT_DEFAULT_MISMATCH" : "INPUT_FIELD_DEFAULT_MISMATCH",
        kind + " \"" + coordinate + "\" has incompatible default values across subgraphs");
    (void)m;
  } else if (inconsistent) {
    hint("INCONSISTENT_DEFAULT_VALUE_PRESENCE",
         kind + " \"" + coordinate + "\" has a default value in only some subgraphs");
  }
}

void Merger::add_join_type(const std::vector<const Type*>& sources, OutType& dest) {
  for (SourceIdx i = 0; i < sources.size(); ++i) {
    const Type* s = sources[i];
    if (s == nullptr) continue;
    std::string itf = s->interface_object ? ", isInterfaceObject: true" : "";
    if (s->keys.empty()) {
      dest.directives.push_back("@join__type(graph: " + graph(i) + itf + ")");
      continue;
    }
    for (const Key& k : s->keys) {
      std::string d = "@join__type(graph: " + graph(i) + ", key: " + quote(k.fields);
      if (k.on_extension || s->extends) d += ", extension: true";
      if (k.resolvable) d += std::string(", resolvable: ") + (*k.resolvable ? "true" : "false");
      dest.directives.push_back(d + itf + ")");
    }
  }
}

void Merger::merge_field(const std::vector<const Type*>& parents,
                         const std::vector<const Field*>& fields, OutType& parent, OutField& dest) {
  const size_t n = fields.size();
  std::string coordinate = parent.name + "." + dest.name;
  // @override
  std::vector<bool> used_overridden(n), unused_overridden(n), unknown_target(n);
  std::vector<std::optional<std::string>> labels(n);
  for (SourceIdx i = 0; i < n; ++i) {
    const Field* f = fields[i];
    if (f == nullptr || !f->override_from) continue;
    const std::string& from = *f->override_from;
    if (parent.kind == TypeKind::kInterface && !parents[i]->interface_object) {
      error("OVERRIDE_ON_INTERFACE",
            "@override cannot be used on field \"" + coordinate + "\" on subgraph \"" + sg(i).name +
                "\": @override is not supported on interface type fields.");
      continue;
    }
    if (parents[i]->interface_object) {
      error("OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
            "@override is not yet supported on fields of @interfaceObject types: cannot be used on "
            "field \"" +
                coordinate + "\" on subgraph \"" + sg(i).name + "\".");
      continue;
    }
    SourceIdx from_idx = n;
    for (SourceIdx j = 0; j < n; ++j)
      if (sg(j).name == from) from_idx = j;
    if (from_idx == n) {
      unknown_target[i] = true;
      hint("FROM_SUBGRAPH_DOES_NOT_EXIST", "Source subgraph \"" + from + "\" for field \"" +
                                               coordinate + "\" on subgraph \"" + sg(i).name +
                                               "\" does not exist.");
      continue;
    }
    if (from_idx == i) {
      error("OVERRIDE_FROM_SELF_ERROR", "Source and destination subgraphs \"" + from +
                                            "\" are the same for overridden field \"" + coordinate +
                                            "\"");
      continue;
    }
    const Field* from_field = fields[from_idx];
    if (from_field != nullptr && from_field->override_from) {
      error("OVERRIDE_SOURCE_HAS_OVERRIDE",
            "Field \"" + coordinate + "\" on subgraph \"" + sg(i).name +
                "\" is also marked with directive @override in subgraph \"" + from +
                "\". Only one @override directive is allowed per field.");
      continue;
    }
    if (from_field == nullptr) {
      hint("OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
           "Field \"" + coordinate + "\" on subgraph \"" + sg(i).name +
               "\" no longer exists in the from subgraph. The @override directive can be removed.");
      continue;
    }
    std::string conflicting;
    std::string conflict_sg = from;
    if (from_field->requires_fields)
      conflicting = "requires";
    else if (from_field->provides_fields)
      conflicting = "provides";
    else if (f->external) {
      conflicting = "external";
      conflict_sg = sg(i).name;
    }
    if (!conflicting.empty()) {
      error("OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
            "@override cannot be used on field \"" + coordinate + "\" on subgraph \"" + sg(i).name +
                "\" since \"" + coordinate + "\" on \"" + conflict_sg +
                "\" is marked with directive \"@" + conflicting + "\"");
      continue;
    }
    if (from_field->external) {
      hint("OVERRIDE_DIRECTIVE_CAN_BE_REMOVED",
           "Field \"" + coordinate + "\" on subgraph \"" + sg(i).name +
               "\" is not resolved anymore by the from subgraph (it is marked \"@external\" in \"" +
               from + "\"). The @override directive can be removed.");
    } else if (from_field->used) {
      used_overridden[from_idx] = true;
      if (!f->override_label)
        hint("OVERRIDDEN_FIELD_CAN_BE_REMOVED",
             "Field \"" + coordinate + "\" on subgraph \"" + from +
                 "\" is overridden. It is still used in some federation directive(s) (@key, "
                 "@requires, and/or @provides) and/or to satisfy interface constraint(s), but "
                 "consider marking it @external explicitly or removing it along with its "
                 "references.");
    } else {
      unused_overridden[from_idx] = true;
      if (!f->override_label)
        hint("OVERRIDDEN_FIELD_CAN_BE_REMOVED", "Field \"" + coordinate + "\" on subgraph \"" +
                                                    from +
                                                    "\" is overridden. Consider removing it.");
    }
    if (f->override_label) {
      static const std::regex label_re("^[a-zA-Z][a-zA-Z0-9_\\-:./]*$");
      static const std::regex percent_re("^percent\\((\\d{1,2}(\\.\\d{1,8})?|100)\\)$");
      const std::string& l = *f->override_label;
      if (std::regex_match(l, label_re) || std::regex_match(l, percent_re)) {
        labels[i] = l;
        labels[from_idx] = l;
      } else {
        error("OVERRIDE_LABEL_INVALID",
              "Invalid @override label \"" + l + "\" on field \"" + coordinate +
                  "\" on subgraph \"" + sg(i).name +
                  "\": labels must start with a letter and after that may contain alphanumerics, "
                  "underscores, minuses, colons, periods, or slashes. Alternatively, labels may be "
                  "of the form \"percent(x)\" where x is a float between 0-100 inclusive.");
      }
      if (from_field->used)
        hint("OVERRIDE_MIGRATION_IN_PROGRESS",
             "Field \"" + coordinate + "\" on subgraph \"" + from +
                 "\" is currently being migrated via progressive @override. It is still used in "
                 "some federation directive(s) (@key, @requires, and/or @provides) and/or to "
                 "satisfy interface constraint(s). Once the migration is complete, consider "
                 "marking it @external explicitly or removing it along with its references.");
      else
        hint("OVERRIDE_MIGRATION_IN_PROGRESS",
             "Field \"" + coordinate +
                 "\" is currently being migrated with progressive @override. Once the migration "
                 "is complete, remove the field from subgraph \"" +
                 from + "\".");
    }
  }

  // Every declaration external: nobody resolves the field.
  bool all_external = true;
  for (SourceIdx i = 0; i < n; ++i)
    if (fields[i] != nullptr && !fields[i]->external) all_external = false;
  if (all_external) {
    std::vector<std::string> defining;
    CompositionMessage* m = nullptr;
    for (SourceIdx i = 0; i < n; ++i)
      if (fields[i] != nullptr) defining.push_back(sg(i).name);
    m = &error("EXTERNAL_MISSING_ON_BASE", "Field \"" + coordinate +
                                               "\" is marked @external on all the subgraphs in "
                                               "which it is listed (" +
                                               subgraph_list(defining) + ").");
    for (SourceIdx i = 0; i < n; ++i)
      if (fields[i] != nullptr) at(*m, sg(i).name, fields[i]->loc);
    return;
  }
  std::vector<const Field*> without_external(n, nullptr);
  for (SourceIdx i = 0; i < n; ++i)
    if (fields[i] != nullptr && !fields[i]->external) without_external[i] = fields[i];
  // Merged directives on external declarations are errors: the federation directives the
  // supergraph carries (not @cacheTag, which becomes a @join__directive) and @deprecated.
  for (SourceIdx i = 0; i < n; ++i) {
    if (fields[i] == nullptr || !fields[i]->external) continue;
    for (const Applied& a : fields[i]->applied) {
      if (a.name == "tag" || a.name == "inaccessible" || a.name == "authenticated" ||
          a.name == "requiresScopes" || a.name == "policy" || a.name == "cost" ||
          a.name == "listSize" || a.name == "deprecated") {
        error("MERGED_DIRECTIVE_APPLICATION_ON_EXTERNAL",
              "[" + sg(i).name + "] Cannot apply merged directive @" + a.name + a.args +
                  " to external field \"" + coordinate + "\"");
      }
    }
  }
  dest.description = merge_description(without_external, coordinate);
  {
    std::vector<const std::vector<Applied>*> apps;
    for (const Field* f : without_external)
      apps.push_back(f ? &f->applied : nullptr);
    merge_applied(apps, dest.directives, coordinate, true, false);
    deferred_.push_back({apps, &dest.directives, coordinate, true});
  }
  // Arguments: the intersection.
  std::vector<std::string> arg_names;
  for (const Field* f : without_external) {
    if (f == nullptr) continue;
    for (const InputValue& a : f->args)
      if (std::find(arg_names.begin(), arg_names.end(), a.name) == arg_names.end())
        arg_names.push_back(a.name);
  }
  bool has_context_args = false;
  for (const std::string& an : arg_names) {
    // Arguments filled from a context (@fromContext) are not part of the supergraph's API.
    bool contextual = false;
    for (const Field* f : without_external)
      if (f != nullptr)
        if (const InputValue* a = f->arg(an); a != nullptr && !a->context.empty())
          contextual = true;
    if (contextual) {
      has_context_args = true;
      for (SourceIdx i = 0; i < n; ++i) {
        const Field* f = without_external[i];
        const InputValue* a = f != nullptr ? f->arg(an) : nullptr;
        if (a == nullptr || !a->context.empty()) continue;
        if (a->required())
          error("CONTEXTUAL_ARGUMENT_NOT_CONTEXTUAL_IN_ALL_SUBGRAPHS",
                "Argument \"" + coordinate + "(" + an +
                    ":)\" is contextual in at least one subgraph but in \"" + coordinate + "(" +
                    an +
                    ":)\" it does not have @fromContext, is not nullable and has no default "
                    "value.");
        else
          hint("CONTEXTUAL_ARGUMENT_NOT_CONTEXTUAL_IN_ALL_SUBGRAPHS",
               "Contextual argument \"" + coordinate + "(" + an +
                   ":)\" will not be included in the supergraph since it is contextual in at "
                   "least one subgraph");
      }
      continue;
    }
    std::vector<std::string> missing, required;
    for (SourceIdx i = 0; i < n; ++i) {
      const Field* f = without_external[i];
      if (f == nullptr) continue;
      const InputValue* a = f->arg(an);
      if (a == nullptr)
        missing.push_back(sg(i).name);
      else if (a->required())
        required.push_back(sg(i).name);
    }
    if (!missing.empty()) {
      if (!required.empty()) {
        error("REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
              "Argument \"" + coordinate + "(" + an +
                  ":)\" is required in some subgraphs but does not appear in all subgraphs: it is "
                  "required in " +
                  subgraph_list(required) + " but does not appear in " + subgraph_list(missing));
      } else {
        hint("INCONSISTENT_ARGUMENT_PRESENCE",
             "Optional argument \"" + coordinate + "(" + an +
                 ":)\" will not be included in the supergraph as it does not appear in all "
                 "subgraphs");
      }
      continue;
    }
    OutArg oa;
    oa.name = an;
    std::string arg_coordinate = coordinate + "(" + an + ":)";
    std::vector<const InputValue*> arg_sources(n, nullptr);
    for (SourceIdx i = 0; i < n; ++i)
      if (without_external[i] != nullptr) arg_sources[i] = without_external[i]->arg(an);
    oa.description = merge_description(arg_sources, arg_coordinate);
    std::vector<const TypeRef*> types(n, nullptr);
    std::vector<const std::optional<std::string>*> defaults(n, nullptr);
    std::vector<const std::vector<Applied>*> apps(n, nullptr);
    for (SourceIdx i = 0; i < n; ++i) {
      if (arg_sources[i] == nullptr) continue;
      types[i] = &arg_sources[i]->type;
      defaults[i] = &arg_sources[i]->default_value;
      apps[i] = &arg_sources[i]->applied;
    }
    merge_applied(apps, oa.directives, arg_coordinate, true, false);
    merge_type_reference(types, oa.type, arg_coordinate, true, true);
    merge_default(defaults, oa.default_value, arg_coordinate, "Argument");
    dest.args.push_back(std::move(oa));
  }
  // Deferred arguments' directives must point at stable storage: register after push_back.
  for (size_t ai = 0; ai < dest.args.size(); ++ai) {
    std::vector<const std::vector<Applied>*> apps(n, nullptr);
    for (SourceIdx i = 0; i < n; ++i)
      if (without_external[i] != nullptr)
        if (const InputValue* a = without_external[i]->arg(dest.args[ai].name))
          apps[i] = &a->applied;
    deferred_.push_back(
        {apps, &dest.args[ai].directives, coordinate + "(" + dest.args[ai].name + ":)"});
  }
  // Type.
  bool any_non_external = false;
  for (const Field* f : without_external)
    if (f != nullptr) any_non_external = true;
  std::vector<const TypeRef*> types(n, nullptr);
  for (SourceIdx i = 0; i < n; ++i) {
    const Field* f = any_non_external ? without_external[i] : fields[i];
    if (f != nullptr) types[i] = &f->type;
  }
  bool all_types_equal = merge_type_reference(types, dest.type, coordinate, false, false);
  // External declarations must agree with the merged type.
  {
    bool bad = false;
    for (SourceIdx i = 0; i < n; ++i) {
      if (fields[i] == nullptr || !fields[i]->external) continue;
      const std::string& t = fields[i]->type.text;
      if (!(t == dest.type || (!all_types_equal && is_strict_subtype(dest.type, t)))) bad = true;
    }
    if (bad)
      error("EXTERNAL_TYPE_MISMATCH", "Type of field \"" + coordinate +
                                          "\" is incompatible across subgraphs (where marked "
                                          "@external): it has ");
    for (SourceIdx i = 0; i < n; ++i) {
      if (fields[i] == nullptr || !fields[i]->external) continue;
      for (const OutArg& a : dest.args) {
        const InputValue* ea = fields[i]->arg(a.name);
        if (ea == nullptr) {
          error("EXTERNAL_ARGUMENT_MISSING", "Field \"" + coordinate + "\" is missing argument \"" +
                                                 coordinate + "(" + a.name +
                                                 ":)\" in some subgraphs where it is marked "
                                                 "@external");
        } else if (ea->type.text != a.type && !is_strict_subtype(ea->type.text, a.type)) {
          error("EXTERNAL_ARGUMENT_TYPE_MISMATCH",
                "Type of argument \"" + coordinate + "(" + a.name +
                    ":)\" is incompatible across subgraphs (where \"" + coordinate +
                    "\" is marked @external)");
        } else if (ea->default_value != a.default_value) {
          error("EXTERNAL_ARGUMENT_DEFAULT_MISMATCH",
                "Argument \"" + coordinate + "(" + a.name +
                    ":)\" has incompatible defaults across subgraphs (where \"" + coordinate +
                    "\" is marked @external)");
        }
      }
    }
  }
  // @join__field
  bool needs = !all_types_equal || has_context_args;
  for (SourceIdx i = 0; i < n && !needs; ++i)
    if (used_overridden[i] || labels[i]) needs = true;
  for (SourceIdx i = 0; i < n && !needs; ++i) {
    const Field* f = fields[i];
    if (f != nullptr && !unused_overridden[i]) {
      if (f->external || f->provides_fields || f->requires_fields) needs = true;
    } else if (sg(i).type(parent.name) != nullptr) {
      needs = true;
    }
  }
  if (needs) {
    for (SourceIdx i = 0; i < n; ++i) {
      const Field* f = fields[i];
      if (f == nullptr || (unused_overridden[i] && !labels[i])) continue;
      std::string d = "@join__field(graph: " + graph(i);
      if (f->requires_fields) d += ", requires: " + quote(*f->requires_fields);
      if (f->provides_fields) d += ", provides: " + quote(*f->provides_fields);
      if (!all_types_equal) d += ", type: " + quote(f->type.text);
      if (f->external) d += ", external: true";
      if (f->override_from) d += ", override: " + quote(*f->override_from);
      if (used_overridden[i]) d += ", usedOverridden: true";
      if (labels[i]) d += ", overrideLabel: " + quote(*labels[i]);
      std::string contexts;
      for (const InputValue& a : f->args) {
        if (a.context.empty()) continue;
        contexts += std::string(contexts.empty() ? "" : ", ") + "{context: " + quote(a.context) +
                    ", name: " + quote(a.name) + ", type: " + quote(a.type.text) +
                    ", selection: " + quote(a.context_selection) + "}";
      }
      if (!contexts.empty()) d += ", contextArguments: [" + contexts + "]";
      dest.directives.push_back(d + ")");
    }
  }
  // Sharing (object types only).
  if (parent.kind == TypeKind::kObject) {
    std::vector<std::string> resolving, shareable, non_shareable;
    SourceIdx targetless = n;
    for (SourceIdx i = 0; i < n; ++i) {
      const Field* f = fields[i];
      if (f == nullptr || used_overridden[i] || unused_overridden[i]) continue;
      bool fully_external = f->external && !f->provided;
      if (fully_external) continue;
      resolving.push_back("\"" + sg(i).name + "\"");
      bool is_shareable = f->shareable || f->in_key || (f->external && f->provided);
      if (is_shareable) {
        shareable.push_back("\"" + sg(i).name + "\"");
      } else {
        non_shareable.push_back("\"" + sg(i).name + "\"");
        if (unknown_target[i]) targetless = i;
      }
    }
    if (!non_shareable.empty() && (!shareable.empty() || non_shareable.size() > 1)) {
      auto list = [](const std::vector<std::string>& l) {
        std::string s = l.size() == 1 ? "subgraph " : "subgraphs ";
        for (size_t i = 0; i < l.size(); ++i) {
          if (i > 0) s += i + 1 == l.size() ? " and " : ", ";
          s += l[i];
        }
        return s;
      };
      std::string msg = "Non-shareable field \"" + coordinate + "\" is resolved from multiple " +
                        "subgraphs: it is resolved from " + list(resolving) +
                        " and defined as non-shareable in " +
                        (shareable.empty() ? std::string("all of them") : list(non_shareable));
      if (targetless != n)
        msg += " (please note that \"" + coordinate + "\" has an @override directive in \"" +
               sg(targetless).name +
               "\" that targets an unknown subgraph so this could be due to misspelling the "
               "@override(from:) argument)";
      CompositionMessage& m = error("INVALID_FIELD_SHARING", msg);
      for (SourceIdx i = 0; i < n; ++i)
        if (fields[i] != nullptr) at(m, sg(i).name, fields[i]->loc);
    }
  }
}

void Merger::merge_object_or_interface(const std::vector<const Type*>& sources, OutType& dest) {
  const size_t n = sources.size();
  bool is_entity = false, has_non_entity = false;
  for (const Type* s : sources) {
    if (s == nullptr) continue;
    (s->keys.empty() ? has_non_entity : is_entity) = true;
  }
  if (dest.kind == TypeKind::kObject && is_entity && has_non_entity)
    hint("INCONSISTENT_ENTITY", "Type \"" + dest.name +
                                    "\" is declared as an entity (has a @key applied) in some but "
                                    "not all defining subgraphs: ");
  if (dest.kind == TypeKind::kInterface) {
    // Resolvable keys on interfaces need every implementation in that subgraph; an
    // @interfaceObject subgraph must define none of them.
    std::vector<std::string> impls;
    for (const OutType& t : types_)
      if (t.kind == TypeKind::kObject &&
          std::find(t.interfaces.begin(), t.interfaces.end(), dest.name) != t.interfaces.end())
        impls.push_back(t.name);
    for (SourceIdx i = 0; i < n; ++i) {
      const Type* s = sources[i];
      if (s == nullptr) continue;
      if (s->interface_object) {
        std::vector<std::string> defined;
        for (const auto& im : impls)
          if (sg(i).type(im) != nullptr) defined.push_back("\"" + im + "\"");
        if (!defined.empty()) {
          std::string list;
          for (size_t k = 0; k < defined.size(); ++k)
            list += (k ? (k + 1 == defined.size() ? " and " : ", ") : "") + defined[k];
          error("INTERFACE_OBJECT_USAGE_ERROR",
                "[" + sg(i).name + "] Interface type \"" + dest.name +
                    "\" is defined as an @interfaceObject in subgraph \"" + sg(i).name +
                    "\" so that subgraph should not define any of the implementation types of \"" +
                    dest.name + "\", but it defines " + (defined.size() > 1 ? "types " : "type ") +
                    list);
        }
        continue;
      }
      const Key* resolvable = nullptr;
      for (const Key& k : s->keys)
        if (!k.resolvable || *k.resolvable) {
          resolvable = &k;
          break;
        }
      if (resolvable == nullptr) continue;
      std::vector<std::string> missing;
      for (const auto& im : impls) {
        const Type* it = sg(i).type(im);
        if (it == nullptr || !it->implements(dest.name)) missing.push_back("\"" + im + "\"");
      }
      if (!missing.empty()) {
        std::string list;
        for (size_t k = 0; k < missing.size(); ++k)
          list += (k ? (k + 1 == missing.size() ? " and " : ", ") : "") + missing[k];
        CompositionMessage& m = error(
            "INTERFACE_KEY_MISSING_IMPLEMENTATION_TYPE",
            "[" + sg(i).name + "] Interface type \"" + dest.name + "\" has a resolvable key (" +
                resolvable->directive_text + ") in subgraph \"" + sg(i).name +
                "\" but that subgraph is missing some of the supergraph implementation types of "
                "\"" +
                dest.name + "\". Subgraph \"" + sg(i).name + "\" should define " +
                (missing.size() > 1 ? "types " : "type ") + list + " (and have " +
                (missing.size() > 1 ? "them" : "it") + " implement \"" + dest.name + "\").");
        at(m, sg(i).name, resolvable->loc);
      }
    }
  }
  // An interface with a @key in some subgraph (as an interface, not an @interfaceObject) is
  // not a value type.
  bool interface_has_key = false;
  for (const Type* s : sources)
    if (s != nullptr && !s->interface_object && !s->keys.empty()) interface_has_key = true;
  // Fields in order: each subgraph's fields in its order, subgraphs in order.
  std::vector<std::string> names;
  for (const Type* s : sources) {
    if (s == nullptr) continue;
    for (const Field& f : s->fields)
      if (std::find(names.begin(), names.end(), f.name) == names.end()) names.push_back(f.name);
  }
  if (names.empty()) {
    dest.removed = true;
    return;
  }
  dest.fields.reserve(names.size());
  for (const std::string& name : names) {
    dest.fields.push_back(OutField{name, {}, {}, {}, {}, {}, false});
  }
  for (size_t fi = 0; fi < names.size(); ++fi) {
    std::vector<const Field*> fields(n, nullptr);
    for (SourceIdx i = 0; i < n; ++i)
      if (sources[i] != nullptr) fields[i] = sources[i]->field(names[fi]);
    if (!is_entity && dest.kind == TypeKind::kObject &&
        !(dest.name == "Query" || dest.name == "Mutation" || dest.name == "Subscription")) {
      for (SourceIdx i = 0; i < n; ++i) {
        if (sources[i] == nullptr || fields[i] != nullptr) continue;
        bool all_ext = true;
        for (const Field& f : sources[i]->fields)
          if (!f.external) all_ext = false;
        if (all_ext) continue;
        hint("INCONSISTENT_OBJECT_VALUE_TYPE_FIELD",
             "Field \"" + dest.name + "." + names[fi] + "\" of non-entity object type \"" +
                 dest.name + "\" is defined in some but not all subgraphs that define \"" +
                 dest.name + "\": ");
        break;
      }
    }
    if (dest.kind == TypeKind::kInterface && !interface_has_key &&
        !provided_by_interface_object(dest.name, names[fi])) {
      // A value-type interface (no @key on the interface in any subgraph): a field missing
      // where the interface is defined (not as an @interfaceObject) gets a hint.
      for (SourceIdx i = 0; i < n; ++i) {
        if (sources[i] == nullptr || sources[i]->interface_object || fields[i] != nullptr) continue;
        bool all_ext = true;
        for (const Field& f : sources[i]->fields)
          if (!f.external) all_ext = false;
        if (all_ext) continue;
        hint("INCONSISTENT_INTERFACE_VALUE_TYPE_FIELD",
             "Field \"" + dest.name + "." + names[fi] + "\" of interface type \"" + dest.name +
                 "\" is defined in some but not all subgraphs that define \"" + dest.name + "\": ");
        break;
      }
    }
    if (dest.name == "Subscription" && dest.kind == TypeKind::kObject) {
      for (SourceIdx i = 0; i < n; ++i)
        if (fields[i] != nullptr && fields[i]->shareable)
          error("INVALID_FIELD_SHARING",
                "Fields on root level subscription object cannot be marked as shareable");
    }
    merge_field(sources, fields, dest, dest.fields[fi]);
  }
}

void Merger::merge_union(const std::vector<const Type*>& sources, OutType& dest) {
  for (const Type* s : sources) {
    if (s == nullptr) continue;
    for (const auto& m : s->members)
      if (std::find(dest.members.begin(), dest.members.end(), m) == dest.members.end())
        dest.members.push_back(m);
  }
}

void Merger::merge_enum(const std::vector<const Type*>& sources, OutType& dest) {
  auto it = enum_usage_.find(dest.name);
  EnumUsage usage;
  if (it == enum_usage_.end()) {
    usage.position = "Output";
    hint("UNUSED_ENUM_TYPE", "Enum type \"" + dest.name +
                                 "\" is defined but unused. It will be included in the supergraph "
                                 "with all the values appearing in any subgraph (\"as if\" it was "
                                 "only used as an output type).");
  } else {
    usage = it->second;
  }
  std::vector<std::string> names;
  for (const Type* s : sources) {
    if (s == nullptr) continue;
    for (const auto& v : s->values)
      if (std::find(names.begin(), names.end(), v.name) == names.end()) names.push_back(v.name);
  }
  dest.values.reserve(names.size());
  for (const auto& name : names) {
    OutValue ov;
    ov.name = name;
    dest.values.push_back(std::move(ov));
  }
  for (OutValue& ov : dest.values) {
    std::vector<const EnumValue*> vs(sources.size(), nullptr);
    std::vector<const std::vector<Applied>*> apps(sources.size(), nullptr);
    std::vector<std::string> in, out;
    for (SourceIdx i = 0; i < sources.size(); ++i) {
      if (sources[i] == nullptr) continue;
      vs[i] = sources[i]->value(ov.name);
      if (vs[i] != nullptr) {
        apps[i] = &vs[i]->applied;
        in.push_back(sg(i).name);
      } else {
        out.push_back(sg(i).name);
      }
    }
    ov.description = merge_description(vs, dest.name + "." + ov.name);
    merge_applied(apps, ov.directives, dest.name + "." + ov.name, true, false);
    deferred_.push_back({apps, &ov.directives, dest.name + "." + ov.name});
    for (SourceIdx i = 0; i < sources.size(); ++i)
      if (vs[i] != nullptr) ov.directives.push_back("@join__enumValue(graph: " + graph(i) + ")");
    bool inaccessible = false;
    for (const auto& d : ov.directives)
      if (d == "@" + out_name("inaccessible")) inaccessible = true;
    if (out.empty()) continue;
    std::string detail = "\"" + ov.name + "\" is defined in " + subgraph_list(in) + " but not in " +
                         subgraph_list(out);
    if (!inaccessible && usage.position == "Both") {
      error("ENUM_VALUE_MISMATCH", "Enum type \"" + dest.name +
                                       "\" is used as both input type (for example, as type of \"" +
                                       usage.input_example +
                                       "\") and output type (for example, as type of \"" +
                                       usage.output_example + "\"), but value \"" + ov.name +
                                       "\" is not defined in all the subgraphs defining \"" +
                                       dest.name + "\": " + detail + ".");
    } else if (!inaccessible && usage.position == "Input") {
      hint("INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM",
           "Value \"" + ov.name + "\" of enum type \"" + dest.name +
               "\" will not be part of the supergraph as it is not defined in all the subgraphs "
               "defining \"" +
               dest.name + "\": " + detail + ".");
      ov.removed = true;
    } else if (usage.position == "Output") {
      hint("INCONSISTENT_ENUM_VALUE_FOR_OUTPUT_ENUM",
           "Value \"" + ov.name + "\" of enum type \"" + dest.name +
               "\" has been added to the supergraph but is only defined in a subset of the "
               "subgraphs defining \"" +
               dest.name + "\": " + detail + ".");
    }
  }
  bool any = false;
  for (const auto& v : dest.values)
    if (!v.removed) any = true;
  if (!any)
    error("EMPTY_MERGED_ENUM_TYPE",
          "None of the values of enum type \"" + dest.name +
              "\" are defined consistently in all the subgraphs defining that type. As only "
              "values common to all subgraphs are merged, this would result in an empty type.");
}

void Merger::merge_input(const std::vector<const Type*>& sources, OutType& dest) {
  const size_t n = sources.size();
  std::vector<std::string> names;
  for (const Type* s : sources) {
    if (s == nullptr) continue;
    for (const auto& f : s->fields)
      if (std::find(names.begin(), names.end(), f.name) == names.end()) names.push_back(f.name);
  }
  dest.fields.reserve(names.size());
  for (const auto& name : names)
    dest.fields.push_back(OutField{name, {}, {}, {}, {}, {}, false});
  for (OutField& of : dest.fields) {
    std::string coordinate = dest.name + "." + of.name;
    std::vector<const Field*> fs(n, nullptr);
    std::vector<std::string> missing, required;
    for (SourceIdx i = 0; i < n; ++i) {
      if (sources[i] == nullptr) continue;
      fs[i] = sources[i]->field(of.name);
      if (fs[i] == nullptr)
        missing.push_back(sg(i).name);
      else if (fs[i]->args[0].required())
        required.push_back(sg(i).name);
    }
    of.description = merge_description(fs, coordinate);
    std::vector<const std::vector<Applied>*> apps(n, nullptr);
    std::vector<const TypeRef*> types(n, nullptr);
    std::vector<const std::optional<std::string>*> defaults(n, nullptr);
    for (SourceIdx i = 0; i < n; ++i) {
      if (fs[i] == nullptr) continue;
      apps[i] = &fs[i]->applied;
      types[i] = &fs[i]->type;
      defaults[i] = &fs[i]->args[0].default_value;
    }
    merge_applied(apps, of.directives, coordinate, true, false);
    deferred_.push_back({apps, &of.directives, coordinate});
    bool all_equal = merge_type_reference(types, of.type, coordinate, true, false);
    // join__field for input fields: only when types differ or a subgraph defining the type
    // lacks the field.
    bool needs = !all_equal;
    for (SourceIdx i = 0; i < n && !needs; ++i)
      if (fs[i] == nullptr && sg(i).type(dest.name) != nullptr) needs = true;
    if (needs)
      for (SourceIdx i = 0; i < n; ++i)
        if (fs[i] != nullptr)
          of.directives.push_back("@join__field(graph: " + graph(i) +
                                  (all_equal ? "" : ", type: " + quote(fs[i]->type.text)) + ")");
    merge_default(defaults, of.default_value, coordinate, "Input field");
    bool inaccessible = false;
    for (const auto& d : of.directives)
      if (d == "@" + out_name("inaccessible")) inaccessible = true;
    if (!inaccessible && !missing.empty()) {
      if (!required.empty())
        error("REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
              "Input object field \"" + coordinate +
                  "\" is required in some subgraphs but does not appear in all subgraphs: it is "
                  "required in " +
                  subgraph_list(required) + " but does not appear in " + subgraph_list(missing));
      else {
        std::vector<std::string> in;
        for (SourceIdx i = 0; i < n; ++i)
          if (fs[i] != nullptr) in.push_back(sg(i).name);
        hint("INCONSISTENT_INPUT_OBJECT_FIELD",
             "Input object field \"" + of.name + "\" will not be added to \"" + dest.name +
                 "\" in the supergraph as it does not appear in all subgraphs: it is defined in " +
                 subgraph_list(in) + " but not in " + subgraph_list(missing) + ".");
      }
      of.removed = true;
    }
  }
  bool any = false;
  for (const auto& f : dest.fields)
    if (!f.removed) any = true;
  if (!any)
    error("EMPTY_MERGED_INPUT_TYPE",
          "None of the fields of input object type \"" + dest.name +
              "\" are consistently defined in all the subgraphs defining that type. As only "
              "fields common to all subgraphs are merged, this would result in an empty type.");
}

void Merger::merge_type(OutType& dest) {
  auto sources = sources_of(dest);
  // Extension with no base (root types excepted).
  bool is_root = dest.name == "Query" || dest.name == "Mutation" || dest.name == "Subscription";
  if (!is_root) {
    bool has_def = false;
    std::vector<SourceIdx> ext;
    for (SourceIdx i = 0; i < sources.size(); ++i) {
      if (sources[i] == nullptr) continue;
      if (sources[i]->has_definition || !sg(i).fed2) has_def = true;
      if (sources[i]->has_extension && sg(i).fed2) ext.push_back(i);
    }
    if (!ext.empty() && !has_def)
      for (SourceIdx i : ext) {
        CompositionMessage& m =
            error("EXTENSION_WITH_NO_BASE", "[" + sg(i).name + "] Type \"" + dest.name +
                                                "\" is an extension type, but there is no type "
                                                "definition for \"" +
                                                dest.name + "\" in any subgraph.");
        at(m, sg(i).name, sources[i]->loc);
      }
  }
  dest.description = merge_description(sources, dest.name);
  add_join_type(sources, dest);
  std::vector<const std::vector<Applied>*> apps;
  for (const Type* s : sources)
    apps.push_back(s ? &s->applied : nullptr);
  merge_applied(apps, dest.directives, dest.name, true, false);
  deferred_.push_back({apps, &dest.directives, dest.name, dest.kind == TypeKind::kInterface});
  switch (dest.kind) {
    case TypeKind::kObject:
    case TypeKind::kInterface: merge_object_or_interface(sources, dest); break;
    case TypeKind::kUnion:
      for (const std::string& m : dest.members) {
        for (SourceIdx i = 0; i < sources.size(); ++i)
          if (sources[i] != nullptr && sources[i]->has_member(m))
            dest.directives.push_back("@join__unionMember(graph: " + graph(i) +
                                      ", member: " + quote(m) + ")");
        for (SourceIdx i = 0; i < sources.size(); ++i)
          if (sources[i] != nullptr && !sources[i]->has_member(m)) {
            hint("INCONSISTENT_UNION_MEMBER", "Union type \"" + dest.name +
                                                  "\" includes member type \"" + m +
                                                  "\" in some but not all defining subgraphs: ");
            break;
          }
      }
      break;
    case TypeKind::kEnum: merge_enum(sources, dest); break;
    case TypeKind::kInputObject: merge_input(sources, dest); break;
    case TypeKind::kScalar: break;
  }
}

std::string Merger::run() {
  const size_t n = sgs_.size();
  // join__Graph values: upper-cased names, non-alphanumerics as '_', unique.
  std::set<std::string> taken;
  for (SourceIdx i = 0; i < n; ++i) {
    std::string g;
    for (char c : sg(i).name)
      g += std::isalnum(static_cast<unsigned char>(c))
               ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
               : '_';
    if (g.empty() || std::isdigit(static_cast<unsigned char>(g[0]))) g = "_" + g;
    std::string candidate = g;
    for (int k = 1; taken.count(candidate); ++k)
      candidate = g + "_" + std::to_string(k);
    taken.insert(candidate);
    graph_names_.push_back(candidate);
  }
  int max_minor = 0;
  for (SourceIdx i = 0; i < n; ++i)
    if (sg(i).fed2) max_minor = std::max(max_minor, sg(i).fed_minor);
  join_minor_ = max_minor >= 8 ? 5 : max_minor >= 7 ? 4 : 3;

  // Types, shallow.
  std::map<std::string, std::vector<std::pair<TypeKind, SourceIdx>>> kinds;
  std::set<std::string> mismatched;
  for (SourceIdx i = 0; i < n; ++i) {
    for (const Type& t : sg(i).types) {
      TypeKind k = effective_kind(t);
      kinds[t.name].push_back({t.interface_object ? TypeKind::kObject : k, i});
      auto it = type_index_.find(t.name);
      if (it == type_index_.end()) {
        type_index_[t.name] = types_.size();
        OutType ot;
        ot.kind = k;
        ot.name = t.name;
        types_.push_back(std::move(ot));
      } else if (types_[it->second].kind != k) {
        mismatched.insert(t.name);
      }
    }
  }
  for (const std::string& name : mismatched) {
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;
    for (auto [k, i] : kinds[name]) {
      const Type* t = sg(i).type(name);
      std::string label = t->interface_object
                              ? "Interface Object Type (Object Type with @interfaceObject)"
                              : std::string(type_kind_label(k));
      auto g =
          std::find_if(groups.begin(), groups.end(), [&](auto& p) { return p.first == label; });
      if (g == groups.end())
        groups.push_back({label, {sg(i).name}});
      else
        g->second.push_back(sg(i).name);
    }
    std::string msg = "Type \"" + name + "\" has mismatched kind: it is defined as ";
    for (size_t gi = 0; gi < groups.size(); ++gi) {
      if (gi > 0) msg += gi + 1 == groups.size() ? " and " : ", ";
      msg += groups[gi].first + " in " + subgraph_list(groups[gi].second);
    }
    CompositionMessage& m = error("TYPE_KIND_MISMATCH", msg);
    for (auto [k, i] : kinds[name])
      at(m, sg(i).name, sg(i).type(name)->loc);
  }
  // Interface objects need a real interface somewhere.
  for (const OutType& t : types_) {
    if (t.kind != TypeKind::kInterface || mismatched.count(t.name)) continue;
    bool real = false, object = false;
    std::vector<std::string> defining;
    for (SourceIdx i = 0; i < n; ++i) {
      const Type* st = sg(i).type(t.name);
      if (st == nullptr) continue;
      defining.push_back(sg(i).name);
      if (st->kind == TypeKind::kInterface) real = true;
      if (st->interface_object) object = true;
    }
    if (object && !real)
      error("INTERFACE_OBJECT_USAGE_ERROR",
            "Type \"" + t.name +
                "\" is declared with @interfaceObject in all the subgraphs in which it is defined "
                "(it is defined in " +
                subgraph_list(defining) +
                " but should be defined as an interface in at least one subgraph)");
  }
  if (!diag_.errors.empty()) return "";
  // Composed directives (@composeDirective): the definition and the feature's @link.
  {
    std::vector<std::string> seen;
    for (SourceIdx i = 0; i < n; ++i) {
      for (const auto& [local, feature] : sg(i).composed) {
        if (std::find(seen.begin(), seen.end(), local) != seen.end()) continue;
        const DirectiveDefinition* def = nullptr;
        for (const auto& d : sg(i).directive_defs)
          if (d.name == local) def = &d;
        if (def == nullptr) {
          error("DIRECTIVE_COMPOSITION_ERROR", "Directive \"@" + local + "\" in subgraph \"" +
                                                   sg(i).name +
                                                   "\" cannot be composed because it is not "
                                                   "defined");
          continue;
        }
        seen.push_back(local);
        composed_repeatable_.push_back({local, def->repeatable});
        std::string locs;
        for (size_t k = 0; k < def->locations.size(); ++k)
          locs += (k ? " | " : "") + def->locations[k];
        composed_definitions_.push_back("directive @" + local + def->printed_args +
                                        (def->repeatable ? " repeatable" : "") + " on " + locs);
        std::string link = "@link(url: " + quote(feature.url);
        bool exists = false;
        for (auto& l : composed_links_)
          if (l.rfind(link, 0) == 0) {
            exists = true;
            l.insert(l.size() - 2, ", \"@" + local + "\"");
          }
        if (!exists) composed_links_.push_back(link + ", import: [\"@" + local + "\"])");
      }
    }
  }
  merge_executable_directives();
  check_spec_names();
  if (!diag_.errors.empty()) return "";
  // Implementations.
  for (OutType& t : types_) {
    if (t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) continue;
    auto sources = sources_of(t);
    for (SourceIdx i = 0; i < n; ++i) {
      if (sources[i] == nullptr) continue;
      for (const std::string& itf : sources[i]->interfaces) {
        t.directives.push_back("@join__implements(graph: " + graph(i) +
                               ", interface: " + quote(itf) + ")");
        if (std::find(t.interfaces.begin(), t.interfaces.end(), itf) == t.interfaces.end())
          t.interfaces.push_back(itf);
      }
    }
  }
  for (OutType& t : types_)
    if (t.kind == TypeKind::kUnion) merge_union(sources_of(t), t);
  for (TypeKind k : {TypeKind::kUnion, TypeKind::kScalar, TypeKind::kInputObject,
                     TypeKind::kInterface, TypeKind::kObject, TypeKind::kEnum})
    for (size_t ti = 0; ti < types_.size(); ++ti)
      if (types_[ti].kind == k) merge_type(types_[ti]);
  auto exists = [&](const std::string& name) {
    auto it = type_index_.find(name);
    return it != type_index_.end() && !types_[it->second].removed;
  };
  if (!exists("Query"))
    error("NO_QUERIES",
          "No queries found in any subgraph: a supergraph must have a query root type.");
  // Schema-level @tag and composed directives.
  std::vector<std::string> schema_applied;
  {
    std::vector<const std::vector<Applied>*> apps;
    for (SourceIdx i = 0; i < n; ++i)
      apps.push_back(&sg(i).schema_applied);
    deferred_.push_back({apps, &schema_applied, ""});
  }
  const AuthSources auth_extra = auth_sources_from_implementations();
  for (const Deferred& d : deferred_) {
    auto extra = d.auth_first ? auth_extra.find(d.coordinate) : auth_extra.end();
    merge_applied(d.sources, *d.dest, d.coordinate, false, true, d.auth_first,
                  extra == auth_extra.end() ? nullptr : &extra->second);
  }
  // Fields provided by an @interfaceObject are added to the implementations.
  for (OutType& t : types_) {
    if (t.kind != TypeKind::kObject || t.removed) continue;
    for (const std::string& itf_name : t.interfaces) {
      auto it = type_index_.find(itf_name);
      if (it == type_index_.end()) continue;
      const OutType& itf = types_[it->second];
      for (const OutField& itf_field : itf.fields) {
        if (itf_field.removed) continue;
        bool provided = false;
        for (SourceIdx i = 0; i < n; ++i) {
          const Type* st = sg(i).type(itf_name);
          if (st == nullptr || !st->interface_object) continue;
          const Field* f = st->field(itf_field.name);
          if (f != nullptr && !f->external) provided = true;
        }
        if (!provided || t.field(itf_field.name) != nullptr) continue;
        OutField nf;
        nf.name = itf_field.name;
        nf.description = itf_field.description;
        nf.type = itf_field.type;
        // Its authorization directives are those of the @interfaceObject fields only (not the
        // ones the interface field gathered from other implementations); then the interface
        // field's other directives.
        std::string coordinate = t.name + "." + nf.name;
        if (auto extra = auth_extra.find(coordinate); extra != auth_extra.end())
          merge_applied({}, nf.directives, coordinate, false, true, true, &extra->second, true);
        for (const auto& d : itf_field.directives)
          if (d.rfind("@join__", 0) != 0 && !is_auth_application(d)) nf.directives.push_back(d);
        for (const OutArg& a : itf_field.args) {
          OutArg na = a;
          std::erase_if(na.directives,
                        [](const std::string& d) { return d.rfind("@join__", 0) == 0; });
          nf.args.push_back(std::move(na));
        }
        nf.directives.push_back("@join__field");
        t.fields.push_back(std::move(nf));
      }
    }
  }
  // Post-merge checks (only on an otherwise valid merge, as Apollo): every field of an
  // interface must be on each implementation of the supergraph.
  const bool post_merge_checks = diag_.errors.empty();
  for (const OutType& t : types_) {
    if (!post_merge_checks) break;
    if ((t.kind != TypeKind::kObject && t.kind != TypeKind::kInterface) || t.removed) continue;
    for (const std::string& itf_name : t.interfaces) {
      auto it = type_index_.find(itf_name);
      if (it == type_index_.end()) continue;
      for (const OutField& itf_field : types_[it->second].fields) {
        if (itf_field.removed || const_cast<OutType&>(t).field(itf_field.name) != nullptr) continue;
        std::vector<std::string> with_field, implementing;
        for (SourceIdx i = 0; i < sgs_.size(); ++i) {
          const Type* si = sg(i).type(itf_name);
          if (si != nullptr && si->kind == TypeKind::kInterface && si->field(itf_field.name))
            with_field.push_back(sg(i).name);
          const Type* st = sg(i).type(t.name);
          if (st != nullptr && st->implements(itf_name)) implementing.push_back(sg(i).name);
        }
        error("INTERFACE_FIELD_NO_IMPLEM",
              "Interface field \"" + itf_name + "." + itf_field.name + "\" is declared in " +
                  subgraph_list(with_field) + " but type \"" + t.name + "\", which implements \"" +
                  itf_name + "\" only in " + subgraph_list(implementing) +
                  " does not have field \"" + itf_field.name + "\".");
      }
    }
  }
  if (!diag_.errors.empty()) return "";
  return print(schema_applied);
}

// A spec directive must be applied under one name in every subgraph that applies it.
void Merger::check_spec_names() {
  for (const char* spec : {"tag", "inaccessible", "authenticated", "requiresScopes", "policy"}) {
    std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // local -> subgraphs
    int max_minor = 0;
    for (SourceIdx i = 0; i < sgs_.size(); ++i) {
      auto it = sg(i).applied_local_names.find(spec);
      if (it == sg(i).applied_local_names.end()) continue;
      max_minor = std::max(max_minor, sg(i).fed_minor);
      auto g = std::find_if(groups.begin(), groups.end(),
                            [&](auto& p) { return p.first == it->second; });
      if (g == groups.end())
        groups.push_back({it->second, {sg(i).name}});
      else
        g->second.push_back(sg(i).name);
    }
    if (groups.size() == 1 && groups[0].first != spec) spec_names_[spec] = groups[0].first;
    if (groups.size() < 2) continue;
    std::string msg = std::string("The \"@") + spec +
                      "\" directive (from https://specs.apollo.dev/federation/v2." +
                      std::to_string(max_minor) +
                      ") is imported with mismatched name between subgraphs: it is imported as ";
    for (size_t k = 0; k < groups.size(); ++k) {
      if (k > 0) msg += k + 1 == groups.size() ? " but " : ", ";
      msg += "\"@" + groups[k].first + "\" in " + subgraph_list(groups[k].second);
    }
    error("LINK_IMPORT_NAME_MISMATCH", msg);
  }
}

// Executable directives (with a location in operations) are kept when every subgraph defines
// them, with the locations common to all.
void Merger::merge_executable_directives() {
  static const std::set<std::string> kExecutable = {
      "QUERY",           "MUTATION",        "SUBSCRIPTION",       "FIELD", "FRAGMENT_DEFINITION",
      "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION"};
  std::vector<std::string> names;
  for (SourceIdx i = 0; i < sgs_.size(); ++i)
    for (const DirectiveDefinition& d : sg(i).directive_defs) {
      bool composed = false;
      for (const auto& c : composed_repeatable_)
        if (c.first == d.name) composed = true;
      bool executable = false;
      for (const auto& l : d.locations)
        if (kExecutable.count(l)) executable = true;
      if (!composed && executable && std::find(names.begin(), names.end(), d.name) == names.end())
        names.push_back(d.name);
    }
  for (const std::string& name : names) {
    std::vector<const DirectiveDefinition*> defs;
    bool everywhere = true;
    for (SourceIdx i = 0; i < sgs_.size(); ++i) {
      const DirectiveDefinition* found = nullptr;
      for (const DirectiveDefinition& d : sg(i).directive_defs)
        if (d.name == name) found = &d;
      if (found == nullptr) everywhere = false;
      defs.push_back(found);
    }
    if (!everywhere) {
      hint("INCONSISTENT_EXECUTABLE_DIRECTIVE_PRESENCE",
           "Executable directive \"@" + name +
               "\" will not be part of the supergraph as it does not appear in all subgraphs");
      continue;
    }
    std::vector<std::string> locations;
    bool first = true, inconsistent_locations = false, repeatable = true,
         inconsistent_repeatable = false;
    for (const DirectiveDefinition* d : defs) {
      std::vector<std::string> own;
      for (const auto& l : d->locations)
        if (kExecutable.count(l)) own.push_back(l);
      std::sort(own.begin(), own.end());
      if (first) {
        locations = own;
        repeatable = d->repeatable;
      } else {
        if (own != locations) inconsistent_locations = true;
        std::erase_if(locations, [&](const std::string& l) {
          return std::find(own.begin(), own.end(), l) == own.end();
        });
        if (d->repeatable != repeatable) {
          inconsistent_repeatable = true;
          repeatable = false;
        }
      }
      first = false;
    }
    if (locations.empty()) {
      hint(
          "NO_EXECUTABLE_DIRECTIVE_LOCATIONS_INTERSECTION",
          "Executable directive \"@" + name + "\" has no location that is common to all subgraphs");
      continue;
    }
    if (inconsistent_repeatable)
      hint("INCONSISTENT_EXECUTABLE_DIRECTIVE_REPEATABLE",
           "Executable directive \"@" + name +
               "\" will not be marked repeatable in the supergraph as it is inconsistently marked "
               "repeatable in subgraphs");
    if (inconsistent_locations)
      hint("INCONSISTENT_EXECUTABLE_DIRECTIVE_LOCATIONS",
           "Executable directive \"@" + name + "\" has inconsistent locations across subgraphs");
    // Arguments: those every subgraph has, typed and defaulted as in the first.
    std::string args;
    for (const graphql::InputValueDefinition* a : defs[0]->ast->arguments) {
      bool in_all = true;
      for (const DirectiveDefinition* d : defs) {
        bool has = false;
        for (const graphql::InputValueDefinition* b : d->ast->arguments)
          if (b->name.value == a->name.value) has = true;
        if (!has) in_all = false;
      }
      if (!in_all) continue;
      args +=
          (args.empty() ? "" : ", ") + std::string(a->name.value) + ": " + graphql::print(*a->type);
      if (a->default_value) args += " = " + print_value(*a->default_value);
    }
    std::string locs;
    for (size_t k = 0; k < locations.size(); ++k)
      locs += (k ? " | " : "") + locations[k];
    std::optional<std::string> description;
    for (const DirectiveDefinition* d : defs)
      if (d->ast->description) {
        description = std::string(d->ast->description->value);
        break;
      }
    executable_definitions_.push_back(
        {name, print_description(description, "", true) + "directive @" + name +
                   (args.empty() ? "" : "(" + args + ")") + (repeatable ? " repeatable" : "") +
                   " on " + locs});
  }
}

const std::vector<std::string>& Merger::link_order() {
  if (!link_order_.empty()) return link_order_;
  // The spec links in the order Apollo composition adds them: subgraph by subgraph, and in a
  // subgraph in the order the federation spec defines the directives applied there.
  static const char* const kSpecOrder[] = {
      "tag", "inaccessible", "authenticated", "requiresScopes", "policy", "context", "cost"};
  auto spec_of = [](const std::string& name) {
    return name == "listSize" ? std::string("cost") : name;
  };
  for (const auto& sg : sgs_) {
    std::set<std::string> here;
    auto note = [&](const std::vector<Applied>& applied) {
      for (const Applied& a : applied)
        here.insert(spec_of(a.name));
    };
    note(sg->schema_applied);
    for (const Type& t : sg->types) {
      note(t.applied);
      if (!t.contexts.empty()) here.insert("context");
      for (const Field& f : t.fields) {
        note(f.applied);
        for (const InputValue& a : f.args) {
          note(a.applied);
          if (a.from_context) here.insert("context");
        }
      }
      for (const EnumValue& v : t.values)
        note(v.applied);
    }
    for (const char* spec : kSpecOrder)
      if (here.count(spec) &&
          std::find(link_order_.begin(), link_order_.end(), spec) == link_order_.end())
        link_order_.push_back(spec);
  }
  for (const char* spec : kSpecOrder)  // used, but not seen above: keep the spec order
    if (std::find(link_order_.begin(), link_order_.end(), spec) == link_order_.end())
      link_order_.push_back(spec);
  return link_order_;
}

std::string Merger::print(const std::vector<std::string>& schema_directives) {
  auto exists = [&](const std::string& name) {
    auto it = type_index_.find(name);
    return it != type_index_.end() && !types_[it->second].removed;
  };
  std::string out = "schema\n  @link(url: \"https://specs.apollo.dev/link/v1.0\")\n";
  out += "  @link(url: \"https://specs.apollo.dev/join/v0." + std::to_string(join_minor_) +
         "\", for: EXECUTION)\n";
  for (const std::string& spec : link_order()) {
    if (spec == "tag" && used_specs_.count("tag"))
      out += "  @link(url: \"https://specs.apollo.dev/tag/v0.3\"" + import_clause("tag") + ")\n";
    if (spec == "inaccessible" && used_specs_.count("inaccessible"))
      out += "  @link(url: \"https://specs.apollo.dev/inaccessible/v0.2\", for: SECURITY" +
             import_clause("inaccessible") + ")\n";
    if (spec == "authenticated" && used_specs_.count("authenticated"))
      out += "  @link(url: \"https://specs.apollo.dev/authenticated/v0.1\", for: SECURITY" +
             import_clause("authenticated") + ")\n";
    if (spec == "requiresScopes" && used_specs_.count("requiresScopes"))
      out += "  @link(url: \"https://specs.apollo.dev/requiresScopes/v0.1\", for: SECURITY" +
             import_clause("requiresScopes") + ")\n";
    if (spec == "policy" && used_specs_.count("policy"))
      out += "  @link(url: \"https://specs.apollo.dev/policy/v0.1\", for: SECURITY" +
             import_clause("policy") + ")\n";
    if (spec == "context" && used_specs_.count("context"))
      out += "  @link(url: \"https://specs.apollo.dev/context/v0.1\", for: SECURITY)\n";
    if (spec == "cost" && (used_specs_.count("cost") || used_specs_.count("listSize")))
      out += std::string("  @link(url: \"https://specs.apollo.dev/cost/v0.1\"") +
             (used_specs_.count("listSize") ? ", import: [\"@listSize\"]" : "") + ")\n";
  }
  if (used_specs_.count("cacheTag"))
    out += "  @link(url: \"https://specs.apollo.dev/cacheTag/v0.1\", for: EXECUTION)\n";
  for (const auto& l : composed_links_)
    out += "  " + l + "\n";
  for (const auto& d : schema_directives)
    out += "  " + d + "\n";
  out += "{\n";
  if (exists("Query")) out += "  query: Query\n";
  if (exists("Mutation")) out += "  mutation: Mutation\n";
  if (exists("Subscription")) out += "  subscription: Subscription\n";
  out += "}";

  std::vector<std::pair<std::string, std::string>> directives;  // name, printed
  auto add_dir = [&](const std::string& name, const std::string& text) {
    directives.push_back({name, text});
  };
  if (join_minor_ >= 4)
    add_dir("join__directive",
            "directive @join__directive(graphs: [join__Graph!], name: String!, args: "
            "join__DirectiveArguments) repeatable on SCHEMA | OBJECT | INTERFACE | "
            "FIELD_DEFINITION");
  add_dir("join__enumValue",
          "directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE");
  std::string jf =
      "directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: "
      "join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean";
  if (join_minor_ >= 4) jf += ", overrideLabel: String";
  if (join_minor_ >= 5) jf += ", contextArguments: [join__ContextArgument!]";
  add_dir("join__field", jf + ") repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION");
  add_dir("join__graph", "directive @join__graph(name: String!, url: String!) on ENUM_VALUE");
  add_dir("join__implements",
          "directive @join__implements(graph: join__Graph!, interface: String!) repeatable on "
          "OBJECT | INTERFACE");
  add_dir("join__type",
          "directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = "
          "false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on "
          "OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR");
  add_dir("join__unionMember",
          "directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION");
  add_dir("link",
          "directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) "
          "repeatable on SCHEMA");
  if (used_specs_.count("tag"))
    add_dir(out_name("tag"),
            "directive @" + out_name("tag") +
                "(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | "
                "UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | "
                "INPUT_FIELD_DEFINITION | SCHEMA");
  if (used_specs_.count("inaccessible"))
    add_dir(out_name("inaccessible"),
            "directive @" + out_name("inaccessible") +
                " on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | "
                "ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | "
                "INPUT_FIELD_DEFINITION");
  if (used_specs_.count("authenticated"))
    add_dir(out_name("authenticated"),
            "directive @" + out_name("authenticated") +
                " on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM");
  if (used_specs_.count("requiresScopes"))
    add_dir(out_name("requiresScopes"),
            "directive @" + out_name("requiresScopes") +
                "(scopes: [[requiresScopes__Scope!]!]!) on FIELD_DEFINITION "
                "| OBJECT | INTERFACE | SCALAR | ENUM");
  if (used_specs_.count("context")) {
    add_dir("context",
            "directive @context(name: String!) repeatable on INTERFACE | OBJECT | UNION");
    add_dir("context__fromContext",
            "directive @context__fromContext(field: context__ContextFieldValue) on "
            "ARGUMENT_DEFINITION");
  }
  if (used_specs_.count("cost") || used_specs_.count("listSize")) {
    add_dir("cost",
            "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | "
            "INPUT_FIELD_DEFINITION | OBJECT | SCALAR");
    std::string ls = used_specs_.count("listSize") ? "listSize" : "cost__listSize";
    add_dir(ls, "directive @" + ls +
                    "(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], "
                    "requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION");
  }
  if (used_specs_.count("policy"))
    add_dir(out_name("policy"),
            "directive @" + out_name("policy") +
                "(policies: [[policy__Policy!]!]!) on FIELD_DEFINITION | OBJECT | "
                "INTERFACE | SCALAR | ENUM");
  for (size_t i = 0; i < composed_definitions_.size(); ++i)
    add_dir(composed_repeatable_[i].first, composed_definitions_[i]);
  for (const auto& [name, text] : executable_definitions_)
    add_dir(name, text);
  std::stable_sort(directives.begin(), directives.end(),
                   [](auto& a, auto& b) { return collate_less(a.first, b.first); });

  std::vector<const OutType*> types;
  std::vector<OutType> machinery;
  machinery.reserve(10);
  auto scalar = [&](const std::string& name) {
    OutType t;
    t.kind = TypeKind::kScalar;
    t.name = name;
    machinery.push_back(std::move(t));
  };
  scalar("join__FieldSet");
  scalar("link__Import");
  if (join_minor_ >= 4) scalar("join__DirectiveArguments");
  if (join_minor_ >= 5) {
    scalar("join__FieldValue");
    OutType ca;
    ca.kind = TypeKind::kInputObject;
    ca.name = "join__ContextArgument";
    for (const char* f : {"name", "type", "context"})
      ca.fields.push_back(OutField{f, {}, "String!", {}, {}, {}, false});
    ca.fields.push_back(OutField{"selection", {}, "join__FieldValue!", {}, {}, {}, false});
    machinery.push_back(std::move(ca));
  }
  if (used_specs_.count("requiresScopes")) scalar("requiresScopes__Scope");
  if (used_specs_.count("policy")) scalar("policy__Policy");
  if (used_specs_.count("context")) scalar("context__ContextFieldValue");
  {
    OutType g;
    g.kind = TypeKind::kEnum;
    g.name = "join__Graph";
    for (SourceIdx i = 0; i < sgs_.size(); ++i)
      g.values.push_back(
          OutValue{graph(i),
                   {},
                   {"@join__graph(name: " + quote(sg(i).name) + ", url: " + quote(sg(i).url) + ")"},
                   false});
    machinery.push_back(std::move(g));
    OutType p;
    p.kind = TypeKind::kEnum;
    p.name = "link__Purpose";
    p.values.push_back(OutValue{
        "SECURITY",
        std::string("`SECURITY` features provide metadata necessary to securely resolve fields."),
        {},
        false});
    p.values.push_back(OutValue{
        "EXECUTION",
        std::string("`EXECUTION` features provide metadata necessary for operation execution."),
        {},
        false});
    machinery.push_back(std::move(p));
  }
  for (const OutType& t : machinery)
    types.push_back(&t);
  for (const OutType& t : types_)
    if (!t.removed) types.push_back(&t);
  std::stable_sort(types.begin(), types.end(), [](const OutType* a, const OutType* b) {
    return collate_less(a->name, b->name);
  });
  for (const auto& d : directives)
    out += "\n\n" + d.second;
  for (const OutType* t : types)
    out += "\n\n" + print_type(*t);
  return out + "\n";
}

}  // namespace

std::string merge_subgraphs(const std::vector<std::unique_ptr<SubgraphSchema>>& subgraphs,
                            const ComposeOptions& options, Diagnostics& diag) {
  (void)options;
  Merger m(subgraphs, diag);
  return m.run();
}

}  // namespace orbit::federation::composition
