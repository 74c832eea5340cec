#include "orbit/registry/error.h"

#include "orbit/base/json_writer.h"

namespace orbit::registry {

std::string_view api_code_name(ApiCode code) {
  switch (code) {
    case ApiCode::kInvalidJson: return "INVALID_JSON";
    case ApiCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case ApiCode::kUnauthenticated: return "UNAUTHENTICATED";
    case ApiCode::kPermissionDenied: return "PERMISSION_DENIED";
    case ApiCode::kNotFound: return "NOT_FOUND";
    case ApiCode::kMethodNotAllowed: return "METHOD_NOT_ALLOWED";
    case ApiCode::kAlreadyExists: return "ALREADY_EXISTS";
    case ApiCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case ApiCode::kPayloadTooLarge: return "PAYLOAD_TOO_LARGE";
    case ApiCode::kCompositionFailed: return "COMPOSITION_FAILED";
    case ApiCode::kInternal: return "INTERNAL";
    case ApiCode::kUnavailable: return "UNAVAILABLE";
    case ApiCode::kCsrfTokenInvalid: return "CSRF_TOKEN_INVALID";
    case ApiCode::kRateLimited: return "RATE_LIMITED";
  }
  return "INTERNAL";
}

int api_code_http_status(ApiCode code) {
  switch (code) {
    case ApiCode::kInvalidJson:
    case ApiCode::kInvalidArgument: return 400;
    case ApiCode::kUnauthenticated: return 401;
    case ApiCode::kPermissionDenied:
    case ApiCode::kCsrfTokenInvalid: return 403;
    case ApiCode::kNotFound: return 404;
    case ApiCode::kMethodNotAllowed: return 405;
    case ApiCode::kAlreadyExists:
    case ApiCode::kFailedPrecondition: return 409;
    case ApiCode::kPayloadTooLarge: return 413;
    case ApiCode::kCompositionFailed: return 422;
    case ApiCode::kRateLimited: return 429;
    case ApiCode::kInternal: return 500;
    case ApiCode::kUnavailable: return 503;
  }
  return 500;
}

std::string ApiError::to_json() const {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("error").begin_object();
  w.key("code").string(api_code_name(code));
  w.key("message").string(message);
  w.key("details");
  if (details_json.empty())
    w.null();
  else
    w.raw(details_json);
  w.end_object().end_object();
  return out;
}

ApiError from_status(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kInvalidArgument: return api_error(ApiCode::kInvalidArgument, status.message());
    case ErrorCode::kNotFound: return api_error(ApiCode::kNotFound, status.message());
    case ErrorCode::kLimitExceeded: return api_error(ApiCode::kPayloadTooLarge, status.message());
    case ErrorCode::kUnavailable:
    case ErrorCode::kTimeout: return api_error(ApiCode::kUnavailable, status.message());
    default: return api_error(ApiCode::kInternal, status.message());
  }
}

}  // namespace orbit::registry
