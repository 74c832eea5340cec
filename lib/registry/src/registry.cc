#include "orbit/registry/registry.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "orbit/base/json_writer.h"
#include "orbit/base/log.h"
#include "orbit/cdn/artifact_store.h"
#include "orbit/config/artifact.h"
#include "orbit/config/atomic_file.h"
#include "orbit/federation/compose.h"
#include "orbit/registry/check_usage.h"
#include "orbit/registry/validation.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/encoding.h"
#include "orbit/security/graph_token.h"
#include "orbit/security/sha256.h"

namespace orbit::registry {
namespace {

constexpr std::string_view kKeyPrefix = "orbit_";
constexpr size_t kKeyIdChars = 16;
constexpr size_t kSecretChars = 43;
constexpr int64_t kMaxTokenLifetime = 10LL * 366 * 24 * 3600;

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
    ORBIT_RELEASE_ASSERT(false && "RAND_bytes failed");
  return out;
}

std::string rfc3339_of(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

ApiError not_found(std::string what) {
  return api_error(ApiCode::kNotFound, std::move(what));
}

std::string messages_json(const std::vector<federation::CompositionMessage>& messages) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  for (const auto& m : messages) {
    w.begin_object();
    w.key("code").string(m.code);
    w.key("message").string(m.message);
    w.key("locations").begin_array();
    for (const auto& l : m.locations) {
      w.begin_object();
      w.key("subgraph").string(l.subgraph);
      w.key("line").integer(l.location.line);
      w.key("column").integer(l.location.column);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  return out;
}

std::string one_error_json(std::string_view code, std::string_view message) {
  std::string out;
  JsonWriter w(out);
  w.begin_array().begin_object();
  w.key("code").string(code);
  w.key("message").string(message);
  w.key("locations").begin_array().end_array();
  w.end_object().end_array();
  return out;
}

// Temporary files of atomic writes that a killed process left behind
// (".latest.json.tmp.<pid>.<n>", config/atomic_file.h). Readers never open them; they are
// removed at start once they are a minute old, so that a writer still at work keeps its own.
void remove_stale_temporaries(const std::filesystem::path& dir) {
  std::error_code ec;
  auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(".latest.json", 0) != 0 || name.find(".tmp.") == std::string::npos) continue;
    std::error_code time_ec;
    auto modified = entry.last_write_time(time_ec);
    if (time_ec || now - modified < std::chrono::minutes(1)) continue;
    std::error_code remove_ec;
    if (std::filesystem::remove(entry.path(), remove_ec))
      log::info("removed {}, left by an interrupted write", entry.path().string());
  }
}

bool file_equals(const std::string& path, std::string_view bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str() == bytes;
}

}  // namespace

bool PublishResult::all_succeeded() const {
  return std::all_of(compositions.begin(), compositions.end(),
                     [](const GraphComposition& c) { return c.composition.succeeded; });
}

bool CheckResult::safe(size_t change) const {
  return change < usage.size() && usage[change].has_value() && usage[change]->requests == 0;
}

bool CheckResult::ok() const {
  for (const auto& c : compositions)
    if (!c.succeeded) return false;
  for (size_t i = 0; i < changes.size(); ++i)
    if (changes[i].breaking && !safe(i)) return false;
  return true;
}

Registry::Registry(std::unique_ptr<Store> store, security::Ed25519PrivateKey signing_key,
                   security::Ed25519PrivateKey token_key, RegistryOptions options)
    : store_(std::move(store)),
      signing_key_(std::move(signing_key)),
      token_key_(std::move(token_key)),
      options_(std::move(options)) {}

// ---- keys

CreatedKey Registry::new_api_key(int64_t org_id, const std::string& name, Role role) {
  CreatedKey created;
  created.key.id = security::hex_encode(random_bytes(kKeyIdChars / 2));
  std::string secret = security::base64url_encode(random_bytes(32));
  created.key.org_id = org_id;
  created.key.name = name;
  created.key.role = role;
  created.key.secret_sha256 = security::sha256_hex(secret);
  created.key.created_at = config::now_rfc3339();
  created.secret = std::string(kKeyPrefix) + created.key.id + "_" + secret;
  return created;
}

std::optional<std::pair<std::string, std::string>> Registry::split_api_key(std::string_view key) {
  if (key.size() != kKeyPrefix.size() + kKeyIdChars + 1 + kSecretChars) return std::nullopt;
  if (key.substr(0, kKeyPrefix.size()) != kKeyPrefix) return std::nullopt;
  std::string_view id = key.substr(kKeyPrefix.size(), kKeyIdChars);
  if (key[kKeyPrefix.size() + kKeyIdChars] != '_') return std::nullopt;
  std::string_view secret = key.substr(kKeyPrefix.size() + kKeyIdChars + 1);
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  if (!security::base64url_decode(secret)) return std::nullopt;
  return std::make_pair(std::string(id), security::sha256_hex(secret));
}

Expected<std::string> Registry::bootstrap(const std::string& org_name,
                                          const std::string& given_key) {
  ORBIT_TRY(check_name("organization", org_name));
  std::optional<std::pair<std::string, std::string>> given;
  if (!given_key.empty()) {
    given = split_api_key(given_key);
    if (!given)
      return api_error(ApiCode::kInvalidArgument,
                       "the bootstrap API key is not of the form orbit_<16 hex digits>_<43 "
                       "base64url characters>");
  }
  return store_->transaction([&]() -> Expected<std::string> {
    auto count = store_->count_organizations();
    if (!count.ok()) return count.error();
    if (*count > 0) return std::string();
    std::string now = config::now_rfc3339();
    auto org = store_->insert_organization(org_name, now);
    if (!org.ok()) return org.error();
    ORBIT_TRY(store_->insert_namespace(org->id, "default", now));
    CreatedKey key = new_api_key(org->id, "bootstrap", Role::kAdmin);
    if (given) {
      key.key.id = given->first;
      key.key.secret_sha256 = given->second;
      key.secret = given_key;
    }
    ORBIT_TRY(store_->insert_api_key(key.key));
    return key.secret;
  });
}

Expected<Caller> Registry::authenticate(std::string_view authorization) {
  if (authorization.empty())
    return api_error(ApiCode::kUnauthenticated, "no API key: send Authorization: Bearer <api key>");
  if (authorization.size() < 7 ||
      !std::equal(authorization.begin(), authorization.begin() + 7, "bearer ",
                  [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; }))
    return api_error(ApiCode::kUnauthenticated, "the Authorization header is not Bearer");
  std::string_view token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ')
    token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ')
    token.remove_suffix(1);
  auto parts = split_api_key(token);
  if (!parts) return api_error(ApiCode::kUnauthenticated, "malformed API key");
  auto key = store_->find_api_key(parts->first);
  if (!key.ok()) return key.error();
  const std::string& stored = key->has_value() ? (*key)->secret_sha256 : parts->second;
  bool equal = stored.size() == parts->second.size() &&
               CRYPTO_memcmp(stored.data(), parts->second.data(), stored.size()) == 0;
  if (!key->has_value() || !equal)
    return api_error(ApiCode::kUnauthenticated, "unknown or deleted API key");
  Caller caller;
  caller.key = **key;
  auto org = store_->find_organization(caller.key.org_id);
  if (!org.ok()) return org.error();
  if (!org->has_value()) return api_error(ApiCode::kUnauthenticated, "unknown or deleted API key");
  caller.organization = **org;
  auto first = store_->first_organization_id();
  if (!first.ok()) return first.error();
  caller.instance_admin = caller.key.role == Role::kAdmin && caller.organization.id == *first;
  // Recorded at most once a minute per key (the first 16 characters are the minute).
  std::string now = config::now_rfc3339();
  if (caller.key.last_used_at.substr(0, 16) != now.substr(0, 16)) {
    if (store_->touch_api_key(caller.key.id, now).ok()) caller.key.last_used_at = now;
  }
  return caller;
}

Outcome Registry::require_below_limit(Expected<int64_t> count, std::string_view what) {
  if (!count.ok()) return count.error();
  if (*count >= static_cast<int64_t>(options_.max_items))
    return api_error(ApiCode::kFailedPrecondition,
                     "at most " + std::to_string(options_.max_items) + " " + std::string(what));
  return Done{};
}

Expected<CreatedOrganization> Registry::create_organization(const Caller& caller,
                                                            const std::string& name) {
  if (!caller.instance_admin)
    return api_error(ApiCode::kPermissionDenied,
                     "only admins of the instance organization may create organizations");
  ORBIT_TRY(check_name("name", name));
  return store_->transaction([&]() -> Expected<CreatedOrganization> {
    ORBIT_TRY(require_below_limit(store_->count_organizations(), "organizations"));
    auto existing = store_->find_organization(name);
    if (!existing.ok()) return existing.error();
    if (existing->has_value())
      return api_error(ApiCode::kAlreadyExists, "organization \"" + name + "\" already exists");
    std::string now = config::now_rfc3339();
    auto org = store_->insert_organization(name, now);
    if (!org.ok()) return org.error();
    ORBIT_TRY(store_->insert_namespace(org->id, "default", now));
    CreatedKey key = new_api_key(org->id, "admin", Role::kAdmin);
    ORBIT_TRY(store_->insert_api_key(key.key));
    return CreatedOrganization{*org, key};
  });
}

Expected<CreatedKey> Registry::create_api_key(const Caller& caller, const std::string& name,
                                              Role role) {
  ORBIT_TRY(check_name("name", name));
  return store_->transaction([&]() -> Expected<CreatedKey> {
    ORBIT_TRY(require_below_limit(store_->count_api_keys(caller.organization.id), "API keys"));
    auto existing = store_->find_api_key(caller.organization.id, name);
    if (!existing.ok()) return existing.error();
    if (existing->has_value())
      return api_error(ApiCode::kAlreadyExists, "API key \"" + name + "\" already exists");
    CreatedKey key = new_api_key(caller.organization.id, name, role);
    ORBIT_TRY(store_->insert_api_key(key.key));
    return key;
  });
}

Outcome Registry::delete_api_key(const Caller& caller, const std::string& id) {
  if (id == caller.key.id)
    return api_error(ApiCode::kFailedPrecondition, "an API key cannot delete itself");
  auto deleted = store_->delete_api_key(caller.organization.id, id);
  if (!deleted.ok()) return deleted.error();
  if (!*deleted) return not_found("no API key \"" + id + "\"");
  return Done{};
}

// ---- namespaces

Expected<Namespace> Registry::find_namespace(const Caller& caller, const std::string& name) {
  auto ns = store_->find_namespace(caller.organization.id, name);
  if (!ns.ok()) return ns.error();
  if (!ns->has_value()) return not_found("no namespace \"" + name + "\"");
  return **ns;
}

Expected<Namespace> Registry::create_namespace(const Caller& caller, const std::string& name) {
  ORBIT_TRY(check_name("name", name));
  return store_->transaction([&]() -> Expected<Namespace> {
    ORBIT_TRY(require_below_limit(store_->count_namespaces(caller.organization.id), "namespaces"));
    auto existing = store_->find_namespace(caller.organization.id, name);
    if (!existing.ok()) return existing.error();
    if (existing->has_value())
      return api_error(ApiCode::kAlreadyExists, "namespace \"" + name + "\" already exists");
    return store_->insert_namespace(caller.organization.id, name, config::now_rfc3339());
  });
}

Outcome Registry::delete_namespace(const Caller& caller, const std::string& name) {
  if (name == "default")
    return api_error(ApiCode::kFailedPrecondition, "the default namespace cannot be deleted");
  return store_->transaction([&]() -> Outcome {
    auto ns = find_namespace(caller, name);
    if (!ns.ok()) return ns.error();
    auto graphs = store_->count_graphs(ns->id);
    if (!graphs.ok()) return graphs.error();
    auto subgraphs = store_->count_subgraphs(ns->id);
    if (!subgraphs.ok()) return subgraphs.error();
    if (*graphs > 0 || *subgraphs > 0)
      return api_error(ApiCode::kFailedPrecondition,
                       "namespace \"" + name + "\" still holds " + std::to_string(*graphs) +
                           " graph(s) and " + std::to_string(*subgraphs) +
                           " subgraph(s); delete them first");
    return store_->delete_namespace(ns->id);
  });
}

Expected<Organization> Registry::organization_of(const Namespace& ns) {
  auto org = store_->find_organization(ns.org_id);
  if (!org.ok()) return org.error();
  if (!org->has_value()) return api_error(ApiCode::kInternal, "the namespace has no organization");
  return **org;
}

// ---- graphs

Expected<FederatedGraph> Registry::find_graph(const Namespace& ns, const std::string& name) {
  auto graph = store_->find_graph(ns.id, name);
  if (!graph.ok()) return graph.error();
  if (!graph->has_value())
    return not_found("no federated graph \"" + name + "\" in namespace \"" + ns.name + "\"");
  return **graph;
}

namespace {
Expected<std::vector<std::string>> normalize_matchers(const std::vector<std::string>& matchers) {
  if (matchers.size() > kMaxMatchers)
    return api_error(ApiCode::kInvalidArgument,
                     "labelMatchers: more than " + std::to_string(kMaxMatchers) + " matchers");
  std::vector<std::string> out;
  for (size_t i = 0; i < matchers.size(); ++i) {
    auto m = normalize_matcher("labelMatchers[" + std::to_string(i) + "]", matchers[i]);
    if (!m.ok()) return m.error();
    out.push_back(*m);
  }
  return out;
}
}  // namespace

Expected<GraphChange> Registry::create_graph(const Caller& caller, const Namespace& ns,
                                             FederatedGraph graph) {
  ORBIT_TRY(check_name("name", graph.name));
  ORBIT_TRY(check_url("routingUrl", graph.routing_url));
  auto matchers = normalize_matchers(graph.label_matchers);
  if (!matchers.ok()) return matchers.error();
  graph.label_matchers = *matchers;
  graph.namespace_id = ns.id;
  graph.created_at = graph.updated_at = config::now_rfc3339();
  auto result = store_->transaction([&]() -> Expected<GraphChange> {
    ORBIT_TRY(require_below_limit(store_->count_graphs(ns.id), "graphs per namespace"));
    auto existing = store_->find_graph(ns.id, graph.name);
    if (!existing.ok()) return existing.error();
    if (existing->has_value())
      return api_error(
          ApiCode::kAlreadyExists,
          "federated graph \"" + graph.name + "\" already exists in namespace \"" + ns.name + "\"");
    auto inserted = store_->insert_graph(graph);
    if (!inserted.ok()) return inserted.error();
    auto composition = compose_graph(ns, *inserted, "graph created", std::nullopt, false);
    if (!composition.ok()) return composition.error();
    return GraphChange{*inserted, *composition};
  });
  if (!result.ok()) restore_artifacts(ns);
  return result;
}

Expected<GraphChange> Registry::update_graph(
    const Caller& caller, const Namespace& ns, const std::string& name,
    std::optional<std::string> routing_url,
    std::optional<std::vector<std::string>> label_matchers) {
  if (routing_url) ORBIT_TRY(check_url("routingUrl", *routing_url));
  if (label_matchers) {
    auto m = normalize_matchers(*label_matchers);
    if (!m.ok()) return m.error();
    label_matchers = *m;
  }
  auto result = store_->transaction([&]() -> Expected<GraphChange> {
    auto graph = find_graph(ns, name);
    if (!graph.ok()) return graph.error();
    GraphChange change{*graph, std::nullopt};
    bool recompose = label_matchers && *label_matchers != graph->label_matchers;
    if (routing_url) change.graph.routing_url = *routing_url;
    if (label_matchers) change.graph.label_matchers = *label_matchers;
    change.graph.updated_at = config::now_rfc3339();
    ORBIT_TRY(store_->update_graph(change.graph));
    if (recompose) {
      auto composition =
          compose_graph(ns, change.graph, "label matchers changed", std::nullopt, false);
      if (!composition.ok()) return composition.error();
      change.composition = *composition;
    }
    return change;
  });
  if (!result.ok()) restore_artifacts(ns);
  return result;
}

Outcome Registry::delete_graph(const Caller& caller, const Namespace& ns, const std::string& name) {
  auto org = organization_of(ns);
  if (!org.ok()) return org.error();
  auto deleted = store_->transaction([&]() -> Outcome {
    auto graph = find_graph(ns, name);
    if (!graph.ok()) return graph.error();
    std::string now = config::now_rfc3339();
    PageRequest page;
    page.limit = 1000;
    while (true) {
      auto tokens = store_->list_graph_tokens(graph->id, page);
      if (!tokens.ok()) return tokens.error();
      for (const GraphToken& t : tokens->items)
        if (t.revoked_at.empty()) ORBIT_TRY(store_->revoke_graph_token(t.id, now));
      if (tokens->next_after.empty()) break;
      page.after = tokens->next_after;
    }
    return store_->delete_graph(graph->id);
  });
  if (!deleted.ok()) return deleted;
  std::string path = cdn::ArtifactStore::artifact_path(options_.cdn_storage, org->name,
                                                       cdn_graph_name(ns.name, name));
  std::error_code ec;
  std::filesystem::remove(path + ".sig", ec);
  std::filesystem::remove(path, ec);
  // The routers orbit-cdn saw polling it (cdn/fleet_file.h); the CDN never recreates the
  // directory.
  std::filesystem::remove(std::filesystem::path(path).parent_path() / "routers.json", ec);
  std::filesystem::remove(std::filesystem::path(path).parent_path(), ec);
  return write_revocations();
}

Expected<std::vector<Subgraph>> Registry::selected_subgraphs(const Namespace& ns,
                                                             const FederatedGraph& graph) {
  auto subgraphs = store_->all_subgraphs(ns.id);
  if (!subgraphs.ok()) return subgraphs.error();
  std::vector<Subgraph> out;
  for (auto& s : *subgraphs)
    if (matches(graph.label_matchers, s.labels)) out.push_back(std::move(s));
  return out;
}

Expected<ServedConfig> Registry::served_config(const Namespace& ns, const FederatedGraph& graph) {
  auto served = store_->served_composition(graph.id);
  if (!served.ok()) return served.error();
  if (!served->has_value())
    return not_found("federated graph \"" + graph.name + "\" has no composed config yet");
  ServedConfig config;
  config.artifact = (*served)->artifact;
  config.etag = "\"" + security::sha256_hex(config.artifact) + "\"";
  config.signature = signing_key_.sign(config.artifact);
  return config;
}

Expected<std::optional<Composition>> Registry::compose_graph(
    const Namespace& ns, const FederatedGraph& graph, const std::string& trigger,
    const std::optional<Proposed>& proposed, bool dry_run) {
  auto subgraphs = selected_subgraphs(ns, graph);
  if (!subgraphs.ok()) return subgraphs.error();
  std::vector<federation::SubgraphSource> sources;
  std::vector<const Subgraph*> used;
  std::string used_json;
  JsonWriter w(used_json);
  w.begin_array();
  for (const Subgraph& s : *subgraphs) {
    std::string sdl;
    if (proposed && proposed->subgraph_id == s.id) {
      sdl = proposed->sdl;
      w.begin_object().key("name").string(s.name).key("version").null().end_object();
    } else {
      auto version = store_->latest_schema_version(s.id);
      if (!version.ok()) return version.error();
      if (!version->has_value()) continue;  // never published: not part of the graph yet
      sdl = (*version)->sdl;
      w.begin_object().key("name").string(s.name).key("version").integer((*version)->version);
      w.end_object();
    }
    sources.push_back({s.name, s.routing_url, std::move(sdl)});
    used.push_back(&s);
  }
  w.end_array();
  if (sources.empty()) return std::optional<Composition>();

  Composition c;
  c.graph_id = graph.id;
  c.subgraphs_json = used_json;
  c.trigger = trigger;
  c.created_at = config::now_rfc3339();
  if (sources.size() > options_.max_subgraphs_per_composition) {
    c.errors_json = one_error_json(
        "TOO_MANY_SUBGRAPHS",
        "the graph selects " + std::to_string(sources.size()) + " subgraphs; at most " +
            std::to_string(options_.max_subgraphs_per_composition) + " are composed");
  } else {
    federation::ComposeOptions compose_options;
    compose_options.max_subgraphs = options_.max_subgraphs_per_composition;
    compose_options.max_sdl_bytes = options_.max_sdl_bytes;
    federation::CompositionResult result = federation::compose(sources, compose_options);
    c.succeeded = result.ok();
    c.errors_json = messages_json(result.errors);
    c.hints_json = messages_json(result.hints);
    c.supergraph_sdl = std::move(result.supergraph_sdl);
  }
  if (dry_run) return std::optional<Composition>(std::move(c));

  auto inserted = store_->insert_composition(c);
  if (!inserted.ok()) return inserted.error();
  c = std::move(*inserted);
  if (c.succeeded) {
    auto org = organization_of(ns);
    if (!org.ok()) return org.error();
    config::RouterArtifact artifact;
    artifact.version =
        "c" + std::to_string(c.id) + "-" + security::sha256_hex(c.supergraph_sdl).substr(0, 8);
    artifact.created_at = c.created_at;
    artifact.supergraph_sdl = c.supergraph_sdl;
    for (const Subgraph* s : used) {
      config::ArtifactSubgraph entry;
      entry.name = s->name;
      entry.routing_url = s->routing_url;
      entry.subscription_url = s->subscription_url;
      entry.subscription_protocol = config::parse_subscription_protocol(s->subscription_protocol)
                                        .value_or(config::SubscriptionProtocol::kWs);
      artifact.subgraphs.push_back(std::move(entry));
    }
    c.artifact_version = artifact.version;
    c.artifact = config::write_artifact(artifact);
    ORBIT_TRY(store_->set_composition_artifact(c.id, c.artifact_version, c.artifact));
    Status written =
        cdn::ArtifactStore::publish(options_.cdn_storage, org->name,
                                    cdn_graph_name(ns.name, graph.name), c.artifact, signing_key_);
    if (!written.ok())
      return api_error(ApiCode::kInternal,
                       "writing the artifact to CDN storage: " + written.message());
    log::info("graph {}/{}: composition {} succeeded, artifact {} published", ns.name, graph.name,
              c.id, c.artifact_version);
  } else {
    log::info("graph {}/{}: composition {} failed; the previous artifact stays", ns.name,
              graph.name, c.id);
  }
  return std::optional<Composition>(std::move(c));
}

Expected<std::vector<GraphComposition>> Registry::recompose_selecting(const Namespace& ns,
                                                                      const Labels* before,
                                                                      const Labels* after,
                                                                      const std::string& trigger) {
  auto graphs = store_->all_graphs(ns.id);
  if (!graphs.ok()) return graphs.error();
  std::vector<GraphComposition> out;
  for (const FederatedGraph& g : *graphs) {
    bool selected = (before && matches(g.label_matchers, *before)) ||
                    (after && matches(g.label_matchers, *after));
    if (!selected) continue;
    auto composition = compose_graph(ns, g, trigger, std::nullopt, false);
    if (!composition.ok()) return composition.error();
    if (composition->has_value()) out.push_back({g.name, std::move(**composition)});
  }
  return out;
}

void Registry::restore_artifacts(const Namespace& ns) {
  auto org = organization_of(ns);
  auto graphs = store_->all_graphs(ns.id);
  if (!org.ok() || !graphs.ok()) return;
  for (const FederatedGraph& g : *graphs) {
    auto served = store_->served_composition(g.id);
    if (!served.ok() || !served->has_value()) continue;
    std::string path = cdn::ArtifactStore::artifact_path(options_.cdn_storage, org->name,
                                                         cdn_graph_name(ns.name, g.name));
    if (file_equals(path, (*served)->artifact)) continue;
    Status s = cdn::ArtifactStore::publish(options_.cdn_storage, org->name,
                                           cdn_graph_name(ns.name, g.name), (*served)->artifact,
                                           signing_key_);
    if (!s.ok()) log::error("restoring the artifact of {}/{}: {}", ns.name, g.name, s.message());
  }
}

// ---- subgraphs

Expected<Subgraph> Registry::find_subgraph(const Namespace& ns, const std::string& name) {
  auto subgraph = store_->find_subgraph(ns.id, name);
  if (!subgraph.ok()) return subgraph.error();
  if (!subgraph->has_value())
    return not_found("no subgraph \"" + name + "\" in namespace \"" + ns.name + "\"");
  return **subgraph;
}

namespace {
Outcome check_subgraph_fields(const Subgraph& s) {
  ORBIT_TRY(check_url("routingUrl", s.routing_url));
  if (!s.subscription_url.empty())
    ORBIT_TRY(check_url("subscriptionUrl", s.subscription_url, true));
  if (!config::parse_subscription_protocol(s.subscription_protocol))
    return api_error(ApiCode::kInvalidArgument,
                     "subscriptionProtocol: expected ws, sse or sse_post, got \"" +
                         s.subscription_protocol.substr(0, 40) + "\"");
  if (s.labels.size() > kMaxLabels)
    return api_error(ApiCode::kInvalidArgument,
                     "labels: more than " + std::to_string(kMaxLabels) + " labels");
  for (const auto& [k, v] : s.labels)
    ORBIT_TRY(check_label("labels", k, v));
  return Done{};
}
}  // namespace

Expected<Subgraph> Registry::create_subgraph(const Namespace& ns, Subgraph subgraph) {
  ORBIT_TRY(check_name("name", subgraph.name));
  ORBIT_TRY(check_subgraph_fields(subgraph));
  subgraph.namespace_id = ns.id;
  subgraph.created_at = subgraph.updated_at = config::now_rfc3339();
  return store_->transaction([&]() -> Expected<Subgraph> {
    ORBIT_TRY(require_below_limit(store_->count_subgraphs(ns.id), "subgraphs per namespace"));
    auto existing = store_->find_subgraph(ns.id, subgraph.name);
    if (!existing.ok()) return existing.error();
    if (existing->has_value())
      return api_error(
          ApiCode::kAlreadyExists,
          "subgraph \"" + subgraph.name + "\" already exists in namespace \"" + ns.name + "\"");
    return store_->insert_subgraph(subgraph);
  });
}

Expected<std::pair<Subgraph, std::vector<GraphComposition>>> Registry::update_subgraph(
    const Caller& caller, const Namespace& ns, const std::string& name,
    const SubgraphUpdate& update) {
  using Updated = std::pair<Subgraph, std::vector<GraphComposition>>;
  auto result = store_->transaction([&]() -> Expected<Updated> {
    auto before = find_subgraph(ns, name);
    if (!before.ok()) return before.error();
    Subgraph after = *before;
    if (update.routing_url) after.routing_url = *update.routing_url;
    if (update.subscription_url) after.subscription_url = *update.subscription_url;
    if (update.subscription_protocol) after.subscription_protocol = *update.subscription_protocol;
    if (update.labels) after.labels = *update.labels;
    ORBIT_TRY(check_subgraph_fields(after));
    after.updated_at = config::now_rfc3339();
    ORBIT_TRY(store_->update_subgraph(after));
    bool changed = after.routing_url != before->routing_url ||
                   after.subscription_url != before->subscription_url ||
                   after.subscription_protocol != before->subscription_protocol ||
                   after.labels != before->labels;
    std::vector<GraphComposition> compositions;
    if (changed) {
      auto recomposed = recompose_selecting(ns, &before->labels, &after.labels,
                                            "subgraph " + ns.name + "/" + name + " updated");
      if (!recomposed.ok()) return recomposed.error();
      compositions = std::move(*recomposed);
    }
    return Updated{after, std::move(compositions)};
  });
  if (!result.ok()) restore_artifacts(ns);
  return result;
}

Expected<std::vector<GraphComposition>> Registry::delete_subgraph(const Caller& caller,
                                                                  const Namespace& ns,
                                                                  const std::string& name) {
  auto result = store_->transaction([&]() -> Expected<std::vector<GraphComposition>> {
    auto subgraph = find_subgraph(ns, name);
    if (!subgraph.ok()) return subgraph.error();
    ORBIT_TRY(store_->delete_subgraph(subgraph->id));
    return recompose_selecting(ns, &subgraph->labels, nullptr,
                               "subgraph " + ns.name + "/" + name + " deleted");
  });
  if (!result.ok()) restore_artifacts(ns);
  return result;
}

Expected<PublishResult> Registry::publish(const Caller& caller, const Namespace& ns,
                                          const std::string& name, const std::string& sdl) {
  if (sdl.size() > options_.max_sdl_bytes)
    return api_error(ApiCode::kPayloadTooLarge, "sdl: " + std::to_string(sdl.size()) +
                                                    " bytes, more than the limit of " +
                                                    std::to_string(options_.max_sdl_bytes));
  if (sdl.find_first_not_of(" \t\r\n") == std::string::npos)
    return api_error(ApiCode::kInvalidArgument, "sdl: must not be empty");
  ORBIT_TRY(check_sdl_parses(sdl, "sdl"));
  auto result = store_->transaction([&]() -> Expected<PublishResult> {
    auto subgraph = find_subgraph(ns, name);
    if (!subgraph.ok()) return subgraph.error();
    PublishResult out;
    out.ns = ns.name;
    out.subgraph = name;
    std::string sha = security::sha256_hex(sdl);
    auto latest = store_->latest_schema_version(subgraph->id);
    if (!latest.ok()) return latest.error();
    if (latest->has_value() && (*latest)->sha256 == sha) {
      out.version = **latest;
      out.version.sdl.clear();
      out.unchanged = true;
      return out;
    }
    auto version = store_->insert_schema_version(subgraph->id, sdl, sha, config::now_rfc3339());
    if (!version.ok()) return version.error();
    out.version = *version;
    out.version.sdl.clear();
    auto compositions = recompose_selecting(
        ns, &subgraph->labels, nullptr,
        "publish " + ns.name + "/" + name + " v" + std::to_string(version->version) +
            (caller.user ? " by user " : " by key ") + caller.key.name);
    if (!compositions.ok()) return compositions.error();
    out.compositions = std::move(*compositions);
    return out;
  });
  if (!result.ok()) restore_artifacts(ns);
  return result;
}

Expected<CheckResult> Registry::check(const Namespace& ns, const std::string& name,
                                      const std::string& sdl, int64_t usage_window_days) {
  if (usage_window_days < 1 || usage_window_days > kMaxUsageWindowDays)
    return api_error(ApiCode::kInvalidArgument,
                     "usageWindowDays: expected 1 to " + std::to_string(kMaxUsageWindowDays));
  if (sdl.size() > options_.max_sdl_bytes)
    return api_error(ApiCode::kPayloadTooLarge, "sdl: " + std::to_string(sdl.size()) +
                                                    " bytes, more than the limit of " +
                                                    std::to_string(options_.max_sdl_bytes));
  if (sdl.find_first_not_of(" \t\r\n") == std::string::npos)
    return api_error(ApiCode::kInvalidArgument, "sdl: must not be empty");
  ORBIT_TRY(check_sdl_parses(sdl, "sdl"));
  auto subgraph = find_subgraph(ns, name);
  if (!subgraph.ok()) return subgraph.error();
  CheckResult out;
  out.usage_window_days = usage_window_days;
  std::vector<int64_t> graph_ids;
  auto graphs = store_->all_graphs(ns.id);
  if (!graphs.ok()) return graphs.error();
  for (const FederatedGraph& g : *graphs) {
    if (!matches(g.label_matchers, subgraph->labels)) continue;
    graph_ids.push_back(g.id);
    auto composition = compose_graph(ns, g, "check", Proposed{subgraph->id, sdl}, true);
    if (!composition.ok()) return composition.error();
    if (!composition->has_value()) continue;
    out.compositions.push_back({g.name, (*composition)->succeeded, (*composition)->errors_json,
                                (*composition)->hints_json});
  }
  auto latest = store_->latest_schema_version(subgraph->id);
  if (!latest.ok()) return latest.error();
  if (latest->has_value()) {
    auto changes =
        schema_changes((*latest)->sdl, sdl, "version " + std::to_string((*latest)->version), "sdl");
    if (!changes.ok()) return changes.error();
    out.changes = std::move(*changes);
  }
  ORBIT_TRY(record_check(*store_, ns, *subgraph, graph_ids, security::unix_now(), out));
  return out;
}

Expected<Registry::Changelog> Registry::changelog(const Subgraph& subgraph, int64_t from,
                                                  int64_t to) {
  Changelog out;
  if (to <= 0) {
    auto latest = store_->latest_schema_version(subgraph.id);
    if (!latest.ok()) return latest.error();
    if (!latest->has_value())
      return not_found("subgraph \"" + subgraph.name + "\" has no schema version yet");
    to = (*latest)->version;
  }
  if (from < 0) from = to - 1;
  if (from < 0 || from > to)
    return api_error(ApiCode::kInvalidArgument,
                     "from: must be between 0 and to (" + std::to_string(to) + ")");
  auto new_version = store_->find_schema_version(subgraph.id, to);
  if (!new_version.ok()) return new_version.error();
  if (!new_version->has_value())
    return not_found("subgraph \"" + subgraph.name + "\" has no version " + std::to_string(to));
  std::string old_sdl;
  if (from > 0) {
    auto old_version = store_->find_schema_version(subgraph.id, from);
    if (!old_version.ok()) return old_version.error();
    if (!old_version->has_value())
      return not_found("subgraph \"" + subgraph.name + "\" has no version " + std::to_string(from));
    old_sdl = (*old_version)->sdl;
  }
  auto changes = schema_changes(old_sdl, (*new_version)->sdl, "version " + std::to_string(from),
                                "version " + std::to_string(to));
  if (!changes.ok()) return changes.error();
  out.from = from;
  out.to = to;
  out.changes = std::move(*changes);
  return out;
}

// ---- graph tokens

Expected<CreatedToken> Registry::create_token(const Caller& caller, const Namespace& ns,
                                              const FederatedGraph& graph, const std::string& name,
                                              std::optional<int64_t> expires_in) {
  ORBIT_TRY(check_name("name", name));
  if (expires_in && (*expires_in <= 0 || *expires_in > kMaxTokenLifetime))
    return api_error(ApiCode::kInvalidArgument, "expiresIn: must be between 1 and " +
                                                    std::to_string(kMaxTokenLifetime) +
                                                    " seconds (10 years)");
  auto org = organization_of(ns);
  if (!org.ok()) return org.error();
  return store_->transaction([&]() -> Expected<CreatedToken> {
    ORBIT_TRY(require_below_limit(store_->count_graph_tokens(graph.id), "tokens per graph"));
    security::GraphTokenClaims claims;
    claims.audience = options_.audience;
    claims.org = org->name;
    claims.graph = cdn_graph_name(ns.name, graph.name);
    claims.token_id = security::new_token_id();
    claims.issued_at = security::unix_now();
    if (expires_in) claims.expires_at = claims.issued_at + *expires_in;
    auto jwt = security::mint_graph_token(claims, token_key_);
    if (!jwt.ok()) return from_status(jwt.status());
    GraphToken token;
    token.id = claims.token_id;
    token.graph_id = graph.id;
    token.name = name;
    token.created_at = config::now_rfc3339();
    if (claims.expires_at) token.expires_at = rfc3339_of(*claims.expires_at);
    ORBIT_TRY(store_->insert_graph_token(token));
    return CreatedToken{token, *jwt};
  });
}

Expected<GraphToken> Registry::revoke_token(const Namespace& ns, const FederatedGraph& graph,
                                            const std::string& id) {
  auto revoked = store_->transaction([&]() -> Expected<GraphToken> {
    auto token = store_->find_graph_token(graph.id, id);
    if (!token.ok()) return token.error();
    if (!token->has_value())
      return not_found("no graph token \"" + id + "\" for graph \"" + graph.name + "\"");
    if (!(*token)->revoked_at.empty())
      return api_error(ApiCode::kFailedPrecondition,
                       "graph token \"" + id + "\" was already revoked at " + (*token)->revoked_at);
    GraphToken out = **token;
    out.revoked_at = config::now_rfc3339();
    ORBIT_TRY(store_->revoke_graph_token(id, out.revoked_at));
    return out;
  });
  if (!revoked.ok()) return revoked;
  ORBIT_TRY(write_revocations());
  return revoked;
}

Outcome Registry::write_revocations() {
  if (options_.revocations_path.empty()) return Done{};
  auto ids = store_->revoked_token_ids();
  if (!ids.ok()) return ids.error();
  std::string text = "# graph tokens revoked in orbit-controlplane; rewritten on every change\n";
  for (const std::string& id : *ids)
    text += id + "\n";
  Status s = config::write_file_atomic(options_.revocations_path, text);
  if (!s.ok())
    return api_error(ApiCode::kInternal,
                     "writing the revocation file (the revocation is stored and is written "
                     "again at the next start): " +
                         s.message());
  return Done{};
}

Expected<int> Registry::reconcile() {
  ORBIT_TRY(write_revocations());
  int rewritten = 0;
  PageRequest orgs_page;
  orgs_page.limit = 100;
  while (true) {
    auto orgs = store_->list_organizations(orgs_page);
    if (!orgs.ok()) return orgs.error();
    for (const Organization& org : orgs->items) {
      PageRequest ns_page;
      ns_page.limit = 100;
      while (true) {
        auto namespaces = store_->list_namespaces(org.id, ns_page);
        if (!namespaces.ok()) return namespaces.error();
        for (const Namespace& ns : namespaces->items) {
          auto graphs = store_->all_graphs(ns.id);
          if (!graphs.ok()) return graphs.error();
          for (const FederatedGraph& g : *graphs) {
            auto served = store_->served_composition(g.id);
            if (!served.ok()) return served.error();
            if (!served->has_value()) continue;
            std::string graph_name = cdn_graph_name(ns.name, g.name);
            std::string path =
                cdn::ArtifactStore::artifact_path(options_.cdn_storage, org.name, graph_name);
            remove_stale_temporaries(std::filesystem::path(path).parent_path());
            std::string signature = security::write_signature_file(
                security::sign_artifact((*served)->artifact, signing_key_));
            if (file_equals(path, (*served)->artifact) && file_equals(path + ".sig", signature))
              continue;
            Status s = cdn::ArtifactStore::publish(options_.cdn_storage, org.name, graph_name,
                                                   (*served)->artifact, signing_key_);
            if (!s.ok()) return from_status(s);
            log::warn(
                "graph {}/{}/{}: CDN storage did not hold the artifact of composition {}; "
                "rewritten",
                org.name, ns.name, g.name, (*served)->id);
            ++rewritten;
          }
        }
        if (namespaces->next_after.empty()) break;
        ns_page.after = namespaces->next_after;
      }
    }
    if (orgs->next_after.empty()) break;
    orgs_page.after = orgs->next_after;
  }
  return rewritten;
}

}  // namespace orbit::registry
