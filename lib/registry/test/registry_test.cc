// Registry against both backends: bootstrap and API keys, label matchers, publish → compose →
// signed artifact in CDN storage (verified with the public key, as routers do), a failing
// publish that keeps the artifact and stores the errors, checks with breaking changes, the
// changelog, graph tokens (verified as orbit-cdn does) and the revocation file, and
// reconcile() putting back an artifact that a crash left behind.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "backends.h"
#include "orbit/cdn/artifact_store.h"
#include "orbit/config/artifact.h"
#include "orbit/config/atomic_file.h"
#include "orbit/registry/registry.h"
#include "orbit/registry/validation.h"
#include "orbit/security/artifact_signature.h"
#include "orbit/security/graph_token.h"
#include "orbit/security/revocation_list.h"

namespace orbit::registry {
namespace {

using testing::BackendTest;

constexpr const char* kProducts =
    R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { topProducts: [Product!]! }
type Product @key(fields: "upc") { upc: String! name: String! weight: Int }
)";
constexpr const char* kAccounts =
    R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { me: User }
type User @key(fields: "id") { id: ID! name: String }
)";
// Product.name as Int clashes with products' String!: does not compose.
constexpr const char* kClashing =
    R"(extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Query { me: User }
type User @key(fields: "id") { id: ID! name: String }
type Product @key(fields: "upc") { upc: String! name: Int @shareable }
)";

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const SchemaChange* find_change(const std::vector<SchemaChange>& changes, std::string_view path) {
  for (const SchemaChange& c : changes)
    if (c.path == path) return &c;
  return nullptr;
}

class RegistryTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    auto store = open();
    ASSERT_TRUE(store);
    auto signing = security::Ed25519PrivateKey::generate();
    auto token = security::Ed25519PrivateKey::generate();
    signing_public_ = std::make_unique<security::PublicKeySet>(
        std::vector<security::Ed25519PublicKey>{signing->public_key()});
    token_public_ = std::make_unique<security::PublicKeySet>(
        std::vector<security::Ed25519PublicKey>{token->public_key()});
    RegistryOptions options;
    options.cdn_storage = (dir_ / "cdn").string();
    options.revocations_path = (dir_ / "revoked.txt").string();
    std::filesystem::create_directories(options.cdn_storage);
    registry_ = std::make_unique<Registry>(std::move(store), *signing, *token, options);
    auto secret = registry_->bootstrap("acme", "");
    ASSERT_TRUE(secret.ok());
    admin_secret_ = *secret;
    auto caller = registry_->authenticate("Bearer " + admin_secret_);
    ASSERT_TRUE(caller.ok()) << caller.error().message;
    admin_ = *caller;
    ns_ = *registry_->find_namespace(admin_, "default");
  }

  Subgraph add_subgraph(const std::string& name, Labels labels) {
    Subgraph s;
    s.name = name;
    s.routing_url = "http://" + name + ".internal:4001/graphql";
    s.labels = std::move(labels);
    auto created = registry_->create_subgraph(ns_, s);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? *created : s;
  }
  FederatedGraph add_graph(const std::string& name, std::vector<std::string> matchers) {
    FederatedGraph g;
    g.name = name;
    g.routing_url = "https://" + name + ".example.com/graphql";
    g.label_matchers = std::move(matchers);
    auto created = registry_->create_graph(admin_, ns_, g);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created.ok() ? created->graph : g;
  }
  std::string artifact_path(const std::string& graph) {
    return cdn::ArtifactStore::artifact_path((dir_ / "cdn").string(), "acme", graph);
  }
  // What a router does with the storage files: verify the signature, parse the artifact.
  config::RouterArtifact served(const std::string& graph) {
    std::string body = read(artifact_path(graph));
    auto sig = security::parse_signature_file(read(artifact_path(graph) + ".sig"), "sig");
    EXPECT_TRUE(sig.ok());
    EXPECT_TRUE(sig.ok() && signing_public_->verify(body, sig->signature));
    auto artifact = config::parse_artifact(body);
    EXPECT_TRUE(artifact.ok()) << artifact.status().message();
    return artifact.ok() ? *artifact : config::RouterArtifact{};
  }

  std::unique_ptr<Registry> registry_;
  std::unique_ptr<security::PublicKeySet> signing_public_, token_public_;
  std::string admin_secret_;
  Caller admin_;
  Namespace ns_;
};

TEST_P(RegistryTest, BootstrapsOnceAndAuthenticatesKeys) {
  EXPECT_EQ(admin_secret_.rfind("orbit_", 0), 0u);
  EXPECT_TRUE(admin_.instance_admin);
  EXPECT_EQ(admin_.organization.name, "acme");
  EXPECT_EQ(*registry_->bootstrap("acme", ""), "");  // already initialized
  // The secret is stored hashed only.
  auto stored = registry_->store().find_api_key(admin_.key.id);
  EXPECT_EQ((*stored)->secret_sha256.find(admin_secret_.substr(23)), std::string::npos);

  for (const std::string& bad : std::vector<std::string>{
           "", "Basic abc", "Bearer nope", "Bearer " + admin_secret_ + "x",
           "Bearer orbit_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}) {
    auto caller = registry_->authenticate(bad);
    ASSERT_FALSE(caller.ok()) << bad;
    EXPECT_EQ(caller.error().code, ApiCode::kUnauthenticated);
  }
  // Right id, wrong secret.
  std::string wrong = admin_secret_;
  wrong.back() = wrong.back() == 'A' ? 'Q' : 'A';
  EXPECT_FALSE(registry_->authenticate("Bearer " + wrong).ok());

  auto viewer = registry_->create_api_key(admin_, "dashboards", Role::kViewer);
  ASSERT_TRUE(viewer.ok());
  auto caller = registry_->authenticate("bearer " + viewer->secret);
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->key.role, Role::kViewer);
  EXPECT_FALSE(caller->instance_admin);
  EXPECT_EQ(registry_->create_api_key(admin_, "dashboards", Role::kViewer).error().code,
            ApiCode::kAlreadyExists);
  EXPECT_EQ(registry_->delete_api_key(admin_, admin_.key.id).error().code,
            ApiCode::kFailedPrecondition);
  ASSERT_TRUE(registry_->delete_api_key(admin_, viewer->key.id).ok());
  EXPECT_FALSE(registry_->authenticate("Bearer " + viewer->secret).ok());

  // A given bootstrap key must have the format.
  EXPECT_EQ(Registry::split_api_key("orbit_short"), std::nullopt);
}

TEST_P(RegistryTest, OrganizationsOnlyByInstanceAdmins) {
  auto created = registry_->create_organization(admin_, "globex");
  ASSERT_TRUE(created.ok()) << created.error().message;
  auto globex = registry_->authenticate("Bearer " + created->admin_key.secret);
  ASSERT_TRUE(globex.ok());
  EXPECT_FALSE(globex->instance_admin);
  EXPECT_EQ(registry_->create_organization(*globex, "initech").error().code,
            ApiCode::kPermissionDenied);
  EXPECT_EQ(registry_->create_organization(admin_, "globex").error().code, ApiCode::kAlreadyExists);
  // Each organization sees its own namespaces only.
  ASSERT_TRUE(registry_->create_namespace(*globex, "staging").ok());
  EXPECT_EQ(registry_->find_namespace(admin_, "staging").error().code, ApiCode::kNotFound);
}

TEST_P(RegistryTest, PublishComposesTheSelectingGraphsAndSignsTheArtifact) {
  add_subgraph("products", {{"env", "prod"}, {"team", "a"}});
  add_subgraph("accounts", {{"env", "prod"}, {"team", "b"}});
  add_subgraph("legacy", {{"env", "staging"}});
  FederatedGraph shop = add_graph("shop", {"env=prod", "team=a,team=b"});
  FederatedGraph only_a = add_graph("only-a", {"team=a"});

  auto first = registry_->publish(admin_, ns_, "products", kProducts);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->version.version, 1);
  ASSERT_EQ(first->compositions.size(), 2u);  // both graphs select products
  EXPECT_TRUE(first->all_succeeded());

  auto second = registry_->publish(admin_, ns_, "accounts", kAccounts);
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_EQ(second->compositions.size(), 1u);  // only shop selects accounts
  EXPECT_EQ(second->compositions[0].graph, "shop");
  ASSERT_TRUE(second->compositions[0].composition.succeeded)
      << second->compositions[0].composition.errors_json;

  config::RouterArtifact artifact = served("shop");
  EXPECT_EQ(artifact.version, second->compositions[0].composition.artifact_version);
  ASSERT_EQ(artifact.subgraphs.size(), 2u);
  EXPECT_EQ(artifact.subgraphs[0].name, "accounts");
  EXPECT_EQ(artifact.subgraphs[1].routing_url, "http://products.internal:4001/graphql");
  EXPECT_NE(artifact.supergraph_sdl.find("join__Graph"), std::string::npos);
  EXPECT_NE(artifact.supergraph_sdl.find("topProducts"), std::string::npos);
  EXPECT_NE(artifact.supergraph_sdl.find("me: User"), std::string::npos);
  config::RouterArtifact only = served("only-a");
  EXPECT_EQ(only.subgraphs.size(), 1u);

  // The same SDL again: nothing stored, nothing recomposed.
  auto again = registry_->publish(admin_, ns_, "products", kProducts);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->unchanged);
  EXPECT_EQ(again->version.version, 1);
  EXPECT_TRUE(again->compositions.empty());

  auto config = registry_->served_config(ns_, shop);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->artifact, read(artifact_path("shop")));
  EXPECT_TRUE(signing_public_->verify(config->artifact, config->signature));
  EXPECT_EQ(only_a.label_matchers, std::vector<std::string>{"team=a"});
}

TEST_P(RegistryTest, FailingPublishKeepsTheArtifactAndStoresTheErrors) {
  add_subgraph("products", {{"env", "prod"}});
  add_subgraph("accounts", {{"env", "prod"}});
  FederatedGraph shop = add_graph("shop", {"env=prod"});
  ASSERT_TRUE(registry_->publish(admin_, ns_, "products", kProducts).ok());
  ASSERT_TRUE(registry_->publish(admin_, ns_, "accounts", kAccounts).ok());
  std::string before = read(artifact_path("shop"));
  std::string before_sig = read(artifact_path("shop") + ".sig");

  auto failed = registry_->publish(admin_, ns_, "accounts", kClashing);
  ASSERT_TRUE(failed.ok()) << failed.error().message;
  EXPECT_EQ(failed->version.version, 2);  // stored all the same
  ASSERT_EQ(failed->compositions.size(), 1u);
  const Composition& c = failed->compositions[0].composition;
  EXPECT_FALSE(c.succeeded);
  EXPECT_FALSE(failed->all_succeeded());
  EXPECT_NE(c.errors_json.find("\"code\":\""), std::string::npos) << c.errors_json;
  EXPECT_NE(c.errors_json.find("Product.name"), std::string::npos) << c.errors_json;
  EXPECT_EQ(read(artifact_path("shop")), before);
  EXPECT_EQ(read(artifact_path("shop") + ".sig"), before_sig);

  auto latest = registry_->store().latest_composition(shop.id);
  EXPECT_EQ((*latest)->id, c.id);
  auto served_one = registry_->store().served_composition(shop.id);
  EXPECT_NE((*served_one)->id, c.id);
  EXPECT_EQ((*served_one)->artifact, before);

  // SDL that does not parse is refused before anything is stored.
  auto bad = registry_->publish(admin_, ns_, "accounts", "type Query {");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ApiCode::kInvalidArgument);
  EXPECT_NE(bad.error().message.find("sdl: 1:"), std::string::npos) << bad.error().message;
  EXPECT_EQ(
      (*registry_->store().latest_schema_version(registry_->find_subgraph(ns_, "accounts")->id))
          ->version,
      2);
  EXPECT_EQ(registry_->publish(admin_, ns_, "nope", kAccounts).error().code, ApiCode::kNotFound);
  EXPECT_EQ(registry_->publish(admin_, ns_, "accounts", "  ").error().code,
            ApiCode::kInvalidArgument);
}

TEST_P(RegistryTest, CheckReportsCompositionErrorsAndBreakingChangesWithoutStoring) {
  add_subgraph("products", {{"env", "prod"}});
  add_subgraph("accounts", {{"env", "prod"}});
  add_graph("shop", {"env=prod"});
  ASSERT_TRUE(registry_->publish(admin_, ns_, "products", kProducts).ok());
  ASSERT_TRUE(registry_->publish(admin_, ns_, "accounts", kAccounts).ok());
  std::string before = read(artifact_path("shop"));

  auto clean =
      registry_->check(ns_, "products", std::string(kProducts) + "type Extra { a: Int }\n");
  ASSERT_TRUE(clean.ok()) << clean.error().message;
  EXPECT_TRUE(clean->ok());
  ASSERT_EQ(clean->changes.size(), 1u);
  EXPECT_EQ(clean->changes[0].type, "TYPE_ADDED");

  std::string removed = kProducts;
  removed.replace(removed.find(" weight: Int"), 12, "");
  auto breaking = registry_->check(ns_, "products", removed);
  ASSERT_TRUE(breaking.ok());
  EXPECT_FALSE(breaking->ok());
  ASSERT_EQ(breaking->compositions.size(), 1u);
  EXPECT_TRUE(breaking->compositions[0].succeeded);
  const SchemaChange* removed_field = find_change(breaking->changes, "Product.weight");
  ASSERT_NE(removed_field, nullptr) << changes_json(breaking->changes);
  EXPECT_EQ(removed_field->type, "FIELD_REMOVED");
  EXPECT_EQ(removed_field->severity, "BREAKING");
  EXPECT_TRUE(removed_field->breaking);

  auto clash = registry_->check(ns_, "accounts", kClashing);
  ASSERT_TRUE(clash.ok());
  EXPECT_FALSE(clash->ok());
  EXPECT_FALSE(clash->compositions[0].succeeded);

  // Nothing was stored or published.
  EXPECT_EQ(
      (*registry_->store().latest_schema_version(registry_->find_subgraph(ns_, "products")->id))
          ->version,
      1);
  EXPECT_EQ(read(artifact_path("shop")), before);
}

TEST_P(RegistryTest, ChangelogBetweenVersions) {
  Subgraph products = add_subgraph("products", {});
  ASSERT_TRUE(registry_->publish(admin_, ns_, "products", kProducts).ok());
  std::string v2 = kProducts;
  v2.replace(v2.find("weight: Int"), 11, "weight: Float price(currency: String!): Int");
  ASSERT_TRUE(registry_->publish(admin_, ns_, "products", v2).ok());

  auto log = registry_->changelog(products, -1, 0);
  ASSERT_TRUE(log.ok()) << log.error().message;
  EXPECT_EQ(log->from, 1);
  EXPECT_EQ(log->to, 2);
  const SchemaChange* price = find_change(log->changes, "Product.price");
  const SchemaChange* weight = find_change(log->changes, "Product.weight");
  ASSERT_TRUE(price && weight) << changes_json(log->changes);
  EXPECT_EQ(price->type, "FIELD_ADDED");
  EXPECT_FALSE(price->breaking);
  EXPECT_EQ(weight->type, "FIELD_TYPE_CHANGED");
  EXPECT_TRUE(weight->breaking);
  EXPECT_NE(weight->message.find("from Int to Float"), std::string::npos);

  auto first = registry_->changelog(products, -1, 1);  // version 1 against nothing
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->from, 0);
  EXPECT_FALSE(first->changes.empty());
  EXPECT_EQ(registry_->changelog(products, 1, 7).error().code, ApiCode::kNotFound);
  EXPECT_EQ(registry_->changelog(products, 3, 2).error().code, ApiCode::kInvalidArgument);
}

TEST_P(RegistryTest, GraphTokensVerifyAtTheCdnUntilRevoked) {
  FederatedGraph shop = add_graph("shop", {"env=prod"});
  auto created = registry_->create_token(admin_, ns_, shop, "prod-routers", 3600);
  ASSERT_TRUE(created.ok()) << created.error().message;
  security::GraphTokenVerifier verifier(*token_public_);
  auto check = verifier.authorize(created->jwt, "acme", "shop", nullptr, security::unix_now());
  EXPECT_TRUE(check.ok()) << check.message;
  EXPECT_EQ(check.claims.token_id, created->token.id);
  ASSERT_TRUE(check.claims.expires_at.has_value());
  EXPECT_FALSE(created->token.expires_at.empty());
  EXPECT_FALSE(
      verifier.authorize(created->jwt, "acme", "other", nullptr, security::unix_now()).ok());

  auto revoked = registry_->revoke_token(ns_, shop, created->token.id);
  ASSERT_TRUE(revoked.ok()) << revoked.error().message;
  EXPECT_FALSE(revoked->revoked_at.empty());
  auto list = security::RevocationList::parse(read((dir_ / "revoked.txt").string()), "revoked.txt");
  ASSERT_TRUE(list.ok()) << list.status().message();
  check = verifier.authorize(created->jwt, "acme", "shop", &*list, security::unix_now());
  EXPECT_EQ(check.error, security::TokenError::kRevoked);
  EXPECT_EQ(registry_->revoke_token(ns_, shop, created->token.id).error().code,
            ApiCode::kFailedPrecondition);
  EXPECT_EQ(registry_->revoke_token(ns_, shop, "nope").error().code, ApiCode::kNotFound);
  EXPECT_EQ(registry_->create_token(admin_, ns_, shop, "x", 0).error().code,
            ApiCode::kInvalidArgument);

  // A graph in another namespace has a qualified CDN name.
  auto staging = registry_->create_namespace(admin_, "staging");
  FederatedGraph g;
  g.name = "shop";
  g.routing_url = "https://x.example.com";
  auto staged = registry_->create_graph(admin_, *staging, g);
  ASSERT_TRUE(staged.ok());
  auto token = registry_->create_token(admin_, *staging, staged->graph, "r", std::nullopt);
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(
      verifier.authorize(token->jwt, "acme", "staging.shop", nullptr, security::unix_now()).ok());
}

TEST_P(RegistryTest, DeletingAGraphRemovesItsArtifactAndRevokesItsTokens) {
  add_subgraph("products", {{"env", "prod"}});
  FederatedGraph shop = add_graph("shop", {"env=prod"});
  ASSERT_TRUE(registry_->publish(admin_, ns_, "products", kProducts).ok());
  auto token = registry_->create_token(admin_, ns_, shop, "r", std::nullopt);
  ASSERT_TRUE(std::filesystem::exists(artifact_path("shop")));
  ASSERT_TRUE(registry_->delete_graph(admin_, ns_, "shop").ok());
  EXPECT_FALSE(std::filesystem::exists(artifact_path("shop")));
  EXPECT_NE(read((dir_ / "revoked.txt").string()).find(token->token.id), std::string::npos);
  EXPECT_EQ(registry_->delete_namespace(admin_, "default").error().code,
            ApiCode::kFailedPrecondition);
}

TEST_P(RegistryTest, ReconcilePutsBackWhatTheDatabaseSays) {
  add_subgraph("products", {{"env", "prod"}});
  add_graph("shop", {"env=prod"});
  ASSERT_TRUE(registry_->publish(admin_, ns_, "products", kProducts).ok());
  std::string good = read(artifact_path("shop"));
  // A crash between an artifact write and the commit leaves bytes the database never saw.
  ASSERT_TRUE(config::write_file_atomic(artifact_path("shop"), "{\"half\":").ok());
  std::filesystem::remove(dir_ / "revoked.txt");
  auto rewritten = registry_->reconcile();
  ASSERT_TRUE(rewritten.ok()) << rewritten.error().message;
  EXPECT_EQ(*rewritten, 1);
  EXPECT_EQ(read(artifact_path("shop")), good);
  served("shop");
  EXPECT_TRUE(std::filesystem::exists(dir_ / "revoked.txt"));
  // A temporary file of a write that was killed: removed once it is old, kept while fresh.
  std::filesystem::path dir = std::filesystem::path(artifact_path("shop")).parent_path();
  std::ofstream(dir / ".latest.json.tmp.4242.1") << "{\"half";
  std::ofstream(dir / ".latest.json.tmp.4243.1") << "{\"fresh";
  std::filesystem::last_write_time(
      dir / ".latest.json.tmp.4242.1",
      std::filesystem::file_time_type::clock::now() - std::chrono::minutes(5));
  EXPECT_EQ(*registry_->reconcile(), 0);
  EXPECT_FALSE(std::filesystem::exists(dir / ".latest.json.tmp.4242.1"));
  EXPECT_TRUE(std::filesystem::exists(dir / ".latest.json.tmp.4243.1"));
}

TEST_P(RegistryTest, BadInputGetsPreciseErrors) {
  Subgraph s;
  s.name = "Products";  // upper case
  s.routing_url = "http://x";
  auto bad_name = registry_->create_subgraph(ns_, s);
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.error().message.find("name: \"Products\" is not a name"), std::string::npos)
      << bad_name.error().message;
  s.name = "products";
  s.routing_url = "ftp://x";
  EXPECT_NE(registry_->create_subgraph(ns_, s).error().message.find("routingUrl: expected an http"),
            std::string::npos);
  s.routing_url = "http://x";
  s.subscription_protocol = "carrier-pigeon";
  EXPECT_NE(registry_->create_subgraph(ns_, s).error().message.find("subscriptionProtocol"),
            std::string::npos);
  s.subscription_protocol = "ws";
  s.labels = {{"bad key", "v"}};
  EXPECT_NE(registry_->create_subgraph(ns_, s).error().message.find("label key"),
            std::string::npos);
  FederatedGraph g;
  g.name = "shop";
  g.routing_url = "http://x";
  g.label_matchers = {"team"};
  EXPECT_NE(registry_->create_graph(admin_, ns_, g)
                .error()
                .message.find("labelMatchers[0]: \"team\" is not key=value"),
            std::string::npos);
  EXPECT_EQ(check_name("n", std::string(32, 'a')).error().code, ApiCode::kInvalidArgument);
  EXPECT_TRUE(check_name("n", std::string(31, 'a')).ok());
  EXPECT_EQ(registry_->publish(admin_, ns_, "products", std::string(5 << 20, ' ')).error().code,
            ApiCode::kPayloadTooLarge);
}

TEST(SchemaChanges, BuiltInScalarsFallingOutOfUseAreNotChanges) {
  auto changes = schema_changes("type Query { a: Int b: String }", "type Query { b: String }",
                                "version 1", "sdl");
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_EQ((*changes)[0].path, "Query.a");
  EXPECT_TRUE((*changes)[0].breaking);
  auto added = schema_changes("type Query { b: String }", "type Query { b: String c: Float }",
                              "version 1", "sdl");
  ASSERT_TRUE(added.ok());
  ASSERT_EQ(added->size(), 1u);
  EXPECT_EQ((*added)[0].path, "Query.c");
}

TEST(Matchers, EveryMatcherAnyTerm) {
  Labels labels{{"env", "prod"}, {"team", "a"}};
  EXPECT_TRUE(matches({"env=prod"}, labels));
  EXPECT_TRUE(matches({"env=prod", "team=b,team=a"}, labels));
  EXPECT_FALSE(matches({"env=prod", "team=b"}, labels));
  EXPECT_FALSE(matches({}, labels));
  EXPECT_EQ(*normalize_matcher("m", " team=b , team=a,team=a"), "team=a,team=b");
  EXPECT_EQ(cdn_graph_name("default", "shop"), "shop");
  EXPECT_EQ(cdn_graph_name("staging", "shop"), "staging.shop");
  auto labels_parsed = parse_labels("labels", "team=a, env=prod");
  ASSERT_TRUE(labels_parsed.ok());
  EXPECT_EQ(labels_parsed->at("env"), "prod");
  EXPECT_FALSE(parse_labels("labels", "team=a,team=b").ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, RegistryTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace orbit::registry
