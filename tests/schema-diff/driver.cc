// orbit_schema_diff_driver CORPUS: Orbit's answer for every schema pair of a corpus file
// (format in pairs.txt's header), one JSON line per pair:
//   {"name":"...","changes":[{"kind":…,"severity":…,"coordinate":…,"message":…},…]}
//   {"name":"...","error":"old: Syntax Error: …"}
// compare.js runs it beside graphql-js. Exit status 2 when the corpus cannot be read.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "orbit/base/json_writer.h"
#include "orbit/graphql/diff/schema_diff.h"

namespace {

struct Pair {
  std::string name;
  std::string old_sdl;
  std::string new_sdl;
};

// Sections: "=== name", then "--- old" and "--- new", each followed by SDL lines. Lines
// starting with "#" before "--- old" are comments.
bool read_corpus(const std::string& text, std::vector<Pair>& out, std::string& error) {
  std::istringstream in(text);
  std::string line;
  std::string* target = nullptr;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.rfind("=== ", 0) == 0) {
      out.push_back(Pair{line.substr(4), {}, {}});
      target = nullptr;
    } else if (line == "--- old" || line == "--- new") {
      if (out.empty()) {
        error = "line " + std::to_string(line_no) + ": " + line + " before any === section";
        return false;
      }
      target = line == "--- old" ? &out.back().old_sdl : &out.back().new_sdl;
    } else if (target != nullptr) {
      *target += line;
      *target += '\n';
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: orbit_schema_diff_driver CORPUS\n";
    return 2;
  }
  std::ifstream file(argv[1], std::ios::binary);
  if (!file) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 2;
  }
  std::stringstream buffer;
  buffer << file.rdbuf();
  std::vector<Pair> pairs;
  std::string error;
  if (!read_corpus(buffer.str(), pairs, error)) {
    std::cerr << argv[1] << ": " << error << "\n";
    return 2;
  }
  for (const Pair& p : pairs) {
    orbit::graphql::SdlDiffResult r = orbit::graphql::diff_sdl(p.old_sdl, p.new_sdl);
    std::string out;
    orbit::JsonWriter w(out);
    w.begin_object();
    w.key("name").string(p.name);
    if (!r.ok()) {
      const auto& errors = r.old_errors.has_errors() ? r.old_errors : r.new_errors;
      std::string message = r.old_errors.has_errors() ? "old: " : "new: ";
      message += errors.errors().empty() ? "invalid" : errors.errors()[0].message;
      w.key("error").string(message);
    } else {
      w.key("changes");
      orbit::graphql::write_changes_json(w, r.diff.changes);
    }
    w.end_object();
    std::cout << out << '\n';
  }
  return 0;
}
