// Canonical error codes and the Error value carried by Result<T>.
// Codes follow the Abseil/gRPC canonical set; the API layer maps them to HTTP in one place.
#pragma once

#include <string>
#include <string_view>

namespace sg::core {

// When to use which:
//   kInvalidArgument    the caller's input is wrong whatever the state of the system.
//   kNotFound           the named thing does not exist (or the caller may not know it exists).
//   kAlreadyExists      a create collided with an existing thing.
//   kFailedPrecondition the system is not in a state that allows the operation.
//   kAborted            a concurrent change won (version/ETag mismatch); retry after re-reading.
//   kPermissionDenied   authenticated, but not allowed.
//   kUnauthenticated    no valid session or credentials.
//   kResourceExhausted  a limit or quota was hit (body size, rate).
//   kOutOfRange         a value lies outside a supported range (e.g. calendar years).
//   kDataLoss           stored data is corrupt or has been tampered with.
//   kUnavailable        a dependency is temporarily unavailable (database busy, port in use).
//   kInternal           an invariant broke; a bug.
enum class Code {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kAborted,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kOutOfRange,
  kDataLoss,
  kUnavailable,
  kInternal,
};

std::string_view code_name(Code code);

// An expected failure. `message` is for people and must never contain personal data:
// name ids and fields, not values. `field` names the offending input field, if any
// (a JSON pointer-ish path such as "children/0/date_of_birth", a CLI option or a config key).
struct Error {
  Code code = Code::kInternal;
  std::string message;
  std::string field;

  std::string to_string() const;
};

Error invalid_argument(std::string message, std::string field = {});
Error not_found(std::string message);
Error already_exists(std::string message, std::string field = {});
Error failed_precondition(std::string message);
Error aborted(std::string message);
Error permission_denied(std::string message);
Error unauthenticated(std::string message);
Error resource_exhausted(std::string message, std::string field = {});
Error out_of_range(std::string message, std::string field = {});
Error data_loss(std::string message);
Error unavailable(std::string message);
Error internal(std::string message);

}  // namespace sg::core
