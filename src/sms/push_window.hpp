// The push window (R-SMS-2): push messages (event pushes, campaigns) are handed to a carrier only between
// `open` and `close` local time of the centre's zone (08:00–22:00 by default, [sms] push_window_open /
// push_window_close); verification codes, on-demand replies and operators' test messages are never held.
// Immutable and thread-safe.
#pragma once

#include <chrono>

#include "core/clock.hpp"
#include "core/time_zone.hpp"

namespace hotline::sms {

struct PushWindow {
  std::chrono::minutes open{8 * 60};    // local time of day, inclusive
  std::chrono::minutes close{22 * 60};  // local time of day, exclusive; REQUIRES: open < close
  TimeZone zone = TimeZone::Shanghai();

  bool IsOpen(TimePoint t) const {
    auto local = zone.LocalTimeOfDay(t);
    return local >= open && local < close;
  }
  // The next instant the window opens at or after `t` (t itself when open).
  TimePoint NextOpen(TimePoint t) const {
    if (IsOpen(t)) return t;
    Date day = zone.LocalDay(t);
    if (zone.LocalTimeOfDay(t) >= close) day += std::chrono::days(1);
    return zone.StartOfDay(day) + open;
  }
};

}  // namespace hotline::sms
