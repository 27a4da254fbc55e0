#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "core/text.hpp"

namespace hotline {
namespace {

TEST(ClockTest, ParsesOffsetsToUtc) {
  TimePoint t;
  ASSERT_TRUE(ParseIso8601("2026-03-02T09:15:03+08:00", &t));
  EXPECT_EQ(FormatUtc(t), "2026-03-02T01:15:03.000Z");
  ASSERT_TRUE(ParseIso8601("2026-03-02T01:15:03.5Z", &t));
  EXPECT_EQ(FormatUtc(t), "2026-03-02T01:15:03.500Z");
}

TEST(ClockTest, RejectsMalformedInstants) {
  TimePoint t;
  for (const char* bad :
       {"", "2026-03-02", "2026-03-02T09:15:03", "2026-02-30T00:00:00Z", "2026-03-02T24:00:00Z",
        "2026-03-02T09:15:03+0800x", "2026-03-02T09:15:03.Z", "x026-03-02T09:15:03Z"}) {
    EXPECT_FALSE(ParseIso8601(bad, &t)) << bad;
  }
}

TEST(ClockTest, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(FromEpochMillis(1000));
  EXPECT_EQ(ToEpochMillis(clock.Now()), 1000);
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(ToEpochMillis(clock.Now()), 3000);
}

TEST(RandomTest, TokensAreBase64UrlOfRequestedLength) {
  SecureRandom random;
  std::string a = random.Token(32), b = random.Token(32);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
            std::string::npos);
  EXPECT_EQ(Base64UrlEncode("\xfb\xff", 2), "-_8");
}

TEST(TextTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("兰州住房公积金管理中心"));
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe5\x85"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_EQ(Utf8Length("12329热线"), 7u);
  EXPECT_TRUE(HasControlChars(std::string("a\0b", 3)));
  EXPECT_FALSE(HasControlChars("a\tb\n"));
}

TEST(ResultTest, CarriesValueOrError) {
  Result<int> ok = 7;
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 7);
  Result<int> bad = Error::NotFound("没有这个记录");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, "not_found");
  auto chain = [](bool fail) -> Status {
    HOTLINE_ASSIGN_OR_RETURN(int v, fail ? Result<int>(Error::Internal("x")) : Result<int>(1));
    return v == 1 ? OkStatus() : Status(Error::Internal("y"));
  };
  EXPECT_TRUE(chain(false).ok());
  EXPECT_EQ(chain(true).error().message, "x");
}

}  // namespace
}  // namespace hotline

#include "core/time_zone.hpp"

namespace hotline {
namespace {

TEST(TimeZoneTest, LocalDayOfInstantsAroundMidnight) {
  TimeZone sh = TimeZone::Shanghai();
  TimePoint t;
  ASSERT_TRUE(ParseIso8601("2026-03-01T16:00:00Z", &t));  // 00:00 on 3月2日 in Beijing
  EXPECT_EQ(FormatDate(sh.LocalDay(t)), "2026-03-02");
  ASSERT_TRUE(ParseIso8601("2026-03-01T15:59:59.999Z", &t));
  EXPECT_EQ(FormatDate(sh.LocalDay(t)), "2026-03-01");
  EXPECT_EQ(sh.LocalTimeOfDay(t), std::chrono::milliseconds(86399999));
  Date d;
  ASSERT_TRUE(ParseDate("2026-03-02", &d));
  EXPECT_EQ(FormatUtc(sh.StartOfDay(d)), "2026-03-01T16:00:00.000Z");
}

TEST(TimeZoneTest, ZonesWithDaylightSaving) {
  auto ny = TimeZone::Find("America/New_York");
  ASSERT_TRUE(ny.ok());
  Date d;
  ASSERT_TRUE(ParseDate("2026-07-01", &d));
  EXPECT_EQ(FormatUtc(ny->StartOfDay(d)), "2026-07-01T04:00:00.000Z");
  EXPECT_FALSE(TimeZone::Find("Mars/Olympus").ok());
}

TEST(DateTest, ParseIsStrict) {
  Date d;
  EXPECT_TRUE(ParseDate("2024-02-29", &d));
  for (const char* bad : {"2026-02-29", "2026-2-01", "2026-13-01", "20260301", "2026-03-01x", ""})
    EXPECT_FALSE(ParseDate(bad, &d)) << bad;
}

}  // namespace
}  // namespace hotline

#include "core/csv.hpp"

namespace hotline {
namespace {

std::vector<std::vector<std::string>> ReadAll(std::string_view text,
                                              std::vector<std::string>* errors = nullptr) {
  CsvReader reader(text);
  std::vector<std::vector<std::string>> out;
  std::vector<std::string_view> fields;
  while (!reader.at_end()) {
    if (reader.Next(&fields)) {
      out.emplace_back(fields.begin(), fields.end());
    } else if (!reader.error().empty() && errors) {
      errors->push_back(std::to_string(reader.line()) + ": " + reader.error());
    }
  }
  return out;
}

TEST(CsvTest, QuotesNewlinesAndLineEndings) {
  auto rows = ReadAll(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\n\n2,\"multi\nline\",\n3,,");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1", "x,y", "say \"hi\""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"2", "multi\nline", ""}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"3", "", ""}));
}

TEST(CsvTest, ReportsMalformedRecordsWithTheirLine) {
  std::vector<std::string> errors;
  auto rows = ReadAll("h1,h2\nok,1\nbad\"quote,2\n\"x\"y,3\nlast,4\n\"open,5", &errors);
  EXPECT_EQ(rows.size(), 3u);
  EXPECT_EQ(errors, (std::vector<std::string>{"3: quote inside an unquoted field",
                                              "4: unexpected character after a quoted field",
                                              "6: unterminated quoted field"}));
}

// Unquoted fields are scanned sixteen bytes at a time: every separator position inside and across a
// 16-byte block, fields longer than a block, and a field that ends the input, split the same way as a
// byte-by-byte reading would. A stray quote far into a long field is still found.
TEST(CsvTest, LongUnquotedFieldsSplitAtEverySeparatorPosition) {
  for (size_t len = 0; len < 40; ++len) {
    std::string a(len, 'a'), b(40 - len, 'b');
    for (const char* end : {"\n", "\r\n", "\r"}) {                  // a lone \r ends a record too
      auto rows = ReadAll(a + "," + b + ",x" + end + b + "," + a);  // the last field ends the input
      ASSERT_EQ(rows.size(), 2u) << len;
      EXPECT_EQ(rows[0], (std::vector<std::string>{a, b, "x"})) << len;
      EXPECT_EQ(rows[1], (std::vector<std::string>{b, a})) << len;
    }
    std::vector<std::string> errors;
    ReadAll(a + "b\"" + b + ",1\n", &errors);
    EXPECT_EQ(errors, (std::vector<std::string>{"1: quote inside an unquoted field"})) << len;
  }
}

}  // namespace
}  // namespace hotline
