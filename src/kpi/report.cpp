#include "kpi/report.hpp"

#include <fmt/format.h>

#include "kpi/profiles.hpp"

namespace hotline::kpi {
namespace {

struct Target {
  org::Org org;
  std::string level;
  std::vector<int64_t> centre_ids;
};

// The centres inside `root` (root itself when it is a centre).
std::vector<int64_t> CentresWithin(const std::vector<org::Org>& all, const org::Org& root) {
  std::vector<int64_t> ids;
  for (const auto& o : all)
    if (o.level == org::OrgLevel::kCenter && root.Contains(o)) ids.push_back(o.id);
  return ids;
}

std::string LevelOf(const org::Org& o) {
  return o.level == org::OrgLevel::kMinistry ? "nation" : std::string(org::OrgLevelName(o.level));
}

}  // namespace

// The profile a report is judged by: named, or chosen by the org (with a ProfileStore), else built-in.
static Result<Profile> ProfileFor(const std::string& name, const org::Org& root,
                                  const ProfileStore* profiles) {
  if (profiles) return name.empty() ? profiles->ChosenFor(root) : profiles->Resolve(name, root);
  if (const Profile* p = FindProfile(name)) return *p;
  return Error::InvalidArgument("invalid_field",
                                "unknown threshold profile '" + name + "' (guideline or gansu)");
}

Result<Report> BuildReport(const ReportRequest& req, const org::OrgDirectory& orgs, const KpiStore& store) {
  HOTLINE_ASSIGN_OR_RETURN(Period period, PeriodContaining(req.period, req.date, req.to));
  HOTLINE_ASSIGN_OR_RETURN(org::Org root, orgs.FindByCode(req.org_code));
  HOTLINE_ASSIGN_OR_RETURN(Profile chosen, ProfileFor(req.profile, root, req.profiles));
  const Profile* profile = &chosen;
  HOTLINE_ASSIGN_OR_RETURN(std::vector<org::Org> all, orgs.ListWithin(root));

  std::vector<Target> targets{{root, LevelOf(root), CentresWithin(all, root)}};
  for (const auto& o : all) {
    if (o.id == root.id) continue;
    bool wanted = (req.by == Breakdown::kCenter && o.level == org::OrgLevel::kCenter) ||
                  (req.by == Breakdown::kProvince && o.level == org::OrgLevel::kProvince);
    if (wanted) targets.push_back({o, LevelOf(o), CentresWithin(all, o)});
  }

  Report report{std::string(BasisName(req.options.basis)), profile->name, {}};
  for (auto& t : targets) {
    HOTLINE_ASSIGN_OR_RETURN(DaySums sums, store.Sum(t.centre_ids, period.start, period.end));
    ReportRow row{t.org.code, t.org.name, t.level, period, sums, Compute(sums, req.options), {}};
    for (const auto& th : profile->thresholds) row.pass.emplace_back(th.id, Passes(th, sums, req.options));
    report.rows.push_back(std::move(row));
  }
  return report;
}

Result<Report> BuildSeries(const std::string& org_code, PeriodKind granularity, Date from, Date to,
                           const IndicatorOptions& options, const std::string& profile_name,
                           const org::OrgDirectory& orgs, const KpiStore& store,
                           const ProfileStore* profiles) {
  if (granularity != PeriodKind::kDay && granularity != PeriodKind::kWeek &&
      granularity != PeriodKind::kMonth)
    return Error::InvalidArgument("invalid_field", "series granularity must be day, week or month");
  HOTLINE_RETURN_IF_ERROR(PeriodContaining(PeriodKind::kRange, from, to));  // validates the range
  HOTLINE_ASSIGN_OR_RETURN(org::Org root, orgs.FindByCode(org_code));
  HOTLINE_ASSIGN_OR_RETURN(Profile chosen, ProfileFor(profile_name, root, profiles));
  const Profile* profile = &chosen;
  HOTLINE_ASSIGN_OR_RETURN(std::vector<org::Org> all, orgs.ListWithin(root));
  // One query for all (centre, day) sums of the range; periods are summed here.
  HOTLINE_ASSIGN_OR_RETURN(auto daily, store.Daily(CentresWithin(all, root), from, to));
  std::map<Date, DaySums> by_day;
  for (const auto& [key, sums] : daily) by_day[key.second] += sums;
  Report report{std::string(BasisName(options.basis)), profile->name, {}};
  for (Date d = from; d <= to;) {
    HOTLINE_ASSIGN_OR_RETURN(Period p, PeriodContaining(granularity, d));
    p.start = std::max(p.start, from);
    p.end = std::min(p.end, to);
    DaySums sums;
    for (auto it = by_day.lower_bound(p.start); it != by_day.end() && it->first <= p.end; ++it)
      sums += it->second;
    ReportRow row{root.code, root.name, LevelOf(root), p, sums, Compute(sums, options), {}};
    for (const auto& th : profile->thresholds) row.pass.emplace_back(th.id, Passes(th, sums, options));
    report.rows.push_back(std::move(row));
    d = p.end + std::chrono::days(1);
  }
  return report;
}

namespace {
nlohmann::json Number(const Decimal2& d) {
  if (d.is_null()) return nullptr;
  return d.ToDouble();
}
}  // namespace

nlohmann::json ToJson(const Report& report) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : report.rows) {
    nlohmann::json pass = nlohmann::json::object();
    for (const auto& [id, ok] : r.pass)
      pass[std::string(FieldName(id))] = ok ? nlohmann::json(*ok) : nlohmann::json();
    rows.push_back({{"org", r.org},
                    {"org_name", r.org_name},
                    {"level", r.level},
                    {"period", PeriodName(r.period.kind)},
                    {"label", r.period.label},
                    {"start", FormatDate(r.period.start)},
                    {"end", FormatDate(r.period.end)},
                    {"basis", report.basis},
                    {"profile", report.profile},
                    {"callTotal", r.indicators.call_total},
                    {"callavg", Number(r.indicators.callavg)},
                    {"callconnect", Number(r.indicators.callconnect)},
                    {"ABNcalls", Number(r.indicators.abncalls)},
                    {"waittimeavg", Number(r.indicators.waittimeavg)},
                    {"acwavg", Number(r.indicators.acwavg)},
                    {"complntrate", Number(r.indicators.complntrate)},
                    {"satisrate", Number(r.indicators.satisrate)},
                    {"pass", pass}});
  }
  return rows;
}

std::string ToCsv(const Report& report) {
  std::string out =
      "org,level,period,start,end,basis,profile,callTotal,callavg,callconnect,ABNcalls,waittimeavg,acwavg,"
      "complntrate,satisrate";
  if (!report.rows.empty())
    for (const auto& [id, ok] : report.rows[0].pass) out += ",pass_" + std::string(FieldName(id));
  out += "\r\n";
  for (const auto& r : report.rows) {
    const auto& i = r.indicators;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", r.org, r.level,
                       PeriodName(r.period.kind), FormatDate(r.period.start), FormatDate(r.period.end),
                       report.basis, report.profile, i.call_total, i.callavg.ToString(),
                       i.callconnect.ToString(), i.abncalls.ToString(), i.waittimeavg.ToString(),
                       i.acwavg.ToString(), i.complntrate.ToString(), i.satisrate.ToString());
    for (const auto& [id, ok] : r.pass) out += ok ? (*ok ? ",pass" : ",fail") : ",";
    out += "\r\n";
  }
  return out;
}

std::string ToOracleSql(const Report& report) {
  // R-KPI-10: callTotal NUMBER(10); the others NUMBER(10,2); durations in minutes, rates in percent.
  std::string out =
      "-- 12329 住房公积金热线 统计监管指标（数据标准）\n"
      "CREATE TABLE HOTLINE_KPI (\n"
      "  ORGCODE VARCHAR2(32) NOT NULL,\n"
      "  ORGLEVEL VARCHAR2(16) NOT NULL,\n"
      "  PERIODTYPE VARCHAR2(8) NOT NULL,\n"
      "  STARTDATE DATE NOT NULL,\n"
      "  ENDDATE DATE NOT NULL,\n"
      "  BASIS VARCHAR2(8) NOT NULL,\n"
      "  callTotal NUMBER(10),\n"
      "  callavg NUMBER(10,2),\n"
      "  callconnect NUMBER(10,2),\n"
      "  ABNcalls NUMBER(10,2),\n"
      "  waittimeavg NUMBER(10,2),\n"
      "  acwavg NUMBER(10,2),\n"
      "  complntrate NUMBER(10,2),\n"
      "  satisrate NUMBER(10,2),\n"
      "  CONSTRAINT HOTLINE_KPI_PK PRIMARY KEY (ORGCODE, PERIODTYPE, STARTDATE, BASIS)\n"
      ");\n";
  auto num = [](const Decimal2& d) { return d.is_null() ? std::string("NULL") : d.ToString(); };
  for (const auto& r : report.rows) {
    const auto& i = r.indicators;
    out += fmt::format(
        "INSERT INTO HOTLINE_KPI VALUES ('{}', '{}', '{}', DATE '{}', DATE '{}', '{}', {}, {}, {}, {}, {}, "
        "{}, {}, {});\n",
        r.org, r.level, PeriodName(r.period.kind), FormatDate(r.period.start), FormatDate(r.period.end),
        report.basis, i.call_total, num(i.callavg), num(i.callconnect), num(i.abncalls), num(i.waittimeavg),
        num(i.acwavg), num(i.complntrate), num(i.satisrate));
  }
  return out;
}

}  // namespace hotline::kpi
