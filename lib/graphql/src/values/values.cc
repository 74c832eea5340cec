#include "orbit/graphql/values/values.h"

#include <charconv>
#include <cmath>
#include <vector>

#include "orbit/graphql/printer.h"
#include "orbit/graphql/schema/suggestion_list.h"

namespace orbit::graphql {

namespace {

// ---- helpers ------------------------------------------------------------------------------

// A step into a value: an input-object field name, or a list index (key empty).
struct PathStep {
  std::string_view key;
  int64_t index = -1;
};
using Path = std::vector<PathStep>;

// graphql-js printPathArray: "" or " at .a[0].b".
std::string print_path(const Path& path) {
  if (path.empty()) return {};
  std::string out = " at ";
  for (const PathStep& s : path) {
    if (s.index >= 0) {
      out += '[';
      out += std::to_string(s.index);
      out += ']';
    } else {
      out += '.';
      out += s.key;
    }
  }
  return out;
}

std::string js_number(double d) {
  std::string s;
  append_js_number(s, d);
  return s;
}

// The number as JavaScript sees it after JSON.parse.
double js_value(const JsonValue& v) {
  return v.is_int64() ? static_cast<double>(v.as_int64()) : v.as_double();
}

void inspect_into(std::string& out, const JsonValue& v, int depth) {
  constexpr int kMaxDepth = 2;
  constexpr size_t kMaxItems = 10;
  switch (v.type()) {
    case JsonType::kNull: out += "null"; break;
    case JsonType::kBool: out += v.as_bool() ? "true" : "false"; break;
    case JsonType::kNumber: append_js_number(out, js_value(v)); break;
    case JsonType::kString: append_json_string(out, v.as_string()); break;
    case JsonType::kArray: {
      auto items = v.items();
      if (items.empty()) {
        out += "[]";
        break;
      }
      if (depth > kMaxDepth) {
        out += "[Array]";
        break;
      }
      out += '[';
      size_t n = std::min(items.size(), kMaxItems);
      for (size_t i = 0; i < n; ++i) {
        if (i > 0) out += ", ";
        inspect_into(out, items[i], depth + 1);
      }
      size_t rest = items.size() - n;
      if (rest == 1) out += ", ... 1 more item";
      if (rest > 1) out += ", ... " + std::to_string(rest) + " more items";
      out += ']';
      break;
    }
    case JsonType::kObject: {
      auto members = v.members();
      if (members.empty()) {
        out += "{}";
        break;
      }
      if (depth > kMaxDepth) {
        out += "[Object]";
        break;
      }
      out += "{ ";
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out += ", ";
        out += members[i].key;
        out += ": ";
        inspect_into(out, members[i].value, depth + 1);
      }
      out += " }";
      break;
    }
  }
}

std::string type_str(const TypeRef* t) {
  return t->to_string();
}

bool is_required(const InputValueDef& def) {
  return def.type->is_non_null() && def.default_value == nullptr;
}

std::string print_ast_type(const Type* t) {
  switch (t->kind) {
    case Kind::kNamedType: return std::string(t->as<NamedType>()->name.value);
    case Kind::kListType: return "[" + print_ast_type(t->as<ListType>()->type) + "]";
    case Kind::kNonNullType: return print_ast_type(t->as<NonNullType>()->type) + "!";
    default: return {};
  }
}

enum class Builtin { kNone, kInt, kFloat, kString, kBoolean, kId };

Builtin builtin_scalar(const TypeDef* t) {
  if (t->kind != TypeKind::kScalar) return Builtin::kNone;
  std::string_view n = t->name;
  if (n == "Int") return Builtin::kInt;
  if (n == "Float") return Builtin::kFloat;
  if (n == "String") return Builtin::kString;
  if (n == "Boolean") return Builtin::kBoolean;
  if (n == "ID") return Builtin::kId;
  return Builtin::kNone;
}

std::string enum_suggestions(const TypeDef* enum_type, std::string_view unknown, bool hide) {
  if (hide) return {};
  std::vector<std::string_view> names;
  names.reserve(enum_type->enum_values.size());
  for (const EnumValueDef& v : enum_type->enum_values)
    names.push_back(v.name);
  auto list = suggestion_list(unknown, names);
  return did_you_mean(list, "the enum value");
}

std::string field_suggestions(const TypeDef* input_type, std::string_view unknown, bool hide) {
  if (hide) return {};
  std::vector<std::string_view> names;
  names.reserve(input_type->input_fields.size());
  for (const InputValueDef& f : input_type->input_fields)
    names.push_back(f.name);
  return did_you_mean(suggestion_list(unknown, names));
}

std::string one_of_message(const TypeDef* t) {
  return "Within OneOf Input Object type \"" + std::string(t->name) +
         "\", exactly one field must be specified, and the value for that field must be "
         "non-null.";
}

std::string unknown_field_message(const TypeDef* t, std::string_view field, bool hide,
                                  const std::string& found) {
  std::string suggestion = field_suggestions(t, field, hide);
  std::string out = "Expected value of type \"" + std::string(t->name) +
                    "\" not to include unknown field \"" + std::string(field) + "\"";
  if (!suggestion.empty()) {
    out += "." + suggestion + " Found";
  } else {
    out += ", found";
  }
  return out + ": " + found + ".";
}

// Collects problems; `out` may be null when only success matters.
struct Sink {
  std::vector<InputProblem>* out = nullptr;
  bool hide_suggestions = false;

  // Only problems are wanted, not the coerced value (validate_input_literal).
  bool validate_only = false;

  void report(std::string message, const Path& path, Location loc = {}) {
    if (out != nullptr) out->push_back(InputProblem{std::move(message), print_path(path), loc});
  }
};

// ---- runtime (JSON) values: coerceInputValue + validateInputValue -------------------------

bool coerce_default(const InputValueDef& def, Arena& arena, JsonValue* out, int depth = 0);

// A built-in scalar or enum from JSON. Returns false with the scalar's message.
bool coerce_leaf_value(const TypeDef* t, const JsonValue& v, bool hide, Arena& arena,
                       JsonValue* out, std::string* message) {
  if (t->kind == TypeKind::kEnum) {
    if (!v.is_string()) {
      std::string shown = inspect(v);
      *message = "Enum \"" + std::string(t->name) +
                 "\" cannot represent non-string value: " + shown + "." +
                 enum_suggestions(t, shown, hide);
      return false;
    }
    const EnumValueDef* ev = t->enum_value(v.as_string());
    if (ev == nullptr) {
      *message = "Value \"" + std::string(v.as_string()) + "\" does not exist in \"" +
                 std::string(t->name) + "\" enum." + enum_suggestions(t, v.as_string(), hide);
      return false;
    }
    *out = JsonValue::string(ev->name);
    return true;
  }
  switch (builtin_scalar(t)) {
    case Builtin::kNone: *out = v; return true;  // custom scalars: unchanged
    case Builtin::kInt: {
      if (!v.is_number()) {
        *message = "Int cannot represent non-integer value: " + inspect(v);
        return false;
      }
      if (v.is_int64()) {
        int64_t i = v.as_int64();
        if (i > INT32_MAX || i < INT32_MIN) {
          *message = "Int cannot represent non 32-bit signed integer value: " +
                     js_number(static_cast<double>(i));
          return false;
        }
        *out = v;
        return true;
      }
      double d = v.as_double();
      if (!std::isfinite(d) || std::trunc(d) != d) {
        *message = "Int cannot represent non-integer value: " + js_number(d);
        return false;
      }
      if (d > INT32_MAX || d < INT32_MIN) {
        *message = "Int cannot represent non 32-bit signed integer value: " + js_number(d);
        return false;
      }
      *out = JsonValue::integer(static_cast<int64_t>(d));
      return true;
    }
    case Builtin::kFloat: {
      if (!v.is_number()) {
        *message = "Float cannot represent non numeric value: " + inspect(v);
        return false;
      }
      if (v.is_int64()) {
        *out = v;
        return true;
      }
      double d = v.as_double();
      if (!std::isfinite(d)) {
        *message = "Float cannot represent non numeric value: " + js_number(d);
        return false;
      }
      *out = JsonValue::number(d);
      return true;
    }
    case Builtin::kString:
      if (!v.is_string()) {
        *message = "String cannot represent a non string value: " + inspect(v);
        return false;
      }
      *out = v;
      return true;
    case Builtin::kBoolean:
      if (!v.is_bool()) {
        *message = "Boolean cannot represent a non boolean value: " + inspect(v);
        return false;
      }
      *out = v;
      return true;
    case Builtin::kId: {
      if (v.is_string()) {
        *out = v;
        return true;
      }
      if (v.is_number()) {
        std::string lexeme = v.number_lexeme();
        // Integer text is kept digit for digit (JavaScript would round beyond 2^53).
        if (lexeme.find_first_of(".eE") == std::string::npos) {
          *out = JsonValue::string_copy(arena, lexeme);
          return true;
        }
        double d = v.as_double();
        if (std::isfinite(d) && std::trunc(d) == d) {
          *out = JsonValue::string_copy(arena, js_number(d));
          return true;
        }
        *message = "ID cannot represent value: " + js_number(d);
        return false;
      }
      *message = "ID cannot represent value: " + inspect(v);
      return false;
    }
  }
  return false;
}

// `v` null means "not provided" (JavaScript's undefined).
bool coerce_value(const JsonValue* v, const TypeRef* type, Path& path, Sink& sink, Arena& arena,
                  JsonValue* out) {
  if (type->is_non_null()) {
    if (v == nullptr) {
      sink.report("Expected a value of non-null type \"" + type_str(type) + "\" to be provided.",
                  path);
      return false;
    }
    if (v->is_null()) {
      sink.report("Expected value of non-null type \"" + type_str(type) + "\" not to be null.",
                  path);
      return false;
    }
    return coerce_value(v, type->of_type, path, sink, arena, out);
  }
  if (v == nullptr || v->is_null()) {
    *out = JsonValue();
    return true;
  }
  if (type->is_list()) {
    if (!v->is_array()) {
      JsonValue item;
      if (!coerce_value(v, type->of_type, path, sink, arena, &item)) return false;
      *out = JsonValue::array(arena, std::span<const JsonValue>(&item, 1));
      return true;
    }
    auto items = v->items();
    std::vector<JsonValue> coerced(items.size());
    bool ok = true;
    for (size_t i = 0; i < items.size(); ++i) {
      path.push_back(PathStep{{}, static_cast<int64_t>(i)});
      ok &= coerce_value(&items[i], type->of_type, path, sink, arena, &coerced[i]);
      path.pop_back();
    }
    if (ok) *out = JsonValue::array(arena, coerced);
    return ok;
  }
  const TypeDef* t = type->named;
  if (t->kind == TypeKind::kInputObject) {
    if (!v->is_object() || v->is_array()) {
      sink.report("Expected value of type \"" + std::string(t->name) +
                      "\" to be an object, found: " + inspect(*v) + ".",
                  path);
      return false;
    }
    bool ok = true;
    std::vector<JsonMember> members;
    members.reserve(t->input_fields.size());
    for (const InputValueDef& field : t->input_fields) {
      const JsonValue* fv = v->find(field.name);
      if (fv == nullptr) {
        if (is_required(field)) {
          sink.report("Expected value of type \"" + std::string(t->name) +
                          "\" to include required field \"" + std::string(field.name) +
                          "\", found: " + inspect(*v) + ".",
                      path);
          ok = false;
        } else {
          JsonValue d;
          if (coerce_default(field, arena, &d)) members.push_back(JsonMember{field.name, d});
        }
        continue;
      }
      path.push_back(PathStep{field.name, -1});
      JsonValue c;
      if (coerce_value(fv, field.type, path, sink, arena, &c)) {
        members.push_back(JsonMember{field.name, c});
      } else {
        ok = false;
      }
      path.pop_back();
    }
    std::vector<const JsonMember*> known;
    for (const JsonMember& m : v->members()) {
      if (t->input_field(m.key) == nullptr) {
        sink.report(unknown_field_message(t, m.key, sink.hide_suggestions, inspect(*v)), path);
        ok = false;
      } else {
        known.push_back(&m);
      }
    }
    if (t->one_of) {
      if (known.size() != 1) {
        sink.report(one_of_message(t), path);
        ok = false;
      }
      if (!known.empty() && known[0]->value.is_null()) {
        path.push_back(PathStep{known[0]->key, -1});
        sink.report(one_of_message(t), path);
        path.pop_back();
        ok = false;
      }
    }
    if (ok) *out = JsonValue::object(arena, members);
    return ok;
  }
  std::string message;
  if (!coerce_leaf_value(t, *v, sink.hide_suggestions, arena, out, &message)) {
    sink.report(std::move(message), path);
    return false;
  }
  return true;
}

// ---- literals: coerceInputLiteral + validateInputLiteral ----------------------------------

struct LiteralContext {
  const JsonValue* variables;  // null: a constant context (defaults)
  Sink& sink;
  Arena& arena;
  // Nesting of default values inside default values; bounded because a schema that was not
  // validated (validate = false) may have an input object whose default refers to itself.
  int default_depth = 0;
};

const JsonValue* variable_value(const LiteralContext& ctx, const Variable& var) {
  return ctx.variables != nullptr ? ctx.variables->find(var.name.value) : nullptr;
}

bool coerce_leaf_literal(const TypeDef* t, const Value& node, LiteralContext& ctx, Path& path,
                         JsonValue* out) {
  auto fail = [&](std::string message) {
    ctx.sink.report(std::move(message), path, node.loc);
    return false;
  };
  if (t->kind == TypeKind::kEnum) {
    bool hide = ctx.sink.hide_suggestions;
    if (node.kind != Kind::kEnumValue) {
      std::string shown = print(node);
      return fail("Enum \"" + std::string(t->name) + "\" cannot represent non-enum value: " +
                  shown + "." + enum_suggestions(t, shown, hide));
    }
    std::string_view name = node.as<EnumValue>()->value;
    const EnumValueDef* ev = t->enum_value(name);
    if (ev == nullptr) {
      return fail("Value \"" + std::string(name) + "\" does not exist in \"" +
                  std::string(t->name) + "\" enum." + enum_suggestions(t, name, hide));
    }
    *out = JsonValue::string(ev->name);
    return true;
  }
  switch (builtin_scalar(t)) {
    case Builtin::kNone: *out = value_from_ast_untyped(node, ctx.variables, ctx.arena); return true;
    case Builtin::kInt: {
      if (node.kind != Kind::kIntValue) {
        return fail("Int cannot represent non-integer value: " + print(node));
      }
      std::string_view lexeme = node.as<IntValue>()->value;
      int64_t i = 0;
      auto [p, ec] = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), i);
      if (ec != std::errc() || i > INT32_MAX || i < INT32_MIN) {
        return fail("Int cannot represent non 32-bit signed integer value: " + std::string(lexeme));
      }
      *out = JsonValue::integer(i);
      return true;
    }
    case Builtin::kFloat: {
      if (node.kind == Kind::kIntValue) {
        std::string_view lexeme = node.as<IntValue>()->value;
        int64_t i = 0;
        auto [p, ec] = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), i);
        *out = ec == std::errc() ? JsonValue::integer(i)
                                 : JsonValue::number(JsonValue::number_text(lexeme).as_double());
        return true;
      }
      if (node.kind == Kind::kFloatValue) {
        *out = JsonValue::number(JsonValue::number_text(node.as<FloatValue>()->value).as_double());
        return true;
      }
      return fail("Float cannot represent non numeric value: " + print(node));
    }
    case Builtin::kString:
      if (node.kind != Kind::kStringValue) {
        return fail("String cannot represent a non string value: " + print(node));
      }
      *out = JsonValue::string(node.as<StringValue>()->value);
      return true;
    case Builtin::kBoolean:
      if (node.kind != Kind::kBooleanValue) {
        return fail("Boolean cannot represent a non boolean value: " + print(node));
      }
      *out = JsonValue::boolean(node.as<BooleanValue>()->value);
      return true;
    case Builtin::kId:
      if (node.kind == Kind::kStringValue) {
        *out = JsonValue::string(node.as<StringValue>()->value);
        return true;
      }
      if (node.kind == Kind::kIntValue) {
        *out = JsonValue::string(node.as<IntValue>()->value);
        return true;
      }
      return fail("ID cannot represent a non-string and non-integer value: " + print(node));
  }
  return false;
}

bool coerce_literal(const Value& node, const TypeRef* type, LiteralContext& ctx, Path& path,
                    JsonValue* out) {
  if (node.kind == Kind::kVariable) {
    const Variable& var = *node.as<Variable>();
    const JsonValue* value = variable_value(ctx, var);
    if (type->is_non_null() && ctx.variables != nullptr) {
      if (value == nullptr) {
        ctx.sink.report("Expected variable \"$" + std::string(var.name.value) +
                            "\" provided to type \"" + type_str(type) +
                            "\" to provide a runtime value.",
                        path, node.loc);
        return false;
      }
      if (value->is_null()) {
        ctx.sink.report("Expected variable \"$" + std::string(var.name.value) +
                            "\" provided to non-null type \"" + type_str(type) +
                            "\" not to be null.",
                        path, node.loc);
        return false;
      }
    }
    if (value == nullptr) return false;  // undefined
    *out = *value;
    return true;
  }
  if (type->is_non_null()) {
    if (node.kind == Kind::kNullValue) {
      ctx.sink.report("Expected value of non-null type \"" + type_str(type) + "\" not to be null.",
                      path, node.loc);
      return false;
    }
    return coerce_literal(node, type->of_type, ctx, path, out);
  }
  if (node.kind == Kind::kNullValue) {
    *out = JsonValue();
    return true;
  }
  if (type->is_list()) {
    if (node.kind != Kind::kListValue) {
      JsonValue item;
      if (!coerce_literal(node, type->of_type, ctx, path, &item)) return false;
      *out = JsonValue::array(ctx.arena, std::span<const JsonValue>(&item, 1));
      return true;
    }
    auto values = node.as<ListValue>()->values;
    std::vector<JsonValue> items(values.size());
    bool ok = true;
    for (size_t i = 0; i < values.size(); ++i) {
      const Value& item = *values[i];
      // A missing variable in a nullable item position is null, not an error.
      if (item.kind == Kind::kVariable && !type->of_type->is_non_null() &&
          variable_value(ctx, *item.as<Variable>()) == nullptr) {
        if (ctx.variables == nullptr) ok = false;
        items[i] = JsonValue();
        continue;
      }
      path.push_back(PathStep{{}, static_cast<int64_t>(i)});
      ok &= coerce_literal(item, type->of_type, ctx, path, &items[i]);
      path.pop_back();
    }
    if (ok) *out = JsonValue::array(ctx.arena, items);
    return ok;
  }
  const TypeDef* t = type->named;
  if (t->kind == TypeKind::kInputObject) {
    if (node.kind != Kind::kObjectValue) {
      ctx.sink.report("Expected value of type \"" + std::string(t->name) +
                          "\" to be an object, found: " + print(node) + ".",
                      path, node.loc);
      return false;
    }
    auto fields = node.as<ObjectValue>()->fields;
    auto find_field = [&](std::string_view name) -> const ObjectField* {
      const ObjectField* found = nullptr;  // the last one, as a JS Map built from the list
      for (const ObjectField* f : fields) {
        if (f->name.value == name) found = f;
      }
      return found;
    };
    bool ok = true;
    size_t coerced_non_null = 0, coerced_null = 0;
    std::vector<JsonMember> members;
    members.reserve(t->input_fields.size());
    for (const InputValueDef& field : t->input_fields) {
      const ObjectField* fnode = find_field(field.name);
      bool missing = fnode == nullptr;
      if (!missing && fnode->value->kind == Kind::kVariable && ctx.variables != nullptr) {
        const Variable& var = *fnode->value->as<Variable>();
        const JsonValue* value = variable_value(ctx, var);
        if (t->one_of) {
          std::string prefix = "Expected variable \"$" + std::string(var.name.value) +
                               "\" provided to field \"" + std::string(field.name) +
                               "\" for OneOf Input Object type \"" + std::string(t->name) + "\"";
          if (value == nullptr) {
            ctx.sink.report(prefix + " to provide a runtime value.", path, node.loc);
            ok = false;
          } else if (value->is_null()) {
            ctx.sink.report(prefix + " not to be null.", path, node.loc);
            ok = false;
          }
        }
        if (value == nullptr && !is_required(field)) missing = true;
      } else if (!missing && fnode->value->kind == Kind::kVariable) {
        missing = true;  // constant context: variables have no value
      }
      if (missing && is_required(field)) {
        if (fnode == nullptr) {
          ctx.sink.report("Expected value of type \"" + std::string(t->name) +
                              "\" to include required field \"" + std::string(field.name) +
                              "\", found: " + print(node) + ".",
                          path, node.loc);
        }
        ok = false;
        continue;
      }
      if (missing) {
        // Validation (a sink that collects problems) does not look into default values, as
        // graphql-js's validateInputLiteral; coercion fills them in.
        JsonValue d;
        if (!ctx.sink.validate_only && coerce_default(field, ctx.arena, &d, ctx.default_depth)) {
          members.push_back(JsonMember{field.name, d});
        }
        continue;
      }
      path.push_back(PathStep{field.name, -1});
      JsonValue c;
      if (coerce_literal(*fnode->value, field.type, ctx, path, &c)) {
        members.push_back(JsonMember{field.name, c});
        (c.is_null() ? coerced_null : coerced_non_null)++;
      } else {
        ok = false;
      }
      path.pop_back();
    }
    std::vector<const ObjectField*> known;
    for (const ObjectField* f : fields) {
      if (t->input_field(f->name.value) == nullptr) {
        ctx.sink.report(
            unknown_field_message(t, f->name.value, ctx.sink.hide_suggestions, print(node)), path,
            f->loc);
        ok = false;
      } else {
        known.push_back(f);
      }
    }
    if (t->one_of) {
      if (known.size() != 1) {
        ctx.sink.report(one_of_message(t), path, node.loc);
        return false;
      }
      if (known[0]->value->kind == Kind::kNullValue) {
        path.push_back(PathStep{known[0]->name.value, -1});
        ctx.sink.report(one_of_message(t), path, node.loc);
        path.pop_back();
        return false;
      }
      // A variable that is missing or null was reported above.
      if (members.size() != 1 || coerced_null != 0) return false;
    }
    if (ok) *out = JsonValue::object(ctx.arena, members);
    return ok;
  }
  return coerce_leaf_literal(t, node, ctx, path, out);
}

bool coerce_default(const InputValueDef& def, Arena& arena, JsonValue* out, int depth) {
  constexpr int kMaxDefaultDepth = 32;
  if (def.default_value == nullptr || depth >= kMaxDefaultDepth) return false;
  Sink sink;
  LiteralContext ctx{nullptr, sink, arena, depth + 1};
  Path path;
  return coerce_literal(*def.default_value, def.type, ctx, path, out);
}

std::string argument_name(std::string_view owner, std::string_view name) {
  return "Argument \"" + std::string(owner) + "(" + std::string(name) + ":)\"";
}

}  // namespace

// ---- public API ---------------------------------------------------------------------------

std::string inspect(const JsonValue& value) {
  std::string out;
  inspect_into(out, value, 1);
  return out;
}

JsonValue value_from_ast_untyped(const Value& node, const JsonValue* variables, Arena& arena) {
  switch (node.kind) {
    case Kind::kNullValue: return JsonValue();
    case Kind::kIntValue: {
      std::string_view lexeme = node.as<IntValue>()->value;
      int64_t i = 0;
      auto [p, ec] = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), i);
      if (ec == std::errc() && lexeme != "-0") return JsonValue::integer(i);
      return JsonValue::number_text(lexeme);
    }
    case Kind::kFloatValue: return JsonValue::number_text(node.as<FloatValue>()->value);
    case Kind::kStringValue: return JsonValue::string(node.as<StringValue>()->value);
    case Kind::kEnumValue: return JsonValue::string(node.as<EnumValue>()->value);
    case Kind::kBooleanValue: return JsonValue::boolean(node.as<BooleanValue>()->value);
    case Kind::kListValue: {
      auto values = node.as<ListValue>()->values;
      std::vector<JsonValue> items;
      items.reserve(values.size());
      for (const Value* v : values)
        items.push_back(value_from_ast_untyped(*v, variables, arena));
      return JsonValue::array(arena, items);
    }
    case Kind::kObjectValue: {
      std::vector<JsonMember> members;
      for (const ObjectField* f : node.as<ObjectValue>()->fields) {
        if (f->value->kind == Kind::kVariable &&
            (variables == nullptr ||
             variables->find(f->value->as<Variable>()->name.value) == nullptr)) {
          continue;  // undefined members vanish, as in JSON.stringify
        }
        JsonValue v = value_from_ast_untyped(*f->value, variables, arena);
        bool replaced = false;
        for (JsonMember& m : members) {
          if (m.key == f->name.value) {
            m.value = v;
            replaced = true;
          }
        }
        if (!replaced) members.push_back(JsonMember{f->name.value, v});
      }
      return JsonValue::object(arena, members);
    }
    case Kind::kVariable: {
      const JsonValue* v =
          variables != nullptr ? variables->find(node.as<Variable>()->name.value) : nullptr;
      return v != nullptr ? *v : JsonValue();
    }
    default: return JsonValue();
  }
}

const JsonValue* coerce_input_literal(const Value& value, const TypeRef* type,
                                      const JsonValue* variables, Arena& arena) {
  Sink sink;
  LiteralContext ctx{variables, sink, arena};
  Path path;
  JsonValue out;
  if (!coerce_literal(value, type, ctx, path, &out)) return nullptr;
  return arena.make<JsonValue>(out);
}

std::vector<InputProblem> validate_input_literal(const Value& value, const TypeRef* type,
                                                 const JsonValue* variables, Arena& arena,
                                                 bool hide_suggestions) {
  std::vector<InputProblem> problems;
  Sink sink{&problems, hide_suggestions, /*validate_only=*/true};
  LiteralContext ctx{variables, sink, arena};
  Path path;
  JsonValue out;
  (void)coerce_literal(value, type, ctx, path, &out);
  return problems;
}

const JsonValue* coerce_variable_values(const Schema& schema, const OperationDefinition& operation,
                                        const JsonValue* inputs, Arena& arena, ErrorReport& errors,
                                        const CoercionOptions& options) {
  size_t error_count = 0;
  bool aborted = false;
  // Returns false once the limit is hit (the caller stops).
  auto add_error = [&](std::string message, Location loc) {
    if (aborted) return false;
    if (options.max_errors != 0 && error_count >= options.max_errors) {
      errors.add("Too many errors processing variables, error limit reached. Execution aborted.",
                 ErrorCode::kVariableCoercionFailed);
      aborted = true;
      return false;
    }
    errors.add_at(std::move(message), loc, ErrorCode::kVariableCoercionFailed);
    ++error_count;
    return true;
  };
  std::vector<JsonMember> members;
  for (const VariableDefinition* def : operation.variable_definitions) {
    if (aborted) break;
    std::string_view name = def->variable->name.value;
    const TypeRef* type = schema.resolve_type(def->type, arena);
    if (type == nullptr || !type->named_type()->is_input()) {
      add_error("Variable \"$" + std::string(name) + "\" expected value of type \"" +
                    print_ast_type(def->type) + "\" which cannot be used as an input type.",
                def->type->loc);
      continue;
    }
    const JsonValue* value =
        inputs != nullptr && inputs->is_object() ? inputs->find(name) : nullptr;
    if (value == nullptr) {
      if (def->default_value != nullptr) {
        Sink sink;
        LiteralContext ctx{nullptr, sink, arena};
        Path path;
        JsonValue out;
        if (coerce_literal(*def->default_value, type, ctx, path, &out)) {
          members.push_back(JsonMember{name, out});
        } else {
          auto problems = validate_input_literal(*def->default_value, type, nullptr, arena,
                                                 options.hide_suggestions);
          for (const InputProblem& p : problems) {
            if (!add_error("Variable \"$" + std::string(name) + "\" has invalid default value" +
                               p.path + ": " + p.message,
                           def->loc))
              break;
          }
        }
        continue;
      }
      if (!type->is_non_null()) continue;
    }
    std::vector<InputProblem> problems;
    Sink sink{&problems, options.hide_suggestions};
    Path path;
    JsonValue out;
    if (coerce_value(value, type, path, sink, arena, &out)) {
      members.push_back(JsonMember{name, out});
      continue;
    }
    for (const InputProblem& p : problems) {
      if (!add_error("Variable \"$" + std::string(name) + "\" has invalid value" + p.path + ": " +
                         p.message,
                     def->loc))
        break;
    }
  }
  if (error_count > 0 || aborted) return nullptr;
  return arena.make<JsonValue>(JsonValue::object(arena, members));
}

const JsonValue* get_argument_values(std::span<const InputValueDef> definitions,
                                     std::string_view owner, List<Argument> arguments,
                                     const Node& node, const JsonValue* variables, Arena& arena,
                                     ErrorReport& errors, const CoercionOptions& options) {
  std::vector<JsonMember> members;
  auto use_default = [&](const InputValueDef& def) {
    if (def.default_value == nullptr) return true;
    JsonValue d;
    if (coerce_default(def, arena, &d)) {
      members.push_back(JsonMember{def.name, d});
      return true;
    }
    auto problems = validate_input_literal(*def.default_value, def.type, nullptr, arena,
                                           options.hide_suggestions);
    std::string detail =
        problems.empty() ? std::string() : problems[0].path + ": " + problems[0].message;
    errors.add_at(argument_name(owner, def.name) + " has invalid default value" + detail, node.loc,
                  ErrorCode::kBadUserInput);
    return false;
  };
  for (const InputValueDef& def : definitions) {
    const Argument* arg = nullptr;
    for (const Argument* a : arguments) {
      if (a->name.value == def.name) arg = a;
    }
    if (arg == nullptr) {
      if (is_required(def)) {
        errors.add_at(argument_name(owner, def.name) + " of required type \"" + type_str(def.type) +
                          "\" was not provided.",
                      node.loc, ErrorCode::kBadUserInput);
        return nullptr;
      }
      if (!use_default(def)) return nullptr;
      continue;
    }
    const Value& value = *arg->value;
    if (value.kind == Kind::kVariable && !is_required(def) &&
        (variables == nullptr || variables->find(value.as<Variable>()->name.value) == nullptr)) {
      if (!use_default(def)) return nullptr;
      continue;
    }
    std::vector<InputProblem> problems;
    Sink sink{&problems, options.hide_suggestions};
    // Argument values are never a constant context: an absent variables object is empty.
    const JsonValue no_variables = JsonValue::object(arena, {});
    LiteralContext ctx{variables != nullptr ? variables : &no_variables, sink, arena};
    Path path;
    JsonValue out;
    if (!coerce_literal(value, def.type, ctx, path, &out)) {
      if (problems.empty()) {
        errors.add_at(argument_name(owner, def.name) + " has invalid value.", value.loc,
                      ErrorCode::kBadUserInput);
      } else {
        errors.add_at(argument_name(owner, def.name) + " has invalid value" + problems[0].path +
                          ": " + problems[0].message,
                      problems[0].loc, ErrorCode::kBadUserInput);
      }
      return nullptr;
    }
    members.push_back(JsonMember{def.name, out});
  }
  return arena.make<JsonValue>(JsonValue::object(arena, members));
}

const JsonValue* get_directive_values(const DirectiveDef& definition, List<Directive> directives,
                                      const JsonValue* variables, Arena& arena, ErrorReport& errors,
                                      bool* found) {
  *found = false;
  for (const Directive* d : directives) {
    if (d->name.value != definition.name) continue;
    *found = true;
    std::string owner = "@" + std::string(definition.name);
    return get_argument_values(definition.arguments, owner, d->arguments, *d, variables, arena,
                               errors);
  }
  return nullptr;
}

bool should_include_node(const Schema& schema, List<Directive> directives,
                         const JsonValue* variables, Arena& arena, ErrorReport& errors) {
  if (directives.empty()) return true;
  for (std::string_view name : {std::string_view("skip"), std::string_view("include")}) {
    const DirectiveDef* def = schema.directive(name);
    if (def == nullptr) continue;
    bool found = false;
    const JsonValue* args =
        get_directive_values(*def, directives, variables, arena, errors, &found);
    if (!found || args == nullptr) continue;
    const JsonValue* cond = args->find("if");
    bool value = cond != nullptr && cond->as_bool();
    if (name == "skip" && value) return false;
    if (name == "include" && !value) return false;
  }
  return true;
}

}  // namespace orbit::graphql
