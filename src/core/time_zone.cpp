#include "core/time_zone.hpp"

#include <date/tz.h>

#include <cstdio>

namespace hotline {

std::string FormatDate(Date d) {
  std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

bool ParseDate(std::string_view s, Date* out) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  int v[3] = {0, 0, 0};
  size_t starts[3] = {0, 5, 8}, lens[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k)
    for (size_t i = starts[k]; i < starts[k] + lens[k]; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v[k] = v[k] * 10 + (s[i] - '0');
    }
  std::chrono::year_month_day ymd{std::chrono::year{v[0]}, std::chrono::month{unsigned(v[1])},
                                  std::chrono::day{unsigned(v[2])}};
  if (!ymd.ok()) return false;
  *out = std::chrono::sys_days{ymd};
  return true;
}

Result<TimeZone> TimeZone::Find(std::string_view name) {
  try {
    return TimeZone(date::locate_zone(name), std::string(name));
  } catch (const std::exception&) {
    return Error::InvalidArgument(
        "invalid_field", "时区 " + std::string(name) + " 不存在，请使用 IANA 时区名，例如 Asia/Shanghai");
  }
}

TimeZone TimeZone::Shanghai() {
  static const TimeZone zone = *Find("Asia/Shanghai");
  return zone;
}

namespace {
date::sys_time<std::chrono::milliseconds> ToDate(TimePoint t) {
  return date::sys_time<std::chrono::milliseconds>(t.time_since_epoch());
}
}  // namespace

Date TimeZone::LocalDay(TimePoint t) const {
  auto local = zone_->to_local(ToDate(t));
  auto day = date::floor<date::days>(local);
  return Date(std::chrono::days(day.time_since_epoch().count()));
}

std::chrono::milliseconds TimeZone::LocalTimeOfDay(TimePoint t) const {
  auto local = zone_->to_local(ToDate(t));
  return std::chrono::milliseconds((local - date::floor<date::days>(local)).count());
}

TimePoint TimeZone::StartOfDay(Date day) const {
  date::local_days local{date::days(day.time_since_epoch().count())};
  // choose::earliest: a midnight that does not exist (a DST jump) maps to the first instant after it.
  auto sys = zone_->to_sys(local, date::choose::earliest);
  return TimePoint(std::chrono::duration_cast<std::chrono::milliseconds>(sys.time_since_epoch()));
}

}  // namespace hotline
