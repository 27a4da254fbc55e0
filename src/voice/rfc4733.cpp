#include "voice/rfc4733.hpp"

#include <cassert>

namespace hotline::voice {
namespace {
constexpr char kDigits[] = "0123456789*#ABCD";
constexpr uint32_t kTimestampsPerTick = 160;  // 20 ms at 8 kHz
}  // namespace

std::optional<TelephoneEvent> ParseTelephoneEvent(std::span<const uint8_t> payload) {
  if (payload.size() < kTelephoneEventSize) return std::nullopt;
  TelephoneEvent e;
  e.event = payload[0];
  e.end = (payload[1] & 0x80) != 0;
  e.volume = payload[1] & 0x3F;
  e.duration = static_cast<uint16_t>((payload[2] << 8) | payload[3]);
  return e;
}

size_t WriteTelephoneEvent(const TelephoneEvent& event, std::span<uint8_t> out) {
  assert(out.size() >= kTelephoneEventSize);
  out[0] = event.event;
  out[1] = static_cast<uint8_t>((event.end ? 0x80 : 0) | (event.volume & 0x3F));
  out[2] = static_cast<uint8_t>(event.duration >> 8);
  out[3] = static_cast<uint8_t>(event.duration);
  return kTelephoneEventSize;
}

char EventToDigit(uint8_t event) { return event < 16 ? kDigits[event] : '\0'; }

std::optional<uint8_t> DigitToEvent(char digit) {
  for (uint8_t i = 0; i < 16; ++i) {
    if (kDigits[i] == digit) return i;
  }
  if (digit >= 'a' && digit <= 'd') return static_cast<uint8_t>(12 + (digit - 'a'));
  return std::nullopt;
}

std::optional<char> Rfc4733Receiver::OnPacket(uint32_t rtp_timestamp, std::span<const uint8_t> payload) {
  auto e = ParseTelephoneEvent(payload);
  if (!e) return std::nullopt;
  if (have_last_ && rtp_timestamp == last_timestamp_) {
    // The same event again: a repeat, an update of its duration, or one of the three end packets.
    ++duplicates_;
    if (e->duration > last_duration_) last_duration_ = e->duration;
    last_ended_ = last_ended_ || e->end;
    return std::nullopt;
  }
  if (have_last_ && static_cast<int32_t>(rtp_timestamp - last_timestamp_) < 0) {
    // Older than the current event: a reordered or late packet of an event already handled (reporting
    // it would turn the previous key's late end packet into a second key press).
    ++duplicates_;
    return std::nullopt;
  }
  // A long event (over 0xFFFF units) continues with a new timestamp right after the previous segment
  // and without an end packet in between (§2.5.1.3): the same key, not a second press.
  const bool continuation = have_last_ && !last_ended_ && e->event == last_event_ &&
                            rtp_timestamp - last_timestamp_ <= uint32_t{last_duration_} + kTimestampsPerTick;
  have_last_ = true;
  last_timestamp_ = rtp_timestamp;
  last_event_ = e->event;
  last_duration_ = e->duration;
  last_ended_ = e->end;
  if (continuation) {
    ++duplicates_;
    return std::nullopt;
  }
  char digit = EventToDigit(e->event);
  if (digit == '\0') return std::nullopt;
  return digit;
}

void Rfc4733Sender::Start(char digit, int duration_ticks, uint8_t volume) {
  auto event = DigitToEvent(digit);
  assert(event.has_value());
  event_ = event.value_or(0);
  volume_ = volume;
  duration_ticks_ = duration_ticks < 1 ? 1 : duration_ticks;
  tick_ = 0;
  remaining_end_ = 3;
}

std::optional<Rfc4733Sender::Packet> Rfc4733Sender::Next() {
  if (!active()) return std::nullopt;
  Packet p;
  p.timestamp_offset = 0;
  p.event.event = event_;
  p.event.volume = volume_;
  if (tick_ < duration_ticks_) {
    p.marker = tick_ == 0;
    ++tick_;
    p.event.duration = static_cast<uint16_t>(tick_ * kTimestampsPerTick);
    p.event.end = tick_ == duration_ticks_;
    if (p.event.end) --remaining_end_;
    return p;
  }
  p.event.duration = static_cast<uint16_t>(duration_ticks_ * kTimestampsPerTick);
  p.event.end = true;
  --remaining_end_;
  return p;
}

}  // namespace hotline::voice
