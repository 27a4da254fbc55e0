#include "net/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace hotline::net {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

Result<ClientResponse> HttpRequest(const std::string& method, const std::string& url,
                                   const std::vector<std::pair<std::string, std::string>>& headers,
                                   const std::string& body, std::chrono::milliseconds timeout) {
  constexpr std::string_view kScheme = "http://";
  if (url.rfind(kScheme, 0) != 0)
    return Error::InvalidArgument("invalid_url", "only http:// URLs are supported: " + url);
  std::string rest = url.substr(kScheme.size());
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = hostport.rfind(':');
  std::string host = colon == std::string::npos ? hostport : hostport.substr(0, colon);
  std::string port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);
  if (host.empty() || port.empty()) return Error::InvalidArgument("invalid_url", "bad URL: " + url);

  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  tcp::resolver resolver(ioc);
  auto endpoints = resolver.resolve(host, port, ec);
  if (ec) return Error::Unavailable("cannot resolve " + host + ": " + ec.message());
  stream.expires_after(timeout);
  // Synchronous calls with a deadline: run the async versions on this thread's io_context.
  std::optional<Result<ClientResponse>> outcome;
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, hostport);
  req.set(http::field::user_agent, "hotline12329");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  stream.async_connect(endpoints, [&](beast::error_code cec, const tcp::endpoint&) {
    if (cec)
      return void(outcome = Error::Unavailable("cannot connect to " + hostport + ": " + cec.message()));
    http::async_write(stream, req, [&](beast::error_code wec, size_t) {
      if (wec)
        return void(outcome = Error::Unavailable("sending to " + hostport + " failed: " + wec.message()));
      http::async_read(stream, buffer, parser, [&](beast::error_code rec, size_t) {
        if (rec)
          return void(outcome = Error::Unavailable("no answer from " + hostport + ": " + rec.message()));
        outcome = ClientResponse{static_cast<int>(parser.get().result_int()), parser.get().body()};
      });
    });
  });
  ioc.run();
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  if (!outcome) return Error::Unavailable("request to " + hostport + " did not complete");
  return std::move(*outcome);
}

}  // namespace hotline::net
