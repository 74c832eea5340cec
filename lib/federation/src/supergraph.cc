#include "orbit/federation/supergraph.h"

#include <algorithm>
#include <array>

#include "api_schema.h"
#include "orbit/federation/field_set.h"
#include "orbit/graphql/parser.h"

namespace orbit::federation {

using graphql::Directive;
using graphql::FieldDef;
using graphql::Kind;
using graphql::TypeDef;
using graphql::TypeKind;

namespace {

// Features with `for:` that the router implements, or may ignore without changing an answer:
// cacheTag names cache tags for invalidating cached entities, and the router keeps no entity
// cache.
constexpr std::array<std::string_view, 13> kSupportedFeatures = {
    "https://specs.apollo.dev/core/v0.1",         "https://specs.apollo.dev/core/v0.2",
    "https://specs.apollo.dev/join/v0.1",         "https://specs.apollo.dev/join/v0.2",
    "https://specs.apollo.dev/join/v0.3",         "https://specs.apollo.dev/join/v0.4",
    "https://specs.apollo.dev/join/v0.5",         "https://specs.apollo.dev/tag/v0.1",
    "https://specs.apollo.dev/tag/v0.2",          "https://specs.apollo.dev/tag/v0.3",
    "https://specs.apollo.dev/inaccessible/v0.1", "https://specs.apollo.dev/inaccessible/v0.2",
    "https://specs.apollo.dev/cacheTag/v0.1",
};

// What the router would leave unenforced for the SECURITY features composition writes.
std::string_view unenforced_what(std::string_view identity) {
  if (identity == "https://specs.apollo.dev/authenticated") return "@authenticated";
  if (identity == "https://specs.apollo.dev/requiresScopes") return "@requiresScopes";
  if (identity == "https://specs.apollo.dev/policy") return "@policy";
  if (identity == "https://specs.apollo.dev/context") return "@context/@fromContext";
  return {};
}

bool is_supported(const LinkedFeature& f) {
  std::string base = f.identity + "/" + f.version.to_string();
  return std::find(kSupportedFeatures.begin(), kSupportedFeatures.end(), base) !=
         kSupportedFeatures.end();
}

const graphql::Value* arg_value(const Directive* d, std::string_view name) {
  for (const graphql::Argument* a : d->arguments) {
    if (a->name.value == name) return a->value;
  }
  return nullptr;
}

template <typename Fn>
void for_each_named(std::span<const Directive* const> dirs, std::string_view name, Fn&& fn) {
  if (name.empty()) return;
  for (const Directive* d : dirs) {
    if (d->name.value == name) fn(d);
  }
}

std::span<const Directive* const> as_span(const std::vector<const Directive*>& v) {
  return {v.data(), v.size()};
}

std::string quoted(std::string_view s) {
  return "\"" + std::string(s) + "\"";
}

}  // namespace

// ---- lookups --------------------------------------------------------------------------------

const TypeInGraph* TypeInfo::in_graph(uint32_t graph) const {
  for (const TypeInGraph& t : in_graphs) {
    if (t.graph == graph) return &t;
  }
  return nullptr;
}

std::vector<const Key*> TypeInfo::keys_in(uint32_t graph, bool resolvable_only) const {
  std::vector<const Key*> out;
  for (const Key& k : keys) {
    if (k.graph == graph && (k.resolvable || !resolvable_only)) out.push_back(&k);
  }
  return out;
}

const FieldInGraph* FieldInfo::in_graph(uint32_t graph) const {
  for (const FieldInGraph& f : in_graphs) {
    if (f.graph == graph) return &f;
  }
  return nullptr;
}

Supergraph::Supergraph() = default;
Supergraph::~Supergraph() = default;

const Subgraph* Supergraph::subgraph(std::string_view name) const {
  for (const Subgraph& s : subgraphs_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const Subgraph* Supergraph::subgraph_by_enum_value(std::string_view value) const {
  for (const Subgraph& s : subgraphs_) {
    if (s.enum_value == value) return &s;
  }
  return nullptr;
}

const TypeInfo* Supergraph::type_info(const TypeDef* type) const {
  auto it = type_index_.find(type);
  return it == type_index_.end() ? nullptr : it->second;
}

const TypeInfo* Supergraph::type_info(std::string_view type_name) const {
  const TypeDef* t = schema_->type(type_name);
  return t == nullptr ? nullptr : type_info(t);
}

const FieldInfo* Supergraph::field_info(const TypeDef* parent, const FieldDef* field) const {
  auto it = field_infos_.find(parent);
  if (it == field_infos_.end() || parent->fields.empty()) return nullptr;
  const FieldDef* first = parent->fields.data();
  if (field < first || field >= first + parent->fields.size()) return nullptr;
  return &it->second[static_cast<size_t>(field - first)];
}

const FieldInfo* Supergraph::field_info(std::string_view type_name,
                                        std::string_view field_name) const {
  const TypeDef* t = schema_->type(type_name);
  if (t == nullptr) return nullptr;
  const FieldDef* f = t->field(field_name);
  return f == nullptr ? nullptr : field_info(t, f);
}

GraphMask Supergraph::possible_type_graphs(const TypeDef* abstract_type,
                                           const TypeDef* object) const {
  const TypeInfo* obj = type_info(object);
  if (obj == nullptr) return 0;
  if (abstract_type == object) return obj->graphs;
  const TypeInfo* abs = type_info(abstract_type);
  if (abs == nullptr) return 0;
  for (const TypeRelation& r : abs->possible) {
    if (r.type == object) return r.graphs;
  }
  return 0;
}

// ---- loading --------------------------------------------------------------------------------

class SupergraphLoader {
 public:
  SupergraphLoader(Supergraph& sg, graphql::ErrorReport& errors) : sg_(sg), errors_(errors) {}

  bool load(std::string_view sdl, const LoadOptions& options);

 private:
  void error(std::string message, graphql::Location loc) {
    errors_.add_at("Invalid supergraph: " + std::move(message), loc, ErrorCode::kInvalidSupergraph);
  }
  void error(std::string message) {
    errors_.add("Invalid supergraph: " + std::move(message), ErrorCode::kInvalidSupergraph);
  }

  bool check_features(const LoadOptions& options);
  bool read_graphs();
  void read_type(const TypeDef* type);
  void read_fields(const TypeDef* type, TypeInfo& info, bool has_join_type);
  void read_input_fields(const TypeDef* type, const TypeInfo& info);
  void read_enum_values(const TypeDef* type, TypeInfo& info);
  void read_relations();
  void read_join_directives();
  void check_field_set_membership();

  // The graph named by the `graph:` argument (an enum value of join__Graph), or -1 with an
  // error. A missing argument is an error only when `required`.
  int graph_arg(const Directive* d, std::string_view arg, bool required, bool* present);
  std::string_view string_arg(const Directive* d, std::string_view name, bool* bad);
  bool bool_arg(const Directive* d, std::string_view name, bool fallback, bool* bad);
  const FieldSet* field_set(const Directive* d, std::string_view text, const TypeDef* parent,
                            std::string_view what);
  std::vector<std::string_view> tags(std::span<const Directive* const> dirs);
  bool inaccessible(std::span<const Directive* const> dirs) const {
    if (sg_.inaccessible_name_.empty()) return false;
    return std::any_of(dirs.begin(), dirs.end(),
                       [&](const Directive* d) { return d->name.value == sg_.inaccessible_name_; });
  }
  bool is_machinery(std::string_view type_name) const {
    return sg_.features_.owner_of(type_name, false) != nullptr;
  }

  Supergraph& sg_;
  graphql::ErrorReport& errors_;
  const LinkedFeature* join_ = nullptr;
  // Directive names of the join spec in this schema.
  std::string graph_dir_, type_dir_, field_dir_, owner_dir_, implements_dir_, union_member_dir_,
      enum_value_dir_, directive_dir_, graph_enum_;
  std::unordered_map<std::string_view, uint32_t> graph_by_enum_;
};

bool SupergraphLoader::check_features(const LoadOptions& options) {
  const CoreFeatures& cf = sg_.features_;
  size_t before = errors_.errors().size();
  const LinkedFeature* boot = cf.bootstrap;
  if (boot == nullptr) {
    error("the schema does not link the " +
          std::string(cf.uses_core ? kCoreIdentity : kLinkIdentity) + " spec itself");
    return false;
  }
  if (cf.uses_core) {
    if (boot->version != FeatureVersion{0, 1} && boot->version != FeatureVersion{0, 2}) {
      error("unsupported core spec version " + boot->version.to_string() +
                " (supported versions: v0.1, v0.2)",
            boot->directive->loc);
    }
    if (boot->version == FeatureVersion{0, 1}) {
      for (const LinkedFeature& f : cf.features) {
        if (f.purpose != FeaturePurpose::kNone) {
          error(
              "the `for:` argument is unsupported by version v0.1 of the core spec. Please "
              "upgrade to at least @core v0.2 (https://specs.apollo.dev/core/v0.2).",
              f.directive->loc);
        }
      }
    }
  } else if (boot->version != FeatureVersion{1, 0}) {
    error("unsupported link spec version " + boot->version.to_string() +
              " (supported versions: v1.0)",
          boot->directive->loc);
  }
  for (const LinkedFeature& f : cf.features) {
    // join has its own, more precise, version check below.
    if (f.purpose != FeaturePurpose::kNone && f.identity != kJoinIdentity && !is_supported(f) &&
        !options.accept_unsupported_features) {
      // Apollo Router's message, then why: serving the graph while ignoring the feature would
      // answer what the feature forbids.
      std::string message = "feature " + f.url + " is for: " +
                            (f.purpose == FeaturePurpose::kSecurity ? "SECURITY" : "EXECUTION") +
                            " but is unsupported";
      std::string_view what = unenforced_what(f.identity);
      if (!what.empty()) {
        message += ": this router does not enforce " + std::string(what) +
                   ", and serving the graph without it would expose what it protects (remove " +
                   std::string(what) + " from the subgraphs, or enforce access in them)";
      }
      error(std::move(message), f.directive->loc);
    }
  }
  join_ = cf.by_identity(kJoinIdentity);
  if (join_ == nullptr) {
    error("must use the join spec (" + std::string(kJoinIdentity) + ")");
    return false;
  }
  FeatureVersion jv = join_->version;
  if (jv.major != 0 || jv.minor < 1 || jv.minor > 5) {
    error("uses unsupported join spec version " + jv.to_string() +
              " (supported versions: v0.1, v0.2, v0.3, v0.4, v0.5)",
          join_->directive->loc);
  }
  sg_.join_version_ = jv;
  if (const LinkedFeature* f = cf.by_identity(kInaccessibleIdentity)) {
    if (f->version != FeatureVersion{0, 1} && f->version != FeatureVersion{0, 2}) {
      error("uses unsupported inaccessible spec version " + f->version.to_string() +
                " (supported versions: v0.1, v0.2)",
            f->directive->loc);
    }
    sg_.inaccessible_name_ = f->directive_name("inaccessible");
  }
  if (const LinkedFeature* f = cf.by_identity(kTagIdentity)) {
    if (f->version.major != 0 || f->version.minor < 1 || f->version.minor > 3) {
      error("uses unsupported tag spec version " + f->version.to_string() +
                " (supported versions: v0.1, v0.2, v0.3)",
            f->directive->loc);
    }
    sg_.tag_name_ = f->directive_name("tag");
  }
  graph_dir_ = join_->directive_name("graph");
  type_dir_ = join_->directive_name("type");
  field_dir_ = join_->directive_name("field");
  owner_dir_ = join_->directive_name("owner");
  implements_dir_ = join_->directive_name("implements");
  union_member_dir_ = join_->directive_name("unionMember");
  enum_value_dir_ = join_->directive_name("enumValue");
  directive_dir_ = join_->directive_name("directive");
  graph_enum_ = join_->type_name("Graph");
  return errors_.errors().size() == before;
}

bool SupergraphLoader::read_graphs() {
  const TypeDef* graph_enum = sg_.schema_->type(graph_enum_);
  if (graph_enum == nullptr || graph_enum->kind != TypeKind::kEnum) {
    error("missing the " + graph_enum_ + " enum of the join spec");
    return false;
  }
  if (graph_enum->enum_values.size() > kMaxSubgraphs) {
    error("too many subgraphs: " + std::to_string(graph_enum->enum_values.size()) + " (at most " +
              std::to_string(kMaxSubgraphs) + " are supported)",
          graph_enum->ast_nodes.empty() ? graphql::Location{} : graph_enum->ast_nodes[0]->loc);
    return false;
  }
  size_t before = errors_.errors().size();
  for (const graphql::EnumValueDef& v : graph_enum->enum_values) {
    graphql::Location loc = v.ast != nullptr ? v.ast->loc : graphql::Location{};
    const Directive* jg = nullptr;
    for (const Directive* d : v.directives) {
      if (d->name.value == graph_dir_) jg = d;
    }
    if (jg == nullptr) {
      error("value " + std::string(v.name) + " of " + graph_enum_ + " has no @" + graph_dir_ +
                " directive",
            loc);
      continue;
    }
    bool bad = false;
    std::string_view name = string_arg(jg, "name", &bad);
    std::string_view url = string_arg(jg, "url", &bad);
    if (bad || name.empty()) {
      error("@" + graph_dir_ + " of " + std::string(v.name) +
                " needs a non-empty string `name:` and a string `url:`",
            jg->loc);
      continue;
    }
    if (sg_.subgraph(name) != nullptr) {
      error("two values of " + graph_enum_ + " name the subgraph " + quoted(name), jg->loc);
      continue;
    }
    Subgraph s;
    s.index = static_cast<uint32_t>(sg_.subgraphs_.size());
    s.name = name;
    s.enum_value = v.name;
    s.url = url;
    graph_by_enum_[v.name] = s.index;
    sg_.all_graphs_ |= graph_bit(s.index);
    sg_.subgraphs_.push_back(s);
  }
  return errors_.errors().size() == before;
}

std::string_view SupergraphLoader::string_arg(const Directive* d, std::string_view name,
                                              bool* bad) {
  const graphql::Value* v = arg_value(d, name);
  if (v == nullptr || v->kind == Kind::kNullValue) return {};
  if (v->kind != Kind::kStringValue) {
    *bad = true;
    return {};
  }
  return v->as<graphql::StringValue>()->value;
}

bool SupergraphLoader::bool_arg(const Directive* d, std::string_view name, bool fallback,
                                bool* bad) {
  const graphql::Value* v = arg_value(d, name);
  if (v == nullptr || v->kind == Kind::kNullValue) return fallback;
  if (v->kind != Kind::kBooleanValue) {
    *bad = true;
    return fallback;
  }
  return v->as<graphql::BooleanValue>()->value;
}

int SupergraphLoader::graph_arg(const Directive* d, std::string_view arg, bool required,
                                bool* present) {
  const graphql::Value* v = arg_value(d, arg);
  *present = v != nullptr && v->kind != Kind::kNullValue;
  if (!*present) {
    if (required)
      error("@" + std::string(d->name.value) + " needs a `" + std::string(arg) + ":` argument",
            d->loc);
    return -1;
  }
  if (v->kind != Kind::kEnumValue) {
    error("`" + std::string(arg) + ":` of @" + std::string(d->name.value) + " must be a value of " +
              graph_enum_,
          v->loc);
    return -1;
  }
  std::string_view name = v->as<graphql::EnumValue>()->value;
  auto it = graph_by_enum_.find(name);
  if (it == graph_by_enum_.end()) {
    error("@" + std::string(d->name.value) + " names unknown graph " + std::string(name) +
              " (not a value of " + graph_enum_ + ")",
          v->loc);
    return -1;
  }
  return static_cast<int>(it->second);
}

const FieldSet* SupergraphLoader::field_set(const Directive* d, std::string_view text,
                                            const TypeDef* parent, std::string_view what) {
  FieldSetParse parsed = parse_field_set(text, parent, *sg_.schema_, sg_.arena_);
  if (parsed.selection_set == nullptr) {
    error("invalid " + std::string(what) + " field set " + quoted(text) + " on " +
              quoted(parent->name) + ": " + parsed.error,
          d->loc);
    return nullptr;
  }
  auto fs = std::make_unique<FieldSet>();
  fs->text = text;
  fs->selection_set = parsed.selection_set;
  fs->parent = parent;
  sg_.field_sets_.push_back(std::move(fs));
  return sg_.field_sets_.back().get();
}

std::vector<std::string_view> SupergraphLoader::tags(std::span<const Directive* const> dirs) {
  std::vector<std::string_view> out;
  for_each_named(dirs, sg_.tag_name_, [&](const Directive* d) {
    bool bad = false;
    std::string_view name = string_arg(d, "name", &bad);
    if (bad) {
      error("@" + sg_.tag_name_ + " needs a string `name:`", d->loc);
    } else {
      out.push_back(name);
    }
  });
  return out;
}

void SupergraphLoader::read_type(const TypeDef* type) {
  auto info = std::make_unique<TypeInfo>();
  info->type = type;
  auto dirs = as_span(type->directives);
  bool fed1 = sg_.is_fed1();
  bool has_join_type = false;
  for_each_named(dirs, type_dir_, [&](const Directive* d) {
    has_join_type = true;
    bool present = false;
    int graph = graph_arg(d, "graph", true, &present);
    if (graph < 0) return;
    bool bad = false;
    std::string_view key = string_arg(d, "key", &bad);
    bool extension = bool_arg(d, "extension", false, &bad);
    bool resolvable = bool_arg(d, "resolvable", true, &bad);
    bool interface_object = bool_arg(d, "isInterfaceObject", false, &bad);
    if (bad) {
      error("malformed @" + type_dir_ + " on " + quoted(type->name), d->loc);
      return;
    }
    if (interface_object && type->kind != TypeKind::kInterface) {
      error("@" + type_dir_ + "(isInterfaceObject: true) on " + quoted(type->name) +
                ", which is not an interface",
            d->loc);
      return;
    }
    uint32_t g = static_cast<uint32_t>(graph);
    TypeInGraph* tig = nullptr;
    for (TypeInGraph& t : info->in_graphs) {
      if (t.graph == g) tig = &t;
    }
    if (tig == nullptr) {
      info->in_graphs.push_back(TypeInGraph{g, false, false});
      tig = &info->in_graphs.back();
    }
    tig->interface_object = tig->interface_object || interface_object;
    tig->extension = tig->extension || extension;
    info->graphs |= graph_bit(g);
    if (interface_object) info->interface_object_graphs |= graph_bit(g);
    if (arg_value(d, "key") != nullptr && arg_value(d, "key")->kind != Kind::kNullValue) {
      if (type->kind != TypeKind::kObject && type->kind != TypeKind::kInterface) {
        error("@" + type_dir_ + " puts a key on " + quoted(type->name) +
                  ", which is not an object or interface type",
              d->loc);
        return;
      }
      const FieldSet* fs = field_set(d, key, type, "key");
      if (fs == nullptr) return;
      Key k;
      k.graph = g;
      k.fields = *fs;
      k.resolvable = resolvable;
      k.extension = extension;
      k.source = d;
      info->keys.push_back(k);
      info->key_graphs |= graph_bit(g);
      if (resolvable) info->resolvable_key_graphs |= graph_bit(g);
    }
  });
  std::sort(info->in_graphs.begin(), info->in_graphs.end(),
            [](const TypeInGraph& a, const TypeInGraph& b) { return a.graph < b.graph; });
  if (!has_join_type) {
    // Federation v1 value types (and types added by hand) are in every subgraph.
    info->graphs = sg_.all_graphs_;
    for (const Subgraph& s : sg_.subgraphs_)
      info->in_graphs.push_back(TypeInGraph{s.index});
  }
  if (fed1) {
    for_each_named(dirs, owner_dir_, [&](const Directive* d) {
      bool present = false;
      int graph = graph_arg(d, "graph", true, &present);
      if (graph < 0) return;
      if (info->owner_graph >= 0) {
        error("several @" + owner_dir_ + " on " + quoted(type->name), d->loc);
        return;
      }
      info->owner_graph = graph;
      if (!has_graph(info->graphs, static_cast<uint32_t>(graph))) {
        error("@" + owner_dir_ + " of " + quoted(type->name) + " names a subgraph without @" +
                  type_dir_ + " on it",
              d->loc);
      }
    });
  }
  info->inaccessible = inaccessible(dirs);
  info->tags = tags(dirs);
  TypeInfo& ref = *info;
  sg_.type_index_[type] = info.get();
  sg_.type_infos_.push_back(std::move(info));
  if (type->kind == TypeKind::kObject || type->kind == TypeKind::kInterface) {
    read_fields(type, ref, has_join_type);
  } else if (type->kind == TypeKind::kInputObject) {
    read_input_fields(type, ref);
  } else if (type->kind == TypeKind::kEnum) {
    read_enum_values(type, ref);
  }
}

void SupergraphLoader::read_fields(const TypeDef* type, TypeInfo& info, bool has_join_type) {
  std::vector<FieldInfo>& fields = sg_.field_infos_[type];
  fields.resize(type->fields.size());
  for (size_t i = 0; i < type->fields.size(); ++i) {
    const FieldDef& fd = type->fields[i];
    FieldInfo& fi = fields[i];
    fi.parent = type;
    fi.field = &fd;
    std::span<const Directive* const> dirs = fd.directives;
    bool any_join_field = false;
    for_each_named(dirs, field_dir_, [&](const Directive* d) {
      any_join_field = true;
      bool present = false;
      int graph = graph_arg(d, "graph", sg_.join_version_ < FeatureVersion{0, 3}, &present);
      if (graph < 0) return;  // no graph: the field is in no subgraph as such
      uint32_t g = static_cast<uint32_t>(graph);
      std::string coordinate = std::string(type->name) + "." + std::string(fd.name);
      if (has_join_type && !has_graph(info.graphs, g)) {
        error("@" + field_dir_ + " on " + quoted(coordinate) + " names subgraph " +
                  quoted(sg_.subgraphs_[g].name) + ", which does not define " + quoted(type->name) +
                  " (no @" + type_dir_ + " for it)",
              d->loc);
        return;
      }
      if (fi.in_graph(g) != nullptr) {
        error("several @" + field_dir_ + " for subgraph " + quoted(sg_.subgraphs_[g].name) +
                  " on " + quoted(coordinate),
              d->loc);
        return;
      }
      bool bad = false;
      FieldInGraph fig;
      fig.graph = g;
      fig.type = fd.type;
      fig.source = d;
      std::string_view requires_text = string_arg(d, "requires", &bad);
      std::string_view provides_text = string_arg(d, "provides", &bad);
      std::string_view type_text = string_arg(d, "type", &bad);
      fig.external = bool_arg(d, "external", false, &bad);
      fig.used_overridden = bool_arg(d, "usedOverridden", false, &bad);
      fig.override_from = string_arg(d, "override", &bad);
      fig.override_label = string_arg(d, "overrideLabel", &bad);
      if (bad) {
        error("malformed @" + field_dir_ + " on " + quoted(coordinate), d->loc);
        return;
      }
      if (const graphql::Value* v = arg_value(d, "requires");
          v != nullptr && v->kind != Kind::kNullValue) {
        fig.requires_fields = field_set(d, requires_text, type, "requires");
        if (fig.requires_fields == nullptr) return;
      }
      if (arg_value(d, "provides") != nullptr &&
          arg_value(d, "provides")->kind != Kind::kNullValue) {
        const TypeDef* target = fd.type->named_type();
        if (!target->is_composite()) {
          error("@" + field_dir_ + "(provides:) on " + quoted(coordinate) + ", whose type " +
                    quoted(target->name) + " is not a composite type",
                d->loc);
          return;
        }
        fig.provides_fields = field_set(d, provides_text, target, "provides");
        if (fig.provides_fields == nullptr) return;
      }
      if (!type_text.empty()) {
        graphql::Type* ast_type = nullptr;
        std::string_view source = sg_.arena_.copy_string(type_text);
        graphql::ParseResult parsed = graphql::parse_type(source, sg_.arena_, &ast_type);
        const graphql::TypeRef* ref = parsed.ok() && ast_type != nullptr
                                          ? sg_.schema_->resolve_type(ast_type, sg_.arena_)
                                          : nullptr;
        if (ref == nullptr || !ref->named_type()->is_output()) {
          error("@" + field_dir_ + "(type: " + quoted(type_text) + ") on " + quoted(coordinate) +
                    " is not an output type of the supergraph",
                d->loc);
          return;
        }
        fig.type = ref;
      }
      if (!fig.override_from.empty()) {
        if (const Subgraph* from = sg_.subgraph(fig.override_from)) {
          fig.override_from_graph = static_cast<int>(from->index);
        }
      }
      fi.graphs |= graph_bit(g);
      if (fig.external) fi.external_graphs |= graph_bit(g);
      if (!fig.external && !fig.used_overridden) fi.resolvable_graphs |= graph_bit(g);
      fi.in_graphs.push_back(fig);
    });
    if (!any_join_field) {
      fi.implicit = true;
      GraphMask graphs = info.graphs;
      if (info.owner_graph >= 0) graphs = graph_bit(static_cast<uint32_t>(info.owner_graph));
      for_each_graph(graphs, [&](uint32_t g) {
        FieldInGraph fig;
        fig.graph = g;
        fig.type = fd.type;
        fi.in_graphs.push_back(fig);
      });
      fi.graphs = graphs;
      fi.resolvable_graphs = graphs;
    }
    std::sort(fi.in_graphs.begin(), fi.in_graphs.end(),
              [](const FieldInGraph& a, const FieldInGraph& b) { return a.graph < b.graph; });
    fi.inaccessible = inaccessible(dirs);
    fi.tags = tags(dirs);
  }
}

void SupergraphLoader::read_input_fields(const TypeDef* type, const TypeInfo& info) {
  for (const graphql::InputValueDef& f : type->input_fields) {
    for_each_named(f.directives, field_dir_, [&](const Directive* d) {
      bool present = false;
      int graph = graph_arg(d, "graph", false, &present);
      if (graph >= 0 && !has_graph(info.graphs, static_cast<uint32_t>(graph))) {
        error("@" + field_dir_ + " on input field " +
                  quoted(std::string(type->name) + "." + std::string(f.name)) +
                  " names a subgraph that does not define " + quoted(type->name),
              d->loc);
      }
    });
  }
}

void SupergraphLoader::read_enum_values(const TypeDef* type, TypeInfo& info) {
  info.enum_value_graphs.assign(type->enum_values.size(), 0);
  for (size_t i = 0; i < type->enum_values.size(); ++i) {
    const graphql::EnumValueDef& v = type->enum_values[i];
    bool any = false;
    for_each_named(v.directives, enum_value_dir_, [&](const Directive* d) {
      any = true;
      bool present = false;
      int graph = graph_arg(d, "graph", true, &present);
      if (graph < 0) return;
      if (!has_graph(info.graphs, static_cast<uint32_t>(graph))) {
        error("@" + enum_value_dir_ + " on " +
                  quoted(std::string(type->name) + "." + std::string(v.name)) + " names subgraph " +
                  quoted(sg_.subgraphs_[graph].name) + ", which does not define " +
                  quoted(type->name),
              d->loc);
        return;
      }
      info.enum_value_graphs[i] |= graph_bit(static_cast<uint32_t>(graph));
    });
    if (!any) info.enum_value_graphs[i] = info.graphs;
  }
}

void SupergraphLoader::read_relations() {
  bool explicit_implements = sg_.join_version_ >= FeatureVersion{0, 2};
  for (const auto& owned : sg_.type_infos_) {
    TypeInfo& info = *owned;
    const TypeDef* type = info.type;
    if (type->kind == TypeKind::kObject || type->kind == TypeKind::kInterface) {
      for (const TypeDef* iface : type->interfaces) {
        const TypeInfo* iface_info = sg_.type_info(iface);
        GraphMask graphs = 0;
        if (!explicit_implements && iface_info != nullptr) {
          graphs = info.graphs & iface_info->graphs;
        }
        info.implements.push_back(TypeRelation{iface, graphs});
      }
      if (explicit_implements) {
        for_each_named(as_span(type->directives), implements_dir_, [&](const Directive* d) {
          bool present = false;
          int graph = graph_arg(d, "graph", true, &present);
          if (graph < 0) return;
          bool bad = false;
          std::string_view name = string_arg(d, "interface", &bad);
          TypeRelation* rel = nullptr;
          for (TypeRelation& r : info.implements) {
            if (r.type->name == name) rel = &r;
          }
          if (bad || rel == nullptr) {
            error("@" + implements_dir_ + " on " + quoted(type->name) + " names " + quoted(name) +
                      ", which is not an interface it implements",
                  d->loc);
            return;
          }
          if (!has_graph(info.graphs, static_cast<uint32_t>(graph))) {
            error("@" + implements_dir_ + " on " + quoted(type->name) + " names subgraph " +
                      quoted(sg_.subgraphs_[graph].name) + ", which does not define it",
                  d->loc);
            return;
          }
          rel->graphs |= graph_bit(static_cast<uint32_t>(graph));
        });
      }
    } else if (type->kind == TypeKind::kUnion) {
      for (const TypeDef* member : type->members) {
        info.possible.push_back(TypeRelation{member, 0});
      }
      bool any = false;
      for_each_named(as_span(type->directives), union_member_dir_, [&](const Directive* d) {
        any = true;
        bool present = false;
        int graph = graph_arg(d, "graph", true, &present);
        if (graph < 0) return;
        bool bad = false;
        std::string_view name = string_arg(d, "member", &bad);
        TypeRelation* rel = nullptr;
        for (TypeRelation& r : info.possible) {
          if (r.type->name == name) rel = &r;
        }
        if (bad || rel == nullptr) {
          error("@" + union_member_dir_ + " on " + quoted(type->name) + " names " + quoted(name) +
                    ", which is not a member of the union",
                d->loc);
          return;
        }
        if (!has_graph(info.graphs, static_cast<uint32_t>(graph))) {
          error("@" + union_member_dir_ + " on " + quoted(type->name) + " names subgraph " +
                    quoted(sg_.subgraphs_[graph].name) + ", which does not define it",
                d->loc);
          return;
        }
        rel->graphs |= graph_bit(static_cast<uint32_t>(graph));
      });
      if (!any) {
        for (TypeRelation& r : info.possible) {
          const TypeInfo* member_info = sg_.type_info(r.type);
          r.graphs = member_info != nullptr ? (info.graphs & member_info->graphs) : 0;
        }
      }
    }
  }
  // Interfaces: the inverse of `implements`.
  for (const auto& owned : sg_.type_infos_) {
    for (const TypeRelation& r : owned->implements) {
      auto it = sg_.type_index_.find(r.type);
      if (it == sg_.type_index_.end()) continue;
      const_cast<TypeInfo*>(it->second)->possible.push_back(TypeRelation{owned->type, r.graphs});
    }
  }
}

void SupergraphLoader::read_join_directives() {
  if (sg_.join_version_ < FeatureVersion{0, 4}) return;
  auto read = [&](const Directive* d, const TypeDef* type, const FieldDef* field) {
    JoinDirective jd;
    jd.type = type;
    jd.field = field;
    const graphql::Value* graphs = arg_value(d, "graphs");
    if (graphs != nullptr && graphs->kind == Kind::kListValue) {
      for (const graphql::Value* v : graphs->as<graphql::ListValue>()->values) {
        if (v->kind != Kind::kEnumValue) continue;
        auto it = graph_by_enum_.find(v->as<graphql::EnumValue>()->value);
        if (it == graph_by_enum_.end()) {
          error("@" + directive_dir_ + " names unknown graph " +
                    std::string(v->as<graphql::EnumValue>()->value),
                v->loc);
          return;
        }
        jd.graphs |= graph_bit(it->second);
      }
    } else if (graphs != nullptr && graphs->kind == Kind::kEnumValue) {
      auto it = graph_by_enum_.find(graphs->as<graphql::EnumValue>()->value);
      if (it == graph_by_enum_.end()) {
        error("@" + directive_dir_ + " names unknown graph " +
                  std::string(graphs->as<graphql::EnumValue>()->value),
              graphs->loc);
        return;
      }
      jd.graphs |= graph_bit(it->second);
    }
    bool bad = false;
    jd.name = string_arg(d, "name", &bad);
    if (bad || jd.name.empty()) {
      error("@" + directive_dir_ + " needs a string `name:`", d->loc);
      return;
    }
    jd.args = arg_value(d, "args");
    sg_.join_directives_.push_back(jd);
  };
  for_each_named(as_span(sg_.schema_->schema_directives()), directive_dir_,
                 [&](const Directive* d) { read(d, nullptr, nullptr); });
  for (const auto& owned : sg_.type_infos_) {
    const TypeDef* type = owned->type;
    for_each_named(as_span(type->directives), directive_dir_,
                   [&](const Directive* d) { read(d, type, nullptr); });
    for (const FieldDef& f : type->fields) {
      for_each_named(f.directives, directive_dir_, [&](const Directive* d) { read(d, type, &f); });
    }
  }
}

// Federation 2 supergraphs list every field a subgraph uses in a key or @requires (as
// @external when it is not its own), so a field set naming a field the subgraph does not
// declare means the supergraph was edited or composed wrongly; the planner would send that
// subgraph a query it cannot answer. Federation 1 supergraphs do not record external fields,
// so the check is skipped there.
void SupergraphLoader::check_field_set_membership() {
  if (sg_.is_fed1()) return;
  auto check = [&](const graphql::SelectionSet* set, const TypeDef* parent, uint32_t g,
                   const Directive* at, std::string_view what, std::string_view owner,
                   auto&& self) -> bool {
    for (const graphql::Selection* sel : set->selections) {
      if (sel->kind == Kind::kInlineFragment) {
        const auto* frag = sel->as<graphql::InlineFragment>();
        const TypeDef* cond = frag->type_condition != nullptr
                                  ? sg_.schema_->type(frag->type_condition->name.value)
                                  : parent;
        if (!self(frag->selection_set, cond, g, at, what, owner, self)) return false;
        continue;
      }
      if (sel->kind != Kind::kField) continue;
      const auto* field = sel->as<graphql::Field>();
      if (field->name.value == "__typename") continue;
      const FieldInfo* fi = sg_.field_info(parent, parent->field(field->name.value));
      if (fi == nullptr) continue;
      if (!has_graph(fi->graphs, g)) {
        error(std::string(what) + " of " + std::string(owner) + " in subgraph " +
                  quoted(sg_.subgraphs_[g].name) + " selects " +
                  quoted(std::string(parent->name) + "." + std::string(field->name.value)) +
                  ", which that subgraph does not define",
              at->loc);
        return false;
      }
      if (field->selection_set != nullptr &&
          !self(field->selection_set, fi->field->type->named_type(), g, at, what, owner, self)) {
        return false;
      }
    }
    return true;
  };
  for (const auto& owned : sg_.type_infos_) {
    const TypeInfo& info = *owned;
    for (const Key& k : info.keys) {
      check(k.fields.selection_set, info.type, k.graph, k.source,
            "@key(fields: " + quoted(k.fields.text) + ")", quoted(info.type->name), check);
    }
    auto it = sg_.field_infos_.find(info.type);
    if (it == sg_.field_infos_.end()) continue;
    for (const FieldInfo& fi : it->second) {
      for (const FieldInGraph& fig : fi.in_graphs) {
        if (fig.requires_fields == nullptr) continue;
        check(fig.requires_fields->selection_set, info.type, fig.graph, fig.source,
              "@requires(fields: " + quoted(fig.requires_fields->text) + ")",
              quoted(std::string(info.type->name) + "." + std::string(fi.field->name)), check);
      }
    }
  }
}

bool SupergraphLoader::load(std::string_view sdl, const LoadOptions& options) {
  graphql::SchemaOptions schema_options;
  schema_options.validate = options.validate_schema;
  sg_.schema_ = graphql::Schema::build(sdl, errors_, schema_options);
  if (sg_.schema_ == nullptr) return false;

  std::optional<CoreFeatures> features =
      read_core_features(sg_.schema_->schema_directives(), errors_);
  if (!features) return false;
  sg_.features_ = std::move(*features);
  if (!check_features(options)) return false;
  if (!read_graphs()) return false;

  size_t before = errors_.errors().size();
  for (const TypeDef* type : sg_.schema_->types()) {
    if (type->builtin || is_machinery(type->name)) continue;
    read_type(type);
  }
  if (errors_.errors().size() != before) return false;
  read_relations();
  read_join_directives();
  check_field_set_membership();
  if (errors_.errors().size() != before) return false;

  ApiSchemaResult api =
      build_api_schema(sdl, *sg_.schema_, sg_.features_, sg_.inaccessible_name_, errors_);
  if (api.schema == nullptr) return false;
  sg_.api_schema_ = std::move(api.schema);
  sg_.api_sdl_ = std::move(api.sdl);
  return true;
}

std::unique_ptr<Supergraph> Supergraph::load(std::string_view sdl, graphql::ErrorReport& errors,
                                             const LoadOptions& options) {
  std::unique_ptr<Supergraph> sg(new Supergraph());
  SupergraphLoader loader(*sg, errors);
  if (!loader.load(sdl, options)) return nullptr;
  return sg;
}

}  // namespace orbit::federation
