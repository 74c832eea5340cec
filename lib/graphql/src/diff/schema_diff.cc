#include "orbit/graphql/diff/schema_diff.h"

#include <algorithm>
#include <array>

#include "orbit/base/json_writer.h"
#include "orbit/graphql/printer.h"

namespace orbit::graphql {
namespace {

struct KindInfo {
  std::string_view code;
  ChangeSeverity severity;
};

constexpr ChangeSeverity kB = ChangeSeverity::kBreaking;
constexpr ChangeSeverity kD = ChangeSeverity::kDangerous;
constexpr ChangeSeverity kS = ChangeSeverity::kSafe;

// Indexed by ChangeKind; the order must follow the enum.
constexpr std::array<KindInfo, kChangeKindCount> kKinds = {{
    {"TYPE_ADDED", kS},
    {"TYPE_REMOVED", kB},
    {"TYPE_KIND_CHANGED", kB},
    {"FIELD_ADDED", kS},
    {"FIELD_REMOVED", kB},
    {"FIELD_TYPE_CHANGED", kB},
    {"FIELD_TYPE_CHANGED_SAFE", kS},
    {"REQUIRED_ARGUMENT_ADDED", kB},
    {"OPTIONAL_ARGUMENT_ADDED", kD},
    {"ARGUMENT_REMOVED", kB},
    {"ARGUMENT_TYPE_CHANGED", kB},
    {"ARGUMENT_TYPE_CHANGED_SAFE", kS},
    {"ARGUMENT_DEFAULT_CHANGED", kD},
    {"ARGUMENT_DEFAULT_ADDED", kS},
    {"ENUM_VALUE_ADDED", kD},
    {"ENUM_VALUE_REMOVED", kB},
    {"UNION_MEMBER_ADDED", kD},
    {"UNION_MEMBER_REMOVED", kB},
    {"INTERFACE_ADDED", kD},
    {"INTERFACE_REMOVED", kB},
    {"REQUIRED_INPUT_FIELD_ADDED", kB},
    {"OPTIONAL_INPUT_FIELD_ADDED", kD},
    {"INPUT_FIELD_REMOVED", kB},
    {"INPUT_FIELD_TYPE_CHANGED", kB},
    {"INPUT_FIELD_TYPE_CHANGED_SAFE", kS},
    {"INPUT_FIELD_DEFAULT_CHANGED", kD},
    {"INPUT_FIELD_DEFAULT_ADDED", kS},
    {"DIRECTIVE_ADDED", kS},
    {"DIRECTIVE_REMOVED", kB},
    {"DIRECTIVE_LOCATION_ADDED", kS},
    {"DIRECTIVE_LOCATION_REMOVED", kB},
    {"DIRECTIVE_REPEATABLE_ADDED", kS},
    {"DIRECTIVE_REPEATABLE_REMOVED", kB},
    {"REQUIRED_DIRECTIVE_ARGUMENT_ADDED", kB},
    {"OPTIONAL_DIRECTIVE_ARGUMENT_ADDED", kS},
    {"DIRECTIVE_ARGUMENT_REMOVED", kB},
    {"DEPRECATION_ADDED", kS},
    {"DEPRECATION_REMOVED", kS},
    {"DEPRECATION_REASON_CHANGED", kS},
    {"DESCRIPTION_CHANGED", kS},
    {"ROOT_TYPE_ADDED", kS},
    {"ROOT_TYPE_REMOVED", kB},
    {"ROOT_TYPE_CHANGED", kB},
}};

std::string_view kind_phrase(TypeKind kind) {
  switch (kind) {
    case TypeKind::kScalar: return "a scalar type";
    case TypeKind::kObject: return "an object type";
    case TypeKind::kInterface: return "an interface type";
    case TypeKind::kUnion: return "a union type";
    case TypeKind::kEnum: return "an enum type";
    case TypeKind::kInputObject: return "an input object type";
  }
  return "a type";
}

// An output position may only get stricter: wrapping in non-null is safe, unwrapping is not.
bool output_change_safe(const TypeRef* old_t, const TypeRef* new_t) {
  if (old_t->is_list()) {
    return (new_t->is_list() && output_change_safe(old_t->of_type, new_t->of_type)) ||
           (new_t->is_non_null() && output_change_safe(old_t, new_t->of_type));
  }
  if (old_t->is_non_null()) {
    return new_t->is_non_null() && output_change_safe(old_t->of_type, new_t->of_type);
  }
  return (new_t->wrap == TypeRef::Wrap::kNamed && new_t->named->name == old_t->named->name) ||
         (new_t->is_non_null() && output_change_safe(old_t, new_t->of_type));
}

// An input position may only get looser: dropping non-null is safe, adding it is not.
bool input_change_safe(const TypeRef* old_t, const TypeRef* new_t) {
  if (old_t->is_list()) {
    return new_t->is_list() && input_change_safe(old_t->of_type, new_t->of_type);
  }
  if (old_t->is_non_null()) {
    return (new_t->is_non_null() && input_change_safe(old_t->of_type, new_t->of_type)) ||
           (!new_t->is_non_null() && input_change_safe(old_t->of_type, new_t));
  }
  return new_t->wrap == TypeRef::Wrap::kNamed && new_t->named->name == old_t->named->name;
}

bool same_type(const TypeRef* a, const TypeRef* b) {
  while (a->wrap == b->wrap) {
    if (a->wrap == TypeRef::Wrap::kNamed) return a->named->name == b->named->name;
    a = a->of_type;
    b = b->of_type;
  }
  return false;
}

// A default value in one canonical text: object fields sorted by name, strings (block or
// not) as ordinary string literals, numbers by their lexeme — so two defaults compare equal
// exactly when they are the same literal, however they were laid out.
void canonical_value(const Value* v, std::string& out) {
  switch (v->kind) {
    case Kind::kIntValue: out += v->as<IntValue>()->value; return;
    case Kind::kFloatValue: out += v->as<FloatValue>()->value; return;
    case Kind::kStringValue: append_string_literal(out, v->as<StringValue>()->value); return;
    case Kind::kBooleanValue: out += v->as<BooleanValue>()->value ? "true" : "false"; return;
    case Kind::kNullValue: out += "null"; return;
    case Kind::kEnumValue: out += v->as<EnumValue>()->value; return;
    case Kind::kVariable:
      out += '$';
      out += v->as<Variable>()->name.value;
      return;
    case Kind::kListValue: {
      out += '[';
      bool first = true;
      for (const Value* item : v->as<ListValue>()->values) {
        if (!first) out += ", ";
        first = false;
        canonical_value(item, out);
      }
      out += ']';
      return;
    }
    case Kind::kObjectValue: {
      std::vector<const ObjectField*> fields(v->as<ObjectValue>()->fields.begin(),
                                             v->as<ObjectValue>()->fields.end());
      std::stable_sort(
          fields.begin(), fields.end(),
          [](const ObjectField* a, const ObjectField* b) { return a->name.value < b->name.value; });
      out += '{';
      bool first = true;
      for (const ObjectField* f : fields) {
        if (!first) out += ", ";
        first = false;
        out += f->name.value;
        out += ": ";
        canonical_value(f->value, out);
      }
      out += '}';
      return;
    }
    default: out += "?"; return;
  }
}

bool has_default(const InputValueDef& v) {
  return v.default_value != nullptr;
}

std::string default_text(const InputValueDef& v) {
  std::string out;
  if (v.default_value != nullptr) canonical_value(v.default_value, out);
  return out;
}

bool is_required(const InputValueDef& v) {
  return v.type->is_non_null() && v.default_value == nullptr;
}

std::string cat(std::initializer_list<std::string_view> parts) {
  size_t n = 0;
  for (std::string_view p : parts)
    n += p.size();
  std::string out;
  out.reserve(n);
  for (std::string_view p : parts)
    out += p;
  return out;
}

std::string quoted(std::string_view s) {
  std::string out;
  append_string_literal(out, s);
  return out;
}

// What a change is about, turned into its text only when there is a change to report
// (most members of two versions are equal; formatting every coordinate would dominate).
struct Coord {
  std::string_view type;    // type name, or directive name when `directive`
  std::string_view member;  // field, input field or enum value; empty for the type itself
  std::string_view arg;     // argument of the field or directive
  bool directive = false;

  explicit Coord(std::string_view t, std::string_view m = {}, std::string_view a = {},
                 bool d = false)
      : type(t), member(m), arg(a), directive(d) {}

  std::string str() const {
    std::string out;
    out.reserve(type.size() + member.size() + arg.size() + 5);
    if (directive) out += '@';
    out += type;
    if (!member.empty()) {
      out += '.';
      out += member;
    }
    if (!arg.empty()) {
      out += '(';
      out += arg;
      out += ":)";
    }
    return out;
  }
  Coord with_arg(std::string_view a) const { return Coord(type, member, a, directive); }
};

// Structural equality of two default values, object fields in any order.
bool same_value(const Value* a, const Value* b) {
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case Kind::kIntValue: return a->as<IntValue>()->value == b->as<IntValue>()->value;
    case Kind::kFloatValue: return a->as<FloatValue>()->value == b->as<FloatValue>()->value;
    case Kind::kStringValue: return a->as<StringValue>()->value == b->as<StringValue>()->value;
    case Kind::kBooleanValue: return a->as<BooleanValue>()->value == b->as<BooleanValue>()->value;
    case Kind::kNullValue: return true;
    case Kind::kEnumValue: return a->as<EnumValue>()->value == b->as<EnumValue>()->value;
    case Kind::kVariable: return a->as<Variable>()->name.value == b->as<Variable>()->name.value;
    case Kind::kListValue: {
      const auto& x = a->as<ListValue>()->values;
      const auto& y = b->as<ListValue>()->values;
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!same_value(x[i], y[i])) return false;
      }
      return true;
    }
    case Kind::kObjectValue: {
      const auto& x = a->as<ObjectValue>()->fields;
      const auto& y = b->as<ObjectValue>()->fields;
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        // Same position first (the usual case), else search: names are unique in a valid
        // object value, so equal sizes and every field matched means equal.
        const ObjectField* match = y[i]->name.value == x[i]->name.value ? y[i] : nullptr;
        for (size_t j = 0; match == nullptr && j < y.size(); ++j) {
          if (y[j]->name.value == x[i]->name.value) match = y[j];
        }
        if (match == nullptr || !same_value(x[i]->value, match->value)) return false;
      }
      return true;
    }
    default: return false;
  }
}

// The member of `b` named like a[i]: by position first (versions of a schema mostly keep
// their order), else by name.
template <typename T, typename Lookup>
const T* counterpart(const std::vector<T>& a, size_t i, const std::vector<T>& b, Lookup lookup) {
  if (i < b.size() && b[i].name == a[i].name) return &b[i];
  return lookup(a[i].name);
}

class Differ {
 public:
  explicit Differ(SchemaDiff& out) : out_(out) {}

  void add(ChangeKind kind, std::string coordinate, std::string message) {
    out_.changes.push_back(
        SchemaChange{kind, change_kind_severity(kind), std::move(coordinate), std::move(message)});
  }

  void run(const Schema& a, const Schema& b) {
    types(a, b);
    roots(a, b);
    directives(a, b);
  }

 private:
  void types(const Schema& a, const Schema& b) {
    const auto& at = a.types();
    const auto& bt = b.types();
    for (size_t i = 0; i < at.size(); ++i) {
      const TypeDef* old_t = at[i];
      const TypeDef* new_t =
          i < bt.size() && bt[i]->name == old_t->name ? bt[i] : b.type(old_t->name);
      if (new_t == nullptr) {
        add(ChangeKind::kTypeRemoved, std::string(old_t->name),
            old_t->builtin ? cat({"Built-in type ", old_t->name,
                                  " was removed (nothing in the schema refers to it any more)."})
                           : cat({"Type ", old_t->name, " was removed."}));
        continue;
      }
      type_changes(*old_t, *new_t);
    }
    for (size_t i = 0; i < bt.size(); ++i) {
      const TypeDef* new_t = bt[i];
      if (i < at.size() && at[i]->name == new_t->name) continue;
      if (a.type(new_t->name) == nullptr) {
        add(ChangeKind::kTypeAdded, std::string(new_t->name),
            cat({"Type ", new_t->name, " was added."}));
      }
    }
  }

  void type_changes(const TypeDef& a, const TypeDef& b) {
    if (a.kind != b.kind) {
      add(ChangeKind::kTypeKindChanged, std::string(a.name),
          cat({"Type ", a.name, " changed from ", kind_phrase(a.kind), " to ", kind_phrase(b.kind),
               "."}));
      return;
    }
    description(Coord{a.name}, "type ", a.description, b.description);
    switch (a.kind) {
      case TypeKind::kObject:
      case TypeKind::kInterface:
        fields(a, b);
        interfaces(a, b);
        break;
      case TypeKind::kUnion: members(a, b); break;
      case TypeKind::kEnum: enum_values(a, b); break;
      case TypeKind::kInputObject: input_fields(a, b); break;
      case TypeKind::kScalar: break;
    }
  }

  void description(const Coord& coord, std::string_view what, std::string_view a,
                   std::string_view b) {
    if (a == b) return;
    std::string c = coord.str();
    std::string message = cat({"Description of ", what, c});
    if (b.empty()) {
      message += " was removed.";
    } else if (a.empty()) {
      message += cat({" was added: ", quoted(b), "."});
    } else {
      message += cat({" changed to ", quoted(b), "."});
    }
    add(ChangeKind::kDescriptionChanged, std::move(c), std::move(message));
  }

  void deprecation(const Coord& coord, std::string_view what, bool a_dep, std::string_view a_reason,
                   bool b_dep, std::string_view b_reason) {
    if (a_dep == b_dep && (!a_dep || a_reason == b_reason)) return;
    std::string c = coord.str();
    if (!a_dep) {
      add(ChangeKind::kDeprecationAdded, c,
          cat({what, c, " was deprecated: ", quoted(b_reason), "."}));
    } else if (!b_dep) {
      add(ChangeKind::kDeprecationRemoved, c, cat({what, c, " is no longer deprecated."}));
    } else {
      add(ChangeKind::kDeprecationReasonChanged, c,
          cat({"Deprecation reason of ", what, c, " changed to ", quoted(b_reason), "."}));
    }
  }

  void fields(const TypeDef& a, const TypeDef& b) {
    for (size_t i = 0; i < a.fields.size(); ++i) {
      const FieldDef& old_f = a.fields[i];
      Coord coord{a.name, old_f.name};
      const FieldDef* new_f =
          counterpart(a.fields, i, b.fields, [&](std::string_view n) { return b.field(n); });
      if (new_f == nullptr) {
        std::string c = coord.str();
        add(ChangeKind::kFieldRemoved, c, cat({"Field ", c, " was removed."}));
        continue;
      }
      arguments(coord, "Argument ", old_f.arguments, new_f->arguments, false);
      if (!same_type(old_f.type, new_f->type)) {
        bool safe = output_change_safe(old_f.type, new_f->type);
        std::string c = coord.str();
        std::string message = cat({"Field ", c, " changed type from ", old_f.type->to_string(),
                                   " to ", new_f->type->to_string(), "."});
        add(safe ? ChangeKind::kFieldTypeChangedSafe : ChangeKind::kFieldTypeChanged, std::move(c),
            std::move(message));
      }
      description(coord, "field ", old_f.description, new_f->description);
      deprecation(coord, "Field ", old_f.deprecated, old_f.deprecation_reason, new_f->deprecated,
                  new_f->deprecation_reason);
    }
    for (size_t i = 0; i < b.fields.size(); ++i) {
      const FieldDef& new_f = b.fields[i];
      if (i < a.fields.size() && a.fields[i].name == new_f.name) continue;
      if (a.field(new_f.name) == nullptr) {
        std::string c = Coord{a.name, new_f.name}.str();
        add(ChangeKind::kFieldAdded, c, cat({"Field ", c, " was added."}));
      }
    }
  }

  static const InputValueDef* find(const std::vector<InputValueDef>& list, std::string_view name) {
    for (const InputValueDef& v : list) {
      if (v.name == name) return &v;
    }
    return nullptr;
  }

  // Arguments of a field (`Type.field`) or a directive (`@name`).
  void arguments(const Coord& owner, std::string_view what, const std::vector<InputValueDef>& a,
                 const std::vector<InputValueDef>& b, bool directive) {
    for (size_t i = 0; i < a.size(); ++i) {
      const InputValueDef& old_a = a[i];
      Coord coord = owner.with_arg(old_a.name);
      const InputValueDef* new_a =
          counterpart(a, i, b, [&](std::string_view n) { return find(b, n); });
      if (new_a == nullptr) {
        std::string c = coord.str();
        add(directive ? ChangeKind::kDirectiveArgumentRemoved : ChangeKind::kArgumentRemoved, c,
            cat({what, c, " was removed."}));
        continue;
      }
      input_value_changes(coord, what, old_a, *new_a, ChangeKind::kArgumentTypeChanged,
                          ChangeKind::kArgumentTypeChangedSafe, ChangeKind::kArgumentDefaultChanged,
                          ChangeKind::kArgumentDefaultAdded);
    }
    for (size_t i = 0; i < b.size(); ++i) {
      const InputValueDef& new_a = b[i];
      if (i < a.size() && a[i].name == new_a.name) continue;
      if (find(a, new_a.name) != nullptr) continue;
      std::string c = owner.with_arg(new_a.name).str();
      bool required = is_required(new_a);
      ChangeKind kind = directive ? (required ? ChangeKind::kRequiredDirectiveArgumentAdded
                                              : ChangeKind::kOptionalDirectiveArgumentAdded)
                                  : (required ? ChangeKind::kRequiredArgumentAdded
                                              : ChangeKind::kOptionalArgumentAdded);
      add(kind, c,
          cat({required ? "Required " : "Optional ",
               directive ? "directive argument " : "argument ", c, " of type ",
               new_a.type->to_string(), " was added."}));
    }
  }

  // Type, default, description and deprecation of an argument or input field that is in both.
  void input_value_changes(const Coord& coord, std::string_view what, const InputValueDef& a,
                           const InputValueDef& b, ChangeKind type_changed,
                           ChangeKind type_changed_safe, ChangeKind default_changed,
                           ChangeKind default_added) {
    bool same = same_type(a.type, b.type);
    bool safe = same || input_change_safe(a.type, b.type);
    if (!safe) {
      std::string c = coord.str();
      add(type_changed, c,
          cat({what, c, " changed type from ", a.type->to_string(), " to ", b.type->to_string(),
               "."}));
    } else if (has_default(a)) {
      if (!has_default(b)) {
        std::string c = coord.str();
        add(default_changed, c,
            cat({"Default value ", default_text(a), " of ", c, " was removed."}));
      } else if (!same_value(a.default_value, b.default_value)) {
        std::string c = coord.str();
        add(default_changed, c,
            cat({"Default value of ", c, " changed from ", default_text(a), " to ", default_text(b),
                 "."}));
      }
    } else if (has_default(b)) {
      std::string c = coord.str();
      add(default_added, c, cat({"Default value ", default_text(b), " was added to ", c, "."}));
    }
    // A type change that is safe is still worth telling (`ID!` → `ID`), also when the default
    // changed too.
    if (safe && !same) {
      std::string c = coord.str();
      add(type_changed_safe, c,
          cat({what, c, " changed type from ", a.type->to_string(), " to ", b.type->to_string(),
               "."}));
    }
    if (a.description != b.description) {
      std::string lower(what);
      if (!lower.empty()) lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
      description(coord, lower, a.description, b.description);
    }
    deprecation(coord, what, a.deprecated, a.deprecation_reason, b.deprecated,
                b.deprecation_reason);
  }

  static bool contains(const std::vector<const TypeDef*>& list, std::string_view name) {
    for (const TypeDef* t : list) {
      if (t->name == name) return true;
    }
    return false;
  }

  void interfaces(const TypeDef& a, const TypeDef& b) {
    for (const TypeDef* i : a.interfaces) {
      if (!contains(b.interfaces, i->name)) {
        add(ChangeKind::kInterfaceRemoved, std::string(a.name),
            cat({"Type ", a.name, " no longer implements interface ", i->name, "."}));
      }
    }
    for (const TypeDef* i : b.interfaces) {
      if (!contains(a.interfaces, i->name)) {
        add(ChangeKind::kInterfaceAdded, std::string(a.name),
            cat({"Type ", a.name, " now implements interface ", i->name, "."}));
      }
    }
  }

  void members(const TypeDef& a, const TypeDef& b) {
    for (const TypeDef* m : a.members) {
      if (!contains(b.members, m->name)) {
        add(ChangeKind::kUnionMemberRemoved, std::string(a.name),
            cat({"Type ", m->name, " was removed from union ", a.name, "."}));
      }
    }
    for (const TypeDef* m : b.members) {
      if (!contains(a.members, m->name)) {
        add(ChangeKind::kUnionMemberAdded, std::string(a.name),
            cat({"Type ", m->name, " was added to union ", a.name, "."}));
      }
    }
  }

  void enum_values(const TypeDef& a, const TypeDef& b) {
    for (size_t i = 0; i < a.enum_values.size(); ++i) {
      const EnumValueDef& old_v = a.enum_values[i];
      Coord coord{a.name, old_v.name};
      const EnumValueDef* new_v = counterpart(a.enum_values, i, b.enum_values,
                                              [&](std::string_view n) { return b.enum_value(n); });
      if (new_v == nullptr) {
        std::string c = coord.str();
        add(ChangeKind::kEnumValueRemoved, c, cat({"Enum value ", c, " was removed."}));
        continue;
      }
      description(coord, "enum value ", old_v.description, new_v->description);
      deprecation(coord, "Enum value ", old_v.deprecated, old_v.deprecation_reason,
                  new_v->deprecated, new_v->deprecation_reason);
    }
    for (size_t i = 0; i < b.enum_values.size(); ++i) {
      const EnumValueDef& new_v = b.enum_values[i];
      if (i < a.enum_values.size() && a.enum_values[i].name == new_v.name) continue;
      if (a.enum_value(new_v.name) == nullptr) {
        std::string c = Coord{a.name, new_v.name}.str();
        add(ChangeKind::kEnumValueAdded, c, cat({"Enum value ", c, " was added."}));
      }
    }
  }

  void input_fields(const TypeDef& a, const TypeDef& b) {
    for (size_t i = 0; i < a.input_fields.size(); ++i) {
      const InputValueDef& old_f = a.input_fields[i];
      Coord coord{a.name, old_f.name};
      const InputValueDef* new_f = counterpart(
          a.input_fields, i, b.input_fields, [&](std::string_view n) { return b.input_field(n); });
      if (new_f == nullptr) {
        std::string c = coord.str();
        add(ChangeKind::kInputFieldRemoved, c, cat({"Input field ", c, " was removed."}));
        continue;
      }
      input_value_changes(coord, "Input field ", old_f, *new_f, ChangeKind::kInputFieldTypeChanged,
                          ChangeKind::kInputFieldTypeChangedSafe,
                          ChangeKind::kInputFieldDefaultChanged,
                          ChangeKind::kInputFieldDefaultAdded);
    }
    for (size_t i = 0; i < b.input_fields.size(); ++i) {
      const InputValueDef& new_f = b.input_fields[i];
      if (i < a.input_fields.size() && a.input_fields[i].name == new_f.name) continue;
      if (a.input_field(new_f.name) != nullptr) continue;
      std::string c = Coord{a.name, new_f.name}.str();
      bool required = is_required(new_f);
      add(required ? ChangeKind::kRequiredInputFieldAdded : ChangeKind::kOptionalInputFieldAdded, c,
          cat({required ? "Required" : "Optional", " input field ", c, " of type ",
               new_f.type->to_string(), " was added."}));
    }
  }

  void roots(const Schema& a, const Schema& b) {
    for (OperationType op :
         {OperationType::kQuery, OperationType::kMutation, OperationType::kSubscription}) {
      const TypeDef* ra = a.root_type(op);
      const TypeDef* rb = b.root_type(op);
      std::string_view op_name = operation_type_name(op);
      if (ra == nullptr && rb != nullptr) {
        add(ChangeKind::kRootTypeAdded, std::string(op_name),
            cat({"The schema now has a ", op_name, " root type, ", rb->name, "."}));
      } else if (ra != nullptr && rb == nullptr) {
        add(ChangeKind::kRootTypeRemoved, std::string(op_name),
            cat({"The ", op_name, " root type ", ra->name, " was removed from the schema."}));
      } else if (ra != nullptr && ra->name != rb->name) {
        add(ChangeKind::kRootTypeChanged, std::string(op_name),
            cat({"The ", op_name, " root type changed from ", ra->name, " to ", rb->name, "."}));
      }
    }
  }

  void directives(const Schema& a, const Schema& b) {
    for (const DirectiveDef* old_d : a.directives()) {
      Coord coord{old_d->name, {}, {}, true};
      const DirectiveDef* new_d = b.directive(old_d->name);
      if (new_d == nullptr) {
        std::string c = coord.str();
        add(ChangeKind::kDirectiveRemoved, c, cat({"Directive ", c, " was removed."}));
        continue;
      }
      arguments(coord, "Directive argument ", old_d->arguments, new_d->arguments, true);
      if (old_d->repeatable && !new_d->repeatable) {
        std::string c = coord.str();
        add(ChangeKind::kDirectiveRepeatableRemoved, c,
            cat({"Directive ", c, " is no longer repeatable."}));
      } else if (!old_d->repeatable && new_d->repeatable) {
        std::string c = coord.str();
        add(ChangeKind::kDirectiveRepeatableAdded, c,
            cat({"Directive ", c, " is now repeatable."}));
      }
      for (DirectiveLocation loc : old_d->locations) {
        if (!new_d->allowed_at(loc)) {
          std::string c = coord.str();
          add(ChangeKind::kDirectiveLocationRemoved, c,
              cat({"Location ", directive_location_name(loc), " was removed from directive ", c,
                   "."}));
        }
      }
      for (DirectiveLocation loc : new_d->locations) {
        if (!old_d->allowed_at(loc)) {
          std::string c = coord.str();
          add(ChangeKind::kDirectiveLocationAdded, c,
              cat({"Location ", directive_location_name(loc), " was added to directive ", c, "."}));
        }
      }
      description(coord, "directive ", old_d->description, new_d->description);
    }
    for (const DirectiveDef* new_d : b.directives()) {
      if (a.directive(new_d->name) == nullptr) {
        std::string c = Coord{new_d->name, {}, {}, true}.str();
        add(ChangeKind::kDirectiveAdded, c, cat({"Directive ", c, " was added."}));
      }
    }
  }

  SchemaDiff& out_;
};

}  // namespace

std::string_view change_severity_name(ChangeSeverity severity) {
  switch (severity) {
    case ChangeSeverity::kBreaking: return "BREAKING";
    case ChangeSeverity::kDangerous: return "DANGEROUS";
    case ChangeSeverity::kSafe: return "SAFE";
  }
  return "SAFE";
}

std::string_view change_kind_code(ChangeKind kind) {
  return kKinds[static_cast<size_t>(kind)].code;
}

ChangeSeverity change_kind_severity(ChangeKind kind) {
  return kKinds[static_cast<size_t>(kind)].severity;
}

bool parse_change_kind(std::string_view code, ChangeKind* out) {
  for (size_t i = 0; i < kKinds.size(); ++i) {
    if (kKinds[i].code == code) {
      *out = static_cast<ChangeKind>(i);
      return true;
    }
  }
  return false;
}

size_t SchemaDiff::count(ChangeSeverity severity) const {
  return static_cast<size_t>(
      std::count_if(changes.begin(), changes.end(),
                    [&](const SchemaChange& c) { return c.severity == severity; }));
}

SchemaDiff diff_schemas(const Schema& old_schema, const Schema& new_schema) {
  SchemaDiff diff;
  Differ(diff).run(old_schema, new_schema);
  return diff;
}

SdlDiffResult diff_sdl(std::string_view old_sdl, std::string_view new_sdl,
                       const SdlDiffOptions& options) {
  SdlDiffResult result;
  auto build = [&](std::string_view sdl, std::string_view side,
                   ErrorReport& errors) -> std::unique_ptr<Schema> {
    if (options.max_sdl_bytes != 0 && sdl.size() > options.max_sdl_bytes) {
      errors.add(
          cat({"The ", side, " schema is ", std::to_string(sdl.size()),
               " bytes, more than the limit of ", std::to_string(options.max_sdl_bytes), "."}),
          ErrorCode::kLimitExceeded);
      return nullptr;
    }
    return Schema::build(sdl, errors, options.schema);
  };
  std::unique_ptr<Schema> a = build(old_sdl, "old", result.old_errors);
  std::unique_ptr<Schema> b = build(new_sdl, "new", result.new_errors);
  if (a != nullptr && b != nullptr && result.ok()) result.diff = diff_schemas(*a, *b);
  return result;
}

void write_changes_json(JsonWriter& w, std::span<const SchemaChange> changes) {
  w.begin_array();
  for (const SchemaChange& c : changes) {
    w.begin_object();
    w.key("kind").string(change_kind_code(c.kind));
    w.key("severity").string(change_severity_name(c.severity));
    w.key("coordinate").string(c.coordinate);
    w.key("message").string(c.message);
    w.end_object();
  }
  w.end_array();
}

}  // namespace orbit::graphql
