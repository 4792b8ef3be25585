// The one place that maps error codes to HTTP statuses and problem+json bodies.
#pragma once

#include "api/http.h"
#include "core/error.h"

namespace sg::api {

int http_status(core::Code code);
// A problem+json response for `error`. The body carries the error's message and field,
// which by contract never contain personal data.
Response error_response(const core::Error& error);

}  // namespace sg::api
