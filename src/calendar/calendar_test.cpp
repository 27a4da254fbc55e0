// Tests of the working calendar (R-WO-4: deadlines in working days on the official calendar), service
// hours (R-IVR-3: manual service in the centre's business hours) and their store. The store tests run
// on SQLite and (calendar_test_postgres) on PostgreSQL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "calendar/calendar_store.hpp"
#include "calendar/service_hours.hpp"
#include "calendar/working_calendar.hpp"
#include "core/clock.hpp"
#include "store/test_database.hpp"
#include "testing/faulty_database.hpp"
#include "testing/time.hpp"

namespace hotline::calendar {
namespace {

using namespace std::chrono_literals;
using std::chrono::minutes;

using test::At;
using test::FaultyDatabase;
constexpr auto& D = test::Day;  // the short name this file's date tables use

minutes Hm(int h, int m) { return minutes(h * 60 + m); }

std::string Add(const WorkingCalendar& cal, std::string_view start, int n) {
  return FormatDate(cal.AddWorkdays(D(start), n).date);
}

// The State Council's make-up working days (调休上班) of 2025 and 2026, as listed in issue 4.
constexpr const char* kMakeUpDays[] = {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28",
                                       "2025-10-11", "2026-01-04", "2026-02-14", "2026-02-28",
                                       "2026-05-09", "2026-09-20", "2026-10-10"};

class CalendarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {kCalendarMigrations};
    auto m = store::Migrate(*db_, modules);
    ASSERT_TRUE(m.ok()) << m.error().message;
    auto again = store::Migrate(*db_, modules);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, 0);
    auto loaded = store_.Load(std::nullopt);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    national_ = std::move(loaded).value();
  }

  // A file in a temp directory of this test.
  std::string WriteFile(const std::string& name, std::string_view content) {
    auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{At("2026-03-02T09:00:00+08:00")};
  CalendarStore store_{*db_, clock_};
  WorkingCalendar national_;
  std::filesystem::path dir_ = [] {
    auto p = std::filesystem::temp_directory_path() /
             ("calendar_test_" + std::to_string(::getpid()) + "_" + std::to_string(std::rand()));
    std::filesystem::create_directories(p);
    return p;
  }();
};

// ---------------------------------------------------------------------------------------------------
// The shipped data

TEST_F(CalendarTest, FirstMigrationShipsTheOfficial2025And2026Schedules) {
  EXPECT_EQ(*store_.LoadedYears(), (std::vector<int>{2025, 2026}));
  for (auto [year, holidays, workdays] : {std::tuple{2025, 28, 5}, {2026, 33, 6}}) {
    auto listing = store_.ListYear(year, std::nullopt);
    ASSERT_TRUE(listing.ok()) << listing.error().message;
    EXPECT_TRUE(listing->loaded);
    int h = 0, w = 0;
    for (const auto& d : listing->national) {
      EXPECT_TRUE(ValidateCalendarDay(d).ok()) << FormatDate(d.date);
      (d.kind == DayKind::kHoliday ? h : w)++;
      EXPECT_EQ(national_.IsWorkday(d.date), d.kind == DayKind::kWorkday) << FormatDate(d.date);
    }
    EXPECT_EQ(h, holidays) << year;
    EXPECT_EQ(w, workdays) << year;
  }
  EXPECT_EQ(national_.Describe(D("2026-02-17"))->name, "春节");
  EXPECT_EQ(national_.Describe(D("2025-10-06"))->name, "国庆节、中秋节");
  EXPECT_EQ(national_.Describe(D("2026-02-14"))->kind, DayKind::kWorkday);
  EXPECT_FALSE(national_.Describe(D("2026-03-02")).has_value());
  EXPECT_FALSE(store_.ListYear(2027, std::nullopt)->loaded);
}

// ---------------------------------------------------------------------------------------------------
// Working-day arithmetic (R-WO-4)

TEST_F(CalendarTest, IssueExample) {
  auto r = national_.AddWorkdays(D("2026-02-13"), 3);
  EXPECT_EQ(FormatDate(r.date), "2026-02-25");
  EXPECT_FALSE(r.provisional());
  EXPECT_EQ(Add(national_, "2026-02-13", 0), "2026-02-13");
  EXPECT_EQ(Add(national_, "2026-02-13", 1), "2026-02-14");  // make-up Saturday
  EXPECT_EQ(Add(national_, "2026-02-13", 2), "2026-02-24");  // after 春节 2/15–2/23
}

TEST_F(CalendarTest, SpringFestival2025) {
  EXPECT_TRUE(national_.IsWorkday(D("2025-01-26")));  // Sunday, make-up
  EXPECT_TRUE(national_.IsWorkday(D("2025-01-27")));  // Monday
  for (Date d = D("2025-01-28"); d <= D("2025-02-04"); d += std::chrono::days(1))
    EXPECT_FALSE(national_.IsWorkday(d)) << FormatDate(d);
  EXPECT_TRUE(national_.IsWorkday(D("2025-02-05")));
  EXPECT_TRUE(national_.IsWorkday(D("2025-02-08")));   // Saturday, make-up
  EXPECT_FALSE(national_.IsWorkday(D("2025-02-09")));  // an ordinary Sunday
  EXPECT_EQ(Add(national_, "2025-01-24", 1), "2025-01-26");
  EXPECT_EQ(Add(national_, "2025-01-24", 2), "2025-01-27");
  EXPECT_EQ(Add(national_, "2025-01-24", 3), "2025-02-05");
  EXPECT_EQ(Add(national_, "2025-01-27", 4), "2025-02-08");  // 2/5, 2/6, 2/7, make-up Saturday 2/8
  EXPECT_EQ(Add(national_, "2025-01-27", 5), "2025-02-10");
  EXPECT_EQ(Add(national_, "2025-01-30", 1), "2025-02-05");  // counted from inside the holiday
}

TEST_F(CalendarTest, SpringFestival2026) {
  EXPECT_TRUE(national_.IsWorkday(D("2026-02-14")));
  for (Date d = D("2026-02-15"); d <= D("2026-02-23"); d += std::chrono::days(1))
    EXPECT_FALSE(national_.IsWorkday(d)) << FormatDate(d);
  EXPECT_TRUE(national_.IsWorkday(D("2026-02-24")));
  EXPECT_TRUE(national_.IsWorkday(D("2026-02-28")));
  EXPECT_FALSE(national_.IsWorkday(D("2026-03-01")));
  // A complaint (5 working days) filed the Thursday before: 2/13, 2/14, 2/24, 2/25, 2/26.
  EXPECT_EQ(Add(national_, "2026-02-12", 5), "2026-02-26");
  EXPECT_EQ(national_.WorkdaysBetween(D("2026-02-12"), D("2026-02-26")).days, 5);
  EXPECT_EQ(national_.WorkdaysBetween(D("2026-02-14"), D("2026-02-23")).days, 0);
  EXPECT_EQ(national_.WorkdaysBetween(D("2026-02-26"), D("2026-02-12")).days, 0);
}

TEST_F(CalendarTest, EveryMakeUpWeekendDayIsAWorkingDay) {
  for (const char* text : kMakeUpDays) {
    Date day = D(text);
    ASSERT_TRUE(IsWeekend(day)) << text;
    EXPECT_TRUE(national_.IsWorkday(day)) << text;
    EXPECT_EQ(national_.Describe(day)->kind, DayKind::kWorkday) << text;
    // From the Friday before, the first working day is the make-up day itself.
    bool sunday = std::chrono::weekday(day) == std::chrono::Sunday;
    Date friday = day - std::chrono::days(sunday ? 2 : 1);
    EXPECT_EQ(FormatDate(national_.AddWorkdays(friday, 1).date), text);
  }
  // The other weekend day next to a make-up day stays a day off.
  EXPECT_FALSE(national_.IsWorkday(D("2025-01-25")));
  EXPECT_FALSE(national_.IsWorkday(D("2025-04-26")));
  EXPECT_FALSE(national_.IsWorkday(D("2026-05-10")));
  EXPECT_FALSE(national_.IsWorkday(D("2026-10-11")));
}

TEST_F(CalendarTest, OtherHolidaysOf2025And2026) {
  EXPECT_EQ(Add(national_, "2025-04-03", 1), "2025-04-07");  // 清明
  EXPECT_EQ(Add(national_, "2025-04-30", 1), "2025-05-06");  // 劳动节
  EXPECT_EQ(Add(national_, "2025-05-30", 1), "2025-06-03");  // 端午
  EXPECT_EQ(Add(national_, "2025-09-30", 1), "2025-10-09");  // 国庆+中秋
  EXPECT_EQ(Add(national_, "2026-06-18", 1), "2026-06-22");  // 端午 6/19–6/21
  EXPECT_EQ(Add(national_, "2026-09-24", 1), "2026-09-28");  // 中秋 9/25–9/27
  EXPECT_EQ(Add(national_, "2026-09-30", 1), "2026-10-08");  // 国庆 10/1–10/7
  EXPECT_EQ(Add(national_, "2026-09-30", 3), "2026-10-10");  // make-up Saturday
}

TEST_F(CalendarTest, YearEndCrossesInto2026NewYear) {
  EXPECT_EQ(Add(national_, "2025-12-30", 1), "2025-12-31");
  auto r = national_.AddWorkdays(D("2025-12-31"), 1);
  EXPECT_EQ(FormatDate(r.date), "2026-01-04");  // 元旦 1/1–1/3, make-up Sunday 1/4
  EXPECT_FALSE(r.provisional());
  EXPECT_EQ(Add(national_, "2025-12-31", 2), "2026-01-05");
  EXPECT_EQ(Add(national_, "2025-12-26", 5), "2026-01-05");  // 12/29, 12/30, 12/31, 1/4, 1/5
}

TEST_F(CalendarTest, AYearWithoutDataIsProvisional) {
  auto r = national_.AddWorkdays(D("2026-12-31"), 1);
  EXPECT_EQ(FormatDate(r.date), "2027-01-01");  // Friday by the weekday rule (really 元旦: why it is flagged)
  EXPECT_TRUE(r.provisional());
  EXPECT_EQ(r.unloaded_years, std::vector<int>{2027});
  auto inside = national_.AddWorkdays(D("2027-03-01"), 5);
  EXPECT_EQ(FormatDate(inside.date), "2027-03-08");
  EXPECT_TRUE(inside.provisional());
  EXPECT_FALSE(national_.AddWorkdays(D("2026-12-30"), 1).provisional());  // 12/31 only
  EXPECT_FALSE(national_.AddWorkdays(D("2027-03-01"), 0).provisional());  // touched nothing
  EXPECT_FALSE(national_.IsLoaded(2027));
  auto between = national_.WorkdaysBetween(D("2026-12-24"), D("2027-01-08"));
  EXPECT_EQ(between.days, 11);  // 12/25, 12/28–12/31, 1/1, 1/4–1/8
  EXPECT_EQ(between.unloaded_years, std::vector<int>{2027});
  auto before = national_.AddWorkdays(D("2024-12-30"), 3);
  EXPECT_EQ(FormatDate(before.date), "2025-01-03");  // 12/31 (2024: no data), 1/2, 1/3 (元旦 1/1 loaded)
  EXPECT_EQ(before.unloaded_years, std::vector<int>{2024});
}

TEST(WorkingCalendarTest, EmptyCalendarIsMondayToFridayAndProvisional) {
  WorkingCalendar none;
  EXPECT_EQ(FormatDate(none.AddWorkdays(D("2026-02-13"), 3).date), "2026-02-18");
  EXPECT_TRUE(none.AddWorkdays(D("2026-02-13"), 3).provisional());
  EXPECT_EQ(FormatDate(none.AddWorkdays(D("2026-02-13"), kMaxWorkdays).date).substr(0, 2), "20");
  EXPECT_TRUE(CheckWorkdayCount(0).ok());
  EXPECT_TRUE(CheckWorkdayCount(kMaxWorkdays).ok());
  EXPECT_EQ(CheckWorkdayCount(-1).error().code, "invalid_field");
  EXPECT_EQ(CheckWorkdayCount(kMaxWorkdays + 1).error().code, "invalid_field");
}

TEST(WorkingCalendarTest, ClosuresWinOverNationalEntries) {
  WorkingCalendar cal(CalendarData{.national = {{D("2026-02-28"), DayKind::kWorkday, "春节调休上班"}},
                                   .closures = {{D("2026-02-28"), DayKind::kWorkday, "系统升级"},
                                                {D("2026-03-02"), DayKind::kHoliday, "闭馆"}},
                                   .loaded_years = {2026}});
  EXPECT_FALSE(cal.IsWorkday(D("2026-02-28")));
  EXPECT_FALSE(cal.IsWorkday(D("2026-03-02")));
  EXPECT_EQ(cal.Describe(D("2026-02-28"))->name, "系统升级");
  EXPECT_EQ(cal.Describe(D("2026-02-28"))->kind, DayKind::kHoliday);
  auto days = cal.DaysOfYear(2026);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0].name, "系统升级");
  EXPECT_TRUE(cal.DaysOfYear(2025).empty());
}

// ---------------------------------------------------------------------------------------------------
// Deadlines (R-WO-4: complaint 5, suggestion 2, inquiry 3 working days, end of the Nth working day)

TEST_F(CalendarTest, DeadlineIsLocalMidnightAfterTheNthWorkingDay) {
  const TimeZone shanghai = TimeZone::Shanghai();
  FakeClock clock(At("2026-02-12T23:59:59.999+08:00"));  // Thursday, one millisecond before midnight
  Deadline late = national_.DeadlineOf(clock.Now(), 3, shanghai);
  EXPECT_EQ(FormatDate(late.last_day), "2026-02-24");          // 2/13, 2/14 (make-up), 2/24
  EXPECT_EQ(FormatUtc(late.due), "2026-02-24T16:00:00.000Z");  // 2026-02-25 00:00 CST
  EXPECT_FALSE(late.provisional());

  clock.Advance(1ms);  // Friday 00:00:00.000 CST: the count starts a day later
  Deadline next = national_.DeadlineOf(clock.Now(), 3, shanghai);
  EXPECT_EQ(FormatDate(next.last_day), "2026-02-25");  // the issue's example
  EXPECT_EQ(FormatUtc(next.due), "2026-02-25T16:00:00.000Z");

  // The same instant in UTC is still Thursday 16:00: the centre's zone decides the creation date.
  Deadline utc = national_.DeadlineOf(clock.Now(), 3, *TimeZone::Find("UTC"));
  EXPECT_EQ(FormatDate(utc.last_day), "2026-02-24");
  EXPECT_EQ(FormatUtc(utc.due), "2026-02-25T00:00:00.000Z");
}

TEST_F(CalendarTest, DeadlinesPerWorkOrderCategory) {
  const TimeZone shanghai = TimeZone::Shanghai();
  TimePoint created = At("2026-09-30T16:45:00+08:00");  // Wednesday before 国庆 10/1–10/7
  // 10/8 (1), 10/9 (2), 10/10 make-up Saturday (3), 10/12 (4), 10/13 (5).
  EXPECT_EQ(FormatDate(national_.DeadlineOf(created, 2, shanghai).last_day), "2026-10-09");  // suggestion
  EXPECT_EQ(FormatDate(national_.DeadlineOf(created, 3, shanghai).last_day), "2026-10-10");  // inquiry
  Deadline complaint = national_.DeadlineOf(created, 5, shanghai);
  EXPECT_EQ(FormatDate(complaint.last_day), "2026-10-13");
  EXPECT_EQ(FormatUtc(complaint.due), "2026-10-13T16:00:00.000Z");
  // Created on a holiday: the first working day after it is day 1.
  EXPECT_EQ(FormatDate(national_.DeadlineOf(At("2026-10-03T10:00:00+08:00"), 1, shanghai).last_day),
            "2026-10-08");
  // Created at the end of the loaded data: provisional.
  Deadline year_end = national_.DeadlineOf(At("2026-12-30T10:00:00+08:00"), 5, shanghai);
  EXPECT_EQ(FormatDate(year_end.last_day), "2027-01-06");
  EXPECT_TRUE(year_end.provisional());
  EXPECT_EQ(year_end.unloaded_years, std::vector<int>{2027});
}

// ---------------------------------------------------------------------------------------------------
// Local closures and admin edits

TEST_F(CalendarTest, LocalClosuresBelongToOneCentre) {
  const int64_t lanzhou = 7, tianshui = 8;
  ASSERT_TRUE(store_.SetDay(lanzhou, {D("2026-03-02"), DayKind::kHoliday, "系统升级停止服务"}).ok());
  ASSERT_TRUE(store_.SetDay(lanzhou, {D("2026-02-28"), DayKind::kHoliday, "办公楼停电"}).ok());
  auto lz = *store_.Load(lanzhou);
  auto ts = *store_.Load(tianshui);
  EXPECT_FALSE(lz.IsWorkday(D("2026-03-02")));
  EXPECT_FALSE(lz.IsWorkday(D("2026-02-28")));  // a closure wins over a make-up day
  EXPECT_TRUE(ts.IsWorkday(D("2026-03-02")));
  EXPECT_TRUE(store_.Load(std::nullopt)->IsWorkday(D("2026-03-02")));
  EXPECT_EQ(Add(lz, "2026-02-27", 2), "2026-03-04");
  EXPECT_EQ(Add(ts, "2026-02-27", 2), "2026-03-02");

  auto listing = store_.ListYear(2026, lanzhou);
  ASSERT_EQ(listing->closures.size(), 2u);
  EXPECT_EQ(listing->closures[0].name, "办公楼停电");
  EXPECT_TRUE(store_.ListYear(2026, tianshui)->closures.empty());

  // Renaming replaces; a centre cannot declare make-up working days.
  ASSERT_TRUE(store_.SetDay(lanzhou, {D("2026-03-02"), DayKind::kHoliday, "系统升级"}).ok());
  EXPECT_EQ(store_.Load(lanzhou)->Describe(D("2026-03-02"))->name, "系统升级");
  EXPECT_EQ(store_.SetDay(lanzhou, {D("2026-03-07"), DayKind::kWorkday, "加班"}).error().code,
            "invalid_field");

  ASSERT_TRUE(store_.RemoveDay(lanzhou, D("2026-03-02")).ok());
  EXPECT_TRUE(store_.Load(lanzhou)->IsWorkday(D("2026-03-02")));
  EXPECT_EQ(store_.RemoveDay(lanzhou, D("2026-03-02")).error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(store_.RemoveDay(tianshui, D("2026-02-28")).error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(store_.Load(std::nullopt)->IsWorkday(D("2026-02-28")));  // national entry untouched
}

TEST_F(CalendarTest, AdminEditsNationalDays) {
  ASSERT_TRUE(store_.SetDay(std::nullopt, {D("2027-01-01"), DayKind::kHoliday, "元旦"}).ok());
  auto cal = *store_.Load(std::nullopt);
  EXPECT_FALSE(cal.IsWorkday(D("2027-01-01")));
  EXPECT_FALSE(cal.IsLoaded(2027));  // one day is not the year's schedule
  ASSERT_TRUE(store_.SetYearLoaded(2027, true, "国务院办公厅关于2027年部分节假日安排的通知").ok());
  cal = *store_.Load(std::nullopt);
  EXPECT_TRUE(cal.IsLoaded(2027));
  EXPECT_FALSE(cal.AddWorkdays(D("2026-12-31"), 1).provisional());
  EXPECT_EQ(Add(cal, "2026-12-31", 1), "2027-01-04");
  ASSERT_TRUE(store_.SetYearLoaded(2027, false, "").ok());
  EXPECT_FALSE(store_.Load(std::nullopt)->IsLoaded(2027));

  // Replace a holiday with a make-up day and back; remove one.
  ASSERT_TRUE(store_.SetDay(std::nullopt, {D("2026-03-07"), DayKind::kWorkday, "测试调休"}).ok());
  EXPECT_TRUE(store_.Load(std::nullopt)->IsWorkday(D("2026-03-07")));
  ASSERT_TRUE(store_.SetDay(std::nullopt, {D("2026-03-07"), DayKind::kHoliday, "测试放假"}).ok());
  EXPECT_EQ(store_.Load(std::nullopt)->Describe(D("2026-03-07"))->kind, DayKind::kHoliday);
  ASSERT_TRUE(store_.RemoveDay(std::nullopt, D("2026-03-07")).ok());
  EXPECT_FALSE(store_.Load(std::nullopt)->Describe(D("2026-03-07")).has_value());
  EXPECT_EQ(store_.RemoveDay(std::nullopt, D("2026-03-07")).error().kind, ErrorKind::kNotFound);

  // Bad input changes nothing.
  EXPECT_EQ(store_.SetDay(std::nullopt, {D("2026-03-04"), DayKind::kWorkday, "周三"}).error().code,
            "invalid_field");
  EXPECT_EQ(store_.SetDay(std::nullopt, {D("2026-03-07"), DayKind::kHoliday, ""}).error().code,
            "invalid_field");
  EXPECT_EQ(store_.SetDay(std::nullopt, {D("2026-03-07"), DayKind::kHoliday, "a\x01"}).error().code,
            "invalid_field");
  EXPECT_EQ(store_.SetDay(std::nullopt, {D("2206-01-01"), DayKind::kHoliday, "元旦"}).error().code,
            "invalid_field");
  EXPECT_EQ(store_.SetYearLoaded(1999, true, "x").error().code, "invalid_field");
  EXPECT_EQ(store_.ListYear(2206, std::nullopt).error().code, "invalid_field");
  EXPECT_EQ(store_.ListYear(2026, std::nullopt)->national.size(), 39u);
}

// ---------------------------------------------------------------------------------------------------
// CSV import

constexpr std::string_view kSample2027 =
    "date,kind,name\n"
    "2027-01-01,holiday,元旦\n"
    "2027-01-02,holiday,元旦\n"
    "2027-01-03,holiday,元旦\n"
    "2027-02-06,holiday,春节\n"
    "2027-02-07,holiday,春节\n"
    "2027-02-08,holiday,春节\n"
    "2027-02-20,workday,春节调休上班\n";

TEST_F(CalendarTest, ImportLoadsAYear) {
  auto path = WriteFile("2027.csv", kSample2027);
  auto report = store_.ImportFile(path);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->days, 7);
  EXPECT_EQ(report->years, std::vector<int>{2027});
  auto cal = *store_.Load(std::nullopt);
  EXPECT_TRUE(cal.IsLoaded(2027));
  EXPECT_FALSE(cal.IsWorkday(D("2027-01-01")));
  EXPECT_TRUE(cal.IsWorkday(D("2027-02-20")));
  auto r = cal.AddWorkdays(D("2026-12-31"), 1);
  EXPECT_EQ(FormatDate(r.date), "2027-01-04");
  EXPECT_FALSE(r.provisional());

  // Re-importing a corrected file replaces the year: a day no longer listed is gone.
  auto fixed = WriteFile("2027-fixed.csv",
                         "\xEF\xBB\xBF"
                         "date,kind,name\r\n"
                         "2027-01-01,holiday,\"元旦\"\r\n"
                         "\r\n"
                         " 2027-02-20 , workday , 春节调休上班 \r\n");
  report = store_.ImportFile(fixed);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->days, 2);
  cal = *store_.Load(std::nullopt);
  EXPECT_TRUE(cal.IsWorkday(D("2027-02-08")));
  EXPECT_EQ(cal.Describe(D("2027-01-01"))->name, "元旦");
  EXPECT_EQ(cal.Describe(D("2027-02-20"))->name, "春节调休上班");
  EXPECT_EQ(store_.ListYear(2026, std::nullopt)->national.size(), 39u);  // other years untouched
}

TEST_F(CalendarTest, ImportReportsEveryBadLineAndChangesNothing) {
  auto path = WriteFile("bad.csv",
                        "date,kind,name\n"                   // 1
                        "2027-01-01,holiday,元旦\n"          // 2 fine
                        "2027-13-01,holiday,元旦\n"          // 3 no month 13
                        "2027-01-02,vacation,元旦\n"         // 4 unknown kind
                        "2027-01-05,workday,调休\n"          // 5 a Tuesday cannot be a make-up day
                        "2027-01-01,holiday,元旦\n"          // 6 duplicate of line 2
                        "2027-01-03,holiday\n"               // 7 two columns
                        "1999-01-01,holiday,元旦\n"          // 8 out of range
                        "2027-01-03,holiday,\"元\"旦\n"      // 9 malformed quotes
                        "2027-01-03,holiday,\n"              // 10 empty name
                        "2026-01-01,holiday,改过的元旦\n");  // 11 fine, but must not be written
  auto r = store_.ImportFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_file");
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidArgument);
  std::vector<std::string> lines;
  std::string message = r.error().message;
  for (size_t pos = 0, nl; pos < message.size(); pos = nl + 1) {
    nl = message.find('\n', pos);
    if (nl == std::string::npos) nl = message.size();
    lines.push_back(message.substr(pos, nl - pos));
  }
  std::vector<std::string> expected_prefixes;
  for (int line : {3, 4, 5, 6, 7, 8, 9, 10})
    expected_prefixes.push_back(path + ":" + std::to_string(line) + ": ");
  ASSERT_EQ(lines.size(), expected_prefixes.size()) << message;
  for (size_t i = 0; i < lines.size(); ++i)
    EXPECT_EQ(lines[i].rfind(expected_prefixes[i], 0), 0u) << lines[i];
  EXPECT_NE(lines[3].find("第 2 行"), std::string::npos) << lines[3];

  EXPECT_FALSE(store_.Load(std::nullopt)->IsLoaded(2027));
  EXPECT_TRUE(store_.ListYear(2027, std::nullopt)->national.empty());
  EXPECT_EQ(store_.Load(std::nullopt)->Describe(D("2026-01-01"))->name, "元旦");
}

TEST_F(CalendarTest, ImportRefusesFilesWithoutHeaderOrRows) {
  auto no_header = store_.ImportFile(WriteFile("a.csv", "2027-01-01,holiday,元旦\n"));
  EXPECT_EQ(no_header.error().message.find(":1: "), no_header.error().message.find(".csv") + 4);
  EXPECT_EQ(store_.ImportFile(WriteFile("b.csv", "")).error().code, "invalid_file");
  EXPECT_EQ(store_.ImportFile(WriteFile("c.csv", "date,kind,name\n\n")).error().code, "invalid_file");
  EXPECT_EQ(store_.ImportFile((dir_ / "missing.csv").string()).error().kind, ErrorKind::kNotFound);
  auto bad_utf8 = ParseCalendarFile("date,kind,name\n2027-01-01,holiday,\xff\xfe\n", "x.csv");
  ASSERT_EQ(bad_utf8.errors.size(), 1u);
  EXPECT_EQ(bad_utf8.errors[0].rfind("x.csv:2: ", 0), 0u);
  EXPECT_TRUE(bad_utf8.days.empty());
  EXPECT_FALSE(store_.Load(std::nullopt)->IsLoaded(2027));
}

TEST(CalendarFileTest, ErrorsAreCapped) {
  std::string text = "date,kind,name\n";
  for (int i = 0; i < 300; ++i) text += "nope,holiday,x\n";
  auto parsed = ParseCalendarFile(text, "many.csv");
  ASSERT_EQ(parsed.errors.size(), 101u);
  EXPECT_EQ(parsed.errors[0].rfind("many.csv:2: ", 0), 0u);
  EXPECT_EQ(parsed.errors.back(), "many.csv: 错误过多，其余未列出");
}

TEST_F(CalendarTest, ImportIsAllOrNothingWhenTheDatabaseFails) {
  for (int fail_at : {1, 2, 3, 5}) {
    FaultyDatabase faulty(*db_, fail_at);
    CalendarStore store(faulty, clock_);
    auto r = store.ImportBytes(kSample2027, "2027.csv");
    ASSERT_FALSE(r.ok()) << fail_at;
    EXPECT_EQ(r.error().kind, ErrorKind::kUnavailable);
    EXPECT_FALSE(store_.Load(std::nullopt)->IsLoaded(2027)) << fail_at;
    EXPECT_TRUE(store_.ListYear(2027, std::nullopt)->national.empty()) << fail_at;
  }
  // Replacing a loaded year fails half-way: the old data stays.
  FaultyDatabase faulty(*db_, 4);
  CalendarStore store(faulty, clock_);
  EXPECT_FALSE(
      store.ImportBytes("date,kind,name\n2026-01-01,holiday,元旦\n2026-01-02,holiday,元旦\n", "x").ok());
  EXPECT_EQ(store_.ListYear(2026, std::nullopt)->national.size(), 39u);
}

// ---------------------------------------------------------------------------------------------------
// Service hours (R-IVR-3: manual service in business hours on working days; the IVR is 7×24)

class ServiceHoursTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store::ModuleMigrations modules[] = {kCalendarMigrations};
    ASSERT_TRUE(store::Migrate(*db_, modules).ok());
    calendar_ = *store_.Load(std::nullopt);
  }
  bool Open(const ServiceHours& h, std::string_view local) const {
    return h.IsOpen(At(std::string(local) + "+08:00"), zone_, calendar_);
  }
  std::string Next(const ServiceHours& h, std::string_view local) const {
    auto t = h.NextOpening(At(std::string(local) + "+08:00"), zone_, calendar_);
    return t ? FormatUtc(*t) : "none";
  }

  std::unique_ptr<store::Database> db_ = store::OpenTestDatabase();
  FakeClock clock_{At("2026-03-02T09:00:00+08:00")};
  CalendarStore store_{*db_, clock_};
  WorkingCalendar calendar_;
  TimeZone zone_ = TimeZone::Shanghai();
};

TEST_F(ServiceHoursTest, DefaultHoursWithLunchBreak) {
  auto h = ServiceHours::Default();
  EXPECT_FALSE(Open(h, "2026-03-02T08:29:59.999"));  // Monday
  EXPECT_TRUE(Open(h, "2026-03-02T08:30:00"));
  EXPECT_TRUE(Open(h, "2026-03-02T11:59:59.999"));
  EXPECT_FALSE(Open(h, "2026-03-02T12:00:00"));  // lunch break
  EXPECT_FALSE(Open(h, "2026-03-02T13:59:59"));
  EXPECT_TRUE(Open(h, "2026-03-02T14:00:00"));
  EXPECT_TRUE(Open(h, "2026-03-02T17:29:59.999"));
  EXPECT_FALSE(Open(h, "2026-03-02T17:30:00"));
  EXPECT_FALSE(Open(h, "2026-03-02T00:00:00"));
  EXPECT_FALSE(Open(h, "2026-03-07T10:00:00"));  // Saturday
  EXPECT_FALSE(Open(h, "2026-03-08T10:00:00"));  // Sunday
  EXPECT_TRUE(Open(h, "2026-02-28T10:00:00"));   // make-up Saturday
  EXPECT_TRUE(Open(h, "2026-01-04T15:00:00"));   // make-up Sunday
  EXPECT_FALSE(Open(h, "2026-10-01T10:00:00"));  // 国庆, a Thursday
  EXPECT_FALSE(Open(h, "2026-02-17T10:00:00"));  // 春节
}

TEST_F(ServiceHoursTest, NextOpeningForTheOutsideHoursMessage) {
  auto h = ServiceHours::Default();
  EXPECT_EQ(Next(h, "2026-03-02T10:00:00"), "2026-03-02T02:00:00.000Z");      // open now: now
  EXPECT_EQ(Next(h, "2026-03-02T12:30:00"), "2026-03-02T06:00:00.000Z");      // 14:00 the same day
  EXPECT_EQ(Next(h, "2026-03-02T00:00:00"), "2026-03-02T00:30:00.000Z");      // from midnight: 08:30
  EXPECT_EQ(Next(h, "2026-03-01T23:59:59.999"), "2026-03-02T00:30:00.000Z");  // Sunday night
  EXPECT_EQ(Next(h, "2026-03-06T17:30:00"), "2026-03-09T00:30:00.000Z");      // Friday evening → Monday
  EXPECT_EQ(Next(h, "2026-02-13T18:00:00"), "2026-02-14T00:30:00.000Z");      // → make-up Saturday
  EXPECT_EQ(Next(h, "2026-02-14T18:00:00"), "2026-02-24T00:30:00.000Z");      // → after 春节
  EXPECT_EQ(Next(h, "2025-12-31T17:45:00"), "2026-01-04T00:30:00.000Z");  // → after 元旦, make-up Sunday
  auto none = *ServiceHours::Create({.ranges = {}});
  EXPECT_FALSE(Open(none, "2026-03-02T10:00:00"));
  EXPECT_EQ(Next(none, "2026-03-02T10:00:00"), "none");
}

TEST_F(ServiceHoursTest, SeasonalHours) {
  ServiceHoursConfig config;  // winter (default) 08:30–12:00, 14:00–17:30
  config.seasons = {{.name = "夏季作息",
                     .first = std::chrono::May / 1,
                     .last = std::chrono::September / 30,
                     .ranges = {{Hm(8, 0), Hm(12, 0)}, {Hm(14, 30), Hm(18, 0)}}}};
  auto h = ServiceHours::Create(config);
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_FALSE(Open(*h, "2026-04-30T08:15:00"));  // last winter day
  EXPECT_FALSE(Open(*h, "2026-04-30T17:45:00"));
  EXPECT_TRUE(Open(*h, "2026-04-30T14:15:00"));
  EXPECT_TRUE(Open(*h, "2026-05-06T08:15:00"));  // first summer working day (劳动节 5/1–5/5)
  EXPECT_TRUE(Open(*h, "2026-05-06T17:45:00"));
  EXPECT_FALSE(Open(*h, "2026-05-06T14:15:00"));
  EXPECT_TRUE(Open(*h, "2026-05-09T17:59:00"));                            // make-up Saturday, summer hours
  EXPECT_TRUE(Open(*h, "2026-09-30T17:45:00"));                            // last summer day
  EXPECT_FALSE(Open(*h, "2026-10-08T17:45:00"));                           // back to winter hours
  EXPECT_EQ(Next(*h, "2026-04-30T17:45:00"), "2026-05-06T00:00:00.000Z");  // 08:00 CST, summer
  EXPECT_EQ(Next(*h, "2026-09-30T18:00:00"), "2026-10-08T00:30:00.000Z");  // 08:30 CST, winter

  // A season over the new year, and a whole-day range that ends at midnight.
  ServiceHoursConfig wrap{.ranges = {{Hm(0, 0), Hm(24, 0)}},
                          .seasons = {{.name = "冬季作息",
                                       .first = std::chrono::November / 1,
                                       .last = std::chrono::March / 31,
                                       .ranges = {{Hm(9, 0), Hm(17, 0)}}}}};
  auto w = ServiceHours::Create(wrap);
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_FALSE(Open(*w, "2026-01-05T08:59:00"));
  EXPECT_TRUE(Open(*w, "2026-01-05T09:00:00"));
  EXPECT_TRUE(Open(*w, "2026-04-01T23:59:59.999"));  // 00:00–24:00 outside the season
  EXPECT_TRUE(Open(*w, "2026-04-02T00:00:00"));
  EXPECT_EQ(Next(*w, "2026-04-03T23:59:00"), "2026-04-03T15:59:00.000Z");  // Friday night: open now
  EXPECT_EQ(Next(*w, "2026-04-04T00:00:00"), "2026-04-06T16:00:00.000Z");  // 清明 4/4–4/6 → Tue 00:00
}

TEST(ServiceHoursValidationTest, RefusesBadRangesAndSeasons) {
  auto code = [](ServiceHoursConfig c) {
    auto r = ServiceHours::Create(std::move(c));
    return r.ok() ? std::string("ok") : r.error().code + " " + r.error().message;
  };
  EXPECT_EQ(code({.ranges = {{Hm(8, 0), Hm(12, 0)}, {Hm(12, 0), Hm(13, 0)}}}), "ok");  // touching is fine
  EXPECT_NE(code({.ranges = {{Hm(8, 0), Hm(12, 0)}, {Hm(11, 0), Hm(13, 0)}}}).find("重叠"),
            std::string::npos);
  EXPECT_NE(code({.ranges = {{Hm(12, 0), Hm(8, 0)}}}).find("invalid_field"), std::string::npos);
  EXPECT_NE(code({.ranges = {{Hm(8, 0), Hm(8, 0)}}}).find("invalid_field"), std::string::npos);
  EXPECT_NE(code({.ranges = {{Hm(20, 0), Hm(24, 1)}}}).find("invalid_field"), std::string::npos);
  EXPECT_NE(code({.ranges = {{minutes(-1), Hm(8, 0)}}}).find("invalid_field"), std::string::npos);
  Season summer{.name = "夏", .first = std::chrono::May / 1, .last = std::chrono::September / 30};
  Season late{.name = "秋", .first = std::chrono::September / 30, .last = std::chrono::October / 31};
  EXPECT_NE(code({.seasons = {summer, late}}).find("09-30"), std::string::npos);
  Season unnamed = summer;
  unnamed.name = "";
  EXPECT_NE(code({.seasons = {unnamed}}).find("seasons[0].name"), std::string::npos);
  Season impossible = summer;
  impossible.last = std::chrono::February / 30;
  EXPECT_NE(code({.seasons = {impossible}}).find("seasons[0].last"), std::string::npos);
  Season bad_ranges = summer;
  bad_ranges.ranges = {{Hm(9, 0), Hm(8, 0)}};
  EXPECT_NE(code({.seasons = {bad_ranges}}).find("seasons[0].ranges[0]"), std::string::npos);
  Season leap{.name = "闰日", .first = std::chrono::February / 29, .last = std::chrono::February / 29};
  EXPECT_EQ(code({.seasons = {leap}}), "ok");
}

TEST(ServiceHoursValidationTest, JsonRoundTripAndFieldErrors) {
  ServiceHoursConfig config;
  config.seasons = {{.name = "夏季作息",
                     .first = std::chrono::May / 1,
                     .last = std::chrono::September / 30,
                     .ranges = {{Hm(14, 30), Hm(18, 0)}, {Hm(8, 0), Hm(12, 0)}}}};
  auto json = ToJson(ServiceHours::Create(config)->config());
  EXPECT_EQ(json["ranges"][0]["from"], "08:30");
  EXPECT_EQ(json["seasons"][0]["first"], "05-01");
  EXPECT_EQ(json["seasons"][0]["ranges"][0]["from"], "08:00");  // sorted
  auto back = ServiceHoursFromJson(json);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, ServiceHours::Create(config)->config());

  auto error = [](const char* text) {
    auto r = ServiceHoursFromJson(nlohmann::json::parse(text));
    return r.ok() ? std::string("ok") : r.error().message;
  };
  EXPECT_EQ(error(R"({"ranges":[{"from":"00:00","to":"24:00"}]})"), "ok");
  EXPECT_NE(error(R"({"ranges":[{"from":"8:30","to":"12:00"}]})").find("ranges[0].from"), std::string::npos);
  EXPECT_NE(error(R"({"ranges":[{"from":"08:30","to":"24:30"}]})").find("ranges[0].to"), std::string::npos);
  EXPECT_NE(error(R"({"ranges":[{"from":"08:30"}]})").find("ranges[0].to"), std::string::npos);
  EXPECT_NE(error(R"({"ranges":"08:30-12:00"})").find("ranges"), std::string::npos);
  EXPECT_NE(error(R"({})").find("ranges"), std::string::npos);
  EXPECT_NE(error(R"({"ranges":[],"seasons":[{"name":"夏","first":"5-1","last":"09-30","ranges":[]}]})")
                .find("seasons[0].first"),
            std::string::npos);
  EXPECT_NE(error(R"({"ranges":[],"seasons":[{"name":"夏","first":"05-01","last":"09-30"}]})")
                .find("seasons[0].ranges"),
            std::string::npos);
  EXPECT_NE(error("[1]").find("service_hours"), std::string::npos);
}

TEST_F(ServiceHoursTest, StoredPerCentreWithADefault) {
  EXPECT_EQ(store_.GetServiceHours(7)->config(), ServiceHours::Default().config());
  EXPECT_FALSE(*store_.HasServiceHours(7));
  ServiceHoursConfig lanzhou{.ranges = {{Hm(9, 0), Hm(12, 0)}, {Hm(13, 30), Hm(17, 0)}}};
  lanzhou.seasons = {{.name = "夏季作息",
                      .first = std::chrono::May / 1,
                      .last = std::chrono::September / 30,
                      .ranges = {{Hm(8, 0), Hm(12, 0)}, {Hm(14, 30), Hm(18, 0)}}}};
  ASSERT_TRUE(store_.SetServiceHours(7, lanzhou).ok());
  EXPECT_TRUE(*store_.HasServiceHours(7));
  EXPECT_EQ(store_.GetServiceHours(7)->config(), lanzhou);
  EXPECT_EQ(store_.GetServiceHours(8)->config(), ServiceHours::Default().config());
  EXPECT_TRUE(Open(*store_.GetServiceHours(7), "2026-03-02T13:45:00"));

  // A bad configuration is refused and the stored one stays.
  ServiceHoursConfig bad{.ranges = {{Hm(9, 0), Hm(12, 0)}, {Hm(11, 0), Hm(17, 0)}}};
  EXPECT_EQ(store_.SetServiceHours(7, bad).error().code, "invalid_field");
  EXPECT_EQ(store_.GetServiceHours(7)->config(), lanzhou);
  ASSERT_TRUE(store_.SetServiceHours(7, ServiceHoursConfig{}).ok());
  EXPECT_EQ(store_.GetServiceHours(7)->config(), ServiceHours::Default().config());
}

}  // namespace
}  // namespace hotline::calendar
