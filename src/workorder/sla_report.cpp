// The SLA report (definitions in sla_report.hpp). Each centre is computed in its own zone on its own
// working calendar; the counts come from indexed aggregate queries, the working-day arithmetic from
// calendar::WorkingCalendar over the orders done in the period.
#include "workorder/sla_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "workorder/internal.hpp"
#include "workorder/workorder_service.hpp"

namespace hotline::workorder {
namespace {

double Round2(double v) { return std::round(v * 100.0) / 100.0; }

std::string CsvField(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Optional2(std::optional<double> v) { return v ? fmt::format("{:.2f}", *v) : ""; }

constexpr size_t kMaxLateOrders = 2000;

}  // namespace

std::optional<double> SlaRow::OnTimeRate() const {
  if (done == 0) return std::nullopt;
  return Round2(100.0 * static_cast<double>(done_on_time) / static_cast<double>(done));
}

std::optional<double> SlaRow::MeanHandlingWorkdays() const {
  if (done == 0) return std::nullopt;
  return Round2(handling_workdays_sum / static_cast<double>(done));
}

void SlaRow::Add(const SlaRow& o) {
  created += o.created;
  cancelled += o.cancelled;
  done += o.done;
  done_on_time += o.done_on_time;
  closed += o.closed;
  overdue_open += o.overdue_open;
  handling_workdays_sum += o.handling_workdays_sum;
}

std::string SlaRowsCsv(const SlaReport& report) {
  std::string out =
      "org,department,created,cancelled,done,done_on_time,on_time_rate,mean_handling_workdays,closed,overdue_"
      "open\r\n";
  auto line = [&](const SlaRow& r) {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{}\r\n", CsvField(r.org_code), CsvField(r.department),
                       r.created, r.cancelled, r.done, r.done_on_time, Optional2(r.OnTimeRate()),
                       Optional2(r.MeanHandlingWorkdays()), r.closed, r.overdue_open);
  };
  for (const auto& r : report.rows) line(r);
  line(report.total);
  return out;
}

std::string SlaLateCsv(const SlaReport& report) {
  std::string out =
      "number,org,department,category,state,status,created_at,last_day,due_at,done_at,late_workdays\r\n";
  for (const auto& l : report.late)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\r\n", l.number, l.org_code, CsvField(l.department),
                       CategoryName(l.category), StateName(l.state), SlaStatusName(l.status),
                       FormatUtc(l.created_at), FormatDate(l.last_day), FormatUtc(l.due_at),
                       l.done_at ? FormatUtc(*l.done_at) : "", l.late_workdays);
  return out;
}

Result<SlaReport> WorkOrderService::BuildSlaReport(const org::Actor& actor, const SlaRequest& req) const {
  if (!actor.Has(org::Permission::kWorkOrderReport))
    return internal::Forbidden("SLA 报表供班长、监管和管理员查看");
  if (req.to < req.from) return Error::InvalidArgument("invalid_field", "参数 to 不能早于 from");
  if (req.to - req.from > std::chrono::days(400))
    return Error::InvalidArgument("invalid_field", "报表期间最长 400 天：请缩短 from–to");
  HOTLINE_ASSIGN_OR_RETURN(org::Org scope, ResolveOrg(actor, req.org_code));
  std::vector<org::Org> centres;
  if (scope.level == org::OrgLevel::kCenter) {
    centres.push_back(scope);
  } else {
    HOTLINE_ASSIGN_OR_RETURN(auto within, orgs_.ListWithin(scope));
    for (auto& o : within)
      if (o.level == org::OrgLevel::kCenter) centres.push_back(std::move(o));
  }
  const TimePoint now = clock_.Now();
  SlaReport report;
  report.org_code = scope.code;
  report.from = req.from;
  report.to = req.to;
  {
    auto zone = TimeZone::Find(scope.time_zone);
    TimeZone z = zone.ok() ? *zone : TimeZone::Shanghai();
    report.as_of = std::min(now, z.StartOfDay(req.to + std::chrono::days(1)));
  }
  report.total.org_code = scope.code;
  report.total.department = "TOTAL";

  for (const org::Org& centre : centres) {
    auto zone_r = TimeZone::Find(centre.time_zone);
    const TimeZone zone = zone_r.ok() ? *zone_r : TimeZone::Shanghai();
    HOTLINE_ASSIGN_OR_RETURN(calendar::WorkingCalendar cal, calendar_.Load(centre.id));
    const int64_t start = ToEpochMillis(zone.StartOfDay(req.from));
    const int64_t end = ToEpochMillis(zone.StartOfDay(req.to + std::chrono::days(1)));
    const TimePoint as_of = std::min(now, FromEpochMillis(end));
    const int64_t as_of_ms = ToEpochMillis(as_of);
    const Date as_of_day = zone.LocalDay(as_of - std::chrono::milliseconds(1));

    std::map<std::optional<int64_t>, SlaRow> rows;
    auto row_of = [&](const store::Value& id, const store::Value& name) -> SlaRow& {
      SlaRow& r = rows[internal::OptInt(id)];
      r.org_code = centre.code;
      r.department_id = internal::OptInt(id);
      r.department = name.AsText();
      return r;
    };
    auto note_provisional = [&](bool p) { report.provisional = report.provisional || p; };

    HOTLINE_ASSIGN_OR_RETURN(
        auto created,
        db_.Query("SELECT w.department_id, d.name, COUNT(*), "
                  "SUM(CASE WHEN w.state IN ('cancelled', 'merged') THEN 1 ELSE 0 END) FROM workorders w "
                  "LEFT JOIN workorder_departments d ON d.id = w.department_id "
                  "WHERE w.org_id = $1 AND w.created_at >= $2 AND w.created_at < $3 GROUP BY "
                  "w.department_id, d.name",
                  {centre.id, start, end}));
    for (const auto& x : created.rows) {
      SlaRow& r = row_of(x[0], x[1]);
      r.created += x[2].AsInt();
      r.cancelled += x[3].AsInt();
    }
    HOTLINE_ASSIGN_OR_RETURN(
        auto closed,
        db_.Query("SELECT w.department_id, d.name, COUNT(*) FROM workorders w "
                  "LEFT JOIN workorder_departments d ON d.id = w.department_id "
                  "WHERE w.org_id = $1 AND w.closed_at >= $2 AND w.closed_at < $3 AND w.state = 'closed' "
                  "GROUP BY w.department_id, d.name",
                  {centre.id, start, end}));
    for (const auto& x : closed.rows) row_of(x[0], x[1]).closed += x[2].AsInt();

    constexpr const char* kLateColumns =
        "SELECT w.id, w.number, w.department_id, d.name, w.category, w.state, w.created_at, w.last_day, "
        "w.due_at, "
        "w.done_at FROM workorders w LEFT JOIN workorder_departments d ON d.id = w.department_id ";
    auto late_of = [&](const std::vector<store::Value>& x, SlaStatus status, Date until) {
      SlaLateOrder l;
      l.id = x[0].AsInt();
      l.number = x[1].AsText();
      l.org_code = centre.code;
      l.department = x[3].AsText();
      l.category = ParseCategory(x[4].AsText()).value_or(Category::kInquiry);
      l.state = ParseState(x[5].AsText()).value_or(State::kDraft);
      l.created_at = FromEpochMillis(x[6].AsInt());
      ParseDate(x[7].AsText(), &l.last_day);
      l.due_at = FromEpochMillis(x[8].AsInt());
      if (!x[9].is_null()) l.done_at = FromEpochMillis(x[9].AsInt());
      l.status = status;
      auto late = cal.WorkdaysBetween(l.last_day, until);
      note_provisional(late.provisional());
      l.late_workdays = late.days;
      return l;
    };

    HOTLINE_ASSIGN_OR_RETURN(
        auto done,
        db_.Query(std::string(kLateColumns) + "WHERE w.org_id = $1 AND w.done_at >= $2 AND w.done_at < $3 "
                                              "AND w.state NOT IN ('cancelled', 'merged')",
                  {centre.id, start, end}));
    for (const auto& x : done.rows) {
      SlaRow& r = row_of(x[2], x[3]);
      const TimePoint created_at = FromEpochMillis(x[6].AsInt());
      const TimePoint done_at = FromEpochMillis(x[9].AsInt());
      const Date done_day = zone.LocalDay(done_at);
      auto handling = cal.WorkdaysBetween(zone.LocalDay(created_at), done_day);
      note_provisional(handling.provisional());
      ++r.done;
      r.handling_workdays_sum += handling.days;
      if (done_at < FromEpochMillis(x[8].AsInt()))
        ++r.done_on_time;
      else
        report.late.push_back(late_of(x, SlaStatus::kDoneLate, done_day));
    }
    // Late and not done at as_of: still open now, or done only after as_of (a past period).
    HOTLINE_ASSIGN_OR_RETURN(
        auto open_late,
        db_.Query(std::string(kLateColumns) + "WHERE w.org_id = $1 AND w.is_open = 1 AND w.due_at <= $2",
                  {centre.id, as_of_ms}));
    HOTLINE_ASSIGN_OR_RETURN(
        auto done_after,
        db_.Query(std::string(kLateColumns) + "WHERE w.org_id = $1 AND w.done_at > $2 AND w.due_at <= $2 AND "
                                              "w.state NOT IN ('cancelled', 'merged')",
                  {centre.id, as_of_ms}));
    for (const auto* set : {&open_late, &done_after}) {
      for (const auto& x : set->rows) {
        ++row_of(x[2], x[3]).overdue_open;
        report.late.push_back(late_of(x, SlaStatus::kOverdue, as_of_day));
      }
    }
    std::vector<SlaRow> sorted;
    for (auto& [id, r] : rows) sorted.push_back(std::move(r));
    std::sort(sorted.begin(), sorted.end(),
              [](const SlaRow& a, const SlaRow& b) { return a.department < b.department; });
    for (auto& r : sorted) {
      report.total.Add(r);
      report.rows.push_back(std::move(r));
    }
  }
  std::sort(report.late.begin(), report.late.end(), [](const SlaLateOrder& a, const SlaLateOrder& b) {
    return std::tie(a.due_at, a.id) < std::tie(b.due_at, b.id);
  });
  if (report.late.size() > kMaxLateOrders) report.late.resize(kMaxLateOrders);
  return report;
}

}  // namespace hotline::workorder
