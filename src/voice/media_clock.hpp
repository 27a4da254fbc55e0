// The one 20 ms media clock that drives every call (issue 13 §Media: not a timer per call). Each tick
// calls every subscriber once, in subscription order, on the clock's executor: a call's media session
// pulls a frame from its jitter buffer, mixes or plays its next 20 ms and queues its RTP packet, and
// the sender then flushes all packets of the tick together (the batch a sendmmsg can take). Deadlines
// are absolute (start + n × 20 ms) so the clock does not drift; when the thread falls behind by more
// than one period the missed ticks are skipped and counted (late_ticks) instead of bursting media.
// Not thread-safe: Subscribe/Unsubscribe/Start/Stop must be called on the clock's executor; callbacks
// run there. A subscriber may unsubscribe itself or others from inside its callback.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>

namespace hotline::voice {

// The dispatch part, without a timer (unit-tested alone; MediaClock drives it).
class TickFanout {
 public:
  using Callback = std::function<void(uint64_t tick)>;
  using Id = uint64_t;

  Id Subscribe(Callback callback);
  void Unsubscribe(Id id);
  void Tick(uint64_t tick);
  size_t size() const { return subscribers_.size(); }

 private:
  Id next_id_ = 1;
  std::map<Id, Callback> subscribers_;  // ordered by id = subscription order
};

class MediaClock {
 public:
  static constexpr std::chrono::milliseconds kPeriod{20};

  explicit MediaClock(boost::asio::any_io_executor executor);

  TickFanout::Id Subscribe(TickFanout::Callback callback) { return fanout_.Subscribe(std::move(callback)); }
  void Unsubscribe(TickFanout::Id id) { fanout_.Unsubscribe(id); }

  void Start();
  void Stop();

  uint64_t ticks() const { return tick_; }
  uint64_t late_ticks() const { return late_ticks_; }

 private:
  void Arm();

  boost::asio::steady_timer timer_;
  TickFanout fanout_;
  std::chrono::steady_clock::time_point next_deadline_{};
  uint64_t tick_ = 0;
  uint64_t late_ticks_ = 0;
  bool running_ = false;
};

}  // namespace hotline::voice
