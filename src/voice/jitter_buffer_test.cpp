// The receive jitter buffer: reordering, loss, duplicates, late packets, pauses and restarts.
#include "voice/jitter_buffer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace hotline::voice {
namespace {

void Push(JitterBuffer& jb, uint16_t seq) {
  std::array<uint8_t, 1> payload{static_cast<uint8_t>(seq)};
  jb.Push(seq, seq * 160u, 8, payload);
}

std::vector<int> Drain(JitterBuffer& jb, int ticks) {
  std::vector<int> out;
  for (int i = 0; i < ticks; ++i) {
    auto f = jb.Pop();
    out.push_back(f ? f->sequence : -1);
  }
  return out;
}

TEST(JitterBuffer, WaitsForDepthThenPlaysInOrder) {
  JitterBuffer jb(2, 8);
  Push(jb, 10);
  EXPECT_FALSE(jb.Pop());  // priming
  Push(jb, 12);
  Push(jb, 11);  // reordered
  EXPECT_EQ(Drain(jb, 3), (std::vector<int>{10, 11, 12}));
  EXPECT_EQ(jb.stats().lost, 0u);
}

TEST(JitterBuffer, AGapIsALossAndALatePacketIsDropped) {
  JitterBuffer jb(1, 8);
  Push(jb, 1);
  Push(jb, 3);
  EXPECT_EQ(Drain(jb, 3), (std::vector<int>{1, -1, 3}));
  EXPECT_EQ(jb.stats().lost, 1u);
  Push(jb, 4);
  Push(jb, 2);  // arrives after its turn
  EXPECT_EQ(jb.stats().late, 1u);
  Push(jb, 4);
  EXPECT_EQ(jb.stats().duplicate, 1u);
}

TEST(JitterBuffer, SequenceWrapIsSeamless) {
  JitterBuffer jb(1, 8);
  Push(jb, 65534);
  Push(jb, 65535);
  Push(jb, 0);
  Push(jb, 1);
  EXPECT_EQ(Drain(jb, 4), (std::vector<int>{65534, 65535, 0, 1}));
}

TEST(JitterBuffer, APauseIsNotLossAndAJumpResynchronises) {
  JitterBuffer jb(1, 8);
  Push(jb, 5);
  EXPECT_EQ(Drain(jb, 1), (std::vector<int>{5}));
  EXPECT_EQ(Drain(jb, 10), std::vector<int>(10, -1));  // the peer is on hold: nothing to play
  EXPECT_EQ(jb.stats().lost, 0u);
  Push(jb, 6);
  EXPECT_EQ(Drain(jb, 1), (std::vector<int>{6}));
  Push(jb, 30000);  // the peer restarted its stream
  EXPECT_EQ(Drain(jb, 1), (std::vector<int>{30000}));
  EXPECT_EQ(jb.stats().resyncs, 1u);
}

}  // namespace
}  // namespace hotline::voice
