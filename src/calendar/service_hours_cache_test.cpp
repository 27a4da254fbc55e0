// ServiceHoursCache (R-IVR-3, issue 12 §4): the same answers as ServiceHours over CalendarStore::Load,
// kept current after every kind of calendar write — through the same store at once, from another
// process (another CalendarStore on the same database) after recheck_interval.
#include "calendar/service_hours_cache.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "store/test_database.hpp"
#include "testing/time.hpp"

namespace hotline::calendar {
namespace {

using namespace std::chrono_literals;

using test::At;
Date D(std::string_view text) { return test::Day(text); }

constexpr int64_t kCentre = 42;  // an org id (the calendar module does not depend on org)

class ServiceHoursCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {kCalendarMigrations};
    ASSERT_TRUE(store::Migrate(*db_, modules).ok());
  }
  // "open" or "closed, next 2026-…Z" for the Beijing local time `local`, through `cache`.
  std::string Ask(ServiceHoursCache& cache, std::string_view local, int64_t org = kCentre) {
    auto a = cache.AskAt(org, zone_, At(std::string(local) + "+08:00"));
    if (!a.ok()) return "error: " + a.error().message;
    if (a->open) return "open";
    return "closed, next " + (a->next_opening ? FormatUtc(*a->next_opening) : std::string("none"));
  }
  std::string Ask(std::string_view local, int64_t org = kCentre) { return Ask(cache_, local, org); }
  // The uncached answer (what the console's API computes), to compare with.
  std::string Uncached(std::string_view local, int64_t org = kCentre) {
    TimePoint t = At(std::string(local) + "+08:00");
    auto cal = *store_.Load(org);
    auto hours = *store_.GetServiceHours(org);
    if (hours.IsOpen(t, zone_, cal)) return "open";
    auto next = hours.NextOpening(t, zone_, cal);
    return "closed, next " + (next ? FormatUtc(*next) : std::string("none"));
  }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{At("2026-03-02T09:00:00+08:00")};
  CalendarStore store_{*db_, clock_};
  TimeZone zone_ = TimeZone::Shanghai();
  ServiceHoursCache cache_{store_, clock_};
};

TEST_F(ServiceHoursCacheTest, AnswersAsTheUncachedPathDoes) {
  for (const char* t : {"2026-03-02T10:00:00", "2026-03-02T12:30:00", "2026-03-02T17:30:00",
                        "2026-03-06T18:00:00",     // Friday evening → Monday 08:30
                        "2026-02-13T18:00:00",     // → 调休 make-up Saturday 02-14
                        "2026-02-14T10:00:00",     // the make-up Saturday itself: open
                        "2026-02-14T18:00:00",     // → after 春节, 02-24
                        "2026-10-01T10:00:00",     // 国庆
                        "2025-12-31T17:45:00"}) {  // → after 元旦, make-up Sunday 01-04
    EXPECT_EQ(Ask(t), Uncached(t)) << t;
  }
  EXPECT_EQ(Ask("2026-02-14T10:00:00"), "open");
  EXPECT_EQ(Ask("2026-02-14T18:00:00"), "closed, next 2026-02-24T00:30:00.000Z");
  EXPECT_EQ(Ask("2026-03-06T18:00:00"), "closed, next 2026-03-09T00:30:00.000Z");
  // Ask uses the clock: 2026-03-02 09:00 Beijing time, a Monday.
  auto now = cache_.Ask(kCentre, zone_);
  ASSERT_TRUE(now.ok());
  EXPECT_TRUE(now->open);
  EXPECT_EQ(now->next_opening, clock_.Now());
}

TEST_F(ServiceHoursCacheTest, AClosureAddedNowClosesAtOnceAndRemovingItReopens) {
  EXPECT_EQ(Ask("2026-03-02T10:00:00"), "open");
  ASSERT_TRUE(
      store_.SetDay(kCentre, {.date = D("2026-03-02"), .kind = DayKind::kHoliday, .name = "停电闭馆"}).ok());
  EXPECT_EQ(Ask("2026-03-02T10:00:00"), "closed, next 2026-03-03T00:30:00.000Z");
  EXPECT_EQ(Ask("2026-03-02T10:00:00", kCentre + 1), "open");  // another centre is not closed
  ASSERT_TRUE(store_.RemoveDay(kCentre, D("2026-03-02")).ok());
  EXPECT_EQ(Ask("2026-03-02T10:00:00"), "open");
}

TEST_F(ServiceHoursCacheTest, NationalHolidaysAndMakeUpDaysAreSeenAfterEachEdit) {
  EXPECT_EQ(Ask("2026-03-04T10:00:00"), "open");  // a Wednesday
  ASSERT_TRUE(
      store_.SetDay(std::nullopt, {.date = D("2026-03-04"), .kind = DayKind::kHoliday, .name = "假日"}).ok());
  EXPECT_EQ(Ask("2026-03-04T10:00:00"), "closed, next 2026-03-05T00:30:00.000Z");
  EXPECT_EQ(Ask("2026-03-07T10:00:00"), "closed, next 2026-03-09T00:30:00.000Z");  // Saturday
  ASSERT_TRUE(
      store_.SetDay(std::nullopt, {.date = D("2026-03-07"), .kind = DayKind::kWorkday, .name = "调休上班"})
          .ok());
  EXPECT_EQ(Ask("2026-03-07T10:00:00"), "open");
  EXPECT_EQ(Ask("2026-03-06T18:00:00"),
            "closed, next 2026-03-07T00:30:00.000Z");  // Friday → make-up Saturday
  ASSERT_TRUE(store_.RemoveDay(std::nullopt, D("2026-03-07")).ok());
  EXPECT_EQ(Ask("2026-03-07T10:00:00"), "closed, next 2026-03-09T00:30:00.000Z");
}

TEST_F(ServiceHoursCacheTest, HoursChangesAreSeenAtOnce) {
  EXPECT_EQ(Ask("2026-03-02T18:00:00"), "closed, next 2026-03-03T00:30:00.000Z");
  ServiceHoursConfig late{.ranges = {{std::chrono::minutes(9 * 60), std::chrono::minutes(20 * 60)}}};
  ASSERT_TRUE(store_.SetServiceHours(kCentre, late).ok());
  EXPECT_EQ(Ask("2026-03-02T18:00:00"), "open");
  EXPECT_EQ(Ask("2026-03-02T20:00:00"), "closed, next 2026-03-03T01:00:00.000Z");  // opens next at 09:00
  EXPECT_EQ(Ask("2026-03-02T18:00:00", kCentre + 1), "closed, next 2026-03-03T00:30:00.000Z");  // default
  ASSERT_TRUE(store_.SetServiceHours(kCentre, {.ranges = {}}).ok());  // no manual service at all
  EXPECT_EQ(Ask("2026-03-02T10:00:00"), "closed, next none");
}

TEST_F(ServiceHoursCacheTest, YearLoadsAndImportsAreSeenAtOnce) {
  // 2027 is not loaded: Monday–Friday provisionally. 2027-01-01 is a Friday.
  EXPECT_EQ(Ask("2027-01-01T10:00:00"), "open");
  ASSERT_TRUE(
      store_.ImportBytes("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,workday,调休上班\n", "2027.csv")
          .ok());
  EXPECT_EQ(Ask("2027-01-01T10:00:00"), "closed, next 2027-01-02T00:30:00.000Z");  // → make-up Saturday
  // Unmarking a year changes nothing of IsWorkday here (its entries stay), but is a write: still current.
  ASSERT_TRUE(store_.SetYearLoaded(2027, false, "").ok());
  EXPECT_EQ(Ask("2027-01-01T10:00:00"), Uncached("2027-01-01T10:00:00"));
  ASSERT_TRUE(store_.SetYearLoaded(2027, true, "console").ok());
  EXPECT_EQ(Ask("2027-01-01T10:00:00"), "closed, next 2027-01-02T00:30:00.000Z");
}

TEST_F(ServiceHoursCacheTest, AnotherProcessesWriteIsSeenAfterTheRecheckInterval) {
  ServiceHoursCache cache(store_, clock_, {.recheck_interval = 2s});
  EXPECT_EQ(Ask(cache, "2026-03-02T10:00:00"), "open");
  // Another process: its own CalendarStore on the same database (generation() of ours does not move).
  CalendarStore other(*db_, clock_);
  ASSERT_TRUE(
      other.SetDay(kCentre, {.date = D("2026-03-02"), .kind = DayKind::kHoliday, .name = "闭馆"}).ok());
  EXPECT_EQ(store_.generation(), 0u);
  clock_.Advance(1s);
  EXPECT_EQ(Ask(cache, "2026-03-02T10:00:00"), "open");  // stale within the interval, as documented
  clock_.Advance(1s);
  EXPECT_EQ(Ask(cache, "2026-03-02T10:00:00"), "closed, next 2026-03-03T00:30:00.000Z");
  // Invalidate() drops it at once.
  ASSERT_TRUE(other.RemoveDay(kCentre, D("2026-03-02")).ok());
  EXPECT_EQ(Ask(cache, "2026-03-02T10:00:00"), "closed, next 2026-03-03T00:30:00.000Z");
  cache.Invalidate();
  EXPECT_EQ(Ask(cache, "2026-03-02T10:00:00"), "open");
}

TEST_F(ServiceHoursCacheTest, EveryWriteIncrementsTheVersionAndAFailedOneDoesNot) {
  int64_t v0 = *store_.Version();
  ASSERT_TRUE(
      store_.SetDay(std::nullopt, {.date = D("2026-03-04"), .kind = DayKind::kHoliday, .name = "x"}).ok());
  ASSERT_TRUE(store_.SetDay(kCentre, {.date = D("2026-03-05"), .kind = DayKind::kHoliday, .name = "y"}).ok());
  ASSERT_TRUE(store_.RemoveDay(std::nullopt, D("2026-03-04")).ok());
  EXPECT_FALSE(store_.RemoveDay(std::nullopt, D("2026-03-04")).ok());  // not found: no write
  ASSERT_TRUE(store_.SetYearLoaded(2027, true, "console").ok());
  ASSERT_TRUE(store_.SetServiceHours(kCentre, ServiceHoursConfig{}).ok());
  ASSERT_TRUE(store_.ImportBytes("date,kind,name\n2028-01-03,holiday,元旦\n", "2028.csv").ok());
  EXPECT_FALSE(store_.ImportBytes("date,kind,name\nbad\n", "bad.csv").ok());  // refused: no write
  EXPECT_EQ(*store_.Version(), v0 + 6);
  EXPECT_EQ(store_.generation(), 6u);
}

TEST_F(ServiceHoursCacheTest, ServesWhatItHasWhenTheDatabaseIsGone) {
  ServiceHoursCache cache(store_, clock_, {.recheck_interval = 0s});
  EXPECT_EQ(Ask(cache, "2026-03-02T10:00:00"), "open");
  ASSERT_TRUE(db_->Query("DROP TABLE calendar_version").ok());  // every version read fails from now on
  EXPECT_EQ(Ask(cache, "2026-03-02T18:00:00"), "closed, next 2026-03-03T00:30:00.000Z");
}

TEST_F(ServiceHoursCacheTest, ManyThreadsAskWhileTheCalendarChanges) {
  std::atomic<bool> stop{false};
  std::atomic<int> errors{0};
  std::vector<std::thread> askers;
  for (int i = 0; i < 4; ++i)
    askers.emplace_back([&, i] {
      while (!stop)
        if (!cache_.AskAt(kCentre + i % 2, zone_, At("2026-03-02T10:00:00+08:00")).ok()) ++errors;
    });
  for (int k = 0; k < 20; ++k) {
    ASSERT_TRUE(
        store_.SetDay(kCentre, {.date = D("2026-03-02"), .kind = DayKind::kHoliday, .name = "闭馆"}).ok());
    ASSERT_TRUE(store_.RemoveDay(kCentre, D("2026-03-02")).ok());
  }
  ASSERT_TRUE(
      store_.SetDay(kCentre, {.date = D("2026-03-02"), .kind = DayKind::kHoliday, .name = "闭馆"}).ok());
  stop = true;
  for (auto& t : askers) t.join();
  EXPECT_EQ(errors, 0);
  // After the last write, the answer is the last write's.
  EXPECT_EQ(Ask("2026-03-02T10:00:00"), "closed, next 2026-03-03T00:30:00.000Z");
  EXPECT_EQ(Ask("2026-03-02T10:00:00", kCentre + 1), "open");
}

}  // namespace
}  // namespace hotline::calendar
