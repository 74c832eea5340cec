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

namespace orbit::telemetry {

namespace {

bool name_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

std::string_view take_name(std::string_view& s) {
  size_t n = 0;
  while (n < s.size() && name_char(s[n], n == 0))
    ++n;
  std::string_view name = s.substr(0, n);
  s.remove_prefix(n);
  return name;
}

void skip_blanks(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
}

// `{name="value",…}`; false when malformed.
bool parse_labels(std::string_view& s, Attributes& out) {
  s.remove_prefix(1);  // '{'
  for (;;) {
    skip_blanks(s);
    if (!s.empty() && s.front() == '}') {
      s.remove_prefix(1);
      return true;
    }
    std::string_view name = take_name(s);
    skip_blanks(s);
    if (name.empty() || s.size() < 2 || s[0] != '=' || s[1] != '"') return false;
    s.remove_prefix(2);
    std::string value;
    for (;;) {
      if (s.empty()) return false;
      char c = s.front();
      s.remove_prefix(1);
      if (c == '"') break;
      if (c == '\\') {
        if (s.empty()) return false;
        char e = s.front();
        s.remove_prefix(1);
        value += e == 'n' ? '\n' : e;
      } else {
        value += c;
      }
    }
    out.emplace_back(std::string(name), std::move(value));
    skip_blanks(s);
    if (!s.empty() && s.front() == ',') s.remove_prefix(1);
  }
}

bool parse_value(std::string_view s, double& out) {
  if (s == "+Inf" || s == "Inf") {
    out = HUGE_VAL;
    return true;
  }
  if (s == "-Inf") {
    out = -HUGE_VAL;
    return true;
  }
  if (s == "NaN") {
    out = std::nan("");
    return true;
  }
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

std::string unescape_help(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      ++i;
      out += s[i] == 'n' ? '\n' : s[i];
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

Result<MetricsSnapshot> parse_prometheus_text(std::string_view text, size_t max_samples) {
  struct Family {
    std::string help;
    std::string type;
    size_t index = SIZE_MAX;  // in the snapshot; SIZE_MAX: no sample yet
  };
  std::vector<std::pair<std::string, Family>> families;
  auto family = [&](std::string_view name) -> Family& {
    for (auto& [n, f] : families) {
      if (n == name) return f;
    }
    return families.emplace_back(std::string(name), Family{}).second;
  };
  MetricsSnapshot out;
  size_t samples = 0;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    skip_blanks(line);
    if (line.empty()) continue;
    auto bad = [&](std::string_view why) {
      return Status(ErrorCode::kInvalidArgument,
                    "Prometheus text line " + std::to_string(line_no) + ": " + std::string(why));
    };
    if (line.front() == '#') {
      line.remove_prefix(1);
      skip_blanks(line);
      bool help = line.substr(0, 5) == "HELP ";
      bool type = line.substr(0, 5) == "TYPE ";
      if (!help && !type) continue;  // a comment
      line.remove_prefix(5);
      skip_blanks(line);
      std::string_view name = take_name(line);
      if (name.empty()) return bad("a metric name is missing");
      skip_blanks(line);
      Family& f = family(name);
      if (help) {
        f.help = unescape_help(line);
      } else {
        f.type = std::string(line);
      }
      continue;
    }
    std::string_view name = take_name(line);
    if (name.empty()) return bad("a sample must start with a metric name");
    MetricPoint point;
    if (!line.empty() && line.front() == '{' && !parse_labels(line, point.attributes)) {
      return bad("malformed labels");
    }
    skip_blanks(line);
    std::string_view value = line.substr(0, line.find_first_of(" \t"));
    if (!parse_value(value, point.value)) return bad("the value is not a number");
    if (++samples > max_samples) {
      return Status(ErrorCode::kLimitExceeded,
                    "Prometheus text: more than " + std::to_string(max_samples) + " samples");
    }
    // A histogram's or summary's samples carry suffixes (x_bucket, x_sum, x_count).
    bool of_histogram = false;
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
        for (const auto& [n, fam] : families) {
          if (n == name.substr(0, name.size() - suffix.size()) &&
              (fam.type == "histogram" || fam.type == "summary")) {
            of_histogram = true;
          }
        }
      }
    }
    if (of_histogram) continue;
    Family& f = family(name);
    MetricKind kind;
    if (f.type == "counter") {
      kind = MetricKind::kCounter;
    } else if (f.type == "gauge" || f.type.empty() || f.type == "untyped") {
      kind = MetricKind::kGauge;
    } else {
      continue;  // histogram or summary samples (name_bucket, _sum, _count): not read
    }
    if (f.index == SIZE_MAX) {
      f.index = out.metrics.size();
      MetricData& m = out.metrics.emplace_back();
      m.name = std::string(name);
      m.description = f.help;
      m.unit = name.size() > 8 && name.substr(name.size() - 8) == "_seconds" ? "s" : "1";
      m.kind = kind;
    }
    out.metrics[f.index].points.push_back(std::move(point));
  }
  return out;
}

}  // namespace orbit::telemetry
