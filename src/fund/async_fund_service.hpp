// An asynchronous way to call FundService (issue 12 §4), for the live channels: the SIP signalling thread
// and the SMPP sessions must never block on the core system's timeouts and retries (HttpFundPort can
// take seconds). A call runs on the shared BLOCKING executor (the runtime's blocking pool; a
// boost::asio::thread_pool in tests) and its result is delivered on the CALLER's executor (the io_context
// executor or strand of the SIP or SMPP side), so the caller's handler needs no locking of its own state.
//
//   async_fund.Run([who, token](fund::FundService& s) { return s.Account(who, token); },
//                  session_strand,
//                  [self](Result<fund::PersonView> r) { self->OnAccount(std::move(r)); },
//                  {.deadline = std::chrono::seconds(3)});
//
// The call is any callable `Result<T>(FundService&)`, so this layer does not depend on FundService's method
// signatures (they change as org::Actor replaces fund::Accessor); what the call does — context checks,
// masking, the audit entry — is FundService's, unchanged.
//
// Cancellation and timeouts. A call that has started inside FundService cannot be interrupted (the port's
// own timeouts and retries bound it: [fund] options of HttpFundPort). What the caller gets is control over
// WAITING for it:
//   - `deadline` (FundCallOptions): if no result has been delivered by then, the handler gets
//     fund_timeout (kUnavailable) at the deadline and the late result is discarded when it comes;
//   - FundCall::Cancel(): the handler gets fund_cancelled (kUnavailable) now (caller hung up); a call
//     that has not started yet does not start.
// The handler is called exactly once per Run — with the result, fund_timeout or fund_cancelled — except
// when the AsyncFundService is destroyed first (below). A discarded result of a personal-data read was
// still read and audited by FundService (that is the truth: it was read).
//
// Shutdown. The destructor stops new work from entering FundService, waits for the calls running inside
// it right now to return (bounded by the port's timeouts), and drops — destroys without calling — the
// handlers of calls that had not started, as asio does with the handlers of a destroyed io_context.
// After it returns, nothing more is posted by it to any executor (a deadline timer armed on a caller's
// executor may still fire there: it calls the handler with fund_timeout and touches nothing of this
// object). Order of shutdown in the app: stop the channels (their io_contexts stop running), destroy the
// AsyncFundService, then the blocking pool and the io_contexts in any order — an io_context must not be
// destroyed while calls could still be posted to it (before the AsyncFundService is gone or they all
// completed); the pool's queued work holds nothing of an io_context but an untracked executor handle.
// FundCall::Cancel posts too: not after its io_context is destroyed.
//
// Thread-safe: Run and Cancel may be called from any thread.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

#include "core/result.hpp"

namespace hotline::fund {

class FundService;

struct FundCallOptions {
  // How long the caller waits for the result; zero (the default): as long as the call takes.
  std::chrono::milliseconds deadline{0};
};

namespace internal {

template <typename R>
struct ResultValue;
template <typename T>
struct ResultValue<Result<T>> {
  using type = T;
};

// What Cancel needs of a call, whatever its result type. It holds no asio object that belongs to the
// caller's execution context (only an untracked executor handle, which is a pointer): the blocking pool
// may drop its reference after the caller's io_context is gone. The deadline timer belongs to the
// completion side alone (kept alive by its own wait); the call refers to it weakly, to cancel it.
class CallBase {
 public:
  virtual ~CallBase() = default;
  virtual void Fail(Error error) = 0;  // on the completion executor
  // Cancels the deadline timer, if one is armed and still there. On the completion executor.
  void CancelTimer() {
    std::lock_guard lock(timer_mutex_);
    if (auto t = timer_.lock()) t->cancel();
  }
  void SetTimer(const std::shared_ptr<boost::asio::steady_timer>& timer) {
    std::lock_guard lock(timer_mutex_);
    timer_ = timer;
  }
  const boost::asio::any_io_executor completion;
  std::atomic<bool> done{false};  // set once, by whoever completes first

 protected:
  explicit CallBase(boost::asio::any_io_executor c) : completion(std::move(c)) {}

 private:
  std::mutex timer_mutex_;
  std::weak_ptr<boost::asio::steady_timer> timer_;  // GUARDED_BY(timer_mutex_)
};

// One call: its handler and its result.
template <typename T, typename Handler>
class Call final : public CallBase {
 public:
  Call(boost::asio::any_io_executor completion, Handler handler)
      : CallBase(std::move(completion)), handler_(std::move(handler)) {}
  // REQUIRES: running on the completion executor.
  void Complete(Result<T> result) {
    if (done.exchange(true)) return;  // timed out or cancelled before: the result is discarded
    CancelTimer();
    Handler handler = std::move(handler_);
    handler(std::move(result));
  }
  void Fail(Error error) override { Complete(Result<T>(std::move(error))); }

  std::optional<Result<T>> result;  // written on the blocking thread before it posts

 private:
  Handler handler_;
};

// The part of the caller the blocking work refers to: it outlives the AsyncFundService while queued work
// still holds it, and tells that work whether it may still enter the service.
template <typename Service>
class Gate {
 public:
  explicit Gate(Service& service) : service_(service) {}
  // A pointer to the service and a promise to Leave(), or null once Close() was called.
  Service* Enter() {
    std::lock_guard lock(mutex_);
    if (closed_) return nullptr;
    ++running_;
    return &service_;
  }
  void Leave() {
    std::lock_guard lock(mutex_);
    if (--running_ == 0) idle_.notify_all();
  }
  // Refuses new entries and waits for the running ones to leave.
  void Close() {
    std::unique_lock lock(mutex_);
    closed_ = true;
    idle_.wait(lock, [&] { return running_ == 0; });
  }

 private:
  Service& service_;
  std::mutex mutex_;
  std::condition_variable idle_;
  bool closed_ = false;  // GUARDED_BY(mutex_)
  int running_ = 0;      // GUARDED_BY(mutex_)
};

}  // namespace internal

// A call in flight, to cancel it. Cheap to copy; a default-constructed one refers to no call.
class FundCall {
 public:
  FundCall() = default;
  explicit FundCall(std::shared_ptr<internal::CallBase> call) : call_(std::move(call)) {}
  // The handler gets fund_cancelled now (on its executor) unless the call has completed already.
  void Cancel() {
    if (!call_) return;
    boost::asio::post(call_->completion, [call = call_] {
      call->Fail({ErrorKind::kUnavailable, "fund_cancelled", "公积金查询已取消"});
    });
  }

 private:
  std::shared_ptr<internal::CallBase> call_;
};

// Runs calls of a `Service` (FundService; a fake in tests) on a blocking executor and completes them on the
// caller's. Thread-safe (file comment).
template <typename Service>
class BasicAsyncService {
 public:
  // REQUIRES: `service` outlives this object; `blocking` runs the work (its threads may block).
  BasicAsyncService(Service& service, boost::asio::any_io_executor blocking)
      : gate_(std::make_shared<internal::Gate<Service>>(service)), blocking_(std::move(blocking)) {}
  ~BasicAsyncService() { gate_->Close(); }
  BasicAsyncService(const BasicAsyncService&) = delete;
  BasicAsyncService& operator=(const BasicAsyncService&) = delete;

  // Runs `call(service)` — a callable returning Result<T> — on the blocking executor, then
  // `handler(Result<T>)` on `completion`. REQUIRES: `completion` runs one handler at a time (an io_context
  // run by one thread, or a strand — what the SIP and SMPP sides have), so the handler, the deadline and
  // Cancel never race. Errors the handler may get besides the
  // call's own: fund_timeout, fund_cancelled (both kUnavailable: retry later or tell
  // the caller the system is busy).
  template <typename F, typename Handler>
  FundCall Run(F call, boost::asio::any_io_executor completion, Handler handler,
               FundCallOptions options = {}) {
    using R = std::invoke_result_t<F&, Service&>;
    using T = typename internal::ResultValue<R>::type;
    auto state = std::make_shared<internal::Call<T, Handler>>(std::move(completion), std::move(handler));
    if (options.deadline.count() > 0) {
      boost::asio::post(state->completion, [state, deadline = options.deadline] {
        if (state->done) return;
        auto timer = std::make_shared<boost::asio::steady_timer>(state->completion, deadline);
        state->SetTimer(timer);
        timer->async_wait([state, timer](const boost::system::error_code& ec) {
          if (ec) return;  // cancelled: the result came first
          state->Fail({ErrorKind::kUnavailable, "fund_timeout", "公积金系统响应超时，请稍后再试"});
        });
      });
    }
    // Shared, so that the posted function stays copyable whatever F is (any_io_executor of Boost 1.74).
    auto shared_call = std::make_shared<F>(std::move(call));
    boost::asio::post(blocking_, [gate = gate_, state, shared_call] {
      if (state->done) return;  // cancelled or timed out before it started: do not start
      Service* service = gate->Enter();
      if (!service) return;  // the AsyncFundService is gone: drop the handler (file comment)
      state->result.emplace((*shared_call)(*service));
      boost::asio::post(state->completion, [state] { state->Complete(std::move(*state->result)); });
      gate->Leave();  // after the post: once the destructor returns, nothing more is posted
    });
    return FundCall(state);
  }

 private:
  std::shared_ptr<internal::Gate<Service>> gate_;
  boost::asio::any_io_executor blocking_;
};

// The provident-fund service, asynchronously (file comment).
using AsyncFundService = BasicAsyncService<FundService>;

}  // namespace hotline::fund
