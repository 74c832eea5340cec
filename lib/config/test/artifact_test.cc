#include "orbit/config/artifact.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "orbit/config/graph_file.h"

namespace orbit::config {
namespace {

constexpr std::string_view kGood = R"({
  "version": "v42",
  "createdAt": "2025-05-01T10:00:00Z",
  "compatibilityVersion": 1,
  "supergraphSdl": "schema { query: Query }\ntype Query { x: Int }\n",
  "subgraphs": [
    {"name": "products", "routingUrl": "http://127.0.0.1:4001/graphql"},
    {"name": "reviews", "routingUrl": "https://reviews.example/graphql",
     "subscriptionUrl": "wss://reviews.example/ws", "subscriptionProtocol": "sse_post"}
  ]
})";

// kGood with `from` replaced by `to` (which must occur exactly once).
std::string good_with(std::string_view from, std::string_view to) {
  std::string s(kGood);
  size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(s.find(from, at + 1), std::string::npos) << from;
  s.replace(at, from.size(), to);
  return s;
}

TEST(ArtifactTest, ParsesEveryField) {
  auto a = parse_artifact(kGood, "router.json");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->version, "v42");
  EXPECT_EQ(a->created_at, "2025-05-01T10:00:00Z");
  EXPECT_EQ(a->compatibility_version, 1);
  EXPECT_EQ(a->supergraph_sdl, "schema { query: Query }\ntype Query { x: Int }\n");
  ASSERT_EQ(a->subgraphs.size(), 2u);
  EXPECT_EQ(a->subgraphs[0].name, "products");
  EXPECT_EQ(a->subgraphs[0].routing_url, "http://127.0.0.1:4001/graphql");
  EXPECT_EQ(a->subgraphs[0].subscription_url, "");
  EXPECT_EQ(a->subgraphs[0].subscription_protocol, SubscriptionProtocol::kWs);
  EXPECT_EQ(a->subgraphs[1].subscription_url, "wss://reviews.example/ws");
  EXPECT_EQ(a->subgraphs[1].subscription_protocol, SubscriptionProtocol::kSsePost);
  EXPECT_EQ(a->subgraph("reviews"), &a->subgraphs[1]);
  EXPECT_EQ(a->subgraph("nope"), nullptr);
}

TEST(ArtifactTest, UnknownKeysAndNullOptionalsAreAccepted) {
  auto a = parse_artifact(R"({"version":"1","createdAt":"2025-05-01T10:00:00.5+02:00",
    "compatibilityVersion":1,"supergraphSdl":"type Query { x: Int }","subgraphs":[
    {"name":"a","routingUrl":"HTTP://a:1","subscriptionUrl":null,"subscriptionProtocol":null,
     "future":{"deep":[1,2,3]}}],
    "signature":"abc","features":{"x":true}})");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->subgraphs[0].subscription_url, "");
  EXPECT_EQ(a->created_at, "2025-05-01T10:00:00.5+02:00");
}

TEST(ArtifactTest, EmptySubgraphListIsValid) {
  auto a = parse_artifact(good_with(R"("subgraphs": [)", R"("subgraphs": [], "old": [)"));
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_TRUE(a->subgraphs.empty());
}

TEST(ArtifactTest, WriteThenParseIsTheSame) {
  auto a = parse_artifact(kGood);
  ASSERT_TRUE(a.ok());
  a->supergraph_sdl += "\"\\\n\t\x01 é";  // escapes survive
  std::string text = write_artifact(*a);
  EXPECT_EQ(text.back(), '\n');
  auto b = parse_artifact(text);
  ASSERT_TRUE(b.ok()) << b.status().message() << "\n" << text;
  EXPECT_EQ(b->version, a->version);
  EXPECT_EQ(b->created_at, a->created_at);
  EXPECT_EQ(b->supergraph_sdl, a->supergraph_sdl);
  ASSERT_EQ(b->subgraphs.size(), 2u);
  EXPECT_EQ(b->subgraphs[1].subscription_url, a->subgraphs[1].subscription_url);
  EXPECT_EQ(b->subgraphs[1].subscription_protocol, SubscriptionProtocol::kSsePost);
  EXPECT_EQ(write_artifact(*b), text);

  RouterArtifact empty;
  empty.version = "x";
  empty.created_at = now_rfc3339();
  empty.supergraph_sdl = "type Query { x: Int }";
  EXPECT_TRUE(parse_artifact(write_artifact(empty)).ok()) << write_artifact(empty);
}

struct BadCase {
  std::string text;
  std::string message;  // expected substring
  ErrorCode code = ErrorCode::kInvalidArgument;
};

TEST(ArtifactTest, EveryKindOfBadInputHasAPreciseError) {
  const std::string full(kGood);
  const BadCase cases[] = {
      // Not a JSON object at all.
      {"", "router.json: empty (expected a JSON object)"},
      {" \n\t ", "router.json: empty (expected a JSON object)"},
      {full.substr(0, full.size() / 2), "router.json: not valid JSON: JSON parse error"},
      {full.substr(0, full.size() - 1), "router.json: not valid JSON"},
      {full.substr(0, 200), "(the document ends before its closing brace: truncated?)"},
      {"{\n  \"version\": \"1\",\n  oops\n}", "(line 3, column 3)"},
      {full + "x", "router.json: not valid JSON"},
      {"[1, 2]", "router.json: expected a JSON object at the top level"},
      {"\"text\"", "router.json: expected a JSON object at the top level"},
      {"null", "router.json: expected a JSON object at the top level"},
      {std::string(100, '[') + std::string(100, ']'), "router.json: not valid JSON: JSON nesting",
       ErrorCode::kLimitExceeded},
      {"{\"version\": \"\xff\"}", "router.json: not valid JSON"},
      // compatibilityVersion.
      {good_with(R"("compatibilityVersion": 1,)", ""), "missing \"compatibilityVersion\""},
      {good_with(R"("compatibilityVersion": 1)", R"("compatibilityVersion": "1")"),
       "router.json: compatibilityVersion: expected a positive integer"},
      {good_with(R"("compatibilityVersion": 1)", R"("compatibilityVersion": 1.5)"),
       "compatibilityVersion: expected a positive integer"},
      {good_with(R"("compatibilityVersion": 1)", R"("compatibilityVersion": 0)"),
       "compatibilityVersion: expected a positive integer"},
      {good_with(R"("compatibilityVersion": 1)", R"("compatibilityVersion": 2)"),
       "compatibilityVersion: 2 is not supported: this router reads artifacts of compatibility "
       "version 1 (upgrade orbit-router"},
      // version.
      {good_with(R"("version": "v42",)", ""), "router.json: missing \"version\""},
      {good_with(R"("version": "v42")", R"("version": null)"), "missing \"version\""},
      {good_with(R"("version": "v42")", R"("version": 42)"),
       "router.json: version: expected a string"},
      {good_with(R"("version": "v42")", R"("version": "")"), "version: must not be empty"},
      {good_with(R"("version": "v42")", R"("version": "v 42")"),
       "version: must be printable ASCII without spaces, got \"v 42\""},
      {good_with(R"("version": "v42")", "\"version\": \"v\\n\""), "version: must be printable"},
      {good_with(R"("version": "v42")", "\"version\": \"" + std::string(129, 'x') + "\""),
       "version: is 129 bytes, more than the limit of 128", ErrorCode::kLimitExceeded},
      // createdAt.
      {good_with(R"("createdAt": "2025-05-01T10:00:00Z",)", ""), "missing \"createdAt\""},
      {good_with(R"("2025-05-01T10:00:00Z")", R"("yesterday")"),
       "createdAt: expected an RFC 3339 date-time (2025-05-01T10:00:00Z), got \"yesterday\""},
      {good_with(R"("2025-05-01T10:00:00Z")", R"("2025-13-01T10:00:00Z")"), "createdAt: expected"},
      {good_with(R"("2025-05-01T10:00:00Z")", R"("2025-05-01T10:00:00")"), "createdAt: expected"},
      {good_with(R"("2025-05-01T10:00:00Z")", R"("2025-05-01 10:00:00Z")"), "createdAt: expected"},
      {good_with(R"("2025-05-01T10:00:00Z")", R"(1746093600)"), "createdAt: expected a string"},
      // supergraphSdl.
      {good_with(R"("supergraphSdl": "schema { query: Query }\ntype Query { x: Int }\n",)", ""),
       "missing \"supergraphSdl\""},
      {good_with(R"("schema { query: Query }\ntype Query { x: Int }\n")", R"("  \n ")"),
       "supergraphSdl: must not be empty"},
      {good_with(R"("schema { query: Query }\ntype Query { x: Int }\n")", R"({"sdl": "x"})"),
       "supergraphSdl: expected a string"},
      // subgraphs.
      {good_with(R"("subgraphs": [)", R"("other": [)"), "router.json: missing \"subgraphs\""},
      {good_with(R"("subgraphs": [)", R"("subgraphs": {"a": 1}, "x": [)"),
       "subgraphs: expected an array"},
      {good_with(R"({"name": "products", )", R"(7, {"name": "products", )"),
       "router.json: subgraphs[0]: expected an object"},
      {good_with(R"("name": "products", )", ""), "router.json: subgraphs[0]: missing \"name\""},
      {good_with(R"("name": "products")", R"("name": ["products"])"),
       "subgraphs[0].name: expected a string"},
      {good_with(R"("name": "products")", R"("name": "")"), "subgraphs[0].name: must not be empty"},
      {good_with(R"("name": "products")", R"("name": "a\u0000b")"),
       "subgraphs[0].name: contains a control character"},
      {good_with(R"("name": "reviews")", R"("name": "products")"),
       "subgraphs[1].name: subgraph \"products\" is listed twice"},
      {good_with(R"(, "routingUrl": "http://127.0.0.1:4001/graphql")", ""),
       "router.json: subgraphs[0]: missing \"routingUrl\""},
      {good_with(R"("http://127.0.0.1:4001/graphql")", R"("")"),
       "subgraphs[0].routingUrl: expected an http:// or https:// URL, got \"\""},
      {good_with(R"("http://127.0.0.1:4001/graphql")", R"("ftp://x/graphql")"),
       "subgraphs[0].routingUrl: expected an http:// or https:// URL, got \"ftp://x/graphql\""},
      {good_with(R"("http://127.0.0.1:4001/graphql")", R"("http:///graphql")"),
       "subgraphs[0].routingUrl: expected an http"},
      {good_with(R"("http://127.0.0.1:4001/graphql")", R"("http://a b/graphql")"),
       "subgraphs[0].routingUrl: expected an http"},
      {good_with(R"("http://127.0.0.1:4001/graphql")", R"("127.0.0.1:4001")"),
       "subgraphs[0].routingUrl: expected an http"},
      {good_with(R"("http://127.0.0.1:4001/graphql")", R"(4001)"),
       "subgraphs[0].routingUrl: expected a string"},
      {good_with(R"("wss://reviews.example/ws")", R"("tcp://r")"),
       "subgraphs[1].subscriptionUrl: expected an http(s):// or ws(s):// URL, got \"tcp://r\""},
      {good_with(R"("sse_post")", R"("graphql-ws")"),
       "subgraphs[1].subscriptionProtocol: expected \"ws\", \"sse\" or \"sse_post\", got "
       "\"graphql-ws\""},
      {good_with(R"("sse_post")", R"(true)"),
       "subgraphs[1].subscriptionProtocol: expected a string"},
  };
  for (const BadCase& c : cases) {
    auto a = parse_artifact(c.text, "router.json");
    ASSERT_FALSE(a.ok()) << c.text;
    EXPECT_NE(a.status().message().find(c.message), std::string::npos)
        << "input: " << c.text << "\nerror: " << a.status().message() << "\nwanted: " << c.message;
    EXPECT_EQ(a.status().code(), c.code) << a.status().message();
  }
}

TEST(ArtifactTest, MutatedInputNeverCrashesAndAlwaysSaysWhere) {
  // Deterministic: byte flips, insertions, deletions and truncations of a good artifact.
  std::mt19937 rng(20251);
  const std::string good = write_artifact(*parse_artifact(kGood));
  const char kBytes[] = "{}[]\":,\\ \n0123456789.-+eEtrufalsn\x00\xff\xc3";
  size_t accepted = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text = good;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0: text[at] = kBytes[rng() % (sizeof(kBytes) - 1)]; break;
        case 1: text.insert(at, 1, kBytes[rng() % (sizeof(kBytes) - 1)]); break;
        case 2: text.erase(at, 1 + rng() % 8); break;
        case 3: text.resize(at); break;
      }
    }
    auto a = parse_artifact(text, "m.json");
    if (a.ok()) {
      ++accepted;
      EXPECT_TRUE(parse_artifact(write_artifact(*a)).ok()) << text;
    } else {
      EXPECT_EQ(a.status().message().rfind("m.json: ", 0), 0u) << a.status().message();
    }
  }
  EXPECT_LT(accepted, 3000u);
}

TEST(ArtifactTest, Limits) {
  ArtifactLimits limits;
  limits.max_bytes = 100;
  auto big = parse_artifact(kGood, "a.json", limits);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(big.status().message().find("a.json: is "), std::string::npos);
  EXPECT_NE(big.status().message().find("more than the limit of 100"), std::string::npos);

  limits = ArtifactLimits();
  limits.max_subgraphs = 1;
  auto many = parse_artifact(kGood, "a.json", limits);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(many.status().message().find("subgraphs: 2 entries, more than the limit of 1"),
            std::string::npos);

  limits = ArtifactLimits();
  limits.max_url_bytes = 20;
  auto url = parse_artifact(kGood, "a.json", limits);
  ASSERT_FALSE(url.ok());
  EXPECT_NE(url.status().message().find("subgraphs[0].routingUrl: is 29 bytes"), std::string::npos)
      << url.status().message();

  limits = ArtifactLimits();
  limits.max_name_bytes = 3;
  auto name = parse_artifact(kGood, "a.json", limits);
  ASSERT_FALSE(name.ok());
  EXPECT_NE(name.status().message().find("subgraphs[0].name: is 8 bytes"), std::string::npos);
}

TEST(ArtifactTest, Rfc3339) {
  EXPECT_TRUE(is_rfc3339("2025-05-01T10:00:00Z"));
  EXPECT_TRUE(is_rfc3339("2025-05-01t10:00:00.123456z"));
  EXPECT_TRUE(is_rfc3339("2025-05-01T23:59:60-07:30"));
  EXPECT_FALSE(is_rfc3339("2025-05-01T10:00:00.Z"));
  EXPECT_FALSE(is_rfc3339("2025-05-01T24:00:00Z"));
  EXPECT_FALSE(is_rfc3339("2025-05-01T10:00:00+0200"));
  EXPECT_FALSE(is_rfc3339("2025-05-01T10:00:00Zjunk"));
  EXPECT_FALSE(is_rfc3339("2025-05-01"));
  EXPECT_TRUE(is_rfc3339(now_rfc3339())) << now_rfc3339();
}

TEST(GraphFileTest, SupergraphFilesGetAContentVersion) {
  auto a = parse_graph_file("type Query { x: Int }", GraphFileKind::kSupergraphSdl, "s.graphql");
  auto b = parse_graph_file("type Query { y: Int }", GraphFileKind::kSupergraphSdl, "s.graphql");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->artifact.version.substr(0, 4), "sdl-");
  EXPECT_EQ(a->artifact.version.size(), 20u);
  EXPECT_NE(a->artifact.version, b->artifact.version);
  EXPECT_NE(a->content_hash, b->content_hash);
  EXPECT_TRUE(a->artifact.subgraphs.empty());
  EXPECT_TRUE(is_rfc3339(a->artifact.created_at));

  auto empty = parse_graph_file("\n\n", GraphFileKind::kSupergraphSdl, "s.graphql");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "s.graphql: empty (expected a supergraph SDL)");
}

TEST(GraphFileTest, ReadsFilesWithinTheLimit) {
  auto dir = std::filesystem::temp_directory_path() /
             ("orbit-artifact-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "router.json").string();
  std::ofstream(path) << kGood;

  auto ok = load_graph_file(path, GraphFileKind::kArtifact);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->artifact.version, "v42");

  ArtifactLimits small;
  small.max_bytes = 10;
  auto big = load_graph_file(path, GraphFileKind::kArtifact, small);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(big.status().message().find(path + ": larger than the limit of 10 bytes"),
            std::string::npos);

  std::ofstream(path, std::ios::trunc) << "";
  auto empty = load_graph_file(path, GraphFileKind::kArtifact);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), path + ": empty (expected a JSON object)");

  auto missing = load_graph_file((dir / "nope.json").string(), GraphFileKind::kArtifact);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kIo);
  EXPECT_NE(missing.status().message().find("nope.json: No such file or directory"),
            std::string::npos)
      << missing.status().message();

  auto dir_read = load_graph_file(dir.string(), GraphFileKind::kArtifact);
  EXPECT_FALSE(dir_read.ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace orbit::config
