// The port to the centre's core business system (DESIGN.md "fund", R-SVC-2/3, R-AGT-3): everything the
// hotline reads about depositors (缴存人) and units (缴存单位), and the appointments it books for them.
// Two implementations: EmbeddedFundPort (own tables + the demo data generator) and HttpFundPort (a real
// core system over HTTP/JSON, docs/FUND-API.md).
//
// This is the raw port. Nobody outside the fund module calls it directly: FundService (fund_service.hpp)
// wraps every read in a verified context issued by IdentityVerifier (R-IVR-2), masks, and audit-logs.
//
// Contract of every implementation:
//  * thread-safe: one instance is shared by all HTTP, IVR and SMS threads;
//  * a Subject comes only from CheckPassword/FindSubject of the same port;
//  * errors: not_found for an unknown subject/branch/appointment; fund_unavailable (kUnavailable) when the
//    core system cannot be reached or answers too slowly — never a hang; appointment rule errors as
//    listed at CreateAppointment;
//  * money is fen, dates are the centre's civil dates, lists are newest first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "fund/types.hpp"

namespace hotline::fund {

// Which part of a history to read (newest first).
struct HistoryQuery {
  std::optional<Date> from;  // inclusive
  std::optional<Date> to;    // inclusive
  int limit = 50;            // 1…500
};

class FundPort {
 public:
  virtual ~FundPort() = default;

  // --- identity (R-IVR-2). Lockout, tokens and audit are the IdentityVerifier's; the port only answers
  // whether login id + password match an account of `center_code`.
  // The subject when they match; nullopt when the id is unknown OR the password is wrong (the port must
  // not distinguish the two, in value or in work done).
  virtual Result<std::optional<Subject>> CheckPassword(std::string_view center_code, LoginKind kind,
                                                       std::string_view login_id,
                                                       std::string_view password) = 0;
  // The subject without a password: for an agent who records why verification was impossible (the data
  // then leaves fund masked). nullopt when unknown.
  virtual Result<std::optional<Subject>> FindSubject(std::string_view center_code, LoginKind kind,
                                                     std::string_view login_id) = 0;

  // --- individual (缴存人)
  virtual Result<PersonAccount> GetPersonAccount(const Subject& person) = 0;  // incl. 账号查询
  virtual Result<std::vector<Loan>> GetLoans(const Subject& person) = 0;
  virtual Result<std::vector<Deposit>> GetDeposits(const Subject& person, const HistoryQuery& q) = 0;
  virtual Result<std::vector<BaseAdjustment>> GetBaseAdjustments(const Subject& person,
                                                                 const HistoryQuery& q) = 0;
  virtual Result<std::vector<InterestSettlement>> GetInterestSettlements(const Subject& person,
                                                                         const HistoryQuery& q) = 0;
  virtual Result<std::vector<Withdrawal>> GetWithdrawals(const Subject& person, const HistoryQuery& q) = 0;
  virtual Result<std::vector<StatusChange>> GetStatusChanges(const Subject& person,
                                                             const HistoryQuery& q) = 0;
  virtual Result<Eligibility> GetLoanEligibility(const Subject& person) = 0;        // 贷款资格
  virtual Result<Eligibility> GetWithdrawalEligibility(const Subject& person) = 0;  // 提取资格

  // --- both: business progress (贷款申请/提取/维权投诉 for people; 基数变更/年度调整/其他 for units)
  virtual Result<std::vector<Progress>> GetProgress(const Subject& subject,
                                                    std::optional<BusinessKind> kind) = 0;

  // --- unit (缴存单位)
  virtual Result<UnitAccount> GetUnitAccount(const Subject& unit) = 0;
  virtual Result<std::vector<UnitChange>> GetUnitChanges(const Subject& unit, const HistoryQuery& q) = 0;

  // --- branches (网点) and their queues (网点叫号排队查询); not personal data
  virtual Result<std::vector<Branch>> ListBranches(std::string_view center_code) = 0;
  virtual Result<QueueStatus> GetQueue(std::string_view center_code, std::string_view branch_code) = 0;

  // --- appointments (业务受理预约, R-SVC-2/3; 单位网点预约 for units)
  // The slots of a branch on a date with their bookings. Errors: not_found (branch).
  virtual Result<std::vector<SlotAvailability>> GetSlots(std::string_view center_code,
                                                         std::string_view branch_code, Date date) = 0;
  // Books one appointment. The port enforces what it alone can see: an unknown branch (not_found), a slot
  // the branch does not have (slot_outside_hours), a full slot (slot_full), the same subject already
  // holding a booking of that kind on that day (appointment_exists). Calendar rules (past date,
  // non-working day) are checked before by FundService for every implementation.
  virtual Result<Appointment> CreateAppointment(const Subject& subject, const NewAppointment& request) = 0;
  virtual Result<std::vector<Appointment>> ListAppointments(const Subject& subject) = 0;
  // Errors: not_found (no such appointment of this subject), appointment_not_active (already cancelled).
  virtual Result<Appointment> CancelAppointment(const Subject& subject, std::string_view reference) = 0;
};

}  // namespace hotline::fund
