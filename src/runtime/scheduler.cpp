#include "runtime/scheduler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <condition_variable>
#include <map>
#include <mutex>

namespace hotline::runtime {

namespace net = boost::asio;

struct Scheduler::State : std::enable_shared_from_this<State> {
  struct Job {
    std::string name;
    std::chrono::milliseconds interval;
    std::shared_ptr<std::function<void()>> fn;
    bool blocking = true;
    std::chrono::steady_clock::time_point next_due;  // Clock::Steady() terms
    bool running = false;
    bool cancelled = false;  // erased when its run returns
  };

  State(const Clock& c, net::any_io_executor timer_executor, net::any_io_executor blocking_executor)
      : clock(c),
        strand(net::make_strand(timer_executor)),
        blocking(std::move(blocking_executor)),
        timer(std::in_place, strand) {}

  const Clock& clock;
  net::strand<net::any_io_executor> strand;  // the timer's handlers and the non-blocking jobs
  net::any_io_executor blocking;

  mutable std::mutex mu;
  std::condition_variable changed;         // a run returned or a job went away
  std::map<JobId, Job> jobs;               // GUARDED_BY(mu)
  JobId next_id = 1;                       // GUARDED_BY(mu)
  bool shut_down = false;                  // GUARDED_BY(mu)
  std::optional<net::steady_timer> timer;  // GUARDED_BY(mu); reset on shutdown

  // Asks the strand to set the timer to the earliest due job.
  void Rearm() {
    net::post(strand, [self = shared_from_this()] { self->Arm(); });
  }

  // On the strand.
  void Arm() {
    std::lock_guard lock(mu);
    if (shut_down || !timer) return;
    std::optional<std::chrono::steady_clock::time_point> due = NextDueLocked();
    if (!due) {
      timer->cancel();
      return;
    }
    auto wait = std::max<std::chrono::steady_clock::duration>(*due - clock.Steady(), {});
    timer->expires_after(wait);  // cancels the wait before, whose handler then sees operation_aborted
    timer->async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->RunDue();
    });
  }

  std::optional<std::chrono::steady_clock::time_point> NextDueLocked() const {
    std::optional<std::chrono::steady_clock::time_point> due;
    for (const auto& [id, job] : jobs)
      if (!job.running && !job.cancelled && (!due || job.next_due < *due)) due = job.next_due;
    return due;
  }

  int RunDue() {
    struct Ready {
      JobId id;
      std::shared_ptr<std::function<void()>> fn;
      bool blocking;
    };
    std::vector<Ready> ready;
    {
      std::lock_guard lock(mu);
      if (shut_down) return 0;
      const auto now = clock.Steady();
      for (auto& [id, job] : jobs) {
        if (job.running || job.cancelled || job.next_due > now) continue;
        job.running = true;
        ready.push_back({id, job.fn, job.blocking});
      }
    }
    for (auto& r : ready) {
      auto run = [self = shared_from_this(), id = r.id, fn = r.fn] { self->Execute(id, *fn); };
      if (r.blocking)
        net::post(blocking, std::move(run));
      else
        net::post(strand, std::move(run));
    }
    Rearm();
    return static_cast<int>(ready.size());
  }

  void Execute(JobId id, const std::function<void()>& fn) {
    std::string name;
    {
      std::lock_guard lock(mu);
      if (auto it = jobs.find(id); it != jobs.end()) name = it->second.name;
    }
    try {
      fn();
    } catch (const std::exception& e) {
      spdlog::error("scheduler: job '{}' threw: {}", name, e.what());
    } catch (...) {
      spdlog::error("scheduler: job '{}' threw a non-standard exception", name);
    }
    {
      std::lock_guard lock(mu);
      auto it = jobs.find(id);
      if (it != jobs.end()) {
        if (it->second.cancelled) {
          jobs.erase(it);
        } else {
          it->second.running = false;
          it->second.next_due = clock.Steady() + it->second.interval;
        }
      }
    }
    changed.notify_all();
    Rearm();
  }
};

Scheduler::Scheduler(const Clock& clock, net::any_io_executor timer, net::any_io_executor blocking)
    : state_(std::make_shared<State>(clock, std::move(timer), std::move(blocking))) {}

Scheduler::~Scheduler() { Shutdown(std::chrono::steady_clock::now()); }

Scheduler::JobId Scheduler::Every(std::string name, std::chrono::milliseconds interval,
                                  std::function<void()> job, JobOptions options) {
  JobId id = 0;
  {
    std::lock_guard lock(state_->mu);
    if (state_->shut_down) {
      spdlog::error("scheduler: job '{}' not scheduled: the scheduler is shut down", name);
      return 0;
    }
    if (interval <= std::chrono::milliseconds::zero()) interval = std::chrono::milliseconds(1);
    id = state_->next_id++;
    auto now = state_->clock.Steady();
    state_->jobs.emplace(id, State::Job{.name = std::move(name),
                                        .interval = interval,
                                        .fn = std::make_shared<std::function<void()>>(std::move(job)),
                                        .blocking = options.blocking,
                                        .next_due = options.run_immediately ? now : now + interval});
  }
  state_->Rearm();
  return id;
}

bool Scheduler::Cancel(JobId id, Deadline deadline) {
  std::unique_lock lock(state_->mu);
  auto it = state_->jobs.find(id);
  if (it == state_->jobs.end()) return true;
  if (!it->second.running) {
    state_->jobs.erase(it);
    lock.unlock();
    state_->changed.notify_all();
    state_->Rearm();
    return true;
  }
  it->second.cancelled = true;
  return state_->changed.wait_until(lock, deadline, [&] { return !state_->jobs.contains(id); });
}

std::vector<std::string> Scheduler::Shutdown(Deadline deadline) {
  std::unique_lock lock(state_->mu);
  state_->shut_down = true;
  for (auto it = state_->jobs.begin(); it != state_->jobs.end();) {
    if (it->second.running) {
      it->second.cancelled = true;
      ++it;
    } else {
      it = state_->jobs.erase(it);
    }
  }
  // The timer's pending wait (if any) completes with operation_aborted; nothing re-arms it.
  state_->timer.reset();
  state_->changed.wait_until(lock, deadline, [&] { return state_->jobs.empty(); });
  std::vector<std::string> still_running;
  for (const auto& [id, job] : state_->jobs) still_running.push_back(job.name);
  return still_running;
}

int Scheduler::RunDue() { return state_->RunDue(); }

std::optional<std::chrono::steady_clock::time_point> Scheduler::NextDue() const {
  std::lock_guard lock(state_->mu);
  return state_->NextDueLocked();
}

size_t Scheduler::size() const {
  std::lock_guard lock(state_->mu);
  return state_->jobs.size();
}

}  // namespace hotline::runtime
