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
// The handler is called exactly once per Run — with the result, fund_timeout or fund_cancelled — except when the AsyncFundService is destroyed first (below). A discarded result of
// a personal-data read was still read and audited by FundService (that is the truth: it was read).
//
// Shutdown. The destructor stops new work from entering FundService, waits for the calls running inside
// it right now to return (bounded by the port's timeouts), and drops — destroys without calling — the
// handlers of calls that had not started, as asio does with the handlers of a destroyed io_context.
// After it returns, nothing more is posted by it to any executor (a deadline timer armed on a caller's
// executor may still fire there: it calls the handler with fund_timeout and touches nothing of this
// object). The caller's executors must outlive the calls it started unless they are stopped first.
//
// Thread-safe: Run and Cancel may be called from any thread.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
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

// What Cancel needs of a call, whatever its result type.
class CallBase {
 public:
  virtual ~CallBase() = default;
  virtual void Fail(Error error) = 0;  // on the call's strand
  boost::asio::strand<boost::asio::any_io_executor> strand;
  std::atomic<bool> done{false};  // set once, by whoever completes first

 protected:
  explicit CallBase(boost::asio::any_io_executor completion) : strand(boost::asio::make_strand(completion)) {}
};

// One call: its handler and its result, touched only on `strand` (on the caller's executor).
template <typename T, typename Handler>
class Call final : public CallBase {
 public:
  Call(boost::asio::any_io_executor completion, Handler handler)
      : CallBase(std::move(completion)), handler_(std::move(handler)) {}
  // REQUIRES: running on `strand`.
  void Complete(Result<T> result) {
    if (done.exchange(true)) return;  // timed out or cancelled before: the result is discarded
    if (timer) timer->cancel();
    Handler handler = std::move(handler_);
    handler(std::move(result));
  }
  void Fail(Error error) override { Complete(Result<T>(std::move(error))); }

  std::optional<Result<T>> result;                 // written on the blocking thread before it posts
  std::optional<boost::asio::steady_timer> timer;  // the deadline, on `strand`

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
    boost::asio::post(call_->strand, [call = call_] {
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
  // `handler(Result<T>)` on `completion` (through a strand of it). Errors the handler may get besides the
  // call's own: fund_timeout, fund_cancelled (both kUnavailable: retry later or tell
  // the caller the system is busy).
  template <typename F, typename Handler>
  FundCall Run(F call, boost::asio::any_io_executor completion, Handler handler, FundCallOptions options = {}) {
    using R = std::invoke_result_t<F&, Service&>;
    using T = typename internal::ResultValue<R>::type;
    auto state = std::make_shared<internal::Call<T, Handler>>(std::move(completion), std::move(handler));
    if (options.deadline.count() > 0) {
      boost::asio::post(state->strand, [state, deadline = options.deadline] {
        if (state->done) return;
        state->timer.emplace(state->strand, deadline);
        state->timer->async_wait([state](const boost::system::error_code& ec) {
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
      boost::asio::post(state->strand, [state] { state->Complete(std::move(*state->result)); });
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
