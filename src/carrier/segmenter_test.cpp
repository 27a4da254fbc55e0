// The part arithmetic the SMS service bills by (R-SMS-6): 70 units in one part, 67 per concatenated part.
#include "carrier/segmenter.hpp"

#include <gtest/gtest.h>

namespace hotline::carrier {
namespace {

std::string Repeat(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(Segmenter, SeventyChineseCharactersAreOnePartSeventyOneAreTwo) {
  EXPECT_EQ(PartCount(Repeat("公", 70)), 1);
  EXPECT_EQ(PartCount(Repeat("公", 71)), 2);
  EXPECT_EQ(PartCount(Repeat("公", 134)), 2);
  EXPECT_EQ(PartCount(Repeat("公", 135)), 3);
  EXPECT_EQ(PartCount(""), 1);
}

TEST(Segmenter, TheSignatureCountsTowardTheLength) {
  const std::string signature = "【甘肃公积金】";  // 7 characters
  EXPECT_EQ(PartCount(signature + Repeat("额", 63)), 1);
  EXPECT_EQ(PartCount(signature + Repeat("额", 64)), 2);
}

TEST(Segmenter, PartsReassembleToTheText) {
  const std::string text = "【甘肃公积金】" + Repeat("您的账户余额已更新，", 20) + "回复TD退订";
  std::u16string joined;
  for (const auto& p : SplitIntoParts(ToUtf16(text))) {
    EXPECT_LE(p.size(), 67u);
    joined += p;
  }
  EXPECT_EQ(FromUtf16(joined), text);
}

TEST(Segmenter, ASurrogatePairIsNeverSplit) {
  // 66 units, then a character outside the BMP (two units): it must start the second part.
  const std::string text = Repeat("a", 66) + "\xF0\x9F\x98\x80" + Repeat("b", 10);
  const auto parts = SplitIntoParts(ToUtf16(text));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].size(), 66u);
  EXPECT_EQ(FromUtf16(parts[1]).substr(0, 4), "\xF0\x9F\x98\x80");
}

TEST(Segmenter, Ucs2BytesAreBigEndianAndRoundTrip) {
  const std::u16string text = ToUtf16("公积金12329");
  const std::string bytes = ToUcs2Bytes(text);
  ASSERT_EQ(bytes.size(), text.size() * 2);
  EXPECT_EQ(static_cast<unsigned char>(bytes[0]), 0x51);  // 公 = U+516C
  EXPECT_EQ(static_cast<unsigned char>(bytes[1]), 0x6C);
  EXPECT_EQ(FromUcs2Bytes(bytes), text);
  EXPECT_EQ(FromUtf16(FromUcs2Bytes(bytes + "x")), "公积金12329");  // odd byte ignored
}

TEST(Segmenter, UnpairedSurrogateBecomesReplacementCharacter) {
  EXPECT_EQ(FromUtf16(std::u16string(1, char16_t{0xD800})), "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace hotline::carrier
