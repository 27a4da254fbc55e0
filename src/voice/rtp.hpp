// RTP (RFC 3550) packet headers: parsing what arrives from the network (untrusted: every length is
// checked, fuzz/rtp_fuzz.cpp) and writing the fixed 12-byte header of what the media engine sends.
// Also tells RTCP from RTP on a shared port (RFC 5761 §4: payload types 72–76 with the marker bit are
// RTCP packet types 200–204). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace hotline::voice {

inline constexpr size_t kRtpHeaderSize = 12;

struct RtpHeader {
  uint8_t payload_type = 0;  // 0..127
  bool marker = false;
  uint16_t sequence = 0;
  uint32_t timestamp = 0;
  uint32_t ssrc = 0;
};

// A parsed packet: the header and the payload (CSRCs, the header extension and padding removed). The
// payload points into the buffer given to ParseRtp.
struct RtpPacketView {
  RtpHeader header;
  std::span<const uint8_t> payload;
};

// nullopt when the bytes are not a well-formed RTP version 2 packet: shorter than the header, a CSRC
// list or extension beyond the end, padding longer than the payload, or an RTCP packet type.
std::optional<RtpPacketView> ParseRtp(std::span<const uint8_t> bytes);

// True when the packet is RTCP (version 2, packet type 200..204), for RTP/RTCP on one port.
bool IsRtcp(std::span<const uint8_t> bytes);

// Writes the 12-byte header (version 2, no padding, no extension, no CSRC).
// REQUIRES: out.size() >= kRtpHeaderSize, header.payload_type < 128. Returns kRtpHeaderSize.
size_t WriteRtpHeader(const RtpHeader& header, std::span<uint8_t> out);

// The signed distance from `from` to `to` in 16-bit sequence space (RFC 3550 A.1 wrap handling).
constexpr int SequenceDelta(uint16_t from, uint16_t to) { return static_cast<int16_t>(to - from); }

}  // namespace hotline::voice
