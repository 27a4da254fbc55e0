#include "voice/jitter_buffer.hpp"

#include <cassert>

#include "voice/rtp.hpp"

namespace hotline::voice {

JitterBuffer::JitterBuffer(int depth, int capacity) : depth_(depth), slots_(capacity) {
  assert(depth >= 1 && depth <= capacity);
}

void JitterBuffer::Reset() {
  for (auto& s : slots_) s.reset();
  count_ = 0;
  playing_ = false;
}

void JitterBuffer::Push(uint16_t sequence, uint32_t timestamp, uint8_t payload_type,
                        std::span<const uint8_t> payload) {
  ++stats_.received;
  const int capacity = static_cast<int>(slots_.size());
  if (!started_) {
    started_ = true;
    next_ = sequence;
  }
  int delta = SequenceDelta(next_, sequence);
  if (delta < 0) {
    if (count_ == 0 && !playing_ && -delta > capacity) {
      // Nothing buffered and far behind: the peer restarted its sequence. Follow it.
      ++stats_.resyncs;
      next_ = sequence;
      delta = 0;
    } else if (count_ == 0 && !playing_) {
      // Before playout began, an earlier packet simply moves the start back.
      next_ = sequence;
      delta = 0;
    } else {
      ++stats_.late;
      return;
    }
  }
  if (delta >= capacity) {
    ++stats_.resyncs;
    Reset();
    next_ = sequence;
    delta = 0;
  }
  auto& slot = slots_[sequence % capacity];
  if (slot.has_value()) {
    ++stats_.duplicate;
    return;
  }
  slot = Frame{sequence, timestamp, payload_type, std::vector<uint8_t>(payload.begin(), payload.end())};
  ++count_;
}

std::optional<JitterBuffer::Frame> JitterBuffer::Pop() {
  if (!playing_) {
    if (count_ < depth_) return std::nullopt;
    playing_ = true;
  }
  if (count_ == 0) {
    playing_ = false;  // the stream paused: re-prime rather than count the pause as loss
    return std::nullopt;
  }
  const int capacity = static_cast<int>(slots_.size());
  auto& slot = slots_[next_ % capacity];
  ++next_;
  if (!slot.has_value() || slot->sequence != static_cast<uint16_t>(next_ - 1)) {
    if (slot.has_value()) {  // cannot happen inside the window; keep the count true regardless
      slot.reset();
      --count_;
    }
    ++stats_.lost;
    return std::nullopt;
  }
  std::optional<Frame> out = std::move(slot);
  slot.reset();
  --count_;
  ++stats_.played;
  return out;
}

}  // namespace hotline::voice
