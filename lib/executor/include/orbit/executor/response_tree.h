// The response tree: the mutable, arena-allocated JSON tree an execution merges subgraph
// answers into.
//
// Why not JsonValue: the tree is edited in place — an entity fetch adds fields to objects
// that a root fetch created, at every position a representation came from — and JsonValue
// is immutable. Nodes are plain 16-byte values; strings and keys are copied into the arena
// (simdjson reuses its buffers for the next document), objects are arrays of (key, value)
// with spare capacity so merges append without copying the common case twice.
//
// Key lookup is a length+memcmp scan with a caller-held hint: objects are small, and the
// response writer reads fields in the order subgraphs wrote them (the planner keeps the
// client's order), so the scan almost always succeeds at the hint.
//
// Lifecycle: everything lives in the execution's Arena; nothing is freed before the arena.
// Not thread-safe: one execution, one thread.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "orbit/base/arena.h"
#include "orbit/base/status.h"

namespace orbit::executor {

enum class RKind : uint8_t { kNull, kBool, kInt, kUint, kDouble, kString, kArray, kObject };

struct RObject;

struct RValue {
  RKind kind = RKind::kNull;
  uint32_t size = 0;  // string bytes / array items
  union {
    bool b;
    int64_t i;
    uint64_t u;
    double d;
    const char* s;
    RValue* items;
    RObject* object;
  };

  RValue() : i(0) {}
  static RValue string(std::string_view v) {
    RValue r;
    r.kind = RKind::kString;
    r.size = static_cast<uint32_t>(v.size());
    r.s = v.data();
    return r;
  }
  static RValue of_object(RObject* o) {
    RValue r;
    r.kind = RKind::kObject;
    r.object = o;
    return r;
  }

  bool is_null() const { return kind == RKind::kNull; }
  bool is_object() const { return kind == RKind::kObject; }
  bool is_array() const { return kind == RKind::kArray; }
  bool is_string() const { return kind == RKind::kString; }
  std::string_view str() const { return {s, size}; }
};
static_assert(sizeof(RValue) == 16);

struct RField {
  const char* key;
  uint32_t key_len;
  RValue value;

  std::string_view key_view() const { return {key, key_len}; }
};

// Keys are short field names: a byte loop beats a call to memcmp, and most mismatches end
// at the first byte.
inline bool keys_equal(const char* a, const char* b, size_t n) {
  if (n > 24) return std::memcmp(a, b, n) == 0;
  for (size_t i = 0; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

struct RObject {
  RField* fields = nullptr;
  uint32_t size = 0;
  uint32_t capacity = 0;

  // The value of `key`, or null when absent. `hint` (in/out) is where the scan starts and,
  // on success, the index after the match.
  RValue* find(std::string_view key, uint32_t* hint) {
    uint32_t start = *hint < size ? *hint : 0;
    for (uint32_t n = 0, i = start; n < size; ++n, i = (i + 1 == size ? 0 : i + 1)) {
      const RField& f = fields[i];
      if (f.key_len == key.size() && keys_equal(f.key, key.data(), key.size())) {
        *hint = i + 1;
        return &fields[i].value;
      }
    }
    return nullptr;
  }
  RValue* find(std::string_view key) {
    uint32_t hint = 0;
    return find(key, &hint);
  }
  // Appends (the key must not be present; `key` must live in the arena).
  void append(Arena& arena, std::string_view key, RValue value);
};

// Parses one JSON text (simdjson, runtime-dispatched kernel) into a tree in `arena`.
// Errors: kInvalidArgument with simdjson's reason.
Result<RValue> parse_tree(std::string_view json, Arena& arena);

// Merges `source` into `target`: fields missing in target are added (sharing the source's
// values), objects present in both are merged recursively, arrays of equal length item by
// item, anything else is replaced by the source's value.
void merge_object(Arena& arena, RObject* target, const RObject& source);
void merge_value(Arena& arena, RValue* target, const RValue& source);

// Appends `value` as compact JSON (doubles as JavaScript writes them).
void append_rvalue(std::string& out, const RValue& value);

}  // namespace orbit::executor
