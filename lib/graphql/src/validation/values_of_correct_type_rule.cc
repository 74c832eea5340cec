// ValuesOfCorrectTypeRule: every literal value (argument, variable default, nested list item
// or input field) can be coerced to the input type expected where it is written.
//
// The checks and messages are graphql-js's validateInputLiteral in its static form
// (variables are not known yet, so they are accepted anywhere), with the built-in scalars'
// coerceInputLiteral messages. Custom scalars accept any literal, as graphql-js's default
// parseLiteral does.
#include <charconv>
#include <unordered_map>
#include <vector>

#include "rule_util.h"
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

bool int_in_range(std::string_view lexeme) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), v);
  if (ec != std::errc() || ptr != lexeme.data() + lexeme.size()) return false;
  return v >= -2147483648LL && v <= 2147483647LL;
}

class ValuesOfCorrectTypeRule : public Rule {
 public:
  using Rule::Rule;

  bool value(const Node& node) {
    const TypeInfo& ti = ctx_.type_info();
    const TypeRef* type = node.kind == Kind::kListValue ? ti.parent_input_type() : ti.input_type();
    if (type != nullptr) check(static_cast<const Value*>(&node), type);
    return false;  // nested values are checked by check()
  }

 private:
  void check(const Value* value, const TypeRef* type) {
    if (ctx_.aborted()) return;
    if (value->kind == Kind::kVariable) return;
    if (type->is_non_null()) {
      if (value->kind == Kind::kNullValue) {
        report("Expected value of non-null type \"" + type->to_string() + "\" not to be null.",
               {value->loc});
        return;
      }
      check(value, type->of_type);
      return;
    }
    if (value->kind == Kind::kNullValue) return;
    if (type->is_list()) {
      if (value->kind != Kind::kListValue) {
        check(value, type->of_type);
      } else {
        for (const Value* item : value->as<ListValue>()->values)
          check(item, type->of_type);
      }
      return;
    }
    const TypeDef* named = type->named;
    switch (named->kind) {
      case TypeKind::kInputObject: check_object(value, named); return;
      case TypeKind::kEnum: check_enum(value, named); return;
      case TypeKind::kScalar: check_scalar(value, named); return;
      default: return;  // not an input type; TypeInfo never yields one
    }
  }

  void check_object(const Value* value, const TypeDef* type) {
    std::string type_name(type->name);
    if (value->kind != Kind::kObjectValue) {
      report("Expected value of type \"" + type_name +
                 "\" to be an object, found: " + value_string(value) + ".",
             {value->loc});
      return;
    }
    const auto* object = value->as<ObjectValue>();
    // graphql-js's keyMap: the last field of a name wins.
    std::unordered_map<std::string_view, const ObjectField*> by_name;
    for (const ObjectField* f : object->fields)
      by_name[f->name.value] = f;
    for (const InputValueDef& def : type->input_fields) {
      auto it = by_name.find(def.name);
      if (it == by_name.end()) {
        if (is_required_input(def)) {
          report("Expected value of type \"" + type_name + "\" to include required field \"" +
                     std::string(def.name) + "\", found: " + value_string(value) + ".",
                 {value->loc});
        }
      } else {
        check(it->second->value, def.type);
      }
      if (ctx_.aborted()) return;
    }
    const ObjectField* only_known = nullptr;
    size_t known = 0;
    for (const ObjectField* f : object->fields) {
      if (type->input_field(f->name.value) != nullptr) {
        ++known;
        only_known = f;
        continue;
      }
      std::string suggestion;
      if (!ctx_.hide_suggestions()) {
        std::vector<std::string_view> options;
        for (const InputValueDef& def : type->input_fields)
          options.push_back(def.name);
        suggestion = suggest(false, f->name.value, options);
      }
      report("Expected value of type \"" + type_name + "\" not to include unknown field \"" +
                 std::string(f->name.value) + "\"" +
                 (suggestion.empty() ? ", found" : "." + suggestion + " Found") + ": " +
                 value_string(value) + ".",
             {f->loc});
    }
    if (type->one_of) {
      if (known != 1 || only_known->value->kind == Kind::kNullValue) {
        report("Within OneOf Input Object type \"" + type_name +
                   "\", exactly one field must be specified, and the value for that field must "
                   "be non-null.",
               {value->loc});
      }
    }
  }

  void check_enum(const Value* value, const TypeDef* type) {
    if (value->kind == Kind::kEnumValue &&
        type->enum_value(value->as<EnumValue>()->value) != nullptr) {
      return;
    }
    std::string printed = value_string(value);
    std::string suggestion;
    if (!ctx_.hide_suggestions()) {
      std::vector<std::string_view> options;
      for (const EnumValueDef& v : type->enum_values)
        options.push_back(v.name);
      suggestion = suggest(false, printed, options, "the enum value");
    }
    if (value->kind != Kind::kEnumValue) {
      report("Enum \"" + std::string(type->name) +
                 "\" cannot represent non-enum value: " + printed + "." + suggestion,
             {value->loc});
    } else {
      report("Value \"" + printed + "\" does not exist in \"" + std::string(type->name) +
                 "\" enum." + suggestion,
             {value->loc});
    }
  }

  void check_scalar(const Value* value, const TypeDef* type) {
    std::string_view name = type->name;
    Kind k = value->kind;
    if (name == "Int") {
      if (k != Kind::kIntValue) {
        report("Int cannot represent non-integer value: " + value_string(value), {value->loc});
      } else if (!int_in_range(value->as<IntValue>()->value)) {
        report("Int cannot represent non 32-bit signed integer value: " +
                   std::string(value->as<IntValue>()->value),
               {value->loc});
      }
    } else if (name == "Float") {
      if (k != Kind::kIntValue && k != Kind::kFloatValue) {
        report("Float cannot represent non numeric value: " + value_string(value), {value->loc});
      }
    } else if (name == "String") {
      if (k != Kind::kStringValue) {
        report("String cannot represent a non string value: " + value_string(value), {value->loc});
      }
    } else if (name == "Boolean") {
      if (k != Kind::kBooleanValue) {
        report("Boolean cannot represent a non boolean value: " + value_string(value),
               {value->loc});
      }
    } else if (name == "ID") {
      if (k != Kind::kStringValue && k != Kind::kIntValue) {
        report("ID cannot represent a non-string and non-integer value: " + value_string(value),
               {value->loc});
      }
    }
  }
};

}  // namespace

void attach_values_of_correct_type_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<ValuesOfCorrectTypeRule>(ctx, "ValuesOfCorrectTypeRule"));
  constexpr Kind kValueKinds[] = {Kind::kNullValue,   Kind::kListValue,   Kind::kObjectValue,
                                  Kind::kEnumValue,   Kind::kIntValue,    Kind::kFloatValue,
                                  Kind::kStringValue, Kind::kBooleanValue};
  for (Kind k : kValueKinds)
    set.on_enter<&ValuesOfCorrectTypeRule::value>(k);
}

}  // namespace orbit::graphql::validation
