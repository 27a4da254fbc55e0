// SDP offer/answer: codec choice by preference, telephone-event, hold directions, 488 cases.
#include "voice/sdp.hpp"

#include <gtest/gtest.h>

namespace hotline::voice {
namespace {

constexpr std::string_view kOffer =
    "v=0\r\n"
    "o=- 1 1 IN IP4 192.0.2.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=audio 40000 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n";

AnswerParams Params() {
  AnswerParams p;
  p.local_address = "198.51.100.1";
  p.local_port = 30000;
  p.session_id = 7;
  p.session_version = 1;
  return p;
}

TEST(Sdp, AnswersWithThePreferredCodecAndTelephoneEvent) {
  auto offer = ParseSdp(kOffer);
  ASSERT_TRUE(offer.ok()) << offer.error().message;
  auto answer = AnswerOffer(*offer, Params());
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->law, G711Law::kAlaw);  // our preference wins over the offer's order
  EXPECT_EQ(answer->payload_type, 8);
  EXPECT_EQ(answer->telephone_event_pt, 101);
  EXPECT_EQ(answer->remote_address, "192.0.2.10");
  EXPECT_EQ(answer->remote_port, 40000);
  EXPECT_NE(answer->sdp.find("m=audio 30000 RTP/AVP 8 101\r\n"), std::string::npos) << answer->sdp;
  EXPECT_NE(answer->sdp.find("a=ptime:20"), std::string::npos);
  EXPECT_NE(answer->sdp.find("c=IN IP4 198.51.100.1"), std::string::npos);
  // The answer is itself valid SDP.
  EXPECT_TRUE(ParseSdp(answer->sdp).ok());

  AnswerParams ulaw_first = Params();
  ulaw_first.codec_preference = {G711Law::kUlaw, G711Law::kAlaw};
  EXPECT_EQ(AnswerOffer(*offer, ulaw_first)->payload_type, 0);
}

TEST(Sdp, HoldDirectionsAreMirrored) {
  std::string hold(kOffer);
  hold += "a=sendonly\r\n";
  auto answer = AnswerOffer(*ParseSdp(hold), Params());
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer->local_direction, MediaDirection::kRecvOnly);
  EXPECT_NE(answer->sdp.find("a=recvonly"), std::string::npos);
  std::string inactive(kOffer);
  inactive += "a=inactive\r\n";
  EXPECT_EQ(AnswerOffer(*ParseSdp(inactive), Params())->local_direction, MediaDirection::kInactive);
}

TEST(Sdp, NoCommonCodecIsTheErrorThatBecomes488) {
  auto offer = ParseSdp(
      "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
      "m=audio 40000 RTP/AVP 9 18\r\na=rtpmap:9 G722/8000\r\na=rtpmap:18 G729/8000\r\n");
  ASSERT_TRUE(offer.ok());
  auto answer = AnswerOffer(*offer, Params());
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, "no_common_codec");
  // PCMA at 16 kHz is not G.711 narrowband either.
  auto wide = ParseSdp(
      "v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
      "m=audio 4000 RTP/AVP 96\r\na=rtpmap:96 PCMA/16000\r\n");
  EXPECT_EQ(AnswerOffer(*wide, Params()).error().code, "no_common_codec");
}

TEST(Sdp, OtherStreamsAreRefusedWithPortZero) {
  std::string offer(kOffer);
  offer += "m=video 40002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
  auto answer = AnswerOffer(*ParseSdp(offer), Params());
  ASSERT_TRUE(answer.ok());
  EXPECT_NE(answer->sdp.find("m=video 0 RTP/AVP 96"), std::string::npos);
}

TEST(Sdp, MalformedOffersAreErrors) {
  EXPECT_EQ(ParseSdp("garbage").error().code, "sdp_malformed");
  EXPECT_EQ(ParseSdp("o=- 1 1 IN IP4 h\r\n").error().code, "sdp_malformed");  // no v=
  EXPECT_EQ(ParseSdp("v=0\r\nm=audio 99999 RTP/AVP 0\r\n").error().code, "sdp_malformed");
  EXPECT_EQ(ParseSdp("v=0\r\nm=audio 4000 RTP/AVP 300\r\n").error().code, "sdp_malformed");
  EXPECT_EQ(ParseSdp(std::string(kMaxSdpBytes + 1, 'a')).error().code, "sdp_too_large");
  auto no_c = ParseSdp("v=0\r\nm=audio 4000 RTP/AVP 8\r\n");
  ASSERT_TRUE(no_c.ok());
  EXPECT_EQ(AnswerOffer(*no_c, Params()).error().code, "sdp_malformed");
}

}  // namespace
}  // namespace hotline::voice
