// TypeInfo: the schema types at the current position of a walk over an executable document
// (graphql-js's TypeInfo): parent composite type, field definition, output type, input type
// and its parent, argument, directive, and whether the input position has a default value.
//
// Driven by walk() (ast_walker.h), which calls enter() before and leave() after the visitor
// sees a node. Stacks are std::vectors reused for the whole walk, so a walk allocates only
// while it reaches a new maximum depth. Not thread-safe; one TypeInfo per walk.
#pragma once

#include <vector>

#include "orbit/base/arena.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/schema/schema.h"

namespace orbit::graphql::validation {

class TypeInfo {
 public:
  // `arena` holds the TypeRefs made for variable types (`[Int!]`); it must outlive the walk.
  TypeInfo(const Schema& schema, Arena& arena) : schema_(schema), arena_(arena) {}

  void enter(const Node& node);
  void leave(const Node& node);

  // The output type at the current position (a field's type, a fragment's condition, an
  // operation's root type); null when unknown.
  const TypeRef* type() const { return type_stack_.empty() ? nullptr : type_stack_.back(); }
  // The composite type whose selection set we are in; null when unknown.
  const TypeDef* parent_type() const {
    return parent_type_stack_.empty() ? nullptr : parent_type_stack_.back();
  }
  const FieldDef* field_def() const {
    return field_def_stack_.empty() ? nullptr : field_def_stack_.back();
  }
  // The parent type of the innermost field (the type field_def() belongs to).
  const TypeDef* field_parent_type() const {
    return field_parent_stack_.empty() ? nullptr : field_parent_stack_.back();
  }
  const TypeRef* input_type() const {
    return input_type_stack_.empty() ? nullptr : input_type_stack_.back();
  }
  const TypeRef* parent_input_type() const {
    size_t n = input_type_stack_.size();
    return n < 2 ? nullptr : input_type_stack_[n - 2];
  }
  // graphql-js's getDefaultValue() !== undefined: the argument or input field at this
  // position declares a default value.
  bool has_default_value() const {
    return !default_value_stack_.empty() && default_value_stack_.back();
  }
  const DirectiveDef* directive() const { return directive_; }
  const InputValueDef* argument() const { return argument_; }

  const Schema& schema() const { return schema_; }
  Arena& arena() const { return arena_; }

 private:
  const Schema& schema_;
  Arena& arena_;
  std::vector<const TypeRef*> type_stack_;
  std::vector<const TypeDef*> parent_type_stack_;
  std::vector<const FieldDef*> field_def_stack_;
  std::vector<const TypeDef*> field_parent_stack_;
  std::vector<const TypeRef*> input_type_stack_;
  std::vector<bool> default_value_stack_;
  const DirectiveDef* directive_ = nullptr;
  const InputValueDef* argument_ = nullptr;
};

// Output/input classification of a (possibly wrapped) type reference.
inline bool is_input_type(const TypeRef* t) {
  return t != nullptr && t->named_type()->is_input();
}
inline bool is_output_type(const TypeRef* t) {
  return t != nullptr && t->named_type()->is_output();
}

}  // namespace orbit::graphql::validation
