// FundPort over HTTP/JSON to a centre's real core business system ([fund] backend = "http"). The contract
// (paths, bodies, errors) is docs/FUND-API.md "Core system contract"; wire.hpp reads and writes it, and
// fund_contract/contract_server.hpp serves it from any FundPort (the tests run this adapter against the
// embedded one).
//
// Never hangs: each attempt is bounded by `timeout` (connect + send + whole answer); reads are retried
// `retries` times after a timeout, a connection failure or a 5xx; bookings and cancellations are sent once
// (a retried booking could book twice). When all attempts fail the caller gets fund_unavailable
// (kUnavailable, "公积金业务系统繁忙，请稍后再试") — the "system busy" path of the IVR, SMS and console.
// Thread-safe: each call uses its own connection.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "fund/fund_port.hpp"

namespace hotline::fund {

struct HttpFundPortOptions {
  std::string base_url;                     // "http://10.1.2.3:8080/fund" (no trailing '/'). REQUIRED.
  std::chrono::milliseconds timeout{3000};  // per attempt
  int retries = 1;                          // further attempts for reads
};

class HttpFundPort final : public FundPort {
 public:
  // Errors: invalid_config when base_url is not http://….
  static Result<std::unique_ptr<HttpFundPort>> Create(const HttpFundPortOptions& options);

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
  explicit HttpFundPort(HttpFundPortOptions o) : options_(std::move(o)) {}
  // POSTs `body` to base_url + path; `idempotent` allows retries.
  Result<nlohmann::json> Call(std::string_view path, const nlohmann::json& body, bool idempotent = true);
  Result<std::optional<Subject>> Identity(std::string_view path, const nlohmann::json& body);
  Result<nlohmann::json> History(const Subject& person, std::string_view kind, const HistoryQuery& q);

  const HttpFundPortOptions options_;
};

}  // namespace hotline::fund
