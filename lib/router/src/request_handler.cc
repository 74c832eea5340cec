#include "orbit/router/request_handler.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>
#include <vector>

#include "inflight.h"
#include "orbit/base/hash.h"
#include "orbit/base/json_writer.h"
#include "orbit/base/log.h"
#include "orbit/executor/executor.h"
#include "orbit/graphql/introspection/introspection.h"
#include "orbit/graphql/normalization/cache_key.h"
#include "orbit/graphql/normalization/normalize.h"
#include "orbit/graphql/normalization/select_operation.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/validation/validate.h"
#include "orbit/graphql/values/values.h"
#include "orbit/planner/planner.h"
#include "orbit/router/graphql_request.h"
#include "orbit/security/sha256.h"
#include "prepared_operation.h"
#include "response_merge.h"
#include "status_endpoints.h"

namespace orbit::router {

namespace {

// What an execution gives every request that shares it (inbound deduplication).
struct ExecutionResult {
  std::string body;
  uint32_t error_count = 0;
  std::vector<std::string_view> error_codes;  // static names (error_code_name)
  bool data_is_null = false;
};

ExecutionResult empty_data() {
  ExecutionResult r;
  r.body = "{\"data\":{}}";
  return r;
}

}  // namespace

class InboundInflight {
 public:
  InflightTable<ExecutionResult, std::mutex> table;
};

namespace {

// One GraphQL request from its arrival to its answer. Owned by shared_ptr: the executor's
// completion holds it, and everything the execution reads (plan, operation, variables,
// arena, fetcher, snapshot) lives here.
// What the last request on this thread held in its arena: the next one starts with one block
// of that size instead of growing through five or six (an execution of the benchmark query
// holds about 400 KB). Between 16 KB and 1 MB, so one huge request does not stay costly.
size_t& arena_size_hint() {
  thread_local size_t bytes = 16 * 1024;
  return bytes;
}

struct Pending {
  Pending() : arena(arena_size_hint()) {}
  ~Pending() {
    arena_size_hint() = std::clamp<size_t>(arena.bytes_reserved(), 16 * 1024, 1024 * 1024);
  }
  Pending(const Pending&) = delete;
  Pending& operator=(const Pending&) = delete;

  net::HttpRequest request;  // the client's; the record's views point into it
  std::shared_ptr<const GraphSnapshot> snapshot;
  Arena arena;
  MediaType media = MediaType::kJson;
  bool include_plan = false;
  const graphql::Document* document = nullptr;
  const graphql::OperationDefinition* operation = nullptr;  // as selected, not normalized
  const JsonValue* variables = nullptr;                     // coerced
  graphql::NormalizedOperation normalized;
  // The normalized operation without root introspection fields: what is planned and executed.
  const graphql::OperationDefinition* executable = nullptr;
  bool has_introspection = false;
  // Owns document, operation, normalized and executable (built here on a cache miss).
  std::shared_ptr<const PreparedOperation> prepared;
  std::shared_ptr<const planner::QueryPlan> plan;
  std::unique_ptr<executor::SubgraphFetcher> fetcher;
  RequestHandler::Reply reply;
  // Telemetry: filled when some observer is registered (`observers` not null).
  const std::vector<std::shared_ptr<RequestObserver>>* observers = nullptr;
  RequestRecord record;
  RequestRecord::Stage* stage = nullptr;  // the stage running now
};

int64_t elapsed_ns(const RequestRecord& record) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              record.start)
      .count();
}

// Ends the running stage and starts `next` (null: none).
void enter_stage(Pending& p, RequestRecord::Stage* next) {
  if (p.observers == nullptr) return;
  int64_t now = elapsed_ns(p.record);
  if (p.stage != nullptr) p.stage->duration_ns = std::max<int64_t>(1, now - p.stage->start_ns);
  p.stage = next;
  if (next != nullptr) next->start_ns = now;
}

void note_errors(Pending& p, const std::vector<graphql::GraphqlError>& errors) {
  if (p.observers == nullptr) return;
  p.record.error_count += static_cast<uint32_t>(errors.size());
  for (const graphql::GraphqlError& e : errors) {
    if (e.code != ErrorCode::kOk) p.record.error_codes.push_back(error_code_name(e.code));
  }
}

void note_operation(Pending& p, const graphql::OperationDefinition& operation) {
  if (p.observers == nullptr) return;
  p.record.has_operation = true;
  p.record.operation_type = operation.operation;
  p.record.operation_name = operation.name.value;
}

// The hex SHA-256 of a normalized operation's canonical text: the operation's identity in
// telemetry and usage reports.
std::string operation_hash(std::string_view canonical_text) {
  return security::sha256_hex(canonical_text);
}

HttpAnswer json_answer(int status, MediaType media, std::string body) {
  HttpAnswer answer;
  answer.status = status;
  answer.headers.add("Content-Type", std::string(media_type_name(media)) + "; charset=utf-8");
  answer.body = std::move(body);
  return answer;
}

std::string errors_body(const std::vector<graphql::GraphqlError>& errors) {
  std::string body;
  JsonWriter w(body);
  w.begin_object().key("errors").begin_array();
  for (const graphql::GraphqlError& e : errors)
    e.write_json(w);
  w.end_array().end_object();
  return body;
}

std::string one_error_body(std::string_view message, ErrorCode code) {
  graphql::GraphqlError e;
  e.message = std::string(message);
  e.code = code;
  return errors_body({e});
}

// A request refused before GraphQL execution with one error.
void reply_one_error(Pending& p, HttpAnswer answer, ErrorCode code) {
  if (p.observers != nullptr) {
    p.record.error_count += 1;
    p.record.error_codes.push_back(error_code_name(code));
  }
  p.reply(std::move(answer));
}

// GraphQL request errors: 400 (or `graphql_status`) for the GraphQL response type, 200 for
// legacy clients (GraphQL over HTTP: application/json answers every well-formed request
// with 200).
void reply_graphql_errors(Pending& p, std::vector<graphql::GraphqlError>& errors,
                          ErrorCode default_code, int graphql_status = 400) {
  for (graphql::GraphqlError& e : errors) {
    if (e.code == ErrorCode::kOk) e.code = default_code;
  }
  note_errors(p, errors);
  int status = p.media == MediaType::kGraphqlResponseJson ? graphql_status : 200;
  p.reply(json_answer(status, p.media, errors_body(errors)));
}

bool is_introspection_field(const graphql::Selection* s) {
  if (s->kind != graphql::Kind::kField) return false;
  std::string_view name = s->as<graphql::Field>()->name.value;
  return name == "__schema" || name == "__type";
}

// `set` without root introspection fields (also inside inline fragments, which are dropped
// when nothing is left in them); `set` itself when it has none.
const graphql::SelectionSet* strip_introspection(const graphql::SelectionSet* set, Arena& arena) {
  std::vector<graphql::Selection*> kept;
  bool changed = false;
  for (graphql::Selection* s : set->selections) {
    if (is_introspection_field(s)) {
      changed = true;
      continue;
    }
    if (s->kind == graphql::Kind::kInlineFragment) {
      auto* fragment = s->as<graphql::InlineFragment>();
      const graphql::SelectionSet* inner = strip_introspection(fragment->selection_set, arena);
      if (inner != fragment->selection_set) {
        changed = true;
        if (inner->selections.empty()) continue;
        auto* copy = arena.make<graphql::InlineFragment>(*fragment);
        copy->selection_set = const_cast<graphql::SelectionSet*>(inner);
        s = copy;
      }
    }
    kept.push_back(s);
  }
  if (!changed) return set;
  auto* out = arena.make<graphql::SelectionSet>();
  out->loc = set->loc;
  out->selections = arena.copy_span<graphql::Selection*>(kept);
  return out;
}

// Variables read by the @skip/@include normalization kept (each distinct selection set once:
// the normalized operation shares the bodies of repeated fragments).
void collect_condition_variables(const graphql::SelectionSet* set,
                                 std::vector<const graphql::SelectionSet*>& seen,
                                 std::vector<std::string_view>& out) {
  if (set == nullptr || std::find(seen.begin(), seen.end(), set) != seen.end()) return;
  seen.push_back(set);
  auto directives = [&out](graphql::List<graphql::Directive> list) {
    for (const graphql::Directive* d : list) {
      if (d->name.value != "skip" && d->name.value != "include") continue;
      for (const graphql::Argument* a : d->arguments) {
        if (a->value == nullptr || a->value->kind != graphql::Kind::kVariable) continue;
        std::string_view name = a->value->as<graphql::Variable>()->name.value;
        if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
      }
    }
  };
  for (const graphql::Selection* s : set->selections) {
    if (s->kind == graphql::Kind::kField) {
      const auto* f = s->as<graphql::Field>();
      directives(f->directives);
      collect_condition_variables(f->selection_set, seen, out);
    } else if (s->kind == graphql::Kind::kInlineFragment) {
      const auto* f = s->as<graphql::InlineFragment>();
      directives(f->directives);
      collect_condition_variables(f->selection_set, seen, out);
    }
  }
}

// Every condition variable holds a Boolean: the prepared operation applies as it is (else
// the full pipeline runs and reports the error normalization finds).
bool conditions_decidable(const PreparedOperation& prepared, const JsonValue& variables) {
  for (std::string_view name : prepared.condition_variables) {
    const JsonValue* v = variables.is_object() ? variables.find(name) : nullptr;
    if (v == nullptr || !v->is_bool()) return false;
  }
  return true;
}

// Response keys of the root selections in operation order (the order of `data`).
void root_response_keys(const graphql::SelectionSet* set, std::vector<std::string_view>* out) {
  for (const graphql::Selection* s : set->selections) {
    if (s->kind == graphql::Kind::kField) {
      std::string_view key = s->as<graphql::Field>()->response_key();
      if (std::find(out->begin(), out->end(), key) == out->end()) out->push_back(key);
    } else if (s->kind == graphql::Kind::kInlineFragment) {
      root_response_keys(s->as<graphql::InlineFragment>()->selection_set, out);
    }
  }
}

bool header_is_true(const net::HttpHeaders& headers, std::string_view name) {
  std::optional<std::string_view> v = headers.get(name);
  return v && net::iequals(*v, "true");
}

void finish(const std::shared_ptr<Pending>& p, ExecutionResult result) {
  std::string body = std::move(result.body);
  if (p->observers != nullptr) {
    p->record.error_count += result.error_count;
    p->record.error_codes.insert(p->record.error_codes.end(), result.error_codes.begin(),
                                 result.error_codes.end());
    p->record.data_is_null = result.data_is_null;
  }
  if (p->has_introspection) {
    graphql::IntrospectionRequest request;
    request.schema = &p->snapshot->api_schema();
    request.document = p->document;
    request.operation = p->operation;
    request.variables = p->variables;
    std::string fields;
    JsonWriter w(fields);
    graphql::ErrorReport errors;
    w.begin_object();
    graphql::write_introspection_fields(request, p->arena, w, errors);
    w.end_object();
    std::vector<std::string> extra;
    for (const graphql::GraphqlError& e : errors.errors())
      extra.push_back(e.to_json());
    note_errors(*p, errors.errors());
    std::vector<std::string_view> order;
    root_response_keys(p->normalized.operation->selection_set, &order);
    body = merge_root_fields(body, fields, order, extra);
  }
  if (p->include_plan && p->plan != nullptr) {
    std::string members = "\"queryPlan\":";
    append_json_string(members, p->plan->to_string());
    append_extensions(body, members);
  }
  p->reply(json_answer(200, p->media, std::move(body)));
}

// What makes two executions of a query give the same result: the snapshot and plan (the plan
// cache gives one plan per canonical operation), the client header fields any subgraph
// receives, and the coerced variables.
std::string inbound_key(const Pending& p, const net::HttpHeaders& headers) {
  std::string key;
  key.reserve(64);
  auto append_pointer = [&key](const void* ptr) {
    auto bits = reinterpret_cast<uintptr_t>(ptr);
    key.append(reinterpret_cast<const char*>(&bits), sizeof bits);
  };
  append_pointer(p.snapshot.get());
  append_pointer(p.plan.get());
  if (!headers.empty()) {
    std::vector<std::string_view> names;
    for (const SubgraphSettings& s : p.snapshot->subgraphs()) {
      for (const std::string& name : s.propagate_headers) {
        if (std::find_if(names.begin(), names.end(), [&name](std::string_view n) {
              return net::iequals(n, name);
            }) == names.end()) {
          names.push_back(name);
        }
      }
    }
    for (std::string_view name : names) {
      for (const auto& [field, value] : headers) {
        if (!net::iequals(field, name)) continue;
        key += name;  // lower or upper case alike: the subgraph's lookup ignores case
        key += ':';
        key += value;
        key += '\n';
      }
    }
  }
  key += '\n';
  JsonWriter w(key);
  write_json(*p.variables, w);
  return key;
}

// Runs the plan; `done` may run before execute() returns; `p` keeps everything alive.
void run_plan(const std::shared_ptr<Pending>& p, const FetcherFactory& fetchers,
              const RouterConfig& config, const net::HttpHeaders& headers,
              std::function<void(ExecutionResult)> done) {
  FetchContext context;
  if (p->observers != nullptr) {
    context.record = &p->record;
    context.observers = p->observers;
  }
  p->fetcher = fetchers(p->snapshot, headers, context);
  executor::ExecuteOptions execute_options;
  execute_options.max_subgraph_response_bytes = config.limits.max_subgraph_response_bytes;
  execute_options.merge_entity_fetches = config.batching.entity_fetches;
  executor::execute(
      *p->plan, *p->executable, p->snapshot->api_schema(), *p->variables, *p->fetcher, p->arena,
      [done = std::move(done)](executor::Response response) {
        ExecutionResult result;
        result.body = std::move(response.body);
        result.error_count = static_cast<uint32_t>(response.errors.size());
        for (const graphql::GraphqlError& e : response.errors) {
          if (e.code != ErrorCode::kOk) result.error_codes.push_back(error_code_name(e.code));
        }
        result.data_is_null = response.data_is_null;
        done(std::move(result));
      },
      execute_options);
}

// Executes the plan, or joins an identical query's execution in flight.
void execute_plan(const std::shared_ptr<Pending>& p, const FetcherFactory& fetchers,
                  const RouterConfig& config, const net::HttpHeaders& headers,
                  InboundInflight* inbound) {
  enter_stage(*p, &p->record.execute);
  if (inbound == nullptr || p->executable->operation != graphql::OperationType::kQuery) {
    run_plan(p, fetchers, config, headers,
             [p](ExecutionResult result) { finish(p, std::move(result)); });
    return;
  }
  p->record.deduplicated = true;  // unless this request's execution is the one that runs
  inbound->table.run(
      inbound_key(*p, headers),
      [&](InflightTable<ExecutionResult, std::mutex>::Complete complete) {
        p->record.deduplicated = false;
        run_plan(p, fetchers, config, headers, std::move(complete));
      },
      [p](ExecutionResult result) { finish(p, std::move(result)); });
}

// GET carries queries only (GraphQL over HTTP).
void reply_get_not_allowed(Pending& p, graphql::OperationType type) {
  HttpAnswer answer = json_answer(
      405, p.media,
      one_error_body("Can only perform a " + std::string(graphql::operation_type_name(type)) +
                         " operation from a POST request.",
                     ErrorCode::kMethodNotAllowed));
  answer.headers.add("Allow", "POST");
  reply_one_error(p, std::move(answer), ErrorCode::kMethodNotAllowed);
}

// Starts the request's RequestRecord and wraps `reply` so that the answer completes it and
// hands it to every observer.
void start_record(Pending& p, RequestHandler::Reply reply,
                  const std::vector<std::shared_ptr<RequestObserver>>& observers,
                  const config::TelemetryConfig& telemetry) {
  p.observers = &observers;
  RequestRecord& r = p.record;
  r.start = std::chrono::steady_clock::now();
  r.start_unix_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  const net::HttpRequest& request = p.request;
  r.method = request.method;
  r.path = request.path();
  r.remote_address = request.remote_address;
  r.user_agent = request.headers.get("user-agent").value_or(std::string_view());
  r.client_name = request.headers.get(telemetry.client_name_header).value_or(std::string_view());
  r.client_version =
      request.headers.get(telemetry.client_version_header).value_or(std::string_view());
  r.snapshot = p.snapshot.get();
  for (const std::shared_ptr<RequestObserver>& o : observers)
    o->on_start(r, request.headers);
  // The answer completes the record: status, size, duration; then every observer sees it.
  // `raw` is alive when the reply is called (every caller holds the Pending).
  Pending* raw = &p;
  p.reply = [raw, inner = std::move(reply)](HttpAnswer answer) {
    enter_stage(*raw, nullptr);
    RequestRecord& record = raw->record;
    record.http_status = answer.status;
    record.response_bytes = answer.body.size();
    inner(std::move(answer));
    record.duration_ns = elapsed_ns(record);
    for (const std::shared_ptr<RequestObserver>& o : *raw->observers)
      o->on_end(record);
  };
}

}  // namespace

uint64_t prepared_operation_hash(std::string_view text, std::optional<std::string_view> name) {
  uint64_t h = hash_string(text);
  return hash_combine(h, name ? hash_string(*name, 1) : 0);
}

RequestHandler::RequestHandler(RouterConfig config, const SnapshotHolder& snapshots,
                               FetcherFactory fetchers)
    : config_(std::move(config)), snapshots_(snapshots), fetchers_(std::move(fetchers)) {
  if (config_.deduplication.inbound) inbound_ = std::make_unique<InboundInflight>();
}

RequestHandler::~RequestHandler() = default;

uint64_t RequestHandler::deduplicated_requests() const {
  return inbound_ ? inbound_->table.joined() : 0;
}

uint64_t RequestHandler::executions() const {
  return inbound_ ? inbound_->table.started() : 0;
}

namespace {

// The CORS headers of an answer to an allowed origin (config `cors`).
void add_cors_headers(const config::CorsConfig& cors, std::string_view origin,
                      net::HttpHeaders& headers) {
  headers.add("Access-Control-Allow-Origin", std::string(origin));
  headers.add("Vary", "Origin");
  if (cors.allow_credentials) headers.add("Access-Control-Allow-Credentials", "true");
  if (!cors.expose_headers.empty()) {
    std::string list;
    for (const std::string& h : cors.expose_headers)
      list += (list.empty() ? "" : ", ") + h;
    headers.add("Access-Control-Expose-Headers", std::move(list));
  }
}

// The answer to a preflight (OPTIONS with Access-Control-Request-Method): 204, with the CORS
// headers when the origin is allowed, without them (the browser then refuses) when not.
HttpAnswer preflight_answer(const config::CorsConfig& cors, const net::HttpRequest& request,
                            std::optional<std::string_view> origin) {
  HttpAnswer answer;
  answer.status = 204;
  if (!origin || !cors.allows(*origin)) return answer;
  add_cors_headers(cors, *origin, answer.headers);
  answer.headers.add("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  std::string allowed;
  if (!cors.allow_headers.empty()) {
    for (const std::string& h : cors.allow_headers)
      allowed += (allowed.empty() ? "" : ", ") + h;
  } else if (auto requested = request.headers.get("access-control-request-headers")) {
    // What the browser asks for, when it is a plain list of header names.
    bool plain = requested->size() <= 1024;
    for (char ch : *requested) {
      plain = plain && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' ||
                        ch == ',' || ch == ' ');
    }
    if (plain) allowed = std::string(*requested);
  }
  if (!allowed.empty()) answer.headers.add("Access-Control-Allow-Headers", std::move(allowed));
  answer.headers.add("Access-Control-Max-Age", std::to_string(cors.max_age.count()));
  return answer;
}

}  // namespace

void RequestHandler::handle(net::HttpRequest&& request, Reply reply) {
  if (config_.cors.enabled()) {
    std::optional<std::string_view> origin = request.headers.get("origin");
    if (request.method == "OPTIONS" && request.headers.contains("access-control-request-method")) {
      reply(preflight_answer(config_.cors, request, origin));
      return;
    }
    if (origin && config_.cors.allows(*origin)) {
      reply = [cors = &config_.cors, origin = std::string(*origin),
               inner = std::move(reply)](HttpAnswer answer) {
        add_cors_headers(*cors, origin, answer.headers);
        inner(std::move(answer));
      };
    }
  }
  std::string_view path = request.path();
  if (path == "/health" || path == "/health/live" || path == "/health/ready") {
    handle_health(path, reply);
    return;
  }
  if (path == "/metrics" && path != config_.graphql_path) {
    handle_metrics(reply);
    return;
  }
  if (path != config_.graphql_path) {
    reply(json_answer(404, MediaType::kJson,
                      one_error_body("Not found: GraphQL is served at " + config_.graphql_path +
                                         ", health checks at /health.",
                                     ErrorCode::kNotFound)));
    return;
  }
  handle_graphql(std::move(request), std::move(reply));
}

void RequestHandler::handle_health(std::string_view path, Reply& reply) {
  bool up = true;
  if (path == "/health/ready") {
    up = snapshots_.get() != nullptr && !draining_.load(std::memory_order_relaxed);
  }
  if (path != "/health") {
    reply(json_answer(up ? 200 : 503, MediaType::kJson,
                      up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}"));
    return;
  }
  std::shared_ptr<const GraphSnapshot> snapshot = snapshots_.get();
  std::optional<ReloadStats> stats;
  if (reload_stats_) stats = reload_stats_();
  std::optional<ManagedStats> managed;
  if (managed_stats_) managed = managed_stats_();
  reply(json_answer(
      200, MediaType::kJson,
      health_body(true, snapshot.get(), stats ? &*stats : nullptr, managed ? &*managed : nullptr)));
}

void RequestHandler::handle_metrics(Reply& reply) {
  std::shared_ptr<const GraphSnapshot> snapshot = snapshots_.get();
  std::optional<ReloadStats> stats;
  if (reload_stats_) stats = reload_stats_();
  std::optional<ManagedStats> managed;
  if (managed_stats_) managed = managed_stats_();
  HttpAnswer answer;
  answer.headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  answer.body =
      metrics_text(snapshot.get(), stats ? &*stats : nullptr, managed ? &*managed : nullptr);
  if (inbound_) {
    answer.body +=
        "# HELP orbit_router_inbound_executions_total Query executions started (inbound "
        "deduplication on).\n"
        "# TYPE orbit_router_inbound_executions_total counter\n"
        "orbit_router_inbound_executions_total " +
        std::to_string(inbound_->table.started()) +
        "\n"
        "# HELP orbit_router_inbound_deduplicated_total Queries answered from an identical "
        "query's execution in flight.\n"
        "# TYPE orbit_router_inbound_deduplicated_total counter\n"
        "orbit_router_inbound_deduplicated_total " +
        std::to_string(inbound_->table.joined()) + "\n";
  }
  reply(std::move(answer));
}

void RequestHandler::handle_graphql(net::HttpRequest&& request, Reply reply) {
  auto p = std::make_shared<Pending>();
  p->request = std::move(request);
  p->snapshot = snapshots_.get();
  if (observers_.empty()) {
    p->reply = std::move(reply);
  } else {
    start_record(*p, std::move(reply), observers_, config_.telemetry);
  }
  const net::HttpRequest& request_ref = p->request;

  std::optional<MediaType> media = negotiate_media_type(request_ref.headers.get("accept"));
  if (!media) {
    reply_one_error(*p,
                    json_answer(406, MediaType::kJson,
                                one_error_body("Not acceptable: this server answers " +
                                                   std::string(kGraphqlResponseJson) + " or " +
                                                   std::string(kApplicationJson) + ".",
                                               ErrorCode::kBadRequest)),
                    ErrorCode::kBadRequest);
    return;
  }
  p->media = *media;
  if (p->snapshot == nullptr) {
    reply_one_error(
        *p,
        json_answer(503, p->media,
                    one_error_body("The router has no graph loaded yet.", ErrorCode::kUnavailable)),
        ErrorCode::kUnavailable);
    return;
  }

  // 1. The GraphQL request inside the HTTP request.
  GraphqlHttpRequest gql;
  RequestError request_error;
  RequestReadOptions read_options;
  if (!read_graphql_request(request_ref, p->arena, &gql, &request_error, read_options)) {
    HttpAnswer answer = json_answer(request_error.http_status, p->media,
                                    one_error_body(request_error.message, request_error.code));
    if (request_error.http_status == 405) answer.headers.add("Allow", "GET, POST");
    reply_one_error(*p, std::move(answer), request_error.code);
    return;
  }
  p->include_plan =
      config_.include_query_plan && header_is_true(request_ref.headers, kIncludeQueryPlanHeader);

  // 2. A document seen before on this snapshot (same text, same operation name): parse,
  // validation, normalization and planning are done; only its variables are new.
  const RouterLimits& limits = config_.limits;
  const graphql::Schema& schema = p->snapshot->api_schema();
  graphql::ErrorReport report;
  const uint64_t prepared_hash = prepared_operation_hash(gql.query, gql.operation_name);
  std::shared_ptr<const PreparedOperation> cached =
      p->snapshot->operation_cache().find(prepared_hash, gql.query);
  if (cached != nullptr && cached->matches(gql.operation_name)) {
    note_operation(*p, *cached->operation);
    if (gql.is_get && cached->operation->operation != graphql::OperationType::kQuery) {
      reply_get_not_allowed(*p, cached->operation->operation);
      return;
    }
    const JsonValue* inputs = gql.variables.is_null() ? nullptr : &gql.variables;
    p->variables =
        graphql::coerce_variable_values(schema, *cached->operation, inputs, p->arena, report);
    if (p->variables == nullptr) {
      reply_graphql_errors(*p, report.errors(), ErrorCode::kVariableCoercionFailed);
      return;
    }
    if (conditions_decidable(*cached, *p->variables)) {
      if (p->observers != nullptr) {
        p->record.operation_cache_hit = true;
        p->record.plan_cache_hit = true;
        p->record.operation_hash = cached->operation_hash;
        p->record.normalized_operation = cached->normalized.operation;
        p->record.schema = &schema;
      }
      p->prepared = cached;
      p->document = cached->document;
      p->operation = cached->operation;
      p->normalized = cached->normalized;
      p->executable = cached->executable;
      p->has_introspection = cached->has_introspection;
      if (cached->introspection_only) {
        finish(p, empty_data());
        return;
      }
      p->plan = cached->plan;
      execute_plan(p, fetchers_, config_, request_ref.headers, inbound_.get());
      return;
    }
    p->variables = nullptr;  // a condition variable is null or missing: the full path says so
  }

  // 3. Parse (executable definitions only, the configured limits) into an entry of its own.
  auto prepared = std::make_shared<PreparedOperation>();
  prepared->text = std::string(gql.query);
  if (gql.operation_name) prepared->operation_name = std::string(*gql.operation_name);
  p->prepared = prepared;
  graphql::ParseOptions parse_options;
  parse_options.max_bytes = limits.max_document_bytes;
  parse_options.max_tokens = limits.max_tokens;
  parse_options.max_depth = limits.max_depth;
  parse_options.max_aliases = limits.max_aliases;
  parse_options.max_directives_per_location = limits.max_directives;
  parse_options.allow_type_system = false;
  enter_stage(*p, &p->record.parse);
  graphql::ParseResult parsed = graphql::parse(prepared->text, prepared->arena, parse_options);
  if (!parsed.ok()) {
    std::vector<graphql::GraphqlError> errors{std::move(parsed.error)};
    reply_graphql_errors(*p, errors, ErrorCode::kGraphqlParseFailed);
    return;
  }
  p->document = prepared->document = parsed.document;
  enter_stage(*p, &p->record.validate);

  // 4. Validate against the API schema, then pick the operation.
  graphql::validate(schema, *p->document, report);
  if (report.has_errors()) {
    reply_graphql_errors(*p, report.errors(), ErrorCode::kGraphqlValidationFailed);
    return;
  }
  p->operation = graphql::select_operation(*p->document, gql.operation_name, report);
  if (p->operation == nullptr) {
    reply_graphql_errors(*p, report.errors(), ErrorCode::kOperationNotFound);
    return;
  }
  prepared->operation = p->operation;
  note_operation(*p, *p->operation);
  if (gql.is_get && p->operation->operation != graphql::OperationType::kQuery) {
    reply_get_not_allowed(*p, p->operation->operation);
    return;
  }
  if (p->operation->operation == graphql::OperationType::kSubscription) {
    std::vector<graphql::GraphqlError> errors(1);
    errors[0].message = "Subscriptions are not supported by this router yet.";
    reply_graphql_errors(*p, errors, ErrorCode::kOperationNotSupported);
    return;
  }

  // 5. Variables, then the canonical operation the plan cache is keyed by.
  const JsonValue* inputs = gql.variables.is_null() ? nullptr : &gql.variables;
  p->variables = graphql::coerce_variable_values(schema, *p->operation, inputs, p->arena, report);
  if (p->variables == nullptr) {
    reply_graphql_errors(*p, report.errors(), ErrorCode::kVariableCoercionFailed);
    return;
  }
  graphql::JsonConditionVariables conditions(*p->variables);
  // @skip/@include on variables stay in the operation: one plan (with Include/Skip nodes)
  // serves every value, and the executor evaluates them when it writes the response.
  graphql::NormalizeOptions normalize_options;
  normalize_options.keep_variable_conditions = true;
  p->normalized = graphql::normalize(schema, *p->document, *p->operation, conditions,
                                     prepared->arena, report, normalize_options);
  if (!p->normalized.ok()) {
    reply_graphql_errors(*p, report.errors(), ErrorCode::kGraphqlValidationFailed);
    return;
  }
  prepared->normalized = p->normalized;
  std::vector<const graphql::SelectionSet*> seen;
  collect_condition_variables(p->normalized.operation->selection_set, seen,
                              prepared->condition_variables);

  // 6. Plan (cached per snapshot). Root introspection fields are the router's own: they are
  // left out of the plan and the execution and merged into the response afterwards.
  const graphql::SelectionSet* root = p->normalized.operation->selection_set;
  const graphql::SelectionSet* executable_root = strip_introspection(root, prepared->arena);
  p->executable = p->normalized.operation;
  if (executable_root != root) {
    p->has_introspection = prepared->has_introspection = true;
    if (executable_root->selections.empty()) {
      prepared->introspection_only = true;
      prepared->executable = p->executable;
      prepared->operation_hash = operation_hash(graphql::operation_cache_key(p->normalized).text);
      p->record.operation_hash = prepared->operation_hash;
      p->record.normalized_operation = p->normalized.operation;
      p->record.schema = &schema;
      p->snapshot->operation_cache().insert(prepared_hash, prepared->text, prepared,
                                            prepared->bytes());
      finish(p, empty_data());
      return;
    }
    auto* op = prepared->arena.make<graphql::OperationDefinition>(*p->normalized.operation);
    op->selection_set = const_cast<graphql::SelectionSet*>(executable_root);
    p->executable = op;
  }
  prepared->executable = p->executable;
  graphql::NormalizedOperation executed = p->normalized;  // the key of what is planned
  executed.operation = const_cast<graphql::OperationDefinition*>(p->executable);
  graphql::OperationCacheKey key = graphql::operation_cache_key(executed);
  prepared->operation_hash = operation_hash(key.text);
  p->record.operation_hash = prepared->operation_hash;
  p->record.normalized_operation = p->normalized.operation;
  p->record.schema = &schema;
  const federation::Supergraph& supergraph = p->snapshot->supergraph();
  const graphql::OperationDefinition& normalized_op = *p->executable;
  enter_stage(*p, &p->record.plan);
  bool planned = false;
  Result<planner::PlanCache::PlanPtr> plan =
      p->snapshot->plan_cache().get_or_plan(key, [&]() -> Result<planner::PlanCache::PlanPtr> {
        planned = true;
        return planner::plan_operation(supergraph, normalized_op);
      });
  p->record.plan_cache_hit = !planned;
  if (!plan.ok()) {
    log::warn("query planning failed: {}", plan.status().to_string());
    std::vector<graphql::GraphqlError> errors(1);
    errors[0].message = plan.status().message();
    errors[0].code = plan.status().code();
    reply_graphql_errors(*p, errors, ErrorCode::kQueryPlanningFailed,
                         plan.status().code() == ErrorCode::kLimitExceeded ? 400 : 500);
    return;
  }
  p->plan = prepared->plan = std::move(*plan);
  p->snapshot->operation_cache().insert(prepared_hash, prepared->text, prepared, prepared->bytes());
  execute_plan(p, fetchers_, config_, request_ref.headers, inbound_.get());
}

}  // namespace orbit::router
