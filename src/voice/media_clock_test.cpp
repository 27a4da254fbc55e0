// The single media clock: every subscriber once per tick, in order; (un)subscribing from a callback.
// No timing assertions: the clock test only counts ticks until it stops itself.
#include "voice/media_clock.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

namespace hotline::voice {
namespace {

TEST(TickFanout, EverySubscriberOncePerTickInOrder) {
  TickFanout fanout;
  std::string log;
  fanout.Subscribe([&](uint64_t t) { log += "a" + std::to_string(t); });
  auto b = fanout.Subscribe([&](uint64_t t) { log += "b" + std::to_string(t); });
  fanout.Tick(0);
  fanout.Unsubscribe(b);
  fanout.Tick(1);
  EXPECT_EQ(log, "a0b0a1");
}

TEST(TickFanout, CallbacksMayUnsubscribeThemselvesAndAddOthers) {
  TickFanout fanout;
  std::vector<std::string> log;
  TickFanout::Id self = 0;
  self = fanout.Subscribe([&](uint64_t) {
    log.push_back("once");
    fanout.Unsubscribe(self);
    fanout.Subscribe([&](uint64_t t) { log.push_back("new" + std::to_string(t)); });
  });
  fanout.Tick(0);  // the subscriber added during tick 0 starts at tick 1
  fanout.Tick(1);
  EXPECT_EQ(log, (std::vector<std::string>{"once", "new1"}));
  EXPECT_EQ(fanout.size(), 1u);
}

TEST(MediaClock, DrivesAllCallsFromOneTimerUntilStopped) {
  boost::asio::io_context io;
  MediaClock clock(io.get_executor());
  int a = 0, b = 0;
  clock.Subscribe([&](uint64_t) { ++a; });
  clock.Subscribe([&](uint64_t tick) {
    ++b;
    if (tick == 4) clock.Stop();
  });
  clock.Start();
  io.run();  // returns once the clock stopped: no timer left
  EXPECT_EQ(a, 5);
  EXPECT_EQ(b, 5);
  EXPECT_EQ(clock.ticks(), 5u);
}

}  // namespace
}  // namespace hotline::voice
