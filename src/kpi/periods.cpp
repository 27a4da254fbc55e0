#include "kpi/periods.hpp"

#include <cstdio>

namespace hotline::kpi {

using namespace std::chrono;

std::string_view PeriodName(PeriodKind k) {
  switch (k) {
    case PeriodKind::kDay:
      return "day";
    case PeriodKind::kWeek:
      return "week";
    case PeriodKind::kMonth:
      return "month";
    case PeriodKind::kQuarter:
      return "quarter";
    case PeriodKind::kYear:
      return "year";
    case PeriodKind::kRange:
      return "range";
  }
  return "day";
}

std::optional<PeriodKind> ParsePeriod(std::string_view s) {
  for (auto k : {PeriodKind::kDay, PeriodKind::kWeek, PeriodKind::kMonth, PeriodKind::kQuarter,
                 PeriodKind::kYear, PeriodKind::kRange})
    if (PeriodName(k) == s) return k;
  return std::nullopt;
}

std::pair<int, unsigned> IsoWeek(Date d) {
  // The Thursday of d's week decides the ISO year.
  weekday wd{d};
  int iso_wd = static_cast<int>(wd.iso_encoding());  // Monday 1 … Sunday 7
  Date thursday = d + days(4 - iso_wd);
  int iso_year = int(year_month_day{thursday}.year());
  Date jan1 = sys_days{year{iso_year} / January / 1};
  unsigned week = static_cast<unsigned>((thursday - jan1).count() / 7 + 1);
  return {iso_year, week};
}

Result<Period> PeriodContaining(PeriodKind kind, Date date, std::optional<Date> to) {
  year_month_day ymd{date};
  Period p{.kind = kind};
  char buf[48];
  switch (kind) {
    case PeriodKind::kDay:
      p.start = p.end = date;
      p.label = FormatDate(date);
      break;
    case PeriodKind::kWeek: {
      int iso_wd = static_cast<int>(weekday{date}.iso_encoding());
      p.start = date - days(iso_wd - 1);
      p.end = p.start + days(6);
      auto [y, w] = IsoWeek(date);
      std::snprintf(buf, sizeof buf, "%04d-W%02u", y, w);
      p.label = buf;
      break;
    }
    case PeriodKind::kMonth:
      p.start = sys_days{ymd.year() / ymd.month() / 1};
      p.end = sys_days{ymd.year() / ymd.month() / last};
      std::snprintf(buf, sizeof buf, "%04d-%02u", int(ymd.year()), unsigned(ymd.month()));
      p.label = buf;
      break;
    case PeriodKind::kQuarter: {
      unsigned q = (unsigned(ymd.month()) - 1) / 3;
      p.start = sys_days{ymd.year() / month{q * 3 + 1} / 1};
      p.end = sys_days{ymd.year() / month{q * 3 + 3} / last};
      std::snprintf(buf, sizeof buf, "%04d-Q%u", int(ymd.year()), q + 1);
      p.label = buf;
      break;
    }
    case PeriodKind::kYear:
      p.start = sys_days{ymd.year() / January / 1};
      p.end = sys_days{ymd.year() / December / 31};
      p.label = std::to_string(int(ymd.year()));
      break;
    case PeriodKind::kRange:
      if (!to) return Error::InvalidArgument("invalid_field", "period range needs an end date (--to / to)");
      if (*to < date) return Error::InvalidArgument("invalid_field", "the range ends before it starts");
      if (*to - date > days(5 * 366))
        return Error::InvalidArgument("invalid_field", "a range may span at most 5 years");
      p.start = date;
      p.end = *to;
      p.label = FormatDate(date) + ".." + FormatDate(*to);
      break;
  }
  return p;
}

}  // namespace hotline::kpi
