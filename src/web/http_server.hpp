// The HTTP/1.1 + WebSocket server (Boost.Beast), after the Beast examples' idioms: a deadline before every
// read (the whole request must arrive within `read_timeout`, so slow clients cannot hold a connection),
// size limits on header and body, keep-alive, and shutdown in stages (stop accepting → let in-flight
// requests finish → close). One io_context per I/O thread: a connection stays on one thread, so it needs
// no strand and no thread wakes another on the hot path.
//
// Handlers run on the I/O threads and may block briefly (a database query); a route that may block for
// long (RouteOptions::may_block) runs on the blocking executor it is given instead — the process's one
// shared pool (runtime::Runtime::blocking()). Every exception a handler throws is caught and answered
// 500 `internal`; the connection survives.
//
// The server is a runtime::Component: Start() listens on its own threads and returns; Stop(deadline)
// stops accepting, lets requests in flight finish until the deadline, then closes everything. It owns
// no process signals (the Runtime does).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>

#include "core/result.hpp"
#include "events/event_bus.hpp"
#include "events/metrics.hpp"
#include "runtime/component.hpp"
#include "web/http.hpp"
#include "web/router.hpp"

namespace hotline::web {

struct HttpServerOptions {
  std::string listen = "127.0.0.1:12329";  // "host:port"; port 0 picks a free one
  int threads = 0;                         // I/O threads; 0 = number of cores
  // SCHED_RR priority (1–99) of the I/O threads; 0 = normal scheduling. Telephony servers run their
  // real-time threads so (Asterisk -p, FreeSWITCH -rp): a request is then never kept waiting behind other
  // processes' time slices, which on a small machine is most of the tail latency (docs/PERFORMANCE.md).
  // Needs root or CAP_SYS_NICE; without it a warning is logged and the threads run normally. The
  // blocking pool and the control thread keep normal scheduling; the kernel's RT throttling
  // (sched_rt_runtime_us) leaves other processes at least 5 % of each core.
  int realtime_priority = 0;
  size_t body_limit_bytes = 1 << 20;  // larger bodies get 413 body_too_large
  size_t header_limit_bytes = 16 << 10;
  std::chrono::seconds read_timeout{30};  // per request, and idle keep-alive
  size_t max_connections = 4096;          // beyond: accepted and closed at once
  // How long requests in flight may finish on Stop() without a deadline (tests). Under the Runtime,
  // [runtime] shutdown_seconds bounds it instead (Stop(deadline)).
  std::chrono::seconds shutdown_grace{5};
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

// Thread-safe: Stop() may be called from any thread, also concurrently with itself; Start() once, from
// one thread (Component's contract). The destructor stops the server if it still runs.
class HttpServer : public runtime::Component {
 public:
  using WebSocketAuthorizer = std::function<Result<WebSocketGrant>(Request&)>;
  using Fallback = std::function<Response(Request&)>;

  // Binds and listens (connections wait in the backlog until Start). `blocking` runs the handlers of
  // RouteOptions::may_block routes; a null executor runs them on the I/O threads. REQUIRES: `router`,
  // `metrics`, `hub` and `blocking`'s execution context outlive the server. Errors: kInvalidArgument for
  // a bad listen address, kUnavailable when the port is taken.
  static Result<std::unique_ptr<HttpServer>> Create(const HttpServerOptions& options, const Router& router,
                                                    events::Metrics& metrics, events::EventBus& hub,
                                                    WebSocketAuthorizer ws_authorizer, Fallback fallback,
                                                    boost::asio::any_io_executor blocking = {});
  // "127.0.0.1:41234": the bound address (useful with port 0).
  virtual std::string local_address() const = 0;
  std::string_view name() const override { return "http"; }
  // Starts the control and I/O threads and serves; returns at once.
  Status Start() override = 0;
  // Stops accepting, waits for requests in flight (also those on the blocking executor) until
  // `deadline`, then stops every thread and returns. Idempotent.
  void Stop(runtime::Deadline deadline) override = 0;
  // Stop(now + options.shutdown_grace).
  void Stop() { Stop(std::chrono::steady_clock::now() + grace()); }

 private:
  virtual std::chrono::seconds grace() const = 0;
};

}  // namespace hotline::web
