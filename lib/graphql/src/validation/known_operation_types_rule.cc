// KnownOperationTypesRule: the schema has a root type for every operation's type.
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class KnownOperationTypesRule : public Rule {
 public:
  using Rule::Rule;

  void operation(const OperationDefinition& op) {
    if (ctx_.schema().root_type(op.operation) == nullptr) {
      report("The " + std::string(operation_type_name(op.operation)) +
                 " operation is not supported by the schema.",
             {op.loc});
    }
  }
};

}  // namespace

void attach_known_operation_types_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<KnownOperationTypesRule>(ctx, "KnownOperationTypesRule"));
  set.on_enter<&KnownOperationTypesRule::operation>(Kind::kOperationDefinition);
}

}  // namespace orbit::graphql::validation
