// The HTTP/1.1 + WebSocket server (Boost.Beast), after the Beast examples' idioms: a deadline before every
// read (the whole request must arrive within `read_timeout`, so slow clients cannot hold a connection),
// size limits on header and body, keep-alive, and shutdown in stages (stop accepting → let in-flight
// requests finish → close). One io_context per I/O thread: a connection stays on one thread, so it needs
// no strand and no thread wakes another on the hot path.
//
// Handlers run on the I/O threads and may block briefly (a database query); a route that may block for
// long (RouteOptions::may_block) runs on a separate pool instead. Every exception a handler throws is
// caught and answered 500 `internal`; the connection survives.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "core/result.hpp"
#include "events/event_bus.hpp"
#include "events/metrics.hpp"
#include "web/http.hpp"
#include "web/router.hpp"

namespace hotline::web {

struct HttpServerOptions {
  std::string listen = "127.0.0.1:12329";  // "host:port"; port 0 picks a free one
  int threads = 0;                         // I/O threads; 0 = number of cores
  int blocking_threads = 4;  // pool for RouteOptions::may_block handlers; 0 = run them on I/O threads
  // SCHED_RR priority (1–99) of the I/O threads; 0 = normal scheduling. Telephony servers run their
  // real-time threads so (Asterisk -p, FreeSWITCH -rp): a request is then never kept waiting behind other
  // processes' time slices, which on a small machine is most of the tail latency (docs/PERFORMANCE.md).
  // Needs root or CAP_SYS_NICE; without it a warning is logged and the threads run normally. The
  // blocking pool and the control thread keep normal scheduling; the kernel's RT throttling
  // (sched_rt_runtime_us) leaves other processes at least 5 % of each core.
  int realtime_priority = 0;
  size_t body_limit_bytes = 1 << 20;  // larger bodies get 413 body_too_large
  size_t header_limit_bytes = 16 << 10;
  std::chrono::seconds read_timeout{30};   // per request, and idle keep-alive
  size_t max_connections = 4096;           // beyond: accepted and closed at once
  std::chrono::seconds shutdown_grace{5};  // how long in-flight requests may finish on Stop()
};

// Who a WebSocket subscriber is (decided by the app from the upgrade request's session). The WebSocket
// /api/v1/events is one subscriber of the event bus: the server registers `subscriber` when the
// connection opens and forgets it when it closes; in between, the client's messages change its topics
// (events/client_messages.hpp, docs/API.md "Live events").
struct WebSocketGrant {
  // `topics`: the default subscription; `deliver` is filled in by the server.
  events::Subscriber subscriber;
  std::string hello;  // first text frame sent
};

// Thread-safe: Stop() may be called from any thread (e.g. a signal handler's strand).
class HttpServer {
 public:
  using WebSocketAuthorizer = std::function<Result<WebSocketGrant>(Request&)>;
  using Fallback = std::function<Response(Request&)>;

  // Binds and listens. Errors: kInvalidArgument for a bad listen address, kUnavailable when the port is
  // taken.
  static Result<std::unique_ptr<HttpServer>> Create(const HttpServerOptions& options, const Router& router,
                                                    events::Metrics& metrics, events::EventBus& hub,
                                                    WebSocketAuthorizer ws_authorizer, Fallback fallback);
  virtual ~HttpServer() = default;
  // "127.0.0.1:41234": the bound address (useful with port 0).
  virtual std::string local_address() const = 0;
  // Serves until Stop() (or SIGINT/SIGTERM when `handle_signals`); returns when all threads are done.
  virtual void Run(bool handle_signals) = 0;
  virtual void Stop() = 0;
};

}  // namespace hotline::web
