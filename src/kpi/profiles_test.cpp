// Threshold profiles as data (R-KPI-3…8): a centre picks one and may define its own; reports follow the
// nearest choice upward. SQLite and PostgreSQL.
#include "kpi/profiles.hpp"

#include <gtest/gtest.h>

#include "kpi/report.hpp"
#include "store/test_database.hpp"

namespace hotline::kpi {
namespace {

class ProfilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {org::kOrgMigrations, kKpiMigrations, kProfileMigrations};
    ASSERT_TRUE(store::Migrate(*db_, modules).ok());
    ASSERT_TRUE(orgs_.Create({.code = "MOHURD", .name = "部", .level = org::OrgLevel::kMinistry}).ok());
    ASSERT_TRUE(
        orgs_
            .Create(
                {.code = "GS", .name = "甘肃", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
            .ok());
    ASSERT_TRUE(
        orgs_
            .Create(
                {.code = "SX", .name = "陕西", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
            .ok());
    for (auto [code, parent] : {std::pair{"GS-LZ", "GS"}, {"GS-TS", "GS"}, {"SX-XA", "SX"}})
      ASSERT_TRUE(
          orgs_.Create({.code = code, .name = code, .level = org::OrgLevel::kCenter, .parent_code = parent})
              .ok());
  }
  org::Org Org(const char* code) { return *orgs_.FindByCode(code); }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{FromEpochMillis(1'772'000'000'000)};
  org::OrgDirectory orgs_{*db_, clock_};
  ProfileStore profiles_{*db_, orgs_, "guideline"};
  KpiStore kpi_{*db_};
};

TEST_F(ProfilesTest, DefineChooseAndInherit) {
  auto strict = ProfileFromJson(nlohmann::json::parse(R"({"name":"lz-2027","title":"兰州2027合同",
      "thresholds":[{"indicator":"callconnect","op":">=","value":92.5},{"indicator":"waittimeavg","op":"<=","value":20}]})"));
  ASSERT_TRUE(strict.ok()) << strict.error().message;
  EXPECT_EQ(strict->thresholds[0].limit, 92500);
  EXPECT_EQ(strict->thresholds[1].limit, 20000);
  ASSERT_TRUE(profiles_.Define(Org("GS-LZ"), *strict).ok());
  EXPECT_TRUE(profiles_.Resolve("lz-2027", Org("GS-LZ")).ok());
  EXPECT_FALSE(profiles_.Resolve("lz-2027", Org("GS-TS")).ok()) << "a centre's profile is its own";
  EXPECT_EQ(profiles_.ChosenFor(Org("GS-LZ"))->name, "guideline");
  // The province chooses gansu for all its centres; Lanzhou then picks its own.
  ASSERT_TRUE(profiles_.Choose(Org("GS"), "gansu").ok());
  EXPECT_EQ(profiles_.ChosenFor(Org("GS-TS"))->name, "gansu");
  EXPECT_EQ(profiles_.ChosenFor(Org("SX-XA"))->name, "guideline");
  ASSERT_TRUE(profiles_.Choose(Org("GS-LZ"), "lz-2027").ok());
  EXPECT_EQ(profiles_.ChosenFor(Org("GS-LZ"))->name, "lz-2027");
  EXPECT_FALSE(profiles_.Choose(Org("GS-TS"), "lz-2027").ok());
  EXPECT_FALSE(
      profiles_.Define(Org("GS"), {.name = "gansu", .title = "x", .thresholds = strict->thresholds}).ok());
  // Reports without a profile follow the choice.
  Date d;
  ASSERT_TRUE(ParseDate("2026-03-02", &d));
  auto report =
      BuildReport({.org_code = "GS-LZ", .date = d, .profile = "", .profiles = &profiles_}, orgs_, kpi_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->profile, "lz-2027");
  EXPECT_EQ(report->rows[0].pass.size(), 2u);
}

TEST(ProfileJsonTest, RejectsBadDefinitions) {
  auto bad = [](const char* text) { return !ProfileFromJson(nlohmann::json::parse(text)).ok(); };
  EXPECT_TRUE(bad(R"({"name":"x","thresholds":[]})"));
  EXPECT_TRUE(bad(R"({"name":"ok-name","thresholds":[{"indicator":"nope","op":">=","value":1}]})"));
  EXPECT_TRUE(bad(R"({"name":"ok-name","thresholds":[{"indicator":"callconnect","op":">","value":1}]})"));
  EXPECT_TRUE(bad(R"({"name":"ok-name","thresholds":[{"indicator":"callconnect","op":">=","value":101}]})"));
  EXPECT_TRUE(bad(R"({"name":"ok-name","thresholds":[{"indicator":"acwavg","op":"<=","value":5},
                                                   {"indicator":"acwavg","op":"<=","value":6}]})"));
  EXPECT_TRUE(bad(R"({"name":"Bad Name","thresholds":[{"indicator":"acwavg","op":"<=","value":5}]})"));
  auto round = ProfileFromJson(ProfileToJson(*FindProfile("gansu")));
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->thresholds[4].limit, 30);  // 0.3 ‰ survives the round trip
}

}  // namespace
}  // namespace hotline::kpi
