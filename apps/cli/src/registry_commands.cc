#include "orbit/cli/registry_commands.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/base/json_writer.h"
#include "orbit/cli/api_client.h"

namespace orbit::cli {
namespace {

constexpr size_t kMaxSdlBytes = 4 << 20;  // the control plane's limit (docs/api.md)
constexpr int kMaxPages = 1000;           // 100 items each
constexpr long long kMaxTokenSeconds = 10LL * 366 * 24 * 3600;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool is_label_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '/' ||
         c == '-';
}

std::string quote(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

// A parsed answer: the arena owns the values.
struct Doc {
  Arena arena;
  JsonValue root;
};

std::string str(const JsonValue* v) {
  if (v == nullptr) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_number()) return v->number_lexeme();
  if (v->is_bool()) return v->as_bool() ? "true" : "false";
  return {};
}

std::string str(const JsonValue& v, std::string_view key) {
  return str(v.find(key));
}

// "2026-11-27T04:15:00.123Z" → "2026-11-27 04:15"; null → "-".
std::string short_time(const JsonValue* v) {
  std::string s = str(v);
  if (s.empty()) return "-";
  if (s.size() >= 16 && s[10] == 'T') return s.substr(0, 10) + " " + s.substr(11, 5);
  return s;
}

std::string or_dash(std::string s) {
  return s.empty() ? "-" : s;
}

std::string rfc3339(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// A latency in milliseconds ("7.5 ms", "1.2 s"); null → "-".
std::string ms_text(const JsonValue* v) {
  if (v == nullptr || !v->is_number()) return "-";
  double ms = v->as_double();
  char buf[32];
  if (ms >= 1000)
    std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000);
  else
    std::snprintf(buf, sizeof buf, "%.1f ms", ms);
  return buf;
}

long long integer(const JsonValue* v) {
  return v != nullptr && v->is_int64() ? static_cast<long long>(v->as_int64()) : 0;
}

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i)
    width[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], row[i].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) {
      // Text from the server never moves the cursor or colours the terminal.
      for (char c : cells[i])
        s += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
      if (i + 1 < cells.size()) s.append(width[i] - cells[i].size() + 2, ' ');
    }
    out << s << '\n';
  };
  line(header);
  for (const auto& row : rows)
    line(row);
}

class Command {
 public:
  Command(const RegistryOptions& o, std::istream& in, std::ostream& out, std::ostream& err)
      : o_(o), in_(in), out_(out), err_(err) {}

  int run();

 private:
  // ---- errors -------------------------------------------------------------------------------
  int fail(int exit_code, std::string_view code, const std::string& message) {
    err_ << "error: " << message << '\n';
    if (o_.json) {
      std::string s;
      JsonWriter w(s);
      w.begin_object().key("error").begin_object();
      w.key("code").string(code).key("message").string(message);
      w.end_object().end_object();
      out_ << s << '\n';
    }
    return exit_code;
  }
  int usage(const std::string& message) { return fail(kExitUsage, "INVALID_ARGUMENT", message); }

  static int exit_for_status(int status, std::string_view code) {
    if (status == 401 || status == 403) return kExitAuth;
    if (status == 404) return kExitNotFound;
    if (status == 400 || status == 413) return kExitUsage;
    if (status == 503) return kExitUnreachable;
    (void)code;
    return kExitFailed;
  }

  // An HTTP answer that is not the success the command expected.
  int api_error(const ApiResponse& r) {
    Doc doc;
    std::string code = "HTTP_" + std::to_string(r.status);
    std::string message;
    if (auto parsed = parse_json(r.body, doc.arena); parsed.ok()) {
      if (const JsonValue* e = parsed->find("error"); e != nullptr && e->is_object()) {
        code = or_dash(str(*e, "code"));
        message = str(*e, "message");
      }
    }
    if (message.empty()) {
      message = "the control plane answered HTTP " + std::to_string(r.status);
      if (r.status == 404) message += " (is " + o_.api_url + " the control plane's URL?)";
    }
    int exit_code = exit_for_status(r.status, code);
    err_ << "error: " << message << " (" << code << ", HTTP " << r.status << ")\n";
    if (r.status == 404 && !not_found_hint_.empty()) err_ << "hint: " << not_found_hint_ << '\n';
    if (exit_code == kExitAuth) {
      err_ << (r.status == 401 ? "hint: check --api-key / ORBIT_API_KEY\n"
                               : "hint: this API key's role may not do this\n");
    }
    if (o_.json) {
      if (r.body.empty() || !parse_json(r.body, doc.arena).ok()) {
        std::string s;
        JsonWriter w(s);
        w.begin_object().key("error").begin_object();
        w.key("code").string(code).key("message").string(message);
        w.end_object().end_object();
        out_ << s << '\n';
      } else {
        out_ << r.body << (r.body.back() == '\n' ? "" : "\n");
      }
    }
    return exit_code;
  }

  int transport_error(const Status& s) {
    if (s.code() == ErrorCode::kInvalidArgument) return usage(s.message());
    return fail(kExitUnreachable, "UNREACHABLE",
                "cannot reach the control plane at " + o_.api_url + ": " + s.message());
  }

  // ---- requests -----------------------------------------------------------------------------
  // Sends one request; on an answer with status `ok_status` (or `also_ok`) parses it into
  // `doc`. Returns -1 on success, else the exit status (the error was printed).
  int request(std::string_view method, const std::string& path, std::string body, int ok_status,
              Doc& doc, ApiResponse* raw = nullptr, int also_ok = 0) {
    Result<ApiResponse> r = api_->call(method, path, std::move(body));
    if (!r.ok()) return transport_error(r.status());
    if (r->status != ok_status && (also_ok == 0 || r->status != also_ok)) return api_error(*r);
    if (raw != nullptr) *raw = *r;
    auto parsed = parse_json(r->body, doc.arena);
    if (!parsed.ok()) {
      return fail(kExitFailed, "INVALID_RESPONSE",
                  "the answer to " + std::string(method) + " " + path +
                      " is not JSON: " + parsed.status().message());
    }
    doc.root = *parsed;
    return -1;
  }

  // Every page of a list endpoint, items appended to `items` (values live in `arena`).
  int list_all(const std::string& path, Doc& doc, std::vector<JsonValue>& items) {
    std::string cursor;
    for (int page = 0; page < kMaxPages; ++page) {
      std::string p = path + "?limit=100";
      if (!cursor.empty()) p += "&cursor=" + url_encode(cursor);
      Result<ApiResponse> r = api_->call("GET", p);
      if (!r.ok()) return transport_error(r.status());
      if (r->status != 200) return api_error(*r);
      auto parsed = parse_json(r->body, doc.arena);
      if (!parsed.ok() || !parsed->is_object()) {
        return fail(kExitFailed, "INVALID_RESPONSE",
                    "the answer to GET " + p + " is not a JSON object");
      }
      if (const JsonValue* list = parsed->find("items"); list != nullptr) {
        for (const JsonValue& item : list->items())
          items.push_back(item);
      }
      cursor = str(parsed->find("nextCursor"));
      if (cursor.empty()) return -1;
    }
    return fail(kExitFailed, "TOO_MANY_PAGES",
                "the list has more than " + std::to_string(kMaxPages * 100) + " items");
  }

  void print_items_json(const std::vector<JsonValue>& items) {
    std::string s;
    JsonWriter w(s);
    w.begin_object().key("items").begin_array();
    for (const JsonValue& item : items)
      write_json(item, w);
    w.end_array().end_object();
    out_ << s << '\n';
  }
  void print_json(const JsonValue& v) { out_ << to_json(v) << '\n'; }

  std::string ns_path() const { return "/v1/namespaces/" + o_.ns; }

  // ---- output pieces ------------------------------------------------------------------------
  static std::string locations_text(const JsonValue& error) {
    std::string out;
    const JsonValue* locs = error.find("locations");
    if (locs == nullptr) return out;
    for (const JsonValue& l : locs->items()) {
      std::string where = str(l, "subgraph");
      std::string line = str(l, "line");
      if (!line.empty()) where += (where.empty() ? "" : ":") + line + ":" + str(l, "column");
      if (where.empty()) continue;
      out += out.empty() ? " (" : ", ";
      out += where;
    }
    if (!out.empty()) out += ')';
    return out;
  }

  // One line per composition, its errors below; returns how many failed.
  int print_compositions(const JsonValue* compositions) {
    int failed = 0;
    if (compositions == nullptr) return 0;
    for (const JsonValue& c : compositions->items()) {
      std::string graph = str(c, "graph");
      std::string status = str(c, "status");
      if (status == "succeeded") {
        std::string artifact = str(c, "artifactVersion");
        out_ << "  " << graph << ": composed" << (artifact.empty() ? "" : ", artifact " + artifact)
             << '\n';
      } else {
        ++failed;
        out_ << "  " << graph << ": composition FAILED\n";
      }
      if (const JsonValue* errors = c.find("errors")) {
        for (const JsonValue& e : errors->items()) {
          out_ << "    error[" << str(e, "code") << "]: " << str(e, "message") << locations_text(e)
               << '\n';
        }
      }
    }
    return failed;
  }

  // ---- input --------------------------------------------------------------------------------
  int read_schema(std::string& sdl) {
    if (o_.schema_file.empty()) return usage("--schema FILE is required (- for standard input)");
    std::istream* src = &in_;
    std::ifstream file;
    std::string label = "standard input";
    if (o_.schema_file != "-") {
      file.open(o_.schema_file, std::ios::binary);
      if (!file) return usage("cannot read the schema file " + o_.schema_file);
      src = &file;
      label = o_.schema_file;
    }
    sdl.clear();
    char buf[65536];
    while (*src) {
      src->read(buf, sizeof buf);
      sdl.append(buf, static_cast<size_t>(src->gcount()));
      if (sdl.size() > kMaxSdlBytes) {
        return usage(label + " is larger than 4 MiB, the control plane's limit for a schema");
      }
    }
    if (sdl.find_first_not_of(" \t\r\n") == std::string::npos) {
      return usage(label + " is empty");
    }
    return -1;
  }

  // labels → {"key":"value",…}; -1 when fine.
  int write_labels(JsonWriter& w) {
    w.key("labels").begin_object();
    for (const std::string& l : o_.labels) {
      size_t eq = l.find('=');
      w.key(std::string_view(l).substr(0, eq)).string(std::string_view(l).substr(eq + 1));
    }
    w.end_object();
    return -1;
  }

  // ---- commands -----------------------------------------------------------------------------
  int namespace_create();
  int namespace_list();
  int graph_create();
  int graph_list();
  int graph_delete();
  int subgraph_create();
  int subgraph_publish();
  int subgraph_check();
  int subgraph_list();
  int subgraph_delete();
  int token_create();
  int token_list();
  int token_revoke();
  int fetch_config();
  int graph_usage();
  int graph_routers();
  // The usage lines of a check's breaking changes; returns how many fail the check.
  size_t print_breaking_usage(const JsonValue* breaking, long long window_days);

  const RegistryOptions& o_;
  std::istream& in_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<ApiClient> api_;
  std::string not_found_hint_;  // printed under a 404
};

int Command::run() {
  using A = RegistryAction;
  if (o_.api_url.empty()) {
    return usage("no control plane URL: pass --api-url or set ORBIT_API_URL");
  }
  Result<std::string> url = normalize_api_url(o_.api_url);
  if (!url.ok()) return usage(url.status().message());
  if (o_.api_key.empty()) {
    return fail(kExitAuth, "UNAUTHENTICATED", "no API key: pass --api-key or set ORBIT_API_KEY");
  }
  for (char c : o_.api_key) {
    if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) >= 0x7f) {
      return fail(kExitAuth, "UNAUTHENTICATED",
                  "the API key contains spaces or control characters");
    }
  }
  if (o_.api_key.size() > 512) return fail(kExitAuth, "UNAUTHENTICATED", "the API key is too long");

  // Names go into URL paths: check them before anything is sent.
  std::string problem;
  auto check = [&](std::string_view what, const std::string& value) {
    if (problem.empty()) problem = check_name(what, value);
  };
  if (o_.action != A::kNamespaceCreate) check("namespace", o_.ns);
  switch (o_.action) {
    case A::kNamespaceCreate: check("namespace", o_.name); break;
    case A::kGraphCreate:
    case A::kGraphDelete: check("graph", o_.name); break;
    case A::kSubgraphCreate:
    case A::kSubgraphPublish:
    case A::kSubgraphCheck:
    case A::kSubgraphDelete: check("subgraph", o_.name); break;
    case A::kTokenCreate:
      check("graph", o_.graph);
      check("token", o_.token_name);
      break;
    case A::kTokenList:
    case A::kGraphRouters:
    case A::kFetchConfig: check("graph", o_.graph); break;
    case A::kGraphUsage: {
      check("graph", o_.graph);
      std::string error;
      long long since = parse_duration_seconds(o_.since, &error);
      if (problem.empty() && (since < 60 || since > 90LL * 86400)) {
        problem = "--since " + quote(o_.since) +
                  " is not a duration from 1m to 90d (\"1h\", \"24h\", \"7d\")";
      }
      bool hex = o_.operation.size() == 64 &&
                 std::all_of(o_.operation.begin(), o_.operation.end(),
                             [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
      if (problem.empty() && !o_.operation.empty() && !hex) {
        problem = "--operation " + quote(o_.operation) +
                  " is not an operation hash (64 hex digits, as `orbit graph usage` shows it)";
      }
      if (problem.empty() && o_.client.size() > 256) problem = "--client is longer than 256 bytes";
      if (problem.empty() && o_.fields && (!o_.operation.empty() || !o_.client.empty())) {
        problem = "--fields shows every operation and client; drop --operation and --client";
      }
      break;
    }
    case A::kTokenRevoke:
      check("graph", o_.graph);
      if (problem.empty() && (o_.token_id.empty() || o_.token_id.size() > 64 ||
                              !std::all_of(o_.token_id.begin(), o_.token_id.end(), [](char c) {
                                return std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                                       c == '_';
                              }))) {
        problem = "token id " + quote(o_.token_id) +
                  " is not an id as `orbit graph token list` shows it (1-64 of A-Z a-z 0-9 _ -)";
      }
      break;
    default: break;
  }
  for (size_t i = 0; i < o_.labels.size(); ++i) {
    if (problem.empty()) problem = check_label(o_.labels[i]);
    std::string_view key = std::string_view(o_.labels[i]).substr(0, o_.labels[i].find('='));
    for (size_t j = 0; j < i && problem.empty(); ++j) {
      if (std::string_view(o_.labels[j]).substr(0, o_.labels[j].find('=')) == key) {
        problem = "label key " + quote(key) + " is given twice";
      }
    }
  }
  for (const std::string& m : o_.label_matchers) {
    if (problem.empty()) problem = check_label_matcher(m);
  }
  if (!problem.empty()) return usage(problem);

  ApiSettings settings;
  settings.url = *url;
  settings.key = o_.api_key;
  settings.timeout_ms = o_.timeout_ms;
  api_ = std::make_unique<ApiClient>(settings);

  switch (o_.action) {
    case A::kNamespaceCreate: return namespace_create();
    case A::kNamespaceList: return namespace_list();
    case A::kGraphCreate: return graph_create();
    case A::kGraphList: return graph_list();
    case A::kGraphDelete: return graph_delete();
    case A::kSubgraphCreate: return subgraph_create();
    case A::kSubgraphPublish: return subgraph_publish();
    case A::kSubgraphCheck: return subgraph_check();
    case A::kSubgraphList: return subgraph_list();
    case A::kSubgraphDelete: return subgraph_delete();
    case A::kTokenCreate: return token_create();
    case A::kTokenList: return token_list();
    case A::kTokenRevoke: return token_revoke();
    case A::kFetchConfig: return fetch_config();
    case A::kGraphUsage: return graph_usage();
    case A::kGraphRouters: return graph_routers();
  }
  return kExitUsage;
}

int Command::namespace_create() {
  std::string body;
  JsonWriter(body).begin_object().key("name").string(o_.name).end_object();
  Doc doc;
  if (int rc = request("POST", "/v1/namespaces", body, 201, doc); rc >= 0) return rc;
  if (o_.json) {
    print_json(doc.root);
  } else {
    out_ << "Created namespace " << o_.name << ".\n";
  }
  return kExitOk;
}

int Command::namespace_list() {
  Doc doc;
  std::vector<JsonValue> items;
  if (int rc = list_all("/v1/namespaces", doc, items); rc >= 0) return rc;
  if (o_.json) {
    print_items_json(items);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const JsonValue& n : items)
    rows.push_back({str(n, "name"), short_time(n.find("createdAt"))});
  print_table(out_, {"NAME", "CREATED"}, rows);
  return kExitOk;
}

int Command::graph_create() {
  if (o_.routing_url.empty()) return usage("--routing-url is required");
  std::string body;
  JsonWriter w(body);
  w.begin_object();
  w.key("name").string(o_.name);
  w.key("routingUrl").string(o_.routing_url);
  w.key("labelMatchers").begin_array();
  for (const std::string& m : o_.label_matchers)
    w.string(m);
  w.end_array();
  w.end_object();
  Doc doc;
  if (int rc = request("POST", ns_path() + "/graphs", body, 201, doc); rc >= 0) return rc;
  if (o_.json) {
    print_json(doc.root);
    return kExitOk;
  }
  const JsonValue* graph = doc.root.find("graph");
  out_ << "Created graph " << o_.name << " in namespace " << o_.ns;
  if (graph != nullptr && !str(*graph, "cdnPath").empty()) {
    out_ << " (CDN path " << str(*graph, "cdnPath") << ")";
  }
  out_ << ".\n";
  if (o_.label_matchers.empty()) {
    out_ << "It selects no subgraph yet: add --label-matcher to select subgraphs by label.\n";
  }
  const JsonValue* composition = doc.root.find("composition");
  if (composition != nullptr && composition->is_object()) {
    JsonValue one[] = {*composition};
    Arena& a = doc.arena;
    JsonValue list = JsonValue::array(a, one);
    if (print_compositions(&list) > 0) return kExitFailed;
  }
  return kExitOk;
}

int Command::graph_list() {
  Doc doc;
  std::vector<JsonValue> items;
  if (int rc = list_all(ns_path() + "/graphs", doc, items); rc >= 0) return rc;
  if (o_.json) {
    print_items_json(items);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const JsonValue& g : items) {
    std::string matchers;
    if (const JsonValue* m = g.find("labelMatchers")) {
      for (const JsonValue& x : m->items())
        matchers += (matchers.empty() ? "" : " ") + str(&x);
    }
    std::string composition = "-";
    if (const JsonValue* c = g.find("latestComposition"); c != nullptr && c->is_object()) {
      composition = str(*c, "status");
      if (std::string v = str(*c, "artifactVersion"); !v.empty()) composition += " " + v;
    }
    rows.push_back({str(g, "name"), or_dash(matchers), or_dash(str(g, "routingUrl")), composition,
                    short_time(g.find("updatedAt"))});
  }
  print_table(out_, {"NAME", "LABEL MATCHERS", "ROUTING URL", "LATEST COMPOSITION", "UPDATED"},
              rows);
  return kExitOk;
}

int Command::graph_delete() {
  Doc doc;
  if (int rc = request("DELETE", ns_path() + "/graphs/" + o_.name, {}, 200, doc); rc >= 0) {
    return rc;
  }
  if (o_.json) {
    print_json(doc.root);
  } else {
    out_ << "Deleted graph " << o_.name << " from namespace " << o_.ns
         << "; its config was removed from CDN storage and its graph tokens were revoked.\n";
  }
  return kExitOk;
}

int Command::subgraph_create() {
  if (o_.routing_url.empty()) return usage("--routing-url is required");
  std::string body;
  JsonWriter w(body);
  w.begin_object();
  w.key("name").string(o_.name);
  w.key("routingUrl").string(o_.routing_url);
  write_labels(w);
  if (!o_.subscription_url.empty()) w.key("subscriptionUrl").string(o_.subscription_url);
  if (!o_.subscription_protocol.empty()) {
    w.key("subscriptionProtocol").string(o_.subscription_protocol);
  }
  w.end_object();
  Doc doc;
  if (int rc = request("POST", ns_path() + "/subgraphs", body, 201, doc); rc >= 0) return rc;
  if (o_.json) {
    print_json(doc.root);
  } else {
    out_ << "Created subgraph " << o_.name << " (" << o_.routing_url << ") in namespace " << o_.ns
         << ".\n";
  }
  return kExitOk;
}

int Command::subgraph_publish() {
  not_found_hint_ = "a subgraph is registered once with `orbit subgraph create " + o_.name +
                    " --routing-url URL` before its first publish";
  std::string sdl;
  if (int rc = read_schema(sdl); rc >= 0) return rc;
  std::string body;
  JsonWriter(body).begin_object().key("sdl").string(sdl).end_object();
  Result<ApiResponse> r =
      api_->call("POST", ns_path() + "/subgraphs/" + o_.name + "/publish", body);
  if (!r.ok()) return transport_error(r.status());
  Doc doc;
  JsonValue result;
  bool composition_failed = false;
  if (r->status == 422) {
    auto parsed = parse_json(r->body, doc.arena);
    const JsonValue* error = parsed.ok() ? parsed->find("error") : nullptr;
    const JsonValue* details = error != nullptr ? error->find("details") : nullptr;
    if (details == nullptr || !details->is_object()) return api_error(*r);
    result = *details;
    composition_failed = true;
  } else if (r->status == 200) {
    auto parsed = parse_json(r->body, doc.arena);
    if (!parsed.ok())
      return fail(kExitFailed, "INVALID_RESPONSE", "the publish answer is not JSON");
    result = *parsed;
  } else {
    return api_error(*r);
  }
  if (o_.json) {
    print_json(result);
    return composition_failed ? kExitFailed : kExitOk;
  }
  std::string version;
  if (const JsonValue* v = result.find("schemaVersion"); v != nullptr && v->is_object()) {
    version = str(*v, "version");
  }
  const JsonValue* unchanged = result.find("unchanged");
  if (unchanged != nullptr && unchanged->as_bool()) {
    out_ << "Subgraph " << o_.name << ": the schema is the same as version " << version
         << "; nothing was published.\n";
    return kExitOk;
  }
  out_ << "Published subgraph " << o_.name << " in namespace " << o_.ns << ": schema version "
       << or_dash(version) << ".\n";
  const JsonValue* compositions = result.find("compositions");
  if (compositions == nullptr || compositions->size() == 0) {
    out_ << "No federated graph selects this subgraph; nothing was composed.\n";
    return kExitOk;
  }
  int failed = print_compositions(compositions);
  if (failed > 0 || composition_failed) {
    err_ << "error: " << failed << " of " << compositions->size()
         << " graphs did not compose; they keep serving their previous config.\n";
    return kExitFailed;
  }
  return kExitOk;
}

int Command::subgraph_check() {
  not_found_hint_ = "`orbit subgraph list -n " + o_.ns + "` shows the subgraphs of the namespace";
  std::string sdl;
  if (int rc = read_schema(sdl); rc >= 0) return rc;
  std::string body;
  JsonWriter w(body);
  w.begin_object().key("sdl").string(sdl);
  if (o_.usage_window_days > 0) w.key("usageWindowDays").integer(o_.usage_window_days);
  w.end_object();
  Doc doc;
  if (int rc = request("POST", ns_path() + "/subgraphs/" + o_.name + "/check", body, 200, doc);
      rc >= 0) {
    return rc;
  }
  const JsonValue* ok = doc.root.find("ok");
  bool passed = ok != nullptr && ok->as_bool();
  if (o_.json) {
    print_json(doc.root);
    return passed ? kExitOk : kExitFailed;
  }
  const JsonValue* compositions = doc.root.find("compositions");
  int failed = 0;
  if (compositions != nullptr && compositions->size() > 0) {
    out_ << "Compositions:\n";
    failed = print_compositions(compositions);
  }
  const JsonValue* changes = doc.root.find("changes");
  size_t breaking = 0;
  if (changes != nullptr && changes->size() > 0) {
    out_ << "Changes:\n";
    std::vector<std::vector<std::string>> rows;
    for (const JsonValue& c : changes->items()) {
      std::string severity = str(c, "severity");
      const JsonValue* b = c.find("breaking");
      if (severity.empty()) severity = (b != nullptr && b->as_bool()) ? "BREAKING" : "SAFE";
      if (severity == "BREAKING") ++breaking;
      std::string coordinate = str(c, "path");
      if (coordinate.empty()) coordinate = str(c, "coordinate");
      std::string type = str(c, "type");
      if (type.empty()) type = str(c, "kind");
      rows.push_back({"  " + severity, type, coordinate, str(c, "message")});
    }
    print_table(out_, {"  SEVERITY", "CHANGE", "COORDINATE", "MESSAGE"}, rows);
  } else {
    out_ << "No schema changes against the latest published version.\n";
  }
  if (breaking > 0) {
    breaking = print_breaking_usage(doc.root.find("breakingChanges"),
                                    integer(doc.root.find("usageWindowDays")));
  }
  if (passed) {
    out_ << "Check passed.\n";
    return kExitOk;
  }
  std::string why;
  if (breaking > 0)
    why += std::to_string(breaking) + " breaking change(s) in use or of unknown use";
  if (failed > 0) {
    why += why.empty() ? "" : ", ";
    why += std::to_string(failed) + " graph(s) do not compose";
  }
  err_ << "error: check failed" << (why.empty() ? "" : ": " + why) << '\n';
  return kExitFailed;
}

int Command::subgraph_list() {
  Doc doc;
  std::vector<JsonValue> items;
  if (int rc = list_all(ns_path() + "/subgraphs", doc, items); rc >= 0) return rc;
  if (o_.json) {
    print_items_json(items);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const JsonValue& s : items) {
    std::string labels;
    if (const JsonValue* l = s.find("labels"); l != nullptr) {
      for (const JsonMember& m : l->members()) {
        labels += (labels.empty() ? "" : ",") + std::string(m.key) + "=" + str(&m.value);
      }
    }
    std::string version = "-";
    if (const JsonValue* v = s.find("latestVersion"); v != nullptr && v->is_object()) {
      version = str(*v, "version");
    }
    rows.push_back({str(s, "name"), or_dash(str(s, "routingUrl")), or_dash(labels), version,
                    short_time(s.find("updatedAt"))});
  }
  print_table(out_, {"NAME", "ROUTING URL", "LABELS", "VERSION", "UPDATED"}, rows);
  return kExitOk;
}

int Command::subgraph_delete() {
  Doc doc;
  if (int rc = request("DELETE", ns_path() + "/subgraphs/" + o_.name, {}, 200, doc); rc >= 0) {
    return rc;
  }
  if (o_.json) {
    print_json(doc.root);
    return kExitOk;
  }
  out_ << "Deleted subgraph " << o_.name << " from namespace " << o_.ns << ".\n";
  const JsonValue* compositions = doc.root.find("compositions");
  if (compositions != nullptr && compositions->size() > 0) {
    out_ << "Recomposed without it:\n";
    if (print_compositions(compositions) > 0) return kExitFailed;
  }
  return kExitOk;
}

int Command::token_create() {
  long long seconds = 0;
  if (!o_.expires_in.empty()) {
    std::string error;
    seconds = parse_duration_seconds(o_.expires_in, &error);
    if (seconds < 0) return usage(error);
  }
  std::string body;
  JsonWriter w(body);
  w.begin_object().key("name").string(o_.token_name);
  if (seconds > 0) w.key("expiresIn").integer(seconds);
  w.end_object();
  Doc doc;
  if (int rc = request("POST", ns_path() + "/graphs/" + o_.graph + "/tokens", body, 201, doc);
      rc >= 0) {
    return rc;
  }
  if (o_.json) {
    print_json(doc.root);
    return kExitOk;
  }
  const JsonValue* token = doc.root.find("token");
  std::string id = token != nullptr ? str(*token, "id") : "";
  std::string expires = token != nullptr ? str(*token, "expiresAt") : "";
  out_ << "Created graph token " << o_.token_name << " (id " << or_dash(id) << ") for graph "
       << o_.graph << (expires.empty() ? ", no expiry" : ", expires " + expires)
       << ". Store it now; it is not shown again:\n\n"
       << str(doc.root, "secret") << "\n\n"
       << "Routers use it as GRAPH_API_TOKEN (docs/managed-mode.md).\n";
  return kExitOk;
}

int Command::token_list() {
  Doc doc;
  std::vector<JsonValue> items;
  if (int rc = list_all(ns_path() + "/graphs/" + o_.graph + "/tokens", doc, items); rc >= 0) {
    return rc;
  }
  if (o_.json) {
    print_items_json(items);
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const JsonValue& t : items) {
    rows.push_back({str(t, "id"), str(t, "name"), short_time(t.find("createdAt")),
                    short_time(t.find("expiresAt")), short_time(t.find("revokedAt"))});
  }
  print_table(out_, {"ID", "NAME", "CREATED", "EXPIRES", "REVOKED"}, rows);
  return kExitOk;
}

int Command::token_revoke() {
  Doc doc;
  if (int rc = request("DELETE", ns_path() + "/graphs/" + o_.graph + "/tokens/" + o_.token_id, {},
                       200, doc);
      rc >= 0) {
    return rc;
  }
  if (o_.json) {
    print_json(doc.root);
  } else {
    out_ << "Revoked graph token " << o_.token_id << " of graph " << o_.graph
         << "; the CDN refuses it from now on.\n";
  }
  return kExitOk;
}

int Command::fetch_config() {
  Result<ApiResponse> r = api_->call("GET", ns_path() + "/graphs/" + o_.graph + "/config");
  if (!r.ok()) return transport_error(r.status());
  if (r->status != 200) {
    not_found_hint_ = "a graph has a config after its first successful composition";
    return api_error(*r);
  }
  std::string signature(r->headers.get("x-orbit-signature").value_or(""));
  if (!o_.signature_out.empty()) {
    if (signature.empty()) {
      return fail(kExitFailed, "UNSIGNED", "the config came without an X-Orbit-Signature header");
    }
    std::ofstream sig(o_.signature_out, std::ios::binary | std::ios::trunc);
    if (!(sig << signature << '\n')) return usage("cannot write " + o_.signature_out);
  }
  if (o_.output.empty() || o_.output == "-") {
    out_ << r->body;
    if (!r->body.empty() && r->body.back() != '\n') out_ << '\n';
    return kExitOk;
  }
  std::string tmp = o_.output + ".tmp";
  {
    std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
    if (!(file << r->body) || !file.flush()) {
      std::remove(tmp.c_str());
      return usage("cannot write " + o_.output);
    }
  }
  if (std::rename(tmp.c_str(), o_.output.c_str()) != 0) {
    std::remove(tmp.c_str());
    return usage("cannot write " + o_.output);
  }
  Doc doc;
  std::string version;
  if (auto parsed = parse_json(r->body, doc.arena); parsed.ok()) version = str(*parsed, "version");
  err_ << "Wrote the router config of " << o_.graph
       << (version.empty() ? "" : " (version " + version + ")") << ", " << r->body.size()
       << " bytes, to " << o_.output << ".\n";
  return kExitOk;
}

}  // namespace

size_t Command::print_breaking_usage(const JsonValue* breaking, long long window_days) {
  if (breaking == nullptr) return 0;
  std::string window = std::to_string(window_days > 0 ? window_days : 7) + " days";
  size_t failing = 0;
  out_ << "Usage of the breaking changes (last " << window << "):\n";
  for (const JsonValue& c : breaking->items()) {
    std::string path = str(c, "path");
    const JsonValue* safe = c.find("safe");
    const JsonValue* usage = c.find("usage");
    if (safe != nullptr && safe->as_bool()) {
      out_ << "  " << path << ": not used in the last " << window << " — safe\n";
      continue;
    }
    ++failing;
    if (usage == nullptr || !usage->is_object()) {
      out_ << "  " << path << ": usage unknown (no router reported, or not a field change)\n";
      continue;
    }
    const JsonValue* ops = usage->find("operations");
    out_ << "  " << path << ": " << integer(usage->find("requests")) << " requests by "
         << (ops ? ops->size() : 0) << " operation(s)\n";
    if (ops == nullptr) continue;
    for (const JsonValue& op : ops->items()) {
      std::string name = str(op, "name");
      std::string clients;
      if (const JsonValue* list = op.find("clients")) {
        for (const JsonValue& client : list->items()) {
          std::string who = or_dash(str(client, "name"));
          std::string version = str(client, "version");
          clients += (clients.empty() ? "" : ", ") + who + (version.empty() ? "" : " " + version);
        }
      }
      out_ << "    " << (name.empty() ? "(anonymous)" : name) << " "
           << str(op, "hash").substr(0, 12) << "  " << integer(op.find("requests")) << " requests"
           << (clients.empty() ? "" : "  clients: " + clients) << '\n';
    }
  }
  return failing;
}

int Command::graph_usage() {
  not_found_hint_ = "`orbit graph list -n " + o_.ns + "` shows the graphs of the namespace";
  std::string error;
  long long since = parse_duration_seconds(o_.since, &error);
  std::time_t now = std::time(nullptr);
  std::string from = rfc3339(now - since), to = rfc3339(now);
  std::string path = ns_path() + "/graphs/" + o_.graph + "/usage" + (o_.fields ? "/fields" : "") +
                     "?from=" + from + "&to=" + to;
  if (!o_.operation.empty()) path += "&operation=" + o_.operation;
  if (!o_.client.empty()) path += "&client=" + url_encode(o_.client);
  Doc doc;
  if (int rc = request("GET", path, "", 200, doc); rc >= 0) return rc;
  if (o_.json) {
    print_json(doc.root);
    return kExitOk;
  }
  out_ << "Graph " << o_.graph << " (namespace " << o_.ns << "), last " << o_.since << ": "
       << short_time(doc.root.find("from")) << " to " << short_time(doc.root.find("to"))
       << " UTC\n";
  if (o_.fields) {
    const JsonValue* fields = doc.root.find("fields");
    if (fields == nullptr || fields->size() == 0) {
      out_ << "No field usage reported in this time.\n";
      return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const JsonValue& f : fields->items()) {
      rows.push_back({str(f, "coordinate"), str(f, "requests"), str(f, "operations"),
                      str(f, "clients"), short_time(f.find("lastUsed"))});
    }
    print_table(out_, {"FIELD", "REQUESTS", "OPERATIONS", "CLIENTS", "LAST USED"}, rows);
    return kExitOk;
  }
  const JsonValue* totals = doc.root.find("totals");
  long long requests = totals ? integer(totals->find("requests")) : 0;
  long long errors = totals ? integer(totals->find("errors")) : 0;
  if (requests == 0) {
    out_ << "No requests reported in this time.\n";
    return kExitOk;
  }
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.2f%%", 100.0 * static_cast<double>(errors) / requests);
  out_ << "Requests " << requests << ", errors " << errors << " (" << rate << "), latency p50 "
       << ms_text(totals->find("p50Ms")) << ", p95 " << ms_text(totals->find("p95Ms")) << ", p99 "
       << ms_text(totals->find("p99Ms")) << "\n";
  if (const JsonValue* ops = doc.root.find("operations"); ops != nullptr && ops->size() > 0) {
    out_ << "\nTop operations:\n";
    std::vector<std::vector<std::string>> rows;
    for (const JsonValue& op : ops->items()) {
      std::string name = str(op, "name");
      rows.push_back({"  " + (name.empty() ? "(anonymous)" : name), str(op, "type"),
                      str(op, "hash").substr(0, 12), str(op, "requests"), str(op, "errors"),
                      ms_text(op.find("p95Ms"))});
    }
    print_table(out_, {"  OPERATION", "TYPE", "HASH", "REQUESTS", "ERRORS", "P95"}, rows);
  }
  if (const JsonValue* clients = doc.root.find("clients");
      clients != nullptr && clients->size() > 0) {
    out_ << "\nClients:\n";
    std::vector<std::vector<std::string>> rows;
    for (const JsonValue& c : clients->items()) {
      rows.push_back({"  " + or_dash(str(c, "name")), or_dash(str(c, "version")),
                      str(c, "requests"), str(c, "errors")});
    }
    print_table(out_, {"  CLIENT", "VERSION", "REQUESTS", "ERRORS"}, rows);
  }
  return kExitOk;
}

int Command::graph_routers() {
  not_found_hint_ = "`orbit graph list -n " + o_.ns + "` shows the graphs of the namespace";
  Doc doc;
  if (int rc = request("GET", ns_path() + "/graphs/" + o_.graph + "/routers", "", 200, doc);
      rc >= 0) {
    return rc;
  }
  if (o_.json) {
    print_json(doc.root);
    return kExitOk;
  }
  const JsonValue* items = doc.root.find("items");
  if (items == nullptr || items->size() == 0) {
    out_ << "No router has polled the CDN or reported usage for graph " << o_.graph << ".\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const JsonValue& r : items->items()) {
    std::string via;
    if (const JsonValue* seen = r.find("seenVia"); seen != nullptr && seen->is_array()) {
      for (const JsonValue& v : seen->items())
        via += (via.empty() ? "" : "+") + std::string(v.as_string());
    }
    rows.push_back({str(r, "id"), or_dash(str(r, "host")), or_dash(str(r, "orbitVersion")),
                    or_dash(str(r, "configVersion")), short_time(r.find("firstSeen")),
                    short_time(r.find("lastSeen")), or_dash(via), str(r, "status")});
  }
  print_table(out_,
              {"ID", "HOST", "VERSION", "CONFIG", "FIRST SEEN", "LAST SEEN", "SEEN VIA", "STATUS"},
              rows);
  return kExitOk;
}

std::string check_name(std::string_view what, std::string_view name) {
  bool ok = !name.empty() && name.size() <= 31 && name[0] != '_' && name[0] != '-' &&
            std::all_of(name.begin(), name.end(), is_name_char);
  if (ok) return {};
  if (name.empty()) return "a " + std::string(what) + " name is required";
  return std::string(what) + " name " + quote(name) +
         " is not valid: 1-31 characters of a-z 0-9 _ -, starting with a letter or digit";
}

std::string check_label(std::string_view label) {
  size_t eq = label.find('=');
  std::string_view key = label.substr(0, eq);
  std::string_view value = eq == std::string_view::npos ? "" : label.substr(eq + 1);
  if (eq == std::string_view::npos || key.empty() || key.size() > 63 || value.size() > 63 ||
      !std::all_of(key.begin(), key.end(), is_label_char) ||
      !std::all_of(value.begin(), value.end(), is_label_char)) {
    return "label " + quote(label) +
           " is not key=value (key 1-63, value 0-63 characters of A-Z a-z 0-9 . _ / -)";
  }
  return {};
}

std::string check_label_matcher(std::string_view matcher) {
  int terms = 0;
  size_t start = 0;
  while (true) {
    size_t comma = matcher.find(',', start);
    std::string_view term = matcher.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (std::string e = check_label(term); !e.empty()) {
      return "label matcher " + quote(matcher) + ": " + e;
    }
    if (++terms > 32) return "label matcher " + quote(matcher) + " has more than 32 terms";
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return {};
}

long long parse_duration_seconds(std::string_view text, std::string* error) {
  auto bad = [&] {
    *error = "--expires-in " + quote(text) +
             " is not a duration: a number with s, m, h or d (\"90d\", \"12h\"), 1 s to 10 years";
    return -1LL;
  };
  if (text.empty() || text.size() > 12) return bad();
  long long unit = 1;
  std::string_view digits = text;
  switch (text.back()) {
    case 's': digits.remove_suffix(1); break;
    case 'm':
      unit = 60;
      digits.remove_suffix(1);
      break;
    case 'h':
      unit = 3600;
      digits.remove_suffix(1);
      break;
    case 'd':
      unit = 86400;
      digits.remove_suffix(1);
      break;
    default: break;
  }
  if (digits.empty() ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return bad();
  }
  long long n = std::stoll(std::string(digits));
  if (n <= 0 || n > kMaxTokenSeconds / unit) return bad();
  return n * unit;
}

int run_registry_command(const RegistryOptions& options, std::istream& in, std::ostream& out,
                         std::ostream& err) {
  return Command(options, in, out, err).run();
}

}  // namespace orbit::cli
