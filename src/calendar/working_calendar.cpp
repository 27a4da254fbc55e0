#include "calendar/working_calendar.hpp"

#include <algorithm>
#include <cassert>

#include "core/text.hpp"

namespace hotline::calendar {

using std::chrono::days;

std::string_view DayKindName(DayKind kind) {
  switch (kind) {
    case DayKind::kHoliday:
      return "holiday";
    case DayKind::kWorkday:
      return "workday";
  }
  return "holiday";
}

std::optional<DayKind> ParseDayKind(std::string_view name) {
  if (name == "holiday") return DayKind::kHoliday;
  if (name == "workday") return DayKind::kWorkday;
  return std::nullopt;
}

int YearOf(Date date) { return int(std::chrono::year_month_day(date).year()); }

bool IsWeekend(Date date) {
  std::chrono::weekday wd(date);
  return wd == std::chrono::Saturday || wd == std::chrono::Sunday;
}

Status ValidateCalendarDay(const CalendarDay& day) {
  if (day.name.empty() || !IsValidUtf8(day.name) || Utf8Length(day.name) > 50 || HasControlChars(day.name))
    return Error::InvalidArgument("invalid_field", "名称 name 须为 1–50 个字符，例如 春节");
  if (day.kind == DayKind::kWorkday && !IsWeekend(day.date))
    return Error::InvalidArgument("invalid_field", "调休上班日（workday）须是周六或周日：" +
                                                       FormatDate(day.date) + " 本来就是工作日，请检查日期");
  return OkStatus();
}

Status CheckWorkdayCount(int n) {
  if (n < 0 || n > kMaxWorkdays)
    return Error::InvalidArgument("invalid_field",
                                  "工作日天数须在 0–" + std::to_string(kMaxWorkdays) + " 之间");
  return OkStatus();
}

WorkingCalendar::WorkingCalendar(const CalendarData& data) : loaded_years_(data.loaded_years) {
  for (const auto& d : data.national) national_.insert_or_assign(d.date, d);
  for (const auto& d : data.closures) {
    CalendarDay closed = d;
    closed.kind = DayKind::kHoliday;
    closures_.insert_or_assign(d.date, std::move(closed));
  }
}

bool WorkingCalendar::IsWorkday(Date date) const {
  if (closures_.contains(date)) return false;
  if (auto it = national_.find(date); it != national_.end()) return it->second.kind == DayKind::kWorkday;
  return !IsWeekend(date);
}

std::optional<CalendarDay> WorkingCalendar::Describe(Date date) const {
  if (auto it = closures_.find(date); it != closures_.end()) return it->second;
  if (auto it = national_.find(date); it != national_.end()) return it->second;
  return std::nullopt;
}

std::vector<CalendarDay> WorkingCalendar::DaysOfYear(int year) const {
  using namespace std::chrono;
  Date first = sys_days(std::chrono::year(year) / January / 1);
  Date after = sys_days(std::chrono::year(year + 1) / January / 1);
  std::map<Date, CalendarDay> merged(national_.lower_bound(first), national_.lower_bound(after));
  for (auto it = closures_.lower_bound(first); it != closures_.end() && it->first < after; ++it)
    merged.insert_or_assign(it->first, it->second);
  std::vector<CalendarDay> out;
  out.reserve(merged.size());
  for (auto& [date, day] : merged) out.push_back(std::move(day));
  return out;
}

void WorkingCalendar::NoteUnloaded(Date date, std::vector<int>* years) const {
  int year = YearOf(date);
  if (IsLoaded(year)) return;
  // Dates are visited in ascending order, so the list stays sorted and unique.
  if (years->empty() || years->back() != year) years->push_back(year);
}

WorkdayDate WorkingCalendar::AddWorkdays(Date start, int n) const {
  assert(n >= 0 && n <= kMaxWorkdays);
  WorkdayDate out{.date = start};
  for (int counted = 0; counted < n;) {
    out.date += days(1);
    NoteUnloaded(out.date, &out.unloaded_years);
    if (IsWorkday(out.date)) ++counted;
  }
  return out;
}

WorkdayCount WorkingCalendar::WorkdaysBetween(Date from, Date to) const {
  WorkdayCount out;
  for (Date d = from + days(1); d <= to; d += days(1)) {
    NoteUnloaded(d, &out.unloaded_years);
    if (IsWorkday(d)) ++out.days;
  }
  return out;
}

Deadline WorkingCalendar::DeadlineOf(TimePoint created, int n, const TimeZone& zone) const {
  WorkdayDate last = AddWorkdays(zone.LocalDay(created), n);
  return {.last_day = last.date,
          .due = zone.StartOfDay(last.date + days(1)),
          .unloaded_years = std::move(last.unloaded_years)};
}

}  // namespace hotline::calendar
