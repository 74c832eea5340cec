#include "orbit/telemetry/otlp_decode.h"

#include "protobuf_wire.h"

namespace orbit::telemetry {

namespace {

using wire::Reader;
using wire::WireType;

Status malformed(std::string_view what) {
  return Status(ErrorCode::kInvalidArgument, "malformed OTLP protobuf: " + std::string(what));
}

// Iterates the fields of one message: `on_field(field, type, reader)` returns false when it did
// not consume the field (it is then skipped) — errors are reported through the reader.
template <typename OnField>
Status each_field(std::string_view message, std::string_view what, OnField on_field) {
  Reader r(message);
  uint32_t field = 0;
  WireType type{};
  while (r.next(field, type)) {
    Status s = on_field(field, type, r);
    if (!s.ok()) return s;
  }
  if (!r.ok()) return malformed(what);
  return Status();
}

// Reads a length-delimited field's payload, or fails when the wire type is another.
Status sub(Reader& r, WireType type, std::string_view& out, std::string_view what) {
  if (type != wire::kLen || !r.read_bytes(out)) return malformed(what);
  return Status();
}

Status skip(Reader& r, WireType type, std::string_view what) {
  if (!r.skip(type)) return malformed(what);
  return Status();
}

Status decode_any_value(std::string_view msg, AttributeValue& out) {
  out = std::string();
  return each_field(msg, "AnyValue", [&](uint32_t f, WireType t, Reader& r) -> Status {
    uint64_t v = 0;
    switch (f) {
      case 1: {
        std::string_view s;
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "AnyValue.string_value"));
        out = std::string(s);
        return Status();
      }
      case 2:
        if (t != wire::kVarint || !r.read_varint(v)) return malformed("AnyValue.bool_value");
        out = v != 0;
        return Status();
      case 3:
        if (t != wire::kVarint || !r.read_varint(v)) return malformed("AnyValue.int_value");
        out = static_cast<int64_t>(v);
        return Status();
      case 4: {
        double d = 0;
        if (t != wire::kFixed64 || !r.read_double(d)) return malformed("AnyValue.double_value");
        out = d;
        return Status();
      }
      default: return skip(r, t, "AnyValue");
    }
  });
}

Status decode_key_value(std::string_view msg, SpanAttribute& out) {
  return each_field(msg, "KeyValue", [&](uint32_t f, WireType t, Reader& r) -> Status {
    std::string_view s;
    if (f == 1) {
      ORBIT_RETURN_IF_ERROR(sub(r, t, s, "KeyValue.key"));
      out.key = std::string(s);
      return Status();
    }
    if (f == 2) {
      ORBIT_RETURN_IF_ERROR(sub(r, t, s, "KeyValue.value"));
      return decode_any_value(s, out.value);
    }
    return skip(r, t, "KeyValue");
  });
}

std::string as_text(const AttributeValue& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return x;
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? "true" : "false";
        } else {
          return std::to_string(x);
        }
      },
      v);
}

Status decode_string_attribute(std::string_view msg, Attributes& out) {
  SpanAttribute a;
  ORBIT_RETURN_IF_ERROR(decode_key_value(msg, a));
  out.emplace_back(std::move(a.key), as_text(a.value));
  return Status();
}

Status decode_resource(std::string_view msg, Resource& out) {
  Attributes all;
  ORBIT_RETURN_IF_ERROR(each_field(msg, "Resource", [&](uint32_t f, WireType t, Reader& r) {
    std::string_view s;
    if (f != 1) return skip(r, t, "Resource");
    ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Resource.attributes"));
    return decode_string_attribute(s, all);
  }));
  for (auto& [k, v] : all) {
    if (k == "service.name") {
      out.service_name = v;
    } else {
      out.attributes.emplace_back(k, v);
    }
  }
  return Status();
}

Status decode_scope(std::string_view msg, std::string& name) {
  return each_field(msg, "InstrumentationScope", [&](uint32_t f, WireType t, Reader& r) {
    std::string_view s;
    if (f != 1) return skip(r, t, "InstrumentationScope");
    ORBIT_RETURN_IF_ERROR(sub(r, t, s, "InstrumentationScope.name"));
    name = std::string(s);
    return Status();
  });
}

Status read_span_id(Reader& r, WireType t, uint64_t& out, std::string_view what) {
  std::string_view s;
  ORBIT_RETURN_IF_ERROR(sub(r, t, s, what));
  if (s.size() != 8) return malformed(std::string(what) + " is not 8 bytes");
  out = 0;
  for (char c : s)
    out = out << 8 | static_cast<uint8_t>(c);
  return Status();
}

Status read_fixed64(Reader& r, WireType t, int64_t& out, std::string_view what) {
  uint64_t v = 0;
  if (t != wire::kFixed64 || !r.read_fixed64(v)) return malformed(what);
  out = static_cast<int64_t>(v);
  return Status();
}

Status decode_event(std::string_view msg, SpanEvent& out) {
  return each_field(msg, "Span.Event", [&](uint32_t f, WireType t, Reader& r) -> Status {
    std::string_view s;
    switch (f) {
      case 1: return read_fixed64(r, t, out.time_unix_ns, "Span.Event.time_unix_nano");
      case 2:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Span.Event.name"));
        out.name = std::string(s);
        return Status();
      case 3:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Span.Event.attributes"));
        out.attributes.emplace_back();
        return decode_key_value(s, out.attributes.back());
      default: return skip(r, t, "Span.Event");
    }
  });
}

Status decode_span(std::string_view msg, DecodedSpan& out) {
  return each_field(msg, "Span", [&](uint32_t f, WireType t, Reader& r) -> Status {
    std::string_view s;
    uint64_t v = 0;
    switch (f) {
      case 1:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Span.trace_id"));
        if (s.size() != 16) return malformed("Span.trace_id is not 16 bytes");
        for (size_t i = 0; i < 16; ++i)
          out.trace_id[i] = static_cast<uint8_t>(s[i]);
        return Status();
      case 2: return read_span_id(r, t, out.span_id, "Span.span_id");
      case 3:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Span.trace_state"));
        out.tracestate = std::string(s);
        return Status();
      case 4: return read_span_id(r, t, out.parent_span_id, "Span.parent_span_id");
      case 5:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Span.name"));
        out.name = std::string(s);
        return Status();
      case 6:
        if (t != wire::kVarint || !r.read_varint(v) || v > 5) return malformed("Span.kind");
        out.kind = static_cast<SpanKind>(v);
        return Status();
      case 7: return read_fixed64(r, t, out.start_unix_ns, "Span.start_time_unix_nano");
      case 8: return read_fixed64(r, t, out.end_unix_ns, "Span.end_time_unix_nano");
      case 9:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Span.attributes"));
        out.attributes.emplace_back();
        return decode_key_value(s, out.attributes.back());
      case 11:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Span.events"));
        out.events.emplace_back();
        return decode_event(s, out.events.back());
      case 15:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Span.status"));
        return each_field(s, "Status", [&](uint32_t sf, WireType st, Reader& sr) -> Status {
          std::string_view m;
          uint64_t code = 0;
          if (sf == 2) {
            ORBIT_RETURN_IF_ERROR(sub(sr, st, m, "Status.message"));
            out.status_message = std::string(m);
            return Status();
          }
          if (sf == 3) {
            if (st != wire::kVarint || !sr.read_varint(code) || code > 2) {
              return malformed("Status.code");
            }
            out.status_code = static_cast<StatusCode>(code);
            return Status();
          }
          return skip(sr, st, "Status");
        });
      case 16:
        if (t != wire::kFixed32 || !r.read_fixed32(out.flags)) return malformed("Span.flags");
        return Status();
      default: return skip(r, t, "Span");
    }
  });
}

// ---- metrics ----

Status decode_number_point(std::string_view msg, MetricPoint& p, int64_t& start, int64_t& time) {
  return each_field(msg, "NumberDataPoint", [&](uint32_t f, WireType t, Reader& r) -> Status {
    std::string_view s;
    uint64_t v = 0;
    switch (f) {
      case 2: return read_fixed64(r, t, start, "NumberDataPoint.start_time_unix_nano");
      case 3: return read_fixed64(r, t, time, "NumberDataPoint.time_unix_nano");
      case 4:
        if (t != wire::kFixed64 || !r.read_double(p.value)) {
          return malformed("NumberDataPoint.as_double");
        }
        return Status();
      case 6:
        if (t != wire::kFixed64 || !r.read_fixed64(v)) return malformed("NumberDataPoint.as_int");
        p.value = static_cast<double>(static_cast<int64_t>(v));
        return Status();
      case 7:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "NumberDataPoint.attributes"));
        return decode_string_attribute(s, p.attributes);
      default: return skip(r, t, "NumberDataPoint");
    }
  });
}

Status read_packed64(Reader& r, WireType t, std::vector<uint64_t>& out, std::string_view what) {
  if (t == wire::kFixed64) {  // unpacked
    uint64_t v = 0;
    if (!r.read_fixed64(v)) return malformed(what);
    out.push_back(v);
    return Status();
  }
  std::string_view s;
  ORBIT_RETURN_IF_ERROR(sub(r, t, s, what));
  if (s.size() % 8 != 0) return malformed(std::string(what) + " length is not a multiple of 8");
  Reader pr(s);
  for (size_t i = 0; i < s.size() / 8; ++i) {
    uint64_t v = 0;
    if (!pr.read_fixed64(v)) return malformed(what);
    out.push_back(v);
  }
  return Status();
}

Status decode_histogram_point(std::string_view msg, MetricPoint& p, int64_t& start, int64_t& time) {
  HistogramValue& h = p.histogram;
  return each_field(msg, "HistogramDataPoint", [&](uint32_t f, WireType t, Reader& r) -> Status {
    std::string_view s;
    std::vector<uint64_t> bits;
    switch (f) {
      case 2: return read_fixed64(r, t, start, "HistogramDataPoint.start_time_unix_nano");
      case 3: return read_fixed64(r, t, time, "HistogramDataPoint.time_unix_nano");
      case 4:
        if (t != wire::kFixed64 || !r.read_fixed64(h.count)) {
          return malformed("HistogramDataPoint.count");
        }
        return Status();
      case 5:
        if (t != wire::kFixed64 || !r.read_double(h.sum)) {
          return malformed("HistogramDataPoint.sum");
        }
        return Status();
      case 6: return read_packed64(r, t, h.counts, "HistogramDataPoint.bucket_counts");
      case 7:
        ORBIT_RETURN_IF_ERROR(read_packed64(r, t, bits, "HistogramDataPoint.explicit_bounds"));
        for (uint64_t b : bits) {
          double d;
          std::memcpy(&d, &b, 8);
          h.bounds.push_back(d);
        }
        return Status();
      case 9:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "HistogramDataPoint.attributes"));
        return decode_string_attribute(s, p.attributes);
      default: return skip(r, t, "HistogramDataPoint");
    }
  });
}

struct Times {
  int64_t start = 0;
  int64_t time = 0;
  bool seen = false;
};

Status decode_points(std::string_view msg, DecodedMetric& m, Times& times, bool histogram) {
  return each_field(msg, "metric data", [&](uint32_t f, WireType t, Reader& r) -> Status {
    std::string_view s;
    uint64_t v = 0;
    if (f == 1) {
      ORBIT_RETURN_IF_ERROR(sub(r, t, s, "data_points"));
      m.points.emplace_back();
      int64_t start = 0;
      int64_t time = 0;
      ORBIT_RETURN_IF_ERROR(histogram ? decode_histogram_point(s, m.points.back(), start, time)
                                      : decode_number_point(s, m.points.back(), start, time));
      if (!times.seen) times = Times{start, time, true};
      return Status();
    }
    if (f == 2) {
      if (t != wire::kVarint || !r.read_varint(v)) return malformed("aggregation_temporality");
      m.temporality = static_cast<int>(v & 0xff);
      return Status();
    }
    if (f == 3 && !histogram) {
      if (t != wire::kVarint || !r.read_varint(v)) return malformed("Sum.is_monotonic");
      m.monotonic = v != 0;
      return Status();
    }
    return skip(r, t, "metric data");
  });
}

Status decode_metric(std::string_view msg, DecodedMetric& m, Times& times) {
  return each_field(msg, "Metric", [&](uint32_t f, WireType t, Reader& r) -> Status {
    std::string_view s;
    switch (f) {
      case 1:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Metric.name"));
        m.name = std::string(s);
        return Status();
      case 2:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Metric.description"));
        m.description = std::string(s);
        return Status();
      case 3:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Metric.unit"));
        m.unit = std::string(s);
        return Status();
      case 5:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Metric.gauge"));
        m.kind = MetricKind::kGauge;
        return decode_points(s, m, times, false);
      case 7:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Metric.sum"));
        m.kind = MetricKind::kCounter;
        return decode_points(s, m, times, false);
      case 9:
        ORBIT_RETURN_IF_ERROR(sub(r, t, s, "Metric.histogram"));
        m.kind = MetricKind::kHistogram;
        return decode_points(s, m, times, true);
      default: return skip(r, t, "Metric");
    }
  });
}

// The common Resource*/Scope* frame of both requests: `on_item` gets each span / metric.
template <typename OnItem>
Status decode_frame(std::string_view protobuf, std::string_view what, Resource& resource,
                    std::string& scope_name, OnItem on_item) {
  bool first_resource = true;
  bool first_scope = true;
  return each_field(protobuf, what, [&](uint32_t f, WireType t, Reader& r) -> Status {
    std::string_view rs;
    if (f != 1) return skip(r, t, what);
    ORBIT_RETURN_IF_ERROR(sub(r, t, rs, what));
    return each_field(rs, "Resource entry", [&](uint32_t rf, WireType rt, Reader& rr) -> Status {
      std::string_view s;
      if (rf == 1) {
        ORBIT_RETURN_IF_ERROR(sub(rr, rt, s, "resource"));
        Resource res;
        ORBIT_RETURN_IF_ERROR(decode_resource(s, res));
        if (first_resource) resource = std::move(res);
        first_resource = false;
        return Status();
      }
      if (rf != 2) return skip(rr, rt, "Resource entry");
      ORBIT_RETURN_IF_ERROR(sub(rr, rt, s, "scope entry"));
      return each_field(s, "scope entry", [&](uint32_t sf, WireType st, Reader& sr) -> Status {
        std::string_view item;
        if (sf == 1) {
          ORBIT_RETURN_IF_ERROR(sub(sr, st, item, "scope"));
          std::string name;
          ORBIT_RETURN_IF_ERROR(decode_scope(item, name));
          if (first_scope) scope_name = std::move(name);
          first_scope = false;
          return Status();
        }
        if (sf != 2) return skip(sr, st, "scope entry");
        ORBIT_RETURN_IF_ERROR(sub(sr, st, item, "item"));
        return on_item(item);
      });
    });
  });
}

}  // namespace

Result<DecodedSpans> decode_spans(std::string_view protobuf) {
  DecodedSpans out;
  Status s = decode_frame(protobuf, "ExportTraceServiceRequest", out.resource, out.scope_name,
                          [&](std::string_view item) {
                            out.spans.emplace_back();
                            return decode_span(item, out.spans.back());
                          });
  if (!s.ok()) return s;
  return out;
}

Result<DecodedMetrics> decode_metrics(std::string_view protobuf) {
  DecodedMetrics out;
  Times times;
  Status s = decode_frame(protobuf, "ExportMetricsServiceRequest", out.resource, out.scope_name,
                          [&](std::string_view item) {
                            out.metrics.emplace_back();
                            return decode_metric(item, out.metrics.back(), times);
                          });
  if (!s.ok()) return s;
  out.start_unix_ns = times.start;
  out.time_unix_ns = times.time;
  return out;
}

}  // namespace orbit::telemetry
