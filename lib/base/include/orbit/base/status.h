// Status and Result<T>: error handling without exceptions on the data path.
//
// A Status is cheap when ok (one small enum, no allocation). Result<T> holds either a value
// or a non-ok Status. Both are plain values: copy, move and return them freely.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "orbit/base/assert.h"
#include "orbit/base/error_code.h"

namespace orbit {

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok_status() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "GRAPHQL_PARSE_FAILED: Syntax Error: ..." for logs.
  std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    ORBIT_ASSERT(!std::get<Status>(v_).ok());
  }

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    ORBIT_RELEASE_ASSERT(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    ORBIT_RELEASE_ASSERT(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    ORBIT_RELEASE_ASSERT(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<1>(v_);
  }

 private:
  std::variant<T, Status> v_;
};

#define ORBIT_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::orbit::Status orbit_status_ = (expr);        \
    if (!orbit_status_.ok()) return orbit_status_; \
  } while (0)

}  // namespace orbit
