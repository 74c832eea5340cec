#include "orbit/telemetry/prometheus_text.h"

#include <gtest/gtest.h>

#include <limits>

#include "orbit/telemetry/metrics.h"

namespace orbit::telemetry {
namespace {

TEST(PrometheusText, GoldenExposition) {
  MetricsSnapshot s;
  MetricData requests;
  requests.name = "orbit_router_requests_total";
  requests.description = "GraphQL requests.";
  requests.kind = MetricKind::kCounter;
  requests.points.push_back({{{"operation_name", "GetUser"}, {"status", "200"}}, 3, {}});
  requests.points.push_back({{{"operation_name", ""}, {"status", "400"}}, 1, {}});
  s.metrics.push_back(requests);

  MetricData in_flight;
  in_flight.name = "orbit_router_requests_in_flight";
  in_flight.description = "Requests being served.";
  in_flight.kind = MetricKind::kGauge;
  in_flight.points.push_back({{}, 2, {}});
  s.metrics.push_back(in_flight);

  MetricData latency;
  latency.name = "orbit_router_request_duration_seconds";
  latency.description = "Request latency.";
  latency.kind = MetricKind::kHistogram;
  MetricPoint p;
  p.attributes = {{"operation_name", "GetUser"}};
  p.histogram.bounds = {0.005, 0.1, 1};
  p.histogram.counts = {2, 0, 1, 1};
  p.histogram.count = 4;
  p.histogram.sum = 2.5125;
  latency.points.push_back(p);
  s.metrics.push_back(latency);

  MetricData empty;  // no points: left out
  empty.name = "orbit_router_nothing_total";
  s.metrics.push_back(empty);

  EXPECT_EQ(prometheus_text(s),
            "# HELP orbit_router_requests_total GraphQL requests.\n"
            "# TYPE orbit_router_requests_total counter\n"
            "orbit_router_requests_total{operation_name=\"GetUser\",status=\"200\"} 3\n"
            "orbit_router_requests_total{operation_name=\"\",status=\"400\"} 1\n"
            "# HELP orbit_router_requests_in_flight Requests being served.\n"
            "# TYPE orbit_router_requests_in_flight gauge\n"
            "orbit_router_requests_in_flight 2\n"
            "# HELP orbit_router_request_duration_seconds Request latency.\n"
            "# TYPE orbit_router_request_duration_seconds histogram\n"
            "orbit_router_request_duration_seconds_bucket{operation_name=\"GetUser\",le=\"0.005\"} "
            "2\n"
            "orbit_router_request_duration_seconds_bucket{operation_name=\"GetUser\",le=\"0.1\"} "
            "2\n"
            "orbit_router_request_duration_seconds_bucket{operation_name=\"GetUser\",le=\"1\"} 3\n"
            "orbit_router_request_duration_seconds_bucket{operation_name=\"GetUser\",le=\"+Inf\"} "
            "4\n"
            "orbit_router_request_duration_seconds_sum{operation_name=\"GetUser\"} 2.5125\n"
            "orbit_router_request_duration_seconds_count{operation_name=\"GetUser\"} 4\n");
}

TEST(PrometheusText, EscapesLabelValuesAndHelp) {
  MetricsSnapshot s;
  MetricData m;
  m.name = "x_total";
  m.description = "Line one\nback\\slash \"quotes\" kept";
  m.kind = MetricKind::kCounter;
  m.points.push_back({{{"client_name", "a\"b\\c\nd}e,f=g"}}, 1, {}});
  s.metrics.push_back(m);
  EXPECT_EQ(prometheus_text(s),
            "# HELP x_total Line one\\nback\\\\slash \"quotes\" kept\n"
            "# TYPE x_total counter\n"
            "x_total{client_name=\"a\\\"b\\\\c\\nd}e,f=g\"} 1\n");
}

TEST(PrometheusText, InvalidNameCharactersBecomeUnderscores) {
  MetricsSnapshot s;
  MetricData m;
  m.name = "9bad-name.total";
  m.kind = MetricKind::kGauge;
  m.points.push_back({{{"label-x", "v"}}, 1, {}});
  s.metrics.push_back(m);
  EXPECT_EQ(prometheus_text(s),
            "# TYPE _9bad_name_total gauge\n"
            "_9bad_name_total{label_x=\"v\"} 1\n");
}

TEST(PrometheusText, Numbers) {
  EXPECT_EQ(prometheus_number(0), "0");
  EXPECT_EQ(prometheus_number(12345678901), "12345678901");
  EXPECT_EQ(prometheus_number(-3), "-3");
  EXPECT_EQ(prometheus_number(0.25), "0.25");
  EXPECT_EQ(prometheus_number(0.1), "0.1");
  EXPECT_EQ(prometheus_number(1e-7), "1e-07");
  EXPECT_EQ(prometheus_number(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(prometheus_number(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(prometheus_number(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

TEST(PrometheusText, FromTheRegistry) {
  MetricsRegistry registry;
  registry.counter("hits_total", "Hits.", {"cache"}).with({"plan"}).add(7);
  registry.histogram("d_seconds", "D.", {}, {0.5}).with({}).observe(0.25);
  EXPECT_EQ(prometheus_text(registry.collect()),
            "# HELP hits_total Hits.\n"
            "# TYPE hits_total counter\n"
            "hits_total{cache=\"plan\"} 7\n"
            "# HELP d_seconds D.\n"
            "# TYPE d_seconds histogram\n"
            "d_seconds_bucket{le=\"0.5\"} 1\n"
            "d_seconds_bucket{le=\"+Inf\"} 1\n"
            "d_seconds_sum 0.25\n"
            "d_seconds_count 1\n");
}

TEST(PrometheusTextParse, CountersAndGaugesReadBackHistogramsSkipped) {
  Result<MetricsSnapshot> s = parse_prometheus_text(
      "# HELP orbit_router_config_info The graph config (labels name it).\n"
      "# TYPE orbit_router_config_info gauge\n"
      "orbit_router_config_info{version=\"v\\\"1\\n\",source=\"file\"} 1\n"
      "# a comment\n"
      "\n"
      "# TYPE orbit_router_config_reloads_total counter\n"
      "orbit_router_config_reloads_total{result=\"ok\"} 3 1700000000000\n"
      "orbit_router_config_reloads_total{result=\"error\",} 0\n"
      "# TYPE d_seconds histogram\n"
      "d_seconds_bucket{le=\"+Inf\"} 1\n"
      "d_seconds_sum 0.25\n"
      "d_seconds_count 1\n"
      "last_success_timestamp_seconds 1.5e9\n");
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_EQ(s->metrics.size(), 3u);
  const MetricData& info = s->metrics[0];
  EXPECT_EQ(info.name, "orbit_router_config_info");
  EXPECT_EQ(info.description, "The graph config (labels name it).");
  EXPECT_EQ(info.kind, MetricKind::kGauge);
  ASSERT_EQ(info.points.size(), 1u);
  EXPECT_EQ(info.points[0].attributes, (Attributes{{"version", "v\"1\n"}, {"source", "file"}}));
  EXPECT_EQ(info.points[0].value, 1);
  const MetricData& reloads = s->metrics[1];
  EXPECT_EQ(reloads.kind, MetricKind::kCounter);
  ASSERT_EQ(reloads.points.size(), 2u);
  EXPECT_EQ(reloads.points[0].value, 3);
  EXPECT_EQ(reloads.points[1].attributes, (Attributes{{"result", "error"}}));
  EXPECT_EQ(s->metrics[2].name, "last_success_timestamp_seconds");  // untyped: a gauge
  EXPECT_EQ(s->metrics[2].kind, MetricKind::kGauge);
  EXPECT_EQ(s->metrics[2].unit, "s");
  EXPECT_EQ(s->metrics[2].points[0].value, 1.5e9);
}

TEST(PrometheusTextParse, WhatWeWriteReadsBack) {
  MetricsRegistry registry;
  registry.counter("hits_total", "Hits.", {"cache"}).with({"plan"}).add(7);
  registry.gauge("up", "Up.").with({}).set(1);
  Result<MetricsSnapshot> s = parse_prometheus_text(prometheus_text(registry.collect()));
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->metrics.size(), 2u);
  EXPECT_EQ(s->metrics[0].name, "hits_total");
  EXPECT_EQ(s->metrics[0].points[0].value, 7);
  EXPECT_EQ(s->metrics[1].points[0].value, 1);
}

TEST(PrometheusTextParse, MalformedLinesAndLimits) {
  EXPECT_EQ(parse_prometheus_text("x{a=\"1\" 2\n").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_prometheus_text("ok 1\nx not-a-number\n").status().message(),
            "Prometheus text line 2: the value is not a number");
  EXPECT_EQ(parse_prometheus_text("{a=\"1\"} 2\n").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_prometheus_text("x{a=\"unterminated\n").status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_prometheus_text("a 1\nb 2\nc 3\n", 2).status().code(), ErrorCode::kLimitExceeded);
  EXPECT_TRUE(parse_prometheus_text("").ok());
}

}  // namespace
}  // namespace orbit::telemetry
