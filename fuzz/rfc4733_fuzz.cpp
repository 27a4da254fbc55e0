// Fuzz target: RFC 4733 telephone-event payloads (voice/rfc4733.hpp) — the input is cut into
// (timestamp, payload) packets and fed to one Rfc4733Receiver; it must never report more digits than
// distinct timestamps it saw, and every digit is a DTMF key.
#include <cstddef>
#include <cstdint>
#include <set>
#include <span>

#include "voice/rfc4733.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hotline::voice;
  Rfc4733Receiver rx;
  std::set<uint32_t> timestamps;
  size_t digits = 0;
  for (size_t i = 0; i + 6 <= size; i += 6) {
    const uint32_t ts = static_cast<uint32_t>(data[i] << 8 | data[i + 1]) * 160u;
    timestamps.insert(ts);
    std::span<const uint8_t> payload(data + i + 2, 4);
    if (auto d = rx.OnPacket(ts, payload)) {
      ++digits;
      if (!DigitToEvent(*d)) __builtin_trap();
    }
  }
  if (digits > timestamps.size()) __builtin_trap();
  (void)ParseTelephoneEvent(std::span<const uint8_t>(data, size));
  return 0;
}
