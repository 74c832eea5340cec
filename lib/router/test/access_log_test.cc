// The access log: lines formatted from records (parsed back as JSON), the configured fields,
// the file writer with reopen, and a full queue that drops and counts instead of blocking.
#include "../src/access_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "orbit/base/arena.h"
#include "orbit/base/json.h"

namespace orbit::router {
namespace {

std::string read_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  std::string out;
  if (f == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
    out.append(buf, n);
  std::fclose(f);
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(at, nl - at));
    at = nl + 1;
  }
  return out;
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/orbit-access-log-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

RequestRecord sample_record() {
  RequestRecord r;
  r.start_unix_ns = 1'795'000'000'123'456'789;  // 2026-11-18T11:06:40.123Z
  r.method = "POST";
  r.path = "/graphql";
  r.remote_address = "127.0.0.1:50000";
  r.user_agent = "curl/7.88";
  r.http_status = 200;
  r.duration_ns = 3'412'345;
  r.client_name = "web \"app\"";
  r.client_version = "1.4.2";
  r.has_operation = true;
  r.operation_type = graphql::OperationType::kQuery;
  r.operation_name = "GetUser";
  r.operation_hash = "9f2c";
  r.error_count = 2;
  r.error_codes = {"SUBGRAPH_ERROR", "TIMEOUT"};
  FetchRecord ok;
  ok.subgraph_name = "accounts";
  ok.http_status = 200;
  FetchRecord failed;
  failed.subgraph_name = "reviews";
  failed.http_status = 500;
  FetchRecord down;
  down.subgraph_name = "products";
  down.transport_error = ErrorCode::kUnavailable;
  FetchRecord slow;
  slow.subgraph_name = "inventory";
  slow.transport_error = ErrorCode::kTimeout;
  FetchRecord shared;
  shared.subgraph_name = "accounts";
  shared.http_status = 200;
  shared.deduplicated = true;
  r.fetches = {ok, failed, down, slow, shared};
  for (size_t i = 0; i < 16; ++i)
    r.trace.trace_id[i] = static_cast<uint8_t>(0x10 + i);
  r.trace.span_id = 0x0102030405060708;
  return r;
}

TEST(AccessLog, DefaultLineParsesAsJsonWithTheDefaultFields) {
  TempDir dir;
  config::AccessLogConfig config;
  config.enabled = true;
  config.path = dir.file("access.log");
  auto log = AccessLog::open(config);
  ASSERT_TRUE(log.ok()) << log.status().message();
  std::string line = (*log)->format(sample_record());
  EXPECT_EQ(line,
            R"({"time":"2026-11-18T11:06:40.123Z","trace_id":"101112131415161718191a1b1c1d1e1f",)"
            R"("method":"POST","path":"/graphql","status":200,"latency_ms":3.412,)"
            R"("operation_name":"GetUser","operation_type":"query","operation_hash":"9f2c",)"
            R"("client_name":"web \"app\"","client_version":"1.4.2","errors":2,)"
            R"("subgraph_calls":4,"subgraph_errors":[{"subgraph":"reviews","status":500,)"
            R"("error":"http"},{"subgraph":"products","error":"transport"},)"
            R"({"subgraph":"inventory","error":"timeout"}]})");
  Arena arena;
  auto parsed = parse_json(line, arena);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  std::vector<std::string> keys;
  for (const auto& m : parsed->members())
    keys.emplace_back(m.key);
  std::vector<std::string> expected(std::begin(kDefaultAccessLogFields),
                                    std::end(kDefaultAccessLogFields));
  EXPECT_EQ(keys, expected);
}

TEST(AccessLog, ConfiguredFieldsInTheirOrderAndNullsForAbsentValues) {
  config::AccessLogConfig config;
  config.enabled = true;
  config.path = "stdout";
  config.fields = {"status",       "span_id",     "remote_addr",    "user_agent", "error_codes",
                   "deduplicated", "client_name", "operation_name", "trace_id",   "config_version"};
  auto log = AccessLog::open(config);
  ASSERT_TRUE(log.ok());
  RequestRecord r = sample_record();
  EXPECT_EQ((*log)->format(r),
            R"({"status":200,"span_id":"0102030405060708","remote_addr":"127.0.0.1:50000",)"
            R"("user_agent":"curl/7.88","error_codes":["SUBGRAPH_ERROR","TIMEOUT"],)"
            R"("deduplicated":false,"client_name":"web \"app\"","operation_name":"GetUser",)"
            R"("trace_id":"101112131415161718191a1b1c1d1e1f","config_version":null})");
  RequestRecord bare;  // failed before an operation was known, no trace, no client headers
  bare.http_status = 400;
  EXPECT_EQ((*log)->format(bare),
            R"({"status":400,"span_id":null,"remote_addr":null,"user_agent":null,)"
            R"("error_codes":[],"deduplicated":false,"client_name":null,"operation_name":null,)"
            R"("trace_id":null,"config_version":null})");
}

TEST(AccessLog, OpenErrors) {
  config::AccessLogConfig config;
  config.enabled = true;
  config.path = "/nonexistent-dir/x/access.log";
  auto log = AccessLog::open(config);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().message(),
            "telemetry.access_log.path: cannot open /nonexistent-dir/x/access.log: No such file "
            "or directory");
  config.path = "";
  config.fields = {"time", "nope"};
  log = AccessLog::open(config);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().message(), "telemetry.access_log.fields: unknown field \"nope\"");
}

TEST(AccessLog, WritesLinesFromManyThreadsAndReopensAfterRotation) {
  TempDir dir;
  config::AccessLogConfig config;
  config.enabled = true;
  config.path = dir.file("access.log");
  config.fields = {"status", "operation_name"};
  auto opened = AccessLog::open(config);
  ASSERT_TRUE(opened.ok());
  AccessLog& log = **opened;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      RequestRecord r = sample_record();
      for (int i = 0; i < 500; ++i)
        log.on_end(r);
    });
  }
  for (auto& th : threads)
    th.join();
  log.flush();
  auto lines = lines_of(read_file(config.path));
  ASSERT_EQ(lines.size(), 2000u);
  for (const std::string& l : lines)
    ASSERT_EQ(l, R"({"status":200,"operation_name":"GetUser"})");
  EXPECT_EQ(log.stats().written, 2000u);
  EXPECT_EQ(log.stats().dropped, 0u);

  // logrotate: rename, then ask for a reopen; new lines go to a new file at the old path.
  std::filesystem::rename(config.path, dir.file("access.log.1"));
  log.reopen();
  RequestRecord r = sample_record();
  r.http_status = 502;
  log.on_end(r);
  log.flush();
  EXPECT_EQ(lines_of(read_file(dir.file("access.log.1"))).size(), 2000u);
  EXPECT_EQ(read_file(config.path), "{\"status\":502,\"operation_name\":\"GetUser\"}\n");
}

TEST(AccessLog, AFullQueueDropsAndCounts) {
  TempDir dir;
  config::AccessLogConfig config;
  config.enabled = true;
  config.path = dir.file("access.log");
  config.fields = {"status"};
  auto opened = AccessLog::open(config, 4);
  ASSERT_TRUE(opened.ok());
  AccessLog& log = **opened;
  RequestRecord r = sample_record();
  // Far faster than the writer's 5 ms pick-up: most of these find the 4 cells full.
  for (int i = 0; i < 10'000; ++i)
    log.on_end(r);
  log.flush();
  AccessLogStats s = log.stats();
  EXPECT_GT(s.dropped, 0u);
  EXPECT_EQ(s.written + s.dropped, 10'000u);
  EXPECT_EQ(lines_of(read_file(config.path)).size(), s.written);
}

}  // namespace
}  // namespace orbit::router
