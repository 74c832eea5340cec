// KnownTypeNamesRule: every named type reference exists in the schema (or is defined by the
// document itself).
#include <unordered_set>
#include <vector>

#include "rule_util.h"
#include "rules.h"

namespace orbit::graphql::validation {
namespace {

constexpr std::string_view kStandardTypeNames[] = {
    "String",    "Int",      "Float",        "Boolean",
    "ID",        "__Schema", "__Directive",  "__DirectiveLocation",
    "__Type",    "__Field",  "__InputValue", "__EnumValue",
    "__TypeKind"};

bool is_standard_type_name(std::string_view name) {
  for (std::string_view n : kStandardTypeNames) {
    if (n == name) return true;
  }
  return false;
}

bool is_sdl_node(const Node* node) {
  if (node == nullptr) return false;
  Kind k = node->kind;
  return k == Kind::kSchemaDefinition || k == Kind::kDirectiveDefinition || is_type_definition(k) ||
         is_type_extension(k) || k == Kind::kSchemaExtension;
}

class KnownTypeNamesRule : public Rule {
 public:
  using Rule::Rule;

  void named_type(const NamedType& node) {
    std::string_view name = node.name.value;
    if (ctx_.schema().type(name) != nullptr) return;
    if (!defined_indexed_) index_defined();
    if (defined_.contains(name)) return;
    // The top-level definition, or the parent for a type right under the document.
    const Node* definition = ctx_.current_definition();
    if (definition == nullptr) definition = ctx_.ancestor(0);
    bool sdl = is_sdl_node(definition);
    if (sdl && is_standard_type_name(name)) return;
    std::string suggestion;
    if (!ctx_.hide_suggestions()) {
      std::vector<std::string_view> options;
      std::unordered_set<std::string_view> seen;
      if (sdl) {
        for (std::string_view n : kStandardTypeNames) {
          if (seen.insert(n).second) options.push_back(n);
        }
      }
      for (const TypeDef* t : ctx_.schema().types()) {
        if (seen.insert(t->name).second) options.push_back(t->name);
      }
      for (std::string_view n : defined_order_) {
        if (seen.insert(n).second) options.push_back(n);
      }
      suggestion = suggest(false, name, options);
    }
    report("Unknown type \"" + std::string(name) + "\"." + suggestion, {node.loc});
  }

 private:
  void index_defined() {
    defined_indexed_ = true;
    for (const Definition* def : ctx_.document().definitions) {
      if (is_type_definition(def->kind)) {
        std::string_view n = def->as<TypeDefinition>()->name.value;
        if (defined_.insert(n).second) defined_order_.push_back(n);
      }
    }
  }

  bool defined_indexed_ = false;
  std::unordered_set<std::string_view> defined_;
  std::vector<std::string_view> defined_order_;
};

}  // namespace

void attach_known_type_names_rule(RuleSet& set, ValidationContext& ctx) {
  set.add(std::make_unique<KnownTypeNamesRule>(ctx, "KnownTypeNamesRule"));
  set.on_enter<&KnownTypeNamesRule::named_type>(Kind::kNamedType);
}

}  // namespace orbit::graphql::validation
