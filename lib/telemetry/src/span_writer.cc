#include "orbit/telemetry/span_writer.h"

#include <variant>

#include "otlp_fields.h"
#include "protobuf_wire.h"

namespace orbit::telemetry {

namespace {

// A span id as its 8 bytes, most significant first.
void id_field(wire::Writer& w, uint32_t field, uint64_t id) {
  char bytes[8];
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(id & 0xff);
    id >>= 8;
  }
  w.bytes(field, std::string_view(bytes, 8));
}

// The length of a field's bytes made of up to three parts.
void bytes3(wire::Writer& w, std::string& out, uint32_t field, std::string_view a,
            std::string_view b, std::string_view c) {
  w.tag(field, wire::kLen);
  wire::append_varint(out, a.size() + b.size() + c.size());
  out.append(a).append(b).append(c);
}

}  // namespace

void SpanWriter::begin(const TraceId& trace_id, uint64_t span_id, uint64_t parent_span_id,
                       std::string_view tracestate, SpanKind kind, int64_t start_unix_ns,
                       int64_t end_unix_ns, std::string_view name, std::string_view name2,
                       std::string_view name3) {
  wire::Writer w(out_);
  span_start_ = w.begin(pb::kScopeItems);
  w.bytes(pb::kTraceId, std::string_view(reinterpret_cast<const char*>(trace_id.data()), 16));
  id_field(w, pb::kSpanId, span_id);
  if (!tracestate.empty()) w.bytes(pb::kTraceState, tracestate);
  if (parent_span_id != 0) id_field(w, pb::kParentSpanId, parent_span_id);
  bytes3(w, out_, pb::kName, name, name2, name3);
  if (kind != SpanKind::kUnspecified) w.varint(pb::kKind, static_cast<uint64_t>(kind));
  w.fixed64(pb::kStart, static_cast<uint64_t>(start_unix_ns));
  w.fixed64(pb::kEnd, static_cast<uint64_t>(end_unix_ns));
}

void SpanWriter::attribute(std::string_view key, std::string_view value) {
  wire::Writer w(out_);
  size_t kv = w.begin(pb::kAttributes);
  w.bytes(pb::kKey, key);
  size_t any = w.begin(pb::kValue);
  w.bytes(pb::kStringValue, value);
  w.end(any);
  w.end(kv);
}

void SpanWriter::attribute(std::string_view key, int64_t value) {
  wire::Writer w(out_);
  size_t kv = w.begin(pb::kAttributes);
  w.bytes(pb::kKey, key);
  size_t any = w.begin(pb::kValue);
  w.varint(pb::kIntValue, static_cast<uint64_t>(value));
  w.end(any);
  w.end(kv);
}

void SpanWriter::attribute(std::string_view key, double value) {
  wire::Writer w(out_);
  size_t kv = w.begin(pb::kAttributes);
  w.bytes(pb::kKey, key);
  size_t any = w.begin(pb::kValue);
  w.double_(pb::kDoubleValue, value);
  w.end(any);
  w.end(kv);
}

void SpanWriter::attribute(std::string_view key, bool value) {
  wire::Writer w(out_);
  size_t kv = w.begin(pb::kAttributes);
  w.bytes(pb::kKey, key);
  size_t any = w.begin(pb::kValue);
  w.varint(pb::kBoolValue, value ? 1 : 0);
  w.end(any);
  w.end(kv);
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
  attributes(pb::kAttributes, span.attributes);
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
