// RTP header parsing and writing (RFC 3550), the media engine's untrusted input.
#include "voice/rtp.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace hotline::voice {
namespace {

TEST(Rtp, WrittenHeaderParsesBack) {
  std::vector<uint8_t> packet(12 + 160, 0xD5);
  RtpHeader h{8, true, 65535, 0xDEADBEEF, 0x01020304};
  EXPECT_EQ(WriteRtpHeader(h, packet), 12u);
  auto view = ParseRtp(packet);
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->header.payload_type, 8);
  EXPECT_TRUE(view->header.marker);
  EXPECT_EQ(view->header.sequence, 65535);
  EXPECT_EQ(view->header.timestamp, 0xDEADBEEFu);
  EXPECT_EQ(view->header.ssrc, 0x01020304u);
  EXPECT_EQ(view->payload.size(), 160u);
}

TEST(Rtp, CsrcExtensionAndPaddingAreSkipped) {
  std::vector<uint8_t> p = {0xB1, 0x00, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,  // V=2 P X CC=1
                            0,    0,    0, 9,                          // CSRC
                            0xBE, 0xDE, 0, 1, 1, 2, 3, 4,              // extension, one word
                            0xAA, 0xBB, 0, 2};                         // payload AA BB, 2 bytes padding
  auto view = ParseRtp(p);
  ASSERT_TRUE(view.has_value());
  ASSERT_EQ(view->payload.size(), 2u);
  EXPECT_EQ(view->payload[0], 0xAA);
}

TEST(Rtp, MalformedPacketsAreRejected) {
  std::vector<uint8_t> short_packet(11, 0x80);
  EXPECT_FALSE(ParseRtp(short_packet));
  std::vector<uint8_t> v1(12, 0x40);
  EXPECT_FALSE(ParseRtp(v1));
  std::vector<uint8_t> csrc_overrun(12, 0);
  csrc_overrun[0] = 0x8F;
  EXPECT_FALSE(ParseRtp(csrc_overrun));
  std::vector<uint8_t> bad_padding(13, 0);
  bad_padding[0] = 0xA0;
  bad_padding[12] = 5;
  EXPECT_FALSE(ParseRtp(bad_padding));
}

TEST(Rtp, RtcpIsToldApart) {
  std::vector<uint8_t> sr = {0x80, 200, 0, 6, 0, 0, 0, 1, 0, 0, 0, 0};
  EXPECT_TRUE(IsRtcp(sr));
  EXPECT_FALSE(ParseRtp(sr));
}

TEST(Rtp, SequenceDeltaWraps) {
  EXPECT_EQ(SequenceDelta(65535, 0), 1);
  EXPECT_EQ(SequenceDelta(0, 65535), -1);
  EXPECT_EQ(SequenceDelta(100, 90), -10);
}

}  // namespace
}  // namespace hotline::voice
