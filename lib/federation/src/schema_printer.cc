#include "orbit/federation/schema_printer.h"

#include "orbit/graphql/printer.h"

namespace orbit::federation {
namespace {

using graphql::TypeDef;
using graphql::TypeKind;

constexpr std::string_view kDefaultDeprecationReason = "No longer supported";

// graphql-js isPrintableAsBlockString.
bool printable_as_block_string(std::string_view value) {
  if (value.empty()) return true;
  bool empty_line = true;
  bool has_indent = false;
  bool has_common_indent = true;
  bool seen_non_empty_line = false;
  for (char ch : value) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x08 || c == 0x0b || c == 0x0c || c == 0x0e || c == 0x0f || c == 0x0d) {
      return false;
    }
    if (c == '\n') {
      if (empty_line && !seen_non_empty_line) return false;
      seen_non_empty_line = true;
      empty_line = true;
      has_indent = false;
    } else if (c == '\t' || c == ' ') {
      has_indent = has_indent || empty_line;
    } else {
      has_common_indent = has_common_indent && has_indent;
      empty_line = false;
    }
  }
  if (empty_line) return false;
  if (has_common_indent && seen_non_empty_line) return false;
  return true;
}

void description(std::string& out, std::string_view desc, std::string_view indent = "",
                 bool first_in_block = true) {
  if (desc.empty()) return;
  std::string literal;
  if (printable_as_block_string(desc)) {
    literal = graphql::block_string_literal(desc);
  } else {
    graphql::append_string_literal(literal, desc);
  }
  if (!indent.empty() && !first_in_block) {
    out += '\n';
  }
  out += indent;
  for (char c : literal) {
    out += c;
    if (c == '\n') out += indent;
  }
  out += '\n';
}

void deprecated(std::string& out, bool is_deprecated, std::string_view reason) {
  if (!is_deprecated) return;
  if (reason == kDefaultDeprecationReason) {
    out += " @deprecated";
    return;
  }
  out += " @deprecated(reason: ";
  graphql::append_string_literal(out, reason);
  out += ')';
}

void input_value(std::string& out, const graphql::InputValueDef& v) {
  out += v.name;
  out += ": ";
  out += v.type->to_string();
  if (v.default_value != nullptr) {
    out += " = ";
    out += graphql::print(*v.default_value);
  }
  deprecated(out, v.deprecated, v.deprecation_reason);
}

void arguments(std::string& out, const std::vector<graphql::InputValueDef>& args,
               std::string_view indent = "") {
  if (args.empty()) return;
  bool any_description = false;
  for (const auto& a : args)
    any_description = any_description || !a.description.empty();
  if (!any_description) {
    out += '(';
    for (size_t i = 0; i < args.size(); ++i) {
      if (i > 0) out += ", ";
      input_value(out, args[i]);
    }
    out += ')';
    return;
  }
  out += "(\n";
  std::string inner = "  " + std::string(indent);
  for (size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += '\n';
    description(out, args[i].description, inner, i == 0);
    out += inner;
    input_value(out, args[i]);
  }
  out += '\n';
  out += indent;
  out += ')';
}

void type(std::string& out, const TypeDef* t) {
  description(out, t->description);
  auto block = [&](const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    out += " {\n";
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) out += '\n';
      out += lines[i];
    }
    out += "\n}";
  };
  auto interfaces = [&]() {
    if (t->interfaces.empty()) return;
    out += " implements ";
    for (size_t i = 0; i < t->interfaces.size(); ++i) {
      if (i > 0) out += " & ";
      out += t->interfaces[i]->name;
    }
  };
  std::vector<std::string> lines;
  switch (t->kind) {
    case TypeKind::kScalar:
      out += "scalar ";
      out += t->name;
      if (!t->specified_by_url.empty()) {
        out += " @specifiedBy(url: ";
        graphql::append_string_literal(out, t->specified_by_url);
        out += ')';
      }
      return;
    case TypeKind::kObject:
    case TypeKind::kInterface:
      out += t->kind == TypeKind::kObject ? "type " : "interface ";
      out += t->name;
      interfaces();
      for (size_t i = 0; i < t->fields.size(); ++i) {
        const graphql::FieldDef& f = t->fields[i];
        std::string line;
        description(line, f.description, "  ", i == 0);
        line += "  ";
        line += f.name;
        arguments(line, f.arguments, "  ");
        line += ": ";
        line += f.type->to_string();
        deprecated(line, f.deprecated, f.deprecation_reason);
        lines.push_back(std::move(line));
      }
      block(lines);
      return;
    case TypeKind::kUnion:
      out += "union ";
      out += t->name;
      for (size_t i = 0; i < t->members.size(); ++i) {
        out += i == 0 ? " = " : " | ";
        out += t->members[i]->name;
      }
      return;
    case TypeKind::kEnum:
      out += "enum ";
      out += t->name;
      for (size_t i = 0; i < t->enum_values.size(); ++i) {
        const graphql::EnumValueDef& v = t->enum_values[i];
        std::string line;
        description(line, v.description, "  ", i == 0);
        line += "  ";
        line += v.name;
        deprecated(line, v.deprecated, v.deprecation_reason);
        lines.push_back(std::move(line));
      }
      block(lines);
      return;
    case TypeKind::kInputObject:
      out += "input ";
      out += t->name;
      if (t->one_of) out += " @oneOf";
      for (size_t i = 0; i < t->input_fields.size(); ++i) {
        std::string line;
        description(line, t->input_fields[i].description, "  ", i == 0);
        line += "  ";
        input_value(line, t->input_fields[i]);
        lines.push_back(std::move(line));
      }
      block(lines);
      return;
  }
}

}  // namespace

std::string print_schema(const graphql::Schema& schema) {
  std::vector<std::string> parts;
  const TypeDef* q = schema.query_type();
  const TypeDef* m = schema.mutation_type();
  const TypeDef* s = schema.subscription_type();
  bool common_names = (q == nullptr || q->name == "Query") &&
                      (m == nullptr || m->name == "Mutation") &&
                      (s == nullptr || s->name == "Subscription");
  if (!schema.description().empty() || !common_names) {
    std::string out;
    description(out, schema.description());
    out += "schema {\n";
    if (q != nullptr) out += "  query: " + std::string(q->name) + "\n";
    if (m != nullptr) out += "  mutation: " + std::string(m->name) + "\n";
    if (s != nullptr) out += "  subscription: " + std::string(s->name) + "\n";
    out += "}";
    parts.push_back(std::move(out));
  }
  for (const graphql::DirectiveDef* d : schema.directives()) {
    if (d->builtin) continue;
    std::string out;
    description(out, d->description);
    out += "directive @";
    out += d->name;
    arguments(out, d->arguments);
    if (d->repeatable) out += " repeatable";
    out += " on ";
    for (size_t i = 0; i < d->locations.size(); ++i) {
      if (i > 0) out += " | ";
      out += graphql::directive_location_name(d->locations[i]);
    }
    parts.push_back(std::move(out));
  }
  for (const TypeDef* t : schema.types()) {
    if (t->builtin) continue;
    std::string out;
    type(out, t);
    parts.push_back(std::move(out));
  }
  std::string result;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) result += "\n\n";
    result += parts[i];
  }
  return result;
}

}  // namespace orbit::federation
