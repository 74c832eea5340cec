// VariablesInAllowedPositionRule: a variable's declared type fits every position it is used
// in (a nullable variable may fill a non-null position only when a default covers it), and
// variables given to a field of a @oneOf input object are non-null.
#include <unordered_map>

#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class VariablesInAllowedPositionRule : public Rule {
 public:
  using Rule::Rule;

  void leave_operation(const OperationDefinition& op) {
    std::unordered_map<std::string_view, const VariableDefinition*> defs;
    for (const VariableDefinition* def : op.variable_definitions) {
      defs[def->variable->name.value] = def;
    }
    const Schema& schema = ctx_.schema();
    for (const VariableUsage& usage : ctx_.recursive_variable_usages(&op)) {
      std::string_view name = usage.node->name.value;
      auto it = defs.find(name);
      if (it == defs.end() || usage.type == nullptr) continue;
      const VariableDefinition* def = it->second;
      const TypeRef* var_type = schema.resolve_type(def->type, ctx_.arena());
      if (var_type == nullptr) continue;
      if (!allowed(var_type, def->default_value, usage.type, usage.has_location_default)) {
        report("Variable \"$" + std::string(name) + "\" of type \"" + var_type->to_string() +
                   "\" used in position expecting type \"" + usage.type->to_string() + "\".",
               {def->loc, usage.node->loc});
      }
      const TypeRef* parent = usage.parent_type;
      if (parent != nullptr && parent->wrap == TypeRef::Wrap::kNamed &&
          parent->named->kind == TypeKind::kInputObject && parent->named->one_of &&
          !var_type->is_non_null()) {
        report("Variable \"$" + std::string(name) + "\" is of type \"" + var_type->to_string() +
                   "\" but must be non-nullable to be used for OneOf Input Object \"" +
                   std::string(parent->named->name) + "\".",
               {def->loc, usage.node->loc});
      }
    }
  }

 private:
  bool allowed(const TypeRef* var_type, const Value* var_default, const TypeRef* location_type,
               bool location_has_default) const {
    const Schema& schema = ctx_.schema();
    if (location_type->is_non_null() && !var_type->is_non_null()) {
      bool non_null_default = var_default != nullptr && var_default->kind != Kind::kNullValue;
      if (!non_null_default && !location_has_default) return false;
      return schema.is_type_sub_type_of(var_type, location_type->of_type);
    }
    return schema.is_type_sub_type_of(var_type, location_type);
  }
};

}  // namespace

void attach_variables_in_allowed_position_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<VariablesInAllowedPositionRule>(ctx, "VariablesInAllowedPositionRule"));
  set.on_leave<&VariablesInAllowedPositionRule::leave_operation>(Kind::kOperationDefinition);
}

}  // namespace orbit::graphql::validation
