// The SQLite implementation of Store: one connection to one file, WAL journal, foreign keys
// on, a busy timeout so that a second reader (an operator's sqlite3 shell) does not fail
// writes at once.
#include <sqlite3.h>

#include <string>

#include "orbit/registry/store.h"

namespace orbit::registry {
namespace {

ApiError sqlite_error(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return api_error(ApiCode::kAlreadyExists, message);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_CANTOPEN ||
      primary == SQLITE_IOERR || primary == SQLITE_FULL)
    return api_error(ApiCode::kUnavailable, message);
  return api_error(ApiCode::kInternal, message);
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite3* db) : db_(db) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  Dialect dialect() const override { return Dialect::kSqlite; }

  Outcome init() {
    sqlite3_busy_timeout(db_, 5000);
    sqlite3_extended_result_codes(db_, 1);
    ORBIT_TRY(
        execute_script("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                       "PRAGMA synchronous=FULL;"));
    return migrate();
  }

 protected:
  Expected<std::vector<SqlRow>> query(std::string_view sql,
                                      const std::vector<SqlParam>& params) override {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) return sqlite_error(db_, rc, "preparing a statement");
    struct Finalize {
      sqlite3_stmt* s;
      ~Finalize() { sqlite3_finalize(s); }
    } finalize{stmt};
    for (size_t i = 0; i < params.size(); ++i) {
      std::string name = "$" + std::to_string(i + 1);
      int index = sqlite3_bind_parameter_index(stmt, name.c_str());
      if (index == 0) continue;  // the statement does not use it
      const SqlParam& p = params[i];
      if (std::holds_alternative<std::nullptr_t>(p)) {
        rc = sqlite3_bind_null(stmt, index);
      } else if (const int64_t* v = std::get_if<int64_t>(&p)) {
        rc = sqlite3_bind_int64(stmt, index, *v);
      } else {
        const std::string& s = std::get<std::string>(p);
        rc = sqlite3_bind_text64(stmt, index, s.data(), s.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) return sqlite_error(db_, rc, "binding a parameter");
    }
    std::vector<SqlRow> rows;
    while (true) {
      rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return sqlite_error(db_, rc, "running a statement");
      SqlRow row;
      int n = sqlite3_column_count(stmt);
      row.values.reserve(n);
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          row.values.emplace_back();
        } else {
          const unsigned char* text = sqlite3_column_text(stmt, c);
          int bytes = sqlite3_column_bytes(stmt, c);
          row.values.emplace_back(std::string(reinterpret_cast<const char*>(text), bytes));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Outcome execute_script(std::string_view sql) override {
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
      std::string m = message ? message : sqlite3_errstr(rc);
      sqlite3_free(message);
      ApiError error = sqlite_error(nullptr, rc, "running a script");
      error.message = "running a script: " + m;
      return error;
    }
    return Done{};
  }

  Outcome begin() override {
    // IMMEDIATE: take the write lock now, so that a read-then-write never fails half-way.
    return execute_script("BEGIN IMMEDIATE");
  }
  Outcome commit() override { return execute_script("COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) (void)execute_script("ROLLBACK");
  }

 private:
  sqlite3* db_;
};

}  // namespace

Expected<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = path + ": cannot open the SQLite database (" +
                          (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) + ")";
    sqlite3_close_v2(db);
    return api_error(ApiCode::kUnavailable, message);
  }
  auto store = std::make_unique<SqliteStore>(db);
  auto ready = store->init();
  if (!ready.ok()) {
    ApiError error = ready.error();
    error.message = path + ": " + error.message;
    return error;
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace orbit::registry
