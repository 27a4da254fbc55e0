// Test support: FakeFundPort, the core business system in memory (fake_fund_port.hpp).
#include "testing/fake_fund_port.hpp"

#include <algorithm>

namespace hotline::test {
namespace {

using fund::Subject;
using fund::SubjectType;

// As HttpFundPort reports a core system that does not answer in time.
Error FundUnavailable() {
  return {ErrorKind::kUnavailable, "fund_unavailable", "公积金业务系统繁忙，请稍后再试"};
}

std::string BranchKey(std::string_view center_code, std::string_view code) {
  return std::string(center_code) + "/" + std::string(code);
}

// A history as the port returns it: within [from, to], newest first, at most `limit` (1…500) entries.
template <typename T>
std::vector<T> Select(const std::vector<T>& all, const fund::HistoryQuery& q) {
  std::vector<T> out;
  for (const T& e : all)
    if ((!q.from || e.on >= *q.from) && (!q.to || e.on <= *q.to)) out.push_back(e);
  std::stable_sort(out.begin(), out.end(), [](const T& a, const T& b) { return a.on > b.on; });
  out.resize(std::min(out.size(), static_cast<size_t>(std::clamp(q.limit, 1, 500))));
  return out;
}

}  // namespace

void FakeFundPort::AddPerson(FakePerson person) {
  std::lock_guard lock(mu_);
  std::string key = person.account.account_number;
  people_[key] = std::move(person);
}

void FakeFundPort::AddUnit(FakeUnit unit) {
  std::lock_guard lock(mu_);
  std::string key = unit.account.unit_account;
  units_[key] = std::move(unit);
}

void FakeFundPort::AddBranch(FakeBranch branch) {
  std::lock_guard lock(mu_);
  std::string key = BranchKey(branch.branch.center_code, branch.branch.code);
  branches_[key] = std::move(branch);
}

void FakeFundPort::SetAvailable(bool available) {
  std::lock_guard lock(mu_);
  available_ = available;
}

int FakeFundPort::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

Status FakeFundPort::Enter() {
  ++calls_;
  if (!available_) return FundUnavailable();
  return OkStatus();
}

Result<const FakePerson*> FakeFundPort::Person(const Subject& s) const {
  auto it = people_.find(s.account);
  if (s.type != SubjectType::kPerson || it == people_.end() || it->second.center_code != s.center_code)
    return Error::NotFound("没有这个缴存人");
  return &it->second;
}

Result<const FakeUnit*> FakeFundPort::Unit(const Subject& s) const {
  auto it = units_.find(s.account);
  if (s.type != SubjectType::kUnit || it == units_.end() || it->second.center_code != s.center_code)
    return Error::NotFound("没有这个缴存单位");
  return &it->second;
}

Result<const FakeBranch*> FakeFundPort::FindBranch(std::string_view center_code,
                                                   std::string_view code) const {
  auto it = branches_.find(BranchKey(center_code, code));
  if (it == branches_.end()) return Error::NotFound("没有这个网点");
  return &it->second;
}

Result<std::optional<Subject>> FakeFundPort::Lookup(std::string_view center_code, fund::LoginKind kind,
                                                    std::string_view login_id, std::string* password) const {
  if (login_id.empty()) return std::optional<Subject>();
  if (kind == fund::LoginKind::kUnitAccount) {
    auto it = units_.find(login_id);
    if (it == units_.end() || it->second.center_code != center_code) return std::optional<Subject>();
    if (password) *password = it->second.password;
    return std::optional<Subject>(Subject{SubjectType::kUnit, it->first, it->second.center_code});
  }
  for (const auto& [account, p] : people_) {
    if (p.center_code != center_code) continue;
    const std::string& id = kind == fund::LoginKind::kAccountNumber ? p.account.account_number
                            : kind == fund::LoginKind::kCitizenId   ? p.account.citizen_id
                                                                    : p.account.card_number;
    if (id != login_id) continue;
    if (password) *password = p.password;
    return std::optional<Subject>(Subject{SubjectType::kPerson, account, p.center_code});
  }
  return std::optional<Subject>();
}

Result<std::optional<Subject>> FakeFundPort::CheckPassword(std::string_view center_code, fund::LoginKind kind,
                                                           std::string_view login_id,
                                                           std::string_view password) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  std::string expected;
  HOTLINE_ASSIGN_OR_RETURN(auto subject, Lookup(center_code, kind, login_id, &expected));
  // Unknown id and wrong password give the same answer (the port's contract).
  if (!subject || expected.empty() || expected != password) return std::optional<Subject>();
  return subject;
}

Result<std::optional<Subject>> FakeFundPort::FindSubject(std::string_view center_code, fund::LoginKind kind,
                                                         std::string_view login_id) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  return Lookup(center_code, kind, login_id, nullptr);
}

Result<fund::PersonAccount> FakeFundPort::GetPersonAccount(const Subject& person) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakePerson* p, Person(person));
  return p->account;
}

Result<std::vector<fund::Loan>> FakeFundPort::GetLoans(const Subject& person) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakePerson* p, Person(person));
  return p->loans;
}

Result<std::vector<fund::Deposit>> FakeFundPort::GetDeposits(const Subject& person,
                                                             const fund::HistoryQuery& q) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakePerson* p, Person(person));
  return Select(p->deposits, q);
}

Result<std::vector<fund::BaseAdjustment>> FakeFundPort::GetBaseAdjustments(const Subject& person,
                                                                           const fund::HistoryQuery& q) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakePerson* p, Person(person));
  return Select(p->base_adjustments, q);
}

Result<std::vector<fund::InterestSettlement>> FakeFundPort::GetInterestSettlements(
    const Subject& person, const fund::HistoryQuery& q) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakePerson* p, Person(person));
  return Select(p->interest_settlements, q);
}

Result<std::vector<fund::Withdrawal>> FakeFundPort::GetWithdrawals(const Subject& person,
                                                                   const fund::HistoryQuery& q) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakePerson* p, Person(person));
  return Select(p->withdrawals, q);
}

Result<std::vector<fund::StatusChange>> FakeFundPort::GetStatusChanges(const Subject& person,
                                                                       const fund::HistoryQuery& q) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakePerson* p, Person(person));
  return Select(p->status_changes, q);
}

Result<fund::Eligibility> FakeFundPort::GetLoanEligibility(const Subject& person) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakePerson* p, Person(person));
  return p->loan_eligibility;
}

Result<fund::Eligibility> FakeFundPort::GetWithdrawalEligibility(const Subject& person) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakePerson* p, Person(person));
  return p->withdrawal_eligibility;
}

Result<std::vector<fund::Progress>> FakeFundPort::GetProgress(const Subject& subject,
                                                              std::optional<fund::BusinessKind> kind) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  const std::vector<fund::Progress>* all = nullptr;
  if (subject.type == SubjectType::kUnit) {
    HOTLINE_ASSIGN_OR_RETURN(const FakeUnit* u, Unit(subject));
    all = &u->progress;
  } else {
    HOTLINE_ASSIGN_OR_RETURN(const FakePerson* p, Person(subject));
    all = &p->progress;
  }
  std::vector<fund::Progress> out;
  for (const auto& e : *all)
    if (!kind || e.kind == *kind) out.push_back(e);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.updated_on > b.updated_on; });
  return out;
}

Result<fund::UnitAccount> FakeFundPort::GetUnitAccount(const Subject& unit) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakeUnit* u, Unit(unit));
  return u->account;
}

Result<std::vector<fund::UnitChange>> FakeFundPort::GetUnitChanges(const Subject& unit,
                                                                   const fund::HistoryQuery& q) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakeUnit* u, Unit(unit));
  return Select(u->changes, q);
}

Result<std::vector<fund::Branch>> FakeFundPort::ListBranches(std::string_view center_code) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  std::vector<fund::Branch> out;
  for (const auto& [key, b] : branches_)
    if (b.branch.center_code == center_code) out.push_back(b.branch);
  return out;
}

Result<fund::QueueStatus> FakeFundPort::GetQueue(std::string_view center_code, std::string_view branch_code) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakeBranch* b, FindBranch(center_code, branch_code));
  fund::QueueStatus q = b->queue;
  q.branch_code = b->branch.code;
  q.branch_name = b->branch.name;
  q.as_of = clock_.Now();
  return q;
}

Result<std::vector<fund::SlotAvailability>> FakeFundPort::GetSlots(std::string_view center_code,
                                                                   std::string_view branch_code, Date date) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  HOTLINE_ASSIGN_OR_RETURN(const FakeBranch* b, FindBranch(center_code, branch_code));
  std::vector<fund::SlotAvailability> out;
  for (const std::string& slot : b->slots) {
    int booked = 0;
    for (const auto& [ref, booking] : appointments_) {
      const fund::Appointment& a = booking.appointment;
      if (booking.subject.center_code == center_code && a.branch_code == b->branch.code && a.date == date &&
          a.slot == slot && a.state == "booked")
        ++booked;
    }
    out.push_back({.slot = slot, .capacity = b->branch.slot_capacity, .booked = booked});
  }
  return out;
}

Result<fund::Appointment> FakeFundPort::CreateAppointment(const Subject& subject,
                                                          const fund::NewAppointment& request) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  if (subject.type == SubjectType::kUnit) {
    HOTLINE_RETURN_IF_ERROR(Unit(subject));
  } else {
    HOTLINE_RETURN_IF_ERROR(Person(subject));
  }
  HOTLINE_ASSIGN_OR_RETURN(const FakeBranch* b, FindBranch(subject.center_code, request.branch_code));
  if (std::find(b->slots.begin(), b->slots.end(), request.slot) == b->slots.end())
    return Error::InvalidArgument("slot_outside_hours", "该时段不在网点的办理时间内，请选择网点提供的时段");
  int taken = 0;
  for (const auto& [ref, booking] : appointments_) {
    const fund::Appointment& a = booking.appointment;
    if (a.state != "booked" || a.date != request.date) continue;
    if (booking.subject.type == subject.type && booking.subject.account == subject.account &&
        booking.subject.center_code == subject.center_code && a.kind == request.kind)
      return Error::Conflict("appointment_exists", "当天已有同类业务的预约，如需改期请先取消原预约");
    if (booking.subject.center_code == subject.center_code && a.branch_code == b->branch.code &&
        a.slot == request.slot)
      ++taken;
  }
  if (taken >= b->branch.slot_capacity)
    return Error::Conflict("slot_full", "该时段已约满，请选择其他时段或日期");
  // 预约号 as the embedded core system writes it: YY + booked date + serial number.
  int serial = next_serial_++;
  std::string day = FormatDate(request.date);
  std::string digits = std::to_string(serial);
  fund::Appointment a{.reference = "YY" + day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2) + "-" +
                                   std::string(digits.size() < 6 ? 6 - digits.size() : 0, '0') + digits,
                      .kind = request.kind,
                      .branch_code = b->branch.code,
                      .branch_name = b->branch.name,
                      .date = request.date,
                      .slot = request.slot,
                      .state = "booked",
                      .created_at = clock_.Now()};
  appointments_[a.reference] = {.subject = subject, .appointment = a, .serial = serial};
  return a;
}

Result<std::vector<fund::Appointment>> FakeFundPort::ListAppointments(const Subject& subject) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  std::vector<const Booking*> mine;
  for (const auto& [ref, booking] : appointments_)
    if (booking.subject.type == subject.type && booking.subject.account == subject.account &&
        booking.subject.center_code == subject.center_code)
      mine.push_back(&booking);
  std::sort(mine.begin(), mine.end(), [](const Booking* a, const Booking* b) {
    if (a->appointment.date != b->appointment.date) return a->appointment.date > b->appointment.date;
    return a->serial > b->serial;
  });
  std::vector<fund::Appointment> out;
  for (const Booking* b : mine) out.push_back(b->appointment);
  return out;
}

Result<fund::Appointment> FakeFundPort::CancelAppointment(const Subject& subject,
                                                          std::string_view reference) {
  std::lock_guard lock(mu_);
  HOTLINE_RETURN_IF_ERROR(Enter());
  auto it = appointments_.find(reference);
  if (it == appointments_.end() || it->second.subject.type != subject.type ||
      it->second.subject.account != subject.account || it->second.subject.center_code != subject.center_code)
    return Error::NotFound("没有这个预约");
  fund::Appointment& a = it->second.appointment;
  if (a.state != "booked")
    return Error{ErrorKind::kFailedPrecondition, "appointment_not_active", "该预约已取消"};
  a.state = "cancelled";
  a.cancelled_at = clock_.Now();
  return a;
}

}  // namespace hotline::test
