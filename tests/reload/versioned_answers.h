// The answers the end-to-end reload tests (tests/reload, tests/managed) expect while the
// graph changes under load: every published version k adds a field `version_k` to Query and
// routes products to instance B exactly when k is even, so each answer names the one version
// that served it.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"
#include "process.h"

namespace orbit::testing {

// What the clients saw.
struct ClientReport {
  std::mutex mu;
  uint64_t ok = 0;
  uint64_t failed = 0;
  std::vector<std::string> failures;  // the first few
  std::set<int> versions;

  void fail(std::string why) {
    std::lock_guard<std::mutex> lock(mu);
    ++failed;
    if (failures.size() < 20) failures.push_back(std::move(why));
  }
  uint64_t total() {
    std::lock_guard<std::mutex> lock(mu);
    return ok + failed;
  }
};

// Checks one answer: 200, no errors, one version_k field with 1 <= k <= published, and
// product names from instance B exactly when k is even. Returns k, or 0 (and reports why).
inline int check_answer(const HttpResult& r, int published, ClientReport& report) {
  if (!r.error.empty()) {
    report.fail("transport: " + r.error);
    return 0;
  }
  if (r.status != 200) {
    report.fail("status " + std::to_string(r.status) + ": " + r.body);
    return 0;
  }
  Arena arena;
  auto json = parse_json(r.body, arena);
  if (!json.ok() || json->find("errors") != nullptr) {
    report.fail("errors: " + r.body);
    return 0;
  }
  int version = 0, version_fields = 0;
  const JsonValue* fields = member(*json, {"data", "__type", "fields"});
  for (const JsonValue& f : fields ? fields->items() : std::span<const JsonValue>()) {
    std::string_view name = f.find("name") ? f.find("name")->as_string() : "";
    if (name.rfind("version_", 0) == 0) {
      version = std::atoi(std::string(name.substr(8)).c_str());
      ++version_fields;
    }
  }
  if (version_fields != 1 || version < 1 || version > published) {
    report.fail("version " + std::to_string(version) + " (published: " + std::to_string(published) +
                "): " + r.body);
    return 0;
  }
  const JsonValue* products = member(*json, {"data", "topProducts"});
  if (products == nullptr || products->size() != 2) {
    report.fail("topProducts: " + r.body);
    return 0;
  }
  for (const JsonValue& p : products->items()) {
    std::string_view name = p.find("name") ? p.find("name")->as_string() : "";
    bool from_b = name.size() > 4 && name.substr(name.size() - 4) == " (B)";
    if (from_b != (version % 2 == 0)) {
      report.fail("version " + std::to_string(version) +
                  " with names of the other instance: " + r.body);
      return 0;
    }
  }
  return version;
}

}  // namespace orbit::testing
