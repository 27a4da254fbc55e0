// SDP offer/answer for the 12329 line (RFC 3264, RFC 4566 subset; issue 13 §Signalling): the offer of a
// trunk or phone is parsed, the first audio stream is answered with one G.711 codec (PCMA or PCMU at
// 8 kHz, in the trunk's preference order) plus RFC 4733 telephone-event when offered, ptime 20, and the
// direction mirrored (sendonly → recvonly for hold, inactive → inactive). Other streams (video) are
// refused with port 0 as RFC 3264 §6 requires. No common audio codec is the `no_common_codec` error,
// which the SIP layer answers with 488. Offers are untrusted bytes (fuzz/sdp_fuzz.cpp): a size limit,
// a line limit, and every number range-checked. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "voice/g711.hpp"

namespace hotline::voice {

inline constexpr size_t kMaxSdpBytes = 16 * 1024;
inline constexpr int kMaxSdpLines = 256;

enum class MediaDirection { kSendRecv, kSendOnly, kRecvOnly, kInactive };
std::string_view MediaDirectionName(MediaDirection d);

struct SdpFormat {
  int payload_type = 0;
  std::string encoding;  // upper-case, e.g. "PCMA", "TELEPHONE-EVENT"; empty when no rtpmap (static)
  int clock_rate = 0;    // 0 when no rtpmap
};

struct SdpMedia {
  std::string type;                // "audio", "video", …
  uint16_t port = 0;               // 0: the stream is disabled
  std::string protocol;            // "RTP/AVP", …
  std::vector<int> payload_types;  // in the offerer's preference order
  std::vector<SdpFormat> formats;  // one per payload type, rtpmap applied
  std::string connection_address;  // media-level c=, else the session's
  MediaDirection direction = MediaDirection::kSendRecv;
  int ptime = 0;  // 0 when absent
};

struct SessionDescription {
  std::string origin_address;
  std::string connection_address;  // session-level c=
  std::vector<SdpMedia> media;
};

// Parses an offer. Errors: `sdp_too_large`, `sdp_malformed` (with the reason in the message).
Result<SessionDescription> ParseSdp(std::string_view text);

// What was agreed for the audio stream.
struct AudioAnswer {
  G711Law law = G711Law::kAlaw;
  int payload_type = 8;
  int telephone_event_pt = -1;  // -1: the peer offered no telephone-event at 8 kHz (INFO/in-band only)
  std::string remote_address;
  uint16_t remote_port = 0;
  MediaDirection local_direction = MediaDirection::kSendRecv;  // what we answer
  std::string sdp;                                             // the answer's text
};

struct AnswerParams {
  std::vector<G711Law> codec_preference = {G711Law::kAlaw, G711Law::kUlaw};
  std::string local_address;  // the address our RTP socket is reachable at (IPv4 or IPv6 literal)
  uint16_t local_port = 0;
  uint64_t session_id = 0;
  uint64_t session_version = 0;  // incremented by the caller for every new answer in the dialog
};

// Answers the first audio stream of `offer`. Errors: `no_common_codec` (no PCMA/PCMU at 8 kHz in the
// offer, or no audio stream with a port), `sdp_malformed` (no connection address for the stream).
Result<AudioAnswer> AnswerOffer(const SessionDescription& offer, const AnswerParams& params);

}  // namespace hotline::voice
