#include "api/errors.h"

namespace sg::api {

int http_status(core::Code code) {
  switch (code) {
    case core::Code::kOk:
      return 200;
    case core::Code::kInvalidArgument:
      return 400;
    case core::Code::kOutOfRange:
      return 400;
    case core::Code::kUnauthenticated:
      return 401;
    case core::Code::kPermissionDenied:
      return 403;
    case core::Code::kNotFound:
      return 404;
    case core::Code::kAlreadyExists:
      return 409;
    case core::Code::kFailedPrecondition:
      return 409;
    case core::Code::kAborted:
      return 412;  // If-Match failed: re-read and retry.
    case core::Code::kResourceExhausted:
      return 429;
    case core::Code::kUnavailable:
      return 503;
    case core::Code::kDataLoss:
      return 500;
    case core::Code::kInternal:
      return 500;
  }
  return 500;
}

namespace {

std::string_view title_for(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Not signed in";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 409:
      return "Conflict";
    case 412:
      return "Changed by someone else";
    case 429:
      return "Too many requests";
    case 503:
      return "Service unavailable";
    default:
      return "Internal error";
  }
}

}  // namespace

Response error_response(const core::Error& error) {
  int status = http_status(error.code);
  // Internal details stay in the server log (as ids); the client gets a generic message.
  std::string_view detail = status >= 500 && status != 503 ? "an internal error occurred"
                                                           : std::string_view(error.message);
  return problem(status, title_for(status), detail, error.field);
}

}  // namespace sg::api
