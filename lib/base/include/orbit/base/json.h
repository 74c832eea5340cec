// JsonValue: an arena-allocated, read-mostly JSON DOM for request variables, coerced values
// and subgraph responses.
//
// Lifecycle: values, their strings, items and members live in an Arena (arena.h) owned by
// the caller; the arena must outlive every JsonValue built in it. A JsonValue is a 16-byte
// handle, copied by value; arrays and objects point at contiguous runs of children. Values are
// immutable once built: transforms build new values (sharing unchanged children) instead of
// editing.
//
// Numbers keep what the text said: integers that fit int64 are stored as int64 (their
// canonical text is the same digits), every other number keeps its lexeme, so big integers
// and exact decimals pass through the parser and writer unchanged.
//
// Objects keep members in insertion order. The parser resolves duplicate keys as
// JSON.parse does (the last value wins, at the position of the first occurrence).
//
// Threading: parse_json() has no shared state; a finished value may be read by any number of
// threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "orbit/base/arena.h"
#include "orbit/base/json_writer.h"
#include "orbit/base/status.h"

namespace orbit {

enum class JsonType : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

struct JsonMember;

class JsonValue {
 public:
  // Null.
  constexpr JsonValue() : rep_(Rep::kNull), size_(0), u_{.i = 0} {}

  static JsonValue boolean(bool b) {
    JsonValue v(Rep::kBool, 0);
    v.u_.b = b;
    return v;
  }
  static JsonValue integer(int64_t i) {
    JsonValue v(Rep::kInt, 0);
    v.u_.i = i;
    return v;
  }
  // A finite double (non-finite values are written as null).
  static JsonValue number(double d) {
    JsonValue v(Rep::kDouble, 0);
    v.u_.d = d;
    return v;
  }
  // A number given by its JSON text (must be a valid JSON number; not checked here). The
  // text is referenced, not copied: it must live as long as the value.
  static JsonValue number_text(std::string_view lexeme);
  // References `s` (no copy): it must outlive the value. Use string_copy() otherwise.
  static JsonValue string(std::string_view s);
  static JsonValue string_copy(Arena& arena, std::string_view s) {
    return string(arena.copy_string(s));
  }
  // Copies the items / members into the arena.
  static JsonValue array(Arena& arena, std::span<const JsonValue> items);
  static JsonValue object(Arena& arena, std::span<const JsonMember> members);

  JsonType type() const;
  bool is_null() const { return rep_ == Rep::kNull; }
  bool is_bool() const { return rep_ == Rep::kBool; }
  bool is_number() const { return rep_ == Rep::kInt || rep_ == Rep::kDouble || rep_ == Rep::kText; }
  bool is_string() const { return rep_ == Rep::kString; }
  bool is_array() const { return rep_ == Rep::kArray; }
  bool is_object() const { return rep_ == Rep::kObject; }

  bool as_bool() const { return rep_ == Rep::kBool && u_.b; }
  // True when the number is an integer that fits int64 (stored as such; a lexeme like "1.0"
  // or "1e2" is not, even though it denotes an integer).
  bool is_int64() const { return rep_ == Rep::kInt; }
  int64_t as_int64() const { return rep_ == Rep::kInt ? u_.i : 0; }
  // Any number as a double (nearest value; huge integers lose precision).
  double as_double() const;
  // The JSON text of a number: its lexeme as parsed, or the canonical text of a stored value.
  std::string number_lexeme() const;
  std::string_view as_string() const {
    return rep_ == Rep::kString ? std::string_view(u_.s, size_) : std::string_view();
  }
  std::span<const JsonValue> items() const {
    return rep_ == Rep::kArray ? std::span<const JsonValue>(u_.items, size_)
                               : std::span<const JsonValue>();
  }
  std::span<const JsonMember> members() const;
  // Number of items / members (0 for scalars).
  size_t size() const { return (rep_ == Rep::kArray || rep_ == Rep::kObject) ? size_ : 0; }
  // Member value by key (linear scan: objects here are small); null when absent or not an
  // object.
  const JsonValue* find(std::string_view key) const;

 private:
  // kText: a number known only by its lexeme (u_.s, size_).
  enum class Rep : uint8_t { kNull, kBool, kInt, kDouble, kText, kString, kArray, kObject };
  constexpr JsonValue(Rep r, uint32_t size) : rep_(r), size_(size), u_{.i = 0} {}

  Rep rep_;
  uint32_t size_;
  union U {
    bool b;
    int64_t i;
    double d;
    const char* s;
    const JsonValue* items;
    const JsonMember* members;
  } u_;
};
static_assert(sizeof(JsonValue) == 16);

struct JsonMember {
  std::string_view key;
  JsonValue value;
};

inline std::span<const JsonMember> JsonValue::members() const {
  return rep_ == Rep::kObject ? std::span<const JsonMember>(u_.members, size_)
                              : std::span<const JsonMember>();
}

// Structural equality: numbers compare by value (1 == 1.0), objects by members in order.
bool json_equal(const JsonValue& a, const JsonValue& b);

struct JsonParseOptions {
  // Nesting of arrays and objects; deeper input is rejected (kLimitExceeded).
  uint32_t max_depth = 128;
  // Input size in bytes; 0 = unlimited. Larger input is rejected before parsing.
  size_t max_bytes = 0;
};

// Parses one JSON text (RFC 8259, UTF-8 validated) into `arena`. Strings, keys and number
// lexemes are copied into the arena, so `text` need not outlive the result. Errors carry
// kInvalidArgument (with the byte offset where known) or kLimitExceeded.
Result<JsonValue> parse_json(std::string_view text, Arena& arena,
                             const JsonParseOptions& options = {});

// Writes `value` as compact JSON. Doubles are written as JavaScript's Number#toString writes
// them (1e21 -> "1e+21", 0.1 -> "0.1"), lexemes verbatim.
void write_json(const JsonValue& value, JsonWriter& writer);
std::string to_json(const JsonValue& value);

// Appends JavaScript's String(number) for a finite double: the shortest round-trip digits,
// in fixed notation for 1e-7 <= |v| < 1e21 and exponent notation otherwise ("1e+21",
// "1.5e-7"). NaN and infinities give "NaN", "Infinity", "-Infinity".
void append_js_number(std::string& out, double v);

}  // namespace orbit
