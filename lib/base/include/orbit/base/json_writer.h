// JsonWriter: appends compact JSON to a caller-owned std::string. Commas are inserted
// automatically; the caller is responsible for balanced begin/end calls. No allocation
// besides the growth of the output string.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace orbit {

// Appends `s` as a JSON string literal (with quotes), escaping as RFC 8259 requires.
void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() {
    sep();
    out_ += '{';
    first_ = true;
    return *this;
  }
  JsonWriter& end_object() {
    out_ += '}';
    first_ = false;
    return *this;
  }
  JsonWriter& begin_array() {
    sep();
    out_ += '[';
    first_ = true;
    return *this;
  }
  JsonWriter& end_array() {
    out_ += ']';
    first_ = false;
    return *this;
  }
  JsonWriter& key(std::string_view k) {
    sep();
    append_json_string(out_, k);
    out_ += ':';
    first_ = true;  // the value that follows takes no comma
    return *this;
  }
  JsonWriter& string(std::string_view s) {
    sep();
    append_json_string(out_, s);
    return *this;
  }
  JsonWriter& integer(int64_t v);
  JsonWriter& number(double v);
  JsonWriter& boolean(bool v) {
    sep();
    out_ += v ? "true" : "false";
    return *this;
  }
  JsonWriter& null() {
    sep();
    out_ += "null";
    return *this;
  }
  // Appends already-serialized JSON as one value.
  JsonWriter& raw(std::string_view json) {
    sep();
    out_ += json;
    return *this;
  }

  std::string& out() { return out_; }

 private:
  void sep() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace orbit
