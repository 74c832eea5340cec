// Protobuf wire format, the small part OTLP needs: a writer that appends fields to a string
// (nested messages get their length patched in when they end) and a bounds-checked reader.
// Internal to lib/telemetry.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace orbit::telemetry::wire {

enum WireType : uint8_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

inline size_t varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline void append_varint(std::string& out, uint64_t v) {
  char buf[10];
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  out.append(buf, n);
}

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void tag(uint32_t field, WireType type) {
    append_varint(out_, static_cast<uint64_t>(field) << 3 | type);
  }
  void varint(uint32_t field, uint64_t v) {
    tag(field, kVarint);
    append_varint(out_, v);
  }
  void fixed64(uint32_t field, uint64_t v) {
    tag(field, kFixed64);
    append_le(v, 8);
  }
  void fixed32(uint32_t field, uint32_t v) {
    tag(field, kFixed32);
    append_le(v, 4);
  }
  void double_(uint32_t field, double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    fixed64(field, bits);
  }
  void bytes(uint32_t field, std::string_view v) {
    tag(field, kLen);
    append_varint(out_, v.size());
    out_.append(v);
  }
  // Packed repeated fixed64 / double: `n` little-endian 8-byte values from `get(i)`.
  template <typename Get>
  void packed64(uint32_t field, size_t n, Get get) {
    if (n == 0) return;
    tag(field, kLen);
    append_varint(out_, n * 8);
    for (size_t i = 0; i < n; ++i)
      append_le(get(i), 8);
  }

  // A nested message: begin() writes the tag and a one-byte length, end() patches the real
  // length in (moving the body when the length needs more bytes).
  size_t begin(uint32_t field) {
    tag(field, kLen);
    out_ += '\0';
    return out_.size();
  }
  void end(size_t body_start) {
    size_t len = out_.size() - body_start;
    size_t n = varint_size(len);
    if (n > 1) out_.insert(body_start, n - 1, '\0');
    char* p = out_.data() + body_start - 1;
    uint64_t v = len;
    while (v >= 0x80) {
      *p++ = static_cast<char>((v & 0x7f) | 0x80);
      v >>= 7;
    }
    *p = static_cast<char>(v);
  }

 private:
  void append_le(uint64_t v, int bytes) {
    char buf[8];
    for (int i = 0; i < bytes; ++i) {
      buf[i] = static_cast<char>(v & 0xff);
      v >>= 8;
    }
    out_.append(buf, static_cast<size_t>(bytes));
  }
  std::string& out_;
};

// Reads fields one at a time; any truncation or malformed varint makes ok() false and next()
// stop.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  // The next field's number and wire type; false at the end or on error.
  bool next(uint32_t& field, WireType& type) {
    if (!ok_ || pos_ >= data_.size()) return false;
    uint64_t key = 0;
    if (!read_varint(key)) return false;
    field = static_cast<uint32_t>(key >> 3);
    uint64_t t = key & 7;
    if (field == 0 || key >> 3 > 0x1fffffff ||
        (t != kVarint && t != kFixed64 && t != kLen && t != kFixed32)) {
      ok_ = false;
      return false;
    }
    type = static_cast<WireType>(t);
    return true;
  }

  bool read_varint(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return fail();
      uint8_t b = static_cast<uint8_t>(data_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return fail();
  }
  bool read_fixed64(uint64_t& v) { return read_le(v, 8); }
  bool read_fixed32(uint32_t& v) {
    uint64_t w = 0;
    if (!read_le(w, 4)) return false;
    v = static_cast<uint32_t>(w);
    return true;
  }
  bool read_double(double& v) {
    uint64_t bits = 0;
    if (!read_le(bits, 8)) return false;
    std::memcpy(&v, &bits, 8);
    return true;
  }
  bool read_bytes(std::string_view& v) {
    uint64_t len = 0;
    if (!read_varint(len)) return false;
    if (len > data_.size() - pos_) return fail();
    v = data_.substr(pos_, len);
    pos_ += len;
    return true;
  }
  // Skips a field of `type` whose key was just read.
  bool skip(WireType type) {
    uint64_t v = 0;
    std::string_view s;
    switch (type) {
      case kVarint: return read_varint(v);
      case kFixed64: return read_le(v, 8);
      case kFixed32: return read_le(v, 4);
      case kLen: return read_bytes(s);
    }
    return fail();
  }

  bool ok() const { return ok_; }
  bool fail() {
    ok_ = false;
    return false;
  }

 private:
  bool read_le(uint64_t& v, int bytes) {
    if (data_.size() - pos_ < static_cast<size_t>(bytes)) return fail();
    v = 0;
    for (int i = 0; i < bytes; ++i) {
      v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    }
    pos_ += bytes;
    return true;
  }

  std::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace orbit::telemetry::wire
