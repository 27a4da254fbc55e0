// Routes "METHOD /path/{param}" to handlers. Built once at start-up, then read-only: safe to share
// between threads after the last Add().
#pragma once

#include <string>
#include <vector>

#include "web/http.hpp"

namespace hotline::web {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  // `pattern` segments in braces bind a path parameter: "/api/v1/users/{id}".
  // `name` labels the route in metrics (bounded cardinality), e.g. "users.get".
  void Add(std::string method, std::string pattern, std::string name, Handler handler);

  struct Match {
    const Handler* handler = nullptr;  // null: no route
    std::string_view name;             // "not_found" / "method_not_allowed" when no handler
    bool path_known = false;           // the path matched some route with another method
    std::string allow;                 // when path_known: the methods it does take, "GET, HEAD, PATCH"
  };
  // Fills request.path_params on a match.
  Match Find(Request& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    std::string name;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace hotline::web
