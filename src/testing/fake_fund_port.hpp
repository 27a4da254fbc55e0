// Test support: an in-memory fund::FundPort (issue 12 §6), the core business system as a few records a
// test writes down — for the channels (IVR, SMS, agent desktop) and FundService tests that need a core
// system that answers, without the embedded port's tables and generator. It keeps the port's contract
// (fund/fund_port.hpp): not_found for unknown subjects, branches and appointments; CheckPassword does not
// tell an unknown id from a wrong password; the appointment rules slot_outside_hours, slot_full,
// appointment_exists and appointment_not_active; histories filtered by HistoryQuery, newest first. And it
// can be told that the core system is down (fund_unavailable on every call), as HttpFundPort reports a
// timeout. For scripting single answers or checking exact arguments use test::MockFundPort
// (testing/fund_mocks.hpp).
//
// Thread-safe: one mutex guards the records, so IVR and SMS threads may share one instance.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "fund/fund_port.hpp"

namespace hotline::test {

// One depositor (缴存人). The key is account.account_number; the person logs in with it, with
// account.citizen_id or with account.card_number (when not empty).
struct FakePerson {
  std::string center_code = "GS-LZ";
  std::string password;  // 查询密码; empty: no password set, CheckPassword never matches
  fund::PersonAccount account;
  std::vector<fund::Loan> loans;
  std::vector<fund::Deposit> deposits;
  std::vector<fund::BaseAdjustment> base_adjustments;
  std::vector<fund::InterestSettlement> interest_settlements;
  std::vector<fund::Withdrawal> withdrawals;
  std::vector<fund::StatusChange> status_changes;
  fund::Eligibility loan_eligibility{.kind = "loan"};
  fund::Eligibility withdrawal_eligibility{.kind = "withdrawal"};
  std::vector<fund::Progress> progress;
};

// One depositing unit (缴存单位), keyed and logged in by account.unit_account.
struct FakeUnit {
  std::string center_code = "GS-LZ";
  std::string password;
  fund::UnitAccount account;
  std::vector<fund::UnitChange> changes;
  std::vector<fund::Progress> progress;
};

// One branch (网点) of branch.center_code with its appointment slots and its queue now.
struct FakeBranch {
  fund::Branch branch;  // code, name, center_code, slot_capacity
  std::vector<std::string> slots = {"09:00-10:00", "10:00-11:00", "14:00-15:00", "15:00-16:00"};
  fund::QueueStatus queue;  // branch fields and as_of are filled in
};

class FakeFundPort final : public fund::FundPort {
 public:
  // `clock` stamps appointments and queue answers. REQUIRES: it outlives the port.
  explicit FakeFundPort(const Clock& clock) : clock_(clock) {}

  // Adds or replaces a record (by its key).
  void AddPerson(FakePerson person);
  void AddUnit(FakeUnit unit);
  void AddBranch(FakeBranch branch);

  // false: the core system is down — every call returns fund_unavailable (kUnavailable) until set back.
  void SetAvailable(bool available);
  // Calls answered so far (the refused ones included): "the channel did not ask the core system twice".
  int calls() const;

  Result<std::optional<fund::Subject>> CheckPassword(std::string_view center_code, fund::LoginKind kind,
                                                     std::string_view login_id,
                                                     std::string_view password) override;
  Result<std::optional<fund::Subject>> FindSubject(std::string_view center_code, fund::LoginKind kind,
                                                   std::string_view login_id) override;
  Result<fund::PersonAccount> GetPersonAccount(const fund::Subject& person) override;
  Result<std::vector<fund::Loan>> GetLoans(const fund::Subject& person) override;
  Result<std::vector<fund::Deposit>> GetDeposits(const fund::Subject& person,
                                                 const fund::HistoryQuery& q) override;
  Result<std::vector<fund::BaseAdjustment>> GetBaseAdjustments(const fund::Subject& person,
                                                               const fund::HistoryQuery& q) override;
  Result<std::vector<fund::InterestSettlement>> GetInterestSettlements(const fund::Subject& person,
                                                                       const fund::HistoryQuery& q) override;
  Result<std::vector<fund::Withdrawal>> GetWithdrawals(const fund::Subject& person,
                                                       const fund::HistoryQuery& q) override;
  Result<std::vector<fund::StatusChange>> GetStatusChanges(const fund::Subject& person,
                                                           const fund::HistoryQuery& q) override;
  Result<fund::Eligibility> GetLoanEligibility(const fund::Subject& person) override;
  Result<fund::Eligibility> GetWithdrawalEligibility(const fund::Subject& person) override;
  Result<std::vector<fund::Progress>> GetProgress(const fund::Subject& subject,
                                                  std::optional<fund::BusinessKind> kind) override;
  Result<fund::UnitAccount> GetUnitAccount(const fund::Subject& unit) override;
  Result<std::vector<fund::UnitChange>> GetUnitChanges(const fund::Subject& unit,
                                                       const fund::HistoryQuery& q) override;
  Result<std::vector<fund::Branch>> ListBranches(std::string_view center_code) override;
  Result<fund::QueueStatus> GetQueue(std::string_view center_code, std::string_view branch_code) override;
  Result<std::vector<fund::SlotAvailability>> GetSlots(std::string_view center_code,
                                                       std::string_view branch_code, Date date) override;
  Result<fund::Appointment> CreateAppointment(const fund::Subject& subject,
                                              const fund::NewAppointment& request) override;
  Result<std::vector<fund::Appointment>> ListAppointments(const fund::Subject& subject) override;
  Result<fund::Appointment> CancelAppointment(const fund::Subject& subject,
                                              std::string_view reference) override;

 private:
  struct Booking {
    fund::Subject subject;
    fund::Appointment appointment;
    int serial = 0;
  };
  // Each REQUIRES: mu_ held. Count the call and refuse it when the core system is down.
  Status Enter();
  Result<const FakePerson*> Person(const fund::Subject& s) const;
  Result<const FakeUnit*> Unit(const fund::Subject& s) const;
  Result<const FakeBranch*> FindBranch(std::string_view center_code, std::string_view code) const;
  Result<std::optional<fund::Subject>> Lookup(std::string_view center_code, fund::LoginKind kind,
                                              std::string_view login_id, std::string* password) const;

  const Clock& clock_;
  mutable std::mutex mu_;
  std::map<std::string, FakePerson, std::less<>> people_;     // GUARDED_BY(mu_), by account number
  std::map<std::string, FakeUnit, std::less<>> units_;        // GUARDED_BY(mu_), by unit account
  std::map<std::string, FakeBranch, std::less<>> branches_;   // GUARDED_BY(mu_), by centre + '/' + code
  std::map<std::string, Booking, std::less<>> appointments_;  // GUARDED_BY(mu_), by reference
  bool available_ = true;                                     // GUARDED_BY(mu_)
  int calls_ = 0;                                             // GUARDED_BY(mu_)
  int next_serial_ = 1;                                       // GUARDED_BY(mu_)
};

}  // namespace hotline::test
