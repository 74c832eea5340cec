#include "orbit/executor/executor.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "orbit/base/hash.h"
#include "orbit/base/json_writer.h"
#include "orbit/executor/response_tree.h"
#include "representations.h"
#include "response_writer.h"
#include "tree_builder.h"

namespace orbit::executor {
namespace {

using graphql::GraphqlError;
using graphql::InlineFragment;
using graphql::Kind;
using graphql::PathElement;
using graphql::Selection;
using graphql::SelectionSet;
using planner::ConditionNode;
using planner::FetchNode;
using planner::FlattenNode;
using planner::ParallelNode;
using planner::PathSegment;
using planner::PlanNode;
using planner::PlanNodeKind;
using planner::SequenceNode;

class Execution;

// Undoes one planner alias (planner::OutputRewrite) in a fetch's data, below `value`.
void rename_field(Arena& arena, RValue& value, const planner::OutputRewrite& r, size_t depth) {
  if (value.is_array()) {
    for (uint32_t i = 0; i < value.size; ++i)
      rename_field(arena, value.items[i], r, depth);
    return;
  }
  if (!value.is_object()) return;
  RObject* object = value.object;
  if (depth < r.path.size()) {
    if (RValue* child = object->find(r.path[depth])) rename_field(arena, *child, r, depth + 1);
    return;
  }
  for (uint32_t i = 0; i < object->size; ++i) {
    if (object->fields[i].key_view() != r.alias) continue;
    if (RValue* existing = object->find(r.key)) {
      // The object matched fragments on both sides (an interface and its implementation).
      merge_value(arena, existing, object->fields[i].value);
      std::memmove(&object->fields[i], &object->fields[i + 1],
                   sizeof(RField) * (object->size - i - 1));
      --object->size;
    } else {
      object->fields[i].key = r.key.data();
      object->fields[i].key_len = static_cast<uint32_t>(r.key.size());
    }
    return;
  }
}

void undo_aliases(Arena& arena, RValue& data, const FetchNode& node) {
  for (const planner::OutputRewrite& r : node.output_rewrites)
    rename_field(arena, data, r, 0);
}

// Continuations of the plan walk live in the execution's arena (no destructor runs: they
// own nothing). A node reports completion by calling its parent's child_done() exactly once.
struct Waiter {
  virtual void child_done() = 0;
};

struct SequenceFrame final : Waiter {
  Execution* exec;
  std::span<PlanNode* const> nodes;
  Path path;
  Waiter* parent;
  size_t next = 0;
  void child_done() override;
};

struct ParallelFrame final : Waiter {
  Waiter* parent;
  size_t pending;
  void child_done() override {
    if (--pending == 0) parent->child_done();
  }
};

struct RootFrame final : Waiter {
  Execution* exec;
  void child_done() override;
};

struct FetchFrame {
  Execution* exec;
  const FetchNode* node;
  Path path;
  Waiter* parent;
  Positions* positions;  // entity fetches; owned by the Execution
};

// Owned by shared pointers: the caller of execute() while it runs, and every callback handed
// to the fetcher (fetch answers, deferred flushes). The last one dropped frees it — after the
// response, or when a fetcher is destroyed with answers it will never give (shutdown), in
// which case `done` is never called and nothing leaks.
class Execution : public std::enable_shared_from_this<Execution> {
 public:
  Execution(const planner::QueryPlan& plan, const graphql::OperationDefinition& operation,
            const graphql::Schema& schema, JsonValue variables, SubgraphFetcher& fetcher,
            Arena& arena, DoneCallback done, const ExecuteOptions& options)
      : plan_(plan),
        operation_(operation),
        schema_(schema),
        variables_(variables),
        fetcher_(fetcher),
        arena_(arena),
        done_(std::move(done)),
        options_(options) {
    root_ = arena_.make<RObject>();
  }

  void start() {
    enter();
    auto* frame = arena_.make<RootFrame>();
    frame->exec = this;
    if (plan_.root() == nullptr) {
      frame->child_done();
    } else {
      run(plan_.root(), {}, frame);
    }
    leave();
  }

  void run(const PlanNode* node, Path path, Waiter* parent);
  // Every node is done: the response is written when the current turn ends.
  void finish() { finished_ = true; }

 private:
  // A fetch whose request is built, waiting for the end of the turn to be sent.
  struct Queued {
    FetchFrame* frame;
    std::string body;  // the request as sent alone
    // Entity fetches: where the representations are in `body` (comma-separated).
    size_t reps_begin = 0;
    size_t reps_end = 0;
  };
  // What a subgraph answered, checked: `data` an object when present, `errors` an array.
  struct Answer {
    bool has_data = false;
    simdjson::dom::element data;
    std::vector<simdjson::dom::element> errors;
  };

  // A turn is everything one call into the execution does (start, or one answer). Fetches
  // started during a turn are queued; when merging, they are sent once the answers that
  // arrived together have all been processed (SubgraphFetcher::defer), so the entity fetches
  // to one subgraph that became possible together go in one request. The response is
  // written when the last turn ends.
  void enter() { ++depth_; }
  void leave();
  void flush();
  void send(std::vector<Queued>& batch);
  void send_alone(Queued& q);
  void send_merged(std::span<Queued* const> group);

  void start_fetch(const FetchNode* node, Path path, Waiter* parent);
  void on_response(FetchFrame* frame, Result<SubgraphResponse> result);
  void on_merged_response(std::span<FetchFrame* const> frames, Result<SubgraphResponse> result);
  // Checks an answer's HTTP status, JSON and shape; false after reporting the failure to
  // every frame.
  bool read_answer(std::span<FetchFrame* const> frames, Result<SubgraphResponse>& result,
                   Answer& answer);
  // Merges one fetch's part of an answer: the root data, or the entities under
  // `entities_key` (`_entities`, or the alias of a merged request), and its errors.
  void apply_answer(FetchFrame* frame, const Answer& answer, std::string_view entities_key,
                    std::span<const simdjson::dom::element> errors);
  void complete();

  // Errors.
  void fetch_failed(const FetchFrame& frame, ErrorCode code, std::string reason);
  void map_subgraph_errors(const FetchFrame& frame, std::span<const simdjson::dom::element> errors,
                           std::string_view entities_key);

  const planner::QueryPlan& plan_;
  const graphql::OperationDefinition& operation_;
  const graphql::Schema& schema_;
  JsonValue variables_;
  SubgraphFetcher& fetcher_;
  Arena& arena_;
  DoneCallback done_;
  ExecuteOptions options_;

  RObject* root_;
  std::vector<GraphqlError> errors_;
  std::vector<std::unique_ptr<Positions>> positions_;
  EntityCollector collector_{schema_};
  uint32_t fetch_count_ = 0;
  std::vector<Queued> queued_;
  uint32_t depth_ = 0;
  bool flush_deferred_ = false;
  bool finished_ = false;
};

void SequenceFrame::child_done() {
  if (next == nodes.size()) {
    parent->child_done();
    return;
  }
  const PlanNode* node = nodes[next++];
  exec->run(node, path, this);
}

void RootFrame::child_done() {
  exec->finish();
}

void Execution::run(const PlanNode* node, Path path, Waiter* parent) {
  if (node == nullptr) {
    parent->child_done();
    return;
  }
  switch (node->kind) {
    case PlanNodeKind::kFetch:
      start_fetch(static_cast<const FetchNode*>(node), path, parent);
      return;
    case PlanNodeKind::kSequence: {
      auto* frame = arena_.make<SequenceFrame>();
      frame->exec = this;
      frame->nodes = static_cast<const SequenceNode*>(node)->nodes;
      frame->path = path;
      frame->parent = parent;
      frame->child_done();
      return;
    }
    case PlanNodeKind::kParallel: {
      const auto* p = static_cast<const ParallelNode*>(node);
      auto* frame = arena_.make<ParallelFrame>();
      frame->parent = parent;
      // One extra count held while the branches are started, so that branches completing
      // synchronously cannot finish the node before every branch was issued.
      frame->pending = p->nodes.size() + 1;
      for (const PlanNode* child : p->nodes)
        run(child, path, frame);
      frame->child_done();
      return;
    }
    case PlanNodeKind::kFlatten: {
      const auto* f = static_cast<const FlattenNode*>(node);
      Path full = f->path;
      if (!path.empty()) {
        // A Flatten below a Flatten: the inner path continues the outer one.
        std::vector<PathSegment> joined(path.begin(), path.end());
        joined.insert(joined.end(), f->path.begin(), f->path.end());
        full = arena_.copy_span(std::span<const PathSegment>(joined));
      }
      run(f->node, full, parent);
      return;
    }
    case PlanNodeKind::kCondition: {
      const auto* c = static_cast<const ConditionNode*>(node);
      const JsonValue* v = variables_.find(c->variable);
      bool value = v != nullptr && v->as_bool();
      run(value ? c->if_clause : c->else_clause, path, parent);
      return;
    }
  }
  parent->child_done();
}

void Execution::start_fetch(const FetchNode* node, Path path, Waiter* parent) {
  std::string body;
  body.reserve(node->operation.size() + 256);
  body += "{\"query\":";
  append_json_string(body, node->operation);
  if (!node->operation_name.empty()) {
    body += ",\"operationName\":";
    append_json_string(body, node->operation_name);
  }
  Positions* positions = nullptr;
  bool has_variables = false;
  size_t reps_begin = 0;
  size_t reps_end = 0;
  if (node->is_entity_fetch()) {
    positions_.push_back(std::make_unique<Positions>());
    positions = positions_.back().get();
    body += ",\"variables\":{\"representations\":[";
    reps_begin = body.size();
    if (!collector_.collect(root_, path, node->requires_selection, node->representation_typenames,
                            body, *positions)) {
      // Nothing to fetch (no object at the path, or none with its keys): the fields stay
      // missing, which reads as null.
      parent->child_done();
      return;
    }
    reps_end = body.size();
    body += ']';
    has_variables = true;
  }
  for (std::string_view name : node->variable_usages) {
    const JsonValue* v = variables_.find(name);
    if (v == nullptr) continue;  // not provided and no default: absent, as the client sent it
    body += has_variables ? "," : ",\"variables\":{";
    has_variables = true;
    append_json_string(body, name);
    body += ':';
    JsonWriter w(body);
    write_json(*v, w);
  }
  if (has_variables) body += '}';
  body += '}';

  auto* frame = arena_.make<FetchFrame>();
  *frame = FetchFrame{this, node, path, parent, positions};
  queued_.push_back(Queued{frame, std::move(body), reps_begin, reps_end});
}

void Execution::leave() {
  if (depth_ == 1 && !queued_.empty() && !flush_deferred_) {
    if (options_.merge_entity_fetches) {
      // Later: answers that arrived together with this one may add fetches to the batch.
      flush_deferred_ = true;
      fetcher_.defer([self = shared_from_this()] {
        self->flush_deferred_ = false;
        self->enter();
        self->flush();
        self->leave();
      });
    } else {
      flush();
    }
  }
  if (--depth_ == 0 && finished_) complete();
}

void Execution::flush() {
  // Answers that arrive while sending (a fetcher may answer at once) run nested turns; what
  // they queue is sent by this loop.
  while (!queued_.empty()) {
    std::vector<Queued> batch = std::move(queued_);
    queued_.clear();
    send(batch);
  }
}

void Execution::send(std::vector<Queued>& batch) {
  if (!options_.merge_entity_fetches || batch.size() == 1) {
    for (Queued& q : batch)
      send_alone(q);
    return;
  }
  std::vector<bool> taken(batch.size(), false);
  std::vector<Queued*> group;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (taken[i]) continue;
    const FetchNode* node = batch[i].frame->node;
    group.assign(1, &batch[i]);
    if (node->is_entity_fetch() && !node->entities_selection.empty()) {
      for (size_t j = i + 1; j < batch.size(); ++j) {
        const FetchNode* other = batch[j].frame->node;
        if (!taken[j] && other->is_entity_fetch() && !other->entities_selection.empty() &&
            other->subgraph == node->subgraph) {
          taken[j] = true;
          group.push_back(&batch[j]);
        }
      }
    }
    if (group.size() == 1) {
      send_alone(batch[i]);
    } else {
      send_merged(group);
    }
  }
}

void Execution::send_alone(Queued& q) {
  FetchFrame* frame = q.frame;
  ++fetch_count_;
  fetcher_.fetch(
      SubgraphRequest{frame->node->subgraph, frame->node->operation_kind, std::move(q.body)},
      [self = shared_from_this(), frame](Result<SubgraphResponse> r) {
        self->on_response(frame, std::move(r));
      });
}

// One request for several entity fetches to one subgraph: each fetch's `_entities` under an
// alias (`_0`, `_1`, …) with its own representations variable, the client variables they use
// defined once.
//   query($r0:[_Any!]!$r1:[_Any!]!$first:Int){_0:_entities(representations:$r0){…}
//                                            _1:_entities(representations:$r1){…}}
void Execution::send_merged(std::span<Queued* const> group) {
  std::vector<std::string_view> names;  // client variables, in first-use order
  std::string definitions;
  for (const Queued* q : group) {
    const FetchNode* node = q->frame->node;
    for (size_t v = 0; v < node->variable_usages.size(); ++v) {
      std::string_view name = node->variable_usages[v];
      if (std::find(names.begin(), names.end(), name) != names.end()) continue;
      names.push_back(name);
      if (v < node->variable_definitions.size()) definitions += node->variable_definitions[v];
    }
  }
  // A client variable named like a representations variable: send them one by one.
  for (size_t k = 0; k < group.size(); ++k) {
    std::string r = "r" + std::to_string(k);
    if (std::find(names.begin(), names.end(), r) != names.end()) {
      for (Queued* q : group)
        send_alone(*q);
      return;
    }
  }
  std::string query = "query(";
  for (size_t k = 0; k < group.size(); ++k)
    query += "$r" + std::to_string(k) + ":[_Any!]!";
  query += definitions;
  query += "){";
  for (size_t k = 0; k < group.size(); ++k) {
    std::string n = std::to_string(k);
    query += "_" + n + ":_entities(representations:$r" + n + ")";
    query += group[k]->frame->node->entities_selection;
  }
  query += '}';

  std::string body;
  size_t reps = 0;
  for (const Queued* q : group)
    reps += q->reps_end - q->reps_begin;
  body.reserve(query.size() + reps + 64 * group.size() + 64);
  body += "{\"query\":";
  append_json_string(body, query);
  body += ",\"variables\":{";
  for (size_t k = 0; k < group.size(); ++k) {
    if (k) body += ',';
    body += "\"r" + std::to_string(k) + "\":[";
    const Queued* q = group[k];
    body.append(q->body, q->reps_begin, q->reps_end - q->reps_begin);
    body += ']';
  }
  for (std::string_view name : names) {
    const JsonValue* v = variables_.find(name);
    if (v == nullptr) continue;
    body += ',';
    append_json_string(body, name);
    body += ':';
    JsonWriter w(body);
    write_json(*v, w);
  }
  body += "}}";

  std::vector<FetchFrame*> frames;
  for (const Queued* q : group)
    frames.push_back(q->frame);
  std::span<FetchFrame* const> members = arena_.copy_span<FetchFrame*>(frames);
  ++fetch_count_;
  const FetchNode* first = group[0]->frame->node;
  fetcher_.fetch(SubgraphRequest{first->subgraph, graphql::OperationType::kQuery, std::move(body)},
                 [self = shared_from_this(), members](Result<SubgraphResponse> r) {
                   self->on_merged_response(members, std::move(r));
                 });
}

// ---- representations ------------------------------------------------------------------------

// ---- responses ------------------------------------------------------------------------------

void Execution::on_response(FetchFrame* frame, Result<SubgraphResponse> result) {
  enter();
  FetchFrame* frames[1] = {frame};
  Answer answer;
  if (read_answer(frames, result, answer)) apply_answer(frame, answer, "_entities", answer.errors);
  frame->parent->child_done();
  leave();
}

void Execution::on_merged_response(std::span<FetchFrame* const> frames,
                                   Result<SubgraphResponse> result) {
  enter();
  Answer answer;
  if (read_answer(frames, result, answer)) {
    // Every part is merged before any plan node continues: a continuation may send a
    // request whose answer reuses the thread's JSON parser.
    std::vector<std::string> keys;
    for (size_t k = 0; k < frames.size(); ++k) {
      keys.push_back("_" + std::to_string(k));
      apply_answer(frames[k], answer, keys[k], {});
    }
    // Errors in the subgraph's order, each to the fetch whose alias its path starts with; one
    // without such a path is reported once, with the first fetch (and without a path).
    for (const simdjson::dom::element& e : answer.errors) {
      size_t to = 0;
      simdjson::dom::array path;
      std::string_view head;
      if (!e["path"].get(path) && path.size() > 0 && !path.at(0).get(head)) {
        auto it = std::find(keys.begin(), keys.end(), head);
        if (it != keys.end()) to = static_cast<size_t>(it - keys.begin());
      }
      map_subgraph_errors(*frames[to], std::span<const simdjson::dom::element>(&e, 1), keys[to]);
    }
  }
  for (FetchFrame* frame : frames)
    frame->parent->child_done();
  leave();
}

bool Execution::read_answer(std::span<FetchFrame* const> frames, Result<SubgraphResponse>& result,
                            Answer& answer) {
  auto fail = [&](ErrorCode code, const std::string& reason) {
    for (FetchFrame* frame : frames)
      fetch_failed(*frame, code, reason);
    return false;
  };
  if (!result.ok()) {
    const Status& st = result.status();
    return fail(st.code() == ErrorCode::kTimeout ? ErrorCode::kSubrequestTimeout
                                                 : ErrorCode::kSubrequestHttpError,
                st.message().empty() ? std::string(error_code_name(st.code())) : st.message());
  }
  SubgraphResponse& response = result.value();
  if (response.status < 200 || response.status > 299) {
    return fail(ErrorCode::kSubrequestHttpError, "HTTP status " + std::to_string(response.status));
  }
  if (options_.max_subgraph_response_bytes != 0 &&
      response.body.size() > options_.max_subgraph_response_bytes) {
    return fail(ErrorCode::kSubrequestMalformedResponse, "response too large");
  }
  simdjson::dom::element doc;
  // In place when the body has the parser's padding as spare capacity, else copied first.
  static_assert(kSubgraphBodySpareBytes >= simdjson::SIMDJSON_PADDING);
  if (auto error = thread_parser().parse(response.body).get(doc); error) {
    return fail(ErrorCode::kSubrequestMalformedResponse,
                std::string("invalid JSON (") + simdjson::error_message(error) + ")");
  }
  simdjson::dom::object top;
  if (doc.get_object().get(top)) {
    return fail(ErrorCode::kSubrequestMalformedResponse, "the response is not a JSON object");
  }
  simdjson::dom::element errors_el;
  answer.has_data = !top["data"].get(answer.data) && !answer.data.is_null();
  bool has_errors = !top["errors"].get(errors_el) && !errors_el.is_null();
  simdjson::dom::array errors;
  if (has_errors && errors_el.get_array().get(errors)) {
    return fail(ErrorCode::kSubrequestMalformedResponse, "\"errors\" is not an array");
  }
  if (!answer.has_data && !has_errors) {
    return fail(ErrorCode::kSubrequestMalformedResponse,
                "the response has neither \"data\" nor \"errors\"");
  }
  if (answer.has_data && !answer.data.is_object()) {
    return fail(ErrorCode::kSubrequestMalformedResponse, "\"data\" is not an object");
  }
  if (has_errors) {
    for (simdjson::dom::element e : errors)
      answer.errors.push_back(e);
  }
  return true;
}

void Execution::apply_answer(FetchFrame* frame, const Answer& answer, std::string_view entities_key,
                             std::span<const simdjson::dom::element> errors) {
  const FetchNode* node = frame->node;
  if (!node->is_entity_fetch()) {
    if (answer.has_data) {
      RValue data = build_tree(answer.data, arena_);
      undo_aliases(arena_, data, *node);
      merge_object(arena_, root_, *data.object);
    }
    if (!errors.empty()) map_subgraph_errors(*frame, errors, entities_key);
    return;
  }

  const Positions& pos = *frame->positions;
  if (answer.has_data) {
    simdjson::dom::element entities_el;
    simdjson::dom::array entities;
    bool present = !answer.data[entities_key].get(entities_el);
    if (present && !entities_el.get_array().get(entities) && entities.size() == pos.rep_count) {
      std::vector<RValue> items;
      items.reserve(pos.rep_count);
      for (simdjson::dom::element item : entities) {
        items.push_back(build_tree(item, arena_));
        undo_aliases(arena_, items.back(), *node);
      }
      for (size_t k = 0; k < pos.objects.size(); ++k) {
        const RValue& item = items[pos.rep_of[k]];
        // null: the subgraph could not resolve this entity (its error says why, if any).
        if (item.is_object()) merge_object(arena_, pos.objects[k], *item.object);
      }
    } else if (!(!answer.errors.empty() && (!present || entities_el.is_null()))) {
      // A list of the wrong length cannot be mapped back to positions at all.
      fetch_failed(*frame, ErrorCode::kSubrequestMalformedResponse,
                   "expected \"data." + std::string(entities_key) + "\" to be an array of " +
                       std::to_string(pos.rep_count) + " items");
    }
  }
  if (!errors.empty()) map_subgraph_errors(*frame, errors, entities_key);
}

void Execution::fetch_failed(const FetchFrame& frame, ErrorCode code, std::string reason) {
  const FetchNode* node = frame.node;
  GraphqlError error;
  error.message = "HTTP fetch failed from '" + std::string(node->subgraph_name) + "': " + reason;
  if (code == ErrorCode::kSubrequestMalformedResponse) {
    error.message =
        "Invalid response from subgraph '" + std::string(node->subgraph_name) + "': " + reason;
  }
  error.code = code;
  error.extra_extensions = "\"serviceName\":";
  append_json_string(error.extra_extensions, node->subgraph_name);
  // The deepest path covering every value the fetch should have produced: the common
  // prefix of the positions' paths, or the root field of a single-field root fetch.
  if (node->is_entity_fetch()) {
    std::vector<PathElement> prefix;
    bool first = true;
    RValue root = RValue::of_object(root_);
    std::vector<PathElement> trail;
    std::vector<RObject*> objects(frame.positions->objects);
    std::sort(objects.begin(), objects.end());
    collector_.visit(root, frame.path, 0, &trail,
                     [&](RObject* object, std::vector<PathElement>* t) {
                       if (!std::binary_search(objects.begin(), objects.end(), object)) return;
                       if (first) {
                         prefix = *t;
                         first = false;
                         return;
                       }
                       size_t n = 0;
                       while (n < prefix.size() && n < t->size() && prefix[n] == (*t)[n])
                         ++n;
                       prefix.resize(n);
                     });
    error.path = std::move(prefix);
  } else if (node->selection_set != nullptr) {
    const graphql::Field* only = nullptr;
    size_t fields = 0;
    for (const Selection* s : node->selection_set->selections) {
      if (s->kind != Kind::kField) continue;
      const auto* f = static_cast<const graphql::Field*>(s);
      if (f->name.value == "__typename") continue;
      only = f;
      ++fields;
    }
    if (fields == 1) error.path.push_back(PathElement::field(only->response_key()));
  }
  errors_.push_back(std::move(error));
}

void Execution::map_subgraph_errors(const FetchFrame& frame,
                                    std::span<const simdjson::dom::element> errors,
                                    std::string_view entities_key) {
  const FetchNode* node = frame.node;
  // Entity fetches: representation index -> response paths of its positions.
  std::vector<std::vector<std::vector<PathElement>>> rep_paths;
  bool rep_paths_built = false;
  for (simdjson::dom::element e : errors) {
    GraphqlError error;
    std::string_view message;
    if (e["message"].get(message)) message = "Subgraph error without a message";
    error.message = std::string(message);
    // Extensions: the subgraph's members, its code or DOWNSTREAM_SERVICE_ERROR, and
    // serviceName.
    simdjson::dom::object ext;
    bool has_code = false;
    if (!e["extensions"].get(ext)) {
      for (simdjson::dom::key_value_pair kv : ext) {
        if (kv.key == "serviceName") continue;
        if (kv.key == "code") has_code = true;
        if (!error.extra_extensions.empty()) error.extra_extensions += ',';
        append_json_string(error.extra_extensions, kv.key);
        error.extra_extensions += ':';
        error.extra_extensions += simdjson::minify(kv.value);
      }
    }
    if (!has_code) error.code = ErrorCode::kDownstreamServiceError;
    if (!error.extra_extensions.empty()) error.extra_extensions += ',';
    error.extra_extensions += "\"serviceName\":";
    append_json_string(error.extra_extensions, node->subgraph_name);

    std::vector<PathElement> path;
    simdjson::dom::array path_el;
    bool path_ok = !e["path"].get(path_el);
    if (path_ok) {
      for (simdjson::dom::element p : path_el) {
        std::string_view key;
        int64_t index;
        if (!p.get(key)) {
          path.push_back(PathElement::field(key));
        } else if (!p.get(index) && index >= 0) {
          path.push_back(PathElement::list_index(index));
        } else {
          path_ok = false;
          break;
        }
      }
    }
    if (!path_ok) path.clear();

    if (!node->is_entity_fetch()) {
      error.path = std::move(path);
      errors_.push_back(std::move(error));
      continue;
    }
    // ["_entities", i, rest...] -> every position of representation i, followed by rest.
    if (path.size() < 2 || path[0].key != entities_key || !path[1].is_index() ||
        path[1].index >= frame.positions->rep_count) {
      errors_.push_back(std::move(error));  // no usable path: reported without one
      continue;
    }
    if (!rep_paths_built) {
      rep_paths_built = true;
      rep_paths.resize(frame.positions->rep_count);
      std::vector<std::pair<RObject*, uint32_t>> objects;
      for (size_t k = 0; k < frame.positions->objects.size(); ++k)
        objects.emplace_back(frame.positions->objects[k], frame.positions->rep_of[k]);
      std::sort(objects.begin(), objects.end());
      RValue root = RValue::of_object(root_);
      std::vector<PathElement> trail;
      collector_.visit(root, frame.path, 0, &trail,
                       [&](RObject* object, std::vector<PathElement>* t) {
                         auto it = std::lower_bound(objects.begin(), objects.end(),
                                                    std::pair<RObject*, uint32_t>(object, 0));
                         if (it == objects.end() || it->first != object) return;
                         rep_paths[it->second].push_back(*t);
                       });
    }
    const auto& targets = rep_paths[static_cast<size_t>(path[1].index)];
    for (size_t t = 0; t < targets.size(); ++t) {
      GraphqlError copy = t + 1 == targets.size() ? std::move(error) : error;
      copy.path = targets[t];
      copy.path.insert(copy.path.end(), path.begin() + 2, path.end());
      errors_.push_back(std::move(copy));
    }
  }
}

// The size of the last response of a plan on this thread (direct-mapped by the plan's
// address): the next response of the plan is reserved at once instead of growing through
// every power of two (an 88 KB answer would be copied five times).
size_t& response_size_hint(const planner::QueryPlan* plan) {
  struct Slot {
    const planner::QueryPlan* plan = nullptr;
    size_t bytes = 0;
  };
  thread_local Slot slots[16];
  Slot& slot = slots[(reinterpret_cast<uintptr_t>(plan) >> 6) % 16];
  if (slot.plan != plan) slot = Slot{plan, 0};
  return slot.bytes;
}

void Execution::complete() {
  Response response;
  response.fetch_count = fetch_count_;
  std::string& out = response.body;
  size_t& hint = response_size_hint(&plan_);
  // At most 4 MB ahead of need: one huge answer must not make every later one costly.
  out.reserve(std::clamp<size_t>(hint + hint / 16, 4096, size_t{4} << 20));
  out += "{\"data\":";
  response.data_is_null = !write_data(out, root_, operation_, schema_, variables_, arena_, errors_);
  if (!errors_.empty()) {
    out += ",\"errors\":";
    JsonWriter w(out);
    w.begin_array();
    for (const GraphqlError& e : errors_)
      e.write_json(w);
    w.end_array();
  }
  out += '}';
  hint = out.size();
  response.errors = std::move(errors_);
  DoneCallback done = std::move(done_);
  // The execution ends here: nothing of it is touched after `done`, which may destroy the
  // arena or start another execution. The last owner (the callback running now, or execute())
  // frees it afterwards; its destructor touches no arena memory.
  done(std::move(response));
}

}  // namespace

void execute(const planner::QueryPlan& plan, const graphql::OperationDefinition& operation,
             const graphql::Schema& api_schema, JsonValue variables, SubgraphFetcher& fetcher,
             Arena& arena, DoneCallback done, const ExecuteOptions& options) {
  auto exec = std::make_shared<Execution>(plan, operation, api_schema, variables, fetcher, arena,
                                          std::move(done), options);
  exec->start();
}

}  // namespace orbit::executor
