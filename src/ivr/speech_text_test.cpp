// The table of numbers the IVR speaks (issue 13 §Prompts): each row is what a caller must hear.
#include "ivr/speech_text.hpp"

#include <gtest/gtest.h>

namespace hotline::ivr {
namespace {

struct IntCase {
  int64_t n;
  const char* spoken;
};

TEST(SpeechTextTest, IntegersFollowTheZeroAndLiangRules) {
  const IntCase cases[] = {
      {0, "零"},
      {1, "一"},
      {2, "二"},
      {10, "十"},
      {12, "十二"},
      {20, "二十"},
      {22, "二十二"},
      {100, "一百"},
      {101, "一百零一"},
      {110, "一百一十"},
      {200, "二百"},
      {1000, "一千"},
      {1005, "一千零五"},
      {1025, "一千零二十五"},  // espeak-ng says 一千二十五 (DESIGN.md)
      {1200, "一千二百"},
      {2000, "两千"},
      {2222, "两千二百二十二"},
      {10000, "一万"},
      {10010, "一万零一十"},
      {10050, "一万零五十"},
      {12329, "一万二千三百二十九"},  // espeak-ng says 十二千三百二十九
      {20000, "两万"},
      {22000, "两万二千"},
      {100000, "十万"},
      {105000, "十万五千"},
      {1000001, "一百万零一"},
      {20000000, "两千万"},
      {100000000, "一亿"},
      {100010000, "一亿零一万"},
      {200000000, "两亿"},
      {-5, "负五"},
  };
  for (const auto& c : cases) EXPECT_EQ(SpokenInteger(c.n), c.spoken) << c.n;
}

TEST(SpeechTextTest, AmountsInYuanJiaoFen) {
  const IntCase cases[] = {
      {0, "零元"},
      {1, "一分"},
      {10, "一角"},
      {15, "一角五分"},
      {100, "一元"},
      {503, "五元零三分"},
      {520, "五元二角"},
      {1234567, "一万二千三百四十五元六角七分"},
      {100000, "一千元"},
      {2000000, "两万元"},
      {1200000, "一万二千元"},
      {100500, "一千零五元"},
      {1000000000, "一千万元"},
      {-1050, "负十元五角"},
  };
  for (const auto& c : cases) EXPECT_EQ(SpokenAmount(c.n), c.spoken) << c.n;
}

TEST(SpeechTextTest, DatesReadTheYearDigitByDigit) {
  EXPECT_EQ(SpokenDate(2026, 3, 5), "二〇二六年三月五日");
  EXPECT_EQ(SpokenDate(2026, 12, 20), "二〇二六年十二月二十日");
  EXPECT_EQ(SpokenDate(2000, 2, 22), "二〇〇〇年二月二十二日");  // no 两 in months and days
  EXPECT_EQ(SpokenYearMonth(2026, 11), "二〇二六年十一月");
  EXPECT_EQ(SpokenIsoDate("2026-03-05"), "二〇二六年三月五日");
  EXPECT_EQ(SpokenIsoDate("2026-02"), "二〇二六年二月");
  EXPECT_EQ(SpokenIsoDate("20260305"), "二零二六零三零五");  // not a date: digit by digit
}

TEST(SpeechTextTest, DigitStringsAndPhoneNumbers) {
  EXPECT_EQ(SpokenDigits("12329"), "一二三二九");
  EXPECT_EQ(SpokenPhone("12329"), "幺二三二九");
  EXPECT_EQ(SpokenPhone("0931-8812345"), "零九三幺八八幺二三四五");
  EXPECT_EQ(SpokenDigits("#"), "井号");
  EXPECT_EQ(SpokenDigits("*"), "星号");
  EXPECT_EQ(SpokenDigits("62010319900101123X"), "六二零一零三一九九零零一零一一二三叉");
  EXPECT_EQ(SpokenDigits("1007"), "一零零七");  // an agent number, digit by digit
}

}  // namespace
}  // namespace hotline::ivr

namespace hotline::ivr {
namespace {

TEST(SpeechTextTest, FreeTextBecomesSpeakable) {
  EXPECT_EQ(SpeakableText("欢迎致电12329住房公积金热线"), "欢迎致电幺二三二九住房公积金热线");
  EXPECT_EQ(SpeakableText("工作日9:00-17:30"), "工作日九点至十七点半");
  EXPECT_EQ(SpeakableText("请三十分钟后再试，或30分钟"), "请三十分钟后再试，或三十分钟");
  EXPECT_EQ(SpeakableText("电话0931-8812345"), "电话零九三幺八八幺二三四五");
  EXPECT_EQ(SpeakableText("按#或*"), "按井号或星号");
  EXPECT_EQ(SpeakableText("14:05"), "十四点零五分");
}

TEST(SpeechTextTest, WhenManualServiceOpens) {
  EXPECT_EQ(SpokenOpening(2026, 12, 8, 2026, 12, 8, 14, 0), "今天下午两点");
  EXPECT_EQ(SpokenOpening(2026, 12, 8, 2026, 12, 9, 9, 0), "明天上午九点");
  EXPECT_EQ(SpokenOpening(2026, 12, 31, 2027, 1, 1, 9, 30), "明天上午九点半");
  EXPECT_EQ(SpokenOpening(2026, 12, 11, 2026, 12, 14, 9, 0), "十二月十四日上午九点");
}

}  // namespace
}  // namespace hotline::ivr
