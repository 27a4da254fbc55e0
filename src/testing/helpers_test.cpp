// Tests of the test-support library's small helpers (issue 12 §6): At() and Day() read the text forms and
// fail the test on a bad literal; TempDir cleans up; the deterministic fakes and the core ports' mocks.
#include <gmock/gmock.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <vector>

#include "testing/core_mocks.hpp"
#include "testing/fakes.hpp"
#include "testing/temp_dir.hpp"
#include "testing/time.hpp"

namespace hotline::test {
namespace {

// ---------------------------------------------------------------------------------------------------
// Time and date helpers

TEST(TimeHelpers, ReadInstantsAndDates) {
  EXPECT_EQ(ToEpochMillis(At("1970-01-01T00:00:01Z")), 1000);
  EXPECT_EQ(At("2026-03-02T09:00:00+08:00"), At("2026-03-02T01:00:00Z"));
  EXPECT_EQ(FormatDate(Day("2026-02-28")), "2026-02-28");
  EXPECT_EQ(Day("2026-03-01") - Day("2026-02-28"), std::chrono::days(1));
}

TEST(TimeHelpers, ABadLiteralFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(At("2026-03-02 09:00"), "not an RFC 3339 instant");
  EXPECT_NONFATAL_FAILURE(Day("2026-02-30"), "not a YYYY-MM-DD date");
}

TEST(TempDirTest, HoldsFilesAndRemovesThem) {
  std::string path;
  {
    TempDir dir;
    path = dir.path();
    std::string file = dir.WriteFile("a.csv", "x,y\n");
    EXPECT_EQ(std::filesystem::file_size(file), 4u);
    EXPECT_EQ(dir.Path("a.csv"), file);
    TempDir other;
    EXPECT_NE(other.path(), path);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

// ---------------------------------------------------------------------------------------------------
// Fakes and mocks of the core ports

TEST(Fakes, SequenceRandomIsPredictableAcrossCalls) {
  SequenceRandom random(0xfe);
  uint8_t a[3], b[2];
  random.Fill(a, 3);
  random.Fill(b, 2);
  EXPECT_EQ(std::vector<int>(a, a + 3), (std::vector<int>{0xfe, 0xff, 0x00}));
  EXPECT_EQ(std::vector<int>(b, b + 2), (std::vector<int>{0x01, 0x02}));
  SequenceRandom zero;
  EXPECT_EQ(zero.Token(3), "AAEC") << "base64url of 00 01 02";
}

TEST(Fakes, FakeClockAndSeededRandomAreTheCoreOnes) {
  FakeClock clock(At("2026-03-02T09:00:00+08:00"));
  auto steady = clock.Steady();
  clock.Advance(std::chrono::minutes(5));
  EXPECT_EQ(clock.Now(), At("2026-03-02T09:05:00+08:00"));
  EXPECT_EQ(clock.Steady() - steady, std::chrono::minutes(5));
  SeededRandom a(7), b(7);
  EXPECT_EQ(a.Token(16), b.Token(16));
}

TEST(Mocks, ClockAndRandomAreScriptable) {
  MockClock clock;
  EXPECT_CALL(clock, Now()).WillOnce(::testing::Return(At("2026-01-01T00:00:00Z")));
  EXPECT_EQ(FormatUtc(clock.Now()), "2026-01-01T00:00:00.000Z");
  MockRandom random;
  EXPECT_CALL(random, Fill(::testing::_, 2)).WillOnce([](void* buf, size_t n) { std::memset(buf, 0xff, n); });
  EXPECT_EQ(random.Token(2), "__8");
}

}  // namespace
}  // namespace hotline::test
