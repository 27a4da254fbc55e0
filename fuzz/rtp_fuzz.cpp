// Fuzz target: RTP packets from the network (voice/rtp.hpp) — ParseRtp and IsRtcp; a parsed payload
// lies inside the packet, and a rewritten header parses back to the same fields.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "voice/jitter_buffer.hpp"
#include "voice/rtp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hotline::voice;
  std::span<const uint8_t> bytes(data, size);
  (void)IsRtcp(bytes);
  auto view = ParseRtp(bytes);
  if (!view) return 0;
  if (view->payload.data() < data || view->payload.data() + view->payload.size() > data + size)
    __builtin_trap();
  std::vector<uint8_t> out(kRtpHeaderSize);
  WriteRtpHeader(view->header, out);
  auto again = ParseRtp(out);
  if (!again || again->header.sequence != view->header.sequence || again->header.ssrc != view->header.ssrc ||
      again->header.timestamp != view->header.timestamp ||
      again->header.payload_type != view->header.payload_type)
    __builtin_trap();
  // The jitter buffer takes whatever sequence numbers arrive without breaking its count.
  JitterBuffer jb(2, 8);
  for (size_t i = 0; i + 2 <= view->payload.size(); i += 2) {
    jb.Push(static_cast<uint16_t>(view->payload[i] << 8 | view->payload[i + 1]), 0, 8, view->payload);
    if (view->payload[i] & 1) (void)jb.Pop();
    if (jb.buffered() < 0 || jb.buffered() > 8) __builtin_trap();
  }
  return 0;
}
