// The PostgreSQL implementation of Store: one libpq connection, parameters sent as text
// (PQexecParams; the server infers their types from the statement), results read as text.
// A lost connection is re-established once before a statement outside a transaction.
#include <libpq-fe.h>

#include <string>

#include "orbit/registry/store.h"

namespace orbit::registry {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::string url) : url_(std::move(url)) {}
  ~PostgresStore() override {
    if (conn_) PQfinish(conn_);
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  Outcome connect() {
    if (conn_) PQfinish(conn_);
    conn_ = PQconnectdb(url_.c_str());
    if (PQstatus(conn_) != CONNECTION_OK)
      return api_error(ApiCode::kUnavailable,
                       "cannot connect to PostgreSQL: " + trim(PQerrorMessage(conn_)));
    PGresult* r = PQexec(conn_, "SET client_min_messages TO warning");
    PQclear(r);
    return Done{};
  }

  Outcome init() {
    ORBIT_TRY(connect());
    return migrate();
  }

 protected:
  Expected<std::vector<SqlRow>> query(std::string_view sql,
                                      const std::vector<SqlParam>& params) override {
    if (!in_transaction_ && PQstatus(conn_) != CONNECTION_OK) ORBIT_TRY(connect());
    std::vector<std::string> texts(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      if (const int64_t* v = std::get_if<int64_t>(&params[i])) {
        texts[i] = std::to_string(*v);
        values[i] = texts[i].c_str();
      } else if (const std::string* s = std::get_if<std::string>(&params[i])) {
        values[i] = s->c_str();
      }
    }
    std::string text(sql);
    PGresult* result = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                                    values.data(), nullptr, nullptr, 0);
    struct Clear {
      PGresult* r;
      ~Clear() { PQclear(r); }
    } clear{result};
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return error_of(result);
    std::vector<SqlRow> rows;
    int n = PQntuples(result), columns = PQnfields(result);
    rows.reserve(n);
    for (int r = 0; r < n; ++r) {
      SqlRow row;
      row.values.reserve(columns);
      for (int c = 0; c < columns; ++c) {
        if (PQgetisnull(result, r, c))
          row.values.emplace_back();
        else
          row.values.emplace_back(std::string(PQgetvalue(result, r, c), PQgetlength(result, r, c)));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Outcome execute_script(std::string_view sql) override {
    if (!in_transaction_ && PQstatus(conn_) != CONNECTION_OK) ORBIT_TRY(connect());
    std::string text(sql);
    PGresult* result = PQexec(conn_, text.c_str());
    ExecStatusType status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      ApiError error = error_of(result);
      PQclear(result);
      return error;
    }
    PQclear(result);
    return Done{};
  }

  Outcome begin() override {
    ORBIT_TRY(execute_script("BEGIN ISOLATION LEVEL SERIALIZABLE"));
    in_transaction_ = true;
    return Done{};
  }
  Outcome commit() override {
    auto done = execute_script("COMMIT");
    in_transaction_ = false;
    return done;
  }
  void rollback() override {
    if (PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) != PQTRANS_IDLE)
      (void)execute_script("ROLLBACK");
    in_transaction_ = false;
  }

 private:
  ApiError error_of(PGresult* result) {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string message =
        "PostgreSQL: " + trim(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
    std::string code = state ? state : "";
    if (code == "23505") return api_error(ApiCode::kAlreadyExists, message);
    if (code == "40001" || code == "40P01") {  // serialization failure, deadlock: retry
      ApiError error = api_error(ApiCode::kUnavailable, message);
      error.retryable = true;
      return error;
    }
    if (PQstatus(conn_) != CONNECTION_OK || code.rfind("08", 0) == 0 || code.rfind("57P", 0) == 0)
      return api_error(ApiCode::kUnavailable, message);
    return api_error(ApiCode::kInternal, message);
  }

  std::string url_;
  PGconn* conn_ = nullptr;
  bool in_transaction_ = false;
};

}  // namespace

Expected<std::unique_ptr<Store>> open_postgres_store(const std::string& url) {
  auto store = std::make_unique<PostgresStore>(url);
  ORBIT_TRY(store->init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace orbit::registry
