#include "voice/media_clock.hpp"

#include <vector>

namespace hotline::voice {

TickFanout::Id TickFanout::Subscribe(Callback callback) {
  Id id = next_id_++;
  subscribers_.emplace(id, std::move(callback));
  return id;
}

void TickFanout::Unsubscribe(Id id) { subscribers_.erase(id); }

void TickFanout::Tick(uint64_t tick) {
  // Walk by id so that callbacks may (un)subscribe while we iterate; a subscriber added during the
  // tick starts at the next one.
  const Id last = next_id_;
  for (auto it = subscribers_.begin(); it != subscribers_.end() && it->first < last;) {
    const Id id = it->first;
    auto callback = it->second;  // copy: the callback may erase itself
    callback(tick);
    it = subscribers_.upper_bound(id);
  }
}

MediaClock::MediaClock(boost::asio::any_io_executor executor) : timer_(std::move(executor)) {}

void MediaClock::Start() {
  if (running_) return;
  running_ = true;
  next_deadline_ = std::chrono::steady_clock::now() + kPeriod;
  Arm();
}

void MediaClock::Stop() {
  running_ = false;
  timer_.cancel();
}

void MediaClock::Arm() {
  timer_.expires_at(next_deadline_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !running_) return;
    fanout_.Tick(tick_++);
    next_deadline_ += kPeriod;
    const auto now = std::chrono::steady_clock::now();
    if (now > next_deadline_ + kPeriod) {
      const auto behind = (now - next_deadline_) / kPeriod;
      late_ticks_ += static_cast<uint64_t>(behind);
      next_deadline_ += behind * kPeriod;
    }
    if (running_) Arm();
  });
}

}  // namespace hotline::voice
