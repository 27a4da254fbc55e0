// Routes "METHOD /path/{param}" to handlers. Built once at start-up, then read-only: safe to share
// between threads after the last Add().
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "web/http.hpp"

namespace hotline::web {

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  // > 0: this route's request-body limit instead of the server's `http.body_limit_bytes` (e.g. attachment
  // uploads up to 5 MiB while every JSON route keeps 1 MiB).
  size_t body_limit_bytes = 0;
  // The handler may block for long (a remote system with timeouts and retries, argon2id password
  // hashing): the server runs it on its blocking pool, not on an I/O thread whose other connections it
  // would hold up.
  bool may_block = false;
};

class Router {
 public:
  // `pattern` segments in braces bind a path parameter: "/api/v1/users/{id}".
  // `name` labels the route in metrics (bounded cardinality), e.g. "users.get".
  void Add(std::string method, std::string pattern, std::string name, Handler handler,
           RouteOptions options = {});

  struct Match {
    const Handler* handler = nullptr;  // null: no route
    std::string_view name;             // "not_found" / "method_not_allowed" when no handler
    bool path_known = false;           // the path matched some route with another method
    std::string allow;                 // when path_known: the methods it does take, "GET, HEAD, PATCH"
    bool may_block = false;            // RouteOptions::may_block of the matched route
  };
  // Fills request.path_params on a match.
  Match Find(Request& request) const;

  // The body limit of the route `method path` matches: its own, or `fallback` (the server's) when it
  // has none or nothing matches. `path` is decoded, without the query.
  size_t BodyLimitFor(std::string_view method, std::string_view path, size_t fallback) const;
  // The largest per-route body limit (0 when no route has one).
  size_t max_body_limit() const { return max_body_limit_; }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    std::string name;
    Handler handler;
    RouteOptions options;
  };
  std::vector<Route> routes_;
  size_t max_body_limit_ = 0;
};

}  // namespace hotline::web
