// Test support: a gmock mock of fund::FundPort, the port to the centre's core business system, for the
// channels (IVR, SMS) and FundService tests that script the core system's answers call by call: a slow
// or failing core system, a refusal, the exact arguments the channel passed. For a core system that
// simply holds data, use test::FakeFundPort (testing/fake_fund_port.hpp) instead.
// Header-only; the test links hotline_fund. Every method the test sets no action for returns the error
// code "mock_no_action" (kInternal), so a forgotten expectation fails loudly instead of crashing on
// gmock's missing default for Result<T>.
// Thread-safe for calls, as gmock mocks are; set expectations before other threads call.
#pragma once

#include <gmock/gmock.h>

#include <optional>
#include <string_view>
#include <vector>

#include "fund/fund_port.hpp"

namespace hotline::test {

class MockFundPort : public fund::FundPort {
 public:
  MockFundPort() {
    using ::testing::_;
    using ::testing::Return;
    const Error none{ErrorKind::kInternal, "mock_no_action",
                     "MockFundPort: the test set no action for this call"};
    ON_CALL(*this, CheckPassword(_, _, _, _)).WillByDefault(Return(none));
    ON_CALL(*this, FindSubject(_, _, _)).WillByDefault(Return(none));
    ON_CALL(*this, GetPersonAccount(_)).WillByDefault(Return(none));
    ON_CALL(*this, GetLoans(_)).WillByDefault(Return(none));
    ON_CALL(*this, GetDeposits(_, _)).WillByDefault(Return(none));
    ON_CALL(*this, GetBaseAdjustments(_, _)).WillByDefault(Return(none));
    ON_CALL(*this, GetInterestSettlements(_, _)).WillByDefault(Return(none));
    ON_CALL(*this, GetWithdrawals(_, _)).WillByDefault(Return(none));
    ON_CALL(*this, GetStatusChanges(_, _)).WillByDefault(Return(none));
    ON_CALL(*this, GetLoanEligibility(_)).WillByDefault(Return(none));
    ON_CALL(*this, GetWithdrawalEligibility(_)).WillByDefault(Return(none));
    ON_CALL(*this, GetProgress(_, _)).WillByDefault(Return(none));
    ON_CALL(*this, GetUnitAccount(_)).WillByDefault(Return(none));
    ON_CALL(*this, GetUnitChanges(_, _)).WillByDefault(Return(none));
    ON_CALL(*this, ListBranches(_)).WillByDefault(Return(none));
    ON_CALL(*this, GetQueue(_, _)).WillByDefault(Return(none));
    ON_CALL(*this, GetSlots(_, _, _)).WillByDefault(Return(none));
    ON_CALL(*this, CreateAppointment(_, _)).WillByDefault(Return(none));
    ON_CALL(*this, ListAppointments(_)).WillByDefault(Return(none));
    ON_CALL(*this, CancelAppointment(_, _)).WillByDefault(Return(none));
  }

  MOCK_METHOD(Result<std::optional<fund::Subject>>, CheckPassword,
              (std::string_view center_code, fund::LoginKind kind, std::string_view login_id,
               std::string_view password),
              (override));
  MOCK_METHOD(Result<std::optional<fund::Subject>>, FindSubject,
              (std::string_view center_code, fund::LoginKind kind, std::string_view login_id), (override));
  MOCK_METHOD(Result<fund::PersonAccount>, GetPersonAccount, (const fund::Subject& person), (override));
  MOCK_METHOD(Result<std::vector<fund::Loan>>, GetLoans, (const fund::Subject& person), (override));
  MOCK_METHOD(Result<std::vector<fund::Deposit>>, GetDeposits,
              (const fund::Subject& person, const fund::HistoryQuery& q), (override));
  MOCK_METHOD(Result<std::vector<fund::BaseAdjustment>>, GetBaseAdjustments,
              (const fund::Subject& person, const fund::HistoryQuery& q), (override));
  MOCK_METHOD(Result<std::vector<fund::InterestSettlement>>, GetInterestSettlements,
              (const fund::Subject& person, const fund::HistoryQuery& q), (override));
  MOCK_METHOD(Result<std::vector<fund::Withdrawal>>, GetWithdrawals,
              (const fund::Subject& person, const fund::HistoryQuery& q), (override));
  MOCK_METHOD(Result<std::vector<fund::StatusChange>>, GetStatusChanges,
              (const fund::Subject& person, const fund::HistoryQuery& q), (override));
  MOCK_METHOD(Result<fund::Eligibility>, GetLoanEligibility, (const fund::Subject& person), (override));
  MOCK_METHOD(Result<fund::Eligibility>, GetWithdrawalEligibility, (const fund::Subject& person), (override));
  MOCK_METHOD(Result<std::vector<fund::Progress>>, GetProgress,
              (const fund::Subject& subject, std::optional<fund::BusinessKind> kind), (override));
  MOCK_METHOD(Result<fund::UnitAccount>, GetUnitAccount, (const fund::Subject& unit), (override));
  MOCK_METHOD(Result<std::vector<fund::UnitChange>>, GetUnitChanges,
              (const fund::Subject& unit, const fund::HistoryQuery& q), (override));
  MOCK_METHOD(Result<std::vector<fund::Branch>>, ListBranches, (std::string_view center_code), (override));
  MOCK_METHOD(Result<fund::QueueStatus>, GetQueue,
              (std::string_view center_code, std::string_view branch_code), (override));
  MOCK_METHOD(Result<std::vector<fund::SlotAvailability>>, GetSlots,
              (std::string_view center_code, std::string_view branch_code, Date date), (override));
  MOCK_METHOD(Result<fund::Appointment>, CreateAppointment,
              (const fund::Subject& subject, const fund::NewAppointment& request), (override));
  MOCK_METHOD(Result<std::vector<fund::Appointment>>, ListAppointments, (const fund::Subject& subject),
              (override));
  MOCK_METHOD(Result<fund::Appointment>, CancelAppointment,
              (const fund::Subject& subject, std::string_view reference), (override));
};

}  // namespace hotline::test
