#include "orbit/telemetry/span_writer.h"

#include <cstring>
#include <variant>

#include "otlp_fields.h"
#include "protobuf_wire.h"

namespace orbit::telemetry {

namespace {

// The length of a field's bytes made of up to three parts.
void bytes3(wire::Writer& w, std::string& out, uint32_t field, std::string_view a,
            std::string_view b, std::string_view c) {
  w.tag(field, wire::kLen);
  wire::append_varint(out, a.size() + b.size() + c.size());
  out.append(a).append(b).append(c);
}

void put_varint(char*& p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
}

// Field numbers below 16: one byte.
void put_tag(char*& p, uint32_t field, wire::WireType type) {
  *p++ = static_cast<char>(field << 3 | type);
}

// A span id: its length and 8 bytes, most significant first.
void put_id(char*& p, uint64_t id) {
  *p++ = 8;
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<char>(id & 0xff);
    id >>= 8;
  }
  p += 8;
}

void put_fixed64(char*& p, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    *p++ = static_cast<char>(v & 0xff);
    v >>= 8;
  }
}

}  // namespace

// The fixed part of a span goes through a buffer on the stack: a few appends per span instead
// of one per field.
void SpanWriter::begin(const TraceId& trace_id, uint64_t span_id, uint64_t parent_span_id,
                       std::string_view tracestate, SpanKind kind, int64_t start_unix_ns,
                       int64_t end_unix_ns, std::string_view name, std::string_view name2,
                       std::string_view name3) {
  char buf[64];
  char* p = buf;
  put_tag(p, pb::kScopeItems, wire::kLen);
  *p++ = 0;  // the span's length, patched in by end()
  span_start_ = out_.size() + 2;
  put_tag(p, pb::kTraceId, wire::kLen);
  *p++ = 16;
  std::memcpy(p, trace_id.data(), 16);
  p += 16;
  put_tag(p, pb::kSpanId, wire::kLen);
  put_id(p, span_id);
  if (!tracestate.empty()) {
    out_.append(buf, static_cast<size_t>(p - buf));
    p = buf;
    put_tag(p, pb::kTraceState, wire::kLen);
    put_varint(p, tracestate.size());
    out_.append(buf, static_cast<size_t>(p - buf));
    out_.append(tracestate);
    p = buf;
  }
  if (parent_span_id != 0) {
    put_tag(p, pb::kParentSpanId, wire::kLen);
    put_id(p, parent_span_id);
  }
  put_tag(p, pb::kName, wire::kLen);
  put_varint(p, name.size() + name2.size() + name3.size());
  out_.append(buf, static_cast<size_t>(p - buf));
  out_.append(name).append(name2).append(name3);
  p = buf;
  if (kind != SpanKind::kUnspecified) {
    put_tag(p, pb::kKind, wire::kVarint);
    *p++ = static_cast<char>(kind);
  }
  put_tag(p, pb::kStart, wire::kFixed64);
  put_fixed64(p, static_cast<uint64_t>(start_unix_ns));
  put_tag(p, pb::kEnd, wire::kFixed64);
  put_fixed64(p, static_cast<uint64_t>(end_unix_ns));
  out_.append(buf, static_cast<size_t>(p - buf));
}

// Attributes are the bulk of a span: their lengths are known up front, so each is written as
// headers and bytes in a few appends — no length patched in afterwards.
void SpanWriter::key_value_head(std::string_view key, size_t any_len) {
  const size_t kv_len =
      1 + wire::varint_size(key.size()) + key.size() + 1 + wire::varint_size(any_len) + any_len;
  char head[32];
  char* p = head;
  put_tag(p, pb::kAttributes, wire::kLen);
  put_varint(p, kv_len);
  put_tag(p, pb::kKey, wire::kLen);
  put_varint(p, key.size());
  out_.append(head, static_cast<size_t>(p - head));
  out_.append(key);
  p = head;
  put_tag(p, pb::kValue, wire::kLen);
  put_varint(p, any_len);
  out_.append(head, static_cast<size_t>(p - head));
}

void SpanWriter::attribute(std::string_view key, std::string_view value) {
  key_value_head(key, 1 + wire::varint_size(value.size()) + value.size());
  char head[16];
  char* p = head;
  put_tag(p, pb::kStringValue, wire::kLen);
  put_varint(p, value.size());
  out_.append(head, static_cast<size_t>(p - head));
  out_.append(value);
}

// A non-string value: `value` is the AnyValue body (one field).
void SpanWriter::scalar_attribute(std::string_view key, const char* value, size_t value_len) {
  key_value_head(key, value_len);
  out_.append(value, value_len);
}

void SpanWriter::attribute(std::string_view key, int64_t value) {
  char v[16];
  char* p = v;
  put_tag(p, pb::kIntValue, wire::kVarint);
  put_varint(p, static_cast<uint64_t>(value));
  scalar_attribute(key, v, static_cast<size_t>(p - v));
}

void SpanWriter::attribute(std::string_view key, double value) {
  char v[16];
  char* p = v;
  put_tag(p, pb::kDoubleValue, wire::kFixed64);
  uint64_t bits;
  std::memcpy(&bits, &value, 8);
  for (int i = 0; i < 8; ++i) {
    *p++ = static_cast<char>(bits & 0xff);
    bits >>= 8;
  }
  scalar_attribute(key, v, static_cast<size_t>(p - v));
}

void SpanWriter::attribute(std::string_view key, bool value) {
  char v[4];
  char* p = v;
  put_tag(p, pb::kBoolValue, wire::kVarint);
  *p++ = value ? 1 : 0;
  scalar_attribute(key, v, static_cast<size_t>(p - v));
}

void SpanWriter::status(StatusCode code, std::string_view message, std::string_view message2,
                        std::string_view message3) {
  if (code == StatusCode::kUnset) return;
  wire::Writer w(out_);
  size_t st = w.begin(pb::kStatus);
  if (message.size() + message2.size() + message3.size() > 0) {
    bytes3(w, out_, pb::kStatusMessage, message, message2, message3);
  }
  w.varint(pb::kStatusCode, static_cast<uint64_t>(code));
  w.end(st);
}

void SpanWriter::end() {
  wire::Writer w(out_);
  w.fixed32(pb::kFlags, kSampledFlag);
  w.end(span_start_);
  ++spans_;
}

void SpanWriter::write(const SpanData& span) {
  begin(span.trace_id, span.span_id, span.parent_span_id, span.tracestate, span.kind,
        span.start_unix_ns, span.end_unix_ns, span.name);
  wire::Writer w(out_);
  // Events are rare: their attributes go the general way.
  auto attributes = [&](uint32_t field, const SpanAttributes& attrs) {
    for (const SpanAttribute& a : attrs) {
      size_t kv = w.begin(field);
      w.bytes(pb::kKey, a.key);
      size_t any = w.begin(pb::kValue);
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>) {
              w.bytes(pb::kStringValue, v);
            } else if constexpr (std::is_same_v<T, bool>) {
              w.varint(pb::kBoolValue, v ? 1 : 0);
            } else if constexpr (std::is_same_v<T, int64_t>) {
              w.varint(pb::kIntValue, static_cast<uint64_t>(v));
            } else {
              w.double_(pb::kDoubleValue, v);
            }
          },
          a.value);
      w.end(any);
      w.end(kv);
    }
  };
  for (const SpanAttribute& a : span.attributes)
    std::visit([&](const auto& v) { attribute(a.key, v); }, a.value);
  for (const SpanEvent& e : span.events) {
    size_t ev = w.begin(pb::kEvents);
    w.fixed64(pb::kEventTime, static_cast<uint64_t>(e.time_unix_ns));
    w.bytes(pb::kEventName, e.name);
    attributes(pb::kEventAttributes, e.attributes);
    w.end(ev);
  }
  // encode_spans wrote the message of any status that has one; keep that.
  if (span.status_code != StatusCode::kUnset) {
    size_t st = w.begin(pb::kStatus);
    if (!span.status_message.empty()) w.bytes(pb::kStatusMessage, span.status_message);
    w.varint(pb::kStatusCode, static_cast<uint64_t>(span.status_code));
    w.end(st);
  }
  end();
}

}  // namespace orbit::telemetry
