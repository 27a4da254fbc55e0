// /api/v1/fund (docs/FUND-API.md "Console API"): the agent desktop's caller lookup and appointment booking
// (R-SVC-2/3, R-AGT-3), guarded by caller verification (R-IVR-2). Handlers translate HTTP to FundService
// calls; the service resolves the verified context, masks, and writes the audit entries.
//
// Who (R-ORG-1): the signed-in user as an org::Actor on the console (channel web); FundService allows
// those holding fund.read — agents, team leaders and admins of a centre (org level "center") — for that
// centre's accounts only, with a context bound to the centre and the console. Everyone else: 403.
// The verified context travels in the `X-Fund-Context` header; an optional `X-Fund-Purpose` header (≤ 50
// characters) says why the data is read, for the audit log (default 来电查询).
#include <charconv>

#include "api/api.hpp"
#include "core/masking.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "web/json_body.hpp"

namespace hotline::api {
namespace {

using web::ErrorResponse;

// The caller's fund::Access: the actor (fund.read is checked here first, so a request without it is refused
// before its headers are looked at, and again by the service) and the purpose.
Result<fund::Access> AccessOf(ApiContext& api, const web::Request& req) {
  HOTLINE_ASSIGN_OR_RETURN(org::Actor actor, RequireActor(api, req, org::Permission::kFundRead));
  fund::Access a{.actor = std::move(actor)};
  HOTLINE_RETURN_IF_ERROR(fund::CheckAccess(a));
  std::string_view purpose = req.Header("x-fund-purpose");
  if (!purpose.empty()) {
    std::string decoded;
    if (!web::UrlDecode(purpose, &decoded, false) || !IsValidUtf8(decoded) ||
        HasControlChars(decoded, false) || Utf8Length(decoded) > 50)
      return Error::InvalidArgument("invalid_field", "X-Fund-Purpose 须为 1–50 个字符（URL 编码）");
    a.purpose = decoded;
  }
  return a;
}

std::string Token(const web::Request& req) { return std::string(req.Header("x-fund-context")); }

nlohmann::json Money(Fen fen) { return {{"fen", fen}, {"display", FormatYuan(fen)}}; }
nlohmann::json MaybeMoney(Fen fen, bool masked) { return masked ? nlohmann::json() : Money(fen); }
nlohmann::json DateJson(Date d) { return FormatDate(d); }
nlohmann::json Status(fund::AccountStatus s) {
  return {{"code", fund::AccountStatusCode(s)}, {"label", fund::AccountStatusLabel(s)}};
}

nlohmann::json ContextJson(const fund::VerifiedContext& c) {
  return {{"token", c.token},
          {"verified", c.verified},
          {"subject_type", fund::SubjectTypeName(c.subject.type)},
          {"account_masked", MaskAccountNumber(c.subject.account)},
          {"login_kind", fund::LoginKindName(c.login_kind)},
          {"expires_at", FormatUtc(c.expires_at)}};
}

nlohmann::json ToJson(const fund::PersonView& v) {
  const auto& a = v.account;
  return {{"masked", v.masked},
          {"account_number", a.account_number},
          {"name", a.name},
          {"citizen_id", a.citizen_id},
          {"mobile", a.mobile},
          {"card_number", a.card_number},
          {"unit_account", v.masked ? MaskAccountNumber(a.unit_account) : a.unit_account},
          {"unit_name", a.unit_name},
          {"status", Status(a.status)},
          {"balance", MaybeMoney(a.balance, v.masked)},
          {"monthly_deposit", MaybeMoney(a.monthly_deposit, v.masked)},
          {"last_paid_month", a.last_paid_month},
          {"deposit_base", MaybeMoney(a.deposit_base, v.masked)},
          {"person_rate_permille", a.person_rate_permille},
          {"unit_rate_permille", a.unit_rate_permille},
          {"opened_on", DateJson(a.opened_on)}};
}

nlohmann::json ToJson(const fund::Loan& l) {
  return {{"loan_number_last4", MaskAccountNumber(l.loan_number)},
          {"principal", Money(l.principal)},
          {"years", l.years},
          {"periods", l.periods},
          {"remaining_periods", l.remaining_periods},
          {"monthly_payment", Money(l.monthly_payment)},
          {"last_payment_on", l.last_payment_on ? DateJson(*l.last_payment_on) : nlohmann::json()},
          {"last_payment_amount", Money(l.last_payment_amount)},
          {"balance", Money(l.balance)},
          {"overdue_periods", l.overdue_periods},
          {"overdue_amount", Money(l.overdue_amount)},
          {"status", l.status},
          {"started_on", DateJson(l.started_on)}};
}

nlohmann::json ToJson(const fund::Progress& p) {
  return {{"kind", fund::BusinessKindName(p.kind)},
          {"kind_label", fund::BusinessKindLabel(p.kind)},
          {"reference", p.reference},
          {"stage", p.stage},
          {"detail", p.detail},
          {"updated_on", DateJson(p.updated_on)}};
}

nlohmann::json ToJson(const fund::Eligibility& e) {
  return {{"kind", e.kind},
          {"eligible", e.eligible},
          {"reasons", e.reasons},
          {"max_amount", Money(e.max_amount)}};
}

nlohmann::json ToJson(const fund::Appointment& a) {
  return {{"reference", a.reference},
          {"kind", fund::AppointmentKindName(a.kind)},
          {"kind_label", fund::AppointmentKindLabel(a.kind)},
          {"branch", a.branch_code},
          {"branch_name", a.branch_name},
          {"date", DateJson(a.date)},
          {"slot", a.slot},
          {"state", a.state},
          {"created_at", FormatUtc(a.created_at)},
          {"cancelled_at", a.cancelled_at ? nlohmann::json(FormatUtc(*a.cancelled_at)) : nlohmann::json()}};
}

template <typename T, typename F>
nlohmann::json List(const std::vector<T>& items, F fn) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& i : items) out.push_back(fn(i));
  return {{"items", out}};
}

Result<fund::SubjectType> SubjectTypeOf(const nlohmann::json& body) {
  HOTLINE_ASSIGN_OR_RETURN(auto type, web::OptionalString(body, "type", 10));
  if (!type || *type == "person") return fund::SubjectType::kPerson;
  if (*type == "unit") return fund::SubjectType::kUnit;
  return Error::InvalidArgument("invalid_field", "字段 type 须为 person 或 unit");
}

Result<fund::HistoryQuery> HistoryQueryOf(const web::Request& req) {
  fund::HistoryQuery q;
  for (auto [key, target] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    if (auto v = req.QueryParam(key)) {
      Date d;
      if (!ParseDate(*v, &d))
        return Error::InvalidArgument("invalid_field", std::string("参数 ") + key + " 须为 YYYY-MM-DD");
      *target = d;
    }
  }
  if (auto v = req.QueryParam("limit")) {
    int n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc{} || p != v->data() + v->size() || n < 1 || n > 500)
      return Error::InvalidArgument("invalid_field", "参数 limit 须为 1–500");
    q.limit = n;
  }
  return q;
}

// Every handler: the access, or the error response.
template <typename F>
web::Handler Handle(ApiContext& api, F fn) {
  return [&api, fn](web::Request& req) -> web::Response {
    auto who = AccessOf(api, req);
    if (!who.ok()) return ErrorResponse(who.error());
    auto out = fn(*who, req);
    if (!out.ok()) return ErrorResponse(out.error());
    return web::Response::Json(200, *out);
  };
}

Result<nlohmann::json> Verify(ApiContext& api, const fund::Access& who, web::Request& req) {
  HOTLINE_ASSIGN_OR_RETURN(nlohmann::json body, web::ParseJsonObject(req));
  HOTLINE_ASSIGN_OR_RETURN(fund::SubjectType type, SubjectTypeOf(body));
  HOTLINE_ASSIGN_OR_RETURN(std::string login_id, web::RequiredString(body, "login_id", 40));
  HOTLINE_ASSIGN_OR_RETURN(std::string password, web::RequiredString(body, "password", 40));
  HOTLINE_ASSIGN_OR_RETURN(auto ctx, api.s.fund.verifier().Verify(
                                         who, {.type = type, .login_id = login_id, .password = password}));
  return ContextJson(ctx);
}

Result<nlohmann::json> Unverified(ApiContext& api, const fund::Access& who, web::Request& req) {
  HOTLINE_ASSIGN_OR_RETURN(nlohmann::json body, web::ParseJsonObject(req));
  HOTLINE_ASSIGN_OR_RETURN(fund::SubjectType type, SubjectTypeOf(body));
  HOTLINE_ASSIGN_OR_RETURN(std::string login_id, web::RequiredString(body, "login_id", 40));
  HOTLINE_ASSIGN_OR_RETURN(std::string reason, web::RequiredString(body, "reason", 200));
  HOTLINE_ASSIGN_OR_RETURN(auto ctx, api.s.fund.verifier().RecordUnverified(who, type, login_id, reason));
  return ContextJson(ctx);
}

Result<nlohmann::json> History(ApiContext& api, const fund::Access& who, web::Request& req) {
  HOTLINE_ASSIGN_OR_RETURN(fund::HistoryQuery q, HistoryQueryOf(req));
  std::string kind(req.PathParam("kind"));
  auto& f = api.s.fund;
  const std::string token = Token(req);
  if (kind == "deposits") {
    HOTLINE_ASSIGN_OR_RETURN(auto rows, f.Deposits(who, token, q));
    return List(rows, [](const fund::Deposit& d) {
      return nlohmann::json{{"date", DateJson(d.on)},
                            {"month", d.month},
                            {"amount", Money(d.amount)},
                            {"balance_after", Money(d.balance_after)}};
    });
  }
  if (kind == "base") {
    HOTLINE_ASSIGN_OR_RETURN(auto rows, f.BaseAdjustments(who, token, q));
    return List(rows, [](const fund::BaseAdjustment& b) {
      return nlohmann::json{{"date", DateJson(b.on)},
                            {"new_base", Money(b.new_base)},
                            {"monthly_deposit", Money(b.monthly_deposit)}};
    });
  }
  if (kind == "interest") {
    HOTLINE_ASSIGN_OR_RETURN(auto rows, f.Interest(who, token, q));
    return List(rows, [](const fund::InterestSettlement& s) {
      return nlohmann::json{
          {"date", DateJson(s.on)}, {"amount", Money(s.amount)}, {"balance_after", Money(s.balance_after)}};
    });
  }
  if (kind == "withdrawals") {
    HOTLINE_ASSIGN_OR_RETURN(auto rows, f.Withdrawals(who, token, q));
    return List(rows, [](const fund::Withdrawal& w) {
      return nlohmann::json{{"date", DateJson(w.on)},
                            {"amount", Money(w.amount)},
                            {"balance_after", Money(w.balance_after)},
                            {"reason", w.reason}};
    });
  }
  if (kind == "status") {
    HOTLINE_ASSIGN_OR_RETURN(auto rows, f.StatusChanges(who, token, q));
    return List(rows, [](const fund::StatusChange& s) {
      return nlohmann::json{
          {"date", DateJson(s.on)}, {"from", Status(s.from)}, {"to", Status(s.to)}, {"reason", s.reason}};
    });
  }
  return Error::NotFound("没有这种明细：deposits、base、interest、withdrawals 或 status");
}

Result<nlohmann::json> CreateAppointment(ApiContext& api, const fund::Access& who, web::Request& req) {
  HOTLINE_ASSIGN_OR_RETURN(nlohmann::json body, web::ParseJsonObject(req));
  HOTLINE_ASSIGN_OR_RETURN(std::string kind, web::RequiredString(body, "kind", 30));
  HOTLINE_ASSIGN_OR_RETURN(std::string branch, web::RequiredString(body, "branch", 40));
  HOTLINE_ASSIGN_OR_RETURN(std::string date, web::RequiredString(body, "date", 10));
  HOTLINE_ASSIGN_OR_RETURN(std::string slot, web::RequiredString(body, "slot", 11));
  auto k = fund::ParseAppointmentKind(kind);
  if (!k)
    return Error::InvalidArgument(
        "invalid_field", "字段 kind 须为 loan_application、loan_repayment、withdrawal 或 unit_business");
  fund::NewAppointment n{.kind = *k, .branch_code = branch, .slot = slot};
  if (!ParseDate(date, &n.date)) return Error::InvalidArgument("invalid_field", "字段 date 须为 YYYY-MM-DD");
  HOTLINE_ASSIGN_OR_RETURN(auto a, api.s.fund.Book(who, Token(req), n));
  return ToJson(a);
}

}  // namespace

void AddFundRoutes(web::Router& router, ApiContext& api) {
  auto& f = api.s.fund;
  // Every fund route may wait on the core system (HttpFundPort: timeouts and retries) or on the keyed
  // password hash: they run on the server's blocking pool, so a slow core system never holds up the
  // other connections of an I/O thread.
  constexpr web::RouteOptions kMayBlock{.may_block = true};
  auto add = [&](const char* method, const char* path, const char* name, auto fn) {
    router.Add(method, path, name, Handle(api, fn), kMayBlock);
  };
  add("POST", "/api/v1/fund/verify", "fund.verify",
      [&api](const fund::Access& who, web::Request& req) { return Verify(api, who, req); });
  add("POST", "/api/v1/fund/unverified", "fund.unverified",
      [&api](const fund::Access& who, web::Request& req) { return Unverified(api, who, req); });
  router.Add(
      "DELETE", "/api/v1/fund/context", "fund.context.end",
      [&api](web::Request& req) {
        auto who = AccessOf(api, req);
        if (!who.ok()) return ErrorResponse(who.error());
        auto st = api.s.fund.verifier().End(*who, Token(req));
        if (!st.ok()) return ErrorResponse(st.error());
        return web::Response::NoContent();
      },
      kMayBlock);
  add("GET", "/api/v1/fund/account", "fund.account",
      [&f](const fund::Access& who, web::Request& req) -> Result<nlohmann::json> {
        HOTLINE_ASSIGN_OR_RETURN(auto v, f.Account(who, Token(req)));
        return ToJson(v);
      });
  add("GET", "/api/v1/fund/loans", "fund.loans",
      [&f](const fund::Access& who, web::Request& req) -> Result<nlohmann::json> {
        HOTLINE_ASSIGN_OR_RETURN(auto loans, f.Loans(who, Token(req)));
        return List(loans, [](const fund::Loan& l) { return ToJson(l); });
      });
  add("GET", "/api/v1/fund/history/{kind}", "fund.history",
      [&api](const fund::Access& who, web::Request& req) { return History(api, who, req); });
  add("GET", "/api/v1/fund/eligibility/{kind}", "fund.eligibility",
      [&f](const fund::Access& who, web::Request& req) -> Result<nlohmann::json> {
        std::string_view kind = req.PathParam("kind");
        if (kind != "loan" && kind != "withdrawal")
          return Error::NotFound("资格查询只有 loan 和 withdrawal 两种");
        HOTLINE_ASSIGN_OR_RETURN(auto e, kind == "loan" ? f.LoanEligibility(who, Token(req))
                                                        : f.WithdrawalEligibility(who, Token(req)));
        return ToJson(e);
      });
  add("GET", "/api/v1/fund/progress", "fund.progress",
      [&f](const fund::Access& who, web::Request& req) -> Result<nlohmann::json> {
        std::optional<fund::BusinessKind> kind;
        if (auto k = req.QueryParam("kind")) {
          kind = fund::ParseBusinessKind(*k);
          if (!kind) return Error::InvalidArgument("invalid_field", "参数 kind 不是已知的业务类型");
        }
        HOTLINE_ASSIGN_OR_RETURN(auto rows, f.BusinessProgress(who, Token(req), kind));
        return List(rows, [](const fund::Progress& p) { return ToJson(p); });
      });
  add("GET", "/api/v1/fund/unit", "fund.unit",
      [&f](const fund::Access& who, web::Request& req) -> Result<nlohmann::json> {
        HOTLINE_ASSIGN_OR_RETURN(auto v, f.Unit(who, Token(req)));
        const auto& u = v.unit;
        return nlohmann::json{{"masked", v.masked},
                              {"unit_account", u.unit_account},
                              {"name", u.name},
                              {"credit_code", u.credit_code},
                              {"address", u.address},
                              {"contact_name", u.contact_name},
                              {"contact_mobile", u.contact_mobile},
                              {"status", Status(u.status)},
                              {"person_count", u.person_count},
                              {"monthly_deposit", MaybeMoney(u.monthly_deposit, v.masked)},
                              {"last_paid_month", u.last_paid_month},
                              {"balance", MaybeMoney(u.balance, v.masked)},
                              {"opened_on", DateJson(u.opened_on)}};
      });
  add("GET", "/api/v1/fund/unit/changes", "fund.unit.changes",
      [&f](const fund::Access& who, web::Request& req) -> Result<nlohmann::json> {
        HOTLINE_ASSIGN_OR_RETURN(fund::HistoryQuery q, HistoryQueryOf(req));
        HOTLINE_ASSIGN_OR_RETURN(auto rows, f.UnitChanges(who, Token(req), q));
        return List(rows, [](const fund::UnitChange& c) {
          return nlohmann::json{{"date", DateJson(c.on)},
                                {"kind", c.kind},
                                {"amount", Money(c.amount)},
                                {"person_count", c.person_count},
                                {"note", c.note}};
        });
      });
  add("GET", "/api/v1/fund/branches", "fund.branches",
      [&f](const fund::Access& who, web::Request&) -> Result<nlohmann::json> {
        HOTLINE_ASSIGN_OR_RETURN(auto rows, f.Branches(who));
        return List(rows, [](const fund::Branch& b) {
          return nlohmann::json{
              {"code", b.code}, {"name", b.name}, {"address", b.address}, {"slot_capacity", b.slot_capacity}};
        });
      });
  add("GET", "/api/v1/fund/branches/{code}/queue", "fund.branches.queue",
      [&f](const fund::Access& who, web::Request& req) -> Result<nlohmann::json> {
        HOTLINE_ASSIGN_OR_RETURN(auto q, f.Queue(who, req.PathParam("code")));
        return nlohmann::json{{"branch", q.branch_code},
                              {"branch_name", q.branch_name},
                              {"serving_number", q.serving_number},
                              {"waiting", q.waiting},
                              {"estimated_wait_minutes", q.estimated_wait_minutes},
                              {"as_of", FormatUtc(q.as_of)}};
      });
  add("GET", "/api/v1/fund/branches/{code}/slots", "fund.branches.slots",
      [&f](const fund::Access& who, web::Request& req) -> Result<nlohmann::json> {
        Date d;
        if (!ParseDate(req.QueryParam("date").value_or(""), &d))
          return Error::InvalidArgument("invalid_field", "参数 date 须为 YYYY-MM-DD");
        HOTLINE_ASSIGN_OR_RETURN(auto rows, f.Slots(who, req.PathParam("code"), d));
        return List(rows, [](const fund::SlotAvailability& s) {
          return nlohmann::json{{"slot", s.slot},
                                {"capacity", s.capacity},
                                {"booked", s.booked},
                                {"available", std::max(0, s.capacity - s.booked)}};
        });
      });
  add("GET", "/api/v1/fund/appointments", "fund.appointments.list",
      [&f](const fund::Access& who, web::Request& req) -> Result<nlohmann::json> {
        HOTLINE_ASSIGN_OR_RETURN(auto rows, f.Appointments(who, Token(req)));
        return List(rows, [](const fund::Appointment& a) { return ToJson(a); });
      });
  add("POST", "/api/v1/fund/appointments", "fund.appointments.create",
      [&api](const fund::Access& who, web::Request& req) { return CreateAppointment(api, who, req); });
  add("DELETE", "/api/v1/fund/appointments/{reference}", "fund.appointments.cancel",
      [&f](const fund::Access& who, web::Request& req) -> Result<nlohmann::json> {
        HOTLINE_ASSIGN_OR_RETURN(auto a, f.Cancel(who, Token(req), req.PathParam("reference")));
        return ToJson(a);
      });
}

}  // namespace hotline::api
