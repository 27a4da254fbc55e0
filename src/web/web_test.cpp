// Unit tests of the web module's pure parts: routing, request helpers, JSON bodies, metrics, events.
// The server itself is tested end to end in tests/e2e/http.test.mjs; its per-route body limit here.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "events/event_bus.hpp"
#include "events/metrics.hpp"
#include "net/http_client.hpp"
#include "web/http_metrics.hpp"
#include "web/http_server.hpp"
#include "web/json_body.hpp"
#include "web/router.hpp"

namespace hotline::web {
namespace {

Request Make(std::string method, std::string path, std::string query = "") {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  return r;
}

TEST(RouterTest, MatchesParamsAndMethods) {
  Router router;
  router.Add("GET", "/api/v1/users/{id}", "users.get", [](Request& r) {
    return Response::Json(200, {{"id", std::string(r.PathParam("id"))}});
  });
  router.Add("GET", "/api/v1/users", "users.list", [](Request&) { return Response::Json(200, {}); });
  auto get = Make("GET", "/api/v1/users/42");
  auto m = router.Find(get);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(m.name, "users.get");
  EXPECT_EQ((*m.handler)(get).body, R"({"id":"42"})");
  auto post = Make("POST", "/api/v1/users/42");
  auto m2 = router.Find(post);
  EXPECT_EQ(m2.handler, nullptr);
  EXPECT_TRUE(m2.path_known);
  EXPECT_EQ(m2.name, "method_not_allowed");
  EXPECT_EQ(m2.allow, "GET, HEAD");
  auto none = Make("GET", "/api/v1/nothing");
  EXPECT_FALSE(router.Find(none).path_known);
  auto head = Make("HEAD", "/api/v1/users");
  EXPECT_NE(router.Find(head).handler, nullptr);
  auto trailing = Make("GET", "/api/v1/users/");
  EXPECT_EQ(router.Find(trailing).name, "users.list");
}

TEST(RequestTest, QueryCookiesHeaders) {
  auto r = Make("GET", "/x", "org=GS-LZ&name=%E5%85%B0%E5%B7%9E+x&flag&bad=%zz");
  r.headers = {{"cookie", "a=1; hotline_session=tok; b=2"}, {"authorization", "Bearer t"}};
  EXPECT_EQ(r.QueryParam("org"), "GS-LZ");
  EXPECT_EQ(r.QueryParam("name"), "兰州 x");
  EXPECT_EQ(r.QueryParam("flag"), "");
  EXPECT_EQ(r.QueryParam("bad"), std::nullopt);
  EXPECT_EQ(r.QueryParam("missing"), std::nullopt);
  EXPECT_EQ(r.Cookie("hotline_session"), "tok");
  EXPECT_EQ(r.Cookie("c"), std::nullopt);
  EXPECT_EQ(r.Header("authorization"), "Bearer t");
  EXPECT_EQ(r.Header("x"), "");
  std::string out;
  EXPECT_FALSE(UrlDecode("%4", &out, false));
  EXPECT_FALSE(UrlDecode("%", &out, false));
  EXPECT_TRUE(UrlDecode("a+b%20c", &out, false));
  EXPECT_EQ(out, "a+b c");
}

TEST(JsonBodyTest, RejectsWhatIsNotAnObject) {
  EXPECT_EQ(ParseJsonObjectBytes("[1]").error().code, "invalid_json");
  EXPECT_EQ(ParseJsonObjectBytes("{").error().code, "invalid_json");
  EXPECT_EQ(ParseJsonObjectBytes("\"x\"").error().code, "invalid_json");
  EXPECT_EQ(ParseJsonObjectBytes("{\"a\":\"\xc0\xaf\"}").error().code, "invalid_json");
  EXPECT_EQ(ParseJsonObjectBytes(std::string(100000, '[')).error().code, "invalid_json");
  EXPECT_TRUE(ParseJsonObjectBytes(R"({"s":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})").ok())
      << "brackets inside strings do not count as nesting";
  auto r = Make("POST", "/x");
  r.headers = {{"content-type", "text/plain"}};
  r.body = "{}";
  EXPECT_EQ(ParseJsonObject(r).error().code, "unsupported_media_type");
}

TEST(JsonBodyTest, TypedFieldsNameTheField) {
  auto obj = *ParseJsonObjectBytes(R"({"name":"兰州","n":5,"b":true,"nul":null,"ctl":"a\u0001"})");
  EXPECT_EQ(*RequiredString(obj, "name"), "兰州");
  auto wrong = RequiredString(obj, "n");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, "invalid_field");
  EXPECT_NE(wrong.error().message.find("n"), std::string::npos);
  EXPECT_FALSE(RequiredString(obj, "missing").ok());
  EXPECT_FALSE(RequiredString(obj, "name", 1).ok());
  EXPECT_FALSE(RequiredString(obj, "ctl").ok());
  EXPECT_EQ(*OptionalString(obj, "missing"), std::nullopt);
  EXPECT_EQ(*OptionalBool(obj, "b"), true);
  EXPECT_FALSE(OptionalBool(obj, "n").ok());
  EXPECT_TRUE(IsExplicitNull(obj, "nul"));
  EXPECT_FALSE(IsExplicitNull(obj, "missing"));
}

TEST(ErrorResponseTest, StatusAndBody) {
  auto r = ErrorResponse({ErrorKind::kResourceExhausted, "too_many_attempts", "稍后再试"});
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.body, R"({"error":{"code":"too_many_attempts","message":"稍后再试"}})");
  EXPECT_EQ(HttpStatusOf(ErrorKind::kNotFound), 404);
  EXPECT_EQ(HttpStatusOf(ErrorKind::kPayloadTooLarge), 413);
}

// The HTTP server's families in the shared registry, rendered as before the registry moved to events.
TEST(HttpMetricsTest, RendersPrometheusText) {
  events::Metrics m;
  HttpMetrics http(m);
  http.ObserveRequest("me", "GET", 200, std::chrono::microseconds(700));
  http.ObserveRequest("me", "GET", 200, std::chrono::microseconds(30000));
  http.ObserveRequest("tea", "BREW", 418, std::chrono::microseconds(10));
  m.AddGauge("hotline_store_up", "store", [] { return 1.0; });
  std::string text = m.Render();
  EXPECT_NE(text.find(R"(hotline_http_requests_total{route="me",method="GET",status="200"} 2)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(hotline_http_request_duration_seconds_bucket{route="me",le="0.001"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(hotline_http_request_duration_seconds_count{route="me"} 2)"), std::string::npos);
  EXPECT_NE(text.find(R"(hotline_http_requests_total{route="tea",method="OTHER",status="418"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find("hotline_store_up 1"), std::string::npos);
}

// A route may read larger bodies than the server's limit (work-order attachments, 5 MiB, issue 4) while
// every other route keeps http.body_limit_bytes; the decision is taken from the request line, before the
// body.
TEST(HttpServerTest, PerRouteBodyLimit) {
  Router router;
  auto echo_size = [](Request& r) {
    Response out;
    out.content_type = "text/plain";
    out.body = std::to_string(r.body.size());
    return out;
  };
  router.Add("POST", "/small", "small", echo_size);
  router.Add("POST", "/upload/{id}", "upload", echo_size, {.body_limit_bytes = size_t{3} << 20});
  EXPECT_EQ(router.max_body_limit(), size_t{3} << 20);
  EXPECT_EQ(router.BodyLimitFor("POST", "/upload/7", 1 << 20), size_t{3} << 20);
  EXPECT_EQ(router.BodyLimitFor("GET", "/upload/7", 1 << 20), size_t{1} << 20);
  EXPECT_EQ(router.BodyLimitFor("POST", "/small", 1 << 20), size_t{1} << 20);
  EXPECT_EQ(router.BodyLimitFor("POST", "/nowhere", 1 << 20), size_t{1} << 20);

  events::Metrics metrics;
  events::EventBus hub;
  HttpServerOptions options;
  options.listen = "127.0.0.1:0";
  options.threads = 1;
  options.body_limit_bytes = 1 << 20;
  auto server = HttpServer::Create(options, router, metrics, hub, nullptr, nullptr);
  ASSERT_TRUE(server.ok()) << server.error().message;
  ASSERT_TRUE((*server)->Start().ok());
  std::string base = "http://" + (*server)->local_address();
  auto post = [&](const std::string& path, size_t size) {
    return net::HttpRequest("POST", base + path, {{"Content-Type", "application/octet-stream"}},
                            std::string(size, 'x'), std::chrono::seconds(30));
  };

  auto big_upload = post("/upload/7", size_t{2} << 20);  // over the server's limit, within the route's
  auto exact_upload = post("/upload/7", size_t{3} << 20);
  auto over_upload = post("/upload/7", (size_t{3} << 20) + 1);
  auto small_ok = post("/small", size_t{1} << 20);
  auto small_over = post("/small", size_t{2} << 20);  // the upload limit does not leak to other routes
  (*server)->Stop();

  ASSERT_TRUE(big_upload.ok()) << big_upload.error().message;
  EXPECT_EQ(big_upload->status, 200);
  EXPECT_EQ(big_upload->body, std::to_string(size_t{2} << 20));
  ASSERT_TRUE(exact_upload.ok());
  EXPECT_EQ(exact_upload->status, 200);
  ASSERT_TRUE(over_upload.ok());
  EXPECT_EQ(over_upload->status, 413);
  EXPECT_NE(over_upload->body.find("body_too_large"), std::string::npos);
  ASSERT_TRUE(small_ok.ok());
  EXPECT_EQ(small_ok->status, 200);
  ASSERT_TRUE(small_over.ok());
  EXPECT_EQ(small_over->status, 413);
  EXPECT_NE(small_over->body.find("body_too_large"), std::string::npos);
}

// A handler that may block (argon2id, a slow core system) runs on the blocking pool: while it waits, the
// one I/O thread keeps answering other requests, and its own answer still arrives, counted in metrics.
TEST(HttpServerTest, MayBlockHandlersDoNotHoldUpTheIoThread) {
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::atomic<bool> entered{false};
  Router router;
  router.Add("GET", "/slow", "slow",
             [&](Request&) {
               entered = true;
               std::unique_lock lock(mu);
               cv.wait_for(lock, std::chrono::seconds(20), [&] { return release; });
               return Response::Json(200, {{"slow", true}});
             },
             {.may_block = true});
  router.Add("GET", "/fast", "fast", [](Request&) { return Response::Json(200, {{"fast", true}}); });

  events::Metrics metrics;
  events::EventBus hub;
  HttpServerOptions options;
  options.listen = "127.0.0.1:0";
  options.threads = 1;
  boost::asio::thread_pool blocking(1);  // the process's shared blocking executor, in small
  auto server = HttpServer::Create(options, router, metrics, hub, nullptr, nullptr, blocking.get_executor());
  ASSERT_TRUE(server.ok()) << server.error().message;
  ASSERT_TRUE((*server)->Start().ok());
  std::string base = "http://" + (*server)->local_address();

  Result<net::ClientResponse> slow = Error::Internal("not run");
  std::thread slow_client(
      [&] { slow = net::HttpRequest("GET", base + "/slow", {}, "", std::chrono::seconds(30)); });
  for (int i = 0; i < 2000 && !entered; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(entered.load());
  auto fast =
      net::HttpRequest("GET", base + "/fast", {}, "", std::chrono::seconds(10));  // while /slow still waits
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  slow_client.join();
  (*server)->Stop();

  ASSERT_TRUE(fast.ok()) << fast.error().message;
  EXPECT_EQ(fast->status, 200);
  EXPECT_EQ(fast->body, R"({"fast":true})");
  ASSERT_TRUE(slow.ok()) << slow.error().message;
  EXPECT_EQ(slow->status, 200);
  EXPECT_EQ(slow->body, R"({"slow":true})");
  EXPECT_NE(metrics.Render().find("route=\"slow\""), std::string::npos);
}

// Sends `raw` on one connection and reads until the server closes it or `timeout` passes.
std::string Exchange(const std::string& address, const std::string& raw, std::chrono::seconds timeout) {
  size_t colon = address.rfind(':');
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  inet_pton(AF_INET, address.substr(0, colon).c_str(), &to.sin_addr);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{static_cast<time_t>(timeout.count()), 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0 &&
      send(fd, raw.data(), raw.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(raw.size())) {
    char buf[4096];
    for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

// The response as written on the wire (one buffer per response): status line, the fixed security
// headers, Content-Length; HEAD without the body; HTTP/1.0 keep-alive only when asked; "Connection:
// close" when the client closes; a CR or LF in a handler's header value never splits the response.
TEST(HttpServerTest, WritesResponsesOnTheWire) {
  Router router;
  router.Add("GET", "/hello", "hello", [](Request&) {
    Response r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "你好";
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"a.csv\"\r\nSet-Cookie: evil=1");
    return r;
  });
  events::Metrics metrics;
  events::EventBus hub;
  HttpServerOptions options;
  options.listen = "127.0.0.1:0";
  options.threads = 1;
  auto server = HttpServer::Create(options, router, metrics, hub, nullptr, nullptr);
  ASSERT_TRUE(server.ok()) << server.error().message;
  ASSERT_TRUE((*server)->Start().ok());
  std::string address = (*server)->local_address();
  auto s = std::chrono::seconds(10);
  // Two requests on one HTTP/1.1 connection; the second asks to close.
  std::string two = Exchange(address,
                             "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                             "HEAD /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                             s);
  std::string http10 = Exchange(address, "GET /hello HTTP/1.0\r\n\r\n", s);
  std::string missing = Exchange(address, "GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", s);
  (*server)->Stop();

  std::string body_part =
      "HTTP/1.1 200 OK\r\nServer: hotline12329\r\nContent-Type: text/plain; charset=utf-8\r\n"
      "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n"
      "Content-Disposition: attachment; filename=\"a.csv\"  Set-Cookie: evil=1\r\n";
  EXPECT_EQ(two, body_part + "Content-Length: 6\r\n\r\n你好" + body_part +
                     "Connection: close\r\nContent-Length: 6\r\n\r\n");
  EXPECT_EQ(http10.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << http10;
  EXPECT_EQ(http10.find("Connection:"), std::string::npos) << http10;  // 1.0 closes unless asked not to
  EXPECT_EQ(missing.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << missing;
  EXPECT_NE(missing.find("\"not_found\""), std::string::npos) << missing;
}

}  // namespace
}  // namespace hotline::web
