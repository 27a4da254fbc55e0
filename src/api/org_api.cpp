// /api/v1/orgs and /api/v1/users: the organisation tree and its people, always inside the caller's
// scope (R-ORG-1): outside it a record answers 404 as if it did not exist.
#include "api/api.hpp"
#include "web/json_body.hpp"

namespace hotline::api {
namespace {

using web::ErrorResponse;

// The org if it exists and the principal may see it; not_found otherwise (same answer for both:
// org::FindOrgInScope).
Result<org::Org> VisibleOrg(ApiContext& api, const org::Principal& p, std::string_view code) {
  return org::FindOrgInScope(api.s.orgs, org::Actor::ForUser(p), code);
}

// The user if they exist and are visible; the principal always sees themself.
Result<org::User> VisibleUser(ApiContext& api, const org::Principal& p, std::string_view id_text) {
  HOTLINE_ASSIGN_OR_RETURN(int64_t id, ParseId(id_text));
  auto u = api.s.users.FindById(id);
  if (!u.ok()) return Error::NotFound("没有找到该用户");
  if (u->id == p.user.id) return u;
  auto o = api.s.orgs.FindById(u->org_id);
  if (!o.ok() || !p.CanSee(*o)) return Error::NotFound("没有找到该用户");
  return u;
}

web::Response ListOrgs(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  auto orgs = api.s.orgs.ListWithin(p->org);
  if (!orgs.ok()) return ErrorResponse(orgs.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& o : *orgs) items.push_back(ToJson(o));
  return web::Response::Json(200, {{"items", items}});
}

web::Response GetOrg(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  auto o = VisibleOrg(api, *p, req.PathParam("code"));
  if (!o.ok()) return ErrorResponse(o.error());
  return web::Response::Json(200, ToJson(*o));
}

web::Response CreateOrg(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  if (!p->Has(org::Permission::kOrgWrite)) return ErrorResponse(Forbidden());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  web::JsonFields f(*body);
  std::string code = f.Required("code", 32);
  std::string name = f.Required("name", 100);
  std::string level_text = f.Required("level", 16);
  std::string parent = f.Required("parent", 32);
  std::optional<std::string> zone = f.Optional("time_zone", 64);
  if (!f.ok()) return ErrorResponse(f.error());
  auto level = org::ParseOrgLevel(level_text);
  if (!level || *level == org::OrgLevel::kMinistry)
    return ErrorResponse(Error::InvalidArgument(
        "invalid_field", "字段 level 须为 province 或 center（部级机构只能用命令行创建）"));
  if (auto parent_org = VisibleOrg(api, *p, parent); !parent_org.ok())
    return ErrorResponse(parent_org.error());
  auto created = api.s.orgs.Create({.code = code,
                                    .name = name,
                                    .level = *level,
                                    .parent_code = parent,
                                    .time_zone = zone.value_or("Asia/Shanghai")});
  if (!created.ok()) return ErrorResponse(created.error());
  org::AuditEntry e{.org_path = created->path,
                    .org_code = created->code,
                    .action = "org.create",
                    .target_type = "org",
                    .target_id = created->code};
  e.detail = {{"level", org::OrgLevelName(created->level)}, {"parent", parent}};
  api.Audit(req, &*p, std::move(e));
  return web::Response::Json(201, ToJson(*created));
}

web::Response ListUsers(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  if (!p->Has(org::Permission::kUserRead)) return ErrorResponse(Forbidden());
  org::UserFilter filter{.within_path = p->org.path};
  if (auto code = req.QueryParam("org"); code && !code->empty()) {
    auto o = VisibleOrg(api, *p, *code);
    if (!o.ok()) return ErrorResponse(o.error());
    filter.within_path = o->path;
  }
  if (auto role = req.QueryParam("role"); role && !role->empty()) {
    filter.role = org::ParseRole(*role);
    if (!filter.role) return ErrorResponse(Error::InvalidArgument("invalid_field", "参数 role 不是已知角色"));
  }
  auto users = api.s.users.List(filter);
  if (!users.ok()) return ErrorResponse(users.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& u : *users) items.push_back(ToJson(u));
  return web::Response::Json(200, {{"items", items}});
}

web::Response GetUser(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  bool self = req.PathParam("id") == std::to_string(p->user.id);
  if (!self && !p->Has(org::Permission::kUserRead)) return ErrorResponse(Forbidden());
  auto u = VisibleUser(api, *p, req.PathParam("id"));
  if (!u.ok()) return ErrorResponse(u.error());
  return web::Response::Json(200, ToJson(*u));
}

web::Response CreateUser(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  if (!p->Has(org::Permission::kUserWrite)) return ErrorResponse(Forbidden());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  web::JsonFields f(*body);
  std::string username = f.Required("username", 32);
  std::string password = f.Required("password", 128);
  std::string role_text = f.Required("role", 16);
  std::string org_code = f.Required("org", 32);
  std::optional<std::string> display = f.Optional("display_name", 50);
  std::optional<std::string> agent_no = f.Optional("agent_no", 8);
  if (!f.ok()) return ErrorResponse(f.error());
  auto role = org::ParseRole(role_text);
  if (!role)
    return ErrorResponse(Error::InvalidArgument(
        "invalid_field", "字段 role 须为 agent、team_leader、department、supervisor 或 admin"));
  auto target_org = VisibleOrg(api, *p, org_code);
  if (!target_org.ok()) return ErrorResponse(target_org.error());
  auto created = api.s.users.Create({.username = username,
                                     .password = password,
                                     .role = *role,
                                     .org_code = org_code,
                                     .display_name = display.value_or(""),
                                     .agent_no = agent_no});
  if (!created.ok()) return ErrorResponse(created.error());
  org::AuditEntry e{.org_path = target_org->path,
                    .org_code = target_org->code,
                    .action = "user.create",
                    .target_type = "user",
                    .target_id = std::to_string(created->id)};
  e.detail = {{"username", created->username}, {"role", org::RoleName(created->role)}};
  api.Audit(req, &*p, std::move(e));
  return web::Response::Json(201, ToJson(*created));
}

web::Response UpdateUser(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return ErrorResponse(p.error());
  if (!p->Has(org::Permission::kUserWrite)) return ErrorResponse(Forbidden());
  auto target = VisibleUser(api, *p, req.PathParam("id"));
  if (!target.ok()) return ErrorResponse(target.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return ErrorResponse(body.error());
  org::UserPatch patch;
  nlohmann::json changed = nlohmann::json::array();
  web::JsonFields f(*body);
  std::optional<std::string> display = f.Optional("display_name", 50);
  std::optional<std::string> role_text = f.Optional("role", 16);
  std::optional<std::string> agent_no = f.Optional("agent_no", 8);
  std::optional<bool> disabled = f.Bool("disabled");
  std::optional<std::string> password = f.Optional("password", 128);
  if (!f.ok()) return ErrorResponse(f.error());
  if (display) patch.display_name = *display, changed.push_back("display_name");
  if (role_text) {
    patch.role = org::ParseRole(*role_text);
    if (!patch.role) return ErrorResponse(Error::InvalidArgument("invalid_field", "字段 role 不是已知角色"));
    changed.push_back("role");
  }
  if (agent_no || web::IsExplicitNull(*body, "agent_no"))
    patch.agent_no = agent_no, changed.push_back("agent_no");
  if (disabled) patch.disabled = *disabled, changed.push_back("disabled");
  if (password) patch.password = *password, changed.push_back("password");
  if (target->id == p->user.id &&
      (patch.disabled.value_or(false) || (patch.role && *patch.role != p->user.role)))
    return ErrorResponse(
        Error::InvalidArgument("invalid_field", "不能停用自己或修改自己的角色，请由另一位管理员操作"));
  auto updated = api.s.users.Update(target->id, patch);
  if (!updated.ok()) return ErrorResponse(updated.error());
  if (patch.disabled.value_or(false) || patch.password || patch.role)
    (void)api.s.sessions.RevokeUser(target->id);
  api.Invalidate(target->id);
  auto o = api.s.orgs.FindById(updated->org_id);
  org::AuditEntry e{.org_path = o.ok() ? o->path : "",
                    .org_code = updated->org_code,
                    .action = "user.update",
                    .target_type = "user",
                    .target_id = std::to_string(updated->id)};
  e.detail = {{"fields", changed}};  // names only: never the new password
  api.Audit(req, &*p, std::move(e));
  return web::Response::Json(200, ToJson(*updated));
}

}  // namespace

void AddOrgRoutes(web::Router& router, ApiContext& api) {
  router.Add("GET", "/api/v1/orgs", "orgs.list", [&api](web::Request& r) { return ListOrgs(api, r); });
  router.Add("POST", "/api/v1/orgs", "orgs.create", [&api](web::Request& r) { return CreateOrg(api, r); });
  router.Add("GET", "/api/v1/orgs/{code}", "orgs.get", [&api](web::Request& r) { return GetOrg(api, r); });
  router.Add("GET", "/api/v1/users", "users.list", [&api](web::Request& r) { return ListUsers(api, r); });
  router.Add("POST", "/api/v1/users", "users.create", [&api](web::Request& r) { return CreateUser(api, r); },
             {.may_block = true});  // argon2id
  router.Add("GET", "/api/v1/users/{id}", "users.get", [&api](web::Request& r) { return GetUser(api, r); });
  router.Add("PATCH", "/api/v1/users/{id}", "users.update",
             [&api](web::Request& r) { return UpdateUser(api, r); },
             {.may_block = true});  // argon2id when the password changes
}

}  // namespace hotline::api
