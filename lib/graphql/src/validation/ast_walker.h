// walk(): a depth-first walk over a Document (or any executable node) in graphql-js's visit
// order (QueryDocumentKeys without descriptions), keeping a TypeInfo in step.
//
// The visitor is a template parameter, so dispatch is static:
//   bool enter(const Node&)  // false: skip the node's children (its leave() is not called)
//   void leave(const Node&)
//   bool stopped() const     // true: abandon the walk (validation aborted)
// `path` holds the nodes from the walk's root to the current node's parent while a node is
// entered or left (Name nodes are not visited). Recursion is bounded by the parser's depth
// limit. Not thread-safe.
#pragma once

#include <vector>

#include "orbit/graphql/ast.h"
#include "type_info.h"

namespace orbit::graphql::validation {

template <typename Visitor>
class AstWalker {
 public:
  AstWalker(TypeInfo& type_info, Visitor& visitor, std::vector<const Node*>& path)
      : ti_(type_info), v_(visitor), path_(path) {}

  void walk(const Node* node) {
    if (node == nullptr || v_.stopped()) return;
    ti_.enter(*node);
    if (!v_.enter(*node)) {
      ti_.leave(*node);
      return;
    }
    if (v_.stopped()) return;
    path_.push_back(node);
    children(*node);
    path_.pop_back();
    if (v_.stopped()) return;
    v_.leave(*node);
    ti_.leave(*node);
  }

 private:
  template <typename T>
  void walk_list(List<T> items) {
    for (const T* item : items) {
      walk(item);
      if (v_.stopped()) return;
    }
  }

  void children(const Node& node) {
    switch (node.kind) {
      case Kind::kDocument: walk_list(node.as<Document>()->definitions); break;
      case Kind::kOperationDefinition: {
        const auto* op = node.as<OperationDefinition>();
        walk_list(op->variable_definitions);
        walk_list(op->directives);
        walk(op->selection_set);
        break;
      }
      case Kind::kVariableDefinition: {
        const auto* vd = node.as<VariableDefinition>();
        walk(vd->variable);
        walk(vd->type);
        walk(vd->default_value);
        walk_list(vd->directives);
        break;
      }
      case Kind::kSelectionSet: walk_list(node.as<SelectionSet>()->selections); break;
      case Kind::kField: {
        const auto* f = node.as<Field>();
        walk_list(f->arguments);
        walk_list(f->directives);
        walk(f->selection_set);
        break;
      }
      case Kind::kArgument: walk(node.as<Argument>()->value); break;
      case Kind::kFragmentSpread: walk_list(node.as<FragmentSpread>()->directives); break;
      case Kind::kInlineFragment: {
        const auto* f = node.as<InlineFragment>();
        walk(f->type_condition);
        walk_list(f->directives);
        walk(f->selection_set);
        break;
      }
      case Kind::kFragmentDefinition: {
        const auto* f = node.as<FragmentDefinition>();
        walk(f->type_condition);
        walk_list(f->directives);
        walk(f->selection_set);
        break;
      }
      case Kind::kListValue: walk_list(node.as<ListValue>()->values); break;
      case Kind::kObjectValue: walk_list(node.as<ObjectValue>()->fields); break;
      case Kind::kObjectField: walk(node.as<ObjectField>()->value); break;
      case Kind::kDirective: walk_list(node.as<Directive>()->arguments); break;
      case Kind::kListType: walk(node.as<ListType>()->type); break;
      case Kind::kNonNullType: walk(node.as<NonNullType>()->type); break;
      case Kind::kSchemaDefinition:
      case Kind::kSchemaExtension: {
        const auto* s = node.as<SchemaDefinition>();
        walk_list(s->directives);
        walk_list(s->operation_types);
        break;
      }
      case Kind::kOperationTypeDefinition: walk(node.as<OperationTypeDefinition>()->type); break;
      case Kind::kScalarTypeDefinition:
      case Kind::kScalarTypeExtension:
        walk_list(node.as<ScalarTypeDefinition>()->directives);
        break;
      case Kind::kObjectTypeDefinition:
      case Kind::kObjectTypeExtension:
      case Kind::kInterfaceTypeDefinition:
      case Kind::kInterfaceTypeExtension: {
        const auto* t = node.as<ObjectTypeDefinition>();
        walk_list(t->interfaces);
        walk_list(t->directives);
        walk_list(t->fields);
        break;
      }
      case Kind::kFieldDefinition: {
        const auto* f = node.as<FieldDefinition>();
        walk_list(f->arguments);
        walk(f->type);
        walk_list(f->directives);
        break;
      }
      case Kind::kInputValueDefinition: {
        const auto* d = node.as<InputValueDefinition>();
        walk(d->type);
        walk(d->default_value);
        walk_list(d->directives);
        break;
      }
      case Kind::kUnionTypeDefinition:
      case Kind::kUnionTypeExtension: {
        const auto* u = node.as<UnionTypeDefinition>();
        walk_list(u->directives);
        walk_list(u->types);
        break;
      }
      case Kind::kEnumTypeDefinition:
      case Kind::kEnumTypeExtension: {
        const auto* e = node.as<EnumTypeDefinition>();
        walk_list(e->directives);
        walk_list(e->values);
        break;
      }
      case Kind::kEnumValueDefinition: walk_list(node.as<EnumValueDefinition>()->directives); break;
      case Kind::kInputObjectTypeDefinition:
      case Kind::kInputObjectTypeExtension: {
        const auto* i = node.as<InputObjectTypeDefinition>();
        walk_list(i->directives);
        walk_list(i->fields);
        break;
      }
      case Kind::kDirectiveDefinition: walk_list(node.as<DirectiveDefinition>()->arguments); break;
      default:  // leaves: scalars values, Variable, NamedType
        break;
    }
  }

  TypeInfo& ti_;
  Visitor& v_;
  std::vector<const Node*>& path_;
};

template <typename Visitor>
void walk(const Node* root, TypeInfo& type_info, Visitor& visitor, std::vector<const Node*>& path) {
  AstWalker<Visitor>(type_info, visitor, path).walk(root);
}

}  // namespace orbit::graphql::validation
