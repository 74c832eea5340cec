#include "orbit/registry/usage.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"

namespace orbit::registry {
namespace {

ApiError invalid(const std::string& where, const std::string& what) {
  return api_error(ApiCode::kInvalidArgument, where + ": " + what);
}

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s.substr(0, 64));
  return out;
}

bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}
bool is_graphql_name(std::string_view s) {
  if (s.empty() || !is_name_start(s[0])) return false;
  for (char c : s)
    if (!is_name_char(c)) return false;
  return true;
}
// "Type", "Type.field" or "Type.field(arg:)".
bool is_coordinate(std::string_view s) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return is_graphql_name(s);
  if (!is_graphql_name(s.substr(0, dot))) return false;
  std::string_view member = s.substr(dot + 1);
  size_t paren = member.find('(');
  if (paren == std::string_view::npos) return is_graphql_name(member);
  std::string_view arg = member.substr(paren + 1);
  return is_graphql_name(member.substr(0, paren)) && arg.size() >= 3 &&
         arg.substr(arg.size() - 2) == ":)" && is_graphql_name(arg.substr(0, arg.size() - 2));
}
bool is_printable(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

// One object of the batch, read key by key with paths in the errors.
struct Reader {
  const JsonValue& object;
  std::string path;  // "operations[2]"
  const UsageLimits& limits;

  std::string at(std::string_view key) const {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  const JsonValue* get(std::string_view key) const {
    const JsonValue* v = object.find(key);
    return v == nullptr || v->is_null() ? nullptr : v;
  }
  // `required`: absent/null is an error; else "" for absent.
  Expected<std::string> text(std::string_view key, bool required, bool allow_empty = true) const {
    const JsonValue* v = get(key);
    if (v == nullptr) {
      if (required) return invalid(at(key), "required");
      return std::string();
    }
    if (!v->is_string()) return invalid(at(key), "expected a string");
    std::string_view s = v->as_string();
    if (s.size() > limits.max_string_bytes)
      return invalid(at(key), "longer than " + std::to_string(limits.max_string_bytes) + " bytes");
    if (!is_printable(s)) return invalid(at(key), "control characters are not allowed");
    if (s.empty() && !allow_empty) return invalid(at(key), "must not be empty");
    return std::string(s);
  }
  Expected<int64_t> count(std::string_view key) const {
    const JsonValue* v = get(key);
    if (v == nullptr) return invalid(at(key), "required");
    if (!v->is_int64() || v->as_int64() < 0)
      return invalid(at(key), "expected a non-negative integer");
    return v->as_int64();
  }
  Expected<int64_t> time(std::string_view key) const {
    auto s = text(key, true);
    if (!s.ok()) return s.error();
    auto t = parse_rfc3339(*s);
    if (!t) return invalid(at(key), "expected an RFC 3339 date-time, got " + quoted(*s));
    return *t;
  }
};

constexpr int64_t kMaxCount = int64_t{1} << 40;  // per operation per batch

Expected<OperationUsage> parse_operation(const JsonValue& v, const std::string& path,
                                         const UsageLimits& limits) {
  if (!v.is_object()) return invalid(path, "expected an object");
  Reader r{v, path, limits};
  OperationUsage op;
  auto hash = r.text("hash", true);
  if (!hash.ok()) return hash.error();
  if (hash->size() != 64) return invalid(r.at("hash"), "expected 64 hex digits (SHA-256)");
  for (char& c : *hash) {
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
      return invalid(r.at("hash"), "expected 64 hex digits (SHA-256)");
  }
  op.hash = std::move(*hash);
  auto name = r.text("name", false);
  if (!name.ok()) return name.error();
  if (!name->empty() && !is_graphql_name(*name))
    return invalid(r.at("name"), "not a GraphQL name: " + quoted(*name));
  op.name = std::move(*name);
  auto type = r.text("type", true);
  if (!type.ok()) return type.error();
  if (*type != "query" && *type != "mutation" && *type != "subscription")
    return invalid(r.at("type"), "expected query, mutation or subscription, got " + quoted(*type));
  op.type = std::move(*type);
  if (const JsonValue* client = r.get("client")) {
    if (!client->is_object()) return invalid(r.at("client"), "expected an object");
    Reader c{*client, r.at("client"), limits};
    auto cname = c.text("name", false);
    if (!cname.ok()) return cname.error();
    auto cversion = c.text("version", false);
    if (!cversion.ok()) return cversion.error();
    op.client_name = std::move(*cname);
    op.client_version = std::move(*cversion);
  }
  auto requests = r.count("requests");
  if (!requests.ok()) return requests.error();
  auto errors = r.count("errors");
  if (!errors.ok()) return errors.error();
  if (*requests > kMaxCount) return invalid(r.at("requests"), "too large");
  if (*errors > *requests)
    return invalid(r.at("errors"), std::to_string(*errors) + " is more than requests (" +
                                       std::to_string(*requests) + ")");
  op.requests = *requests;
  op.errors = *errors;

  const JsonValue* bounds = r.get("latencyBucketsMs");
  if (bounds == nullptr) return invalid(r.at("latencyBucketsMs"), "required");
  bool same = bounds->is_array() && bounds->size() == kLatencyBoundsMs.size();
  for (size_t i = 0; same && i < kLatencyBoundsMs.size(); ++i) {
    const JsonValue& b = bounds->items()[i];
    same = b.is_number() && b.as_double() == static_cast<double>(kLatencyBoundsMs[i]);
  }
  if (!same)
    return invalid(r.at("latencyBucketsMs"),
                   "expected the bounds [1,2,5,10,25,50,100,250,500,1000,2500,5000,10000]");
  const JsonValue* counts = r.get("latencyCounts");
  if (counts == nullptr) return invalid(r.at("latencyCounts"), "required");
  if (!counts->is_array()) return invalid(r.at("latencyCounts"), "expected an array of counts");
  if (counts->size() != kLatencyBuckets)
    return invalid(r.at("latencyCounts"), "expected " + std::to_string(kLatencyBuckets) +
                                              " counts, got " + std::to_string(counts->size()));
  int64_t total = 0;
  for (size_t i = 0; i < kLatencyBuckets; ++i) {
    const JsonValue& c = counts->items()[i];
    if (!c.is_int64() || c.as_int64() < 0 || c.as_int64() > kMaxCount)
      return invalid(r.at("latencyCounts") + "[" + std::to_string(i) + "]",
                     "expected a non-negative integer");
    op.latency_counts[i] = c.as_int64();
    total += c.as_int64();
  }
  if (total != op.requests)
    return invalid(r.at("latencyCounts"), "the counts add up to " + std::to_string(total) +
                                              ", not requests (" + std::to_string(op.requests) +
                                              ")");
  const JsonValue* sum = r.get("latencySumMs");
  if (sum == nullptr) return invalid(r.at("latencySumMs"), "required");
  double sum_ms = sum->is_number() ? sum->as_double() : -1;
  if (!sum->is_number() || !std::isfinite(sum_ms) || sum_ms < 0 || sum_ms > 1e15)
    return invalid(r.at("latencySumMs"), "expected a non-negative number of milliseconds");
  op.latency_sum_us = std::llround(sum_ms * 1000);

  if (const JsonValue* fields = r.get("fields")) {
    if (!fields->is_array()) return invalid(r.at("fields"), "expected an array of strings");
    if (fields->size() > limits.max_fields_per_operation)
      return invalid(r.at("fields"),
                     "more than " + std::to_string(limits.max_fields_per_operation) + " fields");
    for (size_t i = 0; i < fields->size(); ++i) {
      const JsonValue& f = fields->items()[i];
      std::string where = r.at("fields") + "[" + std::to_string(i) + "]";
      if (!f.is_string()) return invalid(where, "expected a string");
      if (f.as_string().size() > limits.max_string_bytes || !is_coordinate(f.as_string()))
        return invalid(where, "not a schema coordinate (Type.field): " + quoted(f.as_string()));
      op.fields.emplace_back(f.as_string());
    }
    std::sort(op.fields.begin(), op.fields.end());
    op.fields.erase(std::unique(op.fields.begin(), op.fields.end()), op.fields.end());
  }
  return op;
}

}  // namespace

std::optional<int64_t> parse_rfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)
  auto digits = [&](size_t at, size_t n, int* out) {
    if (at + n > s.size()) return false;
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!digits(0, 4, &year) || s.size() < 20 || s[4] != '-' || !digits(5, 2, &month) ||
      s[7] != '-' || !digits(8, 2, &day) || (s[10] != 'T' && s[10] != 't') ||
      !digits(11, 2, &hour) || s[13] != ':' || !digits(14, 2, &minute) || s[16] != ':' ||
      !digits(17, 2, &second))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;
  size_t at = 19;
  if (at < s.size() && s[at] == '.') {
    ++at;
    size_t start = at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9')
      ++at;
    if (at == start) return std::nullopt;
  }
  int64_t offset = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
    ++at;
  } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    int oh, om;
    if (!digits(at + 1, 2, &oh) || at + 3 >= s.size() || s[at + 3] != ':' ||
        !digits(at + 4, 2, &om) || oh > 23 || om > 59)
      return std::nullopt;
    offset = (s[at] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    at += 6;
  } else {
    return std::nullopt;
  }
  if (at != s.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second == 60 ? 59 : second;
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

std::string format_rfc3339(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Expected<UsageBatch> parse_usage_batch(std::string_view json, int64_t now,
                                       const UsageLimits& limits) {
  Arena arena;
  JsonParseOptions options;
  options.max_depth = 8;
  auto root = parse_json(json, arena, options);
  if (!root.ok())
    return api_error(ApiCode::kInvalidJson, "the body is not JSON: " + root.status().message());
  if (!root->is_object()) return api_error(ApiCode::kInvalidJson, "the body must be a JSON object");
  Reader r{*root, "", limits};
  UsageBatch batch;
  const JsonValue* router = r.get("router");
  if (router == nullptr) return invalid("router", "required");
  if (!router->is_object()) return invalid("router", "expected an object");
  Reader rr{*router, "router", limits};
  auto id = rr.text("id", true, false);
  if (!id.ok()) return id.error();
  auto host = rr.text("host", false);
  if (!host.ok()) return host.error();
  auto version = rr.text("orbitVersion", false);
  if (!version.ok()) return version.error();
  auto config_version = rr.text("configVersion", false);
  if (!config_version.ok()) return config_version.error();
  batch.router = {*id, *host, *version, *config_version, 0};
  if (const JsonValue* interval = rr.get("reportIntervalSeconds")) {
    if (!interval->is_int64() || interval->as_int64() < 1 || interval->as_int64() > 86'400)
      return invalid("router.reportIntervalSeconds", "expected whole seconds from 1 to 86400");
    batch.router.report_interval_seconds = interval->as_int64();
  }

  auto start = r.time("windowStart");
  if (!start.ok()) return start.error();
  auto end = r.time("windowEnd");
  if (!end.ok()) return end.error();
  if (*end < *start) return invalid("windowEnd", "before windowStart");
  if (*end - *start > limits.max_window_seconds)
    return invalid("windowEnd", "the window is longer than " +
                                    std::to_string(limits.max_window_seconds) + " seconds");
  if (*end > now + limits.max_clock_skew_seconds)
    return invalid("windowEnd", "in the future (" + format_rfc3339(*end) + ", now is " +
                                    format_rfc3339(now) + ")");
  if (*start < now - limits.retention_seconds)
    return invalid("windowStart", "older than the retention period (" +
                                      std::to_string(limits.retention_seconds / 86400) + " days)");
  batch.window_start = *start;
  batch.window_end = *end;

  const JsonValue* operations = r.get("operations");
  if (operations == nullptr) return invalid("operations", "required (an empty array: a heartbeat)");
  if (!operations->is_array()) return invalid("operations", "expected an array");
  if (operations->size() > limits.max_operations)
    return invalid("operations",
                   "more than " + std::to_string(limits.max_operations) + " operations");
  batch.operations.reserve(operations->size());
  size_t field_entries = 0;
  for (size_t i = 0; i < operations->size(); ++i) {
    auto op =
        parse_operation(operations->items()[i], "operations[" + std::to_string(i) + "]", limits);
    if (!op.ok()) return op.error();
    field_entries += op->fields.size();
    if (field_entries > limits.max_field_entries)
      return invalid("operations", "more than " + std::to_string(limits.max_field_entries) +
                                       " fields in all; send smaller batches");
    batch.operations.push_back(std::move(*op));
  }
  return batch;
}

void UsageCounts::add(const UsageCounts& o) {
  requests += o.requests;
  errors += o.errors;
  for (size_t i = 0; i < kLatencyBuckets; ++i)
    latency_counts[i] += o.latency_counts[i];
  latency_sum_us += o.latency_sum_us;
}

std::optional<double> UsageCounts::quantile_ms(double q) const {
  int64_t total = 0;
  for (int64_t c : latency_counts)
    total += c;
  if (total <= 0) return std::nullopt;
  double rank = q * static_cast<double>(total);
  double before = 0;
  for (size_t i = 0; i < kLatencyBuckets; ++i) {
    double c = static_cast<double>(latency_counts[i]);
    if (c <= 0) continue;
    if (before + c >= rank || i + 1 == kLatencyBuckets) {
      double lower = i == 0 ? 0.0 : static_cast<double>(kLatencyBoundsMs[i - 1]);
      if (i + 1 == kLatencyBuckets) return lower;
      double upper = static_cast<double>(kLatencyBoundsMs[i]);
      double within = std::clamp((rank - before) / c, 0.0, 1.0);
      return lower + (upper - lower) * within;
    }
    before += c;
  }
  return static_cast<double>(kLatencyBoundsMs.back());
}

Outcome check_usage_range(int64_t from, int64_t to, int64_t step) {
  if (from >= to) return invalid("from", "must be before to");
  if (to - from > kMaxQueryRangeSeconds) return invalid("from", "the range is longer than 90 days");
  if (step <= 0 || step % 60 != 0)
    return invalid("step", "expected a positive multiple of 60 seconds");
  int64_t points = (to - from + step - 1) / step;
  if (points > kMaxSeriesPoints)
    return invalid("step", "gives " + std::to_string(points) + " points, more than " +
                               std::to_string(kMaxSeriesPoints) + "; use a larger step");
  return Done{};
}

std::optional<CoordinateMatch> usage_match_for_change(std::string_view kind,
                                                      std::string_view path) {
  if (path.empty() || path[0] == '@') return std::nullopt;
  if (kind == "FIELD_REMOVED" || kind == "FIELD_TYPE_CHANGED")
    return CoordinateMatch{std::string(path), std::string(path) + "("};
  if (kind == "REQUIRED_ARGUMENT_ADDED" || kind == "ARGUMENT_REMOVED" ||
      kind == "ARGUMENT_TYPE_CHANGED") {
    std::string field(path.substr(0, path.find('(')));
    return CoordinateMatch{field, field + "("};
  }
  if (kind == "TYPE_REMOVED" || kind == "TYPE_KIND_CHANGED" || kind == "INTERFACE_REMOVED") {
    if (path.find('.') != std::string_view::npos) return std::nullopt;
    return CoordinateMatch{std::string(path), std::string(path) + "."};
  }
  return std::nullopt;
}

bool coordinate_matches(const CoordinateMatch& match, std::string_view coordinate) {
  if (coordinate == match.exact) return true;
  return !match.prefix.empty() && coordinate.substr(0, match.prefix.size()) == match.prefix;
}

}  // namespace orbit::registry
