// The RFC 4733 state machine: each key press is one digit, whatever the network does to its packets.
#include "voice/rfc4733.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace hotline::voice {
namespace {

std::array<uint8_t, 4> Payload(uint8_t event, bool end, uint16_t duration) {
  std::array<uint8_t, 4> p{};
  WriteTelephoneEvent(TelephoneEvent{event, end, 10, duration}, p);
  return p;
}

TEST(Rfc4733, PayloadRoundTrips) {
  auto p = Payload(11, true, 800);
  auto e = ParseTelephoneEvent(p);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->event, 11);
  EXPECT_TRUE(e->end);
  EXPECT_EQ(e->volume, 10);
  EXPECT_EQ(e->duration, 800);
  std::array<uint8_t, 3> short_payload{};
  EXPECT_FALSE(ParseTelephoneEvent(short_payload));
}

TEST(Rfc4733, DigitMapping) {
  EXPECT_EQ(EventToDigit(0), '0');
  EXPECT_EQ(EventToDigit(10), '*');
  EXPECT_EQ(EventToDigit(11), '#');
  EXPECT_EQ(EventToDigit(15), 'D');
  EXPECT_EQ(EventToDigit(16), '\0');
  EXPECT_EQ(DigitToEvent('#'), 11);
  EXPECT_FALSE(DigitToEvent('x'));
}

TEST(Rfc4733, RepeatsAndTheThreeEndPacketsGiveOneDigit) {
  Rfc4733Receiver rx;
  std::string digits;
  auto feed = [&](uint32_t ts, uint8_t ev, bool end, uint16_t dur) {
    auto p = Payload(ev, end, dur);
    if (auto d = rx.OnPacket(ts, p)) digits += *d;
  };
  feed(1000, 5, false, 160);
  feed(1000, 5, false, 320);
  feed(1000, 5, false, 320);  // network duplicate
  feed(1000, 5, true, 480);
  feed(1000, 5, true, 480);
  feed(1000, 5, true, 480);
  feed(5000, 5, false, 160);  // the same key pressed again: a new event
  feed(5000, 5, true, 320);
  feed(9000, 11, true, 320);  // only the end packets of '#' arrived: still one digit
  feed(9000, 11, true, 320);
  EXPECT_EQ(digits, "55#");
  EXPECT_GE(rx.duplicates(), 6u);
}

TEST(Rfc4733, ALongEventSegmentIsNotASecondPress) {
  Rfc4733Receiver rx;
  auto a = Payload(1, false, 0xFFFF);
  EXPECT_EQ(rx.OnPacket(0, a), '1');
  auto b = Payload(1, false, 160);
  EXPECT_FALSE(rx.OnPacket(0xFFFF, b));  // continues right after the first segment
  auto c = Payload(1, true, 320);
  EXPECT_FALSE(rx.OnPacket(0xFFFF, c));
}

TEST(Rfc4733, ALateEndPacketOfThePreviousKeyIsNotAPress) {
  Rfc4733Receiver rx;
  auto one = Payload(1, false, 160);
  auto one_end = Payload(1, true, 480);
  auto two = Payload(2, false, 160);
  EXPECT_EQ(rx.OnPacket(1000, one), '1');
  EXPECT_EQ(rx.OnPacket(2000, two), '2');
  EXPECT_FALSE(rx.OnPacket(1000, one_end));  // reordered behind the next key's first packet
  EXPECT_FALSE(rx.OnPacket(2000, two));
}

TEST(Rfc4733, NonDtmfEventsAreIgnored) {
  Rfc4733Receiver rx;
  auto p = Payload(32, false, 160);  // a fax tone event
  EXPECT_FALSE(rx.OnPacket(0, p));
}

TEST(Rfc4733, SenderEmitsMarkerGrowingDurationAndThreeEnds) {
  Rfc4733Sender tx;
  tx.Start('#', 3);
  int packets = 0, ends = 0, markers = 0;
  uint16_t last_duration = 0;
  Rfc4733Receiver rx;
  std::string digits;
  while (auto p = tx.Next()) {
    ++packets;
    ends += p->event.end;
    markers += p->marker;
    EXPECT_GE(p->event.duration, last_duration);
    last_duration = p->event.duration;
    std::array<uint8_t, 4> bytes{};
    WriteTelephoneEvent(p->event, bytes);
    if (auto d = rx.OnPacket(p->timestamp_offset + 42, bytes)) digits += *d;
  }
  EXPECT_EQ(packets, 5);
  EXPECT_EQ(ends, 3);
  EXPECT_EQ(markers, 1);
  EXPECT_EQ(last_duration, 480);
  EXPECT_EQ(digits, "#");
  EXPECT_FALSE(tx.active());
}

}  // namespace
}  // namespace hotline::voice
