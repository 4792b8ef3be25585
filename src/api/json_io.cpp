#include "api/json_io.h"

namespace sg::api {

using nlohmann::json;

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.set_header("Content-Type", "application/json");
  r.body = body.dump();
  return r;
}

Response no_content() {
  Response r;
  r.status = 204;
  return r;
}

core::Result<json> parse_json_body(const Request& request, std::size_t limit) {
  auto type = request.header("content-type");
  if (!type || type->substr(0, 16) != "application/json") {
    return core::invalid_argument("the body must be application/json", "content-type");
  }
  if (request.body.size() > limit) return core::resource_exhausted("the body is too large", "body");
  auto body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return core::invalid_argument("the body is not valid JSON", "body");
  if (!body.is_object()) return core::invalid_argument("the body must be a JSON object", "body");
  return body;
}

core::Result<std::string> optional_string(const json& body, std::string_view name,
                                          std::size_t max) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) return core::invalid_argument("must be a string", std::string(name));
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max) {
    return core::invalid_argument("must be at most " + std::to_string(max) + " bytes",
                                  std::string(name));
  }
  return s;
}

core::Result<std::string> string_field(const json& body, std::string_view name, std::size_t max) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    return core::invalid_argument("is required", std::string(name));
  }
  return optional_string(body, name, max);
}

core::Result<core::Date> date_field(const json& body, std::string_view name) {
  auto text = SG_TRY(string_field(body, name, 10));
  return core::Date::parse_iso(text, name);
}

std::optional<std::string> query_param(const Request& request, std::string_view name) {
  std::string_view rest = request.query;
  while (!rest.empty()) {
    auto end = rest.find('&');
    auto pair = rest.substr(0, end);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      std::string value;
      auto raw = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '+') {
          value += ' ';
        } else if (raw[i] == '%' && i + 2 < raw.size()) {
          auto hex = [](char c) {
            return c >= '0' && c <= '9'   ? c - '0'
                   : c >= 'a' && c <= 'f' ? c - 'a' + 10
                   : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                          : -1;
          };
          int hi = hex(raw[i + 1]), lo = hex(raw[i + 2]);
          if (hi < 0 || lo < 0) return std::string();  // Malformed: treat as empty.
          value += static_cast<char>(hi * 16 + lo);
          i += 2;
        } else {
          value += raw[i];
        }
      }
      return value;
    }
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

core::Result<std::optional<core::Timestamp>> time_param(const Request& request,
                                                        std::string_view name) {
  auto value = query_param(request, name);
  if (!value || value->empty()) return std::optional<core::Timestamp>();
  auto t = SG_TRY(core::parse_rfc3339(*value, name));
  return std::optional<core::Timestamp>(t);
}

namespace {

// The value of a run of 1 to 9 decimal digits (no sign, no spaces), or -1.
int whole_number(std::string_view text) {
  if (text.empty() || text.size() > 9) return -1;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

core::Result<int> int_param(const Request& request, std::string_view name, int fallback, int low,
                            int high) {
  auto text = query_param(request, name);
  if (!text) return fallback;
  int value = whole_number(*text);
  if (value < 0) return core::invalid_argument("must be a whole number", std::string(name));
  if (value < low || value > high) {
    return core::invalid_argument(
        "must be between " + std::to_string(low) + " and " + std::to_string(high),
        std::string(name));
  }
  return value;
}

core::Result<std::optional<int>> if_match_version(const Request& request) {
  auto header = request.header("if-match");
  if (!header || *header == "*") return std::optional<int>();
  std::string_view tag = *header;
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
    tag = tag.substr(1, tag.size() - 2);
  }
  int version = whole_number(tag);
  if (version < 0) return core::invalid_argument("is not a version", "if-match");
  return std::optional<int>(version);
}

Response with_etag(Response response, int version) {
  response.set_header("ETag", "\"" + std::to_string(version) + "\"");
  return response;
}

std::string reason_param(const Request& request) {
  if (auto header = request.header("x-reason")) return std::string(*header);
  return query_param(request, "reason").value_or("");
}

}  // namespace sg::api
