#include "orbit/base/json.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace orbit {

namespace od = simdjson::ondemand;

// ---- JsonValue ----------------------------------------------------------------------------

JsonValue JsonValue::number_text(std::string_view lexeme) {
  JsonValue v(Rep::kText, static_cast<uint32_t>(lexeme.size()));
  v.u_.s = lexeme.data();
  return v;
}

JsonValue JsonValue::string(std::string_view s) {
  JsonValue v(Rep::kString, static_cast<uint32_t>(s.size()));
  v.u_.s = s.data();
  return v;
}

JsonValue JsonValue::array(Arena& arena, std::span<const JsonValue> items) {
  JsonValue v(Rep::kArray, static_cast<uint32_t>(items.size()));
  v.u_.items = arena.copy_span(items).data();
  return v;
}

JsonValue JsonValue::object(Arena& arena, std::span<const JsonMember> members) {
  JsonValue v(Rep::kObject, static_cast<uint32_t>(members.size()));
  v.u_.members = arena.copy_span(members).data();
  return v;
}

JsonType JsonValue::type() const {
  switch (rep_) {
    case Rep::kNull: return JsonType::kNull;
    case Rep::kBool: return JsonType::kBool;
    case Rep::kInt:
    case Rep::kDouble:
    case Rep::kText: return JsonType::kNumber;
    case Rep::kString: return JsonType::kString;
    case Rep::kArray: return JsonType::kArray;
    case Rep::kObject: return JsonType::kObject;
  }
  return JsonType::kNull;
}

double JsonValue::as_double() const {
  switch (rep_) {
    case Rep::kInt: return static_cast<double>(u_.i);
    case Rep::kDouble: return u_.d;
    case Rep::kText: {
      double d = 0;
      auto [p, ec] = std::from_chars(u_.s, u_.s + size_, d);
      if (ec == std::errc::result_out_of_range) {
        // from_chars leaves `d` untouched when out of range; JSON.parse gives ±Infinity for
        // huge magnitudes and ±0 for tiny ones (negative exponent).
        std::string_view lex(u_.s, size_);
        bool neg = !lex.empty() && lex[0] == '-';
        size_t e = lex.find_first_of("eE");
        bool tiny = e != std::string_view::npos && e + 1 < lex.size() && lex[e + 1] == '-';
        if (tiny) return neg ? -0.0 : 0.0;
        return neg ? -HUGE_VAL : HUGE_VAL;
      }
      return d;
    }
    default: return 0;
  }
}

std::string JsonValue::number_lexeme() const {
  std::string out;
  switch (rep_) {
    case Rep::kInt: {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, u_.i);
      out.assign(buf, end);
      break;
    }
    case Rep::kDouble: append_js_number(out, u_.d); break;
    case Rep::kText: out.assign(u_.s, size_); break;
    default: break;
  }
  return out;
}

const JsonValue* JsonValue::find(std::string_view key) const {
  for (const JsonMember& m : members()) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

bool json_equal(const JsonValue& a, const JsonValue& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case JsonType::kNull: return true;
    case JsonType::kBool: return a.as_bool() == b.as_bool();
    case JsonType::kNumber:
      if (a.is_int64() && b.is_int64()) return a.as_int64() == b.as_int64();
      if (a.number_lexeme() == b.number_lexeme()) return true;
      return a.as_double() == b.as_double();
    case JsonType::kString: return a.as_string() == b.as_string();
    case JsonType::kArray: {
      auto x = a.items(), y = b.items();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!json_equal(x[i], y[i])) return false;
      }
      return true;
    }
    case JsonType::kObject: {
      auto x = a.members(), y = b.members();
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (x[i].key != y[i].key || !json_equal(x[i].value, y[i].value)) return false;
      }
      return true;
    }
  }
  return false;
}

// ---- writer -------------------------------------------------------------------------------

void append_js_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v < 0 ? "-Infinity" : "Infinity";
    return;
  }
  if (v == 0) {  // both +0 and -0 print as "0"
    out += '0';
    return;
  }
  if (v < 0) {
    out += '-';
    v = -v;
  }
  // Shortest round-trip digits in scientific form: d[.ddd]e±x.
  char buf[40];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view sci(buf, end - buf);
  size_t e_pos = sci.find('e');
  std::string digits;
  digits += sci[0];
  if (e_pos > 1) digits.append(sci.substr(2, e_pos - 2));  // skip "."
  int exp10 = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                  exp10);
  // ECMAScript Number::toString: k digits, n = exp10 + 1.
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;
  if (k <= n && n <= 21) {
    out += digits;
    out.append(n - k, '0');
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, n);
    out += '.';
    out.append(digits, n, std::string::npos);
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(-n, '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    out += (n - 1) < 0 ? '-' : '+';
    out += std::to_string(std::abs(n - 1));
  }
}

void write_json(const JsonValue& value, JsonWriter& w) {
  switch (value.type()) {
    case JsonType::kNull: w.null(); break;
    case JsonType::kBool: w.boolean(value.as_bool()); break;
    case JsonType::kNumber:
      if (value.is_int64()) {
        w.integer(value.as_int64());
      } else {
        double d = value.as_double();
        std::string lex = value.number_lexeme();
        // A stored double that is not finite has no JSON form.
        if (!std::isfinite(d) && lex.find_first_not_of("-0123456789.eE+") != std::string::npos) {
          w.null();
        } else {
          w.raw(lex);
        }
      }
      break;
    case JsonType::kString: w.string(value.as_string()); break;
    case JsonType::kArray:
      w.begin_array();
      for (const JsonValue& item : value.items())
        write_json(item, w);
      w.end_array();
      break;
    case JsonType::kObject:
      w.begin_object();
      for (const JsonMember& m : value.members()) {
        w.key(m.key);
        write_json(m.value, w);
      }
      w.end_object();
      break;
  }
}

std::string to_json(const JsonValue& value) {
  std::string out;
  JsonWriter w(out);
  write_json(value, w);
  return out;
}

// ---- parser -------------------------------------------------------------------------------

namespace {

// RFC 8259 number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// Sets *integral when there is neither fraction nor exponent.
bool valid_number(std::string_view s, bool* integral) {
  size_t i = 0, n = s.size();
  auto digit = [&](size_t j) { return j < n && s[j] >= '0' && s[j] <= '9'; };
  if (i < n && s[i] == '-') ++i;
  if (!digit(i)) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (digit(i))
      ++i;
  }
  *integral = true;
  if (i < n && s[i] == '.') {
    *integral = false;
    ++i;
    if (!digit(i)) return false;
    while (digit(i))
      ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    *integral = false;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i))
      ++i;
  }
  return i == n;
}

// value::raw_json_token() cannot fail; document::raw_json_token() can.
simdjson::error_code raw_token(od::value& v, std::string_view* out) {
  *out = v.raw_json_token();
  return simdjson::SUCCESS;
}
simdjson::error_code raw_token(od::document& d, std::string_view* out) {
  return d.raw_json_token().get(*out);
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

class Parser {
 public:
  Parser(Arena& arena, const JsonParseOptions& options, const char* base)
      : arena_(arena), options_(options), base_(base) {}

  template <typename V>  // od::value or od::document
  Status parse_value(V& v, uint32_t depth, JsonValue* out) {
    od::json_type t;
    if (auto err = v.type().get(t)) return fail(err, v);
    switch (t) {
      case od::json_type::array: {
        if (depth >= options_.max_depth) return limit();
        od::array arr;
        if (auto err = v.get_array().get(arr)) return fail(err, v);
        size_t start = values_.size();
        for (auto child : arr) {
          od::value cv;
          if (auto err = std::move(child).get(cv)) return fail(err, v);
          JsonValue item;
          ORBIT_RETURN_IF_ERROR(parse_value(cv, depth + 1, &item));
          values_.push_back(item);
        }
        *out = JsonValue::array(arena_, std::span<const JsonValue>(values_).subspan(start));
        values_.resize(start);
        return Status();
      }
      case od::json_type::object: {
        if (depth >= options_.max_depth) return limit();
        od::object obj;
        if (auto err = v.get_object().get(obj)) return fail(err, v);
        size_t start = members_.size();
        for (auto field : obj) {
          od::field f;
          if (auto err = std::move(field).get(f)) return fail(err, v);
          std::string_view key;
          if (auto err = f.unescaped_key().get(key)) return fail(err, v);
          JsonMember m{arena_.copy_string(key), JsonValue()};
          ORBIT_RETURN_IF_ERROR(parse_value(f.value(), depth + 1, &m.value));
          members_.push_back(m);
        }
        dedupe(start);
        *out = JsonValue::object(arena_, std::span<const JsonMember>(members_).subspan(start));
        members_.resize(start);
        return Status();
      }
      case od::json_type::number: {
        std::string_view raw;
        if (auto err = raw_token(v, &raw)) return fail(err, v);
        raw = trim_right(raw);
        number_end_ = raw.data() + raw.size();
        bool integral = false;
        if (!valid_number(raw, &integral)) {
          return Status(ErrorCode::kInvalidArgument, "JSON parse error at offset " +
                                                         std::to_string(raw.data() - base_) +
                                                         ": invalid number");
        }
        if (integral) {
          int64_t i = 0;
          auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), i);
          // "-0" is kept as text so that it is written back unchanged.
          if (ec == std::errc() && p == raw.data() + raw.size() && raw != "-0") {
            *out = JsonValue::integer(i);
            return Status();
          }
        }
        *out = JsonValue::number_text(arena_.copy_string(raw));
        return Status();
      }
      case od::json_type::string: {
        std::string_view s;
        if (auto err = v.get_string().get(s)) return fail(err, v);
        *out = JsonValue::string(arena_.copy_string(s));
        return Status();
      }
      case od::json_type::boolean: {
        bool b = false;
        if (auto err = v.get_bool().get(b)) return fail(err, v);
        *out = JsonValue::boolean(b);
        return Status();
      }
      case od::json_type::null: {
        bool is_null = false;
        if (auto err = v.is_null().get(is_null)) return fail(err, v);
        if (!is_null) return fail(simdjson::INCORRECT_TYPE, v);
        *out = JsonValue();
        return Status();
      }
    }
    return fail(simdjson::TAPE_ERROR, v);
  }

  // Offset of the parse position, when simdjson knows it.
  template <typename V>
  Status fail(simdjson::error_code err, V& v) {
    if (err == simdjson::DEPTH_ERROR) return limit();
    return Status(ErrorCode::kInvalidArgument,
                  std::string("JSON parse error: ") + simdjson::error_message(err));
  }

  // End of the last number token: reading a number does not advance a document that is
  // only that number, so the caller checks what follows it.
  const char* number_end() const { return number_end_; }

  Status limit() {
    return Status(ErrorCode::kLimitExceeded, "JSON nesting is deeper than the limit of " +
                                                 std::to_string(options_.max_depth) + ".");
  }

 private:
  // JSON.parse semantics for repeated keys: last value, first position.
  void dedupe(size_t start) {
    size_t n = members_.size() - start;
    if (n < 2) return;
    JsonMember* m = members_.data() + start;
    bool dup = false;
    if (n <= 16) {
      for (size_t i = 1; i < n && !dup; ++i) {
        for (size_t j = 0; j < i; ++j) {
          if (m[i].key == m[j].key) {
            dup = true;
            break;
          }
        }
      }
      if (!dup) return;
    }
    std::unordered_map<std::string_view, size_t> first;
    size_t out = 0;
    for (size_t i = 0; i < n; ++i) {
      auto [it, inserted] = first.emplace(m[i].key, out);
      if (inserted) {
        m[out++] = m[i];
      } else {
        m[it->second].value = m[i].value;
      }
    }
    members_.resize(start + out);
  }

  Arena& arena_;
  const JsonParseOptions& options_;
  const char* number_end_ = nullptr;
  const char* base_;
  // Children of the arrays/objects being parsed; each level uses the tail.
  std::vector<JsonValue> values_;
  std::vector<JsonMember> members_;
};

}  // namespace

Result<JsonValue> parse_json(std::string_view text, Arena& arena, const JsonParseOptions& options) {
  if (options.max_bytes != 0 && text.size() > options.max_bytes) {
    return Status(ErrorCode::kLimitExceeded, "JSON text of " + std::to_string(text.size()) +
                                                 " bytes exceeds the limit of " +
                                                 std::to_string(options.max_bytes) + " bytes.");
  }
  // One parser per thread: its buffers are reused across calls.
  thread_local od::parser parser;
  simdjson::padded_string padded(text);
  od::document doc;
  if (auto err = parser.iterate(padded).get(doc)) {
    return Status(ErrorCode::kInvalidArgument,
                  std::string("JSON parse error: ") + simdjson::error_message(err));
  }
  Parser p(arena, options, padded.data());
  JsonValue out;
  Status st = p.parse_value(doc, 0, &out);
  auto with_offset = [&](Status s) {
    if (s.code() != ErrorCode::kInvalidArgument || s.message().find("offset") != std::string::npos)
      return s;
    const char* loc = nullptr;
    std::string msg = s.message();
    if (!doc.current_location().get(loc) && loc != nullptr) {
      msg.insert(std::strlen("JSON parse error"),
                 " at offset " + std::to_string(loc - padded.data()));
    }
    return Status(s.code(), std::move(msg));
  };
  if (!st.ok()) return with_offset(std::move(st));
  // current_location() fails with OUT_OF_BOUNDS exactly when the whole input was consumed.
  const char* rest = nullptr;
  bool trailing;
  if (out.is_number()) {
    std::string_view tail(p.number_end(), padded.data() + text.size() - p.number_end());
    trailing = tail.find_first_not_of(" \t\r\n") != std::string_view::npos;
  } else {
    trailing = !doc.current_location().get(rest);
  }
  if (trailing) {
    return with_offset(Status(ErrorCode::kInvalidArgument,
                              "JSON parse error: unexpected content after the value"));
  }
  return out;
}

}  // namespace orbit
