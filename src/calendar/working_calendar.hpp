// The official working calendar (工作日历): which civil dates are working days for a centre, and
// arithmetic in working days for deadlines (R-WO-4: complaint ≤ 5, suggestion ≤ 2, inquiry ≤ 3 working
// days, "following the official calendar: weekends, public holidays and make-up working days 调休").
//
// A date is a working day when, in this order of precedence:
//   1. the centre has a local closure on it (本地闭馆/停止服务)       → not a working day;
//   2. the national calendar lists it as a public holiday (法定节假日) → not a working day;
//   3. the national calendar lists it as a make-up working day (调休上班, a Saturday or Sunday) → working
//   day;
//   4. otherwise: Monday–Friday are working days, Saturday and Sunday are not.
// The calendar is data (the State Council publishes next year's schedule each November), loaded by
// calendar::CalendarStore; this file is pure logic with no I/O. A year whose official schedule is not
// loaded still answers by rule 4, but every result that depends on such a year is flagged provisional
// so that deadlines computed past the loaded data are visibly marked (and the console warns).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/time_zone.hpp"

namespace hotline::calendar {

// What the national calendar says about one date.
enum class DayKind {
  kHoliday,  // a public holiday or a day off of a holiday period (放假), any day of the week
  kWorkday,  // a make-up working day (调休上班) that falls on a Saturday or Sunday
};
std::string_view DayKindName(DayKind kind);  // "holiday" | "workday"
std::optional<DayKind> ParseDayKind(std::string_view name);

// One entry of the national calendar, or one local closure of a centre (kind is then kHoliday).
struct CalendarDay {
  Date date;
  DayKind kind = DayKind::kHoliday;
  std::string name;  // e.g. "春节", "春节调休上班", "疫情防控闭馆"

  bool operator==(const CalendarDay&) const = default;
};

// Field rules shared by the store, the CSV import, the CLI and the API.
// Errors: invalid_field — name empty, over 50 characters, not UTF-8 or with control characters;
// a make-up working day (kWorkday) that is not a Saturday or Sunday.
Status ValidateCalendarDay(const CalendarDay& day);

// The data a WorkingCalendar is built from.
struct CalendarData {
  std::vector<CalendarDay> national;  // holidays and make-up working days of every loaded year
  std::vector<CalendarDay> closures;  // local closures of one centre (kinds are ignored: all closed)
  std::set<int> loaded_years;         // years whose official schedule is complete in `national`
};

// Upper bound on N for the working-day arithmetic (about 14 years): bounds the loops, and a larger
// N is a caller's mistake. Untrusted input goes through CheckWorkdayCount first.
inline constexpr int kMaxWorkdays = 3660;
// Errors: invalid_field when n is not within 0…kMaxWorkdays.
Status CheckWorkdayCount(int n);

// The date N working days after a start date.
struct WorkdayDate {
  Date date;
  // Years without loaded official data that the computation had to rely on (ascending).
  std::vector<int> unloaded_years;
  bool provisional() const { return !unloaded_years.empty(); }
};

// A number of working days between two dates.
struct WorkdayCount {
  int days = 0;
  std::vector<int> unloaded_years;
  bool provisional() const { return !unloaded_years.empty(); }
};

// A deadline of N working days (R-WO-4); see WorkingCalendar::DeadlineOf for the contract.
struct Deadline {
  Date last_day;  // the Nth working day after the local creation date
  TimePoint due;  // local midnight at the end of last_day: the order is overdue from this instant on
  std::vector<int> unloaded_years;
  bool provisional() const { return !unloaded_years.empty(); }
};

// The working days of one centre (or of the nation, with no closures). Immutable after construction:
// safe to share between threads without synchronisation, cheap to move, not cheap to copy.
class WorkingCalendar {
 public:
  // No data at all: Monday–Friday, every year provisional.
  WorkingCalendar() = default;
  // When a date appears twice, a closure wins over a national entry and a later national entry over
  // an earlier one (the store never produces duplicates).
  explicit WorkingCalendar(const CalendarData& data);

  bool IsWorkday(Date date) const;
  // True when the official schedule of `year` is loaded; otherwise IsWorkday falls back to Mon–Fri.
  bool IsLoaded(int year) const { return loaded_years_.contains(year); }
  const std::set<int>& loaded_years() const { return loaded_years_; }

  // What the data says about a date: the closure if there is one, else the national entry, else none
  // (an ordinary weekday or weekend).
  std::optional<CalendarDay> Describe(Date date) const;
  // The national entries and closures of one year, by date (a closure replaces a national entry).
  std::vector<CalendarDay> DaysOfYear(int year) const;

  // The date `n` working days after `start`, not counting `start` itself: the 1st working day after
  // 2026-02-13 (Fri) is 2026-02-14 (a make-up Saturday), the 3rd is 2026-02-25 (after 春节 2/15–2/23).
  // n == 0 gives `start`. Provisional when any date in (start, result] lies in an unloaded year.
  // REQUIRES: 0 <= n <= kMaxWorkdays.
  WorkdayDate AddWorkdays(Date start, int n) const;

  // The number of working days d with from < d <= to (0 when to <= from), so that
  // AddWorkdays(from, WorkdaysBetween(from, to).days) is the last working day on or before `to`
  // (for `to` a working day: `to` itself). For handling times in working days (SLA reports).
  // Provisional when any date in (from, to] lies in an unloaded year.
  WorkdayCount WorkdaysBetween(Date from, Date to) const;

  // The deadline of something created at `created` that must be done within `n` working days
  // (R-WO-4), in the centre's zone:
  //   * the count starts from the local calendar date of `created` (that date itself is not counted,
  //     whatever the hour, and whether or not it is a working day);
  //   * `last_day` = AddWorkdays(local creation date, n);
  //   * `due` = the first instant of the local day after `last_day` (local midnight ending last_day).
  //     "Done in time" means done before `due`; overdue means now >= due.
  // A work order created 2026-02-12 23:59:59 CST (Thursday) with n = 3 is due 2026-02-25 00:00 CST
  // (working days 2/13, 2/14 make-up Saturday, 2/24); one created a second later is due 2026-02-26 00:00.
  // REQUIRES: 0 <= n <= kMaxWorkdays.
  Deadline DeadlineOf(TimePoint created, int n, const TimeZone& zone) const;

 private:
  void NoteUnloaded(Date date, std::vector<int>* years) const;

  std::map<Date, CalendarDay> national_;
  std::map<Date, CalendarDay> closures_;
  std::set<int> loaded_years_;
};

// The calendar year of a date, e.g. 2026.
int YearOf(Date date);
bool IsWeekend(Date date);

}  // namespace hotline::calendar
