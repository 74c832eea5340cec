#include "response_writer.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "orbit/base/json_writer.h"

namespace orbit::executor {
namespace {

using graphql::Field;
using graphql::FieldDef;
using graphql::GraphqlError;
using graphql::InlineFragment;
using graphql::Kind;
using graphql::PathElement;
using graphql::Schema;
using graphql::Selection;
using graphql::SelectionSet;
using graphql::TypeDef;
using graphql::TypeKind;
using graphql::TypeRef;

// What writing one value did. kNullPlain: the data held null (or nothing) and no error was
// reported for it yet; kNull: null was written and an error explains it; kBubble: a non-null
// position got null, the caller must null itself.
enum class Outcome : uint8_t { kValue, kNull, kNullPlain, kBubble };

struct PathItem {
  std::string_view key;
  int64_t index = -1;
};

// The projection of one selection set onto one concrete type, compiled once per execution:
// the fields collected (fragments applied, @skip/@include decided, equal response keys
// merged), each with its FieldDef and its `,"key":` text, so writing an object does no
// schema lookups. `child` is the compiled selection of the field's object type (filled on
// first use; abstract types resolve per object).
struct Compiled;

struct CompiledField {
  enum class Kind : uint8_t { kValue, kTypename, kUnknown };
  const Field* field;
  const FieldDef* def;
  std::string_view key;
  const char* prefix;  // ,"key":
  uint32_t prefix_len;
  Kind kind;
  Compiled* child = nullptr;
};

struct Compiled {
  const SelectionSet* selection_set;
  const TypeDef* type;
  CompiledField* fields;
  uint32_t size;
};

class Writer {
 public:
  Writer(std::string& out, const Schema& schema, Arena& arena, std::vector<GraphqlError>& errors,
         const JsonValue& variables)
      : out_(out), schema_(schema), arena_(arena), errors_(errors), variables_(variables) {
    int_ = schema.type("Int");
    float_ = schema.type("Float");
    string_ = schema.type("String");
    boolean_ = schema.type("Boolean");
    id_ = schema.type("ID");
    cache_.resize(64);
  }

  // The compiled projection of `selection_set` (may be null) onto `type`.
  Compiled* compiled(const SelectionSet* selection_set, const TypeDef* type);

  // Writes {…} for `object` with the projection `c`; false when a non-null violation
  // bubbled out of it (the caller truncates what was written).
  bool write_object(RObject* object, Compiled* c);

 private:
  Outcome write_value(const RValue* value, const TypeRef* type, CompiledField& cf,
                      const TypeDef* parent);
  Outcome write_leaf(const RValue& value, const TypeDef* type, const TypeDef* parent,
                     const Field* field);
  Compiled* compile(const SelectionSet* selection_set, const TypeDef* type);
  void collect(const SelectionSet* selection_set, const TypeDef* runtime,
               std::vector<const Field*>& out);
  bool fragment_applies(const InlineFragment* fragment, const TypeDef* runtime) const;
  bool included(graphql::List<graphql::Directive> directives) const;

  Outcome invalid_value(const TypeDef* parent, const Field* field);
  void report_non_null(const TypeDef* parent, const Field* field);
  bool explained_by_existing_error() const;
  std::vector<PathElement> current_path() const;

  std::string& out_;
  const Schema& schema_;
  Arena& arena_;
  std::vector<GraphqlError>& errors_;
  const JsonValue& variables_;
  std::vector<PathItem> path_;
  std::vector<Compiled*> cache_;  // open addressing on (selection set, type)
  size_t cache_used_ = 0;
  const TypeDef* int_;
  const TypeDef* float_;
  const TypeDef* string_;
  const TypeDef* boolean_;
  const TypeDef* id_;
};

// Only fields, none under @skip/@include: written as they are.
bool is_plain(const SelectionSet* selection_set) {
  for (const Selection* s : selection_set->selections)
    if (s->kind != Kind::kField || !static_cast<const Field*>(s)->directives.empty()) return false;
  return true;
}

size_t compiled_hash(const SelectionSet* selection_set, const TypeDef* type) {
  size_t h = (reinterpret_cast<uintptr_t>(selection_set) >> 3) * 0x9E3779B97F4A7C15ULL ^
             (reinterpret_cast<uintptr_t>(type) >> 3);
  return h ^ (h >> 29);
}

Compiled* Writer::compiled(const SelectionSet* selection_set, const TypeDef* type) {
  size_t mask = cache_.size() - 1;
  size_t i = compiled_hash(selection_set, type) & mask;
  for (; cache_[i] != nullptr; i = (i + 1) & mask) {
    if (cache_[i]->selection_set == selection_set && cache_[i]->type == type) return cache_[i];
  }
  Compiled* c = compile(selection_set, type);
  if ((cache_used_ + 1) * 2 > cache_.size()) {
    std::vector<Compiled*> old = std::move(cache_);
    cache_.assign(old.size() * 2, nullptr);
    mask = cache_.size() - 1;
    for (Compiled* o : old) {
      if (o == nullptr) continue;
      size_t j = compiled_hash(o->selection_set, o->type) & mask;
      while (cache_[j] != nullptr)
        j = (j + 1) & mask;
      cache_[j] = o;
    }
    i = compiled_hash(selection_set, type) & mask;
    while (cache_[i] != nullptr)
      i = (i + 1) & mask;
  }
  cache_[i] = c;
  ++cache_used_;
  return c;
}

Compiled* Writer::compile(const SelectionSet* selection_set, const TypeDef* type) {
  std::vector<const Field*> fields;
  if (selection_set != nullptr) {
    if (is_plain(selection_set)) {
      // Normalization merged fields with equal response keys: nothing to collect.
      for (const Selection* s : selection_set->selections)
        fields.push_back(static_cast<const Field*>(s));
    } else {
      collect(selection_set, type, fields);
    }
  }
  auto* c = arena_.make<Compiled>();
  c->selection_set = selection_set;
  c->type = type;
  c->size = static_cast<uint32_t>(fields.size());
  c->fields = fields.empty() ? nullptr
                             : static_cast<CompiledField*>(arena_.allocate(
                                   sizeof(CompiledField) * fields.size(), alignof(CompiledField)));
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field* f = fields[i];
    std::string_view key = f->response_key();
    // Names match /[_A-Za-z][_0-9A-Za-z]*/: no escaping needed.
    char* prefix = static_cast<char*>(arena_.allocate(key.size() + 4, 1));
    prefix[0] = ',';
    prefix[1] = '"';
    std::memcpy(prefix + 2, key.data(), key.size());
    prefix[key.size() + 2] = '"';
    prefix[key.size() + 3] = ':';
    CompiledField::Kind kind = CompiledField::Kind::kValue;
    const FieldDef* def = nullptr;
    if (f->name.value == "__typename") {
      kind = CompiledField::Kind::kTypename;
    } else {
      def = schema_.field_def(type, f->name.value);
      // Not a field of the API schema (introspection is answered before execution).
      if (def == nullptr) kind = CompiledField::Kind::kUnknown;
    }
    new (&c->fields[i])
        CompiledField{f, def, key, prefix, static_cast<uint32_t>(key.size() + 4), kind, nullptr};
  }
  return c;
}

bool Writer::write_object(RObject* object, Compiled* c) {
  out_ += '{';
  uint32_t hint = 0;
  for (uint32_t i = 0; i < c->size; ++i) {
    CompiledField& cf = c->fields[i];
    // `,"key":` in one append (without the comma for the first field).
    out_.append(cf.prefix + (i == 0), cf.prefix_len - (i == 0));
    switch (cf.kind) {
      case CompiledField::Kind::kTypename:
        out_ += '"';
        out_ += c->type->name;
        out_ += '"';
        continue;
      case CompiledField::Kind::kUnknown: out_ += "null"; continue;
      case CompiledField::Kind::kValue: break;
    }
    RValue* value = object != nullptr ? object->find(cf.key, &hint) : nullptr;
    path_.push_back(PathItem{cf.key, -1});
    Outcome r = write_value(value, cf.def->type, cf, c->type);
    path_.pop_back();
    if (r == Outcome::kBubble) return false;
  }
  out_ += '}';
  return true;
}

Outcome Writer::write_value(const RValue* value, const TypeRef* type, CompiledField& cf,
                            const TypeDef* parent) {
  const Field* field = cf.field;
  if (type->is_non_null()) {
    Outcome r = write_value(value, type->of_type, cf, parent);
    if (r == Outcome::kValue) return r;
    if (r == Outcome::kNullPlain) report_non_null(parent, field);
    return Outcome::kBubble;
  }
  size_t mark = out_.size();
  if (value == nullptr || value->is_null()) {
    out_ += "null";
    return Outcome::kNullPlain;
  }
  if (type->is_list()) {
    if (!value->is_array()) return invalid_value(parent, field);
    out_ += '[';
    for (uint32_t i = 0; i < value->size; ++i) {
      if (i) out_ += ',';
      path_.push_back(PathItem{{}, static_cast<int64_t>(i)});
      Outcome r = write_value(&value->items[i], type->of_type, cf, parent);
      path_.pop_back();
      if (r == Outcome::kBubble) {
        out_.resize(mark);
        out_ += "null";
        return Outcome::kNull;
      }
    }
    out_ += ']';
    return Outcome::kValue;
  }
  const TypeDef* named = type->named;
  if (named->is_leaf()) return write_leaf(*value, named, parent, field);
  if (!value->is_object()) return invalid_value(parent, field);
  Compiled* c;
  if (!named->is_abstract()) {
    if (cf.child == nullptr) cf.child = compiled(field->selection_set, named);
    c = cf.child;
  } else {
    const TypeDef* runtime;
    const RValue* tn = value->object->find("__typename");
    runtime = tn != nullptr && tn->is_string() ? schema_.type(tn->str()) : nullptr;
    if (runtime == nullptr || runtime->kind != TypeKind::kObject ||
        !schema_.is_possible_type(named, runtime)) {
      GraphqlError& e = errors_.emplace_back();
      e.message = "Abstract type \"" + std::string(named->name) +
                  "\" must resolve to an object type at runtime for field \"" +
                  std::string(parent->name) + "." + std::string(field->name.value) + "\".";
      e.path = current_path();
      e.code = ErrorCode::kSubrequestMalformedResponse;
      out_ += "null";
      return Outcome::kNull;
    }
    c = compiled(field->selection_set, runtime);
  }
  if (!write_object(value->object, c)) {
    out_.resize(mark);
    out_ += "null";
    return Outcome::kNull;
  }
  return Outcome::kValue;
}

Outcome Writer::write_leaf(const RValue& v, const TypeDef* type, const TypeDef* parent,
                           const Field* field) {
  if (type->kind == TypeKind::kEnum) {
    if (!v.is_string() || type->enum_value(v.str()) == nullptr) return invalid_value(parent, field);
    append_json_string(out_, v.str());
    return Outcome::kValue;
  }
  if (type == string_) {
    if (!v.is_string()) return invalid_value(parent, field);
    append_json_string(out_, v.str());
  } else if (type == int_) {
    if (v.kind == RKind::kInt && v.i >= INT32_MIN && v.i <= INT32_MAX) {
      append_rvalue(out_, v);
    } else if (v.kind == RKind::kDouble && std::trunc(v.d) == v.d && v.d >= INT32_MIN &&
               v.d <= INT32_MAX) {
      RValue as_int;
      as_int.kind = RKind::kInt;
      as_int.i = static_cast<int64_t>(v.d);
      append_rvalue(out_, as_int);
    } else {
      return invalid_value(parent, field);
    }
  } else if (type == float_) {
    if (v.kind != RKind::kInt && v.kind != RKind::kUint && v.kind != RKind::kDouble)
      return invalid_value(parent, field);
    append_rvalue(out_, v);
  } else if (type == boolean_) {
    if (v.kind != RKind::kBool) return invalid_value(parent, field);
    append_rvalue(out_, v);
  } else if (type == id_) {
    if (v.is_string()) {
      append_json_string(out_, v.str());
    } else if (v.kind == RKind::kInt || v.kind == RKind::kUint) {
      out_ += '"';
      append_rvalue(out_, v);
      out_ += '"';
    } else {
      return invalid_value(parent, field);
    }
  } else {
    // Custom scalars: any JSON value.
    append_rvalue(out_, v);
  }
  return Outcome::kValue;
}

void Writer::collect(const SelectionSet* selection_set, const TypeDef* runtime,
                     std::vector<const Field*>& out) {
  for (const Selection* s : selection_set->selections) {
    if (s->kind == Kind::kField) {
      const auto* f = static_cast<const Field*>(s);
      if (!included(f->directives)) continue;
      std::string_view key = f->response_key();
      bool merged = false;
      for (const Field*& seen : out) {
        if (seen->response_key() != key) continue;
        merged = true;
        if (seen->selection_set != nullptr && f->selection_set != nullptr) {
          // The same response key selected twice (inside and outside a fragment): one field
          // whose selection is both selections, collected again one level down.
          auto* both = arena_.make<Field>(*seen);
          auto* set = arena_.make<SelectionSet>(*seen->selection_set);
          size_t n = seen->selection_set->selections.size() + f->selection_set->selections.size();
          auto** items =
              static_cast<Selection**>(arena_.allocate(sizeof(Selection*) * n, alignof(void*)));
          size_t i = 0;
          for (Selection* x : seen->selection_set->selections)
            items[i++] = x;
          for (Selection* x : f->selection_set->selections)
            items[i++] = x;
          set->selections = graphql::List<Selection>(items, n);
          both->selection_set = set;
          seen = both;
        }
        break;
      }
      if (!merged) out.push_back(f);
    } else if (s->kind == Kind::kInlineFragment) {
      const auto* fragment = static_cast<const InlineFragment*>(s);
      if (fragment->selection_set != nullptr && fragment_applies(fragment, runtime) &&
          included(fragment->directives))
        collect(fragment->selection_set, runtime, out);
    }
    // Fragment spreads do not occur: the operation has its fragments inlined.
  }
}

// @skip/@include that normalization kept (on variables; NormalizeOptions::
// keep_variable_conditions) decide here, as graphql-js's CollectFields does. The variables
// are coerced, so a condition variable holds a Boolean.
bool Writer::included(graphql::List<graphql::Directive> directives) const {
  for (const graphql::Directive* d : directives) {
    bool include = d->name.value == "include";
    if (!include && d->name.value != "skip") continue;
    for (const graphql::Argument* a : d->arguments) {
      if (a->name.value != "if" || a->value == nullptr) continue;
      bool value = false;
      if (a->value->kind == Kind::kBooleanValue) {
        value = a->value->as<graphql::BooleanValue>()->value;
      } else if (a->value->kind == Kind::kVariable) {
        const JsonValue* v = variables_.is_object()
                                 ? variables_.find(a->value->as<graphql::Variable>()->name.value)
                                 : nullptr;
        value = v != nullptr && v->as_bool();
      }
      if (value != include) return false;
    }
  }
  return true;
}

bool Writer::fragment_applies(const InlineFragment* fragment, const TypeDef* runtime) const {
  if (fragment->type_condition == nullptr) return true;
  std::string_view name = fragment->type_condition->name.value;
  if (name == runtime->name) return true;
  const TypeDef* condition = schema_.type(name);
  return condition != nullptr && condition->is_abstract() &&
         schema_.is_possible_type(condition, runtime);
}

Outcome Writer::invalid_value(const TypeDef* parent, const Field* field) {
  GraphqlError& e = errors_.emplace_back();
  e.message = "Invalid value found for field " + std::string(parent->name) + "." +
              std::string(field->name.value) + ".";
  e.path = current_path();
  e.code = ErrorCode::kSubrequestMalformedResponse;
  out_ += "null";
  return Outcome::kNull;
}

void Writer::report_non_null(const TypeDef* parent, const Field* field) {
  if (explained_by_existing_error()) return;
  GraphqlError& e = errors_.emplace_back();
  e.message = "Cannot return null for non-nullable field " + std::string(parent->name) + "." +
              std::string(field->name.value) + ".";
  e.path = current_path();
}

// An error at this path, above it (a failed fetch that should have produced the data) or
// below it (a subgraph that nulled the object because of the error) explains the null.
bool Writer::explained_by_existing_error() const {
  for (const GraphqlError& e : errors_) {
    if (e.path.empty()) continue;
    size_t n = std::min(e.path.size(), path_.size());
    bool related = true;
    for (size_t i = 0; i < n && related; ++i) {
      const PathElement& a = e.path[i];
      const PathItem& b = path_[i];
      related = a.is_index() ? a.index == b.index : (b.index < 0 && a.key == b.key);
    }
    if (related) return true;
  }
  return false;
}

std::vector<PathElement> Writer::current_path() const {
  std::vector<PathElement> path;
  path.reserve(path_.size());
  for (const PathItem& p : path_) {
    path.push_back(p.index >= 0 ? PathElement::list_index(p.index) : PathElement::field(p.key));
  }
  return path;
}

}  // namespace

bool write_data(std::string& out, RObject* root, const graphql::OperationDefinition& operation,
                const graphql::Schema& schema, const JsonValue& variables, Arena& arena,
                std::vector<graphql::GraphqlError>& errors) {
  const TypeDef* root_type = schema.root_type(operation.operation);
  size_t mark = out.size();
  if (root_type == nullptr) {
    out += "null";
    return false;
  }
  Writer writer(out, schema, arena, errors, variables);
  if (!writer.write_object(root, writer.compiled(operation.selection_set, root_type))) {
    out.resize(mark);
    out += "null";
    return false;
  }
  return true;
}

}  // namespace orbit::executor
