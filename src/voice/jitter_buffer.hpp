// A small fixed-depth jitter buffer for one call's received audio (issue 13 §Media). RTP packets go in
// as they arrive (in any order); the media clock takes one 20 ms frame out per tick. Playout starts
// once `depth` frames are buffered (default 2 = 40 ms of delay); a frame missing at its turn is a loss
// (the caller conceals it, e.g. with silence); a packet older than the one being played is late and
// dropped; a duplicate is dropped; a jump of more than `capacity` sequence numbers (the peer restarted
// its stream, or a long gap) resynchronises. When the buffer runs dry (the peer stopped sending, e.g. on
// hold) playout stops and re-primes, so a pause is not counted as loss.
// Not thread-safe: one per call, used on the call's strand.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace hotline::voice {

class JitterBuffer {
 public:
  struct Frame {
    uint16_t sequence = 0;
    uint32_t timestamp = 0;
    uint8_t payload_type = 0;
    std::vector<uint8_t> payload;
  };
  struct Stats {
    uint64_t received = 0;
    uint64_t played = 0;
    uint64_t lost = 0;
    uint64_t late = 0;
    uint64_t duplicate = 0;
    uint64_t resyncs = 0;
  };

  // REQUIRES: 1 <= depth <= capacity.
  explicit JitterBuffer(int depth = 2, int capacity = 16);

  void Push(uint16_t sequence, uint32_t timestamp, uint8_t payload_type, std::span<const uint8_t> payload);
  // The frame for this tick: nullopt while priming, after the stream paused, or when the frame is lost
  // (then stats().lost grew).
  std::optional<Frame> Pop();

  int buffered() const { return count_; }
  const Stats& stats() const { return stats_; }

 private:
  void Reset();

  int depth_;
  std::vector<std::optional<Frame>> slots_;
  bool started_ = false;
  bool playing_ = false;
  uint16_t next_ = 0;
  int count_ = 0;
  Stats stats_;
};

}  // namespace hotline::voice
