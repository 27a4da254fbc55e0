// A runtime component: one long-running part of the `hotline serve` process (the HTTP server, the
// work-order escalation, the federation push; later the SIP, RTP and SMPP sessions), after userver's
// component model and Boost.Beast's staged shutdown. Components are listed in one ordered place
// (app/app.cpp, App::Serve), started in that order and stopped in reverse by runtime::Runtime.
//
// Passive services (stores, directories, FundService, KbService, …) are not components: they have no
// threads of their own and are built on demand (App's accessors). A component gets the services it uses
// as constructor arguments ("only components should know about components").
#pragma once

#include <chrono>
#include <string_view>

#include "core/result.hpp"

namespace hotline::runtime {

// When a shutdown must be over: real monotonic time, because stopping waits on real threads (a
// FakeClock cannot make a thread finish sooner).
using Deadline = std::chrono::steady_clock::time_point;

// Thread-safety: Start and Stop are called by the Runtime, one at a time, never concurrently with each
// other (possibly from different threads). What a component does between them, on its own threads or
// on the shared scheduler and blocking executor, is its own business; its other methods document their
// own thread-safety.
class Component {
 public:
  virtual ~Component() = default;

  // A short stable name for logs and shutdown reports ("http", "workorder-escalation").
  virtual std::string_view name() const = 0;

  // Starts the component's work and returns once it runs (the HTTP server listens, the periodic job is
  // scheduled); it must not block for the component's lifetime. An error means nothing of it runs and
  // nothing needs stopping: the Runtime then stops the components started before it, in reverse.
  // REQUIRES: called at most once.
  virtual Status Start() = 0;

  // Stops the component: stop taking new work, let work in progress finish until `deadline`, then drop
  // what is left. Returns when the component has stopped, or at the latest shortly after `deadline`;
  // a component that returns after the deadline is reported as not stopped (and the process ends
  // without running destructors, since threads may still use the component). Idempotent; may be
  // called after a failed or absent Start.
  virtual void Stop(Deadline deadline) = 0;
};

}  // namespace hotline::runtime
