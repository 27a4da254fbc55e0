// Tests of test::FakeFundPort and test::MockFundPort (issue 12 §6): the fake keeps fund::FundPort's
// contract (fund/fund_port.hpp) — identity answers that do not tell an unknown id from a wrong password
// (R-IVR-2), histories filtered and newest first, the appointment rules (R-SVC-2/3), fund_unavailable when
// the core system is down — and the mock's uninteresting calls fail loudly.
#include "testing/fake_fund_port.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/fakes.hpp"
#include "testing/fund_mocks.hpp"
#include "testing/time.hpp"

namespace hotline::test {
namespace {

using fund::LoginKind;

class FakeFundPortTest : public ::testing::Test {
 protected:
  void SetUp() override {
    FakePerson li{.password = "123456"};
    li.account.account_number = "620100000001";
    li.account.citizen_id = "620102199001011234";
    li.account.name = "李四";
    li.account.balance = 1234567;
    li.deposits = {{.on = Day("2026-09-15"), .month = "2026-09", .amount = 200000},
                   {.on = Day("2026-10-15"), .month = "2026-10", .amount = 200000},
                   {.on = Day("2026-08-15"), .month = "2026-08", .amount = 190000}};
    li.progress = {
        {.kind = fund::BusinessKind::kWithdrawal, .reference = "TQ1", .updated_on = Day("2026-11-01")},
        {.kind = fund::BusinessKind::kLoanApplication, .reference = "DK1", .updated_on = Day("2026-11-02")}};
    port_.AddPerson(li);
    FakeUnit unit{.password = "654321"};
    unit.account.unit_account = "6201000001";
    unit.account.name = "兰州某公司";
    port_.AddUnit(unit);
    port_.AddBranch(
        {.branch = {.code = "LZ-CG", .name = "城关服务大厅", .center_code = "GS-LZ", .slot_capacity = 1}});
  }
  fund::Subject Li() {
    return *port_.FindSubject("GS-LZ", LoginKind::kAccountNumber, "620100000001").value();
  }

  FakeClock clock_{At("2026-11-23T09:00:00+08:00")};
  FakeFundPort port_{clock_};
};

TEST_F(FakeFundPortTest, PasswordsMatchByEveryLoginIdAndNeverTellWhichPartWasWrong) {
  auto by_account = port_.CheckPassword("GS-LZ", LoginKind::kAccountNumber, "620100000001", "123456");
  ASSERT_TRUE(by_account.ok());
  ASSERT_TRUE(by_account->has_value());
  EXPECT_EQ((*by_account)->account, "620100000001");
  EXPECT_EQ((*by_account)->type, fund::SubjectType::kPerson);
  EXPECT_TRUE(
      port_.CheckPassword("GS-LZ", LoginKind::kCitizenId, "620102199001011234", "123456")->has_value());
  auto unit = port_.CheckPassword("GS-LZ", LoginKind::kUnitAccount, "6201000001", "654321");
  ASSERT_TRUE(unit.ok() && unit->has_value());
  EXPECT_EQ((*unit)->type, fund::SubjectType::kUnit);
  // Wrong password, unknown id, another centre's id, an empty card number: the same empty answer.
  EXPECT_FALSE(
      port_.CheckPassword("GS-LZ", LoginKind::kAccountNumber, "620100000001", "000000")->has_value());
  EXPECT_FALSE(
      port_.CheckPassword("GS-LZ", LoginKind::kAccountNumber, "620100009999", "123456")->has_value());
  EXPECT_FALSE(
      port_.CheckPassword("GS-TS", LoginKind::kAccountNumber, "620100000001", "123456")->has_value());
  EXPECT_FALSE(port_.CheckPassword("GS-LZ", LoginKind::kCardNumber, "", "123456")->has_value());
}

TEST_F(FakeFundPortTest, ReadsRecordsAndHistoriesNewestFirst) {
  EXPECT_EQ(port_.GetPersonAccount(Li())->balance, 1234567);
  auto deposits = port_.GetDeposits(Li(), {.from = Day("2026-09-01"), .limit = 50});
  ASSERT_TRUE(deposits.ok());
  ASSERT_EQ(deposits->size(), 2u);
  EXPECT_EQ((*deposits)[0].month, "2026-10");
  EXPECT_EQ((*deposits)[1].month, "2026-09");
  EXPECT_EQ(port_.GetDeposits(Li(), {.limit = 1})->at(0).month, "2026-10");
  auto progress = port_.GetProgress(Li(), std::nullopt);
  ASSERT_EQ(progress->size(), 2u);
  EXPECT_EQ((*progress)[0].reference, "DK1");
  EXPECT_EQ(port_.GetProgress(Li(), fund::BusinessKind::kWithdrawal)->size(), 1u);
  fund::Subject stranger{fund::SubjectType::kPerson, "620100009999", "GS-LZ"};
  EXPECT_EQ(port_.GetPersonAccount(stranger).error().code, "not_found");
  EXPECT_EQ(port_.GetQueue("GS-LZ", "NOPE").error().code, "not_found");
  EXPECT_EQ(port_.GetQueue("GS-LZ", "LZ-CG")->as_of, clock_.Now());
  EXPECT_EQ(port_.ListBranches("GS-LZ")->size(), 1u);
  EXPECT_TRUE(port_.ListBranches("SX-XA")->empty());
}

TEST_F(FakeFundPortTest, AppointmentsKeepThePortsRules) {
  fund::NewAppointment req{.kind = fund::AppointmentKind::kWithdrawal,
                           .branch_code = "LZ-CG",
                           .date = Day("2026-11-24"),
                           .slot = "09:00-10:00"};
  auto booked = port_.CreateAppointment(Li(), req);
  ASSERT_TRUE(booked.ok()) << booked.error().message;
  EXPECT_EQ(booked->reference, "YY20261124-000001");
  EXPECT_EQ(booked->branch_name, "城关服务大厅");
  EXPECT_EQ(booked->created_at, clock_.Now());
  EXPECT_EQ(port_.CreateAppointment(Li(), req).error().code, "appointment_exists");
  fund::NewAppointment loan = req;
  loan.kind = fund::AppointmentKind::kLoanApplication;
  EXPECT_EQ(port_.CreateAppointment(Li(), loan).error().code, "slot_full") << "capacity 1";
  loan.slot = "20:00-21:00";
  EXPECT_EQ(port_.CreateAppointment(Li(), loan).error().code, "slot_outside_hours");
  loan.branch_code = "NOPE";
  EXPECT_EQ(port_.CreateAppointment(Li(), loan).error().code, "not_found");
  auto slots = port_.GetSlots("GS-LZ", "LZ-CG", Day("2026-11-24"));
  ASSERT_TRUE(slots.ok());
  EXPECT_EQ((*slots)[0].booked, 1);
  EXPECT_EQ((*slots)[1].booked, 0);

  EXPECT_EQ(port_.ListAppointments(Li())->size(), 1u);
  auto cancelled = port_.CancelAppointment(Li(), booked->reference);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->state, "cancelled");
  EXPECT_EQ(port_.CancelAppointment(Li(), booked->reference).error().code, "appointment_not_active");
  EXPECT_EQ(port_.CancelAppointment(Li(), "YY-NONE").error().code, "not_found");
  loan.branch_code = "LZ-CG";
  loan.slot = "09:00-10:00";
  EXPECT_TRUE(port_.CreateAppointment(Li(), loan).ok()) << "the cancelled booking freed the slot";
}

TEST_F(FakeFundPortTest, ADownCoreSystemAnswersFundUnavailableUntilItIsBack) {
  port_.SetAvailable(false);
  const int before = port_.calls();
  auto r = port_.CheckPassword("GS-LZ", LoginKind::kAccountNumber, "620100000001", "123456");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "fund_unavailable");
  EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
  EXPECT_EQ(port_.ListBranches("GS-LZ").error().code, "fund_unavailable");
  EXPECT_EQ(port_.calls(), before + 2);
  port_.SetAvailable(true);
  EXPECT_TRUE(port_.ListBranches("GS-LZ").ok());
}

TEST(MockFundPort, ScriptedAnswersAndLoudDefaults) {
  MockFundPort port;
  EXPECT_CALL(port, ListBranches("GS-LZ"))
      .WillOnce(::testing::Return(std::vector<fund::Branch>{{.code = "LZ-CG", .center_code = "GS-LZ"}}));
  EXPECT_EQ(port.ListBranches("GS-LZ")->at(0).code, "LZ-CG");
  ::testing::NiceMock<MockFundPort> nice;
  EXPECT_EQ(nice.GetQueue("GS-LZ", "LZ-CG").error().code, "mock_no_action");
}

}  // namespace
}  // namespace hotline::test
