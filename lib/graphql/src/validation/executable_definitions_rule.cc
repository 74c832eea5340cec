// ExecutableDefinitionsRule: an executable document holds only operations and fragments.
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class ExecutableDefinitionsRule : public Rule {
 public:
  using Rule::Rule;

  bool document(const Document& doc) {
    for (const Definition* def : doc.definitions) {
      if (is_executable_definition(def->kind)) continue;
      std::string name;
      if (def->kind == Kind::kSchemaDefinition || def->kind == Kind::kSchemaExtension) {
        name = "schema";
      } else if (def->kind == Kind::kDirectiveDefinition) {
        name = "\"" + std::string(def->as<DirectiveDefinition>()->name.value) + "\"";
      } else {
        name = "\"" + std::string(def->as<TypeDefinition>()->name.value) + "\"";
      }
      report("The " + name + " definition is not executable.", {def->loc});
    }
    return false;
  }
};

}  // namespace

void attach_executable_definitions_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<ExecutableDefinitionsRule>(ctx, "ExecutableDefinitionsRule"));
  set.on_enter<&ExecutableDefinitionsRule::document>(Kind::kDocument);
}

}  // namespace orbit::graphql::validation
