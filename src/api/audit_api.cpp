// GET /api/v1/audit: the audit log within the caller's scope, newest first, paged by id.
#include <charconv>

#include "api/api.hpp"

namespace hotline::api {
namespace {

std::optional<int64_t> ParseInt(const std::optional<std::string>& s) {
  if (!s || s->empty()) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc{} || p != s->data() + s->size()) return std::nullopt;
  return v;
}

web::Response ListAudit(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return web::ErrorResponse(p.error());
  if (!p->Has(org::Permission::kAuditRead)) return web::ErrorResponse(Forbidden());
  org::AuditQuery q{.within_path = ScopePath(*p)};
  if (auto code = req.QueryParam("org"); code && !code->empty()) {
    auto o = org::FindOrgInScope(api.s.orgs, ActorOf(*p, req), *code);
    if (!o.ok()) return web::ErrorResponse(o.error());
    q.within_path = o->path;
  }
  if (auto a = req.QueryParam("action"); a && !a->empty()) q.action = *a;
  if (auto a = req.QueryParam("actor"); a && !a->empty()) q.actor = *a;
  auto limit_text = req.QueryParam("limit");
  auto limit = ParseInt(limit_text);
  if (limit_text && !limit_text->empty() && (!limit || *limit < 1 || *limit > 500))
    return web::ErrorResponse(Error::InvalidArgument("invalid_field", "参数 limit 须为 1–500 的整数"));
  q.limit = static_cast<int>(limit.value_or(100));
  auto before_text = req.QueryParam("before_id");
  q.before_id = ParseInt(before_text);
  if (before_text && !before_text->empty() && !q.before_id)
    return web::ErrorResponse(Error::InvalidArgument("invalid_field", "参数 before_id 须为整数"));
  auto entries = api.s.audit.Query(q);
  if (!entries.ok()) return web::ErrorResponse(entries.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& e : *entries) items.push_back(org::ToJson(e));
  nlohmann::json next = static_cast<int>(entries->size()) == q.limit ? nlohmann::json(entries->back().id)
                                                                     : nlohmann::json(nullptr);
  return web::Response::Json(200, {{"items", items}, {"next_before_id", next}});
}

}  // namespace

void AddAuditRoutes(web::Router& router, ApiContext& api) {
  router.Add("GET", "/api/v1/audit", "audit.list", [&api](web::Request& r) { return ListAudit(api, r); });
}

}  // namespace hotline::api
