// Money, GB 11643 citizen ids and masking (R-IVR-2).
#include <gtest/gtest.h>

#include "core/identity_number.hpp"
#include "core/masking.hpp"
#include "core/money.hpp"

namespace hotline {
namespace {

TEST(MoneyTest, FormatsYuanWithGroupingAndTwoDecimals) {
  EXPECT_EQ(FormatYuan(1234567), "12,345.67元");
  EXPECT_EQ(FormatYuan(0), "0.00元");
  EXPECT_EQ(FormatYuan(5), "0.05元");
  EXPECT_EQ(FormatYuan(-5), "-0.05元");
  EXPECT_EQ(FormatYuan(100000000), "1,000,000.00元");
  EXPECT_EQ(FormatYuan(99999), "999.99元");
  EXPECT_EQ(FormatYuanPlain(123456789012), "1,234,567,890.12");
  EXPECT_EQ(FormatYuan(INT64_MIN), "-92,233,720,368,547,758.08元");
}

TEST(MoneyTest, ReadsAmountsInChinese) {
  EXPECT_EQ(ChineseAmount(1234567), "一万二千三百四十五元六角七分");
  EXPECT_EQ(ChineseAmount(1000), "十元");
  EXPECT_EQ(ChineseAmount(1200), "十二元");
  EXPECT_EQ(ChineseAmount(100005), "一千元零五分");
  EXPECT_EQ(ChineseAmount(1001000), "一万零一十元");
  EXPECT_EQ(ChineseAmount(1000000000), "一千万元");
  EXPECT_EQ(ChineseAmount(7), "七分");
  EXPECT_EQ(ChineseAmount(50), "五角");
  EXPECT_EQ(ChineseAmount(0), "零元");
  EXPECT_EQ(ChineseAmount(-150), "负一元五角");
  EXPECT_EQ(ChineseNumber(110000), "十一万");
  EXPECT_EQ(ChineseNumber(100000001), "一亿零一");
  EXPECT_EQ(ChineseNumber(100001000), "一亿零一千");
  EXPECT_EQ(ChineseNumber(1010), "一千零一十");
  EXPECT_EQ(ChineseNumber(216), "二百一十六");
  EXPECT_EQ(ChineseNumber(20300), "二万零三百");
}

TEST(MoneyTest, ParsesYuan) {
  EXPECT_EQ(*ParseYuan("12,345.67"), 1234567);
  EXPECT_EQ(*ParseYuan("12345.6元"), 1234560);
  EXPECT_EQ(*ParseYuan("-3"), -300);
  for (const char* bad : {"", "1.234", "abc", "1.", ".5", "12a", "99999999999999"})
    EXPECT_EQ(ParseYuan(bad).error().code, "invalid_amount") << bad;
}

TEST(CitizenIdTest, AcceptsValidNumbersAndDecodesThem) {
  // Check characters computed by hand with the GB 11643 weights.
  const std::string first17 = "62010219850315123";
  char check = CitizenIdCheckChar(first17);
  auto id = ParseCitizenId(first17 + check);
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(id->region, "620102");
  EXPECT_EQ(FormatDate(id->birth_date), "1985-03-15");
  EXPECT_TRUE(id->male);
  // The standard's own example: 11010519491231002X.
  auto x = ParseCitizenId("11010519491231002x");
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(x->number, "11010519491231002X");
  EXPECT_FALSE(x->male);
}

TEST(CitizenIdTest, RefusesWrongCheckDigitsRegionsDatesAndShapes) {
  EXPECT_EQ(ParseCitizenId("110105194912310021").error().code, "invalid_citizen_id");  // wrong check
  EXPECT_FALSE(IsValidCitizenId("11010519491231002"));                                 // 17 digits
  EXPECT_FALSE(IsValidCitizenId("1101051949123100211"));
  EXPECT_FALSE(IsValidCitizenId("11010519491231A02X"));
  std::string bad_region = "99010219850315123";
  EXPECT_FALSE(IsValidCitizenId(bad_region + CitizenIdCheckChar(bad_region)));
  std::string bad_date = "62010219850230123";  // 30 February
  EXPECT_FALSE(IsValidCitizenId(bad_date + CitizenIdCheckChar(bad_date)));
  std::string old = "62010218991231123";
  EXPECT_FALSE(IsValidCitizenId(old + CitizenIdCheckChar(old)));
  std::string future = "62010220300101123";
  EXPECT_TRUE(IsValidCitizenId(future + CitizenIdCheckChar(future)));
  Date today;
  ASSERT_TRUE(ParseDate("2026-11-22", &today));
  EXPECT_FALSE(ParseCitizenId(future + CitizenIdCheckChar(future), today).ok());
  // Every single-digit change of a valid number is caught by the check character.
  std::string valid = "62010219850315123";
  valid += CitizenIdCheckChar(valid);
  for (int i = 6; i < 17; ++i) {
    std::string changed = valid;
    changed[i] = changed[i] == '9' ? '0' : static_cast<char>(changed[i] + 1);
    EXPECT_FALSE(IsValidCitizenId(changed)) << i;
  }
}

TEST(LuhnTest, ValidatesCardNumbers) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  std::string card = "621799000012345678";
  EXPECT_TRUE(LuhnValid(card + LuhnCheckDigit(card)));
  EXPECT_FALSE(LuhnValid("62179900001234567a"));
}

TEST(MaskingTest, MasksEachKindOfPersonalData) {
  EXPECT_EQ(MaskCitizenId("620102198503151234"), "620102********1234");
  EXPECT_EQ(MaskMobile("13812345678"), "138****5678");
  EXPECT_EQ(MaskName("张晓明"), "张*明");
  EXPECT_EQ(MaskName("张明"), "张*");
  EXPECT_EQ(MaskName("欧阳晓明"), "欧**明");
  EXPECT_EQ(MaskName("明"), "*");
  EXPECT_EQ(MaskAccountNumber("201000054321"), "****4321");
  EXPECT_EQ(MaskAccountNumber("6217990000123454321"), "****4321");
}

TEST(MaskingTest, NeverRevealsMoreThanTheRuleOnOddInput) {
  EXPECT_EQ(MaskCitizenId("123"), "***");
  EXPECT_EQ(MaskCitizenId("12345678"), "****5678");
  EXPECT_EQ(MaskMobile("0931-8888888"), "********8888");
  EXPECT_EQ(MaskName(""), "*");
  EXPECT_EQ(MaskName("\xff\xfe"), "*");
  EXPECT_EQ(MaskAccountNumber("1234"), "****");
  EXPECT_EQ(MaskAccountNumber("账号1234"), "****");
}

}  // namespace
}  // namespace hotline
