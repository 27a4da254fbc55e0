// Clock port (STYLE.md habit 2): domain code never reads the wall clock itself, so tests can run on
// a FakeClock. All instants are UTC; business days and report periods convert with a centre's zone.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace hotline {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

// Thread-safe: implementations may be shared by all threads.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
  // Monotonic time for timeouts and latency; never goes back.
  virtual std::chrono::steady_clock::time_point Steady() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override;
  std::chrono::steady_clock::time_point Steady() const override { return std::chrono::steady_clock::now(); }
};

// A clock that moves only when told. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_ms_(start.time_since_epoch().count()) {}
  TimePoint Now() const override { return TimePoint(std::chrono::milliseconds(now_ms_.load())); }
  std::chrono::steady_clock::time_point Steady() const override {
    return std::chrono::steady_clock::time_point(std::chrono::milliseconds(now_ms_.load()));
  }
  void Advance(std::chrono::milliseconds d) { now_ms_ += d.count(); }

 private:
  std::atomic<int64_t> now_ms_;
};

// Milliseconds since the Unix epoch: the storage form of every instant.
inline int64_t ToEpochMillis(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromEpochMillis(int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

// RFC 3339 in UTC with milliseconds, e.g. "2026-03-02T01:15:03.000Z".
std::string FormatUtc(TimePoint t);
// Parses RFC 3339 / ISO 8601 with 'Z' or a ±hh:mm offset; false on anything else.
bool ParseIso8601(std::string_view text, TimePoint* out);

}  // namespace hotline
