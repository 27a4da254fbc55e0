// A runtime component that is one periodic job on the shared Scheduler: the work-order escalation
// (R-WO-4) and the federation push (R-ORG-3) are each a PeriodicComponent in App::Serve's list, so
// they start and stop in order with the rest and keep no thread of their own.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "runtime/component.hpp"
#include "runtime/scheduler.hpp"

namespace hotline::runtime {

// Thread-safety: as Component (Start/Stop from the Runtime). The job runs on the scheduler's executors
// and must be thread-safe with respect to everything else the process does.
class PeriodicComponent final : public Component {
 public:
  // REQUIRES: `scheduler` outlives the component; interval > 0.
  PeriodicComponent(Scheduler& scheduler, std::string name, std::chrono::milliseconds interval,
                    std::function<void()> job, JobOptions options = {})
      : scheduler_(scheduler),
        name_(std::move(name)),
        interval_(interval),
        job_(std::move(job)),
        options_(options) {}
  ~PeriodicComponent() override { Stop(std::chrono::steady_clock::now()); }

  std::string_view name() const override { return name_; }
  std::chrono::milliseconds interval() const { return interval_; }

  // Schedules the job (first run at once unless options.run_immediately is false). Errors:
  // kFailedPrecondition when the scheduler is shut down.
  Status Start() override {
    id_ = scheduler_.Every(name_, interval_, job_, options_);
    if (id_ == 0)
      return Error{ErrorKind::kFailedPrecondition, "scheduler_stopped", "the scheduler is shut down"};
    return OkStatus();
  }
  // The job never starts again; a run in progress may finish until `deadline`.
  void Stop(Deadline deadline) override {
    if (id_ != 0 && scheduler_.Cancel(id_, deadline)) id_ = 0;
  }

 private:
  Scheduler& scheduler_;
  const std::string name_;
  const std::chrono::milliseconds interval_;
  const std::function<void()> job_;
  const JobOptions options_;
  Scheduler::JobId id_ = 0;
};

}  // namespace hotline::runtime
