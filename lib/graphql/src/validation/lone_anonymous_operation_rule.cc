// LoneAnonymousOperationRule: an anonymous operation must be the document's only operation.
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

class LoneAnonymousOperationRule : public Rule {
 public:
  using Rule::Rule;

  void document(const Document& doc) {
    for (const Definition* def : doc.definitions) {
      if (def->kind == Kind::kOperationDefinition) ++operation_count_;
    }
  }
  void operation(const OperationDefinition& op) {
    if (op.name.empty() && operation_count_ > 1) {
      report("This anonymous operation must be the only defined operation.", {op.loc});
    }
  }

 private:
  size_t operation_count_ = 0;
};

}  // namespace

void attach_lone_anonymous_operation_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<LoneAnonymousOperationRule>(ctx, "LoneAnonymousOperationRule"));
  set.on_enter<&LoneAnonymousOperationRule::document>(Kind::kDocument);
  set.on_enter<&LoneAnonymousOperationRule::operation>(Kind::kOperationDefinition);
}

}  // namespace orbit::graphql::validation
