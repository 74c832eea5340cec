#include "orbit/graphql/validation/validate.h"

#include <array>

#include "ast_walker.h"
#include "rules.h"
#include "validation_context.h"

namespace orbit::graphql {
namespace {

using validation::RuleSet;
using validation::ValidationContext;

struct RuleEntry {
  std::string_view name;
  void (*attach)(RuleSet&, ValidationContext&);
};

#define ORBIT_X(Name, snake) RuleEntry{#Name, &validation::attach_##snake##_rule},
constexpr RuleEntry kRules[] = {ORBIT_VALIDATION_RULES(ORBIT_X)};
#undef ORBIT_X

#define ORBIT_X(Name, snake) std::string_view(#Name),
constexpr std::string_view kRuleNames[] = {ORBIT_VALIDATION_RULES(ORBIT_X)};
#undef ORBIT_X

bool enabled(const ValidationOptions& options, std::string_view name) {
  if (options.only_rules.empty()) return true;
  for (std::string_view n : options.only_rules) {
    if (n == name) return true;
  }
  return false;
}

}  // namespace

std::span<const std::string_view> validation_rule_names() {
  return kRuleNames;
}

void validate(const Schema& schema, const Document& document, ErrorReport& report,
              const ValidationOptions& options) {
  for (std::string_view n : options.only_rules) {
    bool known = false;
    for (const RuleEntry& rule : kRules)
      known = known || rule.name == n;
    if (!known) {
      report.add_internal(
          Status(ErrorCode::kInvalidArgument, "unknown validation rule: " + std::string(n)));
      return;
    }
  }
  ValidationContext ctx(schema, document, report, options);
  RuleSet rules(ctx);
  for (const RuleEntry& rule : kRules) {
    if (enabled(options, rule.name)) rule.attach(rules, ctx);
  }
  validation::walk(&document, ctx.mutable_type_info(), rules, ctx.path());
}

}  // namespace orbit::graphql
