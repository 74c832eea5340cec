#include "orbit/graphql/introspection/introspection.h"

#include <optional>
#include <vector>

#include "orbit/graphql/printer.h"
#include "orbit/graphql/values/values.h"

namespace orbit::graphql {

namespace {

// A __Type value: a wrapper (List / NonNull) given by its TypeRef, or a named type.
struct TypeHandle {
  const TypeRef* ref = nullptr;  // set for wrappers
  const TypeDef* def = nullptr;  // set for named types

  static TypeHandle of(const TypeRef* r) {
    if (r->wrap == TypeRef::Wrap::kNamed) return TypeHandle{nullptr, r->named};
    return TypeHandle{r, nullptr};
  }
};

// Fields of one response key, merged as graphql-js's collectFields merges them.
struct CollectedField {
  std::string_view key;
  std::vector<const Field*> nodes;
};

std::string_view type_kind_name(TypeKind k) {
  switch (k) {
    case TypeKind::kScalar: return "SCALAR";
    case TypeKind::kObject: return "OBJECT";
    case TypeKind::kInterface: return "INTERFACE";
    case TypeKind::kUnion: return "UNION";
    case TypeKind::kEnum: return "ENUM";
    case TypeKind::kInputObject: return "INPUT_OBJECT";
  }
  return "SCALAR";
}

class Executor {
 public:
  Executor(const IntrospectionRequest& request, Arena& arena, JsonWriter& out, ErrorReport& errors)
      : schema_(*request.schema),
        document_(request.document),
        variables_(request.variables),
        arena_(arena),
        w_(out),
        errors_(errors) {
    schema_type_ = schema_.type("__Schema");
    type_type_ = schema_.type("__Type");
    field_type_ = schema_.type("__Field");
    input_value_type_ = schema_.type("__InputValue");
    enum_value_type_ = schema_.type("__EnumValue");
    directive_type_ = schema_.type("__Directive");
  }

  size_t write_root(const OperationDefinition& op) {
    const TypeDef* root = schema_.root_type(op.operation);
    if (root == nullptr || op.selection_set == nullptr) return 0;
    std::vector<CollectedField> fields;
    std::vector<std::string_view> visited;
    collect(root, op.selection_set, fields, visited);
    bool is_query = op.operation == OperationType::kQuery;
    size_t written = 0;
    for (const CollectedField& f : fields) {
      std::string_view name = f.nodes[0]->name.value;
      if (name == "__typename") {
        w_.key(f.key).string(root->name);
      } else if (name == "__schema" && is_query) {
        w_.key(f.key);
        PathScope p(*this, f.key);
        write_schema(f.nodes);
      } else if (name == "__type" && is_query) {
        w_.key(f.key);
        PathScope p(*this, f.key);
        write_type_field(f.nodes);
      } else {
        continue;
      }
      ++written;
    }
    return written;
  }

 private:
  // Keeps path_ in step with the value being written (for error paths).
  struct PathScope {
    PathScope(Executor& e, std::string_view key) : e_(e) {
      e_.path_.push_back(PathElement::field(key));
    }
    PathScope(Executor& e, size_t index) : e_(e) {
      e_.path_.push_back(PathElement::list_index(static_cast<int64_t>(index)));
    }
    ~PathScope() { e_.path_.pop_back(); }
    Executor& e_;
  };

  // ---- field collection -------------------------------------------------------------------

  const FragmentDefinition* fragment(std::string_view name) const {
    if (document_ == nullptr) return nullptr;
    for (const Definition* d : document_->definitions) {
      if (d->kind != Kind::kFragmentDefinition) continue;
      const auto* f = d->as<FragmentDefinition>();
      if (f->name.value == name) return f;
    }
    return nullptr;
  }

  bool condition_applies(const NamedType* condition, const TypeDef* runtime) const {
    if (condition == nullptr) return true;
    const TypeDef* t = schema_.type(condition->name.value);
    if (t == nullptr) return false;
    if (t == runtime) return true;
    return t->is_abstract() && schema_.is_possible_type(t, runtime);
  }

  bool include(List<Directive> directives) {
    return should_include_node(schema_, directives, variables_, arena_, errors_);
  }

  void collect(const TypeDef* runtime, const SelectionSet* set, std::vector<CollectedField>& out,
               std::vector<std::string_view>& visited) {
    for (const Selection* sel : set->selections) {
      switch (sel->kind) {
        case Kind::kField: {
          const Field* f = sel->as<Field>();
          if (!include(f->directives)) break;
          std::string_view key = f->response_key();
          CollectedField* slot = nullptr;
          for (CollectedField& c : out) {
            if (c.key == key) slot = &c;
          }
          if (slot == nullptr) {
            out.push_back(CollectedField{key, {}});
            slot = &out.back();
          }
          slot->nodes.push_back(f);
          break;
        }
        case Kind::kInlineFragment: {
          const InlineFragment* f = sel->as<InlineFragment>();
          if (!include(f->directives) || !condition_applies(f->type_condition, runtime)) break;
          collect(runtime, f->selection_set, out, visited);
          break;
        }
        case Kind::kFragmentSpread: {
          const FragmentSpread* s = sel->as<FragmentSpread>();
          if (!include(s->directives)) break;
          bool seen = false;
          for (std::string_view v : visited)
            seen = seen || v == s->name.value;
          if (seen) break;
          visited.push_back(s->name.value);
          const FragmentDefinition* def = fragment(s->name.value);
          if (def == nullptr || !condition_applies(def->type_condition, runtime)) break;
          collect(runtime, def->selection_set, out, visited);
          break;
        }
        default: break;
      }
    }
  }

  std::vector<CollectedField> sub_fields(const TypeDef* runtime,
                                         const std::vector<const Field*>& nodes) {
    std::vector<CollectedField> out;
    std::vector<std::string_view> visited;
    for (const Field* n : nodes) {
      if (n->selection_set != nullptr) collect(runtime, n->selection_set, out, visited);
    }
    return out;
  }

  // ---- arguments ----------------------------------------------------------------------------

  // includeDeprecated of __Type.fields and friends; nullopt when its value is invalid (an
  // error was added).
  std::optional<bool> include_deprecated(const TypeDef* meta, std::string_view field,
                                         const Field& node) {
    const FieldDef* def = meta != nullptr ? meta->field(field) : nullptr;
    if (def == nullptr) return false;
    std::string owner = std::string(meta->name) + "." + std::string(field);
    const JsonValue* args = argument_values(def->arguments, owner, node);
    if (args == nullptr) return std::nullopt;
    const JsonValue* v = args->find("includeDeprecated");
    return v != nullptr && v->as_bool();
  }

  const JsonValue* argument_values(std::span<const InputValueDef> defs, std::string_view owner,
                                   const Field& node) {
    size_t before = errors_.errors().size();
    const JsonValue* args =
        get_argument_values(defs, owner, node.arguments, node, variables_, arena_, errors_);
    for (size_t i = before; i < errors_.errors().size(); ++i)
      errors_.errors()[i].path = path_;
    return args;
  }

  // ---- values -------------------------------------------------------------------------------

  void opt_string(std::string_view s) {
    if (s.empty()) {
      w_.null();
    } else {
      w_.string(s);
    }
  }

  void deprecation(bool deprecated, std::string_view reason, std::string_view field) {
    if (field == "isDeprecated") {
      w_.boolean(deprecated);
    } else if (deprecated) {
      w_.string(reason);
    } else {
      w_.null();
    }
  }

  template <typename Fn>
  void object(const TypeDef* meta, const std::vector<const Field*>& nodes, Fn&& field_value) {
    w_.begin_object();
    for (const CollectedField& f : sub_fields(meta, nodes)) {
      w_.key(f.key);
      PathScope p(*this, f.key);
      std::string_view name = f.nodes[0]->name.value;
      if (name == "__typename") {
        w_.string(meta != nullptr ? meta->name : std::string_view());
      } else {
        field_value(name, f);
      }
    }
    w_.end_object();
  }

  template <typename Items, typename Fn>
  void list(const Items& items, Fn&& item) {
    w_.begin_array();
    size_t i = 0;
    for (const auto& x : items) {
      PathScope p(*this, i++);
      item(x);
    }
    w_.end_array();
  }

  void write_schema(const std::vector<const Field*>& nodes) {
    object(schema_type_, nodes, [&](std::string_view name, const CollectedField& f) {
      if (name == "description") {
        opt_string(schema_.description());
      } else if (name == "types") {
        list(schema_.types(), [&](const TypeDef* t) {
          write_type(TypeHandle{nullptr, t}, f.nodes);
        });
      } else if (name == "queryType") {
        write_named(schema_.query_type(), f.nodes);
      } else if (name == "mutationType") {
        write_named(schema_.mutation_type(), f.nodes);
      } else if (name == "subscriptionType") {
        write_named(schema_.subscription_type(), f.nodes);
      } else if (name == "directives") {
        // Directive deprecation is not modelled: every directive is current.
        if (!include_deprecated(schema_type_, name, *f.nodes[0])) {
          w_.null();
          return;
        }
        list(schema_.directives(), [&](const DirectiveDef* d) { write_directive(*d, f.nodes); });
      } else {
        w_.null();
      }
    });
  }

  void write_named(const TypeDef* t, const std::vector<const Field*>& nodes) {
    if (t == nullptr) {
      w_.null();
    } else {
      write_type(TypeHandle{nullptr, t}, nodes);
    }
  }

  void write_type_field(const std::vector<const Field*>& nodes) {
    const FieldDef* def = schema_.query_type() != nullptr
                              ? schema_.field_def(schema_.query_type(), "__type")
                              : nullptr;
    if (def == nullptr) {
      w_.null();
      return;
    }
    const JsonValue* args = argument_values(def->arguments, "<meta>.__type", *nodes[0]);
    const JsonValue* name = args != nullptr ? args->find("name") : nullptr;
    const TypeDef* t = name != nullptr ? schema_.type(name->as_string()) : nullptr;
    write_named(t, nodes);
  }

  void write_type(TypeHandle h, const std::vector<const Field*>& nodes) {
    const TypeDef* t = h.def;
    object(type_type_, nodes, [&](std::string_view name, const CollectedField& f) {
      if (name == "kind") {
        if (t != nullptr) {
          w_.string(type_kind_name(t->kind));
        } else {
          w_.string(h.ref->is_list() ? "LIST" : "NON_NULL");
        }
      } else if (name == "name") {
        opt_string(t != nullptr ? t->name : std::string_view());
      } else if (name == "description") {
        opt_string(t != nullptr ? t->description : std::string_view());
      } else if (name == "specifiedByURL") {
        opt_string(t != nullptr && t->kind == TypeKind::kScalar ? t->specified_by_url
                                                                : std::string_view());
      } else if (name == "fields") {
        if (t == nullptr || (t->kind != TypeKind::kObject && t->kind != TypeKind::kInterface)) {
          w_.null();
          return;
        }
        auto all = include_deprecated(type_type_, name, *f.nodes[0]);
        if (!all) {
          w_.null();
          return;
        }
        std::vector<const FieldDef*> shown;
        for (const FieldDef& fd : t->fields) {
          if (*all || !fd.deprecated) shown.push_back(&fd);
        }
        list(shown, [&](const FieldDef* fd) { write_field(*fd, f.nodes); });
      } else if (name == "interfaces") {
        if (t == nullptr || (t->kind != TypeKind::kObject && t->kind != TypeKind::kInterface)) {
          w_.null();
          return;
        }
        list(t->interfaces, [&](const TypeDef* i) { write_type(TypeHandle{nullptr, i}, f.nodes); });
      } else if (name == "possibleTypes") {
        if (t == nullptr || !t->is_abstract()) {
          w_.null();
          return;
        }
        list(t->possible_types, [&](const TypeDef* p) {
          write_type(TypeHandle{nullptr, p}, f.nodes);
        });
      } else if (name == "enumValues") {
        if (t == nullptr || t->kind != TypeKind::kEnum) {
          w_.null();
          return;
        }
        auto all = include_deprecated(type_type_, name, *f.nodes[0]);
        if (!all) {
          w_.null();
          return;
        }
        std::vector<const EnumValueDef*> shown;
        for (const EnumValueDef& ev : t->enum_values) {
          if (*all || !ev.deprecated) shown.push_back(&ev);
        }
        list(shown, [&](const EnumValueDef* ev) { write_enum_value(*ev, f.nodes); });
      } else if (name == "inputFields") {
        if (t == nullptr || t->kind != TypeKind::kInputObject) {
          w_.null();
          return;
        }
        auto all = include_deprecated(type_type_, name, *f.nodes[0]);
        if (!all) {
          w_.null();
          return;
        }
        write_input_values(t->input_fields, *all, f.nodes);
      } else if (name == "ofType") {
        if (t != nullptr) {
          w_.null();
        } else {
          write_type(TypeHandle::of(h.ref->of_type), f.nodes);
        }
      } else if (name == "isOneOf") {
        if (t != nullptr && t->kind == TypeKind::kInputObject) {
          w_.boolean(t->one_of);
        } else {
          w_.null();
        }
      } else {
        w_.null();
      }
    });
  }

  void write_input_values(const std::vector<InputValueDef>& values, bool all,
                          const std::vector<const Field*>& nodes) {
    std::vector<const InputValueDef*> shown;
    for (const InputValueDef& v : values) {
      if (all || !v.deprecated) shown.push_back(&v);
    }
    list(shown, [&](const InputValueDef* v) { write_input_value(*v, nodes); });
  }

  void write_field(const FieldDef& fd, const std::vector<const Field*>& nodes) {
    object(field_type_, nodes, [&](std::string_view name, const CollectedField& f) {
      if (name == "name") {
        w_.string(fd.name);
      } else if (name == "description") {
        opt_string(fd.description);
      } else if (name == "args") {
        auto all = include_deprecated(field_type_, name, *f.nodes[0]);
        if (!all) {
          w_.null();
          return;
        }
        write_input_values(fd.arguments, *all, f.nodes);
      } else if (name == "type") {
        write_type(TypeHandle::of(fd.type), f.nodes);
      } else if (name == "isDeprecated" || name == "deprecationReason") {
        deprecation(fd.deprecated, fd.deprecation_reason, name);
      } else {
        w_.null();
      }
    });
  }

  void write_input_value(const InputValueDef& v, const std::vector<const Field*>& nodes) {
    object(input_value_type_, nodes, [&](std::string_view name, const CollectedField& f) {
      if (name == "name") {
        w_.string(v.name);
      } else if (name == "description") {
        opt_string(v.description);
      } else if (name == "type") {
        write_type(TypeHandle::of(v.type), f.nodes);
      } else if (name == "defaultValue") {
        if (v.default_value != nullptr) {
          w_.string(print(*v.default_value));
        } else {
          w_.null();
        }
      } else if (name == "isDeprecated" || name == "deprecationReason") {
        deprecation(v.deprecated, v.deprecation_reason, name);
      } else {
        w_.null();
      }
    });
  }

  void write_enum_value(const EnumValueDef& ev, const std::vector<const Field*>& nodes) {
    object(enum_value_type_, nodes, [&](std::string_view name, const CollectedField&) {
      if (name == "name") {
        w_.string(ev.name);
      } else if (name == "description") {
        opt_string(ev.description);
      } else if (name == "isDeprecated" || name == "deprecationReason") {
        deprecation(ev.deprecated, ev.deprecation_reason, name);
      } else {
        w_.null();
      }
    });
  }

  void write_directive(const DirectiveDef& d, const std::vector<const Field*>& nodes) {
    object(directive_type_, nodes, [&](std::string_view name, const CollectedField& f) {
      if (name == "name") {
        w_.string(d.name);
      } else if (name == "description") {
        opt_string(d.description);
      } else if (name == "isRepeatable") {
        w_.boolean(d.repeatable);
      } else if (name == "locations") {
        list(d.locations, [&](DirectiveLocation loc) { w_.string(directive_location_name(loc)); });
      } else if (name == "args") {
        auto all = include_deprecated(directive_type_, name, *f.nodes[0]);
        if (!all) {
          w_.null();
          return;
        }
        write_input_values(d.arguments, *all, f.nodes);
      } else if (name == "isDeprecated") {
        w_.boolean(false);
      } else {
        w_.null();
      }
    });
  }

  const Schema& schema_;
  const Document* document_;
  const JsonValue* variables_;
  Arena& arena_;
  JsonWriter& w_;
  ErrorReport& errors_;
  std::vector<PathElement> path_;
  const TypeDef* schema_type_;
  const TypeDef* type_type_;
  const TypeDef* field_type_;
  const TypeDef* input_value_type_;
  const TypeDef* enum_value_type_;
  const TypeDef* directive_type_;
};

}  // namespace

bool is_introspection_field(std::string_view name) {
  return name == "__schema" || name == "__type" || name == "__typename";
}

size_t write_introspection_fields(const IntrospectionRequest& request, Arena& arena,
                                  JsonWriter& out, ErrorReport& errors) {
  if (request.schema == nullptr || request.operation == nullptr) return 0;
  Executor e(request, arena, out, errors);
  return e.write_root(*request.operation);
}

std::string execute_introspection(const IntrospectionRequest& request, Arena& arena,
                                  ErrorReport& errors) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  write_introspection_fields(request, arena, w, errors);
  w.end_object();
  return out;
}

}  // namespace orbit::graphql
