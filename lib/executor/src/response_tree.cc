#include "orbit/executor/response_tree.h"

#include <algorithm>
#include <charconv>
#include <string>

#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "tree_builder.h"

namespace orbit::executor {

void RObject::append(Arena& arena, std::string_view key, RValue value) {
  if (size == capacity) {
    uint32_t cap = capacity < 4 ? 8 : capacity * 2;
    auto* grown = static_cast<RField*>(arena.allocate(sizeof(RField) * cap, alignof(RField)));
    if (size > 0) std::memcpy(grown, fields, sizeof(RField) * size);
    fields = grown;
    capacity = cap;
  }
  fields[size++] = RField{key.data(), static_cast<uint32_t>(key.size()), value};
}

simdjson::dom::parser& thread_parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

RValue build_tree(simdjson::dom::element element, Arena& arena) {
  RValue v;
  switch (element.type()) {
    case simdjson::dom::element_type::NULL_VALUE: break;
    case simdjson::dom::element_type::BOOL:
      v.kind = RKind::kBool;
      v.b = element.get_bool().value_unsafe();
      break;
    case simdjson::dom::element_type::INT64:
      v.kind = RKind::kInt;
      v.i = element.get_int64().value_unsafe();
      break;
    case simdjson::dom::element_type::UINT64:
      v.kind = RKind::kUint;
      v.u = element.get_uint64().value_unsafe();
      break;
    case simdjson::dom::element_type::DOUBLE:
      v.kind = RKind::kDouble;
      v.d = element.get_double().value_unsafe();
      break;
    case simdjson::dom::element_type::STRING: {
      std::string_view s = element.get_string().value_unsafe();
      v = RValue::string(arena.copy_string(s));
      break;
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array a = element.get_array().value_unsafe();
      size_t n = a.size();
      v.kind = RKind::kArray;
      v.size = static_cast<uint32_t>(n);
      v.items = n == 0 ? nullptr
                       : static_cast<RValue*>(arena.allocate(sizeof(RValue) * n, alignof(RValue)));
      size_t i = 0;
      for (simdjson::dom::element item : a) {
        if (i == n) break;  // size() saturates only beyond 16M items; never overrun
        new (&v.items[i++]) RValue(build_tree(item, arena));
      }
      v.size = static_cast<uint32_t>(i);
      break;
    }
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object o = element.get_object().value_unsafe();
      auto* obj = arena.make<RObject>();
      size_t n = o.size();
      // One spare slot: most objects of a federated response gain a field or more from an
      // entity fetch.
      uint32_t cap = static_cast<uint32_t>(n + 2);
      obj->fields = static_cast<RField*>(arena.allocate(sizeof(RField) * cap, alignof(RField)));
      obj->capacity = cap;
      for (simdjson::dom::key_value_pair kv : o) {
        std::string_view key = arena.copy_string(kv.key);
        RValue value = build_tree(kv.value, arena);
        // Duplicate keys: the last one wins, as in JSON.parse.
        uint32_t hint = 0;
        if (RValue* existing = obj->find(key, &hint)) {
          *existing = value;
        } else {
          obj->append(arena, key, value);
        }
      }
      v = RValue::of_object(obj);
      break;
    }
  }
  return v;
}

Result<RValue> parse_tree(std::string_view json, Arena& arena) {
  simdjson::dom::element root;
  auto error = thread_parser().parse(json.data(), json.size()).get(root);
  if (error) {
    return Status(ErrorCode::kInvalidArgument, std::string(simdjson::error_message(error)));
  }
  return build_tree(root, arena);
}

void merge_value(Arena& arena, RValue* target, const RValue& source) {
  if (target->kind == RKind::kObject && source.kind == RKind::kObject) {
    if (target->object != source.object) merge_object(arena, target->object, *source.object);
    return;
  }
  if (target->kind == RKind::kArray && source.kind == RKind::kArray &&
      target->size == source.size && target->items != source.items) {
    for (uint32_t i = 0; i < source.size; ++i)
      merge_value(arena, &target->items[i], source.items[i]);
    return;
  }
  *target = source;
}

void merge_object(Arena& arena, RObject* target, const RObject& source) {
  uint32_t hint = 0;
  for (uint32_t i = 0; i < source.size; ++i) {
    const RField& f = source.fields[i];
    if (RValue* existing = target->find(f.key_view(), &hint)) {
      merge_value(arena, existing, f.value);
    } else {
      target->append(arena, f.key_view(), f.value);
    }
  }
}

void append_rvalue(std::string& out, const RValue& v) {
  char buf[32];
  switch (v.kind) {
    case RKind::kNull: out += "null"; return;
    case RKind::kBool: out += v.b ? "true" : "false"; return;
    case RKind::kInt: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.i);
      out.append(buf, r.ptr);
      return;
    }
    case RKind::kUint: {
      auto r = std::to_chars(buf, buf + sizeof buf, v.u);
      out.append(buf, r.ptr);
      return;
    }
    case RKind::kDouble: append_js_number(out, v.d); return;
    case RKind::kString: append_json_string(out, v.str()); return;
    case RKind::kArray:
      out += '[';
      for (uint32_t i = 0; i < v.size; ++i) {
        if (i) out += ',';
        append_rvalue(out, v.items[i]);
      }
      out += ']';
      return;
    case RKind::kObject:
      out += '{';
      for (uint32_t i = 0; i < v.object->size; ++i) {
        if (i) out += ',';
        append_json_string(out, v.object->fields[i].key_view());
        out += ':';
        append_rvalue(out, v.object->fields[i].value);
      }
      out += '}';
      return;
  }
}

}  // namespace orbit::executor
