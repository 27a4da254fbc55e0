#include "voice/g711.hpp"

#include <array>
#include <cassert>

namespace hotline::voice {
namespace {

constexpr std::array<int, 8> kAlawSegmentEnd = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
constexpr std::array<int, 8> kUlawSegmentEnd = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
constexpr int kUlawBias = 0x84;
constexpr int kUlawClip = 8159;

int Segment(int value, const std::array<int, 8>& ends) {
  for (int i = 0; i < 8; ++i) {
    if (value <= ends[i]) return i;
  }
  return 8;
}

uint8_t ComputeAlaw(int16_t sample) {
  int p = sample >> 3;  // 13-bit magnitude domain
  int mask;
  if (p >= 0) {
    mask = 0xD5;
  } else {
    mask = 0x55;
    p = -p - 1;
  }
  int seg = Segment(p, kAlawSegmentEnd);
  if (seg >= 8) return static_cast<uint8_t>(0x7F ^ mask);
  int code = seg << 4;
  code |= (seg < 2) ? ((p >> 1) & 0x0F) : ((p >> seg) & 0x0F);
  return static_cast<uint8_t>(code ^ mask);
}

int16_t ComputeAlawDecode(uint8_t code) {
  code ^= 0x55;
  int t = (code & 0x0F) << 4;
  int seg = (code & 0x70) >> 4;
  switch (seg) {
    case 0:
      t += 8;
      break;
    case 1:
      t += 0x108;
      break;
    default:
      t += 0x108;
      t <<= seg - 1;
  }
  return static_cast<int16_t>((code & 0x80) ? t : -t);
}

uint8_t ComputeUlaw(int16_t sample) {
  int p = sample >> 2;  // 14-bit domain
  int mask;
  if (p < 0) {
    p = -p;
    mask = 0x7F;
  } else {
    mask = 0xFF;
  }
  if (p > kUlawClip) p = kUlawClip;
  p += kUlawBias >> 2;
  int seg = Segment(p, kUlawSegmentEnd);
  if (seg >= 8) return static_cast<uint8_t>(0x7F ^ mask);
  int code = (seg << 4) | ((p >> (seg + 1)) & 0x0F);
  return static_cast<uint8_t>(code ^ mask);
}

int16_t ComputeUlawDecode(uint8_t code) {
  code = static_cast<uint8_t>(~code);
  int t = ((code & 0x0F) << 3) + kUlawBias;
  t <<= (code & 0x70) >> 4;
  return static_cast<int16_t>((code & 0x80) ? (kUlawBias - t) : (t - kUlawBias));
}

struct Tables {
  std::array<uint8_t, 65536> alaw_encode;
  std::array<uint8_t, 65536> ulaw_encode;
  std::array<int16_t, 256> alaw_decode;
  std::array<int16_t, 256> ulaw_decode;
  Tables() {
    for (int i = 0; i < 65536; ++i) {
      auto s = static_cast<int16_t>(i - 32768);
      alaw_encode[i] = ComputeAlaw(s);
      ulaw_encode[i] = ComputeUlaw(s);
    }
    for (int i = 0; i < 256; ++i) {
      alaw_decode[i] = ComputeAlawDecode(static_cast<uint8_t>(i));
      ulaw_decode[i] = ComputeUlawDecode(static_cast<uint8_t>(i));
    }
  }
};

const Tables& T() {
  static const Tables tables;
  return tables;
}

}  // namespace

uint8_t LinearToAlaw(int16_t sample) { return T().alaw_encode[static_cast<uint16_t>(sample) ^ 0x8000]; }
int16_t AlawToLinear(uint8_t code) { return T().alaw_decode[code]; }
uint8_t LinearToUlaw(int16_t sample) { return T().ulaw_encode[static_cast<uint16_t>(sample) ^ 0x8000]; }
int16_t UlawToLinear(uint8_t code) { return T().ulaw_decode[code]; }

void Encode(G711Law law, std::span<const int16_t> in, std::span<uint8_t> out) {
  assert(out.size() >= in.size());
  const auto& table = law == G711Law::kAlaw ? T().alaw_encode : T().ulaw_encode;
  for (size_t i = 0; i < in.size(); ++i) out[i] = table[static_cast<uint16_t>(in[i]) ^ 0x8000];
}

void Decode(G711Law law, std::span<const uint8_t> in, std::span<int16_t> out) {
  assert(out.size() >= in.size());
  const auto& table = law == G711Law::kAlaw ? T().alaw_decode : T().ulaw_decode;
  for (size_t i = 0; i < in.size(); ++i) out[i] = table[in[i]];
}

}  // namespace hotline::voice
