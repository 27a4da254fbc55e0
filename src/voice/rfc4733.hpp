// RFC 4733 telephone-events (DTMF over RTP): the 4-byte payload, the receiver's state machine that turns
// a stream of event packets into digits, and the sender that turns a digit into the packet sequence.
// A sender repeats packets for one event (same RTP timestamp, growing duration) and sends the end
// packet three times (RFC 4733 §2.5.1.4); the receiver reports each event exactly once, on its first
// packet, however many of them arrive, are lost or are duplicated (issue 13 §Media, R-IVR-2: a digit
// counted twice would be a wrong password digit). Payload bytes are untrusted (fuzz/rfc4733_fuzz.cpp).
// Rfc4733Receiver and Rfc4733Sender are not thread-safe: one per call, used on the call's strand.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace hotline::voice {

inline constexpr size_t kTelephoneEventSize = 4;

struct TelephoneEvent {
  uint8_t event = 0;      // 0-9, 10 '*', 11 '#', 12-15 A-D, others not DTMF (RFC 4733 §3.2)
  bool end = false;       // E bit
  uint8_t volume = 0;     // 0..63, -dBm0
  uint16_t duration = 0;  // in RTP timestamp units (8 kHz: 160 per 20 ms)
};

// nullopt when shorter than 4 bytes. Extra bytes (several events in one packet via redundancy) are
// ignored: only the first event block is read.
std::optional<TelephoneEvent> ParseTelephoneEvent(std::span<const uint8_t> payload);
// REQUIRES: out.size() >= 4. Returns 4.
size_t WriteTelephoneEvent(const TelephoneEvent& event, std::span<uint8_t> out);

// '0'..'9', '*', '#', 'A'..'D' for events 0..15; '\0' for anything else.
char EventToDigit(uint8_t event);
// The inverse; nullopt for a character that is not a DTMF key.
std::optional<uint8_t> DigitToEvent(char digit);

class Rfc4733Receiver {
 public:
  // One packet of the negotiated telephone-event payload type. Returns the digit when this packet
  // starts a new event (a new RTP timestamp that is not the continuation of a long event, RFC 4733
  // §2.5.1.3), nullopt for repeats, packets older than the current event (reordered), end packets of an event
  // already reported, and non-DTMF events.
  std::optional<char> OnPacket(uint32_t rtp_timestamp, std::span<const uint8_t> payload);

  uint64_t duplicates() const { return duplicates_; }

 private:
  bool have_last_ = false;
  uint32_t last_timestamp_ = 0;
  uint8_t last_event_ = 0;
  uint16_t last_duration_ = 0;
  bool last_ended_ = false;
  uint64_t duplicates_ = 0;
};

// Emits the packets of one digit, one per media tick (20 ms = 160 timestamp units).
class Rfc4733Sender {
 public:
  struct Packet {
    TelephoneEvent event;
    bool marker = false;        // set on the first packet of the event
    uint32_t timestamp_offset;  // RTP timestamp of the event relative to the first packet's = 0
  };

  // Starts a digit lasting `duration_ticks` ticks (at least 1). REQUIRES: DigitToEvent(digit).
  void Start(char digit, int duration_ticks = 5, uint8_t volume = 10);
  bool active() const { return remaining_end_ > 0 || tick_ < duration_ticks_; }
  // The next packet to send on this tick, or nullopt when the digit is over.
  std::optional<Packet> Next();

 private:
  uint8_t event_ = 0;
  uint8_t volume_ = 10;
  int duration_ticks_ = 0;
  int tick_ = 0;
  int remaining_end_ = 0;
};

}  // namespace hotline::voice
