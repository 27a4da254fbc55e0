#include "fund/fund_service.hpp"

#include "core/masking.hpp"

namespace hotline::fund {
namespace {

Error WrongSubject(SubjectType wanted) {
  return {ErrorKind::kFailedPrecondition, "wrong_subject_type",
          wanted == SubjectType::kPerson ? "当前核验的是单位账户，不能查询个人业务"
                                         : "当前核验的是个人账户，不能查询单位业务"};
}

std::string_view TargetType(SubjectType t) { return t == SubjectType::kPerson ? "fund_person" : "fund_unit"; }

}  // namespace

bool ParseSlot(std::string_view slot, int* start, int* end) {
  if (slot.size() != 11 || slot[2] != ':' || slot[5] != '-' || slot[8] != ':') return false;
  auto two = [&](size_t i, int* out) {
    if (slot[i] < '0' || slot[i] > '9' || slot[i + 1] < '0' || slot[i + 1] > '9') return false;
    *out = (slot[i] - '0') * 10 + (slot[i + 1] - '0');
    return true;
  };
  int h1, m1, h2, m2;
  if (!two(0, &h1) || !two(3, &m1) || !two(6, &h2) || !two(9, &m2)) return false;
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59) return false;
  *start = h1 * 60 + m1;
  *end = h2 * 60 + m2;
  return *start < *end;
}

Result<VerifiedContext> FundService::Context(const Access& who, std::string_view token, SubjectType type,
                                             bool need_verified) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, verifier_.Resolve(who, token));
  if (ctx.subject.type != type) return WrongSubject(type);
  if (need_verified && !ctx.verified)
    return Error{ErrorKind::kPermissionDenied, "verification_required",
                 "未核验身份时只能查看脱敏的账户概况；请先核验来电人的账号和查询密码"};
  return ctx;
}

void FundService::AuditRead(const Access& who, const VerifiedContext& ctx, std::string action,
                            nlohmann::json detail) {
  org::AuditEntry e;
  who.actor.Stamp(e);
  e.org_path = who.center().path;
  e.org_code = who.center().code;
  e.action = std::move(action);
  e.target_type = std::string(TargetType(ctx.subject.type));
  e.target_id = ctx.subject.account;
  if (!detail.is_object()) detail = nlohmann::json::object();
  detail["purpose"] = who.purpose;
  detail["verified"] = ctx.verified;
  if (!ctx.verified) detail["unverified_reason"] = ctx.reason;
  e.detail = std::move(detail);
  (void)audit_.Append(std::move(e));
}

Result<PersonView> FundService::Account(const Access& who, std::string_view token) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, Context(who, token, SubjectType::kPerson, false));
  HOTLINE_ASSIGN_OR_RETURN(PersonAccount a, port_.GetPersonAccount(ctx.subject));
  AuditRead(who, ctx, "fund.account.read", {{"masked", !ctx.verified}});
  PersonView view{.account = std::move(a), .masked = !ctx.verified};
  if (view.masked) {
    PersonAccount& m = view.account;
    m.name = MaskName(m.name);
    m.citizen_id = MaskCitizenId(m.citizen_id);
    m.mobile = MaskMobile(m.mobile);
    m.card_number = m.card_number.empty() ? "" : MaskAccountNumber(m.card_number);
    m.account_number = MaskAccountNumber(m.account_number);
    m.balance = m.monthly_deposit = m.deposit_base = 0;
  }
  return view;
}

Result<std::vector<Loan>> FundService::Loans(const Access& who, std::string_view token) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, Context(who, token, SubjectType::kPerson, true));
  HOTLINE_ASSIGN_OR_RETURN(auto loans, port_.GetLoans(ctx.subject));
  AuditRead(who, ctx, "fund.loans.read");
  return loans;
}

Result<std::vector<Deposit>> FundService::Deposits(const Access& who, std::string_view token,
                                                   const HistoryQuery& q) {
  return History<Deposit>(who, token, q, "deposit", &FundPort::GetDeposits);
}

Result<std::vector<BaseAdjustment>> FundService::BaseAdjustments(const Access& who, std::string_view token,
                                                                 const HistoryQuery& q) {
  return History<BaseAdjustment>(who, token, q, "base", &FundPort::GetBaseAdjustments);
}

Result<std::vector<InterestSettlement>> FundService::Interest(const Access& who, std::string_view token,
                                                              const HistoryQuery& q) {
  return History<InterestSettlement>(who, token, q, "interest", &FundPort::GetInterestSettlements);
}

Result<std::vector<Withdrawal>> FundService::Withdrawals(const Access& who, std::string_view token,
                                                         const HistoryQuery& q) {
  return History<Withdrawal>(who, token, q, "withdrawal", &FundPort::GetWithdrawals);
}

Result<std::vector<StatusChange>> FundService::StatusChanges(const Access& who, std::string_view token,
                                                             const HistoryQuery& q) {
  return History<StatusChange>(who, token, q, "status", &FundPort::GetStatusChanges);
}

Result<Eligibility> FundService::LoanEligibility(const Access& who, std::string_view token) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, Context(who, token, SubjectType::kPerson, true));
  HOTLINE_ASSIGN_OR_RETURN(auto e, port_.GetLoanEligibility(ctx.subject));
  AuditRead(who, ctx, "fund.eligibility.read", {{"eligibility", "loan"}});
  return e;
}

Result<Eligibility> FundService::WithdrawalEligibility(const Access& who, std::string_view token) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, Context(who, token, SubjectType::kPerson, true));
  HOTLINE_ASSIGN_OR_RETURN(auto e, port_.GetWithdrawalEligibility(ctx.subject));
  AuditRead(who, ctx, "fund.eligibility.read", {{"eligibility", "withdrawal"}});
  return e;
}

Result<std::vector<Progress>> FundService::BusinessProgress(const Access& who, std::string_view token,
                                                            std::optional<BusinessKind> kind) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, verifier_.Resolve(who, token));
  if (!ctx.verified)
    return Error{ErrorKind::kPermissionDenied, "verification_required", "请先核验来电人的账号和查询密码"};
  HOTLINE_ASSIGN_OR_RETURN(auto rows, port_.GetProgress(ctx.subject, kind));
  AuditRead(who, ctx, "fund.progress.read", {{"kind", kind ? BusinessKindName(*kind) : "all"}});
  return rows;
}

Result<UnitView> FundService::Unit(const Access& who, std::string_view token) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, Context(who, token, SubjectType::kUnit, false));
  HOTLINE_ASSIGN_OR_RETURN(UnitAccount u, port_.GetUnitAccount(ctx.subject));
  AuditRead(who, ctx, "fund.unit.read", {{"masked", !ctx.verified}});
  UnitView view{.unit = std::move(u), .masked = !ctx.verified};
  if (view.masked) {
    view.unit.contact_name = MaskName(view.unit.contact_name);
    view.unit.contact_mobile = MaskMobile(view.unit.contact_mobile);
    view.unit.unit_account = MaskAccountNumber(view.unit.unit_account);
    view.unit.balance = view.unit.monthly_deposit = 0;
  }
  return view;
}

Result<std::vector<UnitChange>> FundService::UnitChanges(const Access& who, std::string_view token,
                                                         const HistoryQuery& q) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, Context(who, token, SubjectType::kUnit, true));
  HOTLINE_ASSIGN_OR_RETURN(auto rows, port_.GetUnitChanges(ctx.subject, q));
  AuditRead(who, ctx, "fund.unit_history.read");
  return rows;
}

Result<std::vector<Branch>> FundService::Branches(const Access& who) {
  HOTLINE_RETURN_IF_ERROR(CheckAccess(who));
  return port_.ListBranches(who.center().code);
}

Result<QueueStatus> FundService::Queue(const Access& who, std::string_view branch_code) {
  HOTLINE_RETURN_IF_ERROR(CheckAccess(who));
  return port_.GetQueue(who.center().code, branch_code);
}

Result<std::vector<SlotAvailability>> FundService::Slots(const Access& who, std::string_view branch_code,
                                                         Date date) {
  HOTLINE_RETURN_IF_ERROR(CheckAppointmentDate(who, date, ""));
  return port_.GetSlots(who.center().code, branch_code, date);
}

Status FundService::CheckAppointmentDate(const Access& who, Date date, std::string_view slot) {
  HOTLINE_RETURN_IF_ERROR(CheckAccess(who));
  const TimePoint now = clock_.Now();
  const Date today = zone_.LocalDay(now);
  if (date < today)
    return Error::InvalidArgument("appointment_date_past", "预约日期已过，请选择今天以后的日期");
  if (date > today + std::chrono::days(options_.max_days_ahead))
    return Error::InvalidArgument("appointment_too_far",
                                  "只能预约 " + std::to_string(options_.max_days_ahead) + " 天内的日期");
  HOTLINE_ASSIGN_OR_RETURN(calendar::WorkingCalendar cal, calendar_.Load(who.center().id));
  if (!cal.IsWorkday(date))
    return Error::InvalidArgument("appointment_non_working_day",
                                  "所选日期不是工作日（周末或法定节假日），网点不办理业务");
  if (!slot.empty()) {
    int start = 0, end = 0;
    if (!ParseSlot(slot, &start, &end))
      return Error::InvalidArgument("invalid_field", "时段格式应为 HH:MM-HH:MM，例如 09:00-10:00");
    auto minutes_now = std::chrono::duration_cast<std::chrono::minutes>(zone_.LocalTimeOfDay(now)).count();
    if (date == today && start <= minutes_now)
      return Error::InvalidArgument("appointment_slot_passed", "该时段已开始或已过，请选择之后的时段");
  }
  return OkStatus();
}

Result<Appointment> FundService::Book(const Access& who, std::string_view token,
                                      const NewAppointment& request) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, verifier_.Resolve(who, token));
  if (!ctx.verified)
    return Error{ErrorKind::kPermissionDenied, "verification_required",
                 "预约业务前请先核验来电人的账号和查询密码"};
  bool unit_kind = request.kind == AppointmentKind::kUnitBusiness;
  if (unit_kind != (ctx.subject.type == SubjectType::kUnit))
    return Error::InvalidArgument(
        "invalid_field", unit_kind ? "单位网点预约须以单位账号核验" : "个人业务预约须以个人账号核验");
  HOTLINE_RETURN_IF_ERROR(CheckAppointmentDate(who, request.date, request.slot));
  HOTLINE_ASSIGN_OR_RETURN(Appointment a, port_.CreateAppointment(ctx.subject, request));
  AuditRead(who, ctx, "fund.appointment.create",
            {{"reference", a.reference},
             {"kind", AppointmentKindName(a.kind)},
             {"branch", a.branch_code},
             {"date", FormatDate(a.date)},
             {"slot", a.slot}});
  return a;
}

Result<std::vector<Appointment>> FundService::Appointments(const Access& who, std::string_view token) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, verifier_.Resolve(who, token));
  if (!ctx.verified)
    return Error{ErrorKind::kPermissionDenied, "verification_required", "请先核验来电人的账号和查询密码"};
  HOTLINE_ASSIGN_OR_RETURN(auto list, port_.ListAppointments(ctx.subject));
  AuditRead(who, ctx, "fund.appointments.read");
  return list;
}

Result<Appointment> FundService::Cancel(const Access& who, std::string_view token,
                                        std::string_view reference) {
  HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, verifier_.Resolve(who, token));
  if (!ctx.verified)
    return Error{ErrorKind::kPermissionDenied, "verification_required", "请先核验来电人的账号和查询密码"};
  if (reference.empty() || reference.size() > 40) return Error::NotFound("没有这个预约");
  HOTLINE_ASSIGN_OR_RETURN(Appointment a, port_.CancelAppointment(ctx.subject, reference));
  AuditRead(who, ctx, "fund.appointment.cancel", {{"reference", a.reference}});
  return a;
}

}  // namespace hotline::fund
