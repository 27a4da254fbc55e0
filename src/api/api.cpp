#include "api/api.hpp"

#include <charconv>

#include "web/json_body.hpp"

namespace hotline::api {

Error Forbidden() {
  return {ErrorKind::kPermissionDenied, "forbidden", "您的角色无权进行此操作，如需权限请联系管理员"};
}

org::Actor ActorOf(const org::Principal& p, const web::Request& req) {
  return org::Actor::ForUser(p, org::Channel::kWeb, req.remote_addr);
}

Result<org::Actor> RequireActor(ApiContext& api, const web::Request& req, org::Permission permission) {
  HOTLINE_ASSIGN_OR_RETURN(org::Principal p, api.Authenticate(req));
  org::Actor actor = ActorOf(p, req);
  HOTLINE_RETURN_IF_ERROR(org::Require(actor, permission));
  return actor;
}

Result<org::Org> RequestedOrg(ApiContext& api, const org::Actor& actor, const web::Request& req) {
  auto code = req.QueryParam("org");
  if (!code || *code == actor.org().code) return actor.org();
  return org::FindOrgInScope(api.s.orgs, actor, *code);
}

Result<org::Org> RequestedOrg(ApiContext& api, const org::Principal& p, const web::Request& req) {
  return RequestedOrg(api, ActorOf(p, req), req);
}

Result<org::Principal> Require(ApiContext& api, const web::Request& req, org::Permission permission) {
  HOTLINE_ASSIGN_OR_RETURN(org::Principal p, api.Authenticate(req));
  if (!p.Has(permission)) return Forbidden();
  return p;
}

Result<std::pair<Date, Date>> RequestedDates(const web::Request& req, int max_days) {
  Date from, to;
  if (!ParseDate(req.QueryParam("from").value_or(""), &from) ||
      !ParseDate(req.QueryParam("to").value_or(""), &to) || to < from ||
      to - from > std::chrono::days(max_days))
    return Error::InvalidArgument(
        "invalid_field", "参数 from、to 须为日期 YYYY-MM-DD，跨度不超过 " + std::to_string(max_days) + " 天");
  return std::pair{from, to};
}

Result<int64_t> ParseId(std::string_view text) {
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || p != text.data() + text.size() || id <= 0)
    return Error::NotFound("没有找到该记录");
  return id;
}

std::string ScopePath(const org::Principal& p) {
  return p.org.level == org::OrgLevel::kMinistry ? "/" : p.org.path;
}

nlohmann::json ToJson(const org::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"display_name", u.display_name},
          {"role", org::RoleName(u.role)},
          {"org", u.org_code},
          {"agent_no", u.agent_no ? nlohmann::json(*u.agent_no) : nlohmann::json(nullptr)},
          {"disabled", u.disabled},
          {"created_at", FormatUtc(u.created_at)}};
}

nlohmann::json ToJson(const org::Org& o) {
  return {{"code", o.code},
          {"name", o.name},
          {"level", org::OrgLevelName(o.level)},
          {"parent", o.parent_code ? nlohmann::json(*o.parent_code) : nlohmann::json(nullptr)},
          {"time_zone", o.time_zone},
          {"created_at", FormatUtc(o.created_at)}};
}

Result<org::Principal> ApiContext::Authenticate(const web::Request& request, bool allow_query_token) {
  HOTLINE_ASSIGN_OR_RETURN(auto cached, AuthenticateCached(request, allow_query_token));
  return cached->principal;
}

Result<std::shared_ptr<const ApiContext::CachedPrincipal>> ApiContext::AuthenticateCached(
    const web::Request& request, bool allow_query_token) {
  std::string_view token;
  std::string cookie;
  std::string_view auth = request.Header("authorization");
  if (auth.size() > 7 && (auth.substr(0, 7) == "Bearer " || auth.substr(0, 7) == "bearer ")) {
    token = auth.substr(7);
  } else if (auto c = request.Cookie("hotline_session")) {
    token = cookie = std::move(*c);
  } else if (allow_query_token) {
    cookie = request.QueryParam("token").value_or("");
    token = cookie;
  }
  if (token.empty())
    return Error{ErrorKind::kUnauthenticated, "unauthenticated", "请先登录（POST /api/v1/auth/login）"};
  HOTLINE_ASSIGN_OR_RETURN(org::SessionInfo session, s.sessions.Resolve(token));
  auto now = s.clock.Steady();
  {
    std::lock_guard lock(mu_);
    auto it = principals_.find(session.user_id);
    if (it != principals_.end() && now - it->second->loaded_at < options.principal_cache_ttl)
      return it->second;
  }
  HOTLINE_ASSIGN_OR_RETURN(org::User user, s.users.FindById(session.user_id));
  if (user.disabled) return Error{ErrorKind::kUnauthenticated, "unauthenticated", "账号已停用，请联系管理员"};
  HOTLINE_ASSIGN_OR_RETURN(org::Org org, s.orgs.FindById(user.org_id));
  auto loaded = std::make_shared<CachedPrincipal>();
  loaded->principal = org::Principal{std::move(user), std::move(org)};
  loaded->loaded_at = now;
  const org::Principal& p = loaded->principal;
  loaded->me_json =
      nlohmann::json{{"user", ToJson(p.user)}, {"org", ToJson(p.org)}, {"permissions", p.PermissionNames()}}
          .dump();
  std::lock_guard lock(mu_);
  if (principals_.size() > 10000) principals_.clear();
  principals_[session.user_id] = loaded;
  return std::shared_ptr<const CachedPrincipal>(std::move(loaded));
}

void ApiContext::Invalidate(int64_t user_id) {
  std::lock_guard lock(mu_);
  principals_.erase(user_id);
}

void ApiContext::Audit(const web::Request& request, const org::Principal* who, org::AuditEntry e) {
  if (who) {
    e.actor_id = who->user.id;
    e.actor = who->user.username;
    if (e.org_path.empty()) {
      e.org_path = who->org.path;
      e.org_code = who->org.code;
    }
  }
  if (e.org_path.empty()) e.org_path = "/";
  e.remote_addr = request.remote_addr;
  e.channel = "web";
  // The audit log must not silently lose entries; a failure here is logged by the store and the request
  // still answers (refusing the user's action after it was done would be worse).
  (void)s.audit.Append(std::move(e));
}

void ApiContext::Audit(const org::Actor& who, org::AuditEntry e) {
  who.Stamp(e);
  if (e.org_path.empty()) {
    e.org_path = who.org().path;
    e.org_code = who.org().code;
  }
  if (e.org_path.empty()) e.org_path = "/";
  (void)s.audit.Append(std::move(e));  // as above: logged by the store, the request still answers
}

std::vector<events::TopicSpec> EventTopics() {
  return {{.name = std::string(kAuditTopic),
           .permission = std::string(org::PermissionName(org::Permission::kAuditRead)),
           .description = "new audit entries in the subscriber's scope"},
          {.name = std::string(kWorkOrderTopic),
           .permission = std::string(org::PermissionName(org::Permission::kWorkOrderRead)),
           .description = "work-order changes and escalations"}};
}

void AddRoutes(web::Router& router, ApiContext& api, events::Metrics& metrics) {
  router.Add("GET", "/healthz", "healthz", [&api](web::Request&) {
    Status st = api.s.db.Ping();
    if (st.ok()) return web::Response::Json(200, {{"status", "ok"}, {"store", "ok"}});
    return web::Response::Json(503, {{"status", "unavailable"}, {"store", st.error().message}});
  });
  router.Add("GET", "/metrics", "metrics", [&metrics](web::Request&) {
    web::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics.Render();
    return r;
  });
  // The event stream is a WebSocket (see AuthorizeWebSocket); a plain GET gets the same 401 as every
  // other route without a session, and otherwise 400 (RFC 6455 §4.2.2: not a valid handshake).
  router.Add("GET", "/api/v1/events", "events", [&api](web::Request& r) {
    auto p = api.Authenticate(r, /*allow_query_token=*/true);
    if (!p.ok()) return web::ErrorResponse(p.error());
    return web::ErrorResponse(Error::InvalidArgument(
        "invalid_field", "实时事件须以 WebSocket 连接（请求头 Upgrade: websocket），见 docs/API.md"));
  });
  AddAuthRoutes(router, api);
  AddOrgRoutes(router, api);
  AddAuditRoutes(router, api);
  AddKpiRoutes(router, api);
  AddFederationRoutes(router, api, api.s.federation);
  AddCalendarRoutes(router, api, api.s.calendar);
  AddWorkOrderRoutes(router, api, api.s.workorders);
  AddFundRoutes(router, api);
  AddKbRoutes(router, api, api.s.kb);
}

Result<web::WebSocketGrant> AuthorizeWebSocket(ApiContext& api, web::Request& request) {
  HOTLINE_ASSIGN_OR_RETURN(org::Principal p, api.Authenticate(request, /*allow_query_token=*/true));
  web::WebSocketGrant grant;
  grant.subscriber.scope_path = ScopePath(p);
  for (auto name : p.PermissionNames()) grant.subscriber.permissions.emplace(name);
  for (auto& name : WorkOrderEventPermissions(api.s.workorders, p))
    grant.subscriber.permissions.emplace(std::move(name));
  grant.subscriber.topics = api.s.hub.AllowedTopics(grant.subscriber.permissions);
  grant.hello = nlohmann::json{{"type", "hello"}, {"user", ToJson(p.user)}}.dump();
  return grant;
}

}  // namespace hotline::api
