// Indicator definitions with hand-computed fixtures (docs/INDICATORS.md), periods, CSV import, rollups.
// The store tests run on SQLite and (kpi_test_postgres) on PostgreSQL.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "core/csv.hpp"
#include "core/random.hpp"
#include "kpi/call_log.hpp"
#include "kpi/cdr_import.hpp"
#include "kpi/complaint_counter.hpp"
#include "kpi/report.hpp"
#include "store/test_database.hpp"
#include "testing/time.hpp"

namespace hotline::kpi {
namespace {

using test::At;
using test::Day;

// An answered call: queued q s after arrival, waits w s, talks t s, after-call work a s.
Cdr Answered(const char* arrived, int w, int t, int a, Survey survey = Survey::kNone,
             bool complaint = false) {
  Cdr c;
  c.call_id = std::string("c-") + arrived + std::to_string(w) + std::to_string(t);
  c.center = "GS-LZ";
  c.arrived_at = At(arrived);
  c.queued_at = c.arrived_at + std::chrono::seconds(10);
  c.answered_at = *c.queued_at + std::chrono::seconds(w);
  c.talk_ended_at = *c.answered_at + std::chrono::seconds(t);
  c.acw_ended_at = *c.talk_ended_at + std::chrono::seconds(a);
  c.ended_at = c.talk_ended_at;
  c.outcome = Outcome::kAnswered;
  c.survey = survey;
  c.complaint = complaint;
  return c;
}
Cdr Other(Outcome o) {
  Cdr c;
  c.call_id = "x";
  c.arrived_at = At("2026-03-02T09:00:00+08:00");
  c.outcome = o;
  if (o == Outcome::kAbandoned || o == Outcome::kOverflow) c.queued_at = c.arrived_at;
  return c;
}

// Fixture: 4 answered (wait 20/40/30/30 s, talk 120/240/180/60 s, ACW 20/40/30/10 s), 1 abandoned,
// 1 overflow, 3 IVR, 1 failed. N_in=10, N_req=6, N_ans=4, N_ivr=3, N_abn=1.
DaySums Fixture() {
  DaySums s;
  s.Add(Answered("2026-03-02T09:00:00+08:00", 20, 120, 20, Survey::kSatisfied));
  s.Add(Answered("2026-03-02T09:10:00+08:00", 40, 240, 40, Survey::kBasic, true));
  s.Add(Answered("2026-03-02T09:20:00+08:00", 30, 180, 30, Survey::kDissatisfied));
  s.Add(Answered("2026-03-02T09:30:00+08:00", 30, 60, 10));
  s.Add(Other(Outcome::kAbandoned));
  s.Add(Other(Outcome::kOverflow));
  for (int i = 0; i < 3; ++i) s.Add(Other(Outcome::kIvr));
  s.Add(Other(Outcome::kFailed));
  return s;
}

TEST(IndicatorsTest, ManualBasis) {
  Indicators i = Compute(Fixture(), {});
  EXPECT_EQ(i.call_total, 10);                   // R-KPI-1
  EXPECT_EQ(i.callavg.ToString(), "2.50");       // R-KPI-2: 600 s / 4 / 60
  EXPECT_EQ(i.callconnect.ToString(), "66.67");  // R-KPI-3: 4 / 6
  EXPECT_EQ(i.abncalls.ToString(), "25.00");     // R-KPI-4: abandoned over *connected*: 1 / 4
  EXPECT_EQ(i.waittimeavg.ToString(), "0.50");   // R-KPI-5: 120 s / 4 / 60
  EXPECT_EQ(i.acwavg.ToString(), "0.42");        // R-KPI-6: 100 s / 4 = 25 s = 0.4166… min
  EXPECT_EQ(i.complntrate.ToString(), "25.00");  // R-KPI-7: 1 / 4 answered
  EXPECT_EQ(i.satisrate.ToString(), "33.33");    // R-KPI-8: 1 / 3 surveyed
}

TEST(IndicatorsTest, AllBasisAndBasicSatisfied) {
  Indicators i = Compute(Fixture(), {.basis = Basis::kAll, .satisfied_includes_basic = true});
  EXPECT_EQ(i.callconnect.ToString(), "70.00");  // (4 + 3) / 10
  EXPECT_EQ(i.abncalls.ToString(), "14.29");     // 1 / (4 + 3)
  EXPECT_EQ(i.satisrate.ToString(), "66.67");    // (1 + 1) / 3
}

TEST(IndicatorsTest, ZeroDenominatorsAreNull) {
  DaySums only_ivr;
  only_ivr.Add(Other(Outcome::kIvr));
  Indicators i = Compute(only_ivr, {});
  EXPECT_EQ(i.call_total, 1);
  EXPECT_TRUE(i.callavg.is_null());
  EXPECT_TRUE(i.callconnect.is_null());
  EXPECT_TRUE(i.abncalls.is_null());
  EXPECT_TRUE(i.satisrate.is_null());
  EXPECT_EQ(Compute(only_ivr, {.basis = Basis::kAll}).callconnect.ToString(), "100.00");
  EXPECT_EQ(Compute(DaySums{}, {}).call_total, 0);
  EXPECT_FALSE(Passes(FindProfile("guideline")->thresholds[0], only_ivr, {}).has_value());
}

TEST(IndicatorsTest, RoundingIsHalfUpOnlyAtOutput) {
  EXPECT_EQ(RoundedRatio(1, 8, 100).ToString(), "12.50");  // exact
  EXPECT_EQ(RoundedRatio(1, 200, 1).ToString(), "0.01");   // 0.005 → 0.01 (half up)
  EXPECT_EQ(RoundedRatio(1, 201, 1).ToString(), "0.00");
  EXPECT_EQ(RoundedRatio(2, 3, 100).ToString(), "66.67");
  EXPECT_TRUE(RoundedRatio(5, 0, 100).is_null());
}

TEST(IndicatorsTest, ThresholdsJudgeTheExactRatio) {
  DaySums s;
  s.n_req = 1000, s.n_ans = 900;  // connect 90 % exactly
  const Profile* gansu = FindProfile("gansu");
  const Profile* guideline = FindProfile("guideline");
  EXPECT_EQ(Passes(gansu->thresholds[0], s, {}), true);  // ≥ 90 %
  s.n_ans = 899;                                         // 89.9 %
  EXPECT_EQ(Passes(gansu->thresholds[0], s, {}), false);
  EXPECT_EQ(Passes(guideline->thresholds[0], s, {}), true);
  // Gansu complaint rate ≤ 0.3 ‰: 3 complaints in 10,000 answered passes, 4 fail.
  s.n_ans = 10000, s.complaints = 3;
  EXPECT_EQ(Passes(gansu->thresholds[4], s, {}), true);
  s.complaints = 4;
  EXPECT_EQ(Passes(gansu->thresholds[4], s, {}), false);
  // Wait ≤ 30 s (Gansu) on Σwait / N_ans in milliseconds.
  s.wait_ms = 300000, s.n_ans = 10;
  EXPECT_EQ(Passes(gansu->thresholds[2], s, {}), true);
  s.wait_ms += 1;
  EXPECT_EQ(Passes(gansu->thresholds[2], s, {}), false);
}

TEST(CdrTest, ValidationRules) {
  Cdr ok = Answered("2026-03-02T09:00:00+08:00", 5, 60, 5);
  EXPECT_TRUE(ValidateCdr(ok).ok());
  Cdr no_answer = ok;
  no_answer.answered_at.reset();
  EXPECT_FALSE(ValidateCdr(no_answer).ok());
  Cdr backwards = ok;
  backwards.talk_ended_at = *ok.answered_at - std::chrono::seconds(1);
  EXPECT_NE(ValidateCdr(backwards).error().message.find("talk_ended_at is before answered_at"),
            std::string::npos);
  Cdr ivr_survey = Other(Outcome::kIvr);
  ivr_survey.survey = Survey::kSatisfied;
  EXPECT_FALSE(ValidateCdr(ivr_survey).ok());
  Cdr abandoned_no_queue = Other(Outcome::kAbandoned);
  abandoned_no_queue.queued_at.reset();
  EXPECT_FALSE(ValidateCdr(abandoned_no_queue).ok());
}

// The importer's fast time parser must accept exactly what ParseIso8601 accepts, with the same instant.
TEST(CdrTest, FastTimeParserAgreesWithIso8601) {
  std::vector<std::string> cases = {"2026-03-02T09:15:03+08:00",
                                    "2026-03-02 09:15:03+08:00",
                                    "2026-03-02T01:15:03Z",
                                    "2026-03-02T01:15:03z",
                                    "2028-02-29T23:59:59-05:30",
                                    "2026-02-29T10:00:00+08:00",
                                    "2026-13-01T10:00:00+08:00",
                                    "0000-01-01T00:00:00Z",
                                    "9999-12-31T23:59:59+23:59",
                                    "2026-03-02T24:00:00+08:00",
                                    "2026-03-02T23:60:00+08:00",
                                    "2026-03-02T23:59:60Z",
                                    "2026-03-02T09:15:03+24:00",
                                    "2026-03-02T09:15:03+08:60",
                                    "2026-03-02T09:15:03.250+08:00",
                                    "2026-03-02T09:15:03+0800",
                                    "2026-03-02T09:15:03",
                                    "2026-03-02",
                                    "",
                                    "2026-03-02T09:15:03+08:00 ",
                                    "2026-03-02X09:15:03+08:00",
                                    "2026-03-02T09:15:03*08:00",
                                    "2026-03-02T09:15:03+08-00"};
  // Random single-byte changes of well-formed times, on top of the hand-picked ones.
  std::mt19937 rng(12329);
  const std::string alphabet = "0123456789-+:TZz .x";
  for (const char* base : {"2026-03-02T09:15:03+08:00", "2024-02-29T00:00:00Z"}) {
    for (int i = 0; i < 4000; ++i) {
      std::string s = base;
      for (int edits = 1 + static_cast<int>(rng() % 2); edits > 0; --edits)
        s[rng() % s.size()] = alphabet[rng() % alphabet.size()];
      cases.push_back(s);
    }
  }
  int accepted = 0;
  for (const auto& s : cases) {
    TimePoint fast{}, slow{};
    bool fast_ok = ParseCdrTime(s, &fast), slow_ok = ParseIso8601(s, &slow);
    ASSERT_EQ(fast_ok, slow_ok) << s;
    if (fast_ok) {
      ASSERT_EQ(ToEpochMillis(fast), ToEpochMillis(slow)) << s;
      ++accepted;
    }
  }
  EXPECT_GT(accepted, 100);  // the mutations did exercise the accepting path
  TimePoint t;
  ASSERT_TRUE(ParseCdrTime("2026-03-02T09:15:03+08:00", &t));
  EXPECT_EQ(FormatUtc(t), "2026-03-02T01:15:03.000Z");
}

TEST(PeriodsTest, IsoWeeksMonthsQuartersYears) {
  auto week = *PeriodContaining(PeriodKind::kWeek, Day("2026-03-04"));
  EXPECT_EQ(FormatDate(week.start), "2026-03-02");
  EXPECT_EQ(FormatDate(week.end), "2026-03-08");
  EXPECT_EQ(week.label, "2026-W10");
  // A week spanning two months and ISO week 53 across a year end.
  auto w53 = *PeriodContaining(PeriodKind::kWeek, Day("2027-01-01"));
  EXPECT_EQ(w53.label, "2026-W53");
  EXPECT_EQ(FormatDate(w53.start), "2026-12-28");
  EXPECT_EQ(FormatDate(w53.end), "2027-01-03");
  EXPECT_EQ(PeriodContaining(PeriodKind::kWeek, Day("2025-12-29"))->label, "2026-W01");
  auto feb = *PeriodContaining(PeriodKind::kMonth, Day("2028-02-10"));
  EXPECT_EQ(FormatDate(feb.end), "2028-02-29");
  auto q = *PeriodContaining(PeriodKind::kQuarter, Day("2026-11-22"));
  EXPECT_EQ(q.label, "2026-Q4");
  EXPECT_EQ(FormatDate(q.start), "2026-10-01");
  EXPECT_EQ(FormatDate(q.end), "2026-12-31");
  EXPECT_FALSE(PeriodContaining(PeriodKind::kRange, Day("2026-03-02")).ok());
  EXPECT_FALSE(PeriodContaining(PeriodKind::kRange, Day("2026-03-02"), Day("2026-03-01")).ok());
}

class KpiStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {org::kOrgMigrations, kKpiMigrations};
    ASSERT_TRUE(store::Migrate(*db_, modules).ok());
    ASSERT_TRUE(
        orgs_.Create({.code = "MOHURD", .name = "住房和城乡建设部", .level = org::OrgLevel::kMinistry}).ok());
    for (auto [code, parent] : {std::pair{"GS", "MOHURD"}, {"SX", "MOHURD"}})
      ASSERT_TRUE(
          orgs_.Create({.code = code, .name = code, .level = org::OrgLevel::kProvince, .parent_code = parent})
              .ok());
    for (auto [code, parent] : {std::pair{"GS-LZ", "GS"}, {"GS-TS", "GS"}, {"SX-XA", "SX"}})
      ASSERT_TRUE(
          orgs_.Create({.code = code, .name = code, .level = org::OrgLevel::kCenter, .parent_code = parent})
              .ok());
  }
  Result<ImportSummary> Import(const std::string& csv) {
    CdrImporter importer(store_, orgs_, random_);
    return importer.ImportBytes(csv, "calls.csv", {.batch_rows = 3});
  }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{FromEpochMillis(1'772'000'000'000)};
  SeededRandom random_{7};
  org::OrgDirectory orgs_{*db_, clock_};
  KpiStore store_{*db_};
};

constexpr const char* kHeader =
    "outcome,call_id,center,caller,arrived_at,queued_at,answered_at,talk_ended_at,acw_ended_at,ended_at,"
    "agent,survey,"
    "complaint\n";

TEST_F(KpiStoreTest, ImportReportsBadRowsAndIsIdempotent) {
  std::string csv =
      std::string(kHeader) +
      // 2: answered, LZ, 23:59:50 local on 3月2日 → belongs to 3月2日 even though talk crosses midnight
      "answered,a1,GS-LZ,13800000001,2026-03-02T23:59:50+08:00,2026-03-02T23:59:55+08:00,2026-03-03T00:00:05+"
      "08:00,"
      "2026-03-03T00:02:05+08:00,2026-03-03T00:02:35+08:00,2026-03-03T00:02:05+08:00,1001,satisfied,0\n"
      // 3: abandoned at TS
      "abandoned,a2,GS-TS,13800000002,2026-03-02T10:00:00+08:00,2026-03-02T10:00:05+08:00,,,,2026-03-02T10:"
      "01:00+08:00,,,0\n"
      // 4: unknown centre
      "ivr,a3,XX-NO,13800000003,2026-03-02T10:00:00+08:00,,,,,,,,0\n"
      // 5: answered without answered_at
      "answered,a4,GS-LZ,1,2026-03-02T10:00:00+08:00,2026-03-02T10:00:01+08:00,,2026-03-02T10:01:00+08:00,,,,"
      ",0\n"
      // 6: bad timestamp
      "ivr,a5,GS-LZ,1,2026-03-02 10:00,,,,,,,,0\n"
      // 7: ivr at SX-XA, given in UTC: 2026-03-02T17:00Z is 3月3日 01:00 Beijing → day 3月3日
      "ivr,a6,SX-XA,1,2026-03-02T17:00:00Z,,,,,,,,0\n"
      // 8: duplicate of a1 in the same file
      "ivr,a1,GS-LZ,1,2026-03-02T10:00:00+08:00,,,,,,,,0\n"
      // 9: a province is not a centre
      "ivr,a7,GS,1,2026-03-02T10:00:00+08:00,,,,,,,,0\n"
      // 10: wrong field count
      "ivr,a8,GS-LZ\n";
  auto first = Import(csv);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->rows, 9);
  EXPECT_EQ(first->imported, 3);
  EXPECT_EQ(first->error_count, 6);
  ASSERT_EQ(first->errors.size(), 6u);
  EXPECT_EQ(first->errors[0].rfind("calls.csv:4: unknown centre 'XX-NO'", 0), 0u) << first->errors[0];
  EXPECT_EQ(first->errors[1].rfind("calls.csv:5: outcome answered without answered_at", 0), 0u)
      << first->errors[1];
  EXPECT_EQ(first->errors[2].rfind("calls.csv:6: arrived_at", 0), 0u) << first->errors[2];
  EXPECT_EQ(first->errors[3].rfind("calls.csv:8: duplicate call_id a1", 0), 0u) << first->errors[3];
  EXPECT_EQ(first->errors[4].rfind("calls.csv:9: 'GS' is a province", 0), 0u) << first->errors[4];
  EXPECT_EQ(first->errors[5].rfind("calls.csv:10: expected 13 fields", 0), 0u) << first->errors[5];

  auto again = Import(csv);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->already_stored, 4);  // a1 twice, a2, a6
  auto lz = *orgs_.FindByCode("GS-LZ");
  auto s = *store_.Sum({lz.id}, Day("2026-03-02"), Day("2026-03-02"));
  EXPECT_EQ(s.n_in, 1);
  EXPECT_EQ(s.n_ans, 1);
  EXPECT_EQ(s.talk_ms, 120000);
  EXPECT_EQ(s.wait_ms, 10000);
  EXPECT_EQ(s.acw_ms, 30000);
  auto xa = *orgs_.FindByCode("SX-XA");
  EXPECT_EQ(store_.Sum({xa.id}, Day("2026-03-03"), Day("2026-03-03"))->n_ivr, 1);
  EXPECT_EQ(store_.Sum({xa.id}, Day("2026-03-02"), Day("2026-03-02"))->n_in, 0);
}

// A call belongs to the local day of arrived_at in its centre's zone, also across a daylight-saving change
// (the importer caches a day's span of instants only for days of exactly 24 hours).
TEST_F(KpiStoreTest, LocalDaysFollowTheCentresZoneAcrossADaylightSavingChange) {
  ASSERT_TRUE(orgs_
                  .Create({.code = "EU-BE",
                           .name = "EU-BE",
                           .level = org::OrgLevel::kCenter,
                           .parent_code = "GS",
                           .time_zone = "Europe/Berlin"})
                  .ok());
  // Berlin: 2026-03-29 has 23 hours (02:00 → 03:00); 2026-10-25 has 25 (03:00 → 02:00).
  std::string csv = kHeader;
  int n = 0;
  for (const char* at : {"2026-03-28T22:59:59Z",   // 03-28 23:59:59 +01
                         "2026-03-28T23:00:00Z",   // 03-29 00:00 +01
                         "2026-03-29T00:59:59Z",   // 03-29 01:59:59 +01
                         "2026-03-29T01:00:00Z",   // 03-29 03:00 +02
                         "2026-03-29T21:59:59Z",   // 03-29 23:59:59 +02
                         "2026-03-29T22:00:00Z",   // 03-30 00:00 +02
                         "2026-10-24T22:00:00Z",   // 10-25 00:00 +02
                         "2026-10-25T00:30:00Z",   // 10-25 02:30 +02
                         "2026-10-25T01:30:00Z",   // 10-25 02:30 +01 (the hour again)
                         "2026-10-25T22:59:59Z",   // 10-25 23:59:59 +01
                         "2026-10-25T23:00:00Z"})  // 10-26 00:00 +01
    csv += fmt::format("ivr,dst{},EU-BE,1,{},,,,,,,,0\n", n++, at);
  auto imported = Import(csv);
  ASSERT_TRUE(imported.ok()) << imported.error().message;
  ASSERT_EQ(imported->imported, 11) << (imported->errors.empty() ? "" : imported->errors[0]);
  auto be = *orgs_.FindByCode("EU-BE");
  auto calls = [&](const char* day) { return store_.Sum({be.id}, Day(day), Day(day))->n_in; };
  EXPECT_EQ(calls("2026-03-28"), 1);
  EXPECT_EQ(calls("2026-03-29"), 4);
  EXPECT_EQ(calls("2026-03-30"), 1);
  EXPECT_EQ(calls("2026-10-25"), 4);
  EXPECT_EQ(calls("2026-10-26"), 1);
}

// ImportFile over a file of many pages in small batches, so that it hands the stored part back to the
// operating system many times (rows cross page boundaries): every row is imported and the bad row near
// the end is reported with its line.
TEST_F(KpiStoreTest, ImportFileReadsEveryRowWhileReleasingTheStoredPart) {
  auto path = std::filesystem::temp_directory_path() / ("hotline-cdrs-" + std::to_string(getpid()) + ".csv");
  {
    std::ofstream out(path);
    out << kHeader;
    for (int i = 0; i < 600; ++i) {
      if (i == 590) {
        out << "ivr,bad590,GS-LZ,1,2026-03-02T10:00:00+08:00,2026-03-02T10:00:01+08:00,,,,,,,0\n";
        continue;
      }
      out << fmt::format(
          "answered,file-call-{:04},GS-LZ,1380000{:04},2026-03-02T10:{:02}:00+08:00,2026-03-02T10:{:02}:05+"
          "08:00,"
          "2026-03-02T10:{:02}:15+08:00,2026-03-02T10:{:02}:45+08:00,2026-03-02T10:{:02}:50+08:00,"
          "2026-03-02T10:{:02}:45+08:00,1001,,0\n",
          i, i, i % 60, i % 60, i % 60, i % 60, i % 60, i % 60);
    }
  }
  ASSERT_GT(std::filesystem::file_size(path), 16 * 4096u);
  CdrImporter importer(store_, orgs_, random_);
  auto summary = importer.ImportFile(path.string(), {.batch_rows = 7});
  std::filesystem::remove(path);
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->imported, 599);
  ASSERT_EQ(summary->errors.size(), 1u);
  EXPECT_EQ(summary->errors[0], path.string() + ":592: queued_at set but outcome is ivr");
  auto lz = *orgs_.FindByCode("GS-LZ");
  auto sums = *store_.Sum({lz.id}, Day("2026-03-02"), Day("2026-03-02"));
  EXPECT_EQ(sums.n_ans, 599);
  EXPECT_EQ(sums.talk_ms, 599 * 30000);
  EXPECT_EQ(sums.wait_ms, 599 * 10000);
}

TEST_F(KpiStoreTest, HeaderProblemsFailTheWholeFile) {
  auto missing = Import("call_id,center\nx,GS-LZ\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message.rfind("calls.csv:1: the header has no column caller", 0), 0u)
      << missing.error().message;
  auto unknown = Import(std::string("bogus,") + kHeader);
  EXPECT_FALSE(unknown.ok());
  EXPECT_FALSE(Import("").ok());
}

// R-KPI, R-ORG-1: a province is the sum of its centres, the nation the sum of all; never an average of
// ratios.
TEST_F(KpiStoreTest, RollupsAreSumsOfParts) {
  std::string csv = kHeader;
  int n = 0;
  auto add = [&](const char* centre, const char* day, int wait, int talk, const char* survey) {
    csv += fmt::format(
        "answered,r{},{},1,{}T10:00:00+08:00,{}T10:00:00+08:00,{}T10:00:{:02}+08:00,"
        "{}T10:{:02}:{:02}+08:00,,,1001,{},0\n",
        n++, centre, day, day, day, wait, day, (wait + talk) / 60, (wait + talk) % 60, survey);
  };
  add("GS-LZ", "2026-03-02", 10, 100, "satisfied");
  add("GS-LZ", "2026-03-03", 20, 200, "dissatisfied");
  add("GS-TS", "2026-03-02", 50, 50, "satisfied");
  add("GS-TS", "2026-03-02", 30, 30, "");
  add("SX-XA", "2026-03-04", 40, 40, "basic");
  ASSERT_EQ(Import(csv)->imported, 5);

  ReportRequest req{
      .org_code = "GS", .period = PeriodKind::kWeek, .date = Day("2026-03-04"), .by = Breakdown::kCenter};
  auto report = BuildReport(req, orgs_, store_);
  ASSERT_TRUE(report.ok()) << report.error().message;
  ASSERT_EQ(report->rows.size(), 3u);  // GS, GS-LZ, GS-TS
  const auto& gs = report->rows[0];
  EXPECT_EQ(gs.level, "province");
  DaySums parts = report->rows[1].sums;
  parts += report->rows[2].sums;
  EXPECT_EQ(gs.sums, parts);
  // Σwait = 110 s over 4 answered = 27.5 s = 0.4583 min; the mean of the centres' means would differ.
  EXPECT_EQ(gs.indicators.waittimeavg.ToString(), "0.46");
  EXPECT_EQ(gs.indicators.satisrate.ToString(), "66.67");  // 2 of 3 surveyed
  auto nation = BuildReport({.org_code = "MOHURD", .period = PeriodKind::kMonth, .date = Day("2026-03-01")},
                            orgs_, store_);
  EXPECT_EQ(nation->rows[0].level, "nation");
  EXPECT_EQ(nation->rows[0].indicators.call_total, 5);
  // The incremental sums equal a GROUP BY over the CDRs.
  std::vector<int64_t> all = {orgs_.FindByCode("GS-LZ")->id, orgs_.FindByCode("GS-TS")->id,
                              orgs_.FindByCode("SX-XA")->id};
  EXPECT_EQ(*store_.Sum(all, Day("2026-01-01"), Day("2026-12-31")),
            *store_.SumFromCdrs(all, Day("2026-01-01"), Day("2026-12-31")));

  auto json = ToJson(*report);
  EXPECT_EQ(json[0]["org"], "GS");
  EXPECT_EQ(json[0]["callTotal"], 4);
  EXPECT_EQ(json[0]["basis"], "manual");
  EXPECT_TRUE(json[0]["pass"].contains("callconnect"));
  std::string csv_out = ToCsv(*report);
  EXPECT_NE(csv_out.find("GS,province,week,2026-03-02,2026-03-08,manual,guideline,4,"), std::string::npos)
      << csv_out;
  std::string sql = ToOracleSql(*report);
  EXPECT_NE(sql.find("callTotal NUMBER(10)"), std::string::npos);
  EXPECT_NE(sql.find("satisrate NUMBER(10,2)"), std::string::npos);
  EXPECT_NE(sql.find("INSERT INTO HOTLINE_KPI VALUES ('GS-LZ'"), std::string::npos);
}

// A call_id repeated inside one file is reported on its own line wherever the repeat falls: in the same
// statement, the same batch or a later batch; with one and with several rows per INSERT statement.
// Re-importing and overlapping files count rows as imported before; the daily sums stay exactly the
// sums of the stored CDRs throughout.
TEST_F(KpiStoreTest, DuplicatesAcrossStatementsAndBatches) {
  std::vector<int64_t> centres = {orgs_.FindByCode("GS-LZ")->id, orgs_.FindByCode("GS-TS")->id,
                                  orgs_.FindByCode("SX-XA")->id};
  auto sums_match = [&] {
    return *store_.Sum(centres, Day("2026-01-01"), Day("2026-12-31")) ==
           *store_.SumFromCdrs(centres, Day("2026-01-01"), Day("2026-12-31"));
  };
  for (size_t per_insert : {1, 2, 4}) {
    SCOPED_TRACE("rows per INSERT " + std::to_string(per_insert));
    KpiStore store(*db_, {.rows_per_insert = per_insert});
    auto import = [&](const std::string& csv) {
      CdrImporter importer(store, orgs_, random_);
      return importer.ImportBytes(csv, "calls.csv", {.batch_rows = 5});
    };
    std::string p = "k" + std::to_string(per_insert) + "-";
    auto ivr = [&](const std::string& id, const char* centre) {
      return "ivr," + p + id + "," + centre + ",1,2026-03-02T10:00:00+08:00,,,,,,,,0\n";
    };
    std::string answered =
        "answered," + p +
        "2,GS-LZ,1,2026-03-02T10:00:00+08:00,2026-03-02T10:00:05+08:00,"
        "2026-03-02T10:00:25+08:00,2026-03-02T10:02:25+08:00,2026-03-02T10:02:45+08:00,,1001,basic,1\n";
    std::string csv = std::string(kHeader) + ivr("1", "GS-LZ") +  // 2
                      answered +                                  // 3
                      ivr("1", "GS-TS") +  // 4: duplicate of line 2 (same batch; another centre)
                      "abandoned," + p +
                      "3,GS-TS,1,2026-03-02T11:00:00+08:00,2026-03-02T11:00:05+08:00,,,,,,,0\n"  // 5
                      + ivr("2", "GS-LZ") +  // 6: duplicate of line 3 (same batch, later statement)
                      ivr("4", "SX-XA") +    // 7: second batch
                      ivr("4", "SX-XA") +    // 8: duplicate of line 7 (same statement when rows ≥ 2)
                      ivr("5", "GS-LZ") +    // 9
                      ivr("5", "GS-LZ");     // 10: duplicate of line 9
    auto first = import(csv);
    ASSERT_TRUE(first.ok()) << first.error().message;
    EXPECT_EQ(first->rows, 9);
    EXPECT_EQ(first->imported, 5);
    EXPECT_EQ(first->already_stored, 0);
    ASSERT_EQ(first->errors.size(), 4u);
    EXPECT_EQ(first->errors[0],
              "calls.csv:4: duplicate call_id " + p + "1 (it appears earlier in this file, line 2)");
    EXPECT_EQ(first->errors[1],
              "calls.csv:6: duplicate call_id " + p + "2 (it appears earlier in this file, line 3)");
    EXPECT_EQ(first->errors[2],
              "calls.csv:8: duplicate call_id " + p + "4 (it appears earlier in this file, line 7)");
    EXPECT_EQ(first->errors[3],
              "calls.csv:10: duplicate call_id " + p + "5 (it appears earlier in this file, line 9)");
    EXPECT_TRUE(sums_match());

    auto again = import(csv);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->imported, 0);
    EXPECT_EQ(again->already_stored, 9);
    EXPECT_EQ(again->error_count, 0);

    // New and known rows interleaved in one statement, and a repeat of a new one.
    std::string overlap = std::string(kHeader) + ivr("1", "GS-LZ") + ivr("n1", "GS-LZ") + ivr("3", "GS-TS") +
                          ivr("n2", "SX-XA") + ivr("n1", "GS-LZ") + ivr("n3", "GS-TS");
    auto mixed = import(overlap);
    ASSERT_TRUE(mixed.ok());
    EXPECT_EQ(mixed->imported, 3);
    EXPECT_EQ(mixed->already_stored, 2);
    ASSERT_EQ(mixed->errors.size(), 1u);
    EXPECT_EQ(mixed->errors[0],
              "calls.csv:6: duplicate call_id " + p + "n1 (it appears earlier in this file, line 3)");
    EXPECT_TRUE(sums_match());
  }
  auto lz = store_.Sum({centres[0]}, Day("2026-03-02"), Day("2026-03-02"));
  EXPECT_EQ(lz->n_in, 3 * 4);  // per run: 1, 2, 5 and n1
  EXPECT_EQ(lz->n_ans, 3);
  EXPECT_EQ(lz->basic, 3);
  EXPECT_EQ(lz->complaints, 3);
  // The drill-down finds each centre-day's calls through the id runs (migration 3): all of them, once,
  // although the centres' rows were interleaved and skipped rows left gaps in the ids.
  CallLog log{*db_};
  for (int64_t centre : centres) {
    auto page = log.ListDay(centre, Day("2026-03-02"), std::nullopt, 0, 100);
    ASSERT_TRUE(page.ok()) << page.error().message;
    EXPECT_EQ(page->total, store_.Sum({centre}, Day("2026-03-02"), Day("2026-03-02"))->n_in);
    std::set<std::string> ids;
    for (const auto& c : page->calls) ids.insert(c.call_id);
    EXPECT_EQ(ids.size(), page->calls.size());
    EXPECT_EQ(static_cast<int64_t>(page->calls.size()), page->total);
  }
  auto runs = db_->Query("SELECT COUNT(*) FROM cdr_runs");
  ASSERT_TRUE(runs.ok());
  EXPECT_GT(runs->rows[0][0].AsInt(), 3);  // interleaved centres: more runs than centre-days
}

// With more bad rows than max_errors, the report keeps the first ones by line — also when a duplicate,
// found only when its batch is stored (while the next batch is being read), comes before a parse error
// of the next batch — and counts them all.
TEST_F(KpiStoreTest, KeepsTheFirstErrorsByLine) {
  auto ivr = [](const std::string& id) {
    return "ivr,e" + id + ",GS-LZ,1,2026-03-02T10:00:00+08:00,,,,,,,,0\n";
  };
  std::string csv = std::string(kHeader) + ivr("1") + ivr("2") + ivr("1") +  // 4: duplicate of line 2
                    ivr("3") + "ivr,e4,NOWHERE,1,2026-03-02T10:00:00+08:00,,,,,,,,0\n" +  // 6: unknown centre
                    "ivr,e5,GS-LZ,1,not-a-time,,,,,,,,0\n" +                              // 7: bad timestamp
                    ivr("6") + ivr("3");                                                  // 9: duplicate of 5
  CdrImporter importer(store_, orgs_, random_);
  auto summary = importer.ImportBytes(csv, "calls.csv", {.batch_rows = 3, .max_errors = 2});
  ASSERT_TRUE(summary.ok()) << summary.error().message;
  EXPECT_EQ(summary->imported, 4);
  EXPECT_EQ(summary->error_count, 4);
  ASSERT_EQ(summary->errors.size(), 2u);
  EXPECT_EQ(summary->errors[0],
            "calls.csv:4: duplicate call_id e1 (it appears earlier in this file, line 2)");
  EXPECT_EQ(summary->errors[1].rfind("calls.csv:6: unknown centre 'NOWHERE'", 0), 0u) << summary->errors[1];
}

// Insert's caller must give the rows of one import distinct lines; if not, the batch fails as a whole
// instead of counting a row twice.
TEST_F(KpiStoreTest, RowsOfOneImportNeedDistinctLines) {
  KpiStore store(*db_, {.rows_per_insert = 2});
  ResolvedCdr r{
      .cdr = Other(Outcome::kIvr), .org_id = orgs_.FindByCode("GS-LZ")->id, .local_day = Day("2026-03-02")};
  r.cdr.call_id = "same";
  std::vector<ResolvedCdr> batch = {r, r};  // same call_id, both line 0
  auto result = store.Insert(batch, 42);
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(store.Sum({r.org_id}, Day("2026-03-02"), Day("2026-03-02"))->n_in, 0);
  EXPECT_EQ(store.SumFromCdrs({r.org_id}, Day("2026-03-02"), Day("2026-03-02"))->n_in, 0);
  batch[1].line = 1;
  auto ok = store.Insert(batch, 42);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->inserted, 1);
  ASSERT_EQ(ok->duplicates.size(), 1u);
  EXPECT_EQ(ok->duplicates[0].index, 1u);
  EXPECT_EQ(ok->duplicates[0].first_line, 0);
}

// Sum reads whole months from kpi_monthly and the edge days from kpi_daily. The monthly rows must stay the
// exact sums of the daily ones whoever writes them: the import, the complaint counter, an UPDATE (as the
// federation's replace of a centre-day does) or a DELETE.
TEST_F(KpiStoreTest, MonthlySumsFollowEveryChangeOfTheDailySums) {
  std::string csv = kHeader;
  int n = 0;
  for (const char* day : {"2026-01-30", "2026-01-31", "2026-02-01", "2026-02-15", "2026-02-28", "2026-03-01",
                          "2026-03-02", "2026-12-31"})
    for (const char* centre : {"GS-LZ", "GS-TS"})
      for (int i = 0; i < 3; ++i)
        csv += fmt::format(
            "answered,m{},{},1,{}T10:00:00+08:00,{}T10:00:00+08:00,{}T10:00:{:02}+08:00,"
            "{}T10:05:00+08:00,,,1001,satisfied,{}\n",
            n++, centre, day, day, day, 10 + i, day, i == 0 ? 1 : 0);
  ASSERT_EQ(Import(csv)->imported, n);
  std::vector<int64_t> lz = {orgs_.FindByCode("GS-LZ")->id}, both = {lz[0], orgs_.FindByCode("GS-TS")->id};
  const std::vector<std::pair<const char*, const char*>> ranges = {
      {"2026-01-30", "2026-03-02"}, {"2026-02-01", "2026-02-28"}, {"2026-02-01", "2026-03-01"},
      {"2026-01-31", "2026-02-28"}, {"2026-01-01", "2026-12-31"}, {"2026-02-02", "2026-02-27"},
      {"2026-01-30", "2026-01-31"}, {"2026-03-01", "2026-03-31"}, {"2026-01-01", "2026-01-31"},
      {"2025-12-01", "2027-01-31"}, {"2026-02-28", "2026-02-28"}};
  auto check = [&](const char* when, bool against_cdrs) {
    for (const auto& ids : {lz, both})
      for (auto [from, to] : ranges) {
        SCOPED_TRACE(std::string(when) + " " + from + ".." + to);
        DaySums by_day;
        auto daily = store_.Daily(ids, Day(from), Day(to));
        ASSERT_TRUE(daily.ok());
        for (const auto& [key, sums] : *daily) by_day += sums;
        EXPECT_EQ(*store_.Sum(ids, Day(from), Day(to)), by_day);
        if (against_cdrs) {
          EXPECT_EQ(by_day, *store_.SumFromCdrs(ids, Day(from), Day(to)));
        }
      }
  };
  check("after the import", true);
  EXPECT_EQ(store_.Sum(both, Day("2026-01-01"), Day("2026-12-31"))->n_in, n);

  DailyComplaintCounter complaints;
  ASSERT_TRUE(db_->Transaction([&](store::Session& s) -> Status {
                   HOTLINE_RETURN_IF_ERROR(complaints.AddComplaintOrders(s, lz[0], Day("2026-02-15"), 2));
                   HOTLINE_RETURN_IF_ERROR(complaints.AddComplaintOrders(s, lz[0], Day("2026-01-31"), -1));
                   return complaints.AddComplaintOrders(s, lz[0], Day("2026-04-10"),
                                                        1);  // a day without calls
                 })
                  .ok());
  ASSERT_TRUE(db_->Query("UPDATE kpi_daily SET n_in = n_in + 5, talk_ms = 7 WHERE org_id = $1 AND day = $2",
                         {lz[0], Day("2026-02-28").time_since_epoch().count()})
                  .ok());
  ASSERT_TRUE(db_->Query("DELETE FROM kpi_daily WHERE org_id = $1 AND day = $2",
                         {both[1], Day("2026-03-01").time_since_epoch().count()})
                  .ok());
  check("after complaint orders, an update and a delete", false);
  EXPECT_EQ(store_.Sum(lz, Day("2026-04-01"), Day("2026-04-30"))->complaints, 1);
  EXPECT_EQ(store_.Sum(lz, Day("2026-02-01"), Day("2026-02-28"))->complaints, 3 + 2);
}

// Migration 2 (issue 5: cdrs appended in import order, narrow rows) converts a cdrs table filled under
// migration 1: every row is kept with the same meaning — the reference GROUP BY, a centre-day's call list
// and the import's idempotence (same call_id: already stored) read the converted rows exactly as before.
TEST(KpiMigrationTest, Migration2ConvertsTheCdrsOfMigration1) {
  auto db = store::OpenTestDatabase();
  FakeClock clock{FromEpochMillis(1'772'000'000'000)};
  SeededRandom random{7};
  org::OrgDirectory orgs{*db, clock};
  const store::ModuleMigrations v1[] = {
      org::kOrgMigrations, {"kpi", std::span<const store::Migration>(kKpiMigrations.migrations.data(), 1)}};
  ASSERT_TRUE(store::Migrate(*db, v1).ok());
  ASSERT_TRUE(
      orgs.Create({.code = "MOHURD", .name = "住房和城乡建设部", .level = org::OrgLevel::kMinistry}).ok());
  ASSERT_TRUE(
      orgs.Create(
              {.code = "GS", .name = "甘肃省", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
          .ok());
  ASSERT_TRUE(
      orgs.Create({.code = "GS-LZ", .name = "兰州", .level = org::OrgLevel::kCenter, .parent_code = "GS"})
          .ok());
  const int64_t lz = orgs.FindByCode("GS-LZ")->id;
  const Date day = Day("2026-03-02");
  // Rows as migration 1 stored them: instants in epoch ms, outcome and survey as names.
  const std::string csv =
      std::string(kHeader) +
      "answered,m1,GS-LZ,13800000001,2026-03-02T10:00:00+08:00,2026-03-02T10:00:20+08:00,2026-03-02T10:00:50+"
      "08:00,"
      "2026-03-02T10:03:50+08:00,2026-03-02T10:04:10+08:00,2026-03-02T10:03:50+08:00,1001,satisfied,1\n"
      "answered,m2,GS-LZ,13800000002,2026-03-02T10:01:00+08:00,2026-03-02T10:01:20+08:00,2026-03-02T10:01:21+"
      "08:00,"
      "2026-03-02T10:02:00+08:00,,2026-03-02T10:02:00+08:00,1002,dissatisfied,0\n"
      "answered,m3,GS-LZ,13800000003,2026-03-02T10:02:00+08:00,2026-03-02T10:02:20+08:00,2026-03-02T10:02:30+"
      "08:00,"
      "2026-03-02T10:03:00+08:00,2026-03-02T10:03:05+08:00,2026-03-02T10:03:00+08:00,1001,basic,0\n"
      "abandoned,m4,GS-LZ,13800000004,2026-03-02T11:00:00+08:00,2026-03-02T11:00:05+08:00,,,,2026-03-02T11:"
      "01:00+08:00,,,0\n"
      "overflow,m5,GS-LZ,13800000005,2026-03-02T12:00:00+08:00,2026-03-02T12:00:05+08:00,,,,2026-03-02T12:09:"
      "00+08:00,,,0\n"
      "ivr,m6,GS-LZ,13800000006,2026-03-02T13:00:00+08:00,,,,,2026-03-02T13:02:00+08:00,,,0\n"
      "failed,m7,GS-LZ,13800000007,2026-03-02T14:00:00+08:00,,,,,,,,0\n";
  CsvReader reader(csv);
  std::vector<std::string_view> fields;
  ASSERT_TRUE(reader.Next(&fields));
  auto layout = CdrCsvLayout::FromHeader(fields);
  ASSERT_TRUE(layout.ok());
  DaySums expected;
  std::vector<Cdr> cdrs;
  while (reader.Next(&fields)) {
    auto cdr = layout->Parse(fields);
    ASSERT_TRUE(cdr.ok()) << cdr.error().message;
    expected.Add(*cdr);
    auto at = [](const std::optional<TimePoint>& t) {
      return t ? store::Value(ToEpochMillis(*t)) : store::Value();
    };
    ASSERT_TRUE(
        db->Query("INSERT INTO cdrs (org_id, local_day, call_id, caller, arrived_at, queued_at, answered_at, "
                  "talk_ended_at, acw_ended_at, ended_at, agent, outcome, survey, complaint, import_id, "
                  "import_line) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)",
                  {lz, day.time_since_epoch().count(), cdr->call_id, cdr->caller,
                   ToEpochMillis(cdr->arrived_at), at(cdr->queued_at), at(cdr->answered_at),
                   at(cdr->talk_ended_at), at(cdr->acw_ended_at), at(cdr->ended_at), cdr->agent,
                   std::string(OutcomeName(cdr->outcome)), std::string(SurveyName(cdr->survey)),
                   int64_t{cdr->complaint}, int64_t{99}, static_cast<int64_t>(reader.line())})
            .ok());
    cdrs.push_back(*cdr);
  }
  ASSERT_EQ(cdrs.size(), 7u);

  const store::ModuleMigrations all[] = {org::kOrgMigrations, kKpiMigrations};
  auto applied = store::Migrate(*db, all);
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(*applied, 2);  // migrations 2 and 3
  // Migration 3 numbers the rows centre-day by centre-day: one run for the one centre-day here.
  auto runs = db->Query("SELECT first_id, last_id FROM cdr_runs");
  ASSERT_TRUE(runs.ok()) << runs.error().message;
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ(runs->rows[0][1].AsInt() - runs->rows[0][0].AsInt(), 6);

  KpiStore store{*db};
  auto sums = store.SumFromCdrs({lz}, day, day);
  ASSERT_TRUE(sums.ok()) << sums.error().message;
  EXPECT_EQ(*sums, expected);
  EXPECT_EQ(sums->n_in, 7);
  EXPECT_EQ(sums->talk_ms, 180'000 + 39'000 + 30'000);
  EXPECT_EQ(sums->wait_ms, 30'000 + 1'000 + 10'000);
  EXPECT_EQ(sums->acw_ms, 20'000 + 5'000);

  CallLog log{*db};
  auto page = log.ListDay(lz, day, std::nullopt, 0, 100);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->total, 7);
  const CallSummary& first = page->calls[0];
  EXPECT_EQ(first.call_id, "m1");
  EXPECT_EQ(first.arrived_at, cdrs[0].arrived_at);
  EXPECT_EQ(first.outcome, Outcome::kAnswered);
  EXPECT_EQ(first.survey, Survey::kSatisfied);
  EXPECT_TRUE(first.complaint);
  EXPECT_EQ(first.wait_ms, 30'000);
  EXPECT_EQ(first.talk_ms, 180'000);
  EXPECT_EQ(first.acw_ms, 20'000);
  EXPECT_EQ(page->calls[1].survey, Survey::kDissatisfied);
  EXPECT_EQ(page->calls[1].acw_ms, std::nullopt);
  EXPECT_EQ(page->calls[2].survey, Survey::kBasic);
  for (auto [outcome, n] : {std::pair{Outcome::kAbandoned, 1},
                            {Outcome::kOverflow, 1},
                            {Outcome::kIvr, 1},
                            {Outcome::kFailed, 1},
                            {Outcome::kAnswered, 3}}) {
    auto only = log.ListDay(lz, day, outcome, 0, 100);
    ASSERT_TRUE(only.ok());
    EXPECT_EQ(only->total, n) << OutcomeName(outcome);
    for (const auto& c : only->calls) EXPECT_EQ(c.outcome, outcome);
  }

  // Re-importing the file stores nothing: the converted rows keep their call_ids unique.
  CdrImporter importer(store, orgs, random);
  auto again = importer.ImportBytes(csv, "calls.csv", {.batch_rows = 3});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->imported, 0);
  EXPECT_EQ(again->already_stored, 7);
  EXPECT_EQ(again->error_count, 0);
  EXPECT_EQ(*store.SumFromCdrs({lz}, day, day), expected);
  auto more = importer.ImportBytes(
      std::string(kHeader) + "ivr,m8,GS-LZ,1,2026-03-02T15:00:00+08:00,,,,,,,,0\n", "more.csv", {});
  ASSERT_TRUE(more.ok());
  EXPECT_EQ(more->imported, 1);
  EXPECT_EQ(store.SumFromCdrs({lz}, day, day)->n_in, 8);
}

}  // namespace
}  // namespace hotline::kpi
