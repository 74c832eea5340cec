// Internal: the objects an entity fetch applies to, and their representations.
//
// An entity fetch inside Flatten(path) applies to every object reached by `path` from the
// response root whose __typename matches an inline fragment of the fetch's `requires`. For
// each, the fields that fragment selects are written as JSON (the representation) straight
// into the request body; equal representations (same bytes) are sent once.
//
// Example: requires `{ ... on Product { __typename upc } }` at path topProducts.@ over
//   {"topProducts":[{"__typename":"Product","upc":"1"},{"__typename":"Product","upc":"2"},
//                   {"__typename":"Product","upc":"1"}]}
// appends `{"__typename":"Product","upc":"1"},{"__typename":"Product","upc":"2"}` and
// records positions [obj0, obj1, obj2] with representations [0, 1, 0].
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/executor/response_tree.h"
#include "orbit/graphql/ast.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/planner/query_plan.h"

namespace orbit::executor {

using Path = std::span<const planner::PathSegment>;

// One entity fetch's positions: the objects representations were collected from and the
// representation each one sent (objects whose type matched no fragment of `requires` or that
// lacked a key field are not positions).
struct Positions {
  std::vector<RObject*> objects;
  std::vector<uint32_t> rep_of;  // parallel to objects
  uint32_t rep_count = 0;
};

class EntityCollector {
 public:
  explicit EntityCollector(const graphql::Schema& schema) : schema_(schema) {}

  // Appends the deduplicated representations (comma-separated, no brackets) of the objects
  // at `path` to `body` and records the positions in `out`. False when there is none (the
  // fetch is not sent).
  bool collect(RObject* root, Path path, const graphql::SelectionSet* required,
               std::span<const planner::TypenameRewrite> rewrites, std::string& body,
               Positions& out);

  // Calls f(object, trail) for every object reached by path[i..] from `value`. Lists are
  // walked wherever they occur (an "@" segment, or a list met where a field was expected),
  // nulls and scalars end the walk. `trail`, when given, holds the response path.
  template <typename F>
  void visit(RValue& value, Path path, size_t i, std::vector<graphql::PathElement>* trail, F&& f);

  // `object`'s __typename is `condition` or one of its possible types.
  bool type_matches(std::string_view condition, RObject* object) const;

 private:
  const graphql::InlineFragment* matching_fragment(const graphql::SelectionSet* required,
                                                   RObject* object) const;
  bool write_representation(RObject* object, const graphql::SelectionSet* selection,
                            std::string& out,
                            std::span<const planner::TypenameRewrite> rewrites = {});

  const graphql::Schema& schema_;
  std::vector<uint32_t> dedup_table_;
};

template <typename F>
void EntityCollector::visit(RValue& value, Path path, size_t i,
                            std::vector<graphql::PathElement>* trail, F&& f) {
  if (value.is_array()) {
    bool consume = i < path.size() && path[i].kind == planner::PathSegment::Kind::kList;
    for (uint32_t k = 0; k < value.size; ++k) {
      if (trail) trail->push_back(graphql::PathElement::list_index(k));
      visit(value.items[k], path, consume ? i + 1 : i, trail, f);
      if (trail) trail->pop_back();
    }
    return;
  }
  if (!value.is_object()) return;
  RObject* object = value.object;
  if (i == path.size()) {
    f(object, trail);
    return;
  }
  const planner::PathSegment& seg = path[i];
  switch (seg.kind) {
    case planner::PathSegment::Kind::kField: {
      RValue* child = object->find(seg.name);
      if (child == nullptr) return;
      if (trail) trail->push_back(graphql::PathElement::field(seg.name));
      visit(*child, path, i + 1, trail, f);
      if (trail) trail->pop_back();
      return;
    }
    case planner::PathSegment::Kind::kList:
      visit(value, path, i + 1, trail, f);  // "@" on an object: tolerate, as one item
      return;
    case planner::PathSegment::Kind::kTypeCondition:
      if (type_matches(seg.name, object)) visit(value, path, i + 1, trail, f);
      return;
  }
}

}  // namespace orbit::executor
