#include "orbit/controlplane/api_handler.h"

#include <charconv>
#include <chrono>
#include <optional>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/base/log.h"
#include "orbit/controlplane/audit_log.h"
#include "orbit/controlplane/auth.h"
#include "orbit/controlplane/static_files.h"
#include "orbit/controlplane/usage_api.h"
#include "orbit/controlplane/user_routes.h"
#include "orbit/registry/validation.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/encoding.h"
#include "orbit/security/graph_token.h"

#include "http_json.h"

namespace orbit::controlplane {
namespace {

using http_json::int_param;
using http_json::kMaxPageLimit;
using http_json::page_json;
using http_json::page_of;
using http_json::query_param;
using registry::api_error;
using registry::ApiCode;
using registry::ApiError;
using registry::Caller;
using registry::Expected;
using registry::Role;

// ---- responses

ApiResponse json_response(int status, std::string body) {
  ApiResponse r;
  r.status = status;
  r.headers.set("Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

ApiResponse error_response(const ApiError& error) {
  return json_response(registry::api_code_http_status(error.code), error.to_json());
}

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s.substr(0, 64));
  return out;
}

// ---- request bodies

// A JSON object body read field by field; finish() refuses keys nobody asked for.
class Body {
 public:
  static Expected<Body> parse(const std::string& text) {
    Body body;
    if (text.empty()) return api_error(ApiCode::kInvalidJson, "the request needs a JSON body");
    JsonParseOptions options;
    options.max_depth = 16;
    auto value = parse_json(text, *body.arena_, options);
    if (!value.ok())
      return api_error(ApiCode::kInvalidJson, "the body is not JSON: " + value.status().message());
    if (!value->is_object())
      return api_error(ApiCode::kInvalidJson, "the body must be a JSON object");
    body.root_ = *value;
    return body;
  }

  const JsonValue* get(std::string_view key) {
    used_.emplace_back(key);
    const JsonValue* v = root_.find(key);
    return (v == nullptr || v->is_null()) ? nullptr : v;
  }
  bool present(std::string_view key) const { return root_.find(key) != nullptr; }

  Expected<std::optional<std::string>> string(std::string_view key, bool required) {
    const JsonValue* v = get(key);
    if (v == nullptr) {
      if (required) return missing(key);
      return std::optional<std::string>();
    }
    if (!v->is_string()) return wrong(key, "a string");
    return std::optional<std::string>(std::string(v->as_string()));
  }

  Expected<std::optional<std::vector<std::string>>> strings(std::string_view key) {
    const JsonValue* v = get(key);
    if (v == nullptr) return std::optional<std::vector<std::string>>();
    if (!v->is_array()) return wrong(key, "an array of strings");
    std::vector<std::string> out;
    for (const JsonValue& item : v->items()) {
      if (!item.is_string()) return wrong(key, "an array of strings");
      out.emplace_back(item.as_string());
    }
    return std::optional<std::vector<std::string>>(std::move(out));
  }

  Expected<std::optional<registry::Labels>> labels(std::string_view key) {
    const JsonValue* v = get(key);
    if (v == nullptr) return std::optional<registry::Labels>();
    if (v->is_string()) {
      auto parsed = registry::parse_labels(key, v->as_string());
      if (!parsed.ok()) return parsed.error();
      return std::optional<registry::Labels>(*parsed);
    }
    if (!v->is_object()) return wrong(key, "an object of strings or \"key=value,…\"");
    registry::Labels out;
    for (const JsonMember& m : v->members()) {
      if (!m.value.is_string())
        return api_error(
            ApiCode::kInvalidArgument,
            std::string(key) + "." + std::string(m.key).substr(0, 64) + ": expected a string");
      out[std::string(m.key)] = std::string(m.value.as_string());
    }
    if (out.size() > registry::kMaxLabels)
      return api_error(
          ApiCode::kInvalidArgument,
          std::string(key) + ": more than " + std::to_string(registry::kMaxLabels) + " labels");
    return std::optional<registry::Labels>(std::move(out));
  }

  Expected<std::optional<int64_t>> integer(std::string_view key) {
    const JsonValue* v = get(key);
    if (v == nullptr) return std::optional<int64_t>();
    if (!v->is_int64()) return wrong(key, "an integer");
    return std::optional<int64_t>(v->as_int64());
  }

  registry::Outcome finish() const {
    for (const JsonMember& m : root_.members()) {
      bool known = false;
      for (const auto& k : used_)
        known = known || k == m.key;
      if (!known) return api_error(ApiCode::kInvalidArgument, "unknown key " + quoted(m.key));
    }
    return registry::Done{};
  }

 private:
  Body() : arena_(std::make_shared<Arena>()) {}
  static ApiError missing(std::string_view key) {
    return api_error(ApiCode::kInvalidArgument, std::string(key) + ": required");
  }
  static ApiError wrong(std::string_view key, std::string_view what) {
    return api_error(ApiCode::kInvalidArgument,
                     std::string(key) + ": expected " + std::string(what));
  }
  std::shared_ptr<Arena> arena_;
  JsonValue root_;
  std::vector<std::string> used_;
};

// ---- query strings

// A page whose items are rendered by `item_json` (item, &error) -> JSON text, empty when it
// failed: the first failure is the answer.
template <typename T, typename F>
ApiResponse page_response(const registry::Page<T>& page, F item_json) {
  ApiError error;
  bool failed = false;
  std::string out = page_json(page, [&](JsonWriter& w, const T& t) {
    std::string item = failed ? std::string() : item_json(t, &error);
    if (item.empty()) {
      failed = true;
      w.null();
    } else {
      w.raw(item);
    }
  });
  if (failed) return error_response(error);
  return json_response(200, out);
}

void nullable(JsonWriter& w, const std::string& s) {
  if (s.empty())
    w.null();
  else
    w.string(s);
}

// ---- records as JSON

void write_org(JsonWriter& w, const registry::Organization& o) {
  w.begin_object().key("name").string(o.name).key("createdAt").string(o.created_at).end_object();
}

void write_key(JsonWriter& w, const registry::ApiKey& k) {
  w.begin_object();
  w.key("id").string(k.id);
  w.key("name").string(k.name);
  w.key("role").string(registry::role_name(k.role));
  w.key("createdAt").string(k.created_at);
  w.key("lastUsedAt");
  nullable(w, k.last_used_at);
  w.end_object();
}

void write_namespace(JsonWriter& w, const registry::Namespace& n) {
  w.begin_object().key("name").string(n.name).key("createdAt").string(n.created_at).end_object();
}

void write_composition(JsonWriter& w, const std::string& graph, const std::string& ns,
                       const registry::Composition& c, bool detail) {
  w.begin_object();
  w.key("id").integer(c.id);
  w.key("graph").string(graph);
  w.key("namespace").string(ns);
  w.key("status").string(c.succeeded ? "succeeded" : "failed");
  w.key("createdAt").string(c.created_at);
  w.key("trigger").string(c.trigger);
  w.key("subgraphs").raw(c.subgraphs_json);
  w.key("errors").raw(c.errors_json);
  w.key("hints").raw(c.hints_json);
  w.key("artifactVersion");
  nullable(w, c.artifact_version);
  if (detail) {
    w.key("supergraphSdl");
    nullable(w, c.supergraph_sdl);
  }
  w.end_object();
}

void write_token(JsonWriter& w, const registry::GraphToken& t) {
  w.begin_object();
  w.key("id").string(t.id);
  w.key("name").string(t.name);
  w.key("createdAt").string(t.created_at);
  w.key("expiresAt");
  nullable(w, t.expires_at);
  w.key("revokedAt");
  nullable(w, t.revoked_at);
  w.end_object();
}

void write_version(JsonWriter& w, const registry::SchemaVersion& v, bool with_sdl) {
  w.begin_object();
  w.key("version").integer(v.version);
  w.key("sha256").string(v.sha256);
  w.key("createdAt").string(v.created_at);
  if (with_sdl) w.key("sdl").string(v.sdl);
  w.end_object();
}

int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- the request in hand

struct Context {
  const net::HttpRequest& request;
  std::vector<std::string_view> segments;  // after /v1/
  std::string_view query;
  std::optional<Caller> caller;
};

bool role_at_least(Role have, Role need) {
  auto rank = [](Role r) { return r == Role::kViewer ? 0 : r == Role::kDeveloper ? 1 : 2; };
  return rank(have) >= rank(need);
}

}  // namespace

class ApiRoutes {
 public:
  ApiRoutes(registry::Registry& registry, Context& ctx, const UsageOptions& usage)
      : reg_(registry), ctx_(ctx), usage_(usage) {}

  ApiResponse route();

 private:
  registry::Store& store() { return reg_.store(); }
  const Caller& caller() const { return *ctx_.caller; }
  const std::string& method() const { return ctx_.request.method; }
  size_t n() const { return ctx_.segments.size(); }
  std::string seg(size_t i) const { return std::string(ctx_.segments[i]); }

  Expected<registry::Done> need(Role role) {
    if (!role_at_least(caller().key.role, role))
      return api_error(ApiCode::kPermissionDenied,
                       (caller().user ? "user \"" : "API key \"") + caller().key.name +
                           "\" has the role " +
                           std::string(registry::role_name(caller().key.role)) + "; this needs " +
                           std::string(registry::role_name(role)));
    return registry::Done{};
  }
  ApiResponse not_allowed(std::string allow) {
    ApiResponse r = error_response(api_error(
        ApiCode::kMethodNotAllowed, method().substr(0, 16) + " is not allowed here; use " + allow));
    r.headers.set("Allow", std::move(allow));
    return r;
  }
  Expected<registry::Namespace> ns() {
    std::string name = seg(1);
    if (!registry::check_name("namespace", name).ok())
      return api_error(ApiCode::kNotFound, "no namespace " + quoted(name));
    return reg_.find_namespace(caller(), name);
  }
  Expected<registry::FederatedGraph> graph(const registry::Namespace& n) {
    std::string name = seg(3);
    if (!registry::check_name("graph", name).ok())
      return api_error(ApiCode::kNotFound, "no federated graph " + quoted(name));
    return reg_.find_graph(n, name);
  }
  Expected<registry::Subgraph> subgraph(const registry::Namespace& n) {
    std::string name = seg(3);
    if (!registry::check_name("subgraph", name).ok())
      return api_error(ApiCode::kNotFound, "no subgraph " + quoted(name));
    return reg_.find_subgraph(n, name);
  }

  std::string graph_json(const registry::Namespace& n, const registry::FederatedGraph& g,
                         ApiError* error);
  std::string subgraph_json(const registry::Namespace& n, const registry::Subgraph& s,
                            ApiError* error);
  std::string compositions_json(const registry::Namespace& n,
                                const std::vector<registry::GraphComposition>& list);

  ApiResponse organizations();
  ApiResponse api_keys();
  ApiResponse namespaces();
  ApiResponse graphs(const registry::Namespace& n);
  ApiResponse one_graph(const registry::Namespace& n);
  ApiResponse subgraphs(const registry::Namespace& n);
  ApiResponse one_subgraph(const registry::Namespace& n);

  registry::Registry& reg_;
  Context& ctx_;
  const UsageOptions& usage_;
};

#define TRY_RESPONSE(expr)                               \
  do {                                                   \
    auto try_ = (expr);                                  \
    if (!try_.ok()) return error_response(try_.error()); \
  } while (0)
#define ASSIGN_OR_RESPOND(var, expr) \
  auto var = (expr);                 \
  if (!var.ok()) return error_response(var.error())

std::string ApiRoutes::graph_json(const registry::Namespace& n, const registry::FederatedGraph& g,
                                  ApiError* error) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("name").string(g.name);
  w.key("namespace").string(n.name);
  w.key("routingUrl").string(g.routing_url);
  w.key("labelMatchers").begin_array();
  for (const auto& m : g.label_matchers)
    w.string(m);
  w.end_array();
  w.key("createdAt").string(g.created_at);
  w.key("updatedAt").string(g.updated_at);
  w.key("cdnPath").string(caller().organization.name + "/" +
                          registry::cdn_graph_name(n.name, g.name));
  auto latest = store().latest_composition(g.id);
  auto served = store().served_composition(g.id);
  if (!latest.ok() || !served.ok()) {
    *error = latest.ok() ? served.error() : latest.error();
    return "";
  }
  w.key("latestComposition");
  if (latest->has_value()) {
    const auto& c = **latest;
    w.begin_object().key("id").integer(c.id);
    w.key("status").string(c.succeeded ? "succeeded" : "failed");
    w.key("createdAt").string(c.created_at);
    w.key("artifactVersion");
    nullable(w, c.artifact_version);
    w.end_object();
  } else {
    w.null();
  }
  w.key("servedComposition");
  if (served->has_value()) {
    const auto& c = **served;
    w.begin_object().key("id").integer(c.id);
    w.key("artifactVersion").string(c.artifact_version);
    w.key("createdAt").string(c.created_at);
    w.end_object();
  } else {
    w.null();
  }
  w.end_object();
  return out;
}

std::string ApiRoutes::subgraph_json(const registry::Namespace& n, const registry::Subgraph& s,
                                     ApiError* error) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("name").string(s.name);
  w.key("namespace").string(n.name);
  w.key("routingUrl").string(s.routing_url);
  w.key("subscriptionUrl");
  nullable(w, s.subscription_url);
  w.key("subscriptionProtocol").string(s.subscription_protocol);
  w.key("labels").begin_object();
  for (const auto& [k, v] : s.labels)
    w.key(k).string(v);
  w.end_object();
  w.key("createdAt").string(s.created_at);
  w.key("updatedAt").string(s.updated_at);
  auto latest = store().latest_schema_version(s.id);
  if (!latest.ok()) {
    *error = latest.error();
    return "";
  }
  w.key("latestVersion");
  if (latest->has_value())
    write_version(w, **latest, false);
  else
    w.null();
  w.end_object();
  return out;
}

std::string ApiRoutes::compositions_json(const registry::Namespace& n,
                                         const std::vector<registry::GraphComposition>& list) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (const auto& gc : list)
    write_composition(w, gc.graph, n.name, gc.composition, false);
  w.end_array();
  return out;
}

ApiResponse ApiRoutes::route() {
  const auto& s = ctx_.segments;
  if (n() == 1 && s[0] == "whoami") {
    if (method() != "GET") return not_allowed("GET");
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("organization");
    write_org(w, caller().organization);
    w.key("apiKey");
    if (caller().user)
      w.null().key("user").raw(user_json(*caller().user));
    else
      write_key(w, caller().key);
    w.end_object();
    return json_response(200, out);
  }
  if (n() == 1 && s[0] == "organizations") return organizations();
  if (n() >= 1 && s[0] == "api-keys") return api_keys();
  if (n() >= 1 && s[0] == "namespaces") {
    if (n() <= 2) return namespaces();
    ASSIGN_OR_RESPOND(space, ns());
    if (s[2] == "graphs") {
      if (n() == 3) return graphs(*space);
      return one_graph(*space);
    }
    if (s[2] == "subgraphs") {
      if (n() == 3) return subgraphs(*space);
      return one_subgraph(*space);
    }
    if (s[2] == "checks" && n() == 4) {
      if (method() != "GET") return not_allowed("GET");
      return one_check(reg_, *space, s[3]);
    }
  }
  return error_response(
      api_error(ApiCode::kNotFound, "no such path: " + quoted(ctx_.request.path())));
}

ApiResponse ApiRoutes::organizations() {
  if (method() == "GET") {
    if (!caller().instance_admin)
      return error_response(
          api_error(ApiCode::kPermissionDenied,
                    "only admins of the instance organization list organizations"));
    ASSIGN_OR_RESPOND(page, page_of(ctx_.query));
    ASSIGN_OR_RESPOND(list, store().list_organizations(*page));
    return json_response(200, page_json(*list, write_org));
  }
  if (method() == "POST") {
    ASSIGN_OR_RESPOND(body, Body::parse(ctx_.request.body));
    ASSIGN_OR_RESPOND(name, body->string("name", true));
    TRY_RESPONSE(body->finish());
    ASSIGN_OR_RESPOND(created, reg_.create_organization(caller(), **name));
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("organization");
    write_org(w, created->organization);
    w.key("apiKey");
    write_key(w, created->admin_key.key);
    w.key("secret").string(created->admin_key.secret);
    w.end_object();
    return json_response(201, out);
  }
  return not_allowed("GET, POST");
}

ApiResponse ApiRoutes::api_keys() {
  TRY_RESPONSE(need(Role::kAdmin));
  if (n() == 1) {
    if (method() == "GET") {
      ASSIGN_OR_RESPOND(page, page_of(ctx_.query));
      ASSIGN_OR_RESPOND(list, store().list_api_keys(caller().organization.id, *page));
      return json_response(200, page_json(*list, write_key));
    }
    if (method() == "POST") {
      ASSIGN_OR_RESPOND(body, Body::parse(ctx_.request.body));
      ASSIGN_OR_RESPOND(name, body->string("name", true));
      ASSIGN_OR_RESPOND(role_text, body->string("role", true));
      TRY_RESPONSE(body->finish());
      auto role = registry::parse_role(**role_text);
      if (!role)
        return error_response(
            api_error(ApiCode::kInvalidArgument,
                      "role: expected admin, developer or viewer, got " + quoted(**role_text)));
      ASSIGN_OR_RESPOND(created, reg_.create_api_key(caller(), **name, *role));
      std::string out;
      JsonWriter w(out);
      w.begin_object().key("apiKey");
      write_key(w, created->key);
      w.key("secret").string(created->secret);
      w.end_object();
      return json_response(201, out);
    }
    return not_allowed("GET, POST");
  }
  if (n() == 2) {
    if (method() != "DELETE") return not_allowed("DELETE");
    TRY_RESPONSE(reg_.delete_api_key(caller(), seg(1)));
    return json_response(200, "{\"deleted\":true}");
  }
  return error_response(api_error(ApiCode::kNotFound, "no such path"));
}

ApiResponse ApiRoutes::namespaces() {
  if (n() == 1) {
    if (method() == "GET") {
      ASSIGN_OR_RESPOND(page, page_of(ctx_.query));
      ASSIGN_OR_RESPOND(list, store().list_namespaces(caller().organization.id, *page));
      return json_response(200, page_json(*list, write_namespace));
    }
    if (method() == "POST") {
      TRY_RESPONSE(need(Role::kAdmin));
      ASSIGN_OR_RESPOND(body, Body::parse(ctx_.request.body));
      ASSIGN_OR_RESPOND(name, body->string("name", true));
      TRY_RESPONSE(body->finish());
      ASSIGN_OR_RESPOND(created, reg_.create_namespace(caller(), **name));
      std::string out;
      JsonWriter w(out);
      w.begin_object().key("namespace");
      write_namespace(w, *created);
      w.end_object();
      return json_response(201, out);
    }
    return not_allowed("GET, POST");
  }
  if (method() == "GET") {
    ASSIGN_OR_RESPOND(space, ns());
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("namespace");
    write_namespace(w, *space);
    w.end_object();
    return json_response(200, out);
  }
  if (method() == "DELETE") {
    TRY_RESPONSE(need(Role::kAdmin));
    std::string name = seg(1);
    if (!registry::check_name("namespace", name).ok())
      return error_response(api_error(ApiCode::kNotFound, "no namespace " + quoted(name)));
    TRY_RESPONSE(reg_.delete_namespace(caller(), name));
    return json_response(200, "{\"deleted\":true}");
  }
  return not_allowed("GET, DELETE");
}

ApiResponse ApiRoutes::graphs(const registry::Namespace& space) {
  if (method() == "GET") {
    ASSIGN_OR_RESPOND(page, page_of(ctx_.query));
    ASSIGN_OR_RESPOND(list, store().list_graphs(space.id, *page));
    return page_response(*list, [&](const registry::FederatedGraph& g, ApiError* error) {
      return graph_json(space, g, error);
    });
  }
  if (method() == "POST") {
    TRY_RESPONSE(need(Role::kAdmin));
    ASSIGN_OR_RESPOND(body, Body::parse(ctx_.request.body));
    ASSIGN_OR_RESPOND(name, body->string("name", true));
    ASSIGN_OR_RESPOND(url, body->string("routingUrl", true));
    ASSIGN_OR_RESPOND(matchers, body->strings("labelMatchers"));
    TRY_RESPONSE(body->finish());
    registry::FederatedGraph g;
    g.name = **name;
    g.routing_url = **url;
    if (*matchers) g.label_matchers = **matchers;
    ASSIGN_OR_RESPOND(change, reg_.create_graph(caller(), space, g));
    ApiError error;
    std::string graph = graph_json(space, change->graph, &error);
    if (graph.empty()) return error_response(error);
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("graph").raw(graph).key("composition");
    if (change->composition)
      write_composition(w, change->graph.name, space.name, *change->composition, false);
    else
      w.null();
    w.end_object();
    return json_response(201, out);
  }
  return not_allowed("GET, POST");
}

ApiResponse ApiRoutes::one_graph(const registry::Namespace& space) {
  const auto& s = ctx_.segments;
  ASSIGN_OR_RESPOND(g, graph(space));
  if (n() == 4) {
    if (method() == "GET") {
      ApiError error;
      std::string item = graph_json(space, *g, &error);
      if (item.empty()) return error_response(error);
      return json_response(200, "{\"graph\":" + item + "}");
    }
    if (method() == "PATCH") {
      TRY_RESPONSE(need(Role::kAdmin));
      ASSIGN_OR_RESPOND(body, Body::parse(ctx_.request.body));
      ASSIGN_OR_RESPOND(url, body->string("routingUrl", false));
      ASSIGN_OR_RESPOND(matchers, body->strings("labelMatchers"));
      TRY_RESPONSE(body->finish());
      ASSIGN_OR_RESPOND(change, reg_.update_graph(caller(), space, g->name, *url, *matchers));
      ApiError error;
      std::string item = graph_json(space, change->graph, &error);
      if (item.empty()) return error_response(error);
      std::string out;
      JsonWriter w(out);
      w.begin_object().key("graph").raw(item).key("composition");
      if (change->composition)
        write_composition(w, g->name, space.name, *change->composition, false);
      else
        w.null();
      w.end_object();
      return json_response(200, out);
    }
    if (method() == "DELETE") {
      TRY_RESPONSE(need(Role::kAdmin));
      TRY_RESPONSE(reg_.delete_graph(caller(), space, g->name));
      return json_response(200, "{\"deleted\":true}");
    }
    return not_allowed("GET, PATCH, DELETE");
  }
  std::string_view what = s[4];
  if (what == "subgraphs" && n() == 5) {
    if (method() != "GET") return not_allowed("GET");
    ASSIGN_OR_RESPOND(list, reg_.selected_subgraphs(space, *g));
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("items").begin_array();
    for (const auto& sub : *list) {
      ApiError error;
      std::string item = subgraph_json(space, sub, &error);
      if (item.empty()) return error_response(error);
      w.raw(item);
    }
    w.end_array().end_object();
    return json_response(200, out);
  }
  if (what == "compositions" && n() == 5) {
    if (method() != "GET") return not_allowed("GET");
    ASSIGN_OR_RESPOND(page, page_of(ctx_.query));
    ASSIGN_OR_RESPOND(list, store().list_compositions(g->id, *page));
    return json_response(200, page_json(*list, [&](JsonWriter& w, const registry::Composition& c) {
                           write_composition(w, g->name, space.name, c, false);
                         }));
  }
  if (what == "compositions" && n() == 6) {
    if (method() != "GET") return not_allowed("GET");
    int64_t id = 0;
    std::string text = seg(5);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size())
      return error_response(api_error(ApiCode::kNotFound, "no composition " + quoted(text)));
    ASSIGN_OR_RESPOND(c, store().find_composition(g->id, id));
    if (!c->has_value())
      return error_response(
          api_error(ApiCode::kNotFound, "no composition " + text + " of graph " + quoted(g->name)));
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("composition");
    write_composition(w, g->name, space.name, **c, true);
    w.end_object();
    return json_response(200, out);
  }
  if (what == "config" && n() == 5) {
    if (method() != "GET") return not_allowed("GET");
    ASSIGN_OR_RESPOND(config, reg_.served_config(space, *g));
    ApiResponse r;
    r.headers.set("ETag", config->etag);
    r.headers.set("X-Orbit-Signature", security::signature_header_value(config->signature));
    r.headers.set("Cache-Control", "no-cache");
    auto inm = ctx_.request.headers.get("If-None-Match");
    if (inm && (*inm == config->etag || *inm == "*")) {
      r.status = 304;
      return r;
    }
    r.status = 200;
    r.headers.set("Content-Type", "application/json; charset=utf-8");
    r.body = std::move(config->artifact);
    return r;
  }
  if ((what == "usage" && (n() == 5 || (n() == 6 && s[5] == "fields"))) ||
      (what == "routers" && n() == 5) || (what == "checks" && n() == 5)) {
    if (method() != "GET") return not_allowed("GET");
    int64_t now = security::unix_now();
    if (what == "routers") return graph_routers(reg_, space, *g, usage_, now_unix_ms());
    if (what == "checks") return graph_checks(reg_, *g, ctx_.query);
    if (n() == 6) return graph_field_usage(reg_, *g, ctx_.query, now);
    return graph_usage(reg_, *g, ctx_.query, now);
  }
  if (what == "tokens") {
    if (n() == 5 && method() == "GET") {
      ASSIGN_OR_RESPOND(page, page_of(ctx_.query));
      ASSIGN_OR_RESPOND(list, store().list_graph_tokens(g->id, *page));
      return json_response(200, page_json(*list, write_token));
    }
    if (n() == 5 && method() == "POST") {
      TRY_RESPONSE(need(Role::kAdmin));
      ASSIGN_OR_RESPOND(body, Body::parse(ctx_.request.body));
      ASSIGN_OR_RESPOND(name, body->string("name", true));
      ASSIGN_OR_RESPOND(expires, body->integer("expiresIn"));
      TRY_RESPONSE(body->finish());
      ASSIGN_OR_RESPOND(created, reg_.create_token(caller(), space, *g, **name, *expires));
      std::string out;
      JsonWriter w(out);
      w.begin_object().key("token");
      write_token(w, created->token);
      w.key("secret").string(created->jwt);
      w.end_object();
      return json_response(201, out);
    }
    if (n() == 5) return not_allowed("GET, POST");
    if (n() == 6 && method() == "DELETE") {
      TRY_RESPONSE(need(Role::kAdmin));
      ASSIGN_OR_RESPOND(token, reg_.revoke_token(space, *g, seg(5)));
      std::string out;
      JsonWriter w(out);
      w.begin_object().key("token");
      write_token(w, *token);
      w.end_object();
      return json_response(200, out);
    }
    if (n() == 6) return not_allowed("DELETE");
  }
  return error_response(
      api_error(ApiCode::kNotFound, "no such path: " + quoted(ctx_.request.path())));
}

ApiResponse ApiRoutes::subgraphs(const registry::Namespace& space) {
  if (method() == "GET") {
    ASSIGN_OR_RESPOND(page, page_of(ctx_.query));
    ASSIGN_OR_RESPOND(list, store().list_subgraphs(space.id, *page));
    return page_response(*list, [&](const registry::Subgraph& s, ApiError* error) {
      return subgraph_json(space, s, error);
    });
  }
  if (method() == "POST") {
    TRY_RESPONSE(need(Role::kAdmin));
    ASSIGN_OR_RESPOND(body, Body::parse(ctx_.request.body));
    ASSIGN_OR_RESPOND(name, body->string("name", true));
    ASSIGN_OR_RESPOND(url, body->string("routingUrl", true));
    ASSIGN_OR_RESPOND(labels, body->labels("labels"));
    ASSIGN_OR_RESPOND(sub_url, body->string("subscriptionUrl", false));
    ASSIGN_OR_RESPOND(protocol, body->string("subscriptionProtocol", false));
    TRY_RESPONSE(body->finish());
    registry::Subgraph sub;
    sub.name = **name;
    sub.routing_url = **url;
    if (*labels) sub.labels = **labels;
    if (*sub_url) sub.subscription_url = **sub_url;
    if (*protocol) sub.subscription_protocol = **protocol;
    ASSIGN_OR_RESPOND(created, reg_.create_subgraph(space, sub));
    ApiError error;
    std::string item = subgraph_json(space, *created, &error);
    if (item.empty()) return error_response(error);
    return json_response(201, "{\"subgraph\":" + item + "}");
  }
  return not_allowed("GET, POST");
}

ApiResponse ApiRoutes::one_subgraph(const registry::Namespace& space) {
  const auto& s = ctx_.segments;
  ASSIGN_OR_RESPOND(sub, subgraph(space));
  if (n() == 4) {
    if (method() == "GET") {
      ApiError error;
      std::string item = subgraph_json(space, *sub, &error);
      if (item.empty()) return error_response(error);
      return json_response(200, "{\"subgraph\":" + item + "}");
    }
    if (method() == "PATCH") {
      TRY_RESPONSE(need(Role::kAdmin));
      ASSIGN_OR_RESPOND(body, Body::parse(ctx_.request.body));
      registry::Registry::SubgraphUpdate update;
      ASSIGN_OR_RESPOND(url, body->string("routingUrl", false));
      ASSIGN_OR_RESPOND(labels, body->labels("labels"));
      bool clear_sub_url =
          body->present("subscriptionUrl") && body->get("subscriptionUrl") == nullptr;
      ASSIGN_OR_RESPOND(sub_url, body->string("subscriptionUrl", false));
      ASSIGN_OR_RESPOND(protocol, body->string("subscriptionProtocol", false));
      TRY_RESPONSE(body->finish());
      update.routing_url = *url;
      update.labels = *labels;
      update.subscription_url = *sub_url;
      if (clear_sub_url) update.subscription_url = "";
      update.subscription_protocol = *protocol;
      ASSIGN_OR_RESPOND(updated, reg_.update_subgraph(caller(), space, sub->name, update));
      ApiError error;
      std::string item = subgraph_json(space, updated->first, &error);
      if (item.empty()) return error_response(error);
      return json_response(200, "{\"subgraph\":" + item + ",\"compositions\":" +
                                    compositions_json(space, updated->second) + "}");
    }
    if (method() == "DELETE") {
      TRY_RESPONSE(need(Role::kAdmin));
      ASSIGN_OR_RESPOND(compositions, reg_.delete_subgraph(caller(), space, sub->name));
      return json_response(200, "{\"deleted\":true,\"compositions\":" +
                                    compositions_json(space, *compositions) + "}");
    }
    return not_allowed("GET, PATCH, DELETE");
  }
  std::string_view what = s[4];
  if ((what == "publish" || what == "check") && n() == 5) {
    if (method() != "POST") return not_allowed("POST");
    TRY_RESPONSE(need(Role::kDeveloper));
    ASSIGN_OR_RESPOND(body, Body::parse(ctx_.request.body));
    ASSIGN_OR_RESPOND(sdl, body->string("sdl", true));
    std::optional<int64_t> window;
    if (what == "check") {
      ASSIGN_OR_RESPOND(days, body->integer("usageWindowDays"));
      window = *days;
    }
    TRY_RESPONSE(body->finish());
    if (what == "check") {
      ASSIGN_OR_RESPOND(result, reg_.check(space, sub->name, **sdl, window.value_or(7)));
      return json_response(200, result->json);
    }
    ASSIGN_OR_RESPOND(result, reg_.publish(caller(), space, sub->name, **sdl));
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("subgraph").string(result->subgraph);
    w.key("namespace").string(result->ns);
    w.key("schemaVersion");
    write_version(w, result->version, false);
    w.key("unchanged").boolean(result->unchanged);
    w.key("compositions").raw(compositions_json(space, result->compositions));
    w.end_object();
    if (result->all_succeeded()) return json_response(200, out);
    std::string failed;
    for (const auto& c : result->compositions)
      if (!c.composition.succeeded) failed += (failed.empty() ? "" : ", ") + c.graph;
    ApiError error = api_error(ApiCode::kCompositionFailed,
                               "schema version " + std::to_string(result->version.version) +
                                   " of " + sub->name + " is stored, but " + failed +
                                   " did not compose; the previous config stays in service");
    error.details_json = out;
    return error_response(error);
  }
  if (what == "checks" && n() == 5) {
    if (method() != "GET") return not_allowed("GET");
    return subgraph_checks(reg_, *sub, ctx_.query);
  }
  if (what == "versions" && n() == 5) {
    if (method() != "GET") return not_allowed("GET");
    ASSIGN_OR_RESPOND(page, page_of(ctx_.query));
    ASSIGN_OR_RESPOND(list, store().list_schema_versions(sub->id, *page));
    return json_response(200, page_json(*list, [](JsonWriter& w, const registry::SchemaVersion& v) {
                           write_version(w, v, false);
                         }));
  }
  if (what == "versions" && n() == 6) {
    if (method() != "GET") return not_allowed("GET");
    int64_t number = 0;
    std::string text = seg(5);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end != text.data() + text.size())
      return error_response(api_error(ApiCode::kNotFound, "no version " + quoted(text)));
    ASSIGN_OR_RESPOND(v, store().find_schema_version(sub->id, number));
    if (!v->has_value())
      return error_response(api_error(ApiCode::kNotFound,
                                      "subgraph " + quoted(sub->name) + " has no version " + text));
    std::string out;
    JsonWriter w(out);
    write_version(w, **v, true);
    return json_response(200, out);
  }
  if (what == "changelog" && n() == 5) {
    if (method() != "GET") return not_allowed("GET");
    ASSIGN_OR_RESPOND(from, int_param(ctx_.query, "from", 0, INT32_MAX));
    ASSIGN_OR_RESPOND(to, int_param(ctx_.query, "to", 1, INT32_MAX));
    ASSIGN_OR_RESPOND(log, reg_.changelog(*sub, from->value_or(-1), to->value_or(0)));
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("from").integer(log->from).key("to").integer(log->to);
    w.key("changes").raw(registry::changes_json(log->changes)).end_object();
    return json_response(200, out);
  }
  return error_response(
      api_error(ApiCode::kNotFound, "no such path: " + quoted(ctx_.request.path())));
}

ApiHandler::ApiHandler(registry::Registry& registry, UsageOptions usage)
    : registry_(registry),
      usage_(usage),
      auth_(std::make_unique<StudioAuth>(registry, AuthOptions{})) {}
ApiHandler::~ApiHandler() = default;

void ApiHandler::set_studio(const AuthOptions& auth, const std::string& studio_dir) {
  auth_ = std::make_unique<StudioAuth>(registry_, auth);
  static_files_ = studio_dir.empty() ? nullptr : std::make_unique<StaticFiles>(studio_dir);
}

ApiResponse ApiHandler::handle(const net::HttpRequest& request) {
  auto started = std::chrono::steady_clock::now();
  uint64_t number = ++requests_;
  std::string request_id = "r" + std::to_string(number);
  std::string_view path = request.path();
  Context ctx{request, {}, request.query(), std::nullopt};

  ApiResponse response = [&]() -> ApiResponse {
    if (path == "/health" || path == "/v1/health") {
      if (request.method != "GET") {
        ApiResponse r = error_response(api_error(ApiCode::kMethodNotAllowed, "use GET"));
        r.headers.set("Allow", "GET");
        return r;
      }
      auto ping = registry_.store().ping();
      std::string out;
      JsonWriter w(out);
      w.begin_object().key("status").string(ping.ok() ? "UP" : "DOWN");
      w.key("database").string(registry_.store().backend_name());
      w.key("schemaVersion").integer(registry_.store().schema_version());
      if (!ping.ok()) w.key("error").string(ping.error().message);
      w.end_object();
      return json_response(ping.ok() ? 200 : 503, out);
    }
    if (path.substr(0, 4) != "/v1/") {
      if (static_files_ && path != "/v1") return static_files_->serve(request);
      return error_response(api_error(
          ApiCode::kNotFound, "no such path: " + quoted(path) + " (the API is under /v1/)"));
    }
    std::string_view rest = path.substr(4);
    while (!rest.empty()) {
      size_t slash = rest.find('/');
      ctx.segments.push_back(rest.substr(0, slash));
      if (slash == std::string_view::npos) break;
      rest.remove_prefix(slash + 1);
    }
    if (!ctx.segments.empty() && ctx.segments.back().empty()) ctx.segments.pop_back();
    if (ctx.segments.empty() || ctx.segments.size() > 8)
      return error_response(api_error(ApiCode::kNotFound, "no such path: " + quoted(path)));
    // Routers report usage with their graph token, not an API key.
    if (ctx.segments.size() == 1 && ctx.segments[0] == "usage")
      return ingest_usage(registry_, request, usage_, security::unix_now());
    if (ctx.segments[0] == "auth" && ctx.segments.size() == 2)
      return auth_->handle(request, ctx.segments[1], &ctx.caller);
    auto who = auth_->authenticate(request);
    if (!who.ok()) {
      ApiResponse r = error_response(who.error());
      if (who.error().code == ApiCode::kUnauthenticated)
        r.headers.set("WWW-Authenticate", "Bearer realm=\"orbit\"");
      return r;
    }
    ctx.caller = who->caller;
    TRY_RESPONSE(auth_->check_csrf(request, *who));
    if (ctx.segments[0] == "users")
      return users_route(auth_->accounts(), *who, request, ctx.segments);
    if (ctx.segments[0] == "audit-log")
      return audit_log_route(registry_.store(), *ctx.caller, request, ctx.segments.size());
    ApiRoutes routes(registry_, ctx, usage_);
    return routes.route();
  }();
  if (ctx.caller && ctx.caller->organization.id != 0 && audited(request.method, path))
    record_audit(registry_.store(), *ctx.caller, request, response.status);

  response.headers.set("X-Request-Id", request_id);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (response.status >= 500)
    log::error("{} {} {} {} {:.1f}ms {}", request_id, request.method, path.substr(0, 200),
               response.status, ms, response.body.substr(0, 500));
  else
    log::info("{} {} {} {} {:.1f}ms{}", request_id, request.method, path.substr(0, 200),
              response.status, ms,
              ctx.caller ? (ctx.caller->user ? " user=" : " key=") + ctx.caller->key.name +
                               " org=" + ctx.caller->organization.name
                         : std::string());
  return response;
}

}  // namespace orbit::controlplane
