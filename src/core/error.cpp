#include "core/error.h"

#include <utility>

namespace sg::core {

std::string_view code_name(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kNotFound:
      return "not_found";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kFailedPrecondition:
      return "failed_precondition";
    case Code::kAborted:
      return "aborted";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kResourceExhausted:
      return "resource_exhausted";
    case Code::kOutOfRange:
      return "out_of_range";
    case Code::kDataLoss:
      return "data_loss";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Error::to_string() const {
  std::string out(code_name(code));
  out += ": ";
  out += message;
  if (!field.empty()) {
    out += " (field: ";
    out += field;
    out += ")";
  }
  return out;
}

Error invalid_argument(std::string message, std::string field) {
  return {Code::kInvalidArgument, std::move(message), std::move(field)};
}
Error not_found(std::string message) { return {Code::kNotFound, std::move(message), {}}; }
Error already_exists(std::string message, std::string field) {
  return {Code::kAlreadyExists, std::move(message), std::move(field)};
}
Error failed_precondition(std::string message) {
  return {Code::kFailedPrecondition, std::move(message), {}};
}
Error aborted(std::string message) { return {Code::kAborted, std::move(message), {}}; }
Error permission_denied(std::string message) {
  return {Code::kPermissionDenied, std::move(message), {}};
}
Error unauthenticated(std::string message) {
  return {Code::kUnauthenticated, std::move(message), {}};
}
Error resource_exhausted(std::string message, std::string field) {
  return {Code::kResourceExhausted, std::move(message), std::move(field)};
}
Error out_of_range(std::string message, std::string field) {
  return {Code::kOutOfRange, std::move(message), std::move(field)};
}
Error data_loss(std::string message) { return {Code::kDataLoss, std::move(message), {}}; }
Error unavailable(std::string message) { return {Code::kUnavailable, std::move(message), {}}; }
Error internal(std::string message) { return {Code::kInternal, std::move(message), {}}; }

}  // namespace sg::core
