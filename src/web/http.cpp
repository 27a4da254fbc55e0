#include "web/http.hpp"

#include "core/text.hpp"

namespace hotline::web {

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return {};
}

bool UrlDecode(std::string_view in, std::string* out, bool plus_is_space) {
  out->clear();
  out->reserve(in.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;  // needs two hex digits
      int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

std::optional<std::string> Request::QueryParam(std::string_view key) const {
  std::string_view q = query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string k, v;
    if (!UrlDecode(pair.substr(0, eq), &k, true)) continue;
    if (k != key) continue;
    if (eq == std::string_view::npos) return std::string();
    if (!UrlDecode(pair.substr(eq + 1), &v, true) || !IsValidUtf8(v)) return std::nullopt;
    return v;
  }
  return std::nullopt;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  std::string_view c = Header("cookie");
  while (!c.empty()) {
    size_t semi = c.find(';');
    std::string_view part = c.substr(0, semi);
    c = semi == std::string_view::npos ? std::string_view{} : c.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
  }
  return std::nullopt;
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [k, v] : path_params)
    if (k == name) return v;
  return {};
}

Response Response::Json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

int HttpStatusOf(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return 400;
    case ErrorKind::kUnauthenticated:
      return 401;
    case ErrorKind::kPermissionDenied:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kFailedPrecondition:
      return 409;
    case ErrorKind::kPayloadTooLarge:
      return 413;
    case ErrorKind::kResourceExhausted:
      return 429;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(const Error& error) {
  // Two documented codes have their own HTTP status within kInvalidArgument (docs/API.md, Errors).
  int status = error.code == "unsupported_media_type" ? 415
               : error.code == "method_not_allowed"   ? 405
                                                      : HttpStatusOf(error.kind);
  return Response::Json(status, {{"error", {{"code", error.code}, {"message", error.message}}}});
}

}  // namespace hotline::web
