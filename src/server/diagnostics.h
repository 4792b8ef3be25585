// Helpers for the server's own failure reports: request ids that a client can quote, and
// exception type names for log lines (which go through core/log.h and carry ids only).
#pragma once

#include <exception>
#include <string>

namespace sg::server {

// 16 random lower-case hex digits from the OS. Unique enough to find one failure in the
// logs; not a secret. Thread-safe.
std::string new_request_id();

// The dynamic type of an exception, e.g. "std::runtime_error". The exception's message is
// deliberately not used: it may quote input, and logs carry no personal data.
std::string exception_type_name(const std::exception_ptr& exception);

}  // namespace sg::server
