#include "value_printer.h"

#include "orbit/graphql/parser.h"
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

const Value* AppliedArgs::get(std::string_view name) const {
  for (const Argument* a : args)
    if (a->name.value == name) return a->value;
  return nullptr;
}

std::vector<std::string> AppliedArgs::strings(std::string_view name) const {
  std::vector<std::string> out;
  const Value* v = get(name);
  if (v != nullptr && v->kind == Kind::kListValue) {
    for (const Value* item : v->as<ListValue>()->values)
      if (item->kind == Kind::kStringValue) out.emplace_back(item->as<StringValue>()->value);
  } else if (v != nullptr && v->kind == Kind::kStringValue) {
    out.emplace_back(v->as<StringValue>()->value);
  }
  return out;
}

std::vector<std::vector<std::string>> AppliedArgs::string_lists(std::string_view name) const {
  std::vector<std::vector<std::string>> out;
  const Value* v = get(name);
  if (v == nullptr || v->kind != Kind::kListValue) return out;
  for (const Value* inner : v->as<ListValue>()->values) {
    std::vector<std::string> items;
    if (inner->kind == Kind::kListValue) {
      for (const Value* item : inner->as<ListValue>()->values)
        if (item->kind == Kind::kStringValue) items.emplace_back(item->as<StringValue>()->value);
    } else if (inner->kind == Kind::kStringValue) {
      items.emplace_back(inner->as<StringValue>()->value);
    }
    out.push_back(std::move(items));
  }
  return out;
}

void parse_applied_args(const std::string& printed, AppliedArgs& out) {
  ParseOptions po;
  po.allow_type_system = false;
  po.max_depth = 64;
  std::string_view text = out.arena.copy_string("{x" + printed + "}");
  ParseResult r = parse(text, out.arena, po);
  if (!r.ok() || r.document->definitions.empty()) return;
  const auto* op = r.document->definitions[0]->as<OperationDefinition>();
  if (op->selection_set->selections.empty()) return;
  const auto* f = op->selection_set->selections[0]->as<graphql::Field>();
  for (const Argument* a : f->arguments)
    out.args.push_back(a);
}

}  // namespace orbit::federation::composition
