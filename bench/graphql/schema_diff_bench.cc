// Schema diff of two large schemas (orbit/graphql/diff/schema_diff.h): the old schema has
// 2,000 object types (20 fields each, half with arguments), 200 interfaces, 300 enums, 200
// unions and 300 input types (about 1.4 MB of SDL); the new one changes every tenth type
// (fields removed and added, nullability flipped both ways, arguments and defaults changed,
// enum values and union members added and removed). Measured: diff_schemas on the two built
// schemas, and diff_sdl (both schemas built from text, then compared).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "orbit/graphql/diff/schema_diff.h"

namespace {

using namespace orbit::graphql;

constexpr int kObjects = 2000;
constexpr int kInterfaces = 200;
constexpr int kEnums = 300;
constexpr int kUnions = 200;
constexpr int kInputs = 300;
constexpr int kFields = 20;

// `changed` selects the new version: every tenth definition of each kind is edited.
std::string make_sdl(bool changed) {
  std::string s;
  s.reserve(2 << 20);
  auto n = [](int i) { return std::to_string(i); };
  s += "type Query {\n";
  for (int i = 0; i < kObjects; i += 10) {
    s += "  object" + n(i) + "(id: ID!, filter: Input" + n(i % kInputs) + "): Object" + n(i) + "\n";
  }
  s += "}\n";
  for (int i = 0; i < kInterfaces; ++i) {
    s += "interface Interface" + n(i) + " { id: ID! name: String }\n";
  }
  for (int i = 0; i < kObjects; ++i) {
    bool edit = changed && i % 10 == 0;
    s += "\"Object number " + n(i) + "\"\ntype Object" + n(i) + " implements Interface" +
         n(i % kInterfaces) + " {\n  id: ID!\n  name: String\n";
    for (int f = 0; f < kFields; ++f) {
      if (edit && f == 3) continue;  // removed
      std::string type;
      switch (f % 5) {
        case 0: type = "Int"; break;
        case 1: type = "[String!]"; break;
        case 2: type = "Enum" + n((i + f) % kEnums); break;
        case 3: type = "Object" + n((i + f + 1) % kObjects); break;
        default: type = "Union" + n((i + f) % kUnions); break;
      }
      if (f % 2 == 0) type += '!';
      if (edit && f == 4) type.pop_back();  // made nullable: breaking
      if (edit && f == 5) type += '!';      // made non-null: safe
      s += "  field" + n(f);
      if (f % 2 == 1) {
        s += "(first: Int = ";
        s += edit && f == 7 ? "20" : "10";
        s += ", after: String";
        if (edit && f == 9) s += ", required: Boolean!";
        s += ")";
      }
      s += ": " + type + "\n";
    }
    if (edit) s += "  added: String\n";
    s += "}\n";
  }
  for (int i = 0; i < kEnums; ++i) {
    bool edit = changed && i % 10 == 0;
    s += "enum Enum" + n(i) + " {";
    for (int v = 0; v < 10; ++v) {
      if (edit && v == 2) continue;
      s += " VALUE_" + n(v);
    }
    if (edit) s += " VALUE_NEW";
    s += " }\n";
  }
  for (int i = 0; i < kUnions; ++i) {
    bool edit = changed && i % 10 == 0;
    s += "union Union" + n(i) + " =";
    for (int m = 0; m < 5; ++m) {
      if (edit && m == 1) continue;
      s += (m == 0 ? " Object" : " | Object") + n((i * 7 + m) % kObjects);
    }
    if (edit) s += " | Object" + n((i * 7 + 5) % kObjects);
    s += "\n";
  }
  for (int i = 0; i < kInputs; ++i) {
    bool edit = changed && i % 10 == 0;
    s += "input Input" + n(i) + " {";
    for (int f = 0; f < 8; ++f) {
      s += " in" + n(f) + ": " + (f % 2 == 0 ? "String" : "Int");
      if (edit && f == 2) s += "!";
      if (f == 5) s += edit ? " = 6" : " = 5";
    }
    if (edit) s += " addedRequired: ID!";
    s += " }\n";
  }
  return s;
}

const std::string& sdl(bool changed) {
  static const std::string old_sdl = make_sdl(false);
  static const std::string new_sdl = make_sdl(true);
  return changed ? new_sdl : old_sdl;
}

std::unique_ptr<Schema> build(const std::string& text) {
  ErrorReport errors;
  std::unique_ptr<Schema> s = Schema::build(text, errors);
  if (!s) {
    fprintf(stderr, "%s\n", errors.errors().empty() ? "?" : errors.errors()[0].message.c_str());
    std::abort();
  }
  return s;
}

void BM_DiffSchemas(benchmark::State& state) {
  std::unique_ptr<Schema> a = build(sdl(false));
  std::unique_ptr<Schema> b = build(sdl(true));
  size_t changes = 0;
  for (auto _ : state) {
    SchemaDiff d = diff_schemas(*a, *b);
    changes = d.changes.size();
    benchmark::DoNotOptimize(d);
  }
  state.counters["changes"] = static_cast<double>(changes);
  state.counters["types"] = static_cast<double>(a->types().size());
}
BENCHMARK(BM_DiffSchemas)->Unit(benchmark::kMillisecond);

void BM_DiffIdenticalSchemas(benchmark::State& state) {
  std::unique_ptr<Schema> a = build(sdl(false));
  std::unique_ptr<Schema> b = build(sdl(false));
  for (auto _ : state) {
    SchemaDiff d = diff_schemas(*a, *b);
    if (!d.changes.empty()) state.SkipWithError("identical schemas differ");
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_DiffIdenticalSchemas)->Unit(benchmark::kMillisecond);

void BM_DiffSdl(benchmark::State& state) {
  const std::string& a = sdl(false);
  const std::string& b = sdl(true);
  for (auto _ : state) {
    SdlDiffResult r = diff_sdl(a, b);
    if (!r.ok()) state.SkipWithError("schema did not build");
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * (a.size() + b.size())));
}
BENCHMARK(BM_DiffSdl)->Unit(benchmark::kMillisecond);

}  // namespace

// ORBIT_SCHEMA_DIFF_DUMP=DIR writes the two schemas to DIR/old.graphql and DIR/new.graphql
// and exits (schema_diff_js_bench.js measures graphql-js on them).
int main(int argc, char** argv) {
  if (const char* dir = std::getenv("ORBIT_SCHEMA_DIFF_DUMP")) {
    for (bool changed : {false, true}) {
      std::string path = std::string(dir) + (changed ? "/new.graphql" : "/old.graphql");
      FILE* f = std::fopen(path.c_str(), "wb");
      if (f == nullptr ||
          std::fwrite(sdl(changed).data(), 1, sdl(changed).size(), f) != sdl(changed).size()) {
        std::fprintf(stderr, "cannot write %s\n", path.c_str());
        return 1;
      }
      std::fclose(f);
    }
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
