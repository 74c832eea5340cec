// The two Store backends for parameterized tests: a SQLite file in a temporary directory, and
// a database in a PostgreSQL server that the test binary starts once (tests/controlplane/
// pg_fixture.sh: initdb + pg_ctl in a temporary directory, unix socket only) and stops at the
// end. Each test gets a fresh database on that server. PostgreSQL tests never skip: the
// server is a dependency (scripts/install-deps); a server that cannot start fails them.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "orbit/registry/store.h"

namespace orbit::registry::testing {

namespace fs = std::filesystem;

// Runs `command`, returns its stdout; `status` gets the exit status.
inline std::string run(const std::string& command, int* status) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) {
    *status = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    out.append(buf, n);
  int rc = pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

class PostgresServer : public ::testing::Environment {
 public:
  // Registered before main() (below), so that gtest tears it down after the last test.
  static PostgresServer* instance();

  void SetUp() override {}
  void TearDown() override { stop(); }

  // The URL of a new, empty database; "" (and `error` set) when the server cannot start.
  std::string new_database(std::string* error) {
    if (!started_ && !start(error)) return "";
    std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
    PGconn* c = PQconnectdb(url_.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
      *error = PQerrorMessage(c);
      PQfinish(c);
      return "";
    }
    PGresult* r = PQexec(c, ("CREATE DATABASE " + name).c_str());
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) *error = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    if (!ok) return "";
    std::string url = url_;
    url.replace(url.find("/orbit?"), 7, "/" + name + "?");
    return url;
  }

 private:
  bool start(std::string* error) {
    dir_ = fs::temp_directory_path() / ("orbit-pg-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    int status = 0;
    std::string out = run(std::string(ORBIT_PG_FIXTURE) + " start " + dir_.string() + " " +
                              std::to_string(20000 + ::getpid() % 20000) + " 2>&1",
                          &status);
    if (status != 0) {
      *error = "pg_fixture.sh start failed: " + out;
      return false;
    }
    url_ = out.substr(0, out.find('\n'));
    started_ = true;
    return true;
  }
  void stop() {
    if (!started_) return;
    int status = 0;
    run(std::string(ORBIT_PG_FIXTURE) + " stop " + dir_.string() + " 2>&1", &status);
    std::error_code ec;
    fs::remove_all(dir_, ec);
    started_ = false;
  }

  fs::path dir_;
  std::string url_;
  bool started_ = false;
  int databases_ = 0;
};

inline PostgresServer* const kPostgresServer =
    static_cast<PostgresServer*>(::testing::AddGlobalTestEnvironment(new PostgresServer()));
inline PostgresServer* PostgresServer::instance() {
  return kPostgresServer;
}

// A location for Store::open: a fresh SQLite file or a fresh PostgreSQL database.
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("orbit-registry-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count_));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    if (GetParam() == "sqlite") {
      location_ = (dir_ / "orbit.db").string();
    } else {
      std::string error;
      location_ = PostgresServer::instance()->new_database(&error);
      ASSERT_FALSE(location_.empty()) << error;
    }
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::unique_ptr<Store> open() {
    auto store = Store::open(location_);
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
    return store.ok() ? std::move(*store) : nullptr;
  }

  fs::path dir_;
  std::string location_;
  static inline std::atomic<int> count_{0};
};

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace orbit::registry::testing
