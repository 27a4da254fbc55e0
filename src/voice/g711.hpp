// G.711 A-law (PCMA, payload type 8) and µ-law (PCMU, payload type 0) at 8 kHz, the two codecs every
// trunk and phone in China offers (issue 13 §Media). Audio inside the voice module is 8 kHz mono linear
// PCM (int16_t); these functions convert at the RTP boundary. Encoding uses a 64 Ki-entry table per law
// and decoding a 256-entry table, built once on first use (thread-safe: function-local statics).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>

namespace hotline::voice {

enum class G711Law { kAlaw, kUlaw };

// The static RTP payload type of the law (RFC 3551): PCMU 0, PCMA 8.
constexpr int PayloadTypeOf(G711Law law) { return law == G711Law::kUlaw ? 0 : 8; }

// One sample. These follow ITU-T G.711 exactly (the reference implementation's segment search).
uint8_t LinearToAlaw(int16_t sample);
int16_t AlawToLinear(uint8_t code);
uint8_t LinearToUlaw(int16_t sample);
int16_t UlawToLinear(uint8_t code);

// A frame. REQUIRES: out.size() >= in.size().
void Encode(G711Law law, std::span<const int16_t> in, std::span<uint8_t> out);
void Decode(G711Law law, std::span<const uint8_t> in, std::span<int16_t> out);

// The code of silence (linear 0) in each law: what a frame of "nothing to play" sends.
constexpr uint8_t kAlawSilence = 0xD5;
constexpr uint8_t kUlawSilence = 0xFF;

}  // namespace hotline::voice
