// What the hotline reads from the core system, always through a verified context (R-IVR-2, R-SVC-2/3):
// the API, the IVR and the SMS service call FundService, never a FundPort directly. Every read of personal
// data resolves the context token (bound to channel and centre), reads through the port, masks when the
// context is only an agent's recorded reason, and writes one audit entry (who, which record, why, channel):
// fund.account.read, fund.loans.read, fund.history.read, fund.progress.read, fund.eligibility.read,
// fund.unit.read, fund.appointments.read, fund.appointment.create / .cancel.
//
// Appointments (业务受理预约): the rules that do not depend on the core system are checked here for every
// implementation — the date must be today or later (appointment_date_past), at most `max_days_ahead` days
// ahead (appointment_too_far), a working day of the centre's calendar (appointment_non_working_day), and on
// today a slot that has not begun (appointment_slot_passed); the port then checks the branch, the slot
// (slot_outside_hours) and the capacity (slot_full).
// Who (R-ORG-1, issue 12 §2): a fund::Access (identity.hpp) — the org::Actor, a centre's staff on the console
// or the IVR / SMS service as itself, and the purpose; every method checks CheckAccess (fund.read, bound to
// a centre) before it reads anything, and the audit entries carry the actor's own name and channel.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "calendar/calendar_store.hpp"
#include "core/clock.hpp"
#include "core/time_zone.hpp"
#include "fund/fund_port.hpp"
#include "fund/identity.hpp"
#include "org/audit_log.hpp"

namespace hotline::fund {

struct FundServiceOptions {
  int max_days_ahead = 30;  // [fund] appointment_days_ahead
};

// An account as a context may see it: complete when verified; with an agent's recorded reason instead,
// strings masked (core/masking.hpp) and amounts withheld (`masked` = true, amounts 0).
struct PersonView {
  PersonAccount account;
  bool masked = false;
};
struct UnitView {
  UnitAccount unit;
  bool masked = false;
};

class FundService {
 public:
  FundService(FundPort& port, IdentityVerifier& verifier, org::AuditLog& audit,
              calendar::CalendarStore& calendar, const Clock& clock, TimeZone zone = TimeZone::Shanghai(),
              FundServiceOptions options = {})
      : port_(port),
        verifier_(verifier),
        audit_(audit),
        calendar_(calendar),
        clock_(clock),
        zone_(zone),
        options_(options) {}

  IdentityVerifier& verifier() { return verifier_; }

  // Person (缴存人). Errors besides the verifier's: wrong_subject_type when the context is a unit's;
  // verification_required for the history/loan reads of an unverified (reason-only) context.
  Result<PersonView> Account(const Access& who, std::string_view token);
  Result<std::vector<Loan>> Loans(const Access& who, std::string_view token);
  Result<std::vector<Deposit>> Deposits(const Access& who, std::string_view token, const HistoryQuery& q);
  Result<std::vector<BaseAdjustment>> BaseAdjustments(const Access& who, std::string_view token,
                                                      const HistoryQuery& q);
  Result<std::vector<InterestSettlement>> Interest(const Access& who, std::string_view token,
                                                   const HistoryQuery& q);
  Result<std::vector<Withdrawal>> Withdrawals(const Access& who, std::string_view token,
                                              const HistoryQuery& q);
  Result<std::vector<StatusChange>> StatusChanges(const Access& who, std::string_view token,
                                                  const HistoryQuery& q);
  Result<Eligibility> LoanEligibility(const Access& who, std::string_view token);
  Result<Eligibility> WithdrawalEligibility(const Access& who, std::string_view token);
  // Person or unit, by the context's subject.
  Result<std::vector<Progress>> BusinessProgress(const Access& who, std::string_view token,
                                                 std::optional<BusinessKind> kind);
  // Unit (缴存单位).
  Result<UnitView> Unit(const Access& who, std::string_view token);
  Result<std::vector<UnitChange>> UnitChanges(const Access& who, std::string_view token,
                                              const HistoryQuery& q);

  // Not personal data: no context needed.
  Result<std::vector<Branch>> Branches(const Access& who);
  Result<QueueStatus> Queue(const Access& who, std::string_view branch_code);
  Result<std::vector<SlotAvailability>> Slots(const Access& who, std::string_view branch_code, Date date);

  // Appointments of the context's subject (verified contexts only).
  Result<Appointment> Book(const Access& who, std::string_view token, const NewAppointment& request);
  Result<std::vector<Appointment>> Appointments(const Access& who, std::string_view token);
  Result<Appointment> Cancel(const Access& who, std::string_view token, std::string_view reference);

  // The calendar rules above, alone (also for the slot picker). Errors as listed in the file comment.
  Status CheckAppointmentDate(const Access& who, Date date, std::string_view slot);

 private:
  // The context, which must be of `type`; `need_verified` refuses reason-only contexts.
  Result<VerifiedContext> Context(const Access& who, std::string_view token, SubjectType type,
                                  bool need_verified);
  void AuditRead(const Access& who, const VerifiedContext& ctx, std::string action,
                 nlohmann::json detail = {});
  // One history of a verified person: context, the port's read `(port_.*read)(subject, q)`, one audit entry
  // "fund.history.read" naming the `history` kind (R-IVR-2: every read of personal data is logged).
  template <typename Row>
  Result<std::vector<Row>> History(const Access& who, std::string_view token, const HistoryQuery& q,
                                   std::string_view history,
                                   Result<std::vector<Row>> (FundPort::*read)(const Subject&,
                                                                              const HistoryQuery&)) {
    HOTLINE_ASSIGN_OR_RETURN(VerifiedContext ctx, Context(who, token, SubjectType::kPerson, true));
    HOTLINE_ASSIGN_OR_RETURN(auto rows, (port_.*read)(ctx.subject, q));
    AuditRead(who, ctx, "fund.history.read", {{"history", std::string(history)}});
    return rows;
  }

  FundPort& port_;
  IdentityVerifier& verifier_;
  org::AuditLog& audit_;
  calendar::CalendarStore& calendar_;
  const Clock& clock_;
  const TimeZone zone_;
  const FundServiceOptions options_;
};

// "09:00-10:00" → minutes of its start and end; false when malformed.
bool ParseSlot(std::string_view slot, int* start_minutes, int* end_minutes);

}  // namespace hotline::fund
