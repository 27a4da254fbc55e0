// The `hotline serve` process (issue 12 §1): the one ordered list of runtime components, the process
// signals, the shared timer (Scheduler) and the shared blocking executor, and the staged shutdown
// after Boost.Beast's examples — signal → stop accepting → drain → deadline → force.
//
//   runtime::Runtime rt(options, clock);
//   rt.Add(http);  rt.Add(escalation);  …     // dependency order, in ONE place (app/app.cpp)
//   HOTLINE_RETURN_IF_ERROR(rt.Start());      // in order; on failure the started ones stop in reverse
//   rt.WaitForStopRequest();                  // SIGINT, SIGTERM or RequestStop()
//   rt.Stop();                                // in reverse, bounded by options.shutdown_deadline
//
// The control thread runs one io_context: the signal set and the scheduler's timer (and its short,
// non-blocking jobs). The blocking executor is one boost::asio::thread_pool shared by everything that
// may wait — the HTTP server's may_block routes (argon2id logins and password changes, the fund
// routes), the periodic jobs, the asynchronous fund calls — so no feature keeps private threads.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "runtime/component.hpp"
#include "runtime/scheduler.hpp"

namespace hotline::runtime {

// [runtime] in the config file (config/hotline.example.toml).
struct RuntimeOptions {
  // [runtime] shutdown_seconds: how long Stop() lets the components finish what they are doing (HTTP
  // requests in flight, a running escalation pass) before the process ends regardless.
  std::chrono::milliseconds shutdown_deadline{10'000};
  // [runtime] blocking_threads: threads of the shared blocking executor. At least 1.
  int blocking_threads = 4;
  // SIGINT and SIGTERM request a stop (the server). Tests leave it off and call RequestStop().
  bool handle_signals = false;
  // When a component (or a blocking job) has not stopped by the deadline: end the process at once with
  // exit code kStuckExitCode after logging which (its threads may still use objects that destructors
  // would free). False (tests): Stop() returns the names and the Runtime's destructor waits for them.
  bool exit_when_stuck = false;
};

// After the shutdown deadline, how long each remaining part still gets to return from its Stop (it is
// asked to drop its work at once, so a healthy one returns in microseconds).
inline constexpr std::chrono::milliseconds kLateGrace{500};

// Exit code of a process ended because something did not stop by the shutdown deadline.
inline constexpr int kStuckExitCode = 70;  // EX_SOFTWARE

// Thread-safety: Add, Start, Stop and WaitForStopRequest are for one thread (the app's main thread);
// RequestStop, blocking() and scheduler() may be used from any thread.
class Runtime {
 public:
  // Starts the control thread and the blocking executor's threads (nothing else runs yet).
  // REQUIRES: `clock` outlives the Runtime.
  Runtime(RuntimeOptions options, const Clock& clock);
  // Stop() when not stopped yet; then waits for anything that did not stop in time.
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // The shared blocking executor (a thread pool): for work that may wait on a database, a peer or a
  // slow hash. Valid until Stop() returned.
  boost::asio::any_io_executor blocking() { return pool_.get_executor(); }
  // The shared timer. Jobs run until cancelled or until Stop() (which shuts it down after the components).
  Scheduler& scheduler() { return scheduler_; }

  // Appends a component; components start in the order added and stop in reverse. Not owned.
  // REQUIRES: before Start(); `component` outlives the Runtime.
  void Add(Component& component);

  // Starts the components in order. When one fails, stops the ones already started (in reverse) and
  // returns its error, prefixed with its name. REQUIRES: called once.
  Status Start();

  // Blocks until a stop is requested (SIGINT, SIGTERM, RequestStop); returns the reason ("SIGTERM").
  std::string WaitForStopRequest();

  // Asks WaitForStopRequest to return: from a test, or from a component that met a fatal error. The
  // first reason wins. Does not stop anything itself (safe from any thread, including a job's).
  void RequestStop(std::string reason);
  bool stop_requested() const;

  // Stops the started components in reverse order, then the scheduler's jobs, then the blocking
  // executor, all bounded by one deadline (now + shutdown_deadline). A component whose Stop has not
  // returned by the deadline is logged by name and left behind; the next ones still get their Stop
  // (each given at least kLateGrace to return once the deadline has passed).
  // Returns the names of what did not stop in time (empty: a clean stop); with exit_when_stuck a
  // non-empty list ends the process instead. Idempotent (later calls return an empty list).
  std::vector<std::string> Stop();

 private:
  void WaitForSignal();

  const RuntimeOptions options_;
  boost::asio::io_context control_;  // signals and the scheduler's timer, run by control_thread_
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> control_guard_;
  boost::asio::signal_set signals_;
  boost::asio::thread_pool pool_;
  Scheduler scheduler_;
  std::thread control_thread_;

  std::vector<Component*> components_;
  size_t started_ = 0;  // components_[0, started_) are running
  bool stopped_ = false;
  std::vector<std::thread> stuck_;  // Stop calls that overran the deadline; joined by the destructor

  mutable std::mutex mu_;
  std::condition_variable stop_requested_cv_;
  std::optional<std::string> stop_reason_;  // GUARDED_BY(mu_)
};

}  // namespace hotline::runtime
