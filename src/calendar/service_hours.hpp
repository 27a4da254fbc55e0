// A centre's manual-service hours (人工服务时间, R-IVR-3: "self-service 7×24; manual service during the
// centre's business hours (Gansu: 5×8, working days). Outside those hours callers get a clear message").
// The IVR itself never closes; this answers "may a caller be put through to an agent now?" and "when
// does manual service open next?" (for the IVR's outside-hours message and callback requests).
//
// Manual service is open only on working days (WorkingCalendar) and then during the day's time ranges,
// local wall-clock time in the centre's zone. The ranges may differ by season (夏季/冬季作息): a season
// is a month-day range repeated every year, e.g. 05-01…09-30; dates outside every season use the
// default ranges. Pure logic, no I/O; the configuration is stored as JSON by calendar::CalendarStore.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "calendar/working_calendar.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/time_zone.hpp"

namespace hotline::calendar {

// [from, to) in minutes after local midnight; 0 <= from < to <= 24:00.
struct TimeRange {
  std::chrono::minutes from{0};
  std::chrono::minutes to{0};

  bool operator==(const TimeRange&) const = default;
};

// A seasonal variant: from `first` to `last` (both included) every year. `first` after `last`
// wraps over the new year (11-01…02-28 is a winter season). 02-29 is allowed; in other years it is
// simply absent.
struct Season {
  std::string name;  // e.g. "夏季作息"
  std::chrono::month_day first;
  std::chrono::month_day last;
  std::vector<TimeRange> ranges;

  bool operator==(const Season&) const = default;
};

struct ServiceHoursConfig {
  // Ranges on working days outside every season. Default 08:30–12:00 and 14:00–17:30.
  // Empty means no manual service at all (the IVR then always plays the outside-hours message).
  std::vector<TimeRange> ranges = {{std::chrono::minutes(8 * 60 + 30), std::chrono::minutes(12 * 60)},
                                   {std::chrono::minutes(14 * 60), std::chrono::minutes(17 * 60 + 30)}};
  // Seasonal variants; they must not overlap one another. Default: none.
  std::vector<Season> seasons;

  bool operator==(const ServiceHoursConfig&) const = default;
};

// A validated ServiceHoursConfig. Immutable: safe to share between threads.
class ServiceHours {
 public:
  // Errors: invalid_field — a range outside 00:00–24:00 or with from >= to, overlapping ranges in
  // one list, an impossible month-day, seasons that overlap, a season without a name.
  static Result<ServiceHours> Create(ServiceHoursConfig config);
  // 08:30–12:00 and 14:00–17:30 on working days, all year.
  static ServiceHours Default();

  const ServiceHoursConfig& config() const { return config_; }

  // The ranges that apply on `date` if it is a working day (season or default), sorted.
  const std::vector<TimeRange>& RangesFor(Date date) const;
  // True when manual service is open at instant `t`: the local date is a working day of `calendar`
  // and the local time of day lies in one of its ranges.
  bool IsOpen(TimePoint t, const TimeZone& zone, const WorkingCalendar& calendar) const;
  // The earliest instant >= t at which manual service is open: `t` itself when open now, else the
  // start of the next range. None when there is no opening within `horizon_days` local days (a
  // configuration without ranges). Wall-clock range starts are taken as offsets from local midnight
  // (exact in every zone without a daylight-saving change that day; China has none).
  std::optional<TimePoint> NextOpening(TimePoint t, const TimeZone& zone, const WorkingCalendar& calendar,
                                       int horizon_days = 400) const;

 private:
  explicit ServiceHours(ServiceHoursConfig config) : config_(std::move(config)) {}
  ServiceHoursConfig config_;
};

// "08:30" ↔ 510 min; "24:00" is accepted (the end of a day). Strict HH:MM.
std::optional<std::chrono::minutes> ParseTimeOfDay(std::string_view text);
std::string FormatTimeOfDay(std::chrono::minutes m);
// "05-01" ↔ May 1st. Strict MM-DD; 02-29 is valid.
std::optional<std::chrono::month_day> ParseMonthDay(std::string_view text);
std::string FormatMonthDay(std::chrono::month_day md);

// JSON form, stored by CalendarStore and used by the API:
//   {"ranges":[{"from":"08:30","to":"12:00"},{"from":"14:00","to":"17:30"}],
//    "seasons":[{"name":"夏季作息","first":"05-01","last":"09-30","ranges":[…]}]}
nlohmann::json ToJson(const ServiceHoursConfig& config);
// Reads and validates (ServiceHours::Create's rules). Errors: invalid_field naming the field.
Result<ServiceHoursConfig> ServiceHoursFromJson(const nlohmann::json& json);

}  // namespace hotline::calendar
