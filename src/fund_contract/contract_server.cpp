#include "fund_contract/contract_server.hpp"

#include "fund/wire.hpp"
#include "web/json_body.hpp"

namespace hotline::fund {
namespace {

using nlohmann::json;

web::Response Reply(const Result<json>& r) {
  if (!r.ok()) return web::Response::Json(web::HttpStatusOf(r.error().kind), wire::ErrorToWire(r.error()));
  return web::Response::Json(200, *r);
}

Error BadRequest(std::string_view what) {
  return Error::InvalidArgument("invalid_request", "请求字段不正确：" + std::string(what));
}

Result<std::string> Field(const json& body, const char* name, size_t max = 100) {
  auto s = web::RequiredString(body, name, max);
  if (!s.ok()) return BadRequest(name);
  return s;
}

Result<Subject> SubjectOf(const json& body) {
  if (!body.contains("subject")) return BadRequest("subject");
  auto s = wire::SubjectFromWire(body["subject"]);
  if (!s.ok()) return BadRequest("subject");
  return s;
}

Result<LoginKind> KindOf(const json& body) {
  HOTLINE_ASSIGN_OR_RETURN(std::string k, Field(body, "login_kind", 20));
  auto kind = ParseLoginKind(k);
  if (!kind) return BadRequest("login_kind");
  return *kind;
}

Result<HistoryQuery> QueryOf(const json& body) {
  if (!body.contains("query")) return HistoryQuery{};
  auto q = wire::HistoryQueryFromWire(body["query"]);
  if (!q.ok()) return BadRequest("query");
  return q;
}

template <typename T>
json Items(const std::vector<T>& v) {
  json items = json::array();
  for (const auto& i : v) items.push_back(wire::ToWire(i));
  return {{"items", items}};
}

json Match(const std::optional<Subject>& s) {
  if (!s) return {{"match", false}};
  return {{"match", true}, {"subject", wire::ToWire(*s)}};
}

Result<json> Handle(FundPort& port, std::string_view op, const json& body) {
  if (op == "identity/check" || op == "identity/find") {
    HOTLINE_ASSIGN_OR_RETURN(std::string center, Field(body, "center", 32));
    HOTLINE_ASSIGN_OR_RETURN(LoginKind kind, KindOf(body));
    HOTLINE_ASSIGN_OR_RETURN(std::string login_id, Field(body, "login_id", 40));
    if (op == "identity/find") {
      HOTLINE_ASSIGN_OR_RETURN(auto s, port.FindSubject(center, kind, login_id));
      return Match(s);
    }
    HOTLINE_ASSIGN_OR_RETURN(std::string password, Field(body, "password", 40));
    HOTLINE_ASSIGN_OR_RETURN(auto s, port.CheckPassword(center, kind, login_id, password));
    return Match(s);
  }
  if (op == "branches" || op == "branches/queue" || op == "branches/slots") {
    HOTLINE_ASSIGN_OR_RETURN(std::string center, Field(body, "center", 32));
    if (op == "branches") {
      HOTLINE_ASSIGN_OR_RETURN(auto b, port.ListBranches(center));
      return Items(b);
    }
    HOTLINE_ASSIGN_OR_RETURN(std::string branch, Field(body, "branch", 40));
    if (op == "branches/queue") {
      HOTLINE_ASSIGN_OR_RETURN(auto q, port.GetQueue(center, branch));
      return wire::ToWire(q);
    }
    HOTLINE_ASSIGN_OR_RETURN(std::string date, Field(body, "date", 10));
    Date d;
    if (!ParseDate(date, &d)) return BadRequest("date");
    HOTLINE_ASSIGN_OR_RETURN(auto slots, port.GetSlots(center, branch, d));
    return Items(slots);
  }
  HOTLINE_ASSIGN_OR_RETURN(Subject s, SubjectOf(body));
  if (op == "person/account") {
    HOTLINE_ASSIGN_OR_RETURN(auto a, port.GetPersonAccount(s));
    return wire::ToWire(a);
  }
  if (op == "person/loans") {
    HOTLINE_ASSIGN_OR_RETURN(auto l, port.GetLoans(s));
    return Items(l);
  }
  if (op == "person/history") {
    HOTLINE_ASSIGN_OR_RETURN(std::string kind, Field(body, "kind", 20));
    HOTLINE_ASSIGN_OR_RETURN(HistoryQuery q, QueryOf(body));
    if (kind == "deposit") {
      HOTLINE_ASSIGN_OR_RETURN(auto r, port.GetDeposits(s, q));
      return Items(r);
    }
    if (kind == "base") {
      HOTLINE_ASSIGN_OR_RETURN(auto r, port.GetBaseAdjustments(s, q));
      return Items(r);
    }
    if (kind == "interest") {
      HOTLINE_ASSIGN_OR_RETURN(auto r, port.GetInterestSettlements(s, q));
      return Items(r);
    }
    if (kind == "withdrawal") {
      HOTLINE_ASSIGN_OR_RETURN(auto r, port.GetWithdrawals(s, q));
      return Items(r);
    }
    if (kind == "status") {
      HOTLINE_ASSIGN_OR_RETURN(auto r, port.GetStatusChanges(s, q));
      return Items(r);
    }
    return BadRequest("kind");
  }
  if (op == "person/eligibility") {
    HOTLINE_ASSIGN_OR_RETURN(std::string kind, Field(body, "kind", 20));
    if (kind != "loan" && kind != "withdrawal") return BadRequest("kind");
    HOTLINE_ASSIGN_OR_RETURN(auto e,
                             kind == "loan" ? port.GetLoanEligibility(s) : port.GetWithdrawalEligibility(s));
    return wire::ToWire(e);
  }
  if (op == "progress") {
    std::optional<BusinessKind> kind;
    if (body.contains("kind") && !body["kind"].is_null()) {
      HOTLINE_ASSIGN_OR_RETURN(std::string k, Field(body, "kind", 30));
      kind = ParseBusinessKind(k);
      if (!kind) return BadRequest("kind");
    }
    HOTLINE_ASSIGN_OR_RETURN(auto p, port.GetProgress(s, kind));
    return Items(p);
  }
  if (op == "unit/account") {
    HOTLINE_ASSIGN_OR_RETURN(auto u, port.GetUnitAccount(s));
    return wire::ToWire(u);
  }
  if (op == "unit/changes") {
    HOTLINE_ASSIGN_OR_RETURN(HistoryQuery q, QueryOf(body));
    HOTLINE_ASSIGN_OR_RETURN(auto c, port.GetUnitChanges(s, q));
    return Items(c);
  }
  if (op == "appointments/list") {
    HOTLINE_ASSIGN_OR_RETURN(auto a, port.ListAppointments(s));
    return Items(a);
  }
  if (op == "appointments/cancel") {
    HOTLINE_ASSIGN_OR_RETURN(std::string ref, Field(body, "reference", 40));
    HOTLINE_ASSIGN_OR_RETURN(auto a, port.CancelAppointment(s, ref));
    return wire::ToWire(a);
  }
  if (op == "appointments/create") {
    HOTLINE_ASSIGN_OR_RETURN(std::string kind, Field(body, "kind", 30));
    auto k = ParseAppointmentKind(kind);
    if (!k) return BadRequest("kind");
    NewAppointment n{.kind = *k};
    HOTLINE_ASSIGN_OR_RETURN(n.branch_code, Field(body, "branch", 40));
    HOTLINE_ASSIGN_OR_RETURN(std::string date, Field(body, "date", 10));
    if (!ParseDate(date, &n.date)) return BadRequest("date");
    HOTLINE_ASSIGN_OR_RETURN(n.slot, Field(body, "slot", 11));
    HOTLINE_ASSIGN_OR_RETURN(auto a, port.CreateAppointment(s, n));
    return wire::ToWire(a);
  }
  return Error::NotFound("unknown operation");
}

}  // namespace

void AddContractRoutes(web::Router& router, FundPort& backend) {
  static constexpr const char* kOps[] = {
      "identity/check",      "identity/find",      "person/account",     "person/loans",
      "person/history",      "person/eligibility", "progress",           "unit/account",
      "unit/changes",        "branches",           "branches/queue",     "branches/slots",
      "appointments/create", "appointments/list",  "appointments/cancel"};
  for (const char* op : kOps) {
    std::string name(op);
    router.Add("POST", "/v1/" + name, "fund_contract." + name, [&backend, name](web::Request& req) {
      auto body = web::ParseJsonObject(req);
      if (!body.ok()) return Reply(body.take_error());
      return Reply(Handle(backend, name, *body));
    });
  }
}

}  // namespace hotline::fund
