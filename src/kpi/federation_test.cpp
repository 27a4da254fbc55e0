// Federation stores (R-ORG-3): tokens, all-or-nothing receipt scoped to the token's organisation,
// replacement (idempotent re-send), and the sender's change watermark. SQLite and PostgreSQL.
#include "kpi/federation.hpp"

#include <gtest/gtest.h>

#include "kpi/kpi_store.hpp"
#include "store/test_database.hpp"

namespace hotline::kpi {
namespace {

std::optional<Date> FromText(const char* text) {
  Date d;
  if (!ParseDate(text, &d)) return std::nullopt;
  return d;
}

class FederationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {org::kOrgMigrations, kKpiMigrations, kFederationMigrations};
    auto m = store::Migrate(*db_, modules);
    ASSERT_TRUE(m.ok()) << m.error().message;
    ASSERT_TRUE(orgs_.Create({.code = "MOHURD", .name = "部", .level = org::OrgLevel::kMinistry}).ok());
    for (auto [code, parent] : {std::pair{"GS", "MOHURD"}, {"SX", "MOHURD"}})
      ASSERT_TRUE(
          orgs_.Create({.code = code, .name = code, .level = org::OrgLevel::kProvince, .parent_code = parent})
              .ok());
    for (auto [code, parent] : {std::pair{"GS-LZ", "GS"}, {"SX-XA", "SX"}})
      ASSERT_TRUE(
          orgs_.Create({.code = code, .name = code, .level = org::OrgLevel::kCenter, .parent_code = parent})
              .ok());
  }
  DailyRow Row(const char* center, const char* day, int64_t n) {
    DailyRow r{center, {}, {}};
    EXPECT_TRUE(ParseDate(day, &r.day));
    r.sums.n_in = n, r.sums.n_req = n, r.sums.n_ans = n;
    return r;
  }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{FromEpochMillis(1'772'000'000'000)};
  SeededRandom random_{3};
  org::OrgDirectory orgs_{*db_, clock_};
  FederationStore fed_{*db_, orgs_, clock_, random_};
  KpiStore kpi_{*db_};
};

TEST_F(FederationTest, TokensSpeakOnlyForTheirSubtree) {
  auto token = fed_.IssueToken("GS");
  ASSERT_TRUE(token.ok());
  auto gs = fed_.Authenticate(*token);
  ASSERT_TRUE(gs.ok());
  EXPECT_EQ(gs->code, "GS");
  EXPECT_EQ(fed_.Authenticate("fed_unknown").error().code, "unauthenticated");
  EXPECT_EQ(fed_.Authenticate(token->substr(4)).error().code, "unauthenticated");
  // A batch with one row outside GS is refused whole.
  auto mixed = fed_.Receive(*gs, {Row("GS-LZ", "2026-03-02", 5), Row("SX-XA", "2026-03-02", 7)});
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(kpi_.Sum({orgs_.FindByCode("GS-LZ")->id}, *FromText("2026-03-02"), *FromText("2026-03-02"))->n_in,
            0);
  EXPECT_FALSE(fed_.Receive(*gs, {Row("XX-NO", "2026-03-02", 1)}).ok());
}

TEST_F(FederationTest, ResendingReplacesAndTheWatermarkMoves) {
  auto gs = *fed_.Authenticate(*fed_.IssueToken("GS"));
  int64_t lz = orgs_.FindByCode("GS-LZ")->id;
  ASSERT_EQ(*fed_.Receive(gs, {Row("GS-LZ", "2026-03-02", 5), Row("GS-LZ", "2026-03-03", 6)}), 2);
  ASSERT_EQ(*fed_.Receive(gs, {Row("GS-LZ", "2026-03-02", 5)}), 1);  // the same again: no change
  EXPECT_EQ(kpi_.Sum({lz}, *FromText("2026-03-01"), *FromText("2026-03-31"))->n_in, 11);
  ASSERT_EQ(*fed_.Receive(gs, {Row("GS-LZ", "2026-03-02", 9)}), 1);  // a corrected day replaces
  EXPECT_EQ(kpi_.Sum({lz}, *FromText("2026-03-01"), *FromText("2026-03-31"))->n_in, 15);

  // This database as a sender: everything changed is pending once, then nothing until a new change.
  auto pending = fed_.Pending("http://up", 100);
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->first.size(), 2u);
  ASSERT_TRUE(fed_.Acknowledge("http://up", pending->second).ok());
  EXPECT_TRUE(fed_.Pending("http://up", 100)->first.empty());
  ASSERT_TRUE(fed_.Receive(gs, {Row("GS-LZ", "2026-03-03", 1)}).ok());
  auto again = *fed_.Pending("http://up", 100);
  ASSERT_EQ(again.first.size(), 1u);
  EXPECT_EQ(again.first[0].sums.n_in, 1);
  EXPECT_EQ(fed_.Pending("http://other", 100)->first.size(), 2u) << "each upstream has its own watermark";

  auto status = fed_.Reporting(*orgs_.FindByCode("GS"), *FromText("2026-03-01"), *FromText("2026-03-04"));
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->size(), 1u);
  EXPECT_EQ((*status)[0].days_reported, 2);
  EXPECT_EQ((*status)[0].missing, (std::vector<std::string>{"2026-03-01", "2026-03-04"}));
}

TEST(DailyRowTest, JsonRoundTripAndValidation) {
  DailyRow r{"GS-LZ", {}, {}};
  ASSERT_TRUE(ParseDate("2026-03-02", &r.day));
  r.sums.n_in = 10, r.sums.n_req = 8, r.sums.n_ans = 6, r.sums.surveyed = 3, r.sums.satisfied = 2,
  r.sums.basic = 1;
  auto back = DailyRowFromJson(ToJson(r));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->sums, r.sums);
  auto j = ToJson(r);
  j["n_ans"] = 99;  // more answered than requested
  EXPECT_FALSE(DailyRowFromJson(j).ok());
  j = ToJson(r);
  j["n_in"] = -1;
  EXPECT_FALSE(DailyRowFromJson(j).ok());
  j = ToJson(r);
  j["day"] = "2026-02-30";
  EXPECT_FALSE(DailyRowFromJson(j).ok());
  EXPECT_FALSE(DailyRowFromJson(nlohmann::json::array()).ok());
}

}  // namespace
}  // namespace hotline::kpi

#include "kpi/complaint_counter.hpp"

namespace hotline::kpi {
namespace {

// R-KPI-7: complaint work orders reach 投诉率 through the counter, in the caller's transaction.
TEST_F(FederationTest, ComplaintOrdersCountInTheDailySums) {
  DailyComplaintCounter counter;
  int64_t lz = orgs_.FindByCode("GS-LZ")->id;
  Date day = *FromText("2026-03-02");
  ASSERT_TRUE(
      db_->Transaction([&](store::Session& s) { return counter.AddComplaintOrders(s, lz, day, +1); }).ok());
  ASSERT_TRUE(
      db_->Transaction([&](store::Session& s) { return counter.AddComplaintOrders(s, lz, day, +1); }).ok());
  ASSERT_TRUE(
      db_->Transaction([&](store::Session& s) { return counter.AddComplaintOrders(s, lz, day, -1); }).ok());
  EXPECT_EQ(kpi_.Sum({lz}, day, day)->complaints, 1);
  // A rolled-back order leaves no count behind.
  Status st = db_->Transaction([&](store::Session& s) -> Status {
    HOTLINE_RETURN_IF_ERROR(counter.AddComplaintOrders(s, lz, day, +1));
    return Error::Internal("the order failed");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(kpi_.Sum({lz}, day, day)->complaints, 1);
}

}  // namespace
}  // namespace hotline::kpi
