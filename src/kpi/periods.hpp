// Report periods (R-KPI): day, ISO week (Monday–Sunday), month, quarter, year, or a custom range of
// local calendar days. Pure functions on civil dates.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time_zone.hpp"

namespace hotline::kpi {

enum class PeriodKind { kDay, kWeek, kMonth, kQuarter, kYear, kRange };
std::string_view PeriodName(PeriodKind k);
std::optional<PeriodKind> ParsePeriod(std::string_view s);

struct Period {
  PeriodKind kind = PeriodKind::kDay;
  Date start;         // first day, inclusive
  Date end;           // last day, inclusive
  std::string label;  // "2026-03-02", "2026-W10", "2026-03", "2026-Q1", "2026", "2026-03-01..2026-03-15"
};

// The period of `kind` that contains `date`; for kRange, [date, to]. Errors: invalid_field when a range
// ends before it starts or spans more than 5 years, or `to` is missing for a range.
Result<Period> PeriodContaining(PeriodKind kind, Date date, std::optional<Date> to = std::nullopt);

// ISO 8601 week-numbering year and week of a date (week 1 holds the year's first Thursday).
std::pair<int, unsigned> IsoWeek(Date d);

}  // namespace hotline::kpi
