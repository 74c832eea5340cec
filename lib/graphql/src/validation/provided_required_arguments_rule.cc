// ProvidedRequiredArgumentsRule: every required argument (non-null, no default) of a field or
// directive is given.
#include <unordered_map>

#include "rule_util.h"
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

bool provided(List<Argument> arguments, std::string_view name) {
  for (const Argument* arg : arguments) {
    if (arg->name.value == name) return true;
  }
  return false;
}

class ProvidedRequiredArgumentsRule : public Rule {
 public:
  ProvidedRequiredArgumentsRule(ValidationContext& ctx, std::string_view name) : Rule(ctx, name) {
    for (const Definition* def : ctx.document().definitions) {
      if (def->kind == Kind::kDirectiveDefinition) {
        const auto* d = def->as<DirectiveDefinition>();
        document_defs_[d->name.value] = d;
      }
    }
  }

  void leave_field(const Field& node) {
    const TypeInfo& ti = ctx_.type_info();
    const FieldDef* field = ti.field_def();
    if (field == nullptr) return;
    for (const InputValueDef& arg : field->arguments) {
      if (!is_required_input(arg) || provided(node.arguments, arg.name)) continue;
      report("Argument \"" + field_coordinate(ti.field_parent_type(), field) + "(" +
                 std::string(arg.name) + ":)\" of type \"" + arg.type->to_string() +
                 "\" is required, but it was not provided.",
             {node.loc});
    }
  }

  void leave_directive(const Directive& node) {
    std::string_view name = node.name.value;
    if (auto it = document_defs_.find(name); it != document_defs_.end()) {
      for (const InputValueDefinition* arg : it->second->arguments) {
        if (arg->type == nullptr || arg->type->kind != Kind::kNonNullType ||
            arg->default_value != nullptr || provided(node.arguments, arg->name.value)) {
          continue;
        }
        missing(name, arg->name.value, ast_type_string(arg->type), node);
      }
      return;
    }
    const DirectiveDef* def = ctx_.schema().directive(name);
    if (def == nullptr) return;
    for (const InputValueDef& arg : def->arguments) {
      if (!is_required_input(arg) || provided(node.arguments, arg.name)) continue;
      missing(name, arg.name, arg.type->to_string(), node);
    }
  }

 private:
  void missing(std::string_view directive, std::string_view arg, const std::string& type,
               const Directive& node) {
    report("Argument \"@" + std::string(directive) + "(" + std::string(arg) + ":)\" of type \"" +
               type + "\" is required, but it was not provided.",
           {node.loc});
  }

  std::unordered_map<std::string_view, const DirectiveDefinition*> document_defs_;
};

}  // namespace

void attach_provided_required_arguments_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<ProvidedRequiredArgumentsRule>(ctx, "ProvidedRequiredArgumentsRule"));
  set.on_leave<&ProvidedRequiredArgumentsRule::leave_field>(Kind::kField);
  set.on_leave<&ProvidedRequiredArgumentsRule::leave_directive>(Kind::kDirective);
}

}  // namespace orbit::graphql::validation
