// The embedded core system: FundPort over the project's own store (schema.cpp), filled by the demo data
// generator (generator.hpp) or by an import. Thread-safe (the Database is; no other state).
#pragma once

#include "core/clock.hpp"
#include "core/time_zone.hpp"
#include "fund/fund_port.hpp"
#include "fund/pin_hasher.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace hotline::fund {

extern const store::ModuleMigrations kFundMigrations;

class EmbeddedFundPort final : public FundPort {
 public:
  // `zone`: the centres' zone for "today" (eligibility, appointment dates).
  EmbeddedFundPort(store::Database& db, const PinHasher& pins, const Clock& clock,
                   TimeZone zone = TimeZone::Shanghai())
      : db_(db), pins_(pins), clock_(clock), zone_(zone) {}

  Result<std::optional<Subject>> CheckPassword(std::string_view center_code, LoginKind kind,
                                               std::string_view login_id, std::string_view password) override;
  Result<std::optional<Subject>> FindSubject(std::string_view center_code, LoginKind kind,
                                             std::string_view login_id) override;
  Result<PersonAccount> GetPersonAccount(const Subject& person) override;
  Result<std::vector<Loan>> GetLoans(const Subject& person) override;
  Result<std::vector<Deposit>> GetDeposits(const Subject& person, const HistoryQuery& q) override;
  Result<std::vector<BaseAdjustment>> GetBaseAdjustments(const Subject& person,
                                                         const HistoryQuery& q) override;
  Result<std::vector<InterestSettlement>> GetInterestSettlements(const Subject& person,
                                                                 const HistoryQuery& q) override;
  Result<std::vector<Withdrawal>> GetWithdrawals(const Subject& person, const HistoryQuery& q) override;
  Result<std::vector<StatusChange>> GetStatusChanges(const Subject& person, const HistoryQuery& q) override;
  Result<Eligibility> GetLoanEligibility(const Subject& person) override;
  Result<Eligibility> GetWithdrawalEligibility(const Subject& person) override;
  Result<std::vector<Progress>> GetProgress(const Subject& subject,
                                            std::optional<BusinessKind> kind) override;
  Result<UnitAccount> GetUnitAccount(const Subject& unit) override;
  Result<std::vector<UnitChange>> GetUnitChanges(const Subject& unit, const HistoryQuery& q) override;
  Result<std::vector<Branch>> ListBranches(std::string_view center_code) override;
  Result<QueueStatus> GetQueue(std::string_view center_code, std::string_view branch_code) override;
  Result<std::vector<SlotAvailability>> GetSlots(std::string_view center_code, std::string_view branch_code,
                                                 Date date) override;
  Result<Appointment> CreateAppointment(const Subject& subject, const NewAppointment& request) override;
  Result<std::vector<Appointment>> ListAppointments(const Subject& subject) override;
  Result<Appointment> CancelAppointment(const Subject& subject, std::string_view reference) override;

 private:
  struct Row {
    int64_t id = 0;
    std::string salt, hash;
  };
  Result<std::optional<std::pair<Subject, Row>>> Lookup(std::string_view center_code, LoginKind kind,
                                                        std::string_view login_id);
  Result<int64_t> SubjectId(const Subject& s);
  Result<store::QueryResult> History(const Subject& person, std::string_view kind, const HistoryQuery& q);
  Result<Branch> FindBranch(std::string_view center_code, std::string_view code, int64_t* id);

  store::Database& db_;
  const PinHasher& pins_;
  const Clock& clock_;
  const TimeZone zone_;
};

// The time slots of a branch as stored ("09:00-10:00,10:00-11:00"), split.
std::vector<std::string> SplitSlots(std::string_view slots);

}  // namespace hotline::fund
