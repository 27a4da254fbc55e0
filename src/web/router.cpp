#include "web/router.hpp"

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

void Router::Add(std::string method, std::string pattern, std::string name, Handler handler) {
  Route r{std::move(method), {}, std::move(name), std::move(handler)};
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
    return {&r.handler, r.name, true};
  }
  return m;
}

}  // namespace hotline::web
