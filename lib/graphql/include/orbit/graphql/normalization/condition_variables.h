// ConditionVariables: the variable values that @skip(if:) and @include(if:) read during
// normalization.
//
// Normalization needs nothing else from the request's variables, so it asks for them through
// this narrow interface: the router wraps its coerced variable values (a JSON object from
// src/values' coerce_variable_values) in JsonConditionVariables, tests use
// ConditionVariableMap. Values are expected to be coerced already (defaults applied); when a
// variable is reported missing, normalize() still falls back to a Boolean default value
// written in the operation's variable definition.
//
// Lifecycle: borrowed by normalize() for the duration of the call. Implementations must be
// safe to call from the thread running normalize(); ConditionVariableMap is a plain value,
// not thread-safe while being modified.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "orbit/base/json.h"

namespace orbit::graphql {

// What a variable holds, as far as a Boolean! argument is concerned.
enum class ConditionValue : uint8_t {
  kTrue,
  kFalse,
  kNull,        // given, and null
  kMissing,     // not given (and no default after coercion)
  kNotBoolean,  // given, and not a Boolean (coercion should have rejected it)
};

class ConditionVariables {
 public:
  virtual ~ConditionVariables() = default;
  virtual ConditionValue lookup(std::string_view name) const = 0;
};

// No variables at all (an operation without variables, or a test).
class NoConditionVariables final : public ConditionVariables {
 public:
  ConditionValue lookup(std::string_view) const override { return ConditionValue::kMissing; }
};

// A map from variable name (without '$') to its value.
class ConditionVariableMap final : public ConditionVariables {
 public:
  ConditionVariableMap() = default;
  ConditionVariableMap(std::initializer_list<std::pair<const std::string, bool>> values) {
    for (const auto& [name, value] : values)
      set(name, value);
  }

  ConditionVariableMap& set(std::string_view name, bool value) {
    values_[std::string(name)] = value ? ConditionValue::kTrue : ConditionValue::kFalse;
    return *this;
  }
  ConditionVariableMap& set_null(std::string_view name) {
    values_[std::string(name)] = ConditionValue::kNull;
    return *this;
  }
  ConditionVariableMap& set_non_boolean(std::string_view name) {
    values_[std::string(name)] = ConditionValue::kNotBoolean;
    return *this;
  }

  ConditionValue lookup(std::string_view name) const override {
    auto it = values_.find(name);
    return it == values_.end() ? ConditionValue::kMissing : it->second;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, ConditionValue, Hash, std::equal_to<>> values_;
};

// Coerced variable values as a JSON object (a null or non-object value means "no variables").
// Borrows `values`; it must outlive this adapter.
class JsonConditionVariables final : public ConditionVariables {
 public:
  explicit JsonConditionVariables(const JsonValue& values) : values_(values) {}

  ConditionValue lookup(std::string_view name) const override {
    const JsonValue* value = values_.is_object() ? values_.find(name) : nullptr;
    if (value == nullptr) return ConditionValue::kMissing;
    if (value->is_null()) return ConditionValue::kNull;
    if (!value->is_bool()) return ConditionValue::kNotBoolean;
    return value->as_bool() ? ConditionValue::kTrue : ConditionValue::kFalse;
  }

 private:
  const JsonValue& values_;
};

}  // namespace orbit::graphql
