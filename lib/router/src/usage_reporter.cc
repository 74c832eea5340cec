#include "usage_reporter.h"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <future>

#include "orbit/base/json_writer.h"
#include "orbit/base/log.h"
#include "orbit/config/artifact.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/net/event_loop.h"
#include "orbit/net/http_client.h"
#include "orbit/router/graph_snapshot.h"
#include "orbit/router/router_identity.h"
#include "orbit/telemetry/metrics.h"

namespace orbit::router {

namespace {

// Coordinates kept per shard before the cache starts over (a client sending endless distinct
// documents must not grow it without bound).
constexpr size_t kMaxCachedOperations = 4096;

void collect_coordinates(const graphql::Schema& schema, const graphql::TypeDef* parent,
                         const graphql::SelectionSet* set,
                         std::vector<const graphql::SelectionSet*>& seen,
                         std::vector<std::string>& out) {
  if (set == nullptr || parent == nullptr) return;
  // The normalized operation shares repeated selection sets; walk each (with its parent) once.
  if (std::find(seen.begin(), seen.end(), set) != seen.end()) return;
  seen.push_back(set);
  for (const graphql::Selection* s : set->selections) {
    if (s->kind == graphql::Kind::kField) {
      const auto* f = s->as<graphql::Field>();
      std::string_view name = f->name.value;
      if (name.starts_with("__")) continue;  // __typename, __schema, __type
      const graphql::FieldDef* def = schema.field_def(parent, name);
      if (def == nullptr) continue;
      std::string coordinate(parent->name);
      coordinate += '.';
      coordinate += name;
      out.push_back(std::move(coordinate));
      if (f->selection_set != nullptr && def->type != nullptr)
        collect_coordinates(schema, def->type->named_type(), f->selection_set, seen, out);
    } else if (s->kind == graphql::Kind::kInlineFragment) {
      const auto* fragment = s->as<graphql::InlineFragment>();
      const graphql::TypeDef* type = parent;
      if (fragment->type_condition != nullptr) {
        const graphql::TypeDef* named = schema.type(fragment->type_condition->name.value);
        if (named != nullptr) type = named;
      }
      collect_coordinates(schema, type, fragment->selection_set, seen, out);
    }
  }
}

std::string_view type_name(graphql::OperationType t) {
  switch (t) {
    case graphql::OperationType::kQuery: return "query";
    case graphql::OperationType::kMutation: return "mutation";
    case graphql::OperationType::kSubscription: return "subscription";
  }
  return "query";
}

bool transient(int status) {
  return status == 429 || status == 408 || status >= 500;
}

}  // namespace

std::string usage_graph_token(const config::RouterConfig& config) {
  if (!config.telemetry.usage.graph_token.empty()) return config.telemetry.usage.graph_token;
  if (!config.managed.graph_token.empty()) return config.managed.graph_token;
  return config::process_env(config::kGraphTokenEnv).value_or("");
}

std::vector<std::string> used_coordinates(const graphql::Schema& schema,
                                          const graphql::OperationDefinition& operation) {
  std::vector<std::string> out;
  std::vector<const graphql::SelectionSet*> seen;
  collect_coordinates(schema, schema.root_type(operation.operation), operation.selection_set, seen,
                      out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

UsageReporter::UsageReporter(config::UsageReportingConfig config, std::string graph_token)
    : config_(std::move(config)),
      graph_token_(std::move(graph_token)),
      router_id_(router_identity().id),
      host_(router_identity().host) {}

UsageReporter::~UsageReporter() {
  stop(std::chrono::milliseconds(0));
}

Status UsageReporter::start() {
  if (started_) return Status(ErrorCode::kInternal, "UsageReporter::start() called twice");
  if (graph_token_.empty())
    return Status(ErrorCode::kInvalidArgument,
                  "telemetry.usage needs a graph token (telemetry.usage.graph_token, the managed "
                  "section's, or GRAPH_API_TOKEN)");
  loop_ = std::make_unique<net::EventLoop>();
  loop_->start();
  std::promise<void> ready;
  loop_->post([&] {
    net::HttpClientOptions options;
    options.request_timeout = config_.timeout;
    options.connect_timeout = std::min(config_.timeout, std::chrono::milliseconds(5'000));
    options.max_idle_per_origin = 1;
    options.max_response_bytes = 64 * 1024;
    client_ = std::make_unique<net::HttpClient>(*loop_, options);
    ready.set_value();
  });
  ready.get_future().wait();
  started_ = true;
  thread_ = std::thread([this] { run(); });
  log::info("usage reporting to {} every {} ms (router id {})", config_.endpoint,
            config_.report_interval.count(), router_id_);
  return {};
}

void UsageReporter::stop(std::chrono::milliseconds deadline) {
  if (!started_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    stop_deadline_ = deadline;
  }
  wake_.notify_all();
  thread_.join();
  std::promise<void> done;
  loop_->post([&] {
    client_.reset();
    done.set_value();
  });
  done.get_future().wait();
  loop_->stop();
}

void UsageReporter::on_end(const RequestRecord& record) {
  if (record.operation_hash.empty() || record.normalized_operation == nullptr ||
      record.schema == nullptr)
    return;  // refused before the operation was known: nothing to attribute it to
  if (record.snapshot != nullptr &&
      record.snapshot != last_snapshot_.load(std::memory_order_relaxed)) {
    std::lock_guard<std::mutex> lock(version_mu_);
    config_version_ = record.snapshot->config_version();
    last_snapshot_.store(record.snapshot, std::memory_order_relaxed);
  }
  std::string key;
  key.reserve(record.operation_hash.size() + record.client_name.size() +
              record.client_version.size() + 2);
  key.append(record.operation_hash).push_back('\0');
  key.append(record.client_name).push_back('\0');
  key.append(record.client_version);
  double ms = static_cast<double>(record.duration_ns) / 1e6;
  size_t bucket = std::lower_bound(kUsageLatencyBoundsMs.begin(), kUsageLatencyBoundsMs.end(), ms) -
                  kUsageLatencyBoundsMs.begin();
  bool failed = record.error_count > 0 || record.http_status >= 400;

  Shard& shard = shards_[std::hash<std::thread::id>{}(std::this_thread::get_id()) % shards_.size()];
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.operations.find(key);
  if (it == shard.operations.end()) {
    if (shard.operations.size() >= config_.max_batch_operations) {
      std::lock_guard<std::mutex> stats_lock(mu_);
      ++stats_.operations_dropped;
      return;
    }
    OperationStats op;
    op.hash = std::string(record.operation_hash);
    op.name = std::string(record.operation_name);
    op.type = record.operation_type;
    op.client_name = record.client_name;
    op.client_version = record.client_version;
    auto cached = shard.fields.find(op.hash);
    if (cached == shard.fields.end()) {
      if (shard.fields.size() >= kMaxCachedOperations) shard.fields.clear();
      auto fields = std::make_shared<const std::vector<std::string>>(
          used_coordinates(*record.schema, *record.normalized_operation));
      cached = shard.fields.emplace(op.hash, std::move(fields)).first;
    }
    op.fields = cached->second;
    it = shard.operations.emplace(std::move(key), std::move(op)).first;
  }
  OperationStats& op = it->second;
  ++op.requests;
  if (failed) ++op.errors;
  ++op.latency[bucket];
  op.latency_sum_ms += ms;
}

std::string UsageReporter::collect(std::chrono::system_clock::time_point window_start,
                                   std::chrono::system_clock::time_point window_end) {
  // Merge the shards (one operation may have been counted on several threads).
  std::unordered_map<std::string, OperationStats> all;
  for (Shard& shard : shards_) {
    std::unordered_map<std::string, OperationStats> taken;
    {
      std::lock_guard<std::mutex> lock(shard.mu);
      taken.swap(shard.operations);
    }
    for (auto& [key, op] : taken) {
      auto [it, inserted] = all.try_emplace(key, std::move(op));
      if (inserted) continue;
      OperationStats& into = it->second;
      into.requests += op.requests;
      into.errors += op.errors;
      for (size_t i = 0; i < into.latency.size(); ++i)
        into.latency[i] += op.latency[i];
      into.latency_sum_ms += op.latency_sum_ms;
    }
  }
  uint64_t requests = 0;
  std::string version;
  {
    std::lock_guard<std::mutex> lock(version_mu_);
    version = config_version_;
  }
  std::string body;
  JsonWriter w(body);
  w.begin_object();
  w.key("router").begin_object();
  w.key("id").string(router_id_);
  w.key("host").string(host_);
  w.key("orbitVersion").string(router_identity().orbit_version);
  w.key("configVersion").string(version);
  w.key("reportIntervalSeconds")
      .integer(std::max<int64_t>(1, (config_.report_interval.count() + 999) / 1000));
  w.end_object();
  w.key("windowStart").string(config::rfc3339(window_start));
  w.key("windowEnd").string(config::rfc3339(window_end));
  w.key("operations").begin_array();
  size_t written = 0;
  for (const auto& [key, op] : all) {
    if (written++ >= config_.max_batch_operations) break;
    requests += op.requests;
    w.begin_object();
    w.key("hash").string(op.hash);
    w.key("name");
    if (op.name.empty()) {
      w.null();
    } else {
      w.string(op.name);
    }
    w.key("type").string(type_name(op.type));
    w.key("client").begin_object();
    w.key("name").string(op.client_name);
    w.key("version").string(op.client_version);
    w.end_object();
    w.key("requests").integer(static_cast<int64_t>(op.requests));
    w.key("errors").integer(static_cast<int64_t>(op.errors));
    w.key("latencyBucketsMs").begin_array();
    for (double b : kUsageLatencyBoundsMs)
      w.integer(static_cast<int64_t>(b));
    w.end_array();
    w.key("latencyCounts").begin_array();
    for (uint64_t c : op.latency)
      w.integer(static_cast<int64_t>(c));
    w.end_array();
    w.key("latencySumMs").number(op.latency_sum_ms);
    w.key("fields").begin_array();
    if (op.fields) {
      for (const std::string& f : *op.fields)
        w.string(f);
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  std::lock_guard<std::mutex> lock(mu_);
  stats_.requests_counted += requests;
  if (all.size() > config_.max_batch_operations)
    stats_.operations_dropped += all.size() - config_.max_batch_operations;
  return body;
}

bool UsageReporter::send(Batch& batch, std::chrono::milliseconds* retry_after) {
  std::promise<Result<net::HttpClientResponse>> answered;
  net::HttpClientRequest request;
  request.method = "POST";
  request.url = config_.endpoint;
  request.headers.add("Content-Type", "application/json");
  request.headers.add("Authorization", "Bearer " + graph_token_);
  request.body = batch.body;
  request.timeout = config_.timeout;
  request.idempotent = false;
  loop_->post([&] {
    client_->fetch(request,
                   [&](Result<net::HttpClientResponse> r) { answered.set_value(std::move(r)); });
  });
  Result<net::HttpClientResponse> r = answered.get_future().get();
  ++batch.attempts;
  *retry_after = std::chrono::milliseconds(0);
  std::lock_guard<std::mutex> lock(mu_);
  if (!r.ok()) {
    ++stats_.send_failures;
    if (batch.attempts == 1 || batch.attempts % 10 == 0)
      log::warn("usage report to {} failed ({}); retrying", config_.endpoint, r.status().message());
    return false;
  }
  if (r->status >= 200 && r->status < 300) {
    ++stats_.batches_sent;
    return true;
  }
  if (transient(r->status)) {
    ++stats_.send_failures;
    if (auto h = r->headers.get("retry-after")) {
      int seconds = std::atoi(std::string(*h).c_str());
      if (seconds > 0) *retry_after = std::chrono::milliseconds(std::min(seconds, 300) * 1000);
    }
    if (batch.attempts == 1 || batch.attempts % 10 == 0)
      log::warn("usage report to {}: HTTP {}; retrying", config_.endpoint, r->status);
    return false;
  }
  ++stats_.batches_rejected;
  log::warn("usage report refused by {}: HTTP {} {} (batch dropped)", config_.endpoint, r->status,
            r->body.substr(0, 300));
  return true;
}

void UsageReporter::run() {
  using Clock = std::chrono::steady_clock;
  auto window_start = std::chrono::system_clock::now();
  Clock::time_point next_report = Clock::now() + config_.report_interval;
  Clock::time_point next_attempt = Clock::now();
  std::chrono::milliseconds backoff(0);
  bool final_round = false;
  Clock::time_point final_deadline{};
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      Clock::time_point until = queue_.empty() ? next_report : std::min(next_report, next_attempt);
      if (final_round) {
        wake_.wait_until(lock, std::min(until, final_deadline));
      } else {
        wake_.wait_until(lock, until, [this] { return stopping_; });
      }
      if (stopping_ && !final_round) {
        final_round = true;
        final_deadline = Clock::now() + stop_deadline_;
        next_report = Clock::now();  // count what is there one last time
        next_attempt = Clock::now();
      }
    }
    Clock::time_point now = Clock::now();
    if (now >= next_report) {
      auto window_end = std::chrono::system_clock::now();
      std::string body = collect(window_start, window_end);
      window_start = window_end;
      next_report = now + config_.report_interval;
      std::lock_guard<std::mutex> lock(mu_);
      if (queue_.size() >= config_.max_queue_batches) {
        ++stats_.batches_dropped;
      } else {
        queue_.push_back(Batch{std::move(body), 0});
      }
      stats_.queued = queue_.size();
    }
    // Send what waits, oldest first, while the control plane takes it.
    while (!final_round || Clock::now() < final_deadline) {
      Batch* batch = nullptr;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (queue_.empty() || Clock::now() < next_attempt) break;
        batch = &queue_.front();  // only this thread pops
      }
      std::chrono::milliseconds retry_after(0);
      bool done = send(*batch, &retry_after);
      std::lock_guard<std::mutex> lock(mu_);
      if (done) {
        queue_.pop_front();
        stats_.queued = queue_.size();
        backoff = std::chrono::milliseconds(0);
        continue;
      }
      backoff = backoff.count() == 0 ? std::chrono::milliseconds(500)
                                     : std::min(backoff * 2, std::chrono::milliseconds(60'000));
      next_attempt = Clock::now() + std::max(backoff, retry_after);
      break;
    }
    if (final_round) {
      std::lock_guard<std::mutex> lock(mu_);
      if (queue_.empty() || Clock::now() >= final_deadline) {
        stats_.batches_dropped += queue_.size();
        queue_.clear();
        stats_.queued = 0;
        return;
      }
    }
  }
}

void add_usage_metrics(telemetry::MetricsRegistry& registry,
                       std::weak_ptr<UsageReporter> reporter) {
  registry.add_collector([reporter](telemetry::MetricsSnapshot& snapshot) {
    std::shared_ptr<UsageReporter> r = reporter.lock();
    if (!r) return;
    UsageReporterStats st = r->stats();
    auto metric = [&snapshot](std::string name, std::string description, telemetry::MetricKind kind,
                              std::vector<std::pair<telemetry::Attributes, double>> points) {
      telemetry::MetricData m;
      m.name = std::move(name);
      m.description = std::move(description);
      m.unit = "1";
      m.kind = kind;
      for (auto& [attributes, value] : points) {
        telemetry::MetricPoint p;
        p.attributes = std::move(attributes);
        p.value = value;
        m.points.push_back(std::move(p));
      }
      snapshot.metrics.push_back(std::move(m));
    };
    auto d = [](uint64_t v) { return static_cast<double>(v); };
    metric("orbit_router_usage_requests_total",
           "Requests counted in usage reports sent or waiting to be sent.",
           telemetry::MetricKind::kCounter, {{{}, d(st.requests_counted)}});
    metric("orbit_router_usage_batches_total",
           "Usage batches by outcome: sent (accepted by the control plane), dropped (queue "
           "full), rejected (refused for good).",
           telemetry::MetricKind::kCounter,
           {{{{"result", "sent"}}, d(st.batches_sent)},
            {{{"result", "dropped"}}, d(st.batches_dropped)},
            {{{"result", "rejected"}}, d(st.batches_rejected)}});
    metric("orbit_router_usage_send_failures_total",
           "Usage batch sends that failed transiently (retried with backoff).",
           telemetry::MetricKind::kCounter, {{{}, d(st.send_failures)}});
    metric("orbit_router_usage_operations_dropped_total",
           "Operations left out of usage reports (over max_batch_operations in an interval).",
           telemetry::MetricKind::kCounter, {{{}, d(st.operations_dropped)}});
    metric("orbit_router_usage_queued_batches", "Usage batches waiting to be sent.",
           telemetry::MetricKind::kGauge, {{{}, d(st.queued)}});
  });
}

UsageReporterStats UsageReporter::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace orbit::router
