// The validation rules, one file each (<rule>.cc). Each attach function creates its rule,
// adds it to the RuleSet and registers the node kinds it handles.
#pragma once

#include "validation_context.h"

namespace orbit::graphql::validation {

#define ORBIT_VALIDATION_RULES(X)                                       \
  X(ExecutableDefinitionsRule, executable_definitions)                  \
  X(KnownOperationTypesRule, known_operation_types)                     \
  X(UniqueOperationNamesRule, unique_operation_names)                   \
  X(LoneAnonymousOperationRule, lone_anonymous_operation)               \
  X(SingleFieldSubscriptionsRule, single_field_subscriptions)           \
  X(KnownTypeNamesRule, known_type_names)                               \
  X(FragmentsOnCompositeTypesRule, fragments_on_composite_types)        \
  X(VariablesAreInputTypesRule, variables_are_input_types)              \
  X(ScalarLeafsRule, scalar_leafs)                                      \
  X(FieldsOnCorrectTypeRule, fields_on_correct_type)                    \
  X(UniqueFragmentNamesRule, unique_fragment_names)                     \
  X(KnownFragmentNamesRule, known_fragment_names)                       \
  X(NoUnusedFragmentsRule, no_unused_fragments)                         \
  X(PossibleFragmentSpreadsRule, possible_fragment_spreads)             \
  X(NoFragmentCyclesRule, no_fragment_cycles)                           \
  X(UniqueVariableNamesRule, unique_variable_names)                     \
  X(NoUndefinedVariablesRule, no_undefined_variables)                   \
  X(NoUnusedVariablesRule, no_unused_variables)                         \
  X(KnownDirectivesRule, known_directives)                              \
  X(UniqueDirectivesPerLocationRule, unique_directives_per_location)    \
  X(KnownArgumentNamesRule, known_argument_names)                       \
  X(UniqueArgumentNamesRule, unique_argument_names)                     \
  X(ValuesOfCorrectTypeRule, values_of_correct_type)                    \
  X(ProvidedRequiredArgumentsRule, provided_required_arguments)         \
  X(VariablesInAllowedPositionRule, variables_in_allowed_position)      \
  X(OverlappingFieldsCanBeMergedRule, overlapping_fields_can_be_merged) \
  X(UniqueInputFieldNamesRule, unique_input_field_names)                \
  X(MaxIntrospectionDepthRule, max_introspection_depth)

#define ORBIT_X(Name, snake) void attach_##snake##_rule(RuleSet& set, ValidationContext& ctx);
ORBIT_VALIDATION_RULES(ORBIT_X)
#undef ORBIT_X

}  // namespace orbit::graphql::validation
