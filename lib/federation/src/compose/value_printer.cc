#include "value_printer.h"

#include "orbit/graphql/printer.h"

namespace orbit::federation::composition {

using namespace orbit::graphql;

std::string quote(std::string_view s) {
  std::string out;
  append_string_literal(out, s);
  return out;
}

std::string print_value(const Value& v) {
  switch (v.kind) {
    case Kind::kIntValue: return std::string(v.as<IntValue>()->value);
    case Kind::kFloatValue: return std::string(v.as<FloatValue>()->value);
    case Kind::kStringValue: return quote(v.as<StringValue>()->value);
    case Kind::kBooleanValue: return v.as<BooleanValue>()->value ? "true" : "false";
    case Kind::kNullValue: return "null";
    case Kind::kEnumValue: return std::string(v.as<EnumValue>()->value);
    case Kind::kVariable: return "$" + std::string(v.as<Variable>()->name.value);
    case Kind::kListValue: {
      std::string out = "[";
      bool first = true;
      for (const Value* item : v.as<ListValue>()->values) {
        if (!first) out += ", ";
        first = false;
        out += print_value(*item);
      }
      return out + "]";
    }
    case Kind::kObjectValue: {
      std::string out = "{";
      bool first = true;
      for (const ObjectField* f : v.as<ObjectValue>()->fields) {
        if (!first) out += ", ";
        first = false;
        out += std::string(f->name.value) + ": " + print_value(*f->value);
      }
      return out + "}";
    }
    default: return "";
  }
}

std::string print_arguments(List<Argument> args) {
  if (args.empty()) return "";
  std::string out = "(";
  bool first = true;
  for (const Argument* a : args) {
    if (!first) out += ", ";
    first = false;
    out += std::string(a->name.value) + ": " + print_value(*a->value);
  }
  return out + ")";
}

std::string print_argument_definitions(List<InputValueDefinition> args) {
  if (args.empty()) return "";
  std::string out = "(";
  bool first = true;
  for (const InputValueDefinition* a : args) {
    if (!first) out += ", ";
    first = false;
    out += std::string(a->name.value) + ": " + print(*a->type);
    if (a->default_value) out += " = " + print_value(*a->default_value);
  }
  return out + ")";
}

}  // namespace orbit::federation::composition
