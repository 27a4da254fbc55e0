// G.711 against the ITU-T reference behaviour (issue 13 §Media).
#include "voice/g711.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

namespace hotline::voice {
namespace {

TEST(G711, SilenceEncodesToTheStandardCodes) {
  EXPECT_EQ(LinearToAlaw(0), kAlawSilence);
  EXPECT_EQ(LinearToUlaw(0), kUlawSilence);
  EXPECT_EQ(UlawToLinear(kUlawSilence), 0);
  EXPECT_EQ(AlawToLinear(kAlawSilence), 8);  // A-law has no zero: the smallest positive step
}

TEST(G711, EveryCodeSurvivesDecodeThenEncode) {
  for (int c = 0; c < 256; ++c) {
    auto code = static_cast<uint8_t>(c);
    EXPECT_EQ(LinearToAlaw(AlawToLinear(code)), code) << c;
    if (code != 0x7F) {  // 0x7F is "-0"
      EXPECT_EQ(LinearToUlaw(UlawToLinear(code)), code) << c;
    }
  }
}

TEST(G711, QuantisationErrorStaysWithinTheSegmentStep) {
  for (int s = -32768; s <= 32767; s += 7) {
    auto x = static_cast<int16_t>(s);
    const int a = AlawToLinear(LinearToAlaw(x));
    const int u = UlawToLinear(LinearToUlaw(x));
    // The step doubles per segment; the error is at most half the largest step (1024 for A-law's top
    // segment, 1024 for µ-law's), plus µ-law clips at ±32124.
    EXPECT_LE(std::abs(a - s), 1024) << s;
    if (std::abs(s) < 32124) {
      EXPECT_LE(std::abs(u - s), 1024) << s;
    }
    // Sign is kept.
    if (s > 64) {
      EXPECT_GT(a, 0);
    }
    if (s < -64) {
      EXPECT_LT(u, 0);
    }
  }
}

TEST(G711, FramesMatchTheSampleFunctions) {
  std::vector<int16_t> pcm(160);
  for (size_t i = 0; i < pcm.size(); ++i) pcm[i] = static_cast<int16_t>((i * 997) % 60000 - 30000);
  std::vector<uint8_t> a(160), u(160);
  Encode(G711Law::kAlaw, pcm, a);
  Encode(G711Law::kUlaw, pcm, u);
  std::vector<int16_t> back(160);
  Decode(G711Law::kAlaw, a, back);
  for (size_t i = 0; i < pcm.size(); ++i) {
    EXPECT_EQ(a[i], LinearToAlaw(pcm[i]));
    EXPECT_EQ(u[i], LinearToUlaw(pcm[i]));
    EXPECT_EQ(back[i], AlawToLinear(a[i]));
  }
  EXPECT_EQ(PayloadTypeOf(G711Law::kAlaw), 8);
  EXPECT_EQ(PayloadTypeOf(G711Law::kUlaw), 0);
}

}  // namespace
}  // namespace hotline::voice
