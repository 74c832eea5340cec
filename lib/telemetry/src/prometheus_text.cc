#include "orbit/telemetry/prometheus_text.h"

#include <charconv>
#include <cmath>

namespace orbit::telemetry {

namespace {

void append_name(std::string& out, std::string_view name, bool allow_colon) {
  if (name.empty()) {
    out += '_';
    return;
  }
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (allow_colon && c == ':') || (i > 0 && c >= '0' && c <= '9');
    if (i == 0 && c >= '0' && c <= '9') {
      out += '_';
      ok = true;
    }
    out += ok ? c : '_';
  }
}

void append_label_value(std::string& out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
}

void append_help(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// {a="x",b="y"[,le="…"]}; nothing when there are no labels at all.
void append_labels(std::string& out, const Attributes& attributes, std::string_view le = {}) {
  if (attributes.empty() && le.empty()) return;
  out += '{';
  bool first = true;
  for (const auto& [name, value] : attributes) {
    if (!first) out += ',';
    first = false;
    append_name(out, name, false);
    out += "=\"";
    append_label_value(out, value);
    out += '"';
  }
  if (!le.empty()) {
    if (!first) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

void append_sample(std::string& out, std::string_view name, std::string_view suffix,
                   const Attributes& attributes, double value, std::string_view le = {}) {
  append_name(out, name, true);
  out += suffix;
  append_labels(out, attributes, le);
  out += ' ';
  out += prometheus_number(value);
  out += '\n';
}

}  // namespace

std::string prometheus_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0)
    return std::to_string(static_cast<int64_t>(v));
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

void append_prometheus_text(const MetricsSnapshot& snapshot, std::string& out) {
  for (const MetricData& m : snapshot.metrics) {
    if (m.points.empty()) continue;
    if (!m.description.empty()) {
      out += "# HELP ";
      append_name(out, m.name, true);
      out += ' ';
      append_help(out, m.description);
      out += '\n';
    }
    out += "# TYPE ";
    append_name(out, m.name, true);
    switch (m.kind) {
      case MetricKind::kCounter: out += " counter\n"; break;
      case MetricKind::kGauge: out += " gauge\n"; break;
      case MetricKind::kHistogram: out += " histogram\n"; break;
    }
    for (const MetricPoint& p : m.points) {
      if (m.kind != MetricKind::kHistogram) {
        append_sample(out, m.name, "", p.attributes, p.value);
        continue;
      }
      const HistogramValue& h = p.histogram;
      uint64_t cumulative = 0;
      for (size_t i = 0; i < h.bounds.size(); ++i) {
        if (i < h.counts.size()) cumulative += h.counts[i];
        append_sample(out, m.name, "_bucket", p.attributes, static_cast<double>(cumulative),
                      prometheus_number(h.bounds[i]));
      }
      append_sample(out, m.name, "_bucket", p.attributes, static_cast<double>(h.count), "+Inf");
      append_sample(out, m.name, "_sum", p.attributes, h.sum);
      append_sample(out, m.name, "_count", p.attributes, static_cast<double>(h.count));
    }
  }
}

std::string prometheus_text(const MetricsSnapshot& snapshot) {
  std::string out;
  append_prometheus_text(snapshot, out);
  return out;
}

}  // namespace orbit::telemetry
