// Boost.Beast implementation of HttpServer. See http_server.hpp for the contract.
#include "web/http_server.hpp"

#include <pthread.h>
#include <sched.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <charconv>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "core/text.hpp"
#include "events/client_messages.hpp"
#include "web/http_metrics.hpp"

namespace hotline::web {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

struct Shared {
  HttpServerOptions options;
  const Router& router;
  HttpMetrics metrics;
  events::EventBus& hub;
  HttpServer::WebSocketAuthorizer ws_authorizer;
  HttpServer::Fallback fallback;
  std::atomic<size_t> connections{0};
  std::atomic<size_t> in_flight{0};
  std::atomic<bool> stopping{false};
  // Runs the handlers of RouteOptions::may_block routes (null: they run on the I/O threads). Shared
  // with the rest of the process (runtime::Runtime::blocking()); not owned.
  net::any_io_executor blocking;
};

// 405 with the Allow header RFC 9110 §15.5.6 requires.
Response MethodNotAllowed(const std::string& allow) {
  Response r = ErrorResponse({ErrorKind::kInvalidArgument, "method_not_allowed", "该地址不支持此请求方法"});
  r.status = 405;
  if (!allow.empty()) r.headers.emplace_back("Allow", allow);
  return r;
}

// Turns a Beast request into the plain Request handlers see. False on an undecodable target.
bool ToRequest(http::request<http::string_body>& in, const std::string& remote, Request* out) {
  out->method = std::string(in.method_string());
  std::string_view target(in.target().data(), in.target().size());
  size_t q = target.find('?');
  if (!UrlDecode(target.substr(0, q), &out->path, false) || out->path.empty() || out->path[0] != '/' ||
      !IsValidUtf8(out->path))
    return false;
  if (q != std::string_view::npos) out->query = std::string(target.substr(q + 1));
  for (const auto& f : in) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out->headers.emplace_back(std::move(name), std::string(f.value()));
  }
  out->body = std::move(in.body());
  out->remote_addr = remote;
  return true;
}

// The response as it goes on the wire: status line, headers, body, in one buffer, so that it leaves in
// one send without a serializer walking a chain of buffers (a third of the server's user CPU per
// request in the profile of GET /api/v1/me, docs/PERFORMANCE.md). CR and LF in a handler's header
// value are replaced by spaces: no header a handler sets can split the response.
std::string Serialize(Response&& r, unsigned version, bool keep_alive, bool head) {
  auto reason = http::obsolete_reason(static_cast<http::status>(r.status));
  std::string out;
  out.reserve(200 + r.content_type.size() + (head ? 0 : r.body.size()));
  auto append_number = [&out](size_t n) {
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
    out.append(digits, end);
  };
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  append_number(static_cast<size_t>(r.status));
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\nServer: hotline12329\r\n";
  auto header = [&out](std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    size_t at = out.size();
    out += value;
    for (size_t i = at; i < out.size(); ++i)
      if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
    out += "\r\n";
  };
  if (!r.content_type.empty()) header("Content-Type", r.content_type);
  out += "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\nReferrer-Policy: same-origin\r\n";
  for (const auto& [k, v] : r.headers) header(k, v);
  // HTTP/1.1 is persistent unless it says close; HTTP/1.0 only when it says keep-alive (RFC 9112 §9.3).
  if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) out += "Connection: close\r\n";
  out += "Content-Length: ";
  append_number(r.body.size());
  out += "\r\n\r\n";
  if (!head) out += r.body;
  return out;
}

// One WebSocket client of the event bus (docs/API.md "Live events"). Lives on its connection's context
// (one thread); outgoing frames are queued. The client's text messages change its topics
// (events/client_messages.hpp) and are answered in order with an ack or an error frame; a bad message
// (not JSON, an unknown type or topic, a forbidden topic, a binary frame, more than
// events::kMaxClientMessageBytes) is answered with an error and changes nothing — the connection stays.
// Messages are read in pieces, so an oversized one is discarded as it arrives instead of being buffered.
// What ends the session: the client closing, the idle timeout (Beast's suggested server settings: pings
// keep a quiet client alive), invalid UTF-8 in a text frame (RFC 6455 §8.1: close 1007), a WebSocket
// protocol error, or a client that stops reading (256 frames queued).
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
 public:
  WebSocketSession(tcp::socket&& socket, std::shared_ptr<Shared> shared)
      : ws_(std::move(socket)), shared_(std::move(shared)) {}
  ~WebSocketSession() {
    if (sub_id_) shared_->hub.Unsubscribe(sub_id_);
  }

  void Start(http::request<http::string_body> upgrade, WebSocketGrant grant) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "hotline12329"); }));
    // No limit on the whole message: it is read in pieces of at most chunk_.size() and only the first
    // events::kMaxClientMessageBytes + 1 bytes are kept (see OnRead).
    ws_.read_message_max(0);
    hello_ = std::move(grant.hello);
    grant_ = std::move(grant.subscriber);
    ws_.async_accept(upgrade, beast::bind_front_handler(&WebSocketSession::OnAccept, shared_from_this()));
  }

 private:
  void OnAccept(beast::error_code ec) {
    if (ec) return;
    std::weak_ptr<WebSocketSession> weak = shared_from_this();
    auto executor = ws_.get_executor();
    grant_.deliver = [weak, executor](std::shared_ptr<const std::string> frame) {
      net::post(executor, [weak, frame] {
        if (auto self = weak.lock()) self->Send(frame);
      });
    };
    auto id = shared_->hub.Subscribe(std::move(grant_));
    if (!id.ok()) {  // the authorizer granted topics the bus refuses: a bug, not the client's doing
      spdlog::error("websocket: subscription refused: {}", id.error().message);
      beast::get_lowest_layer(ws_).close();
      return;
    }
    sub_id_ = *id;
    Send(std::make_shared<const std::string>(hello_));
    DoRead();
  }

  void DoRead() {
    ws_.async_read_some(net::buffer(chunk_),
                        beast::bind_front_handler(&WebSocketSession::OnRead, shared_from_this()));
  }
  void OnRead(beast::error_code ec, size_t n) {
    if (ec) return;  // closed, timed out or a protocol error: the session ends
    if (message_.size() + n <= events::kMaxClientMessageBytes)
      message_.append(chunk_.data(), n);
    else
      oversized_ = true;
    if (ws_.is_message_done()) {
      std::string reply = !ws_.got_text() ? events::ErrorFrame(events::BinaryMessage())
                          : oversized_    ? events::ErrorFrame(events::MessageTooLarge())
                                          : events::HandleClientMessage(shared_->hub, sub_id_, message_);
      message_.clear();
      oversized_ = false;
      Send(std::make_shared<const std::string>(std::move(reply)));
    }
    DoRead();
  }

  void Send(std::shared_ptr<const std::string> frame) {
    if (queue_.size() >= 256) {  // a client that does not read: drop it rather than grow without bound
      beast::get_lowest_layer(ws_).close();
      return;
    }
    queue_.push_back(std::move(frame));
    if (queue_.size() == 1) DoWrite();
  }
  void DoWrite() {
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()),
                    beast::bind_front_handler(&WebSocketSession::OnWrite, shared_from_this()));
  }
  void OnWrite(beast::error_code ec, size_t) {
    if (ec) return;
    queue_.pop_front();
    if (!queue_.empty()) DoWrite();
  }

  websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<Shared> shared_;
  std::array<char, 4096> chunk_;
  std::string message_;     // the client message being read (at most kMaxClientMessageBytes)
  bool oversized_ = false;  // the message being read is over the limit: its rest is discarded
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::string hello_;
  events::Subscriber grant_;  // until subscribed
  uint64_t sub_id_ = 0;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    ++shared_->connections;
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? "unknown" : ep.address().to_string();
  }
  ~HttpSession() { --shared_->connections; }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&HttpSession::DoRead, shared_from_this()));
  }

 private:
  // The header is read first, under the largest body limit of any route; then the limit of the route
  // it names (Router::BodyLimitFor, else http.body_limit_bytes) applies to the body, so one upload
  // route may take larger files while every other route keeps the server's limit.
  void DoRead() {
    parser_.emplace();
    body_limit_ = std::max(shared_->options.body_limit_bytes, shared_->router.max_body_limit());
    parser_->body_limit(body_limit_);
    parser_->header_limit(static_cast<uint32_t>(shared_->options.header_limit_bytes));
    stream_.expires_after(shared_->options.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, size_t) {
    if (ec) return OnRead(ec, 0);
    // No body (a GET, or Content-Length: 0): the request is complete, go on without another read.
    if (parser_->is_done()) return OnRead(ec, 0);
    if (shared_->router.max_body_limit() > 0) {
      body_limit_ = RouteBodyLimit();
      auto length = parser_->content_length();
      if (length && *length > body_limit_) return OnRead(http::error::body_limit, 0);
      parser_->body_limit(body_limit_);  // nothing of the body is consumed yet: the whole limit remains
    }
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::OnRead, shared_from_this()));
  }

  // The body limit of the route the request line names (the server's when none, or when undecodable:
  // such a request is answered 400 once read).
  size_t RouteBodyLimit() const {
    const auto& h = parser_->get();
    std::string_view target(h.target().data(), h.target().size());
    std::string path;
    if (target.empty() || !UrlDecode(target.substr(0, target.find('?')), &path, false) || path.empty())
      return shared_->options.body_limit_bytes;
    return shared_->router.BodyLimitFor(std::string_view(h.method_string().data(), h.method_string().size()),
                                        path, shared_->options.body_limit_bytes);
  }

  void OnRead(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset) {
      return Close();
    }
    if (ec) {
      // Declared larger than any route takes: refused while parsing the header; name the route's limit.
      if (ec == http::error::body_limit && shared_->router.max_body_limit() > 0)
        body_limit_ = RouteBodyLimit();
      // Malformed or oversized: answer once, then close (the stream position is unknown).
      Response r =
          ec == http::error::body_limit
              ? Response(ErrorResponse({ErrorKind::kPayloadTooLarge, "body_too_large",
                                        "请求体超过 " + std::to_string(body_limit_) + " 字节上限"}))
              : ErrorResponse(Error::InvalidArgument("bad_request", "HTTP 请求格式错误：" + ec.message()));
      shared_->metrics.ObserveRequest("invalid", "-", r.status, std::chrono::microseconds(0));
      return Write(Serialize(std::move(r), 11, false, false), /*keep_alive=*/false, /*linger=*/true);
    }
    auto req = parser_->release();
    if (websocket::is_upgrade(req)) return Upgrade(std::move(req));
    Handle(std::move(req));
  }

  void Upgrade(http::request<http::string_body> req) {
    Request request;
    bool ok = ToRequest(req, remote_, &request) && request.path == "/api/v1/events";
    // ToRequest moved the body out; an upgrade request has none.
    if (!ok) {
      return Write(
          Serialize(ErrorResponse(Error::NotFound("没有这个 WebSocket 地址：实时事件在 /api/v1/events")), 11,
                    false, false),
          /*keep_alive=*/false);
    }
    auto grant = shared_->ws_authorizer ? shared_->ws_authorizer(request)
                                        : Result<WebSocketGrant>(Error::NotFound("WebSocket 未启用"));
    if (!grant.ok())
      return Write(Serialize(ErrorResponse(grant.error()), 11, false, false), /*keep_alive=*/false);
    stream_.expires_never();
    std::make_shared<WebSocketSession>(stream_.release_socket(), shared_)
        ->Start(std::move(req), std::move(*grant));
  }

  // What Finish needs of a request whose handler runs elsewhere.
  struct Pending {
    std::chrono::steady_clock::time_point start;
    unsigned version = 11;
    bool keep_alive = false;
    bool head = false;
  };

  void Handle(http::request<http::string_body> req) {
    Pending pending{std::chrono::steady_clock::now(), req.version(), req.keep_alive() && !shared_->stopping,
                    req.method() == http::verb::head};
    ++shared_->in_flight;
    Request request;
    if (!ToRequest(req, remote_, &request))
      return Finish(pending, "invalid", request.method,
                    ErrorResponse(Error::InvalidArgument("bad_request", "请求地址编码错误")));
    Router::Match match = shared_->router.Find(request);
    if (match.handler && match.may_block && shared_->blocking) {
      // Off the I/O thread; the answer is written back on this connection's own context.
      net::post(shared_->blocking,
                [self = shared_from_this(), pending, match, request = std::move(request)]() mutable {
                  Response response = self->Run(match, request);
                  net::post(self->stream_.get_executor(),
                            [self, pending, name = match.name, method = std::move(request.method),
                             response = std::move(response)]() mutable {
                              self->Finish(pending, name, method, std::move(response));
                            });
                });
      return;
    }
    std::string_view route = match.name;  // or "not_found" / "method_not_allowed"
    if (!match.handler && !match.path_known && request.path.rfind("/api/", 0) != 0 && shared_->fallback)
      route = "static";
    Response response = Run(match, request);
    Finish(pending, route, request.method, std::move(response));
  }

  // Runs the matched handler (or answers 404/405, or serves the fallback). Never throws.
  Response Run(const Router::Match& match, Request& request) {
    try {
      if (match.handler) return (*match.handler)(request);
      if (match.path_known) return MethodNotAllowed(match.allow);
      if (request.path.rfind("/api/", 0) == 0 || !shared_->fallback)
        return ErrorResponse(Error::NotFound("没有这个接口：" + request.method + " " + request.path +
                                             "（接口说明见 docs/API.md）"));
      return shared_->fallback(request);
    } catch (const std::exception& e) {
      spdlog::error("handler {} threw: {}", match.name, e.what());
      return ErrorResponse(Error::Internal("服务器内部错误，已记录日志；请稍后重试或联系运维"));
    }
  }

  void Finish(const Pending& pending, std::string_view route, const std::string& method,
              Response&& response) {
    auto latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                         pending.start);
    shared_->metrics.ObserveRequest(route, method.empty() ? "-" : method, response.status, latency);
    --shared_->in_flight;
    Write(Serialize(std::move(response), pending.version, pending.keep_alive, pending.head),
          pending.keep_alive);
  }

  // One response is in flight per connection (requests are read one at a time), kept in `response_`.
  void Write(std::string&& response, bool keep_alive, bool linger = false) {
    response_ = std::move(response);
    stream_.expires_after(shared_->options.read_timeout);
    net::async_write(stream_, net::buffer(response_),
                     [self = shared_from_this(), keep_alive, linger](beast::error_code ec, size_t) {
                       if (!ec && linger) return self->LingeringClose();
                       if (ec || !keep_alive) return self->Close();
                       self->DoRead();
                     });
  }

  // After answering a request that was not read to its end, the client may still be sending (a body
  // over the limit). Closing at once with unread input makes the kernel reset the connection, and the
  // client then loses the answer (413 body_too_large) before reading it. So: stop sending, read and
  // discard for a bounded time and amount, then close (RFC 9112 §9.6, "lingering close").
  void LingeringClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    stream_.expires_after(std::chrono::seconds(2));
    Drain(std::make_shared<std::array<char, 16384>>(), 0);
  }
  void Drain(std::shared_ptr<std::array<char, 16384>> discard, size_t drained) {
    stream_.async_read_some(net::buffer(*discard),
                            [self = shared_from_this(), discard, drained](beast::error_code ec, size_t n) {
                              if (ec || drained + n > (size_t{64} << 20)) return self->Close();
                              self->Drain(discard, drained + n);
                            });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  std::shared_ptr<Shared> shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string response_;   // the one being written, serialised
  size_t body_limit_ = 0;  // of the request being read
  std::string remote_;
};

class HttpServerImpl final : public HttpServer {
 public:
  // One io_context per I/O thread, each run by its own thread (concurrency hint 1: no locking between
  // threads on the hot path, no cross-thread wake-ups). A connection stays on the context it was
  // accepted onto (round robin), so its handlers run on one thread and need no strand. Context 0 is the
  // control context — the acceptor and the shutdown timer — with a thread of its own, so that
  // a slow handler on an I/O thread never delays accepting new connections.
  HttpServerImpl(int threads, std::shared_ptr<Shared> shared)
      : iocs_(MakeContexts(threads + 1)),
        acceptor_(*iocs_[0]),
        stop_timer_(*iocs_[0]),
        shared_(std::move(shared)) {}

  Status Listen(const std::string& listen) {
    size_t colon = listen.rfind(':');
    if (colon == std::string::npos)
      return Error::InvalidArgument("invalid_listen",
                                    "http.listen 须为 \"地址:端口\"，例如 \"127.0.0.1:12329\"");
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    beast::error_code ec;
    auto address = net::ip::make_address(host, ec);
    int port = -1;
    try {
      port = std::stoi(listen.substr(colon + 1));
    } catch (...) {
    }
    if (ec || port < 0 || port > 65535)
      return Error::InvalidArgument("invalid_listen", "http.listen 地址或端口无效：" + listen);
    tcp::endpoint ep(address, static_cast<unsigned short>(port));
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      return Error::Unavailable("无法监听 " + listen + "：" + ec.message() +
                                "。端口可能已被占用，请修改 http.listen");
    return OkStatus();
  }

  std::string local_address() const override {
    beast::error_code ec;
    auto ep = acceptor_.local_endpoint(ec);
    if (ep.address().is_v6()) return "[" + ep.address().to_string() + "]:" + std::to_string(ep.port());
    return ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  ~HttpServerImpl() override { Stop(std::chrono::steady_clock::now()); }

  Status Start() override {
    std::lock_guard lock(lifecycle_);
    if (started_ || shared_->stopping) return Error::Internal("http server started twice");
    started_ = true;
    DoAccept();
    // Contexts without connections yet must not return from run(): a guard holds each until Stop.
    for (auto& ioc : iocs_) guards_.emplace_back(ioc->get_executor());
    threads_.emplace_back([this] { iocs_[0]->run(); });  // control: acceptor and shutdown timer
    for (size_t i = 1; i < iocs_.size(); ++i)
      threads_.emplace_back([this, i] {
        if (shared_->options.realtime_priority > 0) SetRealtime(shared_->options.realtime_priority, i == 1);
        iocs_[i]->run();
      });
    return OkStatus();
  }

  // Beast's staged shutdown: stop accepting → let requests in flight finish → at the deadline stop
  // every context (idle keep-alive and WebSocket connections close with it). Blocking handlers still
  // running at the deadline finish on the blocking executor; their answers are dropped (the Runtime
  // reports the overrun). Concurrent callers all wait for the threads.
  void Stop(runtime::Deadline deadline) override {
    std::lock_guard lock(lifecycle_);
    if (!shared_->stopping.exchange(true)) {
      if (!started_) return;
      net::post(acceptor_.get_executor(), [this] {
        beast::error_code ec;
        acceptor_.close(ec);
      });
      // The wait runs on the control context itself (a timer), so nothing outlives the threads.
      net::post(*iocs_[0], [this, deadline] { WaitForInFlight(deadline); });
    }
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  void WaitForInFlight(std::chrono::steady_clock::time_point deadline) {
    if (shared_->in_flight == 0 || std::chrono::steady_clock::now() >= deadline) {
      for (auto& ioc : iocs_) ioc->stop();
      return;
    }
    stop_timer_.expires_after(std::chrono::milliseconds(10));
    stop_timer_.async_wait([this, deadline](beast::error_code) { WaitForInFlight(deadline); });
  }

  void DoAccept() {
    net::io_context& peer = *iocs_[1 + next_context_++ % (iocs_.size() - 1)];
    acceptor_.async_accept(peer, [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      if (!ec) {
        if (shared_->connections >= shared_->options.max_connections) {
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          std::make_shared<HttpSession>(std::move(socket), shared_)->Start();
        }
      }
      DoAccept();
    });
  }

  // HttpServerOptions::realtime_priority for the calling thread; the first I/O thread reports the outcome.
  static void SetRealtime(int priority, bool report) {
    sched_param param{};
    param.sched_priority = priority;
    int rc = pthread_setschedparam(pthread_self(), SCHED_RR, &param);
    if (!report) return;
    if (rc == 0)
      spdlog::info("http I/O threads: SCHED_RR priority {}", priority);
    else
      spdlog::warn(
          "http.realtime_priority = {}: 无法设置实时调度（{}）；需要 root 或 CAP_SYS_NICE"
          "（systemd: AmbientCapabilities=CAP_SYS_NICE），I/O 线程按普通优先级运行",
          priority, std::strerror(rc));
  }

  static std::vector<std::unique_ptr<net::io_context>> MakeContexts(int threads) {
    std::vector<std::unique_ptr<net::io_context>> iocs;
    for (int i = 0; i < std::max(threads, 1); ++i) iocs.push_back(std::make_unique<net::io_context>(1));
    return iocs;
  }

  std::chrono::seconds grace() const override { return shared_->options.shutdown_grace; }

  std::vector<std::unique_ptr<net::io_context>> iocs_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  size_t next_context_ = 0;  // only touched by the accept handler (first context)
  tcp::acceptor acceptor_;
  net::steady_timer stop_timer_;
  std::mutex lifecycle_;              // serialises Start and Stop
  bool started_ = false;              // GUARDED_BY(lifecycle_)
  std::vector<std::thread> threads_;  // GUARDED_BY(lifecycle_): the control thread, then the I/O threads
  std::shared_ptr<Shared> shared_;
};

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Create(const HttpServerOptions& options, const Router& router,
                                                       events::Metrics& metrics, events::EventBus& hub,
                                                       WebSocketAuthorizer ws_authorizer, Fallback fallback,
                                                       net::any_io_executor blocking) {
  int threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  auto shared = std::shared_ptr<Shared>(
      new Shared{options, router, HttpMetrics(metrics), hub, std::move(ws_authorizer), std::move(fallback)});
  shared->blocking = std::move(blocking);
  auto server = std::make_unique<HttpServerImpl>(threads, shared);
  HOTLINE_RETURN_IF_ERROR(server->Listen(options.listen));
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace hotline::web
