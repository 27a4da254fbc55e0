// Fuzz target: SDP offers from SIP peers (voice/sdp.hpp) — ParseSdp, then AnswerOffer with both codec
// preferences; an answer produced must itself parse and agree with what was negotiated.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "voice/sdp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hotline::voice;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto offer = ParseSdp(text);
  if (!offer.ok()) return 0;
  for (auto pref :
       {std::vector<G711Law>{G711Law::kAlaw, G711Law::kUlaw}, std::vector<G711Law>{G711Law::kUlaw}}) {
    AnswerParams params;
    params.codec_preference = pref;
    params.local_address = "127.0.0.1";
    params.local_port = 20000;
    auto answer = AnswerOffer(*offer, params);
    if (!answer.ok()) continue;
    auto reparsed = ParseSdp(answer->sdp);
    if (!reparsed.ok()) __builtin_trap();
    bool has_audio = false;
    for (const auto& m : reparsed->media) {
      if (m.type == "audio" && m.port == 20000) {
        has_audio = true;
        if (m.payload_types.empty() || m.payload_types[0] != answer->payload_type) __builtin_trap();
      }
    }
    if (!has_audio) __builtin_trap();
  }
  return 0;
}
