// A small blocking HTTP/1.1 client (Boost.Beast) for server-to-server calls: federation pushes upward
// (R-ORG-3) and, later, the provident-fund core system adapter. Plain http:// only for now (put a TLS
// proxy in between, or wait for https support). Thread-safe: each call uses its own connection.
// It lives in `net`, apart from the HTTP server (`web`), so the domain's adapters (kpi's federation push,
// fund's HttpFundPort) reach their peers without linking or including the server.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace hotline::net {

struct ClientResponse {
  int status = 0;
  std::string body;
};

// Sends one request and reads the whole response. Errors: invalid_argument for a bad URL,
// unavailable when the peer cannot be reached or does not answer within `timeout`.
Result<ClientResponse> HttpRequest(const std::string& method, const std::string& url,
                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                   const std::string& body, std::chrono::milliseconds timeout);

}  // namespace hotline::net
