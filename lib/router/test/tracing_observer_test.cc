// Tracing: TracingObserver's spans from a RequestRecord, and end to end over real HTTP on
// 127.0.0.1 — subgraph servers, a router with an OTLP exporter pointed at a test receiver:
// span names, parent-child structure, attributes, the client's trace continued, and the
// subgraphs receiving a trace context whose parent is their fetch span.
#include <gtest/gtest.h>

#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "../src/tracing_observer.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/net/http_server.h"
#include "orbit/router/router_server.h"
#include "orbit/telemetry/otlp_decode.h"
#include "orbit/telemetry/otlp_encode.h"
#include "orbit/telemetry/otlp_receiver.h"
#include "orbit/telemetry/span_writer.h"
#include "test_data.h"

namespace orbit::router {
namespace {

using namespace std::chrono_literals;
using telemetry::DecodedSpan;
using telemetry::SpanData;
using telemetry::SpanKind;
using telemetry::StatusCode;

const telemetry::AttributeValue* attr(const SpanData& s, std::string_view key) {
  for (const auto& a : s.attributes) {
    if (a.key == key) return &a.value;
  }
  return nullptr;
}

std::string str_attr(const SpanData& s, std::string_view key) {
  const auto* v = attr(s, key);
  return v && std::holds_alternative<std::string>(*v) ? std::get<std::string>(*v) : "<none>";
}

int64_t int_attr(const SpanData& s, std::string_view key) {
  const auto* v = attr(s, key);
  return v && std::holds_alternative<int64_t>(*v) ? std::get<int64_t>(*v) : -1;
}

// ---- spans from a record ----

RequestRecord sample_record() {
  RequestRecord r;
  r.start_unix_ns = 1'000'000'000;
  r.method = "POST";
  r.path = "/graphql";
  r.remote_address = "10.1.2.3:5555";
  r.user_agent = "curl/8";
  r.http_status = 200;
  r.client_name = "web";
  r.has_operation = true;
  r.operation_type = graphql::OperationType::kQuery;
  r.operation_name = "Shop";
  r.operation_hash = "abc123";
  r.parse = {10, 100};
  r.validate = {120, 100};
  r.plan = {0, 0};  // skipped
  r.execute = {300, 1000};
  r.duration_ns = 2000;
  r.error_count = 2;
  r.error_codes = {"SUBREQUEST_HTTP_ERROR", "SUBREQUEST_HTTP_ERROR"};
  FetchRecord ok;
  ok.subgraph_name = "accounts";
  ok.start_ns = 400;
  ok.duration_ns = 300;
  ok.http_status = 200;
  ok.span_id = 77;
  FetchRecord failed;
  failed.subgraph_name = "products";
  failed.start_ns = 410;
  failed.duration_ns = 500;
  failed.transport_error = ErrorCode::kTimeout;
  failed.span_id = 78;
  r.fetches = {ok, failed};
  r.trace.trace_id = telemetry::new_trace_id();
  r.trace.span_id = 11;
  r.trace.parent_span_id = 5;
  r.trace.sampled = true;
  r.trace.tracestate = "rojo=1";
  return r;
}

TEST(TracingSpans, ServerStagesAndFetches) {
  RequestRecord r = sample_record();
  std::vector<SpanData> spans = TracingObserver::build_spans(r);
  ASSERT_EQ(spans.size(), 6u);  // server, parse, validate, execute, 2 fetches (no plan)
  const SpanData& server = spans[0];
  EXPECT_EQ(server.name, "POST /graphql");
  EXPECT_EQ(server.kind, SpanKind::kServer);
  EXPECT_EQ(server.span_id, 11u);
  EXPECT_EQ(server.parent_span_id, 5u);
  EXPECT_EQ(server.tracestate, "rojo=1");
  EXPECT_EQ(server.start_unix_ns, 1'000'000'000);
  EXPECT_EQ(server.end_unix_ns, 1'000'002'000);
  EXPECT_EQ(str_attr(server, "http.request.method"), "POST");
  EXPECT_EQ(str_attr(server, "url.path"), "/graphql");
  EXPECT_EQ(int_attr(server, "http.response.status_code"), 200);
  EXPECT_EQ(str_attr(server, "user_agent.original"), "curl/8");
  EXPECT_EQ(str_attr(server, "client.address"), "10.1.2.3");
  EXPECT_EQ(int_attr(server, "client.port"), 5555);
  EXPECT_EQ(str_attr(server, "graphql.operation.name"), "Shop");
  EXPECT_EQ(str_attr(server, "graphql.operation.type"), "query");
  EXPECT_EQ(str_attr(server, "graphql.document.hash"), "abc123");
  EXPECT_EQ(int_attr(server, "orbit.graphql.error_count"), 2);
  EXPECT_EQ(str_attr(server, "orbit.graphql.error_codes"), "SUBREQUEST_HTTP_ERROR");
  EXPECT_EQ(str_attr(server, "orbit.client.name"), "web");
  // A subgraph transport failure makes the request an error.
  EXPECT_EQ(server.status_code, StatusCode::kError);
  EXPECT_EQ(server.status_message, "subgraph products: TIMEOUT");

  EXPECT_EQ(spans[1].name, "parse");
  EXPECT_EQ(spans[1].parent_span_id, 11u);
  EXPECT_EQ(spans[1].start_unix_ns, 1'000'000'010);
  EXPECT_EQ(spans[1].end_unix_ns, 1'000'000'110);
  EXPECT_EQ(spans[2].name, "validate");
  EXPECT_EQ(spans[3].name, "execute");
  const uint64_t execute = spans[3].span_id;

  const SpanData& accounts = spans[4];
  EXPECT_EQ(accounts.name, "subgraph accounts");
  EXPECT_EQ(accounts.kind, SpanKind::kClient);
  EXPECT_EQ(accounts.span_id, 77u);  // the id on_fetch sent to the subgraph
  EXPECT_EQ(accounts.parent_span_id, execute);
  EXPECT_EQ(accounts.start_unix_ns, 1'000'000'400);
  EXPECT_EQ(str_attr(accounts, "orbit.subgraph.name"), "accounts");
  EXPECT_EQ(int_attr(accounts, "http.response.status_code"), 200);
  EXPECT_EQ(accounts.status_code, StatusCode::kUnset);
  const SpanData& products = spans[5];
  EXPECT_EQ(products.status_code, StatusCode::kError);
  EXPECT_EQ(products.status_message, "TIMEOUT");
  EXPECT_EQ(str_attr(products, "error.type"), "TIMEOUT");
  for (const SpanData& s : spans)
    EXPECT_EQ(s.trace_id, r.trace.trace_id);
}

TEST(TracingSpans, ErrorStatusRules) {
  RequestRecord r = sample_record();
  r.fetches.clear();
  EXPECT_EQ(TracingObserver::build_spans(r)[0].status_code, StatusCode::kUnset);
  r.data_is_null = true;
  EXPECT_EQ(TracingObserver::build_spans(r)[0].status_message, "data is null");
  r.data_is_null = false;
  r.http_status = 503;
  SpanData s = TracingObserver::build_spans(r)[0];
  EXPECT_EQ(s.status_code, StatusCode::kError);
  EXPECT_EQ(s.status_message, "HTTP 503");
  EXPECT_EQ(str_attr(s, "error.type"), "503");
  // A 4xx answer is the client's error, not the server's.
  r.http_status = 400;
  EXPECT_EQ(TracingObserver::build_spans(r)[0].status_code, StatusCode::kUnset);
  // Without execute, a fetch hangs under the server span; an HTTP error fails the fetch span.
  r = sample_record();
  r.execute = {};
  r.fetches.resize(1);
  r.fetches[0].http_status = 500;
  std::vector<SpanData> spans = TracingObserver::build_spans(r);
  EXPECT_EQ(spans.back().parent_span_id, 11u);
  EXPECT_EQ(spans.back().status_message, "HTTP 500");
}

// What on_end queues (SpanWriter's protobuf) reads back as what build_spans makes — the stage
// span ids aside, which are new each time.
TEST(TracingSpans, TheQueuedMessagesAreTheSpansOfBuildSpans) {
  std::vector<RequestRecord> records(4, sample_record());
  records[1].http_status = 503;
  records[1].fetches.clear();
  records[2].data_is_null = true;
  records[2].fetches[1].transport_error = ErrorCode::kOk;
  records[2].fetches[1].http_status = 404;
  records[2].fetches[1].deduplicated = true;
  records[3].plan = {220, 50};
  records[3].plan_cache_hit = true;
  records[3].error_codes.clear();
  records[3].remote_address = "[::1]:8080";
  for (const RequestRecord& r : records) {
    std::vector<SpanData> want = TracingObserver::build_spans(r);
    std::string messages;
    telemetry::SpanWriter writer(messages);
    TracingObserver::write_spans(r, writer);
    EXPECT_EQ(writer.spans(), want.size());
    Result<telemetry::DecodedSpans> got = telemetry::decode_spans(telemetry::encode_span_messages(
        messages, telemetry::Resource{"r", {}}, telemetry::OtlpEncoding::kProtobuf));
    ASSERT_TRUE(got.ok()) << got.status().message();
    ASSERT_EQ(got->spans.size(), want.size());
    uint64_t got_execute = 0;
    uint64_t want_execute = 0;
    for (size_t i = 0; i < want.size(); ++i) {
      const SpanData& w = want[i];
      const DecodedSpan& g = got->spans[i];
      SCOPED_TRACE(w.name);
      EXPECT_EQ(g.name, w.name);
      EXPECT_EQ(g.kind, w.kind);
      EXPECT_EQ(g.trace_id, w.trace_id);
      EXPECT_EQ(g.tracestate, w.tracestate);
      EXPECT_EQ(g.start_unix_ns, w.start_unix_ns);
      EXPECT_EQ(g.end_unix_ns, w.end_unix_ns);
      EXPECT_EQ(g.status_code, w.status_code);
      EXPECT_EQ(g.status_message, w.status_message);
      EXPECT_EQ(g.flags, 1u);
      ASSERT_EQ(g.attributes.size(), w.attributes.size());
      for (size_t j = 0; j < w.attributes.size(); ++j) {
        EXPECT_EQ(g.attributes[j].key, w.attributes[j].key);
        EXPECT_EQ(g.attributes[j].value, w.attributes[j].value) << w.attributes[j].key;
      }
      if (w.name == "execute") {
        got_execute = g.span_id;
        want_execute = w.span_id;
      }
      if (w.kind != SpanKind::kInternal) {  // the server and fetch spans have given ids
        EXPECT_EQ(g.span_id, w.span_id);
        EXPECT_EQ(g.parent_span_id == got_execute && got_execute != 0,
                  w.parent_span_id == want_execute && want_execute != 0);
      } else {
        EXPECT_NE(g.span_id, 0u);
        EXPECT_EQ(g.parent_span_id, w.parent_span_id);
      }
    }
  }
}

TEST(TracingObserverCalls, StartContinuesOrStartsTracesAndFetchInjects) {
  config::TracingConfig cfg;
  cfg.propagation = {config::Propagation::kTraceContext, config::Propagation::kB3};
  cfg.sampler_ratio = 0.0;
  cfg.parent_based = true;
  TracingObserver observer(nullptr, cfg);

  RequestRecord continued;
  observer.on_start(continued,
                    {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                     {"tracestate", "rojo=1"}});
  EXPECT_EQ(telemetry::trace_id_hex(continued.trace.trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(continued.trace.parent_span_id, 0x00f067aa0ba902b7ULL);
  EXPECT_NE(continued.trace.span_id, 0u);
  EXPECT_TRUE(continued.trace.sampled);  // the parent's decision, over a ratio of 0
  EXPECT_EQ(continued.trace.tracestate, "rojo=1");

  FetchRecord fetch;
  net::HttpHeaders headers;
  observer.on_fetch(continued, fetch, headers);
  EXPECT_NE(fetch.span_id, 0u);
  EXPECT_NE(fetch.span_id, continued.trace.span_id);
  EXPECT_EQ(headers.get("traceparent"),
            telemetry::format_traceparent(continued.trace.trace_id, fetch.span_id, true));
  EXPECT_EQ(headers.get("tracestate"), "rojo=1");
  EXPECT_EQ(headers.get("b3"), telemetry::format_b3(continued.trace.trace_id, fetch.span_id, true));

  // A new trace under a ratio of 0 is not sampled, but its context is still propagated.
  RequestRecord fresh;
  observer.on_start(fresh, {{"traceparent", "garbage"}});
  EXPECT_TRUE(fresh.trace.valid());
  EXPECT_EQ(fresh.trace.parent_span_id, 0u);
  EXPECT_FALSE(fresh.trace.sampled);
  FetchRecord f2;
  net::HttpHeaders h2;
  observer.on_fetch(fresh, f2, h2);
  EXPECT_EQ(f2.span_id, 0u);
  EXPECT_EQ(h2.get("traceparent"),
            telemetry::format_traceparent(fresh.trace.trace_id, fresh.trace.span_id, false));
  observer.on_end(fresh);  // unsampled: nothing to export (a null exporter is not touched)
}

// ---- end to end ----

// accounts and products of shop.graphql; products answers 500 when `products_fail`. Every
// request's headers are kept.
class Subgraphs {
 public:
  explicit Subgraphs(net::LoopGroup& loops)
      : server_(loops.loops(), net::HttpServerOptions{},
                [this](net::HttpRequest&& request, net::HttpResponder responder) {
                  std::string path(request.path());
                  {
                    std::lock_guard<std::mutex> lock(mu_);
                    seen_.emplace_back(path, request.headers);
                  }
                  if (path == "/products" && products_fail.load()) {
                    responder.send(500, {{"Content-Type", "text/plain"}}, "boom");
                    return;
                  }
                  std::string body = path == "/accounts"
                                         ? R"({"data":{"me":{"name":"Ada"}}})"
                                         : R"({"data":{"topProducts":[{"name":"Lamp"}]}})";
                  responder.send(200, {{"Content-Type", "application/json"}}, std::move(body));
                }) {}

  Status start() { return server_.start(); }
  void stop() { server_.stop(100ms); }
  std::string url(std::string_view subgraph) const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/" + std::string(subgraph);
  }
  std::vector<std::pair<std::string, net::HttpHeaders>> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

  std::atomic<bool> products_fail{false};

 private:
  net::HttpServer server_;
  std::mutex mu_;
  std::vector<std::pair<std::string, net::HttpHeaders>> seen_;
};

class TracingEndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    loops_.start();
    subgraphs_ = std::make_unique<Subgraphs>(loops_);
    ASSERT_TRUE(subgraphs_->start().ok());
    ASSERT_TRUE(receiver_.start().ok());
  }
  void TearDown() override {
    if (router_) router_->stop(100ms);
    router_.reset();
    subgraphs_->stop();
    subgraphs_.reset();
    run_on_loop([this] { client_.reset(); });
    loops_.stop();
    receiver_.stop();
  }

  void start_router(std::string tracing_yaml) {
    std::string yaml =
        "listen: 127.0.0.1:0\nsubgraphs:\n  accounts:\n    url: " + subgraphs_->url("accounts") +
        "\n  products:\n    url: " + subgraphs_->url("products") +
        "\ntelemetry:\n  service_name: shop-router\n"
        "  exporters:\n    - endpoint: " +
        receiver_.endpoint() +
        "\n      compression: gzip\n      signals: [traces]\n"
        "      headers: {x-api-key: k123}\n"
        "  tracing:\n    export_interval: 50ms\n" +
        tracing_yaml;
    auto config = parse_router_config(yaml, "router.yaml");
    ASSERT_TRUE(config.ok()) << config.status().message();
    auto snapshot = GraphSnapshot::build(testing::test_data("shop.graphql"), *config);
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().message();
    router_ = std::make_unique<RouterServer>(loops_, *config, *snapshot);
    ASSERT_TRUE(router_->start().ok());
  }

  void run_on_loop(std::function<void()> fn) {
    std::promise<void> done;
    loops_.loop(0).post([&] {
      fn();
      done.set_value();
    });
    done.get_future().get();
  }

  net::HttpClientResponse post(std::string body, net::HttpHeaders headers = {}) {
    run_on_loop([this] {
      if (!client_) client_ = std::make_unique<net::HttpClient>(loops_.loop(0));
    });
    net::HttpClientRequest request;
    request.method = "POST";
    request.url = "http://127.0.0.1:" + std::to_string(router_->port()) + "/graphql";
    request.headers = std::move(headers);
    request.headers.add("Content-Type", "application/json");
    request.body = std::move(body);
    std::promise<Result<net::HttpClientResponse>> done;
    loops_.loop(0).post([&] {
      client_->fetch(request,
                     [&](Result<net::HttpClientResponse> r) { done.set_value(std::move(r)); });
    });
    Result<net::HttpClientResponse> r = done.get_future().get();
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? std::move(*r) : net::HttpClientResponse{};
  }

  // Waits until the receiver holds at least `n` spans.
  std::vector<DecodedSpan> spans(size_t n) {
    for (int i = 0; i < 500; ++i) {
      std::vector<DecodedSpan> s = receiver_.spans();
      if (s.size() >= n) return s;
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << "fewer than " << n << " spans arrived";
    return receiver_.spans();
  }

  static const DecodedSpan* find(const std::vector<DecodedSpan>& spans, std::string_view name) {
    for (const DecodedSpan& s : spans) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }

  // The subgraph request to `path` (last one), or nullptr.
  const net::HttpHeaders* subgraph_headers(
      const std::vector<std::pair<std::string, net::HttpHeaders>>& seen, std::string_view path) {
    const net::HttpHeaders* found = nullptr;
    for (const auto& [p, h] : seen) {
      if (p == path) found = &h;
    }
    return found;
  }

  static constexpr const char* kQuery =
      R"({"query":"query Shop { me { name } topProducts { name } }","operationName":"Shop"})";

  net::LoopGroup loops_{2};
  std::unique_ptr<Subgraphs> subgraphs_;
  telemetry::OtlpReceiver receiver_;
  std::unique_ptr<RouterServer> router_;
  std::unique_ptr<net::HttpClient> client_;
};

TEST_F(TracingEndToEnd, ContinuesTheClientTraceAndPropagatesFetchSpans) {
  start_router("    propagation: [tracecontext]\n");
  const std::string client_trace = "4bf92f3577b34da6a3ce929d0e0e4736";
  net::HttpClientResponse r =
      post(kQuery, {{"traceparent", "00-" + client_trace + "-00f067aa0ba902b7-01"},
                    {"tracestate", "vendor=abc"},
                    {"User-Agent", "trace-test"}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<DecodedSpan> got = spans(7);
  ASSERT_EQ(got.size(), 7u);  // server, parse, validate, plan, execute, 2 fetches

  const DecodedSpan* server = find(got, "POST /graphql");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->kind, SpanKind::kServer);
  EXPECT_EQ(server->parent_span_id, 0x00f067aa0ba902b7ULL);  // the client's span
  EXPECT_EQ(server->tracestate, "vendor=abc");
  EXPECT_EQ(str_attr(*server, "http.request.method"), "POST");
  EXPECT_EQ(str_attr(*server, "url.path"), "/graphql");
  EXPECT_EQ(int_attr(*server, "http.response.status_code"), 200);
  EXPECT_EQ(str_attr(*server, "user_agent.original"), "trace-test");
  EXPECT_EQ(str_attr(*server, "client.address"), "127.0.0.1");
  EXPECT_EQ(str_attr(*server, "graphql.operation.name"), "Shop");
  EXPECT_EQ(str_attr(*server, "graphql.operation.type"), "query");
  EXPECT_EQ(str_attr(*server, "graphql.document.hash").size(), 64u);
  EXPECT_EQ(int_attr(*server, "orbit.graphql.error_count"), 0);
  EXPECT_EQ(server->status_code, StatusCode::kUnset);
  EXPECT_LT(server->start_unix_ns, server->end_unix_ns);
  for (const DecodedSpan& s : got) {
    EXPECT_EQ(telemetry::trace_id_hex(s.trace_id), client_trace) << s.name;
  }

  std::map<std::string, const DecodedSpan*> by_name;
  for (const DecodedSpan& s : got)
    by_name[s.name] = &s;
  for (const char* stage : {"parse", "validate", "plan", "execute"}) {
    ASSERT_TRUE(by_name.count(stage)) << stage;
    EXPECT_EQ(by_name[stage]->parent_span_id, server->span_id) << stage;
    EXPECT_EQ(by_name[stage]->kind, SpanKind::kInternal);
    EXPECT_GE(by_name[stage]->start_unix_ns, server->start_unix_ns) << stage;
    EXPECT_LE(by_name[stage]->end_unix_ns, server->end_unix_ns) << stage;
  }
  const DecodedSpan* execute = by_name["execute"];
  std::vector<std::pair<std::string, net::HttpHeaders>> seen = subgraphs_->seen();
  for (const char* name : {"accounts", "products"}) {
    const DecodedSpan* fetch = by_name["subgraph " + std::string(name)];
    ASSERT_NE(fetch, nullptr) << name;
    EXPECT_EQ(fetch->kind, SpanKind::kClient);
    EXPECT_EQ(fetch->parent_span_id, execute->span_id);
    EXPECT_EQ(str_attr(*fetch, "orbit.subgraph.name"), name);
    EXPECT_EQ(int_attr(*fetch, "http.response.status_code"), 200);
    EXPECT_EQ(str_attr(*fetch, "server.address"), "127.0.0.1");
    EXPECT_GT(int_attr(*fetch, "server.port"), 0);
    // The subgraph saw the trace with the fetch span as its parent.
    const net::HttpHeaders* h = subgraph_headers(seen, "/" + std::string(name));
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->get("traceparent"),
              "00-" + client_trace + "-" + telemetry::span_id_hex(fetch->span_id) + "-01");
    EXPECT_EQ(h->get("tracestate"), "vendor=abc");
    EXPECT_FALSE(h->contains("b3"));
  }
  EXPECT_EQ(got[0].flags & 1u, 1u);

  // The export itself: gzip, the configured header, the resource.
  std::vector<telemetry::ReceivedExport> reqs = receiver_.requests();
  ASSERT_FALSE(reqs.empty());
  EXPECT_TRUE(reqs[0].gzip);
  EXPECT_EQ(reqs[0].headers.get("x-api-key"), "k123");
  EXPECT_EQ(telemetry::decode_spans(reqs[0].body)->resource.service_name, "shop-router");
  // The exporter counts them once the receiver's answer is back.
  for (int i = 0; i < 500 && router_->otlp_exporter()->stats().spans.exported < 7; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(router_->otlp_exporter()->stats().spans.exported, 7u);
}

TEST_F(TracingEndToEnd, NewTraceWithB3AndDatadogToSubgraphsAndASecondRequestSkipsStages) {
  start_router("    propagation: [tracecontext, b3, datadog]\n");
  ASSERT_EQ(post(kQuery).status, 200);
  std::vector<DecodedSpan> got = spans(7);
  const DecodedSpan* server = find(got, "POST /graphql");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->parent_span_id, 0u);  // a new trace: the router's span is the root
  const DecodedSpan* fetch = find(got, "subgraph accounts");
  ASSERT_NE(fetch, nullptr);
  std::vector<std::pair<std::string, net::HttpHeaders>> seen = subgraphs_->seen();
  const net::HttpHeaders* h = subgraph_headers(seen, "/accounts");
  ASSERT_NE(h, nullptr);
  std::string tid = telemetry::trace_id_hex(server->trace_id);
  std::string sid = telemetry::span_id_hex(fetch->span_id);
  EXPECT_EQ(h->get("traceparent"), "00-" + tid + "-" + sid + "-01");
  EXPECT_EQ(h->get("b3"), tid + "-" + sid + "-1");
  telemetry::DatadogHeaders dd = telemetry::format_datadog(server->trace_id, fetch->span_id, true);
  EXPECT_EQ(h->get("x-datadog-trace-id"), dd.trace_id);
  EXPECT_EQ(h->get("x-datadog-parent-id"), std::to_string(fetch->span_id));
  EXPECT_EQ(h->get("x-datadog-sampling-priority"), "1");
  EXPECT_EQ(h->get("x-datadog-tags"), dd.tags);

  // The same document again: the prepared operation is reused, parse/validate/plan did not
  // run and have no span.
  ASSERT_EQ(post(kQuery).status, 200);
  got = spans(7 + 4);
  std::vector<const DecodedSpan*> servers;
  for (const DecodedSpan& s : got) {
    if (s.name == "POST /graphql") servers.push_back(&s);
  }
  ASSERT_EQ(servers.size(), 2u);
  size_t second_trace_spans = 0;
  for (const DecodedSpan& s : got) {
    if (s.trace_id != servers[1]->trace_id) continue;
    ++second_trace_spans;
    EXPECT_NE(s.name, "parse");
    EXPECT_NE(s.name, "plan");
  }
  EXPECT_EQ(second_trace_spans, 4u);  // server, execute, 2 fetches
  EXPECT_NE(servers[0]->trace_id, servers[1]->trace_id);
}

TEST_F(TracingEndToEnd, AnUnsampledParentIsFollowedAndStillPropagated) {
  start_router("    propagation: [b3multi, tracecontext]\n");
  ASSERT_EQ(post(kQuery, {{"X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7"},
                          {"X-B3-SpanId", "e457b5a2e4d86bd1"},
                          {"X-B3-Sampled", "0"}})
                .status,
            200);
  // A sampled request after it shows the exporter works; the unsampled one sent nothing.
  ASSERT_EQ(post(kQuery).status, 200);
  std::vector<DecodedSpan> got = spans(4);
  std::this_thread::sleep_for(200ms);
  got = receiver_.spans();
  for (const DecodedSpan& s : got) {
    EXPECT_NE(telemetry::trace_id_hex(s.trace_id), "80f198ee56343ba864fe8b2a57d3eff7");
  }
  // The subgraphs of the unsampled request got its trace with sampled = 0.
  std::vector<std::pair<std::string, net::HttpHeaders>> seen = subgraphs_->seen();
  ASSERT_GE(seen.size(), 2u);
  const net::HttpHeaders& first = seen[0].second;
  EXPECT_EQ(first.get("X-B3-TraceId"), "80f198ee56343ba864fe8b2a57d3eff7");
  EXPECT_EQ(first.get("X-B3-Sampled"), "0");
  ASSERT_TRUE(first.get("traceparent"));
  EXPECT_EQ(first.get("traceparent")->substr(0, 36), "00-80f198ee56343ba864fe8b2a57d3eff7-");
  EXPECT_EQ(first.get("traceparent")->substr(53), "00");
}

TEST_F(TracingEndToEnd, ASubgraphFailureMarksTheSpans) {
  start_router("");
  subgraphs_->products_fail = true;
  net::HttpClientResponse r = post(kQuery);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<DecodedSpan> got = spans(7);
  const DecodedSpan* products = find(got, "subgraph products");
  ASSERT_NE(products, nullptr);
  EXPECT_EQ(products->status_code, StatusCode::kError);
  EXPECT_EQ(products->status_message, "HTTP 500");
  EXPECT_EQ(int_attr(*products, "http.response.status_code"), 500);
  const DecodedSpan* server = find(got, "POST /graphql");
  ASSERT_NE(server, nullptr);
  EXPECT_GT(int_attr(*server, "orbit.graphql.error_count"), 0);
  EXPECT_NE(str_attr(*server, "orbit.graphql.error_codes"), "<none>");
}

TEST_F(TracingEndToEnd, SamplerZeroWithoutParentExportsNothing) {
  start_router("    sampler: \"0\"\n");
  ASSERT_EQ(post(kQuery).status, 200);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(receiver_.request_count(), 0u);
  // Still propagated (not sampled), so the subgraphs keep one trace.
  std::vector<std::pair<std::string, net::HttpHeaders>> seen = subgraphs_->seen();
  const net::HttpHeaders* h = subgraph_headers(seen, "/accounts");
  ASSERT_NE(h, nullptr);
  ASSERT_TRUE(h->get("traceparent"));
  EXPECT_EQ(h->get("traceparent")->substr(53), "00");
}

}  // namespace
}  // namespace orbit::router
