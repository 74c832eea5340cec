#include "status_endpoints.h"

#include <chrono>

#include "orbit/base/json_writer.h"

namespace orbit::router {

namespace {

// A Prometheus label value: backslash, double quote and line feed escaped.
std::string label_value(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string health_body(bool up, const GraphSnapshot* snapshot, const ReloadStats* stats) {
  std::string body;
  JsonWriter w(body);
  w.begin_object().key("status").string(up ? "UP" : "DOWN");
  w.key("config");
  if (snapshot == nullptr) {
    w.null();
  } else {
    w.begin_object()
        .key("version")
        .string(snapshot->config_version())
        .key("createdAt")
        .string(snapshot->created_at())
        .key("loadedAt")
        .string(snapshot->loaded_at())
        .end_object();
  }
  if (stats != nullptr) {
    w.key("reloads").begin_object();
    w.key("succeeded").integer(static_cast<int64_t>(stats->succeeded));
    w.key("failed").integer(static_cast<int64_t>(stats->failed));
    if (!stats->last_error.empty()) {
      w.key("lastError").string(stats->last_error);
      w.key("lastErrorAt").string(stats->last_error_at);
    }
    w.end_object();
  }
  w.end_object();
  return body;
}

std::string metrics_text(const GraphSnapshot* snapshot, const ReloadStats* stats) {
  std::string out;
  if (snapshot != nullptr) {
    out +=
        "# HELP orbit_router_config_info The graph config being served (labels name it).\n"
        "# TYPE orbit_router_config_info gauge\n"
        "orbit_router_config_info{version=\"" +
        label_value(snapshot->config_version()) + "\",created_at=\"" +
        label_value(snapshot->created_at()) + "\"} 1\n";
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  snapshot->loaded_at_time().time_since_epoch())
                  .count();
    out +=
        "# HELP orbit_router_config_loaded_timestamp_seconds When the config being served was "
        "loaded (Unix time).\n"
        "# TYPE orbit_router_config_loaded_timestamp_seconds gauge\n"
        "orbit_router_config_loaded_timestamp_seconds " +
        std::to_string(ms / 1000) + "." + std::to_string(1000 + ms % 1000).substr(1) + "\n";
  }
  if (stats != nullptr) {
    out +=
        "# HELP orbit_router_config_reloads_total Config reloads after the first load, by "
        "result.\n"
        "# TYPE orbit_router_config_reloads_total counter\n"
        "orbit_router_config_reloads_total{result=\"success\"} " +
        std::to_string(stats->succeeded) +
        "\n"
        "orbit_router_config_reloads_total{result=\"failure\"} " +
        std::to_string(stats->failed) + "\n";
  }
  return out;
}

}  // namespace orbit::router
