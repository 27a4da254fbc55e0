// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me, POST /api/v1/me/password.
#include "api/api.hpp"
#include "web/json_body.hpp"

namespace hotline::api {
namespace {

std::string SessionCookie(const ApiContext& api, const std::string& token, std::chrono::seconds max_age) {
  std::string c = "hotline_session=" + token +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age.count());
  if (api.options.secure_cookie) c += "; Secure";
  return c;
}

web::Response Login(ApiContext& api, web::Request& req) {
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return web::ErrorResponse(body.error());
  auto username = web::RequiredString(*body, "username", 64);
  if (!username.ok()) return web::ErrorResponse(username.error());
  auto password = web::RequiredString(*body, "password", 128);
  if (!password.ok()) return web::ErrorResponse(password.error());

  auto failed = [&](std::string_view reason, const org::User* known) {
    org::AuditEntry e{.actor = username->substr(0, 32),
                      .action = "auth.login_failed",
                      .target_type = "user",
                      .target_id = known ? std::to_string(known->id) : ""};
    e.detail = {{"reason", reason}};
    if (known) {
      if (auto o = api.s.orgs.FindById(known->org_id); o.ok()) {
        e.org_path = o->path;
        e.org_code = o->code;
      }
    }
    api.Audit(req, nullptr, std::move(e));
  };

  auto wait = api.s.throttle.RetryAfter(*username, req.remote_addr);
  if (wait.count() > 0) {
    failed("throttled", nullptr);
    auto r = web::ErrorResponse({ErrorKind::kResourceExhausted, "too_many_attempts",
                                 "登录失败次数过多，请 " + std::to_string((wait.count() + 59) / 60) +
                                     " 分钟后再试；如忘记密码请联系管理员重置"});
    r.headers.emplace_back("Retry-After", std::to_string(wait.count()));
    return r;
  }
  auto user = api.s.users.CheckPassword(*username, *password);
  if (!user.ok()) {
    if (user.error().kind != ErrorKind::kUnauthenticated) return web::ErrorResponse(user.error());
    api.s.throttle.RecordFailure(*username, req.remote_addr);
    auto known = api.s.users.FindByUsername(*username);
    failed("invalid_credentials", known.ok() ? &*known : nullptr);
    return web::ErrorResponse(user.error());
  }
  api.s.throttle.RecordSuccess(*username);
  auto session = api.s.sessions.Create(user->id, req.remote_addr);
  if (!session.ok()) return web::ErrorResponse(session.error());
  api.Invalidate(user->id);
  auto org = api.s.orgs.FindById(user->org_id);
  if (!org.ok()) return web::ErrorResponse(org.error());
  org::Principal principal{*user, *org};
  // R-KPI-9 / R-AGT-6: the console sign-in of whoever answers calls (agent.seat: agents, team leaders)
  // counts for attendance.
  if (principal.Has(org::Permission::kAgentSeat))
    (void)api.s.attendance.RecordSignIn(user->org_id, user->username, api.s.clock.Now());
  api.Audit(req, &principal,
            {.action = "auth.login",
             .target_type = "session",
             .target_id = std::to_string(session->second.session_id)});
  auto r = web::Response::Json(200, {{"token", session->first},
                                     {"expires_at", FormatUtc(session->second.expires_at)},
                                     {"user", ToJson(principal.user)}});
  r.headers.emplace_back("Set-Cookie", SessionCookie(api, session->first, api.options.session_max_age));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

std::string TokenOf(const web::Request& req) {
  std::string_view auth = req.Header("authorization");
  if (auth.size() > 7) return std::string(auth.substr(7));
  return req.Cookie("hotline_session").value_or("");
}

web::Response Logout(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return web::ErrorResponse(p.error());
  if (auto st = api.s.sessions.Revoke(TokenOf(req)); !st.ok()) return web::ErrorResponse(st.error());
  if (p->Has(org::Permission::kAgentSeat))
    (void)api.s.attendance.RecordSignOut(p->user.org_id, p->user.username, api.s.clock.Now());
  api.Audit(req, &*p,
            {.action = "auth.logout", .target_type = "user", .target_id = std::to_string(p->user.id)});
  auto r = web::Response::NoContent();
  r.headers.emplace_back("Set-Cookie", SessionCookie(api, "", std::chrono::seconds(0)));
  return r;
}

// The console asks for /me on every page load: its body is serialised once per principal load.
web::Response Me(ApiContext& api, web::Request& req) {
  auto p = api.AuthenticateCached(req);
  if (!p.ok()) return web::ErrorResponse(p.error());
  web::Response r;
  r.body = (*p)->me_json;
  return r;
}

web::Response ChangePassword(ApiContext& api, web::Request& req) {
  auto p = api.Authenticate(req);
  if (!p.ok()) return web::ErrorResponse(p.error());
  auto body = web::ParseJsonObject(req);
  if (!body.ok()) return web::ErrorResponse(body.error());
  auto old_password = web::RequiredString(*body, "old_password", 128);
  if (!old_password.ok()) return web::ErrorResponse(old_password.error());
  auto new_password = web::RequiredString(*body, "new_password", 128);
  if (!new_password.ok()) return web::ErrorResponse(new_password.error());
  if (!api.s.users.CheckPassword(p->user.username, *old_password).ok())
    return web::ErrorResponse(Error::InvalidArgument("invalid_field", "原密码不正确，请重新输入"));
  auto updated = api.s.users.Update(p->user.id, {.password = *new_password});
  if (!updated.ok()) return web::ErrorResponse(updated.error());
  // Every other session of this user ends; this client gets a fresh one.
  (void)api.s.sessions.RevokeUser(p->user.id);
  api.Invalidate(p->user.id);
  auto session = api.s.sessions.Create(p->user.id, req.remote_addr);
  if (!session.ok()) return web::ErrorResponse(session.error());
  api.Audit(req, &*p,
            {.action = "password.change", .target_type = "user", .target_id = std::to_string(p->user.id)});
  auto r = web::Response::Json(
      200, {{"token", session->first}, {"expires_at", FormatUtc(session->second.expires_at)}});
  r.headers.emplace_back("Set-Cookie", SessionCookie(api, session->first, api.options.session_max_age));
  return r;
}

}  // namespace

void AddAuthRoutes(web::Router& router, ApiContext& api) {
  // argon2id (tens of ms, 64 MiB) runs on the server's blocking pool, not on an I/O thread.
  router.Add("POST", "/api/v1/auth/login", "auth.login", [&api](web::Request& r) { return Login(api, r); },
             {.may_block = true});
  router.Add("POST", "/api/v1/auth/logout", "auth.logout",
             [&api](web::Request& r) { return Logout(api, r); });
  router.Add("GET", "/api/v1/me", "me", [&api](web::Request& r) { return Me(api, r); });
  router.Add("POST", "/api/v1/me/password", "me.password",
             [&api](web::Request& r) { return ChangePassword(api, r); }, {.may_block = true});
}

}  // namespace hotline::api
