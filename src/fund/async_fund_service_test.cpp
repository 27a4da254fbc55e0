// AsyncFundService (issue 12 §4): calls run on the blocking pool, complete on the caller's executor,
// errors propagate, deadlines and cancellation, many calls at once, shutdown with calls in flight.
// The service is a fake (the layer is a template over it): the real FundService is driven the same way,
// `[&](FundService& s) { return s.Account(who, token); }`, and is tested in fund_test.cpp.
#include "fund/async_fund_service.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <future>
#include <thread>

#include "fund/fund_service.hpp"

namespace hotline::fund {
namespace {

using namespace std::chrono_literals;

// A stand-in for FundService: counts calls, can be held at a gate to keep calls "inside the core system".
class FakeService {
 public:
  Result<int> Lookup(int x) {
    ++calls;
    std::unique_lock lock(mutex_);
    released_.wait(lock, [&] { return open_; });
    if (x < 0) return Error::InvalidArgument("invalid_field", "negative");
    return x * 2;
  }
  void Hold() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  void Release() {
    std::lock_guard lock(mutex_);
    open_ = true;
    released_.notify_all();
  }
  std::atomic<int> calls{0};

 private:
  std::mutex mutex_;
  std::condition_variable released_;
  bool open_ = true;
};

// The caller's side: an io_context run by one thread of its own (the "SIP thread").
class CallerThread {
 public:
  CallerThread() : guard_(io_.get_executor()), thread_([this] { io_.run(); }) { id_ = thread_.get_id(); }
  ~CallerThread() { Stop(); }
  void Stop() {
    guard_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }
  boost::asio::any_io_executor executor() { return io_.get_executor(); }
  std::thread::id id() const { return id_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
  std::thread::id id_;
};

using AsyncFake = BasicAsyncService<FakeService>;

TEST(AsyncFundServiceTest, RunsOnTheBlockingPoolAndCompletesOnTheCallersThread) {
  FakeService service;
  boost::asio::thread_pool pool(2);
  CallerThread caller;
  AsyncFake async(service, pool.get_executor());
  std::promise<std::pair<std::thread::id, std::thread::id>> threads;  // (call, handler)
  std::promise<Result<int>> result;
  async.Run(
      [&](FakeService& s) {
        threads.set_value({std::this_thread::get_id(), {}});
        return s.Lookup(21);
      },
      caller.executor(),
      [&](Result<int> r) {
        EXPECT_EQ(std::this_thread::get_id(), caller.id());
        result.set_value(std::move(r));
      });
  auto r = result.get_future().get();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 42);
  auto call_thread = threads.get_future().get().first;
  EXPECT_NE(call_thread, caller.id());
  EXPECT_NE(call_thread, std::this_thread::get_id());
}

TEST(AsyncFundServiceTest, ErrorsPropagate) {
  FakeService service;
  boost::asio::thread_pool pool(1);
  CallerThread caller;
  AsyncFake async(service, pool.get_executor());
  std::promise<Result<int>> result;
  async.Run([](FakeService& s) { return s.Lookup(-1); }, caller.executor(),
            [&](Result<int> r) { result.set_value(std::move(r)); });
  auto r = result.get_future().get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_field");
  // Status (Result<void>) calls work too.
  std::promise<Status> status;
  async.Run([](FakeService&) -> Status { return Error::Unavailable("core system down"); }, caller.executor(),
            [&](Status s) { status.set_value(std::move(s)); });
  EXPECT_EQ(status.get_future().get().error().kind, ErrorKind::kUnavailable);
}

TEST(AsyncFundServiceTest, ADeadlineAnswersTheCallerWhileTheCoreSystemHangs) {
  FakeService service;
  service.Hold();
  boost::asio::thread_pool pool(1);
  CallerThread caller;
  AsyncFake async(service, pool.get_executor());
  std::promise<Result<int>> result;
  std::atomic<int> handled{0};
  async.Run([](FakeService& s) { return s.Lookup(1); }, caller.executor(),
            [&](Result<int> r) {
              ++handled;
              EXPECT_EQ(std::this_thread::get_id(), caller.id());
              result.set_value(std::move(r));
            },
            {.deadline = 20ms});
  auto r = result.get_future().get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "fund_timeout");
  EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
  service.Release();  // the late result is discarded: the handler is not called again
  pool.join();
  caller.Stop();
  EXPECT_EQ(handled, 1);
  EXPECT_EQ(service.calls, 1);
}

TEST(AsyncFundServiceTest, CancelAnswersNowAndACallNotStartedDoesNotStart) {
  FakeService service;
  service.Hold();
  boost::asio::thread_pool pool(1);  // one thread: the second call waits behind the first
  CallerThread caller;
  AsyncFake async(service, pool.get_executor());
  std::promise<Result<int>> first, second;
  async.Run([](FakeService& s) { return s.Lookup(1); }, caller.executor(),
            [&](Result<int> r) { first.set_value(std::move(r)); });
  while (service.calls == 0) std::this_thread::yield();  // the first is inside the "core system"
  FundCall call = async.Run([](FakeService& s) { return s.Lookup(2); }, caller.executor(),
                            [&](Result<int> r) { second.set_value(std::move(r)); });
  call.Cancel();
  auto r2 = second.get_future().get();
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, "fund_cancelled");
  service.Release();
  EXPECT_EQ(*first.get_future().get(), 2);
  pool.join();
  EXPECT_EQ(service.calls, 1);  // the cancelled call never reached the service
  FundCall().Cancel();          // a default handle is harmless
}

TEST(AsyncFundServiceTest, ManyConcurrentCallsEachCompleteOnce) {
  FakeService service;
  boost::asio::thread_pool pool(4);
  CallerThread a, b;
  AsyncFake async(service, pool.get_executor());
  constexpr int kCalls = 2000;
  std::atomic<int> done{0}, wrong{0};
  std::promise<void> all;
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&, t] {
      CallerThread& target = t % 2 ? a : b;
      for (int i = t; i < kCalls; i += 4)
        async.Run([i](FakeService& s) { return s.Lookup(i); }, target.executor(),
                  [&, i](Result<int> r) {
                    if (!r.ok() || *r != 2 * i || std::this_thread::get_id() != target.id()) ++wrong;
                    if (++done == kCalls) all.set_value();
                  });
    });
  for (auto& t : callers) t.join();
  all.get_future().get();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(service.calls, kCalls);
}

TEST(AsyncFundServiceTest, DestructionWithCallsInFlightWaitsForTheRunningAndDropsTheRest) {
  FakeService service;
  service.Hold();
  boost::asio::thread_pool pool(1);
  CallerThread caller;
  std::atomic<int> handled{0};
  auto async = std::make_unique<AsyncFake>(service, pool.get_executor());
  for (int i = 0; i < 10; ++i)
    async->Run([i](FakeService& s) { return s.Lookup(i); }, caller.executor(),
               [&](Result<int>) { ++handled; });
  while (service.calls == 0) std::this_thread::yield();
  // Destroy while one call is inside the service and nine are queued: the destructor waits for the one.
  std::thread release([&] {
    std::this_thread::sleep_for(20ms);
    service.Release();
  });
  async.reset();
  release.join();
  pool.join();  // the nine queued ones run now: they must not touch the service
  caller.Stop();
  EXPECT_EQ(service.calls, 1);
  EXPECT_LE(handled, 1);  // the running one's handler was posted before the destructor returned
}

TEST(AsyncFundServiceTest, StoppingTheCallersContextFirstIsSafe) {
  FakeService service;
  boost::asio::thread_pool pool(2);
  auto caller = std::make_unique<CallerThread>();
  AsyncFake async(service, pool.get_executor());
  for (int i = 0; i < 100; ++i)
    async.Run([i](FakeService& s) { return s.Lookup(i); }, caller->executor(), [](Result<int>) {},
              {.deadline = 1s});
  caller->Stop();  // the SIP side stops with calls in flight; their handlers are never run
  pool.join();
  caller.reset();  // the io_context goes, destroying the pending handlers
}

// The real service type instantiates (signatures of its methods do not matter to the layer).
static_assert(std::is_class_v<AsyncFundService>);
[[maybe_unused]] void CompilesWithFundService(AsyncFundService& async, boost::asio::any_io_executor ex) {
  async.Run([](FundService&) -> Result<int> { return 1; }, ex, [](Result<int>) {});
}

}  // namespace
}  // namespace hotline::fund
