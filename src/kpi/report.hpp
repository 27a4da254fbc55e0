// Indicator reports at any level and period (R-KPI, R-ORG-1/3): the rows supervisors read, checked
// against a threshold profile, and their exports — JSON and CSV with the data-standard field names,
// and the Oracle table of the ministry's data standard (R-KPI-10). Pure functions over the store.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kpi/indicators.hpp"
#include "kpi/kpi_store.hpp"
#include "kpi/periods.hpp"
#include "org/org_directory.hpp"

namespace hotline::kpi {

enum class Breakdown { kNone, kCenter, kProvince };

struct ReportRequest {
  std::string org_code;  // a centre, a province, or the ministry (= the nation)
  PeriodKind period = PeriodKind::kDay;
  Date date;
  std::optional<Date> to;  // for kRange
  IndicatorOptions options;
  std::string profile = "guideline";  // empty: the profile the org has chosen (needs `profiles`)
  Breakdown by = Breakdown::kNone;    // also one row per centre / province inside the org
  // Custom and chosen profiles; without it only the built-in profiles are known.
  const class ProfileStore* profiles = nullptr;
};

struct ReportRow {
  std::string org;  // code
  std::string org_name;
  std::string level;  // "center" | "province" | "nation"
  Period period;
  DaySums sums;
  Indicators indicators;
  std::vector<std::pair<IndicatorId, std::optional<bool>>> pass;  // per judged indicator; null: no data
};

struct Report {
  std::string basis;
  std::string profile;
  std::vector<ReportRow> rows;
};

// Errors: not_found (org), invalid_field (profile, range).
Result<Report> BuildReport(const ReportRequest& request, const org::OrgDirectory& orgs,
                           const KpiStore& store);

// A trend: one row per day, ISO week or month of [from, to] for one org (its centres summed), oldest
// first. Periods at the edges are clipped to [from, to]. Errors: not_found, invalid_field (range > 5 years,
// granularity not day/week/month).
Result<Report> BuildSeries(const std::string& org_code, PeriodKind granularity, Date from, Date to,
                           const IndicatorOptions& options, const std::string& profile,
                           const org::OrgDirectory& orgs, const KpiStore& store,
                           const class ProfileStore* profiles = nullptr);

// One JSON object per row with the data-standard names (callTotal, callavg, …, pass:{…}).
nlohmann::json ToJson(const Report& report);
// CSV with a header row: org,level,period,start,end,basis,callTotal,…,pass_callconnect,…
std::string ToCsv(const Report& report);
// The data standard as Oracle SQL: CREATE TABLE (R-KPI-10 types) followed by one INSERT per row.
std::string ToOracleSql(const Report& report);

}  // namespace hotline::kpi
