#include "orbit/controlplane/audit_log.h"

#include "http_json.h"
#include "orbit/base/log.h"
#include "orbit/config/artifact.h"

namespace orbit::controlplane {
namespace {

using registry::api_error;
using registry::ApiCode;

constexpr size_t kMaxPathBytes = 512;

// The noun of a collection segment, singular: "graphs" → "graph".
std::string noun_of(std::string_view collection) {
  if (collection == "api-keys") return "API key";
  if (collection == "tokens") return "graph token";
  if (collection == "organizations") return "organization";
  if (collection == "namespaces") return "namespace";
  if (collection == "graphs") return "graph";
  if (collection == "subgraphs") return "subgraph";
  if (collection == "users") return "user";
  std::string out(collection.substr(0, 32));
  if (out.size() > 1 && out.back() == 's') out.pop_back();
  for (char& c : out)
    if (c == '-') c = ' ';
  return out;
}

struct Verb {
  const char* done;
  const char* doing;
};

Verb verb_of(std::string_view method) {
  if (method == "POST") return {"created", "create"};
  if (method == "PATCH" || method == "PUT") return {"updated", "update"};
  return {"deleted", "delete"};
}

bool is_collection(std::string_view s) {
  return s == "organizations" || s == "api-keys" || s == "namespaces" || s == "graphs" ||
         s == "subgraphs" || s == "tokens" || s == "users" || s == "checks" || s == "versions" ||
         s == "compositions";
}

}  // namespace

bool audited(std::string_view method, std::string_view path) {
  if (!http_json::state_changing(method)) return false;
  // Usage reports are data, sent by routers many times a minute.
  return !(path == "/v1/usage" || path.rfind("/v1/usage/", 0) == 0);
}

std::string audit_summary(std::string_view method, const std::vector<std::string_view>& segments,
                          int status) {
  bool ok = status < 400;
  if (segments.size() == 2 && segments[0] == "auth") {
    if (segments[1] == "login") return ok ? "signed in" : "sign-in failed";
    if (segments[1] == "logout") return ok ? "signed out" : "sign-out failed";
  }
  if (segments.empty()) return "unknown call";
  std::string_view last = segments.back();
  // Actions on an item: …/subgraphs/{name}/publish, …/check.
  if (segments.size() >= 3 && !is_collection(last) &&
      is_collection(segments[segments.size() - 3])) {
    std::string noun = noun_of(segments[segments.size() - 3]);
    if (last == "publish") return noun + (ok ? " published" : " publish failed");
    if (last == "check") return noun + (ok ? " checked" : " check failed");
    std::string action(last.substr(0, 32));
    return noun + " " + action + (ok ? "" : " failed");
  }
  Verb verb = verb_of(method);
  // A collection (POST creates an item) or one item of the collection before it.
  std::string noun = is_collection(last) || segments.size() == 1
                         ? noun_of(last)
                         : noun_of(segments[segments.size() - 2]);
  if (noun == "graph token" && method == "DELETE") verb = {"revoked", "revoke"};
  return noun + " " + (ok ? verb.done : std::string(verb.doing) + " failed");
}

std::string audit_resource(std::string_view method, const std::vector<std::string_view>& segments,
                           const std::string& body) {
  std::string out;
  size_t end = segments.size();
  if (end >= 3 && !is_collection(segments[end - 1]) && is_collection(segments[end - 3]) &&
      (segments[end - 1] == "publish" || segments[end - 1] == "check"))
    --end;
  for (size_t i = 0; i < end; ++i) {
    if (i) out += '/';
    out += segments[i].substr(0, 128);
  }
  if (method == "POST" && end == segments.size() && !segments.empty() &&
      is_collection(segments.back()) && !body.empty() && body.size() < (1 << 20)) {
    auto parsed = http_json::StringBody::parse(body);
    if (parsed.ok()) {
      for (const char* key : {"name", "email"}) {
        auto v = parsed->string(key, false);
        if (v.ok() && *v && !(*v)->empty() && (*v)->size() <= 254) {
          out += "/" + **v;
          break;
        }
      }
    }
  }
  return out;
}

void record_audit(registry::Store& store, const registry::Caller& actor,
                  const net::HttpRequest& request, int status) {
  std::string_view path = request.path();
  std::vector<std::string_view> segments;
  std::string_view rest = path.substr(0, 4) == "/v1/" ? path.substr(4) : path;
  while (!rest.empty() && segments.size() < 16) {
    size_t slash = rest.find('/');
    if (slash != 0) segments.push_back(rest.substr(0, slash));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  registry::AuditEntry e;
  e.org_id = actor.organization.id;
  e.time = config::now_rfc3339();
  e.actor_type = actor.user ? "user" : "apiKey";
  e.actor_id = actor.user ? std::to_string(actor.user->id) : actor.key.id;
  e.actor_name = actor.key.name;
  e.method = request.method.substr(0, 16);
  e.path = std::string(path.substr(0, kMaxPathBytes));
  e.status = status;
  e.resource = audit_resource(request.method, segments, request.body);
  e.summary = audit_summary(request.method, segments, status);
  auto written = store.insert_audit_entry(e);
  if (!written.ok())
    log::error("audit log: could not record {} {} {}: {}", e.method, e.path, status,
               written.error().message);
}

ApiResponse audit_log_route(registry::Store& store, const registry::Caller& caller,
                            const net::HttpRequest& request, size_t segments) {
  if (segments != 1) return http_json::error(api_error(ApiCode::kNotFound, "no such path"));
  if (request.method != "GET") return http_json::method_not_allowed(request.method, "GET");
  if (caller.key.role != registry::Role::kAdmin)
    return http_json::error(api_error(ApiCode::kPermissionDenied,
                                      "the audit log is for admins; " +
                                          std::string(caller.user ? "user \"" : "key \"") +
                                          caller.key.name + "\" has the role " +
                                          std::string(registry::role_name(caller.key.role))));
  auto page = http_json::page_of(request.query());
  if (!page.ok()) return http_json::error(page.error());
  auto list = store.list_audit_entries(caller.organization.id, *page);
  if (!list.ok()) return http_json::error(list.error());
  return http_json::json(
      200, http_json::page_json(*list, [](JsonWriter& w, const registry::AuditEntry& e) {
        w.begin_object();
        w.key("id").string(std::to_string(e.id));
        w.key("time").string(e.time);
        w.key("actor").begin_object();
        w.key("type").string(e.actor_type);
        w.key("id").string(e.actor_id);
        w.key("name").string(e.actor_name);
        w.end_object();
        w.key("method").string(e.method);
        w.key("path").string(e.path);
        w.key("status").integer(e.status);
        w.key("resource").string(e.resource);
        w.key("summary").string(e.summary);
        w.end_object();
      }));
}

}  // namespace orbit::controlplane
