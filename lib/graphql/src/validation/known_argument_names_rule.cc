// KnownArgumentNamesRule: every argument is defined by its field or directive.
#include <unordered_map>
#include <vector>

#include "rule_util.h"
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class KnownArgumentNamesRule : public Rule {
 public:
  KnownArgumentNamesRule(ValidationContext& ctx, std::string_view name) : Rule(ctx, name) {
    for (const Definition* def : ctx.document().definitions) {
      if (def->kind == Kind::kDirectiveDefinition) {
        const auto* d = def->as<DirectiveDefinition>();
        document_defs_[d->name.value] = d;
      }
    }
  }

  void argument(const Argument& node) {
    const Node* parent = ctx_.ancestor(0);
    if (parent != nullptr && parent->kind == Kind::kDirective) return;  // see directive()
    const TypeInfo& ti = ctx_.type_info();
    const FieldDef* field = ti.field_def();
    if (ti.argument() != nullptr || field == nullptr) return;
    std::vector<std::string_view> options;
    for (const InputValueDef& arg : field->arguments)
      options.push_back(arg.name);
    report("Unknown argument \"" + std::string(node.name.value) + "\" on field \"" +
               field_coordinate(ti.field_parent_type(), field) + "\"." +
               suggest(ctx_.hide_suggestions(), node.name.value, options),
           {node.loc});
  }

  void directive(const Directive& node) {
    if (node.arguments.empty()) return;
    std::vector<std::string_view> known;
    if (auto it = document_defs_.find(node.name.value); it != document_defs_.end()) {
      for (const InputValueDefinition* arg : it->second->arguments)
        known.push_back(arg->name.value);
    } else if (const DirectiveDef* def = ctx_.schema().directive(node.name.value)) {
      for (const InputValueDef& arg : def->arguments)
        known.push_back(arg.name);
    } else {
      return;
    }
    for (const Argument* arg : node.arguments) {
      bool found = false;
      for (std::string_view k : known)
        found = found || k == arg->name.value;
      if (found) continue;
      report("Unknown argument \"" + std::string(arg->name.value) + "\" on directive \"@" +
                 std::string(node.name.value) + "\"." +
                 suggest(ctx_.hide_suggestions(), arg->name.value, known),
             {arg->loc});
    }
  }

 private:
  std::unordered_map<std::string_view, const DirectiveDefinition*> document_defs_;
};

}  // namespace

void attach_known_argument_names_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<KnownArgumentNamesRule>(ctx, "KnownArgumentNamesRule"));
  set.on_enter<&KnownArgumentNamesRule::argument>(Kind::kArgument);
  set.on_enter<&KnownArgumentNamesRule::directive>(Kind::kDirective);
}

}  // namespace orbit::graphql::validation
