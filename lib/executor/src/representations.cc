#include "representations.h"

#include <algorithm>
#include <cstring>

#include "orbit/base/hash.h"

namespace orbit::executor {

using graphql::InlineFragment;
using graphql::Kind;
using graphql::Selection;
using graphql::SelectionSet;

bool EntityCollector::type_matches(std::string_view condition, RObject* object) const {
  const RValue* tn = object->find("__typename");
  if (tn == nullptr || !tn->is_string()) return false;
  if (tn->str() == condition) return true;
  const graphql::TypeDef* cond = schema_.type(condition);
  if (cond == nullptr || !cond->is_abstract()) return false;
  const graphql::TypeDef* runtime = schema_.type(tn->str());
  return runtime != nullptr && schema_.is_possible_type(cond, runtime);
}

const InlineFragment* EntityCollector::matching_fragment(const SelectionSet* required,
                                                         RObject* object) const {
  for (const Selection* s : required->selections) {
    if (s->kind != Kind::kInlineFragment) continue;
    const auto* fragment = static_cast<const InlineFragment*>(s);
    if (fragment->type_condition == nullptr || fragment->selection_set == nullptr) continue;
    if (type_matches(fragment->type_condition->name.value, object)) return fragment;
  }
  return nullptr;
}

// Writes the selection `selection` of `object` as JSON, reading each field at its response
// key (the planner's alias) and writing it under its field name (what the subgraph's
// _entities expects). False when a field is missing: the object cannot be represented.
bool EntityCollector::write_representation(RObject* object, const SelectionSet* selection,
                                           std::string& out,
                                           std::span<const planner::TypenameRewrite> rewrites) {
  out += '{';
  bool first = true;
  uint32_t hint = 0;
  for (const Selection* s : selection->selections) {
    if (s->kind == Kind::kInlineFragment) {
      // Nested key fields on an abstract type: only fragments that apply to the object.
      const auto* fragment = static_cast<const InlineFragment*>(s);
      if (fragment->selection_set == nullptr) continue;
      if (fragment->type_condition != nullptr &&
          !type_matches(fragment->type_condition->name.value, object))
        continue;
      // Splice the fragment's fields into this object.
      size_t before = out.size();
      if (!write_representation(object, fragment->selection_set, out, rewrites)) return false;
      std::string inner = out.substr(before + 1, out.size() - before - 2);
      out.resize(before);
      if (!inner.empty()) {
        if (!first) out += ',';
        out += inner;
        first = false;
      }
      continue;
    }
    if (s->kind != Kind::kField) continue;
    const auto* field = static_cast<const graphql::Field*>(s);
    RValue* value = object->find(field->response_key(), &hint);
    if (value == nullptr) return false;
    // `,"name":` in one append (names need no escaping).
    std::string_view name = field->name.value;
    char prefix[64];
    if (name.size() + 4 <= sizeof prefix) {
      size_t n = 0;
      if (!first) prefix[n++] = ',';
      prefix[n++] = '"';
      std::memcpy(prefix + n, name.data(), name.size());
      n += name.size();
      prefix[n++] = '"';
      prefix[n++] = ':';
      out.append(prefix, n);
    } else {
      if (!first) out += ',';
      out += '"';
      out += name;
      out += "\":";
    }
    first = false;
    if (!rewrites.empty() && value->is_string() && field->name.value == "__typename") {
      // @interfaceObject: the subgraph knows the interface, not the object type.
      auto it =
          std::find_if(rewrites.begin(), rewrites.end(),
                       [&](const planner::TypenameRewrite& r) { return r.from == value->str(); });
      if (it != rewrites.end()) {
        append_json_string(out, it->to);
        continue;
      }
    }
    if (field->selection_set == nullptr || value->is_null()) {
      append_rvalue(out, *value);
      continue;
    }
    // A nested key or @requires input: objects (or lists of them) projected recursively.
    auto write_nested = [&](auto&& self, RValue& v) -> bool {
      if (v.is_null()) {
        out += "null";
        return true;
      }
      if (v.is_object()) return write_representation(v.object, field->selection_set, out);
      if (v.is_array()) {
        out += '[';
        for (uint32_t k = 0; k < v.size; ++k) {
          if (k) out += ',';
          if (!self(self, v.items[k])) return false;
        }
        out += ']';
        return true;
      }
      return false;
    };
    if (!write_nested(write_nested, *value)) return false;
  }
  out += '}';
  return true;
}

bool EntityCollector::collect(RObject* root_object, Path path, const SelectionSet* required,
                              std::span<const planner::TypenameRewrite> rewrites, std::string& body,
                              Positions& out) {
  struct Rep {
    size_t offset;
    size_t size;
  };
  std::vector<Rep> reps;
  dedup_table_.assign(64, 0);
  size_t used = 0;
  RValue root = RValue::of_object(root_object);
  visit(root, path, 0, nullptr, [&](RObject* object, std::vector<graphql::PathElement>*) {
    const InlineFragment* fragment = matching_fragment(required, object);
    if (fragment == nullptr) return;
    size_t start = body.size();
    if (!reps.empty()) body += ',';
    size_t rep_start = body.size();
    if (!write_representation(object, fragment->selection_set, body, rewrites)) {
      body.resize(start);
      return;
    }
    std::string_view text(body.data() + rep_start, body.size() - rep_start);
    // Deduplicate by the representation's bytes: equal objects print equally (same fields,
    // same order, as `requires` dictates).
    if (used * 2 >= dedup_table_.size()) {
      std::vector<uint32_t> old = std::move(dedup_table_);
      dedup_table_.assign(old.size() * 2, 0);
      size_t mask = dedup_table_.size() - 1;
      for (uint32_t idx : old) {
        if (idx == 0) continue;
        const Rep& r = reps[idx - 1];
        size_t j = hash_bytes(body.data() + r.offset, r.size) & mask;
        while (dedup_table_[j] != 0)
          j = (j + 1) & mask;
        dedup_table_[j] = idx;
      }
    }
    size_t mask = dedup_table_.size() - 1;
    size_t j = hash_bytes(text.data(), text.size()) & mask;
    while (dedup_table_[j] != 0) {
      const Rep& r = reps[dedup_table_[j] - 1];
      if (r.size == text.size() && std::memcmp(body.data() + r.offset, text.data(), r.size) == 0) {
        body.resize(start);
        out.objects.push_back(object);
        out.rep_of.push_back(dedup_table_[j] - 1);
        return;
      }
      j = (j + 1) & mask;
    }
    reps.push_back(Rep{rep_start, text.size()});
    dedup_table_[j] = static_cast<uint32_t>(reps.size());
    ++used;
    out.objects.push_back(object);
    out.rep_of.push_back(static_cast<uint32_t>(reps.size() - 1));
  });
  out.rep_count = static_cast<uint32_t>(reps.size());
  return !reps.empty();
}

}  // namespace orbit::executor
