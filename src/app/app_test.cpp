// App's wiring (issue 12 §1, §4): short commands build only what they use, and the entry points App hands
// the live channels (app/channels.hpp) are the real ones, over one database — a CDR recorded through
// App::cdrs() is in App::kpi()'s sums, and App::service_hours() sees a write made through App::calendar()
// at its next question.
#include "app/app.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/temp_dir.hpp"
#include "testing/time.hpp"

namespace hotline::app {
namespace {

using test::At;
using test::Day;

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.database.url = "sqlite:" + dir_.Path("hotline.db");
    config_.secret_key_file = dir_.Path("secret.key");
    auto app = App::Open(config_);
    ASSERT_TRUE(app.ok()) << app.error().message;
    app_ = std::move(*app);
  }
  int64_t AddCentre() {
    org::OrgDirectory& orgs = app_->orgs();
    EXPECT_TRUE(
        orgs.Create({.code = "MOHURD", .name = "住房和城乡建设部", .level = org::OrgLevel::kMinistry}).ok());
    EXPECT_TRUE(
        orgs.Create(
                {.code = "GS", .name = "甘肃", .level = org::OrgLevel::kProvince, .parent_code = "MOHURD"})
            .ok());
    EXPECT_TRUE(
        orgs.Create({.code = "GS-LZ", .name = "兰州", .level = org::OrgLevel::kCenter, .parent_code = "GS"})
            .ok());
    return orgs.FindByCode("GS-LZ")->id;
  }

  test::TempDir dir_;
  Config config_;
  std::unique_ptr<App> app_;
};

TEST_F(AppTest, TheOrgAndUserDirectoriesDoNotOpenTheSearchIndex) {
  AddCentre();
  ASSERT_TRUE(app_->users().List({.within_path = app_->orgs().FindByCode("GS-LZ")->path}).ok());
  EXPECT_FALSE(std::filesystem::exists(KbIndexDir(config_)));  // what `hotline org list` uses: no Xapian
  ASSERT_TRUE(app_->OpenKb().ok());
  EXPECT_TRUE(std::filesystem::exists(KbIndexDir(config_)));  // the first kb use creates it
}

TEST_F(AppTest, ACallRecordedThroughTheChannelsRecorderIsInTheCentresDailySums) {
  int64_t lz = AddCentre();
  kpi::Cdr c;
  c.call_id = "live-1";
  c.center = "GS-LZ";
  c.caller = "13812345678";
  c.arrived_at = At("2026-03-02T23:59:30+08:00");  // Beijing's 2 March, UTC's too
  c.ended_at = c.arrived_at + std::chrono::seconds(40);
  c.outcome = kpi::Outcome::kIvr;
  auto recorded = app_->cdrs().Record(c);
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  EXPECT_EQ(recorded->org_id, lz);
  EXPECT_EQ(recorded->local_day, Day("2026-03-02"));
  auto sums = app_->kpi().Sum({lz}, Day("2026-03-02"), Day("2026-03-02"));
  ASSERT_TRUE(sums.ok()) << sums.error().message;
  EXPECT_EQ(sums->n_in, 1);
  EXPECT_TRUE(app_->cdrs().Record(c)->already_stored);  // a retry changes nothing
  EXPECT_EQ(app_->kpi().Sum({lz}, Day("2026-03-02"), Day("2026-03-02"))->n_in, 1);
}

TEST_F(AppTest, ServiceHoursAnswerFollowsAWriteThroughTheAppsCalendar) {
  int64_t lz = AddCentre();
  const TimeZone zone = TimeZone::Shanghai();
  const TimePoint monday_evening = At("2026-03-02T19:00:00+08:00");  // a working day, after 17:30
  auto before = app_->service_hours().AskAt(lz, zone, monday_evening);
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_FALSE(before->open);  // the default hours: 08:30–12:00, 14:00–17:30
  ASSERT_TRUE(
      app_->calendar()
          .SetServiceHours(lz, {.ranges = {{std::chrono::minutes(8 * 60), std::chrono::minutes(20 * 60)}}})
          .ok());
  auto after = app_->service_hours().AskAt(lz, zone, monday_evening);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_TRUE(after->open);  // the next question already sees the write: no stale cache
}

}  // namespace
}  // namespace hotline::app
