// /api/v1/kpi: the eight indicators (R-KPI) for any org in the caller's scope (R-ORG-1: a centre cannot
// read its province; outside the scope is 404) and the threshold profiles.
#include "api/api.hpp"
#include "kpi/call_log.hpp"
#include "kpi/profiles.hpp"
#include "kpi/report.hpp"
#include "kpi/xlsx_export.hpp"
#include "web/json_body.hpp"

namespace hotline::api {
namespace {

web::Response Report(ApiContext& api, web::Request& req) {
  auto p = Require(api, req, org::Permission::kKpiRead);
  if (!p.ok()) return web::ErrorResponse(p.error());
  auto target = RequestedOrg(api, *p, req);
  if (!target.ok()) return web::ErrorResponse(target.error());
  kpi::ReportRequest r;
  r.org_code = target->code;
  auto bad = [](const std::string& what) {
    return web::ErrorResponse(Error::InvalidArgument("invalid_field", what));
  };
  auto period = kpi::ParsePeriod(req.QueryParam("period").value_or("day"));
  if (!period) return bad("参数 period 须为 day、week、month、quarter、year 或 range");
  r.period = *period;
  auto date = req.QueryParam("date");
  if (!date || !ParseDate(*date, &r.date)) return bad("参数 date 须为 YYYY-MM-DD 格式的日期");
  if (auto to = req.QueryParam("to"); to && !to->empty()) {
    Date d;
    if (!ParseDate(*to, &d)) return bad("参数 to 须为 YYYY-MM-DD 格式的日期");
    r.to = d;
  }
  auto basis = kpi::ParseBasis(req.QueryParam("basis").value_or(api.options.kpi_basis));
  if (!basis) return bad("参数 basis 须为 manual 或 all");
  r.options = {.basis = *basis, .satisfied_includes_basic = api.options.kpi_satisfied_includes_basic};
  r.profile = req.QueryParam("profile").value_or("");  // empty: the profile the org chose
  r.profiles = &api.s.profiles;
  std::string by = req.QueryParam("by").value_or("");
  if (by == "center")
    r.by = kpi::Breakdown::kCenter;
  else if (by == "province")
    r.by = kpi::Breakdown::kProvince;
  else if (!by.empty())
    return bad("参数 by 须为 center 或 province");
  auto report = kpi::BuildReport(r, api.s.orgs, api.s.kpi);
  if (!report.ok()) return web::ErrorResponse(report.error());
  std::string format = req.QueryParam("format").value_or("json");
  if (format == "csv") {
    web::Response res;
    res.content_type = "text/csv; charset=utf-8";
    res.body = "\xEF\xBB\xBF" + kpi::ToCsv(*report);  // BOM: Excel opens UTF-8 Chinese correctly
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"kpi.csv\"");
    return res;
  }
  if (format == "xlsx") {
    auto bytes = kpi::XlsxBytes(*report);
    if (!bytes.ok()) return web::ErrorResponse(bytes.error());
    web::Response res;
    res.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res.body = std::move(bytes).value();
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"kpi.xlsx\"");
    return res;
  }
  if (format != "json") return bad("参数 format 须为 json、csv 或 xlsx");
  return web::Response::Json(
      200, {{"basis", report->basis}, {"profile", report->profile}, {"rows", kpi::ToJson(*report)}});
}

web::Response Series(ApiContext& api, web::Request& req) {
  auto p = Require(api, req, org::Permission::kKpiRead);
  if (!p.ok()) return web::ErrorResponse(p.error());
  auto target = RequestedOrg(api, *p, req);
  if (!target.ok()) return web::ErrorResponse(target.error());
  const std::string& code = target->code;
  auto bad = [](const std::string& what) {
    return web::ErrorResponse(Error::InvalidArgument("invalid_field", what));
  };
  auto granularity = kpi::ParsePeriod(req.QueryParam("granularity").value_or("day"));
  if (!granularity) return bad("参数 granularity 须为 day、week 或 month");
  Date from, to;
  if (!ParseDate(req.QueryParam("from").value_or(""), &from) ||
      !ParseDate(req.QueryParam("to").value_or(""), &to))
    return bad("参数 from 和 to 须为 YYYY-MM-DD 格式的日期");
  auto basis = kpi::ParseBasis(req.QueryParam("basis").value_or(api.options.kpi_basis));
  if (!basis) return bad("参数 basis 须为 manual 或 all");
  auto series = kpi::BuildSeries(
      code, *granularity, from, to,
      {.basis = *basis, .satisfied_includes_basic = api.options.kpi_satisfied_includes_basic},
      req.QueryParam("profile").value_or(""), api.s.orgs, api.s.kpi, &api.s.profiles);
  if (!series.ok()) return web::ErrorResponse(series.error());
  return web::Response::Json(
      200, {{"basis", series->basis}, {"profile", series->profile}, {"rows", kpi::ToJson(*series)}});
}

web::Response Calls(ApiContext& api, web::Request& req) {
  auto p = Require(api, req, org::Permission::kKpiRead);
  if (!p.ok()) return web::ErrorResponse(p.error());
  auto target = RequestedOrg(api, *p, req);
  if (!target.ok()) return web::ErrorResponse(target.error());
  if (target->level != org::OrgLevel::kCenter)
    return web::ErrorResponse(
        Error::InvalidArgument("invalid_field", "通话明细按中心查询：参数 org 须为中心代码"));
  Date day;
  if (!ParseDate(req.QueryParam("date").value_or(""), &day))
    return web::ErrorResponse(
        Error::InvalidArgument("invalid_field", "参数 date 须为 YYYY-MM-DD 格式的日期"));
  int offset = std::atoi(req.QueryParam("offset").value_or("0").c_str());
  int limit = std::atoi(req.QueryParam("limit").value_or("100").c_str());
  if (offset < 0 || limit < 1 || limit > 1000)
    return web::ErrorResponse(Error::InvalidArgument("invalid_field", "参数 offset ≥ 0，limit 须为 1–1000"));
  std::optional<kpi::Outcome> outcome;
  if (auto o = req.QueryParam("outcome"); o && !o->empty()) {
    outcome = kpi::ParseOutcome(*o);
    if (!outcome)
      return web::ErrorResponse(Error::InvalidArgument(
          "invalid_field", "参数 outcome 须为 ivr、answered、abandoned、overflow 或 failed"));
  }
  kpi::CallLog log(api.s.db);
  auto page = log.ListDay(target->id, day, outcome, offset, limit);
  if (!page.ok()) return web::ErrorResponse(page.error());
  const auto* calls = &page->calls;
  nlohmann::json items = nlohmann::json::array();
  auto ms = [](const std::optional<int64_t>& v) {
    return v ? nlohmann::json(*v / 1000.0) : nlohmann::json(nullptr);
  };
  for (const auto& c : *calls)
    items.push_back({{"call_id", c.call_id},
                     {"caller", c.caller_masked},
                     {"arrived_at", FormatUtc(c.arrived_at)},
                     {"outcome", kpi::OutcomeName(c.outcome)},
                     {"wait_s", ms(c.wait_ms)},
                     {"talk_s", ms(c.talk_ms)},
                     {"acw_s", ms(c.acw_ms)},
                     {"agent", c.agent},
                     {"survey", kpi::SurveyName(c.survey)},
                     {"complaint", c.complaint}});
  return web::Response::Json(
      200, {{"items", items},
            {"total", page->total},
            {"next_offset", offset + static_cast<int64_t>(calls->size()) < page->total
                                ? nlohmann::json(offset + static_cast<int64_t>(calls->size()))
                                : nlohmann::json(nullptr)}});
}

web::Response Profiles(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return web::ErrorResponse(p.error());
  auto target = RequestedOrg(api, *p, req);
  if (!target.ok()) return web::ErrorResponse(target.error());
  auto usable = api.s.profiles.Usable(*target);
  if (!usable.ok()) return web::ErrorResponse(usable.error());
  auto chosen = api.s.profiles.ChosenFor(*target);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& profile : *usable) items.push_back(kpi::ProfileToJson(profile));
  return web::Response::Json(
      200, {{"items", items}, {"default", chosen.ok() ? chosen->name : api.options.kpi_profile}});
}

// PUT /api/v1/kpi/profiles/{name}: an admin defines (or replaces) a profile owned by their organisation.
web::Response DefineProfile(ApiContext& api, web::Request& req) {
  auto p = Require(api, req, org::Permission::kOrgWrite);
  if (!p.ok()) return web::ErrorResponse(p.error());
  auto target = RequestedOrg(api, *p, req);
  if (!target.ok()) return web::ErrorResponse(target.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return web::ErrorResponse(body.error());
  (*body)["name"] = std::string(req.PathParam("name"));
  auto profile = kpi::ProfileFromJson(*body);
  if (!profile.ok()) return web::ErrorResponse(profile.error());
  if (auto st = api.s.profiles.Define(*target, *profile); !st.ok()) return web::ErrorResponse(st.error());
  org::AuditEntry e{.org_path = target->path,
                    .org_code = target->code,
                    .action = "kpi.profile.define",
                    .target_type = "kpi_profile",
                    .target_id = profile->name};
  e.detail = kpi::ProfileToJson(*profile);
  api.Audit(req, &*p, std::move(e));
  return web::Response::Json(200, kpi::ProfileToJson(*profile));
}

// PUT /api/v1/kpi/settings {"profile"}: the profile an organisation's reports are judged by.
web::Response ChooseProfile(ApiContext& api, web::Request& req) {
  auto p = Require(api, req, org::Permission::kOrgWrite);
  if (!p.ok()) return web::ErrorResponse(p.error());
  auto target = RequestedOrg(api, *p, req);
  if (!target.ok()) return web::ErrorResponse(target.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return web::ErrorResponse(body.error());
  auto name = web::RequiredString(*body, "profile", 32);
  if (!name.ok()) return web::ErrorResponse(name.error());
  if (auto st = api.s.profiles.Choose(*target, *name); !st.ok()) return web::ErrorResponse(st.error());
  api.Audit(req, &*p,
            {.org_path = target->path,
             .org_code = target->code,
             .action = "kpi.profile.choose",
             .target_type = "org",
             .target_id = target->code,
             .detail = {{"profile", *name}}});
  return web::Response::Json(200, {{"org", target->code}, {"profile", *name}});
}

// GET /api/v1/kpi/attendance?org&from&to: 出勤率 and 准时率 (R-KPI-9), in total and per agent.
web::Response AttendanceReport(ApiContext& api, web::Request& req) {
  auto p = Require(api, req, org::Permission::kKpiRead);
  if (!p.ok()) return web::ErrorResponse(p.error());
  auto target = RequestedOrg(api, *p, req);
  if (!target.ok()) return web::ErrorResponse(target.error());
  auto dates = RequestedDates(req);
  if (!dates.ok()) return web::ErrorResponse(dates.error());
  auto [from, to] = *dates;
  auto rows = api.s.attendance.Compute(*target, from, to);
  if (!rows.ok()) return web::ErrorResponse(rows.error());
  nlohmann::json items = nlohmann::json::array();
  auto pct = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  for (const auto& r : *rows)
    items.push_back({{"username", r.username.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.username)},
                     {"scheduled", r.scheduled},
                     {"attended", r.attended},
                     {"punctual", r.punctual},
                     {"attendance_rate", pct(r.attendance_rate)},
                     {"punctuality_rate", pct(r.punctuality_rate)}});
  return web::Response::Json(
      200, {{"org", target->code}, {"from", FormatDate(from)}, {"to", FormatDate(to)}, {"items", items}});
}

// POST /api/v1/kpi/schedules (text/csv `center,username,date,start,end`): an admin or team leader
// (kpi.schedule.write) loads shifts for centres inside their subtree — the service checks every line's
// centre (kpi::Attendance::ImportSchedule); a line naming another centre fails the whole file (400).
web::Response ImportSchedules(ApiContext& api, web::Request& req) {
  auto actor = RequireActor(api, req, org::Permission::kKpiScheduleWrite);
  if (!actor.ok()) return web::ErrorResponse(actor.error());
  auto result = api.s.attendance.ImportSchedule(*actor, req.body, "schedule.csv");
  if (!result.ok()) return web::ErrorResponse(result.error());
  if (!result->errors.empty())
    return web::Response::Json(400, {{"error",
                                      {{"code", "invalid_csv"},
                                       {"message", "排班表有错误，未导入：请改正后重新上传"},
                                       {"lines", result->errors}}}});
  api.Audit(*actor, {.action = "kpi.schedule.import",
                     .target_type = "agent_shifts",
                     .target_id = "",
                     .detail = {{"shifts", result->shifts}}});
  return web::Response::Json(200, {{"shifts", result->shifts}});
}

}  // namespace

void AddKpiRoutes(web::Router& router, ApiContext& api) {
  router.Add("GET", "/api/v1/kpi/report", "kpi.report", [&api](web::Request& r) { return Report(api, r); });
  router.Add("GET", "/api/v1/kpi/profiles", "kpi.profiles",
             [&api](web::Request& r) { return Profiles(api, r); });
  router.Add("PUT", "/api/v1/kpi/profiles/{name}", "kpi.profiles.define",
             [&api](web::Request& r) { return DefineProfile(api, r); });
  router.Add("PUT", "/api/v1/kpi/settings", "kpi.settings",
             [&api](web::Request& r) { return ChooseProfile(api, r); });
  router.Add("GET", "/api/v1/kpi/attendance", "kpi.attendance",
             [&api](web::Request& r) { return AttendanceReport(api, r); });
  router.Add("POST", "/api/v1/kpi/schedules", "kpi.schedules",
             [&api](web::Request& r) { return ImportSchedules(api, r); });
  router.Add("GET", "/api/v1/kpi/series", "kpi.series", [&api](web::Request& r) { return Series(api, r); });
  router.Add("GET", "/api/v1/kpi/calls", "kpi.calls", [&api](web::Request& r) { return Calls(api, r); });
}

}  // namespace hotline::api
