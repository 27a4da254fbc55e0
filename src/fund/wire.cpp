#include "fund/wire.hpp"

#include "core/json.hpp"
#include "core/text.hpp"

namespace hotline::fund::wire {

Error BadResponse(std::string_view what) {
  return {ErrorKind::kUnavailable, "fund_bad_response",
          "公积金业务系统返回了无法识别的数据（" + std::string(what) + "），请稍后再试"};
}

namespace {

using nlohmann::json;

Result<std::string> Str(const json& j, const char* field, size_t max = 200, bool optional = false) {
  if (!j.is_object()) return BadResponse(field);
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (optional) return std::string();
    return BadResponse(field);
  }
  if (!it->is_string()) return BadResponse(field);
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > max * 4 || !IsValidUtf8(s) || Utf8Length(s) > max || HasControlChars(s, false))
    return BadResponse(field);
  return s;
}

Result<int64_t> Int(const json& j, const char* field, int64_t lo = 0, int64_t hi = int64_t{1} << 50) {
  if (!j.is_object()) return BadResponse(field);
  auto it = j.find(field);
  if (it == j.end() || !it->is_number_integer()) return BadResponse(field);
  int64_t v = it->get<int64_t>();
  if (v < lo || v > hi) return BadResponse(field);
  return v;
}

constexpr int64_t kMaxFen = int64_t{1} << 50;  // far beyond any account; bounds arithmetic

Result<Fen> Money(const json& j, const char* field) { return Int(j, field, -kMaxFen, kMaxFen); }

Result<Date> DateOf(const json& j, const char* field) {
  HOTLINE_ASSIGN_OR_RETURN(std::string s, Str(j, field, 10));
  Date d;
  if (!ParseDate(s, &d)) return BadResponse(field);
  return d;
}

Result<std::optional<Date>> OptDate(const json& j, const char* field) {
  if (!j.is_object()) return BadResponse(field);
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::optional<Date>();
  HOTLINE_ASSIGN_OR_RETURN(Date d, DateOf(j, field));
  return std::optional<Date>(d);
}

Result<TimePoint> Instant(const json& j, const char* field) {
  HOTLINE_ASSIGN_OR_RETURN(std::string s, Str(j, field, 40));
  TimePoint t;
  if (!ParseIso8601(s, &t)) return BadResponse(field);
  return t;
}

Result<AccountStatus> StatusOf(const json& j, const char* field) {
  HOTLINE_ASSIGN_OR_RETURN(std::string s, Str(j, field, 2));
  if (s.size() != 2) return BadResponse(field);
  return ParseAccountStatus(s);  // unknown codes are 99 其他 by contract
}

json D(Date d) { return FormatDate(d); }

}  // namespace

// ---------------------------------------------------------------------------------------------------------------
// Writers

json ToWire(const Subject& s) {
  return {{"type", SubjectTypeName(s.type)}, {"account", s.account}, {"center", s.center_code}};
}
json ToWire(const PersonAccount& a) {
  return {{"account_number", a.account_number},
          {"name", a.name},
          {"citizen_id", a.citizen_id},
          {"mobile", a.mobile},
          {"card_number", a.card_number},
          {"unit_account", a.unit_account},
          {"unit_name", a.unit_name},
          {"status", AccountStatusCode(a.status)},
          {"balance", a.balance},
          {"monthly_deposit", a.monthly_deposit},
          {"last_paid_month", a.last_paid_month},
          {"deposit_base", a.deposit_base},
          {"person_rate_permille", a.person_rate_permille},
          {"unit_rate_permille", a.unit_rate_permille},
          {"opened_on", D(a.opened_on)}};
}
json ToWire(const Loan& l) {
  return {{"loan_number", l.loan_number},
          {"principal", l.principal},
          {"years", l.years},
          {"periods", l.periods},
          {"remaining_periods", l.remaining_periods},
          {"monthly_payment", l.monthly_payment},
          {"last_payment_on", l.last_payment_on ? D(*l.last_payment_on) : json()},
          {"last_payment_amount", l.last_payment_amount},
          {"balance", l.balance},
          {"overdue_periods", l.overdue_periods},
          {"overdue_amount", l.overdue_amount},
          {"status", l.status},
          {"started_on", D(l.started_on)}};
}
json ToWire(const Deposit& d) {
  return {{"date", D(d.on)}, {"month", d.month}, {"amount", d.amount}, {"balance_after", d.balance_after}};
}
json ToWire(const BaseAdjustment& b) {
  return {{"date", D(b.on)}, {"new_base", b.new_base}, {"monthly_deposit", b.monthly_deposit}};
}
json ToWire(const InterestSettlement& i) {
  return {{"date", D(i.on)}, {"amount", i.amount}, {"balance_after", i.balance_after}};
}
json ToWire(const Withdrawal& w) {
  return {{"date", D(w.on)}, {"amount", w.amount}, {"balance_after", w.balance_after}, {"reason", w.reason}};
}
json ToWire(const StatusChange& s) {
  return {{"date", D(s.on)},
          {"from", AccountStatusCode(s.from)},
          {"to", AccountStatusCode(s.to)},
          {"reason", s.reason}};
}
json ToWire(const Eligibility& e) {
  return {{"eligible", e.eligible}, {"kind", e.kind}, {"reasons", e.reasons}, {"max_amount", e.max_amount}};
}
json ToWire(const Progress& p) {
  return {{"kind", BusinessKindName(p.kind)},
          {"reference", p.reference},
          {"stage", p.stage},
          {"detail", p.detail},
          {"updated_on", D(p.updated_on)}};
}
json ToWire(const UnitAccount& u) {
  return {{"unit_account", u.unit_account},
          {"name", u.name},
          {"credit_code", u.credit_code},
          {"address", u.address},
          {"contact_name", u.contact_name},
          {"contact_mobile", u.contact_mobile},
          {"status", AccountStatusCode(u.status)},
          {"person_count", u.person_count},
          {"monthly_deposit", u.monthly_deposit},
          {"last_paid_month", u.last_paid_month},
          {"balance", u.balance},
          {"opened_on", D(u.opened_on)}};
}
json ToWire(const UnitChange& c) {
  return {{"date", D(c.on)},
          {"kind", c.kind},
          {"amount", c.amount},
          {"person_count", c.person_count},
          {"note", c.note}};
}
json ToWire(const Branch& b) {
  return {{"code", b.code},
          {"name", b.name},
          {"center", b.center_code},
          {"address", b.address},
          {"slot_capacity", b.slot_capacity}};
}
json ToWire(const QueueStatus& q) {
  return {{"branch", q.branch_code},
          {"branch_name", q.branch_name},
          {"serving_number", q.serving_number},
          {"waiting", q.waiting},
          {"estimated_wait_minutes", q.estimated_wait_minutes},
          {"as_of", FormatUtc(q.as_of)}};
}
json ToWire(const SlotAvailability& s) {
  return {{"slot", s.slot}, {"capacity", s.capacity}, {"booked", s.booked}};
}
json ToWire(const Appointment& a) {
  return {{"reference", a.reference},
          {"kind", AppointmentKindName(a.kind)},
          {"branch", a.branch_code},
          {"branch_name", a.branch_name},
          {"date", D(a.date)},
          {"slot", a.slot},
          {"state", a.state},
          {"created_at", FormatUtc(a.created_at)},
          {"cancelled_at", a.cancelled_at ? json(FormatUtc(*a.cancelled_at)) : json()}};
}
json ToWire(const HistoryQuery& q) {
  return {{"from", q.from ? D(*q.from) : json()}, {"to", q.to ? D(*q.to) : json()}, {"limit", q.limit}};
}
json ErrorToWire(const Error& e) { return {{"error", {{"code", e.code}, {"message", e.message}}}}; }

// ---------------------------------------------------------------------------------------------------------------
// Readers

Result<Subject> SubjectFromWire(const json& j) {
  Subject s;
  HOTLINE_ASSIGN_OR_RETURN(std::string type, Str(j, "type", 10));
  if (type != "person" && type != "unit") return BadResponse("type");
  s.type = type == "person" ? SubjectType::kPerson : SubjectType::kUnit;
  HOTLINE_ASSIGN_OR_RETURN(s.account, Str(j, "account", 40));
  if (s.account.empty()) return BadResponse("account");
  HOTLINE_ASSIGN_OR_RETURN(s.center_code, Str(j, "center", 32));
  return s;
}

Result<PersonAccount> PersonAccountFromWire(const json& j) {
  PersonAccount a;
  HOTLINE_ASSIGN_OR_RETURN(a.account_number, Str(j, "account_number", 40));
  HOTLINE_ASSIGN_OR_RETURN(a.name, Str(j, "name", 50));
  HOTLINE_ASSIGN_OR_RETURN(a.citizen_id, Str(j, "citizen_id", 18));
  HOTLINE_ASSIGN_OR_RETURN(a.mobile, Str(j, "mobile", 20, true));
  HOTLINE_ASSIGN_OR_RETURN(a.card_number, Str(j, "card_number", 30, true));
  HOTLINE_ASSIGN_OR_RETURN(a.unit_account, Str(j, "unit_account", 40, true));
  HOTLINE_ASSIGN_OR_RETURN(a.unit_name, Str(j, "unit_name", 100, true));
  HOTLINE_ASSIGN_OR_RETURN(a.status, StatusOf(j, "status"));
  HOTLINE_ASSIGN_OR_RETURN(a.balance, Money(j, "balance"));
  HOTLINE_ASSIGN_OR_RETURN(a.monthly_deposit, Money(j, "monthly_deposit"));
  HOTLINE_ASSIGN_OR_RETURN(a.last_paid_month, Str(j, "last_paid_month", 7, true));
  HOTLINE_ASSIGN_OR_RETURN(a.deposit_base, Money(j, "deposit_base"));
  HOTLINE_ASSIGN_OR_RETURN(int64_t pr, Int(j, "person_rate_permille", 0, 1000));
  HOTLINE_ASSIGN_OR_RETURN(int64_t ur, Int(j, "unit_rate_permille", 0, 1000));
  a.person_rate_permille = static_cast<int>(pr);
  a.unit_rate_permille = static_cast<int>(ur);
  HOTLINE_ASSIGN_OR_RETURN(a.opened_on, DateOf(j, "opened_on"));
  return a;
}

Result<Loan> LoanFromWire(const json& j) {
  Loan l;
  HOTLINE_ASSIGN_OR_RETURN(l.loan_number, Str(j, "loan_number", 40));
  HOTLINE_ASSIGN_OR_RETURN(l.principal, Money(j, "principal"));
  HOTLINE_ASSIGN_OR_RETURN(int64_t years, Int(j, "years", 0, 50));
  HOTLINE_ASSIGN_OR_RETURN(int64_t periods, Int(j, "periods", 0, 600));
  HOTLINE_ASSIGN_OR_RETURN(int64_t remaining, Int(j, "remaining_periods", 0, 600));
  HOTLINE_ASSIGN_OR_RETURN(int64_t overdue, Int(j, "overdue_periods", 0, 600));
  l.years = static_cast<int>(years);
  l.periods = static_cast<int>(periods);
  l.remaining_periods = static_cast<int>(remaining);
  l.overdue_periods = static_cast<int>(overdue);
  HOTLINE_ASSIGN_OR_RETURN(l.monthly_payment, Money(j, "monthly_payment"));
  HOTLINE_ASSIGN_OR_RETURN(l.last_payment_on, OptDate(j, "last_payment_on"));
  HOTLINE_ASSIGN_OR_RETURN(l.last_payment_amount, Money(j, "last_payment_amount"));
  HOTLINE_ASSIGN_OR_RETURN(l.balance, Money(j, "balance"));
  HOTLINE_ASSIGN_OR_RETURN(l.overdue_amount, Money(j, "overdue_amount"));
  HOTLINE_ASSIGN_OR_RETURN(l.status, Str(j, "status", 20));
  HOTLINE_ASSIGN_OR_RETURN(l.started_on, DateOf(j, "started_on"));
  return l;
}

Result<Deposit> DepositFromWire(const json& j) {
  Deposit d;
  HOTLINE_ASSIGN_OR_RETURN(d.on, DateOf(j, "date"));
  HOTLINE_ASSIGN_OR_RETURN(d.month, Str(j, "month", 7));
  HOTLINE_ASSIGN_OR_RETURN(d.amount, Money(j, "amount"));
  HOTLINE_ASSIGN_OR_RETURN(d.balance_after, Money(j, "balance_after"));
  return d;
}
Result<BaseAdjustment> BaseAdjustmentFromWire(const json& j) {
  BaseAdjustment b;
  HOTLINE_ASSIGN_OR_RETURN(b.on, DateOf(j, "date"));
  HOTLINE_ASSIGN_OR_RETURN(b.new_base, Money(j, "new_base"));
  HOTLINE_ASSIGN_OR_RETURN(b.monthly_deposit, Money(j, "monthly_deposit"));
  return b;
}
Result<InterestSettlement> InterestFromWire(const json& j) {
  InterestSettlement i;
  HOTLINE_ASSIGN_OR_RETURN(i.on, DateOf(j, "date"));
  HOTLINE_ASSIGN_OR_RETURN(i.amount, Money(j, "amount"));
  HOTLINE_ASSIGN_OR_RETURN(i.balance_after, Money(j, "balance_after"));
  return i;
}
Result<Withdrawal> WithdrawalFromWire(const json& j) {
  Withdrawal w;
  HOTLINE_ASSIGN_OR_RETURN(w.on, DateOf(j, "date"));
  HOTLINE_ASSIGN_OR_RETURN(w.amount, Money(j, "amount"));
  HOTLINE_ASSIGN_OR_RETURN(w.balance_after, Money(j, "balance_after"));
  HOTLINE_ASSIGN_OR_RETURN(w.reason, Str(j, "reason", 100, true));
  return w;
}
Result<StatusChange> StatusChangeFromWire(const json& j) {
  StatusChange s;
  HOTLINE_ASSIGN_OR_RETURN(s.on, DateOf(j, "date"));
  HOTLINE_ASSIGN_OR_RETURN(s.from, StatusOf(j, "from"));
  HOTLINE_ASSIGN_OR_RETURN(s.to, StatusOf(j, "to"));
  HOTLINE_ASSIGN_OR_RETURN(s.reason, Str(j, "reason", 100, true));
  return s;
}
Result<Eligibility> EligibilityFromWire(const json& j) {
  Eligibility e;
  if (!j.is_object() || !j.contains("eligible") || !j["eligible"].is_boolean())
    return BadResponse("eligible");
  e.eligible = j["eligible"].get<bool>();
  HOTLINE_ASSIGN_OR_RETURN(e.kind, Str(j, "kind", 20));
  if (!j.contains("reasons") || !j["reasons"].is_array() || j["reasons"].size() > 50)
    return BadResponse("reasons");
  for (const auto& r : j["reasons"]) {
    HOTLINE_ASSIGN_OR_RETURN(std::string s, Str(json{{"r", r}}, "r", 200));
    e.reasons.push_back(std::move(s));
  }
  HOTLINE_ASSIGN_OR_RETURN(e.max_amount, Money(j, "max_amount"));
  return e;
}
Result<Progress> ProgressFromWire(const json& j) {
  Progress p;
  HOTLINE_ASSIGN_OR_RETURN(std::string kind, Str(j, "kind", 30));
  auto k = ParseBusinessKind(kind);
  if (!k) return BadResponse("kind");
  p.kind = *k;
  HOTLINE_ASSIGN_OR_RETURN(p.reference, Str(j, "reference", 40));
  HOTLINE_ASSIGN_OR_RETURN(p.stage, Str(j, "stage", 20));
  HOTLINE_ASSIGN_OR_RETURN(p.detail, Str(j, "detail", 200, true));
  HOTLINE_ASSIGN_OR_RETURN(p.updated_on, DateOf(j, "updated_on"));
  return p;
}
Result<UnitAccount> UnitAccountFromWire(const json& j) {
  UnitAccount u;
  HOTLINE_ASSIGN_OR_RETURN(u.unit_account, Str(j, "unit_account", 40));
  HOTLINE_ASSIGN_OR_RETURN(u.name, Str(j, "name", 100));
  HOTLINE_ASSIGN_OR_RETURN(u.credit_code, Str(j, "credit_code", 18, true));
  HOTLINE_ASSIGN_OR_RETURN(u.address, Str(j, "address", 200, true));
  HOTLINE_ASSIGN_OR_RETURN(u.contact_name, Str(j, "contact_name", 50, true));
  HOTLINE_ASSIGN_OR_RETURN(u.contact_mobile, Str(j, "contact_mobile", 20, true));
  HOTLINE_ASSIGN_OR_RETURN(u.status, StatusOf(j, "status"));
  HOTLINE_ASSIGN_OR_RETURN(int64_t n, Int(j, "person_count", 0, 10000000));
  u.person_count = static_cast<int>(n);
  HOTLINE_ASSIGN_OR_RETURN(u.monthly_deposit, Money(j, "monthly_deposit"));
  HOTLINE_ASSIGN_OR_RETURN(u.last_paid_month, Str(j, "last_paid_month", 7, true));
  HOTLINE_ASSIGN_OR_RETURN(u.balance, Money(j, "balance"));
  HOTLINE_ASSIGN_OR_RETURN(u.opened_on, DateOf(j, "opened_on"));
  return u;
}
Result<UnitChange> UnitChangeFromWire(const json& j) {
  UnitChange c;
  HOTLINE_ASSIGN_OR_RETURN(c.on, DateOf(j, "date"));
  HOTLINE_ASSIGN_OR_RETURN(c.kind, Str(j, "kind", 20));
  HOTLINE_ASSIGN_OR_RETURN(c.amount, Money(j, "amount"));
  HOTLINE_ASSIGN_OR_RETURN(int64_t n, Int(j, "person_count", 0, 10000000));
  c.person_count = static_cast<int>(n);
  HOTLINE_ASSIGN_OR_RETURN(c.note, Str(j, "note", 200, true));
  return c;
}
Result<Branch> BranchFromWire(const json& j) {
  Branch b;
  HOTLINE_ASSIGN_OR_RETURN(b.code, Str(j, "code", 40));
  HOTLINE_ASSIGN_OR_RETURN(b.name, Str(j, "name", 100));
  HOTLINE_ASSIGN_OR_RETURN(b.center_code, Str(j, "center", 32));
  HOTLINE_ASSIGN_OR_RETURN(b.address, Str(j, "address", 200, true));
  HOTLINE_ASSIGN_OR_RETURN(int64_t cap, Int(j, "slot_capacity", 0, 100000));
  b.slot_capacity = static_cast<int>(cap);
  return b;
}
Result<QueueStatus> QueueFromWire(const json& j) {
  QueueStatus q;
  HOTLINE_ASSIGN_OR_RETURN(q.branch_code, Str(j, "branch", 40));
  HOTLINE_ASSIGN_OR_RETURN(q.branch_name, Str(j, "branch_name", 100));
  HOTLINE_ASSIGN_OR_RETURN(q.serving_number, Str(j, "serving_number", 20, true));
  HOTLINE_ASSIGN_OR_RETURN(int64_t waiting, Int(j, "waiting", 0, 100000));
  HOTLINE_ASSIGN_OR_RETURN(int64_t minutes, Int(j, "estimated_wait_minutes", 0, 100000));
  q.waiting = static_cast<int>(waiting);
  q.estimated_wait_minutes = static_cast<int>(minutes);
  HOTLINE_ASSIGN_OR_RETURN(q.as_of, Instant(j, "as_of"));
  return q;
}
Result<SlotAvailability> SlotFromWire(const json& j) {
  SlotAvailability s;
  HOTLINE_ASSIGN_OR_RETURN(s.slot, Str(j, "slot", 11));
  HOTLINE_ASSIGN_OR_RETURN(int64_t cap, Int(j, "capacity", 0, 100000));
  HOTLINE_ASSIGN_OR_RETURN(int64_t booked, Int(j, "booked", 0, 100000));
  s.capacity = static_cast<int>(cap);
  s.booked = static_cast<int>(booked);
  return s;
}
Result<Appointment> AppointmentFromWire(const json& j) {
  Appointment a;
  HOTLINE_ASSIGN_OR_RETURN(a.reference, Str(j, "reference", 40));
  HOTLINE_ASSIGN_OR_RETURN(std::string kind, Str(j, "kind", 30));
  auto k = ParseAppointmentKind(kind);
  if (!k) return BadResponse("kind");
  a.kind = *k;
  HOTLINE_ASSIGN_OR_RETURN(a.branch_code, Str(j, "branch", 40));
  HOTLINE_ASSIGN_OR_RETURN(a.branch_name, Str(j, "branch_name", 100, true));
  HOTLINE_ASSIGN_OR_RETURN(a.date, DateOf(j, "date"));
  HOTLINE_ASSIGN_OR_RETURN(a.slot, Str(j, "slot", 11));
  HOTLINE_ASSIGN_OR_RETURN(a.state, Str(j, "state", 20));
  if (a.state != "booked" && a.state != "cancelled") return BadResponse("state");
  HOTLINE_ASSIGN_OR_RETURN(a.created_at, Instant(j, "created_at"));
  if (j.contains("cancelled_at") && !j["cancelled_at"].is_null()) {
    HOTLINE_ASSIGN_OR_RETURN(TimePoint t, Instant(j, "cancelled_at"));
    a.cancelled_at = t;
  }
  return a;
}
Result<HistoryQuery> HistoryQueryFromWire(const json& j) {
  HistoryQuery q;
  HOTLINE_ASSIGN_OR_RETURN(q.from, OptDate(j, "from"));
  HOTLINE_ASSIGN_OR_RETURN(q.to, OptDate(j, "to"));
  HOTLINE_ASSIGN_OR_RETURN(int64_t limit, Int(j, "limit", 1, 500));
  q.limit = static_cast<int>(limit);
  return q;
}

Result<nlohmann::json> ParseResponse(int status, std::string_view body) {
  if (status >= 500 || status == 429 || status == 408)
    return Error{ErrorKind::kUnavailable, "fund_unavailable", "公积金业务系统繁忙，请稍后再试"};
  auto parsed = ParseJsonObjectBytes(body.substr(0, std::min<size_t>(body.size(), 8 << 20)), 16);
  if (status >= 200 && status < 300) {
    if (!parsed.ok() || body.size() > (8u << 20)) return BadResponse("body");
    return std::move(parsed).value();
  }
  // 4xx: the core system refused; keep the codes callers act on.
  std::string code = "fund_rejected", message = "公积金业务系统拒绝了该请求";
  if (parsed.ok() && parsed->contains("error") && (*parsed)["error"].is_object()) {
    const auto& e = (*parsed)["error"];
    auto c = Str(e, "code", 40, true);
    auto m = Str(e, "message", 200, true);
    if (c.ok() && !c->empty()) code = *c;
    if (m.ok() && !m->empty()) message = *m;
  }
  if (code == "not_found" || status == 404) return Error::NotFound(message);
  if (code == "slot_full" || code == "appointment_exists") return Error::Conflict(code, message);
  if (code == "slot_outside_hours") return Error::InvalidArgument(code, message);
  if (code == "appointment_not_active") return Error{ErrorKind::kFailedPrecondition, code, message};
  return Error{ErrorKind::kFailedPrecondition, "fund_rejected", message};
}

}  // namespace hotline::fund::wire
