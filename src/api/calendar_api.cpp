// /api/v1/calendar: the working calendar (R-WO-4) and a centre's manual-service hours (R-IVR-3) for the
// console's calendar editor (docs/API.md "Working calendar").
//
// Who edits what (the rule is in CalendarTarget below; the permissions are org's):
//  * the national calendar (public holidays, make-up working days, loaded years) is the State Council's:
//    calendar.national (admins of the ministry) — a centre cannot move a national holiday;
//  * a centre's local closures and service hours belong to that centre: calendar.write (admins) at the
//    centre, and above it (province, ministry) with ?org=CODE, inside their scope (org::FindOrgInScope,
//    R-ORG-1: a centre outside the scope answers 404 as if it did not exist).
// Everyone signed in may read. Every change is audit-logged (calendar.day.set, calendar.day.remove,
// calendar.year.set, calendar.hours.set).
#include <algorithm>
#include <charconv>

#include "api/api.hpp"
#include "calendar/calendar_store.hpp"
#include "core/time_zone.hpp"
#include "web/json_body.hpp"

namespace hotline::api {
namespace {

using web::ErrorResponse;

Error BadQuery(std::string_view field, std::string_view what) {
  return Error::InvalidArgument("invalid_field", "参数 " + std::string(field) + " " + std::string(what));
}

Result<int> IntParam(const web::Request& req, std::string_view name) {
  auto text = req.QueryParam(name);
  if (!text || text->empty()) return BadQuery(name, "是必填项");
  int v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc{} || p != text->data() + text->size()) return BadQuery(name, "须为整数");
  return v;
}

Result<Date> DateText(std::string_view text, std::string_view field) {
  Date d;
  if (!ParseDate(text, &d)) return BadQuery(field, "须为 YYYY-MM-DD 格式的日期，例如 2026-02-13");
  return d;
}

TimeZone ZoneOf(const org::Org& o) {
  auto zone = TimeZone::Find(o.time_zone);
  return zone.ok() ? *zone : TimeZone::Shanghai();
}

// The centre a request is about: ?org=CODE (a centre inside the caller's scope), else the caller's own
// organisation when it is a centre, else none (the national calendar only).
Result<std::optional<org::Org>> CentreOf(ApiContext& api, const org::Principal& p, const web::Request& req) {
  if (auto code = req.QueryParam("org"); code && !code->empty()) {
    HOTLINE_ASSIGN_OR_RETURN(org::Org o, org::FindOrgInScope(api.s.orgs, ActorOf(p, req), *code));
    if (o.level != org::OrgLevel::kCenter)
      return BadQuery("org", "须为中心（center）：本地日历和服务时间属于中心");
    return std::optional<org::Org>(std::move(o));
  }
  if (p.org.level == org::OrgLevel::kCenter) return std::optional<org::Org>(p.org);
  return std::optional<org::Org>();
}

Result<org::Org> RequiredCentre(ApiContext& api, const org::Principal& p, const web::Request& req) {
  HOTLINE_ASSIGN_OR_RETURN(auto centre, CentreOf(api, p, req));
  if (!centre) return BadQuery("org", "是必填项：您不属于某个中心，请用 ?org=CODE 指定中心");
  return *centre;
}

// Where an edit of one day goes: a centre's closures, or (ministry admins only) the national calendar.
Result<std::optional<org::Org>> CalendarTarget(ApiContext& api, const org::Principal& p,
                                               const web::Request& req) {
  if (!p.Has(org::Permission::kCalendarWrite)) return Forbidden();
  HOTLINE_ASSIGN_OR_RETURN(auto centre, CentreOf(api, p, req));
  if (centre) return centre;
  if (!p.Has(org::Permission::kCalendarNational))
    return BadQuery("org", "是必填项：全国日历只由部级管理员维护，省级管理员请用 ?org=CODE 指定中心");
  return centre;
}

std::string WarningFor(const std::vector<int>& years) {
  std::string list;
  for (int y : years) list += (list.empty() ? "" : "、") + std::to_string(y);
  return list +
         " 年的官方节假日安排尚未导入：按周一至周五计算，结果为临时结果（provisional），"
         "请管理员导入国务院通知（hotline calendar import）";
}

nlohmann::json DayJson(const calendar::CalendarDay& d, const std::optional<org::Org>& centre) {
  return {{"date", FormatDate(d.date)},
          {"kind", centre ? "closed" : calendar::DayKindName(d.kind)},
          {"name", d.name},
          {"scope", centre ? "local" : "national"},
          {"org", centre ? nlohmann::json(centre->code) : nlohmann::json(nullptr)}};
}

web::Response GetYear(ApiContext& api, calendar::CalendarStore& cal, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  auto centre = CentreOf(api, *p, req);
  if (!centre.ok()) return ErrorResponse(centre.error());
  int year = 0;
  if (req.QueryParam("year")) {
    auto y = IntParam(req, "year");
    if (!y.ok()) return ErrorResponse(y.error());
    year = *y;
  } else {
    year = calendar::YearOf(ZoneOf(*centre ? **centre : p->org).LocalDay(api.s.clock.Now()));
  }
  auto listing = cal.ListYear(year, *centre ? std::optional<int64_t>((*centre)->id) : std::nullopt);
  if (!listing.ok()) return ErrorResponse(listing.error());
  auto loaded_years = cal.LoadedYears();
  if (!loaded_years.ok()) return ErrorResponse(loaded_years.error());
  nlohmann::json days = nlohmann::json::array();
  for (const auto& d : listing->national) days.push_back(DayJson(d, std::nullopt));
  for (const auto& d : listing->closures) days.push_back(DayJson(d, *centre));
  std::stable_sort(days.begin(), days.end(),
                   [](const nlohmann::json& a, const nlohmann::json& b) { return a["date"] < b["date"]; });
  nlohmann::json out = {{"year", year},
                        {"loaded", listing->loaded},
                        {"loaded_years", *loaded_years},
                        {"org", *centre ? nlohmann::json((*centre)->code) : nlohmann::json(nullptr)},
                        {"days", days}};
  if (!listing->loaded) out["warning"] = WarningFor({year});
  return web::Response::Json(200, out);
}

web::Response SetDay(ApiContext& api, calendar::CalendarStore& cal, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  auto target = CalendarTarget(api, *p, req);
  if (!target.ok()) return ErrorResponse(target.error());
  auto date = DateText(req.PathParam("date"), "date");
  if (!date.ok()) return ErrorResponse(date.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto name = web::RequiredString(*body, "name", 50);
  if (!name.ok()) return ErrorResponse(name.error());
  // A centre's day is always a closure: there "kind" may be omitted, or say "closed" or "holiday".
  auto kind_text = web::OptionalString(*body, "kind", 16);
  if (!kind_text.ok()) return ErrorResponse(kind_text.error());
  if (!*kind_text && !*target)
    return ErrorResponse(
        Error::InvalidArgument("invalid_field", "字段 kind 是必填项：holiday（放假）或 workday（调休上班）"));
  std::string kind_name = kind_text->value_or("holiday");
  if (*target && kind_name == "closed") kind_name = "holiday";
  auto kind = calendar::ParseDayKind(kind_name);
  if (!kind)
    return ErrorResponse(
        Error::InvalidArgument("invalid_field", "字段 kind 须为 holiday（放假）或 workday（调休上班）"));
  calendar::CalendarDay day{.date = *date, .kind = *kind, .name = *name};
  const std::optional<org::Org>& centre = *target;
  if (auto st = cal.SetDay(centre ? std::optional<int64_t>(centre->id) : std::nullopt, day); !st.ok())
    return ErrorResponse(st.error());
  org::AuditEntry e{
      .action = "calendar.day.set", .target_type = "calendar_day", .target_id = FormatDate(day.date)};
  if (centre) e.org_path = centre->path, e.org_code = centre->code;
  e.detail = {{"scope", centre ? "local" : "national"},
              {"kind", calendar::DayKindName(day.kind)},
              {"name", day.name}};
  api.Audit(req, &*p, std::move(e));
  return web::Response::Json(200, DayJson(day, centre));
}

web::Response RemoveDay(ApiContext& api, calendar::CalendarStore& cal, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  auto target = CalendarTarget(api, *p, req);
  if (!target.ok()) return ErrorResponse(target.error());
  auto date = DateText(req.PathParam("date"), "date");
  if (!date.ok()) return ErrorResponse(date.error());
  const std::optional<org::Org>& centre = *target;
  if (auto st = cal.RemoveDay(centre ? std::optional<int64_t>(centre->id) : std::nullopt, *date); !st.ok())
    return ErrorResponse(st.error());
  org::AuditEntry e{
      .action = "calendar.day.remove", .target_type = "calendar_day", .target_id = FormatDate(*date)};
  if (centre) e.org_path = centre->path, e.org_code = centre->code;
  e.detail = {{"scope", centre ? "local" : "national"}};
  api.Audit(req, &*p, std::move(e));
  return web::Response::NoContent();
}

// PUT /api/v1/calendar/years/{year} {"loaded":true,"source":"…"}: a ministry admin declares a year's
// official schedule complete after entering it day by day (an import does this by itself).
web::Response SetYear(ApiContext& api, calendar::CalendarStore& cal, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  if (!p->Has(org::Permission::kCalendarNational)) return ErrorResponse(Forbidden());
  int year = 0;
  std::string_view text = req.PathParam("year");
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc{} || end != text.data() + text.size())
    return ErrorResponse(BadQuery("year", "须为年份，例如 2027"));
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto loaded = web::OptionalBool(*body, "loaded");
  if (!loaded.ok()) return ErrorResponse(loaded.error());
  if (!*loaded)
    return ErrorResponse(Error::InvalidArgument("invalid_field", "字段 loaded 是必填项（true 或 false）"));
  auto source = web::OptionalString(*body, "source", 200);
  if (!source.ok()) return ErrorResponse(source.error());
  std::string from = source->value_or("console");
  if (auto st = cal.SetYearLoaded(year, **loaded, from); !st.ok()) return ErrorResponse(st.error());
  org::AuditEntry e{
      .action = "calendar.year.set", .target_type = "calendar_year", .target_id = std::to_string(year)};
  e.detail = {{"loaded", **loaded}, {"source", from}};
  api.Audit(req, &*p, std::move(e));
  return web::Response::Json(200, {{"year", year}, {"loaded", **loaded}});
}

web::Response Workdays(ApiContext& api, calendar::CalendarStore& cal, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  auto centre = CentreOf(api, *p, req);
  if (!centre.ok()) return ErrorResponse(centre.error());
  auto from_text = req.QueryParam("from");
  if (!from_text) return ErrorResponse(BadQuery("from", "是必填项，例如 2026-02-13"));
  auto from = DateText(*from_text, "from");
  if (!from.ok()) return ErrorResponse(from.error());
  auto n = IntParam(req, "n");
  if (!n.ok()) return ErrorResponse(n.error());
  if (auto st = calendar::CheckWorkdayCount(*n); !st.ok()) return ErrorResponse(st.error());
  auto working = cal.Load(*centre ? std::optional<int64_t>((*centre)->id) : std::nullopt);
  if (!working.ok()) return ErrorResponse(working.error());
  auto result = working->AddWorkdays(*from, *n);
  nlohmann::json out = {{"from", FormatDate(*from)},
                        {"n", *n},
                        {"date", FormatDate(result.date)},
                        {"provisional", result.provisional()},
                        {"unloaded_years", result.unloaded_years},
                        {"org", *centre ? nlohmann::json((*centre)->code) : nlohmann::json(nullptr)}};
  if (result.provisional()) out["warning"] = WarningFor(result.unloaded_years);
  return web::Response::Json(200, out);
}

// `hours` is the centre's stored configuration (just read, or just written): open_now and next_opening are
// what a caller would hear now (R-IVR-3), asked of the same ServiceHoursCache the IVR asks, which every
// calendar write through this process refreshes before the next question.
nlohmann::json HoursJson(ApiContext& api, const org::Org& centre, const calendar::ServiceHours& hours,
                         bool is_default) {
  nlohmann::json out = calendar::ToJson(hours.config());
  out["org"] = centre.code;
  out["default"] = is_default;
  if (auto now = api.s.service_hours.Ask(centre.id, ZoneOf(centre)); now.ok()) {
    out["open_now"] = now->open;
    out["next_opening"] =
        now->next_opening ? nlohmann::json(FormatUtc(*now->next_opening)) : nlohmann::json(nullptr);
  }
  return out;
}

web::Response GetHours(ApiContext& api, calendar::CalendarStore& cal, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  auto centre = RequiredCentre(api, *p, req);
  if (!centre.ok()) return ErrorResponse(centre.error());
  auto hours = cal.GetServiceHours(centre->id);
  if (!hours.ok()) return ErrorResponse(hours.error());
  auto has = cal.HasServiceHours(centre->id);
  if (!has.ok()) return ErrorResponse(has.error());
  return web::Response::Json(200, HoursJson(api, *centre, *hours, !*has));
}

web::Response SetHours(ApiContext& api, calendar::CalendarStore& cal, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  if (!p->Has(org::Permission::kCalendarWrite)) return ErrorResponse(Forbidden());
  auto centre = RequiredCentre(api, *p, req);
  if (!centre.ok()) return ErrorResponse(centre.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  auto config = calendar::ServiceHoursFromJson(*body);
  if (!config.ok()) return ErrorResponse(config.error());
  if (auto st = cal.SetServiceHours(centre->id, *config); !st.ok()) return ErrorResponse(st.error());
  org::AuditEntry e{.org_path = centre->path,
                    .org_code = centre->code,
                    .action = "calendar.hours.set",
                    .target_type = "service_hours",
                    .target_id = centre->code};
  e.detail = calendar::ToJson(*config);
  api.Audit(req, &*p, std::move(e));
  return web::Response::Json(200, HoursJson(api, *centre, *calendar::ServiceHours::Create(*config), false));
}

}  // namespace

void AddCalendarRoutes(web::Router& router, ApiContext& api, calendar::CalendarStore& cal) {
  router.Add("GET", "/api/v1/calendar", "calendar.get",
             [&api, &cal](web::Request& r) { return GetYear(api, cal, r); });
  router.Add("PUT", "/api/v1/calendar/days/{date}", "calendar.day.set",
             [&api, &cal](web::Request& r) { return SetDay(api, cal, r); });
  router.Add("DELETE", "/api/v1/calendar/days/{date}", "calendar.day.remove",
             [&api, &cal](web::Request& r) { return RemoveDay(api, cal, r); });
  router.Add("PUT", "/api/v1/calendar/years/{year}", "calendar.year.set",
             [&api, &cal](web::Request& r) { return SetYear(api, cal, r); });
  router.Add("GET", "/api/v1/calendar/workdays", "calendar.workdays",
             [&api, &cal](web::Request& r) { return Workdays(api, cal, r); });
  router.Add("GET", "/api/v1/calendar/service-hours", "calendar.hours.get",
             [&api, &cal](web::Request& r) { return GetHours(api, cal, r); });
  router.Add("PUT", "/api/v1/calendar/service-hours", "calendar.hours.set",
             [&api, &cal](web::Request& r) { return SetHours(api, cal, r); });
}

}  // namespace hotline::api
