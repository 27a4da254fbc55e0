#include "web/router.hpp"

#include <algorithm>

namespace hotline::web {
namespace {
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(pos, end - pos));
    pos = end;
  }
  return out;
}
}  // namespace

void Router::Add(std::string method, std::string pattern, std::string name, Handler handler,
                 RouteOptions options) {
  Route r{std::move(method), {}, std::move(name), std::move(handler), options};
  max_body_limit_ = std::max(max_body_limit_, options.body_limit_bytes);
  for (auto s : Split(pattern)) r.segments.emplace_back(s);
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(Request& request) const {
  auto parts = Split(request.path);
  Match m{.name = "not_found"};
  for (const auto& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const auto& seg = r.segments[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}')
        params.emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[i]));
      else
        ok = seg == parts[i];
    }
    if (!ok) continue;
    if (r.method != request.method && !(request.method == "HEAD" && r.method == "GET")) {
      m.path_known = true;
      m.name = "method_not_allowed";
      m.allow += (m.allow.empty() ? "" : ", ") + r.method + (r.method == "GET" ? ", HEAD" : "");
      continue;
    }
    request.path_params = std::move(params);
    return {.handler = &r.handler, .name = r.name, .path_known = true, .may_block = r.options.may_block};
  }
  return m;
}

size_t Router::BodyLimitFor(std::string_view method, std::string_view path, size_t fallback) const {
  if (max_body_limit_ == 0) return fallback;
  auto parts = Split(path);
  for (const auto& r : routes_) {
    if (r.method != method || r.segments.size() != parts.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const auto& seg = r.segments[i];
      ok = (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') || seg == parts[i];
    }
    if (ok) return r.options.body_limit_bytes > 0 ? r.options.body_limit_bytes : fallback;
  }
  return fallback;
}

}  // namespace hotline::web
