// The SLA report of work orders (issue 4): per period and department, orders created and done, the
// on-time rate, the mean handling time in working days, and the list of late orders — as JSON values
// (the API renders them), CSV and an Excel workbook (libxlsxwriter).
//
// Definitions, for a period of local days [from, to] of each centre (its zone and working calendar):
//   created          orders created in the period (including those later cancelled or merged)
//   cancelled        of those, cancelled or merged
//   done             orders whose feedback was recorded in the period (feedback_done: the clock stops)
//   done_on_time     of those, done before their deadline; on_time_rate = done_on_time / done (none if 0)
//   mean_handling_workdays  mean over `done` of the working days d with creation day < d ≤ done day
//                    (calendar::WorkingCalendar::WorkdaysBetween): 0 for an order done the day it came in
//   closed           orders closed in the period
//   overdue_open     orders past their deadline and not done at `as_of` (min(now, end of the period)),
//                    not cancelled or merged
//   late             the late orders themselves: the overdue_open ones and those done late in the period
//                    (the 2000 due earliest)
// An order counts for the department it is (or was last) dispatched to; never dispatched: department none.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "core/time_zone.hpp"
#include "workorder/types.hpp"

namespace hotline::workorder {

struct SlaRow {
  std::string org_code;
  std::optional<int64_t> department_id;
  std::string department;  // "" when never dispatched
  int64_t created = 0;
  int64_t cancelled = 0;
  int64_t done = 0;
  int64_t done_on_time = 0;
  int64_t closed = 0;
  int64_t overdue_open = 0;
  double handling_workdays_sum = 0;  // Σ handling working days of `done`

  std::optional<double> OnTimeRate() const;            // percent, 2 decimals; none when done == 0
  std::optional<double> MeanHandlingWorkdays() const;  // 2 decimals; none when done == 0
  void Add(const SlaRow& other);
};

struct SlaLateOrder {
  int64_t id = 0;
  std::string number;
  std::string org_code;
  std::string department;
  Category category = Category::kInquiry;
  State state = State::kDraft;
  TimePoint created_at;
  Date last_day;
  TimePoint due_at;
  std::optional<TimePoint> done_at;
  SlaStatus status = SlaStatus::kOverdue;  // kOverdue (still open at as_of) or kDoneLate
  int late_workdays = 0;                   // working days after last_day, up to the done day or as_of
};

struct SlaReport {
  std::string org_code;
  Date from;
  Date to;
  TimePoint as_of;
  std::vector<SlaRow> rows;  // one per (centre, department) with any activity, by centre then department
  SlaRow total;
  std::vector<SlaLateOrder> late;  // by due instant
  bool provisional = false;        // some working-day count ran past the loaded official calendar
};

// CSV with a header row, CRLF line ends, no BOM (the API adds one):
// org,department,created,cancelled,done,done_on_time,on_time_rate,mean_handling_workdays,closed,overdue_open
// (one row per department, then a row with department "TOTAL").
std::string SlaRowsCsv(const SlaReport& report);
// number,org,department,category,state,status,created_at,last_day,due_at,done_at,late_workdays
std::string SlaLateCsv(const SlaReport& report);
// The report as an .xlsx workbook: sheet 按部门 (the rows and the total, Chinese headers) and sheet
// 超期工单 (the late orders). Errors: unavailable when the temporary file cannot be written.
Result<std::string> SlaXlsxBytes(const SlaReport& report);

}  // namespace hotline::workorder
