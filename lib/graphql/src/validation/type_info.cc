#include "type_info.h"

namespace orbit::graphql::validation {
namespace {

const TypeRef* named_ref(const TypeDef* t) {
  return t == nullptr ? nullptr : t->ref();
}

}  // namespace

void TypeInfo::enter(const Node& node) {
  switch (node.kind) {
    case Kind::kSelectionSet: {
      const TypeRef* t = type();
      const TypeDef* named = t == nullptr ? nullptr : t->named_type();
      parent_type_stack_.push_back(named != nullptr && named->is_composite() ? named : nullptr);
      break;
    }
    case Kind::kField: {
      const TypeDef* parent = parent_type();
      const FieldDef* def =
          parent == nullptr ? nullptr : schema_.field_def(parent, node.as<Field>()->name.value);
      field_def_stack_.push_back(def);
      field_parent_stack_.push_back(parent);
      const TypeRef* t = def == nullptr ? nullptr : def->type;
      type_stack_.push_back(is_output_type(t) ? t : nullptr);
      break;
    }
    case Kind::kDirective: directive_ = schema_.directive(node.as<Directive>()->name.value); break;
    case Kind::kOperationDefinition: {
      const TypeDef* root = schema_.root_type(node.as<OperationDefinition>()->operation);
      type_stack_.push_back(root != nullptr && root->kind == TypeKind::kObject ? root->ref()
                                                                               : nullptr);
      break;
    }
    case Kind::kInlineFragment:
    case Kind::kFragmentDefinition: {
      const NamedType* cond = node.kind == Kind::kInlineFragment
                                  ? node.as<InlineFragment>()->type_condition
                                  : node.as<FragmentDefinition>()->type_condition;
      const TypeRef* t;
      if (cond != nullptr) {
        t = named_ref(schema_.type(cond->name.value));
      } else {
        t = type() == nullptr ? nullptr : type()->named_type()->ref();
      }
      type_stack_.push_back(is_output_type(t) ? t : nullptr);
      break;
    }
    case Kind::kVariableDefinition: {
      const TypeRef* t = schema_.resolve_type(node.as<VariableDefinition>()->type, arena_);
      input_type_stack_.push_back(is_input_type(t) ? t : nullptr);
      break;
    }
    case Kind::kArgument: {
      const std::string_view name = node.as<Argument>()->name.value;
      const InputValueDef* arg = nullptr;
      if (directive_ != nullptr) {
        arg = directive_->argument(name);
      } else if (const FieldDef* f = field_def()) {
        arg = f->argument(name);
      }
      argument_ = arg;
      default_value_stack_.push_back(arg != nullptr && arg->default_value != nullptr);
      const TypeRef* t = arg == nullptr ? nullptr : arg->type;
      input_type_stack_.push_back(is_input_type(t) ? t : nullptr);
      break;
    }
    case Kind::kListValue: {
      const TypeRef* t = input_type();
      const TypeRef* list = t == nullptr ? nullptr : t->nullable();
      default_value_stack_.push_back(false);
      input_type_stack_.push_back(list != nullptr && list->is_list() ? list->of_type : nullptr);
      break;
    }
    case Kind::kObjectField: {
      const TypeRef* t = input_type();
      const TypeDef* obj = t == nullptr ? nullptr : t->named_type();
      const InputValueDef* field = nullptr;
      if (obj != nullptr && obj->kind == TypeKind::kInputObject) {
        field = obj->input_field(node.as<ObjectField>()->name.value);
      }
      default_value_stack_.push_back(field != nullptr && field->default_value != nullptr);
      const TypeRef* ft = field == nullptr ? nullptr : field->type;
      input_type_stack_.push_back(is_input_type(ft) ? ft : nullptr);
      break;
    }
    default: break;
  }
}

void TypeInfo::leave(const Node& node) {
  switch (node.kind) {
    case Kind::kSelectionSet: parent_type_stack_.pop_back(); break;
    case Kind::kField:
      field_def_stack_.pop_back();
      field_parent_stack_.pop_back();
      type_stack_.pop_back();
      break;
    case Kind::kDirective: directive_ = nullptr; break;
    case Kind::kOperationDefinition:
    case Kind::kInlineFragment:
    case Kind::kFragmentDefinition: type_stack_.pop_back(); break;
    case Kind::kVariableDefinition: input_type_stack_.pop_back(); break;
    case Kind::kArgument:
      argument_ = nullptr;
      default_value_stack_.pop_back();
      input_type_stack_.pop_back();
      break;
    case Kind::kListValue:
    case Kind::kObjectField:
      default_value_stack_.pop_back();
      input_type_stack_.pop_back();
      break;
    default: break;
  }
}

}  // namespace orbit::graphql::validation
