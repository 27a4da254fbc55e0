#include "runtime/runtime.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <csignal>
#include <cstdlib>
#include <future>

namespace hotline::runtime {

namespace net = boost::asio;

Runtime::Runtime(RuntimeOptions options, const Clock& clock)
    : options_(options),
      control_(1),
      control_guard_(control_.get_executor()),
      signals_(control_),
      pool_(static_cast<size_t>(std::max(options.blocking_threads, 1))),
      scheduler_(clock, control_.get_executor(), pool_.get_executor()) {
  // Installed before any component starts, so a signal during start-up is not lost: the stop then
  // follows as soon as Start() returns.
  if (options_.handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    WaitForSignal();
  }
  control_thread_ = std::thread([this] { control_.run(); });
}

Runtime::~Runtime() {
  Stop();
  for (auto& t : stuck_) t.join();
}

void Runtime::WaitForSignal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec) return;  // cancelled by Stop()
    const char* name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "signal";
    if (stop_requested()) {
      spdlog::warn("{} again: already shutting down (at most {} ms)", name,
                   options_.shutdown_deadline.count());
    } else {
      spdlog::info("{}: shutting down", name);
      RequestStop(name);
    }
    WaitForSignal();
  });
}

void Runtime::Add(Component& component) { components_.push_back(&component); }

Status Runtime::Start() {
  for (Component* c : components_) {
    spdlog::debug("runtime: starting {}", c->name());
    Status st = c->Start();
    if (!st.ok()) {
      Error e = st.error();
      spdlog::error("runtime: {} failed to start ({}): {}; stopping the {} started before it", c->name(),
                    e.code, e.message, started_);
      Stop();
      e.message = std::string(c->name()) + ": " + e.message;
      return e;
    }
    ++started_;
  }
  return OkStatus();
}

std::string Runtime::WaitForStopRequest() {
  std::unique_lock lock(mu_);
  stop_requested_cv_.wait(lock, [this] { return stop_reason_.has_value(); });
  return *stop_reason_;
}

void Runtime::RequestStop(std::string reason) {
  {
    std::lock_guard lock(mu_);
    if (stop_reason_) return;
    stop_reason_ = std::move(reason);
  }
  stop_requested_cv_.notify_all();
}

bool Runtime::stop_requested() const {
  std::lock_guard lock(mu_);
  return stop_reason_.has_value();
}

std::vector<std::string> Runtime::Stop() {
  if (stopped_) return {};
  stopped_ = true;
  RequestStop("stopped");  // a later WaitForStopRequest returns at once
  const Deadline deadline = std::chrono::steady_clock::now() + options_.shutdown_deadline;
  std::vector<std::string> not_stopped;

  // Runs `stop` on a thread of its own and waits for it until the deadline: a Stop that overruns is
  // reported and left behind (the thread is joined by the destructor), so the next ones still run.
  auto bounded = [&](const std::string& what, std::function<void()> stop) {
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> finished = done->get_future();
    std::thread t([stop = std::move(stop), done] {
      stop();
      done->set_value();
    });
    if (finished.wait_until(std::max(deadline, std::chrono::steady_clock::now() + kLateGrace)) ==
        std::future_status::ready) {
      t.join();
      return;
    }
    spdlog::error("runtime: {} did not stop within the shutdown deadline ({} ms)", what,
                  options_.shutdown_deadline.count());
    not_stopped.push_back(what);
    stuck_.push_back(std::move(t));
  };

  for (size_t i = started_; i-- > 0;) {
    Component* c = components_[i];
    spdlog::debug("runtime: stopping {}", c->name());
    bounded(std::string(c->name()), [c, deadline] { c->Stop(deadline); });
  }
  started_ = 0;
  for (const auto& job : scheduler_.Shutdown(deadline)) {
    spdlog::error("runtime: periodic job '{}' still running at the shutdown deadline", job);
    not_stopped.push_back("job " + job);
  }
  // Queued blocking work is dropped; running handlers finish (their answers have nowhere to go).
  pool_.stop();
  bounded("blocking executor", [this] { pool_.join(); });
  // The signal set belongs to the control thread: cancel it there, then let that thread end.
  net::post(control_, [this] {
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    control_.stop();
  });
  control_guard_.reset();
  if (control_thread_.joinable()) control_thread_.join();

  if (!not_stopped.empty() && options_.exit_when_stuck) {
    spdlog::critical("runtime: ending the process: {} part(s) did not stop in time", not_stopped.size());
    spdlog::default_logger()->flush();
    std::_Exit(kStuckExitCode);
  }
  return not_stopped;
}

}  // namespace hotline::runtime
