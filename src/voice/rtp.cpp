#include "voice/rtp.hpp"

#include <cassert>

namespace hotline::voice {
namespace {

uint16_t Be16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
uint32_t Be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

bool IsRtcp(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8) return false;
  if ((bytes[0] >> 6) != 2) return false;
  return bytes[1] >= 200 && bytes[1] <= 204;
}

std::optional<RtpPacketView> ParseRtp(std::span<const uint8_t> bytes) {
  if (bytes.size() < kRtpHeaderSize) return std::nullopt;
  const uint8_t* p = bytes.data();
  if ((p[0] >> 6) != 2) return std::nullopt;
  if (IsRtcp(bytes)) return std::nullopt;
  const bool padding = (p[0] & 0x20) != 0;
  const bool extension = (p[0] & 0x10) != 0;
  const size_t csrc_count = p[0] & 0x0F;
  RtpPacketView view;
  view.header.marker = (p[1] & 0x80) != 0;
  view.header.payload_type = p[1] & 0x7F;
  view.header.sequence = Be16(p + 2);
  view.header.timestamp = Be32(p + 4);
  view.header.ssrc = Be32(p + 8);
  size_t offset = kRtpHeaderSize + 4 * csrc_count;
  if (offset > bytes.size()) return std::nullopt;
  if (extension) {
    if (offset + 4 > bytes.size()) return std::nullopt;
    const size_t words = Be16(p + offset + 2);
    offset += 4 + 4 * words;
    if (offset > bytes.size()) return std::nullopt;
  }
  size_t end = bytes.size();
  if (padding) {
    if (end == offset) return std::nullopt;
    const size_t pad = p[end - 1];
    if (pad == 0 || pad > end - offset) return std::nullopt;
    end -= pad;
  }
  view.payload = bytes.subspan(offset, end - offset);
  return view;
}

size_t WriteRtpHeader(const RtpHeader& header, std::span<uint8_t> out) {
  assert(out.size() >= kRtpHeaderSize);
  assert(header.payload_type < 128);
  uint8_t* p = out.data();
  p[0] = 0x80;
  p[1] = static_cast<uint8_t>((header.marker ? 0x80 : 0) | header.payload_type);
  p[2] = static_cast<uint8_t>(header.sequence >> 8);
  p[3] = static_cast<uint8_t>(header.sequence);
  for (int i = 0; i < 4; ++i) p[4 + i] = static_cast<uint8_t>(header.timestamp >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i) p[8 + i] = static_cast<uint8_t>(header.ssrc >> (24 - 8 * i));
  return kRtpHeaderSize;
}

}  // namespace hotline::voice
