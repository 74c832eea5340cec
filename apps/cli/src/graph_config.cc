#include "orbit/cli/graph_config.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "orbit/federation/supergraph.h"

namespace orbit::cli {

namespace {

constexpr size_t kMaxConfigBytes = 1 << 20;
// As many as a supergraph may have (the router's subgraph sets are that wide).
constexpr size_t kMaxSubgraphs = federation::kMaxSubgraphs;

class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}
  Status error(const YAML::Node& at, const std::string& key, const std::string& msg) const {
    std::string where(source_);
    if (at.IsDefined() && at.Mark().line >= 0) where += ":" + std::to_string(at.Mark().line + 1);
    return Status(ErrorCode::kInvalidArgument, where + ": " + key + ": " + msg);
  }
  Status string(const YAML::Node& n, const std::string& key, std::string* out) const {
    if (!n.IsScalar()) return error(n, key, "expected a string");
    *out = n.Scalar();
    return Status();
  }
  Status keys(const YAML::Node& map, const std::string& key,
              const std::set<std::string>& allowed) const {
    for (const auto& kv : map) {
      std::string k = kv.first.Scalar();
      if (!allowed.count(k)) {
        std::string list;
        for (const auto& a : allowed)
          list += (list.empty() ? "" : ", ") + a;
        return error(kv.first, key.empty() ? k : key + "." + k,
                     "unknown key (expected one of: " + list + ")");
      }
    }
    return Status();
  }

 private:
  std::string_view source_;
};

bool is_http_url(const std::string& s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

}  // namespace

Result<GraphConfig> parse_graph_config(std::string_view yaml, std::string_view source_name,
                                       const std::filesystem::path& base_dir) {
  Reader r(source_name);
  if (yaml.size() > kMaxConfigBytes)
    return Status(ErrorCode::kLimitExceeded, std::string(source_name) + ": larger than " +
                                                 std::to_string(kMaxConfigBytes) + " bytes");
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return Status(ErrorCode::kInvalidArgument,
                  std::string(source_name) + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) return r.error(root, "(document)", "expected a mapping with `subgraphs:`");
  if (Status s = r.keys(root, "", {"subgraphs", "federation_version"}); !s.ok()) return s;
  YAML::Node subs = root["subgraphs"];
  if (!subs.IsDefined() || !subs.IsMap() || subs.size() == 0)
    return r.error(subs.IsDefined() ? subs : root, "subgraphs",
                   "expected a mapping of subgraph name to its settings (at least one)");
  if (subs.size() > kMaxSubgraphs)
    return r.error(subs, "subgraphs", "at most " + std::to_string(kMaxSubgraphs) + " subgraphs");
  GraphConfig config;
  for (const auto& kv : subs) {
    SubgraphConfig sc;
    sc.name = kv.first.Scalar();
    std::string key = "subgraphs." + sc.name;
    const YAML::Node& n = kv.second;
    if (!n.IsMap()) return r.error(n, key, "expected a mapping (routing_url, schema, ...)");
    if (Status s = r.keys(n, key, {"routing_url", "schema", "subscription"}); !s.ok()) return s;
    if (!n["routing_url"]) return r.error(n, key + ".routing_url", "required");
    if (Status s = r.string(n["routing_url"], key + ".routing_url", &sc.routing_url); !s.ok())
      return s;
    if (!is_http_url(sc.routing_url))
      return r.error(n["routing_url"], key + ".routing_url",
                     "expected an http:// or https:// URL, got \"" + sc.routing_url + "\"");
    YAML::Node schema = n["schema"];
    if (!schema.IsDefined() || !schema.IsMap())
      return r.error(schema.IsDefined() ? schema : n, key + ".schema",
                     "required: a mapping with `file:` or `subgraph_url:`");
    if (Status s = r.keys(schema, key + ".schema", {"file", "subgraph_url", "headers"}); !s.ok())
      return s;
    if (schema["file"] && schema["subgraph_url"])
      return r.error(schema, key + ".schema", "set either file or subgraph_url, not both");
    if (schema["file"]) {
      std::string f;
      if (Status s = r.string(schema["file"], key + ".schema.file", &f); !s.ok()) return s;
      std::filesystem::path p(f);
      sc.schema_file = p.is_absolute() ? p : base_dir / p;
    } else if (schema["subgraph_url"]) {
      if (Status s =
              r.string(schema["subgraph_url"], key + ".schema.subgraph_url", &sc.introspection_url);
          !s.ok())
        return s;
      if (!is_http_url(sc.introspection_url))
        return r.error(schema["subgraph_url"], key + ".schema.subgraph_url",
                       "expected an http:// or https:// URL");
      if (YAML::Node h = schema["headers"]) {
        if (!h.IsMap()) return r.error(h, key + ".schema.headers", "expected a mapping");
        for (const auto& hv : h) {
          std::string v;
          if (Status s = r.string(hv.second, key + ".schema.headers." + hv.first.Scalar(), &v);
              !s.ok())
            return s;
          sc.introspection_headers[hv.first.Scalar()] = v;
        }
      }
    } else {
      return r.error(schema, key + ".schema", "set `file:` or `subgraph_url:`");
    }
    if (YAML::Node sub = n["subscription"]) {
      if (!sub.IsMap())
        return r.error(sub, key + ".subscription", "expected a mapping (url, protocol)");
      if (Status s = r.keys(sub, key + ".subscription", {"url", "protocol"}); !s.ok()) return s;
      if (sub["url"]) {
        if (Status s = r.string(sub["url"], key + ".subscription.url", &sc.subscription_url);
            !s.ok())
          return s;
        const std::string& u = sc.subscription_url;
        if (!is_http_url(u) && u.rfind("ws://", 0) != 0 && u.rfind("wss://", 0) != 0)
          return r.error(sub["url"], key + ".subscription.url",
                         "expected an http(s):// or ws(s):// URL, got \"" + u + "\"");
      }
      if (sub["protocol"]) {
        if (Status s = r.string(sub["protocol"], key + ".subscription.protocol",
                                &sc.subscription_protocol);
            !s.ok())
          return s;
        const std::string& p = sc.subscription_protocol;
        if (p != "ws" && p != "sse" && p != "sse_post")
          return r.error(sub["protocol"], key + ".subscription.protocol",
                         "expected ws, sse or sse_post, got \"" + p + "\"");
      }
    }
    config.subgraphs.push_back(std::move(sc));
  }
  return config;
}

Result<GraphConfig> load_graph_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(ErrorCode::kNotFound, file.string() + ": cannot read the file");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  return parse_graph_config(text, file.string(), file.parent_path());
}

}  // namespace orbit::cli
