// Test helper: calls back for every node and every name of a parsed document, in source
// order, so that tests can check properties of all locations at once.
#pragma once

#include <string_view>

#include "orbit/graphql/ast.h"

namespace orbit::graphql::testing {

// on_node(const Node&) for nodes, on_name(const Name&) for names (graphql-js's NameNode).
template <typename OnNode, typename OnName>
class AstWalk {
 public:
  AstWalk(OnNode on_node, OnName on_name) : on_node_(on_node), on_name_(on_name) {}

  void node(const Node* n) {
    if (n == nullptr) return;
    on_node_(*n);
    switch (n->kind) {
      case Kind::kDocument: list(n->as<Document>()->definitions); break;
      case Kind::kOperationDefinition: {
        auto* op = n->as<OperationDefinition>();
        node(op->description);
        name(op->name);
        list(op->variable_definitions);
        list(op->directives);
        node(op->selection_set);
        break;
      }
      case Kind::kVariableDefinition: {
        auto* v = n->as<VariableDefinition>();
        node(v->description);
        node(v->variable);
        node(v->type);
        node(v->default_value);
        list(v->directives);
        break;
      }
      case Kind::kSelectionSet: list(n->as<SelectionSet>()->selections); break;
      case Kind::kField: {
        auto* f = n->as<Field>();
        name(f->alias);
        name(f->name);
        list(f->arguments);
        list(f->directives);
        node(f->selection_set);
        break;
      }
      case Kind::kArgument:
        name(n->as<Argument>()->name);
        node(n->as<Argument>()->value);
        break;
      case Kind::kFragmentSpread:
        name(n->as<FragmentSpread>()->name);
        list(n->as<FragmentSpread>()->directives);
        break;
      case Kind::kInlineFragment: {
        auto* f = n->as<InlineFragment>();
        node(f->type_condition);
        list(f->directives);
        node(f->selection_set);
        break;
      }
      case Kind::kFragmentDefinition: {
        auto* f = n->as<FragmentDefinition>();
        node(f->description);
        name(f->name);
        node(f->type_condition);
        list(f->directives);
        node(f->selection_set);
        break;
      }
      case Kind::kVariable: name(n->as<Variable>()->name); break;
      case Kind::kIntValue:
      case Kind::kFloatValue:
      case Kind::kStringValue:
      case Kind::kBooleanValue:
      case Kind::kNullValue:
      case Kind::kEnumValue: break;
      case Kind::kListValue: list(n->as<ListValue>()->values); break;
      case Kind::kObjectValue: list(n->as<ObjectValue>()->fields); break;
      case Kind::kObjectField:
        name(n->as<ObjectField>()->name);
        node(n->as<ObjectField>()->value);
        break;
      case Kind::kDirective:
        name(n->as<Directive>()->name);
        list(n->as<Directive>()->arguments);
        break;
      case Kind::kNamedType: name(n->as<NamedType>()->name); break;
      case Kind::kListType: node(n->as<ListType>()->type); break;
      case Kind::kNonNullType: node(n->as<NonNullType>()->type); break;
      case Kind::kSchemaDefinition:
      case Kind::kSchemaExtension: {
        auto* s = n->as<SchemaDefinition>();
        node(s->description);
        list(s->directives);
        list(s->operation_types);
        break;
      }
      case Kind::kOperationTypeDefinition: node(n->as<OperationTypeDefinition>()->type); break;
      case Kind::kFieldDefinition: {
        auto* f = n->as<FieldDefinition>();
        node(f->description);
        name(f->name);
        list(f->arguments);
        node(f->type);
        list(f->directives);
        break;
      }
      case Kind::kInputValueDefinition: {
        auto* v = n->as<InputValueDefinition>();
        node(v->description);
        name(v->name);
        node(v->type);
        node(v->default_value);
        list(v->directives);
        break;
      }
      case Kind::kEnumValueDefinition: {
        auto* v = n->as<EnumValueDefinition>();
        node(v->description);
        name(v->name);
        list(v->directives);
        break;
      }
      case Kind::kDirectiveDefinition: {
        auto* d = n->as<DirectiveDefinition>();
        node(d->description);
        name(d->name);
        list(d->arguments);
        for (const Name& l : d->locations)
          name(l);
        break;
      }
      case Kind::kScalarTypeDefinition:
      case Kind::kScalarTypeExtension:
      case Kind::kObjectTypeDefinition:
      case Kind::kObjectTypeExtension:
      case Kind::kInterfaceTypeDefinition:
      case Kind::kInterfaceTypeExtension:
      case Kind::kUnionTypeDefinition:
      case Kind::kUnionTypeExtension:
      case Kind::kEnumTypeDefinition:
      case Kind::kEnumTypeExtension:
      case Kind::kInputObjectTypeDefinition:
      case Kind::kInputObjectTypeExtension: type_definition(n->as<TypeDefinition>()); break;
    }
  }

 private:
  void type_definition(const TypeDefinition* t) {
    node(t->description);
    name(t->name);
    switch (t->kind) {
      case Kind::kObjectTypeDefinition:
      case Kind::kObjectTypeExtension:
      case Kind::kInterfaceTypeDefinition:
      case Kind::kInterfaceTypeExtension:
        list(t->as<ObjectTypeDefinition>()->interfaces);
        list(t->directives);
        list(t->as<ObjectTypeDefinition>()->fields);
        break;
      case Kind::kUnionTypeDefinition:
      case Kind::kUnionTypeExtension:
        list(t->directives);
        list(t->as<UnionTypeDefinition>()->types);
        break;
      case Kind::kEnumTypeDefinition:
      case Kind::kEnumTypeExtension:
        list(t->directives);
        list(t->as<EnumTypeDefinition>()->values);
        break;
      case Kind::kInputObjectTypeDefinition:
      case Kind::kInputObjectTypeExtension:
        list(t->directives);
        list(t->as<InputObjectTypeDefinition>()->fields);
        break;
      default: list(t->directives); break;
    }
  }
  template <typename T>
  void list(List<T> items) {
    for (const T* item : items)
      node(item);
  }
  void name(const Name& n) {
    if (!n.empty()) on_name_(n);
  }

  OnNode on_node_;
  OnName on_name_;
};

template <typename OnNode, typename OnName>
void walk(const Node* root, OnNode on_node, OnName on_name) {
  AstWalk<OnNode, OnName>(on_node, on_name).node(root);
}

}  // namespace orbit::graphql::testing
