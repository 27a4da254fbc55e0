// R-KPI-9 local indicators: 出勤率 and 准时率 from schedules and sign-ins, in the centre's time zone.
#include "kpi/attendance.hpp"

#include <gtest/gtest.h>

#include "kpi/indicators.hpp"
#include "store/test_database.hpp"
#include "testing/time.hpp"

namespace hotline::kpi {
namespace {

using test::At;

// A user of `org` with `role`, acting through the console.
org::Actor As(const org::OrgDirectory& orgs, org::Role role, const char* org_code) {
  org::Principal p;
  auto o = orgs.FindByCode(org_code);
  EXPECT_TRUE(o.ok()) << org_code;
  p.org = *o;
  p.user.id = 7;
  p.user.username = std::string(org::RoleName(role)) + "@" + org_code;
  p.user.role = role;
  p.user.org_id = o->id;
  p.user.org_code = org_code;
  return org::Actor::ForUser(std::move(p));
}

TEST(AttendanceTest, RatesFromShiftsAndSignIns) {
  auto db = store::OpenTestDatabase();
  store::ModuleMigrations modules[] = {org::kOrgMigrations, kAttendanceMigrations};
  ASSERT_TRUE(store::Migrate(*db, modules).ok());
  FakeClock clock(FromEpochMillis(0));
  org::OrgDirectory orgs(*db, clock);
  ASSERT_TRUE(orgs.Create({.code = "MOHURD", .name = "部", .level = org::OrgLevel::kMinistry}).ok());
  ASSERT_TRUE(
      orgs.Create({.code = "GS", .name = "甘肃", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
          .ok());
  ASSERT_TRUE(
      orgs.Create({.code = "GS-LZ", .name = "兰州", .level = org::OrgLevel::kCenter, .parent_code = "GS"})
          .ok());
  Attendance att(*db, orgs, {.grace = std::chrono::minutes(5)});
  const org::Actor leader = As(orgs, org::Role::kTeamLeader, "GS-LZ");
  auto bad = att.ImportSchedule(
      leader, "center,username,date,start,end\nGS-LZ,a,2026-03-02,8:30,12:00\nXX,a,2026-03-02,08:30,12:00\n",
      "s.csv");
  ASSERT_TRUE(bad.ok());
  ASSERT_EQ(bad->errors.size(), 2u);
  EXPECT_EQ(bad->errors[0], "s.csv:2: start and end must be HH:MM");
  EXPECT_EQ(bad->errors[1], "s.csv:3: unknown centre 'XX' (a centre inside your organisation is required)");
  auto ok = att.ImportSchedule(
      leader,
      "center,username,date,start,end\n"
      "GS-LZ,li,2026-03-02,08:30,12:00\n"      // signed in 08:20: attended, on time
      "GS-LZ,li,2026-03-02,14:00,17:30\n"      // signed in 14:07: attended, late
      "GS-LZ,zhang,2026-03-02,08:30,12:00\n"   // signed in 08:35: on time within the 5-minute grace
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

// Issue 12 §2 (R-ORG-1): a team leader loads shifts for their own centre only. A line naming a centre
// outside the actor's subtree is an error like an unknown code (existence is not revealed), and with any
// error nothing is stored; a province admin loads the province's centres; roles without
// kpi.schedule.write (agents, supervisors, the IVR) are refused.
TEST(AttendanceTest, ScheduleLinesMustNameCentresInsideTheActorsScope) {
  auto db = store::OpenTestDatabase();
  store::ModuleMigrations modules[] = {org::kOrgMigrations, kAttendanceMigrations};
  ASSERT_TRUE(store::Migrate(*db, modules).ok());
  FakeClock clock(FromEpochMillis(0));
  org::OrgDirectory orgs(*db, clock);
  ASSERT_TRUE(orgs.Create({.code = "MOHURD", .name = "部", .level = org::OrgLevel::kMinistry}).ok());
  ASSERT_TRUE(
      orgs.Create({.code = "GS", .name = "甘肃", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
          .ok());
  ASSERT_TRUE(
      orgs.Create({.code = "SX", .name = "陕西", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
          .ok());
  ASSERT_TRUE(
      orgs.Create({.code = "GS-LZ", .name = "兰州", .level = org::OrgLevel::kCenter, .parent_code = "GS"})
          .ok());
  ASSERT_TRUE(
      orgs.Create({.code = "GS-TS", .name = "天水", .level = org::OrgLevel::kCenter, .parent_code = "GS"})
          .ok());
  ASSERT_TRUE(
      orgs.Create({.code = "SX-XA", .name = "西安", .level = org::OrgLevel::kCenter, .parent_code = "SX"})
          .ok());
  Attendance att(*db, orgs);
  auto stored = [&] { return db->Query("SELECT COUNT(*) FROM agent_shifts")->rows[0][0].AsInt(); };
  const std::string csv =
      "center,username,date,start,end\n"
      "GS-LZ,li,2026-03-02,08:30,12:00\n"
      "GS-TS,wang,2026-03-02,08:30,12:00\n"
      "GS-LZ,zhang,2026-03-02,14:00,17:30\n";

  auto leader = att.ImportSchedule(As(orgs, org::Role::kTeamLeader, "GS-LZ"), csv, "s.csv");
  ASSERT_TRUE(leader.ok()) << leader.error().message;
  ASSERT_EQ(leader->errors.size(), 1u);
  EXPECT_EQ(leader->errors[0],
            "s.csv:3: unknown centre 'GS-TS' (a centre inside your organisation is required)");
  EXPECT_EQ(leader->shifts, 0);
  EXPECT_EQ(stored(), 0) << "nothing is imported when one line is outside the scope";
  // The same answer for another province's centre and for a code that does not exist.
  auto other = att.ImportSchedule(As(orgs, org::Role::kAdmin, "GS"),
                                  "center,username,date,start,end\nSX-XA,a,2026-03-02,08:30,12:00\n"
                                  "NOPE,a,2026-03-02,08:30,12:00\n",
                                  "s.csv");
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->errors.size(), 2u);
  EXPECT_EQ(other->errors[0],
            "s.csv:2: unknown centre 'SX-XA' (a centre inside your organisation is required)");
  EXPECT_EQ(other->errors[1],
            "s.csv:3: unknown centre 'NOPE' (a centre inside your organisation is required)");
  EXPECT_EQ(stored(), 0);

  for (org::Role role : {org::Role::kAgent, org::Role::kSupervisor, org::Role::kDepartment}) {
    auto refused = att.ImportSchedule(As(orgs, role, "GS-LZ"), csv, "s.csv");
    ASSERT_FALSE(refused.ok()) << org::RoleName(role);
    EXPECT_EQ(refused.error().code, "forbidden");
  }
  auto ivr = att.ImportSchedule(org::Actor::ForSystem(org::SystemPrincipal::kIvr, *orgs.FindByCode("GS-LZ")),
                                csv, "s.csv");
  ASSERT_FALSE(ivr.ok());
  EXPECT_EQ(ivr.error().code, "forbidden");
  EXPECT_EQ(stored(), 0);

  // The province admin's subtree holds both centres.
  auto province = att.ImportSchedule(As(orgs, org::Role::kAdmin, "GS"), csv, "s.csv");
  ASSERT_TRUE(province.ok());
  EXPECT_TRUE(province->errors.empty()) << province->errors[0];
  EXPECT_EQ(province->shifts, 3);
  EXPECT_EQ(stored(), 3);
}

}  // namespace
}  // namespace hotline::kpi
