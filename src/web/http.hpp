// Plain request/response values that handlers see. Boost.Beast stays inside http_server.cpp so that
// modules adding routes compile fast and never touch sockets (STYLE.md habit 2).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace hotline::web {

// Not thread-safe (a value owned by one request).
struct Request {
  std::string method;  // "GET", "POST", …
  std::string path;    // decoded path without the query, e.g. "/api/v1/users/7"
  std::string query;   // raw query string without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string remote_addr;
  std::vector<std::pair<std::string, std::string>> path_params;  // from the route pattern

  std::string_view Header(std::string_view name) const;               // name lower-case; "" if absent
  std::optional<std::string> QueryParam(std::string_view key) const;  // URL-decoded
  std::optional<std::string> Cookie(std::string_view name) const;
  std::string_view PathParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response Json(int status, const nlohmann::json& body);
  static Response NoContent();
};

// {"error":{"code","message"}} with the HTTP status of the error's kind (docs/ERRORS.md).
Response ErrorResponse(const Error& error);
int HttpStatusOf(ErrorKind kind);

// Percent-decoding ('+' is a space in queries). Returns false on a malformed escape.
bool UrlDecode(std::string_view in, std::string* out, bool plus_is_space);

}  // namespace hotline::web
