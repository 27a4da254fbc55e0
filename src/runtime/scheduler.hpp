// The one timer facility of the process (issue 12 §1): periodic jobs — the work-order escalation
// (R-WO-4), the federation push (R-ORG-3), later SMS retries and call-back reminders — share one timer
// on one executor instead of a thread and a condition variable each. A job that may block (a database
// transaction, an HTTP call) runs on the shared blocking executor; a short one runs on the timer's.
//
// Timing is fixed-delay: a job's next run is `interval` after its previous run ended, and a job never
// runs twice at once (a slow run delays the next one instead of stacking up). Due times are read from
// a Clock (Clock::Steady()), so tests drive the schedule with a FakeClock and RunDue() without any
// real waiting.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "runtime/component.hpp"

namespace hotline::runtime {

struct JobOptions {
  // Runs on the blocking executor (it may wait for the database or a peer); false: on the timer's
  // executor, which must then only be held for microseconds.
  bool blocking = true;
  // The first run is due at once (on registration); false: one interval after registration.
  bool run_immediately = true;
};

// Thread-safe: every method may be called from any thread, except as REQUIRES says.
class Scheduler {
 public:
  using JobId = uint64_t;  // 0 is never a job

  // `timer` runs the timer and the non-blocking jobs (the Runtime's control io_context); `blocking`
  // runs the blocking ones. REQUIRES: `clock` and the executors' execution contexts outlive the
  // Scheduler and every job still running on them.
  Scheduler(const Clock& clock, boost::asio::any_io_executor timer, boost::asio::any_io_executor blocking);
  // Shutdown(now): cancels every job without waiting for running ones.
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Runs `job` every `interval` (fixed delay, see above) until cancelled. `name` is for logs; an
  // exception a job throws is logged (error) and the job runs again at its next time. The job reports
  // its own expected failures (warn) — it returns nothing. Returns 0 after Shutdown (nothing scheduled).
  // REQUIRES: interval > 0.
  JobId Every(std::string name, std::chrono::milliseconds interval, std::function<void()> job,
              JobOptions options = {});

  // The job never starts again. If it is running, waits until that run returns or `deadline` passes.
  // True when it is no longer running (also for an unknown or already cancelled id).
  // REQUIRES: not called from inside the job itself (it would wait for itself).
  bool Cancel(JobId id, Deadline deadline);

  // Cancels every job and refuses new ones; waits for running ones until `deadline`. Returns the names
  // of the jobs still running then. Idempotent.
  std::vector<std::string> Shutdown(Deadline deadline);

  // Starts every job that is due at clock.Steady() and not running; returns how many it started. The
  // timer calls it; tests call it after FakeClock::Advance (with an executor they run themselves as
  // the blocking one, so every run is visible and deterministic).
  int RunDue();

  // When the earliest job that is not running is due, in Clock::Steady() terms; nullopt when none.
  std::optional<std::chrono::steady_clock::time_point> NextDue() const;

  // Jobs scheduled (running or waiting).
  size_t size() const;

 private:
  struct State;
  std::shared_ptr<State> state_;  // shared with the handlers in flight, which may outlive a call
};

}  // namespace hotline::runtime
