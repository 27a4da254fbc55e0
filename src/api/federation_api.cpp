// Federation upward (R-ORG-3): POST /api/v1/federation/daily receives a lower level's daily sums
// (authenticated by a federation token, not a user session); GET /api/v1/federation/status shows which
// centres have reported which days.
#include "api/api.hpp"
#include "kpi/federation.hpp"
#include "web/json_body.hpp"

namespace hotline::api {
namespace {

web::Response ReceiveDaily(ApiContext& api, kpi::FederationStore& fed, web::Request& req) {
  std::string_view auth = req.Header("authorization");
  std::string token = auth.size() > 7 && auth.substr(0, 7) == "Bearer " ? std::string(auth.substr(7)) : "";
  auto sender = fed.Authenticate(token);
  if (!sender.ok()) return web::ErrorResponse(sender.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return web::ErrorResponse(body.error());
  auto rows_json = body->find("rows");
  if (rows_json == body->end() || !rows_json->is_array() || rows_json->size() > 10000)
    return web::ErrorResponse(
        Error::InvalidArgument("invalid_field", "字段 rows 须为数组（每次最多 10000 行）"));
  std::vector<kpi::DailyRow> rows;
  rows.reserve(rows_json->size());
  for (const auto& j : *rows_json) {
    auto row = kpi::DailyRowFromJson(j);
    if (!row.ok()) return web::ErrorResponse(row.error());
    rows.push_back(std::move(row).value());
  }
  auto stored = fed.Receive(*sender, rows);
  if (!stored.ok()) return web::ErrorResponse(stored.error());
  org::AuditEntry e{.actor = "federation:" + sender->code,
                    .org_path = sender->path,
                    .org_code = sender->code,
                    .action = "federation.receive",
                    .target_type = "kpi_daily",
                    .target_id = sender->code};
  e.detail = {{"rows", *stored}};
  api.Audit(req, nullptr, std::move(e));
  return web::Response::Json(200, {{"stored", *stored}});
}

web::Response ReportingStatus(ApiContext& api, kpi::FederationStore& fed, web::Request& req) {
  auto p = Require(api, req, org::Permission::kKpiRead);
  if (!p.ok()) return web::ErrorResponse(p.error());
  auto target = RequestedOrg(api, *p, req);
  if (!target.ok()) return web::ErrorResponse(target.error());
  auto dates = RequestedDates(req);
  if (!dates.ok()) return web::ErrorResponse(dates.error());
  auto [from, to] = *dates;
  auto status = fed.Reporting(*target, from, to);
  if (!status.ok()) return web::ErrorResponse(status.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : *status)
    items.push_back({{"center", s.center},
                     {"center_name", s.center_name},
                     {"days_reported", s.days_reported},
                     {"missing", s.missing},
                     {"last_received_at", s.last_received_at ? nlohmann::json(FormatUtc(*s.last_received_at))
                                                             : nlohmann::json(nullptr)}});
  return web::Response::Json(200, {{"from", FormatDate(from)}, {"to", FormatDate(to)}, {"items", items}});
}

}  // namespace

void AddFederationRoutes(web::Router& router, ApiContext& api, kpi::FederationStore& fed) {
  router.Add("POST", "/api/v1/federation/daily", "federation.daily",
             [&api, &fed](web::Request& r) { return ReceiveDaily(api, fed, r); });
  router.Add("GET", "/api/v1/federation/status", "federation.status",
             [&api, &fed](web::Request& r) { return ReportingStatus(api, fed, r); });
}

}  // namespace hotline::api
