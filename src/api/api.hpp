// The JSON API under /api/v1 (docs/API.md): authentication, organisations, users and the audit log.
// Handlers translate HTTP to calls on the org module and back; the rules themselves (validation, scope,
// permissions) live in org/. Later modules add their own route files here and register them in AddRoutes.
#pragma once

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "calendar/calendar_store.hpp"
#include "calendar/service_hours_cache.hpp"
#include "core/clock.hpp"
#include "core/time_zone.hpp"
#include "events/event_bus.hpp"
#include "events/metrics.hpp"
#include "fund/fund_service.hpp"
#include "kb/kb_service.hpp"
#include "kpi/attendance.hpp"
#include "kpi/federation.hpp"
#include "kpi/kpi_store.hpp"
#include "kpi/profiles.hpp"
#include "org/access.hpp"
#include "org/actor.hpp"
#include "org/audit_log.hpp"
#include "org/login_throttle.hpp"
#include "org/sessions.hpp"
#include "org/users.hpp"
#include "store/database.hpp"
#include "web/http_server.hpp"
#include "web/router.hpp"
#include "workorder/escalation.hpp"
#include "workorder/workorder_service.hpp"

namespace hotline::api {

struct ApiOptions {
  bool secure_cookie = false;                       // add `Secure` to the session cookie (behind TLS)
  std::chrono::seconds session_max_age{12 * 3600};  // cookie Max-Age
  std::chrono::seconds principal_cache_ttl{5};      // how stale a cached user/org may be
  std::string kpi_basis = "manual";                 // [kpi] defaults for reports
  std::string kpi_profile = "guideline";
  bool kpi_satisfied_includes_basic = false;
};

// What the handlers need, owned by the app. Thread-safe (all members are).
struct Services {
  store::Database& db;
  const Clock& clock;
  org::OrgDirectory& orgs;
  org::UserDirectory& users;
  org::SessionStore& sessions;
  org::LoginThrottle& throttle;
  org::AuditLog& audit;
  events::EventBus& hub;
  calendar::CalendarStore& calendar;
  calendar::ServiceHoursCache& service_hours;  // "open now?" (R-IVR-3), the same cache the IVR asks
  kpi::KpiStore& kpi;
  kpi::FederationStore& federation;
  kpi::ProfileStore& profiles;
  kpi::Attendance& attendance;
  workorder::WorkOrderService& workorders;
  workorder::CallbackService& callbacks;  // 回访 (/api/v1/callbacks)
  fund::FundService& fund;
  kb::KbService& kb;
};

// Shared state of the handlers. Thread-safe.
class ApiContext {
 public:
  ApiContext(Services services, ApiOptions options) : s(services), options(options) {}

  // The signed-in principal of a request: Bearer token, else the hotline_session cookie
  // (else, when `allow_query_token`, ?token= — for WebSocket clients that cannot set headers).
  Result<org::Principal> Authenticate(const web::Request& request, bool allow_query_token = false);
  // The same principal as cached (no copy), with its GET /api/v1/me body serialised once per load.
  struct CachedPrincipal {
    org::Principal principal;
    std::chrono::steady_clock::time_point loaded_at;
    std::string me_json;  // {"user","org","permissions"}
  };
  Result<std::shared_ptr<const CachedPrincipal>> AuthenticateCached(const web::Request& request,
                                                                    bool allow_query_token = false);
  // Forget cached principals of a user (after it changed).
  void Invalidate(int64_t user_id);
  // Appends an audit entry for an action of `who` (or of an anonymous client) from this request.
  void Audit(const web::Request& request, const org::Principal* who, org::AuditEntry entry);
  // The same for an actor: the "who" from org::Actor::Stamp; the scope defaults to the actor's organisation.
  void Audit(const org::Actor& who, org::AuditEntry entry);

  Services s;
  const ApiOptions options;

 private:
  std::mutex mu_;
  std::unordered_map<int64_t, std::shared_ptr<const CachedPrincipal>> principals_;  // GUARDED_BY(mu_)
};

// Registers every /api/v1 route plus /healthz and /metrics (the whole registry, rendered).
void AddRoutes(web::Router& router, ApiContext& api, events::Metrics& metrics);

// The topics of the live event stream (docs/API.md "Live events"), with the permission a subscriber
// needs for each: "audit" (audit.read: new audit entries in the subscriber's scope) and "workorder"
// (workorder.read: changes and escalations; each event further needs workorder.read_all or membership
// of the order's department). The bus of `hotline serve` is built with these.
inline constexpr std::string_view kAuditTopic = "audit";
inline constexpr std::string_view kWorkOrderTopic = "workorder";
std::vector<events::TopicSpec> EventTopics();
// Decides who may open the live event stream /api/v1/events: any signed-in user, scoped to their
// subtree (ScopePath), with their permissions plus WorkOrderEventPermissions. A client that sends
// nothing is subscribed to every topic its permissions allow (the console relies on this); it may
// narrow or widen that with subscribe/unsubscribe messages, never beyond its grant.
Result<web::WebSocketGrant> AuthorizeWebSocket(ApiContext& api, web::Request& request);

// The organisation path a principal's audit/event scope starts at. The ministry sees everything,
// including entries that belong to no organisation (failed logins with unknown usernames: "/").
std::string ScopePath(const org::Principal& p);

nlohmann::json ToJson(const org::User& user);
nlohmann::json ToJson(const org::Org& org);

// Route registration of each part (one file each).
void AddAuthRoutes(web::Router& router, ApiContext& api);
void AddOrgRoutes(web::Router& router, ApiContext& api);
void AddAuditRoutes(web::Router& router, ApiContext& api);
void AddKpiRoutes(web::Router& router, ApiContext& api);
void AddFederationRoutes(web::Router& router, ApiContext& api, kpi::FederationStore& federation);
void AddCalendarRoutes(web::Router& router, ApiContext& api, calendar::CalendarStore& calendar);
void AddWorkOrderRoutes(web::Router& router, ApiContext& api, workorder::WorkOrderService& service);
void AddFundRoutes(web::Router& router, ApiContext& api);  // /api/v1/fund (fund_api.cpp)
void AddKbRoutes(web::Router& router, ApiContext& api, kb::KbService& kb);

// Live work-order events on the console's channel (docs/API.md "Live events"): escalations from the
// scheduler and changes from the API, to the centre's hotline staff (workorder.read_all) and to the members
// of the department concerned (the grant's "workorder.department.ID" entries). Thread-safe.
class WorkOrderEvents final : public workorder::EscalationSink {
 public:
  explicit WorkOrderEvents(events::Publisher& hub) : hub_(hub) {}
  void Notify(const workorder::EscalationNotice& notice) override;  // {"type":"workorder.escalation",…}
  void Changed(const workorder::WorkOrder& order, std::string_view action);  // {"type":"workorder.changed",…}

 private:
  events::Publisher& hub_;
};
// The extra event permissions of a subscriber: one "workorder.department.ID" per department membership
// (department users; read when the WebSocket opens).
std::vector<std::string> WorkOrderEventPermissions(workorder::WorkOrderService& service,
                                                   const org::Principal& p);

// Helpers shared by the route files.
Error Forbidden();
// The actor of a request (issue 12 §2): the signed-in user acting through org::Channel::kWeb from the
// client's address.
org::Actor ActorOf(const org::Principal& p, const web::Request& req);
// Authenticates and checks one permission (org::Require): the actor, or the error response to send.
Result<org::Actor> RequireActor(ApiContext& api, const web::Request& req, org::Permission permission);
// The organisation a request is about: `?org=CODE` resolved by org::FindOrgInScope (not_found outside the
// caller's subtree, R-ORG-1), else the caller's own organisation.
Result<org::Org> RequestedOrg(ApiContext& api, const org::Actor& actor, const web::Request& req);
Result<org::Org> RequestedOrg(ApiContext& api, const org::Principal& p, const web::Request& req);
// Authenticates and checks one permission: the principal, or the error response to send.
Result<org::Principal> Require(ApiContext& api, const web::Request& req, org::Permission permission);
// ?from=YYYY-MM-DD&to=YYYY-MM-DD with from ≤ to and at most `max_days` between them (error invalid_field).
Result<std::pair<Date, Date>> RequestedDates(const web::Request& req, int max_days = 400);
Result<int64_t> ParseId(std::string_view text);

}  // namespace hotline::api
