#include "fund/embedded_fund_port.hpp"

#include <algorithm>

namespace hotline::fund {
namespace {

using store::QueryResult;

Date DateOf(const store::Value& v) {
  Date d{};
  ParseDate(v.AsText(), &d);
  return d;
}

std::string_view SubjectTable(SubjectType t) {
  return t == SubjectType::kPerson ? "fund_persons" : "fund_units";
}

int ClampLimit(int limit) { return std::clamp(limit, 1, 500); }

// The booked-count key of a slot. Dates and slots are validated before.
constexpr std::string_view kDummySalt = "0000000000000000";

Error SubjectGone() { return Error::NotFound("账户不存在"); }

}  // namespace

std::vector<std::string> SplitSlots(std::string_view slots) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= slots.size()) {
    size_t comma = slots.find(',', start);
    if (comma == std::string_view::npos) comma = slots.size();
    if (comma > start) out.emplace_back(slots.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Result<std::optional<std::pair<Subject, EmbeddedFundPort::Row>>> EmbeddedFundPort::Lookup(
    std::string_view center_code, LoginKind kind, std::string_view login_id) {
  std::string sql;
  SubjectType type = SubjectType::kPerson;
  switch (kind) {
    case LoginKind::kAccountNumber:
      sql =
          "SELECT id, account_number AS account, pw_salt, pw_hash FROM fund_persons "
          "WHERE account_number = $1 AND center_code = $2";
      break;
    case LoginKind::kCitizenId:
      // A citizen may have an older, closed account beside the current one: the normal account wins, then
      // the newest.
      sql =
          "SELECT id, account_number AS account, pw_salt, pw_hash FROM fund_persons "
          "WHERE citizen_id = $1 AND center_code = $2 ORDER BY CASE WHEN status = '01' THEN 0 ELSE 1 END, id "
          "DESC "
          "LIMIT 1";
      break;
    case LoginKind::kCardNumber:
      sql =
          "SELECT id, account_number AS account, pw_salt, pw_hash FROM fund_persons "
          "WHERE card_number = $1 AND center_code = $2 ORDER BY id DESC LIMIT 1";
      break;
    case LoginKind::kUnitAccount:
      type = SubjectType::kUnit;
      sql =
          "SELECT id, unit_account AS account, pw_salt, pw_hash FROM fund_units "
          "WHERE unit_account = $1 AND center_code = $2";
      break;
  }
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r, db_.Query(sql, {std::string(login_id), std::string(center_code)}));
  if (r.empty()) return std::optional<std::pair<Subject, Row>>();
  Subject s{.type = type, .account = r.At(0, "account").AsText(), .center_code = std::string(center_code)};
  Row row{
      .id = r.At(0, "id").AsInt(), .salt = r.At(0, "pw_salt").AsText(), .hash = r.At(0, "pw_hash").AsText()};
  return std::optional<std::pair<Subject, Row>>(std::make_pair(std::move(s), std::move(row)));
}

Result<std::optional<Subject>> EmbeddedFundPort::CheckPassword(std::string_view center_code, LoginKind kind,
                                                               std::string_view login_id,
                                                               std::string_view password) {
  HOTLINE_ASSIGN_OR_RETURN(auto found, Lookup(center_code, kind, login_id));
  if (!found) {
    // The same hashing work as for a real record, so timing does not tell whether the id exists.
    (void)pins_.Verify(kDummySalt, password, std::string(64, '0'));
    return std::optional<Subject>();
  }
  if (!pins_.Verify(found->second.salt, password, found->second.hash)) return std::optional<Subject>();
  return std::optional<Subject>(std::move(found->first));
}

Result<std::optional<Subject>> EmbeddedFundPort::FindSubject(std::string_view center_code, LoginKind kind,
                                                             std::string_view login_id) {
  HOTLINE_ASSIGN_OR_RETURN(auto found, Lookup(center_code, kind, login_id));
  if (!found) return std::optional<Subject>();
  return std::optional<Subject>(std::move(found->first));
}

Result<int64_t> EmbeddedFundPort::SubjectId(const Subject& s) {
  std::string sql = std::string("SELECT id FROM ") + std::string(SubjectTable(s.type)) + " WHERE " +
                    (s.type == SubjectType::kPerson ? "account_number" : "unit_account") +
                    " = $1 AND center_code = $2";
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r, db_.Query(sql, {s.account, s.center_code}));
  if (r.empty()) return SubjectGone();
  return r.rows[0][0].AsInt();
}

Result<PersonAccount> EmbeddedFundPort::GetPersonAccount(const Subject& person) {
  HOTLINE_ASSIGN_OR_RETURN(
      QueryResult r,
      db_.Query(
          "SELECT p.account_number, p.name, p.citizen_id, p.mobile, p.card_number, p.status, p.balance, "
          "p.monthly_deposit, p.last_paid_month, p.deposit_base, p.person_rate, p.unit_rate, p.opened_on, "
          "u.unit_account, u.name AS unit_name FROM fund_persons p LEFT JOIN fund_units u ON u.id = "
          "p.unit_id "
          "WHERE p.account_number = $1 AND p.center_code = $2",
          {person.account, person.center_code}));
  if (r.empty()) return SubjectGone();
  PersonAccount a;
  a.account_number = r.At(0, "account_number").AsText();
  a.name = r.At(0, "name").AsText();
  a.citizen_id = r.At(0, "citizen_id").AsText();
  a.mobile = r.At(0, "mobile").AsText();
  a.card_number = r.At(0, "card_number").AsText();
  a.unit_account = r.At(0, "unit_account").AsText();
  a.unit_name = r.At(0, "unit_name").AsText();
  a.status = ParseAccountStatus(r.At(0, "status").AsText());
  a.balance = r.At(0, "balance").AsInt();
  a.monthly_deposit = r.At(0, "monthly_deposit").AsInt();
  a.last_paid_month = r.At(0, "last_paid_month").AsText();
  a.deposit_base = r.At(0, "deposit_base").AsInt();
  a.person_rate_permille = static_cast<int>(r.At(0, "person_rate").AsInt());
  a.unit_rate_permille = static_cast<int>(r.At(0, "unit_rate").AsInt());
  a.opened_on = DateOf(r.At(0, "opened_on"));
  return a;
}

Result<std::vector<Loan>> EmbeddedFundPort::GetLoans(const Subject& person) {
  HOTLINE_ASSIGN_OR_RETURN(int64_t id, SubjectId(person));
  HOTLINE_ASSIGN_OR_RETURN(
      QueryResult r,
      db_.Query("SELECT * FROM fund_loans WHERE person_id = $1 ORDER BY started_on DESC", {id}));
  std::vector<Loan> out;
  for (size_t i = 0; i < r.size(); ++i) {
    Loan l;
    l.loan_number = r.At(i, "loan_number").AsText();
    l.principal = r.At(i, "principal").AsInt();
    l.years = static_cast<int>(r.At(i, "years").AsInt());
    l.periods = static_cast<int>(r.At(i, "periods").AsInt());
    l.remaining_periods = static_cast<int>(r.At(i, "remaining_periods").AsInt());
    l.monthly_payment = r.At(i, "monthly_payment").AsInt();
    if (!r.At(i, "last_payment_on").is_null()) l.last_payment_on = DateOf(r.At(i, "last_payment_on"));
    l.last_payment_amount = r.At(i, "last_payment_amount").AsInt();
    l.balance = r.At(i, "balance").AsInt();
    l.overdue_periods = static_cast<int>(r.At(i, "overdue_periods").AsInt());
    l.overdue_amount = r.At(i, "overdue_amount").AsInt();
    l.status = r.At(i, "status").AsText();
    l.started_on = DateOf(r.At(i, "started_on"));
    out.push_back(std::move(l));
  }
  return out;
}

Result<QueryResult> EmbeddedFundPort::History(const Subject& person, std::string_view kind,
                                              const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(int64_t id, SubjectId(person));
  return db_.Query(
      "SELECT on_date, amount, balance_after, note FROM fund_history WHERE person_id = $1 AND kind = $2 "
      "AND ($3::text IS NULL OR on_date >= $3) AND ($4::text IS NULL OR on_date <= $4) "
      "ORDER BY on_date DESC, seq DESC LIMIT $5",
      {id, std::string(kind), q.from ? store::Value(FormatDate(*q.from)) : store::Value(),
       q.to ? store::Value(FormatDate(*q.to)) : store::Value(), ClampLimit(q.limit)});
}

Result<std::vector<Deposit>> EmbeddedFundPort::GetDeposits(const Subject& person, const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r, History(person, "deposit", q));
  std::vector<Deposit> out;
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({.on = DateOf(r.At(i, "on_date")),
                   .month = r.At(i, "note").AsText(),
                   .amount = r.At(i, "amount").AsInt(),
                   .balance_after = r.At(i, "balance_after").AsInt()});
  return out;
}

Result<std::vector<BaseAdjustment>> EmbeddedFundPort::GetBaseAdjustments(const Subject& person,
                                                                         const HistoryQuery& q) {
  // amount = the new base; balance_after = the new monthly deposit (the table's two money columns).
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r, History(person, "base", q));
  std::vector<BaseAdjustment> out;
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({.on = DateOf(r.At(i, "on_date")),
                   .new_base = r.At(i, "amount").AsInt(),
                   .monthly_deposit = r.At(i, "balance_after").AsInt()});
  return out;
}

Result<std::vector<InterestSettlement>> EmbeddedFundPort::GetInterestSettlements(const Subject& person,
                                                                                 const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r, History(person, "interest", q));
  std::vector<InterestSettlement> out;
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({.on = DateOf(r.At(i, "on_date")),
                   .amount = r.At(i, "amount").AsInt(),
                   .balance_after = r.At(i, "balance_after").AsInt()});
  return out;
}

Result<std::vector<Withdrawal>> EmbeddedFundPort::GetWithdrawals(const Subject& person,
                                                                 const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r, History(person, "withdrawal", q));
  std::vector<Withdrawal> out;
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({.on = DateOf(r.At(i, "on_date")),
                   .amount = r.At(i, "amount").AsInt(),
                   .balance_after = r.At(i, "balance_after").AsInt(),
                   .reason = r.At(i, "note").AsText()});
  return out;
}

Result<std::vector<StatusChange>> EmbeddedFundPort::GetStatusChanges(const Subject& person,
                                                                     const HistoryQuery& q) {
  // note = "FROM>TO 原因", e.g. "01>02 单位转出封存".
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r, History(person, "status", q));
  std::vector<StatusChange> out;
  for (size_t i = 0; i < r.size(); ++i) {
    std::string note = r.At(i, "note").AsText();
    StatusChange c{.on = DateOf(r.At(i, "on_date"))};
    if (note.size() >= 5 && note[2] == '>') {
      c.from = ParseAccountStatus(note.substr(0, 2));
      c.to = ParseAccountStatus(note.substr(3, 2));
      c.reason = note.size() > 6 ? note.substr(6) : "";
    } else {
      c.from = c.to = AccountStatus::kOther;
      c.reason = note;
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<Eligibility> EmbeddedFundPort::GetLoanEligibility(const Subject& person) {
  HOTLINE_ASSIGN_OR_RETURN(PersonAccount a, GetPersonAccount(person));
  HOTLINE_ASSIGN_OR_RETURN(std::vector<Loan> loans, GetLoans(person));
  Date today = zone_.LocalDay(clock_.Now());
  Eligibility e{.eligible = true, .kind = "loan"};
  auto no = [&e](std::string why) {
    e.eligible = false;
    e.reasons.push_back(std::move(why));
  };
  if (a.status != AccountStatus::kNormal)
    no("账户状态为" + std::string(AccountStatusLabel(a.status)) + "，须为正常缴存");
  if (a.opened_on + std::chrono::days(183) > today) no("连续足额缴存未满 6 个月");
  std::chrono::year_month_day ymd{today};
  // Paid up to last month or the month before (the unit pays the current month during the month).
  auto months = [](std::string_view ym) {
    return ym.size() == 7
               ? std::stoi(std::string(ym.substr(0, 4))) * 12 + std::stoi(std::string(ym.substr(5, 2)))
               : 0;
  };
  int now_months = static_cast<int>(ymd.year()) * 12 + static_cast<int>(static_cast<unsigned>(ymd.month()));
  if (now_months - months(a.last_paid_month) > 2) no("近期未正常汇缴（末次汇缴 " + a.last_paid_month + "）");
  for (const Loan& l : loans) {
    if (l.status == "repaying") no("尚有未结清的公积金贷款");
    if (l.overdue_periods > 0) no("贷款存在逾期");
  }
  // 可贷额度: 15 times the balance, at most 600,000 yuan (the demo centre's cap for one borrower).
  e.max_amount = e.eligible ? std::min<Fen>(a.balance * 15, 60000000) : 0;
  if (e.eligible)
    e.reasons.push_back("符合申请条件，最高可贷 " + FormatYuan(e.max_amount) + "（以审批为准）");
  return e;
}

Result<Eligibility> EmbeddedFundPort::GetWithdrawalEligibility(const Subject& person) {
  HOTLINE_ASSIGN_OR_RETURN(PersonAccount a, GetPersonAccount(person));
  Eligibility e{.eligible = true, .kind = "withdrawal"};
  if (a.status != AccountStatus::kNormal && a.status != AccountStatus::kSealed) {
    e.eligible = false;
    e.reasons.push_back("账户状态为" + std::string(AccountStatusLabel(a.status)) + "，不能办理提取");
  }
  if (a.balance <= 0) {
    e.eligible = false;
    e.reasons.push_back("账户余额为零");
  }
  if (e.eligible) {
    // Keep one month's deposit in a normal account (the centre's rule for 租房/购房 withdrawals).
    e.max_amount =
        a.status == AccountStatus::kSealed ? a.balance : std::max<Fen>(0, a.balance - a.monthly_deposit);
    e.reasons.push_back(a.status == AccountStatus::kSealed ? "账户封存，可申请离职/销户提取"
                                                           : "可申请购房、租房等提取，需提供相应材料");
  }
  return e;
}

Result<std::vector<Progress>> EmbeddedFundPort::GetProgress(const Subject& subject,
                                                            std::optional<BusinessKind> kind) {
  HOTLINE_ASSIGN_OR_RETURN(int64_t id, SubjectId(subject));
  HOTLINE_ASSIGN_OR_RETURN(
      QueryResult r,
      db_.Query(
          "SELECT kind, reference, stage, detail, updated_on FROM fund_progress WHERE subject_type = $1 AND "
          "subject_id = $2 AND ($3::text IS NULL OR kind = $3) ORDER BY updated_on DESC LIMIT 100",
          {std::string(SubjectTypeName(subject.type)), id,
           kind ? store::Value(std::string(BusinessKindName(*kind))) : store::Value()}));
  std::vector<Progress> out;
  for (size_t i = 0; i < r.size(); ++i) {
    auto k = ParseBusinessKind(r.At(i, "kind").AsText());
    out.push_back({.kind = k.value_or(BusinessKind::kUnitOther),
                   .reference = r.At(i, "reference").AsText(),
                   .stage = r.At(i, "stage").AsText(),
                   .detail = r.At(i, "detail").AsText(),
                   .updated_on = DateOf(r.At(i, "updated_on"))});
  }
  return out;
}

Result<UnitAccount> EmbeddedFundPort::GetUnitAccount(const Subject& unit) {
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r,
                           db_.Query("SELECT * FROM fund_units WHERE unit_account = $1 AND center_code = $2",
                                     {unit.account, unit.center_code}));
  if (r.empty()) return SubjectGone();
  UnitAccount u;
  u.unit_account = r.At(0, "unit_account").AsText();
  u.name = r.At(0, "name").AsText();
  u.credit_code = r.At(0, "credit_code").AsText();
  u.address = r.At(0, "address").AsText();
  u.contact_name = r.At(0, "contact_name").AsText();
  u.contact_mobile = r.At(0, "contact_mobile").AsText();
  u.status = ParseAccountStatus(r.At(0, "status").AsText());
  u.person_count = static_cast<int>(r.At(0, "person_count").AsInt());
  u.monthly_deposit = r.At(0, "monthly_deposit").AsInt();
  u.last_paid_month = r.At(0, "last_paid_month").AsText();
  u.balance = r.At(0, "balance").AsInt();
  u.opened_on = DateOf(r.At(0, "opened_on"));
  return u;
}

Result<std::vector<UnitChange>> EmbeddedFundPort::GetUnitChanges(const Subject& unit, const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(int64_t id, SubjectId(unit));
  HOTLINE_ASSIGN_OR_RETURN(
      QueryResult r,
      db_.Query("SELECT on_date, kind, amount, person_count, note FROM fund_unit_history WHERE unit_id = $1 "
                "AND ($2::text IS NULL OR on_date >= $2) AND ($3::text IS NULL OR on_date <= $3) "
                "ORDER BY on_date DESC LIMIT $4",
                {id, q.from ? store::Value(FormatDate(*q.from)) : store::Value(),
                 q.to ? store::Value(FormatDate(*q.to)) : store::Value(), ClampLimit(q.limit)}));
  std::vector<UnitChange> out;
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({.on = DateOf(r.At(i, "on_date")),
                   .kind = r.At(i, "kind").AsText(),
                   .amount = r.At(i, "amount").AsInt(),
                   .person_count = static_cast<int>(r.At(i, "person_count").AsInt()),
                   .note = r.At(i, "note").AsText()});
  return out;
}

Result<std::vector<Branch>> EmbeddedFundPort::ListBranches(std::string_view center_code) {
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r,
                           db_.Query("SELECT * FROM fund_branches WHERE center_code = $1 ORDER BY code",
                                     {std::string(center_code)}));
  std::vector<Branch> out;
  for (size_t i = 0; i < r.size(); ++i)
    out.push_back({.code = r.At(i, "code").AsText(),
                   .name = r.At(i, "name").AsText(),
                   .center_code = r.At(i, "center_code").AsText(),
                   .address = r.At(i, "address").AsText(),
                   .slot_capacity = static_cast<int>(r.At(i, "slot_capacity").AsInt())});
  return out;
}

Result<Branch> EmbeddedFundPort::FindBranch(std::string_view center_code, std::string_view code,
                                            int64_t* id) {
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r,
                           db_.Query("SELECT * FROM fund_branches WHERE center_code = $1 AND code = $2",
                                     {std::string(center_code), std::string(code)}));
  if (r.empty()) return Error::NotFound("没有这个网点");
  if (id) *id = r.At(0, "id").AsInt();
  return Branch{.code = r.At(0, "code").AsText(),
                .name = r.At(0, "name").AsText(),
                .center_code = r.At(0, "center_code").AsText(),
                .address = r.At(0, "address").AsText(),
                .slot_capacity = static_cast<int>(r.At(0, "slot_capacity").AsInt())};
}

Result<QueueStatus> EmbeddedFundPort::GetQueue(std::string_view center_code, std::string_view branch_code) {
  int64_t id = 0;
  HOTLINE_ASSIGN_OR_RETURN(Branch b, FindBranch(center_code, branch_code, &id));
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r, db_.Query("SELECT * FROM fund_queue WHERE branch_id = $1", {id}));
  QueueStatus q{.branch_code = b.code, .branch_name = b.name};
  if (r.empty()) {
    q.serving_number = "";
    q.as_of = clock_.Now();
    return q;
  }
  q.serving_number = r.At(0, "serving_number").AsText();
  q.waiting = static_cast<int>(r.At(0, "waiting").AsInt());
  q.estimated_wait_minutes = q.waiting * static_cast<int>(r.At(0, "minutes_per_person").AsInt());
  q.as_of = FromEpochMillis(r.At(0, "updated_at").AsInt());
  return q;
}

Result<std::vector<SlotAvailability>> EmbeddedFundPort::GetSlots(std::string_view center_code,
                                                                 std::string_view branch_code, Date date) {
  int64_t id = 0;
  HOTLINE_ASSIGN_OR_RETURN(Branch b, FindBranch(center_code, branch_code, &id));
  HOTLINE_ASSIGN_OR_RETURN(QueryResult slots,
                           db_.Query("SELECT slots FROM fund_branches WHERE id = $1", {id}));
  HOTLINE_ASSIGN_OR_RETURN(QueryResult booked,
                           db_.Query("SELECT slot, booked FROM fund_slot_bookings WHERE branch_id = $1 "
                                     "AND on_date = $2",
                                     {id, FormatDate(date)}));
  std::vector<SlotAvailability> out;
  for (auto& s : SplitSlots(slots.rows[0][0].AsText())) {
    SlotAvailability a{.slot = s, .capacity = b.slot_capacity};
    for (size_t i = 0; i < booked.size(); ++i)
      if (booked.At(i, "slot").AsText() == s) a.booked = static_cast<int>(booked.At(i, "booked").AsInt());
    out.push_back(std::move(a));
  }
  return out;
}

namespace {

Appointment AppointmentOf(const QueryResult& r, size_t i) {
  Appointment a;
  a.reference = r.At(i, "reference").AsText();
  a.kind = ParseAppointmentKind(r.At(i, "kind").AsText()).value_or(AppointmentKind::kWithdrawal);
  a.branch_code = r.At(i, "branch_code").AsText();
  a.branch_name = r.At(i, "branch_name").AsText();
  a.date = DateOf(r.At(i, "on_date"));
  a.slot = r.At(i, "slot").AsText();
  a.state = r.At(i, "state").AsText();
  a.created_at = FromEpochMillis(r.At(i, "created_at").AsInt());
  if (!r.At(i, "cancelled_at").is_null()) a.cancelled_at = FromEpochMillis(r.At(i, "cancelled_at").AsInt());
  return a;
}

constexpr std::string_view kAppointmentSelect =
    "SELECT a.reference, a.kind, b.code AS branch_code, b.name AS branch_name, a.on_date, a.slot, a.state, "
    "a.created_at, a.cancelled_at FROM fund_appointments a JOIN fund_branches b ON b.id = a.branch_id ";

}  // namespace

Result<Appointment> EmbeddedFundPort::CreateAppointment(const Subject& subject,
                                                        const NewAppointment& request) {
  int64_t branch_id = 0;
  HOTLINE_ASSIGN_OR_RETURN(Branch b, FindBranch(subject.center_code, request.branch_code, &branch_id));
  HOTLINE_ASSIGN_OR_RETURN(QueryResult slots,
                           db_.Query("SELECT slots FROM fund_branches WHERE id = $1", {branch_id}));
  auto valid = SplitSlots(slots.rows[0][0].AsText());
  if (std::find(valid.begin(), valid.end(), request.slot) == valid.end())
    return Error::InvalidArgument("slot_outside_hours", "该时段不在网点的办理时间内，请选择网点提供的时段");
  HOTLINE_ASSIGN_OR_RETURN(int64_t subject_id, SubjectId(subject));
  std::string day = FormatDate(request.date);
  std::string reference;
  int64_t now = ToEpochMillis(clock_.Now());
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(
        QueryResult dup,
        s.Query(
            "SELECT 1 FROM fund_appointments WHERE subject_type = $1 AND subject_id = $2 AND kind = $3 AND "
            "on_date = $4 AND state = 'booked'",
            {std::string(SubjectTypeName(subject.type)), subject_id,
             std::string(AppointmentKindName(request.kind)), day}));
    if (!dup.empty())
      return Error::Conflict("appointment_exists", "当天已有同类业务的预约，如需改期请先取消原预约");
    // One atomic statement: the count rises only while below capacity (no row back = full).
    HOTLINE_ASSIGN_OR_RETURN(
        QueryResult taken,
        s.Query("INSERT INTO fund_slot_bookings (branch_id, on_date, slot, booked) SELECT $1::bigint, "
                "$2::text, $3::text, 1 WHERE $4::bigint > 0 "
                "ON CONFLICT (branch_id, on_date, slot) DO UPDATE SET booked = fund_slot_bookings.booked + 1 "
                "WHERE fund_slot_bookings.booked < $4::bigint RETURNING booked",
                {branch_id, day, request.slot, b.slot_capacity}));
    if (taken.empty()) return Error::Conflict("slot_full", "该时段已约满，请选择其他时段或日期");
    HOTLINE_ASSIGN_OR_RETURN(
        QueryResult ins,
        s.Query("INSERT INTO fund_appointments (reference, branch_id, kind, subject_type, subject_id, "
                "on_date, slot, "
                "state, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'booked', $8) RETURNING id",
                {"pending-" + std::to_string(now) + "-" + std::to_string(subject_id), branch_id,
                 std::string(AppointmentKindName(request.kind)), std::string(SubjectTypeName(subject.type)),
                 subject_id, day, request.slot, now}));
    int64_t id = ins.rows[0][0].AsInt();
    // 预约号: YY + booked date + the appointment's serial number.
    std::string serial = std::to_string(id);
    reference = "YY" + day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2) + "-" +
                std::string(serial.size() < 6 ? 6 - serial.size() : 0, '0') + serial;
    return s.Query("UPDATE fund_appointments SET reference = $1 WHERE id = $2", {reference, id}).ok()
               ? OkStatus()
               : Status(Error::Internal("预约号写入失败"));
  });
  HOTLINE_RETURN_IF_ERROR(st);
  HOTLINE_ASSIGN_OR_RETURN(
      QueryResult r, db_.Query(std::string(kAppointmentSelect) + "WHERE a.reference = $1", {reference}));
  return AppointmentOf(r, 0);
}

Result<std::vector<Appointment>> EmbeddedFundPort::ListAppointments(const Subject& subject) {
  HOTLINE_ASSIGN_OR_RETURN(int64_t id, SubjectId(subject));
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r, db_.Query(std::string(kAppointmentSelect) +
                                                        "WHERE a.subject_type = $1 AND a.subject_id = $2 "
                                                        "ORDER BY a.on_date DESC, a.id DESC LIMIT 100",
                                                    {std::string(SubjectTypeName(subject.type)), id}));
  std::vector<Appointment> out;
  for (size_t i = 0; i < r.size(); ++i) out.push_back(AppointmentOf(r, i));
  return out;
}

Result<Appointment> EmbeddedFundPort::CancelAppointment(const Subject& subject, std::string_view reference) {
  HOTLINE_ASSIGN_OR_RETURN(int64_t id, SubjectId(subject));
  std::string ref(reference);
  int64_t now = ToEpochMillis(clock_.Now());
  Status st = db_.Transaction([&](store::Session& s) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(QueryResult r,
                             s.Query("SELECT id, branch_id, on_date, slot, state FROM fund_appointments "
                                     "WHERE reference = $1 AND subject_type = $2 AND subject_id = $3",
                                     {ref, std::string(SubjectTypeName(subject.type)), id}));
    if (r.empty()) return Error::NotFound("没有这个预约");
    if (r.At(0, "state").AsText() != "booked")
      return Error{ErrorKind::kFailedPrecondition, "appointment_not_active", "该预约已取消"};
    HOTLINE_RETURN_IF_ERROR(
        s.Query("UPDATE fund_appointments SET state = 'cancelled', cancelled_at = $1 WHERE id = $2",
                {now, r.At(0, "id").AsInt()}));
    HOTLINE_RETURN_IF_ERROR(
        s.Query("UPDATE fund_slot_bookings SET booked = booked - 1 WHERE branch_id = $1 AND "
                "on_date = $2 AND slot = $3 AND booked > 0",
                {r.At(0, "branch_id").AsInt(), r.At(0, "on_date").AsText(), r.At(0, "slot").AsText()}));
    return OkStatus();
  });
  HOTLINE_RETURN_IF_ERROR(st);
  HOTLINE_ASSIGN_OR_RETURN(QueryResult r,
                           db_.Query(std::string(kAppointmentSelect) + "WHERE a.reference = $1", {ref}));
  return AppointmentOf(r, 0);
}

}  // namespace hotline::fund
