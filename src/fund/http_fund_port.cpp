#include "fund/http_fund_port.hpp"

#include "fund/wire.hpp"
#include "net/http_client.hpp"

namespace hotline::fund {

using nlohmann::json;

Result<std::unique_ptr<HttpFundPort>> HttpFundPort::Create(const HttpFundPortOptions& options) {
  if (options.base_url.rfind("http://", 0) != 0)
    return Error::InvalidArgument("invalid_config", "[fund] base_url 须以 http:// 开头");
  if (options.timeout.count() <= 0 || options.retries < 0)
    return Error::InvalidArgument("invalid_config", "[fund] timeout_ms 须大于 0，retries 不能为负");
  return std::unique_ptr<HttpFundPort>(new HttpFundPort(options));
}

Result<json> HttpFundPort::Call(std::string_view path, const json& body, bool idempotent) {
  const std::string url = options_.base_url + std::string(path);
  const std::string payload = body.dump();
  const int attempts = idempotent ? 1 + options_.retries : 1;
  Error last{ErrorKind::kUnavailable, "fund_unavailable", "公积金业务系统繁忙，请稍后再试"};
  for (int i = 0; i < attempts; ++i) {
    auto r =
        net::HttpRequest("POST", url, {{"content-type", "application/json"}, {"accept", "application/json"}},
                         payload, options_.timeout);
    if (!r.ok()) {
      if (r.error().kind == ErrorKind::kInvalidArgument) return r.take_error();  // a bad URL: no retry helps
      continue;  // unreachable or too slow: the next attempt, then "system busy"
    }
    auto parsed = wire::ParseResponse(r->status, r->body);
    if (parsed.ok()) return parsed;
    if (parsed.error().code != "fund_unavailable") return parsed.take_error();  // a refusal or a bad answer
    last = parsed.take_error();
  }
  return last;
}

namespace {
json SubjectBody(const Subject& s) { return {{"subject", wire::ToWire(s)}}; }
}  // namespace

Result<std::optional<Subject>> HttpFundPort::Identity(std::string_view path, const json& body) {
  HOTLINE_ASSIGN_OR_RETURN(json r, Call(path, body));
  if (!r.contains("match") || !r["match"].is_boolean()) return wire::BadResponse("match");
  if (!r["match"].get<bool>()) return std::optional<Subject>();
  if (!r.contains("subject")) return wire::BadResponse("subject");
  HOTLINE_ASSIGN_OR_RETURN(Subject s, wire::SubjectFromWire(r["subject"]));
  return std::optional<Subject>(std::move(s));
}

Result<std::optional<Subject>> HttpFundPort::CheckPassword(std::string_view center_code, LoginKind kind,
                                                           std::string_view login_id,
                                                           std::string_view password) {
  return Identity("/v1/identity/check", {{"center", center_code},
                                         {"login_kind", LoginKindName(kind)},
                                         {"login_id", login_id},
                                         {"password", password}});
}

Result<std::optional<Subject>> HttpFundPort::FindSubject(std::string_view center_code, LoginKind kind,
                                                         std::string_view login_id) {
  return Identity("/v1/identity/find",
                  {{"center", center_code}, {"login_kind", LoginKindName(kind)}, {"login_id", login_id}});
}

Result<PersonAccount> HttpFundPort::GetPersonAccount(const Subject& person) {
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/person/account", SubjectBody(person)));
  return wire::PersonAccountFromWire(r);
}

Result<std::vector<Loan>> HttpFundPort::GetLoans(const Subject& person) {
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/person/loans", SubjectBody(person)));
  return wire::ListFromWire<Loan>(r, &wire::LoanFromWire);
}

Result<json> HttpFundPort::History(const Subject& person, std::string_view kind, const HistoryQuery& q) {
  json body = SubjectBody(person);
  body["kind"] = kind;
  body["query"] = wire::ToWire(q);
  return Call("/v1/person/history", body);
}

Result<std::vector<Deposit>> HttpFundPort::GetDeposits(const Subject& person, const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(json r, History(person, "deposit", q));
  return wire::ListFromWire<Deposit>(r, &wire::DepositFromWire);
}
Result<std::vector<BaseAdjustment>> HttpFundPort::GetBaseAdjustments(const Subject& person,
                                                                     const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(json r, History(person, "base", q));
  return wire::ListFromWire<BaseAdjustment>(r, &wire::BaseAdjustmentFromWire);
}
Result<std::vector<InterestSettlement>> HttpFundPort::GetInterestSettlements(const Subject& person,
                                                                             const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(json r, History(person, "interest", q));
  return wire::ListFromWire<InterestSettlement>(r, &wire::InterestFromWire);
}
Result<std::vector<Withdrawal>> HttpFundPort::GetWithdrawals(const Subject& person, const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(json r, History(person, "withdrawal", q));
  return wire::ListFromWire<Withdrawal>(r, &wire::WithdrawalFromWire);
}
Result<std::vector<StatusChange>> HttpFundPort::GetStatusChanges(const Subject& person,
                                                                 const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(json r, History(person, "status", q));
  return wire::ListFromWire<StatusChange>(r, &wire::StatusChangeFromWire);
}

Result<Eligibility> HttpFundPort::GetLoanEligibility(const Subject& person) {
  json body = SubjectBody(person);
  body["kind"] = "loan";
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/person/eligibility", body));
  return wire::EligibilityFromWire(r);
}
Result<Eligibility> HttpFundPort::GetWithdrawalEligibility(const Subject& person) {
  json body = SubjectBody(person);
  body["kind"] = "withdrawal";
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/person/eligibility", body));
  return wire::EligibilityFromWire(r);
}

Result<std::vector<Progress>> HttpFundPort::GetProgress(const Subject& subject,
                                                        std::optional<BusinessKind> kind) {
  json body = SubjectBody(subject);
  body["kind"] = kind ? json(BusinessKindName(*kind)) : json();
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/progress", body));
  return wire::ListFromWire<Progress>(r, &wire::ProgressFromWire);
}

Result<UnitAccount> HttpFundPort::GetUnitAccount(const Subject& unit) {
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/unit/account", SubjectBody(unit)));
  return wire::UnitAccountFromWire(r);
}
Result<std::vector<UnitChange>> HttpFundPort::GetUnitChanges(const Subject& unit, const HistoryQuery& q) {
  json body = SubjectBody(unit);
  body["query"] = wire::ToWire(q);
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/unit/changes", body));
  return wire::ListFromWire<UnitChange>(r, &wire::UnitChangeFromWire);
}

Result<std::vector<Branch>> HttpFundPort::ListBranches(std::string_view center_code) {
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/branches", {{"center", center_code}}));
  return wire::ListFromWire<Branch>(r, &wire::BranchFromWire);
}
Result<QueueStatus> HttpFundPort::GetQueue(std::string_view center_code, std::string_view branch_code) {
  HOTLINE_ASSIGN_OR_RETURN(json r,
                           Call("/v1/branches/queue", {{"center", center_code}, {"branch", branch_code}}));
  return wire::QueueFromWire(r);
}
Result<std::vector<SlotAvailability>> HttpFundPort::GetSlots(std::string_view center_code,
                                                             std::string_view branch_code, Date date) {
  HOTLINE_ASSIGN_OR_RETURN(
      json r, Call("/v1/branches/slots",
                   {{"center", center_code}, {"branch", branch_code}, {"date", FormatDate(date)}}));
  return wire::ListFromWire<SlotAvailability>(r, &wire::SlotFromWire);
}

Result<Appointment> HttpFundPort::CreateAppointment(const Subject& subject, const NewAppointment& request) {
  json body = SubjectBody(subject);
  body["kind"] = AppointmentKindName(request.kind);
  body["branch"] = request.branch_code;
  body["date"] = FormatDate(request.date);
  body["slot"] = request.slot;
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/appointments/create", body, /*idempotent=*/false));
  return wire::AppointmentFromWire(r);
}
Result<std::vector<Appointment>> HttpFundPort::ListAppointments(const Subject& subject) {
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/appointments/list", SubjectBody(subject)));
  return wire::ListFromWire<Appointment>(r, &wire::AppointmentFromWire);
}
Result<Appointment> HttpFundPort::CancelAppointment(const Subject& subject, std::string_view reference) {
  json body = SubjectBody(subject);
  body["reference"] = reference;
  HOTLINE_ASSIGN_OR_RETURN(json r, Call("/v1/appointments/cancel", body, /*idempotent=*/false));
  return wire::AppointmentFromWire(r);
}

}  // namespace hotline::fund
