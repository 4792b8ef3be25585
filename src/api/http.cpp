#include "api/http.h"

#include <nlohmann/json.hpp>

#include "core/ascii.h"

namespace sg::api {

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return std::string_view(value);
  }
  return std::nullopt;
}

void Response::set_header(std::string name, std::string value) {
  for (auto& [n, v] : headers) {
    if (core::iequals(n, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Response::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (core::iequals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

Response problem(int status, std::string_view title, std::string_view detail,
                 std::string_view field) {
  nlohmann::json body = {
      {"type", "about:blank"}, {"title", title}, {"status", status}, {"detail", detail}};
  if (!field.empty()) body["field"] = field;
  Response response;
  response.status = status;
  response.set_header("Content-Type", "application/problem+json");
  response.body = body.dump();
  return response;
}

}  // namespace sg::api
