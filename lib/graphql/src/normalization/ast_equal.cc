#include "ast_equal.h"

namespace orbit::graphql::normalization_internal {

bool values_equal(const Value* a, const Value* b) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr || a->kind != b->kind) return false;
  switch (a->kind) {
    case Kind::kVariable: return a->as<Variable>()->name.value == b->as<Variable>()->name.value;
    case Kind::kIntValue: return a->as<IntValue>()->value == b->as<IntValue>()->value;
    case Kind::kFloatValue: return a->as<FloatValue>()->value == b->as<FloatValue>()->value;
    case Kind::kStringValue: return a->as<StringValue>()->value == b->as<StringValue>()->value;
    case Kind::kBooleanValue: return a->as<BooleanValue>()->value == b->as<BooleanValue>()->value;
    case Kind::kNullValue: return true;
    case Kind::kEnumValue: return a->as<EnumValue>()->value == b->as<EnumValue>()->value;
    case Kind::kListValue: {
      List<Value> x = a->as<ListValue>()->values;
      List<Value> y = b->as<ListValue>()->values;
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!values_equal(x[i], y[i])) return false;
      }
      return true;
    }
    case Kind::kObjectValue: {
      List<ObjectField> x = a->as<ObjectValue>()->fields;
      List<ObjectField> y = b->as<ObjectValue>()->fields;
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (x[i]->name.value != y[i]->name.value || !values_equal(x[i]->value, y[i]->value)) {
          return false;
        }
      }
      return true;
    }
    default: return false;
  }
}

bool arguments_equal(List<Argument> a, List<Argument> b) {
  if (a.data() == b.data() && a.size() == b.size()) return true;
  if (a.size() != b.size()) return false;
  // Usually written in the same order: try that first, then fall back to a search.
  bool same_order = true;
  for (size_t i = 0; i < a.size() && same_order; ++i) {
    same_order = a[i]->name.value == b[i]->name.value;
  }
  if (same_order) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (!values_equal(a[i]->value, b[i]->value)) return false;
    }
    return true;
  }
  for (const Argument* x : a) {
    const Argument* match = nullptr;
    for (const Argument* y : b) {
      if (y->name.value == x->name.value) {
        match = y;
        break;
      }
    }
    if (match == nullptr || !values_equal(x->value, match->value)) return false;
  }
  return true;
}

bool directives_equal(List<Directive> a, List<Directive> b) {
  if (a.data() == b.data() && a.size() == b.size()) return true;
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i]->name.value != b[i]->name.value ||
        !arguments_equal(a[i]->arguments, b[i]->arguments)) {
      return false;
    }
  }
  return true;
}

}  // namespace orbit::graphql::normalization_internal
