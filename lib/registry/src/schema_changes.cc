#include "orbit/registry/schema_changes.h"

#include <algorithm>
#include <map>

#include "orbit/base/arena.h"
#include "orbit/base/json_writer.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/diff/schema_diff.h"
#include "orbit/graphql/parser.h"

namespace orbit::registry {
namespace {

using namespace orbit::graphql;

std::string type_text(const Type* type) {
  if (type == nullptr) return "";
  switch (type->kind) {
    case Kind::kNamedType: return std::string(type->as<NamedType>()->name.value);
    case Kind::kListType: return "[" + type_text(type->as<ListType>()->type) + "]";
    case Kind::kNonNullType: return type_text(type->as<NonNullType>()->type) + "!";
    default: return "";
  }
}

struct InputValue {
  std::string type;
  bool has_default = false;
};

struct FieldShape {
  std::string type;
  std::map<std::string, InputValue> arguments;
};

struct TypeShape {
  std::string kind;  // "object", "interface", "union", "enum", "input", "scalar"
  std::map<std::string, FieldShape> fields;        // objects, interfaces
  std::map<std::string, InputValue> input_fields;  // input objects
  std::map<std::string, bool> members;             // enum values, union members
};

std::string kind_of(Kind kind) {
  switch (kind) {
    case Kind::kObjectTypeDefinition:
    case Kind::kObjectTypeExtension: return "object";
    case Kind::kInterfaceTypeDefinition:
    case Kind::kInterfaceTypeExtension: return "interface";
    case Kind::kUnionTypeDefinition:
    case Kind::kUnionTypeExtension: return "union";
    case Kind::kEnumTypeDefinition:
    case Kind::kEnumTypeExtension: return "enum";
    case Kind::kInputObjectTypeDefinition:
    case Kind::kInputObjectTypeExtension: return "input";
    case Kind::kScalarTypeDefinition:
    case Kind::kScalarTypeExtension: return "scalar";
    default: return "";
  }
}

Outcome shapes_of(std::string_view sdl, std::string_view name, Arena& arena,
                  std::map<std::string, TypeShape>& out) {
  // Version 0 of a subgraph: nothing yet.
  if (sdl.find_first_not_of(" \t\r\n") == std::string_view::npos) return Done{};
  ParseResult parsed = parse(sdl, arena);
  if (!parsed.ok()) {
    std::string where;
    if (!parsed.error.locations.empty())
      where = std::to_string(parsed.error.locations[0].line) + ":" +
              std::to_string(parsed.error.locations[0].column) + ": ";
    return api_error(ApiCode::kInvalidArgument,
                     std::string(name) + ": " + where + parsed.error.message);
  }
  for (const Definition* def : parsed.document->definitions) {
    std::string kind = kind_of(def->kind);
    if (kind.empty()) continue;
    const auto* t = static_cast<const TypeDefinition*>(def);
    TypeShape& shape = out[std::string(t->name.value)];
    if (shape.kind.empty() || !t->is_extension()) shape.kind = kind;
    if (kind == "object" || kind == "interface") {
      for (const FieldDefinition* f : def->as<ObjectTypeDefinition>()->fields) {
        FieldShape& field = shape.fields[std::string(f->name.value)];
        field.type = type_text(f->type);
        for (const InputValueDefinition* a : f->arguments)
          field.arguments[std::string(a->name.value)] = {type_text(a->type),
                                                         a->default_value != nullptr};
      }
    } else if (kind == "input") {
      for (const InputValueDefinition* f : def->as<InputObjectTypeDefinition>()->fields)
        shape.input_fields[std::string(f->name.value)] = {type_text(f->type),
                                                          f->default_value != nullptr};
    } else if (kind == "enum") {
      for (const EnumValueDefinition* v : def->as<EnumTypeDefinition>()->values)
        shape.members[std::string(v->name.value)] = true;
    } else if (kind == "union") {
      for (const NamedType* m : def->as<UnionTypeDefinition>()->types)
        shape.members[std::string(m->name.value)] = true;
    }
  }
  return Done{};
}

bool required(const InputValue& v) {
  return !v.has_default && !v.type.empty() && v.type.back() == '!';
}

class Differ {
 public:
  std::vector<SchemaChange> changes;

  void add(std::string type, std::string path, std::string message, bool breaking,
           bool dangerous = false) {
    std::string severity = breaking ? "BREAKING" : dangerous ? "DANGEROUS" : "SAFE";
    changes.push_back(
        {std::move(type), std::move(severity), std::move(path), std::move(message), breaking});
  }

  void inputs(const std::string& owner, const std::map<std::string, InputValue>& before,
              const std::map<std::string, InputValue>& after, bool arguments) {
    const std::string kind = arguments ? "ARGUMENT" : "INPUT_FIELD";
    const std::string removed = kind + "_REMOVED";
    const std::string changed = kind + "_TYPE_CHANGED";
    std::string what = arguments ? "argument " : "input field ";
    for (const auto& [name, old_value] : before) {
      std::string path = arguments ? owner + "(" + name + ":)" : owner + "." + name;
      auto it = after.find(name);
      if (it == after.end()) {
        add(removed, path, what + path + " was removed", true);
      } else if (it->second.type != old_value.type) {
        // Inputs may become more lenient (T! → T) without breaking callers.
        bool safe = old_value.type == it->second.type + "!";
        add(safe ? changed + "_SAFE" : changed, path,
            what + path + " changed type from " + old_value.type + " to " + it->second.type, !safe);
      }
    }
    for (const auto& [name, value] : after) {
      if (before.count(name)) continue;
      std::string path = arguments ? owner + "(" + name + ":)" : owner + "." + name;
      add((required(value) ? "REQUIRED_" : "OPTIONAL_") + kind + "_ADDED", path,
          what + path + " of type " + value.type + " was added" +
              (required(value) ? " (required)" : ""),
          required(value), !required(value));
    }
  }

  void types(const std::map<std::string, TypeShape>& before,
             const std::map<std::string, TypeShape>& after) {
    for (const auto& [name, old_type] : before) {
      auto it = after.find(name);
      if (it == after.end()) {
        add("TYPE_REMOVED", name, old_type.kind + " " + name + " was removed", true);
        continue;
      }
      const TypeShape& new_type = it->second;
      if (new_type.kind != old_type.kind) {
        add("TYPE_KIND_CHANGED", name,
            name + " changed from " + old_type.kind + " to " + new_type.kind, true);
        continue;
      }
      for (const auto& [field, old_field] : old_type.fields) {
        std::string path = name + "." + field;
        auto f = new_type.fields.find(field);
        if (f == new_type.fields.end()) {
          add("FIELD_REMOVED", path, "field " + path + " was removed", true);
          continue;
        }
        if (f->second.type != old_field.type) {
          // Outputs may become stricter (T → T!) without breaking clients.
          bool safe = f->second.type == old_field.type + "!";
          add(safe ? "FIELD_TYPE_CHANGED_SAFE" : "FIELD_TYPE_CHANGED", path,
              "field " + path + " changed type from " + old_field.type + " to " + f->second.type,
              !safe);
        }
        inputs(path, old_field.arguments, f->second.arguments, true);
      }
      for (const auto& [field, new_field] : new_type.fields)
        if (!old_type.fields.count(field))
          add("FIELD_ADDED", name + "." + field,
              "field " + name + "." + field + " of type " + new_field.type + " was added", false);
      inputs(name, old_type.input_fields, new_type.input_fields, false);
      bool is_enum = new_type.kind == "enum";
      for (const auto& [member, _] : old_type.members)
        if (!new_type.members.count(member))
          add(is_enum ? "ENUM_VALUE_REMOVED" : "UNION_MEMBER_REMOVED",
              is_enum ? name + "." + member : name,
              is_enum ? "enum value " + name + "." + member + " was removed"
                      : member + " was removed from union " + name,
              true);
      for (const auto& [member, _] : new_type.members)
        if (!old_type.members.count(member))
          add(is_enum ? "ENUM_VALUE_ADDED" : "UNION_MEMBER_ADDED",
              is_enum ? name + "." + member : name,
              is_enum ? "enum value " + name + "." + member + " was added"
                      : member + " was added to union " + name,
              false, true);
    }
    for (const auto& [name, new_type] : after)
      if (!before.count(name))
        add("TYPE_ADDED", name, new_type.kind + " " + name + " was added", false);
  }
};

bool is_builtin_scalar(std::string_view name) {
  return name == "Int" || name == "Float" || name == "String" || name == "Boolean" || name == "ID";
}

}  // namespace

Outcome check_sdl_parses(std::string_view sdl, std::string_view name) {
  Arena arena;
  std::map<std::string, TypeShape> shapes;
  return shapes_of(sdl, name, arena, shapes);
}

Expected<std::vector<SchemaChange>> schema_changes(std::string_view old_sdl,
                                                   std::string_view new_sdl,
                                                   std::string_view old_name,
                                                   std::string_view new_name) {
  Arena arena;
  std::map<std::string, TypeShape> before, after;
  ORBIT_TRY(shapes_of(old_sdl, old_name, arena, before));
  ORBIT_TRY(shapes_of(new_sdl, new_name, arena, after));
  Differ differ;
  graphql::SdlDiffOptions options;
  options.schema.validate = false;
  // Against version 0 (nothing) every type is added: the structural comparison says so
  // without building an empty schema.
  bool old_empty = before.empty();
  graphql::SdlDiffResult diff;
  if (!old_empty) diff = graphql::diff_sdl(old_sdl, new_sdl, options);
  if (!old_empty && diff.ok()) {
    for (const graphql::SchemaChange& c : diff.diff.changes) {
      // A built-in scalar an SDL stops (or starts) using is not a change of the graph: every
      // schema has them, the SDL just no longer mentions it.
      if (is_builtin_scalar(c.coordinate)) continue;
      std::string severity(graphql::change_severity_name(c.severity));
      differ.changes.push_back({std::string(graphql::change_kind_code(c.kind)), severity,
                                c.coordinate, c.message, severity == "BREAKING"});
    }
  } else {
    differ.types(before, after);
  }
  std::stable_sort(differ.changes.begin(), differ.changes.end(),
                   [](const SchemaChange& a, const SchemaChange& b) {
                     return std::tie(a.path, a.type) < std::tie(b.path, b.type);
                   });
  return std::move(differ.changes);
}

std::string changes_json(const std::vector<SchemaChange>& changes) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (const SchemaChange& c : changes) {
    w.begin_object();
    w.key("type").string(c.type);
    w.key("severity").string(c.severity);
    w.key("path").string(c.path);
    w.key("message").string(c.message);
    w.key("breaking").boolean(c.breaking);
    w.end_object();
  }
  w.end_array();
  return out;
}

}  // namespace orbit::registry
