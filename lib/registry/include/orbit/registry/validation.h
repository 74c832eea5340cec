// What the registry accepts as names, URLs, labels and label matchers (docs/api.md,
// "Limits"), and how matchers select subgraphs. Each check returns the message the API
// answers with: it names the field and quotes what was wrong.
//
// Pure functions: call on any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/registry/error.h"
#include "orbit/registry/model.h"

namespace orbit::registry {

inline constexpr size_t kMaxNameBytes = 31;
inline constexpr size_t kMaxUrlBytes = 2048;
inline constexpr size_t kMaxLabels = 32;
inline constexpr size_t kMaxLabelBytes = 63;
inline constexpr size_t kMaxMatchers = 32;
inline constexpr size_t kMaxMatcherTerms = 32;

// Names of organizations, namespaces, graphs, subgraphs, keys and tokens: 1–31 characters of
// [a-z0-9_-], starting with a letter or digit. `field` is the name used in the message.
Outcome check_name(std::string_view field, std::string_view name);
// http:// or https:// (and ws://, wss:// when `websocket`), with a host, at most 2048 bytes.
Outcome check_url(std::string_view field, std::string_view url, bool websocket = false);
// A label key (1–63 of [A-Za-z0-9._/-]) or value (0–63 of the same).
Outcome check_label(std::string_view field, std::string_view key, std::string_view value);
// "team=a,env=prod" → {team: a, env: prod}; INVALID_ARGUMENT for a term without '=', a bad
// key or value, or a key given twice.
Expected<Labels> parse_labels(std::string_view field, std::string_view text);
// One matcher, "team=a,team=b": its terms checked and normalized (sorted, without duplicates).
Expected<std::string> normalize_matcher(std::string_view field, std::string_view matcher);

// True when `labels` satisfy every matcher (a matcher: any of its terms); false for no
// matchers.
bool matches(const std::vector<std::string>& matchers, const Labels& labels);

// The graph's name on the CDN and in its tokens: `graph` in the default namespace,
// `namespace.graph` otherwise (names hold no '.', so the two cannot collide).
std::string cdn_graph_name(std::string_view namespace_name, std::string_view graph);

}  // namespace orbit::registry
