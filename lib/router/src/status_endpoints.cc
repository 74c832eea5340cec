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

std::string seconds_text(int64_t ms) {
  return std::to_string(ms / 1000) + "." + std::to_string(1000 + ms % 1000).substr(1);
}

}  // namespace

std::string health_body(bool up, const GraphSnapshot* snapshot, const ReloadStats* stats,
                        const ManagedStats* managed) {
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
  if (managed != nullptr) {
    const ManagedStats& m = *managed;
    w.key("managed").begin_object();
    w.key("graph").string(m.org + "/" + m.graph);
    w.key("source");
    if (m.source.empty()) {
      w.null();
    } else {
      w.string(m.source);
      w.key("from").string(m.source_url);
      w.key("etag").string(m.etag);
    }
    if (!m.last_success_at.empty()) w.key("lastSuccessfulPoll").string(m.last_success_at);
    w.key("consecutiveFailures").integer(m.consecutive_failures);
    w.key("polls").begin_object();
    w.key("updated").integer(static_cast<int64_t>(m.polls_updated));
    w.key("notModified").integer(static_cast<int64_t>(m.polls_not_modified));
    w.key("rejected").integer(static_cast<int64_t>(m.polls_rejected));
    w.key("failed").integer(static_cast<int64_t>(m.polls_failed));
    w.end_object();
    w.key("signatureFailures").integer(static_cast<int64_t>(m.signature_failures));
    if (!m.last_error.empty()) {
      w.key("lastError").string(m.last_error);
      w.key("lastErrorAt").string(m.last_error_at);
    }
    w.key("lastKnownGood").begin_object();
    w.key("path").string(m.last_known_good_path);
    if (!m.last_known_good_saved_at.empty()) w.key("savedAt").string(m.last_known_good_saved_at);
    w.end_object();
    w.end_object();
  }
  w.end_object();
  return body;
}

std::string metrics_text(const GraphSnapshot* snapshot, const ReloadStats* stats,
                         const ManagedStats* managed) {
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
  if (managed != nullptr) {
    const ManagedStats& m = *managed;
    if (!m.source.empty()) {
      out +=
          "# HELP orbit_router_config_source Where the config being served came from.\n"
          "# TYPE orbit_router_config_source gauge\n"
          "orbit_router_config_source{source=\"" +
          std::string(m.source == "cdn" ? "cdn" : "last_known_good") + "\"} 1\n";
    }
    out +=
        "# HELP orbit_router_cdn_polls_total Polls of the CDN, by result.\n"
        "# TYPE orbit_router_cdn_polls_total counter\n";
    for (auto [result, n] : {std::pair{"updated", m.polls_updated},
                             {"not_modified", m.polls_not_modified},
                             {"rejected", m.polls_rejected},
                             {"failed", m.polls_failed}})
      out += "orbit_router_cdn_polls_total{result=\"" + std::string(result) + "\"} " +
             std::to_string(n) + "\n";
    if (m.last_success_unix_ms > 0) {
      out +=
          "# HELP orbit_router_cdn_last_success_timestamp_seconds When a CDN last answered a "
          "poll (Unix time).\n"
          "# TYPE orbit_router_cdn_last_success_timestamp_seconds gauge\n"
          "orbit_router_cdn_last_success_timestamp_seconds " +
          seconds_text(m.last_success_unix_ms) + "\n";
    }
    out +=
        "# HELP orbit_router_cdn_consecutive_failures Polls failed in a row (0: the last one "
        "succeeded).\n"
        "# TYPE orbit_router_cdn_consecutive_failures gauge\n"
        "orbit_router_cdn_consecutive_failures " +
        std::to_string(m.consecutive_failures) +
        "\n"
        "# HELP orbit_router_cdn_signature_failures_total Answers refused as unsigned or "
        "tampered.\n"
        "# TYPE orbit_router_cdn_signature_failures_total counter\n"
        "orbit_router_cdn_signature_failures_total " +
        std::to_string(m.signature_failures) +
        "\n"
        "# HELP orbit_router_last_known_good_write_failures_total Last-known-good copies that "
        "could not be saved.\n"
        "# TYPE orbit_router_last_known_good_write_failures_total counter\n"
        "orbit_router_last_known_good_write_failures_total " +
        std::to_string(m.last_known_good_write_failures) + "\n";
  }
  return out;
}

}  // namespace orbit::router
