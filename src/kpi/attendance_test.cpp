// R-KPI-9 local indicators: 出勤率 and 准时率 from schedules and sign-ins, in the centre's time zone.
#include <gtest/gtest.h>

#include "kpi/attendance.hpp"
#include "kpi/indicators.hpp"
#include "store/test_database.hpp"
#include "testing/time.hpp"

namespace hotline::kpi {
namespace {

using test::At;

TEST(AttendanceTest, RatesFromShiftsAndSignIns) {
  auto db = store::OpenTestDatabase();
  store::ModuleMigrations modules[] = {org::kOrgMigrations, kAttendanceMigrations};
  ASSERT_TRUE(store::Migrate(*db, modules).ok());
  FakeClock clock(FromEpochMillis(0));
  org::OrgDirectory orgs(*db, clock);
  ASSERT_TRUE(orgs.Create({.code = "MOHURD", .name = "部", .level = org::OrgLevel::kMinistry}).ok());
  ASSERT_TRUE(orgs.Create({.code = "GS", .name = "甘肃", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"}).ok());
  ASSERT_TRUE(orgs.Create({.code = "GS-LZ", .name = "兰州", .level = org::OrgLevel::kCenter, .parent_code = "GS"}).ok());
  Attendance att(*db, orgs, {.grace = std::chrono::minutes(5)});
  auto bad = att.ImportSchedule("center,username,date,start,end\nGS-LZ,a,2026-03-02,8:30,12:00\nXX,a,2026-03-02,08:30,12:00\n",
                                "s.csv");
  ASSERT_TRUE(bad.ok());
  ASSERT_EQ(bad->errors.size(), 2u);
  EXPECT_EQ(bad->errors[0], "s.csv:2: start and end must be HH:MM");
  EXPECT_EQ(bad->errors[1], "s.csv:3: unknown centre 'XX'");
  auto ok = att.ImportSchedule(
      "center,username,date,start,end\n"
      "GS-LZ,li,2026-03-02,08:30,12:00\n"   // signed in 08:20: attended, on time
      "GS-LZ,li,2026-03-02,14:00,17:30\n"   // signed in 14:07: attended, late
      "GS-LZ,zhang,2026-03-02,08:30,12:00\n"  // signed in 08:35: on time within the 5-minute grace
      "GS-LZ,zhang,2026-03-03,22:00,06:00\n",  // night shift, never signed in
      "s.csv");
  ASSERT_TRUE(ok.ok());
  ASSERT_TRUE(ok->errors.empty()) << ok->errors[0];
  EXPECT_EQ(ok->shifts, 4);
  int64_t lz = orgs.FindByCode("GS-LZ")->id;
  ASSERT_TRUE(att.RecordSignIn(lz, "li", At("2026-03-02T08:20:00+08:00")).ok());
  ASSERT_TRUE(att.RecordSignIn(lz, "li", At("2026-03-02T14:07:00+08:00")).ok());
  ASSERT_TRUE(att.RecordSignIn(lz, "zhang", At("2026-03-02T08:35:00+08:00")).ok());
  ASSERT_TRUE(att.RecordSignOut(lz, "zhang", At("2026-03-02T12:00:00+08:00")).ok());
  Date from, to;
  ASSERT_TRUE(ParseDate("2026-03-02", &from));
  ASSERT_TRUE(ParseDate("2026-03-03", &to));
  auto rows = att.Compute(*orgs.FindByCode("GS"), from, to);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  const auto& total = (*rows)[0];
  EXPECT_EQ(total.scheduled, 4);
  EXPECT_EQ(total.attended, 3);
  EXPECT_EQ(total.punctual, 2);
  EXPECT_EQ(total.attendance_rate, 75.0);
  EXPECT_EQ(total.punctuality_rate, 50.0);
  EXPECT_EQ((*rows)[1].username, "li");
  EXPECT_EQ((*rows)[1].punctuality_rate, 50.0);
  EXPECT_EQ((*rows)[2].username, "zhang");
  EXPECT_EQ((*rows)[2].attendance_rate, 50.0);
}

}  // namespace
}  // namespace hotline::kpi
