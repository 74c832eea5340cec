#include "orbit/graphql/printer.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace orbit::graphql {
namespace {

// graphql-js's MAX_LINE_LENGTH: arguments, lists and objects longer than this are wrapped.
constexpr size_t kMaxLineLength = 80;

std::string_view op_keyword(OperationType op) {
  switch (op) {
    case OperationType::kQuery: return "query";
    case OperationType::kMutation: return "mutation";
    case OperationType::kSubscription: return "subscription";
  }
  return "query";
}

// graphql-js measures lines in UTF-16 code units; our text is UTF-8. Every byte that is not
// a continuation byte starts one code unit, and 4-byte sequences need a surrogate pair.
size_t utf16_length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80;
    n += c >= 0xF0;
  }
  return n;
}

bool is_js_whitespace(char c) {
  return c == ' ' || c == '\t';
}

// ---- print() ------------------------------------------------------------------------------
//
// graphql-js builds a tree of buffers and renders it once; a node's layout depends only on
// the lengths of its children rendered at indentation 0. We stream into one string and keep
// the current indentation, so that every '\n' written is followed by it (block strings
// included, as in graphql-js). Only the children whose length decides a layout (arguments,
// list items, object fields, argument and variable definitions) are rendered into temporary
// strings first; their text is copied once per enclosing decision level, which is bounded by
// the parser's depth limit.
class Printer {
 public:
  explicit Printer(std::string& out) : out_(out) {}

  void node(const Node* n);

 private:
  // Appends text, indenting every line after the first.
  void raw(std::string_view s) {
    if (depth_ == 0) {
      out_.append(s);
      return;
    }
    size_t start = 0;
    for (size_t nl = s.find('\n'); nl != std::string_view::npos; nl = s.find('\n', start)) {
      out_.append(s.substr(start, nl - start));
      newline();
      start = nl + 1;
    }
    out_.append(s.substr(start));
  }
  void newline() {
    out_.push_back('\n');
    out_.append(2 * depth_, ' ');
  }

  // Renders a child at indentation 0 into a fresh string (a layout decision needs its length).
  static std::string render(const Node* n) {
    std::string s;
    Printer p(s);
    p.node(n);
    return s;
  }
  template <typename T>
  static std::vector<std::string> render_all(List<T> items) {
    std::vector<std::string> out;
    out.reserve(items.size());
    for (const T* item : items)
      out.push_back(render(item));
    return out;
  }
  static size_t joined_length(const std::vector<std::string>& items, size_t separator) {
    size_t length = 0;
    for (const std::string& item : items) {
      if (item.empty()) continue;
      length += (length == 0 ? 0 : separator) + utf16_length(item);
    }
    return length;
  }
  static bool has_multiline_items(const std::vector<std::string>& items) {
    for (const std::string& item : items) {
      if (item.find('\n') != std::string::npos) return true;
    }
    return false;
  }

  // `open sep-joined close`, skipping empty items as graphql-js's join() does.
  void joined(const std::vector<std::string>& items, std::string_view separator) {
    bool first = true;
    for (const std::string& item : items) {
      if (item.empty()) continue;
      if (!first) raw(separator);
      first = false;
      raw(item);
    }
  }
  // `open\n  item\n  item\nclose`: graphql-js's wrap(open + '\n', join(items, '\n').indent(),
  // '\n' + close).
  void indented_lines(char open, const std::vector<std::string>& items, char close) {
    out_.push_back(open);
    ++depth_;
    for (const std::string& item : items) {
      if (item.empty()) continue;
      newline();
      raw(item);
    }
    --depth_;
    newline();
    out_.push_back(close);
  }
  template <typename T>
  void block(List<T> items) {
    out_.push_back('{');
    ++depth_;
    for (const T* item : items) {
      newline();
      node(item);
    }
    --depth_;
    newline();
    out_.push_back('}');
  }
  template <typename T>
  void list(List<T> items, std::string_view separator) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) raw(separator);
      node(items[i]);
    }
  }
  void names(std::span<const Name> items, std::string_view separator) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) raw(separator);
      raw(items[i].value);
    }
  }
  void description(const StringValue* d) {
    if (d == nullptr) return;
    node(d);
    newline();
  }
  // ` @a @b`
  void directives(List<Directive> ds) {
    for (const Directive* d : ds) {
      out_.push_back(' ');
      node(d);
    }
  }
  // Argument and variable definitions are laid out on one line unless one of them already
  // spans several (a block-string description, a long default value).
  void argument_definitions(List<InputValueDefinition> args) {
    if (args.empty()) return;
    std::vector<std::string> items = render_all(args);
    if (has_multiline_items(items)) {
      indented_lines('(', items, ')');
    } else {
      out_.push_back('(');
      joined(items, ", ");
      out_.push_back(')');
    }
  }
  // `keyword Name @d {…}` shared by all named type definitions and extensions.
  void type_header(const TypeDefinition& t, std::string_view keyword) {
    if (!t.is_extension()) description(t.description);
    raw(keyword);
    if (!t.name.empty()) {
      out_.push_back(' ');
      raw(t.name.value);
    }
  }

  void operation(const OperationDefinition& op);
  void field(const Field& f);
  void string_value(const StringValue& s);
  void list_value(const ListValue& l);
  void object_value(const ObjectValue& o);

  std::string& out_;
  size_t depth_ = 0;
  const Node* previous_definition_ = nullptr;  // the definition before this one, in a Document
};

// A query may be written as its bare selection set, except right after a definition that
// would take the `{ … }` for its own missing body on re-parse (`interface I` then `{ a }`):
// an object, interface, input or enum type (or extension) without fields or values, or a
// schema extension without operation types. graphql-js prints the shorthand there too, and
// its output does not re-parse.
bool absorbs_selection_set(const Node* previous) {
  if (previous == nullptr) return false;
  switch (previous->kind) {
    case Kind::kObjectTypeDefinition:
    case Kind::kObjectTypeExtension:
    case Kind::kInterfaceTypeDefinition:
    case Kind::kInterfaceTypeExtension: return previous->as<ObjectTypeDefinition>()->fields.empty();
    case Kind::kInputObjectTypeDefinition:
    case Kind::kInputObjectTypeExtension:
      return previous->as<InputObjectTypeDefinition>()->fields.empty();
    case Kind::kEnumTypeDefinition:
    case Kind::kEnumTypeExtension: return previous->as<EnumTypeDefinition>()->values.empty();
    case Kind::kSchemaExtension: return previous->as<SchemaDefinition>()->operation_types.empty();
    default: return false;
  }
}

bool is_shorthand(const OperationDefinition& op, const Node* previous) {
  return op.operation == OperationType::kQuery && op.description == nullptr && op.name.empty() &&
         op.variable_definitions.empty() && op.directives.empty() &&
         !absorbs_selection_set(previous);
}

void Printer::operation(const OperationDefinition& op) {
  bool shorthand = is_shorthand(op, previous_definition_);
  if (!shorthand) {
    description(op.description);
    raw(op_keyword(op.operation));
    if (!op.name.empty() || !op.variable_definitions.empty()) out_.push_back(' ');
    raw(op.name.value);
    if (!op.variable_definitions.empty()) {
      std::vector<std::string> items = render_all(op.variable_definitions);
      // graphql-js does not indent variable definitions that are laid out one per line.
      bool multiline = has_multiline_items(items);
      out_.push_back('(');
      if (multiline) newline();
      joined(items, multiline ? "\n" : ", ");
      if (multiline) newline();
      out_.push_back(')');
    }
    directives(op.directives);
    out_.push_back(' ');
  }
  node(op.selection_set);
}

void Printer::field(const Field& f) {
  size_t prefix_length = utf16_length(f.name.value);
  if (!f.alias.empty()) {
    raw(f.alias.value);
    raw(": ");
    prefix_length += utf16_length(f.alias.value) + 2;
  }
  raw(f.name.value);
  if (!f.arguments.empty()) {
    std::vector<std::string> args = render_all(f.arguments);
    if (prefix_length + joined_length(args, 2) + 2 > kMaxLineLength) {
      indented_lines('(', args, ')');
    } else {
      out_.push_back('(');
      joined(args, ", ");
      out_.push_back(')');
    }
  }
  directives(f.directives);
  if (f.selection_set != nullptr) {
    out_.push_back(' ');
    node(f.selection_set);
  }
}

void Printer::string_value(const StringValue& s) {
  if (s.block) {
    raw(block_string_literal(s.value));
  } else {
    append_string_literal(out_, s.value);
  }
}

void Printer::list_value(const ListValue& l) {
  std::vector<std::string> items = render_all(l.values);
  if (2 + joined_length(items, 2) > kMaxLineLength) {
    indented_lines('[', items, ']');
  } else {
    out_.push_back('[');
    joined(items, ", ");
    out_.push_back(']');
  }
}

void Printer::object_value(const ObjectValue& o) {
  std::vector<std::string> items = render_all(o.fields);
  if (4 + joined_length(items, 2) > kMaxLineLength) {
    indented_lines('{', items, '}');
  } else {
    // An empty object prints as `{  }`, like graphql-js.
    raw("{ ");
    joined(items, ", ");
    raw(" }");
  }
}

void Printer::node(const Node* n) {
  if (n == nullptr) return;
  switch (n->kind) {
    case Kind::kDocument: {
      const auto& doc = *n->as<Document>();
      previous_definition_ = nullptr;
      for (size_t i = 0; i < doc.definitions.size(); ++i) {
        if (i > 0) raw("\n\n");
        node(doc.definitions[i]);
        previous_definition_ = doc.definitions[i];
      }
      previous_definition_ = nullptr;
      return;
    }
    case Kind::kOperationDefinition: operation(*n->as<OperationDefinition>()); return;
    case Kind::kVariableDefinition: {
      const auto& v = *n->as<VariableDefinition>();
      description(v.description);
      node(v.variable);
      raw(": ");
      node(v.type);
      if (v.default_value != nullptr) {
        raw(" = ");
        node(v.default_value);
      }
      directives(v.directives);
      return;
    }
    case Kind::kSelectionSet: {
      const auto& s = *n->as<SelectionSet>();
      if (s.selections.empty()) {
        raw("{}");
      } else {
        block(s.selections);
      }
      return;
    }
    case Kind::kField: field(*n->as<Field>()); return;
    case Kind::kArgument: {
      const auto& a = *n->as<Argument>();
      raw(a.name.value);
      raw(": ");
      node(a.value);
      return;
    }
    case Kind::kFragmentSpread: {
      const auto& s = *n->as<FragmentSpread>();
      raw("...");
      raw(s.name.value);
      directives(s.directives);
      return;
    }
    case Kind::kInlineFragment: {
      const auto& f = *n->as<InlineFragment>();
      raw("...");
      if (f.type_condition != nullptr) {
        raw(" on ");
        node(f.type_condition);
      }
      directives(f.directives);
      if (f.selection_set != nullptr) {
        out_.push_back(' ');
        node(f.selection_set);
      }
      return;
    }
    case Kind::kFragmentDefinition: {
      const auto& f = *n->as<FragmentDefinition>();
      description(f.description);
      raw("fragment ");
      raw(f.name.value);
      raw(" on ");
      node(f.type_condition);
      directives(f.directives);
      out_.push_back(' ');
      node(f.selection_set);
      return;
    }
    case Kind::kVariable:
      out_.push_back('$');
      raw(n->as<Variable>()->name.value);
      return;
    case Kind::kIntValue: raw(n->as<IntValue>()->value); return;
    case Kind::kFloatValue: raw(n->as<FloatValue>()->value); return;
    case Kind::kStringValue: string_value(*n->as<StringValue>()); return;
    case Kind::kBooleanValue: raw(n->as<BooleanValue>()->value ? "true" : "false"); return;
    case Kind::kNullValue: raw("null"); return;
    case Kind::kEnumValue: raw(n->as<EnumValue>()->value); return;
    case Kind::kListValue: list_value(*n->as<ListValue>()); return;
    case Kind::kObjectValue: object_value(*n->as<ObjectValue>()); return;
    case Kind::kObjectField: {
      const auto& f = *n->as<ObjectField>();
      raw(f.name.value);
      raw(": ");
      node(f.value);
      return;
    }
    case Kind::kDirective: {
      const auto& d = *n->as<Directive>();
      out_.push_back('@');
      raw(d.name.value);
      if (!d.arguments.empty()) {
        out_.push_back('(');
        list(d.arguments, ", ");
        out_.push_back(')');
      }
      return;
    }
    case Kind::kNamedType: raw(n->as<NamedType>()->name.value); return;
    case Kind::kListType:
      out_.push_back('[');
      node(n->as<ListType>()->type);
      out_.push_back(']');
      return;
    case Kind::kNonNullType:
      node(n->as<NonNullType>()->type);
      out_.push_back('!');
      return;
    case Kind::kSchemaDefinition:
    case Kind::kSchemaExtension: {
      const auto& s = *n->as<SchemaDefinition>();
      if (s.is_extension()) {
        raw("extend schema");
      } else {
        description(s.description);
        raw("schema");
      }
      directives(s.directives);
      if (!s.operation_types.empty()) {
        out_.push_back(' ');
        block(s.operation_types);
      }
      return;
    }
    case Kind::kOperationTypeDefinition: {
      const auto& o = *n->as<OperationTypeDefinition>();
      raw(op_keyword(o.operation));
      raw(": ");
      node(o.type);
      return;
    }
    case Kind::kScalarTypeDefinition:
    case Kind::kScalarTypeExtension: {
      const auto& t = *n->as<ScalarTypeDefinition>();
      type_header(t, t.is_extension() ? "extend scalar" : "scalar");
      directives(t.directives);
      return;
    }
    case Kind::kObjectTypeDefinition:
    case Kind::kObjectTypeExtension:
    case Kind::kInterfaceTypeDefinition:
    case Kind::kInterfaceTypeExtension: {
      const auto& t = *n->as<ObjectTypeDefinition>();
      std::string_view keyword = t.is_interface()
                                     ? (t.is_extension() ? "extend interface" : "interface")
                                     : (t.is_extension() ? "extend type" : "type");
      type_header(t, keyword);
      if (!t.interfaces.empty()) {
        raw(" implements ");
        list(t.interfaces, " & ");
      }
      directives(t.directives);
      if (!t.fields.empty()) {
        out_.push_back(' ');
        block(t.fields);
      }
      return;
    }
    case Kind::kFieldDefinition: {
      const auto& f = *n->as<FieldDefinition>();
      description(f.description);
      raw(f.name.value);
      argument_definitions(f.arguments);
      raw(": ");
      node(f.type);
      directives(f.directives);
      return;
    }
    case Kind::kInputValueDefinition: {
      const auto& v = *n->as<InputValueDefinition>();
      description(v.description);
      raw(v.name.value);
      raw(": ");
      node(v.type);
      if (v.default_value != nullptr) {
        raw(" = ");
        node(v.default_value);
      }
      directives(v.directives);
      return;
    }
    case Kind::kUnionTypeDefinition:
    case Kind::kUnionTypeExtension: {
      const auto& t = *n->as<UnionTypeDefinition>();
      type_header(t, t.is_extension() ? "extend union" : "union");
      directives(t.directives);
      if (!t.types.empty()) {
        raw(" = ");
        list(t.types, " | ");
      }
      return;
    }
    case Kind::kEnumTypeDefinition:
    case Kind::kEnumTypeExtension: {
      const auto& t = *n->as<EnumTypeDefinition>();
      type_header(t, t.is_extension() ? "extend enum" : "enum");
      directives(t.directives);
      if (!t.values.empty()) {
        out_.push_back(' ');
        block(t.values);
      }
      return;
    }
    case Kind::kEnumValueDefinition: {
      const auto& v = *n->as<EnumValueDefinition>();
      description(v.description);
      raw(v.name.value);
      directives(v.directives);
      return;
    }
    case Kind::kInputObjectTypeDefinition:
    case Kind::kInputObjectTypeExtension: {
      const auto& t = *n->as<InputObjectTypeDefinition>();
      type_header(t, t.is_extension() ? "extend input" : "input");
      directives(t.directives);
      if (!t.fields.empty()) {
        out_.push_back(' ');
        block(t.fields);
      }
      return;
    }
    case Kind::kDirectiveDefinition: {
      const auto& d = *n->as<DirectiveDefinition>();
      description(d.description);
      raw("directive @");
      raw(d.name.value);
      argument_definitions(d.arguments);
      if (d.repeatable) raw(" repeatable");
      raw(" on ");
      names(d.locations, " | ");
      return;
    }
  }
}

// ---- print_minified() ---------------------------------------------------------------------
//
// Tokens are written back to back; a space goes in only where two name/number characters
// would otherwise meet, and between an empty string `""` and a following `"` (which would
// read as a block-string quote). Only our own output is looked at, so the result does not
// depend on what `out` already held.
class Minifier {
 public:
  explicit Minifier(std::string& out) : out_(out), start_(out.size()) {}

  void node(const Node* n);

 private:
  static bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  // A name, keyword or number.
  void word(std::string_view s) {
    if (s.empty()) return;
    if (out_.size() > start_ && is_word_char(out_.back()) && is_word_char(s.front())) {
      out_.push_back(' ');
    }
    out_.append(s);
  }
  void punct(char c) { out_.push_back(c); }
  void punct(std::string_view s) { out_.append(s); }
  void string(std::string_view value) {
    if (out_.size() == empty_string_end_) out_.push_back(' ');
    append_string_literal(out_, value);
    if (value.empty()) empty_string_end_ = out_.size();
  }

  template <typename T>
  void list(List<T> items) {
    for (const T* item : items)
      node(item);
  }
  template <typename T>
  void list(List<T> items, char separator) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i > 0) punct(separator);
      node(items[i]);
    }
  }
  template <typename T>
  void parenthesized(List<T> items) {
    if (items.empty()) return;
    punct('(');
    list(items);
    punct(')');
  }
  template <typename T>
  void braced(List<T> items) {
    if (items.empty()) return;
    punct('{');
    list(items);
    punct('}');
  }
  void description(const StringValue* d) {
    if (d != nullptr) string(d->value);
  }

  std::string& out_;
  size_t start_;
  size_t empty_string_end_ = std::string::npos;
  const Node* previous_definition_ = nullptr;  // the definition before this one, in a Document
};

void Minifier::node(const Node* n) {
  if (n == nullptr) return;
  switch (n->kind) {
    case Kind::kDocument: {
      previous_definition_ = nullptr;
      for (const Definition* d : n->as<Document>()->definitions) {
        node(d);
        previous_definition_ = d;
      }
      previous_definition_ = nullptr;
      return;
    }
    case Kind::kOperationDefinition: {
      const auto& op = *n->as<OperationDefinition>();
      if (!is_shorthand(op, previous_definition_)) {
        description(op.description);
        word(op_keyword(op.operation));
        word(op.name.value);
        parenthesized(op.variable_definitions);
        list(op.directives);
      }
      node(op.selection_set);
      return;
    }
    case Kind::kVariableDefinition: {
      const auto& v = *n->as<VariableDefinition>();
      description(v.description);
      node(v.variable);
      punct(':');
      node(v.type);
      if (v.default_value != nullptr) {
        punct('=');
        node(v.default_value);
      }
      list(v.directives);
      return;
    }
    case Kind::kSelectionSet: {
      punct('{');
      list(n->as<SelectionSet>()->selections);
      punct('}');
      return;
    }
    case Kind::kField: {
      const auto& f = *n->as<Field>();
      if (!f.alias.empty()) {
        word(f.alias.value);
        punct(':');
      }
      word(f.name.value);
      parenthesized(f.arguments);
      list(f.directives);
      node(f.selection_set);
      return;
    }
    case Kind::kArgument: {
      const auto& a = *n->as<Argument>();
      word(a.name.value);
      punct(':');
      node(a.value);
      return;
    }
    case Kind::kFragmentSpread: {
      const auto& s = *n->as<FragmentSpread>();
      punct("...");
      word(s.name.value);
      list(s.directives);
      return;
    }
    case Kind::kInlineFragment: {
      const auto& f = *n->as<InlineFragment>();
      punct("...");
      if (f.type_condition != nullptr) {
        word("on");
        node(f.type_condition);
      }
      list(f.directives);
      node(f.selection_set);
      return;
    }
    case Kind::kFragmentDefinition: {
      const auto& f = *n->as<FragmentDefinition>();
      description(f.description);
      word("fragment");
      word(f.name.value);
      word("on");
      node(f.type_condition);
      list(f.directives);
      node(f.selection_set);
      return;
    }
    case Kind::kVariable:
      punct('$');
      out_.append(n->as<Variable>()->name.value);
      return;
    case Kind::kIntValue: word(n->as<IntValue>()->value); return;
    case Kind::kFloatValue: word(n->as<FloatValue>()->value); return;
    case Kind::kStringValue: string(n->as<StringValue>()->value); return;
    case Kind::kBooleanValue: word(n->as<BooleanValue>()->value ? "true" : "false"); return;
    case Kind::kNullValue: word("null"); return;
    case Kind::kEnumValue: word(n->as<EnumValue>()->value); return;
    case Kind::kListValue:
      punct('[');
      list(n->as<ListValue>()->values);
      punct(']');
      return;
    case Kind::kObjectValue:
      punct('{');
      list(n->as<ObjectValue>()->fields);
      punct('}');
      return;
    case Kind::kObjectField: {
      const auto& f = *n->as<ObjectField>();
      word(f.name.value);
      punct(':');
      node(f.value);
      return;
    }
    case Kind::kDirective: {
      const auto& d = *n->as<Directive>();
      punct('@');
      out_.append(d.name.value);
      parenthesized(d.arguments);
      return;
    }
    case Kind::kNamedType: word(n->as<NamedType>()->name.value); return;
    case Kind::kListType:
      punct('[');
      node(n->as<ListType>()->type);
      punct(']');
      return;
    case Kind::kNonNullType:
      node(n->as<NonNullType>()->type);
      punct('!');
      return;
    case Kind::kSchemaDefinition:
    case Kind::kSchemaExtension: {
      const auto& s = *n->as<SchemaDefinition>();
      if (s.is_extension()) {
        word("extend");
      } else {
        description(s.description);
      }
      word("schema");
      list(s.directives);
      braced(s.operation_types);
      return;
    }
    case Kind::kOperationTypeDefinition: {
      const auto& o = *n->as<OperationTypeDefinition>();
      word(op_keyword(o.operation));
      punct(':');
      node(o.type);
      return;
    }
    case Kind::kScalarTypeDefinition:
    case Kind::kScalarTypeExtension:
    case Kind::kObjectTypeDefinition:
    case Kind::kObjectTypeExtension:
    case Kind::kInterfaceTypeDefinition:
    case Kind::kInterfaceTypeExtension:
    case Kind::kUnionTypeDefinition:
    case Kind::kUnionTypeExtension:
    case Kind::kEnumTypeDefinition:
    case Kind::kEnumTypeExtension:
    case Kind::kInputObjectTypeDefinition:
    case Kind::kInputObjectTypeExtension: {
      const auto& t = *n->as<TypeDefinition>();
      if (t.is_extension()) {
        word("extend");
      } else {
        description(t.description);
      }
      switch (t.kind) {
        case Kind::kScalarTypeDefinition:
        case Kind::kScalarTypeExtension:
          word("scalar");
          word(t.name.value);
          list(t.directives);
          return;
        case Kind::kObjectTypeDefinition:
        case Kind::kObjectTypeExtension:
        case Kind::kInterfaceTypeDefinition:
        case Kind::kInterfaceTypeExtension: {
          const auto& o = *n->as<ObjectTypeDefinition>();
          word(o.is_interface() ? "interface" : "type");
          word(o.name.value);
          if (!o.interfaces.empty()) {
            word("implements");
            list(o.interfaces, '&');
          }
          list(o.directives);
          braced(o.fields);
          return;
        }
        case Kind::kUnionTypeDefinition:
        case Kind::kUnionTypeExtension: {
          const auto& u = *n->as<UnionTypeDefinition>();
          word("union");
          word(u.name.value);
          list(u.directives);
          if (!u.types.empty()) {
            punct('=');
            list(u.types, '|');
          }
          return;
        }
        case Kind::kEnumTypeDefinition:
        case Kind::kEnumTypeExtension: {
          const auto& e = *n->as<EnumTypeDefinition>();
          word("enum");
          word(e.name.value);
          list(e.directives);
          braced(e.values);
          return;
        }
        default: {
          const auto& i = *n->as<InputObjectTypeDefinition>();
          word("input");
          word(i.name.value);
          list(i.directives);
          braced(i.fields);
          return;
        }
      }
    }
    case Kind::kFieldDefinition: {
      const auto& f = *n->as<FieldDefinition>();
      description(f.description);
      word(f.name.value);
      parenthesized(f.arguments);
      punct(':');
      node(f.type);
      list(f.directives);
      return;
    }
    case Kind::kInputValueDefinition: {
      const auto& v = *n->as<InputValueDefinition>();
      description(v.description);
      word(v.name.value);
      punct(':');
      node(v.type);
      if (v.default_value != nullptr) {
        punct('=');
        node(v.default_value);
      }
      list(v.directives);
      return;
    }
    case Kind::kEnumValueDefinition: {
      const auto& v = *n->as<EnumValueDefinition>();
      description(v.description);
      word(v.name.value);
      list(v.directives);
      return;
    }
    case Kind::kDirectiveDefinition: {
      const auto& d = *n->as<DirectiveDefinition>();
      description(d.description);
      word("directive");
      punct('@');
      out_.append(d.name.value);
      parenthesized(d.arguments);
      if (d.repeatable) word("repeatable");
      word("on");
      for (size_t i = 0; i < d.locations.size(); ++i) {
        if (i > 0) punct('|');
        word(d.locations[i].value);
      }
      return;
    }
  }
}

constexpr char kHexDigits[] = "0123456789ABCDEF";

}  // namespace

std::string print(const Node& node) {
  std::string out;
  Printer(out).node(&node);
  return out;
}

void print_minified(const Node& node, std::string& out) {
  Minifier(out).node(&node);
}

void append_string_literal(std::string& out, std::string_view value) {
  out.push_back('"');
  size_t clean = 0;  // start of the run of bytes that need no escape
  auto flush = [&](size_t end) { out.append(value.substr(clean, end - clean)); };
  auto unicode_escape = [&](unsigned code) {
    out.append("\\u00");
    out.push_back(kHexDigits[code >> 4]);
    out.push_back(kHexDigits[code & 0xF]);
  };
  for (size_t i = 0; i < value.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    // U+0080..U+009F (C1 controls) arrive as the UTF-8 pair C2 80..C2 9F.
    if (c == 0xC2 && i + 1 < value.size()) {
      unsigned char next = static_cast<unsigned char>(value[i + 1]);
      if (next >= 0x80 && next <= 0x9F) {
        flush(i);
        unicode_escape(next);
        ++i;
        clean = i + 1;
      }
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) continue;
    flush(i);
    clean = i + 1;
    switch (c) {
      case '\b': out.append("\\b"); break;
      case '\t': out.append("\\t"); break;
      case '\n': out.append("\\n"); break;
      case '\f': out.append("\\f"); break;
      case '\r': out.append("\\r"); break;
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      default: unicode_escape(c); break;
    }
  }
  flush(value.size());
  out.push_back('"');
}

std::string block_string_literal(std::string_view value) {
  std::string escaped;
  escaped.reserve(value.size() + 8);
  for (size_t i = 0; i < value.size(); ++i) {
    if (value.compare(i, 3, R"(""")") == 0) {
      escaped.append(R"(\""")");
      i += 2;
    } else {
      escaped.push_back(value[i]);
    }
  }

  // Lines are split on \r\n, \r and \n, as in the lexer.
  bool single_line = true;
  bool force_leading_newline = true;  // every line after the first is empty or indented
  for (size_t i = 0; i < escaped.size(); ++i) {
    char c = escaped[i];
    if (c != '\n' && c != '\r') continue;
    if (c == '\r' && i + 1 < escaped.size() && escaped[i + 1] == '\n') ++i;
    single_line = false;
    if (i + 1 < escaped.size() && escaped[i + 1] != '\n' && escaped[i + 1] != '\r' &&
        !is_js_whitespace(escaped[i + 1])) {
      force_leading_newline = false;
    }
  }
  force_leading_newline = force_leading_newline && !single_line;

  std::string_view escaped_view = escaped;
  bool has_trailing_triple_quotes = escaped_view.ends_with(R"(\""")");
  bool has_trailing_quote = value.ends_with('"') && !has_trailing_triple_quotes;
  bool has_trailing_slash = value.ends_with('\\');
  bool force_trailing_newline = has_trailing_quote || has_trailing_slash;
  bool multiple_lines = !single_line || utf16_length(value) > 70 || force_trailing_newline ||
                        force_leading_newline || has_trailing_triple_quotes;
  bool skip_leading_newline = single_line && !value.empty() && is_js_whitespace(value[0]);

  std::string result;
  result.reserve(escaped.size() + 8);
  result.append(R"(""")");
  if ((multiple_lines && !skip_leading_newline) || force_leading_newline) result.push_back('\n');
  result.append(escaped);
  if (multiple_lines || force_trailing_newline) result.push_back('\n');
  result.append(R"(""")");
  return result;
}

}  // namespace orbit::graphql
