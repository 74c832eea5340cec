// Differential composition test: each subgraph set under cases/<name>/ is composed by Orbit
// and by @apollo/composition 2.14 (harness/compose.js, run once for all cases); both must
// succeed or fail alike, fail with the same error codes, and print the same supergraph after
// canonical printing. Each scenario of tests/scenarios must compose to its committed
// supergraph.graphql.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "orbit/federation/compose.h"
#include "orbit/federation/supergraph.h"

namespace fs = std::filesystem;
using orbit::federation::canonical_sdl;
using orbit::federation::compose;
using orbit::federation::CompositionResult;
using orbit::federation::SubgraphSource;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<SubgraphSource> load_subgraphs(const fs::path& dir, const std::string& url_suffix) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".graphql") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<SubgraphSource> out;
  for (const auto& f : files) {
    std::string name = f.stem().string();
    out.push_back({name, "http://" + name + url_suffix, read_file(f)});
  }
  return out;
}

// The corpus; ORBIT_COMPOSITION_CASES overrides it (to explore generated sets during
// development).
fs::path cases_dir() {
  const char* d = std::getenv("ORBIT_COMPOSITION_CASES");
  return d != nullptr ? fs::path(d) : fs::path(ORBIT_COMPOSITION_DIR) / "cases";
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  fs::path dir = cases_dir();
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory()) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

struct Reference {
  bool ok = false;
  std::string supergraph;
  std::vector<std::string> error_codes;
  std::vector<std::string> messages;
  std::vector<std::string> hint_codes;
};

// A digest of every case file and of the harness: the reference results are recomputed when
// any of them changes.
std::string inputs_digest() {
  std::string all = read_file(fs::path(ORBIT_COMPOSITION_DIR) / "harness/compose.js");
  for (const auto& n : case_names()) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(cases_dir() / n))
      files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files)
      all += "|" + f.string() + "|" + read_file(f);
  }
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : all)
    h = (h ^ c) * 1099511628211ULL;
  return std::to_string(h);
}

// Runs the node harness over every case, once: ctest runs the cases in several processes, so
// the answer is kept in a file beside the test binary, named by the inputs' digest.
// `composer`: "apollo" or "guild" (harness/compose.js --guild).
std::string reference_json(const std::string& composer) {
  fs::path cache = fs::path(ORBIT_COMPOSITION_CACHE_DIR) /
                   (composer + "-reference-" + inputs_digest() + ".json");
  if (fs::exists(cache)) return read_file(cache);
  std::string cmd = "node " + std::string(ORBIT_COMPOSITION_DIR) + "/harness/compose.js";
  if (composer == "guild") cmd += " --guild";
  for (const auto& n : case_names())
    cmd += " " + (cases_dir() / n).string();
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return "";
  std::string text;
  char buf[65536];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, p)) > 0)
    text.append(buf, got);
  if (pclose(p) != 0) return "";
  fs::path tmp = cache;
  tmp += "." + std::to_string(::getpid());
  std::ofstream(tmp, std::ios::binary) << text;
  std::error_code ec;
  fs::rename(tmp, cache, ec);  // concurrent writers write the same content
  return text;
}

std::map<std::string, Reference> load_references(const std::string& composer) {
  {
    std::map<std::string, Reference> out;
    std::string text = reference_json(composer);
    if (text.empty()) return out;
    static orbit::Arena arena;
    orbit::JsonParseOptions jo;
    auto parsed = orbit::parse_json(text, arena, jo);
    if (!parsed.ok()) return out;
    for (const orbit::JsonValue& item : parsed.value().items()) {
      Reference r;
      r.ok = item.find("ok")->as_bool();
      if (r.ok) r.supergraph = std::string(item.find("supergraph")->as_string());
      for (const orbit::JsonValue& e : item.find("errors")->items()) {
        r.error_codes.emplace_back(e.find("code")->as_string());
        r.messages.emplace_back(e.find("message")->as_string());
      }
      for (const orbit::JsonValue& h : item.find("hints")->items())
        r.hint_codes.emplace_back(h.find("code")->as_string());
      out[std::string(item.find("case")->as_string())] = std::move(r);
    }
    return out;
  }
}

const std::map<std::string, Reference>& references() {
  static const std::map<std::string, Reference> refs = load_references("apollo");
  return refs;
}

const std::map<std::string, Reference>& guild_references() {
  static const std::map<std::string, Reference> refs = load_references("guild");
  return refs;
}

// "composes", or the sorted distinct error codes joined by commas.
std::set<std::string> codes(const std::vector<std::string>& v);
std::string outcome(bool ok, const std::vector<std::string>& error_codes) {
  if (ok) return "composes";
  std::string out;
  for (const std::string& c : codes(error_codes))
    out += (out.empty() ? "" : ",") + c;
  return out;
}

std::set<std::string> codes(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

std::string describe(const CompositionResult& r) {
  std::string s;
  for (const auto& e : r.errors)
    s += "  " + e.code + ": " + e.message + "\n";
  return s;
}

// First differing line of two texts, for readable failures.
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    bool ea = !std::getline(sa, la), eb = !std::getline(sb, lb);
    if (ea && eb) return "";
    if (ea || eb || la != lb)
      return "line " + std::to_string(line) + ":\n  orbit:  " + (ea ? "<end>" : la) +
             "\n  apollo: " + (eb ? "<end>" : lb);
  }
}

class CompositionCase : public ::testing::TestWithParam<std::string> {};

TEST_P(CompositionCase, MatchesApolloComposition) {
  const std::string name = GetParam();
  const auto& refs = references();
  ASSERT_FALSE(refs.empty()) << "the reference harness did not run: install it with `make "
                                "npm-deps` (tests/npm-federation/node_modules)";
  auto it = refs.find(name);
  ASSERT_NE(it, refs.end()) << "no reference result for " << name;
  const Reference& ref = it->second;
  auto subgraphs = load_subgraphs(cases_dir() / name, ".composition.invalid/graphql");
  CompositionResult r = compose(subgraphs);
  std::string apollo_errors;
  for (size_t i = 0; i < ref.error_codes.size(); ++i)
    apollo_errors += "  " + ref.error_codes[i] + ": " + ref.messages[i] + "\n";
  ASSERT_EQ(r.ok(), ref.ok) << "orbit errors:\n"
                            << describe(r) << "apollo errors:\n"
                            << apollo_errors;
  if (ref.ok) {
    std::string ours = canonical_sdl(r.supergraph_sdl);
    std::string theirs = canonical_sdl(ref.supergraph);
    EXPECT_EQ(ours, theirs) << first_difference(ours, theirs);
    // Hints (warnings) carry the same codes.
    std::vector<std::string> hints;
    for (const auto& h : r.hints)
      hints.push_back(h.code);
    std::string apollo_hints;
    for (const auto& h : ref.hint_codes)
      apollo_hints += " " + h;
    EXPECT_EQ(codes(hints), codes(ref.hint_codes)) << "apollo hints:" << apollo_hints;
  } else {
    std::vector<std::string> ours;
    for (const auto& e : r.errors)
      ours.push_back(e.code);
    EXPECT_EQ(codes(ours), codes(ref.error_codes)) << "orbit:\n"
                                                   << describe(r) << "apollo:\n"
                                                   << apollo_errors;
    for (const auto& e : r.errors)
      EXPECT_FALSE(e.message.empty());
  }
}

// The second reference: @theguild/federation-composition must agree on success or failure
// and on the error codes, except for the cases of guild-differences.json (each with its
// reason), where Orbit gives Apollo's answer. A listed case that starts to agree fails, so
// the list stays true.
TEST_P(CompositionCase, MatchesTheGuildsCompositionOrAKnownDifference) {
  const std::string name = GetParam();
  const auto& refs = guild_references();
  ASSERT_FALSE(refs.empty()) << "the Guild harness did not run: install it with `make "
                                "npm-deps` (tests/npm-federation/node_modules)";
  auto it = refs.find(name);
  ASSERT_NE(it, refs.end()) << "no Guild result for " << name;
  static orbit::Arena arena;
  static const std::string known_text =
      read_file(fs::path(ORBIT_COMPOSITION_DIR) / "guild-differences.json");
  static const orbit::Result<orbit::JsonValue> known = orbit::parse_json(known_text, arena);
  ASSERT_TRUE(known.ok()) << "tests/composition/guild-differences.json is not JSON";

  auto subgraphs = load_subgraphs(cases_dir() / name, ".composition.invalid/graphql");
  CompositionResult r = compose(subgraphs);
  std::vector<std::string> ours;
  for (const auto& e : r.errors)
    ours.push_back(e.code);
  std::string orbit_outcome = outcome(r.ok(), ours);
  std::string guild_outcome = outcome(it->second.ok, it->second.error_codes);
  if (const orbit::JsonValue* difference = known->find(name)) {
    EXPECT_NE(orbit_outcome, guild_outcome)
        << "listed in guild-differences.json but the Guild now agrees: remove it";
    EXPECT_EQ(orbit_outcome, difference->find("apollo")->as_string())
        << difference->find("reason")->as_string();
    return;
  }
  EXPECT_EQ(orbit_outcome, guild_outcome) << "orbit:\n" << describe(r);
}

INSTANTIATE_TEST_SUITE_P(Cases, CompositionCase, ::testing::ValuesIn(case_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

std::vector<std::string> scenario_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(ORBIT_SCENARIOS_DIR))
    if (fs::exists(e.path() / "subgraphs") && fs::exists(e.path() / "supergraph.graphql"))
      names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class ScenarioSupergraph : public ::testing::TestWithParam<std::string> {};

TEST_P(ScenarioSupergraph, ComposesToTheCommittedSupergraph) {
  fs::path dir = fs::path(ORBIT_SCENARIOS_DIR) / GetParam();
  auto subgraphs = load_subgraphs(dir / "subgraphs", ".scenario.invalid/graphql");
  CompositionResult r = compose(subgraphs);
  ASSERT_TRUE(r.ok()) << describe(r);
  std::string ours = canonical_sdl(r.supergraph_sdl);
  std::string theirs = canonical_sdl(read_file(dir / "supergraph.graphql"));
  EXPECT_EQ(ours, theirs) << first_difference(ours, theirs);
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioSupergraph, ::testing::ValuesIn(scenario_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

// @authenticated / @requiresScopes / @policy compose (their SECURITY features linked), and the
// router's loader refuses the result because it does not enforce them (docs/router.md).
TEST(SecurityFeatures, ComposedButRefusedByTheRouterLoader) {
  auto subgraphs =
      load_subgraphs(fs::path(ORBIT_COMPOSITION_DIR) / "cases/authenticated-scopes-policy",
                     ".composition.invalid/graphql");
  CompositionResult r = compose(subgraphs);
  ASSERT_TRUE(r.ok()) << describe(r);
  for (const char* spec : {"authenticated", "requiresScopes", "policy"}) {
    EXPECT_NE(r.supergraph_sdl.find("@link(url: \"https://specs.apollo.dev/" + std::string(spec) +
                                    "/v0.1\", for: SECURITY"),
              std::string::npos)
        << spec;
  }
  orbit::graphql::ErrorReport errors;
  auto loaded = orbit::federation::Supergraph::load(r.supergraph_sdl, errors);
  EXPECT_EQ(loaded, nullptr);
  std::string text;
  for (const auto& e : errors.errors())
    text += e.message + "\n";
  EXPECT_NE(text.find("this router does not enforce @authenticated"), std::string::npos) << text;
  EXPECT_NE(text.find("this router does not enforce @requiresScopes"), std::string::npos) << text;
  EXPECT_NE(text.find("this router does not enforce @policy"), std::string::npos) << text;
}

}  // namespace
