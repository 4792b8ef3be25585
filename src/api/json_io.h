// Reading JSON request bodies into values and writing JSON responses. Every reader returns
// a Result naming the offending field, so handlers never see a throw.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.h"
#include "core/date.h"
#include "core/result.h"
#include "core/time.h"

namespace sg::api {

Response json_response(int status, const nlohmann::json& body);
Response no_content();

// The body as a JSON object. InvalidArgument naming "content-type" or "body";
// ResourceExhausted when larger than `limit`.
core::Result<nlohmann::json> parse_json_body(const Request& request, std::size_t limit);

// A required string field of at most `max` bytes.
core::Result<std::string> string_field(const nlohmann::json& body, std::string_view name,
                                       std::size_t max);
// An optional string field ("" when absent or null).
core::Result<std::string> optional_string(const nlohmann::json& body, std::string_view name,
                                          std::size_t max);
// A required YYYY-MM-DD date.
core::Result<core::Date> date_field(const nlohmann::json& body, std::string_view name);

// The value of query parameter `name` (percent-decoded), if present.
std::optional<std::string> query_param(const Request& request, std::string_view name);
// An optional RFC 3339 query parameter.
core::Result<std::optional<core::Timestamp>> time_param(const Request& request,
                                                        std::string_view name);
// A whole-number query parameter in [low, high], or `fallback` when absent. InvalidArgument
// naming the parameter otherwise.
core::Result<int> int_param(const Request& request, std::string_view name, int fallback, int low,
                            int high);
// The If-Match precondition: a version number in an entity tag ("3", W/"3" or 3), or none
// (absent or "*"). InvalidArgument naming "if-match" otherwise.
core::Result<std::optional<int>> if_match_version(const Request& request);
// The response with the entity tag a later If-Match names: the record's version, quoted.
Response with_etag(Response response, int version);

// The reason code for consulting records (DPA 2018 s.62): the X-Reason header, else the
// ?reason= parameter; empty when neither is given. Checked where it is used.
std::string reason_param(const Request& request);

}  // namespace sg::api
