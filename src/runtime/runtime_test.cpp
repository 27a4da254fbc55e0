// Runtime and Scheduler against their contracts (runtime.hpp, scheduler.hpp). The schedule runs on a
// FakeClock with executors the test runs itself, so no test waits for real time to pass; the few
// waits on real threads are bounds, never timing assertions.
#include "runtime/runtime.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <csignal>
#include <future>
#include <mutex>
#include <stdexcept>

#include "runtime/periodic.hpp"
#include "runtime/scheduler.hpp"

namespace hotline::runtime {
namespace {

using namespace std::chrono_literals;

// Records Start/Stop calls of every component into one shared log.
class Recorder {
 public:
  void Log(std::string entry) {
    std::lock_guard lock(mu_);
    log_.push_back(std::move(entry));
  }
  std::vector<std::string> log() const {
    std::lock_guard lock(mu_);
    return log_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> log_;
};

class FakeComponent : public Component {
 public:
  FakeComponent(std::string name, Recorder& recorder, Status start = OkStatus())
      : name_(std::move(name)), recorder_(recorder), start_(std::move(start)) {}
  std::string_view name() const override { return name_; }
  Status Start() override {
    recorder_.Log("start " + name_);
    return start_;
  }
  void Stop(Deadline) override { recorder_.Log("stop " + name_); }

 private:
  std::string name_;
  Recorder& recorder_;
  Status start_;
};

// A component whose Stop does not return until the test releases it.
class StuckComponent : public Component {
 public:
  std::string_view name() const override { return "stuck"; }
  Status Start() override { return OkStatus(); }
  void Stop(Deadline) override {
    entered_.set_value();
    release_.get_future().wait();
  }
  void Release() { release_.set_value(); }

 private:
  std::promise<void> entered_;
  std::promise<void> release_;
};

RuntimeOptions TestOptions() { return {.shutdown_deadline = 200ms, .blocking_threads = 2}; }

TEST(RuntimeTest, StartsInOrderAndStopsInReverse) {
  SystemClock clock;
  Recorder r;
  FakeComponent a("a", r), b("b", r), c("c", r);
  Runtime rt(TestOptions(), clock);
  rt.Add(a);
  rt.Add(b);
  rt.Add(c);
  ASSERT_TRUE(rt.Start().ok());
  EXPECT_TRUE(rt.Stop().empty());
  EXPECT_EQ(r.log(),
            (std::vector<std::string>{"start a", "start b", "start c", "stop c", "stop b", "stop a"}));
  EXPECT_TRUE(rt.Stop().empty());  // idempotent
  EXPECT_EQ(r.log().size(), 6u);
}

TEST(RuntimeTest, AFailedStartStopsTheStartedOnesInReverseAndNamesTheComponent) {
  SystemClock clock;
  Recorder r;
  FakeComponent a("a", r), b("b", r);
  FakeComponent bad("http", r, Error::Unavailable("port taken"));
  FakeComponent never("never", r);
  Runtime rt(TestOptions(), clock);
  for (Component* c : std::initializer_list<Component*>{&a, &b, &bad, &never}) rt.Add(*c);
  Status st = rt.Start();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(st.error().message, "http: port taken");
  EXPECT_EQ(r.log(), (std::vector<std::string>{"start a", "start b", "start http", "stop b", "stop a"}));
  EXPECT_TRUE(rt.stop_requested());
}

TEST(RuntimeTest, AComponentThatOverrunsTheDeadlineIsNamedAndTheOthersStillStop) {
  SystemClock clock;
  Recorder r;
  FakeComponent first("first", r);
  StuckComponent stuck;
  {
    Runtime rt(TestOptions(), clock);
    rt.Add(first);
    rt.Add(stuck);
    ASSERT_TRUE(rt.Start().ok());
    std::vector<std::string> not_stopped = rt.Stop();
    ASSERT_FALSE(not_stopped.empty());
    EXPECT_EQ(not_stopped.front(), "stuck");
    EXPECT_EQ(r.log(), (std::vector<std::string>{"start first", "stop first"}));  // it still got its Stop
    stuck.Release();  // the destructor waits for the overrunning Stop to return
  }
}

TEST(RuntimeTest, RequestStopWakesTheWaiterAndTheFirstReasonWins) {
  SystemClock clock;
  Runtime rt(TestOptions(), clock);
  ASSERT_TRUE(rt.Start().ok());
  EXPECT_FALSE(rt.stop_requested());
  std::thread other([&] { rt.RequestStop("fatal: sip trunk lost"); });
  EXPECT_EQ(rt.WaitForStopRequest(), "fatal: sip trunk lost");
  other.join();
  rt.RequestStop("later");
  EXPECT_EQ(rt.WaitForStopRequest(), "fatal: sip trunk lost");
}

TEST(RuntimeTest, SigtermRequestsAStopWhenTheRuntimeOwnsTheSignals) {
  SystemClock clock;
  RuntimeOptions o = TestOptions();
  o.handle_signals = true;
  Runtime rt(o, clock);
  ASSERT_TRUE(rt.Start().ok());
  std::raise(SIGTERM);
  EXPECT_EQ(rt.WaitForStopRequest(), "SIGTERM");
  EXPECT_TRUE(rt.Stop().empty());
}

TEST(RuntimeTest, TheBlockingExecutorRunsWorkOffTheCallersThread) {
  SystemClock clock;
  Runtime rt(TestOptions(), clock);
  std::promise<std::thread::id> ran_on;
  boost::asio::post(rt.blocking(), [&] { ran_on.set_value(std::this_thread::get_id()); });
  auto f = ran_on.get_future();
  ASSERT_EQ(f.wait_for(30s), std::future_status::ready);  // a bound, not a timing assertion
  EXPECT_NE(f.get(), std::this_thread::get_id());
}

TEST(RuntimeTest, TheSchedulerRunsJobsOnRealTimeAndStopsThem) {
  SystemClock clock;
  Runtime rt(TestOptions(), clock);
  std::atomic<int> runs{0};
  std::promise<void> twice;
  rt.scheduler().Every("tick", 1ms, [&] {
    if (++runs == 2) twice.set_value();
  });
  ASSERT_EQ(twice.get_future().wait_for(30s), std::future_status::ready);
  EXPECT_TRUE(rt.Stop().empty());
  int after = runs;
  EXPECT_EQ(rt.scheduler().size(), 0u);
  EXPECT_EQ(runs, after);  // nothing runs after Stop
}

// ---------------------------------------------------------------------------------------------------
// Scheduler on a FakeClock: `timer_` is never run (its timer would fire on real time); `blocking_` is
// run by the test, so each job run happens exactly when the test polls.

class SchedulerTest : public ::testing::Test {
 protected:
  FakeClock clock_{FromEpochMillis(1'780'000'000'000)};
  boost::asio::io_context timer_;
  boost::asio::io_context blocking_;
  Scheduler scheduler_{clock_, timer_.get_executor(), blocking_.get_executor()};

  // Runs every job started so far.
  void RunJobs() {
    blocking_.restart();
    blocking_.poll();
  }
};

TEST_F(SchedulerTest, AJobRunsAtOnceThenOneIntervalAfterEachRunEnded) {
  int runs = 0;
  scheduler_.Every("escalation", 60s, [&] { ++runs; });
  EXPECT_EQ(scheduler_.NextDue(), clock_.Steady());
  EXPECT_EQ(scheduler_.RunDue(), 1);
  RunJobs();
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(scheduler_.NextDue(), clock_.Steady() + 60s);
  clock_.Advance(59s);
  EXPECT_EQ(scheduler_.RunDue(), 0);
  clock_.Advance(1s);
  EXPECT_EQ(scheduler_.RunDue(), 1);
  RunJobs();
  EXPECT_EQ(runs, 2);
}

TEST_F(SchedulerTest, ASlowRunDelaysTheNextInsteadOfOverlapping) {
  int runs = 0;
  scheduler_.Every("push", 10s, [&] {
    ++runs;
    clock_.Advance(25s);  // the run itself takes longer than the interval
  });
  EXPECT_EQ(scheduler_.RunDue(), 1);
  clock_.Advance(30s);
  EXPECT_EQ(scheduler_.RunDue(), 0);  // still running (not polled yet): never twice at once
  EXPECT_EQ(scheduler_.NextDue(), std::nullopt);
  RunJobs();
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(scheduler_.NextDue(), clock_.Steady() + 10s);  // counted from the end of the run
}

TEST_F(SchedulerTest, RunImmediatelyFalseWaitsOneInterval) {
  int runs = 0;
  scheduler_.Every("later", 5s, [&] { ++runs; }, {.run_immediately = false});
  EXPECT_EQ(scheduler_.RunDue(), 0);
  clock_.Advance(5s);
  EXPECT_EQ(scheduler_.RunDue(), 1);
  RunJobs();
  EXPECT_EQ(runs, 1);
}

TEST_F(SchedulerTest, JobsAreIndependent) {
  std::vector<std::string> ran;
  scheduler_.Every("a", 10s, [&] { ran.push_back("a"); });
  scheduler_.Every("b", 15s, [&] { ran.push_back("b"); }, {.run_immediately = false});
  EXPECT_EQ(scheduler_.RunDue(), 1);
  RunJobs();
  clock_.Advance(10s);
  EXPECT_EQ(scheduler_.RunDue(), 1);  // a
  RunJobs();
  clock_.Advance(5s);
  EXPECT_EQ(scheduler_.RunDue(), 1);  // b
  RunJobs();
  EXPECT_EQ(ran, (std::vector<std::string>{"a", "a", "b"}));
  EXPECT_EQ(scheduler_.size(), 2u);
}

TEST_F(SchedulerTest, AThrowingJobIsLoggedAndRunsAgain) {
  int runs = 0;
  scheduler_.Every("flaky", 1s, [&] {
    if (++runs == 1) throw std::runtime_error("boom");
  });
  scheduler_.RunDue();
  RunJobs();
  clock_.Advance(1s);
  EXPECT_EQ(scheduler_.RunDue(), 1);
  RunJobs();
  EXPECT_EQ(runs, 2);
}

TEST_F(SchedulerTest, CancelAnIdleJobRemovesItAtOnce) {
  int runs = 0;
  auto id = scheduler_.Every("x", 1s, [&] { ++runs; }, {.run_immediately = false});
  EXPECT_TRUE(scheduler_.Cancel(id, std::chrono::steady_clock::now()));
  clock_.Advance(1s);
  EXPECT_EQ(scheduler_.RunDue(), 0);
  EXPECT_EQ(scheduler_.size(), 0u);
  EXPECT_TRUE(scheduler_.Cancel(id, std::chrono::steady_clock::now()));  // unknown now: nothing to wait for
  EXPECT_EQ(runs, 0);
}

TEST_F(SchedulerTest, CancelARunningJobWaitsForItsRunUntilTheDeadline) {
  int runs = 0;
  auto id = scheduler_.Every("x", 1s, [&] { ++runs; });
  EXPECT_EQ(scheduler_.RunDue(), 1);                                      // started, not yet run
  EXPECT_FALSE(scheduler_.Cancel(id, std::chrono::steady_clock::now()));  // deadline passed, still running
  RunJobs();                                                              // the run finishes
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(scheduler_.size(), 0u);
  EXPECT_TRUE(scheduler_.Cancel(id, std::chrono::steady_clock::now()));
  clock_.Advance(1s);
  EXPECT_EQ(scheduler_.RunDue(), 0);  // never again
}

TEST_F(SchedulerTest, ShutdownNamesTheRunningJobsAndRefusesNewOnes) {
  scheduler_.Every("idle", 1s, [] {}, {.run_immediately = false});
  scheduler_.Every("busy", 1s, [] {});
  EXPECT_EQ(scheduler_.RunDue(), 1);
  EXPECT_EQ(scheduler_.Shutdown(std::chrono::steady_clock::now()), std::vector<std::string>{"busy"});
  EXPECT_EQ(scheduler_.Every("late", 1s, [] {}), 0u);
  RunJobs();
  EXPECT_EQ(scheduler_.size(), 0u);
  EXPECT_TRUE(scheduler_.Shutdown(std::chrono::steady_clock::now()).empty());
}

TEST_F(SchedulerTest, APeriodicComponentIsOneJobBetweenStartAndStop) {
  int runs = 0;
  PeriodicComponent push(scheduler_, "federation-push", 300s, [&] { ++runs; });
  EXPECT_EQ(push.name(), "federation-push");
  EXPECT_EQ(scheduler_.size(), 0u);  // nothing before Start
  ASSERT_TRUE(push.Start().ok());
  EXPECT_EQ(scheduler_.RunDue(), 1);
  RunJobs();
  push.Stop(std::chrono::steady_clock::now());
  push.Stop(std::chrono::steady_clock::now());  // idempotent
  EXPECT_EQ(scheduler_.size(), 0u);
  clock_.Advance(300s);
  EXPECT_EQ(scheduler_.RunDue(), 0);
  EXPECT_EQ(runs, 1);
  scheduler_.Shutdown(std::chrono::steady_clock::now());
  PeriodicComponent late(scheduler_, "late", 1s, [] {});
  EXPECT_EQ(late.Start().error().code, "scheduler_stopped");
}

}  // namespace
}  // namespace hotline::runtime
