// kpi::CdrRecorder: one live call stored durably, visible in the daily sums and the call log of the local
// day of its centre, idempotent by call_id, all or nothing on a database failure.
#include "kpi/cdr_recorder.hpp"

#include <gtest/gtest.h>

#include "kpi/call_log.hpp"
#include "kpi/cdr_import.hpp"
#include "store/test_database.hpp"
#include "testing/faulty_database.hpp"
#include "testing/time.hpp"

namespace hotline::kpi {
namespace {

using test::At;
using test::Day;

// An answered call of `center` arriving at `arrived`: 20 s wait, 120 s talk, 30 s after-call work.
Cdr Answered(std::string call_id, std::string center, const char* arrived) {
  Cdr c;
  c.call_id = std::move(call_id);
  c.center = std::move(center);
  c.caller = "13812345678";
  c.agent = "A001";
  c.arrived_at = At(arrived);
  c.queued_at = c.arrived_at + std::chrono::seconds(5);
  c.answered_at = *c.queued_at + std::chrono::seconds(20);
  c.talk_ended_at = *c.answered_at + std::chrono::seconds(120);
  c.acw_ended_at = *c.talk_ended_at + std::chrono::seconds(30);
  c.ended_at = c.talk_ended_at;
  c.outcome = Outcome::kAnswered;
  c.survey = Survey::kSatisfied;
  return c;
}

class CdrRecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {org::kOrgMigrations, kKpiMigrations};
    ASSERT_TRUE(store::Migrate(*db_, modules).ok());
    ASSERT_TRUE(
        orgs_.Create({.code = "MOHURD", .name = "住房和城乡建设部", .level = org::OrgLevel::kMinistry}).ok());
    ASSERT_TRUE(
        orgs_
            .Create(
                {.code = "GS", .name = "甘肃", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
            .ok());
    ASSERT_TRUE(
        orgs_.Create({.code = "GS-LZ", .name = "兰州", .level = org::OrgLevel::kCenter, .parent_code = "GS"})
            .ok());
    ASSERT_TRUE(orgs_
                    .Create({.code = "GS-UR",
                             .name = "乌鲁木齐时间的中心",
                             .level = org::OrgLevel::kCenter,
                             .parent_code = "GS",
                             .time_zone = "Asia/Urumqi"})  // UTC+6, two hours behind Beijing time
                    .ok());
    lz_ = orgs_.FindByCode("GS-LZ")->id;
    ur_ = orgs_.FindByCode("GS-UR")->id;
  }
  DaySums SumOf(int64_t org, const char* day) { return *store_.Sum({org}, Day(day), Day(day)); }
  std::vector<std::string> CallsOf(int64_t org, const char* day) {
    auto page = CallLog(*db_).ListDay(org, Day(day), std::nullopt, 0, 100);
    EXPECT_TRUE(page.ok()) << page.error().message;
    std::vector<std::string> ids;
    for (const auto& c : page->calls) ids.push_back(c.call_id);
    return ids;
  }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{At("2026-03-02T09:00:00+08:00")};
  SeededRandom random_{11};
  org::OrgDirectory orgs_{*db_, clock_};
  KpiStore store_{*db_};
  CdrRecorderImpl recorder_{store_, orgs_, random_};
  int64_t lz_ = 0, ur_ = 0;
};

TEST_F(CdrRecorderTest, OneCallIsInTheDailySumsAndTheCallLogOfItsLocalDay) {
  auto r = recorder_.Record(Answered("live-1", "GS-LZ", "2026-03-02T10:15:00+08:00"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->org_id, lz_);
  EXPECT_EQ(r->local_day, Day("2026-03-02"));
  EXPECT_FALSE(r->already_stored);
  DaySums s = SumOf(lz_, "2026-03-02");
  EXPECT_EQ(s.n_in, 1);
  EXPECT_EQ(s.n_ans, 1);
  EXPECT_EQ(s.wait_ms, 20'000);
  EXPECT_EQ(s.talk_ms, 120'000);
  EXPECT_EQ(s.acw_ms, 30'000);
  EXPECT_EQ(s.satisfied, 1);
  EXPECT_EQ(CallsOf(lz_, "2026-03-02"), std::vector<std::string>{"live-1"});
  // The monthly rollup saw it too (a report over the whole month reads kpi_monthly).
  EXPECT_EQ(store_.Sum({lz_}, Day("2026-03-01"), Day("2026-03-31"))->n_in, 1);
}

TEST_F(CdrRecorderTest, ACallAroundLocalMidnightCountsOnTheDayItArrived) {
  // 23:59:59 and 00:00:00 Beijing time: two local days, although 16 s apart in UTC.
  ASSERT_TRUE(recorder_.Record(Answered("late", "GS-LZ", "2026-03-02T15:59:59Z")).ok());
  auto early = recorder_.Record(Answered("early", "GS-LZ", "2026-03-02T16:00:00Z"));
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->local_day, Day("2026-03-03"));
  EXPECT_EQ(SumOf(lz_, "2026-03-02").n_in, 1);
  EXPECT_EQ(SumOf(lz_, "2026-03-03").n_in, 1);
  EXPECT_EQ(CallsOf(lz_, "2026-03-02"), std::vector<std::string>{"late"});
  EXPECT_EQ(CallsOf(lz_, "2026-03-03"), std::vector<std::string>{"early"});
}

TEST_F(CdrRecorderTest, ANonShanghaiCentreCountsInItsOwnZone) {
  // 2026-03-02 23:30 in Beijing is 21:30 in Urumqi (UTC+6): still the 2nd there …
  auto a = recorder_.Record(Answered("ur-1", "GS-UR", "2026-03-02T23:30:00+08:00"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->org_id, ur_);
  EXPECT_EQ(a->local_day, Day("2026-03-02"));
  // … and 2026-03-03 01:30 Beijing time is 23:30 of the 2nd in Urumqi, while Lanzhou counts it on the 3rd.
  auto b = recorder_.Record(Answered("ur-2", "GS-UR", "2026-03-03T01:30:00+08:00"));
  auto c = recorder_.Record(Answered("lz-2", "GS-LZ", "2026-03-03T01:30:00+08:00"));
  ASSERT_TRUE(b.ok() && c.ok());
  EXPECT_EQ(b->local_day, Day("2026-03-02"));
  EXPECT_EQ(c->local_day, Day("2026-03-03"));
  EXPECT_EQ(SumOf(ur_, "2026-03-02").n_in, 2);
  EXPECT_EQ(CallsOf(ur_, "2026-03-02"), (std::vector<std::string>{"ur-1", "ur-2"}));
  EXPECT_EQ(SumOf(lz_, "2026-03-03").n_in, 1);
}

TEST_F(CdrRecorderTest, ARetriedCallIdIsNoDuplicate) {
  Cdr call = Answered("retry-1", "GS-LZ", "2026-03-02T10:00:00+08:00");
  ASSERT_FALSE(recorder_.Record(call)->already_stored);
  auto again = recorder_.Record(call);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->already_stored);
  EXPECT_EQ(again->org_id, lz_);
  // The first write wins, even when the retry differs.
  call.outcome = Outcome::kAbandoned;
  call.answered_at = call.talk_ended_at = call.acw_ended_at = std::nullopt;
  call.survey = Survey::kNone;
  EXPECT_TRUE(recorder_.Record(call)->already_stored);
  EXPECT_EQ(SumOf(lz_, "2026-03-02").n_in, 1);
  EXPECT_EQ(SumOf(lz_, "2026-03-02").n_abn, 0);
  EXPECT_EQ(CallsOf(lz_, "2026-03-02").size(), 1u);
}

TEST_F(CdrRecorderTest, ACallImportedLaterFromCsvIsAlreadyStored) {
  ASSERT_TRUE(recorder_.Record(Answered("both-ways", "GS-LZ", "2026-03-02T10:00:00+08:00")).ok());
  std::string csv =
      "outcome,call_id,center,caller,arrived_at,queued_at,answered_at,talk_ended_at,acw_ended_at,ended_at,"
      "agent,"
      "survey,complaint\n"
      "ivr,both-ways,GS-LZ,1,2026-03-02T10:00:00+08:00,,,,,,,,0\n"
      "ivr,csv-only,GS-LZ,1,2026-03-02T11:00:00+08:00,,,,,,,,0\n";
  auto summary = CdrImporter(store_, orgs_, random_).ImportBytes(csv, "calls.csv", {});
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->imported, 1);
  EXPECT_EQ(summary->already_stored, 1);
  EXPECT_EQ(summary->error_count, 0);
  EXPECT_EQ(SumOf(lz_, "2026-03-02").n_in, 2);
}

TEST_F(CdrRecorderTest, AnUnknownCentreOrAProvinceIsAClearError) {
  auto unknown = recorder_.Record(Answered("u-1", "NOWHERE", "2026-03-02T10:00:00+08:00"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(unknown.error().code, "unknown_centre");
  EXPECT_EQ(unknown.error().message.rfind("unknown centre 'NOWHERE'", 0), 0u) << unknown.error().message;
  auto province = recorder_.Record(Answered("u-2", "GS", "2026-03-02T10:00:00+08:00"));
  ASSERT_FALSE(province.ok());
  EXPECT_EQ(province.error().code, "not_a_centre");
  EXPECT_EQ(province.error().message, "'GS' is a province, not a centre");
  // A centre created while the server runs is seen by the next call (no cache of refusals).
  ASSERT_TRUE(
      orgs_
          .Create({.code = "NOWHERE", .name = "新中心", .level = org::OrgLevel::kCenter, .parent_code = "GS"})
          .ok());
  EXPECT_TRUE(recorder_.Record(Answered("u-1", "NOWHERE", "2026-03-02T10:00:00+08:00")).ok());
}

TEST_F(CdrRecorderTest, AnInvalidRecordIsRefusedBeforeAnyWrite) {
  Cdr bad = Answered("bad-1", "GS-LZ", "2026-03-02T10:00:00+08:00");
  bad.answered_at = std::nullopt;
  auto r = recorder_.Record(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_field");
  EXPECT_EQ(r.error().message, "outcome answered without answered_at");
  Cdr no_id = Answered("", "GS-LZ", "2026-03-02T10:00:00+08:00");
  EXPECT_EQ(recorder_.Record(no_id).error().code, "invalid_field");
  EXPECT_EQ(SumOf(lz_, "2026-03-02").n_in, 0);
}

TEST_F(CdrRecorderTest, ADatabaseFailureMidTransactionLeavesNothing) {
  // Fail each statement of the transaction in turn (the insert, the run, the sums, …) until one attempt
  // gets through: every failed attempt leaves no CDR, no run and no sums; the call then goes in once.
  bool stored = false;
  for (int fail_at = 1; fail_at < 20 && !stored; ++fail_at) {
    test::FaultyDatabase faulty(*db_, fail_at);  // the nth statement of the transaction fails
    KpiStore store(faulty);
    CdrRecorderImpl recorder(store, orgs_, random_);
    auto r = recorder.Record(Answered("fault-1", "GS-LZ", "2026-03-02T10:00:00+08:00"));
    if (r.ok()) {
      stored = true;
      EXPECT_FALSE(r->already_stored);
      EXPECT_FALSE(faulty.fired()) << "the fault was injected but the write succeeded";
      break;
    }
    EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable) << fail_at;
    EXPECT_EQ(SumOf(lz_, "2026-03-02").n_in, 0) << fail_at;
    EXPECT_EQ(store_.Sum({lz_}, Day("2026-03-01"), Day("2026-03-31"))->n_in, 0) << fail_at;
    EXPECT_TRUE(CallsOf(lz_, "2026-03-02").empty()) << fail_at;
    EXPECT_EQ(db_->Query("SELECT COUNT(*) FROM cdrs")->rows[0][0].AsInt(), 0) << fail_at;
    EXPECT_EQ(db_->Query("SELECT COUNT(*) FROM cdr_runs")->rows[0][0].AsInt(), 0) << fail_at;
  }
  ASSERT_TRUE(stored);
  EXPECT_EQ(SumOf(lz_, "2026-03-02").n_in, 1);
  EXPECT_EQ(CallsOf(lz_, "2026-03-02"), std::vector<std::string>{"fault-1"});
}

// The fake the channels' tests use is just another CdrRecorder (this checks the interface is fakeable).
class RecordingFake final : public CdrRecorder {
 public:
  Result<Recorded> Record(const Cdr& cdr) override {
    calls.push_back(cdr.call_id);
    return Recorded{};
  }
  std::vector<std::string> calls;
};

TEST(CdrRecorderInterface, CanBeFaked) {
  RecordingFake fake;
  CdrRecorder& port = fake;
  Cdr c;
  c.call_id = "x";
  ASSERT_TRUE(port.Record(c).ok());
  EXPECT_EQ(fake.calls, std::vector<std::string>{"x"});
}

}  // namespace
}  // namespace hotline::kpi
