// orbit_graphql_diff: runs Orbit's GraphQL language core over a corpus so that its answers can
// be compared with graphql-js's (reference.js, compare.js in this folder).
//
// Input: one JSON file {schemas:{name: sdl}, rules?:[rule name], cases:[{id, document,
// schema?}]}. Output (stdout, one JSON object per line, flushed per line so that a crash
// loses nothing already answered):
//   {"header":{"rules":[every rule Orbit knows]}}
//   {"schema":name,"ok":bool,"errors":[{message,locations}]}        per schema
//   {"id":…,"parse":{"ok":bool,"message"?,"line"?,"column"?},
//    "printed"?:text,"validation"?:[{rule,message,locations:[[l,c]…]}],
//    "schema_build"?:{ok,errors:[{message,locations}]}}                per case
// A case with "sdl": true is also built as a schema (Schema::build) and its errors reported.
// Validation runs one rule at a time (ValidationOptions::only_rules) so each error is
// attributed to the rule that produced it, independent of GraphqlError::origin.
//
// `--from N` starts at case N; compare.js uses it to resume after a crash.
// A test tool, single-threaded; no state outlives one case besides the built schemas.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <simdjson.h>

#include "orbit/base/arena.h"
#include "orbit/base/json_writer.h"
#include "orbit/graphql/error.h"
#include "orbit/graphql/parser.h"
#include "orbit/graphql/printer.h"
#include "orbit/graphql/schema/schema.h"
#include "orbit/graphql/validation/validate.h"

namespace orbit::graphql {
namespace {

struct RuleError {
  size_t rule_index = 0;
  std::string rule;
  std::string message;
  std::vector<SourceLocation> locations;
};

void write_locations(JsonWriter& w, const std::vector<SourceLocation>& locations) {
  w.begin_array();
  for (const SourceLocation& loc : locations) {
    w.begin_array().integer(loc.line).integer(loc.column).end_array();
  }
  w.end_array();
}

void emit(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

// Errors sorted by location, then message, so that both sides list them in one order.
void write_schema_errors(JsonWriter& w, std::vector<GraphqlError> errors) {
  auto key = [](const GraphqlError& e) {
    std::vector<std::pair<uint32_t, uint32_t>> locs;
    for (const SourceLocation& l : e.locations)
      locs.emplace_back(l.line, l.column);
    return std::make_tuple(locs, e.message);
  };
  std::stable_sort(errors.begin(), errors.end(),
                   [&](const GraphqlError& a, const GraphqlError& b) { return key(a) < key(b); });
  w.begin_array();
  for (const GraphqlError& e : errors) {
    w.begin_object().key("message").string(e.message).key("locations");
    write_locations(w, e.locations);
    w.end_object();
  }
  w.end_array();
}

std::vector<RuleError> validate_by_rule(const Schema& schema, const Document& document,
                                        const std::vector<std::string>& rules) {
  std::vector<RuleError> out;
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string_view name = rules[i];
    ErrorReport report;
    ValidationOptions options;
    options.only_rules = std::span<const std::string_view>(&name, 1);
    validate(schema, document, report, options);
    for (const GraphqlError& e : report.errors()) {
      out.push_back(RuleError{i, rules[i], e.message, e.locations});
    }
    for (const Status& s : report.internal_errors()) {
      out.push_back(RuleError{i, rules[i], "internal error: " + s.to_string(), {}});
    }
  }
  auto key = [](const RuleError& e) {
    std::vector<std::pair<uint32_t, uint32_t>> locs;
    for (const SourceLocation& l : e.locations)
      locs.emplace_back(l.line, l.column);
    return std::make_tuple(e.rule_index, locs, e.message);
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const RuleError& a, const RuleError& b) { return key(a) < key(b); });
  return out;
}

std::string run_case(std::string_view id, std::string_view source, const Schema* schema,
                     bool has_schema, bool build_sdl, const std::vector<std::string>& rules) {
  std::string line;
  JsonWriter w(line);
  w.begin_object();
  w.key("id").string(id);
  Arena arena;
  ParseResult parsed = parse(source, arena);
  w.key("parse").begin_object();
  w.key("ok").boolean(parsed.ok());
  if (!parsed.ok()) {
    w.key("message").string(parsed.error.message);
    if (!parsed.error.locations.empty()) {
      w.key("line").integer(parsed.error.locations[0].line);
      w.key("column").integer(parsed.error.locations[0].column);
    }
  }
  w.end_object();
  if (parsed.ok()) {
    w.key("printed").string(print(*parsed.document));
    if (has_schema && schema != nullptr) {
      w.key("validation").begin_array();
      for (const RuleError& e : validate_by_rule(*schema, *parsed.document, rules)) {
        w.begin_object();
        w.key("rule").string(e.rule);
        w.key("message").string(e.message);
        w.key("locations");
        write_locations(w, e.locations);
        w.end_object();
      }
      w.end_array();
    }
    if (build_sdl) {
      ErrorReport errors;
      std::unique_ptr<Schema> built = Schema::build(source, errors);
      w.key("schema_build").begin_object();
      w.key("ok").boolean(built != nullptr);
      w.key("errors");
      write_schema_errors(w, errors.errors());
      w.end_object();
    }
  }
  w.end_object();
  return line;
}

int run(const char* corpus_path, size_t from) {
  simdjson::padded_string json;
  if (simdjson::padded_string::load(corpus_path).get(json) != simdjson::SUCCESS) {
    std::fprintf(stderr, "cannot read %s\n", corpus_path);
    return 2;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) {
    std::fprintf(stderr, "%s is not valid JSON\n", corpus_path);
    return 2;
  }

  std::vector<std::string> orbit_rules;
  for (std::string_view r : validation_rule_names())
    orbit_rules.emplace_back(r);
  std::vector<std::string> rules;
  simdjson::dom::array rules_json;
  if (root["rules"].get(rules_json) == simdjson::SUCCESS) {
    for (simdjson::dom::element r : rules_json) {
      std::string_view name;
      if (r.get(name) == simdjson::SUCCESS) rules.emplace_back(name);
    }
  } else {
    rules = orbit_rules;
  }
  {
    std::string line;
    JsonWriter w(line);
    w.begin_object().key("header").begin_object().key("rules").begin_array();
    for (const std::string& r : orbit_rules)
      w.string(r);
    w.end_array().end_object().end_object();
    emit(line);
  }

  std::map<std::string, std::unique_ptr<Schema>, std::less<>> schemas;
  simdjson::dom::object schemas_json;
  if (root["schemas"].get(schemas_json) == simdjson::SUCCESS) {
    for (auto [name, sdl_value] : schemas_json) {
      std::string_view sdl;
      if (sdl_value.get(sdl) != simdjson::SUCCESS) continue;
      ErrorReport errors;
      std::unique_ptr<Schema> schema = Schema::build(sdl, errors);
      std::string line;
      JsonWriter w(line);
      w.begin_object();
      w.key("schema").string(name);
      w.key("ok").boolean(schema != nullptr);
      w.key("errors");
      write_schema_errors(w, errors.errors());
      w.end_object();
      emit(line);
      schemas.emplace(std::string(name), std::move(schema));
    }
  }

  simdjson::dom::array cases;
  if (root["cases"].get(cases) != simdjson::SUCCESS) {
    std::fprintf(stderr, "%s has no \"cases\" array\n", corpus_path);
    return 2;
  }
  size_t index = 0;
  for (simdjson::dom::element c : cases) {
    if (index++ < from) continue;
    std::string_view id;
    std::string_view document;
    if (c["id"].get(id) != simdjson::SUCCESS || c["document"].get(document) != simdjson::SUCCESS) {
      std::fprintf(stderr, "case %zu lacks id or document\n", index - 1);
      return 2;
    }
    std::string_view schema_name;
    bool has_schema = c["schema"].get(schema_name) == simdjson::SUCCESS;
    const Schema* schema = nullptr;
    if (has_schema) {
      auto it = schemas.find(schema_name);
      if (it != schemas.end()) schema = it->second.get();
    }
    bool build_sdl = false;
    if (c["sdl"].get(build_sdl) != simdjson::SUCCESS) build_sdl = false;
    emit(run_case(id, document, schema, has_schema, build_sdl, rules));
  }
  return 0;
}

}  // namespace
}  // namespace orbit::graphql

int main(int argc, char** argv) {
  const char* corpus = nullptr;
  size_t from = 0;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--from" && i + 1 < argc) {
      from = std::strtoull(argv[++i], nullptr, 10);
    } else {
      corpus = argv[i];
    }
  }
  if (corpus == nullptr) {
    std::fprintf(stderr, "usage: orbit_graphql_diff [--from N] corpus.json\n");
    return 2;
  }
  return orbit::graphql::run(corpus, from);
}
