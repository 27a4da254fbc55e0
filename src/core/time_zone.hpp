// Civil dates and a centre's time zone (STYLE.md habit 10: UTC in storage, the centre's zone for
// business days, push windows and report periods). g++ 12's library has no time-zone database, so this
// wraps Howard Hinnant's date/tz (Debian libhowardhinnant-date-dev) over the system tzdata.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace date {
class time_zone;
}

namespace hotline {

using Date = std::chrono::sys_days;  // a civil date (no zone): days since 1970-01-01

// "2026-03-02"
std::string FormatDate(Date d);
// Strict YYYY-MM-DD; false on anything else or an impossible date.
bool ParseDate(std::string_view text, Date* out);

// Immutable, cheap to copy, thread-safe.
class TimeZone {
 public:
  // Errors: invalid_field when the zone is not in the system tzdata.
  static Result<TimeZone> Find(std::string_view name);
  static TimeZone Shanghai();  // Asia/Shanghai, the default of every centre

  const std::string& name() const { return name_; }
  // The local calendar day of an instant.
  Date LocalDay(TimePoint t) const;
  // Local wall-clock time of an instant, as milliseconds since local midnight of LocalDay(t).
  std::chrono::milliseconds LocalTimeOfDay(TimePoint t) const;
  // The instant of local midnight starting `day` (the first instant that belongs to it).
  TimePoint StartOfDay(Date day) const;

 private:
  TimeZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}
  const date::time_zone* zone_;
  std::string name_;
};

}  // namespace hotline
