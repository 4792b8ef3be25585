#include "api/router.h"

namespace sg::api {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;  // Paths start with '/'.
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool match_template(std::string_view tmpl, std::string_view path,
                    std::map<std::string, std::string, std::less<>>& params) {
  auto want = segments(tmpl);
  auto have = segments(path);
  if (want.size() != have.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (have[i].empty()) return false;
      params.emplace(std::string(want[i].substr(1, want[i].size() - 2)), std::string(have[i]));
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::add(Route route) { routes_.push_back(std::move(route)); }

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match result;
  for (const auto& route : routes_) {
    std::map<std::string, std::string, std::less<>> params;
    if (!match_template(route.path, path, params)) continue;
    bool method_ok = route.method == method || (method == "HEAD" && route.method == "GET");
    if (method_ok) {
      result.route = &route;
      result.params = std::move(params);
      return result;
    }
    result.allowed_methods.push_back(route.method);
  }
  return result;
}

}  // namespace sg::api
