// ApiError and Expected<T>: how the registry says what went wrong, in the terms of the
// control plane API (docs/api.md, "Errors"): a stable code, an HTTP status that goes with it,
// a message for people and, for some codes, details as JSON.
//
// Plain values: copy and return them freely, on any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "orbit/base/assert.h"
#include "orbit/base/status.h"

namespace orbit::registry {

enum class ApiCode {
  kInvalidJson,
  kInvalidArgument,
  kUnauthenticated,
  kPermissionDenied,
  kNotFound,
  kMethodNotAllowed,
  kAlreadyExists,
  kFailedPrecondition,
  kPayloadTooLarge,
  kCompositionFailed,
  kInternal,
  kUnavailable,
  kCsrfTokenInvalid,  // 403: a session's state-changing call without its X-CSRF-Token
  kRateLimited,       // 429: too many failed sign-ins
};

// "INVALID_ARGUMENT", …
std::string_view api_code_name(ApiCode code);
// 400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 503.
int api_code_http_status(ApiCode code);

struct ApiError {
  ApiCode code = ApiCode::kInternal;
  std::string message;
  std::string details_json;  // empty: null
  // A conflict with a concurrent transaction (PostgreSQL serialization failure or deadlock):
  // running the transaction again may succeed. Store::transaction does, a few times.
  bool retryable = false;

  // {"error":{"code":…,"message":…,"details":…}}
  std::string to_json() const;
};

inline ApiError api_error(ApiCode code, std::string message) {
  return ApiError{code, std::move(message), {}};
}
// A Status of another library: kInvalidArgument → INVALID_ARGUMENT, kNotFound → NOT_FOUND,
// kLimitExceeded → PAYLOAD_TOO_LARGE, kUnavailable / kTimeout → UNAVAILABLE, else INTERNAL.
ApiError from_status(const Status& status);

// A value or an ApiError.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Expected(ApiError error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

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
  const ApiError& error() const {
    ORBIT_RELEASE_ASSERT(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, ApiError> v_;
};

struct Done {};
using Outcome = Expected<Done>;

#define ORBIT_TRY(expr)                              \
  do {                                               \
    auto orbit_try_ = (expr);                        \
    if (!orbit_try_.ok()) return orbit_try_.error(); \
  } while (0)

}  // namespace orbit::registry
